"""ICAO 9303 machine-readable zones: TD1 (3×30), TD2 (2×36) and TD3 (2×44).

Why written here rather than taken from PyPI: the only general MRZ checker
there (``mrz`` 0.6.x) has had no release since 2020 and raises on what it
considers unknown country codes; the rules themselves are small (ICAO 9303
part 3 §4.9: weights 7-3-1, ``A``..``Z`` = 10..35, ``<`` = 0) and are
tested below against the specimen strings printed in ICAO 9303 parts 4–6.

:func:`parse` takes OCR'd lines, repairs what the format makes certain
(a letter in an all-digit position, a digit in a country code or name, filler
runs the OCR shortened) and reports every check digit as a named
:class:`~barrierfree.vision.idcard.reading.Check`.

An alphanumeric document number is never "repaired": a mod-10 check digit
would confirm a wrong swap one time in ten, so a number that fails its check
is returned as read, with the failed check.

>>> check_digit("L898902C3")
'6'
>>> reading = parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
...                  "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=date(2010, 1, 1))
>>> reading.kind, reading.fields["surname"], reading.fields["given_names"], reading.fields["birth_date"]
('td3', 'ERIKSSON', 'ANNA MARIA', '1974-08-12')
>>> all(check.passed for check in reading.checks)
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from barrierfree.vision.idcard.reading import Check

#: Characters per line and lines per format.
FORMATS = {"td1": (3, 30), "td2": (2, 36), "td3": (2, 44)}
_WEIGHTS = (7, 3, 1)
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1",
                           "Z": "2", "S": "5", "B": "8", "G": "6", "A": "4", "<": "0"})
#: Digits the recogniser reads for OCR-B letters (9 for S: ROSSI read RO9SI, JOSE read JO9E).
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A", "7": "T", "9": "S"})


def _value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"{char!r} is not an MRZ character")


def check_digit(text: str) -> str:
    """The ICAO 9303 check digit of ``text`` (weights 7, 3, 1 repeating).

    >>> check_digit("740812"), check_digit("120415"), check_digit("D23145890")
    ('2', '9', '7')
    """
    return str(sum(_value(char) * _WEIGHTS[i % 3] for i, char in enumerate(text)) % 10)


@dataclass(frozen=True)
class MrzReading:
    """Parsed MRZ: ``kind`` is ``td1``/``td2``/``td3``, ``lines`` as repaired."""

    kind: str
    lines: tuple[str, ...]
    fields: dict[str, str]
    checks: tuple[Check, ...]


def normalize_line(text: str) -> str:
    """Upper-case, spaces dropped, look-alikes of ``<`` (``«``, ``く``, ``‹``) mapped to it."""
    text = unicodedata.normalize("NFKC", text).upper().replace(" ", "")
    text = re.sub(r"[«‹く〈＜(\[{]", "<", text)
    return re.sub(r"[^A-Z0-9<]", "<", text)


def fit_length(line: str, length: int) -> str:
    """Make ``line`` exactly ``length`` long by growing or shrinking its longest filler run.

    OCR often reads eleven ``<`` as ten; the position of every field depends on it.

    >>> fit_length("AB<<<CD", 8)
    'AB<<<<CD'
    """
    if len(line) == length:
        return line
    runs = list(re.finditer(r"<+", line))
    if not runs:
        return (line + "<" * length)[:length]
    run = max(runs, key=lambda match: (len(match.group()), match.start()))
    new_run = max(1, len(run.group()) + length - len(line))
    fitted = line[: run.start()] + "<" * new_run + line[run.end():]
    return (fitted + "<" * length)[:length]


def detect_kind(lines: list[str]) -> str | None:
    """Which format a list of candidate lines is, from their count and lengths."""
    count = len(lines)
    mean = sum(len(line) for line in lines) / max(count, 1)
    if count == 3 and 26 <= mean <= 34:
        return "td1"
    if count == 2 and 32 <= mean <= 40:
        return "td2"
    if count == 2 and 40 <= mean <= 48:
        return "td3"
    return None


def _digits(text: str) -> str:
    return text.translate(_TO_DIGIT)


def _letters(text: str) -> str:
    return text.translate(_TO_LETTER)


def _date(yymmdd: str, *, expiry: bool, today: date) -> str | None:
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    century = 2000 if (expiry and yy < 70) or (not expiry and 2000 + yy <= today.year) else 1900
    try:
        return date(century + yy, mm, dd).isoformat()
    except ValueError:
        return None


def _state(code: str) -> str:
    """A three-character state code without its fillers; a one-letter code is Germany's ``D``, the
    only one ICAO 9303-3 has (an OCR-B D reads as 0, which the letter positions turn into O).

    >>> _state("UTO"), _state("D<<"), _state("O<<")
    ('UTO', 'D', 'D')
    """
    code = code.replace("<", "")
    return "D" if len(code) == 1 else code


def _names(field: str) -> tuple[str, str]:
    """``(surname, given names)`` of a name field: ``<<`` separates them, and after the given names
    only fillers follow (ICAO 9303-3 §4.6), so a letter the OCR saw in that filler run is dropped.

    >>> _names("TANAKA<<ERIKA<<<<<S<<<<"), _names("ERIKSSON<<ANNA<MARIA<<<")
    (('TANAKA', 'ERIKA'), ('ERIKSSON', 'ANNA MARIA'))
    """
    surname, _, given = _letters(field).strip("<").partition("<<")
    given = given.split("<<", 1)[0]
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _digit_check(name: str, value: str, digit: str, what: str, field: str | None) -> Check:
    """A check digit's check; ``field`` is the reading field it guards (``None`` for the composite digit)."""
    if check_digit(value) == digit:
        return Check(name, True, f"{what} check digit matches", field=field)
    return Check(name, False, f"{what} check digit does not match; the zone was misread or altered", field=field)


def _date_checks(fields: dict[str, str], raw_birth: str, raw_expiry: str, today: date) -> list[Check]:
    birth = _date(raw_birth, expiry=False, today=today)
    expiry = _date(raw_expiry, expiry=True, today=today)
    fields["birth_date"] = birth or raw_birth
    fields["expiry_date"] = expiry or raw_expiry
    checks = [
        Check("birth_date_valid", birth is not None, "birth date is a calendar date" if birth else "birth date is not a calendar date",
              field="birth_date"),
        Check("expiry_date_valid", expiry is not None, "expiry date is a calendar date" if expiry else "expiry date is not a calendar date",
              field="expiry_date"),
    ]
    if expiry is not None:
        expired = date.fromisoformat(expiry) < today
        checks.append(Check("not_expired", not expired, "document has expired" if expired else "document is within its validity"))
    return checks


def _td2_td3(lines: tuple[str, str], kind: str, today: date) -> MrzReading:
    top, bottom = lines
    width = FORMATS[kind][1]
    number = bottom[0:9]
    optional_end = width - 2 if kind == "td3" else width - 1
    bottom = (number + _digits(bottom[9]) + _letters(bottom[10:13]) + _digits(bottom[13:20])
              + bottom[20] + _digits(bottom[21:28]) + bottom[28:optional_end])
    if kind == "td3":
        tail = lines[1][optional_end]
        bottom += (tail if tail == "<" else _digits(tail))
    bottom += _digits(lines[1][width - 1])
    # Line 1 is letters and fillers only (code, state, names): a 0 there is an O read as a digit.
    # (Decoding it without digits instead drops OCR-B O's whose digit reading was far ahead.)
    top = _letters(top)
    surname, given = _names(top[5:])
    fields = {
        "document_code": top[0:2].rstrip("<"), "issuing_state": _state(top[2:5]),
        "surname": surname, "given_names": given, "document_number": number.rstrip("<"),
        "nationality": _state(bottom[10:13]), "sex": {"M": "M", "F": "F"}.get(bottom[20], "X"),
        "optional_data": bottom[28:optional_end].strip("<"),
    }
    checks = [
        _digit_check("document_number_check_digit", bottom[0:9], bottom[9], "document number", "document_number"),
        _digit_check("birth_date_check_digit", bottom[13:19], bottom[19], "birth date", "birth_date"),
        _digit_check("expiry_date_check_digit", bottom[21:27], bottom[27], "expiry date", "expiry_date"),
    ]
    if kind == "td3":
        optional, digit = bottom[28:42], bottom[42]
        if not (digit == "<" and optional.strip("<") == ""):
            checks.append(_digit_check("optional_data_check_digit", optional, "0" if digit == "<" else digit, "personal number", "optional_data"))
    composite = bottom[0:10] + bottom[13:20] + bottom[21:width - 1]
    checks.append(_digit_check("composite_check_digit", composite, bottom[width - 1], "composite", None))
    checks += _date_checks(fields, bottom[13:19], bottom[21:27], today)
    return MrzReading(kind, (top, bottom), fields, tuple(checks))


def _td1(lines: tuple[str, str, str], today: date) -> MrzReading:
    top, middle, name = lines
    top = _letters(top[0:5]) + top[5:]  # document code and issuing state are letters (an I read as 1)
    if top[14] == "<" and top[15:30].strip("<"):
        # A number longer than 9: it goes on in the optional data, whose last used character is its check digit.
        rest = top[15:30].split("<", 1)[0]
        number_text, digit, optional = top[5:14] + rest[:-1], rest[-1:], top[15 + len(rest):30]
    else:
        number_text = top[5:14]
        digit, optional = _digits(top[14]), top[15:30]
        top = top[0:5] + number_text + digit + optional
    middle = (_digits(middle[0:7]) + middle[7] + _digits(middle[8:15]) + _letters(middle[15:18])
              + middle[18:29] + _digits(middle[29]))
    name = _letters(name)  # names are letters and fillers only, as on line 1 of TD2/TD3
    surname, given = _names(name)
    fields = {
        "document_code": top[0:2].rstrip("<"), "issuing_state": _state(top[2:5]),
        "surname": surname, "given_names": given, "document_number": number_text.replace("<", ""),
        "nationality": _state(middle[15:18]), "sex": {"M": "M", "F": "F"}.get(middle[7], "X"),
        "optional_data": (optional.strip("<") + " " + middle[18:29].strip("<")).strip(),
    }
    checks = [
        _digit_check("document_number_check_digit", number_text, digit, "document number", "document_number"),
        _digit_check("birth_date_check_digit", middle[0:6], middle[6], "birth date", "birth_date"),
        _digit_check("expiry_date_check_digit", middle[8:14], middle[14], "expiry date", "expiry_date"),
        _digit_check("composite_check_digit", top[5:30] + middle[0:7] + middle[8:15] + middle[18:29], middle[29], "composite", None),
    ]
    checks += _date_checks(fields, middle[0:6], middle[8:14], today)
    return MrzReading("td1", (top, middle, name), fields, tuple(checks))


def parse(lines: list[str], *, kind: str | None = None, today: date | None = None) -> MrzReading | None:
    """Parse 2 or 3 OCR'd MRZ lines (top to bottom); ``None`` when they are no MRZ.

    >>> r = parse(["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
    ...            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"], today=date(2010, 1, 1))
    >>> r.kind, r.fields["document_number"], r.fields["expiry_date"], [c.name for c in r.checks if not c.passed]
    ('td1', 'D23145890', '2012-04-15', [])
    """
    today = today or date.today()
    cleaned = [normalize_line(line) for line in lines if line.strip()]
    kind = kind or detect_kind(cleaned)
    if kind is None or len(cleaned) != FORMATS[kind][0]:
        return None
    fitted = tuple(fit_length(line, FORMATS[kind][1]) for line in cleaned)
    return _td1(fitted, today) if kind == "td1" else _td2_td3(fitted, kind, today)  # type: ignore[arg-type]
