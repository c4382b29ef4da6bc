"""The portrait side of a PRC resident ID card: name, sex, ethnicity, birth date, address, number.

:func:`parse` turns what the recogniser read beside each label
(:mod:`.cn_labels`) into fields and named checks.

>>> from barrierfree.vision.idcard.fields import FieldText as F
>>> fields, _, checks = parse({"name": F((("张三", 0.99),)), "sex": F((("男", 0.99),)),
...     "ethnicity": F((("汉", 0.99),)), "birth_date": F((("1949年12月31日", 0.99),)),
...     "address": F((("北京市东城区", 0.9), ("1号", 0.9))), "id_number": F((("110101194912310016", 0.99),))},
...     today=date(2024, 1, 1))
>>> fields["birth_date"], fields["address"], [c.name for c in checks if not c.passed]
('1949-12-31', '北京市东城区1号', [])
"""

from __future__ import annotations

import re
from datetime import date

from barrierfree.vision.idcard.cn_ric import number_checks, repair_number
from barrierfree.vision.idcard.ethnicities import ETHNICITIES
from barrierfree.vision.idcard.fields import FieldText
from barrierfree.vision.idcard.reading import Check

#: Read but not certain: the recogniser cannot spell 仫, so a 仫佬 card can read as 仡佬, and 仫佬
#: itself is only ever chosen as the one official name that fits (the closed vocabulary's upper bound).
AMBIGUOUS_ETHNICITIES = frozenset({"仡佬", "仫佬"})
LABELS = ("公民身份号码", "姓名", "性别", "民族", "出生", "住址")


def strip_labels(text: str) -> str:
    """Drop a label the crop still caught at the start (``民族汉`` → ``汉``)."""
    text = text.strip().replace(" ", "")
    for label in LABELS:
        if text.startswith(label):
            return text[len(label):]
    return text


def _address(found: FieldText) -> str:
    """The address lines merged in order, without the label 住址 or its tail 址 caught by a loose crop
    (no Chinese place name starts with 址).

    >>> from barrierfree.vision.idcard.fields import FieldText as F
    >>> _address(F((("址云南省大姚县东光路21号", 0.9), ("105室", 0.9))))
    '云南省大姚县东光路21号105室'
    """
    text = "".join(strip_labels(t) for t, _ in found.lines)
    return text[1:] if text.startswith("址") else text


#: Marks the recogniser adds at a name's ends (许一 read 许一—: the stroke 一 seen twice); no name
#: begins or ends with one (a minority name's · is inside it).
_NAME_END_MARKS = "—–-_.。·、,，'‘’\""
#: Marks that are the one horizontal stroke of 一 read as a dash (胡梓一 read 胡梓——).
_STROKE_MARKS = "—–-_"


#: A mark between two Chinese characters that is the middle dot of a minority name read as another
#: mark (热依拉·艾山 read 热依拉-艾山): no Chinese name holds a hyphen or a full stop. A long dash is not
#: one of them: it is more likely the stroke 一 (王一博).
_MIDDLE_DOT_LOOKALIKE = re.compile(r"(?<=[\u3400-\u9fff])[-.．・•‧∙]+(?=[\u3400-\u9fff])")


def _name(name: str, checks: list[Check]) -> tuple[str, list[Check]]:
    """The name without marks at its ends; a warning when one was dropped or set, since the mark may
    have been a character misread (the person confirms the name). A run of dashes at the end is the
    stroke 一 (胡梓一 read 胡梓——), unless a 一 was read just before it (许一 read 许一—: seen twice).

    >>> _name("许一—", [])[0], _name("胡梓——", [])[0], _name("阿依古丽·买买提", [])
    ('许一', '胡梓一', ('阿依古丽·买买提', []))
    >>> _name("热依拉-艾山", [])[0]
    '热依拉·艾山'
    """
    joined = _MIDDLE_DOT_LOOKALIKE.sub("·", name)
    if joined != name:
        checks = checks + [Check("name_middle_dot", False, "a mark between the parts of the name was read as the "
                                 "middle dot · that joins a minority name; confirm the name", severity="warning",
                                 field="name")]
        name = joined
    stripped = name.strip(_NAME_END_MARKS)
    if stripped == name or not stripped:
        return name, checks
    tail = name[len(name.rstrip(_NAME_END_MARKS)):]
    if tail and set(tail) <= set(_STROKE_MARKS) and not stripped.endswith("一"):
        stripped += "一"
    return stripped, checks + [Check("name_end_mark", False, "a mark read at an end of the name was dropped or read "
                                     "as 一; confirm the name", severity="warning", field="name")]


def birth_date(text: str) -> str | None:
    """The ISO date printed as ``1949年12月31日`` (or with its 日 lost), ``None`` when it is no date."""
    match = re.search(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})", text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _ethnicity(text: str) -> tuple[str, bool]:
    text = text.removesuffix("族")
    return text, text in ETHNICITIES


def parse(read: dict[str, FieldText], today: date | None = None) -> tuple[dict[str, str], dict[str, float], list[Check]]:
    """``(fields, confidence per field, checks)`` from the recognised values."""
    today = today or date.today()
    fields: dict[str, str] = {}
    confidence: dict[str, float] = {}
    checks: list[Check] = []
    for name in ("name", "sex", "ethnicity", "birth_date", "address", "id_number"):
        found = read.get(name)
        if found is None or not found.text:
            checks.append(Check(f"{name}_present", False, f"the {name.replace('_', ' ')} could not be read; retake the photo",
                                field=name))
            continue
        confidence[name] = found.confidence
        fields[name] = strip_labels(found.text) if name != "address" else _address(found)
    if "name" in fields:
        fields["name"], checks = _name(fields["name"], checks)
    if "sex" in fields:
        ok = fields["sex"] in ("男", "女")
        checks.append(Check("sex_valid", ok, "sex is 男 or 女" if ok else "sex is neither 男 nor 女", field="sex"))
    if "ethnicity" in fields:
        fields["ethnicity"], ok = _ethnicity(fields["ethnicity"])
        checks.append(Check("ethnicity_known", ok, "one of the 56 official ethnic groups" if ok
                            else "not one of the 56 official ethnic groups", field="ethnicity"))
        if fields["ethnicity"] in AMBIGUOUS_ETHNICITIES:
            checks.append(Check("ethnicity_unambiguous", False, "仡佬 and 仫佬 cannot be told apart by the recogniser "
                                "(仫 is not in its character set); confirm it with the person", severity="warning",
                                field="ethnicity"))
    printed_birth = None
    if "birth_date" in fields:
        printed_birth = birth_date(fields["birth_date"])
        ok = printed_birth is not None and printed_birth <= today.isoformat()
        fields["birth_date"] = printed_birth or fields["birth_date"]
        checks.append(Check("birth_date_valid", ok, "printed birth date is a past calendar date" if ok
                            else "printed birth date is not a past calendar date", field="birth_date"))
    if "id_number" in fields:
        fields["id_number"], repairs = repair_number(fields["id_number"])
        checks += number_checks(fields["id_number"], repairs, printed_birth, fields.get("sex"), today)
    return fields, confidence, checks
