"""The phone as a hand moves it: deliberate moves, steady pushes, drift, sway, tremor and wobble.

A deliberate move follows the minimum-jerk profile of human reaching (speed rises and
falls to zero at the end, so the hand slows to a stop), may be cut short (the person
stops at ``stop_share`` of the way), and can be a move of the phone, of the target
(a card pushed on the table: the phone-equivalent move is the opposite) or a turn of
the wrist (aiming by rotation). Drift (in the plane and, for the new people, in
distance), sway, tremor and rotation/roll wobble are added on top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from testkit.scenes import PhonePose


@dataclass(frozen=True)
class Shake:
    """How unsteady one person's hand is (mm, Hz, mm/s, degrees)."""

    tremor_mm: float
    tremor_hz: float
    sway_mm: float
    drift_mm_s: float
    distance_drift_mm_s: float = 0.0
    wobble_deg: float = 0.0
    roll_deg: float = 0.0


@dataclass
class Move:
    """One deliberate move: ``vector`` (x, y, distance) mm over ``seconds``, or a turn (yaw, pitch) degrees."""

    vector: np.ndarray
    seconds: float
    turn: np.ndarray = field(default_factory=lambda: np.zeros(2))
    stop_share: float = 1.0
    elapsed: float = 0.0

    def rate(self, dt: float) -> tuple[np.ndarray, np.ndarray]:
        """The share of the move done during the next ``dt`` (minimum-jerk), as (translation, turn) rates per second."""
        def done(tau: float) -> float:
            tau = min(max(tau, 0.0), 1.0)
            return 10 * tau**3 - 15 * tau**4 + 6 * tau**5

        before = done(self.elapsed / self.seconds)
        self.elapsed += dt
        after = done(self.elapsed / self.seconds)
        share = (min(after, self.stop_share) - min(before, self.stop_share)) / dt
        return self.vector * share, self.turn * share

    @property
    def over(self) -> bool:
        return self.elapsed >= self.seconds


#: A tilt cue's target angle counts as reached within this many degrees (pitch and yaw).
TILT_REACHED_DEG = 0.5


class Hand:
    """The phone's pose over time."""

    def __init__(self, start: PhonePose, shake: Shake, rng: np.random.Generator, min_distance_mm: float = 40.0) -> None:
        self.pose, self.shake, self.rng = start, shake, rng
        self.move: Move | None = None
        self.push = np.zeros(3)  # a steady push (x, y, distance) mm/s, from the tones
        self.push_left_s = 0.0
        self.drift = np.zeros(3)
        self.tilt_target: tuple[float, float] | None = None
        self.min_distance_mm = min_distance_mm
        self.phase = rng.uniform(0, 2 * math.pi, 3)

    @property
    def moving(self) -> bool:
        return (self.move is not None and not self.move.over) or self.push_left_s > 0

    def stop(self) -> None:
        self.move, self.push, self.push_left_s = None, np.zeros(3), 0.0

    def start_move(self, move: Move) -> None:
        self.stop()
        self.move = move

    def start_push(self, velocity: tuple[float, float, float], seconds: float) -> None:
        self.stop()
        self.push, self.push_left_s = np.array(velocity, float), seconds

    def advance(self, t: float, dt: float) -> tuple[PhonePose, tuple[float, float], float]:
        """Move on by ``dt``; return the pose the camera sees (with shake), its image-plane speed
        (x, y mm/s, rotations included) and the acceleration the phone's sensor feels (m/s²)."""
        s = self.shake
        self.drift[:2] += self.rng.normal(0, s.drift_mm_s * math.sqrt(dt), 2)
        self.drift[2] += self.rng.normal(0, s.distance_drift_mm_s * math.sqrt(dt))
        self.drift *= 0.9  # drift wanders but does not run away
        velocity, turn = np.zeros(3), np.zeros(2)
        if self.move is not None:
            velocity, turn = self.move.rate(dt)
            if self.move.over:
                self.move = None
        elif self.push_left_s > 0:
            velocity = self.push.copy()
            self.push_left_s -= dt
        velocity = velocity + self.drift
        pose = self.pose
        pose = replace(pose, x_mm=pose.x_mm + velocity[0] * dt, y_mm=pose.y_mm + velocity[1] * dt,
                       distance_mm=max(self.min_distance_mm, pose.distance_mm + velocity[2] * dt),
                       yaw_deg=pose.yaw_deg + turn[0] * dt, pitch_deg=pose.pitch_deg + turn[1] * dt)
        if self.tilt_target is not None:
            pitch, yaw = self.tilt_target
            k = min(1.0, 3 * dt)
            pose = replace(pose, pitch_deg=pose.pitch_deg + (pitch - pose.pitch_deg) * k,
                           yaw_deg=pose.yaw_deg + (yaw - pose.yaw_deg) * k)
            if abs(pitch - pose.pitch_deg) < TILT_REACHED_DEG and abs(yaw - pose.yaw_deg) < TILT_REACHED_DEG:
                self.tilt_target = None  # straightened: the hand no longer holds the angle against later turns
        self.pose = pose
        return self._shown(t, velocity, turn)

    def _shown(self, t: float, velocity: np.ndarray, turn: np.ndarray) -> tuple[PhonePose, tuple[float, float], float]:
        s, pose = self.shake, self.pose
        w, sway_w = 2 * math.pi * s.tremor_hz, 2 * math.pi * 1.3
        shake = s.tremor_mm * math.sin(w * t) + s.sway_mm * math.sin(sway_w * t)
        shake_v = s.tremor_mm * w * math.cos(w * t) + s.sway_mm * sway_w * math.cos(sway_w * t)
        wobble_w = 2 * math.pi * 0.7
        wobble = [s.wobble_deg * math.sin(wobble_w * t + p) for p in self.phase[:2]]
        roll = s.roll_deg * math.sin(2 * math.pi * 0.4 * t + self.phase[2])
        shown = replace(pose, x_mm=pose.x_mm + shake, y_mm=pose.y_mm + 0.7 * shake, yaw_deg=pose.yaw_deg + wobble[0],
                        pitch_deg=pose.pitch_deg + wobble[1], roll_deg=pose.roll_deg + roll)
        # A turn of the phone sweeps the image as a sideways move of distance × angle would.
        wobble_rate = [math.radians(s.wobble_deg * wobble_w * math.cos(wobble_w * t + p)) for p in self.phase[:2]]
        turn_rate = [math.radians(a) for a in turn]
        sweep = [pose.distance_mm * (a + b) for a, b in zip(wobble_rate, turn_rate)]
        image_v = (float(velocity[0] + shake_v + sweep[0]), float(velocity[1] + 0.7 * shake_v + sweep[1]))
        accel = s.tremor_mm * w * w / 1000 * abs(math.sin(w * t)) + s.sway_mm * sway_w**2 / 1000
        accel += float(np.linalg.norm(velocity[:2])) / 1000 * 2  # starting and stopping a move
        return shown, image_v, accel
