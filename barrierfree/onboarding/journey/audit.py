"""Every journey decision as an :class:`AuditEvent` with its reasons (ids, codes, figures; never values)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from barrierfree.log import get_logger
from barrierfree.onboarding.storage.models import AuditEvent

log = get_logger(__name__)


def subject(journey_id: str) -> str:
    return f"journey:{journey_id}"


def record(session: Session, journey_id: str, kind: str, **details: Any) -> None:
    """Add the event to ``session`` (committed with the change it explains)."""
    session.add(AuditEvent(subject=subject(journey_id), kind=kind, details=details))
    log.info("journey %s %s %s", journey_id, kind, details.get("reason", ""))
