"""The order read_document tries a card outline's shapes in (issue 18, CPU after the finder).

A tilted ID-1 card can measure like an ID-3 page (aspect under 1.50). When the cheap ID-1 cues
see a resident ID card's photo or emblem, it is read as an ID-1 card first, and the ID-3
attempts (the bottom third read as a machine-readable zone: a detector pass and wide recogniser
passes) are not made once that reading is consistent. When the early reading is not a
consistent resident ID side, the shapes are tried in the outline's order as before.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from testkit import cards, cards_alt
from barrierfree.settings import Settings
from barrierfree.vision.card.finder import CardFinder
from barrierfree.vision.card.layouts import ID1_MM, ID3_MM
from barrierfree.vision.frames import from_array
from barrierfree.vision.idcard import read_document
from barrierfree.vision.idcard.reader import _plan, _Reader, _read_outline
from barrierfree.vision.ocr.engine import default_engine

TODAY = date(2026, 12, 7)


class _Counting:
    """The real engine, counting its detector passes (every call goes to it)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.detects = 0

    def detect(self, image, **options):
        self.detects += 1
        return self.engine.detect(image, **options)

    def character_probabilities(self, crop):
        return self.engine.character_probabilities(crop)

    def recognize(self, crops):
        return self.engine.recognize(crops)


# Tuning seeds of the alt renderer whose tilted card measures under 1.50: an emblem side the finder
# turned by its ID-1 cues, and a portrait side whose photo the finder's ID-3 cues saw (turned).
@pytest.mark.parametrize(("seed", "kind"), [(1005, "cn_resident_id_back"), (1012, "cn_resident_id_front")])
def test_a_tilted_card_that_measures_like_a_page_is_read_as_a_card_without_the_page_attempts(seed, kind):
    settings = Settings()
    photo = cards_alt.alt_photo(seed * 10, kind, TODAY, card_seed=seed)
    observation = next(CardFinder(settings.document).observe_all(from_array(photo.pixels), limit=1))
    assert observation.aspect_ratio < 1.50  # the outline alone would try the ID-3 shape first
    assert _plan(observation, photo.pixels, settings.document)[0][1:] == (ID1_MM, True)
    engine = _Counting(default_engine(1))
    reading = read_document(photo.pixels, settings=settings, engine=engine, today=TODAY)  # type: ignore[arg-type]
    assert reading.document_type == kind and reading.valid
    assert reading.fields == {**reading.fields, **photo.fields}
    assert engine.detects == 1  # the card's rows only: no machine-zone band was looked for


@pytest.mark.parametrize("seed", [21, 22])
def test_a_page_whose_cues_are_taken_for_a_resident_card_still_reads_its_machine_zone(seed):
    settings = Settings()
    photo = cards.random_photo(seed, "mrz_td3", today=TODAY)
    observation = next(CardFinder(settings.document).observe_all(from_array(photo.pixels), limit=1))
    assert observation.aspect_ratio < 1.50
    misjudged = replace(observation, side="emblem", document_type="cn_resident_id_back")
    plan = _plan(misjudged, photo.pixels, settings.document)
    assert [step[1:] for step in plan[:3]] == [(ID1_MM, True), (ID1_MM, True), (ID3_MM, False)]
    reader = _Reader(settings, default_engine(1), TODAY)
    found = _read_outline(reader, photo.pixels, misjudged, settings)
    as_before = _read_outline(reader, photo.pixels, replace(observation, side="unknown", document_type=None), settings)
    assert found is not None and as_before is not None
    assert found[1].document_type == as_before[1].document_type == "mrz_td3"
    assert found[1].fields == as_before[1].fields
    assert found[1].fields["document_number"] == photo.fields["document_number"]


def test_an_early_card_reading_with_a_failed_check_does_not_end_the_search():
    """The early ID-1 reading of a page (its text makes no resident-ID sense) is set aside; the
    ID-3 shape is then read, and the page's reading is what is returned."""
    settings = Settings()
    photo = cards.random_photo(21, "mrz_td3", today=TODAY)
    observation = next(CardFinder(settings.document).observe_all(from_array(photo.pixels), limit=1))
    engine = _Counting(default_engine(1))
    reader = _Reader(settings, engine, TODAY)  # type: ignore[arg-type]
    found = _read_outline(reader, photo.pixels, replace(observation, side="portrait",
                                                        document_type="cn_resident_id_front"), settings)
    assert found is not None and found[1].document_type == "mrz_td3"
    assert engine.detects >= 3  # both early ID-1 turns read their rows, then the page's machine zone
