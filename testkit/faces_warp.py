"""A real portrait framed like a selfie and warped with its own face mesh (the sources and
geometry of :mod:`testkit.faces`).

The mesh's 3-D landmarks are rotated about the head centre (yaw, pitch), the jaw and lower lip
are lowered (mouth), the upper lids are pulled onto the lower lids (eyelids), and the image is
warped piecewise-affinely from the original landmarks to the moved ones (background anchored at
the frame edges).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from scipy.interpolate import LinearNDInterpolator

from testkit import photos
from barrierfree.vision.face.mesh import still_mesh


#: Selfie frame size (width, height): a phone front camera held upright.
FRAME_SIZE = (480, 640)

#: Lid contours of each eye, upper lid and the lower-lid point below each upper point.
_UPPER_LIDS = ((246, 161, 160, 159, 158, 157, 173), (466, 388, 387, 386, 385, 384, 398))
_LOWER_LIDS = ((7, 163, 144, 145, 153, 154, 155), (249, 390, 373, 374, 380, 381, 382))
_IRISES = (tuple(range(468, 473)), tuple(range(473, 478)))
_INNER_LIPS = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95)
_MOUTH_CORNERS = (61, 291)
_LOWER_LIP = (95, 88, 178, 87, 14, 317, 402, 318, 324, 146, 91, 181, 84, 17, 314, 405, 321, 375)


#: Grid step (pixels) at which warps and shading are interpolated before being resized to full size.
_GRID = 4


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True, eq=False)
class FaceSource:
    """A real photo framed as a selfie, with its mesh (``(478, 3)`` pixels)."""

    name: str
    rgb: np.ndarray
    landmarks: np.ndarray

    @property
    def face_width(self) -> float:
        return float(np.ptp(self.landmarks[:, 0]))


_SOURCES: dict[tuple[str, float], FaceSource] = {}


def prepare(name: str, face_width_fraction: float = 0.45, size: tuple[int, int] = FRAME_SIZE) -> FaceSource:
    """Frame the named photo so its face is ``face_width_fraction`` of the width, centred (cached)."""
    key = (name, face_width_fraction)
    if key not in _SOURCES:
        photo = photos.load(name)
        faces = still_mesh().landmarks(photo)
        if not faces:
            raise ValueError(f"no face found in photo {name!r}")
        points = max(faces, key=lambda f: float(np.ptp(f[:, 0])))
        scale = face_width_fraction * size[0] / float(np.ptp(points[:, 0]))
        centre = points[:, :2].mean(axis=0)
        # Put the face centre slightly above the frame centre, as people hold a phone.
        shift = np.array([size[0] / 2, size[1] * 0.45]) - centre * scale
        matrix = np.array([[scale, 0, shift[0]], [0, scale, shift[1]]], dtype=np.float64)
        rgb = cv2.warpAffine(photo, matrix, size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_CONSTANT,
                             borderValue=backdrop(photo))
        found = still_mesh().landmarks(rgb)
        if not found:
            raise ValueError(f"no face found in the framed photo {name!r}")
        _SOURCES[key] = FaceSource(name, rgb, max(found, key=lambda f: float(np.ptp(f[:, 0]))))
    return _SOURCES[key]


def backdrop(photo: np.ndarray) -> tuple[float, float, float]:
    """A plain wall the colour of the photo's edge (median of its border pixels): what lies beyond
    a tight crop is framed as a plain room, never as a mirrored copy of the photo (a reflected
    border put an upside-down second face under a cropped portrait's chin)."""
    edge = np.concatenate([photo[0], photo[-1], photo[:, 0], photo[:, -1]]).astype(np.float64)
    return tuple(float(v) for v in np.median(edge, axis=0))


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class FacePose:
    """What the head does in one frame: degrees (person's convention), openness 0..1."""

    yaw_deg: float = 0.0  # > 0: the head turns to the person's left (nose to the image right)
    pitch_deg: float = 0.0  # > 0: chin up
    mouth: float = 0.0  # 0 closed .. 1 wide open
    eyelids: float = 0.0  # 0 open .. 1 closed
    shift_px: tuple[float, float] = (0.0, 0.0)  # whole-head translation (hand shake)


def _rotation(yaw_deg: float, pitch_deg: float) -> np.ndarray:
    # Image axes (x right, y down, z away). Person's yaw left = nose to image right.
    y, p = math.radians(-yaw_deg), math.radians(-pitch_deg)
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    return ry @ rx


def posed_landmarks(source: FaceSource, pose: FacePose) -> np.ndarray:
    """The source's 3-D landmarks moved by ``pose`` (``(478, 3)`` pixels)."""
    points = source.landmarks.astype(np.float64).copy()
    width = source.face_width
    if pose.mouth > 0:
        c0, c1 = points[_MOUTH_CORNERS[0], :2], points[_MOUTH_CORNERS[1], :2]
        along = (c1 - c0) / np.linalg.norm(c1 - c0)
        down = np.array([-along[1], along[0]])  # perpendicular to the lip line, towards the chin
        rel = points[:, :2] - (c0 + c1) / 2
        below = np.clip(rel @ down / (0.08 * width), 0.0, 1.0)
        across = np.exp(-((rel @ along / (0.42 * width)) ** 2))
        weight = below * across
        weight[list(_LOWER_LIP)] = 1.0
        weight[list(_MOUTH_CORNERS)] = 0.0
        drop = pose.mouth * 0.35 * float(np.linalg.norm(c1 - c0))
        points[:, :2] += (drop * weight)[:, None] * down
    if pose.yaw_deg or pose.pitch_deg:
        centre = points[:468].mean(axis=0) + np.array([0.0, 0.0, 0.55 * width])
        points = (points - centre) @ _rotation(pose.yaw_deg, pose.pitch_deg).T + centre
    points[:, :2] += np.asarray(pose.shift_px)
    return points


def _face_oval() -> list[int]:
    import mediapipe as mp

    edges = list(mp.solutions.face_mesh.FACEMESH_FACE_OVAL)
    nxt = dict(edges)
    start = edges[0][0]
    loop = [start]
    while nxt[loop[-1]] != start:
        loop.append(nxt[loop[-1]])
    return loop


_OVAL = _face_oval()


def _anchors(source: FaceSource, posed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Extra (source, destination) points: frame border (fixed) and a halo that follows the head half-way."""
    height, width = source.rgb.shape[:2]
    border = []
    for t in np.linspace(0, 1, 9):
        border += [(t * (width - 1), 0), (t * (width - 1), height - 1), (0, t * (height - 1)), (width - 1, t * (height - 1))]
    border = np.array(border)
    oval_src = source.landmarks[_OVAL, :2].astype(np.float64)
    oval_dst = posed[_OVAL, :2]
    centre = oval_src.mean(axis=0)
    halo_src = centre + (oval_src - centre) * 1.45
    halo_dst = halo_src + 0.5 * (oval_dst.mean(axis=0) - centre)
    return np.vstack([border, halo_src]), np.vstack([border, halo_dst])


def _dense(points: np.ndarray, values: np.ndarray, width: int, height: int, fill: float, step: int = _GRID) -> np.ndarray:
    """Linear interpolation of per-point values over the frame (on a ``step``-pixel grid, then resized)."""
    gx, gy = np.meshgrid(np.arange(0, width + step, step), np.arange(0, height + step, step))
    sampled = LinearNDInterpolator(points, values, fill_value=fill)(gx, gy).astype(np.float32)
    full = cv2.resize(sampled, (gx.shape[1] * step, gx.shape[0] * step), interpolation=cv2.INTER_LINEAR)
    return full[:height, :width] if full.ndim == 2 else full[:height, :width, :]


def warp(source: FaceSource, pose: FacePose) -> tuple[np.ndarray, np.ndarray]:
    """The source photo with the head moved by ``pose``: (rgb, posed landmarks)."""
    posed = posed_landmarks(source, pose)
    height, width = source.rgb.shape[:2]
    extra_src, extra_dst = _anchors(source, posed)
    dst = np.vstack([posed[:, :2], extra_dst])
    src = np.vstack([source.landmarks[:, :2], extra_src])
    maps = _dense(dst, src, width, height, fill=-1.0)
    rgb = cv2.remap(source.rgb, maps[..., 0], maps[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if pose.mouth > 0.05:
        _paint_mouth(rgb, posed, pose.mouth)
    if pose.eyelids > 0.05:
        _paint_lids(rgb, posed, pose.eyelids)
    return rgb, posed


def _paint_lids(rgb: np.ndarray, posed: np.ndarray, amount: float) -> None:
    """Lower the upper lids: cover each eye opening with lid skin and a lash line."""
    for upper, lower in zip(_UPPER_LIDS, _LOWER_LIDS):
        up, low = posed[list(upper), :2], posed[list(lower), :2]
        opening = np.round(np.vstack([up, low[::-1]])).astype(np.int32)
        mask = np.zeros(rgb.shape[:2], np.uint8)
        cv2.fillPoly(mask, [opening], 255)
        mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
        # Lid skin looks like the skin just below the eye.
        height = float(np.ptp(opening[:, 1])) + 2
        below = np.round(low + [0, 0.8 * height]).astype(int)
        below[:, 0] = np.clip(below[:, 0], 0, rgb.shape[1] - 1)
        below[:, 1] = np.clip(below[:, 1], 0, rgb.shape[0] - 1)
        skin = np.median(rgb[below[:, 1], below[:, 0]].astype(np.float32), axis=0) * 0.92
        # The lid comes down from the top: the covered part grows with ``amount``.
        lid_edge = up + min(1.0, amount) * (low - up) * 0.92
        covered = np.zeros_like(mask)
        cv2.fillPoly(covered, [np.round(np.vstack([up - [0, 2], lid_edge[::-1]])).astype(np.int32)], 255)
        covered = cv2.GaussianBlur(np.minimum(covered, mask), (3, 3), 0).astype(np.float32)[..., None] / 255.0
        rgb[:] = (rgb * (1 - covered) + skin * covered).astype(np.uint8)
        if amount > 0.6:
            cv2.polylines(rgb, [np.round(lid_edge).astype(np.int32)], False, (60, 45, 40), 1, cv2.LINE_AA)


def _paint_mouth(rgb: np.ndarray, posed: np.ndarray, amount: float) -> None:
    """Fill the gap between the inner lips with the dark of an open mouth."""
    polygon = np.round(posed[list(_INNER_LIPS), :2]).astype(np.int32)
    mask = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(mask, [polygon], 255)
    mask = cv2.GaussianBlur(mask, (5, 5), 0).astype(np.float32)[..., None] / 255.0 * min(1.0, amount * 1.5)
    dark = np.array([55, 22, 24], np.float32)
    rgb[:] = (rgb * (1 - mask) + dark * mask).astype(np.uint8)
