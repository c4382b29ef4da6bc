"""A second, independent ID-card renderer and phone-camera model, for tests and benchmarks.

The reader was first tuned on :mod:`testkit.cards`; a fix that only
fits that renderer's fonts and positions would go unnoticed there. This module
shares nothing with it or with the reader (no layout constant, no font table,
no person generator, no camera code): it draws resident ID cards (both sides)
from its own ranges and photographs them with its own camera model.

- **People**: a region table of its own (provincial capitals' districts, codes
  checked against python-stdnum in the tests), names, ethnicities, addresses,
  authorities in the form ``<city>公安局<district>分局`` and validity by age
  at issue, all valid on the ``today`` passed in.
- **Cards**: fonts and weights drawn per card from WenQuanYi Zen Hei / Micro
  Hei, AR PL UMing, Noto Sans/Serif CJK (regular and bold), the number in
  Liberation Mono or DejaVu Sans Mono; label column at 3–11 mm, the value
  column 1.5–5 mm after the label, rows 5.5–7.0 mm apart (cards measured
  range about 6.0–6.8 mm; the range is widened on purpose), the emblem side's
  two rows the same; other emblem and background art.
- **Camera**: a homography pose (roll up to 25°, perspective, 10% upside
  down), radial lens distortion, white-balance gains, vignetting, a
  rolling-shutter skew with motion blur, Poisson–Gaussian sensor noise and a
  JPEG round trip through OpenCV's encoder.

Coordinates: millimetres from the card's printed top-left corner, x right, y down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

CARD_MM = (85.6, 53.98)

#: (font file, face index) per style; every file comes from a Debian package in scripts/setup.
_FONTS = {
    "zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "microhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "noto-sans": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "noto-sans-bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "noto-serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    "noto-serif-bold": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    "liberation-mono": ("/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf", 0),
    "dejavu-mono": ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 0),
}
_VALUE_FONTS = ("zenhei", "microhei", "uming", "noto-sans-bold", "noto-serif")
_LABEL_FONTS = ("zenhei", "microhei", "noto-sans", "noto-serif-bold", "uming")
_NUMBER_FONTS = ("liberation-mono", "dejavu-mono")

#: Region code, province, city, district (districts of provincial capitals, all current codes).
_REGIONS = (
    ("110101", "北京市", "北京市", "东城区"), ("110105", "北京市", "北京市", "朝阳区"),
    ("120101", "天津市", "天津市", "和平区"), ("130102", "河北省", "石家庄市", "长安区"),
    ("140105", "山西省", "太原市", "小店区"), ("150102", "内蒙古自治区", "呼和浩特市", "新城区"),
    ("210102", "辽宁省", "沈阳市", "和平区"), ("220102", "吉林省", "长春市", "南关区"),
    ("230102", "黑龙江省", "哈尔滨市", "道里区"), ("310104", "上海市", "上海市", "徐汇区"),
    ("320102", "江苏省", "南京市", "玄武区"), ("330106", "浙江省", "杭州市", "西湖区"),
    ("340104", "安徽省", "合肥市", "蜀山区"), ("350102", "福建省", "福州市", "鼓楼区"),
    ("360102", "江西省", "南昌市", "东湖区"), ("370102", "山东省", "济南市", "历下区"),
    ("410105", "河南省", "郑州市", "金水区"), ("420106", "湖北省", "武汉市", "武昌区"),
    ("430104", "湖南省", "长沙市", "岳麓区"), ("440106", "广东省", "广州市", "天河区"),
    ("450102", "广西壮族自治区", "南宁市", "兴宁区"), ("460105", "海南省", "海口市", "秀英区"),
    ("500103", "重庆市", "重庆市", "渝中区"), ("510104", "四川省", "成都市", "锦江区"),
    ("520102", "贵州省", "贵阳市", "南明区"), ("530102", "云南省", "昆明市", "五华区"),
    ("540102", "西藏自治区", "拉萨市", "城关区"), ("610102", "陕西省", "西安市", "新城区"),
    ("620102", "甘肃省", "兰州市", "城关区"), ("630102", "青海省", "西宁市", "城东区"),
    ("640104", "宁夏回族自治区", "银川市", "兴庆区"), ("650102", "新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
)
_FAMILY = "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
_GIVEN_CHARS = "子文雨欣宇浩然思佳一诗晨嘉俊梓涵博雅乐明哲瑞琪凯婷晓东海燕春秋志远德正国庆立新红梅丹慧敏静玲建平金永安"
_STREETS = ("中山", "人民", "建国", "和平", "解放", "北京", "青年", "长安", "友谊", "新华", "文化", "滨江", "朝阳", "光华")
_MINORITY_NAMES = ("阿依古丽·买买提", "热依拉·艾山", "巴图·孟和", "扎西·次仁")
#: Ethnic groups drawn for the cards (a subset, typed here rather than taken from the reader).
_ETHNIC = ("汉", "汉", "汉", "回", "满", "蒙古", "壮", "苗", "维吾尔", "藏", "土家", "朝鲜", "彝", "侗", "瑶", "白",
           "哈萨克", "傣", "黎", "布依")


@dataclass(frozen=True)
class AltPerson:
    """The truth printed on one card (dates ISO; ``valid_to`` ``long-term`` for 长期)."""

    name: str
    sex: str
    ethnicity: str
    birth_date: str
    address: str
    id_number: str
    issuing_authority: str
    valid_from: str
    valid_to: str
    portrait: str

    def fields(self, side: str) -> dict[str, str]:
        if side == "front":
            return {"name": self.name, "sex": self.sex, "ethnicity": self.ethnicity, "birth_date": self.birth_date,
                    "address": self.address, "id_number": self.id_number}
        return {"issuing_authority": self.issuing_authority, "valid_from": self.valid_from, "valid_to": self.valid_to}


def _check_digit(body17: str) -> str:
    """GB 11643 MOD 11-2, written out here so the renderer does not lean on the reader's library."""
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    value = (12 - sum(int(d) * w for d, w in zip(body17, weights)) % 11) % 11
    return "X" if value == 10 else str(value)


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _region_for(rng: np.random.Generator, birth: date) -> tuple[str, str, str, str]:
    """A region whose code was in use in the birth year (district codes were renumbered over the
    decades; a number keeps the code of its first registration), by python-stdnum's dated table."""
    from stdnum.cn import ric

    for _ in range(40):
        region = _REGIONS[int(rng.integers(len(_REGIONS)))]
        body = f"{region[0]}{birth:%Y%m%d}001"
        try:
            ric.get_birth_place(body + _check_digit(body))
            return region
        except Exception:  # noqa: BLE001 - stdnum raises several kinds for an unknown code
            continue
    return region


def alt_person(rng: np.random.Generator, today: date) -> AltPerson:
    """A fictitious resident whose card is valid on ``today``."""
    birth = today - timedelta(days=int(rng.integers(17 * 365, 85 * 365)))
    code, province, city, district = _region_for(rng, birth)
    sex = str(rng.choice(["男", "女"]))
    sequence = int(rng.integers(0, 499)) * 2 + (1 if sex == "男" else 0)
    body = f"{code}{birth:%Y%m%d}{sequence:03d}"
    ethnicity = str(rng.choice(_ETHNIC))
    if ethnicity == "维吾尔" and rng.random() < 0.6:
        name = str(rng.choice(_MINORITY_NAMES))
    else:
        name = str(rng.choice(list(_FAMILY))) + "".join(rng.choice(list(_GIVEN_CHARS), size=int(rng.integers(1, 3))))
    street = f"{rng.choice(_STREETS)}{rng.choice(['路', '大街', '街', '巷'])}{int(rng.integers(1, 400))}号"
    place = province + (city if city != province else "") + district
    if rng.random() < 0.5:
        street += f"{int(rng.integers(1, 20))}号楼{int(rng.integers(1, 6))}门{int(rng.integers(101, 1900))}号"
    while True:
        issued = today - timedelta(days=int(rng.integers(20, 365 * 12)))
        age = issued.year - birth.year - ((issued.month, issued.day) < (birth.month, birth.day))
        if age < 16:
            continue
        term = 10 if age <= 25 else 20 if age <= 45 else None
        valid_to = "long-term" if term is None else _plus_years(issued, term).isoformat()
        if valid_to == "long-term" or date.fromisoformat(valid_to) > today:
            break
    authority = f"{city}公安局{district.removesuffix('区')}分局" if rng.random() < 0.7 else f"{city}公安局"
    return AltPerson(name, sex, ethnicity, birth.isoformat(), place + street, body + _check_digit(body),
                     authority, issued.isoformat(), valid_to, str(rng.choice(["astronaut", "obama", "biden", "obama2"])))


# --- drawing ---------------------------------------------------------------------------------


@lru_cache(maxsize=128)
def _font(style: str, size_px: int) -> ImageFont.FreeTypeFont:
    path, index = _FONTS[style]
    if not Path(path).exists():
        raise FileNotFoundError(f"{path} is missing: run scripts/setup (Debian font packages)")
    return ImageFont.truetype(path, size_px, index=index)


class _Sheet:
    """An upright card texture with millimetre drawing helpers."""

    def __init__(self, background: np.ndarray, px_per_mm: float) -> None:
        self.px = px_per_mm
        self.image = Image.fromarray(background)
        self.draw = ImageDraw.Draw(self.image)

    def write(self, x_mm: float, y_mm: float, text: str, height_mm: float, style: str,
              colour: tuple[int, int, int], gap_mm: float = 0.0) -> float:
        """Text whose ink top is at ``y_mm`` and whose CJK glyphs are ``height_mm`` tall; returns its end x (mm)."""
        face = _font(style, max(6, round(height_mm * self.px * 1.12)))
        top = face.getbbox("国")[1]
        x = x_mm * self.px
        for char in text:
            self.draw.text((x, y_mm * self.px - top), char, font=face, fill=colour)
            x += face.getlength(char) + gap_mm * self.px
        return (x - gap_mm * self.px) / self.px

    def width(self, text: str, height_mm: float, style: str, gap_mm: float = 0.0) -> float:
        face = _font(style, max(6, round(height_mm * self.px * 1.12)))
        return (sum(face.getlength(c) for c in text) + gap_mm * self.px * (len(text) - 1)) / self.px

    def pixels(self) -> np.ndarray:
        return np.asarray(self.image.convert("RGB"))


def _rosette_paper(rng: np.random.Generator, px_per_mm: float, tint: np.ndarray) -> np.ndarray:
    """Security paper unlike the other renderer's: concentric rosettes and a diagonal tint ramp."""
    w, h = (round(v * px_per_mm) for v in CARD_MM)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32) / px_per_mm
    cx, cy = rng.uniform(20, 65), rng.uniform(10, 44)
    r = np.hypot(x - cx, y - cy)
    angle = np.arctan2(y - cy, x - cx)
    rosette = 0.5 + 0.5 * np.cos(r * rng.uniform(1.6, 2.6) + 6 * np.sin(angle * int(rng.integers(5, 11))))
    ramp = (x / CARD_MM[0] + y / CARD_MM[1]) / 2
    paper = 250 - (255 - tint)[None, None, :] * (0.35 + 0.3 * ramp[..., None]) - 9 * rosette[..., None]
    paper += rng.normal(0, 1.5, paper.shape)
    return np.clip(paper, 0, 255).astype(np.uint8)


def _portrait(sheet: _Sheet, name: str, box_mm: tuple[float, float, float, float]) -> None:
    from testkit.photos import load

    photo = load(name)
    ph, pw = photo.shape[:2]
    crop_w = int(pw * 0.62)
    crop_h = min(ph, int(crop_w * 4 / 3))
    x0 = (pw - crop_w) // 2
    y0 = max(0, int(ph * 0.02))
    crop = photo[y0:y0 + crop_h, x0:x0 + crop_w]
    bx0, by0, bx1, by1 = (round(v * sheet.px) for v in box_mm)
    crop = cv2.resize(crop, (bx1 - bx0, by1 - by0), interpolation=cv2.INTER_AREA)
    grey = crop.astype(np.float32).mean(axis=2, keepdims=True)
    crop = (0.7 * crop + 0.3 * grey).astype(np.uint8)  # the printed photo is a little washed out
    sheet.image.paste(Image.fromarray(crop), (bx0, by0))


def _ink(rng: np.random.Generator) -> tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(5, 40, 3))  # type: ignore[return-value]


def _label_colour(rng: np.random.Generator) -> tuple[int, int, int]:
    return (int(rng.integers(20, 70)), int(rng.integers(90, 140)), int(rng.integers(150, 210)))


@dataclass(frozen=True)
class Layout:
    """Where this card's rows were drawn: label x, row pitch (mm), for tests of the reader's tolerance."""

    label_x_mm: float
    row_pitch_mm: float
    rows_y_mm: tuple[float, ...]


def render_front(person: AltPerson, rng: np.random.Generator, px_per_mm: float = 12.0,
                 row_pitch_mm: float | None = None, label_x_mm: float | None = None) -> tuple[np.ndarray, Layout]:
    """The portrait side, upright, and where its rows went."""
    sheet = _Sheet(_rosette_paper(rng, px_per_mm, np.array([205, 222, 238])), px_per_mm)
    pitch = row_pitch_mm if row_pitch_mm is not None else float(rng.uniform(5.5, 7.0))
    lx = label_x_mm if label_x_mm is not None else float(rng.uniform(3.0, 11.0))
    label_style, value_style = str(rng.choice(_LABEL_FONTS)), str(rng.choice(_VALUE_FONTS))
    lh, vh = float(rng.uniform(2.3, 2.8)), float(rng.uniform(2.8, 3.3))
    label_gap = float(rng.uniform(0.6, 1.6))
    lc, ink = _label_colour(rng), _ink(rng)
    value_x = lx + sheet.width("姓名", lh, label_style, label_gap) + float(rng.uniform(1.5, 5.0))
    top = float(rng.uniform(4.5, 7.5))
    rows = tuple(top + i * pitch for i in range(4))

    def label(y: float, text: str, x: float = lx) -> float:
        return sheet.write(x, y + (vh - lh) / 2, text, lh, label_style, lc, label_gap)

    label(rows[0], "姓名")
    sheet.write(value_x, rows[0] - 0.2, person.name, vh + 0.3, value_style, ink)
    label(rows[1], "性别")
    sheet.write(value_x, rows[1], person.sex, vh, value_style, ink)
    nation_x = value_x + float(rng.uniform(7.0, 11.0))
    end = label(rows[1], "民族", nation_x)
    sheet.write(end + float(rng.uniform(1.5, 3.5)), rows[1], person.ethnicity, vh, value_style, ink)
    label(rows[2], "出生")
    year, month, day = (int(v) for v in person.birth_date.split("-"))
    x = value_x
    for number, unit in ((str(year), "年"), (str(month), "月"), (str(day), "日")):
        x = sheet.write(x, rows[2], number, vh, value_style, ink) + 0.6
        x = sheet.write(x, rows[2] + (vh - lh) / 2, unit, lh, label_style, lc) + 0.8
    label(rows[3], "住址")
    char_w = sheet.width("国", vh, value_style)
    per_line = max(6, int((53.0 - value_x) / char_w), math.ceil(len(person.address) / 3))
    address_h = vh * min(1.0, (53.0 - value_x) / (per_line * char_w))  # a long address is printed smaller
    line_pitch = float(rng.uniform(4.2, 4.9))
    lines = [person.address[i:i + per_line] for i in range(0, len(person.address), per_line)]
    for i, line in enumerate(lines):
        sheet.write(value_x, rows[3] + i * line_pitch, line, address_h, value_style, ink)
    number_y = min(48.5, max(rows[3] + len(lines) * line_pitch + float(rng.uniform(2.0, 4.0)), float(rng.uniform(43.0, 46.5))))
    end = sheet.write(lx, number_y + 0.4, "公民身份号码", lh, label_style, lc, label_gap * 0.4)
    number_style = str(rng.choice(_NUMBER_FONTS))
    sheet.write(end + float(rng.uniform(2.5, 5.0)), number_y, person.id_number, 3.4, number_style, ink, 0.25)
    px0 = float(rng.uniform(55.0, 58.0))
    _portrait(sheet, person.portrait, (px0, float(rng.uniform(4.0, 7.0)), px0 + 25.0, float(rng.uniform(38.0, 41.0))))
    return sheet.pixels(), Layout(lx, pitch, rows + (number_y,))


def _emblem(sheet: _Sheet, x: float, y: float, size: float, rng: np.random.Generator) -> None:
    """A gold cog ring around a red disc, one large and four small stars, a gate and a base bar."""
    p = sheet.px
    cx, cy, r = (x + size / 2) * p, (y + size / 2) * p, size / 2 * p
    gold = (int(rng.integers(200, 235)), int(rng.integers(150, 185)), int(rng.integers(20, 60)))
    teeth = 28
    cog = [(cx + math.cos(2 * math.pi * k / (2 * teeth)) * r * (1.0 if k % 2 else 0.9),
            cy + math.sin(2 * math.pi * k / (2 * teeth)) * r * (1.0 if k % 2 else 0.9)) for k in range(2 * teeth)]
    sheet.draw.polygon(cog, fill=gold)
    sheet.draw.ellipse((cx - 0.78 * r, cy - 0.78 * r, cx + 0.78 * r, cy + 0.78 * r), fill=(190, 22, 30))

    def star(sx: float, sy: float, radius: float) -> None:
        points = []
        for k in range(10):
            rr = radius if k % 2 == 0 else radius * 0.4
            a = -math.pi / 2 + k * math.pi / 5
            points.append((sx + rr * math.cos(a), sy + rr * math.sin(a)))
        sheet.draw.polygon(points, fill=gold)

    star(cx, cy - 0.38 * r, 0.2 * r)
    for angle in (-150, -120, -60, -30):
        star(cx + 0.5 * r * math.cos(math.radians(angle)), cy - 0.25 * r + 0.3 * r * math.sin(math.radians(angle)), 0.08 * r)
    sheet.draw.polygon([(cx - 0.45 * r, cy + 0.3 * r), (cx, cy + 0.05 * r), (cx + 0.45 * r, cy + 0.3 * r)], fill=gold)
    sheet.draw.rectangle((cx - 0.4 * r, cy + 0.3 * r, cx + 0.4 * r, cy + 0.48 * r), fill=gold)


def render_back(person: AltPerson, rng: np.random.Generator, px_per_mm: float = 12.0,
                row_pitch_mm: float | None = None, label_x_mm: float | None = None) -> tuple[np.ndarray, Layout]:
    """The emblem side, upright, and where its two rows went."""
    sheet = _Sheet(_rosette_paper(rng, px_per_mm, np.array([238, 228, 200])), px_per_mm)
    size = float(rng.uniform(14.0, 19.0))
    ex, ey = float(rng.uniform(4.0, 9.0)), float(rng.uniform(3.0, 7.0))
    _emblem(sheet, ex, ey, size, rng)
    title_style = str(rng.choice(("noto-serif-bold", "zenhei", "uming", "noto-sans-bold")))
    tx = ex + size + float(rng.uniform(4.0, 9.0))
    sheet.write(tx, ey + float(rng.uniform(1.0, 3.0)), "中华人民共和国", float(rng.uniform(3.8, 4.6)), title_style, _ink(rng),
                float(rng.uniform(0.5, 1.2)))
    sheet.write(tx, ey + float(rng.uniform(9.5, 12.0)), "居民身份证", float(rng.uniform(5.4, 6.4)), title_style, _ink(rng),
                float(rng.uniform(0.9, 1.8)))
    pitch = row_pitch_mm if row_pitch_mm is not None else float(rng.uniform(5.5, 7.0))
    lx = label_x_mm if label_x_mm is not None else float(rng.uniform(8.0, 17.0))
    label_style, value_style = str(rng.choice(_LABEL_FONTS)), str(rng.choice(_VALUE_FONTS))
    lh, vh = float(rng.uniform(2.3, 2.8)), float(rng.uniform(2.7, 3.1))
    ink = _ink(rng)
    value_x = lx + sheet.width("签发机关", lh, label_style) + float(rng.uniform(1.5, 5.0))
    first = float(rng.uniform(38.0, 46.5 - pitch))
    for i, (text, value) in enumerate((("签发机关", person.issuing_authority), ("有效期限", _period(person)))):
        y = first + i * pitch
        sheet.write(lx, y + (vh - lh) / 2, text, lh, label_style, ink)
        sheet.write(value_x, y, value, vh, value_style, ink)
    return sheet.pixels(), Layout(lx, pitch, (first, first + pitch))


def _period(person: AltPerson) -> str:
    end = "长期" if person.valid_to == "long-term" else person.valid_to.replace("-", ".")
    return f"{person.valid_from.replace('-', '.')}-{end}"


# --- the camera -------------------------------------------------------------------------------


def _table(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """A surface: low-frequency marble, stripes or a plain dark/coloured desk, with a few objects."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    kind = int(rng.integers(4))
    colour = rng.uniform(20, 200, 3).astype(np.float32)
    if kind == 0:
        noise = cv2.resize(rng.normal(0, 1, (h // 40 + 2, w // 40 + 2)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
        image = colour * (0.8 + 0.15 * noise[..., None])
    elif kind == 1:
        image = colour * (0.8 + 0.2 * (np.sin((x * math.cos(0.6) + y * math.sin(0.6)) / rng.uniform(4, 20)) > 0))[..., None]
    elif kind == 2:
        image = np.full((h, w, 3), rng.uniform(15, 60), np.float32) + colour * 0.1
    else:
        image = colour + 0 * x[..., None]
    image = np.ascontiguousarray(np.clip(image, 0, 255).astype(np.uint8))
    for _ in range(int(rng.integers(0, 4))):  # a pen, a key, a coin near the edges
        cx, cy = int(rng.choice([rng.integers(0, w // 6), rng.integers(5 * w // 6, w)])), int(rng.integers(0, h))
        cv2.ellipse(image, (cx, cy), (int(rng.integers(10, 60)), int(rng.integers(5, 30))), float(rng.uniform(0, 180)),
                    0, 360, tuple(int(v) for v in rng.integers(0, 255, 3)), -1)
    return image


def _pose_quad(rng: np.random.Generator, texture_mm: tuple[float, float], size: tuple[int, int],
               perspective: float = 0.035) -> np.ndarray:
    """Card corners (TL, TR, BR, BL of the print) in the frame: scale, roll, perspective and position."""
    w, h = size
    for _ in range(100):
        span = rng.uniform(0.5, 0.8) * w
        scale = span / texture_mm[0]
        half = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float64) * np.array(texture_mm) / 2 * scale
        half += rng.normal(0, perspective, half.shape) * span  # perspective: each corner moves on its own
        roll = math.radians(rng.uniform(-25, 25) + (180 if rng.random() < 0.1 else 0))
        rot = np.array([[math.cos(roll), -math.sin(roll)], [math.sin(roll), math.cos(roll)]])
        quad = half @ rot.T + np.array([w / 2 + rng.uniform(-0.1, 0.1) * w, h / 2 + rng.uniform(-0.1, 0.1) * h])
        margin = 0.08 * w  # lens distortion moves the corners outwards by up to about 5% of the width
        if quad[:, 0].min() > margin and quad[:, 1].min() > margin and quad[:, 0].max() < w - margin and quad[:, 1].max() < h - margin:
            return quad.astype(np.float32)
    raise RuntimeError("no pose fits the frame")


def _distort(image: np.ndarray, k1: float) -> np.ndarray:
    """Radial lens distortion (barrel for k1 < 0) about the frame centre."""
    h, w = image.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    nx, ny = (x - w / 2) / (w / 2), (y - h / 2) / (w / 2)
    factor = 1 + k1 * (nx * nx + ny * ny)
    return cv2.remap(image, nx * factor * (w / 2) + w / 2, ny * factor * (w / 2) + h / 2, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REFLECT)


def _rolling_shutter(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rows exposed one after the other while the hand drifts: a shear, then blur along the drift."""
    h, w = image.shape[:2]
    drift = rng.uniform(-0.015, 0.015) * w
    shear = np.float32([[1, drift / h, -drift / 2], [0, 1, 0]])
    image = cv2.warpAffine(image, shear, (w, h), borderMode=cv2.BORDER_REFLECT)
    length = int(rng.integers(1, 5))
    if length > 1:
        kernel = np.zeros((length, length), np.float32)
        angle = rng.uniform(0, math.pi)
        for t in np.linspace(-0.5, 0.5, length * 3):
            kernel[int(round((length - 1) / 2 + t * (length - 1) * math.sin(angle))),
                   int(round((length - 1) / 2 + t * (length - 1) * math.cos(angle)))] = 1
        image = cv2.filter2D(image, -1, kernel / kernel.sum())
    return image


def photograph(texture: np.ndarray, rng: np.random.Generator, frame_size: tuple[int, int] = (1280, 960),
               flat: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The phone-camera model: ``(RGB frame after JPEG, card quad before lens distortion)``.

    ``flat``: the phone held parallel to the card, with no highlight (a shot whose only
    problem may be the side shown)."""
    w, h = frame_size
    quad = _pose_quad(rng, CARD_MM, frame_size, 0.004 if flat else 0.035)
    th, tw = texture.shape[:2]
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [tw, 0], [tw, th], [0, th]]), quad)
    scene = _table(rng, frame_size).astype(np.float32)
    card = cv2.warpPerspective(texture, matrix, (w, h), flags=cv2.INTER_AREA).astype(np.float32)
    mask = cv2.warpPerspective(np.full((th, tw), 1.0, np.float32), matrix, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    scene = scene * (1 - mask) + card * mask
    linear = (scene / 255.0) ** 2.2 * rng.uniform(0.5, 1.0)  # exposure in linear light
    linear *= rng.uniform(0.85, 1.15, 3)[None, None, :]  # white balance
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    linear *= (1 - rng.uniform(0.1, 0.35) * (((x - w / 2) ** 2 + (y - h / 2) ** 2) / (w * w / 4)))[..., None]
    if rng.random() < 0.25 and not flat:  # a soft specular highlight
        gx, gy, gr = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h, rng.uniform(0.03, 0.07) * w
        linear += 0.8 * np.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * gr * gr))[..., None]
    photons = rng.uniform(300, 2500)
    linear = rng.poisson(np.clip(linear, 0, 1.5) * photons) / photons + rng.normal(0, 0.004, linear.shape)
    image = (np.clip(linear, 0, 1) ** (1 / 2.2) * 255).astype(np.float32)
    image = _distort(image, float(rng.uniform(-0.12, 0.05)))
    image = _rolling_shutter(image, rng)
    image = cv2.GaussianBlur(image, (0, 0), float(rng.uniform(0.4, 1.1)))
    ok, encoded = cv2.imencode(".jpg", np.clip(image, 0, 255).astype(np.uint8)[:, :, ::-1],
                               [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(60, 91))])
    assert ok
    return cv2.imdecode(encoded, cv2.IMREAD_COLOR)[:, :, ::-1].copy(), quad


@dataclass(frozen=True, eq=False)
class AltPhoto:
    """One photo and its truth."""

    pixels: np.ndarray
    document_type: str
    fields: dict[str, str]
    quad: np.ndarray
    layout: Layout

    def jpeg(self) -> bytes:
        ok, encoded = cv2.imencode(".jpg", self.pixels[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 92])
        assert ok
        return encoded.tobytes()


def alt_photo(seed: int, document_type: str, today: date, *, frame_size: tuple[int, int] = (1280, 960),
              row_pitch_mm: float | None = None, label_x_mm: float | None = None, card_seed: int | None = None,
              flat: bool = False) -> AltPhoto:
    """A reproducible photo of ``cn_resident_id_front`` or ``cn_resident_id_back`` valid on ``today``.

    ``card_seed`` (default ``seed``) draws the card; ``seed`` draws the shot, so several frames
    of one card are ``alt_photo(s, ..., card_seed=c)`` for a few ``s``.
    """
    rng = np.random.default_rng([seed, 2])
    card_rng = np.random.default_rng([seed if card_seed is None else card_seed, 1])
    person = alt_person(card_rng, today)
    side = {"cn_resident_id_front": "front", "cn_resident_id_back": "back"}.get(document_type)
    if side is None:
        raise ValueError(f"the second renderer draws resident ID cards, not {document_type!r}")
    render = render_front if side == "front" else render_back
    texture, layout = render(person, card_rng, row_pitch_mm=row_pitch_mm, label_x_mm=label_x_mm)
    pixels, quad = photograph(texture, rng, frame_size, flat)
    return AltPhoto(pixels, document_type, person.fields(side), quad, layout)


__all__ = ["AltPerson", "AltPhoto", "Layout", "alt_person", "alt_photo", "photograph", "render_back", "render_front"]
