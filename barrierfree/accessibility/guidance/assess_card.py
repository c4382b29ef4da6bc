"""One card observation -> the problems to fix (the card half of :mod:`.assess`, whose
docstring gives the cue order and the hysteresis both halves follow).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from barrierfree.accessibility.guidance.glare import glare_escape
from barrierfree.accessibility.guidance.measure import (
    card_distance_mm, card_frame_mm,
)
from barrierfree.accessibility.guidance.model import Camera
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card.layouts import ID1_MM, ID3_MM
from barrierfree.vision.card.observation import CardObservation
from barrierfree.accessibility.guidance.assess import Assessment, _Checks, _centring, _cut, _say_move, _size, centring_spot


def phone_is_flat(reading: SensorReading | None, s: GuidanceSettings) -> bool:
    """Whether the phone is held flat (over a table); unknown counts as flat, the posture we ask for."""
    return reading is None or reading.beta_deg is None or abs(reading.beta_deg) < s.card_upright_beta_deg


def assess_card(obs: CardObservation, reading: SensorReading | None, s: GuidanceSettings,
                active: frozenset[str] = frozenset(), camera: Camera = "back", moving: bool = False,
                expected_side: str | None = None, min_sharpness: float | None = None, gain: float = 1.0,
                frame_mm: tuple[float, float] | None | Literal["own"] = "own") -> Assessment:
    """Problems of a card observation (back camera by default), most important first.

    ``min_sharpness`` is the bar for "sharp" (default ``card_min_sharpness``); ``gain`` as for faces.
    ``frame_mm`` is the frame's size in the card's plane, in mm, to measure moves with: ``"own"``
    measures it on this observation; a caller who knows better passes it, or ``None`` for unknown
    (a card cut off by the frame, see :class:`~.fragments.CardScale`).
    """
    flat = phone_is_flat(reading, s)
    checks = _Checks("card", active, s.hysteresis_fraction, gain)
    if not obs.found or obs.center is None:
        if s.straighten_phone_first:
            _card_phone_tilt(checks, reading, s, flat)
        return checks.unseen()
    extent = card_frame_mm(obs) if frame_mm == "own" else frame_mm
    _cut(checks, obs.cut_edges, camera, flat, obs.center, 0.5, extent, s, _span(obs) > s.card_max_span_fraction,
         longest_mm=max(ID3_MM if obs.document_type == "mrz_td3" else ID1_MM))
    (_, aim_y), tolerance = centring_spot("card", s)
    horizontal, vertical = _centring(checks, obs.center, aim_y, tolerance, camera, flat, extent, s)
    # A card is too close when it covers too much, or spans too much of the frame's width or height.
    size = _whole_coverage(obs, s)
    high = min(s.card_max_coverage, size * (s.card_max_span_fraction / _span(obs)) ** 2)
    size_error = _size(checks, size, s.card_min_coverage, high, card_distance_mm(obs, s), s, power=2.0,
                       cut_off=bool(obs.cut_edges))
    _card_tilt(checks, obs, reading, s, flat)
    lux = reading.ambient_lux if reading else None
    if checks.below("dark", obs.exposure, s.card_min_exposure) or (lux is not None and lux < s.min_ambient_lux):
        checks.add("dark", "too_dark", "light")
    if checks.above("glare", obs.glare_fraction, s.card_max_glare_fraction) and not overexposed(obs, s):
        escape = glare_escape(obs, extent, camera, flat, s) if s.say_glare_escape else None
        if escape is None:
            checks.add("glare", "glare", "light")
        else:
            _say_move(checks, "glare", f"glare_{escape[0]}", "light", escape[0], escape[1], s)
    if expected_side and obs.side not in ("unknown", expected_side):
        checks.add("side", "turn_over", "side")
    elif expected_side and obs.side == "unknown" and s.card_capture_needs_known_side:
        # Never "captured" for a side the step may not want: the side must be seen first.
        checks.add("side", "side_unknown", "side")
    if moving or checks.below("blur", obs.sharpness, s.card_min_sharpness if min_sharpness is None else min_sharpness):
        checks.add("blur", "hold_still", "blur")
    return checks.result(s.say_distance_with_move, horizontal=horizontal, vertical=vertical, size_error=size_error,
                         center=obs.center)


def overexposed(obs: CardObservation, s: GuidanceSettings) -> bool:
    """Whether the card's blown-out pixels are the paper of an evenly overexposed card, not a lamp's
    reflection (``card_overexposed_*``): moving the phone would not take them off, and the print stays
    readable. (A reflection on such a card does not show in the glare measure at all.)"""
    if obs.glare_center is None or obs.center is None:
        return False
    off = max(abs(obs.glare_center[0] - obs.center[0]), abs(obs.glare_center[1] - obs.center[1]))
    return obs.exposure >= s.card_overexposed_exposure and obs.glare_fraction >= s.card_overexposed_glare_fraction \
        and off <= s.card_overexposed_centre_offset


def _whole_coverage(obs: CardObservation, s: GuidanceSettings) -> float:
    """The card's share of the frame's area, the part out of the frame included when the card is cut
    off (``card_size_from_whole_outline``): what its distance makes it, wherever it sits."""
    if s.card_size_from_whole_outline and obs.cut_edges and 0 < obs.visible_fraction < 1:
        return obs.coverage / obs.visible_fraction
    return obs.coverage


def _span(obs: CardObservation) -> float:
    """The largest share of the frame's width or height the card's outline spans (0 when unknown)."""
    if obs.quad is None:
        return 1e-9
    quad = np.asarray(obs.quad, float)
    width, height = obs.frame_size
    return max(float(np.ptp(quad[:, 0])) / width, float(np.ptp(quad[:, 1])) / height, 1e-9)


def _card_phone_tilt(checks: _Checks, reading: SensorReading | None, s: GuidanceSettings, flat: bool) -> bool:
    """The phone's own tilt over a card. Returns whether the sensor settled the question: it
    measured both angles, or found the phone tilted."""
    beta = reading.beta_deg if reading and flat else None
    gamma = reading.gamma_deg if reading and flat else None
    limit = s.card_max_device_tilt_deg
    # beta > 0: the top edge is raised; gamma > 0: the right side is lower.
    for key, value, name in (("tilt_top", beta, "tilt_lower_top"),
                             ("tilt_bottom", None if beta is None else -beta, "tilt_lower_bottom"),
                             ("tilt_right", gamma, "tilt_lower_left"),
                             ("tilt_left", None if gamma is None else -gamma, "tilt_lower_right")):
        if checks.above(key, value, limit):
            checks.add_phone_tilt(key, name, s)
            return True
    return beta is not None and gamma is not None


def _card_tilt(checks: _Checks, obs: CardObservation, reading: SensorReading | None,
               s: GuidanceSettings, flat: bool) -> None:
    if _card_phone_tilt(checks, reading, s, flat):
        return
    if checks.above("tilt_card", abs(obs.tilt_deg), s.card_max_tilt_deg):
        # Only without the phone's own tilt sensor: the perspective estimate from the card's
        # outline reads about twice the real tilt (28° for 12° on rendered scenes).
        checks.add("tilt_card", "hold_flat", "tilt")
