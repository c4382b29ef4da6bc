"""Slots from weekly working rules, correct across daylight-saving changes.

A rule is a weekday and a window of *wall-clock* time in the agent's zone
("Mondays 09:00–17:00 Europe/Berlin"). Each window is resolved to two UTC
instants with :func:`barrierfree.onboarding.scheduler.times.wall_to_utc` and
the slots are laid out in *elapsed* time from its start, one every
``session + buffer``. So:

- on a spring-forward day a window that spans the gap is an hour shorter and
  no slot starts at a wall time that does not exist;
- on an autumn day a window that spans the repeated hour is an hour longer and
  each real instant gets at most one slot (no duplicates, no gaps);
- in a zone without DST (Asia/Shanghai) nothing special happens.

These are plain functions over frozen dataclasses; the storage layer removes
booked slots and time off.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from barrierfree.errors import BadInput
from barrierfree.onboarding.scheduler.times import wall_to_utc


@dataclass(frozen=True)
class WeeklyRule:
    """Working hours on one weekday (0 = Monday), local wall time, ``end`` after ``start``.

    ``end`` may be ``time(0, 0)`` to mean midnight at the end of the day.
    """

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise BadInput("bad-weekday", "weekday must be 0 (Monday) to 6 (Sunday).", field="weekday")
        if self.end != time(0, 0) and self.end <= self.start:
            raise BadInput("inverted-range", "A working window must end after it starts.", field="end")

    def window_on(self, day: date) -> tuple[datetime, datetime]:
        """The naive local start and end of this rule on ``day``."""
        end_day = day + timedelta(days=1) if self.end == time(0, 0) else day
        return datetime.combine(day, self.start), datetime.combine(end_day, self.end)


@dataclass(frozen=True)
class Interval:
    """A half-open UTC interval ``[start, end)``."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


def check_no_overlap(rules: Iterable[WeeklyRule]) -> None:
    """Refuse rules of one agent whose windows on the same weekday overlap."""
    by_day: dict[int, list[WeeklyRule]] = {}
    for rule in rules:
        by_day.setdefault(rule.weekday, []).append(rule)
    for day_rules in by_day.values():
        ordered = sorted(day_rules, key=lambda r: r.start)
        for before, after in zip(ordered, ordered[1:]):
            if before.end == time(0, 0) or before.end > after.start:
                raise BadInput("overlapping-rules", "Two working windows on the same weekday overlap; merge them or move one.")


def slot_starts(
    rules: Iterable[WeeklyRule], tz: ZoneInfo, first_day: date, last_day: date, session: timedelta, buffer: timedelta
) -> Iterator[datetime]:
    """UTC start instants of every slot on local days ``first_day..last_day`` (inclusive), in order.

    A slot fits when the session (not the buffer after it) ends by the window's end.
    """
    rules = list(rules)
    step = session + buffer
    day = first_day
    starts: list[datetime] = []
    while day <= last_day:
        for rule in rules:
            if rule.weekday != day.weekday():
                continue
            wall_start, wall_end = rule.window_on(day)
            begin, finish = wall_to_utc(wall_start, tz, "start"), wall_to_utc(wall_end, tz, "end")
            slot = begin
            while slot + session <= finish:
                starts.append(slot)
                slot += step
        day += timedelta(days=1)
    # Rules are checked not to overlap; sorting and de-duplicating still
    # guarantees one slot per instant whatever was stored.
    yield from sorted(set(starts))
