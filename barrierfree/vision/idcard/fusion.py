"""Fusing the readings of 2–3 frames of one card side, field by field.

One frame can misread one field (a glare speck over a digit); the next frame
rarely misreads the same one the same way. For each field the value most
readings agree on wins, ties going to the higher confidence; the fused fields
are then checked again from scratch, and the share of readings that agree with
each fused value is reported (``field_agreement``).

Two rules keep fusion from doing worse than one frame, or accepting what every
frame alone would refuse:

- A value some frame read without a failed error check on that field beats one
  only flagged frames read, however many agree on it (two frames that both kept
  a piece of the label, or a cut authority, are outvoted by one clean frame); a
  frame whose rows did not fit the labels (a failed whole-card error check) gets
  no vote while a frame without one does.
- What the re-run checks cannot see again (a weak character, low confidence, a
  gap, the rows' fit) is carried over from the cleanest frame behind each kept
  value, and a whole-card failure every voting frame had stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from barrierfree.vision.idcard import cn_ric_back, cn_ric_front, gates
from barrierfree.vision.idcard.fields import FieldText
from barrierfree.vision.idcard.reading import CN_RESIDENT_ID_SIDES, Check, DocumentReading


def _flagged(reading: DocumentReading, name: str, severity: str) -> bool:
    """Whether a failed ``severity`` check of ``reading`` is on field ``name`` (the validity row's checks
    name ``valid_to``, and its start date comes from the same row)."""
    fields = {name, "valid_to"} if name == "valid_from" else {name}
    return any(not c.passed and c.severity == severity and c.field in fields for c in reading.checks)


def _vote(readings: Sequence[DocumentReading], name: str) -> tuple[str, float, DocumentReading] | None:
    """``(value, confidence, the cleanest reading of it)`` of one field: a value some reading
    read without a failed error check on it, then most readings, then the highest confidence."""
    support: dict[str, list[DocumentReading]] = defaultdict(list)
    for reading in readings:
        if name in reading.fields:
            support[reading.fields[name]].append(reading)
    if not support:
        return None

    def rank(item: tuple[str, list[DocumentReading]]) -> tuple[bool, int, float]:
        clean = any(not _flagged(r, name, "error") for r in item[1])
        return clean, len(item[1]), max(r.field_confidence.get(name, 0.0) for r in item[1])

    value, supporters = max(support.items(), key=rank)
    cleanest = min(supporters, key=lambda r: (_flagged(r, name, "error"), _flagged(r, name, "warning"),
                                              -r.field_confidence.get(name, 0.0)))
    return value, cleanest.field_confidence.get(name, 0.0), cleanest


def _carried(kept: dict[str, DocumentReading], voters: Sequence[DocumentReading], rerun: set[str]) -> list[Check]:
    """Failed checks the re-run cannot repeat: each kept value's from its cleanest reading, and the
    whole-card ones every voter had."""
    carried = [c for name, reading in kept.items() for c in reading.checks
               if not c.passed and c.name not in rerun and c.field == name]
    whole = [c for c in voters[0].checks if not c.passed and c.field is None and c.name not in rerun
             and all(any(o.name == c.name and not o.passed for o in r.checks) for r in voters)]
    return list({c.name: c for c in carried + whole}.values())


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
    # A frame whose rows did not fit its labels (a whole-card error) votes only when every frame is one.
    voters = [r for r in same if not any(not c.passed and c.severity == "error" and c.field is None
                                         for c in r.checks)] or same
    best = min(voters, key=lambda r: sum(not c.passed and c.severity == "error" for c in r.checks))
    if len(same) == 1 or kind not in CN_RESIDENT_ID_SIDES:
        agreement = {name: sum(r.fields.get(name) == value for r in same) / len(same) for name, value in best.fields.items()}
        return replace(best, field_agreement=agreement)
    names = [name for reading in voters for name in reading.fields]
    fields, confidence, agreement, kept = {}, {}, {}, {}
    for name in dict.fromkeys(names):
        voted = _vote(voters, name)
        if voted is not None:
            fields[name], confidence[name], kept[name] = voted
            # Over every frame of the side, a frame that cast no vote counting as one that disagrees.
            agreement[name] = sum(r.fields.get(name) == fields[name] for r in same) / len(same)
    fields, checks = _checks(kind, fields, today)
    checks += _carried(kept, voters, {c.name for c in checks})
    minimum_agreement = [Check(f"{name}_frames_disagree", False, f"the frames disagree on the {name.replace('_', ' ')}; "
                               "confirm it with the person", severity="warning", field=name)
                         for name, share in agreement.items() if share <= 0.5]
    return replace(best, fields=fields, field_confidence=confidence, checks=tuple(checks + minimum_agreement),
                   field_agreement=agreement)
