"""Thresholds and options of the web area (``BARRIERFREE_WEB__<NAME>``).

Each field names its unit. Add fields here, never magic numbers in code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class WebSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Secret for signing journey tokens and CSRF; empty means the demo generates one.
    secret_key: str = ""
    #: Largest request body accepted, in bytes.
    max_request_bytes: int = 12_000_000
