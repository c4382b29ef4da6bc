"""Liveness and face match wired to the face area's engines.

- Challenges: a colour flash (``vision.liveness.flash``) by default, an active
  challenge (``vision.liveness.active``) when chosen, and always for a
  photosensitive person. Each is stored in the journey's challenge table,
  whose row is the verifier's nonce store: a nonce is claimed once, atomically.
- The verdict is recorded by :func:`results.accept_liveness`; the frame of a
  passing answer that best passes the face-match quality gates is the selfie
  for the face match (``vision.face.match.match`` against the card's portrait).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import update

from barrierfree.errors import BadInput, Conflict, NotFound
from barrierfree.onboarding.journey import audit, results
from barrierfree.onboarding.journey.models import LivenessChallengeRecord
from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.journey.views import JourneyView
from barrierfree.settings.face import FaceSettings
from barrierfree.vision.frames import Frame

if TYPE_CHECKING:  # the service imports this module
    from barrierfree.onboarding.journey.service import JourneyService


class ChallengeStore:
    """The face area's ``NonceStore`` backed by the journey's challenge table: a nonce is claimed once, atomically."""

    def __init__(self, service) -> None:  # noqa: ANN001 - JourneyService
        self.service = service

    def claim(self, nonce: str, expires_at: float) -> bool:
        with self.service.writers() as session:
            claimed = session.execute(
                update(LivenessChallengeRecord)
                .where(LivenessChallengeRecord.nonce == nonce, LivenessChallengeRecord.used_at.is_(None))
                .values(used_at=self.service.now())
            ).rowcount
            session.commit()
        return claimed == 1


def issue_challenge(service: JourneyService, view: JourneyView, face: FaceSettings) -> dict:
    """A liveness challenge for the journey's path: colour flash, or an active challenge (no flashing)."""
    web = service.settings
    if view.liveness_mode == "flash" and not view.photosensitive:
        from barrierfree.vision.liveness import flash

        challenge = flash.issue(view.id, face)
        spec, wire = challenge.to_dict(), {
            "colours": [{"name": c.name, "css": "rgb({}, {}, {})".format(*c.rgb), "rgb": list(c.rgb), "duration_ms": c.duration_ms} for c in challenge.colours],
            "duration_ms": challenge.duration_ms, "fps": web.flash_record_fps,
        }
        mode, expires, nonce = "flash", challenge.expires_at, challenge.nonce
    else:
        from barrierfree.vision.liveness import active

        active_challenge = active.issue_active(view.id, face)
        spec = active_challenge.to_dict()
        duration_s, fps = _active_recording(len(active_challenge.actions), view.timeout_multiplier, web.max_liveness_frames,
                                            web.active_seconds_per_action, web.active_min_fps)
        wire = {"actions": [{"id": a, "message_id": m} for a, m in zip(active_challenge.actions, active_challenge.message_ids)],
                "duration_ms": int(duration_s * 1000), "fps": fps}
        mode, expires, nonce = "active", active_challenge.expires_at, active_challenge.nonce
    expires_at = datetime.fromtimestamp(expires, timezone.utc)
    with service.at_step(view.id, Step.LIVENESS) as (session, _record):
        session.add(LivenessChallengeRecord(nonce=nonce, journey_id=view.id, mode=mode, expires_at=expires_at, spec=spec))
        audit.record(session, view.id, "journey.challenge-issued", mode=mode, reason="person-in-position")
    return {"nonce": nonce, "mode": mode, "expires_at": expires_at.isoformat(), **wire}


def _active_recording(actions: int, multiplier: float, max_frames: int, per_action_s: float, min_fps: int) -> tuple[float, int]:
    """How long to record an active answer (seconds) and at what rate (≤ 10 fps), within the answer's frame limit.

    >>> _active_recording(2, 1.0, 90, 3.5, 5)
    (7.0, 10)
    >>> _active_recording(3, 10.0, 90, 3.5, 5)
    (18.0, 5)
    """
    duration = min(per_action_s * actions * multiplier, max_frames / min_fps)
    return duration, max(min_fps, min(10, int(max_frames // duration)))


def require_open_challenge(service, view: JourneyView, nonce: str) -> tuple[str, dict]:  # noqa: ANN001 - JourneyService
    """The challenge ``nonce`` names (mode, spec): this journey's and not yet answered; else refused.

    The web layer calls it before decoding an answer's frames, so a replayed or
    foreign nonce costs the server no image decoding. (Expiry stays the
    verifier's to judge: an expired answer is a failed attempt, not an error.)
    """
    with service.sessions() as session:
        record = session.get(LivenessChallengeRecord, nonce)
        if record is None or record.journey_id != view.id:
            raise NotFound("challenge-not-found", "No such challenge for this journey; ask for a new one.")
        if record.used_at is not None:
            raise Conflict("challenge-used", "This challenge was already answered; a replayed answer is refused. Ask for a new challenge.")
        return record.mode, record.spec


def answer_challenge(
    service: JourneyService, view: JourneyView, nonce: str, frames: list[Frame], face: FaceSettings, shown_s: list[float] | None = None,
) -> tuple[dict, JourneyView]:
    """Verify the recorded answer with the face area's verifier and record the verdict.

    ``shown_s``: when the client really showed each flash colour (a flash challenge only).
    """
    mode, spec = require_open_challenge(service, view, nonce)
    if mode == "flash":
        from barrierfree.vision.liveness import flash

        verdict = flash.FlashVerifier(face, ChallengeStore(service)).verify(flash.FlashChallenge.from_dict(spec), frames, session_id=view.id, shown_s=shown_s)
    else:
        from barrierfree.vision.liveness import active

        verdict = active.verify_active(
            active.ActiveChallenge.from_dict(spec), frames, session_id=view.id, settings=face,
            store=ChallengeStore(service), timeout_multiplier=view.timeout_multiplier,
        )
    if "liveness.challenge_reused" in verdict.reasons:
        raise Conflict("challenge-used", "This challenge was already answered; a replayed answer is refused. Ask for a new challenge.")
    after = results.accept_liveness(
        service, view.id, passed=verdict.passed, score=verdict.score, mode=verdict.mode, reasons=verdict.reasons,
        checks={c.name: {"figure": c.to_dict()["figure"], "threshold": c.threshold, "passed": c.passed} for c in verdict.checks},
        selfie=_best_selfie(frames, face) if verdict.passed else None,
    )
    return {"passed": verdict.passed, "score": verdict.score, "mode": verdict.mode, "reasons": list(verdict.reasons)}, after


def _best_selfie(frames: list[Frame], face: FaceSettings) -> np.ndarray:
    """The frame of a passing answer that best passes the face-match gates (size, pose, eyes, exposure, sharpness, least tint)."""
    from barrierfree.vision.facequality import best_frame

    return frames[best_frame([f.pixels for f in frames], face)].pixels


def match_faces(service, view: JourneyView, face: FaceSettings) -> tuple[dict, JourneyView]:  # noqa: ANN001
    """Match the liveness selfie with the card's portrait using the face area's matcher.

    ``same`` goes on to the review; ``different`` back to the liveness step (a
    failed attempt); ``unsure`` back to the liveness step for one more selfie,
    and a second ``unsure`` to staff review (never to an opened account). A
    picture without exactly one usable face is refused with its own code and
    taken again (the selfie, or the card's portrait side).
    """
    from barrierfree.vision.face import match as facematch

    portrait, selfie = results.images_for_match(service, view.id)
    try:
        result = facematch.match(selfie, portrait, face)
    except BadInput as error:
        back_to = Step.LIVENESS if error.extra.get("image") == "selfie" else Step.CARD_FRONT
        after = results.retake(service, view.id, back_to, error.code)
        return {"same_person": False, "outcome": "refused", "similarity": None, "threshold": None, "code": error.code,
                "image": error.extra.get("image"), "message_id": error.extra.get("message_id")}, after
    after = results.accept_match(service, view.id, outcome=result.outcome, similarity=result.similarity,
                                 threshold=result.threshold, band_low=result.band_low)
    message = {"same": "journey.sdk_matched", "different": "journey.sdk_not_matched",
               "unsure": "face.match.staff_review" if after.step == Step.FACE_MATCH.value else "face.match.unsure_retry"}[result.outcome]
    return {"same_person": result.same_person, "outcome": result.outcome, "similarity": round(result.similarity, 4),
            "threshold": round(result.threshold, 4), "unsure_band": [round(result.band_low, 4), round(result.threshold, 4)],
            "message_id": message}, after
