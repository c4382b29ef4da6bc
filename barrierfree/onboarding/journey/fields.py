"""The card fields the review step reads back, and the checks an edited value must pass.

Field names are the document area's (``name``, ``id_number``...). An edited
ID number must pass GB 11643's MOD 11-2 check digit (python-stdnum's
``cn.ric``), so a typo is caught before the account is opened.

>>> check_field("id_number", "11010519491231002X") is None
True
>>> check_field("id_number", "110105194912310021")
'The ID number’s check digit does not match; check each digit.'
>>> check_field("valid_to", "long-term") is None, check_field("birth_date", "1949-13-01") is not None
(True, True)

Values are stored in Unicode NFKC form, so a number OCR returned in
full-width digits (``１１０１``) is kept, compared and checked as ASCII:

>>> normalize("id_number", "１１０１０５１９４９１２３１００２x")
'11010519491231002X'
>>> check_field("id_number", "１１０１０５１９４９１２３１００２X")
'Write the ID number with the digits 0-9 and X only.'
"""

from __future__ import annotations

import unicodedata
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

#: Review order: the portrait side top to bottom, then the emblem side.
ORDERED = ("name", "sex", "ethnicity", "birth_date", "address", "id_number", "issuing_authority", "valid_from", "valid_to")
#: Each editable field and the card side it is printed on.
EDITABLE = {name: ("back" if name in ("issuing_authority", "valid_from", "valid_to") else "front") for name in ORDERED}
#: The fields that say who the person is. Read with their checks passed, they are locked after the
#: face match; a correction of any of them sends the account to staff review instead of opening it.
IDENTITY = ("name", "sex", "birth_date", "id_number", "valid_from", "valid_to")
_MAX_LENGTH = 120


def flagged_by_check(check_name: str) -> tuple[str, ...]:
    """The identity fields a card reading's check is about (a failed check makes them correctable).

    >>> flagged_by_check("id_number_birth_date"), flagged_by_check("validity_length"), flagged_by_check("ethnicity_known")
    (('birth_date', 'id_number'), ('valid_from', 'valid_to'), ())
    """
    if "validity" in check_name or "expir" in check_name:
        return ("valid_from", "valid_to")
    return tuple(name for name in IDENTITY if name in check_name and not (name == "name" and "_name" in check_name))


def normalize(name: str, value: str) -> str:
    """The value as stored: NFKC (full-width digits and letters become ASCII), trimmed; ID numbers upper-case."""
    value = unicodedata.normalize("NFKC", value).strip()
    return value.upper() if name == "id_number" else value


def check_field(name: str, value: str) -> str | None:
    """``None`` when ``value`` is acceptable for ``name``, else what to fix (no value echoed)."""
    if not value or not value.strip():
        return "This field is empty; type the value printed on the card."
    if len(value) > _MAX_LENGTH:
        return f"This value is longer than {_MAX_LENGTH} characters."
    if name == "id_number":
        if not value.isascii():
            return "Write the ID number with the digits 0-9 and X only."
        try:
            ric.validate(value)
        except ValidationError:
            return "The ID number’s check digit does not match; check each digit."
    elif name == "sex" and value not in ("男", "女"):
        return "Sex must be 男 or 女, as printed on the card."
    elif name in ("birth_date", "valid_from") or (name == "valid_to" and value != "long-term"):
        try:
            date.fromisoformat(value)
        except ValueError:
            return "Write the date as year-month-day, for example 1990-05-17."
    return None
