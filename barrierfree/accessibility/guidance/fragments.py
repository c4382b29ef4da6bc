"""A piece of the card taken for the whole card, for a frame or two.

Between frames that see the whole card, the card finder sometimes outlines a
piece of it instead: a strip along the frame's edge, or a block of its text.
Read as a whole card, that piece puts the phone two to four times as far from
the card, and the card at the frame's edge with a long way to go: "the card
is cut off, 9 centimetres to your right" for a card in place, seen from 13 cm
(the simulated users followed it, and lost the card). No hand moves a phone
like that between two frames, so such a detection is not guidance's to act on.

The scale is the width of the frame in the card's plane, in mm
(:func:`~.measure.card_frame_mm`): it grows with the phone's distance from
the card. Times are seconds on the stream's clock.
"""

from __future__ import annotations

import math

from barrierfree.accessibility.guidance.measure import card_frame_mm
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.document.observation import CardObservation


class CardScale:
    """The card's scale on the last detection taken, to tell a piece of the card from the card.

    >>> import numpy as np
    >>> def seen(side_px):  # a card seen square-on, ``side_px`` pixels long
    ...     quad = np.array([[0, 0], [side_px, 0], [side_px, side_px / 1.586], [0, side_px / 1.586]], float)
    ...     return CardObservation(found=True, frame_size=(480, 640), quad=quad, aspect_ratio=1.586)
    >>> scale = CardScale(GuidanceSettings())
    >>> scale.fragment(seen(300), 0.0), scale.fragment(seen(100), 1 / 6)  # a third of the card
    (False, True)
    >>> scale.fragment(seen(280), 2 / 6)  # the card again, the phone a little higher
    False
    """

    def __init__(self, settings: GuidanceSettings, multiplier: float = 1.0) -> None:
        self.settings, self._m = settings, multiplier
        self._last: tuple[float, float] | None = None  # (t, frame width in mm) of the last detection taken

    def fragment(self, observation: CardObservation, t: float) -> bool:
        """Whether ``observation`` at ``t`` is a piece of the card: its scale puts the phone
        farther from the card than the last detection did by more than a hand moves it in the
        time between (``card_max_recede_rate_per_s``). Otherwise it becomes the last detection."""
        extent = card_frame_mm(observation) if observation.found else None
        if extent is None or not math.isfinite(extent[0]) or extent[0] <= 0:
            return False
        if self._last is not None and t > self._last[0]:
            rate = math.log(extent[0] / self._last[1]) / (t - self._last[0])
            if rate > self.settings.card_max_recede_rate_per_s / self._m:
                return True
        self._last = (t, extent[0])
        return False
