"""A virtual phone: a pinhole camera held over a real scene, rendering frames as captured.

Two scenes:

- :class:`FaceScene`: the front (selfie) camera looking at a real face photo
  (:func:`testkit.photos.load`) hung as a plane at the person's head;
- :class:`CardScene`: the back camera looking down at a flat ID-card texture
  (:func:`testkit.cards.render_card`) lying on a table, lit by a lamp
  whose reflection on the laminate shows up as glare where optics put it.

Coordinates (millimetres, degrees), in the person's own frame:
:class:`PhonePose` ``x_mm`` is to the person's right; ``y_mm`` is up (face
scene) or away from the person (card on a table: the phone's top edge points
away); ``distance_mm`` is from the lens to the plane. Frames are NOT mirrored:
the front camera sees the person's right on the image's left, the back camera
sees the person's right on the image's right. Rotations (``yaw``/``pitch``/
``roll``) turn the camera about its own axes.

Each render returns the frame and the :class:`Truth` (where the target really
is), computed from the geometry, so a benchmark can check that what was
captured really meets the capture criteria.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from barrierfree.errors import NotFound
from barrierfree.vision.frames import Frame

#: Portrait frame, as a phone held upright streams it (width, height) in pixels.
FRAME_SIZE = (480, 640)
#: Focal length over frame width: about 55° across the short side, like phone cameras.
FOCAL_FRACTION = 0.95
#: Exposure time of one frame, seconds (phones in indoor light run near 1/30 s).
EXPOSURE_S = 1 / 30
#: Width of an adult face (cheek to cheek), millimetres, to give a photo its real scale.
FACE_WIDTH_MM = 150.0
#: ID-1 card (ISO/IEC 7810), millimetres.
CARD_SIZE_MM = (85.6, 53.98)


@dataclass(frozen=True)
class PhonePose:
    """Where the virtual phone is (see the module docstring for the axes)."""

    x_mm: float = 0.0
    y_mm: float = 0.0
    distance_mm: float = 400.0
    yaw_deg: float = 0.0
    pitch_deg: float = 0.0
    roll_deg: float = 0.0


@dataclass(frozen=True)
class Truth:
    """Where the target really is in a rendered frame.

    ``center`` and ``size`` as the observations report them (centre over frame
    size; face width over frame width, or card area over frame area);
    ``corners`` the target's outline in pixels; ``inside`` whether all of it
    is in the frame; ``blur_px`` the motion-blur length; ``glare_on_target``
    whether the lamp's reflection falls on the card.
    """

    center: tuple[float, float]
    size: float
    corners: np.ndarray
    inside: bool
    blur_px: float
    glare_on_target: bool = False


def _rotation(pose: PhonePose) -> np.ndarray:
    y, p, r = (math.radians(a) for a in (pose.yaw_deg, pose.pitch_deg, pose.roll_deg))
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return rz @ rx @ ry


class _PlaneScene:
    """A textured plane photographed by a pinhole camera.

    ``x_sign`` says how the person's right maps to the camera's x axis for a
    plane point: +1 for the front camera facing the person, -1 for the back camera.
    """

    x_sign = 1.0

    def __init__(self, frame_size: tuple[int, int], focal_fraction: float) -> None:
        self.frame_size = frame_size
        self.focal_px = focal_fraction * frame_size[0]

    def project(self, points_mm: np.ndarray, pose: PhonePose) -> np.ndarray:
        """Plane points ``(N, 2)`` (mm, x right / y down on the texture, origin at the target centre) -> pixels."""
        width, height = self.frame_size
        camera = np.column_stack([points_mm[:, 0] + self.x_sign * pose.x_mm, points_mm[:, 1] + pose.y_mm,
                                  np.full(len(points_mm), pose.distance_mm)]) @ _rotation(pose).T
        z = np.maximum(camera[:, 2], 1.0)
        return np.column_stack([self.focal_px * camera[:, 0] / z + width / 2,
                                self.focal_px * camera[:, 1] / z + height / 2])

    def pose_at(self, cx: float, cy: float, distance_mm: float) -> PhonePose:
        """The (unrotated) pose that puts the target's centre at ``(cx, cy)`` of the frame."""
        width, height = self.frame_size
        x = (cx - 0.5) * width * distance_mm / self.focal_px
        y = (cy - 0.5) * height * distance_mm / self.focal_px
        return PhonePose(x_mm=self.x_sign * x, y_mm=y, distance_mm=distance_mm)

    def _warp(self, texture: np.ndarray, texture_mm: tuple[float, float, float, float], pose: PhonePose,
              backdrop: np.ndarray | float) -> np.ndarray:
        """Draw ``texture`` covering ``(left, top, right, bottom)`` mm of the plane over ``backdrop``."""
        left, top, right, bottom = texture_mm
        quad = self.project(np.array([[left, top], [right, top], [right, bottom], [left, bottom]]), pose)
        th, tw = texture.shape[:2]
        matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [tw, 0], [tw, th], [0, th]]), quad.astype(np.float32))
        size = self.frame_size
        if isinstance(backdrop, np.ndarray):
            warped = cv2.warpPerspective(texture, matrix, size, flags=cv2.INTER_AREA)
            mask = cv2.warpPerspective(np.full((th, tw), 255, np.uint8), matrix, size).astype(np.float32)[..., None] / 255
            return (backdrop * (1 - mask) + warped * mask).astype(np.uint8)
        return cv2.warpPerspective(texture, matrix, size, flags=cv2.INTER_AREA,
                                   borderMode=cv2.BORDER_CONSTANT, borderValue=(backdrop,) * 3)

    def _blur(self, frame: np.ndarray, velocity_mm_s: tuple[float, float], pose: PhonePose) -> tuple[np.ndarray, float]:
        """Motion blur of a phone moving at ``velocity_mm_s`` (x, y) during one exposure."""
        vx, vy = (self.focal_px * v / pose.distance_mm * EXPOSURE_S for v in velocity_mm_s)
        length = math.hypot(vx, vy)
        if length < 1.0:
            return frame, length
        size = int(math.ceil(length)) | 1
        kernel = np.zeros((size, size), np.float32)
        c = size // 2
        cv2.line(kernel, (int(round(c - vx / 2)), int(round(c - vy / 2))), (int(round(c + vx / 2)), int(round(c + vy / 2))), 1.0, 1)
        kernel /= kernel.sum()
        return cv2.filter2D(frame, -1, kernel), length

    def _truth(self, corners: np.ndarray, size: float, blur: float, glare: bool = False) -> Truth:
        width, height = self.frame_size
        center = corners.mean(axis=0)
        inside = bool(np.all((corners[:, 0] >= 0) & (corners[:, 0] <= width) & (corners[:, 1] >= 0) & (corners[:, 1] <= height)))
        return Truth((float(center[0] / width), float(center[1] / height)), float(size), corners, inside, blur, glare)


@lru_cache(maxsize=8)
def _face_in_photo(name: str) -> tuple[float, float, float]:
    """Centre (x, y) and width of the face in a real photo, pixels, from the face mesh (once per photo)."""
    from testkit.photos import load
    from barrierfree.vision.face.mesh import still_mesh

    faces = still_mesh().landmarks(load(name))
    if not faces:
        raise NotFound("no-face-in-photo", f"The photo {name!r} shows no face to build a scene on.")
    points = faces[0][:, :2]
    low, high = points.min(axis=0), points.max(axis=0)
    return float((low[0] + high[0]) / 2), float((low[1] + high[1]) / 2), float(high[0] - low[0])


class FaceScene(_PlaneScene):
    """The front camera looking at a real face photo (the person's head) from ``distance_mm``.

    >>> scene = FaceScene("astronaut")
    >>> frame, truth = scene.render(scene.pose_at(0.5, 0.45, 400))
    >>> frame.pixels.shape, [round(c, 2) for c in truth.center], truth.inside
    ((640, 480, 3), [0.5, 0.45], True)
    """

    x_sign = 1.0  # front camera: moving the phone to the person's right moves the face to the image's right

    def __init__(self, photo: str = "obama", frame_size: tuple[int, int] = FRAME_SIZE,
                 focal_fraction: float = FOCAL_FRACTION, wall: int = 120) -> None:
        from testkit.photos import load

        super().__init__(frame_size, focal_fraction)
        self.photo = load(photo)
        fx, fy, fw = _face_in_photo(photo)
        mm_per_px = FACE_WIDTH_MM / fw
        h, w = self.photo.shape[:2]
        self._extent = (-fx * mm_per_px, -fy * mm_per_px, (w - fx) * mm_per_px, (h - fy) * mm_per_px)
        self.wall = wall

    def render(self, pose: PhonePose, velocity_mm_s: tuple[float, float] = (0.0, 0.0),
               timestamp_s: float | None = None, light: float = 1.0) -> tuple[Frame, Truth]:
        frame = self._warp(self.photo, self._extent, pose, float(self.wall))
        if light != 1.0:
            frame = np.clip(frame.astype(np.float32) * light, 0, 255).astype(np.uint8)
        frame, blur = self._blur(frame, velocity_mm_s, pose)
        half = FACE_WIDTH_MM / 2
        corners = self.project(np.array([[-half, -half * 1.3], [half, -half * 1.3], [half, half * 1.3], [-half, half * 1.3]]), pose)
        width = (corners[:, 0].max() - corners[:, 0].min()) / self.frame_size[0]
        return Frame(frame, timestamp_s), self._truth(corners, width, blur)


class CardScene(_PlaneScene):
    """The back camera looking down at an ID card on a table, from ``distance_mm`` above it.

    ``lamp_mm`` is the lamp's (x right, y away, height) relative to the card's
    centre; its mirror image in the card's laminate is where glare appears.
    """

    x_sign = -1.0  # back camera: moving the phone right moves the card to the image's left

    def __init__(self, texture: np.ndarray, frame_size: tuple[int, int] = FRAME_SIZE,
                 focal_fraction: float = FOCAL_FRACTION, table: np.ndarray | None = None,
                 lamp_mm: tuple[float, float, float] | None = None, card_size_mm: tuple[float, float] = CARD_SIZE_MM) -> None:
        super().__init__(frame_size, focal_fraction)
        self.texture, self.card_size_mm, self.lamp_mm = texture, card_size_mm, lamp_mm
        width, height = frame_size
        self.table = table if table is not None else np.full((height, width, 3), (96, 72, 50), np.uint8)

    def glare_point_mm(self, pose: PhonePose) -> tuple[float, float] | None:
        """Where on the table (mm, x right / y towards the person, card centre at 0) the lamp's reflection is seen."""
        if self.lamp_mm is None:
            return None
        lx, ly, lz = self.lamp_mm
        # Camera at (x, away=y, h); the reflection point lies on the line to the lamp's mirror image (lx, ly, -lz).
        s = pose.distance_mm / (pose.distance_mm + lz)
        gx = pose.x_mm + s * (lx - pose.x_mm)
        g_away = pose.y_mm + s * (ly - pose.y_mm)
        return gx, -g_away

    def render(self, pose: PhonePose, velocity_mm_s: tuple[float, float] = (0.0, 0.0),
               timestamp_s: float | None = None, light: float = 1.0) -> tuple[Frame, Truth]:
        w, h = self.card_size_mm
        frame = self._warp(self.texture, (-w / 2, -h / 2, w / 2, h / 2), pose, self.table)
        # The room's light first, then the lamp's reflection: a specular highlight is far brighter
        # than the paper and blows the sensor out at any exposure the room leaves (painted first
        # and dimmed with the rest, it came out as a grey sheen at 0.6 x light: 164 against the
        # paper's 150, which no glare check sees, yet it wiped the text under it).
        if light != 1.0:
            frame = np.clip(frame.astype(np.float32) * light, 0, 255).astype(np.uint8)
        glare = self._add_glare(frame, pose)
        frame, blur = self._blur(frame, velocity_mm_s, pose)
        corners = self.project(np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]), pose)
        area = abs(cv2.contourArea(corners.astype(np.float32))) / (self.frame_size[0] * self.frame_size[1])
        return Frame(frame, timestamp_s), self._truth(corners, area, blur, glare)

    def _add_glare(self, frame: np.ndarray, pose: PhonePose) -> bool:
        """Paint the lamp's specular highlight (about 14 mm across on the laminate) if it falls on the card."""
        point = self.glare_point_mm(pose)
        if point is None:
            return False
        w, h = self.card_size_mm
        on_card = abs(point[0]) < w / 2 + 4 and abs(point[1]) < h / 2 + 4
        if not on_card:
            return False
        centre = self.project(np.array([point]), pose)[0]
        radius = self.focal_px * 7.0 / pose.distance_mm
        y, x = np.mgrid[0:frame.shape[0], 0:frame.shape[1]].astype(np.float32)
        spot = np.exp(-(((x - centre[0]) ** 2 + (y - centre[1]) ** 2) / (2 * radius**2)))
        frame[:] = np.clip(frame + 255 * 1.6 * spot[..., None], 0, 255).astype(np.uint8)
        return abs(point[0]) < w / 2 and abs(point[1]) < h / 2
