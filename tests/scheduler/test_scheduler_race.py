"""A race of overlapping, different bookings on SQLite and PostgreSQL, and an audit that finds a planted overlap.

Bookings of 30 and 45 minutes, on two shifting grids, race reschedules, time
off and moved working hours, so the overlap check and the exclusion
constraint (not only the unique index on a live start) decide. The audit
(:func:`testkit.booking_race.audit`) counts overlaps from the stored
starts and ends plus the buffer, not from the ``blocked_until`` the
constraint trusts, and must find one planted where the constraint cannot.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import text

from barrierfree.onboarding.scheduler.models import Booking, TimeOff
from barrierfree.onboarding.scheduler.txn import write_session
from testkit.booking_race import audit, run_race
from testkit.scheduler import add_all_week_agent, open_scheduler
from tests.scheduler.test_scheduler_domain import _in_threads

UTC = timezone.utc
#: The clock every operation uses: fixed, so the dates are pinned and holds do not run out mid-race.
NOW = datetime(2027, 3, 21, 0, 0, tzinfo=UTC)
DAYS = [datetime(2027, 3, 22 + n, tzinfo=UTC) for n in range(4)]
AGENTS = ["sh-1", "sh-2"]
BUFFER_MINUTES = 10
#: The benchmark's old check: the same condition as the PostgreSQL constraint, so it can find nothing there.
CONSTRAINT_QUERY = text(
    "SELECT count(*) FROM sl_bookings a JOIN sl_bookings b ON a.agent_id = b.agent_id AND a.id < b.id "
    "WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed') "
    "AND a.starts_at < b.blocked_until AND b.starts_at < a.blocked_until"
)


@pytest.fixture
def sessions(db_engine):
    factory = open_scheduler(db_engine)
    for agent in AGENTS:
        add_all_week_agent(factory, agent, "Asia/Shanghai", skills=("csl",), start=time(9, 0), end=time(12, 0))
    return factory


def test_racing_overlapping_bookings_time_off_and_moved_hours_never_double_book(sessions, db_engine):
    result = run_race(sessions, AGENTS, DAYS, NOW, clients=8, operations=30, seed=1, buffer_minutes=BUFFER_MINUTES)
    assert not {k: n for k, n in result.outcomes.items() if k[1].startswith("error:")}, result.outcomes
    assert sum(result.outcomes.values()) == result.operations
    # The race reached the checks that matter: overlaps refused, bookings made, time off refused over bookings.
    assert result.outcomes["book", "ok"] > 0 and result.outcomes["book", "slot-taken"] > 0, result.outcomes
    assert result.outcomes["time_off", "ok"] > 0, result.outcomes
    with db_engine.connect() as connection:
        lengths = {(_t(end) - _t(start)) for start, end in connection.execute(text("SELECT starts_at, ends_at FROM sl_bookings"))}
    assert lengths == {timedelta(minutes=30), timedelta(minutes=45)}  # both versions of the settings booked
    found = audit(db_engine, BUFFER_MINUTES)
    assert found.live_bookings > 0
    assert (found.overlaps, found.in_time_off) == (0, 0), (found, result.outcomes)


def test_the_audit_finds_a_planted_overlap_that_the_constraint_lets_through(sessions, db_engine):
    def planted(start: datetime, minutes: int, blocked_minutes: int) -> Booking:
        return Booking(agent_id="sh-1", skill_code="csl", starts_at=start, ends_at=start + timedelta(minutes=minutes),
                       blocked_until=start + timedelta(minutes=blocked_minutes), status="confirmed",
                       customer_name="客户", customer_contact="c@example.cn", sequence=0, created_at=NOW, updated_at=NOW)

    first = DAYS[0] + timedelta(hours=1)
    assert audit(db_engine, BUFFER_MINUTES).overlaps == 0
    with write_session(sessions) as session:
        # The first session's stored block lost its buffer: the second starts 5 minutes after it ends.
        session.add(planted(first, 30, 30))
        session.add(planted(first + timedelta(minutes=35), 30, 30 + BUFFER_MINUTES))
        # And a confirmed session with time off over it, written past the check.
        session.add(planted(first + timedelta(hours=2), 30, 30 + BUFFER_MINUTES))
        session.add(TimeOff(agent_id="sh-1", starts_at=first + timedelta(hours=2, minutes=10), ends_at=first + timedelta(hours=3)))
    found = audit(db_engine, BUFFER_MINUTES)
    assert (found.live_bookings, found.overlaps, found.in_time_off) == (3, 1, 1)
    with db_engine.connect() as connection:
        assert connection.execute(CONSTRAINT_QUERY).scalar_one() == 0  # the old check sees nothing


def _t(value) -> datetime:
    value = datetime.fromisoformat(value) if isinstance(value, str) else value
    return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def test_a_booking_and_time_off_over_it_racing_never_both_succeed(sessions, db_engine):
    from barrierfree.onboarding.scheduler import agents, bookings
    from barrierfree.onboarding.scheduler.types import Customer
    from barrierfree.settings.scheduler import SchedulerSettings

    config = SchedulerSettings(buffer_minutes=BUFFER_MINUTES)
    both = 0
    for day in range(12):
        start = DAYS[0] + timedelta(days=day, hours=1)  # 09:00 Shanghai, a slot of either version of the hours
        request = bookings.BookingRequest("sh-1", start, "csl", Customer("客户", "c@example.cn"))

        def away(start=start):
            with write_session(sessions) as session:
                return agents.add_time_off(session, "sh-1", start, start + timedelta(minutes=20), now=NOW)

        results = _in_threads([lambda request=request: bookings.book(sessions, config, request, now=NOW), away])
        both += not any(isinstance(r, Exception) for r in results)
    assert both == 0
    assert audit(db_engine, BUFFER_MINUTES).in_time_off == 0

