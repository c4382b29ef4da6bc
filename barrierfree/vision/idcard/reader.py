"""``read_document(frame)``: find the card, rectify it, read its text, decide what it is, validate.

The card finder (no OCR) says where the card is and, from cheap cues, which
way up it is. The card is rectified at ``ocr_px_per_mm``; the text detector
runs once on it and every row segment is recognised, label and value together
(:mod:`.rows`). The side comes from that text (:func:`.cn_labels.card_side`),
MRZ lines from their shape; the cheap cue only breaks a tie. Values are the
text beside their own labels (:mod:`.cn_labels`), then parsed and checked
(:mod:`.cn_ric_front`, :mod:`.cn_ric_back`, :mod:`.gates`, :mod:`.mrz`,
:mod:`barrierfree.vision.mrz.visual_zone`). If the text makes no sense the card is read turned by
180°, then as the other format.
The outline's aspect chooses the format tried first; a tilted ID-1 card that measures like an
ID-3 page but shows a resident ID card's photo or emblem is read as ID-1 first (:func:`_plan`).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from datetime import date
from typing import cast

import cv2
import numpy as np

from barrierfree.log import get_logger
from barrierfree.settings import Settings
from barrierfree.settings.document import DocumentSettings
from barrierfree.vision.card import geometry
from barrierfree.vision.card.finder import CardFinder
from barrierfree.vision.card.layouts import ID1_MM, ID3_MM, LAYOUTS
from barrierfree.vision.card.observation import CardObservation
from barrierfree.vision.card.side import detect_side
from barrierfree.vision.idcard import cn_back_labels, cn_front_labels, cn_labels, cn_ric_back, cn_ric_front, gates, second_looks
from barrierfree.vision.idcard.glare_checks import end_glare_checks
from barrierfree.vision.idcard.ethnicities import ETHNICITIES
from barrierfree.vision.idcard.fields import FieldText, line_groups
from barrierfree.vision.idcard.reading import Check, DocumentReading, DocumentType
from barrierfree.vision.idcard.rows import TextRow, read_rows
from barrierfree.vision.mrz import zone as mrz
from barrierfree.vision.mrz.visual_zone import visual_zone_checks
from barrierfree.vision.frames import Frame, from_array
from barrierfree.vision.ocr.ctc import cells_in_alphabet, greedy_in_alphabet
from barrierfree.vision.ocr.engine import RapidOcrEngine, default_engine

log = get_logger(__name__)

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

_Attempt = tuple[str, dict[str, str], dict[str, float], list[Check]]



def _crop_mm(card: np.ndarray, box: tuple[float, float, float, float], px_per_mm: float) -> np.ndarray:
    x0, y0, x1, y1 = (round(v * px_per_mm) for v in box)
    return np.ascontiguousarray(card[max(0, y0):y1, max(0, x0):x1])


class _Reader:
    def __init__(self, settings: Settings, engine: RapidOcrEngine, today: date) -> None:
        self.doc = settings.document
        self.engine = engine
        self.today = today
        self.again = second_looks.SecondLooks(self.doc, engine, today)

    def rows(self, card: np.ndarray) -> list[TextRow]:
        return read_rows(card, self.doc.ocr_px_per_mm, self.engine, det_max_side_px=self.doc.card_det_max_side_px)

    def front(self, rows: list[TextRow], card: np.ndarray | None = None) -> _Attempt:
        values, layout = cn_front_labels.front_values(rows)
        read = {name: _field_text(value) for name, value in values.items()}
        if card is not None and "address" in values:
            read = self.again.wrapped_lines_again(read, values["address"], card)
            read = self.again.first_line_again(read, values["address"], card)
        for name, words in (("ethnicity", ETHNICITIES), ("sex", ("男", "女"))):
            read = self.again.closed_vocabulary(read, name, words)
        if card is not None:
            read = self.again.nation_again(read, values, card)
        read = self.again.whole_span(read, "birth_date", lambda text: cn_ric_front.birth_date(text) is not None)
        fields, confidence, checks = cn_ric_front.parse(read, self.today)
        fields, checks = gates.front_gates(fields, checks)
        weak = self._weak_characters(values, ("name", "birth_date", "address"))  # the number has its check digit
        weak += end_glare_checks(values, card, self.doc)
        return "cn_resident_id_front", fields, confidence, layout + checks + weak

    def back(self, rows: list[TextRow], card: np.ndarray | None = None) -> _Attempt:
        values, layout = cn_back_labels.back_values(rows)
        read = {name: _field_text(value) for name, value in values.items() if value.text}
        if card is not None and "validity" in values:
            read = self.again.period_again(read, values["validity"], card)
        fields, confidence, checks = cn_ric_back.parse(read, self.today)
        weak = self._weak_characters(values, ("issuing_authority", "validity")) + end_glare_checks(values, card, self.doc)
        return "cn_resident_id_back", fields, confidence, layout + gates.back_gates(fields, checks) + weak

    def _weak_characters(self, values: dict[str, cn_labels.Value], names: tuple[str, ...]) -> list[Check]:
        """A warning per field with a character the recogniser was unsure of (余 read 馀 at 0.54 while
        the line's mean stayed high): the person confirms it; the reading stays valid."""
        checks = []
        for name in names:
            value = values.get(name)
            if value is not None and cn_labels.missing_characters(value.glyphs):
                checks.append(Check(f"{name}_gap", False, f"the {name.replace('_', ' ')} has a gap where characters "
                                    "may not have been read (glare?); confirm it with the person", severity="warning",
                                    field=_field(name)))
            if value is not None and value.glyphs and min(g.prob for g in value.glyphs) < self.doc.min_character_confidence:
                checks.append(Check(f"{name}_character_confidence", False, f"a character of the {name.replace('_', ' ')} "
                                    "was read with low confidence; confirm it with the person", severity="warning",
                                    field=_field(name)))
        return checks

    def machine_zone(self, card: np.ndarray) -> _Attempt | None:
        """The MRZ: the long lines in the bottom third, recognised whole."""
        height, width = card.shape[:2]
        top = int(height * 0.66)
        band = card[top:]
        # The detector may split a line at a long filler run: merge the pieces of each row.
        pieces = [(float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 0].max()), float(b[:, 1].max()))
                  for b in self.engine.detect(band, max_side_px=self.doc.ocr_det_max_side_px)]
        rows = sorted(line_groups(pieces), key=lambda r: r[2] - r[0], reverse=True)[:3]
        rows = sorted((r for r in rows if r[2] - r[0] > 0.3 * width), key=lambda r: r[1])
        if len(rows) == 3 and rows[2][2] - rows[2][0] < 0.55 * width:
            rows = rows[:2]  # two MRZ lines and a shorter printed line
        if len(rows) not in (2, 3):
            return None
        # Each line runs across the whole zone: crop the full width so a piece the detector missed is read too.
        pad = max(1, round(0.3 * self.doc.mrz_px_per_mm))  # tight: the recogniser scales crops to 48 px high
        margin = round(1.5 * self.doc.mrz_px_per_mm)
        # The recogniser drops a character touching the crop's end (TD1's leading I): 2 mm of the
        # crop's own paper are added on both sides.
        side = round(2.0 * self.doc.mrz_px_per_mm)
        crops = [cv2.copyMakeBorder(band[max(0, int(y0) - pad):int(y1) + pad, margin:width - margin], 0, 0, side, side,
                                    cv2.BORDER_REPLICATE) for _, y0, _, y1 in rows]
        outputs = [self.engine.character_probabilities(crop) for crop in crops]
        lines = [greedy_in_alphabet(probs, characters, MRZ_ALPHABET) for probs, characters in outputs]
        kind = mrz.detect_kind([mrz.normalize_line(text) for text, _ in lines])
        if kind is not None:
            # A line of the wrong length lost or merged characters (ROSSI read ROSI): OCR-B is
            # monospaced, so it is decoded again cell by cell at the line's character pitch.
            count = mrz.FORMATS[kind][1]
            lines = [(text, score) if len(mrz.normalize_line(text)) == count
                     else (cells_in_alphabet(probs, characters, MRZ_ALPHABET, count) or text, score)
                     for (text, score), (probs, characters) in zip(lines, outputs)]
        parsed = mrz.parse([text for text, _ in lines], kind=kind, today=self.today)
        if parsed is None:
            return None
        confidence = min(score for _, score in lines)
        checks = list(parsed.checks)
        if parsed.kind in ("td2", "td3"):  # the data page prints names, number and dates above its MRZ
            printed = read_rows(np.ascontiguousarray(card[:top]), self.doc.mrz_px_per_mm, self.engine,
                                det_max_side_px=self.doc.ocr_det_max_side_px)
            checks += visual_zone_checks(printed, dict(parsed.fields), self.engine)
        return f"mrz_{parsed.kind}", dict(parsed.fields), dict.fromkeys(parsed.fields, confidence), checks


def _field_text(value: cn_labels.Value) -> FieldText:
    crop = value.crop()
    return FieldText(((value.text, value.confidence),) if value.text else (), (crop,), crop)


def _confidence_checks(confidence: dict[str, float], minimum: float) -> list[Check]:
    """A warning per field the recogniser was unsure of (a glare spot can wash a name out to a
    guess): the person is asked to confirm it, the reading stays valid.

    >>> [c.name for c in _confidence_checks({"name": 0.25, "sex": 0.99}, 0.5)]
    ['name_confidence']
    """
    return [Check(f"{name}_confidence", False, f"the {name.replace('_', ' ')} was read with low confidence; "
                  "confirm it with the person", severity="warning", field=_field(name))
            for name, value in confidence.items() if value < minimum]


def _field(row: str) -> str:
    """The reading field a printed row's check marks: the validity row holds both dates, and its
    end date (``valid_to``) is the one a person retypes, as the journey has always marked it."""
    return "valid_to" if row == "validity" else row


#: One rectification to read: (turn by 180° first, printed size, early). An early ID-1 attempt is
#: one the cheap cues moved ahead of the ID-3 ones; only a consistent resident-ID reading ends it.
_Step = tuple[bool, tuple[float, float], bool]
_RESIDENT_SIDES = ("cn_resident_id_front", "cn_resident_id_back")


def _plan(observation: CardObservation, pixels: np.ndarray, settings: DocumentSettings) -> list[_Step]:
    """Which shapes to rectify to, in order. The side is not planned: it is decided from the text
    read (the cheap cue only orders the turn).

    The outline's aspect orders the formats (a tilted ID-1 card measured 1.40, an ID-3 page's
    ratio). Where that puts ID-3 first but the ID-1 cues see a resident ID card's photo or
    emblem, the ID-1 reading is tried first: the ID-3 attempts read the bottom third's long
    lines as a machine-readable zone (two wide recogniser passes each, about two thirds of the
    CPU of such a photo). That early reading ends the search only when it is a resident ID side
    with every error-level check passed; otherwise the formats are tried in the outline's order
    as before, so a page the cues misjudged reads as it did.
    """
    order = [ID1_MM, ID3_MM] if observation.aspect_ratio >= 1.50 else [ID3_MM, ID1_MM]
    plan = [(False, order[0], False), (True, order[0], False), (False, order[1], False), (True, order[1], False)]
    if order[0] == ID1_MM or observation.side == "mrz" or observation.quad is None:
        return plan
    if observation.document_type in _RESIDENT_SIDES:
        turn = False  # the finder chose the ID-1 cues and turned the outline by them
    else:
        small = geometry.rectify(pixels, observation.quad, ID1_MM, settings.observe_px_per_mm)
        side, turn, _ = detect_side(small, ID1_MM, settings)
        if side not in ("portrait", "emblem"):
            return plan
    return [(turn, ID1_MM, True), (not turn, ID1_MM, True)] + plan


_MRZ_LIKE = set(MRZ_ALPHABET) | set("く〈«")


def _mrz_shaped(rows: list[TextRow]) -> bool:
    """Two or more long rows of MRZ characters with fillers: a machine-readable zone by its shape."""
    long_rows = [row.text for row in rows if len(row.text) >= 25]
    return sum(sum(c in _MRZ_LIKE for c in text) >= 0.8 * len(text) and ("<" in text or "く" in text)
               for text in long_rows) >= 2


def _read_id1(reader: _Reader, rows: list[TextRow], cheap_side: str, card: np.ndarray) -> tuple[str, _Attempt | None]:
    """``(side, attempt)`` for an ID-1 card's rows: the side from the text; the cheap cue breaks a tie."""
    side, front, back = cn_labels.card_side(rows)
    if side == "unknown" and front == back and front > 0 and cheap_side in ("portrait", "emblem"):
        side = cheap_side
    if side == "portrait":
        return side, reader.front(rows, card)
    if side == "emblem":
        return side, reader.back(rows, card)
    return ("mrz" if _mrz_shaped(rows) else "unknown"), None


def _unknown(code: str, sentence: str, started: float, card: np.ndarray | None = None) -> DocumentReading:
    return DocumentReading("unknown", reason=f"{code}: {sentence}", reason_code=code, card_image=card,
                           timing_ms=(time.perf_counter() - started) * 1000)


def read_document(image: Frame | np.ndarray, *, settings: Settings | None = None,
                  engine: RapidOcrEngine | None = None, today: date | None = None,
                  finder: CardFinder | None = None) -> DocumentReading:
    """Read the identity document in one photo.

    Returns a :class:`DocumentReading`; ``document_type`` is ``"unknown"`` with
    a ``reason`` (``no-card: …``, ``card-cut-off: …``, ``unreadable: …``)
    when there is nothing to read, so a batch goes on. ``today`` fixes the
    date used for expiry checks (tests pass it). A caller that reads many photos passes the
    ``engine`` and ``finder`` it built once (:class:`barrierfree.runtime.Runtime` does); without
    ``settings`` the defaults apply (``BARRIERFREE_*`` is read by the entry points, not here).
    """
    started = time.perf_counter()
    settings = settings or Settings()
    frame = image if isinstance(image, Frame) else from_array(image)
    observations = (finder or CardFinder(settings.document)).observe_all(frame, limit=settings.document.max_card_candidates)
    best = next(observations, None)
    if best is None:
        return _unknown("no-card", "no ID card or passport page was found in the photo; "
                        "lay it flat on a plain, darker surface and fill most of the picture with it.", started)
    reader = _Reader(settings, engine or default_engine(settings.ocr_threads, settings.ocr_engine), today or date.today())
    px = settings.document.ocr_px_per_mm
    # A reading with a failed check may come from a wrong outline (clutter touching the card):
    # the next candidate is read too, and the reading with the fewest failed checks is kept.
    kept: tuple[int, DocumentReading] | None = None
    for observation in itertools.chain([best], observations):
        if observation.cut_edges or observation.quad is None:
            continue
        found = _read_outline(reader, frame.pixels, observation, settings)
        if found is not None and (kept is None or found[0] < kept[0]):
            kept = found
        if kept is not None and kept[0] == 0:
            break
    if kept is not None:
        reading = kept[1]
        log.info("document read: type=%s checks_failed=%d", reading.document_type, kept[0])
        return replace(reading, timing_ms=(time.perf_counter() - started) * 1000)
    if best.cut_edges:
        sides = ", ".join(sorted(best.cut_edges))
        return _unknown("card-cut-off", f"part of the card is outside the photo (at the {sides} edge); "
                        "move the phone back until all four corners are in view.", started)
    assert best.quad is not None  # a card the finder returned has its outline
    return _unknown("unreadable", "a card was found but its text could not be read; "
                    "hold the phone steady, avoid glare and retake the photo.", started,
                    geometry.rectify(frame.pixels, best.quad, ID1_MM, px))


def _errors(checks: list[Check]) -> int:
    return sum(not c.passed and c.severity == "error" for c in checks)


def _read_outline(reader: _Reader, pixels: np.ndarray, observation: CardObservation,
                  settings: Settings) -> tuple[int, DocumentReading] | None:
    """The first reading :func:`_plan` gives for one card outline, with its count of failed error
    checks; ``None`` when no shape reads. An ID-1 rectification is read once per turn (an early
    attempt that did not end the search is taken up again, without reading it twice)."""
    assert observation.quad is not None
    px, mrz_px = settings.document.ocr_px_per_mm, settings.document.mrz_px_per_mm
    id1: dict[bool, tuple[np.ndarray, str, _Attempt | None]] = {}
    for turn, size_mm, early in _plan(observation, pixels, settings.document):
        quad = geometry.rotate_quad(observation.quad) if turn else observation.quad
        scale = px
        if size_mm == ID1_MM:
            if turn not in id1:
                card = geometry.rectify(pixels, quad, size_mm, px)
                id1[turn] = (card, *_read_id1(reader, reader.rows(card), observation.side, card))
            card, side, result = id1[turn]
            if early and (result is None or _errors(result[3]) > 0):
                continue
            if side == "mrz":
                scale = mrz_px
                card = geometry.rectify(pixels, quad, size_mm, mrz_px)
                result = reader.machine_zone(card)
        else:
            scale = mrz_px
            card = geometry.rectify(pixels, quad, size_mm, mrz_px)
            result = reader.machine_zone(card)
        if result is None:
            continue
        document_type, fields, confidence, checks = result
        checks = checks + _confidence_checks(confidence, settings.document.min_line_confidence)
        return _errors(checks), DocumentReading(cast(DocumentType, document_type), fields, confidence, tuple(checks),
                                                card_image=card, portrait=_portrait(card, document_type, scale))
    return None


def _portrait(card: np.ndarray, document_type: str, px_per_mm: float) -> np.ndarray | None:
    """The photo area of a rectified card (``None`` for a side without one)."""
    layout = LAYOUTS.get(document_type)
    if layout is None or layout.portrait is None:
        return None
    box = layout.portrait
    if document_type == "mrz_td2":  # an ID-2 page is rectified at ID-3 size: scale its box
        box = (box[0] * 125 / 105, box[1] * 88 / 74, box[2] * 125 / 105, box[3] * 88 / 74)
    return _crop_mm(card, box, px_per_mm)
