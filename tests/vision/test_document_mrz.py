"""ICAO 9303 MRZ parsing against the specimens printed in ICAO 9303 parts 4–6, and OCR repairs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from testkit.cards import random_mrz_document
from barrierfree.vision.mrz.zone import check_digit, fit_length, parse

TODAY = date(2010, 1, 1)  # the specimens expire on 2012-04-15
TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]


def _failed(reading):
    return sorted(check.name for check in reading.checks if not check.passed)


@pytest.mark.parametrize(("lines", "kind", "number", "optional"), [
    (TD3, "td3", "L898902C3", "ZE184226B"), (TD2, "td2", "D23145890", ""), (TD1, "td1", "D23145890", ""),
])
def test_icao_specimens_parse_with_every_check_passing(lines, kind, number, optional):
    reading = parse(lines, today=TODAY)
    assert reading is not None and reading.kind == kind
    assert _failed(reading) == []
    assert {c.name for c in reading.checks} >= {"document_number_check_digit", "birth_date_check_digit",
                                                "expiry_date_check_digit", "composite_check_digit"}
    assert reading.fields == {
        "document_code": "P" if kind == "td3" else "I", "issuing_state": "UTO", "surname": "ERIKSSON",
        "given_names": "ANNA MARIA", "document_number": number, "nationality": "UTO", "sex": "F",
        "optional_data": optional, "birth_date": "1974-08-12", "expiry_date": "2012-04-15",
    }


def test_check_digits_of_the_specimen_fields():
    assert [check_digit(v) for v in ("L898902C3", "740812", "120415", "ZE184226B<<<<<")] == ["6", "2", "9", "1"]


@pytest.mark.parametrize(("line", "broken"), [
    ("L898902C36UTO7408122F1204159ZE184226B<<<<<10".replace("7408122", "7408132"), "birth_date_check_digit"),
    ("L898902C36UTO7408122F1204159ZE184226B<<<<<10".replace("L898902C3", "L898902C4"), "document_number_check_digit"),
    ("L898902C36UTO7408122F1204159ZE184226B<<<<<10".replace("1204159", "1304159"), "expiry_date_check_digit"),
    ("L898902C36UTO7408122F1204159ZE184226B<<<<<10"[:-1] + "3", "composite_check_digit"),
])
def test_an_altered_field_fails_its_check_digit(line, broken):
    reading = parse([TD3[0], line], today=TODAY)
    assert broken in _failed(reading)


def test_ocr_look_alikes_in_digit_positions_and_short_filler_runs_are_repaired():
    # O for 0 in a date, 5 for S in the nationality, four fillers where five were printed.
    noisy = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<", "L898902C36UT074O8122F1204159ZE184226B<<<<10"]
    reading = parse(noisy, today=TODAY)
    assert reading.kind == "td3" and _failed(reading) == []
    assert reading.lines[1] == TD3[1]


def test_an_alphanumeric_document_number_is_never_guessed_into_passing():
    # O read for 0: both are legal in a document number, so it is not swapped; the check fails.
    confused = parse([TD3[0], TD3[1].replace("L898902C3", "L8989O2C3")], today=TODAY)
    assert confused.fields["document_number"] == "L8989O2C3"
    assert "document_number_check_digit" in _failed(confused)
    wrong = TD3[1].replace("L898902C3", "L898903C3")  # a real digit error: no look-alike repair exists
    reading = parse([TD3[0], wrong], today=TODAY)
    assert reading.fields["document_number"] == "L898903C3"
    assert "document_number_check_digit" in _failed(reading)


def test_expired_documents_are_flagged():
    assert "not_expired" in _failed(parse(TD3, today=date(2020, 1, 1)))


def test_lines_that_are_no_mrz_are_refused():
    assert parse(["姓名张三", "公民身份号码"]) is None
    assert parse([]) is None


def test_fit_length_grows_the_longest_filler_run():
    assert fit_length("AB<<C", 7) == "AB<<<<C"
    assert fit_length("AB<<<<<C", 6) == "AB<<<C"


@pytest.mark.parametrize("kind", ["td1", "td2", "td3"])
def test_generated_documents_round_trip(kind):
    rng = np.random.default_rng(7)
    for _ in range(25):
        document = random_mrz_document(rng, kind, today=date(2026, 1, 1))
        reading = parse(list(document.lines), today=date(2026, 1, 1))
        assert reading.kind == kind and _failed(reading) == []
        assert reading.fields == document.fields
