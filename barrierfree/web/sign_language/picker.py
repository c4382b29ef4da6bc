"""The time picker's data: free slots grouped by local day, with the labels each part of the widget shows.

A day has a short tab label ("Tue 8 Dec, 12 free") and a full one for its
list of times; a slot has a short text (its times and agent, read inside the
day's list) and a full label (date, times and agent) for the announcement and
the no-script radio buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from sqlalchemy.orm import Session

from barrierfree.onboarding.scheduler import agents, availability
from barrierfree.onboarding.scheduler.times import format_utc, utcnow, zone
from barrierfree.web.sign_language.common import config, day_window

#: How many days the slot picker shows at once.
PICKER_DAYS = 7


@dataclass(frozen=True)
class PickerSlot:
    value: str  # "<agent id>|<UTC start>", what the form posts
    short: str
    label: str


@dataclass(frozen=True)
class PickerDay:
    label: str
    tab_label: str
    slots: tuple[PickerSlot, ...]


def local_label(instant: datetime, tz_name: str, t) -> str:  # noqa: ANN001
    """A full date and time a screen reader reads naturally, in the page's language."""
    local = instant.astimezone(zone(tz_name))
    weekday = t("weekdays").split(",")[local.weekday()]
    months = t("months").split(",")
    return t("date_time", weekday=weekday, day=local.day, month=months[local.month - 1], year=local.year, time=local.strftime("%H:%M"))


def day_label(day: date, t) -> str:  # noqa: ANN001
    return t("date_only", weekday=t("weekdays").split(",")[day.weekday()], day=day.day, month=t("months").split(",")[day.month - 1], year=day.year)


def _tab_label(day: date, count: int, t) -> str:  # noqa: ANN001
    short = t("day_tab", weekday=t("weekdays_short").split(",")[day.weekday()], day=day.day,
              month_short=t("months_short").split(",")[day.month - 1], month=day.month)
    return t("day_tab_count", day=short, count=count)


def picker_days(session: Session, t, skill: str, first: date, tz_name: str, ignore: str | None = None) -> list[PickerDay]:  # noqa: ANN001
    """Free slots for ``PICKER_DAYS`` local days from ``first``; days without a free slot are left out."""
    last = first + timedelta(days=PICKER_DAYS - 1)
    start, end = day_window(first.isoformat(), last.isoformat(), tz_name)
    names = {a.id: a.name for a in agents.list_agents(session)}
    tz = zone(tz_name)
    slots = availability.free_slots(session, config(), start, end, utcnow(), (skill,), ignore_booking=ignore)
    days = []
    for day, group in groupby(slots, key=lambda slot: slot.start.astimezone(tz).date()):
        items = []
        for slot in group:
            agent, until = names.get(slot.agent_id, slot.agent_id), slot.end.astimezone(tz).strftime("%H:%M")
            items.append(PickerSlot(
                value=f"{slot.agent_id}|{format_utc(slot.start)}",
                short=t("slot_short", start=slot.start.astimezone(tz).strftime("%H:%M"), end=until, agent=agent),
                label=t("slot_label", when=local_label(slot.start, tz_name, t), end=until, agent=agent),
            ))
        days.append(PickerDay(day_label(day, t), _tab_label(day, len(items), t), tuple(items)))
    return days
