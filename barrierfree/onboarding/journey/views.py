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
    """The journey as its caller sees it; every field goes on the wire as is (the API's ``Journey``
    document and its OpenAPI schema are made from these fields: :mod:`barrierfree.web.api.schemas`)."""

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
    failures_in_window: int = 0
    account_number: str | None = None
    #: The sign-language queue page to wait on, once the person asked for a signing agent.
    help_url: str | None = None
    #: Why a member of staff is (or was) deciding this journey: ``identity-correction``,
    #: ``face-match-unsure``, or ``None`` (see :mod:`barrierfree.onboarding.journey.staffreview`).
    staff_review: str | None = None


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
class QueueEntry:
    """One journey in the staff's review queue: which, why (``identity-correction`` or ``face-match-unsure``), since when."""

    journey_id: str
    reason: str
    waiting_since: datetime


@dataclass(frozen=True)
class FaceCase:
    """A face match that stayed ``unsure`` twice, as the staff reviewer sees it (no personal data but the images).

    Distances are the matcher's (``1 - similarity``): ``same`` at or below
    ``same_max_distance``, ``unsure`` up to ``unsure_max_distance``, ``different`` above.
    """

    journey_id: str
    step: str
    distance: float
    same_max_distance: float
    unsure_max_distance: float
    band: str
    #: Whether a staff member must still decide (the journey waits at the face match).
    waiting: bool
    #: Which of ``selfie`` and ``portrait`` are still held for the reviewer.
    images: tuple[str, ...] = ()
    #: ``same`` or ``different`` once staff decided.
    decision: str | None = None


@dataclass(frozen=True)
class AccountSummary:
    account_number: str
    opened_at: datetime
    holder_name: str
    document_type: str
    liveness_mode: str
    fields: tuple[ReviewField, ...] = field(default_factory=tuple)
