"""Clips for the face tests, rendered once per test process from real photos.

Rendering a 3-second clip takes a few seconds, so each distinct clip is
cached here and shared by the test modules that need it.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from functools import cache

import numpy as np

from testkit import faces
from testkit.light import live as light_live
from testkit.light import scene as light_scene
from barrierfree.vision.face import FaceAnalyzer
from barrierfree.vision.face.observation import FaceObservation
from barrierfree.vision.frames import Frame
from barrierfree.vision.liveness.flash import FlashChallenge, issue

#: Frame rate of the test clips (phones send 10-15 frames a second to the server).
FPS = 12.0


def light_of(challenge: FlashChallenge) -> faces.LightSchedule:
    return faces.flash_light([(c.rgb, c.start_ms / 1000, c.duration_ms / 1000) for c in challenge.colours])


@cache
def flash_challenge(seed: int, session: str = "s-1") -> FlashChallenge:
    """A deterministic challenge (fresh nonce each seed) issued now."""
    return issue(session, rng=random.Random(seed))


def fresh(challenge: FlashChallenge) -> FlashChallenge:
    """The same colours under a new nonce and a new expiry (so one cached clip serves several
    tests, however long the suite has been running since the challenge was issued)."""
    now = time.time()
    return replace(challenge, nonce=issue("x").nonce, issued_at=now, expires_at=now + 120)


def clip_length(challenge: FlashChallenge) -> float:
    return challenge.duration_ms / 1000 + 0.15


@cache
def bona_fide_flash(name: str, seed: int, lag_s: float = 0.08) -> tuple:
    challenge = flash_challenge(seed)
    return tuple(faces.render_sequence(
        faces.prepare(name), clip_length(challenge), faces.idle_poses(seed), light_of(challenge),
        camera=faces.Camera(fps=FPS, lag_s=lag_s), seed=seed,
    ))


@cache
def print_flash(name: str, seed: int) -> tuple:
    challenge = flash_challenge(seed)
    return tuple(faces.print_attack(faces.prepare(name), clip_length(challenge), light_of(challenge), faces.Camera(fps=FPS), seed=seed))


@cache
def replay_flash(name: str, seed: int, recorded_under: int) -> tuple:
    """A replay of a bona fide recording made under challenge ``recorded_under``, shown while ``seed``'s flashes."""
    recording = bona_fide_flash(name, recorded_under)
    return tuple(faces.screen_replay(recording, light_of(flash_challenge(seed)), faces.Camera(fps=FPS), seed=seed))


@cache
def idle(name: str, seed: int, seconds: float = 2.0) -> tuple:
    return tuple(faces.render_sequence(faces.prepare(name), seconds, faces.idle_poses(seed), camera=faces.Camera(fps=FPS), seed=seed))


@cache
def acting(name: str, actions: tuple[str, ...], seed: int, fps: float = 12.0) -> tuple:
    seconds = 0.8 + 1.6 * len(actions) + 0.6
    return tuple(faces.render_sequence(
        faces.prepare(name), seconds, faces.action_poses(actions, seed), camera=faces.Camera(fps=fps), seed=seed,
    ))


@cache
def bad_clips() -> dict[str, tuple]:
    """Clips each of which must be refused with the reason it is keyed by (from a live astronaut clip).

    ``liveness.extreme_pose`` is the 3-D head held 4° beyond the shipped pitch
    limit (every mode has it; active liveness relaxes only the yaw limit).
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
    turned = held("astronaut", 0.0, -34.0)
    return {
        "liveness.no_face": tuple(Frame(np.full((640, 480, 3), 70, np.uint8), t) for t in stamps),
        "liveness.two_faces": tuple(two),
        "liveness.face_too_small": tuple(tiny),
        "liveness.face_cut_off": tuple(cut),
        "liveness.frames_out_of_order": tuple(swapped),
        "liveness.frame_gap": tuple(live[:8] + live[14:]),
        "liveness.extreme_pose": tuple(turned),
    }


# --------------------------------------------------------------------------- 3-D heads at measured poses
#
# The 2-D warp above turns a photo's head less than asked (35° measures 9-12°), so clips that must
# reach the shipped pose limits come from the light model's 3-D head (testkit.light),
# whose render angle is corrected until the analyzer measures the angle asked for.

#: A fixed, ordinary capture condition for the pose clips (no flash; the idle page lights the face).
POSE_CONDITION = light_live.Condition(skin="medium", distance_mm=350.0, room="bright", awb=True)


def _still(name: str, yaw: float, pitch: float, distance_mm: float) -> np.ndarray:
    pose = light_scene.HeadPose(yaw, pitch, 0.0, distance_mm)
    condition = replace(POSE_CONDITION, distance_mm=distance_mm)
    return light_live.live_clip(name, [], 0.25, condition, seed=1, pose_at=lambda t: pose)[0].pixels


def measure(name: str, yaw: float, pitch: float, distance_mm: float = 350.0) -> FaceObservation:
    """What the analyzer sees of the 3-D head rendered at (yaw, pitch) degrees, ``distance_mm`` away."""
    with FaceAnalyzer() as analyzer:
        return analyzer.observe(Frame(_still(name, yaw, pitch, distance_mm), 0.0))


@cache
def render_pose_for(name: str, yaw: float, pitch: float) -> tuple[float, float]:
    """Render angles at which the analyzer measures (``yaw``, ``pitch``) ± 1° on ``name``'s 3-D head."""
    ry, rp = yaw, pitch
    for _ in range(6):
        seen = measure(name, ry, rp)
        if seen.yaw_deg is None or seen.pitch_deg is None:
            raise ValueError(f"no face at render yaw {ry:.1f}, pitch {rp:.1f} ({name})")
        dy, dp = yaw - seen.yaw_deg, pitch - seen.pitch_deg
        if abs(dy) <= 1.0 and abs(dp) <= 1.0:
            return ry, rp
        ry, rp = ry + dy / 0.85, rp + dp / 0.85
    raise ValueError(f"{name}: cannot reach yaw {yaw}, pitch {pitch}")


@cache
def distance_for(name: str, size_fraction: float) -> float:
    """Distance (mm) at which the analyzer measures the face as ``size_fraction`` of the frame width (± 0.005)."""
    distance = 350.0
    for _ in range(6):
        seen = measure(name, 0.0, 0.0, distance).size_fraction or 0.0
        if abs(seen - size_fraction) <= 0.005:
            return distance
        distance *= seen / size_fraction
    raise ValueError(f"{name}: cannot reach face size {size_fraction}")


@cache
def held(name: str, yaw: float = 0.0, pitch: float = 0.0, size_fraction: float | None = None,
         seconds: float = 2.0, fps: float = FPS) -> tuple[Frame, ...]:
    """A clip of the 3-D head held at measured (``yaw``, ``pitch``) (a little sway and hand shake)."""
    ry, rp = render_pose_for(name, yaw, pitch)
    distance = distance_for(name, size_fraction) if size_fraction else 350.0

    def pose(t: float) -> light_scene.HeadPose:
        return light_scene.HeadPose(ry + 0.4 * np.sin(2.1 * t), rp + 0.3 * np.sin(1.3 * t), 0.0, distance,
                                    (1.5 * np.sin(1.7 * t), 1.5 * np.sin(2.3 * t)))

    camera = replace(POSE_CONDITION.camera, fps=fps, drop_rate=0.0)
    condition = replace(POSE_CONDITION, distance_mm=distance, camera=camera)
    return tuple(Frame(s.pixels, s.timestamp_s) for s in light_live.live_clip(name, [], seconds, condition, seed=2, pose_at=pose))


@cache
def turning(name: str, peak_deg: float, turn_at_s: float, seconds: float, fps: float = 6.0, pitch: bool = False) -> tuple[Frame, ...]:
    """The 3-D head facing the camera, then turning (or nodding, ``pitch``) to a measured ``peak_deg`` at ``turn_at_s`` and back."""
    ry, rp = render_pose_for(name, 0.0 if pitch else peak_deg, peak_deg if pitch else 0.0)
    rest_y, rest_p = render_pose_for(name, 0.0, 0.0)

    def pose(t: float) -> light_scene.HeadPose:
        level = max(0.0, 1.0 - abs(t - turn_at_s) / 0.6)  # up in 0.6 s, down in 0.6 s
        level = min(1.0, 1.5 * level)
        return light_scene.HeadPose(rest_y + level * (ry - rest_y), rest_p + level * (rp - rest_p), 0.0, 350.0)

    camera = replace(POSE_CONDITION.camera, fps=fps, drop_rate=0.0)
    condition = replace(POSE_CONDITION, camera=camera)
    return tuple(Frame(s.pixels, s.timestamp_s) for s in light_live.live_clip(name, [], seconds, condition, seed=3, pose_at=pose))
