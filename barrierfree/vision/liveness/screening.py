"""Checks every liveness mode makes first: frame timing, one usable face, the same face throughout.

Per frame the face must be alone, big enough, fully in the picture and not
turned too far; the clip must be in time order without gaps. Each problem
has a ``liveness.*`` reason that becomes a spoken cue ("only one person in
the picture, please"). A cut to another face (one person starts, another
finishes) shows as a jump in face *appearance*: each analysed frame's face is
aligned on eyes and mouth to a small grey patch, and consecutive patches of
one moving head correlate far better than patches of two people (landmark
shape alone does not separate people well enough: pose changes it as much).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from barrierfree.settings.face import FaceSettings
from barrierfree.vision.face.analyzer import FaceAnalyzer
from barrierfree.vision.face.observation import FaceObservation
from barrierfree.vision.frames import Frame
from barrierfree.vision.liveness.verdict import Check

_RIGHT_EYE, _LEFT_EYE, _MOUTH = (33, 133), (263, 362), (61, 291, 13, 14)


@dataclass(frozen=True, eq=False)
class Screened:
    """The observations of a clip (``None`` for frames not analysed) and what is wrong with it."""

    observations: tuple[FaceObservation | None, ...]
    usable: tuple[bool, ...]
    reasons: tuple[str, ...]
    checks: tuple[Check, ...]

    def usable_indices(self) -> list[int]:
        return [i for i, ok in enumerate(self.usable) if ok]


def timing_reasons(frames: Sequence[Frame], max_gap_s: float) -> list[str]:
    """``liveness.frames_out_of_order`` / ``liveness.frame_gap`` / ``liveness.missing_timestamps``."""
    stamps = [f.timestamp_s for f in frames]
    if any(t is None or not np.isfinite(t) for t in stamps):
        return ["liveness.missing_timestamps"]
    steps = np.diff(np.asarray(stamps, dtype=np.float64))
    reasons = []
    if np.any(steps <= 0):
        reasons.append("liveness.frames_out_of_order")
    if np.any(steps > max_gap_s):
        reasons.append("liveness.frame_gap")
    return reasons


def face_problem(observation: FaceObservation, settings: FaceSettings) -> str | None:
    """Why this frame's face cannot be used, as a ``liveness.*`` reason, or None."""
    if observation.face_count == 0:
        return "liveness.no_face"
    if observation.face_count > 1:
        return "liveness.two_faces"
    if observation.cut_edges:
        return "liveness.face_cut_off"
    if (observation.size_fraction or 0.0) < settings.min_face_width_fraction:
        return "liveness.face_too_small"
    if abs(observation.yaw_deg or 0.0) > settings.max_yaw_deg or abs(observation.pitch_deg or 0.0) > settings.max_pitch_deg:
        return "liveness.extreme_pose"
    return None


def face_patch(rgb: np.ndarray, landmarks: np.ndarray, size: int = 24) -> np.ndarray:
    """The face, aligned on the eyes and mouth to a ``size`` × ``size`` grey patch, zero mean, unit norm."""
    eyes = (landmarks[list(_RIGHT_EYE), :2].mean(axis=0), landmarks[list(_LEFT_EYE), :2].mean(axis=0))
    mouth = landmarks[list(_MOUTH), :2].mean(axis=0)
    source = np.array([eyes[0], eyes[1], mouth], np.float32)
    target = np.array([(0.3 * size, 0.35 * size), (0.7 * size, 0.35 * size), (0.5 * size, 0.78 * size)], np.float32)
    matrix, _ = cv2.estimateAffinePartial2D(source, target)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    patch = cv2.warpAffine(grey, matrix, (size, size), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    patch -= patch.mean()
    return patch / max(float(np.linalg.norm(patch)), 1e-6)


def identity_jump(previous: np.ndarray, current: np.ndarray) -> float:
    """1 - normalised cross-correlation of two :func:`face_patch` results (0 = identical)."""
    return float(1.0 - np.sum(previous * current))


def screen(
    frames: Sequence[Frame],
    settings: FaceSettings,
    stride: int = 1,
    analyzer: FaceAnalyzer | None = None,
    identity: str = "patch",
) -> Screened:
    """Analyse every ``stride``-th frame and judge the clip's usability.

    ``identity`` chooses how a cut to another face is found: ``"patch"``
    (cheap; for a head held still) or ``"embedding"`` (dlib descriptors of a
    few frames; robust to turns and open mouths, about 0.1 s a frame).

    Reasons returned: timing problems, ``liveness.too_few_frames``, the most
    common per-frame face problem when too few frames are usable, and
    ``liveness.face_changed`` on a cut to another face.
    """
    reasons = timing_reasons(frames, settings.flash_max_frame_gap_ms / 1000.0)
    if len(frames) < settings.min_liveness_frames:
        reasons.append("liveness.too_few_frames")
    own = analyzer is None
    analyzer = analyzer or FaceAnalyzer()
    observations: list[FaceObservation | None] = []
    usable: list[bool] = []
    patches: list[np.ndarray] = []
    problems: Counter[str] = Counter()
    try:
        for index, frame in enumerate(frames):
            if index % stride and index != len(frames) - 1:
                observations.append(None)
                usable.append(False)
                continue
            seen = analyzer.observe(frame)
            problem = face_problem(seen, settings)
            if problem:
                problems[problem] += 1
            observations.append(seen)
            usable.append(problem is None)
            if problem is None:
                patches.append(face_patch(frame.pixels, seen.landmarks))  # type: ignore[arg-type]
    finally:
        if own:
            analyzer.close()
    analysed = sum(o is not None for o in observations)
    fraction = sum(usable) / analysed if analysed else 0.0
    if fraction < settings.min_usable_frame_fraction and problems:
        reasons.append(problems.most_common(1)[0][0])
    # A cut changes every later frame; one frame with poor landmarks changes only itself.
    jumps = [
        min(identity_jump(patches[i - 1], patches[i]), identity_jump(patches[i - 1], patches[i + 1]))
        for i in range(1, len(patches) - 1)
    ]
    if identity == "embedding":
        identity_check = Check("frames.identity_distance", _embedding_spread(frames, observations, usable),
                               settings.max_identity_distance, "<=")
    else:
        identity_check = Check("frames.identity_jump", max(jumps) if jumps else None, settings.max_identity_jump, "<=")
    checks = (Check("frames.usable_fraction", fraction, settings.min_usable_frame_fraction, ">="), identity_check)
    if identity_check.figure is not None and not identity_check.passed:
        reasons.append("liveness.face_changed")
    return Screened(tuple(observations), tuple(usable), tuple(dict.fromkeys(reasons)), checks)


#: Frames compared by descriptor when ``identity="embedding"``.
_EMBEDDING_FRAMES = 5


def _embedding_spread(frames: Sequence[Frame], observations: Sequence[FaceObservation | None], usable: Sequence[bool]) -> float | None:
    """Largest descriptor distance between evenly spread usable frames and the first one."""
    from barrierfree.vision.face.match import embed_landmarks

    indices = [i for i, ok in enumerate(usable) if ok]
    if len(indices) < 2:
        return None
    step = max(1, (len(indices) - 1) // (_EMBEDDING_FRAMES - 1))
    chosen = indices[::step][: _EMBEDDING_FRAMES - 1] + [indices[-1]]
    vectors = [embed_landmarks(frames[i].pixels, observations[i].landmarks) for i in chosen]  # type: ignore[union-attr,arg-type]
    return max(float(np.linalg.norm(v - vectors[0])) for v in vectors[1:])
