"""Cheap cues on a small rectified card: which side is up, and image quality.

No OCR: each cue is a pixel statistic inside a box of the printed layout
(:mod:`barrierfree.vision.card.layouts`), compared with the same box on
the card turned by 180°.

- MRZ: two or three text rows that run across the whole width of the bottom band.
- Emblem side: the red-and-gold emblem in the top-left corner.
- Portrait side: a photo (dark or coloured, not paper) in the photo box.

The input is RGB uint8 at a few pixels per millimetre (the finder uses 3).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from barrierfree.settings.document import DocumentSettings
from barrierfree.vision.card.layouts import ID1_MM, LAYOUTS, Box, mirrored
from barrierfree.vision.card.observation import CardSide


def _crop(image: np.ndarray, box: Box, size_mm: tuple[float, float]) -> np.ndarray:
    h, w = image.shape[:2]
    sx, sy = w / size_mm[0], h / size_mm[1]
    x0, y0, x1, y1 = box
    return image[max(0, round(y0 * sy)):round(y1 * sy), max(0, round(x0 * sx)):round(x1 * sx)]


def _paper_level(gray: np.ndarray) -> float:
    return max(float(np.percentile(gray, 90)), 40.0)


def _full_width_rows(band_gray: np.ndarray, paper: float, bins: int, max_line_px: float) -> int:
    """How many text rows in ``band_gray`` have ink in at least 85% of ``bins`` columns (an MRZ line does).

    A row is a run of 2 to ``max_line_px`` pixel rows: a taller run is no line of text but a
    photo or a band the paper level makes look inked (a highlight elsewhere on the card).
    """
    if band_gray.size == 0 or band_gray.shape[1] < bins:
        return 0
    ink = band_gray < 0.8 * paper
    usable = ink[:, : ink.shape[1] // bins * bins].reshape(ink.shape[0], bins, -1).any(axis=2)
    full = usable.mean(axis=1) >= 0.85
    rows, run = 0, 0
    for value in np.append(full, False):
        if value:
            run += 1
        else:
            rows += 2 <= run <= max_line_px
            run = 0
    return rows


def _emblem_fraction(rgb: np.ndarray, paper: float) -> float:
    if rgb.size == 0:
        return 0.0
    r, g, b = (rgb[:, :, i].astype(np.float32) for i in range(3))
    warm = ((r - b) > 0.45 * paper) & (r >= g)
    return float(warm.mean())


def _photo_fraction(rgb: np.ndarray, paper: float) -> float:
    if rgb.size == 0:
        return 0.0
    gray = rgb.astype(np.float32).mean(axis=2)
    saturation = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2).astype(np.float32)
    return float(((gray < 0.72 * paper) | (saturation > 0.3 * paper)).mean())


def detect_side(card: np.ndarray, size_mm: tuple[float, float], settings: DocumentSettings) -> tuple[CardSide, bool, str | None]:
    """``(side, upside_down, document_type)`` of a rectified card; ``("unknown", False, None)`` when unsure."""
    gray = cv2.cvtColor(card, cv2.COLOR_RGB2GRAY)
    paper = _paper_level(gray)
    id1 = size_mm == ID1_MM
    mrz_type = "mrz_td1" if id1 else "mrz_td3"
    layout = LAYOUTS[mrz_type]
    bins = 30 if id1 else 36
    max_line_px = settings.max_mrz_line_mm * gray.shape[0] / size_mm[1]
    assert layout.mrz is not None
    for upside_down, box in ((False, layout.mrz), (True, mirrored(layout.mrz, size_mm))):
        if _full_width_rows(_crop(gray, box, size_mm), paper, bins, max_line_px) >= 2:
            # An ID-1 MRZ side carries no photo: a wide number row under a photo is a portrait side.
            if not (id1 and _portrait_side(card, size_mm, paper, settings) is not None):
                return "mrz", upside_down, mrz_type
    if id1:
        emblem = LAYOUTS["cn_resident_id_back"].emblem
        assert emblem is not None
        upright = _emblem_fraction(_crop(card, emblem, size_mm), paper)
        turned = _emblem_fraction(_crop(card, mirrored(emblem, size_mm), size_mm), paper)
        if max(upright, turned) >= settings.min_emblem_fraction:
            return "emblem", turned > upright, "cn_resident_id_back"
    portrait_type = "cn_resident_id_front" if id1 else mrz_type
    found = _portrait_side(card, size_mm, paper, settings)
    if found is not None:
        return "portrait", found, portrait_type
    turned_emblem = _faded_emblem(card, paper, settings) if id1 else None
    if turned_emblem is not None:
        return "emblem", turned_emblem, "cn_resident_id_back"
    return "unknown", False, None


def _faded_emblem(card: np.ndarray, paper: float, settings: DocumentSettings) -> bool | None:
    """Whether a washed-out emblem is in the turned emblem box (``True``), the upright one (``False``),
    or neither (``None``); asked only when no other cue decided.

    A highlight on the emblem adds white to it: its red and gold lose their distance from blue
    in absolute terms (what :func:`_emblem_fraction` asks, against the paper level) but keep it
    relative to the pixel's own brightness. That relative test alone would take an orange sleeve
    in a portrait for an emblem, so it counts only on a card whose photo boxes hold no photo, and
    only with the emblem in one box and (almost) nothing warm in the other.
    """
    s = settings
    portrait = LAYOUTS["cn_resident_id_front"].portrait
    emblem = LAYOUTS["cn_resident_id_back"].emblem
    assert portrait is not None and emblem is not None
    if max(_photo_fraction(_crop(card, box, ID1_MM), paper) for box in (portrait, mirrored(portrait, ID1_MM))) \
            > s.max_faded_emblem_photo_fraction:
        return None
    upright, turned = (_warm_fraction(_crop(card, box, ID1_MM), s) for box in (emblem, mirrored(emblem, ID1_MM)))
    high, low = max(upright, turned), min(upright, turned)
    if high >= s.min_faded_emblem_fraction and low <= 0.25 * high:
        return turned > upright
    return None


def _warm_fraction(rgb: np.ndarray, settings: DocumentSettings) -> float:
    """Share of ``rgb`` that is red to gold relative to its own brightness (red minus blue over red)."""
    if rgb.size == 0:
        return 0.0
    r, g, b = (rgb[:, :, i].astype(np.float32) for i in range(3))
    warm = ((r - b) > settings.faded_emblem_chroma * r) & (r >= g) & ((r - b) > settings.faded_emblem_min_warmth)
    return float(warm.mean())


def _portrait_side(card: np.ndarray, size_mm: tuple[float, float], paper: float,
                   settings: DocumentSettings) -> bool | None:
    """Whether the photo is in the turned photo box (``True``), the upright one (``False``), or neither (``None``)."""
    portrait = LAYOUTS["cn_resident_id_front" if size_mm == ID1_MM else "mrz_td3"].portrait
    assert portrait is not None
    upright = _photo_fraction(_crop(card, portrait, size_mm), paper)
    turned = _photo_fraction(_crop(card, mirrored(portrait, size_mm), size_mm), paper)
    high, low = max(upright, turned), min(upright, turned)
    if (high >= settings.min_portrait_fraction and high - low > 0.15) or \
            (size_mm == ID1_MM and high >= settings.min_portrait_fraction_lone and low <= 0.25 * high):
        return turned > upright
    return None


def quality_cues(card: np.ndarray, settings: DocumentSettings, boxes: Sequence[Box] = (),
                 size_mm: tuple[float, float] = ID1_MM) -> tuple[float, float, float]:
    """``(sharpness, glare_fraction, exposure)`` of an upright rectified card.

    Sharpness is the variance of the Laplacian on the 0..255 grey card at the
    finder's rectification scale; glare is the largest share of any of ``boxes``
    (the layout's :attr:`~.layouts.Layout.glare_boxes`; the whole card without
    them) at or above ``glare_luma``, so a highlight on the photo or on the end
    of the ID number counts as much as one on the name; exposure the mean luma
    over the card, 0..1.
    """
    gray = cv2.cvtColor(card, cv2.COLOR_RGB2GRAY)
    sharpness = float(cv2.Laplacian(gray, cv2.CV_64F).var())
    regions = [_crop(gray, box, size_mm) for box in boxes] or [gray]
    glare = max((float((region >= settings.glare_luma).mean()) for region in regions if region.size), default=0.0)
    return sharpness, glare, float(gray.mean() / 255.0)


def glare_spot(card: np.ndarray, settings: DocumentSettings) -> tuple[float, float] | None:
    """Where the glare is on an upright rectified card: the centre of its blown-out pixels, as
    fractions of the card's width and height (x right, y down); ``None`` when none are.

    Over the whole card, not the layout's boxes: the guide moves the whole highlight off the
    card, and a side taken wrongly (glare can make a front look like an MRZ page) would put
    the boxes, and a centre measured in them, in the wrong place.

    >>> card = np.full((54, 86, 3), 120, np.uint8)
    >>> card[40:46, 10:16] = 255
    >>> [round(v, 2) for v in glare_spot(card, DocumentSettings())]
    [0.15, 0.8]
    >>> glare_spot(np.full((54, 86, 3), 120, np.uint8), DocumentSettings()) is None
    True
    """
    gray = cv2.cvtColor(card, cv2.COLOR_RGB2GRAY)
    ys, xs = np.nonzero(gray >= settings.glare_luma)
    if xs.size == 0:
        return None
    h, w = gray.shape
    return float((xs.mean() + 0.5) / w), float((ys.mean() + 0.5) / h)
