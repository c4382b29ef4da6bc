"""Thresholds and options of the web area (``BARRIERFREE_WEB__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code. The journey's own
settings are in :mod:`.onboarding`, speech in :mod:`.voice` (their old ``WEB__`` names still work).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ORIGIN = re.compile(r"https?://(?:\*\.)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?")


class WebSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Secret for signing journey tokens and CSRF. Required outside ``barrierfree demo`` (which generates one).
    secret_key: str = ""
    #: The staff's token for the identity-review pages and API (HTTP Basic password or ``X-Staff-Token``).
    #: Required outside ``barrierfree demo`` (which generates one).
    staff_token: str = ""
    #: Host names the app answers to besides the public base URL's host, e.g. ``["localhost"]``;
    #: a request with any other ``Host`` header is refused (400).
    trusted_hosts: tuple[str, ...] = ()
    #: Largest request body accepted, in bytes.
    max_request_bytes: int = 12_000_000
    #: Largest camera frame accepted by the frame and capture endpoints, in bytes.
    max_frame_bytes: int = Field(default=3_000_000, gt=0)
    #: Largest camera frame accepted, in megapixels (a phone sends 0.3–2 MP).
    max_frame_megapixels: float = Field(default=8.0, gt=0)
    #: Most pixels one request may have decoded, over all its images, in megapixels (a 90-frame
    #: liveness answer of 0.3 MP frames is 27 MP); a request past it is refused before decoding the rest.
    max_request_megapixels: float = Field(default=40.0, gt=0)
    #: A journey token stays valid this long after it was issued, in seconds.
    token_max_age_s: int = Field(default=4 * 3600, gt=0)
    #: A token to read an opened (or pending-review) account stays valid this long, in seconds.
    account_token_max_age_s: int = Field(default=600, gt=0)

    #: Requests a single journey may make per minute (frames at 8 fps are 480).
    journey_requests_per_minute: int = Field(default=1200, gt=0)
    #: Requests one client address may make per minute, over all its journeys.
    client_requests_per_minute: int = Field(default=3000, gt=0)
    #: Live guidance streams (a Guide, and a face tracker on the face step) one process keeps, oldest dropped first.
    max_streams_per_process: int = Field(default=64, gt=0)
    #: Journeys one client address may start per hour.
    client_journeys_per_hour: int = Field(default=120, gt=0)
    #: Sign-language bookings, queue tickets and waitlist entries one client address may make per hour.
    client_signups_per_hour: int = Field(default=120, gt=0)
    #: Where the rate-limit counters live (a ``limits`` storage URI): ``memory://`` counts in each
    #: process (the demo); ``redis://host:6379/0`` or ``redis+unix:///path/redis.sock`` shares them
    #: between every worker and instance (production).
    rate_limit_storage_uri: str = "memory://"
    #: How many reverse proxies in front of the app set ``X-Forwarded-For``/``-Proto``; 0 = trust none.
    #: The client address (for the limits) and HTTPS (for HSTS and Secure cookies) are read through that many.
    trusted_proxies: int = Field(default=0, ge=0, le=5)
    #: Deepest nesting a JSON body may have, in levels (the API's documents need 4).
    max_json_depth: int = Field(default=32, ge=4, le=500)
    #: ``Strict-Transport-Security`` max-age sent on HTTPS responses, in seconds.
    hsts_max_age_s: int = Field(default=31_536_000, ge=0)

    #: Serve the journey pages for embedding in another site's iframe: the session cookie is then
    #: ``SameSite=None; Secure; Partitioned`` (browsers send it to a cross-site frame only so; needs HTTPS outside localhost).
    #: Needs ``frame_ancestors``: only the origins listed there may frame the pages.
    embeddable: bool = False
    #: Origins allowed to frame the pages in embed mode, a JSON list in the environment
    #: (``["https://bank.example"]``); outside embed mode no site may (``frame-ancestors 'none'``).
    frame_ancestors: tuple[str, ...] = ()


    @field_validator("frame_ancestors")
    @classmethod
    def _origins_only(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        """Each entry is a bare origin: it goes into CSP and Permissions-Policy headers as is."""
        for origin in origins:
            if not _ORIGIN.fullmatch(origin):
                raise ValueError(f"{origin!r} is not an origin such as https://bank.example (scheme, host, optional port)")
        return origins
