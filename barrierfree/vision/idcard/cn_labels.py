"""Which side of a resident ID card is in view, and its values, from the labels printed on it.

:func:`card_side` decides from the text read: 居民身份证 with 签发机关/有效期限 is
the emblem side; 姓名/性别/民族/出生/住址/公民身份号码 the portrait side.
:func:`front_values` and :func:`back_values` then anchor every value on the
label actually found: the value is the characters right of its own label, on
that label's row. Where a label was not read, its row is placed by the row
pitch measured on the labels that were found on this card (never a template
constant), and a row that does not sit on that pitch fails loudly
(``label_rows_consistent``) rather than being shifted onto another label's row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from barrierfree.vision.idcard import period
from barrierfree.vision.idcard.gates import PROVINCES
from barrierfree.vision.idcard.reading import Check
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
        pitch = _pitch(self.row)
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


def _pitch(row: TextRow) -> float:
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


def _label_rows(rows: list[TextRow], labels: tuple[str, ...]) -> dict[str, tuple[TextRow, int]]:
    """For each label, the row that starts with it (within its first characters) and where its value
    begins. A value printed past a wide gap (another detected segment on the label's baseline) is
    joined to the label's row first."""
    found: dict[str, tuple[TextRow, int]] = {}
    for label in labels:
        for row in rows:
            span = find_label(row.text, label)
            if span is not None and span[0] <= 2 and label not in found:
                found[label] = (_whole_line(row, rows), span[1])
                break
    return found


def _whole_line(row: TextRow, rows: list[TextRow]) -> TextRow:
    """``row`` with the segments to its right on the same baseline appended (their glyphs keep their x)."""
    right = [r for r in rows if r is not row and r.box[0] > row.box[2] - 1.0
             and min(r.box[3], row.box[3]) - max(r.box[1], row.box[1]) > 0.5 * min(r.height, row.height)]
    if not right:
        return row
    right.sort(key=lambda r: r.box[0])
    glyphs = row.glyphs + tuple(g for r in right for g in r.glyphs)
    box = (row.box[0], min(r.box[1] for r in [row, *right]), right[-1].box[2], max(r.box[3] for r in [row, *right]))
    return TextRow(glyphs, box, row.crop, row.px_per_mm, parts=(row, *right))


def _row_fit(ys: dict[int, float]) -> tuple[float, float] | None:
    """``(first row y, pitch)`` fitted to label rows ``index -> y`` (least squares); ``None`` under two rows."""
    if len(ys) < 2:
        return None
    index = np.array(list(ys), float)
    y = np.array(list(ys.values()), float)
    pitch, first = np.polyfit(index, y, 1)
    return float(first), float(pitch)


def _value_start(row: TextRow, end: int, label: str, column: float | None) -> tuple[Glyph, ...]:
    """The glyphs of ``row`` after its label (characters ``[:end]``), without a leftover label piece
    that lies left of the value column."""
    glyphs = row.glyphs[end:]
    while glyphs and not glyphs[0].char.isalnum():  # the label's colon, a speck read as a dot
        glyphs = glyphs[1:]
    if column is None:
        return glyphs
    leftover = sum(1 for g in glyphs[:len(label)] if g.x_mm < column - 0.45 * _pitch(row))
    text = "".join(g.char for g in glyphs)
    stripped = strip_label_piece(text, (label,), leftover)
    return glyphs[len(text) - len(stripped):]


def _column(found: dict[str, tuple[TextRow, int]], rows_of: tuple[str, ...]) -> float | None:
    """The value column (mm): the median x where a value starts after its label, less half a character."""
    starts = []
    for label in rows_of:
        if label in found:
            row, end = found[label]
            if end < len(row.glyphs) and end > 0:
                gap = row.glyphs[end].x_mm - row.glyphs[end - 1].x_mm
                if gap > 1.3 * _pitch(row):  # a clear gap between label and value
                    starts.append(row.glyphs[end].x_mm)
    return float(np.median(starts)) if starts else None


#: Rows told by their own content when their label was not read (a pale label the detector missed).
_CONTENT = (("性别", lambda text: find_label(text, NATION_LABEL) is not None),
            ("出生", lambda text: re.match(r"^\D{0,3}\d{4}年\d{1,2}月", text) is not None),
            ("住址", lambda text: text.startswith(PROVINCES)))


def _by_content(rows: list[TextRow], found: dict[str, tuple[TextRow, int]]) -> None:
    """Add to ``found`` the rows whose label was not read but whose value says which row it is."""
    taken = {round(row.y, 1) for row, _ in found.values()}
    for label, test in _CONTENT:
        if label in found:
            continue
        for row in sorted(rows, key=lambda r: (r.y, r.box[0])):
            line = _whole_line(row, rows)
            if round(row.y, 1) not in taken and test(line.text):
                found[label] = (line, 0)
                taken.add(round(row.y, 1))
                break


def front_values(rows: list[TextRow]) -> tuple[dict[str, Value], list[Check]]:
    """The portrait side's values beside their labels, and the layout check."""
    found = _label_rows(rows, FRONT_LABELS + (NUMBER_LABEL,))
    _by_content(rows, found)
    ys = {i: found[label][0].y for i, label in enumerate(FRONT_LABELS) if label in found}
    fit = _row_fit(ys)
    checks = []
    if fit is not None:
        first, pitch = fit
        worst = max(abs(y - (first + i * pitch)) for i, y in ys.items())
        # Printed rows do not overlap: rows taller than their pitch come from a wrong outline.
        tall = float(np.median([found[label][0].height for label in FRONT_LABELS if label in found] or [0.0]))
        ok = 4.5 <= pitch <= 8.0 and worst <= 0.3 * pitch and tall <= 1.25 * pitch
        checks.append(Check("label_rows_consistent", ok,
                            f"{len(ys)} row labels found, {pitch:.1f} mm apart" if ok
                            else "the row labels found do not lie on one row pitch; retake the photo"))
    else:
        checks.append(Check("label_rows_consistent", False, "fewer than two row labels could be read; retake the photo"))
    column = _column(found, FRONT_LABELS)
    values: dict[str, Value] = {}
    used: set[int] = set()
    for i, label in enumerate(FRONT_LABELS):
        row_end = found.get(label)
        if row_end is None and fit is not None:
            row_end = _unlabelled_row(rows, fit[0] + i * fit[1], fit[1], column, used)
            if row_end is not None:
                checks += _unread_label_check(label, row_end)
        if row_end is None:
            continue
        row, end = row_end
        used.add(id(row))
        glyphs = _value_start(row, end, label, column)
        if label == "性别":
            values.update(_sex_and_nation(row, glyphs))
            continue
        values[{"姓名": "name", "出生": "birth_date", "住址": "address"}[label]] = Value(glyphs, row)
    number = _number(rows, found.get(NUMBER_LABEL))
    if number is not None:
        values["id_number"] = number
    if "address" in values:
        # The address runs down to the number's row (its label, when read; else the number itself).
        bottom = found.get(NUMBER_LABEL) or ((number.row, 0) if number is not None else None)
        values["address"] = _address(rows, values["address"], bottom, fit)
    return values, checks


#: The field each portrait-side row label introduces (the 性别 row's first value is the sex).
_FRONT_FIELD = {"姓名": "name", "性别": "sex", "出生": "birth_date", "住址": "address"}


def _unread_label_check(label: str, row_end: tuple[TextRow, int]) -> list[Check]:
    """A warning when a row whose label was not read lost characters left of the value column that
    are no piece of that label: they were taken for the misread label by position alone, and may
    have been the value's own first characters (崔承善 read 承善, 崔 printed left of the others'
    column). The value is kept as read; the person confirms it."""
    row, end = row_end
    skipped = "".join(g.char for g in row.glyphs[:end])
    if not skipped or any(char in label for char in skipped):
        return []
    field = _FRONT_FIELD[label]
    return [Check(f"{field}_label_unread", False, f"the {label} label was not read and {len(skipped)} character(s) "
                  "before the value were dropped by position; confirm the value", severity="warning", field=field)]


def _sex_and_nation(row: TextRow, glyphs: tuple[Glyph, ...]) -> dict[str, Value]:
    """The sex and the ethnicity on the 性别 row: either side of the 民族 label when it was read; else
    the ethnicity is the row's last detected segment (printed past a wide gap) without any piece of
    民族 left in it (``族俄罗斯`` when 民 was lost, ``布依`` when the whole label was).

    No ethnicity is 男 or 女: a last segment holding only the sex is the sex.
    """
    text = "".join(g.char for g in glyphs)
    nation = find_label(text, NATION_LABEL)
    if nation is not None:
        return {"sex": Value(glyphs[:nation[0]], row),
                "ethnicity": Value(glyphs[nation[1]:], row, glyphs[nation[1] - 1].x_mm + 0.4 * _pitch(row))}
    if len(row.parts) >= 2:
        at = next((i for i, g in enumerate(glyphs) if g.x_mm >= row.parts[-1].box[0]), len(glyphs))
        rest = text[at:]
        value = strip_label_piece(rest, (NATION_LABEL,), len(NATION_LABEL))
        if value and value not in ("男", "女"):
            start = at + len(rest) - len(value)
            return {"sex": Value(glyphs[:min(at, 1)], row), "ethnicity": Value(glyphs[start:], row)}
    return {"sex": Value(glyphs[:1], row)}


def _unlabelled_row(rows: list[TextRow], y: float, pitch: float, column: float | None,
                    used: set[int]) -> tuple[TextRow, int] | None:
    """The row at ``y`` whose label was not read: it must start at the label column (left of the values)."""
    near = [row for row in rows if abs(row.y - y) < 0.3 * pitch and id(row) not in used]
    if not near:
        return None
    row = min(near, key=lambda r: r.box[0])
    if column is None:
        return row, 0
    # The whole line: what is left of a misread label (名 of 姓名) may be a segment of its own.
    line = _whole_line(row, rows)
    return line, len(line.glyphs) - len(_right_of_label(line, column))


def _right_of_label(line: TextRow, column: float | None) -> tuple[Glyph, ...]:
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
    return sum(1 for g in row.glyphs if g.x_mm < column - 0.45 * _pitch(row))


def _address(rows: list[TextRow], first: Value, number: tuple[TextRow, int] | None,
             fit: tuple[float, float] | None) -> Value:
    """The address: its first line beside 住址, then the lines below it that start in its value column,
    down to the number's row."""
    start_row = first.row
    bottom = number[0].y - 0.6 * number[0].height if number else start_row.y + 3.2 * (fit[1] if fit else 6.5)
    x_start = first.glyphs[0].x_mm if first.glyphs else start_row.box[0]
    glyphs = list(first.glyphs)
    wrapped = []
    for row in rows:
        if start_row.y + 0.5 * start_row.height < row.y < bottom and abs(row.glyphs[0].x_mm - x_start) < 3.0:
            glyphs.extend(row.glyphs)
            wrapped.append(row)
    return Value(tuple(glyphs), start_row, wrapped=tuple(wrapped))


def _number(rows: list[TextRow], labelled: tuple[TextRow, int] | None) -> Value | None:
    """The 18-character number: after 公民身份号码, else the row that holds 17 digits and a digit or X."""
    if labelled is not None:
        row, end = labelled
        glyphs = tuple(g for g in row.glyphs[end:] if g.char not in "：:")
        return Value(glyphs, row)
    for row in rows:
        digits = sum(g.char.isdigit() for g in row.glyphs)
        if digits >= 15:
            return Value(tuple(g for g in row.glyphs if g.char.isalnum() and g.char.isascii()), row)
    return None


def back_values(rows: list[TextRow]) -> tuple[dict[str, Value], list[Check]]:
    """The emblem side's authority and validity beside their labels. A long authority wraps onto a
    second line between its label's row and the 有效期限 row (:func:`_authority_lines`); the label
    pitch may then span that line too, and no more."""
    found = _label_rows(rows, BACK_LABELS)
    column = _column(found, BACK_LABELS)
    values = {}
    checks = []
    for label, name in zip(BACK_LABELS, ("issuing_authority", "validity")):
        if label in found:
            row, end = found[label]
            values[name] = Value(_value_start(row, end, label, column), row)
    if not found:  # both labels unread (有支期装, 有文): the period by its shape; its start is the value column
        values.update(_period_row(rows))
        column = values["validity"].glyphs[0].x_mm if "validity" in values else None
    if "issuing_authority" not in values and "validity" in values:  # authority label unread (签发1): the line above
        values["issuing_authority"] = _line_above(rows, values["validity"].row, column)
    wrapped: list[TextRow] = []
    if "issuing_authority" in values:
        validity_y = found["有效期限"][0].y if "有效期限" in found else None
        wrapped = _authority_lines(rows, values["issuing_authority"], validity_y)
        first = values["issuing_authority"]
        values["issuing_authority"] = Value(first.glyphs + tuple(g for row in wrapped for g in row.glyphs), first.row)
    if len(found) == 2:
        pitch = found["有效期限"][0].y - found["签发机关"][0].y
        ok = 4.5 + WRAP_PITCH_MM[0] * len(wrapped) <= pitch <= 8.0 + WRAP_PITCH_MM[1] * len(wrapped)
        checks.append(Check("label_rows_consistent", ok, f"labels {pitch:.1f} mm apart" if ok
                            else "签发机关 and 有效期限 are not on consecutive rows; retake the photo"))
    if "validity" not in values and "issuing_authority" in values:  # validity label unread: the line below
        row = values["issuing_authority"].row
        low = wrapped[-1].y if wrapped else row.y
        below = [r for r in rows if 4.5 <= r.y - row.y <= 8.0 + (low - row.y)
                 and all(r.y - w.y > 0.5 * r.height for w in wrapped)]
        if below:
            top = min(r.y for r in below)
            # The whole line from its leftmost segment: a misread label (期月限) is its own segment.
            line = _whole_line(min((r for r in below if r.y - top < 0.5 * r.height), key=lambda r: r.box[0]), rows)
            values["validity"] = Value(_right_of_label(line, column), line)
    return values, checks


def _period_row(rows: list[TextRow]) -> dict[str, Value]:
    """``{"validity": value}`` from the one period-shaped row (:func:`.period.shaped`), from where the
    period starts (a misread label before it in the same segment is left out); empty when no row, or
    more than one, has that shape."""
    shaped = [(row, at) for row in rows if (at := period.shaped(row.text)) is not None]
    if len(shaped) != 1:
        return {}
    row, at = shaped[0]
    return {"validity": Value(row.glyphs[at:], row)}


def _line_above(rows: list[TextRow], validity: TextRow, column: float | None) -> Value:
    """The authority when its label was not read (签发1): the highest line of text between one row
    pitch, and one row pitch plus a wrapped line, above the validity row (its first line; a second
    line is added by :func:`_authority_lines`), from the value column on (what is left of the
    misread label is a segment of its own, or lies left of the column)."""
    above = [r for r in rows if 4.5 <= validity.y - r.y <= 8.0 + WRAP_PITCH_MM[1] and not any(g.char.isdigit() for g in r.glyphs)]
    if not above:
        return Value((), validity)
    top = min(r.y for r in above)
    line = _whole_line(min((r for r in above if r.y - top < 0.5 * r.height), key=lambda r: r.box[0]), rows)
    return Value(_right_of_label(line, column), line)


#: How far below an authority's first line its wrapped second line may sit (mm): about one line of
#: 3 mm characters (a card's value rows are 4–5 mm apart).
WRAP_PITCH_MM = (3.2, 5.2)


def _authority_lines(rows: list[TextRow], first: Value, validity_y: float | None) -> list[TextRow]:
    """The wrapped line of a long authority (a card prints at most one): the row one line pitch below
    its first line that starts where the value starts, holds no digit (the validity period does) and
    no label, and lies above the 有效期限 row."""
    if not first.glyphs:
        return []
    x_start, pitch = first.glyphs[0].x_mm, _pitch(first.row)
    for row in sorted(rows, key=lambda r: r.y):
        if (WRAP_PITCH_MM[0] <= row.y - first.row.y <= WRAP_PITCH_MM[1] and abs(row.glyphs[0].x_mm - x_start) < pitch
                and not any(g.char.isdigit() for g in row.glyphs)
                and not any(find_label(row.text, label) for label in BACK_LABELS)
                and (validity_y is None or validity_y - row.y > 0.5 * row.height)):
            return [row]
    return []
