"""The last instruction said, and how the person is carrying it out.

A helper gives one instruction, watches it being carried out, then gives the
next: they notice when the person has started, stopped short or gone past,
and how far this person really goes for a centimetre said. :class:`Response`
keeps what the guide needs for that: when the picture last moved (and moved
as only a hand on the move moves it), where the target was when the last cue
was said, and the person's :class:`~.hand.HandGain`. Times are seconds on the
stream's clock; durations × the profile's timeout multiplier; moves in mm
(right +, up or away +, farther +).
"""

from __future__ import annotations

import math

from barrierfree.accessibility.guidance.assess import centring_spot
from barrierfree.accessibility.guidance.clock import lasted
from barrierfree.accessibility.guidance.hand import HandGain, Needed, progress_along
from barrierfree.accessibility.guidance.model import Cue
from barrierfree.accessibility.guidance.upright import phone_tilt
from barrierfree.settings.guidance import GuidanceSettings

#: Where the target is in the picture: (centre as fractions of the frame, size), or ``None`` unseen.
Where = tuple[tuple[float, float], float] | None


class Response:
    """The person's response to the last cue, from what the camera sees frame by frame.

    >>> response = Response("face", GuidanceSettings())
    >>> response.now(((0.8, 0.45), 0.4), (-90.0, 0.0, 0.0))
    >>> response.told(Cue("face.move_left_by", "off_centre", 3, "left", (("cm", 9),)), 0.0)
    >>> response.saw(1.0, moving=True, found=True)
    >>> response.now(((0.6, 0.45), 0.4), (-40.0, 0.0, 0.0))
    >>> response.moved_since_cue(), response.still(1.5), response.still(1.8)
    (True, False, True)
    """

    def __init__(self, target: str, settings: GuidanceSettings, multiplier: float = 1.0) -> None:
        self.target, self.settings, self._m = target, settings, multiplier
        self.hand = HandGain(settings)
        self.last: Cue | None = None  # the last cue said (not a notice or an offer)
        self.last_at = -math.inf  # when it was said
        self._moved_at = -math.inf  # last time the target moved in the picture (or was out of sight)
        self._hand_moved_at = -math.inf  # last time it moved as only a hand on the move moves it
        self._needed: Needed = (None, None, None)  # the move needed now
        self._where: Where = None  # (centre, size) on this frame
        self._told_where: Where = None  # ... when the last cue was said
        self._told_needed: Needed = (None, None, None)  # the move needed when the last cue was said
        self._made_move = False  # the person made the move the last cue told them (measured)
        self._measuring = False  # the hand's gain is measuring the last cue's move
        self._beta: float | None = None  # the phone's tilt on this frame (its own sensor)
        self._told_beta: float | None = None  # ... when the last cue was said, if that was a phone tilt

    @property
    def where(self) -> Where:
        return self._where

    def saw(self, t: float, moving: bool, found: bool, beta: float | None = None) -> None:
        """A frame at ``t``: the target ``found`` or not; ``moving``: it moved as only a hand on
        the move moves it (faster than the still limit, or smeared on the way somewhere); ``beta``:
        the phone's front-back tilt its own sensor measured (``None``: unknown)."""
        self._beta = beta
        if moving:
            self._hand_moved_at = t
        if moving or not found:
            self._moved_at = t

    def learn(self, t: float, needed: Needed) -> bool:
        """Once the person is still after a move they were told the distance of, learn their hand's
        gain from it (a move, not drift: the hand moved after the cue). Returns whether the gain changed."""
        told_at = self.hand.told_at
        if not (self.settings.learn_hand_gain and self.still(t) and told_at is not None and self._hand_moved_at > told_at):
            return False
        before = self.hand.value
        made = self.hand.settled(needed)
        self._made_move = self._made_move or (made and self._measuring)
        return self.hand.value != before

    def now(self, where: Where, needed: Needed) -> None:
        """Where the target is on this frame (``None`` unseen), and the phone move it needs."""
        self._where, self._needed = where, needed

    def told(self, spoken: Cue, t: float, measure: bool = True) -> None:
        """A cue (not a notice or an offer) was said at ``t``; ``measure``: learn the person's
        gain from the move it asks for (not while they may still be making another)."""
        self.last, self.last_at = spoken, t
        if measure:
            self._measuring = self.hand.told(spoken, self._needed, t, self.moving(t, self.settings.cue_settle_s * self._m))
        else:
            self.hand.discard()
            self._measuring = False
        self._told_where, self._told_needed, self._made_move = self._where, self._needed, False
        self._told_beta = self._beta if phone_tilt(spoken) else None

    def moving(self, t: float, within: float) -> bool:
        """Whether the picture moved as a hand on the move moves it within ``within`` seconds of ``t``."""
        return not lasted(self._hand_moved_at, t, within)

    def still(self, t: float) -> bool:
        """Whether the target has kept still (and in sight) for ``update_after_still_s``."""
        return lasted(self._moved_at, t, self.settings.update_after_still_s * self._m)

    def stopped_after_moving(self, t: float) -> bool:
        """Whether the person moved after the last cue and has now been still for ``update_after_still_s``.

        Stillness alone is not enough: a person still listening to the last
        cue has not moved yet, and must not hear it again with a centimetre
        more or less because the detection jittered.
        """
        return self.moved_since_cue() and self.still(t)

    def due_for_repeat(self, t: float, heard: bool = True) -> bool:
        """An unchanged cue is said again ``repeat_interval_s`` after it was last said, unless the
        person is carrying it out: a repeat heard mid-move is taken for a second instruction
        (the simulated users made the move twice). Someone who never keeps still hears it
        again after twice that: silence must not last for ever. A phone tilt the person has
        ``heard`` (in full, and had time to start on) and not begun, by the phone's own sensor,
        counts as still: the camera may see no face at all (:meth:`_tilt_not_begun`)."""
        every = self.settings.repeat_interval_s * self._m
        return lasted(self.last_at, t, every if self.still(t) or (heard and self._tilt_not_begun()) else 2 * every)

    def _tilt_not_begun(self) -> bool:
        """Whether the last cue was a phone tilt and the phone's own sensor says it has not begun
        (``tilt_begun_deg``): the person has not acted on it, whatever the camera sees."""
        told, now = self._told_beta, self._beta
        return told is not None and now is not None and abs(now - told) < self.settings.tilt_begun_deg

    def moved_since_cue(self) -> bool:
        """Whether the person has made a move since the last cue was said: a third of the
        distance it said, along its direction; for a cue without a distance, half the
        centring tolerance or 10 % in size. A hand's sway and drift make the picture move,
        too, but go nowhere; taking them for a move re-said the cue, with a distance a
        centimetre off, before the person had even started."""
        if not self._hand_moved_since_cue():
            return False
        if self._made_move:
            return True
        if self._measuring and self.hand.measuring:
            return self.hand.moved(self._needed) is not None
        progress = progress_along(self.last, self._told_needed, self._needed)
        if progress is not None:  # the tail of an earlier move, or drift, is not this one
            return progress[0] >= progress[1] / 3
        if self._where is None or self._told_where is None:
            return False
        (center, size), (center0, size0) = self._where, self._told_where
        s = self.settings
        _, (tolerance, _) = centring_spot(self.target, s)
        shifted = math.hypot(center[0] - center0[0], center[1] - center0[1]) >= tolerance / 2
        resized = size > 0 and size0 > 0 and abs(math.log(size / size0)) >= math.log(1 + s.update_min_resize)
        return shifted or resized

    def _hand_moved_since_cue(self) -> bool:
        """Whether the picture has moved, since the last cue was said, as only a hand carrying out
        a move moves it (faster than the still limit, or smeared on the way somewhere).

        Drift goes somewhere too, slowly: 7 mm/s for the 3.5 s a person takes to hear a slanting
        cue and set off is a third of a 7 cm move. Taken for the move, it re-said the cue with a
        new distance before the person had started, and taught a gain of 0.5, so the next
        distance said was doubled ("55 cm closer"), and the face was lost.
        """
        return self._hand_moved_at > self.last_at
