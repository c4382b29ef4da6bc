"""Where each session starts: the scene, the vision engine that watches it, the phone's first pose.

Everything is drawn from the person's seed and the target alone (never from a stream
shared between sessions), and every session gets a fresh face tracker (the card finder
keeps no state between frames), so one session's result cannot depend on which ran
before it. The engines come from the benchmark's :class:`~barrierfree.runtime.Runtime`,
so its settings reach them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from testkit import cards
from testkit.blind_users.camera import EASY_PHOTOS, HARD_PEOPLE, HeadScene
from testkit.blind_users.head import Head
from testkit.blind_users.held_out import HeldOutPerson
from testkit.blind_users.people import Person
from testkit.scenes import CardScene, FaceScene, PhonePose

if TYPE_CHECKING:
    from barrierfree.runtime import Runtime

TODAY = date(2026, 11, 29)  # pinned: the generators' draws depend on the date
#: Card texture resolution, pixels per millimetre (fine enough for the 720-wide still).
CARD_PX_PER_MM = 12


@dataclass
class Setup:
    """One session's scene and engine. ``observe(frame)`` is the real vision; ``close()`` frees it."""

    scene: FaceScene | CardScene
    observe: Callable
    start: PhonePose
    expected: dict[str, str]
    close: Callable[[], None]


def face_setup(person: Person, index: int, hard: bool, runtime: Runtime) -> Setup:
    rng = np.random.default_rng(person.seed)
    if hard:
        scene: FaceScene = HeadScene(HARD_PEOPLE[index % len(HARD_PEOPLE)], seed=person.seed, head=Head(person.head))
    else:
        scene = FaceScene(EASY_PHOTOS[index % len(EASY_PHOTOS)])
    distance = rng.uniform(260, 700)
    home = scene.pose_at(0.5, 0.45, distance)
    error = rng.normal(0, person.sense_error_mm, 2)
    start = replace(home, x_mm=home.x_mm + error[0], y_mm=home.y_mm + error[1],
                    pitch_deg=float(rng.choice([rng.normal(0, 8), -rng.uniform(30, 45)], p=[0.7, 0.3])))
    analyzer = runtime.face_analyzer()  # a tracker of its own: it follows one stream's face
    return Setup(scene, analyzer.observe, start, {}, analyzer.close)


def card_setup(person: Person, index: int, hard: bool, runtime: Runtime) -> Setup:
    rng = np.random.default_rng(person.seed + 1000)
    holder = cards.random_cn_person(rng, TODAY)
    texture = cards.render_card(holder, "front", px_per_mm=CARD_PX_PER_MM if hard else 8, seed=person.seed)
    table = cards.background(["wood", "cloth", "desk"][index % 3], (480, 640), rng)
    lamp = (rng.uniform(-300, 300), rng.uniform(150, 600), rng.uniform(500, 900))
    scene = CardScene(texture, table=table, lamp_mm=lamp)
    # Asked for 'a hand's width' (about 10 cm); the held-out people start anywhere from 6 to 30 cm.
    distance = rng.uniform(60, 300) if isinstance(person, HeldOutPerson) else rng.uniform(90, 200)
    home = scene.pose_at(0.5, 0.5, distance)
    error = rng.normal(0, person.sense_error_mm * 0.4, 2)
    start = replace(home, x_mm=home.x_mm + error[0], y_mm=home.y_mm + error[1],
                    pitch_deg=float(rng.normal(0, 12)), yaw_deg=float(rng.normal(0, 8)))
    finder = runtime.card_finder
    return Setup(scene, finder.observe, start, holder.front_fields(), lambda: None)


SETUPS = {"face": face_setup, "card": card_setup}
