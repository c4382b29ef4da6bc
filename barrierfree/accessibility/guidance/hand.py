"""How far this person really moves the phone when told "about N centimetres".

People judge distance by feel, and they are consistent about it: one moves
half as far again as asked, another stops short. A helper standing next to
them notices after one or two moves and adjusts what they say; so does the
:class:`HandGain`. After each move it was told the distance of, once the
person has stopped, it compares how far the target really moved (measured on
the target itself, see :mod:`.measure`) with the distance said; the gain is
the geometric mean of the last ``hand_gain_moves`` ratios, and the next
distance said is the distance needed divided by it.

Axes are the phone move in mm: (right +, up or away +, farther +).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from barrierfree.accessibility.guidance.model import Cue
from barrierfree.settings.guidance import GuidanceSettings

#: The axis and sign of each direction word, in (right, up/away, farther).
_AXES = {"right": (0, 1.0), "left": (0, -1.0), "up": (1, 1.0), "away": (1, 1.0), "down": (1, -1.0),
         "toward": (1, -1.0), "farther": (2, 1.0), "closer": (2, -1.0)}

Needed = tuple[float | None, float | None, float | None]


@dataclass(frozen=True)
class _Told:
    axis: int
    sign: float
    said_mm: float
    needed_before: float
    at_s: float


class HandGain:
    """Learns the person's gain (distance moved over distance said) from their moves.

    >>> gain = HandGain(GuidanceSettings())
    >>> gain.told(Cue("face.move_left_by", "off_centre", 3, "left", (("cm", 10),)), (-100.0, 0.0, 0.0), 0.0)
    True
    >>> gain.settled((-97.0, 0.0, 0.0))  # 3 mm of sway: not a move, nothing learnt
    False
    >>> gain.settled((50.0, 0.0, 0.0))  # went 150 mm for the 100 said
    True
    >>> round(gain.value, 2)
    1.5
    """

    def __init__(self, settings: GuidanceSettings) -> None:
        self.settings = settings
        self.value = 1.0
        self._ratios: deque[float] = deque(maxlen=settings.hand_gain_moves)
        self._told: _Told | None = None

    def told(self, spoken: Cue, needed: Needed, t: float, moving: bool = False) -> bool:
        """A cue was said: remember the distance said and where the target was, if it said one.
        Returns whether this cue's move is the one being measured.

        A move already under way (the target went a good part of the last distance
        said) is measured first, when they stop; the new cue is then not measured.
        But a cue said while the hand is still ``moving`` that does not go the same way
        ("hold still", or another way) stops the person where they are: that move's length
        is the guide's doing, not the hand's, and is not measured. A simulated user stopped
        by "hold still" 3 cm into "7 cm away" was taken for a hand of gain 0.5, and every
        distance said after was doubled; they lost the card.
        """
        if self._told is not None and self.moved(needed) is not None:
            if moving and _AXES.get(spoken.direction or "") != (self._told.axis, self._told.sign):
                self._told = None
            return False
        cm = dict(spoken.params).get("cm")
        axis_sign = _AXES.get(spoken.direction or "")
        if cm is None or axis_sign is None or needed[axis_sign[0]] is None:
            self._told = None  # a cue without a distance ends the measurement of the last one
            return False
        axis, sign = axis_sign
        self._told = _Told(axis, sign, 10.0 * float(cm), float(needed[axis]), t)  # type: ignore[arg-type]
        return True

    def discard(self) -> None:
        """Measure nothing from the move just told: the person may be making another one too."""
        self._told = None

    def settled(self, needed: Needed) -> bool:
        """The person is still: if they made the move they were told, learn from how far they
        went. Returns whether a move was made (and measured)."""
        told, moved = self._told, self.moved(needed)
        if told is None or moved is None:
            return False  # nothing told, or not moved yet (sway and drift are not a move)
        self._told = None
        s = self.settings
        if told.said_mm < s.hand_gain_min_said_mm or moved <= 0:
            return True  # too small to tell, or went the wrong way (misheard): nothing about their gain
        self._ratios.append(min(s.hand_gain_max, max(s.hand_gain_min, moved / told.said_mm)))
        self.value = math.exp(sum(math.log(r) for r in self._ratios) / len(self._ratios))
        return True

    @property
    def told_at(self) -> float | None:
        """When the distance being measured was said (``None`` when none is)."""
        return None if self._told is None else self._told.at_s

    @property
    def measuring(self) -> bool:
        """Whether a distance was said and the move it asked for is not measured yet."""
        return self._told is not None

    def moved(self, needed: Needed) -> float | None:
        """How far the target went along the told direction, in mm, once that is a real move
        (a third of the distance said, either way); ``None`` before."""
        told = self._told
        if told is None or needed[told.axis] is None:
            return None
        moved = (told.needed_before - float(needed[told.axis])) * told.sign  # type: ignore[arg-type]
        return moved if abs(moved) >= told.said_mm / 3 else None


def progress_along(spoken: Cue | None, before: Needed, now: Needed) -> tuple[float, float] | None:
    """How far the target has come along a directional cue's direction since it was said,
    and how far it had to go then, in mm; ``None`` for a cue without a direction or a ruler.

    >>> cue = Cue("card.move_left_by", "off_centre", 3, "left", (("cm", 3),))
    >>> progress_along(cue, (-30.0, 5.0, 0.0), (-12.0, 9.0, 0.0))
    (18.0, 30.0)
    """
    axis_sign = _AXES.get(spoken.direction or "") if spoken is not None else None
    if axis_sign is None or before[axis_sign[0]] is None or now[axis_sign[0]] is None:
        return None
    axis, sign = axis_sign
    return (float(before[axis]) - float(now[axis])) * sign, abs(float(before[axis]))  # type: ignore[arg-type]
