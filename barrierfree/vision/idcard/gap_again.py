"""A second look at a value's first line where glare left a gap between the segments read.

Glare can wash two characters out of the middle of a line so that the detector boxes the line in
two segments and the characters between them are never recognised (青海省西宁市城东区 read as
青海省西 and 城东区: an address accepted without 宁市). Recognised whole from the value's start to
the line's end, the same pixels often read in full. The second reading replaces the first only
when it keeps every character read, in order, and adds to them, at the line confidence the reader
asks for; the gap warning (``address_gap``) stays, so the person still confirms the value.
"""

from __future__ import annotations

import unicodedata

import cv2
import numpy as np

from barrierfree.vision.idcard.cn_labels import Value, missing_characters
from barrierfree.vision.ocr.engine import RapidOcrEngine

#: Paper added at both ends of a re-read crop (mm): the recogniser drops a character touching an end.
END_PAD_MM = 1.0


def keeps_in_order(read: str, again: str) -> bool:
    """Whether ``again`` holds every character of ``read`` in the same order (others may sit between).

    >>> keeps_in_order("青海省西城东区", "青海省西宁市城东区"), keeps_in_order("青海省西城东区", "青海省西宁市城区")
    (True, False)
    """
    rest = iter(again)
    return all(char in rest for char in read)


def first_line_again(value: Value, card: np.ndarray, px_per_mm: float, engine: RapidOcrEngine,
                     min_confidence: float) -> str | None:
    """The value's first line read again whole when its glyphs leave a gap between two segments;
    ``None`` when there is no such gap or the second reading does not keep and add to the first."""
    first = value.glyphs[:len(value.glyphs) - sum(len(row.glyphs) for row in value.wrapped)]
    row = value.row
    if len(row.parts) < 2 or not missing_characters(first):
        return None
    read = "".join(g.char for g in first)
    y0, y1 = max(0, round(row.box[1] * px_per_mm)), min(card.shape[0], round(row.box[3] * px_per_mm))
    x0, x1 = max(0, round(value.start_mm * px_per_mm)), min(card.shape[1], round(row.box[2] * px_per_mm))
    if y1 - y0 < 4 or x1 - x0 < 4:
        return None
    side = round(END_PAD_MM * px_per_mm)
    span = cv2.copyMakeBorder(np.ascontiguousarray(card[y0:y1, x0:x1]), 0, 0, side, side, cv2.BORDER_REPLICATE)
    (again, score), = engine.recognize([span])
    again = unicodedata.normalize("NFKC", again).replace(" ", "")
    if len(again) > len(read) and keeps_in_order(read, again) and score >= min_confidence:
        return again
    return None
