"""Fusing frames never does worse than one frame, nor accepts what every frame alone refuses (issue 18).

Readings are built as the reader returns them for the emblem side (its fields and the failed checks
the reader and :mod:`barrierfree.vision.idcard.gates` attach), then fused by the real function.
"""

from __future__ import annotations

from datetime import date

from barrierfree.vision.idcard.fusion import fuse
from barrierfree.vision.idcard.gates import authority_checks
from barrierfree.vision.idcard.reading import Check, DocumentReading

TODAY = date(2026, 12, 7)
RIGHT = "北京市公安局东城分局"


def _back(authority: str, confidence: float, *extra: Check) -> DocumentReading:
    """An emblem-side reading of ``authority`` with the gates' checks on it, and ``extra`` checks."""
    fields = {"issuing_authority": authority, "valid_from": "2015-03-01", "valid_to": "2035-03-01"}
    return DocumentReading("cn_resident_id_back", fields, dict.fromkeys(fields, confidence),
                           tuple(authority_checks(authority)) + extra)


def test_one_clean_frame_outvotes_two_that_kept_a_piece_of_the_label():
    flagged = "机关北京市公安局东城分局"
    assert not _back(flagged, 0.99).valid and _back(RIGHT, 0.9).valid
    fused = fuse([_back(flagged, 0.99), _back(flagged, 0.98), _back(RIGHT, 0.9)], TODAY)
    assert fused.fields["issuing_authority"] == RIGHT
    assert fused.valid


def test_a_warning_no_check_can_repeat_stays_on_the_fused_field():
    weak = Check("issuing_authority_character_confidence", False, "a character was read with low confidence",
                 severity="warning", field="issuing_authority")
    fused = fuse([_back(RIGHT, 0.95, weak), _back(RIGHT, 0.93, weak)], TODAY)
    kept = fused.check("issuing_authority_character_confidence")
    assert kept is not None and not kept.passed and kept.field == "issuing_authority"


def test_a_frame_whose_rows_did_not_fit_gets_no_vote_while_another_fits():
    misfit = Check("label_rows_consistent", False, "labels 5.1 mm apart")
    slipped = _back("北京市公安局西城分局", 0.99, misfit)
    fused = fuse([slipped, _back(RIGHT, 0.9)], TODAY)
    assert fused.fields["issuing_authority"] == RIGHT
    assert fused.valid


def test_a_whole_card_error_every_frame_had_is_not_fused_away():
    misfit = Check("label_rows_consistent", False, "labels 5.1 mm apart")
    readings = [_back(RIGHT, 0.95, misfit), _back(RIGHT, 0.94, misfit)]
    assert not any(r.valid for r in readings)
    fused = fuse(readings, TODAY)
    assert not fused.valid and fused.check("label_rows_consistent") is not None
