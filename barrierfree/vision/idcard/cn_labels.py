"""Which side of a resident ID card is in view, and its values, from the labels printed on it.

:func:`card_side` decides from the text read: 居民身份证 with 签发机关/有效期限 is
the emblem side; 姓名/性别/民族/出生/住址/公民身份号码 the portrait side.
:mod:`.cn_front_labels` and :mod:`.cn_back_labels` then anchor every value on
the label actually found, with the helpers here: where a label is
(:func:`find_label`, :func:`label_rows`), where its value starts
(:func:`value_start`, :func:`value_column`), and a line's segments on one
baseline joined (:func:`whole_line`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from barrierfree.vision.idcard import period
from barrierfree.vision.idcard.rows import Glyph, TextRow

#: Portrait-side labels, in printed order; the first four are the evenly spaced rows.
FRONT_LABELS = ("姓名", "性别", "出生", "住址")
NATION_LABEL = "民族"
NUMBER_LABEL = "公民身份号码"
BACK_LABELS = ("签发机关", "有效期限")
BACK_TITLE = "居民身份证"
ALL_LABELS = FRONT_LABELS + (NATION_LABEL, NUMBER_LABEL) + BACK_LABELS + (BACK_TITLE, "中华人民共和国")


@dataclass(frozen=True, eq=False)
class Value:
    """A value read beside its label: text, its glyphs, and the row it came from."""

    glyphs: tuple[Glyph, ...]
    row: TextRow
    #: Where the label before an empty value ends (mm), so that its crop can still be read again.
    label_end_mm: float | None = None
    #: The wrapped lines below ``row`` that the value runs on to (an address), top to bottom.
    wrapped: tuple[TextRow, ...] = ()

    @property
    def start_mm(self) -> float:
        """Where the value's image starts: just after the glyph before it (its label), so a first
        character the recogniser dropped (it cannot spell 仫) is still in the crop."""
        pitch = glyph_pitch(self.row)
        if not self.glyphs:
            return self.row.box[0] if self.label_end_mm is None else self.label_end_mm + 0.2 * pitch
        before = [g for g in self.row.glyphs if g.x_mm < self.glyphs[0].x_mm - 0.1]
        return before[-1].x_mm + 0.6 * pitch if before else self.glyphs[0].x_mm - 0.7 * pitch

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def confidence(self) -> float:
        return self.row.confidence(self.glyphs)

    def crop(self):  # noqa: ANN201 - the value's image (numpy array) for a second look
        """The value's image from :attr:`start_mm` on, in the segment that holds its first character:
        on a line whose value is a segment of its own, ``start_mm`` can fall inside the label's end
        margin (half a digit's pitch past 限 of 有效期限), and the label's segment is not the value."""
        if self.glyphs and self.row.parts:
            part = next((p for p in self.row.parts if p.box[0] <= self.glyphs[0].x_mm <= p.box[2]), None)
            if part is not None:
                return part.cut(max(self.start_mm, part.box[0]))
        return self.row.cut(self.start_mm)


def glyph_pitch(row: TextRow) -> float:
    xs = [g.x_mm for g in row.glyphs]
    return float(np.median(np.diff(xs))) if len(xs) > 1 else row.height


def _width(char: str) -> float:
    """A character's advance in units of a CJK character (digits and Latin are about half as wide)."""
    return 0.55 if char.isascii() else 1.0


def missing_characters(glyphs: tuple[Glyph, ...]) -> bool:
    """Whether a value's characters leave a gap where one or more characters should be: glare can
    wash characters out so that the recogniser reads on past them (贵州省普安县 read 贵州省县).

    >>> def glyphs(xs, text="贵州省县阳平街"):
    ...     return tuple(Glyph(c, 0.99, x) for c, x in zip(text, xs))
    >>> missing_characters(glyphs([0, 3, 6, 15, 18, 21, 24])), missing_characters(glyphs([0, 3, 6, 9, 12, 15, 18]))
    (True, False)
    """
    pairs = [(a, b) for a, b in zip(glyphs, glyphs[1:]) if b.x_mm > a.x_mm]
    cjk = [b.x_mm - a.x_mm for a, b in pairs if not a.char.isascii() and not b.char.isascii()]
    if len(cjk) < 2:
        return False
    unit = float(np.median(cjk))
    return any(b.x_mm - a.x_mm > (_width(a.char) + _width(b.char)) / 2 * unit + 0.8 * unit for a, b in pairs)


def find_label(text: str, label: str) -> tuple[int, int] | None:
    """``(start, end)`` of ``label`` in ``text``: exactly, or (for labels of 4+ characters) with
    one character misread or its first characters lost (``身份号码`` for 公民身份号码).

    >>> find_label("性别男民族汉", "民族"), find_label("签友机关北京市公安局", "签发机关"), find_label("身份号码1101", "公民身份号码")
    ((3, 5), (0, 4), (0, 4))
    """
    at = text.find(label)
    if at >= 0:
        return at, at + len(label)
    n = len(label)
    if n >= 4:
        for start in range(max(1, len(text) - n + 1)):
            window = text[start:start + n]
            if len(window) == n and sum(a == b for a, b in zip(window, label)) >= n - 1:
                return start, start + n
        for cut in range(1, n - 2):  # the label's first characters were lost
            tail = label[cut:]
            if text.startswith(tail):
                return 0, len(tail)
    return None


def strip_label_piece(value: str, labels: tuple[str, ...], leftover: int) -> str:
    """Drop a leftover piece of a label from the start of a value: the longest suffix of any of
    ``labels`` that starts ``value``, at most ``leftover`` characters long. One rule for every label;
    ``leftover`` is how many characters the row's geometry says are label, not value.

    >>> strip_label_piece("关北京市公安局", BACK_LABELS, 1), strip_label_piece("号码1101", (NUMBER_LABEL,), 2)
    ('北京市公安局', '1101')
    >>> strip_label_piece("关岭县公安局", BACK_LABELS, 0)
    '关岭县公安局'
    """
    best = 0
    for label in labels:
        for size in range(min(len(label), leftover), 0, -1):
            if value.startswith(label[-size:]):
                best = max(best, size)
                break
    return value[best:]


def card_side(rows: list[TextRow]) -> tuple[str, int, int]:
    """``(side, portrait-side evidence, emblem-side evidence)`` from the text: ``portrait``,
    ``emblem`` or ``unknown``. Each label found counts once, and so does a period-shaped row
    (:func:`.period.shaped`; only the emblem side prints one): with both its labels misread, the
    title and the period still say it is the emblem side. The side needs two pieces of evidence
    and more than the other side."""
    text = "".join(row.text for row in rows)
    front = sum(find_label(text, label) is not None for label in FRONT_LABELS + (NATION_LABEL, NUMBER_LABEL))
    back = sum(find_label(text, label) is not None for label in BACK_LABELS + (BACK_TITLE,))
    back += any(period.shaped(row.text) is not None for row in rows)
    if front >= 2 and front > back:
        return "portrait", front, back
    if back >= 2 and back > front:
        return "emblem", front, back
    return "unknown", front, back


def label_rows(rows: list[TextRow], labels: tuple[str, ...]) -> dict[str, tuple[TextRow, int]]:
    """For each label, the row that starts with it (within its first characters) and where its value
    begins. A value printed past a wide gap (another detected segment on the label's baseline) is
    joined to the label's row first."""
    found: dict[str, tuple[TextRow, int]] = {}
    for label in labels:
        for row in rows:
            span = find_label(row.text, label)
            if span is not None and span[0] <= 2 and label not in found:
                found[label] = (whole_line(row, rows), span[1])
                break
    return found


def whole_line(row: TextRow, rows: list[TextRow]) -> TextRow:
    """``row`` with the segments to its right on the same baseline appended (their glyphs keep their x)."""
    right = [r for r in rows if r is not row and r.box[0] > row.box[2] - 1.0
             and min(r.box[3], row.box[3]) - max(r.box[1], row.box[1]) > 0.5 * min(r.height, row.height)]
    if not right:
        return row
    right.sort(key=lambda r: r.box[0])
    glyphs = row.glyphs + tuple(g for r in right for g in r.glyphs)
    box = (row.box[0], min(r.box[1] for r in [row, *right]), right[-1].box[2], max(r.box[3] for r in [row, *right]))
    return TextRow(glyphs, box, row.crop, row.px_per_mm, parts=(row, *right))


def value_start(row: TextRow, end: int, label: str, column: float | None) -> tuple[Glyph, ...]:
    """The glyphs of ``row`` after its label (characters ``[:end]``), without a leftover label piece
    that lies left of the value column."""
    glyphs = row.glyphs[end:]
    while glyphs and not glyphs[0].char.isalnum():  # the label's colon, a speck read as a dot
        glyphs = glyphs[1:]
    if column is None:
        return glyphs
    leftover = sum(1 for g in glyphs[:len(label)] if g.x_mm < column - 0.45 * glyph_pitch(row))
    text = "".join(g.char for g in glyphs)
    stripped = strip_label_piece(text, (label,), leftover)
    return glyphs[len(text) - len(stripped):]


def value_column(found: dict[str, tuple[TextRow, int]], rows_of: tuple[str, ...]) -> float | None:
    """The value column (mm): the median x where a value starts after its label, less half a character."""
    starts = []
    for label in rows_of:
        if label in found:
            row, end = found[label]
            if end < len(row.glyphs) and end > 0:
                gap = row.glyphs[end].x_mm - row.glyphs[end - 1].x_mm
                if gap > 1.3 * glyph_pitch(row):  # a clear gap between label and value
                    starts.append(row.glyphs[end].x_mm)
    return float(np.median(starts)) if starts else None


def right_of_label(line: TextRow, column: float | None) -> tuple[Glyph, ...]:
    """The glyphs of a line whose label was not read, from the value column on. A segment that ends
    before the column is the (misread) label, whatever its characters; within one segment the label's
    characters are those left of the column. (Half-width digits sit closer to the column than a CJK
    character's centre, so segments are trusted first.)"""
    if column is None:
        return line.glyphs
    parts = [p for p in line.parts if p.box[2] > column]
    if line.parts and parts and parts[0] is not line.parts[0]:
        return tuple(g for g in line.glyphs if g.x_mm >= parts[0].box[0])
    return line.glyphs[_skip_label(line, column):]


def _skip_label(row: TextRow, column: float) -> int:
    return sum(1 for g in row.glyphs if g.x_mm < column - 0.45 * glyph_pitch(row))
