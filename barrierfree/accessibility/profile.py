"""The user's accessibility profile: how guidance reaches this person.

The defaults are what a first-time blind user wants: Mandarin, the phone
speaks (unless a screen reader is running, which then speaks the live region
instead), a slightly slow rate, detailed explanations, tones and vibration on,
and ordinary time limits that the person can extend.

>>> Profile().speech, Profile(screen_reader=True).speech
(True, False)
>>> Profile.from_dict({"language": "en", "timeout_multiplier": 2}).timeout_multiplier
2.0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from barrierfree.errors import BadInput

Verbosity = Literal["brief", "normal", "detailed"]
VERBOSITIES = ("brief", "normal", "detailed")
#: Speech rates offered, in words per minute (espeak-ng's own range is wider).
MIN_RATE_WPM, MAX_RATE_WPM = 80, 450
#: Timeout multipliers offered (1 = the standard limits; 10 = ten times longer).
MIN_TIMEOUT_MULTIPLIER, MAX_TIMEOUT_MULTIPLIER = 1.0, 10.0


@dataclass(frozen=True)
class Profile:
    """How one person wants to be guided."""

    #: BCP 47 tag; languages without a catalog fall back to zh-CN (and the guide says so).
    language: str = "zh-CN"
    #: A screen reader (TalkBack/VoiceOver) is running: it reads the live region, so we do not self-voice.
    screen_reader: bool = False
    #: Self-voicing; ``None`` means "on unless a screen reader is running".
    speech_enabled: bool | None = None
    #: Speech rate, words per minute (a little slower than espeak's 175 for a first-time user).
    speech_rate_wpm: int = 160
    #: ``detailed`` explains the tones at the start; ``brief`` skips the introductions.
    verbosity: Verbosity = "detailed"
    tones: bool = True
    haptics: bool = True
    #: Every time limit and pacing interval of the guidance is multiplied by this.
    timeout_multiplier: float = 1.0
    high_contrast: bool = False
    #: The user plugged in headphones, so stereo pan is heard (phone speakers are mono).
    headphones: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.language, str) or not self.language.strip():
            raise BadInput("bad-profile", "language must be a language tag such as zh-CN or en.", field="language")
        if not MIN_RATE_WPM <= int(self.speech_rate_wpm) <= MAX_RATE_WPM:
            raise BadInput("bad-profile", f"speech_rate_wpm must be {MIN_RATE_WPM}–{MAX_RATE_WPM}.", field="speech_rate_wpm")
        if self.verbosity not in VERBOSITIES:
            raise BadInput("bad-profile", f"verbosity must be one of {', '.join(VERBOSITIES)}.", field="verbosity")
        multiplier = float(self.timeout_multiplier)
        if not (math.isfinite(multiplier) and MIN_TIMEOUT_MULTIPLIER <= multiplier <= MAX_TIMEOUT_MULTIPLIER):
            raise BadInput(
                "bad-profile",
                f"timeout_multiplier must be {MIN_TIMEOUT_MULTIPLIER:g}–{MAX_TIMEOUT_MULTIPLIER:g} (limits can only be extended).",
                field="timeout_multiplier",
            )
        object.__setattr__(self, "timeout_multiplier", multiplier)
        object.__setattr__(self, "speech_rate_wpm", int(self.speech_rate_wpm))

    @property
    def speech(self) -> bool:
        """Whether barrierfree itself speaks (the live region is always written)."""
        return (not self.screen_reader) if self.speech_enabled is None else bool(self.speech_enabled)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """A profile from JSON-like data; unknown keys and wrong types are :class:`BadInput`."""
        if not isinstance(data, dict):
            raise BadInput("bad-profile", "The profile must be a JSON object.")
        known = {f.name for f in fields(cls) if f.init}
        unknown = sorted(set(data) - known)
        if unknown:
            raise BadInput("bad-profile", f"Unknown profile field(s): {', '.join(unknown)}.", field=unknown[0])
        try:
            return cls(**data)
        except (TypeError, ValueError):
            raise BadInput("bad-profile", "A profile field has the wrong type.") from None

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["speech"] = self.speech
        return data
