"""Reading identity documents: PRC resident ID cards (both sides) and, through :mod:`barrierfree.vision.mrz`, ICAO 9303 MRZs.

``read_document(frame) -> DocumentReading`` is the entry point for both; the parsers
(:mod:`.cn_ric_front`, :mod:`.cn_ric_back`, :mod:`barrierfree.vision.mrz.zone`) can be used on their own.
"""

from barrierfree.vision.idcard.reader import read_document
from barrierfree.vision.idcard.reading import DOCUMENT_TYPES, Check, DocumentReading

__all__ = ["DOCUMENT_TYPES", "Check", "DocumentReading", "read_document"]
