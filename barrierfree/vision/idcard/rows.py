"""The printed text of a rectified card as rows of positioned characters: what the content readers use.

The detector runs once on the card; boxes on one baseline are joined into a
row segment unless a wide gap (the photo, a second column) separates them;
each segment is recognised whole, label and value together, and every
character keeps its x position (mm) from the CTC step it was read at. The
readers then find the labels by their text and take each value as the
characters right of its own label on that label's row — no template says
where a row or a value column is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np

from barrierfree.vision.ocr.ctc import greedy_with_steps

#: The recogniser's input height and smallest width, pixels (RapidOCR's PP-OCR line shape).
_REC_HEIGHT_PX = 48.0
_MIN_REC_WIDTH_PX = 320.0


@dataclass(frozen=True)
class Glyph:
    """One recognised character: its text, probability and centre x on the card (mm)."""

    char: str
    prob: float
    x_mm: float


@dataclass(frozen=True, eq=False)
class TextRow:
    """One segment of one printed line: its characters left to right, box (mm) and the image it was read from."""

    glyphs: tuple[Glyph, ...]
    box: tuple[float, float, float, float]
    crop: np.ndarray
    #: The card's pixels per millimetre (to cut a part of ``crop`` by glyph position).
    px_per_mm: float
    #: The segments a whole line was joined from (each with its own crop), left to right.
    parts: tuple[TextRow, ...] = ()

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def y(self) -> float:
        """The row's centre line, mm from the card's top."""
        return (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    def confidence(self, glyphs: tuple[Glyph, ...] | None = None) -> float:
        """RapidOCR's line confidence (the mean character probability) over ``glyphs`` (default: all)."""
        chosen = self.glyphs if glyphs is None else glyphs
        return float(np.mean([g.prob for g in chosen])) if chosen else 0.0

    def cut(self, x0_mm: float) -> np.ndarray:
        """The part of the row image right of ``x0_mm`` (a value without its label, for a second look)."""
        if self.parts:
            # The first segment with more than its paper margins (1.4 mm) right of x0: a label's
            # segment ends with that margin just past where its value starts.
            part = next((p for p in self.parts if p.box[2] - x0_mm > 2.0), self.parts[-1])
            return part.cut(x0_mm)
        start = max(0, round((x0_mm - self.box[0]) * self.px_per_mm))
        return np.ascontiguousarray(self.crop[:, min(start, max(0, self.crop.shape[1] - 4)):])


def _segments(boxes: list[tuple[float, float, float, float]], gap_mm: float) -> list[tuple[float, float, float, float]]:
    """Boxes on one baseline (vertical overlap over half the lower one) joined left to right, split at wide gaps."""
    lines: list[list[tuple[float, float, float, float]]] = []
    for box in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        for line in lines:
            y0, y1 = min(b[1] for b in line), max(b[3] for b in line)
            overlap = min(y1, box[3]) - max(y0, box[1])
            if overlap > 0.5 * min(y1 - y0, box[3] - box[1]):
                line.append(box)
                break
        else:
            lines.append([box])
    joined = []
    for line in lines:
        line.sort(key=lambda b: b[0])
        current = list(line[0])
        for box in line[1:]:
            if box[0] - current[2] > gap_mm:
                joined.append(tuple(current))
                current = list(box)
            else:
                current = [current[0], min(current[1], box[1]), max(current[2], box[2]), max(current[3], box[3])]
        joined.append(tuple(current))
    return sorted(joined, key=lambda b: ((b[1] + b[3]) / 2, b[0]))  # type: ignore[arg-type]


def _lines_of(segments: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """Segments grouped by baseline (vertical overlap over half the lower one), each line left to right."""
    lines: list[list[tuple[float, float, float, float]]] = []
    for seg in segments:
        for line in lines:
            y0, y1 = min(b[1] for b in line), max(b[3] for b in line)
            if min(y1, seg[3]) - max(y0, seg[1]) > 0.5 * min(y1 - y0, seg[3] - seg[1]):
                line.append(seg)
                break
        else:
            lines.append([seg])
    return [sorted(line, key=lambda b: b[0]) for line in lines]


def read_rows(card: np.ndarray, px_per_mm: float, engine, *, det_max_side_px: int,  # noqa: ANN001 - an OCR engine
              gap_mm: float = 2.5, pad_mm: float = 0.4, end_pad_mm: float = 1.0, pack_gap_mm: float = 1.5) -> list[TextRow]:
    """Every text row segment on an upright rectified ``card``, top to bottom.

    Boxes closer than ``gap_mm`` are one segment (a word the detector split). The segments of one
    baseline (a label and its value) are recognised in one pass, packed side by side with a
    ``pack_gap_mm`` strip of paper between them instead of the printed gap: read across a wide
    printed gap the recogniser dropped a name's first character (林琪 read 琪), and one pass per
    segment cost a pass per label. Each character is mapped back to its segment and its x on the card.
    """
    height, width = card.shape[:2]
    boxes = []
    for box in engine.detect(card, max_side_px=det_max_side_px):
        boxes.append((float(box[:, 0].min()) / px_per_mm, float(box[:, 1].min()) / px_per_mm,
                      float(box[:, 0].max()) / px_per_mm, float(box[:, 1].max()) / px_per_mm))
    segments = [seg for seg in _segments(boxes, gap_mm) if seg[3] - seg[1] >= 1.0 and seg[2] - seg[0] >= 1.0]
    rows = []
    for line in _lines_of(segments):
        top = max(0, round((min(b[1] for b in line) - pad_mm) * px_per_mm))
        bottom = min(height, round((max(b[3] for b in line) + pad_mm) * px_per_mm))
        if bottom - top < 4:
            continue
        side = round(end_pad_mm * px_per_mm)  # paper at the ends: the recogniser drops a character touching them
        pieces: list[np.ndarray] = []
        parts: list[tuple[int, int, int]] = []
        at = side
        for x0, _, x1, _ in line:
            left, right = max(0, round((x0 - pad_mm) * px_per_mm)), min(width, round((x1 + pad_mm) * px_per_mm))
            if right - left < 4:
                continue
            piece = card[top:bottom, left:right]
            if pieces:
                gap = round(pack_gap_mm * px_per_mm)
                pieces.append(np.repeat(np.median(piece[:, :2], axis=1, keepdims=True).astype(np.uint8), gap, axis=1))
                at += gap
            parts.append((at, left, right))
            pieces.append(piece)
            at += right - left
        if not pieces:
            continue
        packed = cv2.copyMakeBorder(np.ascontiguousarray(np.concatenate(pieces, axis=1)), 0, 0, side, side,
                                    cv2.BORDER_REPLICATE)
        probs, characters = engine.character_probabilities(packed)
        scale = packed.shape[0] / _REC_HEIGHT_PX  # packed pixels per recogniser input pixel
        # The recogniser's input is 48 px high and at least 320 px wide; its steps cover that width
        # evenly (8 px a step for PP-OCRv4; measured rather than assumed, so any engine fits).
        step_px = max(_MIN_REC_WIDTH_PX, _REC_HEIGHT_PX * packed.shape[1] / packed.shape[0]) / max(len(probs), 1)
        owned: list[list[Glyph]] = [[] for _ in parts]
        for char, prob, first, last in greedy_with_steps(probs, characters):
            char = unicodedata.normalize("NFKC", char)
            if not char.strip():
                continue
            x = ((first + last) / 2 + 0.5) * step_px * scale  # in the packed image
            index = min(range(len(parts)), key=lambda i: 0 if parts[i][0] <= x <= parts[i][0] + parts[i][2] - parts[i][1]
                        else min(abs(x - parts[i][0]), abs(x - parts[i][0] - parts[i][2] + parts[i][1])))
            start, left, _ = parts[index]
            owned[index].append(Glyph(char, prob, (left + x - start) / px_per_mm))
        for (_, left, right), glyphs in zip(parts, owned):
            if glyphs:
                crop = cv2.copyMakeBorder(np.ascontiguousarray(card[top:bottom, left:right]), 0, 0, side, side,
                                          cv2.BORDER_REPLICATE)
                rows.append(TextRow(tuple(glyphs), ((left - side) / px_per_mm, top / px_per_mm, (right + side) / px_per_mm,
                                                    bottom / px_per_mm), crop, px_per_mm))
    return sorted(rows, key=lambda r: (r.y, r.box[0]))
