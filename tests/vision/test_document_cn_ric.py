"""GB 11643 number checks, safe OCR repair, and the resident ID card's field rules."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from testkit.cards import id_number, random_cn_person
from barrierfree.vision.idcard import cn_ric_back, cn_ric_front
from barrierfree.vision.idcard.cn_ric import check_digit_ok, number_checks, repair_number
from barrierfree.vision.idcard.fields import FieldText

TODAY = date(2024, 6, 1)


def _f(*lines: str, confidence: float = 0.98) -> FieldText:
    return FieldText(tuple((line, confidence) for line in lines))


def _failed(checks, severity="error"):
    return sorted(c.name for c in checks if not c.passed and c.severity == severity)


def test_stdnum_example_number_passes_and_its_parts_are_checked():
    checks = number_checks("11010519491231002X", 0, "1949-12-31", "女", TODAY)
    assert _failed(checks) == [] and _failed(checks, "warning") == []


def test_every_single_digit_substitution_fails_the_check_digit():
    number = id_number("440305", date(1990, 5, 17), 123)
    assert check_digit_ok(number)
    for position in range(17):
        for digit in "0123456789":
            if digit != number[position]:
                altered = number[:position] + digit + number[position + 1:]
                assert not check_digit_ok(altered)
                repaired, repairs = repair_number(altered)
                assert repairs is None and repaired == altered  # returned as read, not "fixed"


@pytest.mark.parametrize(("seen", "repairs"), [("44030519900517123", None)])
def test_a_short_number_is_never_padded_into_shape(seen, repairs):
    assert repair_number(seen)[1] is repairs


def test_look_alike_letters_are_replaced_only_when_the_check_digit_confirms():
    number = id_number("440305", date(1990, 5, 17), 124)
    for position, letter in ((0, "L"), (6, "I"), (9, "O"), (12, "Z"), (14, "S"), (15, "B")):
        if number[position] == {"L": "1", "I": "1", "O": "0", "Z": "2", "S": "5", "B": "8"}[letter]:
            noisy = number[:position] + letter + number[position + 1:]
            assert repair_number(noisy) == (number, 1)
    lower_x = "11010519491231002x"
    assert repair_number(lower_x) == ("11010519491231002X", 1)
    # A look-alike that maps to the wrong digit does not pass and is not returned as valid.
    wrong = number[:3] + "B" + number[4:] if number[3] != "8" else number[:3] + "S" + number[4:]
    result, repairs = repair_number(wrong)
    assert repairs is None and not check_digit_ok(result)


def test_birth_date_and_sex_must_agree_with_the_number():
    number = id_number("440305", date(1990, 5, 17), 123)  # odd sequence: male
    checks = number_checks(number, 0, "1990-05-18", "女", TODAY)
    assert _failed(checks) == ["id_number_birth_date", "id_number_sex"]


def test_a_retired_region_code_is_a_warning_not_a_rejection():
    # 110103 (Chongwen district, Beijing) was merged away in 2010; cards from before still carry it.
    old = id_number("110103", date(1985, 3, 2), 11)
    checks = number_checks(old, 0, "1985-03-02", "男", TODAY)
    assert _failed(checks) == []
    unknown = id_number("990101", date(1985, 3, 2), 11)
    checks = number_checks(unknown, 0, "1985-03-02", "男", TODAY)
    assert _failed(checks) == [] and _failed(checks, "warning") == ["id_number_region"]


def test_front_parse_strips_leftover_labels_and_checks_ethnicity():
    number = id_number("440305", date(1990, 5, 17), 124)
    fields, confidence, checks = cn_ric_front.parse({
        "name": _f("姓名王芳"), "sex": _f("女"), "ethnicity": _f("民族汉"), "birth_date": _f("1990年5月17日"),
        "address": _f("广东省深圳市南山区", "科技园1号"), "id_number": _f(number, confidence=0.9)}, TODAY)
    assert fields == {"name": "王芳", "sex": "女", "ethnicity": "汉", "birth_date": "1990-05-17",
                      "address": "广东省深圳市南山区科技园1号", "id_number": number}
    assert confidence["id_number"] == 0.9 and _failed(checks) == []
    _, _, checks = cn_ric_front.parse({"ethnicity": _f("火星")}, TODAY)
    assert "ethnicity_known" in _failed(checks) and "id_number_present" in _failed(checks)


@pytest.mark.parametrize(("birth", "start", "end", "ok"), [
    ("2012-01-01", "2020-03-01", "2025-03-01", True),    # 8 years old: 5 years
    ("2000-01-01", "2020-03-01", "2030-03-01", True),    # 20: 10 years
    ("1990-01-01", "2020-03-01", "2040-03-01", True),    # 30: 20 years
    ("1960-01-01", "2020-03-01", "long-term", True),     # 60: long-term
    ("1990-01-01", "2020-03-01", "2030-03-01", False),   # 30 with a 10-year card
    ("1960-01-01", "2020-03-01", "2040-03-01", False),   # 60 with a 20-year card
])
def test_validity_must_match_the_age_at_issue(birth, start, end, ok):
    checks = cn_ric_back.validity_checks(start, end, birth, TODAY)
    assert ("validity_matches_age" not in _failed(checks)) is ok


def test_back_parse_reads_long_term_and_flags_expiry():
    fields, _, checks = cn_ric_back.parse({"issuing_authority": _f("深圳市公安局南山分局"),
                                           "validity": _f("有效期限2004.05.06-2024.05.06")}, TODAY)
    assert fields == {"issuing_authority": "深圳市公安局南山分局", "valid_from": "2004-05-06", "valid_to": "2024-05-06"}
    assert _failed(checks) == ["not_expired"]
    fields, _, checks = cn_ric_back.parse({"validity": _f("2010.01.05-长期")}, TODAY)
    assert fields["valid_to"] == "long-term" and "issuing_authority_present" in _failed(checks)
    _, _, checks = cn_ric_back.parse({"validity": _f("2010.01.05-2017.01.05")}, date(2012, 1, 1))
    assert "validity_length" in _failed(checks)


def test_generated_people_are_consistent_with_every_rule():
    rng = np.random.default_rng(3)
    for _ in range(100):
        person = random_cn_person(rng, TODAY)
        checks = number_checks(person.id_number, 0, person.birth_date, person.sex, TODAY)
        checks += cn_ric_back.validity_checks(person.valid_from, person.valid_to, person.birth_date, TODAY)
        assert _failed(checks) == [] and _failed(checks, "warning") == []


def test_both_sides_together_check_the_term_against_the_age_at_issue():
    assert [c.passed for c in cn_ric_back.pair_checks(
        {"birth_date": "2000-01-01"}, {"valid_from": "2020-03-01", "valid_to": "2030-03-01"}, TODAY)] == [True]
    assert [c.passed for c in cn_ric_back.pair_checks(
        {"birth_date": "1970-01-01"}, {"valid_from": "2020-03-01", "valid_to": "2030-03-01"}, TODAY)] == [False]
    assert cn_ric_back.pair_checks({}, {"valid_from": "2020-03-01"}, TODAY)[0].name == "pair_complete"


def test_a_period_whose_thin_dash_the_recogniser_lost_is_still_a_period():
    # alt renderer, tuning seed 1027: 有效期限2024.09.23-长期 was read without its dash.
    fields, _, checks = cn_ric_back.parse({"validity": _f("有效期限2024.09.23长期")}, TODAY)
    assert (fields["valid_from"], fields["valid_to"]) == ("2024-09-23", "long-term")
    fields, _, _ = cn_ric_back.parse({"validity": _f("2015.03.01 2035.03.01")}, TODAY)
    assert (fields["valid_from"], fields["valid_to"]) == ("2015-03-01", "2035-03-01")
    # Digits with no dots and no dash are no period (an ID number is not read as one).
    _, _, checks = cn_ric_back.parse({"validity": _f("110105194912310021")}, TODAY)
    assert "validity_present" in _failed(checks)
