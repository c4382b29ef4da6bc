"""The continuous signal: a parking-sensor beep, pitch for up/down, pan for left/right.

- Beep interval: ``beep_interval_far_s`` (1.0 s) at ``far_error`` tolerances
  or more from the target, shrinking linearly to ``beep_interval_near_s``
  (0.05 s) at the tolerance; beeps last ``beep_ms`` (80 ms), shortened so
  they never overlap.
- Pitch: ``base_pitch_hz`` when no vertical move is needed, up to
  ``pitch_span_octaves`` higher when the phone must go up, lower when down.
- Pan: the side the phone must move to (-1 left .. 1 right). Phone speakers
  are mono, so pan is never the only carrier: speech says the direction too.
- On target: a steady tone (``steady``); a ``lock`` earcon when it starts and
  a ``captured`` chime on capture.
"""

from __future__ import annotations

from barrierfree.accessibility.guidance.assess import Assessment
from barrierfree.accessibility.guidance.model import Phase, Signal
from barrierfree.accessibility.profile import Profile
from barrierfree.settings.guidance import GuidanceSettings

#: Needed move (in tolerances) at which pan and pitch reach their extremes.
_FULL_SCALE_TOLERANCES = 3.0


def _clamp(value: float, low: float = -1.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


#: Kinds of cue that say the phone is not yet in the right place.
_PLACEMENT = frozenset({"several", "partly_out", "off_centre", "distance"})
#: Error (in tolerances) the beeps show at least while a placement cue is active.
_MIN_PLACEMENT_ERROR = 1.25


def _error(assessment: Assessment) -> float:
    """The error the beeps show: never "on target" while a placement cue says otherwise
    (a card cut off by the edge, or too big to fit, can have its centre and area in
    tolerance; the beeps at their fastest then told the person to stop, and the cue to move)."""
    if any(c.kind in _PLACEMENT for c in assessment.cues):
        return max(assessment.error, _MIN_PLACEMENT_ERROR)
    return assessment.error


def closeness(error: float, s: GuidanceSettings) -> float:
    """1 at or inside the tolerance, 0 at ``far_error`` tolerances or beyond.

    >>> s = GuidanceSettings()
    >>> closeness(0.5, s), closeness(s.far_error, s), closeness(3.0, s)
    (1.0, 0.0, 0.5)
    """
    if error <= 1.0:
        return 1.0
    return _clamp(1.0 - (error - 1.0) / (s.far_error - 1.0), 0.0, 1.0)


def beep_interval(near: float, s: GuidanceSettings) -> float:
    """Seconds between beep onsets for a closeness (0 far .. 1 on target).

    >>> s = GuidanceSettings()
    >>> beep_interval(0.0, s), beep_interval(1.0, s)
    (1.0, 0.05)
    """
    return round(s.beep_interval_near_s + (s.beep_interval_far_s - s.beep_interval_near_s) * (1.0 - near), 6)


def signal_for(assessment: Assessment, phase: Phase, profile: Profile, s: GuidanceSettings,
               earcon: str | None = None) -> Signal:
    """The signal for one frame of guidance."""
    haptic: str | None
    if phase == "captured":
        mode, interval, pitch, pan, near, haptic = "silent", None, s.base_pitch_hz, 0.0, 1.0, "captured"
        horizontal = vertical = 0.0
    elif phase == "searching" or not assessment.found:
        mode, interval, pitch, pan, near, haptic = "searching", s.beep_interval_far_s, s.base_pitch_hz / 2, 0.0, 0.0, "searching"
        horizontal = vertical = 0.0
    elif phase == "hold_still":
        mode, interval, pitch, pan, near, haptic = "steady", s.beep_interval_near_s, s.base_pitch_hz, 0.0, 1.0, "on_target"
        horizontal = vertical = 0.0
    else:
        near = closeness(_error(assessment), s)
        horizontal = _clamp(assessment.horizontal / _FULL_SCALE_TOLERANCES)
        vertical = _clamp(assessment.vertical / _FULL_SCALE_TOLERANCES)
        mode, interval, haptic = "beeping", beep_interval(near, s), "adjust"
        pitch = s.base_pitch_hz * 2 ** (s.pitch_span_octaves * vertical)
        pan = horizontal
    beep_ms = s.beep_ms if interval is None else int(min(s.beep_ms, 600 * interval))
    return Signal(
        mode=mode if profile.tones else "silent",  # type: ignore[arg-type]
        interval_s=interval, beep_ms=beep_ms, pitch_hz=pitch, pan=pan, closeness=near,
        horizontal=horizontal, vertical=vertical,
        earcon=earcon if profile.tones else None,
        haptic=haptic if profile.haptics else None,
    )
