"""The phone's front camera: rolling shutter, auto-exposure, auto-white-balance, noise, tone curve, JPEG.

A frame is exposed row by row: row ``r`` integrates light from
``start + r / H * readout - exposure`` to ``start + r / H * readout``, so a
screen colour that changes during the read-out shows on the top rows before
the bottom ones, and each row sees the time-average of the colours in its
window. Auto-exposure meters the centre of the last frame and moves towards
mid-grey with a time constant; auto-white-balance does the same with
grey-world channel gains (so a coloured flash is partly cancelled after a few
hundred ms, as on real phones), or is locked. The sensor counts electrons
(shot and read noise; dim rooms need more gain and are noisier); the image
processor applies gains, a colour matrix with some crosstalk, a gamma-2.2
tone curve with an S-shaped contrast boost, and JPEG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np


@dataclass(frozen=True)
class CameraModel:
    """Settings of one phone camera (times in seconds)."""

    fps: float = 15.0
    readout_s: float = 0.025
    max_exposure_s: float = 1 / 30
    ae_tau_s: float = 0.25
    awb_tau_s: float = 0.4
    awb: bool = True
    #: Electrons per (cd/m² × s) at a pixel, full well, read noise (electrons).
    electrons_per_nit_s: float = 6500.0
    full_well: float = 6000.0
    read_noise: float = 3.0
    jpeg_quality: int = 85
    #: Capture-to-timestamp delay of the browser pipeline, and its frame-to-frame jitter.
    latency_s: float = 0.08
    jitter_s: float = 0.006
    drop_rate: float = 0.03
    crosstalk: tuple[tuple[float, float, float], ...] = ((0.92, 0.07, 0.01), (0.05, 0.9, 0.05), (0.01, 0.08, 0.91))


@dataclass
class CameraState:
    """What the camera's control loops have settled on (changes frame by frame)."""

    exposure_s: float = 1 / 60
    gain: float = 1.0
    wb: np.ndarray = field(default_factory=lambda: np.ones(3))


_TARGET = 0.18  # auto-exposure aims the metered mean at mid-grey (linear)


def meter(linear: np.ndarray) -> tuple[float, np.ndarray]:
    """(centre-weighted mean luminance, grey-world channel means) of a linear image."""
    height, width = linear.shape[:2]
    centre = linear[height // 5: 4 * height // 5, width // 5: 4 * width // 5]
    luminance = float((centre @ np.array([0.2126, 0.7152, 0.0722])).mean())
    return luminance, linear.reshape(-1, 3).mean(axis=0)


def adapt(state: CameraState, model: CameraModel, radiance_mean: float, channel_means: np.ndarray, dt: float, settle: bool = False) -> None:
    """Move exposure and white balance towards their targets (``settle``: jump there, as after a long preview)."""
    wanted = _TARGET * model.full_well / max(radiance_mean * model.electrons_per_nit_s, 1e-9)  # exposure × gain for mid-grey
    current = state.exposure_s * state.gain
    alpha = 1.0 if settle else 1.0 - math.exp(-dt / model.ae_tau_s)
    total = current * (wanted / current) ** alpha
    state.exposure_s = min(total, model.max_exposure_s)
    state.gain = max(1.0, total / state.exposure_s)
    if model.awb or settle:
        target = channel_means[1] / np.maximum(channel_means, 1e-9)
        target = np.clip(target, 0.4, 3.0)
        beta = 1.0 if settle else 1.0 - math.exp(-dt / model.awb_tau_s)
        state.wb = state.wb * (target / state.wb) ** beta


def _tone_table(steps: int = 8192) -> np.ndarray:
    """Linear 0..1 -> 8-bit: gamma 2.2 and a gentle S-curve (phones add contrast)."""
    v = (np.arange(steps) / (steps - 1)) ** (1 / 2.2)
    return np.round((0.75 * v + 0.25 * (3 * v**2 - 2 * v**3)) * 255).astype(np.uint8)


_TONE = _tone_table()


def develop(radiance: np.ndarray, state: CameraState, model: CameraModel, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Expose, add noise and process one frame: (sRGB-ish uint8 after JPEG, linear image the ISP saw for metering)."""
    electrons = radiance * np.float32(state.exposure_s * model.electrons_per_nit_s)
    noise = np.empty(electrons.shape, np.float32)
    cv2.setRNGSeed(int(rng.integers(0, 2**31 - 1)))  # cv2's generator is several times faster than NumPy's
    cv2.randn(noise, 0.0, 1.0)
    noisy = electrons + noise * np.sqrt(np.maximum(electrons, 0) + np.float32(model.read_noise**2))
    metered = np.clip(noisy, 0, model.full_well) * np.float32(state.gain / model.full_well)
    balanced = metered * state.wb.astype(np.float32)
    corrected = balanced @ np.asarray(model.crosstalk, np.float32).T
    out = _TONE[(np.clip(corrected, 0, 1) * (len(_TONE) - 1)).astype(np.int32)]
    ok, data = cv2.imencode(".jpg", np.ascontiguousarray(out[..., ::-1]), [cv2.IMWRITE_JPEG_QUALITY, model.jpeg_quality])
    return np.ascontiguousarray(cv2.imdecode(data, cv2.IMREAD_COLOR)[..., ::-1]), metered


def row_windows(start_s: float, exposure_s: float, model: CameraModel, height: int, samples: int = 6) -> np.ndarray:
    """Sample times ``(height, samples)`` spread over each row's exposure window."""
    ends = start_s + np.arange(height) / height * model.readout_s
    offsets = (np.arange(samples) + 0.5) / samples * exposure_s
    return ends[:, None] - offsets[None, :]
