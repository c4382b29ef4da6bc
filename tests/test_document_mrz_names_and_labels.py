"""MRZ name lines decoded as letters and fillers only; label tails stripped from the issuing authority."""

from __future__ import annotations

from datetime import date

from barrierfree.synth.text import render_line
from barrierfree.vision.documents import cn_ric_back
from barrierfree.vision.documents.fields import FieldText
from barrierfree.vision.documents.reader import MRZ_ALPHABET, MRZ_NAME_ALPHABET
from barrierfree.vision.ocr import default_engine
from barrierfree.vision.ocr.ctc import greedy_in_alphabet


def test_the_name_alphabet_turns_digit_shaped_glyphs_into_letters():
    # An OCR-B line of O and 0 and I and 1: with the full MRZ alphabet the recogniser reads digits,
    # with the name alphabet (letters and < only, as ICAO 9303 prints names) it cannot.
    probs, characters = default_engine().character_probabilities(render_line("P<UTO0O0I1<<OLIO<<<", 40, kind="ocr-b"))
    full, _ = greedy_in_alphabet(probs, characters, MRZ_ALPHABET)
    names, _ = greedy_in_alphabet(probs, characters, MRZ_NAME_ALPHABET)
    assert any(char.isdigit() for char in full)
    assert names and not any(char.isdigit() for char in names)
    assert names.startswith("P<UTO") and "<<OLIO" in names


def test_an_authority_read_with_the_tail_of_its_label_loses_the_tail():
    for read, truth in (("机关辽宁公安局辽阳县分局", "辽宁公安局辽阳县分局"), ("关云南公安局个旧市分局", "云南公安局个旧市分局"),
                        ("签发机关北京市公安局东城分局", "北京市公安局东城分局"), ("关岭县公安局", "关岭县公安局")):
        fields, _, checks = cn_ric_back.parse({"issuing_authority": FieldText(((read, 0.95),)),
                                               "validity": FieldText((("2015.03.01-2035.03.01", 0.97),))},
                                              today=date(2024, 1, 1))
        assert fields["issuing_authority"] == truth
        assert all(check.passed for check in checks if check.name == "issuing_authority_form")
