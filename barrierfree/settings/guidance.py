"""Thresholds and options of the guidance area (``BARRIERFREE_GUIDANCE__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class GuidanceSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Shortest gap between two spoken cues, in seconds.
    min_utterance_interval_s: float = 1.5
    #: An unchanged cue is spoken again after this many seconds.
    repeat_interval_s: float = 4.0
