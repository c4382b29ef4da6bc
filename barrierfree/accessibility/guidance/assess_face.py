"""One face observation -> the problems to fix (the face half of :mod:`.assess`, whose
docstring gives the cue order and the hysteresis both halves follow).
"""

from __future__ import annotations

import math
from dataclasses import replace

from barrierfree.accessibility.guidance.measure import (
    face_after_distance_move, face_distance_mm, face_frame_mm,
)
from barrierfree.accessibility.guidance.model import Camera
from barrierfree.accessibility.guidance.upright import face_once_upright, with_tilt
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.face.observation import FaceObservation
from barrierfree.accessibility.guidance.assess import Assessment, _Checks, _FACE_HEIGHT_OVER_WIDTH, _centring, _cut, _finite, _size, centring_spot


def assess_face(obs: FaceObservation, reading: SensorReading | None, s: GuidanceSettings,
                active: frozenset[str] = frozenset(), camera: Camera = "front", moving: bool = False,
                min_sharpness: float | None = None, gain: float = 1.0) -> Assessment:
    """Problems of a face observation (front camera by default), most important first.

    ``min_sharpness`` is the bar for "sharp" (default ``face_min_sharpness``;
    the :class:`Guide` lowers it for a camera that is never that sharp); ``gain`` how
    far this person moves per centimetre said (:class:`~.hand.HandGain`).
    """
    checks = _Checks("face", active, s.hysteresis_fraction, gain, s.face_centre_hysteresis_fraction)
    if not obs.found or obs.center is None:
        if s.straighten_phone_first:
            _face_phone_tilt(checks, reading, s)
        return checks.unseen()
    if obs.face_count > 1:
        checks.add("several", "several", "several")
    extent = face_frame_mm(obs, s)
    distance = face_distance_mm(obs, s)
    beta = reading.beta_deg if reading is not None else None
    # Tilted, the face is measured where it will be once the phone is upright (:mod:`.upright`).
    upright = face_once_upright(obs.center, extent, distance, beta, obs.frame_size, s) \
        if s.straighten_phone_first and s.say_move_with_tilt and _phone_tilted(checks, beta, s) else None
    size, center = obs.size_fraction, obs.center
    if upright is None:
        too_big = size is not None and size > s.face_max_width_fraction
        _cut(checks, obs.cut_edges, camera, False, center, s.face_target_y, extent, s, too_big,
             longest_mm=s.face_width_mm * _FACE_HEIGHT_OVER_WIDTH)
    else:  # what is cut off now is not what will be: the move is measured on the upright picture
        center, extent, scale = upright
        size, distance, beta = None if size is None else size / scale, None if distance is None else distance * scale, 90.0
    size_error = _size(checks, size, s.face_min_width_fraction, s.face_max_width_fraction,
                       distance, s, cut_off=bool(obs.cut_edges) and upright is None)
    if s.centre_for_new_distance and checks.keys & {"too_far", "too_close"}:
        center, extent = face_after_distance_move(center, s.face_target_y, extent, distance, checks.needed[2], beta)
    (_, aim_y), tolerance = centring_spot("face", s)
    if not checks.keys & {"too_far", "too_close"}:  # a move said with a distance aims at the spot itself
        tolerance = face_room(size, aim_y, obs.frame_size, tolerance, s)
    horizontal, vertical = _centring(checks, center, aim_y, tolerance, camera, False, extent, s)
    _face_phone_tilt(checks, reading, s)
    roll, yaw, pitch = _finite(obs.roll_deg), _finite(obs.yaw_deg), _finite(obs.pitch_deg)
    if checks.above("roll", None if roll is None else abs(roll), s.face_max_roll_deg):
        checks.add("roll", "level_phone", "tilt")
    # Turn and nod: what the face-match gates refuse the still for ("face-turned"), so never captured.
    turned = checks.above("yaw", None if yaw is None else abs(yaw), s.face_max_yaw_deg, s.face_pose_hysteresis_fraction)
    nodded = checks.above("pitch", None if pitch is None else abs(pitch), s.face_max_pitch_deg, s.face_pose_hysteresis_fraction)
    if turned or nodded:
        checks.add("yaw" if turned else "pitch", "look_at_phone", "tilt")
        if turned and nodded:
            checks.keys.add("pitch")
    lux = reading.ambient_lux if reading else None
    if checks.below("dark", obs.exposure, s.face_min_exposure) or (lux is not None and lux < s.min_ambient_lux):
        checks.add("dark", "too_dark", "light")
    elif checks.above("bright", obs.exposure, s.face_max_exposure):
        checks.add("bright", "too_bright", "light")
    if moving or checks.below("blur", obs.sharpness, s.face_min_sharpness if min_sharpness is None else min_sharpness):
        checks.add("blur", "hold_still", "blur")
    assessment = checks.result(s.say_distance_with_move, horizontal=horizontal, vertical=vertical, size_error=size_error,
                               center=obs.center)
    return assessment if upright is None else replace(assessment, cues=with_tilt(assessment.cues))


def face_room(size: float | None, aim_y: float, frame_size: tuple[int, int], tolerance: tuple[float, float],
              s: GuidanceSettings) -> tuple[float, float]:
    """The centring tolerance of a face ``size`` of the frame wide (``face_centre_by_room``): how far its
    centre may be from (0.5, ``aim_y``) with its outline ``face_frame_margin_fraction`` inside every edge,
    never under ``tolerance`` (the fixed one, that room at the largest size accepted).

    >>> [round(v, 3) for v in face_room(0.3, 0.45, (480, 640), (0.16, 0.12), GuidanceSettings())]
    [0.27, 0.224]
    >>> [round(v, 3) for v in face_room(0.6, 0.45, (480, 640), (0.16, 0.12), GuidanceSettings())]
    [0.16, 0.12]
    """
    if not s.face_centre_by_room or size is None or not math.isfinite(size) or size <= 0:
        return tolerance
    margin = s.face_frame_margin_fraction
    width_px, height_px = frame_size
    half_height = size * _FACE_HEIGHT_OVER_WIDTH * width_px / height_px / 2
    room_x = 0.5 - margin - size / 2
    room_y = min(aim_y, 1.0 - aim_y) - margin - half_height
    return max(tolerance[0], room_x), max(tolerance[1], room_y)


def _phone_tilted(checks: _Checks, beta: float | None, s: GuidanceSettings) -> bool:
    """Whether the phone's own sensor says it is tilted out of the selfie's range (as :func:`_face_phone_tilt`)."""
    return checks.below("tilt_back", beta, s.face_min_beta_deg) or checks.above("tilt_forward", beta, s.face_max_beta_deg)


def _face_phone_tilt(checks: _Checks, reading: SensorReading | None, s: GuidanceSettings) -> None:
    beta = reading.beta_deg if reading else None
    if checks.below("tilt_back", beta, s.face_min_beta_deg):
        checks.add_phone_tilt("tilt_back", "tilt_top_toward_you", s)
    elif checks.above("tilt_forward", beta, s.face_max_beta_deg):
        checks.add_phone_tilt("tilt_forward", "tilt_top_away", s)
