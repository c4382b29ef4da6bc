"""GB 11643 citizen identity numbers as printed on a resident ID card, with safe OCR repair.

The MOD 11-2 check digit and the region table come from python-stdnum's
``stdnum.cn.ric``. OCR look-alikes (``O``→``0``, ``l``→``1``, ``Z``→``2``,
``x``→``X`` …) are replaced only when the result passes the check digit; a
number that still fails is returned as read, with a failed check, never as valid.

>>> repair_number("11010519491231002x")
('11010519491231002X', 1)
>>> repair_number("110105194912310O2X")
('11010519491231002X', 1)
>>> repair_number("110105194912310021")[1] is None
True
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from barrierfree.vision.idcard.reading import Check

#: Characters PP-OCR confuses with digits on the card's number font.
_DIGIT_LOOKALIKES = str.maketrans({
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "I": "1", "l": "1", "i": "1", "|": "1", "L": "1",
    "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "G": "6", "b": "6", "T": "7", "g": "9", "q": "9",
})
NUMBER_PATTERN = re.compile(r"^\d{17}[\dX]$")


def repair_number(text: str) -> tuple[str, int | None]:
    """``(number, repairs)``: the number with look-alikes replaced when the check digit confirms them.

    ``repairs`` is how many characters were replaced, or ``None`` when no
    repair passes the check digit (the number is then returned as read,
    upper-cased and without spaces).

    >>> repair_number("：11010519491231002X"), repair_number("11O1O519491231002x"), repair_number("110105194912310023")
    (('11010519491231002X', 0), ('11010519491231002X', 3), ('110105194912310023', None))
    """
    text = unicodedata.normalize("NFKC", text or "")  # full-width digits are digits
    raw_case = re.sub(r"[\s\-·.,:;]", "", text)
    # A loose crop may catch the end of the label (码, or its colon): the number is the 18 characters at the end.
    if len(raw_case) > 18 and re.fullmatch(r"\D+\d{17}[\dXx×]", raw_case):
        raw_case = raw_case[-18:]
    raw = raw_case.upper()
    if NUMBER_PATTERN.match(raw) and check_digit_ok(raw):
        return raw, sum(a != b for a, b in zip(raw, raw_case))
    if len(raw_case) != 18:
        return raw, None
    body = raw_case[:17].translate(_DIGIT_LOOKALIKES)
    last = raw_case[17]
    last = "X" if last in "xX×" else last.translate(_DIGIT_LOOKALIKES)
    candidate = body + last
    if NUMBER_PATTERN.match(candidate) and check_digit_ok(candidate):
        return candidate, sum(a != b for a, b in zip(candidate, raw_case))
    return raw, None


def check_digit_ok(number: str) -> bool:
    return bool(NUMBER_PATTERN.match(number)) and ric.calc_check_digit(number) == number[17]


def number_checks(number: str, repairs: int | None, printed_birth: str | None, printed_sex: str | None,
                  today: date | None = None) -> list[Check]:
    """Every check on the number: format, MOD 11-2, birth date and sex agreement, region (a warning)."""
    checks = [Check("id_number_format", bool(NUMBER_PATTERN.match(number)),
                    "18 characters: 17 digits and a digit or X" if NUMBER_PATTERN.match(number)
                    else "not 17 digits followed by a digit or X; retake the photo", field="id_number")]
    ok = check_digit_ok(number)
    checks.append(Check("id_number_check_digit", ok, "GB 11643 MOD 11-2 check digit matches" if ok
                        else "GB 11643 MOD 11-2 check digit does not match: the number was misread", field="id_number"))
    if repairs:
        checks.append(Check("id_number_ocr_repair", True,
                            f"{repairs} look-alike character(s) replaced; the check digit confirms the result",
                            severity="warning", field="id_number"))
    if not NUMBER_PATTERN.match(number):
        return checks
    encoded = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    if printed_birth is not None:
        same = encoded == printed_birth
        checks.append(Check("id_number_birth_date", same, "birth date in the number equals the printed one" if same
                            else "birth date in the number differs from the printed one", field="id_number"))
    if printed_sex in ("男", "女"):
        odd = int(number[16]) % 2 == 1
        same = odd == (printed_sex == "男")
        checks.append(Check("id_number_sex", same, "sequence digit parity agrees with the printed sex" if same
                            else "sequence digit parity disagrees with the printed sex", field="id_number"))
    checks.append(_region_check(number))
    return checks


def _region_check(number: str) -> Check:
    """Region code known in python-stdnum's table for the birth year; unknown or retired is only a warning."""
    try:
        ric.get_birth_place(number)
    except (ValidationError, ValueError, KeyError):
        return Check("id_number_region", False,
                     "region code not in the current table for that birth year (old cards carry retired codes)",
                     severity="warning", field="id_number")
    return Check("id_number_region", True, "region code is known", field="id_number")
