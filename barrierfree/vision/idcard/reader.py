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
import unicodedata
from dataclasses import replace
from collections.abc import Callable
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
from barrierfree.vision.idcard import cn_back_labels, cn_front_labels, cn_labels, cn_ric_back, cn_ric_front, gates, period
from barrierfree.vision.idcard.ethnicities import ETHNICITIES
from barrierfree.vision.idcard.fields import FieldText, line_groups
from barrierfree.vision.idcard.reading import Check, DocumentReading, DocumentType
from barrierfree.vision.idcard.rows import TextRow, read_rows
from barrierfree.vision.mrz import zone as mrz
from barrierfree.vision.mrz.visual_zone import visual_zone_checks
from barrierfree.vision.frames import Frame, from_array
from barrierfree.vision.ocr.ctc import cells_in_alphabet, greedy_in_alphabet, greedy_with_steps, rank_words
from barrierfree.vision.ocr.engine import RapidOcrEngine, default_engine

log = get_logger(__name__)

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

_Attempt = tuple[str, dict[str, str], dict[str, float], list[Check]]

#: The characters of a whole validity period as printed (``2018.01.07-2038.01.07``); one with 长期 is shorter.
PERIOD_CHARACTERS = 21
#: Paper added at both ends of a re-read crop (mm): the recogniser drops a character touching an end.
PERIOD_END_PAD_MM = 1.0
#: A wrapped address line that ends this many line heights short of the first line was cut by the detector.
WRAPPED_LINE_SHORT_HEIGHTS = 2.0


def _crop_mm(card: np.ndarray, box: tuple[float, float, float, float], px_per_mm: float) -> np.ndarray:
    x0, y0, x1, y1 = (round(v * px_per_mm) for v in box)
    return np.ascontiguousarray(card[max(0, y0):y1, max(0, x0):x1])


class _Reader:
    def __init__(self, settings: Settings, engine: RapidOcrEngine, today: date) -> None:
        self.doc = settings.document
        self.engine = engine
        self.today = today

    def rows(self, card: np.ndarray) -> list[TextRow]:
        return read_rows(card, self.doc.ocr_px_per_mm, self.engine, det_max_side_px=self.doc.card_det_max_side_px)

    def front(self, rows: list[TextRow], card: np.ndarray | None = None) -> _Attempt:
        values, layout = cn_front_labels.front_values(rows)
        read = {name: _field_text(value) for name, value in values.items()}
        if card is not None and "address" in values:
            read = self._wrapped_lines_again(read, values["address"], card)
        for name, words in (("ethnicity", ETHNICITIES), ("sex", ("男", "女"))):
            read = self._closed_vocabulary(read, name, words)
        read = self._whole_span(read, "birth_date", lambda text: cn_ric_front.birth_date(text) is not None)
        fields, confidence, checks = cn_ric_front.parse(read, self.today)
        fields, checks = gates.front_gates(fields, checks)
        weak = self._weak_characters(values, ("name", "birth_date", "address"))  # the number has its check digit
        return "cn_resident_id_front", fields, confidence, layout + checks + weak

    def back(self, rows: list[TextRow], card: np.ndarray | None = None) -> _Attempt:
        values, layout = cn_back_labels.back_values(rows)
        read = {name: _field_text(value) for name, value in values.items() if value.text}
        if card is not None and "validity" in values:
            read = self._period_again(read, values["validity"], card)
        fields, confidence, checks = cn_ric_back.parse(read, self.today)
        weak = self._weak_characters(values, ("issuing_authority", "validity"))
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

    def _whole_span(self, read: dict[str, FieldText], name: str, usable: Callable[[str], bool]) -> dict[str, FieldText]:
        """Read a one-line value again over its whole printed span when what was read cannot be used
        (glare hid the end of 1964年1月8日 from the detector, which boxed 1964年1 only)."""
        found = read.get(name)
        if found is None or found.span is None or usable(cn_ric_front.strip_labels(found.text)):
            return read
        span = found.span
        if span.shape[0] < 4 or span.shape[1] < 4:
            return read
        (text, score), = self.engine.recognize([span])
        text = unicodedata.normalize("NFKC", text).strip()
        if not usable(cn_ric_front.strip_labels(text)):
            return read
        return {**read, name: FieldText(((text, score),), (span,), span)}

    def _period_again(self, read: dict[str, FieldText], value: cn_labels.Value, card: np.ndarray
                      ) -> dict[str, FieldText]:
        """Read the validity period again on its own when what was read is no whole, consistent period.

        The first pass read the row with its label, over the detector's box. The second crop runs on
        the row's baseline from the value's start (no label) to the row's end or as far as a whole
        period reaches (21 characters at the pitch of those read), whichever is further: glare washed
        长期 out of the detector's view, which boxed ``2022.06.03-`` only, and a pale period read
        with its label lost the 9 and the 2 of 2023.09.27; on its own the recogniser reads both.
        A second reading is taken when it is a whole, consistent period; else, when the first reading
        fits no period at all, one that fits exactly one (:func:`.period.repair`: glare washed out
        ``.08.`` of 2022.08.11, read ``202.`` and ``2032.08.11`` in two pieces; alone, ``2022 11-2032.08.11``),
        which the parser sets and flags (``validity_repaired``); else the first stays for the parser
        (which sets a lost digit from the other date, flagged, or refuses it)."""
        found = read.get("validity")
        glyphs = value.glyphs
        if found is None or len(glyphs) < 2 or cn_ric_back.period_whole(found.text, self.today):
            return read
        pitch = (glyphs[-1].x_mm - glyphs[0].x_mm) / (len(glyphs) - 1)
        px = self.doc.ocr_px_per_mm
        x1 = min(card.shape[1], round(max(value.row.box[2], glyphs[0].x_mm + PERIOD_CHARACTERS * pitch) * px))
        y0, y1 = max(0, round(value.row.box[1] * px)), min(card.shape[0], round(value.row.box[3] * px))
        side = round(PERIOD_END_PAD_MM * px)  # paper at the ends: the recogniser drops a character touching them
        fitting = None
        lost = not cn_ric_back.period_readable(found.text) and period.repair(found.text, self.today) is None
        # Two starts: just past the label, and one character before the first one read (from just past
        # the label, 2023.09.27 came back 23.09.27: the recogniser is not steady at a crop's edge).
        for start_mm in (value.start_mm, glyphs[0].x_mm - pitch):
            x0 = max(0, round(start_mm * px))
            if y1 - y0 < 4 or x1 - x0 < 4:
                continue
            span = cv2.copyMakeBorder(np.ascontiguousarray(card[y0:y1, x0:x1]), 0, 0, side, side, cv2.BORDER_REPLICATE)
            (text, score), = self.engine.recognize([span])
            text = unicodedata.normalize("NFKC", text).replace(" ", "")
            if cn_ric_back.period_whole(text, self.today):
                return {**read, "validity": FieldText(((text, score),), (span,), span)}
            if lost and fitting is None and period.repair(text, self.today) is not None:
                fitting = {**read, "validity": FieldText(((text, score),), (span,), span)}
        return fitting or read

    def _wrapped_lines_again(self, read: dict[str, FieldText], value: cn_labels.Value, card: np.ndarray
                             ) -> dict[str, FieldText]:
        """Read again, out to the end of the value's first line, each wrapped line (but the last)
        whose detected box ends well short of it: a line wraps because it is full, so glare hid its
        end from the detector (街239号7号楼3 boxed as 街239号7; the address was accepted without
        号楼3 and with no warning). The second reading replaces the first only when it keeps every
        character read and adds to its end, at the line confidence the reader asks for."""
        found = read.get("address")
        if found is None or len(value.wrapped) < 2 or found.text != value.text:
            return read
        px, right = self.doc.ocr_px_per_mm, value.row.box[2]
        lines = [row.text for row in value.wrapped]
        pieces = [value.text[:len(value.text) - len("".join(lines))], *lines]  # the first line, then each wrapped one
        for at, row in enumerate(value.wrapped[:-1], start=1):
            if right - row.box[2] < WRAPPED_LINE_SHORT_HEIGHTS * row.height:
                continue
            y0, y1 = max(0, round(row.box[1] * px)), min(card.shape[0], round(row.box[3] * px))
            x0, x1 = max(0, round(row.box[0] * px)), min(card.shape[1], round(right * px))
            side = round(PERIOD_END_PAD_MM * px)  # paper at the ends: the recogniser drops a character touching them
            span = cv2.copyMakeBorder(np.ascontiguousarray(card[y0:y1, x0:x1]), 0, 0, side, side, cv2.BORDER_REPLICATE)
            (again, score), = self.engine.recognize([span])
            again = unicodedata.normalize("NFKC", again).replace(" ", "")
            if len(again) > len(row.text) and again.startswith(row.text) and score >= self.doc.min_line_confidence:
                pieces[at] = again
        text = "".join(pieces)
        return read if text == found.text else {**read, "address": FieldText(((text, found.confidence),), found.crops)}

    def _closed_vocabulary(self, read: dict[str, FieldText], name: str, words: tuple[str, ...]) -> dict[str, FieldText]:
        """Re-decide a field that can hold only one of ``words`` when greedy decoding read something else.

        Two looks at the crop are combined: as cut, and padded with its own border
        (the recogniser reads a short word with some paper around it more surely:
        傈僳 came back empty when tight, yet another 傈僳 was read better tight).
        A winner the recogniser cannot spell (仫佬) is taken only as clearly on top
        of every spellable word; the parser then flags it for confirmation.
        """
        found = read.get(name)
        if found is None or not found.crops or cn_ric_front.strip_labels(found.text).removesuffix("族") in words:
            return read
        crop = found.crops[0]
        pad_y, pad_x = (max(1, round(mm * self.doc.ocr_px_per_mm)) for mm in (0.75, 2.5))
        padded = cv2.copyMakeBorder(crop, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_REPLICATE)
        tight, characters = self.engine.character_probabilities(crop)
        loose, _ = self.engine.character_probabilities(padded)
        word, posterior, spelled = rank_words([tight, loose], characters, words)
        known = set(characters)
        seen = "".join(char for char, *_ in greedy_with_steps(tight, characters))  # the value crop on its own
        if word is not None and not spelled and not _fits_around_unknown(cn_ric_front.strip_labels(seen), word, known):
            # Nothing was seen where the unspellable character goes (仡佬 whose 仡 was dropped reads
            # 佬): the best spellable word decides, and the parser flags 仡佬 as not certain.
            word, posterior, _ = rank_words([tight, loose], characters, [w for w in words if set(w) <= known])
        if word is None or posterior < self.doc.min_vocabulary_posterior:
            return read
        confidence = min(posterior, max((score for _, score in found.lines), default=posterior))
        return {**read, name: FieldText(((word, confidence),), found.crops)}

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


def _fits_around_unknown(read: str, word: str, known: set[str]) -> bool:
    """Whether greedy decoding saw ``word`` with a look-alike just where the recogniser cannot spell it.

    >>> _fits_around_unknown("么佬", "仫佬", {"么", "佬", "仡"}), _fits_around_unknown("佬", "仫佬", {"佬", "仡"})
    (True, False)
    """
    read = read.removesuffix("族")
    return len(read) == len(word) and all(r == w for r, w in zip(read, word) if w in known)


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
