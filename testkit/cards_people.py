"""People and documents for the card renderers (layer 1 of :mod:`testkit.cards`).

:func:`random_cn_person` draws a consistent resident (GB 11643 number with a real region code
from python-stdnum's table, birth date, sex parity, issuing authority, validity by age);
:func:`random_mrz_document` draws an ICAO 9303 TD1/TD2/TD3 document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from barrierfree.vision.idcard.ethnicities import ETHNICITIES
from barrierfree.vision.mrz.zone import check_digit


#: Printed size of each format, millimetres (ISO/IEC 7810 ID-1, ID-2, ID-3).
SIZES_MM = {"id1": (85.6, 53.98), "id2": (105.0, 74.0), "id3": (125.0, 88.0)}
#: Which ISO size each document type is printed on.
FORMAT_OF = {"cn_resident_id_front": "id1", "cn_resident_id_back": "id1",
             "mrz_td1": "id1", "mrz_td2": "id2", "mrz_td3": "id3"}
PORTRAITS = ("astronaut", "obama", "obama2", "obama3", "biden")


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = ("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉萍红兰建文辉力永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发成康星光天达安岩中茂进林有坚和彪博诚先敬"
          "震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
_ROADS = "人民解放建设中山和平胜利新华文化光明幸福长江黄河东风朝阳"
_MRZ_SURNAMES = ("ERIKSSON", "MUSTERMANN", "SMITH", "GARCIA", "NGUYEN", "KOWALSKA", "OBRIEN", "SCHMIDT", "ROSSI", "TANAKA")
_MRZ_GIVEN = ("ANNA", "MARIA", "JOHN", "PETER", "LI", "ERIKA", "JOSE", "YUKI", "OLGA", "SAMUEL")
_COUNTRIES = ("UTO", "D<<", "GBR", "FRA", "CHN", "USA", "NLD", "ITA", "JPN", "CAN")


@dataclass(frozen=True)
class CnPerson:
    """What a Chinese resident ID card says, front and back (dates as ISO strings)."""

    name: str
    sex: str
    ethnicity: str
    birth_date: str
    address: str
    id_number: str
    issuing_authority: str
    valid_from: str
    valid_to: str
    portrait: str = "astronaut"

    def front_fields(self) -> dict[str, str]:
        return {"name": self.name, "sex": self.sex, "ethnicity": self.ethnicity,
                "birth_date": self.birth_date, "address": self.address, "id_number": self.id_number}

    def back_fields(self) -> dict[str, str]:
        return {"issuing_authority": self.issuing_authority, "valid_from": self.valid_from, "valid_to": self.valid_to}


@dataclass(frozen=True)
class MrzDocument:
    """An ICAO 9303 document: its kind (``td1``/``td2``/``td3``), MRZ lines and expected fields."""

    kind: str
    lines: tuple[str, ...]
    fields: dict[str, str]
    portrait: str = "astronaut"


def _current_name(entry: str) -> str | None:
    """The name an entry of the region table holds today (``[1997-]曲靖市`` -> 曲靖市), ``None`` if retired."""
    last = entry.split(",")[-1]
    if last.startswith("[") and not last.split("]")[0].endswith("-"):
        return None  # [-1998]东川市: retired
    return re.sub(r"^\[[^\]]*\]", "", last)


def _regions() -> list[tuple[str, str, str, str]]:
    """Current (unretired) county-level codes in python-stdnum's region table: (code, province, county,
    prefecture). The prefecture is the city or autonomous prefecture over the county (the province
    itself for the four municipalities, whose ``0100`` entry is 市辖区): district police are its branches.

    ``stdnum.numdb`` answers look-ups but cannot list its entries, so this reads
    the same ``cn/loc.dat`` file that ``stdnum.cn.ric.validate`` consults.
    """
    from importlib.resources import files

    regions, prefix, province = [], "", ""
    prefectures: dict[str, str] = {}
    for raw in files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if not raw.startswith(" "):
            prefix, _, rest = raw.partition(" ")
            province = rest.split('"')[1]
            continue
        suffix, _, rest = raw.strip().partition(" ")
        county = rest.split('"')[1]
        if suffix.endswith("00") and suffix != "0000":
            name = _current_name(county)
            # The municipalities' 市辖区/县 and a province's directly governed counties have no city above them.
            prefectures[prefix + suffix[:2]] = province if name in (None, "市辖区", "县") or "直辖" in name else name
        if "[" in county or suffix.endswith("00") or county in ("市辖区", "县"):
            continue
        regions.append((prefix + suffix, province, county, prefectures.get(prefix + suffix[:2], province)))
    return regions


@lru_cache(maxsize=1)
def _region_table() -> list[tuple[str, str, str, str]]:
    return _regions()


def id_number(region: str, birth: date, sequence: int) -> str:
    """A GB 11643 number: region, birth date, 3-digit sequence (odd for men) and the MOD 11-2 check digit."""
    from stdnum.cn.ric import calc_check_digit

    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + calc_check_digit(body + "0")


def _validity(birth: date, issued: date) -> str:
    """GB 11643 / 居民身份证法 art. 5: under 16: 5 years, 16–25: 10, 26–45: 20, 46 and over: long-term."""
    age = issued.year - birth.year - ((issued.month, issued.day) < (birth.month, birth.day))
    years = 5 if age < 16 else 10 if age <= 25 else 20 if age <= 45 else None
    if years is None:
        return "long-term"
    try:
        return issued.replace(year=issued.year + years).isoformat()
    except ValueError:  # 29 February
        return issued.replace(year=issued.year + years, day=28).isoformat()


def _authority(prefecture: str, county: str, draw: float) -> str:
    """The issuing authority as real cards print it, whole (a long one wraps onto a second line):
    a county or county-level city's own bureau (洱源县公安局, 双江拉祜族佤族布朗族傣族自治县公安局), a
    district's branch of its city's bureau (北京市公安局朝阳分局, 昆明市公安局盘龙分局), or, for a
    district's resident, now and then the city's bureau itself (``draw`` < 0.2).

    >>> _authority("大理白族自治州", "洱源县", 0.5), _authority("北京市", "朝阳区", 0.5), _authority("北京市", "朝阳区", 0.1)
    ('洱源县公安局', '北京市公安局朝阳分局', '北京市公安局')
    """
    if not county.endswith("区") or county.endswith("林区"):  # 神农架林区 has a bureau of its own
        return f"{county}公安局"
    if draw < 0.2:
        return f"{prefecture}公安局"
    stem = county[:-1] if len(county) > 2 and not county.endswith("特区") else county  # 城区, 六枝特区 keep 区
    return f"{prefecture}公安局{stem}分局"


def random_cn_person(rng: np.random.Generator, today: date) -> CnPerson:
    """A consistent, fictitious resident whose card is valid on ``today`` (a parameter: the draws depend on it)."""
    region, province, county, prefecture = _region_table()[int(rng.integers(len(_region_table())))]
    birth = date(1940, 1, 1) + timedelta(days=int(rng.integers(0, (date(2012, 12, 31) - date(1940, 1, 1)).days)))
    sex = "男" if rng.random() < 0.5 else "女"
    sequence = int(rng.integers(0, 500)) * 2 + (1 if sex == "男" else 0)
    while True:  # issued at some point after 16 (or at 5) so that it is still valid today
        issued = today - timedelta(days=int(rng.integers(30, 365 * 9)))
        if issued > birth + timedelta(days=365 * 5):
            valid_to = _validity(birth, issued)
            if valid_to == "long-term" or date.fromisoformat(valid_to) > today:
                break
    given = "".join(rng.choice(list(_GIVEN), size=int(rng.integers(1, 3))))
    surname = str(rng.choice(list(_SURNAMES)))
    road = "".join(rng.choice(list(_ROADS), size=2)) + ("路" if rng.random() < 0.6 else "街")
    address = f"{province}{county}{road}{int(rng.integers(1, 300))}号"
    if rng.random() < 0.6:
        address += f"{int(rng.integers(1, 30))}栋{int(rng.integers(1, 9))}单元{int(rng.integers(101, 2800))}室"
    ethnicity = "汉" if rng.random() < 0.5 else str(rng.choice(ETHNICITIES))
    authority = _authority(prefecture, county, rng.random())
    return CnPerson(
        name=surname + given, sex=sex, ethnicity=ethnicity, birth_date=birth.isoformat(), address=address,
        id_number=id_number(region, birth, sequence), issuing_authority=authority,
        valid_from=issued.isoformat(), valid_to=valid_to, portrait=str(rng.choice(PORTRAITS)),
    )


def _mrz_date(value: date) -> str:
    return f"{value:%y%m%d}"


def _name_field(surname: str, given: str, width: int) -> str:
    return (surname + "<<" + given.replace(" ", "<") + "<" * width)[:width]


def random_mrz_document(rng: np.random.Generator, kind: str, today: date) -> MrzDocument:
    """A fictitious ICAO 9303 document of ``kind`` (``td1``, ``td2``, ``td3``), valid on ``today``, with correct check digits."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    number = "".join(str(rng.choice(list(letters))) if i < 2 and rng.random() < 0.5 else str(int(rng.integers(10)))
                     for i in range(9))
    state = str(rng.choice(_COUNTRIES))
    nationality = str(rng.choice(_COUNTRIES))
    birth = date(1945, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 60)))
    expiry = today + timedelta(days=int(rng.integers(60, 365 * 9)))
    sex = str(rng.choice(["M", "F"]))
    surname = str(rng.choice(_MRZ_SURNAMES))
    given = " ".join(rng.choice(_MRZ_GIVEN, size=int(rng.integers(1, 3)), replace=False))
    optional = "".join(str(int(rng.integers(10))) for _ in range(int(rng.integers(0, 8))))
    b, e = _mrz_date(birth), _mrz_date(expiry)
    if kind == "td1":
        top = f"I<{state}{number}{check_digit(number)}" + (optional + "<" * 15)[:15]
        middle = f"{b}{check_digit(b)}{sex}{e}{check_digit(e)}{nationality}" + "<" * 11
        middle += check_digit(top[5:30] + middle[0:7] + middle[8:15] + middle[18:29])
        lines: tuple[str, ...] = (top, middle, _name_field(surname, given, 30))
    else:
        width = 36 if kind == "td2" else 44
        code = "I<" if kind == "td2" else "P<"
        top = code + state + _name_field(surname, given, width - 5)
        opt_width = 7 if kind == "td2" else 14
        opt = (optional + "<" * opt_width)[:opt_width]
        bottom = f"{number}{check_digit(number)}{nationality}{b}{check_digit(b)}{sex}{e}{check_digit(e)}{opt}"
        if kind == "td3":
            bottom += check_digit(opt) if optional else "<"
        bottom += check_digit(bottom[0:10] + bottom[13:20] + bottom[21:])
        lines = (top, bottom)
    fields = {"document_code": lines[0][0:2].rstrip("<"), "issuing_state": state.replace("<", ""),
              "surname": surname, "given_names": given, "document_number": number,
              "nationality": nationality.replace("<", ""), "birth_date": birth.isoformat(), "sex": sex,
              "expiry_date": expiry.isoformat(), "optional_data": optional}
    return MrzDocument(kind, lines, fields, portrait=str(rng.choice(PORTRAITS)))
