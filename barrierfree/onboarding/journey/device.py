"""The server's side of the on-device path: re-checking card stills, and storing telemetry.

On this path the phone sees and guides; the server only proves. Nothing about a
journey is kept in this process between requests (unlike :class:`.camera.Streams`
on the server-guided path), so any app instance can serve any request:

- a card capture is a few stills of one side, taken by the device a moment apart
  at full resolution. Each is read by the document area's reader (card found, right
  side, reading checks) and the readings are fused *within the request*; an
  accepted reading is stored and the journey advances, a refused one is answered
  with its reason code (which the on-device guide speaks) and nothing is stored
  (a failed check counts as a failed attempt, as on the server path);
- a telemetry batch (cue ids, frame timings, capture codes, the guide's own
  failures; never an image, a text or an identity) is stored as an audit event,
  and its failures count towards the help-after-repeated-failures rule.

The liveness clip and the face match use the same endpoints as the server path;
they keep their state (the challenge) in the database already.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from barrierfree.onboarding.journey import audit, results
from barrierfree.onboarding.journey.service import JourneyService
from barrierfree.onboarding.journey.steps import ORDER, Step
from barrierfree.onboarding.journey.views import JourneyView
from barrierfree.vision.frames import Frame

if TYPE_CHECKING:
    from barrierfree.settings.onboarding import OnboardingSettings
    from barrierfree.vision.idcard.reading import DocumentReading

#: What the person may choose after repeated refused readings (as on the server path).
CARD_CHOICES = ("type_fields", "ask_person")
#: What the guide says after a refused card capture, by reason code (either path): a card shown the
#: wrong way up gets the guide's own "turn it over", a good reading to be read once more "hold still".
_REFUSAL_MESSAGES = {"wrong-side": "card.turn_over", "reading-once-more": "card.hold_still"}


def capture_message(accepted: bool, code: str | None) -> str:
    """The catalog message the SDK speaks after a card capture, so the client needs no table of its own.
    Accepted: "captured" (the guide said only "taking the photo" when it decided the capture)."""
    if accepted:
        return "card.captured"
    return _REFUSAL_MESSAGES.get(code or "", "journey.sdk_card_retry")


@dataclass(frozen=True)
class CaptureCheck:
    """The server's verdict on a claimed card capture."""

    accepted: bool
    #: Why it was refused (``wrong-side``, ``reading-failed``, ``no-card``...), None when accepted.
    code: str | None
    journey: JourneyView
    #: Stills whose reading was of the document the step wants (fused into one reading).
    stills_read: int
    failing_fields: tuple[str, ...] = ()
    field_agreement: Mapping[str, float] = field(default_factory=dict)
    #: Offered after ``card_failed_readings_before_choice`` refusals in the failure window.
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FusedStills:
    """A capture's stills read and fused, before anything is stored or counted."""

    #: The fused reading of the wanted side, or (none of it) the most telling reading of another.
    reading: DocumentReading
    #: Stills whose reading was of the document the step wants (0: none was).
    stills_read: int
    #: Valid, but not agreed by enough stills: the device sends another capture (no failure).
    once_more: bool


def fuse_stills(step: Step, readings: Sequence[DocumentReading], limits: OnboardingSettings, *,
                type_fields: bool = False) -> FusedStills:
    """Fuse the readings of one capture's stills as :func:`check_card_stills` does (pure: the
    blind-user simulation judges its device-path captures with it, so it cannot drift from the server)."""
    from barrierfree.vision.idcard.fusion import fuse

    wanted = [r for r in readings if r.document_type in results.ACCEPTED_DOCUMENTS[step]]
    if not wanted:
        # Nothing of the right side: the most telling refusal (another side in view beats no card).
        return FusedStills(min(readings, key=lambda r: (r.document_type == "unknown", readings.index(r))), 0, False)
    kind = Counter(r.document_type for r in wanted).most_common(1)[0][0]
    wanted = [r for r in wanted if r.document_type == kind]
    reading = fuse(wanted)
    once_more = reading.valid and not type_fields and not results.rests_on_enough_frames(reading, len(wanted), limits)
    return FusedStills(reading, len(wanted), once_more)


def check_card_stills(service: JourneyService, view: JourneyView, stills: Sequence[Frame],
                      read: Callable[[Frame], DocumentReading], *, type_fields: bool = False) -> CaptureCheck:
    """Read ``stills`` (one side, from one capture) with ``read`` (the runtime's reader) and accept
    the fused reading, or say why not. The limits are the service's (``OnboardingSettings``)."""
    step = Step(view.step)
    limits = service.settings
    fused = fuse_stills(step, [read(still) for still in stills], limits, type_fields=type_fields)
    reading = fused.reading
    if not fused.stills_read:
        _, code, after = results.accept_card(
            service, view.id, step, document_type=reading.document_type, valid=False, fields={}, confidence={},
            checks=[], portrait=None, reason=reading.reason_code)
        return CaptureCheck(False, code, after, 0)
    agreement = {k: round(v, 3) for k, v in reading.field_agreement.items()}
    if fused.once_more:
        return CaptureCheck(False, "reading-once-more", service.get(view.id), fused.stills_read, (), agreement)
    failing = results.failing_fields(reading.checks)
    offered = view.failures_in_window >= limits.card_failed_readings_before_choice
    accepted, code, after = results.accept_card(
        service, view.id, step, document_type=reading.document_type, valid=reading.valid,
        fields=dict(reading.fields), confidence=dict(reading.field_confidence),
        checks=[(c.name, c.passed) for c in reading.checks if c.severity == "error" or not c.passed],
        portrait=reading.portrait, reason=reading.reason_code, card_image=reading.card_image,
        needs_typing=failing if type_fields and offered and not reading.valid else (),
    )
    choices = CARD_CHOICES if code == "reading-failed" and after.failures_in_window >= limits.card_failed_readings_before_choice else ()
    return CaptureCheck(accepted, code, after, fused.stills_read, failing, agreement, choices)


@dataclass(frozen=True)
class TelemetryEvent:
    """One event of the on-device guide: ``cue`` (a catalog id), ``timing`` (a frame's ms),
    ``capture`` (the server's answer code) or ``failure`` (the guide gave up on an attempt)."""

    kind: str
    #: Seconds on the SDK's stream clock.
    t: float
    id: str | None = None
    name: str | None = None
    ms: float | None = None
    code: str | None = None


def record_telemetry(service: JourneyService, journey_id: str, step: Step, events: Sequence[TelemetryEvent]) -> JourneyView:
    """Store a validated batch for ``step`` as one audit event.

    A batch for the journey's current step counts each ``failure`` as a failed attempt. A batch for
    a step the journey has already passed is the tail the SDK flushes as a step ends (the capture it
    describes moved the journey on): it is kept for the audit, marked ``late``, and its failures no
    longer count, because that step is done. A batch for a step not reached yet is refused
    (``wrong-step``), as is one for a paused or expired current step.

    One writer transaction does it all (the step read under the write lock, the audit event, the
    failures counted), so a batch costs one commit however many failures it carries.
    """
    summary = _summary(events)  # before the write lock, which every journey's writes queue for
    with service.locked(journey_id) as (session, record):
        current = Step(record.step)
        if step in ORDER and current in ORDER and ORDER.index(step) < ORDER.index(current):
            # The journey itself is not changed (nor its version), so a late batch never races a capture.
            audit.record(session, journey_id, "journey.device-telemetry", step=step.value, reason="device-telemetry",
                         late=True, **summary)
            session.commit()
            return service.view(record)
        service.check(record, step)
        audit.record(session, journey_id, "journey.device-telemetry", step=step.value, reason="device-telemetry", **summary)
        for event in events:
            if event.kind == "failure" and service.count_failure(session, record, step, f"device-{event.code}"):
                break
        view = service.view(record)
        service.commit_change(session, record)
    return view


def _summary(events: Sequence[TelemetryEvent]) -> dict[str, object]:
    """The audit event's details: the events (ids, numbers and codes only) and the frame timings' summary."""
    timings = sorted(e.ms for e in events if e.kind == "timing" and e.ms is not None)
    return {"events": [{k: v for k, v in vars(e).items() if v is not None} for e in events], "frames": len(timings),
            "frame_ms_p50": timings[len(timings) // 2] if timings else None,
            "frame_ms_max": timings[-1] if timings else None}
