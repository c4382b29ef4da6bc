"""Phone sensor readings, cleaned: absurd values are dropped, never trusted.

Browsers report ``beta`` in -180..180 and ``gamma`` in -90..90 degrees;
a value outside those ranges, NaN or infinite means a broken or spoofed
sensor, so it is ignored (and noted) rather than wrapped into a plausible
angle that would send the person the wrong way.

>>> clean(SensorReading(beta_deg=float("nan"), gamma_deg=720.0, acceleration_m_s2=0.3))
(SensorReading(beta_deg=None, gamma_deg=None, acceleration_m_s2=0.3, ambient_lux=None), ('sensor-beta-ignored', 'sensor-gamma-ignored'))
"""

from __future__ import annotations

import math
from dataclasses import replace

from barrierfree.accessibility.sensors import SensorReading

#: field -> (lowest, highest) plausible value.
_LIMITS = {
    "beta_deg": (-180.0, 180.0),
    "gamma_deg": (-90.0, 90.0),
    # Far beyond a shaking hand (a phone falling on a floor peaks near 100 m/s²).
    "acceleration_m_s2": (0.0, 200.0),
    # Direct sunlight is about 100 000 lx.
    "ambient_lux": (0.0, 200_000.0),
}


def clean(reading: SensorReading | None) -> tuple[SensorReading | None, tuple[str, ...]]:
    """The reading with implausible values set to ``None``, and a note per dropped value."""
    if reading is None:
        return None, ()
    if not isinstance(reading, SensorReading):
        return None, ("sensor-reading-ignored",)
    changes: dict[str, None] = {}
    notes: list[str] = []
    for name, (low, high) in _LIMITS.items():
        value = getattr(reading, name)
        if value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not (math.isfinite(number) and low <= number <= high):
            changes[name] = None
            notes.append(f"sensor-{name.split('_')[0]}-ignored")
    return (replace(reading, **changes) if changes else reading), tuple(notes)
