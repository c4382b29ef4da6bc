"""Flat textures of identity documents (layer 2 of :mod:`testkit.cards`).

:func:`render_card` draws a side as an upright RGB array at ``px_per_mm`` (Noto CJK for
Chinese, OCR-B for the MRZ and the ID number, a real portrait from :func:`testkit.photos.load`).
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw

from testkit.photos import load
from testkit.text import font
from testkit.cards_people import CnPerson, FORMAT_OF, MrzDocument, SIZES_MM


_LABEL_BLUE = (34, 110, 175)
_INK = (18, 18, 22)


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


#: Characters of the issuing authority on one line of the emblem side (3 mm characters from x = 28.5 mm,
#: leaving the card's right margin), and how far below the first line a long authority's second line sits (mm).
AUTHORITY_CHARS_PER_LINE = 16
AUTHORITY_WRAP_MM = 4.0


def _cn_back(person: CnPerson, px_per_mm: float, seed: int) -> np.ndarray:
    card = _Card("id1", px_per_mm, (236, 226, 214), seed)
    _emblem(card, (6.0, 5.0, 22.0, 21.0))
    card.text(30.0, 7.5, "中华人民共和国", 4.6, kind="sans-bold", spacing_mm=0.9)
    card.text(30.0, 15.5, "居民身份证", 6.4, kind="sans-bold", spacing_mm=1.4)
    # A long authority wraps onto a second line, as on a real card: its first line moves up beside its
    # label, and the validity row stays where it is.
    lines = _wrap(person.issuing_authority, AUTHORITY_CHARS_PER_LINE)
    top = 41.5 - AUTHORITY_WRAP_MM * (len(lines) - 1)
    card.text(14.0, top, "签发机关", 2.6, fill=_INK)
    for row, line in enumerate(lines):
        card.text(28.5, top - 0.2 + row * AUTHORITY_WRAP_MM, line, 3.0)
    card.text(14.0, 47.5, "有效期限", 2.6, fill=_INK)
    start = person.valid_from.replace("-", ".")
    end = "长期" if person.valid_to == "long-term" else person.valid_to.replace("-", ".")
    card.text(28.5, 47.3, f"{start}-{end}", 3.0)
    return card.array()


#: Where each format prints its MRZ and photo (mm): line pitch, first line's cap y, left x, char size.
MRZ_LAYOUT = {"td1": (4.2, 40.3, 4.0, 3.0), "td2": (4.6, 62.5, 4.0, 3.0), "td3": (4.6, 75.5, 4.5, 3.0)}


def _issued(expiry: date) -> date:
    """The printed issue date: the expiry's day in 2015 (29 February becomes the 28th, 2015 having none)."""
    return expiry.replace(year=2015, day=28) if (expiry.month, expiry.day) == (2, 29) else expiry.replace(year=2015)


def _mrz_card(doc: MrzDocument, px_per_mm: float, seed: int) -> np.ndarray:
    fmt = FORMAT_OF[f"mrz_{doc.kind}"]
    card = _Card(fmt, px_per_mm, (226, 236, 226), seed)
    w_mm, _ = SIZES_MM[fmt]
    pitch, y0, x0, size = MRZ_LAYOUT[doc.kind]
    if doc.kind == "td1":  # the back of an ID card: a few printed lines, then the zone
        card.text(5.0, 5.0, "IDENTITY CARD / CARTE D'IDENTITÉ", 2.4, fill=_LABEL_BLUE)
        card.text(5.0, 11.0, f"Date of issue  {_issued(date.fromisoformat(doc.fields['expiry_date'])):%d.%m.%Y}", 2.4)
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
