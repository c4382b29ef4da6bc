"""What a person does with what they hear: spoken cues, beeps and the steady tone.

:class:`Listener` is the behaviour of the first and the main user models: a spoken move is
made as said (with the person's gain, confusions and forgetting), cut short by the
steady tone; once speech has been quiet for :data:`QUIET_S` the beeps steer (pitch and,
on headphones, pan; the beep rate is hill-climbed for what they do not carry).
The held-out behaviour (:mod:`.held_out`) is written apart.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from testkit.blind_users.hand import Hand, Move
from testkit.blind_users.people import Person

#: With speech and tones, how long speech must be silent before the person steers by the beeps, in seconds.
QUIET_S = 6.0
#: The phone move of each direction word: (right +, up or away +, farther +).
UNITS = {"left": (-1, 0, 0), "right": (1, 0, 0), "up": (0, 1, 0), "away": (0, 1, 0), "down": (0, -1, 0),
         "toward": (0, -1, 0), "closer": (0, 0, -1), "farther": (0, 0, 1)}
OPPOSITE = {"left": "right", "right": "left", "up": "down", "down": "up", "away": "toward", "toward": "away",
            "closer": "farther", "farther": "closer"}
OTHER_AXIS = {"left": ("up", "down"), "right": ("up", "down"), "up": ("left", "right"), "down": ("left", "right"),
              "away": ("left", "right"), "toward": ("left", "right")}


class Listener:
    """One person acting on one target's guidance (``policy``: speech, tones or all)."""

    def __init__(self, person: Person, target: str, policy: str, hand: Hand, scene, rng: np.random.Generator) -> None:
        self.person, self.target, self.policy, self.hand, self.scene, self.rng = person, target, policy, hand, scene, rng
        self.history: list[tuple[float, object]] = []  # (t heard, signal)
        self.climb: dict[str, float] = {}
        self.moving_to: str | None = None
        self.move_started = -math.inf
        self.last_heard = -math.inf

    # --- what reaches the person ---------------------------------------------------
    def signal(self, t: float, signal) -> None:
        self.history.append((t, signal))

    def cue(self, cue, t: float) -> None:
        """Act on a cue heard to its end ``reaction_s`` ago."""
        self.last_heard = t
        if self.rng.random() < self.person.forget:
            return
        hand, kind, direction = self.hand, cue.kind, cue.direction
        if direction is None or direction != self.moving_to:
            hand.stop()  # a new instruction ends the movement the previous one started
            self.moving_to = None
        if kind in ("hold", "captured", "blur"):
            hand.stop()
        elif kind == "searching":
            self.recentre()
        elif cue.message_id == "face.look_at_phone" and hasattr(self.scene, "face_phone"):
            self.look_at_phone(t)
        elif kind == "tilt":
            hand.tilt_target = (self.rng.normal(0, 3), self.rng.normal(0, 3))
            if direction is not None:  # "upright, then 20 cm up": the move too, as they would make it alone
                self.then_move(cue)
        elif kind == "light" and cue.message_id == "card.glare":
            self.slide_card()
        elif direction is not None and not hand.moving:
            self.moving_to = direction
            params = dict(cue.params)
            also = params.get("also")  # a slanting move: both parts in one go
            self.move(self.confuse(direction), said_cm=params.get("cm"),
                      also=None if also is None else (self.confuse(also), params["also_cm"]))

    def then_move(self, cue) -> None:
        """The move said after a tilt in one cue ("hold the phone upright, then move it 20 cm up"),
        made while straightening it; its second part is forgotten as often as a whole cue is."""
        if self.rng.random() < self.person.forget or self.hand.moving:
            return
        self.moving_to = cue.direction
        self.move(self.confuse(cue.direction), said_cm=dict(cue.params).get("cm"))

    def look_at_phone(self, t: float) -> None:
        """Turn the head to face the phone where the hand holds it, missing by the person's bias and scatter."""
        head = self.person.head
        miss = np.asarray(head.aim_bias_deg) + self.rng.normal(0, head.aim_sd_deg, 2)
        self.scene.face_phone(t, self.hand.pose, miss)

    def tick(self, t: float, speech_busy: bool, pending: bool) -> None:
        """Every simulation step: the tones' part (policy tones, or all once speech has been quiet)."""
        if self.policy == "tones" or (self.policy == "all" and t - self.last_heard >= QUIET_S and not speech_busy
                                      and not pending and not self.hand.moving):
            self.follow_tones(t)
        if self.policy == "all":
            self.stop_when_passed(t)

    # --- moves -------------------------------------------------------------------
    def confuse(self, direction: str) -> str:
        p, draw = self.person, self.rng.random()
        # Each confusion takes its own share of the draw only where it applies: "closer" is
        # reversed with the flip share alone, not with the left/right and axis shares too.
        if direction in ("left", "right"):
            if draw < p.lr_confusion:
                return OPPOSITE[direction]
            draw -= p.lr_confusion
        if direction in OTHER_AXIS:
            if draw < p.axis_confusion:
                return str(self.rng.choice(OTHER_AXIS[direction]))
            draw -= p.axis_confusion
        return OPPOSITE.get(direction, direction) if draw < p.flip else direction

    def little(self) -> float:
        """What "a little" means to the person, in mm: about 12 % of the phone's distance (a steady visual angle)."""
        return 0.12 * self.hand.pose.distance_mm

    def step_mm(self, said_cm: float | None) -> float:
        """How far the person moves for "a little" (``None``) or "about N centimetres", in mm."""
        gain = self.person.gain(self.rng)
        if said_cm is None:
            return self.rng.uniform(0.6, 1.4) * self.little() * gain
        return 10.0 * said_cm * gain * float(self.rng.lognormal(0.0, 0.25))

    def vector(self, direction: str, said_cm: float | None, also: tuple[str, float] | None) -> np.ndarray:
        vector = np.array(UNITS[direction], float) * self.step_mm(said_cm)
        if also is not None:
            vector = vector + np.array(UNITS[also[0]], float) * self.step_mm(also[1])
        return vector

    def move(self, direction: str, said_cm: float | None = None, also: tuple[str, float] | None = None) -> None:
        hand, p = self.hand, self.person
        unit = np.array(UNITS[direction], float)
        if unit[2] and said_cm is None:  # "closer"/"farther" without a distance: a push of about a third
            hand.start_push((0, 0, unit[2] * hand.pose.distance_mm * 0.35), 0.25 * p.gain(self.rng) / 0.35)
        else:
            vector = self.vector(direction, said_cm, also)
            length = float(np.linalg.norm(vector))
            seconds = p.fitts_a_s + p.fitts_b_s * math.log2(1 + length / self.little())
            stop = self.rng.uniform(0.5, 0.9) if self.rng.random() < p.stop_early else 1.0
            hand.start_move(Move(vector, seconds, stop_share=stop))
        self.climb = {}  # a new move: the beeps' hill-climbing starts afresh after it
        self.move_started = self.last_heard

    def recentre(self) -> None:
        """Nothing found: bring the phone back to where the person believes the target is."""
        error = self.rng.normal(0, self.person.sense_error_mm * (1.0 if self.target == "face" else 0.4), 2)
        distance = (420.0 * self.rng.uniform(0.7, 1.3)) if self.target == "face" else (120.0 * self.rng.uniform(0.8, 1.5))
        home = self.scene.pose_at(0.5, 0.45 if self.target == "face" else 0.5, distance)
        self.hand.pose = replace(self.hand.pose, x_mm=home.x_mm + error[0], y_mm=home.y_mm + error[1], distance_mm=distance)
        self.hand.stop()

    def slide_card(self) -> None:
        """Glare: the person slides the card a few centimetres (the lamp stays where it is)."""
        shift = self.rng.normal(0, 40, 2)
        lx, ly, lz = self.scene.lamp_mm
        self.scene.lamp_mm = (lx - shift[0], ly - shift[1], lz)
        self.hand.pose = replace(self.hand.pose, x_mm=self.hand.pose.x_mm - shift[0], y_mm=self.hand.pose.y_mm - shift[1])

    # --- tones -------------------------------------------------------------------
    def perceived(self, t: float, since: float = -math.inf):
        """The signal as the person has taken it in, a little after it sounded (and not before ``since``)."""
        seen = [s for when, s in self.history if since <= when <= t - self.person.reaction_s * 0.6]
        return seen[-1] if seen else None

    def follow_tones(self, t: float) -> None:
        """Steer by pitch and pan; hill-climb the beep rate for what they do not carry."""
        signal = self.perceived(t)
        if signal is None:
            return
        hand, p = self.hand, self.person
        speed = p.speed_mm_s * self.little() / 50.0 * 0.6
        heard = signal.closeness + self.rng.normal(0, 0.03)
        if signal.mode == "steady" or heard >= 0.97:
            hand.stop()
            return
        if signal.mode == "searching":
            if not self.climb.get("searching"):
                self.recentre()
                self.climb = {"searching": 1.0}
            return
        self.climb.pop("searching", None)
        vertical = signal.vertical if abs(signal.vertical) > 0.08 else 0.0
        horizontal = signal.pan if (p.headphones and abs(signal.pan) > 0.08) else 0.0
        if vertical or horizontal:
            hand.start_push((np.sign(horizontal) * speed, np.sign(vertical) * speed, 0), math.inf)
            return
        self.climb_rate(t, heard, speed)

    def climb_rate(self, t: float, heard: float, speed: float) -> None:
        """Hill climbing on the beep rate along one axis at a time (left/right without headphones, then distance)."""
        hand, p = self.hand, self.person
        axes = ("z",) if p.headphones else ("x", "z")
        climb = self.climb
        if "axis" not in climb:
            climb.update(axis=0, sign=1.0, best=heard, since=t)
        if t - climb["since"] < 0.6 + p.reaction_s * 0.5:
            pass
        elif heard > climb["best"] + 0.02:
            climb.update(best=heard, since=t)
        else:
            climb.update(sign=-climb["sign"], best=heard, since=t, flips=climb.get("flips", 0) + 1)
            if climb["flips"] % 2 == 0:
                climb["axis"] = (climb["axis"] + 1) % len(axes)
        if axes[int(climb["axis"]) % len(axes)] == "x":
            hand.start_push((climb["sign"] * speed, 0, 0), math.inf)
        else:
            hand.start_push((0, 0, climb["sign"] * hand.pose.distance_mm * 0.2), math.inf)

    def stop_when_passed(self, t: float) -> None:
        """Speech + tones: a spoken move stops early when the steady tone (or the fastest beeps) says the spot is reached."""
        signal = self.perceived(t, since=self.move_started)
        if signal is None or not self.hand.moving:
            return
        heard = signal.closeness + self.rng.normal(0, 0.02)
        if signal.mode == "steady" or heard >= 0.97:
            self.hand.stop()
