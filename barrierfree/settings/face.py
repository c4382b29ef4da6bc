"""Thresholds and options of the face area (``BARRIERFREE_FACE__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FaceSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Smallest face accepted, as face-box width over frame width (0..1).
    min_face_width_fraction: float = 0.2
