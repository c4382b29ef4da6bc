"""Liveness and face match wired to the face area's engines.

- Challenges: a colour flash (``vision.liveness.flash``) by default, an active
  challenge (``vision.liveness.active``) when chosen, and always for a
  photosensitive person. Each is stored in the journey's challenge table,
  whose row is the verifier's nonce store: a nonce is claimed once, atomically.
- The verdict is recorded by :func:`results.accept_liveness`; the frame of a
  passing answer that best passes the face-match quality gates is the selfie
  for the face match (``vision.face.match.match`` against the card's portrait).

The engines come in a :class:`FaceEngines` built once by the runtime; the modes are a
table (``vision.liveness.modes``: the same ``issue``/``verify`` for every mode), so the
journey picks a mode by name and dispatches, and the wire document per mode is a table too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import update

from barrierfree.errors import Conflict, NotFound
from barrierfree.onboarding.journey import audit, results
from barrierfree.onboarding.journey.models import LivenessChallengeRecord
from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.journey.views import JourneyView
from barrierfree.settings.face import FaceSettings
from barrierfree.vision.frames import Frame

if TYPE_CHECKING:  # the service imports this module
    from barrierfree.onboarding.journey.service import JourneyService
    from barrierfree.vision.face.match import MatchResult
    from barrierfree.vision.liveness.modes import Liveness


@dataclass(frozen=True)
class FaceEngines:
    """The face area's engines the journey uses, bound to the face settings."""

    #: Liveness modes by name (``vision.liveness.modes.liveness_modes``).
    modes: Mapping[str, Liveness]
    #: ``match(selfie_rgb, portrait_rgb) -> MatchResult`` (``vision.face.match.match``).
    match: Callable[[np.ndarray, np.ndarray], MatchResult]
    settings: FaceSettings


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


def mode_for(view: JourneyView) -> str:
    """The journey's liveness mode: the colour flash it chose, or an active challenge (no flashing)
    when it chose that or the person is photosensitive."""
    return "flash" if view.liveness_mode == "flash" and not view.photosensitive else "active"


def _flash_wire(challenge, view: JourneyView, settings) -> dict:  # noqa: ANN001 - FlashChallenge, OnboardingSettings
    colours = [{"name": c.name, "css": "rgb({}, {}, {})".format(*c.rgb), "rgb": list(c.rgb), "duration_ms": c.duration_ms}
               for c in challenge.colours]
    return {"colours": colours, "duration_ms": challenge.duration_ms, "fps": settings.flash_record_fps}


def _active_wire(challenge, view: JourneyView, settings) -> dict:  # noqa: ANN001 - ActiveChallenge, OnboardingSettings
    duration_s, fps = _active_recording(len(challenge.actions), view.timeout_multiplier, settings.max_liveness_frames,
                                        settings.active_seconds_per_action, settings.active_min_fps)
    return {"actions": [{"id": a, "message_id": m} for a, m in zip(challenge.actions, challenge.message_ids)],
            "duration_ms": int(duration_s * 1000), "fps": fps}


#: What the SDK is told of each mode's challenge, besides the nonce, the mode and the expiry.
WIRE = {"flash": _flash_wire, "active": _active_wire}


def issue_challenge(service: JourneyService, view: JourneyView, face: FaceEngines) -> dict:
    """A liveness challenge for the journey's path: colour flash, or an active challenge (no flashing)."""
    mode = mode_for(view)
    challenge = face.modes[mode].issue(view.id)
    spec, wire = challenge.to_dict(), WIRE[mode](challenge, view, service.settings)
    expires_at = datetime.fromtimestamp(challenge.expires_at, timezone.utc)
    with service.at_step(view.id, Step.LIVENESS) as (session, _record):
        session.add(LivenessChallengeRecord(nonce=challenge.nonce, journey_id=view.id, mode=mode, expires_at=expires_at, spec=spec))
        audit.record(session, view.id, "journey.challenge-issued", mode=mode, reason="person-in-position")
    return {"nonce": challenge.nonce, "mode": mode, "expires_at": expires_at.isoformat(), **wire}


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
    service: JourneyService, view: JourneyView, nonce: str, frames: list[Frame], face: FaceEngines, shown_s: list[float] | None = None,
) -> tuple[dict, JourneyView]:
    """Verify the recorded answer with the face area's verifier and record the verdict.

    ``shown_s``: when the client really showed each flash colour (a flash challenge only).
    """
    mode, spec = require_open_challenge(service, view, nonce)
    liveness = face.modes[mode]
    verdict = liveness.verify(liveness.challenge_from(spec), frames, session_id=view.id, store=ChallengeStore(service),
                              timeout_multiplier=view.timeout_multiplier, shown_s=shown_s)
    if "liveness.challenge_reused" in verdict.reasons:
        raise Conflict("challenge-used", "This challenge was already answered; a replayed answer is refused. Ask for a new challenge.")
    after = results.accept_liveness(
        service, view.id, passed=verdict.passed, score=verdict.score, mode=verdict.mode, reasons=verdict.reasons,
        checks={c.name: {"figure": c.to_dict()["figure"], "threshold": c.threshold, "passed": c.passed} for c in verdict.checks},
        selfie=_best_selfie(frames, face.settings) if verdict.passed else None,
    )
    return {"passed": verdict.passed, "score": verdict.score, "mode": verdict.mode, "reasons": list(verdict.reasons)}, after


def _best_selfie(frames: list[Frame], face: FaceSettings) -> np.ndarray:
    """The frame of a passing answer that best passes the face-match gates (size, pose, eyes, exposure, sharpness, least tint)."""
    from barrierfree.vision.facequality import best_frame

    return frames[best_frame([f.pixels for f in frames], face)].pixels


def match_faces(service, view: JourneyView, face: FaceEngines) -> tuple[dict, JourneyView]:  # noqa: ANN001
    """Match the liveness selfie with the card's portrait using the face area's matcher.

    ``same`` goes on to the review; ``different`` back to the liveness step (a
    failed attempt); ``unsure`` back to the liveness step for one more selfie,
    and a second ``unsure`` to staff review (never to an opened account). A
    picture without exactly one usable face is refused with its own code and
    taken again (the selfie, or the card's portrait side).
    """
    from barrierfree.vision.facequality import FaceRefused

    portrait, selfie = results.images_for_match(service, view.id)
    try:
        result = face.match(selfie, portrait)
    except FaceRefused as error:
        back_to = Step.LIVENESS if error.is_selfie else Step.CARD_FRONT
        after = results.retake(service, view.id, back_to, error.code)
        return {"same_person": False, "outcome": "refused", "similarity": None, "threshold": None, "code": error.code,
                "image": error.image, "message_id": error.message_id}, after
    after = results.accept_match(service, view.id, outcome=result.outcome, similarity=result.similarity,
                                 threshold=result.threshold, band_low=result.band_low)
    message = {"same": "journey.sdk_matched", "different": "journey.sdk_not_matched",
               "unsure": "face.match.staff_review" if after.step == Step.FACE_MATCH.value else "face.match.unsure_retry"}[result.outcome]
    return {"same_person": result.same_person, "outcome": result.outcome, "similarity": round(result.similarity, 4),
            "threshold": round(result.threshold, 4), "unsure_band": [round(result.band_low, 4), round(result.threshold, 4)],
            "message_id": message}, after
