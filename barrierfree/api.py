"""The public Python API: the names a bank's engineer needs, from one place.

``import barrierfree`` gives each of these names (loaded on first use, so
``import barrierfree`` itself stays light); ``barrierfree.api`` imports them all
at once. Everything else in the package may change between versions.

Build the engines once from the settings, then use them::

    import barrierfree

    runtime = barrierfree.Runtime.from_settings(barrierfree.load_settings())
    reading = runtime.read_document(barrierfree.read_image("card.jpg"))           # read a document
    seen = runtime.card_finder.observe(frame)                                     # observe a card
    face = runtime.face_analyzer().observe(frame)                                 # observe a face
    flash = runtime.liveness["flash"]                                             # flash, active or passive:
    challenge = flash.issue("session-1")                                          #   the same two verbs
    verdict = flash.verify(challenge, frames, session_id="session-1")
    result = runtime.match_faces(selfie_rgb, portrait_rgb)                        # same, different or unsure
    guide = runtime.guide("card", barrierfree.Profile(language="en"))             # guide, frame by frame
    guidance = guide.step(seen, None, now_s=0.0)
    wav = runtime.speak(guidance.cue.text("en"), "en") if guidance.cue else b""  # speak
    journey = runtime.journeys.start("en")                                        # run a journey
    barrierfree.init_app(bank_flask_app, runtime)                                 # or mount the web journey

Every engine is also usable on its own with explicit settings (``CardFinder(settings.document)``,
``Guide("face", settings=settings.guidance)``...): the runtime only saves building them by hand.
"""

from __future__ import annotations

from barrierfree.accessibility.guidance import Cue, Guidance, Guide, Signal
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.errors import BadInput, BarrierFreeError, Conflict, EngineUnavailable, NotFound
from barrierfree.onboarding.journey.service import JourneyService
from barrierfree.onboarding.journey.views import JourneyView
from barrierfree.runtime import Runtime
from barrierfree.settings import Settings, load_settings
from barrierfree.vision.card import CardFinder, CardObservation
from barrierfree.vision.idcard import Check, DocumentReading, read_document
from barrierfree.vision.face import FaceAnalyzer, FaceObservation
from barrierfree.vision.face.match import MatchResult, match
from barrierfree.vision.facequality import FaceRefused
from barrierfree.vision.frames import Frame, decode, from_array
from barrierfree.vision.frames import read as read_image
from barrierfree.vision.liveness import LivenessVerdict
from barrierfree.vision.liveness.modes import ActiveLiveness, Challenge, FlashLiveness, Liveness, PassiveLiveness, liveness_modes
from barrierfree.voice.cache import CachedSpeaker
from barrierfree.voice.tts import EspeakSpeaker, Speaker
from barrierfree.web.app import create_app, init_app

__all__ = [
    # building the engines
    "Runtime", "Settings", "load_settings",
    # frames in
    "Frame", "decode", "from_array", "read_image",
    # read a document
    "read_document", "DocumentReading", "Check",
    # observe a card or a face
    "CardFinder", "CardObservation", "FaceAnalyzer", "FaceObservation",
    # liveness: one protocol, three modes
    "Liveness", "Challenge", "FlashLiveness", "ActiveLiveness", "PassiveLiveness", "liveness_modes", "LivenessVerdict",
    # match faces
    "match", "MatchResult", "FaceRefused",
    # guide
    "Guide", "Guidance", "Cue", "Signal", "Profile", "SensorReading",
    # speak
    "Speaker", "EspeakSpeaker", "CachedSpeaker",
    # run a journey
    "JourneyService", "JourneyView", "create_app", "init_app",
    # errors
    "BarrierFreeError", "BadInput", "NotFound", "Conflict", "EngineUnavailable",
]
