"""Face perception: the mediapipe face mesh, per-frame observations, liveness, matching."""

from barrierfree.vision.face.analyzer import FaceAnalyzer
from barrierfree.vision.face.observation import FaceObservation

__all__ = ["FaceAnalyzer", "FaceObservation"]
