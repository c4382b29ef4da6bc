"""Routes of the on-device path: card stills re-checked by the server, and the guide's telemetry.

The phone guides; these routes prove. They hold nothing in this process between
requests (see :mod:`barrierfree.onboarding.journey.device`), so requests of one
journey may go to any app instance sharing the database. The liveness clip and
the face match use the same routes as the server path (:mod:`.camera`).
"""

from __future__ import annotations

from flask import Response, current_app, jsonify, request

from barrierfree.errors import BadInput
from barrierfree.onboarding.journey import device
from barrierfree.onboarding.journey.steps import Step
from barrierfree.web.api import UnsupportedMediaType, authorised, blueprint, journey_json, json_body, runtime, service
from barrierfree.web.api.camera import stills_from_form
from barrierfree.web.api.schemas import TelemetryBatch


def _settings():  # noqa: ANN202 - Settings
    return current_app.extensions["barrierfree.settings"]


@blueprint.post("/journeys/<journey_id>/device/capture")
def device_capture(journey_id: str) -> Response:
    authorised(journey_id)
    view = service().require(journey_id, Step.CARD_FRONT, Step.CARD_BACK)  # before decoding anything
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("unsupported-media-type", "Send the card stills as multipart/form-data 'still' parts.")
    stills = stills_from_form()
    check = device.check_card_stills(service(), view, stills, runtime().read_document,
                                     type_fields=request.args.get("type_fields") == "1")
    body = {"accepted": check.accepted, "step": check.journey.step, "code": check.code, "stills_read": check.stills_read,
            "message_id": device.capture_message(check.accepted, check.code),
            "failing_fields": list(check.failing_fields), "field_agreement": dict(check.field_agreement),
            "journey": journey_json(check.journey)}
    if check.choices:
        body["choices"] = list(check.choices)
    return jsonify(body)


@blueprint.post("/journeys/<journey_id>/device/telemetry")
def device_telemetry(journey_id: str) -> tuple[Response, int]:
    authorised(journey_id)
    limits = _settings().device
    if (request.content_length or 0) > limits.max_telemetry_bytes or len(request.get_data(cache=True)) > limits.max_telemetry_bytes:
        raise BadInput("telemetry-too-large", f"Send at most {limits.max_telemetry_bytes} bytes of telemetry in one batch.")
    batch = json_body(TelemetryBatch)
    if len(batch.events) > limits.max_telemetry_events:
        raise BadInput("too-many-events", f"Send at most {limits.max_telemetry_events} events in one batch.", field="events")
    events = [device.TelemetryEvent(**e.model_dump()) for e in batch.events]
    _check_events(events)
    after = device.record_telemetry(service(), journey_id, Step(batch.step), events)
    return jsonify({"stored": len(events), "journey": journey_json(after)}), 202


def _check_events(events: list[device.TelemetryEvent]) -> None:
    """Each event has the fields its kind needs, cue ids are catalog ids, and times never go back."""
    from barrierfree.voice.prompts import message_ids

    needs = {"cue": ("id",), "timing": ("name", "ms"), "failure": ("code",), "capture": ()}
    known = message_ids()
    for index, event in enumerate(events):
        where = f"events.{index}"
        missing = [name for name in needs[event.kind] if getattr(event, name) is None]
        if missing:
            raise BadInput("bad-field", f"{where}: a {event.kind} event needs {', '.join(missing)}.", field=where)
        if event.kind == "cue" and event.id not in known:
            raise BadInput("unknown-message", f"{where}: the cue id is not a prompt catalog id.", field=where)
        if index and event.t < events[index - 1].t:
            raise BadInput("bad-telemetry-order", f"{where}: events must come in time order.", field=where)
