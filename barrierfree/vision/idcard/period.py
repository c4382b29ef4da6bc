"""A validity period read with digits lost or garbled, set right by what the period itself holds.

Both dates of a period print the same month and day, and the end year is the start year plus the
card's term (5, 10 or 20 years; Resident Identity Card Law, art. 5), or the end is 长期. So a digit
lost from one date (glare, or greedy CTC decoding merging a doubled ``11`` into ``1``) is still
printed in the other: ``2016.03.15-2036.03.1`` can only be 2016.03.15-2036.03.15. Where both dates
lost the same digit of the same number, the recogniser merged a doubled digit (only a repeat is lost
that way, and glare does not hit both dates alike): ``2016.03.1-2036.03.1`` is 2016.03.11-2036.03.11.
Where glare washed out whole groups of one date (``2022 11-2032.08.11``), the other date, read whole,
gives it for each term, and what was read of it must fit just one.

Nothing is set when more than one period fits what was read (a year misread by one digit: 2016 and
2086 fit both 2026 and 2036). What is set is a guess, so :func:`repair` returns it only for the
caller to flag (``validity_repaired``, a warning): the person confirms it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import cast

#: What a period's dash can be read as (一 is the CJK one, 至 the word "to", · a short dash on a pale card).
DASHES = "-—–~至一_·"
TERMS_YEARS = (5, 10, 20)
LONG_TERM = "long-term"
_LONG_TERM_PIECES = ("长期", "长", "期")
#: A period as printed: a dotted date, a dash, then a dotted date or 长期. No other line of either
#: side has that shape (dates on the portrait side are written 1990年1月1日), so it tells the side.
_SHAPE = re.compile(rf"\d{{4}}\.\d{{2}}\.\d{{2}}[{DASHES}](?:\d{{4}}\.\d{{2}}\.\d{{2}}|长期)")


def shaped(text: str) -> int | None:
    """Where a whole, period-shaped run starts in ``text`` (``None`` when there is none).

    >>> shaped("2020.03.28-长期"), shaped("有支期装2023.02.06-2043.02.06"), shaped("1990年01月01日")
    (0, 4, None)
    """
    found = _SHAPE.search(text)
    return None if found is None else found.start()


def _split(text: str) -> tuple[str, str] | None:
    """``(start, end)`` either side of the one dash between two digits, or before a trailing 长期."""
    for piece in _LONG_TERM_PIECES:
        if text.endswith(piece) and any(c.isdigit() for c in text):
            return text[:-len(piece)].rstrip(DASHES), "长期"
    dashes = [i for i, c in enumerate(text) if c in DASHES and 0 < i < len(text) - 1
              and text[i - 1].isdigit() and text[i + 1].isdigit()]
    return (text[:dashes[0]], text[dashes[0] + 1:]) if len(dashes) == 1 else None


def _parts(text: str) -> tuple[str, str, str] | None:
    """The year, month and day groups of one date as read (``2016.03.1`` gives 2016, 03, 1); a
    group may be short, never long."""
    groups = re.findall(r"\d+", text)
    if len(groups) == 1 and len(groups[0]) == 8:
        groups = [groups[0][:4], groups[0][4:6], groups[0][6:]]
    if len(groups) != 3 or not (3 <= len(groups[0]) <= 4 and all(1 <= len(g) <= 2 for g in groups[1:])):
        return None
    return groups[0], groups[1], groups[2]


def _is_subsequence(short: str, full: str) -> bool:
    chars = iter(full)
    return all(c in chars for c in short)


def _same_number(a: str, b: str) -> set[str]:
    """The two-digit numbers that both readings ``a`` and ``b`` of one month or day can be."""
    if len(a) == 2 and len(b) == 2:
        return {a, b}  # both read whole: either may be the misread one
    if len(a) == 1 and len(b) == 1:
        return {a + a} if a == b else set()  # the same digit lost from both: a merged doubled digit
    whole, short = (a, b) if len(a) == 2 else (b, a)
    return {whole} if _is_subsequence(short, whole) else set()


def _fits(read: str, year: int) -> bool:
    """Whether a year reading can be ``year``: a short one lost digits, a whole one has at most one wrong."""
    text = str(year)
    return _is_subsequence(read, text) if len(read) < 4 else sum(a != b for a, b in zip(read, text)) <= 1


def _years(start: str, end: str, today: date) -> set[tuple[int, int]]:
    """``(start year, end year)`` pairs one term apart that fit both readings, the card issued no later
    than ``today``; the readings themselves when they are such a pair."""
    found = set()
    for term in TERMS_YEARS:
        if len(start) == 4 and _fits(end, int(start) + term):
            found.add((int(start), int(start) + term))
        if len(end) == 4 and _fits(start, int(end) - term):
            found.add((int(end) - term, int(end)))
    found = {pair for pair in found if pair[0] <= today.year}
    exact = {pair for pair in found if (str(pair[0]), str(pair[1])) == (start, end)}
    return exact or found


def _iso(year: int, month: str, day: str) -> str | None:
    try:
        return date(year, int(month), int(day)).isoformat()
    except ValueError:
        return None


def repair(text: str, today: date) -> tuple[str, str] | None:
    """``(valid_from, valid_to)``, ISO dates or ``long-term``: the one period that fits what was read
    of ``text`` (the row without its label), or ``None`` when none or several fit.

    >>> repair("2016.03.15-2036.03.1", date(2024, 1, 1)), repair("2016.03.1-2036.03.1", date(2024, 1, 1))
    (('2016-03-15', '2036-03-15'), ('2016-03-11', '2036-03-11'))
    >>> repair("2016.03.15-2086.03.15", date(2024, 1, 1)) is None  # 2026 and 2036 are both a digit away
    True
    """
    halves = _split(text.replace(" ", ""))
    if halves is None:
        return None
    start = _parts(halves[0])
    if halves[1] == "长期":
        if start is None or len(start[0]) < 4:
            return None
        found = _iso(int(start[0]), start[1], start[2]) if all(len(g) == 2 for g in start[1:]) else None
        return (found, LONG_TERM) if found else None
    end = _parts(halves[1])
    if start is None or end is None:
        return _from_whole_date(halves, today)
    months, days = _same_number(start[1], end[1]), _same_number(start[2], end[2])
    years = _years(start[0], end[0], today)
    periods = {(_iso(a, m, d), _iso(b, m, d)) for a, b in years for m in months for d in days}
    return _one(periods)


def _one(periods: set[tuple[str | None, str | None]]) -> tuple[str, str] | None:
    """The one period of calendar dates among ``periods``; ``None`` when none or several."""
    periods = {p for p in periods if None not in p}
    if len(periods) != 1:
        return None
    first, last = periods.pop()
    assert first is not None and last is not None
    return first, last


#: Of a date's 8 digits, how many must be read, in order, for the other date to set the rest.
MIN_DIGITS_OF_A_DATE = 5


def _from_whole_date(halves: tuple[str, str], today: date) -> tuple[str, str] | None:
    """The period when one date was read whole and the other lost whole groups to glare
    (``2022 11`` for 2022.08.11, its ``.08.`` washed out): each term gives the other date from the
    whole one (same month and day), and it must hold what was read of it, in order
    (:data:`MIN_DIGITS_OF_A_DATE` digits at least, so a date barely seen sets nothing).

    >>> _from_whole_date(("202211", "2032.08.11"), date(2026, 12, 7))
    ('2022-08-11', '2032-08-11')
    >>> _from_whole_date(("20211", "2032.08.11"), date(2026, 12, 7)) is None  # 2012 and 2022 both fit
    True
    """
    whole = [i for i, half in enumerate(halves) if (parts := _parts(half)) is not None
             and [len(g) for g in parts] == [4, 2, 2]]
    if len(whole) != 1:
        return None
    year, month, day = cast(tuple[str, str, str], _parts(halves[whole[0]]))
    seen = "".join(c for c in halves[1 - whole[0]] if c.isdigit())
    if len(seen) < MIN_DIGITS_OF_A_DATE:
        return None
    sign = 1 if whole[0] == 0 else -1
    periods = set()
    for term in TERMS_YEARS:
        other = int(year) + sign * term
        if _is_subsequence(seen, f"{other:04d}{month}{day}"):
            pair = (int(year), other) if sign == 1 else (other, int(year))
            if pair[0] <= today.year:
                periods.add((_iso(pair[0], month, day), _iso(pair[1], month, day)))
    return _one(periods)
