"""The visual inspection zone of an MRZ page against its machine-readable zone (ICAO 9303 part 3).

MRZ names carry no check digit, so a misread letter (``NGOYEN`` for ``NGUYEN``)
passes every MRZ check. Where the page also prints the names, the document
number and the dates beside the photo, they are read (each value on the row
under or beside its printed label) and compared with the MRZ: a difference is a
warning check ``visual_zone_<field>`` asking the person to confirm, and the MRZ
value is kept (it is the one made to be machine-read).
"""

from __future__ import annotations

import re
from datetime import date

from barrierfree.vision.idcard.reading import Check
from barrierfree.vision.ocr.ctc import rank_words
from barrierfree.vision.idcard.rows import TextRow

#: Printed labels (upper case, no spaces) and the MRZ field each one names.
LABELS = (("SURNAME", "surname"), ("GIVENNAMES", "given_names"), ("DATEOFBIRTH", "birth_date"),
          ("DATEOFEXPIRY", "expiry_date"), ("PASSPORTNO", "document_number"), ("DOCUMENTNO", "document_number"))
_MONTHS = {m: i + 1 for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))}


def _squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _as_date(text: str) -> str | None:
    """An ISO date from ``1974-08-12``, ``12.08.1974``, ``12 AUG 1974`` or ``12AUG/AOUT1974``.

    >>> _as_date("1974-08-12"), _as_date("12.08.1974"), _as_date("12 AUG 1974"), _as_date("ANNA")
    ('1974-08-12', '1974-08-12', '1974-08-12', None)
    """
    text = text.upper()
    patterns = ((r"(\d{4})\D(\d{1,2})\D(\d{1,2})", (1, 2, 3)), (r"(\d{1,2})\D(\d{1,2})\D(\d{4})", (3, 2, 1)))
    for pattern, (y, m, d) in patterns:
        found = re.search(pattern, text)
        if found:
            try:
                return date(int(found[y]), int(found[m]), int(found[d])).isoformat()
            except ValueError:
                return None
    found = re.search(r"(\d{1,2})\s*([A-Z]{3})\S*\s*(\d{4})", text)
    if found and found[2] in _MONTHS:
        try:
            return date(int(found[3]), _MONTHS[found[2]], int(found[1])).isoformat()
        except ValueError:
            return None
    return None


def printed_values(rows: list[TextRow]) -> dict[str, tuple[str, TextRow]]:
    """The visual zone's values by field, with their row: the text after the label on its row, else the row under it."""
    values: dict[str, tuple[str, TextRow]] = {}
    for row in rows:
        squashed = _squash(row.text)
        for label, name in LABELS:
            at = squashed.find(label)
            if at < 0 or name in values:
                continue
            rest, source = squashed[at + len(label):], row
            if len(rest) < 2:  # the value is printed under the label
                below = [r for r in rows if 0.3 * row.height < r.y - row.y < 2.2 * row.height
                         and r.box[0] < row.box[2] and r.box[2] > row.box[0]]
                if not below:
                    continue
                source = min(below, key=lambda r: r.y)
                rest = source.text
            values[name] = rest, source
    return values


def _normal(name: str, value: str) -> str | None:
    if name in ("birth_date", "expiry_date"):
        return _as_date(value)
    return _squash(value)


def _fits(engine, row: TextRow, expected: str, seen: str) -> bool:  # noqa: ANN001 - an OCR engine
    """Whether the printed row is as likely to say ``expected`` as what greedy decoding saw there
    (a short name's letter dropped by greedy decoding, LI read L, is no disagreement)."""
    probs, characters = engine.character_probabilities(row.crop)
    word, posterior, _ = rank_words([probs], characters, [expected, seen])
    return word == expected or (word is not None and posterior < 0.8)


def visual_zone_checks(rows: list[TextRow], fields: dict[str, str], engine=None) -> list[Check]:  # noqa: ANN001
    """One warning check per field printed in both zones: ``visual_zone_<field>``. With the OCR
    ``engine``, a text field greedy decoding read differently is scored again: the MRZ value as
    printed against what was seen, on the row's own image.

    >>> from barrierfree.vision.idcard.rows import Glyph
    >>> def row(text, y):
    ...     return TextRow(tuple(Glyph(c, 0.9, 40 + i) for i, c in enumerate(text)), (40, y - 1, 80, y + 1), None, 8.0)
    >>> checks = visual_zone_checks([row("Surname", 11), row("NGUYEN", 14)], {"surname": "NGOYEN"})
    >>> [(c.name, c.passed, c.severity) for c in checks]
    [('visual_zone_surname', False, 'warning')]
    """
    checks = []
    for name, (printed, row) in printed_values(rows).items():
        if name not in fields:
            continue
        seen, machine = _normal(name, printed), _normal(name, fields[name])
        if seen is None or machine is None:
            continue
        same = seen == machine
        if not same and engine is not None and name not in ("birth_date", "expiry_date") and row.crop is not None:
            same = _fits(engine, row, fields[name], row.text)
        checks.append(Check(f"visual_zone_{name}", same, f"the {name.replace('_', ' ')} printed on the page matches the MRZ"
                            if same else f"the {name.replace('_', ' ')} printed on the page differs from the MRZ; "
                            "the MRZ value is kept: confirm it with the person", severity="warning", field=name))
    return checks
