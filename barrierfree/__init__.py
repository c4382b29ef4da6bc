"""barrierfree: offline, accessible eKYC for blind, low-vision, deaf and hard-of-hearing people.

The public API is the names in :data:`__all__` (see :mod:`barrierfree.api`):
``barrierfree.Runtime.from_settings(barrierfree.load_settings())`` builds every
engine once; each name is imported on first use, so ``import barrierfree`` stays light.

Packages, with dependencies pointing one way only::

    web -> runtime -> onboarding -> accessibility -> (vision, voice)

``vision`` turns frames into observations, ``voice`` turns message ids into
speech and sound, ``accessibility`` turns observations and sensor readings into
cues, ``onboarding`` is the account-opening journey and the sign-language
scheduler, and ``web`` is the Flask app, its JSON API and the mobile-web SDK.
``runtime`` builds the engines from the settings (the composition root).
``settings``, ``errors`` and ``log`` are shared by all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # the names for type checkers; at run time they load on first use (__getattr__)
    from barrierfree.api import *  # noqa: F403

#: :data:`barrierfree.api.__all__` (tests/test_public_api.py checks they agree), without importing it.
_api_names: tuple[str, ...] = (
    "Runtime", "Settings", "load_settings", "Frame", "decode", "from_array", "read_image",
    "read_document", "DocumentReading", "Check", "CardFinder", "CardObservation", "FaceAnalyzer", "FaceObservation",
    "Liveness", "Challenge", "FlashLiveness", "ActiveLiveness", "PassiveLiveness", "liveness_modes", "LivenessVerdict",
    "match", "MatchResult", "FaceRefused", "Guide", "Guidance", "Cue", "Signal", "Profile", "SensorReading",
    "Speaker", "EspeakSpeaker", "CachedSpeaker", "JourneyService", "JourneyView", "create_app", "init_app",
    "BarrierFreeError", "BadInput", "NotFound", "Conflict", "EngineUnavailable",
)

__all__ = ["__version__", *_api_names]


def __getattr__(name: str) -> Any:
    """Load a public name from :mod:`barrierfree.api` when it is first asked for (PEP 562)."""
    if name in _api_names:
        from barrierfree import api

        return getattr(api, name)
    raise AttributeError(f"module 'barrierfree' has no attribute {name!r}")
