"""ID-card portrait versions and live-camera versions of one real photo, for face-match pairs.

A genuine pair is an ID-card version of a photo against a live-camera version of
the same person. Card versions (:func:`card_versions`):

- ``halftone``: the portrait printed with a rotated dot screen (offset print), seen by a camera;
- ``350dpi``: printed at 350 dpi on a 26 × 32 mm photo area, then captured at 8 px/mm;
- ``glare``: a laminate's specular streak over the portrait;
- ``card``: the portrait side of a card rendered by :mod:`testkit.cards` at
  the card reader's 8 px/mm (the reader's own crop is taken by the caller, so this
  module does not import the code it helps to evaluate).

Live versions (:func:`live_versions`): ``blur`` (phone focus and hand shake),
``noise`` (sensor noise in dim light, JPEG), ``lighting`` (warm side light,
one cheek darker). Everything is seeded and deterministic.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import cv2
import numpy as np

from testkit import cards, cards_flat

#: Print and capture resolutions (pixels per millimetre).
PRINT_PX_PER_MM = 350 / 25.4
READER_PX_PER_MM = 8.0
#: The photo area of a resident ID card, millimetres (width, height).
PHOTO_MM = (26.0, 32.0)


def head_crop(name: str) -> np.ndarray:
    """The head-and-shoulders crop (3:4) that the card renderer puts on a card."""
    return cards_flat._portrait_photo(name)


def _jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _at_size(rgb: np.ndarray, px_per_mm: float) -> np.ndarray:
    width, height = (round(mm * px_per_mm) for mm in PHOTO_MM)
    return cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)


def _captured(rgb: np.ndarray, seed: int) -> np.ndarray:
    """A printed photo area seen by the card camera: down to 8 px/mm, slight blur and noise, JPEG."""
    rng = np.random.default_rng(seed)
    small = _at_size(rgb, READER_PX_PER_MM).astype(np.float32)
    small = cv2.GaussianBlur(small, (0, 0), 0.6) + rng.normal(0, 3.0, small.shape)
    return _jpeg(np.clip(small, 0, 255).astype(np.uint8), 80)


def halftone(rgb: np.ndarray, seed: int = 0) -> np.ndarray:
    """An offset print: each ink channel as dots on a 45°-rotated screen (~7 dots per mm), then captured."""
    printed = _at_size(rgb, PRINT_PX_PER_MM).astype(np.float32) / 255.0
    h, w = printed.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = PRINT_PX_PER_MM / 7.0
    out = np.empty_like(printed)
    for channel, angle in enumerate((15.0, 75.0, 45.0)):
        a = np.deg2rad(angle)
        u, v = xx * np.cos(a) + yy * np.sin(a), -xx * np.sin(a) + yy * np.cos(a)
        screen = (np.cos(2 * np.pi * u / period) * np.cos(2 * np.pi * v / period) + 1) / 2  # 0..1
        ink = 1.0 - printed[:, :, channel]
        out[:, :, channel] = np.where(screen < ink, 0.0, 1.0)
    paper = cv2.GaussianBlur(out, (0, 0), period / 3)  # the camera does not resolve single dots
    return _captured((paper * 235 + 10).astype(np.uint8), seed)


def print_350dpi(rgb: np.ndarray, seed: int = 0) -> np.ndarray:
    """Printed at 350 dpi with a card printer's washed colours, then captured."""
    printed = _at_size(rgb, PRINT_PX_PER_MM).astype(np.float32)
    washed = 0.65 * printed + 0.35 * printed.mean(axis=2, keepdims=True) + 12
    return _captured(np.clip(washed, 0, 255).astype(np.uint8), seed)


def laminate_glare(rgb: np.ndarray, seed: int = 0) -> np.ndarray:
    """A specular streak of the laminate across the portrait (not over both eyes: that photo is retaken)."""
    rng = np.random.default_rng(seed)
    captured = _captured(rgb, seed).astype(np.float32)
    h, w = captured.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(-0.6, -0.3)
    offset = rng.uniform(0.75, 0.9) * h  # across the lower face and shoulders
    distance = (yy - offset - np.tan(angle) * (xx - w / 2)) * np.cos(angle)
    streak = np.exp(-(distance / (0.07 * h)) ** 2)[..., None]
    return np.clip(captured + streak * 170.0, 0, 255).astype(np.uint8)


#: The date the cards are made on: pinned, so that the card's draws (and so every figure) do not depend on the day of the run.
CARD_DATE = date(2026, 11, 29)


def card_front(name: str, seed: int = 0, today: date = CARD_DATE) -> np.ndarray:
    """The portrait side of a resident ID card with this person's photo, flat, at the reader's 8 px/mm."""
    person = cards.random_cn_person(np.random.default_rng(seed), today)
    person = dataclasses.replace(person, portrait=name)
    return cards.render_card(person, "front", px_per_mm=READER_PX_PER_MM, seed=seed)


def card_versions(name: str, seed: int = 0) -> dict[str, np.ndarray]:
    """The print-side versions (``halftone``, ``350dpi``, ``glare``) of a person's card photo."""
    crop = head_crop(name)
    return {"halftone": halftone(crop, seed), "350dpi": print_350dpi(crop, seed), "glare": laminate_glare(crop, seed)}


def live_versions(name: str, seed: int = 0) -> dict[str, np.ndarray]:
    """Live-camera versions of a person's photo: ``blur``, ``noise`` and ``lighting``."""
    from testkit.photos import load

    rng = np.random.default_rng(seed)
    photo = load(name)
    scale = min(1.0, 720 / max(photo.shape[:2]))  # a phone's front camera frame
    frame = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA).astype(np.float32)
    kernel = np.zeros((7, 7), np.float32)
    kernel[3, :] = 1 / 7  # hand shake along one direction
    blurred = cv2.filter2D(cv2.GaussianBlur(frame, (0, 0), 1.2), -1, kernel)
    dim = frame * 0.55
    noisy = dim + rng.normal(0, 9.0, frame.shape)
    h, w = frame.shape[:2]
    ramp = np.linspace(1.2, 0.6, w, dtype=np.float32)[None, :, None]
    warm = np.array([1.1, 0.97, 0.78], np.float32)
    lit = frame * ramp * warm
    return {
        "blur": _jpeg(np.clip(blurred, 0, 255).astype(np.uint8), 85),
        "noise": _jpeg(np.clip(noisy, 0, 255).astype(np.uint8), 75),
        "lighting": _jpeg(np.clip(lit, 0, 255).astype(np.uint8), 85),
    }
