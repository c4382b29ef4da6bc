"""The county-level name in an address, set right by the ID number's region code when one character
of it was misread (云南省西涛县 for 云南省西畴县).

The number's first six digits name the county where it was issued (python-stdnum's GB/T 2260
table). Most people live where their number was issued, but not all: a name is corrected only
when what was read is no place name at all (西涛县 is none) and differs from the code's county by
exactly one character, with the same length and ending. A person from 东城区 living in 西城区
keeps 西城区: it is a real name. The correction is a warning check (``address_place_from_number``),
so the person confirms the address; nothing is accepted that was not read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from barrierfree.vision.idcard.reading import Check


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every province-, prefecture- and county-level name in python-stdnum's region table, past and
    present (``[1983-]五华区`` gives 五华区). The table is read from the file ``stdnum.cn.ric`` uses,
    since its look-up object cannot list its entries."""
    names: set[str] = set()
    for line in files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8").splitlines():
        for quoted in re.findall(r'"([^"]*)"', line):
            names.update(re.sub(r"^\[[^\]]*\]", "", part) for part in quoted.split(","))
    return frozenset(name for name in names if len(name) >= 2)


#: The characters that end a place name's level: one read where the county has another character is a
#: level read right (贵州省安县, 瓮 lost to glare, is no misread 瓮安县 to set), not a misread.
LEVEL_SUFFIXES = "省市区县州盟旗"


def _one_off(read: str, name: str) -> bool:
    differ = [(a, b) for a, b in zip(read, name) if a != b]
    return len(read) == len(name) and read[-1] == name[-1] and len(differ) == 1 and differ[0][0] not in LEVEL_SUFFIXES


def _inside_known(address: str, start: int, size: int, known: frozenset[str]) -> bool:
    """Whether ``address[start:start + size]`` is part of a longer place name printed whole: 麓区 of
    岳麓区. A code's county can have been renamed since the birth year the table is read for
    (430104 was 西区 in 1985, 岳麓区 since 1996); the tail of today's name is then one character
    from the old one, yet nothing was misread.

    >>> _inside_known("湖南省长沙市岳麓区青年大街", 7, 2, place_names()), _inside_known("云南省西涛县", 3, 3, place_names())
    (True, False)
    """
    end = start + size
    return any(address[a:b] in known for a in range(max(0, start - 6), start + 1)
               for b in range(end, min(len(address), end + 6) + 1) if b - a > size)


def correct_county(address: str, number: str) -> tuple[str, list[Check]]:
    """``(address, checks)``: the address with its county-level name set to the one the valid
    ``number``'s region code names where one character of it was misread, and the warning that says so.

    >>> correct_county("云南省西涛县放民路132号", "532623197306145460")[0]
    '云南省西畴县放民路132号'
    >>> correct_county("北京市西城区1号", "11010519491231002X") == ("北京市西城区1号", [])
    True
    """
    try:
        county = ric.get_birth_place(number).get("county", "")
    except (ValidationError, ValueError, KeyError):
        return address, []
    if len(county) < 2 or county in address:
        return address, []
    known = place_names()
    for start in range(len(address) - len(county) + 1):
        read = address[start:start + len(county)]
        if _one_off(read, county) and read not in known and not _inside_known(address, start, len(county), known):
            fixed = address[:start] + county + address[start + len(county):]
            return fixed, [Check("address_place_from_number", False, "a character of the county-level name was "
                                 "read wrong; it was set to the one the ID number's region code names: confirm the "
                                 "address", severity="warning", field="address")]
    return address, []


def check_authority_place(authority: str) -> tuple[str, list[Check]]:
    """``(authority, checks)``: the place an authority is named after (what precedes 公安局) must be a
    place name. A name that is none is a misread (濉溪县公安局 read 滩溪县公安局): it is set to the one
    place name one character away when there is exactly one, and either way a warning
    (``issuing_authority_place``) asks the person to confirm the authority.

    >>> [(c.name, c.severity) for c in check_authority_place("滩溪县公安局")[1]]  # 濉溪县, 泸溪县, 绩溪县 …
    [('issuing_authority_place', 'warning')]
    >>> check_authority_place("积石山保安族东乡族撤拉族自治县公安局")[0], check_authority_place("北京市公安局朝阳分局")
    ('积石山保安族东乡族撒拉族自治县公安局', ('北京市公安局朝阳分局', []))
    """
    place, bureau, rest = authority.partition("公安局")
    known = place_names()
    if not bureau or len(place) < 2 or place in known:
        return authority, []
    near = [name for name in known if _one_off(place, name)]
    fixed = near[0] + bureau + rest if len(near) == 1 else authority
    return fixed, [Check("issuing_authority_place", False, "the place the authority is named after is no place "
                         "name as read" + ("; it was set to the one place name a character away" if len(near) == 1
                                           else "") + ": confirm the authority", severity="warning",
                         field="issuing_authority")]
