"""Reminders: the demo's background ticker and a separate ``barrierfree scheduler ticker`` process
running at once send every due message exactly once, on SQLite and real PostgreSQL."""

from __future__ import annotations

import os
import socketserver
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from barrierfree.onboarding.scheduler import bookings, reminders
from barrierfree.onboarding.scheduler.availability import free_slots
from barrierfree.onboarding.scheduler.models import OutboxMessage, Reminder
from barrierfree.onboarding.scheduler.times import utcnow
from barrierfree.onboarding.scheduler.txn import write_session
from barrierfree.onboarding.scheduler.types import Customer
from barrierfree.settings.scheduler import SchedulerSettings
from testkit.scheduler import add_all_week_agent, open_scheduler
from barrierfree.web.sign_language import start_demo_ticker
from tests.scheduler_app import BACKENDS, scheduler_app

UTC = timezone.utc
BOOKINGS, MESSAGES = 20, 200
#: Small batches and a short interval make the two tickers interleave claim by claim.
TICKER = {"ticker_interval_seconds": 0.05, "reminder_batch_size": 3}


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    with scheduler_app(request, tmp_path, request.param, **TICKER) as built:
        yield built


def _ticker_process(app, tmp_path) -> tuple[subprocess.Popen, list[str]]:
    """``barrierfree scheduler ticker`` on the app's database; returns it once it has ticked, and its stderr lines."""
    settings = app.extensions["barrierfree.settings"]
    env = {**os.environ, "BARRIERFREE_DATA_DIR": str(settings.data_dir), "BARRIERFREE_DATABASE_URL": settings.database_url,
           "BARRIERFREE_LOG_LEVEL": "WARNING"}
    env |= {f"BARRIERFREE_SCHEDULER__{name.upper()}": str(value) for name, value in TICKER.items()}
    process = subprocess.Popen([sys.executable, "-m", "barrierfree.cli", "scheduler", "ticker"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    ticked = threading.Event()

    def read() -> None:
        for line in process.stderr:
            lines.append(line)
            if line.startswith("sent "):
                ticked.set()

    threading.Thread(target=read, daemon=True).start()
    if not ticked.wait(90):
        process.kill()
        pytest.fail("the ticker process never ticked: " + "".join(lines[-20:]))
    return process, lines


def test_the_demo_ticker_and_a_ticker_process_send_each_due_message_exactly_once(app, tmp_path):
    sessions, config = app.extensions["barrierfree.sessions"], app.extensions["barrierfree.settings"].scheduler
    for n in range(3):
        add_all_week_agent(sessions, f"agent-{n}")
    process, lines = _ticker_process(app, tmp_path)
    demo = start_demo_ticker(app)
    try:
        # Bookings through the domain, their confirmations due in an hour (a clock set ahead) ...
        later = utcnow() + timedelta(hours=1)
        with sessions() as session:
            slots = free_slots(session, config, later + timedelta(hours=2), later + timedelta(days=2), later, ("csl",))[:BOOKINGS]
        for n, slot in enumerate(slots):
            request = bookings.BookingRequest(slot.agent_id, slot.start, "csl", Customer(f"客户{n}", f"c{n}@example.cn"))
            bookings.book(sessions, config, request, now=later)
        # ... then, in one commit, they and more reminders per booking all fall due at once, while both tickers poll.
        with write_session(sessions) as session:
            now = utcnow()
            session.execute(update(Reminder).where(Reminder.kind == "confirmed").values(due_at=now))
            session.add_all(Reminder(booking_id=r.booking_id, kind="reminder", due_at=now, status="pending", attempts=0)
                            for r in session.scalars(select(Reminder).where(Reminder.kind == "confirmed")).all()
                            for _ in range(MESSAGES // BOOKINGS - 1))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _count(sessions, OutboxMessage) < MESSAGES:
            time.sleep(0.2)
        time.sleep(1.0)  # room for a double send to show up
    finally:
        demo.stop()
        process.terminate()
        process.wait(30)
    with sessions() as session:
        sent = session.scalars(select(OutboxMessage)).all()
        due = session.scalars(select(Reminder).where(Reminder.due_at <= utcnow())).all()
    assert len(due) == MESSAGES and {r.status for r in due} == {"sent"}
    assert len(sent) == MESSAGES and {m.reminder_id for m in sent} == {r.id for r in due}
    # Both tickers did part of the work: the exactly-once above was under real contention.
    assert {r.claimed_by for r in due} == {demo.worker, demo.worker.rsplit(":", 2)[0] + f":{process.pid}:ticker"}
    assert not any("Traceback" in line for line in lines)


def _count(sessions, table) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_a_claim_left_by_a_dead_ticker_is_sent_once_after_the_lease(db_engine):
    config = SchedulerSettings()
    sessions = open_scheduler(db_engine)
    add_all_week_agent(sessions, "agent-a")
    now = datetime(2027, 3, 21, tzinfo=UTC)
    request = bookings.BookingRequest("agent-a", datetime(2027, 3, 23, 2, 0, tzinfo=UTC), "csl", Customer("张三", "13800138000"))
    bookings.book(sessions, config, request, now=now)
    (claimed,) = reminders._claim(sessions, config, "dead", now, 10)  # the confirmation; then the ticker dies
    assert reminders.run_due(sessions, config, worker="alive", now=now + timedelta(seconds=5)) == 0  # its lease still holds
    later = now + timedelta(seconds=config.reminder_lease_seconds + 1)
    assert reminders.run_due(sessions, config, worker="alive", now=later) == 1
    # The dead ticker wakes up and tries to finish its delivery: the claim is no longer its own.
    assert reminders._deliver(sessions, config, reminders.default_senders(), claimed, "dead", later) == 0
    assert _count(sessions, OutboxMessage) == 1
    with sessions() as session:
        row = session.get(Reminder, claimed)
        assert (row.status, row.claimed_by, row.attempts) == ("sent", "alive", 2)


class _SmtpRelay(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib to hand over one message; keeps (recipients, message text)."""

    received: list[tuple[list[str], str]] = []

    def handle(self) -> None:
        def reply(line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        reply("220 test relay")
        recipients: list[str] = []
        while line := self.rfile.readline().decode():
            verb = line[:4].upper()
            if verb == "DATA":
                reply("354 go ahead")
                data = []
                while (chunk := self.rfile.readline().decode()) not in (".\r\n", ""):
                    data.append(chunk)
                self.received.append((recipients, "".join(data)))
                reply("250 queued")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                reply("250 ok")
            elif verb == "QUIT":
                reply("221 bye")
                return
            else:
                reply("250 ok")


def test_email_goes_through_the_configured_smtp_relay_and_sms_to_the_outbox(db_engine):
    _SmtpRelay.received = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpRelay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = SchedulerSettings(smtp_host="127.0.0.1", smtp_port=server.server_address[1], smtp_from="bank@example.cn")
        sessions = open_scheduler(db_engine)
        add_all_week_agent(sessions, "agent-a")
        now = datetime(2027, 3, 21, tzinfo=UTC)
        for n, contact in enumerate(("zhang@example.cn", "13800138000")):
            start = datetime(2027, 3, 23, 2, 0, tzinfo=UTC) + timedelta(minutes=40 * n)
            bookings.book(sessions, config, bookings.BookingRequest("agent-a", start, "csl", Customer("张三", contact)), now=now)
        assert reminders.run_due(sessions, config, worker="smtp", now=now) == 2
    finally:
        server.shutdown()
        server.server_close()
    ((recipients, text),) = _SmtpRelay.received
    assert recipients == ["zhang@example.cn"] and "bank@example.cn" in text and "2027-03-23T02:00:00Z" in text and "张三" not in text
    with sessions() as session:
        assert sorted(m.channel for m in reminders.outbox(session)) == ["email", "sms"]  # the e-mail is also kept in the inbox


def test_barrierfree_demo_sends_due_messages_itself(tmp_path):
    import requests

    from tests.scheduler_app import cli_server

    env = {**os.environ, "BARRIERFREE_DATA_DIR": str(tmp_path / "demo"), "BARRIERFREE_LOG_LEVEL": "WARNING",
           "BARRIERFREE_SCHEDULER__TICKER_INTERVAL_SECONDS": "0.2"}
    env.pop("BARRIERFREE_DATABASE_URL", None)
    with cli_server("demo", env) as base:
        api = f"{base}/api/v1/sign-language"
        first, last = (utcnow() + timedelta(days=1)).date().isoformat(), (utcnow() + timedelta(days=7)).date().isoformat()
        slot = requests.get(f"{api}/availability", params={"from": first, "to": last}, timeout=10).json()["slots"][0]
        booking = requests.post(f"{api}/bookings", json={"agent_id": slot["agent_id"], "start": slot["start"], "skill": "csl",
                                                         "customer": {"name": "张三", "contact": "in-app user 7"}}, timeout=10).json()
        deadline, messages = time.monotonic() + 60, []
        while time.monotonic() < deadline and not messages:
            time.sleep(0.2)
            messages = requests.get(f"{api}/bookings/{booking['id']}/messages", timeout=10).json()["messages"]
    assert [m["channel"] for m in messages] == ["in_app"] and slot["start"] in messages[0]["body"]
