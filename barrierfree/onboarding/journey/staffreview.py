"""The one human review queue: identity corrections and face matches that stayed ``unsure``.

Two roads lead to a member of staff, and both wait in the same queue, oldest first:

- ``identity-correction``: the person corrected an identity field after the face
  match; the journey waits in ``pending_review`` (:mod:`.review` decides it).
- ``face-match-unsure``: the face match was ``unsure`` twice; the journey waits
  at the face match, paused with ``paused_reason = "staff-review"`` and both
  images kept sealed for the reviewer (:func:`results.accept_match`). Staff
  compare the selfie with the card's portrait and decide: ``same`` continues to
  the review step as after a ``same`` match; ``different`` ends the journey
  ``rejected``. The person can neither retry nor open an account meanwhile.

Every decision is an audit event with the decision and the reason, never a value or an image.
A journey a decision ended (:func:`ended_by_staff`) still answers its own journey token with
its outcome, because its caller was waiting for that answer (see :mod:`barrierfree.web.api`).
"""

from __future__ import annotations

import base64

from sqlalchemy import select

from barrierfree.errors import BadInput, Conflict, NotFound
from barrierfree.onboarding.journey import audit
from barrierfree.onboarding.storage.models import AuditEvent
from barrierfree.onboarding.journey.models import JourneyRecord
from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.journey.views import FaceCase, QueueEntry

IDENTITY_CORRECTION = "identity-correction"
FACE_MATCH_UNSURE = "face-match-unsure"
#: ``paused_reason`` of a journey whose face match waits for staff.
PAUSED_FOR_STAFF = "staff-review"
FACE_IMAGES = {"selfie": "selfie_sealed", "portrait": "portrait_sealed"}


def reason_of(record: JourneyRecord) -> str | None:
    """Why staff are (or were) deciding this journey, or ``None`` when they are not involved."""
    if record.paused_reason == PAUSED_FOR_STAFF:
        return FACE_MATCH_UNSURE
    if record.step == Step.PENDING_REVIEW.value:
        return IDENTITY_CORRECTION
    if record.step == Step.REJECTED.value:
        return FACE_MATCH_UNSURE if (record.match or {}).get("staff_decision") == "different" else IDENTITY_CORRECTION
    return None


def ended_by_staff(service, journey_id: str) -> bool:  # noqa: ANN001 - JourneyService
    """Whether a staff decision ended the journey (an identity correction approved or refused, a face
    match judged ``different``): its caller was told to wait, and has not yet heard how it ended."""
    with service.sessions() as session:
        step = session.scalar(select(JourneyRecord.step).where(JourneyRecord.id == journey_id))
        if step is None or not Step(step).ended:
            return False
        decided = select(AuditEvent.id).where(AuditEvent.subject == audit.subject(journey_id),
                                              AuditEvent.kind == "journey.staff-decision").limit(1)
        return session.scalar(decided) is not None


def queue(service) -> list[QueueEntry]:  # noqa: ANN001 - JourneyService
    """Every journey waiting for a member of staff, both kinds, oldest first (by when it started waiting)."""
    from barrierfree.onboarding.journey.service import aware

    waiting = (JourneyRecord.step == Step.PENDING_REVIEW.value) | (
        (JourneyRecord.step == Step.FACE_MATCH.value) & (JourneyRecord.paused_reason == PAUSED_FOR_STAFF))
    with service.sessions() as session:
        rows = session.execute(select(JourneyRecord.id, JourneyRecord.step, JourneyRecord.step_started_at)
                               .where(waiting).order_by(JourneyRecord.step_started_at, JourneyRecord.id)).all()
    return [QueueEntry(jid, IDENTITY_CORRECTION if step == Step.PENDING_REVIEW.value else FACE_MATCH_UNSURE, aware(since))
            for jid, step, since in rows]


def _band(distance: float, same_max: float, unsure_max: float) -> str:
    """The matcher's band for ``distance``.

    >>> _band(0.45, 0.5, 0.6), _band(0.55, 0.5, 0.6), _band(0.61, 0.5, 0.6)
    ('same', 'unsure', 'different')
    """
    return "same" if distance <= same_max else "unsure" if distance <= unsure_max else "different"


def face_case(service, journey_id: str) -> FaceCase:  # noqa: ANN001 - JourneyService
    """The figures of a face match sent to staff, and which of its images are still held."""
    with service.sessions() as session:
        record = service._find(session, journey_id)
        match = record.match or {}
        if reason_of(record) != FACE_MATCH_UNSURE or "similarity" not in match:
            raise NotFound("no-face-review", "This journey has no face match for staff to review.")
        threshold, band_low = match["unsure_band"][1], match["unsure_band"][0]
        distance, same_max, unsure_max = 1 - match["similarity"], 1 - threshold, 1 - band_low
        images = tuple(kind for kind, column in FACE_IMAGES.items() if getattr(record, column))
        return FaceCase(record.id, record.step, round(distance, 4), round(same_max, 4), round(unsure_max, 4),
                        _band(distance, same_max, unsure_max), record.paused_reason == PAUSED_FOR_STAFF, images,
                        match.get("staff_decision"))


def face_image(service, journey_id: str, which: str) -> bytes:  # noqa: ANN001 - JourneyService
    """The selfie or the card portrait (JPEG bytes) of a face match waiting for staff; decrypted for the staff page only."""
    if which not in FACE_IMAGES:
        raise NotFound("image-not-found", "Only the selfie and the card portrait are shown.")
    with service.sessions() as session:
        record = service._find(session, journey_id)
        sealed = getattr(record, FACE_IMAGES[which]) if reason_of(record) == FACE_MATCH_UNSURE else None
    if not sealed:
        raise NotFound("image-not-found", "This image is no longer held (it is dropped once staff have decided).")
    return base64.b64decode(sealed)


def decide_face(service, journey_id: str, same: bool) -> None:  # noqa: ANN001 - JourneyService
    """A staff member's decision on an unsure face match: ``same`` goes on to the review step, else ``rejected``.

    Both images are dropped either way (copies kept by ``keep_images`` follow their retention).
    """
    with service.at_step(journey_id, Step.FACE_MATCH, allow_paused=True, allow_expired=True) as (session, record):
        if record.paused_reason != PAUSED_FOR_STAFF:
            raise Conflict("not-waiting-for-staff", "This face match is not waiting for a staff decision.")
        decision = "same" if same else "different"
        # same_person makes the review step lock the identity read from the card, as after a ``same`` match.
        record.match = {**record.match, "same_person": same, "staff_decision": decision}
        record.selfie_sealed = record.portrait_sealed = None
        record.help_requested = None
        if same:
            service.advance(session, record, reason="staff-matched")
        else:
            service.advance(session, record, to=Step.REJECTED, reason="staff-rejected")
        audit.record(session, record.id, "journey.staff-decision", approved=same, reason=FACE_MATCH_UNSURE, decision=decision)


def decide(service, journey_id: str, decision: str) -> None:  # noqa: ANN001 - JourneyService
    """Apply a staff decision to whichever kind of review the journey waits for.

    ``approve``/``reject`` answer an identity correction; ``same``/``different`` an unsure face match.
    """
    from barrierfree.onboarding.journey import review

    with service.sessions() as session:
        reason = reason_of(service._find(session, journey_id))
    choices = {IDENTITY_CORRECTION: ("approve", "reject"), FACE_MATCH_UNSURE: ("same", "different")}.get(reason or "", ())
    if decision not in choices:
        raise BadInput("bad-decision", f"Choose one of: {', '.join(choices) or 'nothing (no review is waiting)'}.", field="decision")
    if reason == FACE_MATCH_UNSURE:
        decide_face(service, journey_id, decision == "same")
    else:
        review.decide(service, journey_id, decision == "approve")
