"""Identity documents: finding the card in a frame, rectifying it, reading it."""

from barrierfree.vision.document.observation import CardObservation

__all__ = ["CardObservation"]
