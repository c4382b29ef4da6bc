"""1:1 face verification: is the selfie the same person as the ID-card portrait?

Engine: dlib's ResNet face descriptor (128-d, trained with a metric loss so
that the Euclidean distance between two faces of one person is usually below
0.6), with weights shipped by ``face-recognition-models==0.3.0`` (CC0 model
files, dlib is Boost-licensed) and run by ``dlib-bin``. Alignment uses dlib's
*5-point* shape predictor (eye corners and the base of the nose; its training
data has no commercial-use restriction, unlike the 68-point one's).

Detection uses the mediapipe face mesh (:func:`~barrierfree.vision.face.mesh.still_mesh`)
rather than dlib's HOG detector: it is faster on large photos and finds
turned faces. The mesh's box is turned into the square box dlib's detector
would have drawn (the 5-point predictor was trained on those), and the
predictor places the five points within it.

``similarity`` is ``1 - distance`` and ``threshold`` is ``1 - match_max_distance``
(0.4 by default), so larger means more alike, as callers expect.

>>> from barrierfree.synth.photos import load
>>> result = match(load("obama"), load("obama2"))
>>> result.same_person, result.similarity > result.threshold
(True, True)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

from barrierfree.errors import BadInput, EngineUnavailable
from barrierfree.settings.face import FaceSettings
from barrierfree.vision.face.mesh import still_mesh

#: Photos are searched for faces at most this many pixels on their long side.
DETECT_MAX_SIDE = 1280
#: Faces narrower than this (pixels, in the photo) are too small to compare.
MIN_FACE_PX = 40


@dataclass(frozen=True)
class MatchResult:
    """The decision and the figures behind it (similarity = 1 - embedding distance)."""

    same_person: bool
    similarity: float
    threshold: float

    @property
    def distance(self) -> float:
        return 1.0 - self.similarity

    def to_dict(self) -> dict[str, Any]:
        return {"same_person": self.same_person, "similarity": round(self.similarity, 4),
                "threshold": round(self.threshold, 4), "distance": round(self.distance, 4),
                "engine": "dlib-resnet-v1 (5-point alignment)"}


class _Models:
    """dlib's 5-point predictor and ResNet, loaded once per process."""

    def __init__(self) -> None:
        try:
            import dlib
            import face_recognition_models as weights
        except ImportError as error:  # pragma: no cover - depends on the install
            raise EngineUnavailable("face-match-engine-missing", f"dlib or its models cannot be imported ({error}); run scripts/setup.") from None
        self.dlib = dlib
        self.predictor = dlib.shape_predictor(weights.pose_predictor_five_point_model_location())
        self.encoder = dlib.face_recognition_model_v1(weights.face_recognition_model_location())
        self.lock = threading.Lock()


@lru_cache(maxsize=1)
def _models() -> _Models:
    return _Models()


def _largest_face_box(rgb: np.ndarray, role: str) -> tuple[float, float, float, float]:
    """The largest face's square, dlib-detector-like box (x0, y0, x1, y1) in the photo's pixels."""
    scale = min(1.0, DETECT_MAX_SIDE / max(rgb.shape[:2]))
    small = rgb if scale == 1.0 else cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    faces = still_mesh().landmarks(small)
    if not faces:
        raise BadInput(f"no-face-in-{role}", f"No face was found in the {role}; use a photo where the whole face is visible.")
    points = max(faces, key=lambda f: float(np.ptp(f[:, 0]))) / scale
    return _dlib_box(points, role)


def _dlib_box(points: np.ndarray, role: str) -> tuple[float, float, float, float]:
    x0, y0 = float(points[:, 0].min()), float(points[:, 1].min())
    width = float(points[:, 0].max()) - x0
    if width < MIN_FACE_PX:
        raise BadInput(f"face-too-small-in-{role}", f"The face in the {role} is only {width:.0f} pixels wide; at least {MIN_FACE_PX} are needed.")
    # dlib's detector draws a square of about the mesh's width, starting a little below its top (the mesh includes the forehead).
    cx = x0 + width / 2
    top = y0 + 0.07 * width
    return cx - width / 2, top, cx + width / 2, top + width


def embed(rgb: np.ndarray, role: str = "photo") -> np.ndarray:
    """The 128-d descriptor of the largest face in an RGB uint8 photo; :class:`BadInput` without one."""
    array = np.asarray(rgb)
    if array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8 or min(array.shape[:2]) < 16:
        raise BadInput("bad-image-array", f"The {role} must be an RGB image of at least 16×16 pixels.")
    array = np.ascontiguousarray(array)
    return _descriptor(array, _largest_face_box(array, role))


def embed_landmarks(rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The descriptor of the face whose mesh ``landmarks`` (``(478, 3)`` pixels) are already known."""
    return _descriptor(np.ascontiguousarray(rgb), _dlib_box(np.asarray(landmarks), "frame"))


def _descriptor(array: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    models = _models()
    rect = models.dlib.rectangle(int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1)))
    with models.lock:
        shape = models.predictor(array, rect)
        descriptor = models.encoder.compute_face_descriptor(array, shape)
    return np.asarray(descriptor, dtype=np.float64)


def compare(a: np.ndarray, b: np.ndarray, settings: FaceSettings | None = None) -> MatchResult:
    """Decide from two descriptors of :func:`embed`."""
    settings = settings or FaceSettings()
    distance = float(np.linalg.norm(np.asarray(a) - np.asarray(b)))
    threshold = 1.0 - settings.match_max_distance
    return MatchResult(distance <= settings.match_max_distance, 1.0 - distance, threshold)


def match(selfie_rgb: np.ndarray, id_portrait_rgb: np.ndarray, settings: FaceSettings | None = None) -> MatchResult:
    """Is the person in the selfie the one on the ID portrait? (both RGB uint8 arrays)."""
    return compare(embed(selfie_rgb, "selfie"), embed(id_portrait_rgb, "ID portrait"), settings)
