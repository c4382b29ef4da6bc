"""Thresholds and options of the scheduler area (``BARRIERFREE_SCHEDULER__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SchedulerSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Length of a sign-language video session, in minutes.
    session_minutes: int = 30
    #: Gap kept free after each session, in minutes.
    buffer_minutes: int = 10
