"""Second looks at a value's crop, where the first reading cannot be used or may be short.

The reader recognises each detected row once, label and value together (:mod:`.rows`). Glare,
a pale print or the crop's edge can leave a value that fits nothing (1964年1 of 1964年1月8日), a
validity period in pieces, a wrapped address line cut short, a gap, or a closed-vocabulary field
(sex, ethnicity) read as something it cannot be. Each method here reads the same pixels again, on
the row's baseline and over the span the value should fill, and replaces the first reading only
when the second is whole and keeps what was read; anything guessed stays flagged for the person.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

import cv2
import numpy as np

from barrierfree.settings.document import DocumentSettings
from barrierfree.vision.idcard import cn_ric_back, cn_ric_front, gap_again, period
from barrierfree.vision.idcard.cn_labels import Value
from barrierfree.vision.idcard.ethnicities import ETHNICITIES
from barrierfree.vision.idcard.fields import FieldText
from barrierfree.vision.idcard.gap_again import END_PAD_MM
from barrierfree.vision.ocr.ctc import greedy_with_steps, rank_words
from barrierfree.vision.ocr.engine import RapidOcrEngine

#: The characters of a whole validity period as printed (``2018.01.07-2038.01.07``); one with 长期 is shorter.
PERIOD_CHARACTERS = 21
#: A wrapped address line that ends this many line heights short of the first line was cut by the detector.
WRAPPED_LINE_SHORT_HEIGHTS = 2.0


class SecondLooks:
    """The second looks of one reader: built with its document settings, recogniser and date."""

    def __init__(self, doc: DocumentSettings, engine: RapidOcrEngine, today: date) -> None:
        self.doc = doc
        self.engine = engine
        self.today = today

    def whole_span(self, read: dict[str, FieldText], name: str, usable: Callable[[str], bool]) -> dict[str, FieldText]:
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

    def period_again(self, read: dict[str, FieldText], value: Value, card: np.ndarray
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
        side = round(END_PAD_MM * px)  # paper at the ends: the recogniser drops a character touching them
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

    def wrapped_lines_again(self, read: dict[str, FieldText], value: Value, card: np.ndarray
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
            side = round(END_PAD_MM * px)  # paper at the ends: the recogniser drops a character touching them
            span = cv2.copyMakeBorder(np.ascontiguousarray(card[y0:y1, x0:x1]), 0, 0, side, side, cv2.BORDER_REPLICATE)
            (again, score), = self.engine.recognize([span])
            again = unicodedata.normalize("NFKC", again).replace(" ", "")
            if len(again) > len(row.text) and again.startswith(row.text) and score >= self.doc.min_line_confidence:
                pieces[at] = again
        text = "".join(pieces)
        return read if text == found.text else {**read, "address": FieldText(((text, found.confidence),), found.crops)}

    def first_line_again(self, read: dict[str, FieldText], value: Value, card: np.ndarray) -> dict[str, FieldText]:
        """The address with its first line read again whole where glare left a gap (:mod:`.gap_again`)."""
        found = read.get("address")
        first = value.text[:len(value.text) - sum(len(row.glyphs) for row in value.wrapped)]
        if found is None or not found.text.startswith(first):
            return read
        again = gap_again.first_line_again(value, card, self.doc.ocr_px_per_mm, self.engine, self.doc.min_line_confidence)
        if again is None:
            return read
        return {**read, "address": FieldText(((again + found.text[len(first):], found.confidence),), found.crops)}

    def nation_again(self, read: dict[str, FieldText], values: dict[str, Value], card: np.ndarray
                      ) -> dict[str, FieldText]:
        """The ethnicity read again on the 性别 row when glare left it unread (:func:`.gap_again.nation_again`)."""
        found = read.get("ethnicity")
        if "sex" not in values or "address" not in values or (
                found is not None and cn_ric_front.strip_labels(found.text).removesuffix("族") in ETHNICITIES):
            return read
        right = max(values["address"].row.box[2], values["sex"].row.box[2])
        again = gap_again.nation_again(values["sex"], right, card, self.doc.ocr_px_per_mm, self.engine,
                                       self.doc.min_line_confidence)
        return read if again is None else {**read, "ethnicity": FieldText((again,), found.crops if found else ())}

    def closed_vocabulary(self, read: dict[str, FieldText], name: str, words: tuple[str, ...]) -> dict[str, FieldText]:
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


def _fits_around_unknown(read: str, word: str, known: set[str]) -> bool:
    """Whether greedy decoding saw ``word`` with a look-alike just where the recogniser cannot spell it.

    >>> _fits_around_unknown("么佬", "仫佬", {"么", "佬", "仡"}), _fits_around_unknown("佬", "仫佬", {"佬", "仡"})
    (True, False)
    """
    read = read.removesuffix("族")
    return len(read) == len(word) and all(r == w for r, w in zip(read, word) if w in known)
