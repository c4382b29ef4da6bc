"""Fusing the readings of 2–3 frames of one card side, field by field.

One frame can misread one field (a glare speck over a digit); the next frame
rarely misreads the same one the same way. For each field the value most
readings agree on wins, ties going to the higher confidence; the fused fields
are then checked again from scratch, and the share of readings that agree with
each fused value is reported (``field_agreement``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from barrierfree.vision.idcard import cn_ric_back, cn_ric_front, gates
from barrierfree.vision.idcard.fields import FieldText
from barrierfree.vision.idcard.reading import CN_RESIDENT_ID_SIDES, Check, DocumentReading


def _vote(readings: Sequence[DocumentReading], name: str) -> tuple[str, float, float] | None:
    """``(value, confidence, agreement)`` of one field: most readings, then highest confidence."""
    support: dict[str, list[float]] = defaultdict(list)
    for reading in readings:
        if name in reading.fields:
            support[reading.fields[name]].append(reading.field_confidence.get(name, 0.0))
    if not support:
        return None
    value, scores = max(support.items(), key=lambda item: (len(item[1]), max(item[1])))
    return value, max(scores), len(scores) / len(readings)


def _checks(document_type: str, fields: dict[str, str], today: date) -> tuple[dict[str, str], list[Check]]:
    """The checks of a reading with these fields, run again on the fused values."""
    if document_type == "cn_resident_id_front":
        read = {name: FieldText(((value, 1.0),)) for name, value in fields.items()}
        parsed, _, checks = cn_ric_front.parse(read, today)
        return gates.front_gates(parsed, checks)
    if document_type == "cn_resident_id_back":
        end = "长期" if fields.get("valid_to") == cn_ric_back.LONG_TERM else fields.get("valid_to", "").replace("-", ".")
        read = {"validity": FieldText(((f"{fields.get('valid_from', '').replace('-', '.')}-{end}", 1.0),))}
        if "issuing_authority" in fields:
            read["issuing_authority"] = FieldText(((fields["issuing_authority"], 1.0),))
        parsed, _, checks = cn_ric_back.parse(read, today)
        return parsed, gates.back_gates(parsed, checks)
    return fields, []


def fuse(readings: Sequence[DocumentReading], today: date | None = None) -> DocumentReading:
    """One reading from several of the same side (the most common document type among them).

    With one reading, or for an MRZ (whose check digits already decide), the best
    single reading is returned with full agreement.
    """
    today = today or date.today()
    known = [r for r in readings if r.document_type != "unknown"]
    if not known:
        return readings[-1]
    kinds = defaultdict(list)
    for reading in known:
        kinds[reading.document_type].append(reading)
    kind, same = max(kinds.items(), key=lambda item: len(item[1]))
    best = min(same, key=lambda r: sum(not c.passed and c.severity == "error" for c in r.checks))
    if len(same) == 1 or kind not in CN_RESIDENT_ID_SIDES:
        agreement = {name: sum(r.fields.get(name) == value for r in same) / len(same) for name, value in best.fields.items()}
        return replace(best, field_agreement=agreement)
    names = [name for reading in same for name in reading.fields]
    fields, confidence, agreement = {}, {}, {}
    for name in dict.fromkeys(names):
        voted = _vote(same, name)
        if voted is not None:
            fields[name], confidence[name], agreement[name] = voted
    fields, checks = _checks(kind, fields, today)
    minimum_agreement = [Check(f"{name}_frames_disagree", False, f"the frames disagree on the {name.replace('_', ' ')}; "
                               "confirm it with the person", severity="warning", field=name)
                         for name, share in agreement.items() if share <= 0.5]
    return replace(best, fields=fields, field_confidence=confidence, checks=tuple(checks + minimum_agreement),
                   field_agreement=agreement)
