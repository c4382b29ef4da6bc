"""A piece of the card taken for the whole card, for a frame or two.

Between frames that see the whole card, the card finder sometimes outlines a
piece of it instead: a strip along the frame's edge, or a block of its text.
Read as a whole card, that piece puts the phone two to four times as far from
the card, and the card at the frame's edge with a long way to go: "the card
is cut off, 9 centimetres to your right" for a card in place, seen from 13 cm
(the simulated users followed it, and lost the card). No hand moves a phone
like that between two frames, so such a detection is not guidance's to act on.

A card cut off by the frame can be outlined as a piece of it for longer, on
every frame it is found at all (the portrait photo of an ID card cut off on
its photo's side, taken for a card turned on its side): the filter above then
lets it through after a frame or two without a detection. Its moves are said
without a distance when its scale is out of line with a card recently seen
(nearly) whole.

The scale is the width of the frame in the card's plane, in mm
(:func:`~.measure.card_frame_mm`): it grows with the phone's distance from
the card. Times are seconds on the stream's clock.
"""

from __future__ import annotations

import math
from collections import deque

from barrierfree.accessibility.guidance.measure import card_frame_mm
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card.observation import CardObservation


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
        self._seen: deque[tuple[float, tuple[float, float]]] = deque()  # (t, frame mm) of mostly visible cards

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
        if observation.visible_fraction >= self.settings.card_scale_min_visible:
            self._seen.append((t, extent))
        self._forget(t)
        return False

    def frame_mm(self, observation: CardObservation, t: float) -> tuple[float, float] | None:
        """The frame's width and height in the card's plane, in mm, to measure moves with
        (:func:`~.measure.card_frame_mm`); ``None`` when unknown, or when the card is cut off by
        the frame and its scale puts the phone more than ``card_scale_doubt_ratio`` times as far
        as a mostly visible card (``card_scale_min_visible``) did in the last ``card_scale_memory_s``.

        >>> import numpy as np
        >>> def seen(x_px, side_px, cut=()):  # a card seen square-on, ``side_px`` pixels long
        ...     quad = np.array([[x_px, 0], [x_px + side_px, 0], [x_px + side_px, side_px / 1.586],
        ...                      [x_px, side_px / 1.586]], float)
        ...     return CardObservation(found=True, frame_size=(480, 640), quad=quad, aspect_ratio=1.586,
        ...                            cut_edges=frozenset(cut), visible_fraction=1.0 if not cut else 0.6)
        >>> scale = CardScale(GuidanceSettings())
        >>> whole, piece = seen(100, 300), seen(380, 120, cut=("right",))
        >>> scale.fragment(whole, 0.0), scale.fragment(piece, 2.0)  # seen again after two seconds
        (False, False)
        >>> [round(v) for v in card_frame_mm(piece)], scale.frame_mm(piece, 2.0)
        ([342, 457], None)
        >>> [round(v) for v in scale.frame_mm(seen(300, 280, cut=("right",)), 2.0)]  # the card, cut off
        [147, 196]
        >>> [round(v) for v in scale.frame_mm(piece, 6.0)]  # nothing to go by any more
        [342, 457]
        """
        own = card_frame_mm(observation) if observation.found else None
        if own is None or not observation.cut_edges:
            return own
        self._forget(t)
        closest = min((extent[0] for _, extent in self._seen), default=math.inf)
        return None if own[0] > self.settings.card_scale_doubt_ratio * closest else own

    def _forget(self, t: float) -> None:
        memory = self.settings.card_scale_memory_s * self._m
        while self._seen and self._seen[0][0] < t - memory:
            self._seen.popleft()
