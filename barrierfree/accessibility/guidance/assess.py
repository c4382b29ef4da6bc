"""One observation -> the problems to fix, in the issue's cue order.

:func:`~.assess_face.assess_face` and :func:`~.assess_card.assess_card` are the two
halves; this module holds what both use (the checks with their hysteresis, centring,
size and cut-off cues) and the :class:`Assessment` they return.

Pure functions: an observation (plus the cleaned sensor reading, the set of
problems active on the previous frame, and whether the target is moving) in,
an :class:`Assessment` out. The first cue is the most important one.

Cue order: nothing found → several faces → partly out of frame → off-centre →
too far / too close → tilted phone → too dark / glare → wrong side of the card
→ blur ("hold still"). Two exceptions, on by default: a tilt the phone's own
sensor measures comes right after "several faces" (``straighten_phone_first``),
because straightening the phone moves the picture and would undo a position cue
given before it; and "too close" comes before "off-centre" (``farther_first``),
because close up the room to centre in is a couple of centimetres, and backing
off centres the target by itself.

Hysteresis in space: a problem starts at its limit but, once active, ends
only when the value is back inside the limit by ``hysteresis_fraction`` of the
tolerance, so a value hovering on a limit does not flip the cue every frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from barrierfree.accessibility.guidance.directions import edge_direction, needed_move, word
from barrierfree.accessibility.guidance.measure import (
    distance_move_mm, spoken_cm,
)
from barrierfree.accessibility.guidance.model import Camera, Cue, Direction
from barrierfree.settings.guidance import GuidanceSettings


#: A face, chin to hairline, over its width (the face mesh's outline).
_FACE_HEIGHT_OVER_WIDTH = 1.3
#: Rank of each kind of cue: lower is more important.
RANKS = {
    "searching": 0, "several": 1, "partly_out": 2, "off_centre": 3, "distance": 4,
    "tilt": 5, "light": 6, "side": 7, "blur": 8, "hold": 9, "captured": 10,
    "offer": 11, "notice": 12,
}


def cue(target: str, name: str, kind: str, direction: Direction | None = None, **params: object) -> Cue:
    """A cue for ``<target>.<name>`` at the rank of its kind."""
    return Cue(f"{target}.{name}", kind, RANKS[kind], direction, tuple(sorted(params.items())))


def capture_cue(target: str) -> tuple[Cue, str]:
    """What a guide says, and which earcon it plays, when it decides a capture. A card's stills are
    then taken and read by the server, which may refuse them, so the card's cue says only that the
    photo is being taken ("hold still", with a shutter sound); "captured" is the SDK's, on acceptance
    (issue 18 item 5: never "captured" for what is then refused). The face keeps its "captured"."""
    if target == "card":
        return cue(target, "capturing", "captured"), "shutter"
    return cue(target, "captured", "captured"), "captured"


@dataclass(frozen=True)
class Assessment:
    """The problems of one frame, most important first, and the geometry for the signal.

    ``horizontal``/``vertical`` are the phone moves needed (right +, up +) in
    units of the centring tolerance; ``size_error`` is + when too close, - when
    too far, in units of half the accepted size band. ``keys`` name the active
    problems (for hysteresis on the next frame).
    """

    found: bool
    cues: tuple[Cue, ...] = ()
    keys: frozenset[str] = frozenset()
    horizontal: float = 0.0
    vertical: float = 0.0
    size_error: float = 0.0
    center: tuple[float, float] | None = None
    #: The phone move that would put the target on its spot, in mm: (right +, up or away +,
    #: farther +); ``None`` for an axis without a ruler (a target of unknown size).
    needed_mm: tuple[float | None, float | None, float | None] = (None, None, None)

    @property
    def in_tolerance(self) -> bool:
        return self.found and not self.cues

    @property
    def in_place(self) -> bool:
        """In tolerance but for blur: the target is where it should be, this frame may be smeared."""
        return self.found and all(c.kind == "blur" for c in self.cues)

    @property
    def error(self) -> float:
        """Distance from the target, 1 = at the tolerance (for the beep rate)."""
        return math.sqrt(self.horizontal**2 + self.vertical**2 + self.size_error**2)


class _Checks:
    """Collects problems with hysteresis against the previous frame's active set."""

    def __init__(self, target: str, active: frozenset[str], hysteresis: float, gain: float = 1.0,
                 centring_hysteresis: float | None = None) -> None:
        self.target, self.active, self.h = target, active, hysteresis
        self.centring_h = hysteresis if centring_hysteresis is None else centring_hysteresis
        self.gain = gain  # how far this person moves per centimetre said (the Guide learns it)
        self.cues: list[Cue] = []
        self.keys: set[str] = set()
        self.needed: list[float | None] = [None, None, None]

    def above(self, key: str, value: float | None, limit: float, hysteresis: float | None = None) -> bool:
        """``value`` is too high (limit lowered by the hysteresis, or ``hysteresis`` if given, while active)."""
        if value is None or not math.isfinite(value):
            return False
        h = hysteresis if hysteresis is not None else self.centring_h if key == "off_centre" else self.h
        bar = limit * (1 - h) if key in self.active else limit
        return value > bar

    def below(self, key: str, value: float | None, limit: float) -> bool:
        """``value`` is too low (limit raised by half the hysteresis while active)."""
        if value is None or not math.isfinite(value):
            return False
        bar = limit * (1 + self.h / 2) if key in self.active else limit
        return value < bar

    def add(self, key: str, name: str, kind: str, direction: Direction | None = None, **params: object) -> None:
        self.keys.add(key)
        self.cues.append(cue(self.target, name, kind, direction, **params))

    def add_phone_tilt(self, key: str, name: str, s: GuidanceSettings) -> None:
        """A tilt the phone's own sensor measured: first after "several", when ``straighten_phone_first``.

        Straightening the phone swings the picture (20° over a card 10 cm
        below moves it 36 mm; 35° on a selfie moves the face out of the
        frame), so a position cue given while the phone is tilted is undone
        by the next one; the simulated users lost a quarter of their time that way.
        """
        self.add(key, name, "tilt")
        if s.straighten_phone_first:
            self.cues[-1] = replace(self.cues[-1], rank=RANKS["several"])

    def unseen(self) -> Assessment:
        """Nothing found: only what the phone's own sensors measured may be said, a tilt (with
        ``straighten_phone_first``). Tilted far enough, the camera looks past the target (a
        selfie 50° back sees over the head), and straightening the phone is what brings it
        into view; "still looking" would only send the person back to where they were."""
        return Assessment(False, tuple(self.cues), frozenset(self.keys))

    def result(self, say_distance_with_move: bool = True, **geometry: Any) -> Assessment:
        ordered = tuple(sorted(self.cues, key=lambda c: c.rank))  # stable: insertion order within a rank
        if say_distance_with_move:
            ordered = _with_distance(self.target, ordered)
        return Assessment(True, ordered, frozenset(self.keys), needed_mm=tuple(self.needed),  # type: ignore[arg-type]
                          **geometry)


def _with_distance(target: str, cues: tuple[Cue, ...]) -> tuple[Cue, ...]:
    """A move one way and a change of distance, both in centimetres, come first: one cue for the
    one move ("about 5 centimetres to your left, and 15 closer"), the sideways part first.

    Said in turn, each costs a round of listen, move and stop (3-5 s); and the
    sideways part is a distance in the target's plane, right whether it is done
    before, after or while the phone comes closer. Said alone when either part is
    "a little" (no centimetres), or the sideways move is already a slanting one.
    """
    sideways = next((c for c in cues if c.kind == "off_centre"), None)
    distance = next((c for c in cues if c.kind == "distance"), None)
    if sideways is None or distance is None or min(cues.index(sideways), cues.index(distance)) != 0:
        return cues
    params, distance_cm = dict(sideways.params), dict(distance.params).get("cm")
    if "cm" not in params or "also" in params or distance_cm is None:
        return cues
    both = cue(target, f"move_{sideways.direction}_{distance.direction}_by", "off_centre", sideways.direction,
               cm=params["cm"], also=distance.direction, also_cm=distance_cm)
    return (replace(both, rank=cues[0].rank),) + tuple(c for c in cues if c is not sideways and c is not distance)


def _move_mm(direction: Direction, center: tuple[float, float], target_y: float, extent_mm: tuple[float, float] | None) -> float | None:
    """How far the phone must move along ``direction`` to bring ``center`` to the target spot, in mm."""
    if extent_mm is None:
        return None
    if direction in ("left", "right"):
        return abs(center[0] - 0.5) * extent_mm[0]
    return abs(center[1] - target_y) * extent_mm[1]


def _say_move(checks: _Checks, key: str, name: str, kind: str, direction: Direction, move_mm: float | None,
              s: GuidanceSettings) -> None:
    """Add a directional cue, in centimetres (``<name>_by``, param ``cm``) when the move is long enough to say.

    The distance said is the distance needed over the person's gain: someone
    who moves 1.5 cm for each centimetre said hears two thirds of the distance.
    A move needing ``min_spoken_move_cm`` or more is said in centimetres even when
    the gain brings it under that: "a little" is what a little means to the person,
    not a distance their gain was learnt on. A simulated user who went 1.8 cm for
    each one said, 2.6 cm from the spot, was told "a little" and went 1.2 cm, then
    "a little" again and went 3 cm, past it; they hear "about 2 cm" now.
    """
    cm = None if move_mm is None else spoken_cm(move_mm / checks.gain, s)
    if cm is None and move_mm is not None and spoken_cm(move_mm, s) is not None:
        cm = math.ceil(s.min_spoken_move_cm)
    if cm is None:
        checks.add(key, name, kind, direction)
    else:
        checks.add(key, f"{name}_by", kind, direction, cm=cm)


def _centring(checks: _Checks, center: tuple[float, float], target_y: float, tol: tuple[float, float], camera: Camera,
              flat: bool, extent_mm: tuple[float, float] | None, s: GuidanceSettings) -> tuple[float, float]:
    offset_x, offset_y = (center[0] - 0.5) / tol[0], (center[1] - target_y) / tol[1]
    horizontal, vertical = needed_move(offset_x, offset_y, camera)
    if extent_mm is not None:
        checks.needed[0], checks.needed[1] = horizontal * tol[0] * extent_mm[0], vertical * tol[1] * extent_mm[1]
    if checks.above("off_centre", max(abs(horizontal), abs(vertical)), 1.0):
        direction = word(horizontal, vertical, flat)
        if not (s.say_two_way_moves and _say_two_way(checks, horizontal, vertical, flat, center, target_y,
                                                       extent_mm, s)):
            _say_move(checks, "off_centre", f"move_{direction}", "off_centre", direction,
                      _move_mm(direction, center, target_y, extent_mm), s)
    return horizontal, vertical


def _say_two_way(checks: _Checks, horizontal: float, vertical: float, flat: bool, center: tuple[float, float], target_y: float,
                 extent_mm: tuple[float, float] | None, s: GuidanceSettings) -> bool:
    """Off-centre both ways: one cue for the one slanting move ("about 8 centimetres to your
    left and 4 up"), the longer part first. Returns whether it was said.

    Said in turn, the two parts cost a whole round of listen, move and stop each
    (about 3 s for the simulated users); and the one move is what a person does anyway.
    Only when both parts are out of tolerance and long enough to say in centimetres.
    """
    if extent_mm is None or min(abs(horizontal), abs(vertical)) <= 1.0:
        return False
    parts = sorted(((_move_mm(d, center, target_y, extent_mm), d) for d in
                    (word(horizontal, 0.0, flat), word(0.0, vertical, flat))), reverse=True)
    (major_mm, major), (minor_mm, minor) = parts
    assert major_mm is not None and minor_mm is not None  # extent_mm is known, so both moves were measured
    major_cm, minor_cm = spoken_cm(major_mm / checks.gain, s), spoken_cm(minor_mm / checks.gain, s)
    if major_cm is None or minor_cm is None:
        return False
    checks.add("off_centre", f"move_{major}_{minor}_by", "off_centre", major, cm=major_cm, also=minor,
               also_cm=minor_cm)
    return True


def _size(checks: _Checks, size: float | None, low: float, high: float, distance_mm: float | None,
          s: GuidanceSettings, power: float = 1.0, cut_off: bool = False) -> float:
    """Too far / too close, from ``size`` against ``low``..``high``; the cue says by how much
    when the distance is known (``size`` scales as distance ** -``power``: 1 for a width, 2 for an area).

    Too close while ``cut_off`` (partly out of the frame) ranks as "partly out": that is why it is out.
    So does too close at all, with ``farther_first``: see the setting.
    """
    if size is None or not math.isfinite(size) or size <= 0:
        return 0.0
    move = None
    if distance_mm is not None:
        far, near = (distance_mm * (size / limit) ** (1 / power) for limit in (low, high))
        move = distance_move_mm(distance_mm, near, far, s.distance_aim_fraction)
        checks.needed[2] = move
    if checks.below("too_far", size, low):
        _say_move(checks, "too_far", "move_closer", "distance", "closer", move, s)
    elif checks.above("too_close", size, high):
        _say_move(checks, "too_close", "move_farther", "distance", "farther", move, s)
        if cut_off or s.farther_first:
            checks.cues[-1] = replace(checks.cues[-1], rank=RANKS["partly_out"])
    return (size - (low + high) / 2) / ((high - low) / 2)


def _cut(checks: _Checks, edges: frozenset[str], camera: Camera, flat: bool, center: tuple[float, float], target_y: float,
         extent_mm: tuple[float, float] | None, s: GuidanceSettings, too_big: bool = False,
         longest_mm: float = math.inf) -> None:
    """Partly out of the frame: which way to move. A target too big to fit with room to spare
    is a distance problem instead (the size check says "farther"): sliding it one way only
    cuts it off on the other side, as the simulated users found, again and again.

    The move said is never longer than the target's ``longest_mm``: a target touching an
    edge is wholly in view within that, and a longer one comes from a scale measured on a
    fragment (a bit of a card cut by the frame, taken for the card, gave "15 cm" for 3).
    """
    if not edges or too_big:
        return
    direction = edge_direction(edges, camera, flat)
    if direction is None:  # cut on opposite sides: too big for the frame
        checks.add("too_close", "move_farther", "distance", "farther")
    else:
        move = _move_mm(direction, center, target_y, extent_mm)
        _say_move(checks, "partly_out", f"partly_out_{direction}", "partly_out", direction,
                  None if move is None else min(move, longest_mm), s)


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def centring_spot(target: str, s: GuidanceSettings) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where the target's centre should be (x, y as fractions of the frame, y down), and how far
    off it may be along each axis, for ``target`` (``face`` or ``card``)."""
    if target == "face":
        return (0.5, s.face_target_y), (s.face_center_tolerance_x, s.face_center_tolerance_y)
    return (0.5, 0.5), (s.card_center_tolerance_x, s.card_center_tolerance_y)
