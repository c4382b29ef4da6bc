"""Verifying a colour-flash challenge: did the face reflect the colours the screen showed?

The server issues a :class:`FlashChallenge` (a nonce, an expiry, and a random
sequence of screen colours, each shown for 334 ms or more); the client shows
them full screen while the front camera records; :func:`verify` takes the
frames with their timestamps and decides. A client whose page stalled holds a
colour longer than issued (never shorter: WCAG 2.3.1) and sends when each
colour was really shown; :func:`as_shown` re-times the challenge to that.

Physical model
--------------
Skin is close to Lambertian. With the room's light ``E_room`` and the phone
screen (a broad source next to the camera, so its light arrives along the
viewing axis) showing colour ``C`` (linear RGB), a face pixel with albedo
``A`` and surface normal ``n`` records, in linear light::

    I(x, t) = A(x) * (E_room(x) + E_screen * max(0, n(x) . v) * C(t - lag))

``v`` the direction to the screen/camera, ``lag`` the camera pipeline's delay.
Dividing each region's signal by its own mean over the clip removes the
albedo; subtracting the mean over the three channels removes any brightness
change that is the same in every channel (auto-exposure, the room's lights).
What remains, the region's *chroma response*, is ``g(x) * (C(t) - C̄)`` with
a gain ``g(x)`` that grows with ``n . v`` and with closeness to the screen.
So the verifier checks:

(a) *sequence*: the face's chroma follows the issued colours, in order and in
    time: Pearson correlation with the issued sequence at the best lag in
    ``0..flash_max_lag_ms`` and the share of colour segments whose chroma is
    nearest the issued colour. A replay recorded under another challenge
    follows another sequence; one re-timed to this challenge lags.
(b) *relief*: the gain on oblique parts of the face (cheek sides, temples; ``n . v``
    about 0.3-0.6) over the gain on parts facing the screen (nose, forehead
    centre): a head gives a ratio well below 1, a flat print or screen (every
    point has the same normal) about 1.
(c) *background*: the gain of the scene beside the head over the face's. Light
    falls off with the square of the distance: a wall a metre away responds
    about a tenth as much as a face at 30 cm; the paper around a printed face,
    or a digitally tinted picture, responds like the face.
(d) *challenge*: the nonce is claimed once in a :class:`NonceStore`, the
    challenge is unexpired, and it belongs to this session.

Frame timestamps are seconds on the challenge's clock: 0 is the moment the
first colour appeared on screen.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from barrierfree.settings.face import FaceSettings
from barrierfree.vision.face.geometry import facing_cosine, skin_points
from barrierfree.vision.frames import Frame
from barrierfree.vision.liveness.flash.challenge import PALETTE, FlashChallenge, as_shown
from barrierfree.vision.liveness.nonces import NonceStore, default_store
from barrierfree.vision.liveness.screening import Screened, screen
from barrierfree.vision.liveness.verdict import Check, LivenessVerdict


#: Skin whose normal is within about 25° of the screen direction counts as facing it.
_FRONTAL_COS = 0.9
#: Skin between about 53° and 75° from the screen direction counts as oblique.
_OBLIQUE_COS = (0.25, 0.6)
_INWARD = 0.05  # share of the way towards the face centre the oblique samples move
_PATCH = 0.025  # sample half-size, in face widths
#: Below this correlation the face shows no response to speak of, so ratios to it are not computed.
_MIN_RESPONSE_CORRELATION = 0.3


# --------------------------------------------------------------------------- signals


def _srgb_table() -> np.ndarray:
    c = np.arange(256, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


_SRGB_TO_LINEAR = _srgb_table()


def _linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 to linear light 0..1 (IEC 61966-2-1), by table."""
    return _SRGB_TO_LINEAR[np.asarray(rgb, np.uint8)]


def _patch_mean(rgb: np.ndarray, x: float, y: float, half: int) -> np.ndarray:
    """Mean linear light of the square patch around (x, y); only the patch is linearised (hot path)."""
    height, width = rgb.shape[:2]
    x0, x1 = max(int(x) - half, 0), min(int(x) + half + 1, width)
    y0, y1 = max(int(y) - half, 0), min(int(y) + half + 1, height)
    if x1 <= x0 or y1 <= y0:
        return np.full(3, np.nan, np.float32)
    return _linear(rgb[y0:y1, x0:x1]).reshape(-1, 3).mean(axis=0)


def _patch_means(rgb: np.ndarray, centres: np.ndarray, half: int) -> np.ndarray:
    """:func:`_patch_mean` of many same-size patches at once: ``(k, 3)``.

    Patches wholly inside the frame are gathered in one strided NumPy
    operation (one Python call per frame instead of one per patch: this was
    the verifier's largest cost after the mesh); patches cut by the frame
    edge go through :func:`_patch_mean`, so the figures are identical.
    """
    height, width = rgb.shape[:2]
    if len(centres) == 0:
        return np.empty((0, 3), np.float32)
    corner = np.trunc(centres).astype(np.int64) - half  # int() truncates, as in _patch_mean
    side = 2 * half + 1
    inside = (corner[:, 0] >= 0) & (corner[:, 1] >= 0) & (corner[:, 0] + side <= width) & (corner[:, 1] + side <= height)
    out = np.empty((len(centres), 3), np.float32)
    if inside.any():
        windows = np.lib.stride_tricks.sliding_window_view(rgb, (side, side), axis=(0, 1))  # type: ignore[call-overload]  # numpy takes a tuple of axes
        gathered = windows[corner[inside, 1], corner[inside, 0]]  # (k, 3, side, side) uint8
        out[inside] = _SRGB_TO_LINEAR[gathered].reshape(len(gathered), 3, -1).mean(axis=2)
    for k in np.flatnonzero(~inside):
        out[k] = _patch_mean(rgb, float(centres[k, 0]), float(centres[k, 1]), half)
    return out


@dataclass(frozen=True)
class SamplePoints:
    """Which landmarks a clip is sampled at: skin facing the screen, oblique skin (cosines in the docstring)."""

    frontal: np.ndarray
    oblique: np.ndarray


def choose_points(landmarks: np.ndarray) -> SamplePoints:
    """Skin landmarks whose normal faces the camera (cos >= 0.9) and oblique ones (0.25 <= cos <= 0.6).

    Chosen from the person's own mesh rather than fixed indices, so that a
    head turned a little still compares surfaces that face the screen with
    surfaces that do not.
    """
    skin = skin_points()
    cosine = facing_cosine(landmarks)[skin]
    frontal = skin[cosine >= _FRONTAL_COS]
    oblique = skin[(cosine >= _OBLIQUE_COS[0]) & (cosine <= _OBLIQUE_COS[1])]
    return SamplePoints(_spread(frontal), _spread(oblique))


def _spread(indices: np.ndarray, most: int = 24) -> np.ndarray:
    return indices[:: max(1, len(indices) // most)][:most] if len(indices) else indices


def sample_regions(rgb: np.ndarray, landmarks: np.ndarray, points: SamplePoints) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Linear-RGB means of the frontal, oblique and background samples: ``(k, 3)`` arrays."""
    width = float(np.ptp(landmarks[:, 0]))
    half = max(1, int(_PATCH * width))
    centre = landmarks[:468, :2].mean(axis=0)
    nan = np.full((1, 3), np.nan, np.float32)
    frontal = _patch_means(rgb, landmarks[points.frontal, :2], half) if len(points.frontal) else nan
    inner = landmarks[points.oblique, :2]
    oblique = _patch_means(rgb, inner + _INWARD * (centre - inner), half) if len(points.oblique) else nan
    x0, x1 = landmarks[:, 0].min(), landmarks[:, 0].max()
    y_eye = landmarks[[33, 263], 1].mean()
    y_top = landmarks[10, 1]
    side = 0.3 * width
    spots = [(x0 - side, y_eye), (x1 + side, y_eye), (x0 - side, y_top), (x1 + side, y_top)]
    background = _patch_means(rgb, np.array(spots, np.float64), 2 * half)
    return frontal, oblique, background


def _chroma(signal: np.ndarray) -> np.ndarray:
    """Relative change per channel minus its channel mean, zero-mean over time: ``(T, 3)``."""
    relative = signal / np.maximum(np.nanmean(signal, axis=0, keepdims=True), 1e-4) - 1.0
    chroma = relative - relative.mean(axis=1, keepdims=True)
    return chroma - chroma.mean(axis=0, keepdims=True)


def expected_chroma(challenge: FlashChallenge, times_s: np.ndarray, lag_s: float) -> np.ndarray:
    """The issued colours' chroma at each frame time (``(T, 3)``, zero-mean over the frames)."""
    rows = []
    for t in times_s:
        rgb = challenge.colour_at(t - lag_s)
        rows.append(_linear(np.asarray(rgb if rgb is not None else (0, 0, 0), np.uint8)))
    colours = np.array(rows, np.float32)
    chroma = colours - colours.mean(axis=1, keepdims=True)
    return chroma - chroma.mean(axis=0, keepdims=True)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.ravel(), b.ravel()
    denominator = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b / denominator) if denominator > 1e-9 else 0.0


def _gain(observed: np.ndarray, expected: np.ndarray) -> float:
    """Least-squares gain of ``observed ≈ g * expected``."""
    energy = float(np.sum(expected * expected))
    return float(np.sum(observed * expected) / energy) if energy > 1e-9 else 0.0


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class _Signals:
    times: np.ndarray
    face: np.ndarray  # (T, 3) chroma of the frontal samples
    oblique: np.ndarray
    background: np.ndarray


class FlashVerifier:
    """Verifies answers to flash challenges against one :class:`NonceStore`.

    ``clock`` returns Unix seconds (injectable for tests); ``mesh_stride``
    analyses every n-th frame with the face mesh and samples the frames in
    between at the nearest analysed landmarks (the person is holding still;
    this halves the server time).
    """

    def __init__(
        self,
        settings: FaceSettings | None = None,
        store: NonceStore | None = None,
        clock: Callable[[], float] = time.time,
        mesh_stride: int = 2,
    ) -> None:
        self.settings = settings or FaceSettings()
        self.store = store if store is not None else default_store()
        self.clock = clock
        self.mesh_stride = max(1, mesh_stride)

    def verify(
        self, challenge: FlashChallenge, frames: Sequence[Frame], session_id: str | None = None,
        shown_s: Sequence[float] | None = None,
    ) -> LivenessVerdict:
        """Decide whether ``frames`` are a live face answering ``challenge``; never raises on bad frames.

        ``shown_s``: when the client really showed each colour (see :func:`as_shown`);
        without it the issued schedule is taken as shown. Bad ``shown_s`` is
        :class:`BadInput`, raised before the nonce is claimed.
        """
        issued = challenge
        if shown_s is not None:
            challenge = as_shown(challenge, shown_s)
        refusal = self._challenge_refusal(issued, session_id)
        if refusal:
            return LivenessVerdict.refused("flash", refusal)
        if not frames:
            return LivenessVerdict.refused("flash", "liveness.too_few_frames")
        screened = screen(frames, self.settings, stride=self.mesh_stride)
        reasons = list(screened.reasons)
        if not any(screened.usable):
            return LivenessVerdict.from_checks("flash", screened.checks, tuple(reasons) or ("liveness.no_face",))
        times = np.array([f.timestamp_s or 0.0 for f in frames], np.float64)
        span_ok = times.min() <= 0.25 and times.max() >= challenge.duration_ms / 1000.0 - 0.25
        if not span_ok:
            reasons.append("liveness.clip_too_short")
        signals = self._signals(frames, screened)
        checks = list(screened.checks) + self._flash_checks(challenge, signals)
        for check, reason in zip(checks[len(screened.checks):], _FLASH_REASONS):
            if not check.passed:
                reasons.append(reason)
        return LivenessVerdict.from_checks("flash", tuple(checks), tuple(reasons))

    def _challenge_refusal(self, challenge: FlashChallenge, session_id: str | None) -> str | None:
        if session_id is not None and not secrets.compare_digest(challenge.session_id, session_id):
            return "liveness.challenge_other_session"
        if self.clock() > challenge.expires_at:
            return "liveness.challenge_expired"
        if not self.store.claim(challenge.nonce, challenge.expires_at):
            return "liveness.challenge_reused"
        return None

    def _signals(self, frames: Sequence[Frame], screened: Screened) -> _Signals:
        usable = screened.usable_indices()
        anchors = np.array(usable)
        rows_f, rows_o, rows_b, times = [], [], [], []
        points = choose_points(screened.observations[usable[0]].landmarks)  # type: ignore[union-attr,arg-type]
        for index, frame in enumerate(frames):
            # Frames between analysed ones use the nearest analysed landmarks.
            nearest = int(anchors[np.argmin(np.abs(anchors - index))])
            if abs(nearest - index) > self.mesh_stride:
                continue
            landmarks = screened.observations[nearest].landmarks  # type: ignore[union-attr]
            f, o, b = sample_regions(frame.pixels, landmarks, points)  # type: ignore[arg-type]
            rows_f.append(np.nanmean(f, axis=0))
            rows_o.append(np.nanmean(o, axis=0))
            rows_b.append(np.nanmean(b, axis=0) if np.isfinite(b).any() else np.full(3, np.nan))
            times.append(frame.timestamp_s or 0.0)
        background = np.array(rows_b)
        return _Signals(
            np.array(times),
            _chroma(np.array(rows_f)),
            _chroma(np.array(rows_o)),
            _chroma(background) if np.isfinite(background).all() else np.full_like(background, np.nan),
        )

    def _flash_checks(self, challenge: FlashChallenge, s: _Signals) -> list[Check]:
        settings = self.settings
        best_rho, best_lag = -1.0, 0.0
        for lag_ms in range(0, settings.flash_max_lag_ms + 1, 20):
            rho = _correlation(s.face, expected_chroma(challenge, s.times, lag_ms / 1000.0))
            if rho > best_rho:
                best_rho, best_lag = rho, lag_ms / 1000.0
        expected = expected_chroma(challenge, s.times, best_lag)
        face_gain = _gain(s.face, expected)
        segment_match = _segment_match(challenge, s, best_lag, face_gain)
        # Relief and background are ratios to the face's response: only meaningful when there is one.
        relief: float | None
        if face_gain > 1e-4 and best_rho >= _MIN_RESPONSE_CORRELATION:
            relief = _gain(s.oblique, expected) / face_gain
            background = _gain(s.background, expected) / face_gain if np.isfinite(s.background).all() else None
        else:
            relief = background = None
        return [
            Check("flash.sequence_correlation", best_rho, settings.flash_min_sequence_correlation, ">="),
            Check("flash.segment_match", segment_match, settings.flash_min_segment_match, ">="),
            Check("flash.relief_ratio", relief, settings.flash_max_relief_ratio, "<="),
            Check("flash.background_ratio", background, settings.flash_max_background_ratio, "<="),
        ]


#: The reason given when each flash check (in :meth:`FlashVerifier._flash_checks` order) fails.
_FLASH_REASONS = ("liveness.sequence_mismatch", "liveness.sequence_mismatch", "liveness.flat_face", "liveness.background_responds")


def _segment_match(challenge: FlashChallenge, s: _Signals, lag_s: float, gain: float) -> float:
    """Share of colour segments whose mean face chroma is nearest (after the fitted gain) the issued colour."""
    palette = {tuple(c.rgb) for c in challenge.colours} | set(PALETTE.values())
    # Per-colour chroma on the same zero-mean scale as ``issued``.
    sequence_mean = _linear(np.array([challenge.colour_at(t - lag_s) or (0, 0, 0) for t in s.times], np.uint8))
    offset = (sequence_mean - sequence_mean.mean(axis=1, keepdims=True)).mean(axis=0)
    candidates = {rgb: (_linear(np.array(rgb, np.uint8)) - _linear(np.array(rgb, np.uint8)).mean()) - offset for rgb in palette}
    matched = total = 0
    for colour in challenge.colours:
        start, end = colour.start_ms / 1000 + lag_s + 0.07, (colour.start_ms + colour.duration_ms) / 1000 + lag_s - 0.07
        inside = (s.times >= start) & (s.times < end)
        if not inside.any():
            continue
        total += 1
        seen = s.face[inside].mean(axis=0)
        nearest = min(candidates, key=lambda rgb: float(np.sum((gain * candidates[rgb] - seen) ** 2)))
        matched += nearest == tuple(colour.rgb)
    return matched / total if total else 0.0


def verify(
    challenge: FlashChallenge,
    frames: Sequence[Frame],
    session_id: str | None = None,
    *,
    settings: FaceSettings | None = None,
    store: NonceStore | None = None,
    shown_s: Sequence[float] | None = None,
) -> LivenessVerdict:
    """Verify with a :class:`FlashVerifier` (the process's in-memory nonce store unless ``store`` is given)."""
    return FlashVerifier(settings, store).verify(challenge, frames, session_id, shown_s)
