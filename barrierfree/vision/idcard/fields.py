"""What was recognised for one field (:class:`FieldText`) and grouping detected boxes into lines.

The values themselves are found beside their printed labels (:mod:`.cn_labels`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np



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
