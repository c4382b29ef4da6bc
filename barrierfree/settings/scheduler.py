"""Thresholds and options of the scheduler area (``BARRIERFREE_SCHEDULER__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SchedulerSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Length of a sign-language video session, in minutes.
    session_minutes: int = Field(default=30, ge=5, le=240)
    #: Gap kept free after each session, in minutes.
    buffer_minutes: int = Field(default=10, ge=0, le=120)
    #: How far ahead a session can be booked, in days.
    horizon_days: int = Field(default=180, ge=1, le=730)
    #: Longest availability range one request may ask for, in days.
    max_range_days: int = Field(default=31, ge=1, le=366)
    #: A slot must start at least this long after now to be offered, in minutes.
    min_notice_minutes: int = Field(default=5, ge=0)
    #: How long a held (not yet confirmed) booking keeps its slot, in minutes.
    hold_minutes: int = Field(default=10, ge=1, le=120)
    #: Reminders before a session, in minutes before its start.
    reminder_offsets_minutes: tuple[int, ...] = (24 * 60, 60)
    #: A ticker that claimed a message and died releases it after this long, in seconds.
    reminder_lease_seconds: int = Field(default=300, ge=10)
    #: How often ``barrierfree scheduler ticker`` looks for due messages, in seconds.
    ticker_interval_seconds: float = Field(default=30.0, gt=0)
    #: How often the pages poll the queue, the room signals and the chat, in milliseconds.
    poll_interval_ms: int = Field(default=2000, ge=250, le=60_000)
    #: Base URL of a Jitsi Meet server to embed instead of the built-in WebRTC room ("" = built-in).
    jitsi_base_url: str = ""
    #: Public base URL used in messages and calendar files, e.g. https://bank.example ("" = relative links).
    public_base_url: str = ""
    #: Shared secret agents send as ``X-Agent-Token`` (or ``?token=``) to the agent API and console
    #: ("" = no check, for the demo only).
    agent_token: str = ""
    #: Zone the customer pages show times in unless the page is asked for another (IANA name).
    display_time_zone: str = "Asia/Shanghai"
    #: ICE servers for the built-in WebRTC room, as RTCIceServer URLs ("" = host candidates only, fine on one network).
    ice_servers: tuple[str, ...] = ()
    #: Days chat lines, signalling messages, sent messages and closed queue tickets are kept
    #: before ``barrierfree scheduler purge`` deletes them.
    retention_days: int = Field(default=30, ge=1)
    #: Longest customer name, contact, reason or chat line accepted, in characters.
    max_text_chars: int = Field(default=500, ge=20)
