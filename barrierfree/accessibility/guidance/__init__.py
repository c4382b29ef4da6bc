"""Audio guidance: observations + sensor readings + the user's profile -> :class:`Guidance`.

>>> from barrierfree.vision.face.observation import FaceObservation
>>> guide = Guide("face")
>>> guide.step(FaceObservation(face_count=0, frame_size=(480, 640)), now_s=0.0).phase
'searching'
"""

from barrierfree.accessibility.guidance.guide import Guide
from barrierfree.accessibility.guidance.model import Cue, Guidance, Signal, Utterance

__all__ = ["Cue", "Guidance", "Guide", "Signal", "Utterance"]
