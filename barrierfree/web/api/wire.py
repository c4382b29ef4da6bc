"""The wire constants the SDK needs, served from the one place they are defined.

The SDK reads ``GET /api/v1/sdk/wire`` when it mounts and uses these figures instead
of copies of its own, so the JavaScript and the Python cannot disagree: the shortest
colour of the flash (the liveness verifier's ``MIN_COLOUR_MS``, WCAG 2.3.1), the
journey's step names, the request limits the server enforces, and the on-device
path's budget and limits (:class:`~barrierfree.settings.device.DeviceSettings`).
"""

from __future__ import annotations

from flask import Response, current_app, jsonify

from barrierfree.onboarding.journey.steps import CAMERA_STEPS, ORDER
from barrierfree.settings import Settings
from barrierfree.vision.liveness.flash import MIN_COLOUR_MS
from barrierfree.web.api import blueprint


def wire_constants(settings: Settings) -> dict:
    """The constants as the SDK reads them (JSON-ready)."""
    web, device = settings.web, settings.device
    return {
        "min_flash_ms": MIN_COLOUR_MS,
        "steps": [step.value for step in ORDER],
        "camera_steps": [step.value for step in CAMERA_STEPS],
        "limits": {
            "max_frame_bytes": web.max_frame_bytes,
            "max_frame_megapixels": web.max_frame_megapixels,
            "max_liveness_frames": settings.onboarding.max_liveness_frames,
            "max_stills": device.max_stills,
            "still_window_s": device.still_window_s,
            "still_budget_s": device.still_budget_s,
            # Stills whose agreeing readings the server accepts: the SDK stops looking once it has them.
            "stills_to_accept": settings.onboarding.card_frames_to_accept,
            "max_telemetry_events": device.max_telemetry_events,
            "max_telemetry_bytes": device.max_telemetry_bytes,
        },
        "device": {"frame_budget_ms": device.frame_budget_ms, "probe_s": device.probe_s},
    }


@blueprint.get("/sdk/wire")
def wire() -> Response:
    response = jsonify(wire_constants(current_app.extensions["barrierfree.settings"]))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
