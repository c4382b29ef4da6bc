"""A warning where glare may have hidden the end of a value: evidence in the pixels, not in line lengths.

Glare can wash the end of a printed line out so completely that neither the detector nor a
second look sees it (a middle address line read ``…6栋1`` for ``…6栋1单元``): the value is then
wrong with every check passing. How long a line is says nothing on its own (on the second
renderer correct wrapped lines end 2–3 characters short), so this looks at the card: right of
where a value's line ends, out to where that line could have gone on, is the paper blown out by
glare — pixels at or above the card finder's ``glare_luma`` — right where the next character
would be? Then the field gets a warning check and the person confirms it.

Where a line could go on: a wrapped line that is not the last, to the first line's end (a line
wraps because it is full); any other line, to the value column's extent measured on this card
(the furthest right any value row of this side ends).

Warning only: no value is changed, nothing is refused, and no reading's acceptance changes.
"""

from __future__ import annotations

from collections.abc import Mapping

import cv2
import numpy as np

from barrierfree.settings.document import DocumentSettings
from barrierfree.vision.idcard.cn_labels import Value
from barrierfree.vision.idcard.reading import Check
from barrierfree.vision.idcard.rows import TextRow

#: The fields whose line ends are looked at; the check marks the reading field in the value
#: (the validity row holds both dates; its end date is the one a person retypes).
FIELDS = {"name": "name", "address": "address", "issuing_authority": "issuing_authority", "validity": "valid_to"}


def column_end_mm(values: Mapping[str, Value]) -> float:
    """The value column's extent on this card (mm): the furthest right any looked-at value row ends."""
    return max((row.box[2] for name, value in values.items() if name in FIELDS
                for row in (value.row, *value.wrapped)), default=0.0)


def washed_out_after(row: TextRow, limit_mm: float, gray: np.ndarray, px_per_mm: float,
                     settings: DocumentSettings) -> bool:
    """Whether the paper right of ``row``'s end, out to ``limit_mm`` (at most
    ``end_glare_window_heights`` line heights), is blown out by glare.

    ``False`` where there is no room for one more character (less than half a line height).

    >>> card = np.full((80, 400), 235, np.uint8)
    >>> row = TextRow((), (1.0, 2.0, 20.0, 7.0), card[:1], 8.0)
    >>> washed_out_after(row, 45.0, card, 8.0, DocumentSettings())
    False
    >>> card[16:56, 165:260] = 255
    >>> washed_out_after(row, 45.0, card, 8.0, DocumentSettings())
    True
    >>> washed_out_after(row, 21.0, card, 8.0, DocumentSettings())
    False
    """
    start, height = row.box[2], row.height
    if limit_mm - start < 0.5 * height:
        return False
    end = min(limit_mm, start + settings.end_glare_window_heights * height)
    y0, y1 = max(0, round(row.box[1] * px_per_mm)), min(gray.shape[0], round(row.box[3] * px_per_mm))
    x0, x1 = max(0, round(start * px_per_mm)), min(gray.shape[1], round(end * px_per_mm))
    span = gray[y0:y1, x0:x1]
    return bool(span.size) and float((span >= settings.glare_luma).mean()) >= settings.end_glare_min_share


def end_glare_checks(values: Mapping[str, Value], card: np.ndarray | None, settings: DocumentSettings) -> list[Check]:
    """A warning check ``<field>_glare`` per value with a line whose end runs into glare (see the module)."""
    if card is None:
        return []
    gray = cv2.cvtColor(card, cv2.COLOR_RGB2GRAY) if card.ndim == 3 else card
    px, column = settings.ocr_px_per_mm, column_end_mm(values)
    checks = []
    for name, field in FIELDS.items():
        value = values.get(name)
        if value is None or not value.glyphs:
            continue
        lines = (value.row, *value.wrapped)
        limits = [value.row.box[2]] * (len(lines) - 1) + [column]  # the last line may run to the column's end
        limits[0] = column  # the first line sets the wrap width itself
        if any(washed_out_after(row, limit, gray, px, settings) for row, limit in zip(lines, limits)):
            label = name.replace("_", " ")
            checks.append(Check(f"{name}_glare", False, f"glare covers the card where the {label} could go on, so its "
                                "end may be missing; confirm it with the person", severity="warning", field=field))
    return checks
