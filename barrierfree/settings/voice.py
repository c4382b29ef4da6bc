"""Speech settings (``BARRIERFREE_VOICE__<NAME>``): the spoken-WAV cache and prompt parameters.

They used to be part of the web section; the old ``BARRIERFREE_WEB__<NAME>`` names still
work (:data:`MOVED_FROM_WEB`). Each field names its unit.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class VoiceSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Bytes of spoken WAV the speech endpoint keeps cached per process (least recently used dropped first).
    speech_cache_bytes: int = Field(default=32_000_000, ge=0)
    #: Longest text parameter of a spoken prompt, in characters.
    speech_param_max_chars: int = Field(default=40, ge=1, le=200)


#: Fields that moved here from the web section; ``BARRIERFREE_WEB__<NAME>`` still sets them.
MOVED_FROM_WEB = frozenset(VoiceSettings.model_fields)
