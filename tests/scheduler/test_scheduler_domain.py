"""The scheduler's domain on SQLite and real PostgreSQL: bookings, waitlist, queue, reminders, ICS."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import datetime, time, timedelta, timezone

import pytest
from icalendar import Calendar
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from barrierfree.errors import BadInput, Conflict, NotFound
from barrierfree.log import ref
from barrierfree.onboarding.scheduler import bookings, ics, queue, reminders, waitlist
from barrierfree.onboarding.scheduler.agents import add_time_off
from barrierfree.onboarding.scheduler.availability import free_slots
from barrierfree.onboarding.scheduler.models import Booking, QueueEntry
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.scheduler.types import Customer
from barrierfree.settings.scheduler import SchedulerSettings
from testkit.scheduler import add_all_week_agent, open_scheduler

UTC = timezone.utc
CONFIG = SchedulerSettings()
#: A fixed "now" a week before Berlin's spring-forward day, so every test sees the same calendar.
NOW = datetime(2027, 3, 21, 0, 0, tzinfo=UTC)
ALICE = Customer("张三", "zhang.san@example.cn")
BOB = Customer("李四", "+86 138 0013 8000")


@pytest.fixture
def sessions(db_engine):
    factory = open_scheduler(db_engine)
    add_all_week_agent(factory, "berlin-1", "Europe/Berlin", start=time(1, 0), end=time(5, 0))
    add_all_week_agent(factory, "sh-1", "Asia/Shanghai", skills=("csl", "csl-shanghai"), start=time(9, 0), end=time(12, 0))
    return factory


def _request(agent: str, start: str, customer: Customer = ALICE, skill: str = "csl", hold: bool = False):
    return bookings.BookingRequest(agent, datetime.fromisoformat(start.replace("Z", "+00:00")), skill, customer, hold)


def _slots(sessions, day: str, agent: str | None = None, skills=("csl",)):
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    with sessions() as session:
        return list(free_slots(session, CONFIG, start, start + timedelta(days=1), NOW, skills, agent))


def test_booking_on_the_spring_forward_day_blocks_the_slot_and_sends_texts(sessions):
    slots = _slots(sessions, "2027-03-28", "berlin-1")
    # Berlin 01:00-05:00 local on the DST day = 00:00Z-03:00Z: 3 real hours, a slot every 40 min;
    # 23:00Z and 23:40Z are already 01:00 and 01:40 CEST on the next local day.
    assert [s.start.strftime("%H:%M") for s in slots] == ["00:00", "00:40", "01:20", "02:00", "23:00", "23:40"]
    booked = bookings.book(sessions, CONFIG, _request("berlin-1", "2027-03-28T00:40:00Z"), now=NOW).booking
    assert booked.status == "confirmed" and booked.end - booked.start == timedelta(minutes=30)
    assert [s.start.strftime("%H:%M") for s in _slots(sessions, "2027-03-28", "berlin-1")] == ["00:00", "01:20", "02:00", "23:00", "23:40"]

    assert reminders.run_due(sessions, CONFIG, now=NOW) == 1  # the confirmation; reminders are due later
    assert reminders.run_due(sessions, CONFIG, now=booked.start - timedelta(minutes=59)) == 2  # 24 h and 1 h before
    with sessions() as session:
        sent = reminders.outbox(session, booked.id)
        assert [m.channel for m in sent] == ["email"] * 3
        assert {m.recipient for m in sent} == {ALICE.contact}
        assert all(ALICE.name not in m.body for m in sent)
        assert "2027-03-28T00:40:00Z" in sent[0].body and booked.room_id in sent[0].body


def test_idempotent_retry_books_once_and_a_reused_key_is_refused(sessions):
    first = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z"), "retry-1", now=NOW)
    again = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z"), "retry-1", now=NOW)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.booking.id == first.booking.id
    with pytest.raises(Conflict) as reused:
        bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:40:00Z"), "retry-1", now=NOW)
    assert reused.value.code == "idempotency-key-reused"
    with sessions() as session:
        assert session.scalar(select(text("count(*)")).select_from(Booking)) == 1


def test_concurrent_retries_with_one_key_book_once(sessions):
    results, errors = [], []

    def attempt():
        try:
            results.append(bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-23T01:40:00Z"), "same-key", now=NOW))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({r.booking.id for r in results}) == 1 and sum(not r.replayed for r in results) == 1


def test_the_database_itself_refuses_overlapping_live_bookings(sessions, db_engine):
    booked = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z"), now=NOW).booking
    row = (
        "INSERT INTO sl_bookings (id, agent_id, skill_code, starts_at, ends_at, blocked_until, status, customer_name, "
        "customer_contact, sequence, room_id, created_at, updated_at) VALUES (:id, 'sh-1', 'csl', :s, :e, :b, :status, "
        "'x', 'y', 0, :id, :s, :s)"
    )
    # 15 minutes later: not the same start, so only the PostgreSQL exclusion constraint can refuse it;
    # the same start is refused by the partial unique index on both databases.
    overlapping = booked.start + timedelta(minutes=15) if db_engine.dialect.name == "postgresql" else booked.start
    # SQLite stores what SQLAlchemy writes: naive UTC text with microseconds.
    fmt = (lambda d: d) if db_engine.dialect.name == "postgresql" else (lambda d: d.strftime("%Y-%m-%d %H:%M:%S.%f"))
    with pytest.raises(IntegrityError):
        with db_engine.begin() as connection:
            connection.execute(text(row), {"id": "raw1", "s": fmt(overlapping), "e": fmt(overlapping + timedelta(minutes=30)),
                                           "b": fmt(overlapping + timedelta(minutes=40)), "status": "confirmed"})
    with db_engine.begin() as connection:  # a cancelled booking does not hold the slot
        connection.execute(text(row), {"id": "raw2", "s": fmt(overlapping), "e": fmt(overlapping + timedelta(minutes=30)),
                                       "b": fmt(overlapping + timedelta(minutes=40)), "status": "cancelled"})


def test_reschedule_into_a_taken_slot_changes_nothing_and_a_good_one_bumps_the_sequence(sessions):
    mine = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z"), now=NOW).booking
    bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:40:00Z", BOB), now=NOW)
    with pytest.raises(Conflict) as taken:
        bookings.reschedule(sessions, CONFIG, mine.id, datetime(2027, 3, 22, 1, 40, tzinfo=UTC), now=NOW)
    assert taken.value.code == "slot-taken"
    with sessions() as session:
        unchanged = bookings.view(bookings.get_booking(session, mine.id))
    assert (unchanged.start, unchanged.sequence, unchanged.status) == (mine.start, 0, "confirmed")

    moved = bookings.reschedule(sessions, CONFIG, mine.id, datetime(2027, 3, 22, 2, 20, tzinfo=UTC), now=NOW)
    assert (moved.sequence, moved.start.hour, moved.start.minute) == (1, 2, 20)
    assert datetime(2027, 3, 22, 1, 0, tzinfo=UTC) in [s.start for s in _slots(sessions, "2027-03-22", "sh-1")]


def test_cancel_twice_is_a_clear_conflict_and_finished_sessions_stay_finished(sessions):
    booked = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z"), now=NOW).booking
    assert bookings.cancel(sessions, CONFIG, booked.id, now=NOW).status == "cancelled"
    with pytest.raises(Conflict) as twice:
        bookings.cancel(sessions, CONFIG, booked.id, now=NOW)
    assert twice.value.code == "already-cancelled"
    other = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:40:00Z"), now=NOW).booking
    with pytest.raises(Conflict):
        bookings.record_outcome(sessions, other.id, "completed", now=NOW)  # not started yet
    assert bookings.record_outcome(sessions, other.id, "no_show", now=other.start + timedelta(minutes=10)).status == "no_show"
    with pytest.raises(Conflict) as finished:
        bookings.cancel(sessions, CONFIG, other.id, now=NOW)
    assert finished.value.code == "booking-finished"
    with pytest.raises(NotFound):
        bookings.cancel(sessions, CONFIG, "no-such-booking", now=NOW)


@pytest.mark.parametrize(
    ("agent", "start", "skill", "code"),
    [
        ("sh-1", "2027-03-22T01:00:00Z", "klingon", "unknown-skill"),
        ("sh-1", "2027-03-22T01:00:00Z", "zh-text", "skill-not-offered"),
        ("sh-1", "2027-03-22T01:05:00Z", "csl", "not-a-slot"),
        ("sh-1", "2027-03-22T06:00:00Z", "csl", "not-a-slot"),
        ("sh-1", "2020-03-22T01:00:00Z", "csl", "date-in-past"),
        ("sh-1", "2031-03-22T01:00:00Z", "csl", "date-too-far"),
        ("nobody", "2027-03-22T01:00:00Z", "csl", "unknown-agent"),
    ],
)
def test_bad_booking_requests_are_refused_and_nothing_is_written(sessions, agent, start, skill, code):
    with pytest.raises(BadInput) as refused:
        bookings.book(sessions, CONFIG, _request(agent, start, skill=skill), now=NOW)
    assert refused.value.code == code
    with sessions() as session:
        assert session.scalars(select(Booking)).all() == []


def test_time_off_removes_slots_and_refuses_bookings(sessions):
    with write_session(sessions) as session:
        add_time_off(session, "sh-1", datetime(2027, 3, 22, 1, 0, tzinfo=UTC), datetime(2027, 3, 22, 2, 0, tzinfo=UTC))
        with pytest.raises(BadInput):
            add_time_off(session, "sh-1", datetime(2027, 3, 22, 2, 0, tzinfo=UTC), datetime(2027, 3, 22, 1, 0, tzinfo=UTC))
    assert [s.start.strftime("%H:%M") for s in _slots(sessions, "2027-03-22", "sh-1")] == ["02:20", "03:00"]
    with pytest.raises(Conflict):
        bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:40:00Z"), now=NOW)


def test_a_cancellation_promotes_the_oldest_matching_waitlist_entry(sessions):
    day = datetime(2027, 3, 22, tzinfo=UTC)
    taken = [bookings.book(sessions, CONFIG, _request("sh-1", s.start.strftime("%Y-%m-%dT%H:%M:%SZ")), now=NOW).booking
             for s in _slots(sessions, "2027-03-22", skills=("csl-shanghai",))]
    assert len(taken) == 4 and _slots(sessions, "2027-03-22", skills=("csl-shanghai",)) == []
    with write_session(sessions) as session:
        first = waitlist.join_waitlist(session, CONFIG, "csl-shanghai", day, day + timedelta(days=1), BOB, now=NOW)
        second = waitlist.join_waitlist(session, CONFIG, "csl", day, day + timedelta(days=1), ALICE, now=NOW + timedelta(seconds=1))
        with pytest.raises(BadInput):
            waitlist.join_waitlist(session, CONFIG, "csl", day + timedelta(days=1), day, ALICE, now=NOW)
    bookings.cancel(sessions, CONFIG, taken[2].id, now=NOW)
    with sessions() as session:
        promoted = waitlist.view(waitlist.get_entry(session, first.id))
        assert promoted.status == "booked"
        new = bookings.get_booking(session, promoted.booking_id)
        assert (new.starts_at, new.status, new.customer_name, new.skill_code) == (taken[2].start, "confirmed", BOB.name, "csl-shanghai")
        assert waitlist.view(waitlist.get_entry(session, second.id)).status == "waiting"
    assert reminders.run_due(sessions, CONFIG, now=NOW) >= 1
    with sessions() as session:
        assert [m.channel for m in reminders.outbox(session, promoted.booking_id)] == ["sms"]


def test_an_expired_hold_frees_its_slot_and_cannot_be_confirmed(sessions):
    held = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z", hold=True), now=NOW).booking
    assert held.status == "held" and held.held_until == NOW + timedelta(minutes=CONFIG.hold_minutes)
    with pytest.raises(Conflict):
        bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z", BOB), now=NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=CONFIG.hold_minutes + 1)
    taken = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z", BOB), now=later).booking
    with pytest.raises(Conflict) as expired:
        bookings.confirm(sessions, CONFIG, held.id, now=later)
    assert expired.value.code == "hold-expired" and taken.status == "confirmed"
    other = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T02:20:00Z", hold=True), now=NOW).booking
    # The customer asks for more time just before the hold runs out, twice; it never lapses meanwhile.
    almost = NOW + timedelta(minutes=CONFIG.hold_minutes - 1)
    assert bookings.extend_hold(sessions, CONFIG, other.id, now=almost).held_until == almost + timedelta(minutes=CONFIG.hold_minutes)
    later_still = almost + timedelta(minutes=CONFIG.hold_minutes - 1)
    bookings.extend_hold(sessions, CONFIG, other.id, now=later_still)
    with pytest.raises(Conflict):
        bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T02:20:00Z", BOB), now=later_still + timedelta(minutes=1))
    assert bookings.confirm(sessions, CONFIG, other.id, now=later_still + timedelta(minutes=2)).status == "confirmed"
    with pytest.raises(Conflict):
        bookings.extend_hold(sessions, CONFIG, held.id, now=later)


def test_the_queue_hands_each_customer_to_exactly_one_agent_under_concurrent_claims(sessions):
    for n in range(4):
        add_all_week_agent(sessions, f"q-{n}", skills=("csl",))
    with write_session(sessions) as session:
        tickets = [queue.join_queue(session, "csl", Customer(f"客户{n}", f"c{n}@example.cn"), "open an account",
                                    now=NOW + timedelta(seconds=n)) for n in range(24)]
    assert [t.position for t in tickets] == list(range(1, 25))
    claims: list[tuple[str, str]] = []
    agents = ["sh-1", "berlin-1", "q-0", "q-1", "q-2", "q-3"]

    def work(agent_id: str):
        while (ticket := queue.claim_next(sessions, agent_id, now=NOW)) is not None:
            claims.append((ticket.id, agent_id))

    threads = [threading.Thread(target=work, args=(agent,)) for agent in agents for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = Counter(ticket_id for ticket_id, _ in claims)
    assert set(counts) == {t.id for t in tickets} and set(counts.values()) == {1}
    with sessions() as session:
        rows = session.scalars(select(QueueEntry)).all()
        assert {row.status for row in rows} == {"claimed"}
        assert {row.id: row.claimed_by for row in rows} == dict(claims)


def test_queue_order_leaving_and_skills(sessions):
    with write_session(sessions) as session:
        shanghai = queue.join_queue(session, "csl-shanghai", BOB, now=NOW)
        first = queue.join_queue(session, "csl", ALICE, "help", now=NOW + timedelta(seconds=1))
        second = queue.join_queue(session, "csl", BOB, now=NOW + timedelta(seconds=2))
        assert queue.leave_queue(session, first.id).status == "left"
        assert queue.queue_status(session, second.id).position == 1
        with pytest.raises(BadInput):
            queue.join_queue(session, "no-such-skill", ALICE)
    claimed = queue.claim_next(sessions, "berlin-1", now=NOW)  # berlin-1 has csl but not csl-shanghai
    assert claimed.id == second.id and claimed.customer == BOB
    assert queue.claim_next(sessions, "berlin-1", now=NOW) is None
    assert queue.claim_next(sessions, "sh-1", now=NOW).id == shanghai.id
    with write_session(sessions) as session:
        with pytest.raises(Conflict):
            queue.leave_queue(session, second.id)


def test_calendar_round_trip_keeps_the_uid_and_bumps_the_sequence(sessions):
    booked = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z"), now=NOW).booking
    moved = bookings.reschedule(sessions, CONFIG, booked.id, datetime(2027, 3, 22, 2, 20, tzinfo=UTC), now=NOW)
    cancelled = bookings.cancel(sessions, CONFIG, booked.id, now=NOW)
    parsed = []
    for version in (booked, moved, cancelled):
        calendar = Calendar.from_ical(ics.booking_calendar(version, "https://bank.example", now=NOW))
        (event,) = calendar.walk("VEVENT")
        parsed.append((str(calendar["METHOD"]), str(event["UID"]), int(event["SEQUENCE"]), event.decoded("DTSTART"), str(event["STATUS"])))
    assert [p[0] for p in parsed] == ["PUBLISH", "PUBLISH", "CANCEL"]
    assert len({p[1] for p in parsed}) == 1 and parsed[0][1] == ics.uid(booked.id)
    assert [p[2] for p in parsed] == [0, 1, 2]
    assert parsed[0][3] == booked.start and parsed[1][3] == moved.start
    assert [p[4] for p in parsed] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]


def test_two_tickers_never_send_a_message_twice(sessions):
    for n, start in enumerate(("2027-03-22T01:00:00Z", "2027-03-22T01:40:00Z", "2027-03-22T02:20:00Z")):
        bookings.book(sessions, CONFIG, _request("sh-1", start, Customer(f"客户{n}", f"1380013800{n}")), now=NOW)
    totals = []
    threads = [threading.Thread(target=lambda w=w: totals.append(reminders.run_due(sessions, CONFIG, worker=w, now=NOW + timedelta(days=2))))
               for w in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with sessions() as session:
        sent = reminders.outbox(session)
    assert sum(totals) == len(sent) == 9  # 3 bookings x (confirmation + 2 reminders)
    assert len({m.reminder_id for m in sent}) == 9


def test_personal_data_is_encrypted_at_rest_and_never_logged(sessions, db_engine, caplog):
    caplog.set_level(logging.DEBUG)
    booked = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z"), now=NOW).booking
    with write_session(sessions) as session:
        queue.join_queue(session, "csl", BOB, "我想开户", now=NOW)
    reminders.run_due(sessions, CONFIG, now=NOW)
    with db_engine.connect() as connection:
        raw = " ".join(str(v) for table in ("sl_bookings", "sl_queue", "sl_outbox")
                       for row in connection.execute(text(f"SELECT * FROM {table}")) for v in row)
    # Bob's number in any spelling a normaliser might store (not a bare 4-digit group: "0013"
    # also turns up in a timestamp's microseconds, 20:23:07.800132, and failed CI once).
    for secret in (ALICE.name, ALICE.contact, BOB.name, "我想开户", "13800138000", "138 0013", "138-0013"):
        assert secret not in raw
        assert secret not in caplog.text
    # The booking is logged by its one-way reference only: its id is a capability (it opens the booking and its room).
    assert booked.id not in caplog.text and ref(booked.id) in caplog.text and "张三" not in repr(ALICE)


def test_purge_deletes_old_conversations_but_keeps_bookings(sessions):
    from barrierfree.onboarding.scheduler import rooms
    from barrierfree.onboarding.scheduler.retention import purge

    booked = bookings.book(sessions, CONFIG, _request("sh-1", "2027-03-22T01:00:00Z"), now=NOW).booking
    reminders.run_due(sessions, CONFIG, now=NOW)
    with write_session(sessions) as session:
        rooms.post_chat(session, booked.room_id, "customer", "我的身份证号是……", 500)
        rooms.post_signal(session, booked.room_id, "agent", "offer", {"sdp": "v=0"})
        left = queue.join_queue(session, "csl", BOB, now=NOW)
        queue.leave_queue(session, left.id)
        waiting = queue.join_queue(session, "csl", ALICE, now=NOW)
    with write_session(sessions) as session:
        assert purge(session, CONFIG) == {"chat_lines": 0, "signals": 0, "messages": 0, "queue_tickets": 0}
    later = max(NOW, datetime.now(UTC)) + timedelta(days=CONFIG.retention_days + 1)
    with write_session(sessions) as session:
        # Chat, signals and the outbox carry the real clock, queue tickets the test's NOW: all old by then.
        assert purge(session, CONFIG, now=later) == {"chat_lines": 1, "signals": 1, "messages": 1, "queue_tickets": 1}
    with sessions() as session:
        assert rooms.chat_for(session, booked.room_id) == []
        assert bookings.get_booking(session, booked.id).status == "confirmed"
        assert queue.queue_status(session, waiting.id).status == "waiting"


def test_a_sqlite_write_transaction_holds_the_write_lock_before_its_first_read(sqlite_engine):
    import sqlite3

    factory = open_scheduler(sqlite_engine)
    path = sqlite_engine.url.database
    with write_session(factory) as session:
        session.execute(select(Booking.id)).all()  # only a read so far
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    other = sqlite3.connect(path, timeout=5, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # free again once the transaction ends
    other.execute("ROLLBACK")
    other.close()


def _in_threads(jobs) -> list:
    """Run the callables at once; returns each one's result or exception."""
    results: list = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i, job):
        barrier.wait(timeout=30)
        try:
            results[i] = job()
        except Exception as error:  # noqa: BLE001 - returned to the test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_reschedules_into_one_slot_move_exactly_one_booking_and_lose_none(sessions):
    starts = ["2027-03-24T01:00:00Z", "2027-03-24T01:40:00Z", "2027-03-24T02:20:00Z"]
    mine = [bookings.book(sessions, CONFIG, _request("sh-1", s, Customer(f"客户{n}", f"c{n}@example.cn")), now=NOW).booking
            for n, s in enumerate(starts)]
    target = datetime(2027, 3, 24, 3, 0, tzinfo=UTC)
    results = _in_threads([lambda b=b: bookings.reschedule(sessions, CONFIG, b.id, target, now=NOW) for b in mine])
    moved = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(moved) == 1 and all(isinstance(r, Conflict) and r.code == "slot-taken" for r in refused)
    with sessions() as session:
        rows = {b.id: bookings.get_booking(session, b.id) for b in mine}
    assert all(row.status == "confirmed" for row in rows.values())
    assert sorted(row.starts_at for row in rows.values()) == sorted(
        [target] + [b.start for b in mine if b.id != moved[0].id])


def test_a_freed_slot_goes_to_one_customer_when_promotion_races_a_new_booking(sessions):
    day = datetime(2027, 3, 25, tzinfo=UTC)
    taken = [bookings.book(sessions, CONFIG, _request("sh-1", s.start.strftime("%Y-%m-%dT%H:%M:%SZ")), now=NOW).booking
             for s in _slots(sessions, "2027-03-25", skills=("csl-shanghai",))]
    with write_session(sessions) as session:
        waitlist.join_waitlist(session, CONFIG, "csl-shanghai", day, day + timedelta(days=1), BOB, now=NOW)
    freed = taken[1]
    request = _request("sh-1", freed.start.strftime("%Y-%m-%dT%H:%M:%SZ"), Customer("王五", "w@example.cn"))
    results = _in_threads([lambda: bookings.cancel(sessions, CONFIG, freed.id, now=NOW)]
                          + [lambda: bookings.book(sessions, CONFIG, request, now=NOW) for _ in range(4)])
    assert results[0].status == "cancelled"  # the cancellation always stands
    assert all(isinstance(r, (bookings.BookingResult, Conflict)) for r in results[1:])
    with sessions() as session:
        live = session.scalars(select(Booking).where(Booking.agent_id == "sh-1", Booking.starts_at == freed.start,
                                                     Booking.status == "confirmed")).all()
    assert len(live) == 1  # the waitlisted customer or one of the four, never two
