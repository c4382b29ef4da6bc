"""A real photo turned into a 3-D head (a depth map in millimetres) and posed in front of a camera.

The face's shape comes from mediapipe's mesh of the photo (its relative depth,
rescaled to adult anthropometry: about 140 mm between the cheek sides and
about 95 mm from the nose tip back to them); beyond the face oval the head
continues as an ellipsoid fitted to the oval, so that a turned head shows a
rounded silhouette, hair and the side of the face, not a stretched picture.
Everything outside the head is replaced (see :mod:`.scene`): shoulders a
little behind the face and a wall further back.

This module is part of the independent light model: it does not import the
code it evaluates (no ``barrierfree.vision``), and its constants come from
anthropometry and optics, not from the verifier.

Coordinates: camera frame in millimetres, X right, Y down, Z away from the camera.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from scipy.interpolate import LinearNDInterpolator

from testkit import photos

#: Breadth between the cheek sides by the ears (mesh points 234 and 454), adult mean, mm.
FACE_BREADTH_MM = 140.0
#: Depth from the nose tip back to those points (nose tip to pre-auricular plane), mm.
FACE_DEPTH_MM = 95.0
#: The photo is rescaled so the face breadth is this many pixels (enough detail at 25 cm).
_SOURCE_FACE_PX = 300.0
_NOSE, _CHEEKS = 1, (234, 454)
_EYES = ((33, 133, 159, 145, 160, 144, 158, 153), (263, 362, 386, 374, 387, 373, 385, 380))


@dataclass(frozen=True, eq=False)
class Head:
    """One person's head as maps over a source image (all ``(h, w, ...)`` float32 unless said).

    ``albedo``: linear RGB 0..1 (the photo as lit when taken, linearised);
    ``xyz``: head-frame position in mm (origin at the nose tip, Z away from the camera);
    ``normal``: unit surface normal in the head frame (pointing out of the head);
    ``mask``: bool, pixels that belong to the head; ``skin``: bool, the face oval;
    ``eyes``: ``(2, 2)`` centres of the eyes in source pixels; ``mm_per_px``: scale.
    """

    name: str
    albedo: np.ndarray
    xyz: np.ndarray
    normal: np.ndarray
    mask: np.ndarray
    skin: np.ndarray
    eyes: np.ndarray
    mm_per_px: float


def srgb_decode(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 to linear 0..1 (the photos are sRGB JPEGs)."""
    c = np.asarray(rgb, np.float32) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def _mesh(rgb: np.ndarray) -> np.ndarray:
    """The largest face's 478 landmarks (x, y pixels; z pixels, negative towards the camera)."""
    import mediapipe as mp

    with mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=2, refine_landmarks=True) as mesh:
        result = mesh.process(np.ascontiguousarray(rgb))
    if not result.multi_face_landmarks:
        raise ValueError("no face in the photo")
    height, width = rgb.shape[:2]
    faces = [np.array([(p.x * width, p.y * height, p.z * width) for p in f.landmark]) for f in result.multi_face_landmarks]
    return max(faces, key=lambda f: float(np.ptp(f[:, 0])))


def _oval() -> list[int]:
    import mediapipe as mp

    edges = dict(mp.solutions.face_mesh.FACEMESH_FACE_OVAL)
    loop = [next(iter(edges))]
    while edges[loop[-1]] != loop[0]:
        loop.append(edges[loop[-1]])
    return loop


@cache
def load_head(name: str, hair: float = 1.2) -> Head:
    """Build (once per photo) the 3-D head of the named photo; ``hair`` widens the head beyond the face oval."""
    photo = photos.load(name)
    first = _mesh(photo)
    scale = _SOURCE_FACE_PX / float(np.linalg.norm(first[_CHEEKS[0], :2] - first[_CHEEKS[1], :2]))
    rgb = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    points = _mesh(rgb)
    height, width = rgb.shape[:2]
    mm = FACE_BREADTH_MM / float(np.linalg.norm(points[_CHEEKS[0], :2] - points[_CHEEKS[1], :2]))
    z = points[:468, 2] - points[_NOSE, 2]
    depth_scale = FACE_DEPTH_MM / max(float(np.mean(z[list(_CHEEKS)])), 1e-6)
    face_z = z * depth_scale  # mm behind the nose tip

    oval = points[_oval(), :2]
    centre = oval.mean(axis=0)
    half = 0.5 * np.array([np.ptp(oval[:, 0]), np.ptp(oval[:, 1])])
    gx, gy = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    # The head region: a little wider than the face (hair, ears), from the chin to above the hairline.
    rho_mask = np.sqrt(((gx - centre[0]) / (half[0] * hair)) ** 2 + ((gy - centre[1]) / (half[1] * 1.22)) ** 2)
    mask = rho_mask < 1.0
    # Beyond the oval the head is an ellipsoid z = zc - c sqrt(1 - (x/a)^2 - (y/b)^2), fitted to the
    # oval's own depths (deep at the cheek sides, shallow at the hairline and chin) so the two meet.
    a, b = half[0] * hair * 1.02, half[1] * 1.9

    def radius(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.sqrt(((x - centre[0]) / a) ** 2 + ((y - centre[1]) / b) ** 2)

    ring = np.sqrt(np.clip(1 - radius(oval[:, 0], oval[:, 1]) ** 2, 0, 1))
    zc, c = np.linalg.lstsq(np.column_stack([np.ones(len(oval)), -ring]), face_z[_oval()], rcond=None)[0]
    ellipsoid = zc - max(float(c), 20.0) * np.sqrt(np.clip(1 - radius(gx, gy) ** 2, 1e-3, 1))
    inside = LinearNDInterpolator(points[:468, :2], face_z, fill_value=np.nan)(gx, gy).astype(np.float32)
    skin = np.isfinite(inside)
    # Blend the mesh into the ellipsoid over the outer rim of the oval.
    rim = cv2.distanceTransform(skin.astype(np.uint8), cv2.DIST_L2, 5) / (0.04 * _SOURCE_FACE_PX)
    weight = np.clip(rim, 0, 1)
    depth = np.where(skin, weight * np.nan_to_num(inside) + (1 - weight) * ellipsoid, ellipsoid).astype(np.float32)
    depth = cv2.GaussianBlur(depth, (0, 0), 2.0 / mm)
    dz_dy, dz_dx = np.gradient(depth)
    normal = np.dstack([dz_dx / mm, dz_dy / mm, -np.ones_like(depth)])
    normal /= np.linalg.norm(normal, axis=2, keepdims=True)
    nose = points[_NOSE, :2]
    xyz = np.dstack([(gx - nose[0]) * mm, (gy - nose[1]) * mm, depth]).astype(np.float32)
    eyes = np.array([points[list(e), :2].mean(axis=0) for e in _EYES], np.float32)
    return Head(name, srgb_decode(rgb), xyz, normal.astype(np.float32), mask, skin & mask, eyes, mm)


def rotation(yaw_deg: float, pitch_deg: float, roll_deg: float = 0.0) -> np.ndarray:
    """Head rotation in camera axes: yaw > 0 turns the nose to the image right (the person's left), pitch > 0 chin up."""
    y, p, r = (math.radians(a) for a in (yaw_deg, pitch_deg, roll_deg))
    ry = np.array([[math.cos(y), 0, -math.sin(y)], [0, 1, 0], [math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), math.sin(p)], [0, -math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return ry @ rx @ rz


#: Rotation centre of the head, in the head frame (mm): behind the nose, about the middle of the skull.
PIVOT_MM = np.array([0.0, 20.0, 100.0])
