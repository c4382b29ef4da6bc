"""Decoding camera frames safely.

:func:`decode` turns JPEG/PNG/WebP bytes into a :class:`Frame`. It reads the
header first and refuses empty, truncated, oversized and decompression-bomb
inputs with a specific :class:`~barrierfree.errors.BadInput` before any large
allocation happens.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from barrierfree.errors import BadInput

#: Formats a camera or phone gallery produces; anything else is refused.
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "BMP"})


@dataclass(frozen=True, eq=False)
class Frame:
    """One RGB image as captured.

    ``pixels`` is ``(H, W, 3)`` uint8 RGB; ``timestamp_s`` is the capture time
    in seconds on the stream's own clock (``None`` when unknown).
    """

    pixels: np.ndarray
    timestamp_s: float | None = None

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def from_array(pixels: np.ndarray, timestamp_s: float | None = None) -> Frame:
    """Wrap an RGB (or greyscale) uint8 array, checking its shape."""
    array = np.asarray(pixels)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or array.dtype != np.uint8:
        raise BadInput("bad-image-array", f"Expected an (H, W, 3) uint8 RGB array, got {array.shape} {array.dtype}.")
    if min(array.shape[:2]) < 16:
        raise BadInput("image-too-small", f"The image is {array.shape[1]}×{array.shape[0]} pixels; at least 16×16 is needed.")
    return Frame(np.ascontiguousarray(array[:, :, :3]), timestamp_s)


def decode(
    data: bytes,
    timestamp_s: float | None = None,
    *,
    max_megapixels: float = 40.0,
    max_bytes: int = 20_000_000,
    charge: Callable[[int], None] | None = None,
) -> Frame:
    """Decode image bytes into a :class:`Frame`, refusing unsafe input clearly.

    ``charge``, when given, is told the image's pixel count once its header is read
    and before any pixel is decoded; it raises to refuse (a caller's budget over
    several images, e.g. one web request's).

    >>> decode(b"")
    Traceback (most recent call last):
    ...
    barrierfree.errors.BadInput: The image is empty (0 bytes).
    """
    if not data:
        raise BadInput("empty-image", "The image is empty (0 bytes).")
    if len(data) > max_bytes:
        raise BadInput("image-too-large", f"The image is {len(data)} bytes; the limit is {max_bytes}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            fmt = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadInput("image-too-large", "The image declares more pixels than is safe to decode.") from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on malformed data; each is the same answer
        raise BadInput("not-an-image", "The data is not a JPEG, PNG or WebP image.") from None
    if fmt not in ACCEPTED_FORMATS:
        raise BadInput("unsupported-image-format", f"{fmt} images are not accepted; send JPEG or PNG.")
    if width * height > max_megapixels * 1e6:
        raise BadInput(
            "image-too-large",
            f"The image is {width}×{height} ({width * height / 1e6:.0f} MP); the limit is {max_megapixels:g} MP. Downscale it first.",
        )
    if charge is not None:
        charge(width * height)
    try:
        image.load()
        rgb = np.asarray(image.convert("RGB"))
    except (OSError, SyntaxError, ValueError):
        raise BadInput("truncated-image", "The image data is truncated or corrupt; send the whole file again.") from None
    return from_array(rgb, timestamp_s)


def read(path: str | Path, timestamp_s: float | None = None, **limits: float) -> Frame:
    """Decode an image file; a missing file is :class:`BadInput`, not a traceback."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise BadInput("file-not-found", f"No such file: {path}") from None
    except IsADirectoryError:
        raise BadInput("not-a-file", f"{path} is a folder, not an image file.") from None
    return decode(data, timestamp_s, **limits)  # type: ignore[arg-type]
