"""Passive liveness: image evidence that needs no action from the person.

- *Static*: a still image sent as a video does not change at all between
  frames (a camera always adds noise): mean absolute grey change on the face.
- *Screen replay*: a display's pixel grid re-sampled by the camera leaves
  moiré: narrow, strong peaks in the face's high-frequency spectrum. The
  figure is the share of band-pass energy (0.08-0.5 cycles/pixel) in the
  strongest 0.5 % of frequency bins: camera noise and skin texture spread
  their energy (about 0.15-0.25), a screen's grid concentrates it (above 0.5).
- *Print flatness*: points tracked on a flat print move by one homography
  (a plane seen by a pinhole camera); on a head that sways, the nose moves
  against the cheeks (parallax). Points are tracked with pyramidal
  Lucas-Kanade (forward-backward checked) from the first usable frame to
  later ones; a least-median homography is fitted; the median residual, in
  percent of the face width, is the figure, taken where the motion is large
  enough to show parallax.
- *Specular glare*: the share of the face that is near-white and colourless;
  glossy prints and screens under a lamp show broad patches.

No registry package was found that ships trained anti-spoofing weights (they
download at run time), so these checks are built from image evidence only.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from barrierfree.settings.face import FaceSettings
from barrierfree.vision.face.observation import FaceObservation
from barrierfree.vision.frames import Frame
from barrierfree.vision.liveness.screening import Screened, screen
from barrierfree.vision.liveness.verdict import Check, LivenessVerdict

_MOIRE_FRAMES = 6  # frames examined for moiré (spread over the clip)
_PARALLAX_PAIRS = 8  # frame pairs examined for parallax


def frame_change(frames: Sequence[Frame], observations: Sequence[FaceObservation | None]) -> float | None:
    """Median mean-absolute grey change on the face box between consecutive frames (0..255)."""
    changes = []
    for previous, current, seen in zip(frames, frames[1:], observations[1:]):
        box = _box(seen, current.pixels.shape) if seen is not None and seen.box else None
        if box is None:
            continue
        x0, y0, x1, y1 = box
        a = previous.pixels[y0:y1, x0:x1].astype(np.int16)
        b = current.pixels[y0:y1, x0:x1].astype(np.int16)
        if a.shape == b.shape and a.size:
            changes.append(float(np.abs(a - b).mean()))
    return float(np.median(changes)) if changes else None


def moire(rgb: np.ndarray, observation: FaceObservation) -> float | None:
    """Share of the face's band-pass spectral energy in its strongest 0.5 % of bins (0..1)."""
    box = _box(observation, rgb.shape)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    grey = rgb[y0:y1, x0:x1].astype(np.float32).mean(axis=2)
    n = min(grey.shape) - min(grey.shape) % 2
    if n < 32:
        return None
    grey = grey[:n, :n]
    grey = grey - cv2.GaussianBlur(grey, (0, 0), 3)
    window = np.outer(np.hanning(n), np.hanning(n))
    power = np.abs(np.fft.fftshift(np.fft.fft2(grey * window))) ** 2
    yy, xx = np.mgrid[:n, :n] - n // 2
    radius = np.hypot(yy, xx) / n
    band = np.sort(power[(radius > 0.08) & (radius < 0.5)])[::-1]
    total = float(band.sum())
    return float(band[: max(1, len(band) // 200)].sum() / total) if total > 0 else None


def parallax(first: np.ndarray, later: np.ndarray, observation: FaceObservation) -> tuple[float, float] | None:
    """(residual %, motion %) of face points tracked from ``first`` to ``later`` after one homography."""
    a = cv2.cvtColor(first, cv2.COLOR_RGB2GRAY)
    b = cv2.cvtColor(later, cv2.COLOR_RGB2GRAY)
    mask = np.zeros_like(a)
    cv2.fillConvexPoly(mask, cv2.convexHull(observation.landmarks[:468, :2].astype(np.int32)), 255)  # type: ignore[index]
    mask = cv2.erode(mask, np.ones((9, 9), np.uint8))
    points = cv2.goodFeaturesToTrack(a, 200, 0.01, 5, mask=mask)
    if points is None or len(points) < 12:
        return None
    tracked, ok1, _ = cv2.calcOpticalFlowPyrLK(a, b, points, None, winSize=(15, 15), maxLevel=3)
    back, ok2, _ = cv2.calcOpticalFlowPyrLK(b, a, tracked, None, winSize=(15, 15), maxLevel=3)
    good = (ok1.ravel() == 1) & (ok2.ravel() == 1) & (np.linalg.norm((back - points).reshape(-1, 2), axis=1) < 0.5)
    p, q = points.reshape(-1, 2)[good], tracked.reshape(-1, 2)[good]
    if len(p) < 12:
        return None
    homography, _ = cv2.findHomography(p, q, cv2.LMEDS)
    if homography is None:
        return None
    residual = np.linalg.norm(cv2.perspectiveTransform(p[None].astype(np.float64), homography)[0] - q, axis=1)
    width = float(observation.box[2])  # type: ignore[index]
    return float(np.median(residual)) / width * 100, float(np.median(np.linalg.norm(q - p, axis=1))) / width * 100


def glare_fraction(rgb: np.ndarray, observation: FaceObservation) -> float | None:
    """Share of the face box that is near-white (value > 0.92) and colourless (saturation < 0.12)."""
    box = _box(observation, rgb.shape)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    hsv = cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2HSV)
    return float(np.mean((hsv[..., 2] > 235) & (hsv[..., 1] < 31)))


def _box(observation: FaceObservation | None, shape: tuple[int, ...]) -> tuple[int, int, int, int] | None:
    if observation is None or observation.box is None:
        return None
    x, y, w, h = observation.box
    x0, y0 = max(int(x), 0), max(int(y), 0)
    x1, y1 = min(int(x + w), shape[1]), min(int(y + h), shape[0])
    return (x0, y0, x1, y1) if x1 - x0 >= 8 and y1 - y0 >= 8 else None


def passive_checks(frames: Sequence[Frame], screened: Screened, settings: FaceSettings) -> tuple[list[Check], list[str]]:
    """The passive checks on an already screened clip (also used beside the active and flash modes)."""
    usable = screened.usable_indices()
    observations = screened.observations
    change = frame_change(frames, observations)
    sample = usable[:: max(1, len(usable) // _MOIRE_FRAMES)][:_MOIRE_FRAMES]
    moire_values = [m for m in (moire(frames[i].pixels, observations[i]) for i in sample) if m is not None]  # type: ignore[arg-type]
    glare_values = [g for g in (glare_fraction(frames[i].pixels, observations[i]) for i in sample) if g is not None]  # type: ignore[arg-type]
    best: tuple[float, float] | None = None
    if usable:
        first = usable[0]
        for j in usable[1:][:: max(1, (len(usable) - 1) // _PARALLAX_PAIRS)]:
            measured = parallax(frames[first].pixels, frames[j].pixels, observations[first])  # type: ignore[arg-type]
            if measured and measured[1] >= settings.passive_min_motion_pct and (best is None or measured[0] > best[0]):
                best = measured
    checks = [
        Check("passive.frame_change", change, settings.passive_min_frame_change, ">=", "grey levels"),
        Check("passive.moire", float(np.median(moire_values)) if moire_values else None, settings.passive_max_moire, "<="),
        Check("passive.parallax", best[0] if best else None, settings.passive_min_parallax_pct, ">=", "% face width"),
        Check("passive.glare", float(np.median(glare_values)) if glare_values else None, settings.passive_max_glare_fraction, "<="),
    ]
    reasons = []
    if not checks[0].passed:
        reasons.append("liveness.static_picture")
    if not checks[1].passed and checks[1].figure is not None:
        reasons.append("liveness.screen_detected")
    if best is None:
        if checks[0].passed:
            reasons.append("liveness.not_enough_motion")
    elif not checks[2].passed:
        reasons.append("liveness.flat_face")
    if not checks[3].passed and checks[3].figure is not None:
        reasons.append("liveness.glare")
    return checks, reasons


def verify_passive(frames: Sequence[Frame], settings: FaceSettings | None = None) -> LivenessVerdict:
    """Passive verdict on a clip of frames with timestamps (a single still image never passes)."""
    settings = settings or FaceSettings()
    if not frames:
        return LivenessVerdict.refused("passive", "liveness.too_few_frames")
    screened = screen(frames, settings)
    reasons = list(screened.reasons)
    if not any(screened.usable):
        return LivenessVerdict.from_checks("passive", screened.checks, tuple(reasons) or ("liveness.no_face",))
    checks, more = passive_checks(frames, screened, settings)
    return LivenessVerdict.from_checks("passive", tuple(screened.checks) + tuple(checks), tuple(reasons + more))
