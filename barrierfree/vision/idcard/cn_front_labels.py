"""The portrait side's values, each anchored on the label printed beside it.

:func:`front_values` takes the value right of its own label, on that label's row. Where a label
was not read, its row is placed by the row pitch measured on the labels that were found on this
card (never a template constant), and a row that does not sit on that pitch fails loudly
(``label_rows_consistent``) rather than being shifted onto another label's row.
"""

from __future__ import annotations

import re

import numpy as np

from barrierfree.vision.idcard import cn_labels as labels
from barrierfree.vision.idcard.gates import PROVINCES
from barrierfree.vision.idcard.reading import Check
from barrierfree.vision.idcard.rows import Glyph, TextRow

def _row_fit(ys: dict[int, float]) -> tuple[float, float] | None:
    """``(first row y, pitch)`` fitted to label rows ``index -> y`` (least squares); ``None`` under two rows."""
    if len(ys) < 2:
        return None
    index = np.array(list(ys), float)
    y = np.array(list(ys.values()), float)
    pitch, first = np.polyfit(index, y, 1)
    return float(first), float(pitch)


#: Rows told by their own content when their label was not read (a pale label the detector missed).
_CONTENT = (("性别", lambda text: labels.find_label(text, labels.NATION_LABEL) is not None),
            ("出生", lambda text: re.match(r"^\D{0,3}\d{4}年\d{1,2}月", text) is not None),
            ("住址", lambda text: text.startswith(PROVINCES)))


def _by_content(rows: list[TextRow], found: dict[str, tuple[TextRow, int]]) -> None:
    """Add to ``found`` the rows whose label was not read but whose value says which row it is."""
    taken = {round(row.y, 1) for row, _ in found.values()}
    for label, test in _CONTENT:
        if label in found:
            continue
        for row in sorted(rows, key=lambda r: (r.y, r.box[0])):
            line = labels.whole_line(row, rows)
            if round(row.y, 1) not in taken and test(line.text):
                found[label] = (line, 0)
                taken.add(round(row.y, 1))
                break


def front_values(rows: list[TextRow]) -> tuple[dict[str, labels.Value], list[Check]]:
    """The portrait side's values beside their labels, and the layout check."""
    found = labels.label_rows(rows, labels.FRONT_LABELS + (labels.NUMBER_LABEL,))
    _by_content(rows, found)
    ys = {i: found[label][0].y for i, label in enumerate(labels.FRONT_LABELS) if label in found}
    fit = _row_fit(ys)
    checks = []
    if fit is not None:
        first, pitch = fit
        worst = max(abs(y - (first + i * pitch)) for i, y in ys.items())
        # Printed rows do not overlap: rows taller than their pitch come from a wrong outline.
        tall = float(np.median([found[label][0].height for label in labels.FRONT_LABELS if label in found] or [0.0]))
        ok = 4.5 <= pitch <= 8.0 and worst <= 0.3 * pitch and tall <= 1.25 * pitch
        checks.append(Check("label_rows_consistent", ok,
                            f"{len(ys)} row labels found, {pitch:.1f} mm apart" if ok
                            else "the row labels found do not lie on one row pitch; retake the photo"))
    else:
        checks.append(Check("label_rows_consistent", False, "fewer than two row labels could be read; retake the photo"))
    column = labels.value_column(found, labels.FRONT_LABELS)
    values: dict[str, labels.Value] = {}
    used: set[int] = set()
    for i, label in enumerate(labels.FRONT_LABELS):
        row_end = found.get(label)
        if row_end is None and fit is not None:
            row_end = _unlabelled_row(rows, fit[0] + i * fit[1], fit[1], column, used)
            if row_end is not None:
                checks += _unread_label_check(label, row_end)
        if row_end is None:
            continue
        row, end = row_end
        used.add(id(row))
        glyphs = labels.value_start(row, end, label, column)
        if label == "性别":
            values.update(_sex_and_nation(row, glyphs))
            continue
        values[{"姓名": "name", "出生": "birth_date", "住址": "address"}[label]] = labels.Value(glyphs, row)
    number = _number(rows, found.get(labels.NUMBER_LABEL))
    if number is not None:
        values["id_number"] = number
    if "address" in values:
        # The address runs down to the number's row (its label, when read; else the number itself).
        bottom = found.get(labels.NUMBER_LABEL) or ((number.row, 0) if number is not None else None)
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


def _sex_and_nation(row: TextRow, glyphs: tuple[Glyph, ...]) -> dict[str, labels.Value]:
    """The sex and the ethnicity on the 性别 row: either side of the 民族 label when it was read; else
    the ethnicity is the row's last detected segment (printed past a wide gap) without any piece of
    民族 left in it (``族俄罗斯`` when 民 was lost, ``布依`` when the whole label was).

    No ethnicity is 男 or 女: a last segment holding only the sex is the sex.
    """
    text = "".join(g.char for g in glyphs)
    nation = labels.find_label(text, labels.NATION_LABEL)
    if nation is not None:
        return {"sex": labels.Value(glyphs[:nation[0]], row),
                "ethnicity": labels.Value(glyphs[nation[1]:], row, glyphs[nation[1] - 1].x_mm + 0.4 * labels.glyph_pitch(row))}
    if len(row.parts) >= 2:
        at = next((i for i, g in enumerate(glyphs) if g.x_mm >= row.parts[-1].box[0]), len(glyphs))
        rest = text[at:]
        value = labels.strip_label_piece(rest, (labels.NATION_LABEL,), len(labels.NATION_LABEL))
        if value and value not in ("男", "女"):
            start = at + len(rest) - len(value)
            return {"sex": labels.Value(glyphs[:min(at, 1)], row), "ethnicity": labels.Value(glyphs[start:], row)}
    return {"sex": labels.Value(glyphs[:1], row)}


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
    line = labels.whole_line(row, rows)
    return line, len(line.glyphs) - len(labels.right_of_label(line, column))


def _address(rows: list[TextRow], first: labels.Value, number: tuple[TextRow, int] | None,
             fit: tuple[float, float] | None) -> labels.Value:
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
    return labels.Value(tuple(glyphs), start_row, wrapped=tuple(wrapped))


def _number(rows: list[TextRow], labelled: tuple[TextRow, int] | None) -> labels.Value | None:
    """The 18-character number: after 公民身份号码, else the row that holds 17 digits and a digit or X."""
    if labelled is not None:
        row, end = labelled
        glyphs = tuple(g for g in row.glyphs[end:] if g.char not in "：:")
        return labels.Value(glyphs, row)
    for row in rows:
        digits = sum(g.char.isdigit() for g in row.glyphs)
        if digits >= 15:
            return labels.Value(tuple(g for g in row.glyphs if g.char.isalnum() and g.char.isascii()), row)
    return None
