"""The emblem side's values: the issuing authority and the validity period beside their labels.

:func:`back_values` reads each value right of its label; with a label unread, the period is found
by its shape and the authority as the line above it. A long authority wraps onto one more line.
"""

from __future__ import annotations

from barrierfree.vision.idcard import cn_labels as labels
from barrierfree.vision.idcard import period
from barrierfree.vision.idcard.reading import Check
from barrierfree.vision.idcard.rows import TextRow

def back_values(rows: list[TextRow]) -> tuple[dict[str, labels.Value], list[Check]]:
    """The emblem side's authority and validity beside their labels. A long authority wraps onto a
    second line between its label's row and the 有效期限 row (:func:`_authority_lines`); the label
    pitch may then span that line too, and no more."""
    found = labels.label_rows(rows, labels.BACK_LABELS)
    column = labels.value_column(found, labels.BACK_LABELS)
    values = {}
    checks = []
    for label, name in zip(labels.BACK_LABELS, ("issuing_authority", "validity")):
        if label in found:
            row, end = found[label]
            values[name] = labels.Value(labels.value_start(row, end, label, column), row)
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
        values["issuing_authority"] = labels.Value(first.glyphs + tuple(g for row in wrapped for g in row.glyphs), first.row)
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
            line = labels.whole_line(min((r for r in below if r.y - top < 0.5 * r.height), key=lambda r: r.box[0]), rows)
            values["validity"] = labels.Value(labels.right_of_label(line, column), line)
    return values, checks


def _period_row(rows: list[TextRow]) -> dict[str, labels.Value]:
    """``{"validity": value}`` from the one period-shaped row (:func:`.period.shaped`), from where the
    period starts (a misread label before it in the same segment is left out); empty when no row, or
    more than one, has that shape."""
    shaped = [(row, at) for row in rows if (at := period.shaped(row.text)) is not None]
    if len(shaped) != 1:
        return {}
    row, at = shaped[0]
    return {"validity": labels.Value(row.glyphs[at:], row)}


def _line_above(rows: list[TextRow], validity: TextRow, column: float | None) -> labels.Value:
    """The authority when its label was not read (签发1): the highest line of text between one row
    pitch, and one row pitch plus a wrapped line, above the validity row (its first line; a second
    line is added by :func:`_authority_lines`), from the value column on (what is left of the
    misread label is a segment of its own, or lies left of the column)."""
    above = [r for r in rows if 4.5 <= validity.y - r.y <= 8.0 + WRAP_PITCH_MM[1] and not any(g.char.isdigit() for g in r.glyphs)]
    if not above:
        return labels.Value((), validity)
    top = min(r.y for r in above)
    line = labels.whole_line(min((r for r in above if r.y - top < 0.5 * r.height), key=lambda r: r.box[0]), rows)
    return labels.Value(labels.right_of_label(line, column), line)


#: How far below an authority's first line its wrapped second line may sit (mm): about one line of
#: 3 mm characters (a card's value rows are 4–5 mm apart).
WRAP_PITCH_MM = (3.2, 5.2)


def _authority_lines(rows: list[TextRow], first: labels.Value, validity_y: float | None) -> list[TextRow]:
    """The wrapped line of a long authority (a card prints at most one): the row one line pitch below
    its first line that starts where the value starts, holds no digit (the validity period does) and
    no label, and lies above the 有效期限 row."""
    if not first.glyphs:
        return []
    x_start, pitch = first.glyphs[0].x_mm, labels.glyph_pitch(first.row)
    for row in sorted(rows, key=lambda r: r.y):
        if (WRAP_PITCH_MM[0] <= row.y - first.row.y <= WRAP_PITCH_MM[1] and abs(row.glyphs[0].x_mm - x_start) < pitch
                and not any(g.char.isdigit() for g in row.glyphs)
                and not any(labels.find_label(row.text, label) for label in labels.BACK_LABELS)
                and (validity_y is None or validity_y - row.y > 0.5 * row.height)):
            return [row]
    return []
