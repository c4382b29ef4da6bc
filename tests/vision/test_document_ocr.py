"""The OCR engine's field-level entry points on rendered text: detection only, recognition only, closed vocabularies."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from testkit.cards import random_cn_person, render_card
from testkit.text import render_line
from barrierfree.vision.idcard.ethnicities import ETHNICITIES
from barrierfree.vision.ocr import default_engine
from barrierfree.vision.ocr.ctc import best_word

TODAY = date(2026, 11, 29)  # pinned: the generators' draws depend on the date


def test_detect_finds_every_printed_line_of_a_flat_card_front():
    person = random_cn_person(np.random.default_rng(4), TODAY)
    card = render_card(person, "front", px_per_mm=8)
    boxes = default_engine().detect(card[:, : int(55 * 8)], max_side_px=736)
    rows_mm = sorted({round(float(box[:, 1].mean()) / 8 / 6.5) for box in boxes})
    # name, sex/ethnicity, birth, address (1–3 lines) and the number row are all found
    assert len(boxes) >= 8 and len(rows_mm) >= 5
    assert all(box.shape == (4, 2) for box in boxes)


def test_recognize_reads_crops_without_detection():
    crops = [render_line("公民身份号码", 40), render_line("110105194912310021", 40, kind="ocr-b")]
    texts = [text for text, _ in default_engine().recognize(crops)]
    assert texts == ["公民身份号码", "110105194912310021"]
    assert default_engine().recognize([]) == []


@pytest.mark.parametrize("word", ["畲", "羌", "鄂伦春", "柯尔克孜"])
def test_a_closed_vocabulary_field_picks_the_printed_word(word):
    probs, characters = default_engine().character_probabilities(render_line(word, 36))
    chosen, posterior = best_word(probs, characters, ETHNICITIES)
    assert chosen == word and posterior > 0.9


def test_a_word_the_recogniser_cannot_spell_is_not_replaced_by_its_neighbour():
    # 仫 is not in PP-OCRv4's character set: 仫佬 must not come back as 仡佬.
    probs, characters = default_engine().character_probabilities(render_line("仫佬", 36))
    assert "仫" not in characters
    assert best_word(probs, characters, ETHNICITIES)[0] is None
    # ...and so 仡佬 cannot be told from it either: no closed-vocabulary choice is made.
    probs, characters = default_engine().character_probabilities(render_line("仡佬", 36))
    assert best_word(probs, characters, ETHNICITIES)[0] is None
