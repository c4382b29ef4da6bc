"""Every check the reader emits says which reading field it is about (``Check.field``), so the
journey marks fields without parsing check names. Run on real renders, both sides and MRZs, valid
and failing: each CN check carries the field the name parser the journey used before gave it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from barrierfree.onboarding.journey.results import failing_fields
from barrierfree.vision.idcard import read_document
from barrierfree.vision.idcard.cn_ric_back import pair_checks
from barrierfree.vision.idcard.fusion import fuse
from barrierfree.vision.idcard.reading import CN_RESIDENT_ID_SIDES, DocumentReading
from testkit.cards import (
    SIZES_MM, CameraPose, apply_faults, background, random_cn_person, random_faults, random_photo, render_card,
    render_scene,
)

TODAY = date(2026, 11, 29)  # the renders' dates are drawn relative to it (see test_document_reading.py)
LONG_AFTER = date(2095, 1, 1)  # read "today" long after: every card and passport in view has expired
#: Checks on the whole document, about no one field: the journey marks no field for them.
WHOLE_DOCUMENT = {"not_expired", "pair_complete", "label_rows_consistent", "composite_check_digit"}


def _old_field_of(check: str) -> str:
    """The journey's former name parser (camera.py ``_field_of``), kept here as the reference the
    typed fields must agree with."""
    for field_name in ("id_number", "birth_date", "issuing_authority", "valid_from", "valid_to", "validity",
                       "ethnicity", "address", "name", "sex"):
        if check.startswith(field_name):
            return {"validity": "valid_to"}.get(field_name, field_name)
    return check.split("_")[0]


def _forged_front() -> tuple[np.ndarray, dict[str, str]]:
    """A portrait side whose printed number has one month digit changed: its number checks fail."""
    rng = np.random.default_rng(8)
    person = random_cn_person(rng, TODAY)
    digit = str((int(person.id_number[10]) + 3) % 10)
    forged = replace(person, id_number=person.id_number[:10] + digit + person.id_number[11:])
    pose = CameraPose(distance_mm=140, roll_deg=7, tilt_x_deg=5, focal_px=1024)
    frame, _ = render_scene(render_card(forged, "front"), SIZES_MM["id1"], pose, (1280, 960),
                            background("wood", (1280, 960), rng))
    return apply_faults(frame, random_faults(rng, 0.5), rng), forged.front_fields()


def _assert_fields(reading: DocumentReading, field_names: set[str]) -> None:
    assert reading.checks
    for check in reading.checks:
        if check.name in WHOLE_DOCUMENT:
            assert check.field is None, check.name
        elif reading.document_type in CN_RESIDENT_ID_SIDES:
            assert check.field == _old_field_of(check.name), check.name
        else:  # an MRZ check names its field in full (the old parser cut "document_number" to "document")
            assert check.field is not None and check.field in check.name, check.name
        assert check.field is None or check.field in field_names, check.name
        assert check.as_dict()["field"] == check.field


@pytest.mark.parametrize(("seed", "kind", "today"), [
    (1, "cn_resident_id_front", TODAY), (3, "cn_resident_id_back", TODAY),
    (5, "cn_resident_id_back", LONG_AFTER), (21, "mrz_td3", TODAY), (21, "mrz_td1", LONG_AFTER),
])
def test_every_check_on_a_render_names_its_field(seed, kind, today):
    photo = random_photo(seed, kind, severity=0.3 if kind.startswith("mrz") else 1.0, today=TODAY)
    reading = read_document(photo.pixels, today=today)
    assert reading.document_type == kind
    _assert_fields(reading, set(photo.fields))
    if today is LONG_AFTER:  # an expired document fails a whole-document check, which marks no field
        assert any(c.name == "not_expired" and not c.passed for c in reading.checks)
    if today is LONG_AFTER and kind in CN_RESIDENT_ID_SIDES:
        assert failing_fields(reading.checks) == tuple(sorted(
            {_old_field_of(c.name) for c in reading.checks if not c.passed and c.severity == "error"}
            - {"not"}))


def test_a_failing_number_marks_the_id_number_as_the_old_parser_did():
    pixels, truth = _forged_front()
    reading = read_document(pixels, today=TODAY)
    assert reading.document_type == "cn_resident_id_front" and not reading.valid
    _assert_fields(reading, set(truth))
    old = sorted({_old_field_of(c.name) for c in reading.checks if not c.passed and c.severity == "error"})
    assert "id_number" in old and list(failing_fields(reading.checks)) == old


def test_frames_that_disagree_flag_the_field_they_disagree_on():
    readings = [read_document(random_photo(seed, "cn_resident_id_front", today=TODAY).pixels, today=TODAY)
                for seed in (1, 5)]
    fused = fuse(readings, today=TODAY)
    disagree = [c for c in fused.checks if c.name.endswith("_frames_disagree")]
    assert disagree and all(c.field == _old_field_of(c.name) for c in disagree)


def test_an_incomplete_pair_is_a_whole_card_check():
    (check,) = pair_checks({}, {"valid_from": "2020-03-01", "valid_to": "2030-03-01"}, today=TODAY)
    assert check.name == "pair_complete" and not check.passed and check.field is None
