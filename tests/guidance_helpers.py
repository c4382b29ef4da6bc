"""Observations built field by field for guidance tests (real dataclasses, no engine stand-in)."""

from __future__ import annotations

import numpy as np

from barrierfree.vision.card.observation import CardObservation
from barrierfree.vision.face.observation import FaceObservation

FRAME = (480, 640)


def face(center=(0.5, 0.45), size=0.45, count=1, cut=(), sharpness=420.0, exposure=0.5,
         yaw=0.0, roll=0.0, t=None) -> FaceObservation:
    if count == 0:
        return FaceObservation(face_count=0, frame_size=FRAME, timestamp_s=t)
    w = size * FRAME[0]
    box = (center[0] * FRAME[0] - w / 2, center[1] * FRAME[1] - w * 0.65, w, w * 1.3)
    return FaceObservation(face_count=count, frame_size=FRAME, timestamp_s=t, box=box, yaw_deg=yaw,
                           pitch_deg=0.0, roll_deg=roll, size_fraction=size, center=center,
                           cut_edges=frozenset(cut), sharpness=sharpness, exposure=exposure)


def card(center=(0.5, 0.5), coverage=0.35, cut=(), sharpness=3500.0, exposure=0.55, glare=0.0,
         tilt=0.0, side="portrait", found=True, t=None) -> CardObservation:
    if not found:
        return CardObservation(found=False, frame_size=FRAME, timestamp_s=t)
    return CardObservation(found=True, frame_size=FRAME, timestamp_s=t, coverage=coverage, center=center,
                           cut_edges=frozenset(cut), tilt_deg=tilt, sharpness=sharpness,
                           glare_fraction=glare, exposure=exposure, side=side)


def outlined(center_px: tuple[float, float], long_px: float, cut: tuple[str, ...] = ()) -> CardObservation:
    """A card (ID-1, 85.6 x 54 mm) seen square-on, ``long_px`` pixels long, centred at ``center_px``."""
    (cx, cy), short_px = center_px, long_px / 1.586
    quad = np.array([[cx - long_px / 2, cy - short_px / 2], [cx + long_px / 2, cy - short_px / 2],
                     [cx + long_px / 2, cy + short_px / 2], [cx - long_px / 2, cy + short_px / 2]], float)
    width, height = FRAME
    visible = (min(cx + long_px / 2, width) - max(cx - long_px / 2, 0)) * short_px
    return CardObservation(found=True, frame_size=FRAME, quad=quad, coverage=visible / (width * height),
                           center=(cx / width, cy / height), cut_edges=frozenset(cut), sharpness=3500.0,
                           exposure=0.55, side="portrait", aspect_ratio=1.586, visible_fraction=1.0)
