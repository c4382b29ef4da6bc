"""The scenes the virtual phone films, easy (the first model's) or hard (the new ones').

Hard scenes add what a phone camera really delivers: the light changes (a slow swell
and, now and then, a step: a cloud, a lamp switched, a shadow of the arm), sensor
noise that grows in dim light, and JPEG at the SDK's quality (70 for streamed frames,
92 for the capture still). Faces are :class:`HeadScene`: five people (the photos
with a face mesh: Collins, Hopper, Obama, Biden, Hanks), re-posed in 3-D from their
face mesh (:func:`testkit.faces.warp`) so a phone held off to a side or low
sees the head from that side (parallax), with the head's own small turns and the
person's own head pose (:mod:`.head`: turned or bowed at rest, turned towards the
phone when told to look at it).

The capture still is the same scene rendered at the still's size
(:data:`STILL_SIZE`: the SDK grabs ``captureWidth`` 1280 of a 720 × 1280 portrait
stream, here 720 wide at the frames' 3:4).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from barrierfree.vision.face.analyzer import head_pose as mesh_pose
from testkit import faces, faces_warp
from testkit.blind_users.head import Head
from testkit.scenes import FACE_WIDTH_MM, CardScene, FaceScene, PhonePose, Truth
from barrierfree.vision.frames import Frame

#: The capture still's size (width, height), pixels.
STILL_SIZE = (720, 960)
#: Faces of the hard scenes: five people (three of the easy scene's five photos are one man).
HARD_PEOPLE = ("astronaut", "hopper", "obama", "biden", "hanks")
EASY_PHOTOS = ("obama", "biden", "astronaut", "obama2", "obama3")
#: Head poses are rendered on a grid of this many degrees (each once per scene).
POSE_STEP_DEG = 6.0
#: Largest head turn and nod rendered, degrees (the Hanks photo, taken 23° turned and 25° bowed,
#: needs about 30° and 45° of warp to face the lens).
MAX_RENDER_YAW_DEG, MAX_RENDER_PITCH_DEG = 40.0, 50.0


@dataclass(frozen=True)
class Light:
    """One session's light: a base level, a slow swell and steps at given times (level ×)."""

    base: float = 1.0
    swell: float = 0.0
    period_s: float = 9.0
    steps: tuple[tuple[float, float], ...] = ()

    def at(self, t: float) -> float:
        level = self.base * (1 + self.swell * math.sin(2 * math.pi * t / self.period_s))
        for when, factor in self.steps:
            if t >= when:
                level *= factor
        return level

    @classmethod
    def draw(cls, rng: np.random.Generator) -> Light:
        steps = tuple((float(rng.uniform(2, 55)), float(rng.uniform(0.6, 1.3))) for _ in range(rng.poisson(1.2)))
        return cls(float(rng.uniform(0.55, 1.15)), float(rng.uniform(0.0, 0.15)), float(rng.uniform(5, 15)), tuple(sorted(steps)))


def finish(rgb: np.ndarray, light: float, quality: int | None, rng: np.random.Generator | None) -> np.ndarray:
    """Sensor noise (stronger in dim light) and JPEG at ``quality`` (``None``: no noise, no JPEG)."""
    if quality is None or rng is None:
        return rgb
    sigma = 1.5 + 4.0 * max(0.0, 1.0 - light)
    noise = np.empty(rgb.shape, np.int16)
    cv2.setRNGSeed(int(rng.integers(0, 2**31 - 1)))
    cv2.randn(noise, 0.0, sigma)
    out = np.clip(rgb.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return np.ascontiguousarray(cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB))


class HeadScene(FaceScene):
    """The front camera looking at a real head re-posed in 3-D (see the module docstring)."""

    def __init__(self, person: str, frame_size: tuple[int, int] = (480, 640), head_wobble_deg: float = 3.0,
                 seed: int = 0, head: Head | None = None) -> None:
        super(FaceScene, self).__init__(frame_size, 0.95)
        source = faces.prepare(person)
        points = source.landmarks[:, :2]
        fx, fy = (points.min(axis=0) + points.max(axis=0)) / 2
        mm_per_px = FACE_WIDTH_MM / source.face_width
        h, w = source.rgb.shape[:2]
        self.source, self._extent, self.wall = source, (-fx * mm_per_px, -fy * mm_per_px, (w - fx) * mm_per_px,
                                                        (h - fy) * mm_per_px), 120
        self.head_wobble_deg, self.phase = head_wobble_deg, np.random.default_rng(seed).uniform(0, 2 * math.pi, 2)
        self.photo = source.rgb
        self.head = head or Head()

    @staticmethod
    def view(pose: PhonePose) -> np.ndarray:
        """The warp (yaw, pitch degrees) that shows the head from where the phone is (parallax)."""
        return np.array([math.degrees(math.atan2(pose.x_mm, pose.distance_mm)),
                         -math.degrees(math.atan2(pose.y_mm, pose.distance_mm))])

    def head_pose(self, pose: PhonePose, t: float) -> tuple[float, float]:
        """The head as the camera sees it (yaw, pitch degrees, on the grid): the view angle, the
        person's own head pose (:mod:`.head`) and the head's small turns."""
        wobble = self.head_wobble_deg * np.sin(np.array([0.9, 0.6]) * t + self.phase)
        yaw, pitch = self.view(pose) + self.head.own(t) + wobble
        return (float(np.clip(round(yaw / POSE_STEP_DEG) * POSE_STEP_DEG, -MAX_RENDER_YAW_DEG, MAX_RENDER_YAW_DEG)),
                float(np.clip(round(pitch / POSE_STEP_DEG) * POSE_STEP_DEG, -MAX_RENDER_PITCH_DEG, MAX_RENDER_PITCH_DEG)))

    def seen_pose(self, pose: PhonePose, t: float) -> tuple[float, float]:
        """The head's true pose to the camera (yaw, pitch degrees, the person's convention): that of the
        rendered 3-D mesh, the photo's own pose included (the renderer's truth, not a detector's reading)."""
        return _mesh_pose(self.source, *self.head_pose(pose, t))

    def face_phone(self, t: float, pose: PhonePose, miss_deg: np.ndarray) -> None:
        """The person turns the head from ``t`` to face the phone at ``pose``, missing by ``miss_deg`` (yaw, pitch)."""
        self.head.turn_to(t, _warp_for(self.source, tuple(float(m) for m in miss_deg)) - self.view(pose))

    def render(self, pose: PhonePose, velocity_mm_s: tuple[float, float] = (0.0, 0.0),
               timestamp_s: float | None = None, light: float = 1.0) -> tuple[Frame, Truth]:
        self.photo = _posed(self.source, *self.head_pose(pose, timestamp_s or 0.0))
        return super().render(pose, velocity_mm_s, timestamp_s, light)


#: Grid of the re-posing warp, pixels (the face module's 4 px grid costs 0.3 s a pose; 16 px looks
#: the same at phone-frame sizes and costs a tenth).
WARP_GRID_PX = 16


@lru_cache(maxsize=1024)
def _posed(source: faces.FaceSource, yaw: float, pitch: float) -> np.ndarray:
    """The source's head turned by (yaw, pitch) degrees, warped from its 3-D face mesh."""
    if yaw == 0 and pitch == 0:
        return source.rgb
    posed = faces.posed_landmarks(source, faces.FacePose(yaw_deg=yaw, pitch_deg=pitch))
    height, width = source.rgb.shape[:2]
    extra_src, extra_dst = faces_warp._anchors(source, posed)
    dst = np.vstack([posed[:, :2], extra_dst])
    src = np.vstack([source.landmarks[:, :2], extra_src])
    maps = faces_warp._dense(dst, src, width, height, fill=-1.0, step=WARP_GRID_PX)
    return cv2.remap(source.rgb, maps[..., 0], maps[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


@lru_cache(maxsize=64)
def _mesh_pose(source: faces.FaceSource, yaw: float, pitch: float) -> tuple[float, float]:
    height, width = source.rgb.shape[:2]
    seen = mesh_pose(faces.posed_landmarks(source, faces.FacePose(yaw_deg=yaw, pitch_deg=pitch)), width, height)
    return seen[0], seen[1]


@lru_cache(maxsize=256)
def _warp_for(source: faces.FaceSource, seen: tuple[float, float]) -> np.ndarray:
    """The warp (yaw, pitch degrees) whose mesh is seen at ``seen``: an affine fit of the mesh's pose
    over the warp, inverted (the photo's own pose is its offset; the mesh turns about 0.7° a degree of yaw)."""
    grid = [(y, p) for y in (-24.0, 0.0, 24.0) for p in (-24.0, 0.0, 24.0, 48.0)]
    a = np.array([[y, p, 1.0] for y, p in grid])
    b = np.array([_mesh_pose(source, y, p) for y, p in grid])
    fit = np.linalg.lstsq(a, b, rcond=None)[0]  # seen = [warp, 1] @ fit
    return np.linalg.solve(fit[:2].T, np.asarray(seen) - fit[2])


def at_size(scene: FaceScene | CardScene, size: tuple[int, int]) -> FaceScene | CardScene:
    """The same scene filmed at another frame size (the same field of view): the capture still's camera."""
    bigger = copy.copy(scene)
    bigger.frame_size = size
    bigger.focal_px = scene.focal_px * size[0] / scene.frame_size[0]
    if isinstance(scene, CardScene):
        bigger.table = cv2.resize(scene.table, size, interpolation=cv2.INTER_LINEAR)
    return bigger
