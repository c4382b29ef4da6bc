"""The camera steps wired to the real engines of the other areas.

- Guidance per frame: the document area's ``CardFinder`` or the face area's
  ``FaceAnalyzer`` observes, the guidance area's ``Guide`` decides the cue.
  A ``Guide`` (hysteresis, pacing) and a ``FaceAnalyzer`` (video tracking)
  hold state per stream, so :class:`Streams` keeps one per journey and step
  in this process, least recently used first out. Under several gunicorn
  workers a journey's frames may land on different workers; each then keeps
  its own pacing, which costs a repeated cue at worst, never a wrong one.
- Card capture: ``read_document`` reads the capture's stills, fused; :func:`results.accept_card` stores it.

The engines come in a :class:`CameraEngines`, built once per process by the
composition root (:class:`barrierfree.runtime.Runtime`) from the settings, so
each area's settings reach the engine that uses them; nothing here builds one.

Liveness and the face match are in :mod:`.liveness`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.log import get_logger
from barrierfree.onboarding.journey.steps import CARD_SIDES, Step
from barrierfree.onboarding.journey.views import JourneyView
from barrierfree.vision.frames import Frame

if TYPE_CHECKING:  # the engines' own modules load models: imported where the runtime builds them
    from barrierfree.accessibility.guidance.guide import Guide
    from barrierfree.vision.card.finder import CardFinder
    from barrierfree.vision.card.observation import CardObservation
    from barrierfree.vision.face.analyzer import FaceAnalyzer
    from barrierfree.vision.idcard.reading import DocumentReading
    from barrierfree.vision.face.observation import FaceObservation

log = get_logger(__name__)


@dataclass(frozen=True)
class CameraEngines:
    """The engines the camera steps use, each already bound to its area's settings."""

    #: Stateless and thread-safe, so one is shared by every stream.
    card_finder: CardFinder
    #: ``guide(target, profile, camera=..., expected_side=...)``: a new guide per stream.
    guide: Callable[..., Guide]
    #: A new face tracker per face stream (it follows a video).
    face_analyzer: Callable[[], FaceAnalyzer]
    read_document: Callable[[Frame], DocumentReading]


def profile_of(view: JourneyView) -> Profile:
    """The guidance profile the person chose at the assistance step."""
    return Profile(
        language=view.lang, screen_reader=view.assistance == "screen_reader",
        timeout_multiplier=view.timeout_multiplier, high_contrast=view.assistance == "large_text",
    )


@dataclass
class _Stream:
    step: str
    #: The client's id for this run of the camera: a reloaded page starts a new clock, so a new stream.
    stream_id: str
    guide: Guide
    analyzer: FaceAnalyzer | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.monotonic)
    introduced: bool = False


class Streams:
    """Per-journey guidance state in this process."""

    def __init__(self, engines: CameraEngines, max_streams: int = 64) -> None:
        self._streams: OrderedDict[str, _Stream] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_streams
        self.engines = engines
        #: Recent readings of the card side at each journey's step, for fusing frames.
        self._readings: OrderedDict[tuple[str, str], list] = OrderedDict()
        #: Readings refused for a failed check, per journey and step.
        self._failed: dict[tuple[str, str], int] = {}

    def remember(self, view: JourneyView, new: Sequence[DocumentReading], keep: int) -> list[DocumentReading]:
        """Add readings of this step's side and return the readings to fuse (the last ``keep``)."""
        with self._lock:
            key = (view.id, view.step)
            readings = self._readings.setdefault(key, [])
            readings.extend(new)
            del readings[:-keep]
            self._readings.move_to_end(key)
            while len(self._readings) > self._max:
                self._readings.popitem(last=False)
            return list(readings)

    def count_failed(self, view: JourneyView, add: int = 1) -> int:
        """Readings refused for a failed check at this journey's step (``add`` one more first)."""
        with self._lock:
            key = (view.id, view.step)
            self._failed[key] = self._failed.get(key, 0) + add
            return self._failed[key]

    def done_with(self, journey_id: str) -> None:
        with self._lock:
            for key in [k for k in self._readings if k[0] == journey_id]:
                del self._readings[key]
            for key in [k for k in self._failed if k[0] == journey_id]:
                del self._failed[key]

    def _open(self, view: JourneyView, stream_id: str) -> _Stream:
        step, engines = Step(view.step), self.engines
        if step.target == "face":
            return _Stream(view.step, stream_id, engines.guide("face", profile_of(view), camera="front", explain_tones=False),
                           engines.face_analyzer())
        # The tones are explained once a journey, on its first camera step (the card's portrait side).
        guide = engines.guide("card", profile_of(view), camera="back", expected_side=CARD_SIDES[step],
                              explain_tones=step == Step.CARD_FRONT)
        return _Stream(view.step, stream_id, guide, None)

    def stream(self, view: JourneyView, stream_id: str = "") -> _Stream:
        with self._lock:
            found = self._streams.get(view.id)
            if found is not None and (found.step, found.stream_id) != (view.step, stream_id):
                self._close(self._streams.pop(view.id))
                found = None
            if found is None:
                found = self._streams[view.id] = self._open(view, stream_id)
                while len(self._streams) > self._max:
                    self._close(self._streams.popitem(last=False)[1])
            self._streams.move_to_end(view.id)
            return found

    def resume(self, journey_id: str) -> None:
        """Tell the journey's guide to guide again without counting a failure."""
        with self._lock:
            stream = self._streams.get(journey_id)
        if stream is not None:
            with stream.lock:
                stream.guide.resume()

    def reject(self, journey_id: str, reason: str | None = None) -> None:
        """Tell the journey's guide that its capture was rejected downstream, and why (the refusal code)."""
        with self._lock:
            stream = self._streams.get(journey_id)
        if stream is not None:
            with stream.lock:
                stream.guide.record_failure(reason)

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

    def guide(self, view: JourneyView, frame: Frame, sensors: SensorReading | None, stream_id: str = "") -> dict:
        """Observe one frame and return the guidance as JSON-ready data (with the texts in the person's language)."""
        stream = self.stream(view, stream_id)
        with stream.lock:
            t = frame.timestamp_s if frame.timestamp_s is not None else time.monotonic() - stream.started
            # Said before this frame's cue: the guide holds its cues until the introduction ends.
            first = not stream.introduced
            intro = [c.to_dict(stream.guide.language) for c in stream.guide.introduce(t)] if first else []
            # The detailed words, for the SDK's "hear the full instructions again" control.
            full = [c.to_dict(stream.guide.language) for c in stream.guide.introduction(full=True)] if first else []
            stream.introduced = True
            observation: FaceObservation | CardObservation
            if stream.analyzer is not None:
                observation = stream.analyzer.observe(frame, t)
            else:
                observation = self.engines.card_finder.observe(Frame(frame.pixels, t))
            guidance = stream.guide.step(observation, sensors, now_s=t)
        data = guidance.to_dict()
        data["introduction"] = intro
        data["introduction_full"] = full
        if guidance.signal.haptic:
            from barrierfree.accessibility.haptics import pattern

            data["signal"]["haptic_pattern"] = list(pattern(guidance.signal.haptic))
        if stream.analyzer is None:  # a card: whether this frame is worth sending as one of a capture's stills
            from barrierfree.accessibility.guidance.stills import usable_still

            data["still_usable"] = usable_still(cast("CardObservation", observation), stream.guide.expected_side, stream.guide.settings)
        if view.step == Step.LIVENESS.value and guidance.captured:
            data["ready_for_challenge"] = True
        return data


def read_card(service, view: JourneyView, stills: Sequence[Frame], registry: Streams, type_fields: bool = False):  # noqa: ANN001, ANN201
    """Read the captured card side's ``stills`` (one capture: the SDK sends the frame the guide
    captured on and the usable frames of its dwell), fuse them with this step's last readings and
    record the result.

    One capture is one decision: its stills are read and fused in this request, so a capture of
    two agreeing stills is accepted at once. (The SDK sent one still a capture, and each first
    good reading was answered "read once more" and the person had to be guided in again.) The
    readings of the wanted side are remembered, the last ``card_frames_fused``, as before.

    Returns ``(accepted, code, journey, details)``; ``details`` says which fields failed their
    checks, how far the fused frames agree per field, and — after
    ``card_failed_readings_before_choice`` refused readings — the person's choices. With
    ``type_fields`` (the person chose to type, once offered), the reading is stored with its
    failing fields marked for typing at review. The reader is ``registry.engines``'s; the
    limits are the service's (:class:`~barrierfree.settings.OnboardingSettings`).
    """
    from barrierfree.onboarding.journey import results
    from barrierfree.onboarding.journey.device import fuse_stills

    settings = service.settings
    step = Step(view.step)
    readings = [registry.engines.read_document(still) for still in stills]
    wanted = [r for r in readings if r.document_type in results.ACCEPTED_DOCUMENTS[step]]
    # Nothing of the wanted side: this capture's own readings say why (the remembered ones are kept).
    fused = fuse_stills(step, registry.remember(view, wanted, settings.card_frames_fused) if wanted else readings,
                        settings, type_fields=type_fields)
    reading = fused.reading
    if fused.once_more:
        # A valid reading, read once (or with frames that disagree): one more capture is read first.
        registry.resume(view.id)
        return False, "reading-once-more", service.get(view.id), {
            "failing_fields": [], "field_agreement": {k: round(v, 3) for k, v in reading.field_agreement.items()}}
    failing = list(results.failing_fields(reading.checks))
    offered = registry.count_failed(view, add=0) >= settings.card_failed_readings_before_choice
    outcome = results.accept_card(
        service, view.id, step, document_type=reading.document_type, valid=reading.valid,
        fields=dict(reading.fields), confidence=dict(reading.field_confidence),
        checks=[(c.name, c.passed) for c in reading.checks if c.severity == "error" or not c.passed],
        portrait=reading.portrait, reason=reading.reason_code, card_image=reading.card_image,
        needs_typing=failing if type_fields and offered and not reading.valid else (),
    )
    details: dict[str, object] = {"failing_fields": failing,
                                  "field_agreement": {k: round(v, 3) for k, v in reading.field_agreement.items()}}
    # Accepted: the next side starts with a fresh guide. Refused for a failed check: the guide
    # guides again, and after repeated refusals the person is offered a choice. A wrong side
    # in view is no failure: the guide is already telling the person to turn the card.
    if outcome[0]:
        registry.forget(view.id)
        registry.done_with(view.id)
    elif outcome[1] == "wrong-side":
        registry.resume(view.id)
    else:
        registry.reject(view.id, outcome[1])
        if outcome[1] == "reading-failed" and \
                registry.count_failed(view) >= settings.card_failed_readings_before_choice:
            details["choices"] = ["type_fields", "ask_person"]
    return (*outcome, details)
