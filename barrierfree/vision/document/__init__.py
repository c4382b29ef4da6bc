"""Identity documents in camera frames: finding the card, rectifying it, telling its side.

``CardFinder().observe(frame) -> CardObservation`` runs on every streamed
frame (no OCR inside); reading the text is :mod:`barrierfree.vision.documents`.
"""

from barrierfree.vision.document.finder import CardFinder
from barrierfree.vision.document.observation import CardObservation

__all__ = ["CardFinder", "CardObservation"]
