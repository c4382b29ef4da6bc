"""What the phone's sensors report alongside a frame."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SensorReading:
    """Device motion as the browser reports it (``DeviceOrientationEvent``/``DeviceMotionEvent``).

    ``beta_deg`` is front-back tilt (-180..180, 90 = phone upright facing the user),
    ``gamma_deg`` left-right tilt (-90..90), ``acceleration_m_s2`` the magnitude of
    acceleration without gravity, ``ambient_lux`` the light level when known.
    Any value may be ``None`` when the phone does not report it.
    """

    beta_deg: float | None = None
    gamma_deg: float | None = None
    acceleration_m_s2: float | None = None
    ambient_lux: float | None = None
