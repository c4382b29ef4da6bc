"""The fields a refused card reading marks for the person come from each check's typed ``field``."""

from __future__ import annotations

from barrierfree.onboarding.journey.results import failing_fields
from barrierfree.vision.idcard.reading import Check


def test_failed_errors_mark_their_fields_once_sorted_and_whole_card_checks_mark_none():
    checks = [
        Check("validity_length", False, "not 5, 10 or 20 years", field="valid_to"),
        Check("id_number_check_digit", False, "does not match", field="id_number"),
        Check("id_number_birth_date", False, "differs", field="id_number"),
        Check("validity_dates_valid", False, "not dates", field="valid_to"),
        Check("not_expired", False, "card has expired"),  # the whole card: no field to retype
        Check("name_form", True, "2-15 characters", field="name"),  # passed: not marked
        Check("address_complete", False, "its end may be missing", severity="warning", field="address"),
    ]
    assert failing_fields(checks) == ("id_number", "valid_to")


def test_a_reading_with_no_failed_error_marks_nothing():
    assert failing_fields([Check("sex_valid", True, "sex is 男", field="sex")]) == ()
    assert failing_fields([Check("pair_complete", False, "both sides must be read")]) == ()
