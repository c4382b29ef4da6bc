"""A selfie with the phone tilted: where the face will be once the phone is upright, and one
cue for both moves ("hold the phone upright, then move it 20 centimetres up").

A phone tilted back looks up: the face sits low in the picture, or in the middle when the
phone is well below the face. Straightening it swings the picture, so today's position
is no guide to the move needed (``straighten_phone_first`` says the tilt first for that
reason). But the phone's own sensor measures the tilt, and the camera's focal length turns
the face's place in the picture into an angle, so the face's place once upright is known
before the phone is turned. Said in turn, the tilt and the move cost a round of listen, act
and stop each (4-8 s for the simulated users at 160 words a minute); said as one cue,
the tilt first, they cost one, as a helper would put it.

Angles in degrees, ``beta`` the phone's front-back tilt (90 = upright); frame coordinates
are fractions of the frame, x right, y down; lengths in mm.
"""

from __future__ import annotations

import math
from dataclasses import replace

from barrierfree.accessibility.guidance.measure import focal_px
from barrierfree.accessibility.guidance.model import Cue
from barrierfree.settings.guidance import GuidanceSettings

#: The phone tilts said by the phone's own sensor, which a move can follow in one cue.
PHONE_TILTS = frozenset({"face.tilt_top_toward_you", "face.tilt_top_away"})
#: The moves that can follow a tilt in one cue (one way, in centimetres).
_MOVES = frozenset({"left", "right", "up", "down", "closer", "farther"})
#: Beyond this angle above or below the camera, no upright estimate is made (the face would be
#: a long way off, and a move said from it a guess).
_MAX_ELEVATION_DEG = 45.0


def phone_tilt(spoken: Cue) -> bool:
    """Whether ``spoken`` asks for a phone tilt the phone's own sensor measures (alone, or with a move)."""
    return spoken.message_id in PHONE_TILTS or spoken.message_id.split("_then_")[0] in PHONE_TILTS


def face_once_upright(center: tuple[float, float], extent_mm: tuple[float, float] | None,
                      distance_mm: float | None, beta_deg: float | None, frame_size: tuple[int, int],
                      s: GuidanceSettings) -> tuple[tuple[float, float], tuple[float, float], float] | None:
    """Where the face will be in the picture once the phone is upright and level with it (the
    vertical move needed not yet made), the frame's extent in mm at the face then, and the
    face's new distance over today's; ``None`` when unknown.

    The face is seen ``a`` below the camera's axis, and the axis points ``90° - beta`` up, so
    the face is ``e = 90° - beta - a`` above the phone: ``distance × sin e`` higher, and
    ``distance × cos e`` away once the phone is level with it.

    The move to the face's spot is ``upright_move_share`` of that (see the setting).

    Tilted 35° back, the face in the middle of the picture 44 cm away: once upright it is out
    of the top of the picture (y < 0), 25 cm above the phone, and 36 cm away.

    >>> exact = GuidanceSettings(upright_move_share=1.0)
    >>> (x, y), extent, scale = face_once_upright((0.5, 0.5), (440.0, 587.0), 440.0, 55.0, (480, 640), exact)
    >>> round(x, 2), round(y, 2), [round(v) for v in extent], round(scale, 2)
    (0.5, -0.03, [360, 481], 0.82)
    >>> round((0.45 - y) * extent[1])  # the move up, to the face's spot in the picture
    229
    """
    if extent_mm is None or distance_mm is None or beta_deg is None or not distance_mm > 0:
        return None
    if not all(math.isfinite(v) for v in (*center, *extent_mm, distance_mm, beta_deg)):
        return None
    f = focal_px(frame_size, s)
    elevation = math.radians(90.0 - beta_deg) - math.atan((center[1] - 0.5) * frame_size[1] / f)  # radians
    if abs(elevation) > math.radians(_MAX_ELEVATION_DEG):
        return None
    scale = math.cos(elevation)
    extent = (extent_mm[0] * scale, extent_mm[1] * scale)
    right_mm = (center[0] - 0.5) * extent_mm[0]
    y = 0.5 - f * math.tan(elevation) / frame_size[1]
    y = s.face_target_y + s.upright_move_share * (y - s.face_target_y)  # short of the spot: see the setting
    return (0.5 + right_mm / extent[0], y), extent, scale


def with_tilt(cues: tuple[Cue, ...]) -> tuple[Cue, ...]:
    """A phone tilt said first, and a move one way in centimetres next: one cue, the tilt first
    (``<tilt>_then_<direction>_by``, of the tilt's kind and rank, with the move's direction and
    distance), for a move measured for the phone once upright (:func:`face_once_upright`).

    >>> tilt = Cue("face.tilt_top_toward_you", "tilt", 1)
    >>> up = Cue("face.move_up_by", "off_centre", 3, "up", (("cm", 20),))
    >>> [c.message_id for c in with_tilt((tilt, up))], with_tilt((tilt, up))[0].params
    (['face.tilt_top_toward_you_then_up_by'], (('cm', 20),))
    """
    if len(cues) < 2 or cues[0].message_id not in PHONE_TILTS:
        return cues
    tilt = cues[0]
    # The centring move first, if any: "too close" ranks before it, but a face above the picture
    # once upright is brought into it by the move up, not by moving away.
    move = next((c for c in cues if c.kind == "off_centre"), cues[1])
    params = dict(move.params)
    if move.direction not in _MOVES or "cm" not in params or "also" in params:
        return cues
    both = replace(tilt, message_id=f"{tilt.message_id}_then_{move.direction}_by", direction=move.direction,
                   params=(("cm", params["cm"]),))
    return (both,) + tuple(c for c in cues[1:] if c is not move)
