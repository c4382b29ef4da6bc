"""Optical character recognition behind a small protocol."""

from barrierfree.vision.ocr.engine import OcrEngine, RapidOcrEngine, TextLine, default_engine

__all__ = ["OcrEngine", "RapidOcrEngine", "TextLine", "default_engine"]
