"""Which way to move the phone to take a lamp's reflection off the card, and how far.

The reflection of a lamp in the card's laminate sits where the line from the
camera to the lamp's mirror image crosses the table. Move the phone and the
reflection moves with it, almost as far (the lamp is far higher above the
table than the phone: 50-90 cm against 10-18 cm), while the card stays where
it is. So a move of the phone slides the reflection across the card, and a
few centimetres take it past the card's edge; the card itself only shifts in
the picture by as much. "Slide the card somewhere else" asks a blind person
to find a spot they cannot judge, and lost the card off the frame for the
simulated users.

The reflection leaves by the card's nearer long edge (across its short side:
5.4 cm against 8.6 cm), which in a portrait frame also has the most room.

Frame coordinates: fractions of the frame, x right, y down.
"""

from __future__ import annotations

import numpy as np

from barrierfree.accessibility.guidance.directions import needed_move, word
from barrierfree.accessibility.guidance.model import Camera, Direction
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card.observation import CardObservation


def glare_escape(obs: CardObservation, extent_mm: tuple[float, float] | None, camera: Camera, flat: bool,
                 s: GuidanceSettings) -> tuple[Direction, float] | None:
    """The phone move that takes the glare at ``obs.glare_center`` past the card's nearer edge
    across its short side, and its length in mm (``glare_escape_margin_mm`` beyond the edge);
    ``None`` when the glare's place or the card's size is unknown. ``extent_mm`` is the frame's
    width and height in the card's plane (:func:`~.measure.card_frame_mm`).

    >>> from barrierfree.accessibility.guidance.measure import card_frame_mm
    >>> quad = np.array([[100, 200], [380, 200], [380, 377], [100, 377]], float)  # 85.6 mm = 280 px
    >>> obs = CardObservation(found=True, frame_size=(480, 640), quad=quad, center=(0.5, 0.45),
    ...                       aspect_ratio=1.586, glare_center=(0.6, 0.40))
    >>> way, mm = glare_escape(obs, card_frame_mm(obs), "back", True, GuidanceSettings())
    >>> way, round(mm)  # the glare is above the middle: it leaves by the top edge, 17 mm away
    ('away', 29)
    """
    if obs.glare_center is None or obs.quad is None or obs.center is None or extent_mm is None:
        return None
    quad = np.asarray(obs.quad, float)
    width_px, height_px = obs.frame_size
    half = (float(np.ptp(quad[:, 0])) / width_px / 2, float(np.ptp(quad[:, 1])) / height_px / 2)
    across = 1 if half[1] * extent_mm[1] <= half[0] * extent_mm[0] else 0  # the card's short side, in the frame
    offset = obs.glare_center[across] - obs.center[across]
    left_mm = max(0.0, half[across] - abs(offset)) * extent_mm[across] + s.glare_escape_margin_mm
    # The card must move in the picture away from the side the glare is on: the phone moves as it
    # would to centre a target on that side. (An offset of 0 leaves by the far edge, equally near.)
    side = 1.0 if offset >= 0 else -1.0
    horizontal, vertical = needed_move(side if across == 0 else 0.0, side if across == 1 else 0.0, camera)
    return word(horizontal, vertical, flat), left_mm
