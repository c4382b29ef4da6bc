"""How the target moves in the picture, and how sharp this stream's frames can be.

Both are judged on the stream itself: motion from one frame to the next
(sideways, or growing and shrinking as the phone comes closer or goes
away), sharpness against the stream's own sharpest recent frames.
Positions are fractions of the frame; times in seconds on the stream's clock.
"""

from __future__ import annotations

import math
from collections import deque

from barrierfree.accessibility.guidance.clock import lasted
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card.observation import CardObservation
from barrierfree.vision.face.observation import FaceObservation


def size_of(observation: FaceObservation | CardObservation) -> float:
    """The target's linear size in the picture (0 when unknown): the face's width over the
    frame's, or the square root of the card's share of the frame's area.

    >>> size_of(CardObservation(found=True, frame_size=(480, 640), coverage=0.25))
    0.5
    """
    if isinstance(observation, FaceObservation):
        size = observation.size_fraction
    else:
        size = math.sqrt(observation.coverage) if observation.coverage > 0 else None
    return float(size) if size is not None and math.isfinite(size) else 0.0


class TargetMotion:
    """Frame-to-frame motion and the sharpness bar of one stream (one per :class:`Guide`).

    ``multiplier`` is the person's timeout multiplier: it stretches the memory of sharp frames.
    """

    def __init__(self, target: str, settings: GuidanceSettings, multiplier: float = 1.0) -> None:
        self.target, self.settings, self._m = target, settings, multiplier
        self._previous: tuple[float, float, float, float] | None = None  # x, y, size, t
        self._track: deque[tuple[float, float, float]] = deque()  # (t, x, y) over the last travel window
        self._sway: deque[tuple[float, float, float]] = deque()  # (t, x, y) over the last card_sway_window_s
        self._sharpness: deque[tuple[float, float, float]] = deque()  # (t, sharpness, size) of recent detections
        self._tilts: deque[tuple[float, float]] = deque()  # (t, beta) of the phone's own tilt over the last travel window
        self._moving_run = 0  # frames in a row the target has moved
        self._fast_run = 0  # frames in a row it has moved faster than a photo allows
        # A card's outline can jump back and forth on single frames; a face's does not.
        self._frames_for_a_move = settings.card_moving_frames_in_a_row if target == "card" else 1
        #: Frame widths a second counted as still: a face photo tolerates more than a card's text.
        self.still_limit = settings.face_max_still_motion_per_s if target == "face" else settings.max_still_motion_per_s

    def moving(self, observation: FaceObservation | CardObservation, reading: SensorReading | None,
               t: float) -> bool:
        """Whether the target moves in the image: sideways (what blurs a photo) or towards or
        away from the lens (it grows or shrinks; the centre may not move at all).

        The phone's acceleration only confirms motion the image already hints at
        (above half the still limit): a hand with a tremor reads well above the
        acceleration limit while the picture stays sharp, and such a person must
        still get an auto-capture (the simulated users showed it).
        """
        self._remember_tilt(reading, t)
        moved, fast = self._moved(observation, reading, t)
        self._moving_run = self._moving_run + 1 if moved else 0
        self._fast_run = self._fast_run + 1 if fast else 0
        return moved

    def on_the_move(self) -> bool:
        """Whether the target has moved on enough frames in a row, up to this one, to be a hand
        on the move rather than an outline jumping back and forth (``card_moving_frames_in_a_row``
        for a card, one frame for a face)."""
        return self._moving_run >= self._frames_for_a_move

    def too_fast_for_a_photo(self) -> bool:
        """Like :meth:`on_the_move`, at the target's own still limit (``face_max_still_motion_per_s``
        for a face): the motion that makes the guide say "hold still" and hold the capture back."""
        return self._fast_run >= self._frames_for_a_move

    def _moved(self, observation: FaceObservation | CardObservation, reading: SensorReading | None,
               t: float) -> tuple[bool, bool]:
        """(moved at ``max_still_motion_per_s``: a hand on the move; moved at the target's own still limit)."""
        s = self.settings
        shaking = reading is not None and reading.acceleration_m_s2 is not None and \
            reading.acceleration_m_s2 > s.max_still_acceleration_m_s2
        if not observation.found or observation.center is None:
            self._previous = None
            self._track.clear()
            self._sway.clear()
            return False, False
        center, size = observation.center, size_of(observation)
        self._remember(center, t)
        previous, self._previous = self._previous, (center[0], center[1], size, t)
        if previous is None or t <= previous[3]:
            return False, False
        dt = t - previous[3]
        speed = math.hypot(center[0] - previous[0], center[1] - previous[1]) / dt
        growth = abs(math.log(size / previous[2])) / dt if size > 0 and previous[2] > 0 else 0.0

        def over(limit: float) -> bool:
            return speed > limit or (shaking and speed > limit / 2) or growth > s.max_still_resize_per_s

        return over(s.max_still_motion_per_s), over(self.still_limit)

    def travelling(self, photo: bool = False) -> bool:
        """Whether the target has gone somewhere over the last ``travel_window_s``: at more than
        half the still limit, measured end to end (so across several frames).

        A hand's tremor blurs frames of a still target but goes nowhere; a slow
        move far from the target blurs them too and does travel. Frame to frame
        the two are alike (tremor at 6-10 Hz, sampled at a few frames a second).
        ``photo``: at the target's own still limit (what holds a capture back) rather than
        ``max_still_motion_per_s`` (what counts a smeared frame as a hand on the move).
        """
        limit = self.still_limit if photo else self.settings.max_still_motion_per_s
        return math.hypot(*self.velocity()) > limit / 2

    def turning(self) -> bool:
        """Whether the phone is still turning, by its own tilt sensor: a face's phone whose tilt went more
        than ``face_max_still_turn_deg_per_s`` over the last ``travel_window_s``, end to end (a wrist's
        wobble goes nowhere). A simulated user straightening the phone was captured half-way, the face
        in its room then, and the turn that went on took the photo's face to the frame's edge."""
        tilts, limit = self._tilts, self.settings.face_max_still_turn_deg_per_s
        if self.target != "face" or limit <= 0 or len(tilts) < 2 or tilts[-1][0] <= tilts[0][0]:
            return False
        (t0, b0), (t1, b1) = tilts[0], tilts[-1]
        return abs(b1 - b0) / (t1 - t0) > limit

    def _remember_tilt(self, reading: SensorReading | None, t: float) -> None:
        beta = reading.beta_deg if reading is not None else None
        tilts = self._tilts
        if beta is None or not math.isfinite(beta):
            tilts.clear()
            return
        if tilts and t <= tilts[-1][0]:
            return
        tilts.append((t, float(beta)))
        while len(tilts) > 2 and lasted(tilts[1][0], t, self.settings.travel_window_s * self._m):
            tilts.popleft()

    def velocity(self) -> tuple[float, float]:
        """The target's velocity over the last ``travel_window_s``, end to end, in frame
        widths and heights per second (x right, y down); (0, 0) without two frames to go by."""
        track = self._track
        if len(track) < 2 or track[-1][0] <= track[0][0]:
            return 0.0, 0.0
        (t0, x0, y0), (t1, x1, y1) = track[0], track[-1]
        return (x1 - x0) / (t1 - t0), (y1 - y0) / (t1 - t0)

    def _remember(self, center: tuple[float, float], t: float) -> None:
        track = self._track
        if track and t <= track[-1][0]:
            return
        track.append((t, float(center[0]), float(center[1])))
        while len(track) > 2 and lasted(track[1][0], t, self.settings.travel_window_s * self._m):
            track.popleft()
        sway = self._sway
        sway.append((t, float(center[0]), float(center[1])))
        while len(sway) > 2 and lasted(sway[1][0], t, self.settings.card_sway_window_s * self._m):
            sway.popleft()

    def swaying_in_place(self) -> bool:
        """Whether the target, seen all through the last ``card_sway_window_s``, went nowhere over
        it: its centre's least-squares speed is under half the target's still limit. A wobble back
        and forth averages out over the window; a glide does not."""
        sway = self._sway
        if len(sway) < 3 or not lasted(sway[0][0], sway[-1][0], self.settings.card_sway_window_s * self._m):
            return False
        # Plain loops, not sum(): the JS port adds in the same order (sum() compensates from Python 3.12).
        mean_t = 0.0
        for p in sway:
            mean_t += p[0]
        mean_t /= len(sway)
        spread = sx = sy = 0.0
        for p in sway:
            spread += (p[0] - mean_t) ** 2
            sx += (p[0] - mean_t) * p[1]
            sy += (p[0] - mean_t) * p[2]
        return spread > 0 and math.hypot(sx / spread, sy / spread) <= self.still_limit / 2

    def at_rest(self) -> bool:
        """Whether the hand holding a card is at rest though the picture sways: it goes nowhere over
        ``card_sway_window_s`` (:meth:`swaying_in_place`), with ``card_still_despite_sway``. Faces: never."""
        return self.target == "card" and self.settings.card_still_despite_sway and self.swaying_in_place()

    def sharpness_bar(self, observation: FaceObservation | CardObservation, t: float) -> float:
        """The sharpness a frame needs: the configured bar, or less for a camera that never gets there.

        Relative to this stream's own sharpest recent frame of the target at about the same
        size, so a soft lens or a smooth face is judged against itself; motion still shows as a
        drop. Only at about the same size: the measure is per pixel, and a face seen from
        twice as far packs its detail into fewer pixels and reads about twice as sharp (a
        simulated user who came closer waited 4 s for the far frames to leave the memory).
        """
        s = self.settings
        absolute = s.face_min_sharpness if self.target == "face" else s.card_min_sharpness
        history = self._sharpness
        size = size_of(observation) if observation.found else 0.0
        if size > 0 and math.isfinite(observation.sharpness or math.nan):
            history.append((t, float(observation.sharpness or math.nan), size))  # finite and non-zero here
        while history and history[0][0] < t - s.sharpness_memory_s * self._m:
            history.popleft()
        same = math.log(1 + s.sharpness_same_size)
        alike = [(when, v) for when, v, seen in history if abs(math.log(seen / size)) <= same] if size > 0 else []
        if not alike or alike[-1][0] - alike[0][0] < s.sharpness_history_min_s * self._m:
            return absolute  # too little to judge this camera by: one blurred frame is no reference
        return min(absolute, s.sharpness_relative_fraction * max(v for _, v in alike))
