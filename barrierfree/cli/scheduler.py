"""``barrierfree scheduler``: seed demo agents (with their tokens), issue agent tokens and one-time console links, list agents and free slots, run the reminder ticker."""

from __future__ import annotations

import click


def _sessions():  # noqa: ANN202 - sessionmaker on the configured, migrated database
    from barrierfree.cli import runtime
    from barrierfree.onboarding.storage import upgrade

    engines = runtime()
    engines.keyring  # noqa: B018 - the scheduler's commands need the key: refused here, before any work, without one
    upgrade(engines.database)
    return engines.sessions, engines.settings


@click.group()
def scheduler() -> None:
    """The sign-language video session scheduler."""


@scheduler.command("seed-demo")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def seed_demo(as_json: bool) -> None:
    """Create the demo agents and weekly schedules (idempotent)."""
    from barrierfree.cli import emit_json
    from barrierfree.onboarding.scheduler.demo import seed_demo as seed
    from barrierfree.onboarding.scheduler.txn import write_session

    sessions, _ = _sessions()
    with write_session(sessions) as session:
        tokens = seed(session)
    if as_json:
        emit_json({"created": list(tokens), "tokens": tokens})
        return
    click.echo(f"demo agents created: {', '.join(tokens) or 'none (already there)'}")
    for agent_id, token in tokens.items():
        click.echo(f"{agent_id}\t{token}")


@scheduler.command("console-link")
@click.argument("agent_id")
@click.option("--base-url", default="", help="The app's public base URL (default: the configured one, else a relative path).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def console_link(agent_id: str, base_url: str, as_json: bool) -> None:
    """Print a one-time link that signs a browser in to the agent's console (no token in the URL)."""
    from barrierfree.cli import emit_json
    from barrierfree.onboarding.scheduler.console_links import SIGN_IN_PATH, issue_link
    from barrierfree.onboarding.scheduler.times import format_utc
    from barrierfree.onboarding.scheduler.txn import write_session

    sessions, settings = _sessions()
    with write_session(sessions) as session:
        code, expires = issue_link(session, agent_id, supervisor=False, minutes=settings.scheduler.console_link_minutes)
    url = (base_url or settings.scheduler.public_base_url).rstrip("/") + SIGN_IN_PATH.format(code=code)
    if as_json:
        emit_json({"agent_id": agent_id, "url": url, "expires_at": format_utc(expires)})
    else:
        click.echo(url)


@scheduler.command("agent-token")
@click.argument("agent_id")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def agent_token(agent_id: str, as_json: bool) -> None:
    """Issue a new token for one agent (the old one stops working); it is printed this once."""
    from barrierfree.cli import emit_json
    from barrierfree.onboarding.scheduler.agents import issue_token
    from barrierfree.onboarding.scheduler.txn import write_session

    sessions, _ = _sessions()
    with write_session(sessions) as session:
        token = issue_token(session, agent_id)
    if as_json:
        emit_json({"agent_id": agent_id, "token": token})
    else:
        click.echo(token)


@scheduler.command("agents")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def list_agents(as_json: bool) -> None:
    """List the active agents with their zones and skills."""
    from barrierfree.cli import emit_json
    from barrierfree.onboarding.scheduler.agents import list_agents as agents

    sessions, _ = _sessions()
    with sessions() as session:
        found = agents(session)
    if as_json:
        emit_json({"agents": [agent.to_json() for agent in found]})
        return
    for agent in found:
        click.echo(f"{agent.id}\t{agent.time_zone}\t{','.join(agent.skills)}")


@scheduler.command("availability")
@click.option("--from", "first", required=True, help="First day, YYYY-MM-DD (UTC unless --tz).")
@click.option("--to", "last", required=True, help="Last day, YYYY-MM-DD, inclusive.")
@click.option("--skill", multiple=True, help="Required skill code; repeat for several.")
@click.option("--tz", default="UTC", show_default=True, help="Zone the days are in.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def availability(first: str, last: str, skill: tuple[str, ...], tz: str, as_json: bool) -> None:
    """Free slots in a range of days, as the API gives them."""
    from datetime import datetime, time, timedelta

    from barrierfree.cli import emit_json
    from barrierfree.onboarding.scheduler.agents import require_skills
    from barrierfree.onboarding.scheduler.availability import free_slots
    from barrierfree.onboarding.scheduler.times import check_window, parse_day, utcnow, wall_to_utc, zone

    sessions, settings = _sessions()
    config, tzinfo = settings.scheduler, zone(tz)
    start = wall_to_utc(datetime.combine(parse_day(first, "from"), time(0)), tzinfo, "start")
    end = wall_to_utc(datetime.combine(parse_day(last, "to") + timedelta(days=1), time(0)), tzinfo, "start")
    check_window(start, end, utcnow(), horizon_days=config.horizon_days, max_days=config.max_range_days + 1)
    with sessions() as session:
        slots = free_slots(session, config, start, end, utcnow(), require_skills(session, skill))
    if as_json:
        emit_json({"slots": [slot.to_json() for slot in slots]})
        return
    for slot in slots:
        doc = slot.to_json()
        click.echo(f"{doc['start']}\t{doc['end']}\t{doc['agent_id']}")


@scheduler.command("ticker")
@click.option("--once", is_flag=True, help="Send what is due now and exit.")
def ticker(once: bool) -> None:
    """Send due confirmations and reminders (text only) through the configured senders."""
    import threading

    from barrierfree.onboarding.scheduler.reminders import run_due, tick_forever, worker_name

    sessions, settings = _sessions()
    if not settings.scheduler.public_base_url:
        from barrierfree.errors import BadInput

        raise BadInput("missing-settings", "Refusing to send messages without BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL: "
                       "their links must name the bank's public address.")
    worker = worker_name("ticker")
    if once:
        click.echo(f"sent {run_due(sessions, settings.scheduler, worker=worker)} message(s)", err=True)
        return

    def report(sent: int) -> None:
        click.echo(f"sent {sent} message(s)", err=True)

    tick_forever(sessions, settings.scheduler, worker, threading.Event(), report=report)


@scheduler.command("purge")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def purge(as_json: bool) -> None:
    """Delete chat, signalling, sent messages and closed queue tickets older than the retention period."""
    from barrierfree.cli import emit_json
    from barrierfree.onboarding.scheduler.retention import purge as run_purge
    from barrierfree.onboarding.scheduler.txn import write_session

    sessions, settings = _sessions()
    with write_session(sessions) as session:
        counts = run_purge(session, settings.scheduler)
    if as_json:
        emit_json(counts)
    else:
        click.echo(", ".join(f"{kind}: {n}" for kind, n in counts.items()))


def register(group: click.Group) -> None:
    group.add_command(scheduler)
