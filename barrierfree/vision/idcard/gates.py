"""Cross-field gates on a resident ID card reading: each a named :class:`Check`.

A value that reads cleanly can still be the wrong row's text (``男民族蒙古`` as
a name); these checks catch what one field alone cannot:

- ``name_form``: 2–15 CJK characters, or a minority name joined by ``·``, and no label word;
- ``address_province`` / ``address_matches_region``: the address begins with a
  province-level name, the one the number's region code names (python-stdnum's
  table; a warning where the code is retired or unknown); ``address_house_number``: each 号 follows a
  numeral (a warning: a lost house number);
- ``issuing_authority_no_label`` / ``issuing_authority_form``: no label word in the authority
  (an error), and it ends as authorities do (公安局, 分局 …; a warning);
- the birth date and sex against a check-digit-valid number are
  :func:`barrierfree.vision.idcard.cn_ric.number_checks`; where they could
  not be read and the number is valid, :func:`front_gates` derives them from it
  and says so (``birth_date_from_number``, ``sex_from_number``);
- ``address_place_from_number``: a misread county-level name set right by the number's region code
  (:mod:`.places`; a warning, so the person confirms it); ``issuing_authority_place`` likewise for the
  place an authority is named after;
- the validity term against the age at issue is
  :func:`barrierfree.vision.idcard.cn_ric_back.pair_checks` (it needs both sides).
"""

from __future__ import annotations

import re

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from barrierfree.vision.idcard.cn_ric import check_digit_ok
from barrierfree.vision.idcard.places import check_authority_place, correct_county
from barrierfree.vision.idcard.reading import Check

#: Province-level divisions as printed at the start of an address (GB/T 2260).
PROVINCES = ("北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市",
             "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
             "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
             "青海省", "宁夏回族自治区", "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区")
#: How an address ends: a house, a room, a village or group (a missing end shows as a bare digit).
ADDRESS_ENDINGS = ("号", "室", "村", "组", "屯", "队", "社", "户", "房", "楼", "栋", "座", "层", "巷", "弄", "里", "院")
AUTHORITY_ENDINGS = ("公安局", "分局", "公安处", "公安分局", "派出所")
#: Words printed as labels; none belongs in a name.
LABEL_WORDS = ("姓名", "性别", "民族", "出生", "住址", "公民", "身份", "号码", "签发", "机关", "有效", "期限")
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff]"
#: A 号 (house number) with no numeral before it: the number was lost (文化巷4号 read 文化巷号, the 4
#: alone on a wrapped line), and nothing else says so.
_UNNUMBERED = re.compile(r"(?:^|[^0-9A-Za-z〇零一二三四五六七八九十百千甲乙丙丁])号")
_NAME = re.compile(rf"^(?:{_CJK}{{2,15}}|{_CJK}{{1,12}}(?:·{_CJK}{{1,12}}){{1,3}})$")


def name_check(name: str) -> Check:
    """``name_form``.

    >>> name_check("张三").passed, name_check("阿依古丽·买买提").passed, name_check("男民族蒙古").passed
    (True, True, False)
    """
    words = [w for w in LABEL_WORDS if w in name]
    ok = bool(_NAME.match(name)) and not words
    return Check("name_form", ok, "2–15 Chinese characters (or a name joined by ·), no label words" if ok
                 else "the name holds a label word or is not 2–15 Chinese characters; it may be another row's text",
                 field="name")


def _province(text: str) -> str | None:
    return next((p for p in PROVINCES if text.startswith(p)), None)


def address_checks(address: str, number: str | None) -> list[Check]:
    """``address_province``, and ``address_matches_region`` when the number is valid.

    >>> [c.passed for c in address_checks("北京市东城区1号", "11010519491231002X")]
    [True, True, True, True]
    >>> [(c.name, c.passed) for c in address_checks("址北京市东城区17", None)]
    [('address_province', False), ('address_complete', False), ('address_house_number', True)]
    """
    province = _province(address)
    checks = [Check("address_province", province is not None, "begins with a province-level name" if province
                    else "does not begin with a province, region or municipality; it may hold a label or another row",
                    field="address")]
    complete = address.endswith(ADDRESS_ENDINGS)
    checks.append(Check("address_complete", complete, "ends as an address does" if complete else
                        "does not end as an address does (号, 室, 村 …): its end may be missing; confirm it",
                        severity="warning", field="address"))
    numbered = not _UNNUMBERED.search(address)
    checks.append(Check("address_house_number", numbered, "each 号 follows its number" if numbered else
                        "a 号 follows no number: the house number may not have been read; confirm it",
                        severity="warning", field="address"))
    if province is None or not number or not check_digit_ok(number):
        return checks
    try:
        coded = ric.get_birth_place(number)["province"]
    except (ValidationError, ValueError, KeyError):
        checks.append(Check("address_matches_region", False, "the number's region code is retired or unknown: "
                            "the address cannot be compared with it", severity="warning", field="address"))
        return checks
    ok = coded == province
    checks.append(Check("address_matches_region", ok, "the address's province is the one the number's region code names"
                        if ok else "the address's province differs from the number's region code", field="address"))
    return checks


def front_gates(fields: dict[str, str], checks: list[Check]) -> tuple[dict[str, str], list[Check]]:
    """The portrait side's cross-field gates, and the birth date and sex derived from a valid number
    where the printed ones could not be read."""
    fields = dict(fields)
    number = fields.get("id_number", "")
    valid_number = check_digit_ok(number)
    unread = {c.name for c in checks if not c.passed and c.name in
              ("birth_date_present", "birth_date_valid", "sex_present", "sex_valid")}
    if valid_number and unread & {"birth_date_present", "birth_date_valid"}:
        fields["birth_date"] = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        checks = [c for c in checks if c.name not in ("birth_date_present", "birth_date_valid")]
        checks.append(Check("birth_date_from_number", False, "the printed birth date could not be read; it was "
                            "taken from the check-digit-valid ID number: confirm it", severity="warning",
                            field="birth_date"))
    if valid_number and unread & {"sex_present", "sex_valid"}:
        fields["sex"] = "男" if int(number[16]) % 2 else "女"
        checks = [c for c in checks if c.name not in ("sex_present", "sex_valid")]
        checks.append(Check("sex_from_number", False, "the printed sex could not be read; it was taken from the "
                            "check-digit-valid ID number: confirm it", severity="warning",
                            field="sex"))
    elif valid_number and _sex_misread(checks):
        fields["sex"] = "男" if int(number[16]) % 2 else "女"
        checks = [c for c in checks if c.name != "id_number_sex"]
        checks.append(Check("sex_from_number", False, "the sex read disagrees with the check-digit-valid ID number "
                            "whose birth date matches the printed one; it was taken from the number: confirm it",
                            severity="warning", field="sex"))
    if "name" in fields:
        checks.append(name_check(fields["name"]))
    if "address" in fields:
        if valid_number:
            fields["address"], corrected = correct_county(fields["address"], number)
            checks += corrected
        checks += address_checks(fields["address"], number if valid_number else None)
    return fields, checks


def _sex_misread(checks: list[Check]) -> bool:
    """Whether the one character 男/女 disagrees with a valid number that the printed birth date confirms
    (glare hid 男, and the closed vocabulary's best guess from the washed-out crop was 女). MOD 11-2 catches
    every single misread digit, and eight of the number's digits match the printed date: the sequence
    digit's parity is far surer than one glared character."""
    failed = {c.name for c in checks if not c.passed}
    confirmed = any(c.name == "id_number_birth_date" and c.passed for c in checks)
    return confirmed and "id_number_sex" in failed


def authority_checks(authority: str) -> list[Check]:
    """``issuing_authority_no_label`` (an error: a label word is another row's text or the label
    itself) and ``issuing_authority_form`` (a warning: it should end as a public security authority
    does; a cut-off end is confirmed with the person).

    >>> [c.passed for c in authority_checks("北京市公安局东城分局")], [c.passed for c in authority_checks("机关北京市公安局")]
    ([True, True], [False, True])
    """
    clean = not any(w in authority for w in LABEL_WORDS)
    ends = authority.endswith(AUTHORITY_ENDINGS)
    return [Check("issuing_authority_no_label", clean, "holds no label word" if clean
                  else "holds a label word: a label or another row was read as the authority",
                  field="issuing_authority"),
            Check("issuing_authority_form", ends, "names a public security authority" if ends
                  else "does not end as an issuing authority does (公安局, 分局 …); confirm it", severity="warning",
                  field="issuing_authority")]


def back_gates(fields: dict[str, str], checks: list[Check]) -> list[Check]:
    """The emblem side's gates (they replace the parser's own form check); a misread place name in the
    authority is set right in ``fields`` (:func:`.places.check_authority_place`)."""
    checks = [c for c in checks if c.name != "issuing_authority_form"]
    if "issuing_authority" in fields:
        fields["issuing_authority"], place = check_authority_place(fields["issuing_authority"])
        checks += authority_checks(fields["issuing_authority"]) + place
    return checks
