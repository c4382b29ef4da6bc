"""Issue 18: the cards renderer prints the whole issuing authority, as real cards do (a long one
wraps onto a second line), its truth is what is printed, and the reader reads both lines.

Generated cards, the real OCR engine; seeds are development seeds (below 100 000).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from testkit import cards
from testkit.cards_flat import AUTHORITY_CHARS_PER_LINE
from testkit.cards_people import random_cn_person
from barrierfree.vision.idcard import cn_back_labels, read_document
from barrierfree.vision.idcard.rows import Glyph, TextRow

TODAY = date(2026, 12, 7)
BACK = "cn_resident_id_back"
LONG = "积石山保安族东乡族撒拉族自治县公安局"  # 18 characters: wraps on the card


def test_authorities_are_whole_and_in_the_forms_real_cards_print():
    people = [random_cn_person(np.random.default_rng(seed), TODAY) for seed in range(400)]
    authorities = {p.issuing_authority for p in people}
    assert LONG in authorities  # not cut at 15 characters
    assert all(a.endswith(("公安局", "分局")) for a in authorities)
    # A district's branch names its city's bureau first (北京市公安局朝阳分局), never 云南公安局洱源县分局.
    assert all(a.count("公安局") == 1 and not a.endswith("县分局") for a in authorities)


@pytest.mark.parametrize("seed", [242, 745])
def test_a_long_authority_wraps_onto_a_second_line_and_is_read_whole(seed):
    photo = cards.random_photo(seed, BACK, today=TODAY)
    assert photo.fields["issuing_authority"] == LONG and len(LONG) > AUTHORITY_CHARS_PER_LINE
    reading = read_document(photo.pixels, today=TODAY)
    assert reading.document_type == BACK
    assert reading.fields == photo.fields
    assert all(c.passed for c in reading.checks if c.name == "label_rows_consistent")


def _row(text: str, y: float, x0: float, pitch: float = 3.0) -> TextRow:
    glyphs = tuple(Glyph(c, 0.99, x0 + 1.5 + i * pitch) for i, c in enumerate(text))
    return TextRow(glyphs, (x0, y - 1.5, x0 + pitch * len(text), y + 1.5), np.zeros((32, 24 * len(text), 3), np.uint8), 8.0)


def test_a_wrapped_line_is_never_taken_from_the_validity_row_and_a_lone_gap_still_fails():
    label_rows = [_row("签发机关", 37.5, 14.0, 2.6), _row("积石山保安族东乡族撒拉族自治县公", 37.5, 28.5),
                  _row("安局", 41.5, 28.5), _row("有效期限", 47.5, 14.0, 2.6), _row("2018.04.28-长期", 47.5, 28.5)]
    values, checks = cn_back_labels.back_values(label_rows)
    assert values["issuing_authority"].text == LONG and values["validity"].text == "2018.04.28-长期"
    assert [c.passed for c in checks if c.name == "label_rows_consistent"] == [True]
    # The same 10 mm between the labels with no wrapped line between them is not a card's layout.
    values, checks = cn_back_labels.back_values([r for r in label_rows if r.text != "安局"])
    assert [c.passed for c in checks if c.name == "label_rows_consistent"] == [False]
