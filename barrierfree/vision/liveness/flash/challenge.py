"""Issuing a colour-flash challenge: :func:`issue`, the :class:`FlashChallenge` document, and
the photosensitivity rules every challenge obeys (:func:`validate`, :func:`as_shown`).

Apart from :mod:`.verifier` so that what the server sends to the browser (and its
safety rules) reads without the signal processing that judges the clip.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from barrierfree.errors import BadInput
from barrierfree.settings.face import FaceSettings

#: Colours a challenge draws from: bright, well apart in chroma, none a saturated red.
PALETTE: dict[str, tuple[int, int, int]] = {
    "white": (255, 255, 255),
    "blue": (0, 0, 255),
    "green": (0, 255, 0),
    "cyan": (0, 255, 255),
    "yellow": (255, 255, 0),
    "violet": (150, 80, 255),
}
#: WCAG 2.x defines saturated red as R / (R + G + B) >= 0.8; we stay well below.
MAX_RED_SHARE = 0.5
#: WCAG 2.3.1: no more than three flashes a second, so each colour lasts more than 1000/3 ms.
#: The SDK's ``MIN_FLASH_MS`` and ``FaceSettings.flash_min_colour_ms``'s bound are the same figure.
MIN_COLOUR_MS = 334


@dataclass(frozen=True)
class FlashColour:
    """One colour of a challenge: shown from ``start_ms`` for ``duration_ms`` (challenge clock)."""

    name: str
    rgb: tuple[int, int, int]
    start_ms: int
    duration_ms: int


@dataclass(frozen=True)
class FlashChallenge:
    """What the browser shows; serialisable with :meth:`to_json` (times: Unix seconds, challenge-clock ms)."""

    nonce: str
    session_id: str
    issued_at: float
    expires_at: float
    colours: tuple[FlashColour, ...]

    @property
    def duration_ms(self) -> int:
        last = self.colours[-1]
        return last.start_ms + last.duration_ms

    def colour_at(self, t_s: float) -> tuple[int, int, int] | None:
        """The colour on screen at ``t_s`` seconds on the challenge clock (None before/after)."""
        ms = t_s * 1000.0
        for colour in self.colours:
            if colour.start_ms <= ms < colour.start_ms + colour.duration_ms:
                return colour.rgb
        return None

    def to_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["colours"] = [dict(asdict(c), rgb=list(c.rgb), hex="#{:02x}{:02x}{:02x}".format(*c.rgb)) for c in self.colours]
        doc["kind"] = "flash"
        doc["version"] = 1
        return doc

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, doc: Any) -> FlashChallenge:
        """Parse and re-validate (a challenge file may have been edited)."""
        try:
            colours = tuple(
                FlashColour(str(c["name"]), tuple(int(v) for v in c["rgb"]), int(c["start_ms"]), int(c["duration_ms"]))  # type: ignore[arg-type]
                for c in doc["colours"]
            )
            challenge = cls(str(doc["nonce"]), str(doc["session_id"]), float(doc["issued_at"]), float(doc["expires_at"]), colours)
        except (KeyError, TypeError, ValueError):
            raise BadInput("bad-challenge", "The challenge is not a flash challenge document; issue a new one.") from None
        validate(challenge)
        return challenge

    @classmethod
    def from_json(cls, text: str) -> FlashChallenge:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError:
            raise BadInput("bad-challenge", "The challenge file is not JSON; issue a new one.") from None


def validate(challenge: FlashChallenge) -> None:
    """Refuse a challenge that is unsafe to show (photosensitivity) or too short to judge."""
    if len(challenge.colours) < 4:
        raise BadInput("bad-challenge", "A flash challenge needs at least 4 colours.")
    clock = 0
    for colour in challenge.colours:
        if len(colour.rgb) != 3 or not all(0 <= v <= 255 for v in colour.rgb):
            raise BadInput("bad-challenge", "Challenge colours must be three values from 0 to 255.")
        if colour.duration_ms < MIN_COLOUR_MS:
            raise BadInput("bad-challenge", f"Each colour must last at least {MIN_COLOUR_MS} ms (no more than 3 flashes a second).")
        if red_share(colour.rgb) > MAX_RED_SHARE:
            raise BadInput("bad-challenge", "Saturated red must not flash (WCAG 2.3.1).")
        if colour.start_ms != clock:
            raise BadInput("bad-challenge", "Challenge colours must follow one another without gaps or overlaps.")
        clock += colour.duration_ms
    if any(a.rgb == b.rgb for a, b in zip(challenge.colours, challenge.colours[1:])):
        raise BadInput("bad-challenge", "Consecutive challenge colours must differ.")


def as_shown(challenge: FlashChallenge, shown_s: Sequence[float]) -> FlashChallenge:
    """``challenge`` re-timed to when the client really showed each colour.

    ``shown_s`` holds, in seconds on the clip's clock, the time each colour
    appeared and then the time the last one was taken down (``len(colours) + 1``
    values). A page that stalled kept a colour on screen longer than issued;
    the verifier must compare the face with what was shown, not with the plan.
    A colour shown for less than its issued duration (1 ms allowed for the
    rounding of the times) is refused: the client broke the flash-rate limit.
    No upper bound is needed: the frames must cover the whole shown schedule
    (``liveness.clip_too_short``) without gaps (``liveness.frame_gap``).
    """
    times = [float(t) for t in shown_s]
    if len(times) != len(challenge.colours) + 1 or not all(np.isfinite(times)):
        raise BadInput("bad-shown-times", f"Send {len(challenge.colours) + 1} finite times: when each colour appeared, then when the last ended.", field="shown")
    if abs(times[0]) > 0.001:
        raise BadInput("bad-shown-times", "The first colour appears at 0 s on the clip's clock.", field="shown")
    colours, clock = [], 0
    for colour, start, end in zip(challenge.colours, times, times[1:]):
        duration = round((end - start) * 1000)
        if duration < colour.duration_ms - 1:
            raise BadInput("bad-shown-times", f"A colour was shown for {duration} ms, less than its {colour.duration_ms} ms.", field="shown")
        colours.append(dataclasses.replace(colour, start_ms=clock, duration_ms=max(duration, colour.duration_ms)))
        clock += colours[-1].duration_ms
    return dataclasses.replace(challenge, colours=tuple(colours))


def red_share(rgb: Sequence[int]) -> float:
    """R / (R + G + B), WCAG's measure of a red flash (0 for black)."""
    total = float(sum(rgb))
    return float(rgb[0]) / total if total else 0.0


def issue(
    session_id: str,
    settings: FaceSettings | None = None,
    *,
    now: float | None = None,
    rng: secrets.SystemRandom | Any | None = None,
) -> FlashChallenge:
    """A fresh challenge for one journey session: random colours and durations, a 128-bit nonce."""
    settings = settings or FaceSettings()
    rng = rng or secrets.SystemRandom()
    issued = time.time() if now is None else now
    names = list(PALETTE)
    chosen: list[str] = []
    while len(chosen) < settings.flash_colour_count:
        pick = rng.choice(names)
        # No repeats back to back, and every colour at most twice so the sequence stays varied.
        if (not chosen or pick != chosen[-1]) and chosen.count(pick) < 2:
            chosen.append(pick)
    colours, clock = [], 0
    step = 50  # durations on a 50 ms grid
    for name in chosen:
        duration = step * rng.randint(-(-settings.flash_min_colour_ms // step), settings.flash_max_colour_ms // step)
        colours.append(FlashColour(name, PALETTE[name], clock, duration))
        clock += duration
    challenge = FlashChallenge(
        nonce=secrets.token_urlsafe(16), session_id=session_id, issued_at=issued,
        expires_at=issued + settings.flash_challenge_ttl_s, colours=tuple(colours),
    )
    validate(challenge)
    return challenge
