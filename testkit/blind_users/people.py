"""Who the virtual users are: their traits, drawn once per person.

Two populations share :class:`Person`:

- :func:`draw_legacy`: the user model the guidance was first tuned on (kept to show how
  much it flattered): reaction 0.5-1.5 s, listening at 250-350 words a minute, a
  constant gain of 1.0-1.6 per person, mishearing that only ever reverses a direction,
  no drift in distance, no wobble, moves never cut short.
- :func:`draw_main`: the model the guide is now tuned against. Gain 0.6-1.6 varying from
  move to move around the person's own bias; left/right and axis confusions and
  forgotten cues; distance drift; rotation and roll wobble; moves that stop short; the
  chosen speech rate from the product's 160 (many keep it) up to 400 words a minute
  (daily screen-reader users turn it up); headphones on a third of the people; a head
  held off "facing the phone" at rest (:func:`draw_main_head`) that the person turns
  towards the phone when told to look at it.

The held-out population is in :mod:`.held_out`, written apart and never tuned on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from testkit.blind_users.hand import Shake
from testkit.blind_users.head import HeadHabit


@dataclass(frozen=True)
class Person:
    """One virtual user's traits (the same person tries every path and policy, for paired comparisons)."""

    model: str
    seed: int
    reaction_s: float  # from the end of a cue to starting to act on it
    listen_wpm: int  # the speech rate the person chose
    headphones: bool
    sense_error_mm: float  # how far off their sense of where the target is
    shake: Shake
    speed_mm_s: float  # speed of a steady push (tones)
    #: Fitts' law for one deliberate move of ``D`` mm: ``a + b * log2(1 + D / little)`` seconds.
    fitts_a_s: float
    fitts_b_s: float
    gain_bias: float  # how far the person moves for a said distance, on average
    gain_spread: float  # lognormal sigma of the gain from move to move
    gain_limits: tuple[float, float]
    flip: float  # share of cues followed the opposite way
    lr_confusion: float  # share of left/right cues taken as the other side
    axis_confusion: float  # share of directional cues moved along the wrong axis
    forget: float  # share of cues not acted on at all
    stop_early: float  # share of moves cut short (the hand slows to a stop part-way)
    #: The product's profile (160 wpm, detailed, introduction spoken) or the first model's (normal, no introduction).
    product_profile: bool = True
    #: How the head is held and turned (:mod:`.head`); the first model's head always faces ahead.
    head: HeadHabit = HeadHabit()

    def gain(self, rng: np.random.Generator) -> float:
        """The gain of one move: said distance × this = distance moved."""
        low, high = self.gain_limits
        return float(np.clip(self.gain_bias * rng.lognormal(0.0, self.gain_spread), low, high))


def draw_legacy(rng: np.random.Generator, seed: int) -> Person:
    """The first user model, as ``benchmarks/blind_users.py`` drew it before issue 24 (same draw order)."""
    delay = rng.uniform(0.5, 1.5)
    tremor, tremor_hz, sway, drift = rng.uniform(0.05, 0.3), rng.uniform(6, 10), rng.uniform(0.5, 2.0), rng.uniform(2.0, 8.0)
    overshoot, misunderstand, speed = rng.uniform(1.0, 1.6), rng.uniform(0.05, 0.12), rng.uniform(50, 120)
    headphones, sense = bool(rng.random() < 0.5), rng.uniform(30, 90)
    fitts_a, fitts_b = rng.uniform(0.2, 0.4), rng.uniform(0.2, 0.35)
    wpm = int(np.random.default_rng(seed + 77).uniform(250, 350))
    return Person("legacy", seed, delay, wpm, headphones, sense, Shake(tremor, tremor_hz, sway, drift), speed,
                  fitts_a, fitts_b, overshoot, 0.0, (overshoot, overshoot), misunderstand, 0.0, 0.0, 0.0, 0.0,
                  product_profile=False)


def draw_main(rng: np.random.Generator, seed: int) -> Person:
    """The main model: harder hands and the product's own speech (see the module docstring)."""
    shake = Shake(tremor_mm=rng.uniform(0.05, 0.35), tremor_hz=rng.uniform(5, 10), sway_mm=rng.uniform(0.5, 2.5),
                  drift_mm_s=rng.uniform(2.0, 9.0), distance_drift_mm_s=rng.uniform(1.0, 6.0),
                  wobble_deg=rng.uniform(0.5, 3.0), roll_deg=rng.uniform(1.0, 6.0))
    wpm = 160 if rng.random() < 0.35 else int(rng.uniform(200, 400))
    return Person(
        "main", seed, reaction_s=float(np.clip(rng.lognormal(np.log(0.9), 0.35), 0.4, 2.5)), listen_wpm=wpm,
        headphones=bool(rng.random() < 0.33), sense_error_mm=rng.uniform(30, 100), shake=shake,
        speed_mm_s=rng.uniform(40, 120), fitts_a_s=rng.uniform(0.2, 0.45), fitts_b_s=rng.uniform(0.2, 0.4),
        gain_bias=rng.uniform(0.75, 1.35), gain_spread=rng.uniform(0.1, 0.3), gain_limits=(0.6, 1.6),
        flip=rng.uniform(0.02, 0.06), lr_confusion=rng.uniform(0.02, 0.08), axis_confusion=rng.uniform(0.01, 0.05),
        forget=rng.uniform(0.02, 0.10), stop_early=rng.uniform(0.05, 0.30), head=draw_main_head(seed),
    )


def draw_main_head(seed: int) -> HeadHabit:
    """The main model's head (a stream of its own, so the other traits stay as they were drawn).

    At rest: turned about ±8° (sd) and bowed a little (mean -4°, sd 7°), as a phone held at
    chest height and a face not aimed at a lens it cannot see; told, the head turns the
    whole way in 0.35-0.8 s (head movements of 10-40°) and lands 3-8° (sd per axis, per
    cue) off the phone, the scatter of pointing the face at one's own hand.
    """
    rng = np.random.default_rng([seed, 24])
    return HeadHabit(yaw_deg=float(np.clip(rng.normal(0, 8), -25, 25)),
                     pitch_deg=float(np.clip(rng.normal(-4, 7), -25, 20)),
                     aim_sd_deg=float(rng.uniform(3, 8)), turn_s=float(rng.uniform(0.35, 0.8)))


def population(draw, seed: int, first: int, count: int) -> list[Person]:
    """People ``first`` .. ``first + count - 1`` of the population drawn from ``seed`` (person n is the same in any sample)."""
    rng = np.random.default_rng(seed)
    drawn = [draw(rng, seed + i) for i in range(first + count)]
    return drawn[first:]
