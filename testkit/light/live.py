"""Bona fide clips: a real person's 3-D head in a room, under the phone's flashing screen.

A :class:`Condition` is everything about the circumstances that the person
does not control and that a verifier must cope with: skin tone, how far the
phone is held, the room's light, whether the camera's white balance adapts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from testkit.light.camera import CameraModel
from testkit.light.head import Head, load_head
from testkit.light.lighting import Room
from testkit.light.render import Display, Schedule, Shot, film
from testkit.light.scene import HeadPose, Optics, Surfaces, place_head, room, with_shoulders

#: Skin reflectance, linear RGB, of light, medium and dark skin (about Fitzpatrick I-II, III-IV, V-VI).
SKIN_TONES = {
    "light": np.array([0.55, 0.38, 0.30]),
    "medium": np.array([0.33, 0.20, 0.13]),
    "dark": np.array([0.12, 0.07, 0.045]),
}
#: The two rooms: a dim living room under a warm bulb, a bright office under daylight-white tubes.
ROOMS = {
    "dim": Room(ambient_lux=25.0, key_lux=35.0, colour=(1.0, 0.78, 0.52), flicker=0.0),
    "bright": Room(ambient_lux=250.0, key_lux=300.0, colour=(0.95, 1.0, 1.02), flicker=0.08),
}


@dataclass(frozen=True)
class Condition:
    """The circumstances of one clip (distances in mm)."""

    skin: str = "medium"
    distance_mm: float = 350.0
    room: str = "bright"
    awb: bool = True
    wall_mm: float = 1200.0
    camera: CameraModel = field(default_factory=CameraModel)
    display: Display = field(default_factory=Display)

    def label(self) -> str:
        return f"{self.skin} skin, {self.distance_mm / 10:.0f} cm, {self.room} room, AWB {'on' if self.awb else 'off'}"


def random_condition(rng: np.random.Generator, **fixed: object) -> Condition:
    """A condition drawn at random (each field can be pinned by ``fixed``), with a random phone camera."""
    camera = CameraModel(
        fps=float(rng.choice([12.0, 15.0, 20.0])), readout_s=float(rng.uniform(0.015, 0.033)),
        ae_tau_s=float(rng.uniform(0.15, 0.4)), awb_tau_s=float(rng.uniform(0.25, 0.8)),
        jpeg_quality=int(rng.integers(70, 93)), latency_s=float(rng.uniform(0.03, 0.15)),
    )
    drawn = Condition(
        skin=str(rng.choice(list(SKIN_TONES))), distance_mm=float(rng.uniform(250, 600)), room=str(rng.choice(list(ROOMS))),
        awb=bool(rng.random() < 0.5), wall_mm=float(rng.uniform(500, 2000)), camera=camera,
        display=Display(nits=float(rng.uniform(350, 600)), latency_s=float(rng.uniform(0.008, 0.035))),
    )
    drawn = replace(drawn, **fixed)  # type: ignore[arg-type]
    return replace(drawn, camera=replace(drawn.camera, awb=drawn.awb))


@lru_cache(maxsize=32)
def toned_head(name: str, skin: str) -> Head:
    """The photo's head with its skin re-coloured to ``skin``'s reflectance (texture and shading kept)."""
    head = load_head(name)
    current = np.median(head.albedo[head.skin], axis=0)
    gain = SKIN_TONES[skin] / np.maximum(current, 1e-4)
    weight = head.skin[..., None].astype(np.float32)
    albedo = head.albedo * (1 + weight * (gain - 1))
    return replace(head, albedo=np.clip(albedo, 0, 1).astype(np.float32))


def sway(seed: int, degrees: float = 2.5, pixels: float = 4.0) -> Callable[[float], tuple[float, float, float, float]]:
    """A person holding still as asked: slow head sway (yaw, pitch) and hand shake (x, y pixels)."""
    rng = np.random.default_rng(seed)
    f = rng.uniform(0.3, 1.2, 4)
    p = rng.uniform(0, 2 * math.pi, 4)
    a = rng.uniform(0.5, 1.0, 4)

    def at(t: float) -> tuple[float, float, float, float]:
        w = [a[i] * math.sin(2 * math.pi * f[i] * t + p[i]) for i in range(4)]
        return degrees * w[0], 0.6 * degrees * w[1], pixels * w[2], pixels * w[3]

    return at


def live_scene(name: str, condition: Condition, seed: int, optics: Optics = Optics(),
               pose_at: Callable[[float], HeadPose] | None = None) -> Callable[[float], Surfaces]:
    """``t -> Surfaces`` of a person (photo ``name``) holding the phone as ``condition`` says."""
    head = toned_head(name, condition.skin)
    rng = np.random.default_rng(seed)
    behind = room(optics, condition.distance_mm + condition.wall_mm, seed)
    clothes = rng.uniform(0.03, 0.5, 3)
    neck = SKIN_TONES[condition.skin] * 0.85
    moving = sway(seed)

    def default_pose(t: float) -> HeadPose:
        yaw, pitch, dx, dy = moving(t)
        return HeadPose(yaw, pitch, 0.0, condition.distance_mm, (dx, dy))

    poses = pose_at or default_pose

    # The body stays where it is while the head sways and turns.
    body = with_shoulders(behind, HeadPose(distance_mm=condition.distance_mm), optics, clothes, neck)

    def scene(t: float) -> Surfaces:
        return place_head(head, poses(t), body, optics)

    return scene


def live_clip(name: str, schedule: Schedule, duration_s: float, condition: Condition, seed: int,
              optics: Optics = Optics(), pose_at: Callable[[float], HeadPose] | None = None) -> list[Shot]:
    """A bona fide clip: ``name``'s head, under ``schedule``, filmed in ``condition``."""
    return film(live_scene(name, condition, seed, optics, pose_at), schedule, duration_s, optics=optics,
                room=ROOMS[condition.room], camera=condition.camera, display=condition.display, seed=seed)
