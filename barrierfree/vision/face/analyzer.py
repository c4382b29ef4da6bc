"""Per-frame face facts for one camera stream: :class:`FaceAnalyzer`.

One analyzer per stream (it owns a mediapipe face mesh in video mode, which
tracks the face between frames and so is cheaper than detecting every frame).
:meth:`FaceAnalyzer.observe` turns a frame into a :class:`FaceObservation`:

- geometry in the frame as captured (pixels, origin top-left, not mirrored);
- head pose from :func:`cv2.solvePnP` of six landmarks against a generic 3-D
  head (millimetres), with a pinhole camera whose focal length is the frame
  width — phone front cameras are 60-75° wide, so that is within a few
  degrees, and the angles only need to steer guidance and liveness;
- eye openness (lid gap over eye width) and mouth openness (lip gap over mouth
  width), which are scale-free;
- sharpness (variance of the Laplacian) and exposure (mean luma) measured on
  the face box only, downscaled to at most 128 px wide so the cost does not grow
  with the face.

The cost beyond mediapipe's own is kept small (vectorised landmark
conversion, one PnP on six points, one small crop): ``benchmarks/face.py``
prints the ratio.
"""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np

from barrierfree.vision.face import mesh as face_mesh
from barrierfree.vision.face.observation import FaceObservation
from barrierfree.vision.frames import Frame

#: Landmark indices of the refined mediapipe mesh (image left = the person's right).
NOSE_TIP, CHIN = 1, 152
RIGHT_EYE_OUTER, RIGHT_EYE_INNER, RIGHT_EYE_UPPER, RIGHT_EYE_LOWER = 33, 133, 159, 145
LEFT_EYE_OUTER, LEFT_EYE_INNER, LEFT_EYE_UPPER, LEFT_EYE_LOWER = 263, 362, 386, 374
MOUTH_RIGHT, MOUTH_LEFT, LIP_UPPER_INNER, LIP_LOWER_INNER = 61, 291, 13, 14

#: The canonical face: 14 mesh landmarks in millimetres in the head's own frame
#: (x to the image right, y down, z away from the camera, nose tip at the origin,
#: outer eye corners 90 mm apart, chin-to-forehead line vertical). It is the
#: mean, made left-right symmetric, of mediapipe's own 3-D mesh on the five
#: real portraits of :mod:`testkit.photos`, each expressed in its
#: eye-line / chin-forehead frame; so "pitch 0" means that line is upright.
_CANONICAL = {
    1: (0.0, 0.0, 0.0),  # nose tip
    4: (0.0, -6.8, -1.7),
    168: (0.0, -42.5, 25.4),  # between the eyes
    10: (0.0, -90.1, 34.6),  # top of the forehead
    199: (0.0, 69.6, 25.5),
    152: (0.0, 82.8, 34.6),  # chin
    33: (-45.0, -36.6, 48.2),  # the person's right eye, outer corner (image left)
    263: (45.0, -36.6, 48.2),
    133: (-17.7, -35.7, 43.0),
    362: (17.7, -35.7, 43.0),
    61: (-31.0, 29.8, 39.3),  # mouth corners
    291: (31.0, 29.8, 39.3),
    234: (-71.5, -14.4, 102.4),  # cheek sides by the ears
    454: (71.5, -14.4, 102.4),
}
_PNP_LANDMARKS = tuple(_CANONICAL)
_MODEL_POINTS = np.array([_CANONICAL[i] for i in _PNP_LANDMARKS], dtype=np.float64)
#: How far (pixels) a landmark may lie outside the frame before the face counts as cut there.
_CUT_MARGIN_PX = 1.0
#: Signs that turn camera-axis angles into the person's own convention (pinned by tests).
_YAW_SIGN, _PITCH_SIGN, _ROLL_SIGN = -1.0, -1.0, 1.0
_QUALITY_WIDTH_PX = 128


def head_pose(landmarks: np.ndarray, width: int, height: int) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees, signs as in :class:`FaceObservation`.

    Yaw > 0 when the head turns to the person's left (the nose moves to the
    image right in an unmirrored frame); pitch > 0 chin up; roll > 0 towards
    the person's left shoulder.
    """
    image_points = landmarks[list(_PNP_LANDMARKS), :2].astype(np.float64)
    focal = float(width)
    camera = np.array([[focal, 0, width / 2], [0, focal, height / 2], [0, 0, 1]], dtype=np.float64)
    ok, rvec, _ = cv2.solvePnP(_MODEL_POINTS, image_points, camera, None, flags=cv2.SOLVEPNP_SQPNP)
    if not ok:
        return 0.0, 0.0, 0.0
    rotation, _ = cv2.Rodrigues(rvec)
    # Camera axes: x right, y down, z away; rotation = R_yaw(y) @ R_pitch(x) @ R_roll(z).
    pitch = math.degrees(math.asin(max(-1.0, min(1.0, -float(rotation[1, 2])))))
    yaw = math.degrees(math.atan2(float(rotation[0, 2]), float(rotation[2, 2])))
    roll = math.degrees(math.atan2(float(rotation[1, 0]), float(rotation[1, 1])))
    return _YAW_SIGN * yaw, _PITCH_SIGN * pitch, _ROLL_SIGN * roll


def openness(landmarks: np.ndarray) -> tuple[float, float, float]:
    """(left eye, right eye, mouth) openness ratios; left/right are the person's own."""
    def ratio(a: int, b: int, c: int, d: int) -> float:
        gap = float(np.linalg.norm(landmarks[a, :2] - landmarks[b, :2]))
        span = float(np.linalg.norm(landmarks[c, :2] - landmarks[d, :2]))
        return gap / span if span > 1e-6 else 0.0

    left = ratio(LEFT_EYE_UPPER, LEFT_EYE_LOWER, LEFT_EYE_OUTER, LEFT_EYE_INNER)
    right = ratio(RIGHT_EYE_UPPER, RIGHT_EYE_LOWER, RIGHT_EYE_OUTER, RIGHT_EYE_INNER)
    mouth = ratio(LIP_UPPER_INNER, LIP_LOWER_INNER, MOUTH_RIGHT, MOUTH_LEFT)
    return left, right, mouth


def face_quality(rgb: np.ndarray, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """(sharpness, exposure) on the face box: Laplacian variance (0..255 grey) and mean luma (0..1)."""
    height, width = rgb.shape[:2]
    x, y, w, h = box
    x0, y0 = max(int(x), 0), max(int(y), 0)
    x1, y1 = min(int(math.ceil(x + w)), width), min(int(math.ceil(y + h)), height)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return 0.0, 0.0
    crop = rgb[y0:y1, x0:x1]
    if crop.shape[1] > _QUALITY_WIDTH_PX:
        scale = _QUALITY_WIDTH_PX / crop.shape[1]
        crop = cv2.resize(crop, (_QUALITY_WIDTH_PX, max(4, int(crop.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    sharpness = float(cv2.Laplacian(grey, cv2.CV_32F).var())
    return sharpness, float(grey.mean()) / 255.0


def _landmarks(result: Any, width: int, height: int) -> list[np.ndarray]:
    """Like :func:`mesh.landmarks_from_result` but without a Python loop per point (hot path)."""
    faces = result.multi_face_landmarks or []
    if not faces:
        return []
    scale = np.array([width, height, width], dtype=np.float32)
    out = []
    for face in faces:
        flat = np.fromiter(
            (value for p in face.landmark for value in (p.x, p.y, p.z)), dtype=np.float32, count=len(face.landmark) * 3
        )
        out.append(flat.reshape(-1, 3) * scale)
    return out


def observation_from_landmarks(
    rgb: np.ndarray, faces: list[np.ndarray], timestamp_s: float | None = None
) -> FaceObservation:
    """Build the observation from already-found landmarks (the largest face is described)."""
    height, width = rgb.shape[:2]
    if not faces:
        return FaceObservation(face_count=0, frame_size=(width, height), timestamp_s=timestamp_s)
    points = max(faces, key=lambda f: float(np.ptp(f[:, 0])))
    x0, y0 = float(points[:, 0].min()), float(points[:, 1].min())
    x1, y1 = float(points[:, 0].max()), float(points[:, 1].max())
    box = (x0, y0, x1 - x0, y1 - y0)
    cut = set()
    if x0 < -_CUT_MARGIN_PX:
        cut.add("left")
    if y0 < -_CUT_MARGIN_PX:
        cut.add("top")
    if x1 > width - 1 + _CUT_MARGIN_PX:
        cut.add("right")
    if y1 > height - 1 + _CUT_MARGIN_PX:
        cut.add("bottom")
    yaw, pitch, roll = head_pose(points, width, height)
    left, right, mouth = openness(points)
    sharpness, exposure = face_quality(rgb, box)
    return FaceObservation(
        face_count=len(faces),
        frame_size=(width, height),
        timestamp_s=timestamp_s,
        box=box,
        landmarks=points,
        yaw_deg=yaw,
        pitch_deg=pitch,
        roll_deg=roll,
        left_eye_openness=left,
        right_eye_openness=right,
        mouth_openness=mouth,
        size_fraction=(x1 - x0) / width,
        center=((x0 + x1) / 2 / width, (y0 + y1) / 2 / height),
        cut_edges=frozenset(cut),
        sharpness=sharpness,
        exposure=exposure,
        all_boxes=tuple(_box(f) for f in faces),
    )


def _box(points: np.ndarray) -> tuple[float, float, float, float]:
    x0, y0 = float(points[:, 0].min()), float(points[:, 1].min())
    return (x0, y0, float(points[:, 0].max()) - x0, float(points[:, 1].max()) - y0)


class FaceAnalyzer:
    """Observes the face in each frame of ONE stream (not thread-safe; make one per stream).

    >>> from testkit.photos import load
    >>> with FaceAnalyzer() as analyzer:
    ...     seen = analyzer.observe(load("astronaut"))
    >>> seen.face_count, seen.landmarks.shape
    (1, (478, 3))
    """

    def __init__(self, max_faces: int = 2) -> None:
        # Two faces are looked for so that "two people in the picture" can be reported.
        self._mesh = face_mesh.new_video_mesh(max_faces=max_faces)

    def observe(self, frame: Frame | np.ndarray, timestamp_s: float | None = None) -> FaceObservation:
        """The face facts of one frame (RGB uint8); frames must come in capture order."""
        if isinstance(frame, Frame):
            rgb, timestamp_s = frame.pixels, frame.timestamp_s if timestamp_s is None else timestamp_s
        else:
            rgb = frame
        rgb = np.ascontiguousarray(rgb)
        height, width = rgb.shape[:2]
        result = self._mesh.process(rgb)
        return observation_from_landmarks(rgb, _landmarks(result, width, height), timestamp_s)

    def close(self) -> None:
        self._mesh.close()

    def __enter__(self) -> FaceAnalyzer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
