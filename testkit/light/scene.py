"""What the phone's camera looks at: surfaces as per-pixel maps, and the head posed among them.

A :class:`Surfaces` holds, for every camera pixel, the point seen (mm, camera
frame), its normal, its diffuse albedo (linear RGB), its gloss (specular
reflectance, 0 for matte) and any light it emits itself (a display). The
lighting (:mod:`.lighting`) and the camera (:mod:`.camera`) work on these maps
only, so a live head, a print, a curved print and a replay screen all go
through one physics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from testkit.light.head import PIVOT_MM, Head, rotation


@dataclass(frozen=True)
class Optics:
    """A phone front camera held upright, and the screen below it (sizes in mm).

    ``hfov_deg``: horizontal field of view in portrait (a 4:3 sensor with about
    80° diagonal gives about 53° across the short side). The screen is the
    area light: ``screen_mm`` wide and high, its centre ``screen_offset_mm``
    below the camera, in the camera's plane, facing the person.
    """

    width: int = 480
    height: int = 640
    hfov_deg: float = 53.0
    screen_mm: tuple[float, float] = (68.0, 148.0)
    screen_offset_mm: float = 78.0

    @property
    def focal_px(self) -> float:
        return (self.width / 2) / math.tan(math.radians(self.hfov_deg / 2))

    def rays(self) -> np.ndarray:
        """Unit-Z ray directions ``(H, W, 3)`` through each pixel centre (Z = 1)."""
        gx, gy = np.meshgrid(np.arange(self.width, dtype=np.float32), np.arange(self.height, dtype=np.float32))
        f = self.focal_px
        return np.dstack([(gx + 0.5 - self.width / 2) / f, (gy + 0.5 - self.height / 2) / f, np.ones_like(gx)])

    def project(self, xyz: np.ndarray) -> np.ndarray:
        """Camera-frame points (mm) to pixel coordinates ``(..., 2)``."""
        f = self.focal_px
        return np.stack([f * xyz[..., 0] / xyz[..., 2] + self.width / 2 - 0.5,
                         f * xyz[..., 1] / xyz[..., 2] + self.height / 2 - 0.5], axis=-1)


@dataclass(frozen=True, eq=False)
class Surfaces:
    """Per-pixel maps of what the camera sees (``(H, W, ...)`` float32).

    ``skin`` marks live skin (for reporting and subsurface blur), ``emission``
    is radiance (cd/m², linear RGB) emitted by a display, else None.
    """

    xyz: np.ndarray
    normal: np.ndarray
    albedo: np.ndarray
    gloss: np.ndarray
    shininess: float
    skin: np.ndarray
    emission: np.ndarray | None = None


def room(optics: Optics, distance_mm: float, seed: int) -> Surfaces:
    """A matte painted wall facing the camera ``distance_mm`` away, with a picture frame or door edge on it."""
    rng = np.random.default_rng(seed)
    rays = optics.rays()
    xyz = rays * distance_mm
    normal = np.zeros_like(xyz)
    normal[..., 2] = -1.0
    paint = rng.uniform(0.25, 0.7) * np.array([1.0, rng.uniform(0.85, 1.05), rng.uniform(0.7, 1.05)])
    blotches = cv2.resize(rng.normal(1.0, 0.06, (6, 5)).astype(np.float32), (optics.width, optics.height), interpolation=cv2.INTER_CUBIC)
    albedo = np.ones((optics.height, optics.width, 3), np.float32) * paint * blotches[..., None]
    x0, y0 = int(rng.uniform(0, 0.8) * optics.width), int(rng.uniform(0, 0.5) * optics.height)
    cv2.rectangle(albedo, (x0, y0), (x0 + int(rng.uniform(60, 200)), y0 + int(rng.uniform(80, 300))),
                  tuple(float(v) for v in rng.uniform(0.05, 0.6, 3)), -1)
    zeros = np.zeros(rays.shape[:2], np.float32)
    return Surfaces(xyz, normal, albedo.astype(np.float32), zeros, 1.0, zeros.astype(bool))


def with_shoulders(behind: Surfaces, pose: HeadPose, optics: Optics, clothes: np.ndarray, neck: np.ndarray) -> Surfaces:
    """Neck and shoulders (a matte plane 120 mm behind the nose tip) below the head, in front of ``behind``."""
    depth = pose.distance_mm + 120.0
    rays = optics.rays()
    f = optics.focal_px
    x = rays[..., 0] * depth - (pose.offset_px[0]) * pose.distance_mm / f
    y = rays[..., 1] * depth - (pose.offset_px[1] - 0.04 * optics.height) * pose.distance_mm / f
    neck_mask = (np.abs(x) < 52) & (y > 40)
    body = ((x / 220) ** 2 + ((y - 330) / 200) ** 2 < 1) | ((y > 330) & (np.abs(x) < 220))
    pick = (neck_mask | body)[..., None]
    xyz = np.where(pick, rays * depth, behind.xyz)
    normal = np.where(pick, np.array([0, 0, -1.0], np.float32), behind.normal)
    albedo = np.where(neck_mask[..., None] & ~(body[..., None] & (y[..., None] > 150)), neck, np.where(pick, clothes, behind.albedo))
    return Surfaces(xyz.astype(np.float32), normal.astype(np.float32), albedo.astype(np.float32), behind.gloss,
                    behind.shininess, behind.skin)


@dataclass(frozen=True)
class HeadPose:
    """Where the head is: degrees (yaw > 0: the person's left), distance of the nose tip (mm), image offset (px)."""

    yaw_deg: float = 0.0
    pitch_deg: float = 0.0
    roll_deg: float = 0.0
    distance_mm: float = 350.0
    offset_px: tuple[float, float] = (0.0, 0.0)


def nose_position(pose: HeadPose, optics: Optics) -> np.ndarray:
    """Camera-frame position (mm) of the nose tip: on the image point the person aims for (a little above the middle)."""
    f = optics.focal_px
    aim = np.array([pose.offset_px[0], pose.offset_px[1] - 0.04 * optics.height])
    return np.array([aim[0] * pose.distance_mm / f, aim[1] * pose.distance_mm / f, pose.distance_mm])


def place_head(head: Head, pose: HeadPose, behind: Surfaces, optics: Optics) -> Surfaces:
    """The head posed in front of ``behind`` (a wall): a forward splat of the head's pixels with a depth buffer.

    Each head pixel is moved in 3-D and projected; the nearest wins each
    camera pixel. What is splatted is the *source coordinate*, so the textures
    are then resampled bilinearly (:func:`cv2.remap`) and pin-holes left by
    the splat are filled from their neighbours.
    """
    f = optics.focal_px
    origin = nose_position(pose, optics)
    r = rotation(pose.yaw_deg, pose.pitch_deg, pose.roll_deg).astype(np.float32)
    magnification = f * head.mm_per_px / pose.distance_mm
    gx, gy, local, local_normals = _head_points(head, round(float(np.clip(0.55 / magnification, 0.25, 1.0)), 2))
    cam = (local - PIVOT_MM) @ r.T + PIVOT_MM + origin
    pix = optics.project(cam)
    px, py = np.round(pix[:, 0]).astype(np.int64), np.round(pix[:, 1]).astype(np.int64)
    inside = (px >= 0) & (px < optics.width) & (py >= 0) & (py < optics.height) & (cam[:, 2] > 1)
    # Back-facing points cannot be seen (the camera is at the origin).
    normals = local_normals @ r.T
    inside &= np.einsum("ij,ij->i", normals, cam) < 0
    index = py[inside] * optics.width + px[inside]
    order = np.lexsort((cam[inside, 2], index))
    first = np.r_[True, index[order][1:] != index[order][:-1]]
    winners = order[first]
    size = optics.width * optics.height
    map_x, map_y = np.full(size, np.nan, np.float32), np.full(size, np.nan, np.float32)
    map_x[index[winners]], map_y[index[winners]] = gx[inside][winners], gy[inside][winners]
    map_x, map_y = _fill_holes(map_x.reshape(optics.height, -1)), _fill_holes(map_y.reshape(optics.height, -1))
    seen = np.isfinite(map_x)
    mx, my = np.nan_to_num(map_x, nan=-10), np.nan_to_num(map_y, nan=-10)
    xyz = (cv2.remap(head.xyz, mx, my, cv2.INTER_LINEAR) - PIVOT_MM) @ r.T + PIVOT_MM + origin
    normal = cv2.remap(head.normal, mx, my, cv2.INTER_LINEAR) @ r.T
    normal /= np.maximum(np.linalg.norm(normal, axis=2, keepdims=True), 1e-6)
    albedo = cv2.remap(head.albedo, mx, my, cv2.INTER_LINEAR)
    skin = cv2.remap(head.skin.astype(np.uint8), mx, my, cv2.INTER_NEAREST).astype(bool) & seen
    pick = seen[..., None]
    return Surfaces(
        np.where(pick, xyz, behind.xyz).astype(np.float32), np.where(pick, normal, behind.normal).astype(np.float32),
        np.where(pick, albedo, behind.albedo).astype(np.float32), np.where(seen, 0.0, behind.gloss).astype(np.float32),
        behind.shininess, skin,
    )


@lru_cache(maxsize=16)
def _head_points(head: Head, step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The head's pixels sampled every ``step`` source pixels: x, y, head-frame positions and normals."""
    ys, xs = np.nonzero(head.mask)
    gy, gx = np.mgrid[ys.min():ys.max() + 1:step, xs.min():xs.max() + 1:step].astype(np.float32)
    gx, gy = gx.ravel(), gy.ravel()
    keep = head.mask[gy.astype(int), gx.astype(int)]
    gx, gy = gx[keep], gy[keep]
    return gx, gy, _sample(head.xyz, gx, gy).astype(np.float32), _sample(head.normal, gx, gy).astype(np.float32)


def _sample(image: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``image`` at the points ``(x, y)``: ``(k, channels)`` (cv2.remap in rows of 1024)."""
    pad = (-len(x)) % 1024
    mx = np.concatenate([x, np.zeros(pad, np.float32)]).reshape(-1, 1024)
    my = np.concatenate([y, np.zeros(pad, np.float32)]).reshape(-1, 1024)
    out = cv2.remap(image, mx, my, cv2.INTER_LINEAR)
    return out.reshape(-1, image.shape[2])[: len(x)]


def _fill_holes(values: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Fill NaN pixels that have finite neighbours with their neighbours' mean (closes splat pin-holes)."""
    out = values.copy()
    for _ in range(rounds):
        finite = np.isfinite(out)
        total = cv2.boxFilter(np.where(finite, out, 0).astype(np.float32), -1, (3, 3), normalize=False)
        count = cv2.boxFilter(finite.astype(np.float32), -1, (3, 3), normalize=False)
        fill = ~finite & (count >= 5)
        out[fill] = total[fill] / count[fill]
    return out
