"""Reading a rectified card's fields by position: detect lines once, recognise only the values.

PP-OCR often returns a label and its value as one line (``民族汉``). Rather than
splitting the joined text with a regular expression, each detected box is cut
at the printed label column (millimetres, from the card's layout) before
recognition, so the recogniser sees only the value. Where the detector finds
nothing inside a field's band, the whole band is recognised instead, so a
faint line is still read.

Coordinates: the card image is upright at ``px_per_mm``; boxes in mm from the
card's top-left corner.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from barrierfree.vision.ocr.engine import RapidOcrEngine


@dataclass(frozen=True)
class Column:
    """A value printed in ``x0..x1`` mm of its row (labels lie outside this span)."""

    field: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Row:
    """A band ``y0..y1`` mm holding one or more values; ``multiline`` rows keep each line."""

    y0: float
    y1: float
    columns: tuple[Column, ...]
    multiline: bool = False


@dataclass(frozen=True, eq=False)
class FieldText:
    """What was recognised for one field: its lines top to bottom, each ``(text, confidence)``.

    ``crops`` are the RGB images the lines were read from (for a second look
    with a closed vocabulary); ``span`` is the value's whole printed span, for
    a one-line value read from a narrower detected box (a second look when
    glare hid its end from the detector).
    """

    lines: tuple[tuple[str, float], ...]
    crops: tuple[np.ndarray, ...] = ()
    span: np.ndarray | None = None

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.lines)

    @property
    def confidence(self) -> float:
        return min((score for _, score in self.lines), default=0.0)


def line_groups(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Merge boxes that sit on the same text line (vertical overlap over half the smaller height)."""
    merged: list[list[float]] = []
    for x0, y0, x1, y1 in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        for group in merged:
            overlap = min(group[3], y1) - max(group[1], y0)
            if overlap > 0.5 * min(group[3] - group[1], y1 - y0):
                group[:] = [min(group[0], x0), min(group[1], y0), max(group[2], x1), max(group[3], y1)]
                break
        else:
            merged.append([x0, y0, x1, y1])
    return [tuple(group) for group in sorted(merged, key=lambda g: g[1])]  # type: ignore[misc]


@dataclass(frozen=True)
class Anchors:
    """Printed labels that pin the layout: boxes starting left of ``x_max`` mm, centred at ``y`` mm.

    A quad a millimetre or two off shifts every row; matching the detected label
    boxes to where the labels are printed measures that shift, and rows are read
    where the labels actually are.
    """

    x_min: float
    x_max: float
    y: tuple[float, ...]


def _vertical_map(boxes: list[tuple[float, float, float, float]], anchors: Anchors) -> tuple[float, float]:
    """``(scale, shift)`` with printed y ≈ scale × detected y + shift, laying most label boxes on their rows.

    ``(1, 0)`` when no label box is found. The search is small and exhaustive
    (scale 0.85–1.15, shift ±8 mm) with a slight preference for no change.
    """
    centres = np.asarray([(b[1] + b[3]) / 2 for b in boxes if anchors.x_min <= b[0] <= anchors.x_max])
    if centres.size == 0:
        return 1.0, 0.0
    expected = np.asarray(anchors.y)
    scales = np.arange(0.85, 1.1501, 0.025)[:, None, None, None]
    shifts = np.arange(-8.0, 8.01, 0.25)[None, :, None, None]
    # Every (scale, shift) at once: gap of each label box to its nearest printed label row.
    gaps = np.abs(centres[None, None, :, None] * scales + shifts - expected[None, None, None, :]).min(axis=3)
    scores = np.clip(1.2 - gaps, 0, None).sum(axis=2) - 0.01 * np.abs(shifts[:, :, 0, 0]) - 0.5 * np.abs(scales[:, :, 0, 0] - 1)
    best = np.unravel_index(int(np.argmax(scores)), scores.shape)  # the first best, as the loop it replaces
    if scores[best] <= 0.0:
        return 1.0, 0.0
    return float(scales[best[0], 0, 0, 0]), float(shifts[0, best[1], 0, 0])


def read_fields(card: np.ndarray, px_per_mm: float, rows: tuple[Row, ...], engine: RapidOcrEngine,
                *, region: tuple[float, float, float, float], det_max_side_px: int,
                pad_mm: float = 0.5, anchors: Anchors | None = None) -> dict[str, FieldText]:
    """Recognise each field of ``rows`` on an upright rectified ``card``.

    ``region`` (mm) is where the detector looks (for example the card minus its
    photo). All value crops go to the recogniser in one batch.
    """
    height, width = card.shape[:2]
    rx0, ry0, rx1, ry1 = (round(v * px_per_mm) for v in region)
    area = card[max(0, ry0):min(height, ry1), max(0, rx0):min(width, rx1)]
    boxes_mm = []
    for box in engine.detect(area, max_side_px=det_max_side_px):
        xs, ys = box[:, 0] + max(0, rx0), box[:, 1] + max(0, ry0)
        boxes_mm.append((float(xs.min()) / px_per_mm, float(ys.min()) / px_per_mm,
                         float(xs.max()) / px_per_mm, float(ys.max()) / px_per_mm))
    scale, shift = _vertical_map(boxes_mm, anchors) if anchors else (1.0, 0.0)

    def cut(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
        return card[max(0, round((y0 - pad_mm) * px_per_mm)):min(height, round((y1 + pad_mm) * px_per_mm)),
                    max(0, round((x0 - pad_mm) * px_per_mm)):min(width, round((x1 + pad_mm) * px_per_mm))]

    crops: list[np.ndarray] = []
    owners: list[str] = []
    bands: dict[str, tuple[float, float, float, float]] = {}  # the whole value span, for a second look
    for row in rows:
        # Row bands are printed positions; detected boxes are mapped onto them first.
        in_row = [b for b in boxes_mm if row.y0 <= (b[1] + b[3]) / 2 * scale + shift < row.y1]
        for column in row.columns:
            band = (column.x0, (row.y0 - shift) / scale, column.x1, (row.y1 - shift) / scale)
            parts = [(max(b[0], column.x0), b[1], min(b[2], column.x1), b[3]) for b in in_row
                     if min(b[2], column.x1) - max(b[0], column.x0) > 1.0]
            lines = line_groups(parts) if parts else [band]
            if parts and not row.multiline:
                bands[column.field] = band
            if not row.multiline and len(lines) > 1:  # one value: one crop around all its pieces
                lines = [(min(p[0] for p in lines), min(p[1] for p in lines), max(p[2] for p in lines), max(p[3] for p in lines))]
            for x0, y0, x1, y1 in lines:
                # Values are printed from the column's start: a first character the detector
                # missed (washed out by glare) is still in the crop.
                crop = cut(column.x0, y0, x1, y1)
                if crop.shape[0] >= 4 and crop.shape[1] >= 4:
                    crops.append(crop)
                    owners.append(column.field)
    results = engine.recognize(crops)
    # A detected piece that reads as nothing (a glare speck taken for text) leaves its value
    # unread: recognise the value's whole printed span instead.
    empty = [name for name in bands if not any(text.strip() for owner, (text, _) in zip(owners, results) if owner == name)]
    retry = [(name, cut(*bands[name])) for name in empty]
    retry = [(name, crop) for name, crop in retry if crop.shape[0] >= 4 and crop.shape[1] >= 4]
    if retry:  # the empty reads stay first among the field's crops (they are the tighter ones)
        crops = crops + [crop for _, crop in retry]
        results = list(results) + engine.recognize([crop for _, crop in retry])
        owners = owners + [name for name, _ in retry]
    fields: dict[str, list[tuple[str, float]]] = {}
    images: dict[str, list[np.ndarray]] = {}
    for owner, crop, (text, score) in zip(owners, crops, results):
        images.setdefault(owner, []).append(crop)
        text = unicodedata.normalize("NFKC", text).strip()  # PP-OCR may emit full-width digits (１９５９)
        if text:
            fields.setdefault(owner, []).append((text, score))
    return {name: FieldText(tuple(fields.get(name, ())), tuple(crops), cut(*bands[name]) if name in bands else None)
            for name, crops in images.items()}
