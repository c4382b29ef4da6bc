"""Colour-flash reflection liveness: the person only holds the phone still.

Issuing a challenge (what the screen shows, and its photosensitivity rules) is
:mod:`.challenge`; judging the clip against it is :mod:`.verifier`, whose
docstring gives the physical model. Both are re-exported here, so
``flash.issue(...)`` and ``flash.FlashVerifier(...)`` read as one mode.
"""

from barrierfree.vision.liveness.flash.challenge import (
    MAX_RED_SHARE, MIN_COLOUR_MS, PALETTE, FlashChallenge, FlashColour, as_shown, issue, red_share, validate,
)
from barrierfree.vision.liveness.flash.verifier import FlashVerifier, verify
from barrierfree.vision.liveness.nonces import InMemoryNonceStore, JsonFileNonceStore, NonceStore

__all__ = [
    "MAX_RED_SHARE", "MIN_COLOUR_MS", "PALETTE", "FlashChallenge", "FlashColour", "FlashVerifier",
    "InMemoryNonceStore", "JsonFileNonceStore", "NonceStore", "as_shown", "issue", "red_share", "validate", "verify",
]
