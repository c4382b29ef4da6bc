"""Reading identity documents: PRC resident ID cards (both sides) and ICAO 9303 MRZs.

``read_document(frame) -> DocumentReading`` is the entry point; the parsers
(:mod:`cn_ric_front`, :mod:`cn_ric_back`, :mod:`mrz`) can be used on their own.
"""

from barrierfree.vision.documents.reader import read_document
from barrierfree.vision.documents.reading import DOCUMENT_TYPES, Check, DocumentReading

__all__ = ["DOCUMENT_TYPES", "Check", "DocumentReading", "read_document"]
