"""How big the frame is where the target is, in millimetres, so a cue can say how far to move.

A person moves the phone by a distance, not by a share of a picture they
cannot see: "about 5 centimetres to your left" is something they can do in
one go, where "a little to your left" takes several tries. The target itself
is the ruler: an ID-1 card is 85.6 mm wide (an ID-3 passport page 125 mm),
and an adult face is about ``face_width_mm`` wide. Moving the phone parallel
to the target's plane shifts the picture by the same distance in that plane,
so the needed move is the target's offset from where it should be, in mm.

Frame coordinates: fractions of the frame, x right, y down.
"""

from __future__ import annotations

import math

import numpy as np

from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card.layouts import ID1_MM, ID3_MM
from barrierfree.vision.card.observation import CardObservation
from barrierfree.vision.face.observation import FaceObservation

#: Long-over-short side between the ID-1 (1.586) and ID-3 (1.42) shapes.
_ID1_MIN_ASPECT = 1.5


def face_frame_mm(obs: FaceObservation, s: GuidanceSettings) -> tuple[float, float] | None:
    """Width and height of the frame in the face's plane, in mm (``None`` when unknown).

    >>> from barrierfree.vision.face.observation import FaceObservation
    >>> obs = FaceObservation(face_count=1, frame_size=(480, 640), size_fraction=0.4, center=(0.5, 0.5))
    >>> [round(v) for v in face_frame_mm(obs, GuidanceSettings())]
    [350, 467]
    """
    size = obs.size_fraction
    if size is None or not math.isfinite(size) or size <= 0:
        return None
    width_px, height_px = obs.frame_size
    width_mm = s.face_width_mm / size
    return width_mm, width_mm * height_px / width_px


def card_frame_mm(obs: CardObservation) -> tuple[float, float] | None:
    """Width and height of the frame in the card's plane, in mm (``None`` when unknown).

    The card's edges set the scale, each against its printed length: the long
    ones (top and bottom in reading order) and the short ones. A card cut off
    by the frame has an extrapolated outline whose cut edges may come out
    short, so the larger of the two estimates of pixels per mm is taken. The
    card is ID-1 unless a whole one looks like a passport page.

    >>> quad = np.array([[100, 100], [371, 100], [371, 271], [100, 271]], float)
    >>> obs = CardObservation(found=True, frame_size=(640, 480), quad=quad, aspect_ratio=1.586)
    >>> [round(v) for v in card_frame_mm(obs)]
    [202, 152]
    """
    if obs.quad is None:
        return None
    quad = np.asarray(obs.quad, float)
    long_px = (np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2
    short_px = (np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
    if not (math.isfinite(long_px) and math.isfinite(short_px)) or min(long_px, short_px) < 1:
        return None
    size_mm = ID3_MM if _passport_page(obs) else ID1_MM
    mm_per_px = 1.0 / max(long_px / size_mm[0], short_px / size_mm[1])
    width_px, height_px = obs.frame_size
    return float(width_px * mm_per_px), float(height_px * mm_per_px)


def focal_px(frame_size: tuple[int, int], s: GuidanceSettings) -> float:
    """The camera's focal length in pixels, from its 35 mm-equivalent focal length.

    The equivalent focal length is defined on the 43.27 mm diagonal of a
    35 mm frame, so the frame's own diagonal in pixels scales it.

    >>> round(focal_px((480, 640), GuidanceSettings()))
    481
    """
    return s.camera_equivalent_focal_mm / 43.27 * math.hypot(*frame_size)


def face_distance_mm(obs: FaceObservation, s: GuidanceSettings) -> float | None:
    """How far the face is from the lens, in mm (pinhole camera; ``None`` when unknown)."""
    extent = face_frame_mm(obs, s)
    return None if extent is None else extent[0] * focal_px(obs.frame_size, s) / obs.frame_size[0]


def card_distance_mm(obs: CardObservation, s: GuidanceSettings) -> float | None:
    """How far the card is from the lens, in mm (pinhole camera; ``None`` when unknown)."""
    extent = card_frame_mm(obs)
    return None if extent is None else extent[0] * focal_px(obs.frame_size, s) / obs.frame_size[0]


def distance_move_mm(distance_mm: float | None, near_mm: float, far_mm: float, aim: float = 0.5) -> float | None:
    """The change of distance that brings the target into ``near_mm``..``far_mm``, ``aim`` of
    the way in from the edge on the phone's side (0.5: the middle): negative is closer.
    Sizes in the picture scale as 1 / distance, so each size limit is a distance limit.

    >>> distance_move_mm(600.0, 300.0, 400.0), distance_move_mm(200.0, 300.0, 400.0)
    (-250.0, 150.0)
    >>> distance_move_mm(600.0, 300.0, 400.0, aim=0.25), distance_move_mm(200.0, 300.0, 400.0, aim=0.25)
    (-225.0, 125.0)
    """
    if distance_mm is None or not all(math.isfinite(v) for v in (distance_mm, near_mm, far_mm, aim)):
        return None
    if distance_mm > far_mm:
        return far_mm - aim * (far_mm - near_mm) - distance_mm
    if distance_mm < near_mm:
        return near_mm + aim * (far_mm - near_mm) - distance_mm
    return (near_mm + far_mm) / 2 - distance_mm


def face_after_distance_move(center: tuple[float, float], target_y: float, extent_mm: tuple[float, float] | None,
                             distance_mm: float | None, farther_mm: float | None,
                             beta_deg: float | None) -> tuple[tuple[float, float], tuple[float, float] | None]:
    """Where a face will be in the picture (frame fractions, y down) once the phone has moved
    ``farther_mm`` (closer -), and the frame's extent in mm there: the centre a move said
    together with that distance must aim for.

    A sideways offset is the same in mm at any distance, so it grows in the picture as the
    phone comes closer. A phone tilted back by θ (``beta_deg`` under 90°, the phone's own
    sensor) looks up by θ, so the face sits lower by ``distance × tan θ``: that part of the
    offset shrinks as the phone comes closer (a simulated user told "15 cm down and 15 closer"
    at 60 cm, the phone 13° back, was 3.5 cm too low from that alone).

    Centred, 60 cm away, the phone tilted 20° back, then 20 cm closer: the face comes out high.

    >>> (x, y), extent = face_after_distance_move((0.5, 0.45), 0.45, (600.0, 800.0), 600.0, -200.0, 70.0)
    >>> round(x, 2), round(y, 2), [round(v) for v in extent]
    (0.5, 0.31, [400, 533])
    """
    if extent_mm is None or distance_mm is None or farther_mm is None or not distance_mm > 0:
        return center, extent_mm
    tilt = math.tan(math.radians(90.0 - beta_deg)) if beta_deg is not None and 0.0 < beta_deg < 180.0 else 0.0
    right_mm = (center[0] - 0.5) * extent_mm[0]
    down_mm = (center[1] - target_y) * extent_mm[1] + farther_mm * tilt
    scale = max(distance_mm + farther_mm, 1.0) / distance_mm
    extent = (extent_mm[0] * scale, extent_mm[1] * scale)
    return (0.5 + right_mm / extent[0], target_y + down_mm / extent[1]), extent


def _passport_page(obs: CardObservation) -> bool:
    """An ID-3 page: the cheap cues say so, it is wholly in view and has the ID-3 shape.

    On a card cut off by the frame both the cues and the outline's aspect ratio
    are unsteady (an ID-1 card cut on one side was taken for an MRZ page, with
    aspect ratios of 1.47-1.73 seen), and an ID card is by far the likelier.
    """
    return obs.document_type == "mrz_td3" and not obs.cut_edges and 0 < obs.aspect_ratio < _ID1_MIN_ASPECT


def spoken_cm(move_mm: float, s: GuidanceSettings) -> int | None:
    """A move as a person would say it: whole centimetres, to 5 cm above 10 cm;
    ``None`` below ``min_spoken_move_cm`` ("a little" says it better).

    >>> s = GuidanceSettings()
    >>> spoken_cm(12, s), spoken_cm(34, s), spoken_cm(123, s), spoken_cm(180, s)
    (None, 3, 10, 20)
    """
    cm = abs(move_mm) / 10
    if not math.isfinite(cm) or cm < s.min_spoken_move_cm:
        return None
    return int(round(cm)) if cm < 10 else int(5 * round(cm / 5))
