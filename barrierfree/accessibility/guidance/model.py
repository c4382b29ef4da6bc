"""What the guide hands out: :class:`Cue`, :class:`Signal`, :class:`Utterance`, :class:`Guidance`.

All are small frozen dataclasses with a ``to_dict()`` that is plain JSON, so
the web layer can send them to the SDK as they are. Texts are not stored:
a cue is a message id plus parameters, rendered on demand in the user's
language by :func:`barrierfree.voice.prompts.render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from barrierfree.voice import prompts

Phase = Literal["searching", "adjusting", "hold_still", "captured"]
Target = Literal["face", "card"]
Camera = Literal["front", "back"]
#: What the person does with the phone (their own left/right/up/down), or towards/away.
Direction = Literal["left", "right", "up", "down", "away", "toward", "closer", "farther"]


@dataclass(frozen=True)
class Cue:
    """One thing to tell the person: a message id with parameters.

    ``kind`` is the rung of the cue order (``searching``, ``several``,
    ``partly_out``, ``off_centre``, ``distance``, ``tilt``, ``light``,
    ``side``, ``blur``, ``hold``, ``captured``, ``offer``, ``notice``);
    ``rank`` its position (lower = more important).
    """

    message_id: str
    kind: str
    rank: int
    direction: Direction | None = None
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str) -> str:
        return prompts.render(self.message_id, lang, **dict(self.params))

    @property
    def ways(self) -> frozenset[Direction | None]:
        """The directions the cue asks to move in: one, or two for a move in two parts
        ("left and up", "left, and closer")."""
        return frozenset({self.direction, dict(self.params).get("also", self.direction)})

    def same_instruction(self, before: Cue | None) -> bool:
        """Whether this cue asks for the same thing as ``before``: a move the same way (the
        distance may differ, and "part of the card is out, move left" is still "move left"),
        or the same message for cues without a direction.

        While the person carries out a move, its distance shrinks frame by frame and
        the card may come wholly into view; that is the same instruction, not a new
        one to interrupt them with (the simulated users did both moves, one after the
        other). So is a move in two parts ("left and up") once one part is done ("left"),
        or the other way round.

        >>> left_up = Cue("face.move_left_up_by", "off_centre", 3, "left", (("also", "up"), ("also_cm", 4), ("cm", 8)))
        >>> Cue("face.move_up_by", "off_centre", 3, "up", (("cm", 3),)).same_instruction(left_up)
        True
        >>> Cue("face.move_right_by", "off_centre", 3, "right", (("cm", 3),)).same_instruction(left_up)
        False
        """
        if before is None:
            return False
        if self.direction is not None or before.direction is not None:
            now, then = self.ways, before.ways
            return now <= then or then <= now
        return self.message_id == before.message_id

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.message_id, "kind": self.kind, "rank": self.rank,
            "direction": self.direction, "params": dict(self.params),
        }
        if lang is not None:
            data["text"] = self.text(lang)
        return data


#: Suffix of a move's brief wording in the catalog ("face.move_left_by.brief": "往左{cm}厘米。").
BRIEF_SUFFIX = ".brief"


@dataclass(frozen=True)
class Utterance:
    """A cue to speak now, or after ``delay_s`` seconds (pacing keeps utterances apart).

    ``brief``: said in the cue's brief words, without naming the phone
    ("往左5厘米。" for "手机左移5厘米。"): the introduction has said the moves are the phone's.

    >>> cue = Cue("face.move_left_by", "off_centre", 3, "left", (("cm", 5),))
    >>> Utterance(cue).text("zh-CN"), Utterance(cue, brief=True).text("zh-CN")
    ('手机左移5厘米。', '往左5厘米。')
    >>> Utterance(cue, brief=True).text("en")
    '5 centimetres to your left.'
    """

    cue: Cue
    delay_s: float = 0.0
    repeat: bool = False
    brief: bool = False

    @property
    def message_id(self) -> str:
        """The catalog id of the words said: the cue's, or its brief wording's."""
        return self.cue.message_id + BRIEF_SUFFIX if self.brief else self.cue.message_id

    def text(self, lang: str) -> str:
        return prompts.render(self.message_id, lang, **dict(self.cue.params))

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        data = {**self.cue.to_dict(), "delay_s": round(self.delay_s, 3), "repeat": self.repeat,
                "brief": self.brief, "message_id": self.message_id}
        if lang is not None:  # the words said: the cue's own, or its brief ones
            data["text"] = self.text(lang)
        return data


@dataclass(frozen=True)
class Signal:
    """The continuous sound (and vibration) for this moment.

    ``mode``: ``silent`` (tones off), ``searching`` (slow low pulse),
    ``beeping`` (beeps of ``beep_ms`` every ``interval_s``: 1.0 s far off,
    0.05 s on target), ``steady`` (a steady tone: hold still). ``pitch_hz``
    rises when the phone should go up and falls when it should go down;
    ``pan`` (-1 left .. 1 right) is the side the phone should move to; it is
    never the only carrier of left/right (speech says it too), because phone
    speakers are mono. ``horizontal``/``vertical`` are the same needed moves
    as numbers (-1..1) for a client that sonifies them its own way.
    ``earcon`` is a one-shot sound for this frame (``lock`` on entering the
    target, ``captured`` on capture); ``haptic`` the vibration pattern
    (:mod:`barrierfree.accessibility.haptics`) or ``None`` when haptics are off.
    """

    mode: Literal["silent", "searching", "beeping", "steady"]
    interval_s: float | None
    beep_ms: int
    pitch_hz: float
    pan: float
    closeness: float
    horizontal: float = 0.0
    vertical: float = 0.0
    earcon: str | None = None
    haptic: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "interval_s": None if self.interval_s is None else round(self.interval_s, 4),
            "beep_ms": self.beep_ms, "pitch_hz": round(self.pitch_hz, 2), "pan": round(self.pan, 3),
            "closeness": round(self.closeness, 3), "horizontal": round(self.horizontal, 3),
            "vertical": round(self.vertical, 3), "earcon": self.earcon, "haptic": self.haptic,
        }


@dataclass(frozen=True)
class Guidance:
    """The guide's answer to one frame.

    ``cue`` is the one most important thing to fix now (``None`` when there is
    nothing to fix); ``speak`` what to say now, if anything (pacing decides);
    ``notes`` are stable codes about the input (``sensor-beta-ignored``,
    ``frame-out-of-order``, ``card-fragment``, ``language-fallback``), never about the person.
    """

    phase: Phase
    target: Target
    timestamp_s: float
    cue: Cue | None
    speak: Utterance | None
    signal: Signal
    language: str
    self_voice: bool
    captured: bool = False
    manual_capture_offered: bool = False
    human_help_offered: bool = False
    detected: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        lang = self.language if with_text else None
        return {
            "phase": self.phase, "target": self.target, "timestamp_s": round(self.timestamp_s, 4),
            "detected": self.detected, "captured": self.captured,
            "cue": None if self.cue is None else self.cue.to_dict(lang),
            "speak": None if self.speak is None else self.speak.to_dict(lang),
            "signal": self.signal.to_dict(), "language": self.language, "self_voice": self.self_voice,
            "manual_capture_offered": self.manual_capture_offered,
            "human_help_offered": self.human_help_offered, "notes": list(self.notes),
        }
