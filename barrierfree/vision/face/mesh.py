"""The mediapipe face mesh (478 landmarks with refined eyes and lips), loaded once.

mediapipe 0.10.21 bundles the detector and mesh models inside its wheel, so
this runs offline. A still-image mesh is shared by the whole process behind a
lock (mediapipe graphs are not re-entrant); video streams get their own
:func:`new_video_mesh` because video mode keeps tracking state between frames.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

import numpy as np

from barrierfree.errors import EngineUnavailable

#: Points of the refined mesh: 468 face points and 2 × 5 iris points.
LANDMARK_COUNT = 478

os.environ.setdefault("GLOG_minloglevel", "2")  # keep mediapipe's C++ chatter off stderr


def _solutions() -> Any:
    try:
        import mediapipe as mp
    except ImportError as error:  # pragma: no cover - depends on the install
        raise EngineUnavailable(
            "face-engine-missing", f"mediapipe cannot be imported ({error}); run scripts/setup."
        ) from None
    return mp.solutions


def new_video_mesh(max_faces: int = 2, *, refine_landmarks: bool = True) -> Any:
    """A face mesh in video mode for one stream (tracks between frames).

    ``refine_landmarks=False`` runs the plain 468-point model (face_landmark.tflite) instead of the
    attention model: the one the SDK's CPU face engine (static/sdk/perception/face_cpu.js) can run,
    so its conformance test has a Python reference with the same model.
    """
    return _solutions().face_mesh.FaceMesh(
        static_image_mode=False, max_num_faces=max_faces, refine_landmarks=refine_landmarks,
        min_detection_confidence=0.5, min_tracking_confidence=0.5,
    )


class StillFaceMesh:
    """A thread-safe face mesh for independent still images."""

    def __init__(self, max_faces: int = 4) -> None:
        self._mesh = _solutions().face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=max_faces, refine_landmarks=True,
            min_detection_confidence=0.5,
        )
        self._lock = threading.Lock()

    def landmarks(self, rgb: np.ndarray) -> list[np.ndarray]:
        """Per face, a ``(478, 3)`` float array: x, y in pixels, z in pixels relative to the face centre."""
        with self._lock:
            result = self._mesh.process(np.ascontiguousarray(rgb))
        return landmarks_from_result(result, rgb.shape[1], rgb.shape[0])


def landmarks_from_result(result: Any, width: int, height: int) -> list[np.ndarray]:
    """Convert mediapipe's normalised landmarks to pixel coordinates."""
    faces = result.multi_face_landmarks or []
    scale = np.array([width, height, width], dtype=np.float32)
    return [
        np.array([(p.x, p.y, p.z) for p in face.landmark], dtype=np.float32) * scale
        for face in faces
    ]


@lru_cache(maxsize=1)
def still_mesh() -> StillFaceMesh:
    """The process-wide still-image mesh (created on first use, then reused)."""
    return StillFaceMesh()


@lru_cache(maxsize=1)
def full_range_detector() -> Any:
    """mediapipe's full-range face detector (faces up to about 5 m away; bundled in the wheel), for counting faces."""
    return _solutions().face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.5)
