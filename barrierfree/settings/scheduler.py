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
    #: How often ``barrierfree scheduler ticker`` (and the demo's background ticker) looks for due messages, in seconds.
    ticker_interval_seconds: float = Field(default=30.0, gt=0)
    #: How many due messages a ticker claims at a time, in messages (smaller shares work out between tickers sooner).
    reminder_batch_size: int = Field(default=50, ge=1, le=1000)
    #: Pause a ticker takes between batches so other writers get SQLite's write lock, in milliseconds.
    reminder_batch_pause_ms: float = Field(default=20.0, ge=0, le=5000)
    #: How often the pages poll the queue, the room signals and the chat, in milliseconds.
    poll_interval_ms: int = Field(default=2000, ge=250, le=60_000)
    #: Base URL of a Jitsi Meet server to embed instead of the built-in WebRTC room ("" = built-in).
    jitsi_base_url: str = ""
    #: SMTP relay for e-mail messages ("" = e-mail goes to the in-app outbox only), its port and From address.
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "no-reply@localhost"
    #: Public base URL used in messages, calendar files and the trusted ``Host``, e.g. https://bank.example.
    #: Required outside ``barrierfree demo`` (which uses the address it serves on).
    public_base_url: str = ""
    #: The supervisor's token, sent as ``X-Agent-Token`` (or ``?token=``): acts for every agent and adds agents.
    #: Each agent also has an own token that acts only for them; a request without a token acts as nobody.
    #: Required outside ``barrierfree demo`` (which generates one).
    agent_token: str = ""
    #: How long a one-time agent console sign-in link stays valid, in minutes (it works once).
    console_link_minutes: int = Field(default=10, ge=1, le=24 * 60)
    #: Zone the customer pages show times in unless the page is asked for another (IANA name).
    display_time_zone: str = "Asia/Shanghai"
    #: ICE servers for the built-in WebRTC room, as RTCIceServer URLs ("" = host candidates only, fine on one network).
    ice_servers: tuple[str, ...] = ()
    #: Days chat lines, signalling messages, sent messages and closed queue tickets are kept
    #: before ``barrierfree scheduler purge`` deletes them.
    retention_days: int = Field(default=30, ge=1)
    #: Longest customer name, contact, reason or chat line accepted, in characters.
    max_text_chars: int = Field(default=500, ge=20)
