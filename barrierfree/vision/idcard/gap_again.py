"""A second look at an address's first line where glare hid characters from the detector.

Glare can wash characters out of a line so that the detector never boxes them and they are never
recognised: two in the middle (青海省西宁市城东区 boxed as 青海省西 and 城东区: an address accepted
without 宁市), or the last one of a full line (朝阳街185 boxed as 朝阳街18, the address wrapping to 号
below: 朝阳街18号 accepted with no warning). Recognised whole, from the value's start to the line's
end (one character further where the address wraps: a line wraps because it is full), the same
pixels often read in full. The second reading replaces the first only when it keeps every character
read, in order, adds inside only across a gap the glyphs show, adds at most two letters or digits at
the end, and is read at the line confidence the reader asks for. A gap warning (``address_gap``)
stays, so the person still confirms the value.

Glare over 民族汉 likewise leaves the ethnicity unread, or its label read and the value not: the
性别 row is then read again from past the sex out to where the address's first line ends (the
value block's width), and an ethnicity is taken only from after a 民族 label read in that crop
(:func:`nation_again`); the parser still checks it is one of the 56.
"""

from __future__ import annotations

import unicodedata

import cv2
import numpy as np

from barrierfree.vision.idcard.cn_labels import NATION_LABEL, Value, find_label, missing_characters
from barrierfree.vision.ocr.engine import RapidOcrEngine

#: Paper added at both ends of a re-read crop (mm): the recogniser drops a character touching an end.
END_PAD_MM = 1.0
#: At most this many characters may be added past the end of the line as first read.
MAX_END_CHARACTERS = 2


def kept_in_order(read: str, again: str) -> tuple[bool, str] | None:
    """``(inserted inside, tail)`` when ``again`` holds every character of ``read`` in order, from its
    first: whether characters were added between them, and what follows the last; ``None`` when it
    does not (nothing may come before the first: that would be a piece of the label).

    >>> kept_in_order("青海省西城东区", "青海省西宁市城东区"), kept_in_order("朝阳街18", "朝阳街185")
    ((True, ''), (False, '5'))
    >>> kept_in_order("青海省西城东区", "青海省西宁市城区"), kept_in_order("北京市", "址北京市")
    (None, None)
    """
    at, inside = 0, False
    for char in read:
        found = again.find(char, at)
        if found < 0 or (at == 0 and found > 0):
            return None
        inside = inside or found > at
        at = found + 1
    return inside, again[at:]


def first_line_again(value: Value, card: np.ndarray, px_per_mm: float, engine: RapidOcrEngine,
                     min_confidence: float) -> str | None:
    """The address's first line read again whole when its glyphs leave a gap between two segments
    (in one segment or across two) or the address wraps; ``None`` when neither, or the second reading does not keep and add to the first."""
    first = value.glyphs[:len(value.glyphs) - sum(len(row.glyphs) for row in value.wrapped)]
    row = value.row
    gap = missing_characters(first)
    if not first or not (gap or value.wrapped):
        return None
    read = "".join(g.char for g in first)
    end_mm = row.box[2] + (row.height if value.wrapped else 0.0)  # about one character further
    found = _recognize(card, (value.start_mm, row.box[1], end_mm, row.box[3]), px_per_mm, engine)
    if found is None:
        return None
    again, score = found
    kept = kept_in_order(read, again)
    if kept is None or len(again) <= len(read) or score < min_confidence:
        return None
    inside, tail = kept
    if (inside and not gap) or len(tail) > MAX_END_CHARACTERS or not all(char.isalnum() for char in tail):
        return None
    return again


def _recognize(card: np.ndarray, box_mm: tuple[float, float, float, float], px_per_mm: float,
               engine: RapidOcrEngine) -> tuple[str, float] | None:
    """The text in ``box_mm`` of the card with paper added at both ends; ``None`` for a box too small."""
    y0, y1 = max(0, round(box_mm[1] * px_per_mm)), min(card.shape[0], round(box_mm[3] * px_per_mm))
    x0, x1 = max(0, round(box_mm[0] * px_per_mm)), min(card.shape[1], round(box_mm[2] * px_per_mm))
    if y1 - y0 < 4 or x1 - x0 < 4:
        return None
    side = round(END_PAD_MM * px_per_mm)
    span = cv2.copyMakeBorder(np.ascontiguousarray(card[y0:y1, x0:x1]), 0, 0, side, side, cv2.BORDER_REPLICATE)
    (text, score), = engine.recognize([span])
    return unicodedata.normalize("NFKC", text).replace(" ", ""), score


def nation_again(sex: Value, right_mm: float, card: np.ndarray, px_per_mm: float, engine: RapidOcrEngine,
                 min_confidence: float) -> tuple[str, float] | None:
    """``(ethnicity as read, confidence)`` from the 性别 row read again past the sex out to
    ``right_mm``, taken only from after a 民族 label read there; ``None`` otherwise."""
    if not sex.glyphs:
        return None
    row = sex.row
    x0 = sex.glyphs[-1].x_mm + 0.6 * row.height
    if right_mm <= x0:
        return None
    found = _recognize(card, (x0, row.box[1], right_mm, row.box[3]), px_per_mm, engine)
    if found is None or found[1] < min_confidence:
        return None
    text, score = found
    label = find_label(text, NATION_LABEL)
    if label is None or label[1] >= len(text):
        return None
    return text[label[1]:], score

