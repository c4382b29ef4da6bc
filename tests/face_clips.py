"""Clips for the face tests, rendered once per test process from real photos.

Rendering a 3-second clip takes a few seconds, so each distinct clip is
cached here and shared by the test modules that need it.
"""

from __future__ import annotations

import random
from functools import lru_cache

import numpy as np

from barrierfree.synth import faces
from barrierfree.vision.frames import Frame
from barrierfree.vision.liveness.flash import FlashChallenge, issue

#: Frame rate of the test clips (phones send 10-15 frames a second to the server).
FPS = 12.0


def light_of(challenge: FlashChallenge) -> faces.LightSchedule:
    return faces.flash_light([(c.rgb, c.start_ms / 1000, c.duration_ms / 1000) for c in challenge.colours])


@lru_cache(maxsize=None)
def flash_challenge(seed: int, session: str = "s-1") -> FlashChallenge:
    """A deterministic challenge (fresh nonce each seed) issued now."""
    return issue(session, rng=random.Random(seed))


def clip_length(challenge: FlashChallenge) -> float:
    return challenge.duration_ms / 1000 + 0.15


@lru_cache(maxsize=None)
def bona_fide_flash(name: str, seed: int, lag_s: float = 0.08) -> tuple:
    challenge = flash_challenge(seed)
    return tuple(faces.render_sequence(
        faces.prepare(name), clip_length(challenge), faces.idle_poses(seed), light_of(challenge),
        camera=faces.Camera(fps=FPS, lag_s=lag_s), seed=seed,
    ))


@lru_cache(maxsize=None)
def print_flash(name: str, seed: int) -> tuple:
    challenge = flash_challenge(seed)
    return tuple(faces.print_attack(faces.prepare(name), clip_length(challenge), light_of(challenge), faces.Camera(fps=FPS), seed=seed))


@lru_cache(maxsize=None)
def replay_flash(name: str, seed: int, recorded_under: int) -> tuple:
    """A replay of a bona fide recording made under challenge ``recorded_under``, shown while ``seed``'s flashes."""
    recording = bona_fide_flash(name, recorded_under)
    return tuple(faces.screen_replay(recording, light_of(flash_challenge(seed)), faces.Camera(fps=FPS), seed=seed))


@lru_cache(maxsize=None)
def idle(name: str, seed: int, seconds: float = 2.0) -> tuple:
    return tuple(faces.render_sequence(faces.prepare(name), seconds, faces.idle_poses(seed), camera=faces.Camera(fps=FPS), seed=seed))


@lru_cache(maxsize=None)
def acting(name: str, actions: tuple[str, ...], seed: int, fps: float = 12.0) -> tuple:
    seconds = 0.8 + 1.6 * len(actions) + 0.6
    return tuple(faces.render_sequence(
        faces.prepare(name), seconds, faces.action_poses(actions, seed), camera=faces.Camera(fps=fps), seed=seed,
    ))


#: Tighter pose limits for the extreme-pose clip: the 2-D warp of a photo turns the head less than a real turn would.
STRICT_POSE = {"max_yaw_deg": 8.0, "max_pitch_deg": 8.0}


@lru_cache(maxsize=None)
def bad_clips() -> dict[str, tuple]:
    """Clips each of which must be refused with the reason it is keyed by (from a live astronaut clip).

    ``liveness.extreme_pose`` needs :data:`STRICT_POSE`.
    """
    live = list(idle("astronaut", 3))
    other = faces.prepare("biden").rgb
    tiny, cut, two = [], [], []
    for f in live:
        canvas = np.full((1280, 1440, 3), 60, np.uint8)
        canvas[300:940, 480:960] = f.pixels
        tiny.append(Frame(canvas, f.timestamp_s))
        cut.append(Frame(np.ascontiguousarray(f.pixels[:, 190:]), f.timestamp_s))
        two.append(Frame(np.hstack([f.pixels, other]), f.timestamp_s))
    stamps = [f.timestamp_s for f in live]
    swapped = [Frame(f.pixels, t) for f, t in zip(live, stamps[:1] + [stamps[2], stamps[1]] + stamps[3:])]
    turned = faces.render_sequence(faces.prepare("obama"), 2.0, lambda t: faces.FacePose(yaw_deg=35, pitch_deg=-30),
                                   camera=faces.Camera(fps=FPS), seed=1)
    return {
        "liveness.no_face": tuple(Frame(np.full((640, 480, 3), 70, np.uint8), t) for t in stamps),
        "liveness.two_faces": tuple(two),
        "liveness.face_too_small": tuple(tiny),
        "liveness.face_cut_off": tuple(cut),
        "liveness.frames_out_of_order": tuple(swapped),
        "liveness.frame_gap": tuple(live[:8] + live[14:]),
        "liveness.extreme_pose": tuple(turned),
    }
