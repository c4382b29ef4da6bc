"""Thresholds of the on-device path (``BARRIERFREE_DEVICE__<NAME>``): the SDK sees and guides on the
phone and sends the server only card stills, the liveness clip and a small telemetry batch.

Every figure here is served to the SDK by ``GET /api/v1/sdk/wire``, so the phone and the server
cannot disagree on them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DeviceSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: URL of the ES module exporting ``createDeviceGuidance`` (the on-device engine) that the journey
    #: pages hand the SDK. By default the SDK's own engine (face mesh or card finder, then the JS Guide):
    #: a phone that cannot run it (no WebAssembly, engines not vendored, slower than ``frame_budget_ms``)
    #: falls back to the server's guidance by itself. Empty: the server guides every frame.
    engine_module: str = "/static/sdk/engine.js"
    #: Per-frame time the on-device engine may take (perception and policy), in milliseconds. Slower
    #: than this on average over its first ``probe_s``, the SDK falls back to the server's guidance.
    frame_budget_ms: float = Field(default=125.0, gt=0)
    #: How long the SDK measures the on-device engine before it decides, in seconds.
    probe_s: float = Field(default=1.0, gt=0, le=10)
    #: Card stills of one side the device may send in one capture; the server reads and fuses them
    #: within that request (nothing is kept between requests), stills.
    max_stills: int = Field(default=3, ge=1, le=5)
    #: The SDK sends only stills its card finder judged usable (sharp, wholly in view, no glare): the
    #: captured frame, usable frames of the same dwell up to this long before it, seconds...
    still_window_s: float = Field(default=1.0, ge=0, le=5)
    #: ...and, while fewer than the server accepts on (``onboarding.card_frames_to_accept``), usable
    #: frames after it, looked for this long at most, seconds. A trembling hand gives a sharp frame
    #: every 0.25-0.6 s (simulation); the stills drawn blindly a frame apart were blurred 5-7 px.
    still_budget_s: float = Field(default=1.5, ge=0, le=5)
    #: Events in one telemetry batch, at most.
    max_telemetry_events: int = Field(default=200, ge=1, le=2000)
    #: Largest telemetry batch, in bytes of JSON.
    max_telemetry_bytes: int = Field(default=32_000, ge=1000, le=1_000_000)
