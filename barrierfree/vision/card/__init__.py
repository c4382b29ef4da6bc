"""Identity documents in camera frames: finding the card, rectifying it, telling its side.

``CardFinder().observe(frame) -> CardObservation`` runs on every streamed
frame (no OCR inside); reading the text is :mod:`barrierfree.vision.idcard`.
"""

from barrierfree.vision.card.finder import CardFinder
from barrierfree.vision.card.observation import CardObservation

__all__ = ["CardFinder", "CardObservation"]
