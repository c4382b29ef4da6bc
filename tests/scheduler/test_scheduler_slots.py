"""Slot generation across DST changes (pure functions, no database).

Europe/Berlin springs forward on 2027-03-28 (02:00 → 03:00) and falls back on
2027-10-31 (03:00 → 02:00); America/New_York on 2027-03-14 and 2027-11-07;
Asia/Shanghai has no DST at all.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from barrierfree.errors import BadInput
from barrierfree.onboarding.scheduler.slots import WeeklyRule, check_no_overlap, slot_starts
from barrierfree.onboarding.scheduler.times import format_utc, parse_instant, wall_to_utc, zone

UTC = timezone.utc
HALF_HOUR, TEN_MIN = timedelta(minutes=30), timedelta(minutes=10)


def _slots(zone_name: str, day: date, start: time, end: time, buffer: timedelta = TEN_MIN) -> list[datetime]:
    rule = WeeklyRule(day.weekday(), start, end)
    return list(slot_starts([rule], zone(zone_name), day, day, HALF_HOUR, buffer))


def _local(instants: list[datetime], zone_name: str) -> list[str]:
    return [i.astimezone(zone(zone_name)).strftime("%H:%M%z") for i in instants]


def test_spring_forward_has_no_slot_in_the_missing_hour_and_no_gap():
    day = date(2027, 3, 28)  # Sunday, Berlin 02:00 CET -> 03:00 CEST
    slots = _slots("Europe/Berlin", day, time(1, 0), time(5, 0), buffer=timedelta(0))
    # 01:00-02:00 CET and 03:00-05:00 CEST: three real hours, six half-hour slots.
    assert _local(slots, "Europe/Berlin") == ["01:00+0100", "01:30+0100", "03:00+0200", "03:30+0200", "04:00+0200", "04:30+0200"]
    assert all(b - a == HALF_HOUR for a, b in zip(slots, slots[1:]))  # back to back in real time: no gap
    for slot in slots:
        wall = slot.astimezone(zone("Europe/Berlin")).replace(tzinfo=None)
        assert not time(2, 0) <= wall.time() < time(3, 0)


def test_a_window_starting_inside_the_gap_starts_when_the_clocks_jump():
    slots = _slots("Europe/Berlin", date(2027, 3, 28), time(2, 30), time(4, 0), buffer=timedelta(0))
    assert [format_utc(s) for s in slots] == ["2027-03-28T01:00:00Z", "2027-03-28T01:30:00Z"]


def test_autumn_repeat_gives_each_real_instant_one_slot():
    day = date(2027, 10, 31)  # Sunday, Berlin 03:00 CEST -> 02:00 CET
    slots = _slots("Europe/Berlin", day, time(1, 0), time(4, 0), buffer=timedelta(0))
    # 01:00 CEST to 04:00 CET is four real hours: eight slots, the repeated hour twice (different instants).
    assert len(slots) == len(set(slots)) == 8
    assert _local(slots, "Europe/Berlin") == [
        "01:00+0200", "01:30+0200", "02:00+0200", "02:30+0200", "02:00+0100", "02:30+0100", "03:00+0100", "03:30+0100",
    ]
    assert all(b - a == HALF_HOUR for a, b in zip(slots, slots[1:]))


def test_new_york_spring_and_autumn_with_the_default_buffer():
    spring = _slots("America/New_York", date(2027, 3, 14), time(0, 0), time(6, 0))
    fall = _slots("America/New_York", date(2027, 11, 7), time(0, 0), time(6, 0))
    # 5 real hours in spring, 7 in autumn; one slot every 40 minutes of real time.
    assert (spring[-1] + HALF_HOUR) - spring[0] <= timedelta(hours=5)
    assert len(spring) == 7 and len(fall) == 10
    for slots in (spring, fall):
        assert all(b - a == HALF_HOUR + TEN_MIN for a, b in zip(slots, slots[1:]))
    assert format_utc(spring[0]) == "2027-03-14T05:00:00Z" and format_utc(fall[0]) == "2027-11-07T04:00:00Z"


def test_shanghai_has_no_dst_surprises_all_year():
    tz_days = [date(2027, 3, 28), date(2027, 10, 31), date(2027, 3, 14), date(2027, 11, 7)]
    for day in tz_days:
        slots = _slots("Asia/Shanghai", day, time(9, 0), time(12, 0))
        assert _local(slots, "Asia/Shanghai") == ["09:00+0800", "09:40+0800", "10:20+0800", "11:00+0800"]


def test_a_whole_week_of_rules_has_no_duplicates_or_overlaps():
    rules = [WeeklyRule(d, time(0, 0), time(0, 0)) for d in range(7)]  # all day, every day
    slots = list(slot_starts(rules, zone("Europe/Berlin"), date(2027, 3, 22), date(2027, 4, 4), HALF_HOUR, TEN_MIN))
    assert slots == sorted(set(slots))
    assert all(b - a >= HALF_HOUR + TEN_MIN for a, b in zip(slots, slots[1:]))


def test_wall_time_resolution_is_explicit():
    berlin = zone("Europe/Berlin")
    assert format_utc(wall_to_utc(datetime(2027, 3, 28, 2, 30), berlin, "end")) == "2027-03-28T01:00:00Z"
    assert format_utc(wall_to_utc(datetime(2027, 10, 31, 2, 30), berlin, "start")) == "2027-10-31T00:30:00Z"
    assert format_utc(wall_to_utc(datetime(2027, 10, 31, 2, 30), berlin, "end")) == "2027-10-31T01:30:00Z"
    assert format_utc(wall_to_utc(datetime(2027, 1, 5, 9, 0), zone("Asia/Shanghai"), "start")) == "2027-01-05T01:00:00Z"


def test_bad_rules_and_zones_are_clear_errors():
    with pytest.raises(BadInput) as inverted:
        WeeklyRule(0, time(12, 0), time(9, 0))
    assert inverted.value.code == "inverted-range"
    with pytest.raises(BadInput) as overlapping:
        check_no_overlap([WeeklyRule(1, time(9, 0), time(12, 0)), WeeklyRule(1, time(11, 0), time(14, 0))])
    assert overlapping.value.code == "overlapping-rules"
    check_no_overlap([WeeklyRule(1, time(9, 0), time(12, 0)), WeeklyRule(1, time(12, 0), time(14, 0))])
    for name in ("Mars/Olympus", "", "../etc/passwd", "Europe/"):
        with pytest.raises(BadInput) as unknown:
            zone(name)
        assert unknown.value.code == "unknown-time-zone"
    with pytest.raises(BadInput):
        WeeklyRule(7, time(9, 0), time(10, 0))


def test_rfc3339_parsing_normalises_to_utc_and_refuses_naive_times():
    assert format_utc(parse_instant("2027-01-05T09:00:00+08:00")) == "2027-01-05T01:00:00Z"
    for bad in ("2027-01-05T09:00:00", "tomorrow", 17, None, "2027-13-05T09:00:00Z"):
        with pytest.raises(BadInput):
            parse_instant(bad)
