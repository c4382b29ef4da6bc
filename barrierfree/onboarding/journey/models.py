"""The journey's tables.

Personal data (every field read from the card, the ID portrait and the
selfie while they are needed) lives only in :class:`RowSealedText` columns,
sealed to their column and their journey.
Images are dropped as soon as the face match has used them, unless the
operator configured ``keep_images``; then they are copied into
:class:`JourneyImage` with a ``delete_after`` that the purge command honours.
``version`` makes every write compare-and-set, so two requests racing on one
journey cannot both advance it (the loser gets a 409 and retries).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from barrierfree.onboarding.storage.sealing import RowSealedText, seal_rows
from barrierfree.onboarding.storage.db import Base
from barrierfree.onboarding.storage.models import utcnow


class JourneyRecord(Base):
    __tablename__ = "journeys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    step: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8))
    assistance: Mapped[str | None] = mapped_column(String(16))
    photosensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    liveness_mode: Mapped[str] = mapped_column(String(16), default="flash")
    #: The person's timeout multiplier (1 = default limits).
    timeout_multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    step_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    #: Failure times (ISO 8601) of the current step, for the pause-and-help rule.
    failures: Mapped[list[str]] = mapped_column(JSON, default=list)
    paused_reason: Mapped[str | None] = mapped_column(String(32))
    help_requested: Mapped[str | None] = mapped_column(String(32))
    #: The sign-language queue ticket the person was given, if they asked for a signing agent.
    help_ticket: Mapped[str | None] = mapped_column(String(64))
    #: JSON of the fields read from the card, ``{name: {value, confidence, source}}``.
    fields_sealed: Mapped[str | None] = mapped_column(RowSealedText("journey.fields"))
    #: Validation checks of the card: ``[{side, name, passed}]`` (no values).
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    document_types: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: Base64 JPEG of the card's portrait, kept only until the face match.
    portrait_sealed: Mapped[str | None] = mapped_column(RowSealedText("journey.portrait"))
    #: Base64 JPEG of the best liveness frame, kept only until the face match.
    selfie_sealed: Mapped[str | None] = mapped_column(RowSealedText("journey.selfie"))
    liveness: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    match: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    account_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}


class LivenessChallengeRecord(Base):
    """A server-issued liveness challenge; answered at most once, before it expires."""

    __tablename__ = "journey_challenges"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The challenge as issued (colours and durations, or actions): no personal data.
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)


class JourneyImage(Base):
    """An image kept because the operator configured ``keep_images``; purged after ``delete_after``."""

    __tablename__ = "journey_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delete_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    data_sealed: Mapped[str] = mapped_column(RowSealedText("journey.image"))


# Personal data is sealed to its journey (see barrierfree.onboarding.storage.sealing).
seal_rows(JourneyRecord, ("id",))
seal_rows(JourneyImage, ("journey_id",))
