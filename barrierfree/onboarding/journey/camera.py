"""The camera steps wired to the real engines of the other areas.

- Guidance per frame: the document area's ``CardFinder`` or the face area's
  ``FaceAnalyzer`` observes, the guidance area's ``Guide`` decides the cue.
  A ``Guide`` (hysteresis, pacing) and a ``FaceAnalyzer`` (video tracking)
  hold state per stream, so :class:`Streams` keeps one per journey and step
  in this process, least recently used first out. Under several gunicorn
  workers a journey's frames may land on different workers; each then keeps
  its own pacing, which costs a repeated cue at worst, never a wrong one.
- Card capture: ``read_document`` reads the frame; :func:`results.accept_card` stores it.
- Liveness: the face area's challenge and verifier; :func:`results.accept_liveness`.
- Face match: the face area's matcher on the stored ID portrait and selfie.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import Flask

from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.log import get_logger
from barrierfree.onboarding.journey.steps import CARD_SIDES, Step
from barrierfree.onboarding.journey.views import JourneyView
from barrierfree.vision.frames import Frame

log = get_logger(__name__)
#: Most live streams (guide + analyzer) one process keeps; the oldest is dropped first.
MAX_STREAMS = 256


def profile_of(view: JourneyView) -> Profile:
    """The guidance profile the person chose at the assistance step."""
    return Profile(
        language=view.lang, screen_reader=view.assistance == "screen_reader",
        timeout_multiplier=view.timeout_multiplier, high_contrast=view.assistance == "large_text",
    )


@dataclass
class _Stream:
    step: str
    guide: object
    analyzer: object | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.monotonic)


class Streams:
    """Per-journey guidance state in this process."""

    def __init__(self, max_streams: int = MAX_STREAMS) -> None:
        self._streams: OrderedDict[str, _Stream] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_streams
        self._card_finder = None

    def _card(self):  # noqa: ANN202 - CardFinder, shared: it is stateless and thread-safe
        if self._card_finder is None:
            from barrierfree.vision.document.finder import CardFinder

            self._card_finder = CardFinder()
        return self._card_finder

    def _open(self, view: JourneyView) -> _Stream:
        from barrierfree.accessibility.guidance.guide import Guide

        step = Step(view.step)
        if step.target == "face":
            from barrierfree.vision.face.analyzer import FaceAnalyzer

            return _Stream(view.step, Guide("face", profile_of(view), camera="front"), FaceAnalyzer())
        return _Stream(view.step, Guide("card", profile_of(view), camera="back", expected_side=CARD_SIDES[step]), None)

    def stream(self, view: JourneyView) -> _Stream:
        with self._lock:
            found = self._streams.get(view.id)
            if found is not None and found.step != view.step:
                self._close(self._streams.pop(view.id))
                found = None
            if found is None:
                found = self._streams[view.id] = self._open(view)
                while len(self._streams) > self._max:
                    self._close(self._streams.popitem(last=False)[1])
            self._streams.move_to_end(view.id)
            return found

    def forget(self, journey_id: str) -> None:
        with self._lock:
            stream = self._streams.pop(journey_id, None)
        if stream is not None:
            self._close(stream)

    @staticmethod
    def _close(stream: _Stream) -> None:
        if stream.analyzer is not None:
            with stream.lock:
                stream.analyzer.close()

    def guide(self, view: JourneyView, frame: Frame, sensors: SensorReading | None) -> dict:
        """Observe one frame and return the guidance as JSON-ready data (with the texts in the person's language)."""
        stream = self.stream(view)
        with stream.lock:
            t = frame.timestamp_s if frame.timestamp_s is not None else time.monotonic() - stream.started
            if stream.analyzer is not None:
                observation = stream.analyzer.observe(frame, t)
            else:
                observation = self._card().observe(Frame(frame.pixels, t))
            guidance = stream.guide.step(observation, sensors, now_s=t)
            intro = [c.to_dict(guidance.language) for c in stream.guide.introduction()] if not getattr(stream, "introduced", False) else []
            stream.introduced = True  # type: ignore[attr-defined]
        data = guidance.to_dict()
        data["introduction"] = intro
        if guidance.signal.haptic:
            from barrierfree.accessibility.haptics import pattern

            data["signal"]["haptic_pattern"] = list(pattern(guidance.signal.haptic))
        if view.step == Step.LIVENESS.value and guidance.captured:
            data["ready_for_challenge"] = True
        return data


def streams(app: Flask) -> Streams:
    registry = app.extensions.get("barrierfree.streams")
    if registry is None:
        registry = app.extensions["barrierfree.streams"] = Streams()
    return registry


def read_card(service, view: JourneyView, frame: Frame):  # noqa: ANN001, ANN201 - (accepted, code, JourneyView)
    """Read the captured card side with the document area's reader and record the outcome."""
    from barrierfree.onboarding.journey import results
    from barrierfree.vision.documents import read_document

    from flask import current_app, has_app_context

    step = Step(view.step)
    settings = current_app.extensions["barrierfree.settings"] if has_app_context() else None
    reading = read_document(frame, settings=settings)
    stream_drop = streams_current()
    if stream_drop is not None:
        stream_drop.forget(view.id)
    return results.accept_card(
        service, view.id, step, document_type=reading.document_type, valid=reading.valid,
        fields=dict(reading.fields), confidence=dict(reading.field_confidence),
        checks=[(c.name, c.passed) for c in reading.checks if c.severity == "error" or not c.passed],
        portrait=reading.portrait, reason=(reading.reason or "").split(":")[0] or None,
    )


def streams_current() -> Streams | None:
    from flask import current_app, has_app_context

    return streams(current_app) if has_app_context() else None


# -- liveness ------------------------------------------------------------------


class ChallengeStore:
    """The face area's ``NonceStore`` backed by the journey's challenge table: a nonce is claimed once, atomically."""

    def __init__(self, service) -> None:  # noqa: ANN001 - JourneyService
        self.service = service

    def claim(self, nonce: str, expires_at: float) -> bool:  # noqa: ARG002 - expiry is checked by the verifier
        from sqlalchemy import update

        from barrierfree.onboarding.journey.models import LivenessChallengeRecord

        with self.service.writers() as session:
            claimed = session.execute(
                update(LivenessChallengeRecord)
                .where(LivenessChallengeRecord.nonce == nonce, LivenessChallengeRecord.used_at.is_(None))
                .values(used_at=self.service.now())
            ).rowcount
            session.commit()
        return claimed == 1


def _face_settings():  # noqa: ANN202 - FaceSettings
    from flask import current_app, has_app_context

    from barrierfree.settings.face import FaceSettings

    return current_app.extensions["barrierfree.settings"].face if has_app_context() else FaceSettings()


def issue_challenge(service, view: JourneyView) -> dict:  # noqa: ANN001
    """A liveness challenge for the journey's path: colour flash, or an active challenge (no flashing)."""
    from datetime import datetime, timezone

    from barrierfree.onboarding.journey import audit
    from barrierfree.onboarding.journey.models import LivenessChallengeRecord

    if view.liveness_mode == "flash" and not view.photosensitive:
        from barrierfree.vision.liveness import flash

        challenge = flash.issue(view.id, _face_settings())
        spec, wire = challenge.to_dict(), {
            "colours": [{"name": c.name, "css": "rgb(%d, %d, %d)" % c.rgb, "rgb": list(c.rgb), "duration_ms": c.duration_ms} for c in challenge.colours],
            "duration_ms": challenge.duration_ms, "fps": 12,
        }
        mode, expires = "flash", challenge.expires_at
    else:
        from barrierfree.vision.liveness import active

        challenge = active.issue_active(view.id, _face_settings())
        spec = challenge.to_dict()
        duration_s, fps = _active_recording(len(challenge.actions), view.timeout_multiplier)
        wire = {"actions": [{"id": a, "message_id": m} for a, m in zip(challenge.actions, challenge.message_ids)],
                "duration_ms": int(duration_s * 1000), "fps": fps}
        mode, expires = "active", challenge.expires_at
    expires_at = datetime.fromtimestamp(expires, timezone.utc)
    with service.at_step(view.id, Step.LIVENESS) as (session, _record):
        session.add(LivenessChallengeRecord(nonce=challenge.nonce, journey_id=view.id, mode=mode, expires_at=expires_at, spec=spec))
        audit.record(session, view.id, "journey.challenge-issued", mode=mode, reason="person-in-position")
    return {"nonce": challenge.nonce, "mode": mode, "expires_at": expires_at.isoformat(), **wire}


#: Time the SDK records per action of an active challenge, in seconds (times the person's multiplier).
ACTIVE_SECONDS_PER_ACTION = 3.5
#: Slowest frame rate that still keeps frame gaps under the verifier's limit, in frames a second.
ACTIVE_MIN_FPS = 5


def _active_recording(actions: int, multiplier: float) -> tuple[float, int]:
    """How long to record an active answer and at what rate, within the answer's frame limit."""
    from flask import current_app, has_app_context

    from barrierfree.settings.web import WebSettings

    max_frames = (current_app.extensions["barrierfree.settings"].web if has_app_context() else WebSettings()).max_liveness_frames
    duration = min(ACTIVE_SECONDS_PER_ACTION * actions * multiplier, max_frames / ACTIVE_MIN_FPS)
    return duration, max(ACTIVE_MIN_FPS, min(10, int(max_frames // duration)))


def _most_neutral(frames: list[Frame]) -> Frame:
    """The frame least tinted by the screen's colours: the selfie for the face match."""
    import numpy as np

    def tint(frame: Frame) -> float:
        means = frame.pixels.reshape(-1, 3).mean(axis=0)
        return float(np.std(means) / (means.mean() + 1e-6))

    return min(frames, key=tint)


def answer_challenge(service, view: JourneyView, nonce: str, frames: list[Frame]) -> tuple[dict, JourneyView]:  # noqa: ANN001
    """Verify the recorded answer with the face area's verifier and record the verdict."""
    from barrierfree.errors import Conflict, NotFound
    from barrierfree.onboarding.journey import results
    from barrierfree.onboarding.journey.models import LivenessChallengeRecord

    with service.sessions() as session:
        record = session.get(LivenessChallengeRecord, nonce)
        if record is None or record.journey_id != view.id:
            raise NotFound("challenge-not-found", "No such challenge for this journey; ask for a new one.")
        if record.used_at is not None:
            raise Conflict("challenge-used", "This challenge was already answered; a replayed answer is refused. Ask for a new challenge.")
        mode, spec = record.mode, record.spec
    if mode == "flash":
        from barrierfree.vision.liveness import flash

        verdict = flash.FlashVerifier(_face_settings(), ChallengeStore(service)).verify(flash.FlashChallenge.from_dict(spec), frames, session_id=view.id)
    else:
        from barrierfree.vision.liveness import active

        verdict = active.verify_active(
            active.ActiveChallenge.from_dict(spec), frames, session_id=view.id, settings=_face_settings(),
            store=ChallengeStore(service), timeout_multiplier=view.timeout_multiplier,
        )
    if "liveness.challenge_reused" in verdict.reasons:
        raise Conflict("challenge-used", "This challenge was already answered; a replayed answer is refused. Ask for a new challenge.")
    after = results.accept_liveness(
        service, view.id, passed=verdict.passed, score=verdict.score, mode=verdict.mode, reasons=verdict.reasons,
        checks={c.name: {"figure": c.to_dict()["figure"], "threshold": c.threshold, "passed": c.passed} for c in verdict.checks},
        selfie=_most_neutral(frames).pixels if verdict.passed else None,
    )
    return {"passed": verdict.passed, "score": verdict.score, "mode": verdict.mode, "reasons": list(verdict.reasons)}, after


def match_faces(service, view: JourneyView) -> tuple[dict, JourneyView]:  # noqa: ANN001
    """Match the liveness selfie with the card's portrait using the face area's matcher."""
    from barrierfree.onboarding.journey import results
    from barrierfree.vision import facematch

    portrait, selfie = results.images_for_match(service, view.id)
    result = facematch.match(selfie, portrait)
    after = results.accept_match(service, view.id, same_person=result.same_person, similarity=result.similarity, threshold=result.threshold)
    return {"same_person": result.same_person, "similarity": round(result.similarity, 4), "threshold": round(result.threshold, 4)}, after
