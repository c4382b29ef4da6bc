"""One-time links that sign a browser in to an agent's console.

An agent token must never sit in a URL (browser history, proxy and server
logs, the ``Referer`` header). Instead the agent (with their token, through
the API or the CLI) asks for a link; its random code works once and for a
few minutes, and opening it gives the browser a session cookie. Only the
code's SHA-256 is stored, like the agent tokens.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from barrierfree.errors import Unauthorized
from barrierfree.onboarding.scheduler.agents import get_agent, token_hash
from barrierfree.onboarding.scheduler.models import ConsoleLink
from barrierfree.onboarding.scheduler.times import utcnow

#: Where a link is opened (the app's page ``sign_language_access.redeem_sign_in_link``); ``{code}`` is the one-time code.
SIGN_IN_PATH = "/sign-language/agent/sign-in/{code}"


@dataclass(frozen=True)
class ConsoleGrant:
    """Who a redeemed link signs in: the agent whose console it opens, as that agent or as a supervisor."""

    agent_id: str
    supervisor: bool


def issue_link(session: Session, agent_id: str, *, supervisor: bool, minutes: int, now: datetime | None = None) -> tuple[str, datetime]:
    """A new one-time code for ``agent_id``'s console and when it expires; the caller commits.

    Links that have expired (used or not) are deleted on the way, so the table stays small.
    """
    get_agent(session, agent_id)
    now = now or utcnow()
    session.execute(delete(ConsoleLink).where(ConsoleLink.expires_at <= now))
    code = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=minutes)
    session.add(ConsoleLink(code_hash=token_hash(code), agent_id=agent_id, supervisor=supervisor, expires_at=expires))
    session.flush()
    return code, expires


def redeem_link(session: Session, code: str, now: datetime | None = None) -> ConsoleGrant:
    """Use ``code`` up (one conditional UPDATE, so two tabs racing cannot both win) and say whom it signs in."""
    now = now or utcnow()
    hashed = token_hash(code or "")
    used = session.execute(
        update(ConsoleLink)
        .where(ConsoleLink.code_hash == hashed, ConsoleLink.used_at.is_(None), ConsoleLink.expires_at > now)
        .values(used_at=now)
        .returning(ConsoleLink.agent_id, ConsoleLink.supervisor)
    ).first()
    if used is None:
        raise Unauthorized("console-link-used", "This sign-in link has been used or has expired; ask for a new one.")
    return ConsoleGrant(used.agent_id, bool(used.supervisor))
