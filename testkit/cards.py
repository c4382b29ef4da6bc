"""Realistic phone photos of identity documents, for tests, benchmarks and simulations.

Three layers, each usable on its own:

1. **People and documents** — :func:`random_cn_person` draws a consistent
   resident (GB 11643 number with a real region code from python-stdnum's
   table, birth date, sex parity, issuing authority, validity by age);
   :func:`random_mrz_document` draws an ICAO 9303 TD1/TD2/TD3 document.
2. **Flat textures** — :func:`render_card` draws a side as an upright RGB
   array at ``px_per_mm`` (Noto CJK for Chinese, OCR-B for the MRZ and the ID
   number, a real portrait from :func:`testkit.photos.load`). The
   guidance engineer projects these textures with a virtual phone camera.
3. **Scenes** — :func:`render_scene` lays a texture on a table and photographs
   it with a pinhole camera at a :class:`CameraPose`; :func:`random_photo`
   draws a pose and photographic faults (background clutter, rotation up to
   30°, blur, noise, glare, low light, JPEG) and returns the truth with it.

Geometry: document coordinates are millimetres from the printed top-left
corner, x right, y down. Image points are pixels, origin top-left.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw

from testkit.photos import load
from testkit.text import font
from barrierfree.vision.idcard.ethnicities import ETHNICITIES
from barrierfree.vision.mrz.zone import check_digit

#: Printed size of each format, millimetres (ISO/IEC 7810 ID-1, ID-2, ID-3).
SIZES_MM = {"id1": (85.6, 53.98), "id2": (105.0, 74.0), "id3": (125.0, 88.0)}
#: Which ISO size each document type is printed on.
FORMAT_OF = {"cn_resident_id_front": "id1", "cn_resident_id_back": "id1",
             "mrz_td1": "id1", "mrz_td2": "id2", "mrz_td3": "id3"}
PORTRAITS = ("astronaut", "obama", "obama2", "obama3", "biden")
BACKGROUNDS = ("wood", "cloth", "brick", "gravel", "grass", "coffee", "chelsea", "rocket", "page", "text",
               "camera", "coins", "motorcycle_left", "hubble_deep_field", "dark", "desk")
#: Background photos shipped inside scikit-image's wheel (file names in ``skimage.data_dir``).
_PHOTO_FILES = {"brick": "brick.png", "gravel": "gravel.png", "grass": "grass.png", "coffee": "coffee.png",
                "chelsea": "chelsea.png", "rocket": "rocket.jpg", "page": "page.png", "text": "text.png",
                "camera": "camera.png", "coins": "coins.png", "motorcycle_left": "motorcycle_left.png",
                "hubble_deep_field": "hubble_deep_field.jpg"}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = ("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉萍红兰建文辉力永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发成康星光天达安岩中茂进林有坚和彪博诚先敬"
          "震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
_ROADS = "人民解放建设中山和平胜利新华文化光明幸福长江黄河东风朝阳"
_MRZ_SURNAMES = ("ERIKSSON", "MUSTERMANN", "SMITH", "GARCIA", "NGUYEN", "KOWALSKA", "OBRIEN", "SCHMIDT", "ROSSI", "TANAKA")
_MRZ_GIVEN = ("ANNA", "MARIA", "JOHN", "PETER", "LI", "ERIKA", "JOSE", "YUKI", "OLGA", "SAMUEL")
_COUNTRIES = ("UTO", "D<<", "GBR", "FRA", "CHN", "USA", "NLD", "ITA", "JPN", "CAN")

_LABEL_BLUE = (34, 110, 175)
_INK = (18, 18, 22)


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


def _regions() -> list[tuple[str, str, str]]:
    """Current (unretired) county-level codes in python-stdnum's region table: (code, province, county).

    ``stdnum.numdb`` answers look-ups but cannot list its entries, so this reads
    the same ``cn/loc.dat`` file that ``stdnum.cn.ric.validate`` consults.
    """
    from importlib.resources import files

    regions, prefix, province = [], "", ""
    for raw in files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if not raw.startswith(" "):
            prefix, _, rest = raw.partition(" ")
            province = rest.split('"')[1]
            continue
        suffix, _, rest = raw.strip().partition(" ")
        county = rest.split('"')[1]
        if "[" in county or suffix.endswith("00") or county in ("市辖区", "县"):
            continue
        regions.append((prefix + suffix, province, county))
    return regions


@lru_cache(maxsize=1)
def _region_table() -> list[tuple[str, str, str]]:
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


def random_cn_person(rng: np.random.Generator, today: date) -> CnPerson:
    """A consistent, fictitious resident whose card is valid on ``today`` (a parameter: the draws depend on it)."""
    region, province, county = _region_table()[int(rng.integers(len(_region_table())))]
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
    city = county if county.endswith(("市", "县")) else province
    authority = f"{city}公安局" if rng.random() < 0.5 else f"{province.rstrip('省市')}公安局{county}分局"
    return CnPerson(
        name=surname + given, sex=sex, ethnicity=ethnicity, birth_date=birth.isoformat(), address=address,
        id_number=id_number(region, birth, sequence), issuing_authority=authority[:15],
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


# --- flat textures ---------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _portrait_photo(name: str) -> np.ndarray:
    """A head-and-shoulders crop (3:4, width:height) of a real photo, found with the face mesh once."""
    from barrierfree.vision.face.mesh import still_mesh

    photo = load(name)
    faces = still_mesh().landmarks(photo)
    h, w = photo.shape[:2]
    if faces:
        xs, ys = faces[0][:, 0], faces[0][:, 1]
        cx, cy, size = float(xs.mean()), float(ys.mean()), float(max(np.ptp(xs), np.ptp(ys)))
    else:
        cx, cy, size = w / 2, h / 2, min(w, h) / 2.5
    crop_w = min(size * 1.9, w)
    crop_h = min(crop_w * 4 / 3, h)
    x0 = int(np.clip(cx - crop_w / 2, 0, w - crop_w))
    y0 = int(np.clip(cy - crop_h * 0.45, 0, h - crop_h))
    return np.ascontiguousarray(photo[y0:y0 + int(crop_h), x0:x0 + int(crop_w)])


def _guilloche(width: int, height: int, tint: tuple[int, int, int], seed: int) -> Image.Image:
    """A pale security-print background: a tint gradient and fine wavy lines."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.ones((height, width, 3), np.float32) * 244
    wave = np.sin(x / width * 18 + np.sin(y / height * 7) * 2.5) * np.cos(y / height * 11 + x / width * 3)
    for channel in range(3):
        base[:, :, channel] -= (255 - tint[channel]) * (0.25 + 0.1 * wave) + rng.normal(0, 1.2, (height, width))
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


class _Card:
    """Draws on an upright document in millimetre coordinates."""

    def __init__(self, fmt: str, px_per_mm: float, tint: tuple[int, int, int], seed: int) -> None:
        self.mm = px_per_mm
        w_mm, h_mm = SIZES_MM[fmt]
        self.image = _guilloche(round(w_mm * px_per_mm), round(h_mm * px_per_mm), tint, seed)
        self.draw = ImageDraw.Draw(self.image)

    def text(self, x_mm: float, y_mm: float, text: str, size_mm: float, kind: str = "sans",
             fill: tuple[int, int, int] = _INK, spacing_mm: float = 0.0) -> float:
        """Draw ``text`` with its cap line at ``y_mm``; returns the x (mm) where it ends."""
        face = font(kind, max(6, round(size_mm * self.mm)))
        top = face.getbbox("国A")[1]
        x = x_mm * self.mm
        if spacing_mm:
            for char in text:
                self.draw.text((x, y_mm * self.mm - top), char, font=face, fill=fill)
                x += face.getlength(char) + spacing_mm * self.mm
            return x / self.mm
        self.draw.text((x, y_mm * self.mm - top), text, font=face, fill=fill)
        return (x + face.getlength(text)) / self.mm

    def photo(self, name: str, box_mm: tuple[float, float, float, float], *, fade: bool = True) -> None:
        x0, y0, x1, y1 = (round(v * self.mm) for v in box_mm)
        portrait = cv2.resize(_portrait_photo(name), (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
        region = np.asarray(self.image)[y0:y1, x0:x1].astype(np.float32)
        alpha = np.ones(portrait.shape[:2], np.float32)
        if fade:  # the printed photo's light background blends into the card
            yy, xx = np.mgrid[0:alpha.shape[0], 0:alpha.shape[1]]
            alpha = np.clip(1.6 - np.hypot((xx / alpha.shape[1] - 0.5) * 2.2, (yy / alpha.shape[0] - 0.55) * 1.6), 0, 1)
        mixed = region * (1 - alpha[..., None]) + portrait.astype(np.float32) * alpha[..., None]
        self.image.paste(Image.fromarray(mixed.astype(np.uint8)), (x0, y0))

    def array(self) -> np.ndarray:
        return np.asarray(self.image.convert("RGB"))


def _wrap(text: str, per_line: int) -> list[str]:
    return [text[i:i + per_line] for i in range(0, len(text), per_line)]


def _cn_front(person: CnPerson, px_per_mm: float, seed: int) -> np.ndarray:
    card = _Card("id1", px_per_mm, (222, 232, 240), seed)
    label, value = 2.6, 3.1
    card.text(5.0, 6.5, "姓 名", label, fill=_LABEL_BLUE)
    card.text(14.0, 6.2, person.name, value + 0.4)
    card.text(5.0, 13.0, "性 别", label, fill=_LABEL_BLUE)
    card.text(14.0, 12.8, person.sex, value)
    card.text(23.5, 13.0, "民 族", label, fill=_LABEL_BLUE)
    card.text(32.5, 12.8, person.ethnicity, value)
    card.text(5.0, 19.5, "出 生", label, fill=_LABEL_BLUE)
    year, month, day = person.birth_date.split("-")
    x = card.text(14.0, 19.3, year, value)
    x = card.text(x + 1.0, 19.5, "年", label, fill=_LABEL_BLUE)
    x = card.text(x + 1.0, 19.3, str(int(month)), value)
    x = card.text(x + 1.0, 19.5, "月", label, fill=_LABEL_BLUE)
    x = card.text(x + 1.0, 19.3, str(int(day)), value)
    card.text(x + 1.0, 19.5, "日", label, fill=_LABEL_BLUE)
    card.text(5.0, 26.0, "住 址", label, fill=_LABEL_BLUE)
    for row, line in enumerate(_wrap(person.address, 11)[:3]):
        card.text(14.0, 25.8 + row * 4.6, line, value)
    card.text(5.0, 45.5, "公民身份号码", label, fill=_LABEL_BLUE)
    card.text(28.0, 44.9, person.id_number, 3.4, kind="ocr-b", spacing_mm=0.35)
    card.photo(person.portrait, (56.0, 5.5, 81.5, 39.5))
    return card.array()


def _emblem(card: _Card, box_mm: tuple[float, float, float, float]) -> None:
    """A stylised national emblem: red disc, gold ring, five stars and a gate."""
    x0, y0, x1, y1 = (v * card.mm for v in box_mm)
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
    card.draw.ellipse((x0, y0, x1, y1), fill=(214, 168, 40))
    card.draw.ellipse((cx - r * 0.86, cy - r * 0.86, cx + r * 0.86, cy + r * 0.86), fill=(200, 30, 36))
    for dx, dy, s in ([(0, -0.45, 0.2), (-0.35, -0.55, 0.08), (-0.15, -0.7, 0.08),
                                     (0.15, -0.7, 0.08), (0.35, -0.55, 0.08)]):
        points = [(cx + dx * r + math.cos(math.pi / 2 + k * 4 * math.pi / 5) * s * r,
                   cy + dy * r - math.sin(math.pi / 2 + k * 4 * math.pi / 5) * s * r) for k in range(5)]
        card.draw.polygon(points, fill=(250, 210, 60))
    card.draw.rectangle((cx - r * 0.5, cy - r * 0.05, cx + r * 0.5, cy + r * 0.35), fill=(250, 210, 60))
    card.draw.rectangle((cx - r * 0.6, cy + r * 0.35, cx + r * 0.6, cy + r * 0.45), fill=(250, 210, 60))


def _cn_back(person: CnPerson, px_per_mm: float, seed: int) -> np.ndarray:
    card = _Card("id1", px_per_mm, (236, 226, 214), seed)
    _emblem(card, (6.0, 5.0, 22.0, 21.0))
    card.text(30.0, 7.5, "中华人民共和国", 4.6, kind="sans-bold", spacing_mm=0.9)
    card.text(30.0, 15.5, "居民身份证", 6.4, kind="sans-bold", spacing_mm=1.4)
    card.text(14.0, 41.5, "签发机关", 2.6, fill=_INK)
    card.text(28.5, 41.3, person.issuing_authority, 3.0)
    card.text(14.0, 47.5, "有效期限", 2.6, fill=_INK)
    start = person.valid_from.replace("-", ".")
    end = "长期" if person.valid_to == "long-term" else person.valid_to.replace("-", ".")
    card.text(28.5, 47.3, f"{start}-{end}", 3.0)
    return card.array()


#: Where each format prints its MRZ and photo (mm): line pitch, first line's cap y, left x, char size.
MRZ_LAYOUT = {"td1": (4.2, 40.3, 4.0, 3.0), "td2": (4.6, 62.5, 4.0, 3.0), "td3": (4.6, 75.5, 4.5, 3.0)}


def _mrz_card(doc: MrzDocument, px_per_mm: float, seed: int) -> np.ndarray:
    fmt = FORMAT_OF[f"mrz_{doc.kind}"]
    card = _Card(fmt, px_per_mm, (226, 236, 226), seed)
    w_mm, _ = SIZES_MM[fmt]
    pitch, y0, x0, size = MRZ_LAYOUT[doc.kind]
    if doc.kind == "td1":  # the back of an ID card: a few printed lines, then the zone
        card.text(5.0, 5.0, "IDENTITY CARD / CARTE D'IDENTITÉ", 2.4, fill=_LABEL_BLUE)
        card.text(5.0, 11.0, f"Date of issue  {date.fromisoformat(doc.fields['expiry_date']).replace(year=2015):%d.%m.%Y}", 2.4)
        card.text(5.0, 16.0, "Authority  UTOPIA CITY", 2.4)
    else:
        title = "PASSPORT / PASSEPORT" if doc.kind == "td3" else "IDENTITY CARD"
        card.text(5.0, 4.5, title, 3.0, fill=_LABEL_BLUE)
        photo_h = 40.0 if doc.kind == "td3" else 32.0
        card.photo(doc.portrait, (5.0, 11.0, 5.0 + photo_h * 0.78, 11.0 + photo_h), fade=False)
        x = 5.0 + photo_h * 0.78 + 5.0
        for row, (label, value) in enumerate([("Surname", doc.fields["surname"]), ("Given names", doc.fields["given_names"]),
                                              ("Nationality", doc.fields["nationality"]), ("Date of birth", doc.fields["birth_date"]),
                                              ("Sex", doc.fields["sex"]), ("Date of expiry", doc.fields["expiry_date"])]):
            card.text(x, 11.0 + row * 7.0, label, 1.8, fill=_LABEL_BLUE)
            card.text(x, 13.6 + row * 7.0, value, 2.6)
    # The zone is a clear area: the background print fades out under it.
    zone = np.asarray(card.image).astype(np.float32)
    top = round((y0 - 2.5) * px_per_mm)
    zone[top:] = zone[top:] * 0.5 + 242 * 0.5
    card.image = Image.fromarray(zone.astype(np.uint8))
    card.draw = ImageDraw.Draw(card.image)
    pitch_x = (w_mm - 2 * x0) / len(doc.lines[0])
    for row, line in enumerate(doc.lines):
        for col, char in enumerate(line):
            card.text(x0 + col * pitch_x, y0 + row * pitch, char, size, kind="ocr-b")
    return card.array()


def render_card(document: CnPerson | MrzDocument, side: str = "front", *, px_per_mm: float = 12.0, seed: int = 0) -> np.ndarray:
    """The flat, upright texture of one side as an RGB array (``px_per_mm`` pixels per millimetre).

    ``side`` is ``"front"`` (portrait side) or ``"back"`` (emblem side) for a
    :class:`CnPerson`; an :class:`MrzDocument` has one side, its MRZ side.
    """
    if isinstance(document, MrzDocument):
        return _mrz_card(document, px_per_mm, seed)
    if side not in ("front", "back"):
        raise ValueError(f"side must be 'front' or 'back', not {side!r}")
    return _cn_front(document, px_per_mm, seed) if side == "front" else _cn_back(document, px_per_mm, seed)


# --- scenes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CameraPose:
    """A pinhole camera looking down at the card lying on a table.

    The card's centre sits at ``offset_mm`` (x right, y down, in the card's
    plane) from the point under the camera's optical axis; ``distance_mm`` is
    from the lens to that point. ``roll_deg`` turns the card in the image
    (clockwise +), ``tilt_x_deg``/``tilt_y_deg`` tilt the phone about the
    image's horizontal/vertical axis (perspective). ``focal_px`` is for the
    frame's width (a phone's main camera: about 0.8 × width).
    """

    distance_mm: float = 160.0
    roll_deg: float = 0.0
    tilt_x_deg: float = 0.0
    tilt_y_deg: float = 0.0
    offset_mm: tuple[float, float] = (0.0, 0.0)
    focal_px: float | None = None
    upside_down: bool = False


def project(size_mm: tuple[float, float], pose: CameraPose, frame_size: tuple[int, int]) -> np.ndarray:
    """Where the card's printed corners (TL, TR, BR, BL) land in the frame, ``(4, 2)`` pixels."""
    width, height = frame_size
    focal = pose.focal_px or 0.8 * width
    w, h = size_mm
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float64)
    roll = math.radians(pose.roll_deg + (180.0 if pose.upside_down else 0.0))
    rot = np.array([[math.cos(roll), -math.sin(roll)], [math.sin(roll), math.cos(roll)]])
    points = corners @ rot.T + np.asarray(pose.offset_mm)
    ax, ay = math.radians(pose.tilt_x_deg), math.radians(pose.tilt_y_deg)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    world = np.column_stack([points, np.zeros(4)])
    camera = world @ (ry @ rx).T + np.array([0.0, 0.0, pose.distance_mm])
    return np.column_stack([focal * camera[:, 0] / camera[:, 2] + width / 2,
                            focal * camera[:, 1] / camera[:, 2] + height / 2]).astype(np.float32)


def _procedural(kind: str, size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "wood":
        hue = np.array(rng.choice([(150, 100, 60), (110, 70, 40), (190, 150, 100)]), np.float32)
        grain = np.sin((y + 12 * np.sin(x / 90)) / rng.uniform(3, 9)) * 0.5 + 0.5
        image = hue * (0.75 + 0.3 * grain[..., None])
    elif kind == "cloth":
        hue = rng.uniform(30, 220, 3).astype(np.float32)
        weave = (np.sin(x / 2.1) * np.sin(y / 2.1)) * 12
        image = hue + weave[..., None]
    elif kind == "dark":
        image = np.full((height, width, 3), rng.uniform(15, 45), np.float32)
    else:  # desk: a pale surface, the hardest for a light card
        image = np.full((height, width, 3), rng.uniform(150, 215), np.float32) * np.array([1.0, 0.98, 0.95], np.float32)
    return np.clip(image + rng.normal(0, 4, image.shape), 0, 255).astype(np.uint8)


def background(kind: str, frame_size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A table or clutter background: a real photo shipped with scikit-image, or a procedural surface."""
    width, height = frame_size
    if kind in ("wood", "cloth", "dark", "desk"):
        return _procedural(kind, frame_size, rng)
    import skimage

    with Image.open(f"{skimage.data_dir}/{_PHOTO_FILES[kind]}") as photo:
        image = np.asarray(photo.convert("RGB"))
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    image = image[:, :, :3]
    scale = max(width / image.shape[1], height / image.shape[0]) * rng.uniform(1.0, 1.6)
    image = cv2.resize(image, (math.ceil(image.shape[1] * scale), math.ceil(image.shape[0] * scale)))
    x0 = int(rng.integers(0, image.shape[1] - width + 1))
    y0 = int(rng.integers(0, image.shape[0] - height + 1))
    return np.ascontiguousarray(image[y0:y0 + height, x0:x0 + width])


def render_scene(texture: np.ndarray, size_mm: tuple[float, float], pose: CameraPose,
                 frame_size: tuple[int, int] = (1280, 960), backdrop: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Photograph a flat ``texture`` lying on ``backdrop`` from ``pose``: (RGB frame, quad).

    The quad is the card's printed corners TL, TR, BR, BL in frame pixels
    (they may lie outside the frame when the card is cut off).
    """
    width, height = frame_size
    quad = project(size_mm, pose, frame_size)
    th, tw = texture.shape[:2]
    source = np.array([[0, 0], [tw, 0], [tw, th], [0, th]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, quad)
    frame = backdrop.copy() if backdrop is not None else np.full((height, width, 3), 90, np.uint8)
    shadow = cv2.fillConvexPoly(np.zeros((height, width), np.uint8), (quad + 6).astype(np.int32), 255)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 6).astype(np.float32) / 255 * 0.35
    frame = (frame.astype(np.float32) * (1 - shadow[..., None])).astype(np.uint8)
    warped = cv2.warpPerspective(texture, matrix, (width, height), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((th, tw), 255, np.uint8), matrix, (width, height), flags=cv2.INTER_LINEAR)
    alpha = mask.astype(np.float32)[..., None] / 255
    frame = (frame * (1 - alpha) + warped * alpha).astype(np.uint8)
    return frame, quad


@dataclass(frozen=True)
class Faults:
    """Photographic faults applied after the scene is rendered (all off by default)."""

    blur_sigma_px: float = 0.0
    motion_blur_px: int = 0
    noise_sigma: float = 0.0
    #: Glare spots: (x, y, radius) as fractions of the frame width.
    glare: tuple[tuple[float, float, float], ...] = ()
    #: Multiplies brightness (0.35 = a dim room).
    light: float = 1.0
    jpeg_quality: int | None = None


def apply_faults(frame: np.ndarray, faults: Faults, rng: np.random.Generator) -> np.ndarray:
    image = frame.astype(np.float32)
    if faults.blur_sigma_px > 0:
        image = cv2.GaussianBlur(image, (0, 0), faults.blur_sigma_px)
    if faults.motion_blur_px > 1:
        kernel = np.zeros((faults.motion_blur_px, faults.motion_blur_px), np.float32)
        kernel[faults.motion_blur_px // 2, :] = 1.0 / faults.motion_blur_px
        image = cv2.filter2D(image, -1, kernel)
    height, width = image.shape[:2]
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    for gx, gy, radius in faults.glare:
        spot = np.exp(-(((x - gx * width) ** 2 + (y - gy * width) ** 2) / (2 * (radius * width) ** 2)))
        image += spot[..., None] * 170
    image *= faults.light
    if faults.noise_sigma > 0:
        image += rng.normal(0, faults.noise_sigma, image.shape)
    out = np.clip(image, 0, 255).astype(np.uint8)
    if faults.jpeg_quality:
        buffer = io.BytesIO()
        Image.fromarray(out).save(buffer, "JPEG", quality=faults.jpeg_quality)
        out = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
    return out


@dataclass(frozen=True, eq=False)
class SyntheticPhoto:
    """A generated photo and its truth."""

    pixels: np.ndarray
    document_type: str
    fields: dict[str, str]
    quad: np.ndarray
    pose: CameraPose
    faults: Faults
    background: str
    extra: dict[str, object] = field(default_factory=dict)

    def jpeg(self, quality: int = 92) -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(self.pixels).save(buffer, "JPEG", quality=quality)
        return buffer.getvalue()


def random_pose(rng: np.random.Generator, size_mm: tuple[float, float], frame_size: tuple[int, int],
                *, fill: tuple[float, float] = (0.45, 0.8), max_roll_deg: float = 30.0, max_tilt_deg: float = 18.0) -> CameraPose:
    """A hand-held pose: the card's width fills ``fill`` of the frame width, wholly inside the frame."""
    width, height = frame_size
    focal = 0.8 * width
    for _ in range(50):
        share = rng.uniform(*fill)
        distance = focal * size_mm[0] / (share * width)
        pose = CameraPose(
            distance_mm=distance, roll_deg=rng.uniform(-max_roll_deg, max_roll_deg),
            tilt_x_deg=rng.uniform(-max_tilt_deg, max_tilt_deg), tilt_y_deg=rng.uniform(-max_tilt_deg, max_tilt_deg),
            offset_mm=(rng.uniform(-0.12, 0.12) * size_mm[0], rng.uniform(-0.12, 0.12) * size_mm[0]), focal_px=focal,
        )
        quad = project(size_mm, pose, frame_size)
        if quad[:, 0].min() > 8 and quad[:, 1].min() > 8 and quad[:, 0].max() < width - 8 and quad[:, 1].max() < height - 8:
            return pose
    return CameraPose(distance_mm=focal * size_mm[0] / (0.6 * width), focal_px=focal)


def random_faults(rng: np.random.Generator, severity: float = 1.0) -> Faults:
    """A mix of everyday faults; ``severity`` 0 gives a clean photo, 1 a typical phone photo."""
    glare = ()
    if rng.random() < 0.3 * severity:
        glare = ((float(rng.uniform(0.2, 0.8)), float(rng.uniform(0.15, 0.6)), float(rng.uniform(0.02, 0.06))),)
    return Faults(
        blur_sigma_px=float(rng.uniform(0, 1.3) * severity),
        motion_blur_px=int(rng.integers(0, 5) * severity) if rng.random() < 0.2 else 0,
        noise_sigma=float(rng.uniform(1, 6) * severity),
        glare=glare,
        light=float(rng.uniform(0.45, 1.0)) if rng.random() < 0.25 * severity else 1.0,
        jpeg_quality=int(rng.integers(55, 93)),
    )


def random_photo(seed: int, document_type: str = "cn_resident_id_front", *, frame_size: tuple[int, int] = (1280, 960),
                 severity: float = 1.0, pose: CameraPose | None = None, background_kind: str | None = None,
                 today: date) -> SyntheticPhoto:
    """One reproducible photo of a document of ``document_type``, valid on ``today``, on a table, with its truth."""
    rng = np.random.default_rng(seed)
    if document_type.startswith("cn_resident_id"):
        person = random_cn_person(rng, today)
        side = "front" if document_type.endswith("front") else "back"
        texture = render_card(person, side, seed=seed)
        fields = person.front_fields() if side == "front" else person.back_fields()
    else:
        doc = random_mrz_document(rng, document_type.removeprefix("mrz_"), today)
        texture = render_card(doc, seed=seed)
        fields = dict(doc.fields)
    size_mm = SIZES_MM[FORMAT_OF[document_type]]
    pose = pose or random_pose(rng, size_mm, frame_size)
    kind = background_kind or str(rng.choice(BACKGROUNDS))
    frame, quad = render_scene(texture, size_mm, pose, frame_size, background(kind, frame_size, rng))
    faults = random_faults(rng, severity)
    pixels = apply_faults(frame, faults, rng)
    return SyntheticPhoto(pixels, document_type, fields, quad, pose, faults, kind)


def with_pose(photo_seed: int, document_type: str, pose: CameraPose, today: date, **kwargs: object) -> SyntheticPhoto:
    """The same document and background as ``random_photo(photo_seed, ..., today=today)``, from another pose."""
    return random_photo(photo_seed, document_type, pose=pose, today=today, **kwargs)  # type: ignore[arg-type]


def empty_table(seed: int, frame_size: tuple[int, int] = (1280, 960), kind: str | None = None) -> np.ndarray:
    """A background with no card on it (for found=False checks)."""
    rng = np.random.default_rng(seed)
    return background(kind or str(rng.choice(BACKGROUNDS)), frame_size, rng)


__all__ = [
    "BACKGROUNDS", "CameraPose", "CnPerson", "Faults", "MrzDocument", "SIZES_MM", "SyntheticPhoto",
    "apply_faults", "background", "empty_table", "id_number", "project", "random_cn_person",
    "random_mrz_document", "random_photo", "render_card", "render_scene", "replace", "with_pose",
]
