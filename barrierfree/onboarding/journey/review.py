"""The review step's trust rules: identity read with passed checks is locked after the face match.

- An identity field (:data:`fields.IDENTITY`) read by OCR with its checks passed,
  a valid value and enough confidence is *locked*: the face matched the card it
  came from, so editing it would swap the identity behind that match.
- An identity field the reading flagged (a failed check about it, an invalid
  value, low confidence, or not read at all) may be corrected by the person;
  the reading's value is kept beside the correction, and confirming then puts
  the journey in ``pending_review`` for a staff member instead of opening it.
- Other fields (the address, ethnicity, issuing authority) stay free to edit;
  every edit is audited (field name and reason, never the value).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from barrierfree.errors import BadInput, Conflict, Forbidden
from barrierfree.onboarding.journey import audit
from barrierfree.onboarding.journey.accounts import new_account_number
from barrierfree.onboarding.journey.fields import EDITABLE, IDENTITY, check_field, flagged_by_check, normalize
from barrierfree.onboarding.journey.models import JourneyImage, JourneyRecord
from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.journey.views import StaffCase, StaffField


def flagged_fields(record: JourneyRecord) -> frozenset[str]:
    """Identity fields a failed check of the card reading is about."""
    return frozenset(name for check in record.checks or [] if not check.get("passed", True) for name in flagged_by_check(check["name"]))


def is_locked(record: JourneyRecord, name: str, item: dict | None, unsure_below: float) -> bool:
    """Whether ``name`` is an identity field read with its checks passed, after a same-person face match."""
    if name not in IDENTITY or item is None or item.get("source", "ocr") != "ocr":
        return False
    return (bool((record.match or {}).get("same_person")) and float(item.get("confidence", 0.0)) >= unsure_below
            and check_field(name, item["value"]) is None and name not in flagged_fields(record))


def edit_field(service, journey_id: str, name: str, value: str) -> None:  # noqa: ANN001 - JourneyService
    """Store the person's correction of ``name``, or refuse it (unknown, invalid, or locked)."""
    from barrierfree.onboarding.journey.service import _load_fields

    if name not in EDITABLE:
        raise BadInput("unknown-field", f"Only these fields can be edited: {', '.join(EDITABLE)}.", field="name")
    with service.at_step(journey_id, Step.REVIEW) as (session, record):
        stored = _load_fields(record)
        before = stored.get(name)
        if is_locked(record, name, before, service.settings.review_unsure_confidence):
            raise Forbidden("field-locked", "This field was read from your card and checked, and your face matched that card, "
                            "so it cannot be changed. If it is wrong, ask for help.", field=name)
        value = normalize(name, value)
        problem = check_field(name, value)
        if problem:
            raise BadInput("bad-field-value", problem, field=name)
        side = (before or {}).get("side") or EDITABLE[name]
        read = (before or {}).get("read") if (before or {}).get("source") == "edited" else (
            {"value": before["value"], "confidence": before.get("confidence", 0.0)} if before else None)
        stored[name] = {"value": value, "confidence": 1.0, "source": "edited", "side": side, "read": read}
        record.fields_sealed = json.dumps(stored, ensure_ascii=False)
        identity = name in IDENTITY
        audit.record(session, record.id, "journey.field-edited", field=name, identity=identity,
                     reason="identity-corrected" if identity else "person-corrected")


def corrected_identity(stored: dict[str, dict]) -> list[str]:
    return [name for name in IDENTITY if stored.get(name, {}).get("source") == "edited"]


def open_account(service, session, record: JourneyRecord, **reasons: object) -> None:  # noqa: ANN001
    record.account_number = new_account_number(service.settings.account_number_prefix)
    record.opened_at = service.now()
    service.advance(session, record, to=Step.OPENED, **reasons)
    audit.record(session, record.id, "journey.account-opened", reason=reasons.get("reason", "all-checks-passed"))


def confirm(service, journey_id: str) -> bool:  # noqa: ANN001 - JourneyService
    """Open the account, or send it to staff review when an identity field was corrected; True when opened."""
    from barrierfree.onboarding.journey.service import _load_fields, review_fields

    with service.at_step(journey_id, Step.REVIEW) as (session, record):
        fields = review_fields(record, service.settings.review_unsure_confidence)
        invalid = [f.name for f in fields if not f.valid]
        if invalid:
            raise Conflict("fields-invalid", f"Correct these fields before confirming: {', '.join(invalid)}.", fields=invalid)
        corrected = corrected_identity(_load_fields(record))
        if corrected:
            service.advance(session, record, to=Step.PENDING_REVIEW, reason="identity-corrected", fields=corrected)
            audit.record(session, record.id, "journey.review-requested", reason="identity-corrected", fields=corrected)
            return False
        open_account(service, session, record, reason="person-confirmed", fields=len(fields))
    return True


def case(service, journey_id: str) -> StaffCase:  # noqa: ANN001 - JourneyService
    """The reading and the correction side by side, and which retained images there are."""
    from barrierfree.onboarding.journey.service import _load_fields

    with service.sessions() as session:
        record = service._find(session, journey_id)
        stored = _load_fields(record)
        images = tuple((image.id, image.kind) for image in session.scalars(
            select(JourneyImage).where(JourneyImage.journey_id == journey_id).order_by(JourneyImage.id)))
        fields = []
        for name, item in stored.items():
            edited = item.get("source") == "edited"
            read = item.get("read") if edited else {"value": item["value"], "confidence": item.get("confidence")}
            fields.append(StaffField(name, (read or {}).get("value"), (read or {}).get("confidence"), item["value"], edited))
        failed = tuple(check["name"] for check in record.checks or [] if not check.get("passed", True))
        return StaffCase(record.id, record.step, dict(record.document_types or {}), failed, tuple(fields), images)


def image(service, journey_id: str, image_id: int) -> str:  # noqa: ANN001 - JourneyService
    """A retained image of the journey (base64 JPEG), for the staff view."""
    from barrierfree.errors import NotFound

    with service.sessions() as session:
        found = session.get(JourneyImage, image_id)
        if found is None or found.journey_id != journey_id:
            raise NotFound("image-not-found", "No such retained image for this journey (it may have been purged).")
        return found.data_sealed


def decide(service, journey_id: str, approve: bool, staff_note: str = "") -> None:  # noqa: ANN001 - JourneyService
    """A staff member's decision on a corrected identity: open the account, or refuse it."""
    with service.at_step(journey_id, Step.PENDING_REVIEW) as (session, record):
        if approve:
            open_account(service, session, record, reason="staff-approved")
        else:
            service.advance(session, record, to=Step.REJECTED, reason="staff-rejected")
        audit.record(session, record.id, "journey.staff-decision", approved=approve, reason="identity-correction",
                     decision="approve" if approve else "reject", noted=bool(staff_note))
