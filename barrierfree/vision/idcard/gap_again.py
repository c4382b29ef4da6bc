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
"""

from __future__ import annotations

import unicodedata

import cv2
import numpy as np

from barrierfree.vision.idcard.cn_labels import Value, missing_characters
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
    or the address wraps; ``None`` when neither, or the second reading does not keep and add to the first."""
    first = value.glyphs[:len(value.glyphs) - sum(len(row.glyphs) for row in value.wrapped)]
    row = value.row
    gap = len(row.parts) >= 2 and missing_characters(first)
    if not first or not (gap or value.wrapped):
        return None
    read = "".join(g.char for g in first)
    end_mm = row.box[2] + (row.height if value.wrapped else 0.0)  # about one character further
    y0, y1 = max(0, round(row.box[1] * px_per_mm)), min(card.shape[0], round(row.box[3] * px_per_mm))
    x0, x1 = max(0, round(value.start_mm * px_per_mm)), min(card.shape[1], round(end_mm * px_per_mm))
    if y1 - y0 < 4 or x1 - x0 < 4:
        return None
    side = round(END_PAD_MM * px_per_mm)
    span = cv2.copyMakeBorder(np.ascontiguousarray(card[y0:y1, x0:x1]), 0, 0, side, side, cv2.BORDER_REPLICATE)
    (again, score), = engine.recognize([span])
    again = unicodedata.normalize("NFKC", again).replace(" ", "")
    kept = kept_in_order(read, again)
    if kept is None or len(again) <= len(read) or score < min_confidence:
        return None
    inside, tail = kept
    if (inside and not gap) or len(tail) > MAX_END_CHARACTERS or not all(char.isalnum() for char in tail):
        return None
    return again
