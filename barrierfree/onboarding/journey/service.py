"""The journey's state machine over storage: one transaction per decision.

Every operation loads the journey, checks that it is at the step the
operation belongs to (a post out of order is a :class:`Conflict` naming the
current step), that the step is neither paused nor past its time limit, then
changes it, records an audit event with the reasons, and commits — all or
nothing. A dropped connection therefore leaves the journey exactly at its
last committed step, and ``get`` tells the SDK where to resume.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from barrierfree.errors import BadInput, Conflict, NotFound
from barrierfree.onboarding.journey import audit
from barrierfree.onboarding.journey.attempts import should_pause
from barrierfree.onboarding.journey.clock import StepClock
from barrierfree.onboarding.journey.models import JourneyRecord
from barrierfree.onboarding.journey.staffreview import PAUSED_FOR_STAFF, reason_of
from barrierfree.onboarding.journey.steps import ASSISTANCE_MODES, ORDER, Step, liveness_mode_for, next_step
from barrierfree.onboarding.journey.views import AccountSummary, JourneyView, ReviewField
from barrierfree.onboarding.storage import make_session_factory
from barrierfree.onboarding.storage.models import utcnow
from barrierfree.settings.onboarding import OnboardingSettings

LANGUAGES = ("zh-CN", "en")
HELP_OPTIONS = ("sign_language", "call_back", "retry")
#: The scheduler's skill for "a signing agent now" (Chinese Sign Language, common).
SIGN_LANGUAGE_SKILL = "csl"
#: Steps whose limit is the longer reading limit (nothing to aim, much to read).
_READING_STEPS = {Step.CONSENT, Step.ASSISTANCE, Step.REVIEW}
MIN_MULTIPLIER, MAX_MULTIPLIER = 1.0, 10.0


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class JourneyService:
    """The journey operations; ``now`` is injectable so tests can move time."""

    def __init__(self, engine: Engine, settings: OnboardingSettings, now: Callable[[], datetime] = utcnow) -> None:
        #: Reads need no lock; every decision takes SQLite's write lock up front, so two
        #: journeys' writes queue rather than fail on a stale read snapshot (PostgreSQL
        #: ignores the option and relies on the version column).
        self.sessions = make_session_factory(engine)
        self.writers = make_session_factory(engine.execution_options(sqlite_begin="IMMEDIATE"))
        self.settings = settings
        self.now = now

    # -- reading -----------------------------------------------------------
    def get(self, journey_id: str) -> JourneyView:
        with self.sessions() as session:
            return self.view(self._find(session, journey_id))

    def has_ended(self, journey_id: str) -> bool:
        """Whether the journey is over (its tokens are then revoked); an unknown journey has not (404 comes later)."""
        with self.sessions() as session:
            step = session.scalar(select(JourneyRecord.step).where(JourneyRecord.id == journey_id))
        return step is not None and Step(step).ended

    def view(self, record: JourneyRecord) -> JourneyView:
        step = Step(record.step)
        # Waiting for staff is not the person's time: no limit runs, as in the finished steps.
        clock = None if step.finished or record.paused_reason == PAUSED_FOR_STAFF else self.clock(record)
        now = self.now()
        return JourneyView(
            id=record.id, step=record.step, lang=record.lang, assistance=record.assistance,
            photosensitive=record.photosensitive, liveness_mode=record.liveness_mode,
            timeout_multiplier=record.timeout_multiplier, camera=step.camera,
            deadline=clock.deadline if clock else None, warn_at=clock.warn_at if clock else None,
            extensions_left=clock.extensions_left if clock else 0,
            expired=bool(clock and clock.expired(now)), paused_reason=record.paused_reason,
            help_options=_help_options(record.paused_reason), help_requested=record.help_requested,
            help_url=queue_page(record.help_ticket),
            failures_in_window=len(self._recent_failures(record, now)), account_number=record.account_number,
            staff_review=reason_of(record),
        )

    def clock(self, record: JourneyRecord) -> StepClock:
        base = self.settings.reading_time_limit_s if Step(record.step) in _READING_STEPS else self.settings.step_time_limit_s
        return StepClock(
            started_at=aware(record.step_started_at), limit_s=base * record.timeout_multiplier,
            extensions=record.extensions, max_extensions=self.settings.max_extensions,
            lead_s=self.settings.warning_lead_s,
        )

    # -- the transaction every decision runs in ----------------------------
    @contextmanager
    def at_step(self, journey_id: str, *steps: Step, allow_paused: bool = False, allow_expired: bool = False) -> Iterator[tuple[Session, JourneyRecord]]:
        """Load the journey at one of ``steps``, yield it, then commit (or roll back on error)."""
        with self.locked(journey_id) as (session, record):
            self._check(record, steps, allow_paused, allow_expired)
            yield session, record
            self.commit_change(session, record)

    @contextmanager
    def locked(self, journey_id: str) -> Iterator[tuple[Session, JourneyRecord]]:
        """Load the journey in a writer transaction (SQLite's write lock from the first read), unchecked and
        uncommitted: for a decision that depends on the step itself (see :meth:`check`, :meth:`commit_change`).
        Leaving without a commit rolls back."""
        with self.writers() as session:
            yield session, self._find(session, journey_id)

    def commit_change(self, session: Session, record: JourneyRecord) -> None:
        """Commit a change to ``record``; another request's change at the same moment is a ``journey-busy`` conflict."""
        record.updated_at = self.now()
        try:
            session.commit()
        except StaleDataError:
            session.rollback()
            raise Conflict("journey-busy", "Another request changed this journey at the same moment; fetch it and retry.") from None

    def check(self, record: JourneyRecord, *steps: Step) -> None:
        """Refuse (``Conflict``) unless ``record`` is at one of ``steps``, neither paused nor past its time limit."""
        self._check(record, steps, False, False)

    def require(self, journey_id: str, *steps: Step) -> JourneyView:
        """The journey, checked to be at one of ``steps`` and accepting input, without taking a write lock."""
        with self.sessions() as session:
            record = self._find(session, journey_id)
            self._check(record, steps, False, False)
            return self.view(record)

    def _check(self, record: JourneyRecord, steps: tuple[Step, ...], allow_paused: bool, allow_expired: bool) -> None:
        current = Step(record.step)
        if steps and current not in steps:
            raise Conflict(
                "wrong-step",
                f"The journey is at the {current.value} step, not {'/'.join(s.value for s in steps)}; "
                "fetch the journey and continue from its current step.",
                step=current.value,
            )
        if record.paused_reason and not allow_paused:
            raise Conflict("step-paused", "This step is paused after repeated failures; choose human help or retry first.", step=current.value)
        if not allow_expired and not current.finished and self.clock(record).expired(self.now()):
            raise Conflict("step-expired", "This step's time limit has passed; extend it to carry on where you stopped.", step=current.value)

    def _find(self, session: Session, journey_id: str) -> JourneyRecord:
        record = session.get(JourneyRecord, journey_id)
        if record is None:
            raise NotFound("journey-not-found", "No such journey; start a new one.")
        return record

    def advance(self, session: Session, record: JourneyRecord, to: Step | None = None, *, keep_failures: bool = False, **reasons: object) -> None:
        """Move to the next step (or ``to``), resetting the clock (and failures unless kept), with an audit event."""
        before = record.step
        record.step = (to or next_step(Step(record.step))).value
        record.step_started_at = self.now()
        record.extensions = 0
        if not keep_failures:
            record.failures = []
        record.paused_reason = None
        audit.record(session, record.id, "journey.step", **{"from": before, "to": record.step}, **reasons)

    # -- the steps -----------------------------------------------------------
    def start(self, lang: str = "zh-CN") -> JourneyView:
        if lang not in LANGUAGES:
            raise BadInput("unsupported-language", f"Language must be one of {', '.join(LANGUAGES)}.")
        with self.writers() as session:
            now = self.now()
            record = JourneyRecord(
                id=uuid.uuid4().hex, step=Step.CONSENT.value, lang=lang, step_started_at=now, created_at=now,
                updated_at=now, photosensitive=False, liveness_mode="flash", timeout_multiplier=1.0,
                extensions=0, failures=[], checks=[], document_types={}, liveness={}, match={},
            )
            session.add(record)
            audit.record(session, record.id, "journey.started", lang=lang)
            session.commit()
            return self.view(record)

    def consent(self, journey_id: str, accepted: bool) -> JourneyView:
        with self.at_step(journey_id, Step.CONSENT) as (session, record):
            if accepted:
                self.advance(session, record, reason="consent-given")
            else:
                self.advance(session, record, to=Step.DECLINED, reason="consent-refused")
        return self.get(journey_id)

    def choose_assistance(
        self, journey_id: str, mode: str, *, photosensitive: bool = False,
        liveness_mode: str | None = None, timeout_multiplier: float = 1.0, lang: str | None = None,
    ) -> JourneyView:
        if mode not in ASSISTANCE_MODES:
            raise BadInput("bad-assistance-mode", f"Assistance mode must be one of {', '.join(ASSISTANCE_MODES)}.", field="mode")
        if not MIN_MULTIPLIER <= timeout_multiplier <= MAX_MULTIPLIER:
            raise BadInput("bad-timeout-multiplier", f"The timeout multiplier must be {MIN_MULTIPLIER:g}–{MAX_MULTIPLIER:g}.", field="timeout_multiplier")
        if lang is not None and lang not in LANGUAGES:
            raise BadInput("unsupported-language", f"Language must be one of {', '.join(LANGUAGES)}.", field="lang")
        with self.at_step(journey_id, Step.ASSISTANCE) as (session, record):
            record.assistance = mode
            record.photosensitive = photosensitive
            record.liveness_mode = liveness_mode_for(liveness_mode, photosensitive)
            record.timeout_multiplier = timeout_multiplier
            record.lang = lang or record.lang
            self.advance(
                session, record, reason="assistance-chosen", mode=mode, photosensitive=photosensitive,
                liveness_mode=record.liveness_mode, timeout_multiplier=timeout_multiplier,
            )
        return self.get(journey_id)

    def extend(self, journey_id: str) -> JourneyView:
        """Give the current step another base limit (allowed when paused or already expired)."""
        with self.at_step(journey_id, *[s for s in ORDER if not s.finished], allow_paused=True, allow_expired=True) as (session, record):
            _refuse_while_staff_review(record)
            clock = self.clock(record)
            record.extensions = clock.extended().extensions
            now = self.now()
            if clock.expired(now):
                # Resuming after a lapse: one more base limit counted from now; nothing done so far is lost.
                record.step_started_at = now - timedelta(seconds=clock.limit_s * record.extensions)
            audit.record(session, record.id, "journey.extended", step=record.step, extensions=record.extensions, reason="person-asked")
            view = self.view(record)
        return view

    def record_failure(self, journey_id: str, step: Step, code: str) -> JourneyView:
        """Count a failed attempt; the fifth within the window pauses the step and offers help."""
        with self.at_step(journey_id, step) as (session, record):
            self.count_failure(session, record, step, code)
            view = self.view(record)
        return view

    def count_failure(self, session: Session, record: JourneyRecord, step: Step, code: str) -> bool:
        """Count a failed attempt in ``session`` (the caller's writer transaction); whether it paused the step."""
        now = self.now()
        record.failures = [*self._recent_failures(record, now), now.isoformat()]
        paused = should_pause(
            [datetime.fromisoformat(t) for t in record.failures],
            limit=self.settings.failure_limit, window_s=self.settings.failure_window_s,
        )
        audit.record(session, record.id, "journey.attempt-failed", step=step.value, reason=code, failures=len(record.failures), paused=paused)
        if paused:
            record.paused_reason = "too-many-failures"
            audit.record(session, record.id, "journey.paused", step=step.value, reason="too-many-failures", offered=list(HELP_OPTIONS))
        return paused

    def _recent_failures(self, record: JourneyRecord, now: datetime) -> list[str]:
        window = self.settings.failure_window_s
        return [t for t in record.failures or [] if (now - datetime.fromisoformat(t)).total_seconds() <= window]

    def request_help(self, journey_id: str, choice: str) -> JourneyView:
        """Resolve a pause: ``retry`` resumes with fresh attempts; the others record the request for a human."""
        if choice not in HELP_OPTIONS:
            raise BadInput("bad-help-choice", f"Choose one of {', '.join(HELP_OPTIONS)}.", field="choice")
        with self.at_step(journey_id, *[s for s in ORDER if not s.finished], allow_paused=True, allow_expired=True) as (session, record):
            if choice == "retry":
                _refuse_while_staff_review(record)
            if choice == "retry":
                record.paused_reason = None
                record.failures = []
                record.step_started_at = self.now()
                record.extensions = 0
            else:
                record.help_requested = choice
                if choice == "sign_language" and not record.help_ticket:
                    record.help_ticket = join_sign_language_queue(session, record)
            audit.record(session, record.id, "journey.help", step=record.step, reason=choice, ticket=record.help_ticket)
            view = self.view(record)
        return view

    # -- review and opening --------------------------------------------------
    def review(self, journey_id: str) -> list[ReviewField]:
        with self.sessions() as session:
            record = self._find(session, journey_id)
            return review_fields(record, self.settings.review_unsure_confidence)

    def edit_field(self, journey_id: str, name: str, value: str) -> list[ReviewField]:
        """Correct one field (identity fields read with passed checks are locked: see :mod:`.review`)."""
        from barrierfree.onboarding.journey import review

        review.edit_field(self, journey_id, name, value)
        return self.review(journey_id)

    def confirm(self, journey_id: str) -> AccountSummary | JourneyView:
        """Open the account (its summary), or, after an identity correction, the journey now pending staff review."""
        from barrierfree.onboarding.journey import review

        if review.confirm(self, journey_id):
            with self.sessions() as session:
                return summary_of(self._find(session, journey_id))
        return self.get(journey_id)

    def summary(self, journey_id: str) -> AccountSummary:
        with self.sessions() as session:
            record = self._find(session, journey_id)
            if record.step != Step.OPENED.value:
                raise Conflict("not-opened", "The account is not opened yet; finish the review first.", step=record.step)
            return summary_of(record)


def _refuse_while_staff_review(record: JourneyRecord) -> None:
    """A face match waiting for staff cannot be retried or given more time: only a staff decision moves it."""
    if record.paused_reason == PAUSED_FOR_STAFF:
        raise Conflict("staff-review-pending", "A member of staff is checking the face match; "
                       "nothing can be retried or extended until they decide.")


def _help_options(paused_reason: str | None) -> tuple[str, ...]:
    """What a paused step offers: every help option, but no retry while staff review a face match."""
    if not paused_reason:
        return ()
    return tuple(o for o in HELP_OPTIONS if o != "retry") if paused_reason == PAUSED_FOR_STAFF else HELP_OPTIONS


def join_sign_language_queue(session: Session, record: JourneyRecord) -> str:
    """Put the person in the scheduler's on-demand queue for a signing agent (same transaction); the ticket id."""
    from barrierfree.onboarding.scheduler.queue import join_queue
    from barrierfree.onboarding.scheduler.types import Customer

    name = _load_fields(record).get("name", {}).get("value") or "—"
    ticket = join_queue(session, SIGN_LANGUAGE_SKILL, Customer(name=name, contact=f"journey:{record.id}"),
                        reason=f"account opening: {record.step} paused")
    return ticket.id


def queue_page(ticket_id: str | None) -> str | None:
    if not ticket_id:
        return None
    from barrierfree.onboarding.scheduler.queue import QUEUE_PAGE

    return QUEUE_PAGE.format(ticket_id=ticket_id)


def _load_fields(record: JourneyRecord) -> dict[str, dict]:
    return json.loads(record.fields_sealed) if record.fields_sealed else {}


def review_fields(record: JourneyRecord, unsure_below: float = 0.8) -> list[ReviewField]:
    from barrierfree.onboarding.journey.fields import IDENTITY, ORDERED, check_field
    from barrierfree.onboarding.journey.review import is_locked

    stored = _load_fields(record)
    result = []
    for name in sorted(stored, key=lambda n: ORDERED.index(n) if n in ORDERED else len(ORDERED)):
        item = stored[name]
        problem = check_field(name, item["value"])
        locked = is_locked(record, name, item, unsure_below)
        if problem is None and item.get("needs_typing") and item.get("source") == "ocr":
            problem = "This field could not be read reliably from the card; type it as printed."
        result.append(ReviewField(
            name=name, value=item["value"], confidence=float(item.get("confidence", 0.0)),
            source=item.get("source", "ocr"), side=item.get("side", "front"), valid=problem is None, problem=problem,
            locked=locked, correction_reviewed=name in IDENTITY and not locked,
        ))
    return result


def summary_of(record: JourneyRecord) -> AccountSummary:
    fields = review_fields(record)
    name = next((f.value for f in fields if f.name == "name"), "")
    return AccountSummary(
        account_number=record.account_number or "", opened_at=aware(record.opened_at or utcnow()),
        holder_name=name, document_type=record.document_types.get("front", "unknown"),
        liveness_mode=record.liveness_mode, fields=tuple(fields),
    )
