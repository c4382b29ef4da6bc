"""The detector's input tensor, built by table lookup, is RapidOCR's own, element for element."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess
from testkit import cards
from barrierfree.vision.ocr.engine import _det_tensor, default_engine


@pytest.mark.parametrize(("max_side_px", "mean", "std"), [
    (576, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),  # PP-OCRv4's detector, as configured in the wheel
    (736, (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),  # any per-channel normalisation
])
def test_the_lookup_tensor_equals_rapidocrs_preprocessing(max_side_px, mean, std):
    photo = cards.random_photo(3, today=date(2026, 12, 7)).pixels
    bgr = np.ascontiguousarray(photo[:, :, ::-1])
    preprocess = DetPreProcess(max_side_px, "max", list(mean), list(std))
    expected = preprocess(bgr)
    found = _det_tensor(preprocess, preprocess.resize(bgr))
    assert found.dtype == expected.dtype and found.shape == expected.shape
    assert np.array_equal(found, expected)


def test_detect_finds_the_lines_rapidocr_finds_with_its_own_preprocessing():
    engine = default_engine(1)
    photo = cards.random_photo(5, today=date(2026, 12, 7)).pixels
    detector = engine.rapidocr.text_det
    bgr = np.ascontiguousarray(photo[:, :, ::-1])
    predictions = detector.infer(DetPreProcess(736, "max", detector.mean, detector.std)(bgr))[0]
    boxes, _ = detector.postprocess_op(predictions, bgr.shape[:2])
    boxes = detector.filter_tag_det_res(boxes, bgr.shape[:2])
    found = engine.detect(photo, max_side_px=736)
    assert len(found) == len(boxes) > 5
    key = lambda box: (float(box[:, 1].mean()), float(box[:, 0].min()))  # noqa: E731
    assert all(np.array_equal(a, b) for a, b in zip(found, sorted((np.asarray(b, np.float32) for b in boxes), key=key)))
