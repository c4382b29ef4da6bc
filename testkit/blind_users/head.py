"""The simulated person's own head: where it points at rest, and how it turns when told
"look straight at the phone" (``face.look_at_phone``).

The camera sees the head at the view angle the phone's place gives (parallax, in
:class:`~.camera.HeadScene`) plus the head's own offset from facing the phone, kept
here. At rest that offset is the person's habit (a head held a little turned, or bowed:
blind people do not aim their face at the lens unasked) on top of the pose the photo
itself was taken in. Told to look at the phone, the person turns the head towards
where their own hand holds it (a blind person knows that from the arm, not from
sight) after their reaction time, over a head movement's duration (minimum-jerk), and
ends up near it, not on it (:attr:`HeadHabit.aim_sd_deg`). The head then stays
pointed there in the room: moving the phone afterwards turns the view again.

Angles are :class:`testkit.faces_warp.FacePose` degrees (yaw > 0 the head turns to
the person's left, pitch > 0 chin up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class HeadHabit:
    """How one person holds and turns their head (degrees, seconds)."""

    yaw_deg: float = 0.0  # the resting head's offset from facing the phone, before any cue
    pitch_deg: float = 0.0
    aim_sd_deg: float = 0.0  # scatter, per cue, of where the turned head ends up around "facing the phone"
    aim_bias_deg: tuple[float, float] = (0.0, 0.0)  # a miss the same way every time (yaw, pitch)
    turn_s: float = 0.5  # how long one head turn takes
    turn_gain: float = 1.0  # share of the needed turn made (under 1: the head stops short)
    relax_s: float = math.inf  # time constant of the head drifting back to its rest after a turn

    @property
    def rest(self) -> np.ndarray:
        return np.array([self.yaw_deg, self.pitch_deg], float)


class Head:
    """One session's head: its own (yaw, pitch) offset over time (see the module docstring)."""

    def __init__(self, habit: HeadHabit = HeadHabit()) -> None:
        self.habit = habit
        self.start = self.target = habit.rest
        self.turned_at = -math.inf
        self.turns = 0

    def own(self, t: float) -> np.ndarray:
        """The head's offset (yaw, pitch degrees) at ``t``: mid-turn, turned, or drifting back to rest."""
        h = self.habit
        if self.turns == 0:
            return self.target.copy()
        tau = min(max((t - self.turned_at) / h.turn_s, 0.0), 1.0)
        done = 10 * tau**3 - 15 * tau**4 + 6 * tau**5  # minimum-jerk, as the hand's moves
        offset = self.start + (self.target - self.start) * done
        after = t - self.turned_at - h.turn_s
        if after > 0 and math.isfinite(h.relax_s):
            offset = offset + (h.rest - offset) * (1.0 - math.exp(-after / h.relax_s))
        return offset

    def turn_to(self, t: float, facing: np.ndarray) -> None:
        """Start turning at ``t`` towards the offset ``facing`` (the turn's gain applies)."""
        self.start = self.own(t)
        self.target = self.start + self.habit.turn_gain * (np.asarray(facing, float) - self.start)
        self.turned_at = t
        self.turns += 1
