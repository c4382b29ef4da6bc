"""Rendering text with real fonts (Noto CJK for Chinese, OCR-B for MRZ lines)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from barrierfree.errors import EngineUnavailable

FONT_FILES = {
    "sans": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "sans-bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "serif": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "serif-bold": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "ocr-b": "/usr/share/fonts/opentype/ocr-b/OCRB.otf",
}
#: Index of the Simplified Chinese face inside the Noto CJK collections.
_SC_INDEX = 2
_PACKAGES = {"ocr-b": "fonts-ocr-b"}


@lru_cache(maxsize=64)
def font(kind: str, size_px: int) -> ImageFont.FreeTypeFont:
    """A loaded font; ``kind`` is a key of :data:`FONT_FILES`."""
    path = Path(FONT_FILES[kind])
    if not path.exists():
        package = _PACKAGES.get(kind, "fonts-noto-cjk")
        raise EngineUnavailable("font-missing", f"{path} is missing; install it with: sudo apt-get install {package}")
    index = _SC_INDEX if path.suffix == ".ttc" else 0
    return ImageFont.truetype(str(path), size_px, index=index)


def render_line(text: str, size_px: int = 48, kind: str = "sans", margin_px: int = 24) -> np.ndarray:
    """Black text on white, as an RGB array just large enough for the line."""
    face = font(kind, size_px)
    left, top, right, bottom = face.getbbox(text)
    image = Image.new("RGB", (right - left + 2 * margin_px, bottom - top + 2 * margin_px), "white")
    ImageDraw.Draw(image).text((margin_px - left, margin_px - top), text, font=face, fill="black")
    return np.asarray(image)
