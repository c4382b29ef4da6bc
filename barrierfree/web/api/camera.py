"""Camera routes: a frame in, guidance out; capture a card side; liveness challenge and answer; face match.

Frames are the request body (``image/jpeg`` or ``image/png``) with the
capture time and sensor reading as query parameters, so the SDK sends the
bytes it has without re-encoding and no multipart parsing is needed on the
hot path. A card capture is one image as the body, or (the SDK) several stills of one
capture as multipart ``still`` parts, read and fused in one request. A liveness answer is ``multipart/form-data``: the nonce, the
frames (``frame`` parts, in order) and their timestamps, and for a flash
challenge ``shown``: when each colour really appeared and when the last ended.
"""

from __future__ import annotations

import math

from flask import Response, current_app, jsonify, request

from barrierfree.accessibility.sensors import SensorReading
from barrierfree.errors import BadInput
from barrierfree.onboarding.journey import camera as engines
from barrierfree.onboarding.journey import device
from barrierfree.onboarding.journey import liveness
from barrierfree.onboarding.journey.steps import Step
from barrierfree.vision.frames import Frame, decode
from barrierfree.web.api import UnsupportedMediaType, authorised, blueprint, journey_json, runtime, service, web_settings
from barrierfree.web.api.budget import request_budget

IMAGE_TYPES = ("image/jpeg", "image/png")


def streams() -> engines.Streams:
    """This process's per-journey guidance streams (the runtime's)."""
    return runtime().streams


def _face() -> liveness.FaceEngines:
    return runtime().face_engines


def _number(name: str, low: float, high: float) -> float | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadInput("bad-parameter", f"{name} must be a number.", field=name) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise BadInput("bad-parameter", f"{name} must be between {low:g} and {high:g}.", field=name)
    return value


def _frame_from(data: bytes, mimetype: str | None, timestamp_s: float | None) -> Frame:
    if (mimetype or "").split(";")[0].strip().lower() not in IMAGE_TYPES:
        raise UnsupportedMediaType("unsupported-media-type", "Send the frame as image/jpeg or image/png.")
    settings = web_settings()
    return decode(data, timestamp_s, max_megapixels=settings.max_frame_megapixels, max_bytes=settings.max_frame_bytes,
                  charge=request_budget().charge)


def _body_frame() -> Frame:
    timestamp = _number("t", 0, 1e7)
    return _frame_from(request.get_data(cache=False), request.mimetype, timestamp)


def _sensors() -> SensorReading | None:
    reading = SensorReading(
        beta_deg=_number("beta", -180, 180), gamma_deg=_number("gamma", -90, 90),
        acceleration_m_s2=_number("accel", 0, 1000), ambient_lux=_number("lux", 0, 1e6),
    )
    return None if reading == SensorReading() else reading


def _camera_step(journey_id: str, *steps: Step):  # noqa: ANN202 - JourneyView
    """The journey, which must be at one of ``steps`` and accepting input (checked without writing)."""
    return service().require(journey_id, *steps)


@blueprint.post("/journeys/<journey_id>/frames")
def post_frame(journey_id: str) -> Response:
    authorised(journey_id)
    view = _camera_step(journey_id, Step.CARD_FRONT, Step.CARD_BACK, Step.LIVENESS)  # before decoding anything
    frame = _body_frame()
    stream_id = request.args.get("stream", "")[:64]
    guidance = streams().guide(view, frame, _sensors(), stream_id)
    return jsonify({"step": view.step, **guidance})


@blueprint.post("/journeys/<journey_id>/capture")
def capture(journey_id: str) -> Response:
    authorised(journey_id)
    view = _camera_step(journey_id, Step.CARD_FRONT, Step.CARD_BACK)  # before decoding anything
    # type_fields=1: after repeated refused readings the person chose to type the failing fields.
    accepted, code, after, details = engines.read_card(service(), view, _capture_stills(), streams(),
                                                       type_fields=request.args.get("type_fields") == "1")
    return jsonify({"accepted": accepted, "step": after.step, "code": code, "message_id": device.capture_message(accepted, code),
                    **details, "journey": journey_json(after)})


def _capture_stills() -> list[Frame]:
    """A capture's stills: multipart ``still`` parts (:func:`stills_from_form`), or one image as the body."""
    return stills_from_form() if request.mimetype == "multipart/form-data" else [_body_frame()]


def stills_from_form() -> list[Frame]:
    """The ``still`` parts of a multipart capture (the SDK's, one capture of one side, at most
    ``device.max_stills``), every one checked before any is read."""
    timestamp = _number("t", 0, 1e7)
    files = request.files.getlist("still")
    most = current_app.extensions["barrierfree.settings"].device.max_stills
    if not files:
        raise BadInput("no-stills", "Send the card stills as 'still' parts.", field="still")
    if len(files) > most:
        raise BadInput("too-many-stills", f"Send at most {most} stills of one side.", field="still")
    return [_frame_from(f.read(), f.mimetype, timestamp) for f in files]


@blueprint.post("/journeys/<journey_id>/liveness/challenge")
def liveness_challenge(journey_id: str) -> tuple[Response, int]:
    authorised(journey_id)
    view = _camera_step(journey_id, Step.LIVENESS)
    return jsonify(liveness.issue_challenge(service(), view, _face())), 201


@blueprint.post("/journeys/<journey_id>/liveness/answer")
def liveness_answer(journey_id: str) -> Response:
    authorised(journey_id)
    view = _camera_step(journey_id, Step.LIVENESS)  # token, step and nonce are checked before any frame is decoded
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("unsupported-media-type", "Send the liveness answer as multipart/form-data.")
    nonce = request.form.get("nonce", "")
    raw_times = request.form.get("timestamps", "")
    files = request.files.getlist("frame")
    most = service().settings.max_liveness_frames
    if not nonce:
        raise BadInput("missing-nonce", "Send the challenge's nonce with the answer.", field="nonce")
    if not files:
        raise BadInput("no-frames", "Send the recorded frames as 'frame' parts.", field="frame")
    if len(files) > most:
        raise BadInput("too-many-frames", f"Send at most {most} frames.", field="frame")
    times = _seconds(raw_times, "timestamps", "bad-timestamps")
    if len(times) != len(files):
        raise BadInput("bad-timestamps", "Send one finite timestamp per frame, comma-separated, in seconds.", field="timestamps")
    raw_shown = request.form.get("shown", "")
    shown = _seconds(raw_shown, "shown", "bad-shown-times") if raw_shown else None
    liveness.require_open_challenge(service(), view, nonce)
    frames = [_frame_from(f.read(), f.mimetype, t) for f, t in zip(files, times)]
    result, after = liveness.answer_challenge(service(), view, nonce, frames, _face(), shown)
    registry = runtime().built("streams")
    if registry is not None:  # the on-device path never built one (it keeps nothing in process)
        registry.forget(journey_id)
    return jsonify({**result, "journey": journey_json(after)})


def _seconds(raw: str, field: str, code: str) -> list[float]:
    """Comma-separated finite seconds from a form field, or a ``code`` problem."""
    try:
        values = [float(t) for t in raw.split(",")] if raw else []
    except ValueError:
        raise BadInput(code, f"{field} must be comma-separated seconds.", field=field) from None
    if not all(math.isfinite(t) for t in values):
        raise BadInput(code, f"{field} must be finite seconds, comma-separated.", field=field)
    return values


@blueprint.post("/journeys/<journey_id>/face-match")
def face_match(journey_id: str) -> Response:
    authorised(journey_id)
    view = _camera_step(journey_id, Step.FACE_MATCH)
    result, after = liveness.match_faces(service(), view, _face())
    return jsonify({**result, "journey": journey_json(after)})
