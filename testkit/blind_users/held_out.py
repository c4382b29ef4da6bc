"""The held-out user model: written apart from the main one, never tuned on, reported beside it.

Different distributions: slower and more spread reactions (gamma, mean 1.3 s), gain per
move from a wide lognormal with no personal bias (0.45-2.2), larger tremor, the speech
rate one of the few steps a settings menu offers (160, 250, 320 or 450 words a minute),
card starting distances from 6 to 30 cm.

Different behaviours:

- **waits**: after every spoken cue the person makes the whole move, then stops and
  waits for the next cue; the beeps are used, at most, to stop a move (some ignore
  them altogether); they never steer by them;
- **moves the card, not the phone** (card target, about half of them): the phone stays
  put and the card is pushed on the table, the opposite way to the phone move said;
  now and then the card is pushed the way the words said (the phone's way: wrong);
- **aims by turning the wrist** (face target, about half of them): a "move left" is
  made by turning the phone, not carrying it;
- **the head** (:func:`draw_held_out_head`): a wider resting turn and, for about a third,
  a head bowed well down; told to look at the phone, the head turns only part of the
  way (60-110 %), misses the same way every time (a personal bias, little scatter) and
  drifts back towards its rest over 4-20 s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from testkit.blind_users.hand import Move, Shake
from testkit.blind_users.head import HeadHabit
from testkit.blind_users.listener import UNITS, Listener
from testkit.blind_users.people import Person


@dataclass(frozen=True)
class HeldOutPerson(Person):
    """A held-out person: the shared traits plus how they carry out a cue."""

    moves_card: bool = False  # card target: pushes the card, not the phone
    literal: float = 0.0  # share of card pushes made the way the words said (the phone's way)
    turns_wrist: bool = False  # face target: aims by turning the phone
    stops_on_tone: bool = True  # stops a move on the steady tone (else ignores the beeps)


#: Share of the cues saying a tilt and then a move of which only the tilt is made.
FIRST_PART_ONLY = 0.25


def draw_held_out(rng: np.random.Generator, seed: int) -> HeldOutPerson:
    """One held-out person (a draw order of its own; never the main model's)."""
    shake = Shake(tremor_mm=rng.uniform(0.1, 0.6), tremor_hz=rng.uniform(4, 9), sway_mm=rng.uniform(1.0, 3.0),
                  drift_mm_s=rng.uniform(1.0, 6.0), distance_drift_mm_s=rng.uniform(2.0, 8.0),
                  wobble_deg=rng.uniform(1.0, 4.0), roll_deg=rng.uniform(0.0, 10.0))
    return HeldOutPerson(
        "held-out", seed, reaction_s=float(np.clip(rng.gamma(3.0, 0.43), 0.5, 4.0)),
        listen_wpm=int(rng.choice([160, 250, 320, 450], p=[0.4, 0.25, 0.25, 0.1])),
        headphones=bool(rng.random() < 0.2), sense_error_mm=rng.uniform(20, 130), shake=shake,
        speed_mm_s=rng.uniform(30, 90), fitts_a_s=rng.uniform(0.3, 0.7), fitts_b_s=rng.uniform(0.15, 0.5),
        gain_bias=1.0, gain_spread=0.35, gain_limits=(0.45, 2.2), flip=rng.uniform(0.04, 0.1),
        lr_confusion=0.0, axis_confusion=0.0, forget=rng.uniform(0.05, 0.15), stop_early=0.0,
        moves_card=bool(rng.random() < 0.5), literal=rng.uniform(0.05, 0.25), turns_wrist=bool(rng.random() < 0.5),
        stops_on_tone=bool(rng.random() < 0.6), head=draw_held_out_head(seed),
    )


def draw_held_out_head(seed: int) -> HeadHabit:
    """The held-out head (its own stream and distributions; see the module docstring)."""
    rng = np.random.default_rng([seed, 4242])
    bowed = rng.random() < 0.3
    return HeadHabit(yaw_deg=float(rng.uniform(-20, 20)),
                     pitch_deg=float(rng.normal(-18, 5) if bowed else rng.normal(0, 6)),
                     aim_sd_deg=2.0, aim_bias_deg=(float(rng.normal(0, 6)), float(rng.normal(0, 6))),
                     turn_s=float(rng.uniform(0.5, 1.2)), turn_gain=float(rng.uniform(0.6, 1.1)),
                     relax_s=float(rng.uniform(4, 20)))


class WaitingListener(Listener):
    """Makes each spoken move whole, then waits for the next cue (see the module docstring).

    A tilt and a move said in one cue ("hold the phone upright, then move it 20 cm up"): the
    phone is straightened first, and the move started only once that is done and a pause
    has passed (1-2.5 s after the cue was heard); now and then (:data:`FIRST_PART_ONLY`) only
    the tilt is made, and the person waits for the next cue.
    """

    person: HeldOutPerson
    then: tuple[float, object] | None = None  # (when, cue): the move still to make after a tilt

    def cue(self, cue, t: float) -> None:
        self.then = None
        if cue.kind != "tilt" or cue.direction is None:
            super().cue(cue, t)
            return
        self.last_heard = t
        if self.rng.random() < self.person.forget:
            return
        self.hand.stop()
        self.moving_to = None
        self.hand.tilt_target = (self.rng.normal(0, 3), self.rng.normal(0, 3))
        if self.rng.random() >= FIRST_PART_ONLY:
            self.then = (t + self.rng.uniform(1.0, 2.5), cue)

    def tick(self, t: float, speech_busy: bool, pending: bool) -> None:
        if self.then is not None and t >= self.then[0] and not self.hand.moving:
            cue, self.then = self.then[1], None
            self.moving_to = cue.direction
            self.move(self.confuse(cue.direction), said_cm=dict(cue.params).get("cm"))
        if self.policy == "tones":  # no speech to wait for: the beeps' stop only, by small steps
            self.follow_tones(t)
        elif self.person.stops_on_tone and self.policy == "all":
            self.stop_when_passed(t)

    def move(self, direction: str, said_cm: float | None = None, also: tuple[str, float] | None = None) -> None:
        p, hand = self.person, self.hand
        unit = np.array(UNITS[direction], float)
        vector = self.vector(direction, said_cm if said_cm is not None or not unit[2] else None, also)
        if unit[2] and said_cm is None:
            vector = unit * hand.pose.distance_mm * 0.3 * p.gain(self.rng)
        length = float(np.linalg.norm(vector))
        seconds = p.fitts_a_s + p.fitts_b_s * math.log2(1 + length / self.little())
        if self.target == "card" and p.moves_card:
            # The card moves; the phone stays: the same picture as the phone moving the other way.
            # A card pushed by v looks like the phone carried by -v: pushed the right way, the
            # picture moves as the words meant; pushed the way the words said, the opposite.
            vector = -vector if self.rng.random() < p.literal else vector
            hand.start_move(Move(vector, seconds * 1.3))
        elif self.target == "face" and p.turns_wrist and not unit[2]:
            hand.start_move(Move(np.zeros(3), seconds, turn=self.turn_for(vector)))
        else:
            hand.start_move(Move(vector, seconds))
        self.climb = {}
        self.move_started = self.last_heard

    def turn_for(self, vector: np.ndarray) -> np.ndarray:
        """The wrist turn (yaw, pitch degrees) that sweeps the picture as carrying the phone by ``vector`` would."""
        pose, scene = self.hand.pose, self.scene
        centre = np.array([[0.0, 0.0]])
        here = scene.project(centre, pose)[0]
        carried = scene.project(centre, replace(pose, x_mm=pose.x_mm + vector[0], y_mm=pose.y_mm + vector[1]))[0]
        wanted, turn = carried - here, np.zeros(2)
        for axis, name in enumerate(("yaw_deg", "pitch_deg")):
            moved = scene.project(centre, replace(pose, **{name: getattr(pose, name) + 1.0}))[0] - here
            per_degree = moved[axis] if abs(moved[axis]) > 1e-6 else 1e-6
            turn[axis] = wanted[axis] / per_degree
        return np.clip(turn, -40, 40)
