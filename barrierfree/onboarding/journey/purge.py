"""Retention: delete kept images after their period and abandoned journeys with their personal data.

Run by ``barrierfree journey purge`` (e.g. daily from cron). Opened accounts
keep their fields (the bank needs them), but never their images beyond the
configured retention; unfinished journeys older than
``journey_retention_days`` are deleted with everything they hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update

from barrierfree.onboarding.journey import audit
from barrierfree.onboarding.journey.models import JourneyImage, JourneyRecord, LivenessChallengeRecord
from barrierfree.onboarding.journey.staffreview import PAUSED_FOR_STAFF
from barrierfree.onboarding.storage import make_session_factory
from barrierfree.settings.onboarding import OnboardingSettings

#: Journeys no longer purged as unfinished: the ended ones, and those a staff member still has to review
#: (as are face matches paused for staff, ``paused_reason = "staff-review"``).
FINISHED = ("opened", "declined", "rejected", "pending_review")


@dataclass(frozen=True)
class PurgeReport:
    images_deleted: int
    journeys_deleted: int
    challenges_deleted: int
    images_cleared: int


def purge(engine: Engine, settings: OnboardingSettings, now: datetime) -> PurgeReport:
    """Delete what is past its retention, in one transaction, and audit it (counts only)."""
    sessions = make_session_factory(engine.execution_options(sqlite_begin="IMMEDIATE"))
    stale = now - timedelta(days=settings.journey_retention_days)
    with sessions() as session:
        images = session.execute(delete(JourneyImage).where(JourneyImage.delete_after <= now)).rowcount
        waiting_for_staff = JourneyRecord.paused_reason.is_not(None) & (JourneyRecord.paused_reason == PAUSED_FOR_STAFF)
        old = list(session.scalars(select(JourneyRecord.id).where(
            JourneyRecord.step.not_in(FINISHED), ~waiting_for_staff, JourneyRecord.updated_at < stale)))
        challenges = session.execute(delete(LivenessChallengeRecord).where(
            (LivenessChallengeRecord.journey_id.in_(old)) | (LivenessChallengeRecord.expires_at < now - timedelta(days=1))
        )).rowcount
        if old:
            session.execute(delete(JourneyImage).where(JourneyImage.journey_id.in_(old)))
            session.execute(delete(JourneyRecord).where(JourneyRecord.id.in_(old)))
        # Images still held by finished journeys (a match that never ran) go as well.
        cleared = session.execute(update(JourneyRecord).where(
            JourneyRecord.step.in_(FINISHED), (JourneyRecord.portrait_sealed.is_not(None)) | (JourneyRecord.selfie_sealed.is_not(None))
        ).values(portrait_sealed=None, selfie_sealed=None).execution_options(synchronize_session=False)).rowcount
        report = PurgeReport(images, len(old), challenges, cleared)
        for journey_id in old:
            audit.record(session, journey_id, "journey.purged", reason="retention-expired")
        session.commit()
    return report
