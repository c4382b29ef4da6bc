"""What the camera sees of an ID card in one frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

CardSide = Literal["portrait", "emblem", "mrz", "unknown"]


@dataclass(frozen=True, eq=False)
class CardObservation:
    """One frame's card facts, for guidance and capture.

    Geometry is in the frame as captured: pixels, origin top-left, x right, y down.
    ``quad`` is the card's corners ``(4, 2)`` in the card's reading order
    (top-left, top-right, bottom-right, bottom-left of the printed card), so
    an upside-down card has its top-left corner near the image's bottom-right.
    """

    found: bool
    frame_size: tuple[int, int]  # (width, height) in pixels
    timestamp_s: float | None = None
    quad: np.ndarray | None = None
    #: Card area over frame area (0..1).
    coverage: float = 0.0
    #: Card centre over frame size, (0..1, 0..1).
    center: tuple[float, float] | None = None
    #: Frame sides the card crosses: subset of {"left", "right", "top", "bottom"} in image terms.
    cut_edges: frozenset[str] = field(default_factory=frozenset)
    #: In-plane rotation of the card's top edge from the image's x axis, degrees (clockwise +).
    skew_deg: float = 0.0
    #: Out-of-plane tilt estimated from the quad's perspective, degrees.
    tilt_deg: float = 0.0
    #: Variance of the Laplacian over the rectified card, on a 0..255 grey scale.
    sharpness: float = 0.0
    #: Share of the card's text area that is blown out by glare (0..1).
    glare_fraction: float = 0.0
    #: Mean luma over the card (0..1).
    exposure: float = 0.0
    side: CardSide = "unknown"
    upside_down: bool = False
    #: Share of the whole card (extrapolated past the frame when cut off) that is in view (0..1).
    visible_fraction: float = 0.0
    #: The document the cheap cues suggest (``cn_resident_id_front``, ``cn_resident_id_back``,
    #: ``mrz_td1``, ``mrz_td3`` for any ID-2/ID-3 MRZ page), or ``None`` when unsure.
    document_type: str | None = None
    #: Long over short side of the card with perspective undone (ID-1 1.586, ID-2/ID-3 1.42).
    aspect_ratio: float = 0.0
    #: Where the glare on what is read or matched is, as a share of the frame's width and height
    #: (the centre of its blown-out pixels); ``None`` without glare.
    glare_center: tuple[float, float] | None = None
