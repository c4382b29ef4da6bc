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
        RapidOCR = _import("rapidocr_onnxruntime", "rapidocr-onnxruntime", "run scripts/setup")  # noqa: N806
        self.threads = threads
        self._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)
        self._lock = threading.Lock()

    def read(self, image: np.ndarray, *, use_angle_cls: bool = True) -> list[TextLine]:
        """Detect and recognise every line of an RGB image, top to bottom."""
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        with self._lock:
            result, _ = self._ocr(bgr, use_cls=use_angle_cls)
        return _lines([(box, text, score) for box, text, score in (result or [])])

    def detect(self, image: np.ndarray, *, max_side_px: int = 736) -> list[np.ndarray]:
        """Text-line boxes ``(4, 2)`` (TL, TR, BR, BL, pixels) in an RGB image, top to bottom.

        Unlike :meth:`read`, the detector sees the image shrunk so that its longer
        side is at most ``max_side_px`` (never enlarged): a rectified card's text is
        large enough that detection at a few pixels per millimetre finds every line,
        and detection cost grows with the pixel count.
        """
        from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

        bgr = np.ascontiguousarray(image[:, :, ::-1])
        detector = self._ocr.text_det
        with self._lock:
            preprocess = DetPreProcess(max_side_px, "max", detector.mean, detector.std)
            resized = preprocess.resize(bgr)
            if resized is None:
                return []
            predictions = detector.infer(_det_tensor(preprocess, resized))[0]
            boxes, _ = detector.postprocess_op(predictions, bgr.shape[:2])
            boxes = detector.filter_tag_det_res(boxes, bgr.shape[:2]) if len(boxes) else []
        found = [np.asarray(box, np.float32) for box in boxes]
        return sorted(found, key=lambda box: (float(box[:, 1].mean()), float(box[:, 0].min())))

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Recognise each RGB crop as one upright text line: ``(text, confidence 0..1)`` per crop.

        No detection and no angle classifier: the caller already knows where
        the lines are and which way up they are (a rectified card), which is
        where the speed-up over :meth:`read` comes from. Each crop is run on its
        own, padded to RapidOCR's 320 px minimum but not to the widest crop of a
        batch as RapidOCR's batching does: that nearly doubled the recogniser's
        work on a card (the ID number's crop is 540 px wide at 48 px high), and
        a crop alone reads exactly as RapidOCR reads it (same texts on the crops
        of 60 generated cards, both sides, in about 70% of the CPU time). Short
        crops need the 320 px: with less, ``0室`` and ``7室`` lost their digit.
        """
        if not crops:
            return []
        recogniser = self._ocr.text_rec
        results = []
        with self._lock:
            for crop in crops:
                probs = recogniser.session(_line_tensor(recogniser, crop))[0]
                (text, score), = recogniser.postprocess_op(probs)
                results.append((str(text), float(score)))
        return results

    def character_probabilities(self, crop: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """The recogniser's ``(T, C)`` per-step character probabilities for one RGB line crop, and its characters.

        Index 0 is the CTC blank. Used to choose among a closed set of words
        (:func:`barrierfree.vision.ocr.ctc.best_word`).
        """
        recogniser = self._ocr.text_rec
        tensor = _line_tensor(recogniser, crop)
        with self._lock:
            probs = recogniser.session(tensor)[0][0]
        return probs, list(recogniser.postprocess_op.character)

    @property
    def rapidocr(self):  # noqa: ANN201 - the wrapped engine, for field-level recognition
        return self._ocr


def _import(module: str, package: str, hint: str):  # noqa: ANN202 - the engine's RapidOCR class
    try:
        return __import__(module, fromlist=["RapidOCR"]).RapidOCR
    except ImportError as error:  # pragma: no cover - depends on the install
        raise EngineUnavailable("ocr-engine-missing", f"{package} cannot be imported ({error}); {hint}.") from None


def _det_tensor(preprocess, resized: np.ndarray) -> np.ndarray:  # noqa: ANN001 - RapidOCR's DetPreProcess
    """``preprocess``'s ``(1, 3, H, W)`` input for a resized BGR uint8 image, by table lookup.

    RapidOCR normalises every pixel in float64 and converts the result to float32 (about a
    tenth of the detector's time on a rectified card). A pixel's value depends on its channel
    and its 8-bit level alone, so each channel's 256 values are normalised once by RapidOCR's
    own ``normalize`` and looked up: the tensor is the same, element for element.
    """
    levels = np.repeat(np.arange(256, dtype=np.uint8)[np.newaxis, :, np.newaxis], 3, axis=2)
    table = preprocess.normalize(levels)[0].astype(np.float32)  # (256, 3)
    return np.stack([table[:, c][resized[:, :, c]] for c in range(3)])[np.newaxis]


def _lines(found: list) -> list[TextLine]:
    """``(box, text, score)`` triples as text lines, top to bottom then left to right."""
    lines = [TextLine(text=str(text), confidence=float(score), box=np.asarray(box, dtype=np.float32))
             for box, text, score in found]
    return sorted(lines, key=lambda line: (float(line.box[:, 1].mean()), float(line.box[:, 0].min())))


def _line_tensor(recogniser, crop: np.ndarray) -> np.ndarray:  # noqa: ANN001 - RapidOCR's TextRecognizer
    """One RGB line crop as RapidOCR prepares it when it is alone in its batch: ``(1, 3, 48, W)``,
    at least 320 px wide (grey padding on the right), values -1..1, BGR."""
    _, height, width = recogniser.rec_image_shape
    ratio = max(width / height, crop.shape[1] / max(crop.shape[0], 1))
    return recogniser.resize_norm_img(np.ascontiguousarray(crop[:, :, ::-1]), ratio)[np.newaxis].astype(np.float32)


class RapidOcr3Engine(RapidOcrEngine):
    """PP-OCRv6 small (det/rec) run by ``rapidocr`` 3.x, whose wheel bundles those ONNX models.

    Same interface as :class:`RapidOcrEngine`. Installed as the optional extra ``ocr-v6``:
    ``rapidocr`` declares ``opencv-python-headless``, which must not be installed next to the
    ``opencv-contrib-python-headless`` that mediapipe needs (both own the ``cv2`` module), so it
    goes in with ``pip install --no-deps`` and its pure-Python needs (omegaconf, colorlog).
    Nothing is downloaded: the bundled models' checksums match, so RapidOCR uses them as they are.
    """

    def __init__(self, threads: int = 1) -> None:
        RapidOCR = _import("rapidocr", "rapidocr (3.x)", "install the ocr-v6 extra (scripts/setup does)")  # noqa: N806
        self.threads = threads
        self._ocr = RapidOCR(params={"Global.log_level": "warning",
                                     "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                                     "EngineConfig.onnxruntime.inter_op_num_threads": 1})
        # RapidOCR 3 loads its models on first use; they are loaded now, once.
        self._ocr._load_det_model()
        self._ocr._load_rec_model()
        self._lock = threading.Lock()

    def read(self, image: np.ndarray, *, use_angle_cls: bool = True) -> list[TextLine]:
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        with self._lock:
            result = self._ocr(bgr, use_cls=use_angle_cls)
        boxes, texts, scores = result.boxes, result.txts, result.scores
        return _lines(list(zip(boxes if boxes is not None else [], texts or [], scores or [])))

    def detect(self, image: np.ndarray, *, max_side_px: int = 736) -> list[np.ndarray]:
        from rapidocr.ch_ppocr_det.utils import DetPreProcess

        bgr = np.ascontiguousarray(image[:, :, ::-1])
        detector = self._ocr.text_det
        with self._lock:
            tensor = DetPreProcess(max_side_px, "max", detector.mean, detector.std)(bgr)
            if tensor is None:
                return []
            boxes, _ = detector.postprocess_op(detector.session(tensor), bgr.shape[:2])
        found = [np.asarray(box, np.float32) for box in (boxes if boxes is not None else [])]
        return sorted(found, key=lambda box: (float(box[:, 1].mean()), float(box[:, 0].min())))

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        from barrierfree.vision.ocr.ctc import greedy_with_steps

        results = []
        for crop in crops:
            probs, characters = self.character_probabilities(crop)
            found = greedy_with_steps(probs, characters)
            results.append(("".join(c for c, *_ in found), float(np.mean([p for _, p, *_ in found])) if found else 0.0))
        return results

    def character_probabilities(self, crop: np.ndarray) -> tuple[np.ndarray, list[str]]:
        recogniser = self._ocr.text_rec
        tensor = _line_tensor(recogniser, crop)
        with self._lock:
            probs = recogniser.session(tensor)[0]
        return probs, list(recogniser.postprocess_op.character)


#: The OCR engines by setting value (``BARRIERFREE_OCR_ENGINE``).
ENGINES = {"pp-ocrv4": RapidOcrEngine, "pp-ocrv6": RapidOcr3Engine}


@lru_cache(maxsize=4)
def default_engine(threads: int = 1, name: str = "pp-ocrv4") -> RapidOcrEngine:
    """The process-wide OCR engine for a thread count and engine name (created once, then reused)."""
    return ENGINES[name](threads=threads)
