"""Presentation attacks with their own physics, filmed by the same camera under the same screen.

- :func:`print_clip`: a photo printed life-size on an A4 sheet held in front
  of the camera: matte paper, or glossy paper that mirrors the phone's screen
  and the room's lamp; flat or bent around a vertical cylinder; whole, or cut
  out along the head with the eyes cut out and the attacker's own eyes behind.
- :func:`replay_clip`: a recording played on a tablet held in front of the
  camera: the picture is *emitted* light (it does not follow the live screen),
  through the display's wider gamut and its RGB stripe grid (which the camera
  samples into moiré), behind glass that mirrors the live screen.
- :func:`injected_clip`: a recording sent as the camera (a virtual camera),
  re-timed to the new challenge.

The attacker's picture of the victim is a frontal selfie rendered by
:mod:`.live` in a bright room (:func:`victim_photo`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import cv2
import numpy as np

from testkit.light.head import load_head
from testkit.light.live import ROOMS, Condition, live_clip, live_scene
from testkit.light.render import Schedule, Shot, film
from testkit.light.scene import HeadPose, Optics, Surfaces, nose_position, room, with_shoulders

#: Distance (mm) at which the victim's photo was taken.
PHOTO_DISTANCE_MM = 350.0
A4_MM = (210.0, 297.0)


@dataclass(frozen=True, eq=False)
class Sheet:
    """A flat or bent rectangle carrying a picture (``(h, w, 3)`` linear RGB), centred, ``mm_per_px`` of it.

    ``albedo``: what the surface reflects diffusely (ink on paper; black glass
    for a display); ``emission``: radiance the surface emits per frame time
    (``t -> (h, w, 3)`` cd/m²), or None; ``keep``: paper left after cutting
    (bool, in picture pixels); ``holes``: holes the attacker's eyes look through.
    """

    albedo: np.ndarray
    mm_per_px: float
    gloss: float = 0.0
    shininess: float = 1.0
    radius_mm: float | None = None
    keep: np.ndarray | None = None
    holes: np.ndarray | None = None
    emission: Callable[[float], np.ndarray] | None = None
    emission_grid: Callable[[np.ndarray, np.ndarray, float], np.ndarray] | None = None


@lru_cache(maxsize=16)
def victim_photo(name: str, skin: str) -> tuple[np.ndarray, np.ndarray]:
    """(sRGB uint8 frontal selfie of the victim, bool head mask), taken at :data:`PHOTO_DISTANCE_MM` in a bright room."""
    condition = Condition(skin=skin, distance_mm=PHOTO_DISTANCE_MM, room="bright", awb=True)
    still = HeadPose(distance_mm=PHOTO_DISTANCE_MM)
    shot = live_clip(name, [((255, 255, 255), 0.0, 0.01)], 0.2, condition, seed=7, pose_at=lambda t: still)[0]
    surfaces = live_scene(name, condition, 7, pose_at=lambda t: still)(0.0)
    head_mask = surfaces.xyz[..., 2] < PHOTO_DISTANCE_MM + 110
    return shot.pixels, head_mask


def _eye_holes(name: str, shape: tuple[int, int], optics: Optics) -> np.ndarray:
    """Bool mask of the two eye openings (ellipses 30 × 14 mm) in the victim photo's pixels."""
    head = load_head(name)
    origin = nose_position(HeadPose(distance_mm=PHOTO_DISTANCE_MM), optics)
    mask = np.zeros(shape, np.uint8)
    for eye in head.eyes:
        local = head.xyz[int(eye[1]), int(eye[0])]
        x, y = optics.project(local + origin)
        axes = (int(15 * optics.focal_px / PHOTO_DISTANCE_MM), int(7 * optics.focal_px / PHOTO_DISTANCE_MM))
        cv2.ellipse(mask, (int(x), int(y)), axes, 0, 0, 360, 1, -1)
    return mask.astype(bool)


def printed(photo: np.ndarray) -> np.ndarray:
    """The reflectance of an inkjet print of an sRGB photo: a smaller gamut, paper white 0.85, ink black 0.03."""
    linear = (photo.astype(np.float32) / 255.0) ** 2.2
    grey = linear.mean(axis=2, keepdims=True)
    return 0.03 + 0.82 * (0.85 * linear + 0.15 * grey)


def print_sheet(name: str, skin: str, *, glossy: bool = False, radius_mm: float | None = None, cut_out: bool = False,
                optics: Optics = Optics()) -> Sheet:
    """The victim's selfie printed life-size and cropped to A4 (optionally cut out along the head, with eye holes)."""
    photo, head_mask = victim_photo(name, skin)
    mm_per_px = (PHOTO_DISTANCE_MM + 40.0) / optics.focal_px  # life size at the face's plane
    nose = optics.project(nose_position(HeadPose(distance_mm=PHOTO_DISTANCE_MM), optics))
    half_w, half_h = A4_MM[0] / 2 / mm_per_px, A4_MM[1] / 2 / mm_per_px
    x0, y0 = int(nose[0] - half_w), int(nose[1] - 0.4 * 2 * half_h)
    box = (slice(max(y0, 0), y0 + int(2 * half_h)), slice(max(x0, 0), x0 + int(2 * half_w)))
    keep = holes = None
    if cut_out:
        keep = head_mask[box]
        holes = _eye_holes(name, photo.shape[:2], optics)[box]
    return Sheet(printed(photo[box]), mm_per_px, gloss=0.05 if glossy else 0.0, shininess=250.0 if glossy else 1.0,
                 radius_mm=radius_mm, keep=keep, holes=holes)


def _hand(seed: int) -> Callable[[float], tuple[np.ndarray, np.ndarray]]:
    """A hand holding a sheet: (rotation, translation mm) over time, a few degrees of tilt and a few mm of sway."""
    rng = np.random.default_rng(seed)
    tilt = rng.uniform(-8, 8, 2)
    f, p = rng.uniform(0.3, 1.0, 5), rng.uniform(0, 2 * math.pi, 5)

    def at(t: float) -> tuple[np.ndarray, np.ndarray]:
        w = [math.sin(2 * math.pi * f[i] * t + p[i]) for i in range(5)]
        yaw, pitch = math.radians(tilt[0] + 1.5 * w[0]), math.radians(tilt[1] + 1.5 * w[1])
        ry = np.array([[math.cos(yaw), 0, -math.sin(yaw)], [0, 1, 0], [math.sin(yaw), 0, math.cos(yaw)]])
        rx = np.array([[1, 0, 0], [0, math.cos(pitch), math.sin(pitch)], [0, -math.sin(pitch), math.cos(pitch)]])
        return ry @ rx, np.array([3.0 * w[2], 3.0 * w[3], 4.0 * w[4]])

    return at


def _hit(sheet: Sheet, o: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where rays from ``o`` along ``d`` (sheet frame) meet the sheet: (depth, point, arc coordinate u, normal)."""
    if sheet.radius_mm is None:
        depth = -o[2] / d[:, 2]
        local = o + depth[:, None] * d
        return depth, local, local[:, 0], np.tile([0.0, 0.0, -1.0], (len(d), 1))
    # Bent round a vertical cylinder of radius r whose nearest line is the sheet's centre line.
    r = sheet.radius_mm
    a = d[:, 0] ** 2 + d[:, 2] ** 2
    b = 2 * (o[0] * d[:, 0] + (o[2] - r) * d[:, 2])
    c = o[0] ** 2 + (o[2] - r) ** 2 - r * r
    disc = b * b - 4 * a * c
    depth = np.where(disc >= 0, (-b - np.sqrt(np.maximum(disc, 0))) / (2 * a), np.inf)
    local = o + depth[:, None] * d
    u = r * np.arctan2(local[:, 0], r - local[:, 2])
    return depth, local, u, np.column_stack([local[:, 0], np.zeros(len(d)), local[:, 2] - r]) / r


def sheet_scene(sheet: Sheet, distance_mm: float, behind: Surfaces, optics: Optics, seed: int) -> Callable[[float], Surfaces]:
    """``t -> Surfaces`` of ``sheet`` held ``distance_mm`` from the camera (its picture's nose on the aim point)."""
    hand = _hand(seed)
    rays = optics.rays().reshape(-1, 3).astype(np.float64)
    h, w = sheet.albedo.shape[:2]
    aim = nose_position(HeadPose(distance_mm=distance_mm), optics)
    now = [0.0]  # the time of the scene being built, for the emitted picture

    def scene(t: float) -> Surfaces:
        now[0] = t
        rotation, shift = hand(t)
        centre = aim + shift
        o = -(centre @ rotation)  # camera origin in the sheet's frame
        d = rays @ rotation
        with np.errstate(invalid="ignore", divide="ignore"):
            return _surfaces(o, d, rotation)

    def _surfaces(o: np.ndarray, d: np.ndarray, rotation: np.ndarray) -> Surfaces:
        depth, local, u, normal_local = _hit(sheet, o, d)
        # Picture coordinates: the sheet's centre is the picture's nose (0.4 of the height from the top).
        px = u / sheet.mm_per_px + w / 2
        py = local[:, 1] / sheet.mm_per_px + 0.4 * h
        on = np.isfinite(depth) & (depth > 0) & (px >= 0) & (px < w - 1) & (py >= 0) & (py < h - 1)
        ix, iy = np.clip(px, 0, w - 1).astype(int), np.clip(py, 0, h - 1).astype(int)
        if sheet.keep is not None:
            on &= sheet.keep[iy, ix]
        hole = on & sheet.holes[iy, ix] if sheet.holes is not None else np.zeros_like(on)
        shape = (optics.height, optics.width)
        mx, my = px.reshape(shape).astype(np.float32), py.reshape(shape).astype(np.float32)
        albedo = cv2.remap(sheet.albedo.astype(np.float32), mx, my, cv2.INTER_LINEAR)
        xyz = (rays * depth[:, None]).reshape(*shape, 3)
        # Through an eye hole: the attacker's own eye, 25 mm behind the paper, facing the camera.
        xyz = np.where(hole.reshape(shape)[..., None], xyz * (1 + 25.0 / np.maximum(xyz[..., 2:], 1)), xyz)
        normal = (normal_local @ rotation.T).reshape(*shape, 3)
        pick = on.reshape(shape)
        emission = None
        if sheet.emission is not None:
            picture = cv2.remap(sheet.emission(now[0]), mx, my, cv2.INTER_LINEAR)
            grid = sheet.emission_grid(u.reshape(shape), local[:, 1].reshape(shape), float(np.median(depth[on]))) \
                if sheet.emission_grid is not None else 1.0
            emission = np.where(pick[..., None], picture * grid, 0.0).astype(np.float32)
        return Surfaces(
            np.where(pick[..., None], xyz, behind.xyz).astype(np.float32),
            np.where(pick[..., None], normal, behind.normal).astype(np.float32),
            np.where(pick[..., None], albedo, behind.albedo).astype(np.float32),
            np.where(pick & ~hole.reshape(shape), sheet.gloss, behind.gloss).astype(np.float32),
            sheet.shininess if sheet.gloss else behind.shininess, hole.reshape(shape), emission,
        )

    return scene


def _attacker_room(condition: Condition, optics: Optics, seed: int) -> Surfaces:
    """The room behind the attacker, and the attacker's shoulders below the held sheet."""
    rng = np.random.default_rng(seed + 1)
    behind = room(optics, condition.distance_mm + condition.wall_mm, seed + 1)
    return with_shoulders(behind, HeadPose(distance_mm=condition.distance_mm + 60), optics, rng.uniform(0.03, 0.5, 3),
                          np.array([0.3, 0.2, 0.14]))


def print_clip(name: str, schedule: Schedule, duration_s: float, condition: Condition, seed: int, *, glossy: bool = False,
               radius_mm: float | None = None, cut_out: bool = False, optics: Optics = Optics()) -> list[Shot]:
    """A print of ``name`` held at ``condition.distance_mm`` while the screen plays ``schedule``."""
    sheet = print_sheet(name, condition.skin, glossy=glossy, radius_mm=radius_mm, cut_out=cut_out, optics=optics)
    scene = sheet_scene(sheet, condition.distance_mm + 40.0, _attacker_room(condition, optics, seed), optics, seed)
    return film(scene, schedule, duration_s, optics=optics, room=ROOMS[condition.room], camera=condition.camera,
                display=condition.display, seed=seed)


#: sRGB picture values shown unmanaged on a wide-gamut (Display P3) panel, as linear light in sRGB primaries.
_P3_AS_SRGB = np.array([[1.2249, -0.2247, 0.0], [-0.0420, 1.0419, 0.0], [-0.0197, -0.0786, 1.0979]], np.float32)


def _stripes(pitch_mm: float, focal_px: float) -> Callable[[np.ndarray, np.ndarray, float], np.ndarray]:
    """The display's RGB stripe grid as the camera's pixels average it (``(H, W, 3)`` gain around 1).

    Each sub-pixel lights a third of a pixel's width; a camera pixel averages
    ``footprint`` mm of the panel, which divides each harmonic by a sinc. What
    is left, sampled at the camera's pixel centres, aliases into moiré.
    """
    def grid(u: np.ndarray, v: np.ndarray, distance_mm: float) -> np.ndarray:
        footprint = distance_mm / focal_px
        attenuation = abs(np.sinc(footprint / pitch_mm))
        out = np.empty((*u.shape, 3), np.float32)
        rows = 1.0 + 0.2 * attenuation * np.cos(2 * math.pi * v / pitch_mm)
        for channel in range(3):
            phase = 2 * math.pi * (u / pitch_mm - channel / 3.0)
            out[..., channel] = (1.0 + 0.55 * 2 * attenuation * np.cos(phase)) * rows
        return np.clip(out, 0, None)

    return grid


def replay_clip(recording: Sequence[Shot], schedule: Schedule, duration_s: float, condition: Condition, seed: int,
                optics: Optics = Optics()) -> list[Shot]:
    """``recording`` played full-screen on a tablet (160 × 213 mm, 450 cd/m², glass front) held in front of the camera."""
    rng = np.random.default_rng(seed)
    height, width = recording[0].pixels.shape[:2]
    panel_mm = 160.0
    mm_per_px = panel_mm / width
    nits = float(rng.uniform(350, 550))
    stamps = np.array([s.timestamp_s for s in recording])
    pictures = [((s.pixels.astype(np.float32) / 255.0) ** 2.2 @ _P3_AS_SRGB.T).clip(0, None) * nits + 0.3 for s in recording]

    def emission(t: float) -> np.ndarray:
        return pictures[int(np.clip(np.searchsorted(stamps, t) - 1, 0, len(pictures) - 1))]

    # Held so that the face on the panel looks as big as a real face at the condition's distance.
    face_on_panel = 140.0 * (optics.focal_px * mm_per_px) / (PHOTO_DISTANCE_MM + 40.0)
    distance = (condition.distance_mm + 40.0) * face_on_panel / 140.0
    sheet = Sheet(np.full((height, width, 3), 0.03, np.float32), mm_per_px, gloss=0.04, shininess=float(rng.uniform(80, 400)),
                  emission=emission, emission_grid=_stripes(float(rng.uniform(0.08, 0.12)), optics.focal_px))
    scene = sheet_scene(sheet, distance, _attacker_room(condition, optics, seed), optics, seed)
    return film(scene, schedule, duration_s, optics=optics, room=ROOMS[condition.room], camera=condition.camera,
                display=condition.display, seed=seed, geometry_every=1)


def injected_clip(recording: Sequence[Shot], offset_s: float = 0.0) -> list[Shot]:
    """A recording sent through a virtual camera, its timestamps moved ``offset_s`` (re-timed to the new challenge)."""
    return [replace(s, timestamp_s=s.timestamp_s + offset_s) for s in recording]
