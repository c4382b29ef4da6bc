"""What the journey shows its callers: small frozen dataclasses, no ORM rows.

Times are timezone-aware UTC; personal data appears only in
:class:`ReviewField` values and the :class:`AccountSummary`, which go to the
journey's own token holder and never to logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class JourneyView:
    id: str
    step: str
    lang: str
    assistance: str | None
    photosensitive: bool
    liveness_mode: str
    timeout_multiplier: float
    #: The camera the current step needs (``user``/``environment``) or ``None``.
    camera: str | None
    deadline: datetime | None
    warn_at: datetime | None
    extensions_left: int
    expired: bool
    #: Why the step is paused (``too-many-failures``) or ``None``.
    paused_reason: str | None
    #: The human help on offer while paused: ``sign_language``, ``call_back``, ``retry``.
    help_options: tuple[str, ...] = ()
    help_requested: str | None = None
    #: The sign-language queue page to wait on, once the person asked for a signing agent.
    help_url: str | None = None
    failures_in_window: int = 0
    account_number: str | None = None


@dataclass(frozen=True)
class ReviewField:
    name: str
    value: str
    #: OCR confidence 0..1, or 1.0 once the person typed the value.
    confidence: float
    #: ``ocr`` or ``edited``.
    source: str
    #: Which card side it came from: ``front`` or ``back``.
    side: str
    #: Whether the value passes its own validation (e.g. the ID number's check digit).
    valid: bool = True
    problem: str | None = None
    #: An identity field read with its checks passed: it cannot be edited after the face match.
    locked: bool = False
    #: An identity field the reading flagged: the person may correct it, and a staff member then reviews it.
    correction_reviewed: bool = False


@dataclass(frozen=True)
class StaffField:
    """One field as a staff reviewer sees it: what the card reading gave and what the person typed."""

    name: str
    read_value: str | None
    read_confidence: float | None
    value: str
    corrected: bool


@dataclass(frozen=True)
class StaffCase:
    """A journey waiting for staff review (personal data: staff pages only, never logs)."""

    journey_id: str
    step: str
    document_types: dict[str, str]
    failed_checks: tuple[str, ...]
    fields: tuple[StaffField, ...]
    #: Ids of the images still retained for this journey (``keep_images``), with their kind.
    images: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class AccountSummary:
    account_number: str
    opened_at: datetime
    holder_name: str
    document_type: str
    liveness_mode: str
    fields: tuple[ReviewField, ...] = field(default_factory=tuple)
