"""barrierfree: offline, accessible eKYC for blind, low-vision, deaf and hard-of-hearing people.

Packages, with dependencies pointing one way only::

    web -> onboarding -> accessibility -> (vision, voice)

``vision`` turns frames into observations, ``voice`` turns message ids into
speech and sound, ``accessibility`` turns observations and sensor readings into
cues, ``onboarding`` is the account-opening journey and the sign-language
scheduler, and ``web`` is the Flask app, its JSON API and the mobile-web SDK.
``settings``, ``errors`` and ``log`` are shared by all of them.
"""

__version__ = "0.1.0"
