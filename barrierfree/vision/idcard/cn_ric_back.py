"""The emblem side of a PRC resident ID card: issuing authority and validity period.

Validity follows the Resident Identity Card Law, art. 5: issued under 16 years
of age, 5 years; 16–25, 10 years; 26–45, 20 years; 46 and over, long-term
(长期). Without the holder's birth date only the length is checked against
those terms; :func:`validity_checks` with a birth date also checks that the
length fits the age at issue.

>>> from barrierfree.vision.idcard.fields import FieldText as F
>>> fields, _, checks = parse({"issuing_authority": F((("北京市公安局东城分局", 0.98),)),
...     "validity": F((("2015.03.01-2035.03.01", 0.97),))}, today=date(2024, 1, 1))
>>> fields["valid_from"], fields["valid_to"], [c.name for c in checks if not c.passed]
('2015-03-01', '2035-03-01', [])
>>> parse({"validity": F((("2010.01.05-长期", 0.9),))}, today=date(2024, 1, 1))[0]["valid_to"]
'long-term'
"""

from __future__ import annotations

import re
from datetime import date

from barrierfree.vision.idcard import period
from barrierfree.vision.idcard.fields import FieldText
from barrierfree.vision.idcard.reading import Check

LABELS = ("签发机关", "有效期限")
LONG_TERM = "long-term"
_DATE = re.compile(r"(\d{4})\D?(\d{2})\D?(\d{2})")
#: A period: a date, a dash, then a date or 长期 (a bare 18-digit ID number is no period). The thin
#: dash can be lost to the recogniser: without it, both dates must keep their dots, or 长期 follow.
_PERIOD = re.compile(r"\d{4}\D?\d{2}\D?\d{2}\s*[-—–~至]\s*(?:\d{4}\D?\d{2}\D?\d{2}|长)"
                     r"|\d{4}\D?\d{2}\D?\d{2}\s*长期|\d{4}\.\d{2}\.\d{2}\s*\d{4}\.\d{2}\.\d{2}")


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _term_years(start: date, end: date) -> int | None:
    years = end.year - start.year
    return years if (end.month, end.day) == (start.month, start.day) else None


def validity_checks(valid_from: str, valid_to: str, birth_date: str | None = None, today: date | None = None) -> list[Check]:
    """Checks on a validity period: dates, length (5/10/20 years or long-term), age at issue, expiry."""
    today = today or date.today()
    try:
        start = date.fromisoformat(valid_from)
        end = None if valid_to == LONG_TERM else date.fromisoformat(valid_to)
    except ValueError:
        return [Check("validity_dates_valid", False, "validity period is not two calendar dates", field="valid_to")]
    checks = [Check("validity_dates_valid", True, "validity period has calendar dates", field="valid_to")]
    years = None if end is None else _term_years(start, end)
    if end is not None:
        ok = years in (5, 10, 20)
        checks.append(Check("validity_length", ok, f"valid for {years} years" if ok
                            else "validity is not 5, 10 or 20 years to the day", field="valid_to"))
    if birth_date is not None:
        age = _age(date.fromisoformat(birth_date), start)
        expected = 5 if age < 16 else 10 if age <= 25 else 20 if age <= 45 else None
        ok = (end is None and expected is None) or (years is not None and years == expected)
        wanted = "long-term" if expected is None else f"{expected} years"
        checks.append(Check("validity_matches_age", ok, f"age {age} at issue: {wanted}, as printed" if ok
                            else f"age {age} at issue should give {wanted}", field="valid_to"))
    expired = end is not None and end < today
    checks.append(Check("not_expired", not expired, "card has expired" if expired else "card is within its validity"))
    return checks


def period_readable(text: str) -> bool:
    """Whether ``text`` holds a validity period :func:`parse` can take: a start date, then an end date
    or 长期.

    >>> period_readable("2018.01.07-2038.01.07"), period_readable("2018.01.07-长期"), period_readable("2042.0/.15")
    (True, True, False)
    """
    text = text.replace(" ", "").removeprefix(LABELS[1])
    dates = _DATE.findall(text)
    long_term = "长期" in text or "长" in text.split("-")[-1]
    return bool(_PERIOD.search(text)) and bool(dates) and (len(dates) >= 2 or long_term)


def parse(read: dict[str, FieldText], today: date | None = None, birth_date: str | None = None
          ) -> tuple[dict[str, str], dict[str, float], list[Check]]:
    """``(fields, confidence per field, checks)`` from the recognised values."""
    fields: dict[str, str] = {}
    confidence: dict[str, float] = {}
    checks: list[Check] = []
    authority = read.get("issuing_authority")
    if authority is not None and authority.text:
        text = authority.text.replace(" ", "")
        fields["issuing_authority"] = text.removeprefix(LABELS[0])
        confidence["issuing_authority"] = authority.confidence
        ok = text.endswith(("公安局", "分局", "公安处", "公安分局"))
        checks.append(Check("issuing_authority_form", ok, "names a public security bureau" if ok
                            else "does not end in 公安局 or 分局", severity="warning",
                            field="issuing_authority"))
    else:
        checks.append(Check("issuing_authority_present", False, "issuing authority could not be read; retake the photo",
                            field="issuing_authority"))
    validity = read.get("validity")
    text = validity.text.replace(" ", "").removeprefix("有效期限") if validity else ""
    found, repaired = _period(text, today or date.today())
    if validity is None or found is None:
        checks.append(Check("validity_present", False, "validity period could not be read; retake the photo",
                            field="valid_to"))
        return fields, confidence, checks
    fields["valid_from"], fields["valid_to"] = found
    confidence["valid_from"] = confidence["valid_to"] = validity.confidence
    if repaired:
        checks.append(Check("validity_repaired", False, "a digit of the validity period was lost or misread; it was "
                            "set from the period's other date (both print the same month and day, a term apart): "
                            "confirm the dates", severity="warning", field="valid_to"))
    checks += validity_checks(fields["valid_from"], fields["valid_to"], birth_date, today)
    return fields, confidence, checks


def _period(text: str, today: date) -> tuple[tuple[str, str] | None, bool]:
    """``((valid_from, valid_to) or None, repaired)``: the period as read when it is a whole, consistent
    one; else the one period that fits what was read (:func:`.period.repair`, ``repaired``); else what
    was read, for the checks to refuse.

    >>> _period("2016.03.1-2036.03.15", date(2024, 1, 1)), _period("2016.03.15-2036.03.16", date(2024, 1, 1))
    ((('2016-03-15', '2036-03-15'), True), (('2016-03-15', '2036-03-16'), False))
    """
    read = None
    if period_readable(text):
        dates = _DATE.findall(text)
        read = ("-".join(dates[0]), LONG_TERM if len(dates) < 2 else "-".join(dates[1]))
        if _consistent(read, today):
            return read, False
    fitted = period.repair(text, today)
    return (fitted, True) if fitted is not None and fitted != read else (read, False)


def _consistent(period: tuple[str, str], today: date) -> bool:
    """Whether a period has calendar dates a term apart (expired or not)."""
    return all(c.passed for c in validity_checks(*period, today=today) if c.name != "not_expired")


def period_whole(text: str, today: date) -> bool:
    """Whether ``text`` (the validity row, with or without its label) is a whole period, consistent as
    read, with nothing to repair.

    >>> today = date(2024, 1, 1)
    >>> period_whole("2016.03.15-2036.03.15", today), period_whole("2016.03.1-2036.03.15", today)
    (True, False)
    """
    found, repaired = _period(text.replace(" ", "").removeprefix(LABELS[1]), today)
    return found is not None and not repaired and _consistent(found, today)


def pair_checks(front_fields: dict[str, str], back_fields: dict[str, str], today: date | None = None) -> list[Check]:
    """Checks that need both sides of one card: the validity term against the holder's age at issue.

    ``front_fields``/``back_fields`` are the ``fields`` of the two readings
    (``read_document`` reads one photo, one side, at a time).

    >>> [c.name for c in pair_checks({"birth_date": "1990-01-01"},
    ...     {"valid_from": "2020-03-01", "valid_to": "2030-03-01"}, today=date(2024, 1, 1)) if not c.passed]
    ['validity_matches_age']
    """
    if "birth_date" not in front_fields or "valid_from" not in back_fields or "valid_to" not in back_fields:
        return [Check("pair_complete", False, "both sides must be read (birth date and validity period) to compare them")]
    return [check for check in validity_checks(back_fields["valid_from"], back_fields["valid_to"],
                                               front_fields["birth_date"], today)
            if check.name == "validity_matches_age"]
