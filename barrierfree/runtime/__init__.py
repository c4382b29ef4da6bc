"""The composition root: every engine, built once per process from one :class:`Settings`.

``Runtime.from_settings(settings)`` is the one place that turns settings into
engines, so each section reaches the engine that uses it:

- ``settings.document`` -> :attr:`Runtime.card_finder` and :meth:`Runtime.read_document`
  (with the OCR engine of ``ocr_engine``/``ocr_threads``);
- ``settings.guidance`` -> :meth:`Runtime.guide`, a factory of per-stream guides;
- ``settings.face`` -> :attr:`Runtime.liveness` (flash, active, passive: one protocol)
  and :meth:`Runtime.match_faces`;
- ``settings.voice`` -> :attr:`Runtime.speaker`, the text-to-speech cache;
- ``settings.onboarding`` -> :attr:`Runtime.journeys`, the journey service, and
  :attr:`Runtime.streams`, the live guidance of the camera steps;
- ``settings.scheduler`` -> :meth:`Runtime.start_scheduler_ticker` on :attr:`Runtime.sessions`;
- ``encryption_keys`` -> :attr:`Runtime.keyring`, bound to :attr:`Runtime.database`.

The entry points (``create_app``, each CLI command, each benchmark) build one;
everything below receives what it needs from it and reads no settings of its own.
Engines are built on first use (a CLI command that only reads cards never loads
the face models) and then kept: models are expensive, so there is one of each.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from barrierfree.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import sessionmaker

    from barrierfree.accessibility.guidance.guide import Guide
    from barrierfree.accessibility.profile import Profile
    from barrierfree.onboarding.journey.camera import CameraEngines, Streams
    from barrierfree.onboarding.journey.liveness import FaceEngines
    from barrierfree.onboarding.journey.service import JourneyService
    from barrierfree.onboarding.storage.crypto import KeyRing
    from barrierfree.vision.card.finder import CardFinder
    from barrierfree.vision.idcard.reading import DocumentReading
    from barrierfree.vision.face.analyzer import FaceAnalyzer
    from barrierfree.vision.face.match import MatchResult
    from barrierfree.vision.frames import Frame
    from barrierfree.vision.liveness.modes import Liveness
    from barrierfree.voice.cache import CachedSpeaker

__all__ = ["Runtime"]

T = TypeVar("T")


def _once(build: Callable[[Runtime], T]) -> property:
    """A property built on first use, once, even when several threads ask at the same moment."""
    name = build.__name__

    def get(self: Runtime) -> T:
        built = self._built
        if name not in built:
            with self._lock:
                if name not in built:
                    built[name] = build(self)
        return built[name]

    get.__doc__ = build.__doc__
    return property(get)


@dataclass(frozen=True, eq=False)
class Runtime:
    """Every engine of one configuration; see the module docstring for which setting goes where."""

    settings: Settings
    _built: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        return cls(settings)

    def built(self, name: str) -> Any | None:
        """The engine called ``name`` if something has used it already, else ``None``; never builds it.

        The on-device path keeps nothing in process: it asks whether live guidance streams exist
        before it tells them to forget a journey, rather than building them to do so.
        """
        return self._built.get(name)

    # -- vision: cards ---------------------------------------------------------
    @_once
    def card_finder(self) -> CardFinder:
        """Finds the card in a frame (``settings.document``); stateless and thread-safe, so shared."""
        from barrierfree.vision.card.finder import CardFinder

        return CardFinder(self.settings.document)

    @_once
    def ocr(self) -> Any:
        """The OCR engine (``ocr_engine``, ``ocr_threads``)."""
        from barrierfree.vision.ocr.engine import default_engine

        return default_engine(self.settings.ocr_threads, self.settings.ocr_engine)

    def read_document(self, frame: Frame | np.ndarray, today: date | None = None) -> DocumentReading:
        """Read the identity document in one photo (``settings.document``, this runtime's finder and OCR)."""
        from barrierfree.vision.idcard.reader import read_document

        return read_document(frame, settings=self.settings, engine=self.ocr, finder=self.card_finder, today=today)

    # -- vision: faces ---------------------------------------------------------
    def face_analyzer(self) -> FaceAnalyzer:
        """A new face tracker: one per video stream (it follows the face from frame to frame)."""
        from barrierfree.vision.face.analyzer import FaceAnalyzer

        return FaceAnalyzer()

    @_once
    def liveness(self) -> Mapping[str, Liveness]:
        """The liveness modes by name (flash, active, passive), bound to ``settings.face``."""
        from barrierfree.vision.liveness.modes import liveness_modes

        return liveness_modes(self.settings.face)

    def match_faces(self, selfie: np.ndarray, portrait: np.ndarray) -> MatchResult:
        """Same person, different, or unsure (``settings.face``); a picture without one usable face is refused."""
        from barrierfree.vision.face import match as facematch

        return facematch.match(selfie, portrait, self.settings.face)

    # -- guidance and voice ------------------------------------------------------
    def guide(self, target: str, profile: Profile | None = None, *, camera: str | None = None,
              expected_side: str | None = None, explain_tones: bool = True) -> Guide:
        """A new guide for one stream (it keeps pacing and hysteresis), bound to ``settings.guidance``.

        ``explain_tones``: whether its introduction explains the tones (once a journey, on its first camera step).
        """
        from barrierfree.accessibility.guidance.guide import Guide

        return Guide(target, profile, settings=self.settings.guidance, camera=camera,  # type: ignore[arg-type]
                     expected_side=expected_side, explain_tones=explain_tones)

    @_once
    def speaker(self) -> CachedSpeaker:
        """Text to speech (espeak-ng) behind a cache of ``settings.voice.speech_cache_bytes``."""
        from barrierfree.voice.cache import CachedSpeaker

        return CachedSpeaker(max_bytes=self.settings.voice.speech_cache_bytes)

    def speak(self, text: str, lang: str = "zh-CN") -> bytes:
        """``text`` spoken in ``lang``, as WAV bytes."""
        return self.speaker.synthesize(text, lang)

    # -- storage and the journey ---------------------------------------------------
    @_once
    def keyring(self) -> KeyRing:
        """The encryption keys (``encryption_keys``, or the key the demo generated into the data folder)."""
        from barrierfree.onboarding.storage.crypto import keyring_from_settings

        return keyring_from_settings(self.settings.encryption_keys, self.settings.data_dir)

    @_once
    def database(self) -> Engine:
        """The database engine (``database_url``), its personal-data columns sealed with :attr:`keyring`.

        Without a key (``barrierfree db upgrade`` on a fresh install) the engine still opens; the
        first sealed value it reads or writes is then refused with ``no-encryption-key``.
        """
        from barrierfree.errors import BadInput
        from barrierfree.onboarding.storage import make_engine

        try:
            keyring = self.keyring
        except BadInput:
            keyring = None
        return make_engine(self.settings.resolved_database_url, keyring=keyring)

    @_once
    def sessions(self) -> sessionmaker:
        """ORM sessions on :attr:`database` (the scheduler's and the pages')."""
        from barrierfree.onboarding.storage import make_session_factory

        return make_session_factory(self.database)

    @_once
    def journeys(self) -> JourneyService:
        """The journey service on :attr:`database` (``settings.onboarding``)."""
        from barrierfree.onboarding.journey.service import JourneyService

        return JourneyService(self.database, self.settings.onboarding)

    @_once
    def camera_engines(self) -> CameraEngines:
        """What the camera steps use: this runtime's finder, guide factory, face trackers and reader."""
        from barrierfree.onboarding.journey.camera import CameraEngines

        return CameraEngines(card_finder=self.card_finder, guide=self.guide, face_analyzer=self.face_analyzer,
                             read_document=self.read_document)

    @_once
    def face_engines(self) -> FaceEngines:
        """What the liveness and face-match steps use: the liveness modes and the matcher."""
        from barrierfree.onboarding.journey.liveness import FaceEngines

        return FaceEngines(modes=self.liveness, match=self.match_faces, settings=self.settings.face)

    @_once
    def streams(self) -> Streams:
        """The live guidance streams of this process (``web.max_streams_per_process``)."""
        from barrierfree.onboarding.journey.camera import Streams

        return Streams(self.camera_engines, self.settings.web.max_streams_per_process)

    def start_scheduler_ticker(self) -> Any:
        """Send the scheduler's due confirmations and reminders from a background thread (``settings.scheduler``)."""
        from barrierfree.onboarding.scheduler.reminders import start_background_ticker

        return start_background_ticker(self.sessions, self.settings.scheduler)
