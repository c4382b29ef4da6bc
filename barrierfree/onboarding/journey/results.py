"""Recording what the camera steps produced: card readings, liveness verdicts, face matches.

Each function runs one journey transaction (:meth:`JourneyService.at_step`):
an accepted result is stored (personal fields encrypted, images only while
needed) and the journey advances; a rejected one counts as a failed attempt
(:meth:`JourneyService.record_failure`), which after five in three minutes
pauses the step and offers human help. Every outcome is an audit event with
its reasons (check names and codes, never values).
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import numpy as np
from PIL import Image

from barrierfree.onboarding.journey import audit
from barrierfree.onboarding.journey.fields import normalize
from barrierfree.onboarding.journey.models import JourneyImage
from barrierfree.onboarding.journey.service import JourneyService, _load_fields
from barrierfree.onboarding.journey.staffreview import PAUSED_FOR_STAFF
from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.journey.views import JourneyView
from barrierfree.vision.idcard.reading import CN_RESIDENT_ID_SIDES, Check

#: Which document types each card step accepts.
ACCEPTED_DOCUMENTS = {
    Step.CARD_FRONT: ("cn_resident_id_front", "mrz_td1", "mrz_td3"),
    Step.CARD_BACK: ("cn_resident_id_back",),
}
#: Document types with nothing useful on the back (a passport's data page): the back step is skipped.
_NO_BACK = ("mrz_td3",)
_JPEG_QUALITY = 90


def rests_on_enough_frames(reading, frames: int, settings) -> bool:  # noqa: ANN001 - DocumentReading, OnboardingSettings
    """Whether a valid fused reading rests on enough frames (either path, server or device): every field agreed by
    ``card_frames_to_accept`` frames, or ``card_frames_fused`` frames read in all."""
    if frames >= settings.card_frames_fused:
        return True
    agreed = all(share >= 1.0 for share in reading.field_agreement.values())
    return frames >= settings.card_frames_to_accept and agreed


def failing_fields(checks: Iterable[Check]) -> tuple[str, ...]:
    """The reading fields a refused reading marks for the person (sorted, once each): the fields of
    its failed ``error`` checks. A failed check on the whole card (expired, sides not paired) marks none."""
    return tuple(sorted({c.field for c in checks if not c.passed and c.severity == "error" and c.field is not None}))


def encode_jpeg(rgb: np.ndarray) -> str:
    """Base64 JPEG of an RGB array (what sealed image columns hold)."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buffer, format="JPEG", quality=_JPEG_QUALITY)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def decode_jpeg(sealed: str) -> np.ndarray:
    with Image.open(io.BytesIO(base64.b64decode(sealed))) as image:
        return np.asarray(image.convert("RGB"))


def _keep_image(service: JourneyService, session, journey_id: str, kind: str, sealed: str) -> None:  # noqa: ANN001
    if service.settings.keep_images:
        session.add(JourneyImage(
            journey_id=journey_id, kind=kind, data_sealed=sealed,
            delete_after=service.now() + timedelta(days=service.settings.image_retention_days),
        ))


def card_refusal(step: Step, document_type: str, valid: bool, has_portrait: bool, reason: str | None = None,
                 typing: bool = False) -> str | None:
    """Why a card reading is refused for ``step`` (a code), or ``None`` when it is accepted: the rule
    alone, with nothing stored, so that the blind-user simulation judges a capture as the server does."""
    if document_type == "unknown":
        return reason or "card-not-read"
    if document_type not in ACCEPTED_DOCUMENTS[step]:
        return "wrong-side" if document_type in CN_RESIDENT_ID_SIDES else "wrong-document"
    if step is Step.CARD_FRONT and not has_portrait:
        return "portrait-not-found"
    if not valid and not typing:
        # A reading that contradicts itself (a failed error-level check) is never accepted: the
        # camera keeps running and the next frames are read.
        return "reading-failed"
    return None


def accept_card(
    service: JourneyService, journey_id: str, step: Step, *, document_type: str, valid: bool,
    fields: Mapping[str, str], confidence: Mapping[str, float], checks: Sequence[tuple[str, bool]],
    portrait: np.ndarray | None, reason: str | None = None, card_image: np.ndarray | None = None,
    needs_typing: Sequence[str] = (),
) -> tuple[bool, str | None, JourneyView]:
    """Store a card reading and advance, or count a failed attempt; returns (accepted, code, journey).

    ``card_image`` (the rectified card) is kept only when images are retained, for a staff review.
    ``needs_typing``: the person chose to type these failing fields (after repeated refused
    readings); the reading is stored with them marked, and review refuses to confirm until they are typed.
    """
    code = card_refusal(step, document_type, valid, portrait is not None, reason, bool(needs_typing))
    if code == "wrong-side":
        # The person is turning the card as asked: not a failure.
        return False, code, service.get(journey_id)
    if code:
        return False, code, service.record_failure(journey_id, step, code)
    side = "front" if step is Step.CARD_FRONT else "back"
    with service.at_step(journey_id, step) as (session, record):
        stored = _load_fields(record)
        for name, value in fields.items():
            stored[name] = {"value": normalize(name, value), "confidence": round(float(confidence.get(name, 0.0)), 3), "source": "ocr", "side": side}
            if name in needs_typing:
                stored[name]["needs_typing"] = True
        for name in needs_typing:  # a field not read at all is typed too
            stored.setdefault(name, {"value": "", "confidence": 0.0, "source": "ocr", "side": side, "needs_typing": True})
        record.fields_sealed = json.dumps(stored, ensure_ascii=False)
        record.checks = [c for c in record.checks if c["side"] != side] + [
            {"side": side, "name": name, "passed": bool(passed)} for name, passed in checks
        ]
        record.document_types = {**record.document_types, side: document_type}
        if portrait is not None:
            record.portrait_sealed = encode_jpeg(portrait)
            _keep_image(service, session, journey_id, "portrait", record.portrait_sealed)
        if card_image is not None and service.settings.keep_images:
            _keep_image(service, session, journey_id, f"card_{side}", encode_jpeg(card_image))
        failed = [name for name, passed in checks if not passed]
        to = Step.LIVENESS if document_type in _NO_BACK else None
        service.advance(session, record, to=to, reason="card-read" if not needs_typing else "card-read-fields-to-type",
                        document_type=document_type, valid=valid, failed_checks=failed, to_type=list(needs_typing))
        view = service.view(record)
    return True, None, view


def accept_liveness(
    service: JourneyService, journey_id: str, *, passed: bool, score: float, mode: str,
    reasons: Sequence[str], checks: Mapping[str, object], selfie: np.ndarray | None,
) -> JourneyView:
    """Store a liveness verdict; a pass with a usable selfie advances to the face match."""
    if not passed or selfie is None:
        code = (list(reasons) or ["liveness-failed"])[0] if not passed else "no-selfie"
        with service.at_step(journey_id, Step.LIVENESS) as (session, record):
            audit.record(session, journey_id, "journey.liveness", passed=False, mode=mode, score=round(score, 3), reasons=list(reasons), checks=checks)
        return service.record_failure(journey_id, Step.LIVENESS, str(code))
    with service.at_step(journey_id, Step.LIVENESS) as (session, record):
        record.liveness = {"passed": True, "score": round(score, 3), "mode": mode}
        record.selfie_sealed = encode_jpeg(selfie)
        _keep_image(service, session, journey_id, "selfie", record.selfie_sealed)
        audit.record(session, journey_id, "journey.liveness", passed=True, mode=mode, score=round(score, 3), reasons=list(reasons), checks=checks)
        # Failures carry over to the face match: a face that never matches must still reach the help offer.
        service.advance(session, record, reason="liveness-passed", mode=mode, keep_failures=True)
        view = service.view(record)
    return view


def images_for_match(service: JourneyService, journey_id: str) -> tuple[np.ndarray, np.ndarray]:
    """The stored ID portrait and selfie (decrypted) for the face match."""
    with service.at_step(journey_id, Step.FACE_MATCH) as (_session, record):
        portrait, selfie = record.portrait_sealed, record.selfie_sealed
    if not portrait or not selfie:
        from barrierfree.errors import Conflict

        raise Conflict("images-missing", "The ID portrait or the selfie is missing; repeat the card or liveness step.")
    return decode_jpeg(portrait), decode_jpeg(selfie)


def accept_match(service: JourneyService, journey_id: str, *, outcome: str, similarity: float, threshold: float,
                 band_low: float) -> JourneyView:
    """Store the face match and move on by its outcome.

    ``same`` → review (both images dropped unless kept by configuration);
    ``different`` → liveness again, a failed attempt; ``unsure`` → liveness again
    for one more selfie, and the second ``unsure`` → staff review: the step
    pauses (``paused_reason = "staff-review"``) with both images kept sealed for
    the reviewer, and the account can never be opened from there by the person:
    only a staff decision in the review queue moves it (:mod:`.staffreview`).
    """
    figures: dict[str, Any] = {"similarity": round(similarity, 4), "threshold": round(threshold, 4), "unsure_band": [round(band_low, 4), round(threshold, 4)]}
    with service.at_step(journey_id, Step.FACE_MATCH) as (session, record):
        unsure_count = int((record.match or {}).get("unsure_count", 0)) + (outcome == "unsure")
        record.match = {"outcome": outcome, "same_person": outcome == "same", **figures, "unsure_count": unsure_count}
        if outcome == "same":
            record.selfie_sealed = record.portrait_sealed = None
            service.advance(session, record, reason="face-matched", **figures)
        elif outcome == "unsure" and unsure_count >= 2:
            record.paused_reason = PAUSED_FOR_STAFF
            record.help_requested = "staff_review"
            audit.record(session, journey_id, "journey.staff-review", step=Step.FACE_MATCH.value, reason="face-match-unsure", **figures)
        else:
            record.selfie_sealed = None
            reason = "face-match-unsure" if outcome == "unsure" else "face-not-matched"
            service.advance(session, record, to=Step.LIVENESS, keep_failures=True, reason=reason, **figures)
        view = service.view(record)
    if outcome == "different":
        view = service.record_failure(journey_id, Step.LIVENESS, "face-not-matched")
    return view


def retake(service: JourneyService, journey_id: str, back_to: Step, code: str) -> JourneyView:
    """The face match could not use a picture: drop both and go back to take ``back_to`` again (a failed attempt)."""
    with service.at_step(journey_id, Step.FACE_MATCH) as (session, record):
        record.selfie_sealed = None
        if back_to is Step.CARD_FRONT:
            record.portrait_sealed = None
        service.advance(session, record, to=back_to, keep_failures=True, reason=code)
    return service.record_failure(journey_id, back_to, code)
