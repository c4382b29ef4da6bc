"""The OCR protocol and its default engine, PP-OCRv4 run by rapidocr-onnxruntime.

rapidocr-onnxruntime 1.4.4 bundles PaddleOCR's PP-OCRv4 detection, recognition
and angle-classification models as ONNX files inside its wheel, so nothing is
downloaded. ONNX sessions are costly to create, so :func:`default_engine`
creates one engine per process and per thread count, and every caller reuses it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from barrierfree.errors import EngineUnavailable


@dataclass(frozen=True, eq=False)
class TextLine:
    """One recognised line: its text, confidence (0..1) and box ``(4, 2)`` in pixels."""

    text: str
    confidence: float
    box: np.ndarray


class OcrEngine(Protocol):
    """Anything that reads text lines from an RGB image."""

    def read(self, image: np.ndarray) -> list[TextLine]: ...


class RapidOcrEngine:
    """PP-OCRv4 through rapidocr-onnxruntime; safe to share between threads."""

    def __init__(self, threads: int = 1) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as error:  # pragma: no cover - depends on the install
            raise EngineUnavailable(
                "ocr-engine-missing", f"rapidocr-onnxruntime cannot be imported ({error}); run scripts/setup."
            ) from None
        self.threads = threads
        self._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
        self._lock = threading.Lock()

    def read(self, image: np.ndarray, *, use_angle_cls: bool = True) -> list[TextLine]:
        """Detect and recognise every line of an RGB image, top to bottom."""
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        with self._lock:
            result, _ = self._ocr(bgr, use_cls=use_angle_cls)
        lines = [
            TextLine(text=str(text), confidence=float(score), box=np.asarray(box, dtype=np.float32))
            for box, text, score in (result or [])
        ]
        return sorted(lines, key=lambda line: (float(line.box[:, 1].mean()), float(line.box[:, 0].min())))

    @property
    def rapidocr(self):  # noqa: ANN201 - the wrapped engine, for field-level recognition
        return self._ocr


@lru_cache(maxsize=4)
def default_engine(threads: int = 1) -> RapidOcrEngine:
    """The process-wide OCR engine for a thread count (created once, then reused)."""
    return RapidOcrEngine(threads=threads)
