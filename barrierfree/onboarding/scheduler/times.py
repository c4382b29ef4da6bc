"""Time zones, wall-clock resolution and RFC 3339 for the scheduler.

Everything stored is an aware UTC ``datetime``; local time exists only at the
edges (an agent's weekly rules, the pages). The two awkward local cases are
resolved on purpose, never by accident:

- a *non-existent* wall time (the spring-forward gap) resolves to the instant
  the clocks jump, i.e. the first real instant at or after that wall time;
- a *repeated* wall time (the autumn fold) resolves to its first occurrence
  for the start of a window and to its second for the end, so a window that
  spans the fold keeps every real minute of it.

>>> berlin = zone("Europe/Berlin")
>>> from datetime import datetime
>>> format_utc(wall_to_utc(datetime(2027, 3, 28, 2, 30), berlin, "start"))
'2027-03-28T01:00:00Z'
>>> format_utc(wall_to_utc(datetime(2027, 10, 31, 2, 30), berlin, "start"))
'2027-10-31T00:30:00Z'
>>> format_utc(wall_to_utc(datetime(2027, 10, 31, 2, 30), berlin, "end"))
'2027-10-31T01:30:00Z'
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from barrierfree.errors import BadInput

UTC = timezone.utc
#: The longest clock change any zone has had is two hours; searching a little
#: further costs nothing.
_MAX_GAP = timedelta(hours=3)


def utcnow() -> datetime:
    return datetime.now(UTC)


def zone(name: str, field: str = "time_zone") -> ZoneInfo:
    """The IANA zone ``name``, or :class:`BadInput` ``unknown-time-zone`` naming the input ``field``."""
    try:
        if not name or name != name.strip() or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise BadInput(
            "unknown-time-zone",
            "Unknown time zone; use an IANA name such as Asia/Shanghai or Europe/Berlin.",
            field=field,
        ) from None


def _exists(wall: datetime, tz: ZoneInfo) -> list[datetime]:
    """The real instants (UTC) whose local wall time in ``tz`` is ``wall``."""
    found = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if instant.astimezone(tz).replace(tzinfo=None) == wall and instant not in found:
            found.append(instant)
    return sorted(found)


def wall_to_utc(wall: datetime, tz: ZoneInfo, edge: Literal["start", "end"]) -> datetime:
    """Resolve a naive local ``wall`` time in ``tz`` to one UTC instant (see the module doc)."""
    instants = _exists(wall, tz)
    if instants:
        return instants[0] if edge == "start" else instants[-1]
    # In the gap: the clocks jump somewhere between the two readings of the
    # wall time; the jump is the first whole minute whose wall time passes it.
    low = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    low, high = min(low, high), max(low, high)
    candidate = low.replace(second=0, microsecond=0)
    while candidate <= high + _MAX_GAP:
        if candidate.astimezone(tz).replace(tzinfo=None) >= wall:
            return candidate
        candidate += timedelta(minutes=1)
    raise BadInput("unresolvable-time", "That local time cannot be placed in the agent's time zone.")


def format_utc(instant: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, to the second."""
    return instant.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: object, field: str = "start") -> datetime:
    """An RFC 3339 timestamp with an offset (``Z`` or ``+08:00``) as aware UTC."""
    if not isinstance(text, str) or "T" not in text.upper():
        raise BadInput("bad-time", f"'{field}' must be an RFC 3339 time such as 2026-12-01T02:00:00Z.", field=field)
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise BadInput("bad-time", f"'{field}' must be an RFC 3339 time such as 2026-12-01T02:00:00Z.", field=field) from None
    if parsed.tzinfo is None:
        raise BadInput("time-without-offset", f"'{field}' needs a UTC offset, e.g. a trailing Z.", field=field)
    return parsed.astimezone(UTC)


def parse_day(text: object, field: str) -> date:
    """A ``YYYY-MM-DD`` date."""
    try:
        if not isinstance(text, str) or len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput("bad-date", f"'{field}' must be a date written YYYY-MM-DD.", field=field) from None


def check_window(start: datetime, end: datetime, now: datetime, *, horizon_days: int, max_days: int, past_days: int = 1) -> None:
    """Refuse inverted, over-long, far-past and far-future windows with a clear error."""
    if end <= start:
        raise BadInput("inverted-range", "The end of the range must come after its start.")
    if end - start > timedelta(days=max_days):
        raise BadInput("range-too-long", f"Ask for at most {max_days} days at a time.")
    if end < now - timedelta(days=past_days):
        raise BadInput("date-in-past", "That range is in the past; ask for today or later.")
    if start > now + timedelta(days=horizon_days):
        raise BadInput("date-too-far", f"Sessions can be booked at most {horizon_days} days ahead.")
