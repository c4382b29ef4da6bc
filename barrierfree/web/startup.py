"""What the app needs before it serves anyone: its secrets, its public address, a private data folder.

Outside the demo every secret must be configured: :func:`check_required`
refuses to start and names each missing variable, so a production server can
never run on generated keys by accident (a generated signing secret differs per
machine; a missing agent token once let an anonymous request act as supervisor).
Only ``barrierfree demo`` calls :func:`with_demo_secrets`, which generates each
missing secret once into the data folder (0600 files, shared by every worker and
kept across restarts) and says so.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from barrierfree.errors import BadInput
from barrierfree.once import create_once
from barrierfree.onboarding.storage.crypto import KeyRing
from barrierfree.settings import Settings


@dataclass(frozen=True)
class Required:
    """One setting production must configure: its variable, how to read it, and how the demo makes one."""

    variable: str
    section: str | None
    name: str
    generate: Callable[[], str]
    #: The file in the data folder the demo keeps its generated value in ("" = derived, not stored).
    file: str = ""


def _token() -> str:
    return secrets.token_urlsafe(32)


REQUIRED = (
    Required("BARRIERFREE_WEB__SECRET_KEY", "web", "secret_key", lambda: secrets.token_urlsafe(48), "secret"),
    Required("BARRIERFREE_ENCRYPTION_KEYS", None, "encryption_keys", KeyRing.generate_spec, "keys"),
    Required("BARRIERFREE_SCHEDULER__AGENT_TOKEN", "scheduler", "agent_token", _token, "agent-token"),
    Required("BARRIERFREE_WEB__STAFF_TOKEN", "web", "staff_token", _token, "staff-token"),
    Required("BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL", "scheduler", "public_base_url", lambda: ""),
)


def _value(settings: Settings, item: Required) -> str:
    holder = getattr(settings, item.section) if item.section else settings
    return str(getattr(holder, item.name) or "")


def missing(settings: Settings) -> list[str]:
    """The environment variables of the required settings that are not set."""
    return [item.variable for item in REQUIRED if not _value(settings, item).strip()]


def check_required(settings: Settings) -> None:
    """Refuse to start (one readable line naming each missing variable) unless every secret is set."""
    absent = missing(settings)
    if absent:
        raise BadInput(
            "missing-settings",
            "Refusing to start without " + ", ".join(absent) + ". Set each of them (see the README's "
            "configuration table); only `barrierfree demo` runs with generated secrets.",
            missing=absent,
        )
    base = urlsplit(settings.scheduler.public_base_url)
    if base.scheme not in ("http", "https") or not base.hostname:
        raise BadInput("bad-setting", "BARRIERFREE_SCHEDULER__PUBLIC_BASE_URL must be an absolute URL such as https://bank.example.")


def with_demo_secrets(settings: Settings, public_base_url: str) -> tuple[Settings, list[str]]:
    """``settings`` with each missing secret generated once into the data folder; also the variables generated."""
    private_folder(settings.data_dir)
    generated: list[str] = []
    updates: dict[str | None, dict[str, str]] = {}
    for item in REQUIRED:
        if _value(settings, item).strip():
            continue
        value = create_once(settings.data_dir / item.file, item.generate) if item.file else public_base_url
        updates.setdefault(item.section, {})[item.name] = value
        generated.append(item.variable)
    if not settings.web.trusted_hosts:
        updates.setdefault("web", {})["trusted_hosts"] = ("localhost", "127.0.0.1")  # type: ignore[assignment]
    top = dict(updates.pop(None, {}))
    for section, values in updates.items():
        assert section is not None  # popped above
        top[section] = getattr(settings, section).model_copy(update=values)
    return settings.model_copy(update=top), generated


def trusted_hosts(settings: Settings) -> list[str]:
    """The Host names the app answers to: the public base URL's host and any listed in ``web.trusted_hosts``."""
    hosts = [host for host in settings.web.trusted_hosts if host]
    base = urlsplit(settings.scheduler.public_base_url).hostname
    return ([base] if base else []) + hosts


def register(app) -> None:  # noqa: ANN001 - Flask
    """Refuse an untrusted ``Host`` with a stable problem type (Flask raises ``SecurityError`` for it)."""
    from werkzeug.exceptions import SecurityError

    from barrierfree.web.problems import problem

    def untrusted(_error: SecurityError):  # noqa: ANN202 - Response
        return problem(400, "untrusted-host", "Untrusted host", "This server does not answer to that Host name.")

    app.register_error_handler(SecurityError, untrusted)


def private_folder(path: Path) -> None:
    """Create the data folder readable by this user only (0700), tightening an existing one."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)


def private_database(url: str) -> None:
    """Make an existing SQLite database file (and its WAL side files) readable by this user only (0600).

    A new file is already made 0600 by :func:`~barrierfree.onboarding.storage.make_engine`;
    this tightens one an older version created.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    database = Path(parsed.database)
    for candidate in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        if candidate.exists():
            os.chmod(candidate, 0o600)
