"""Thresholds and options of the document area (``BARRIERFREE_DOCUMENT__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class DocumentSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: OCR lines below this recognition confidence (0..1) are ignored.
    min_line_confidence: float = 0.5
