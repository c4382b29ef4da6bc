"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

Request and response schemas come from the pydantic models in :mod:`.schemas`,
so the document describes exactly what the routes validate.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Response, jsonify

from barrierfree.web.api import blueprint, schemas

_PROBLEM = {"description": "A problem document (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
_ERRORS = {str(code): _PROBLEM for code in (400, 401, 403, 404, 409, 413, 415, 429)}
_JOURNEY_ID = {"name": "journey_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
_FRAME_QUERY = [
    {"name": "t", "in": "query", "description": "capture time on the stream's clock, seconds", "schema": {"type": "number", "minimum": 0, "maximum": 1e7}},
    {"name": "beta", "in": "query", "description": "front-back tilt, degrees", "schema": {"type": "number", "minimum": -180, "maximum": 180}},
    {"name": "gamma", "in": "query", "description": "left-right tilt, degrees", "schema": {"type": "number", "minimum": -90, "maximum": 90}},
    {"name": "accel", "in": "query", "description": "acceleration without gravity, m/s²", "schema": {"type": "number", "minimum": 0, "maximum": 1000}},
    {"name": "lux", "in": "query", "description": "ambient light, lux", "schema": {"type": "number", "minimum": 0, "maximum": 1e6}},
    {"name": "stream", "in": "query", "description": "the client's id for this camera run (a new one restarts the clock)", "schema": {"type": "string", "maxLength": 64}},
]
_CAPTURE_QUERY = _FRAME_QUERY[:1] + [
    {"name": "type_fields", "in": "query", "description": "1: the person chose to type the failing fields", "schema": {"type": "string", "enum": ["0", "1"]}},
]
_IMAGE_BODY: dict = {"required": True, "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in ("image/jpeg", "image/png")}}
#: One capture's card stills as multipart ``still`` parts.
_STILLS_FORM: dict = {"multipart/form-data": {"schema": {"type": "object", "required": ["still"], "properties": {
    "still": {"type": "array", "items": {"type": "string", "format": "binary"},
              "description": "1 to device.max_stills JPEG or PNG stills of one side: the frame the guide captured on, then frames judged usable"},
}}}}
_CARD_STILLS_BODY = {"required": True, "content": {**_IMAGE_BODY["content"], **_STILLS_FORM}}


def _json(model: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}}}


def _body(model: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}}}


def _op(summary: str, responses: dict, *, body: dict | None = None, params: list | None = None, secure: bool = True) -> dict:
    op: dict = {"summary": summary, "responses": {**responses, **_ERRORS}}
    if body:
        op["requestBody"] = body
    if params:
        op["parameters"] = params
    if not secure:
        op["security"] = []
    return op


def _paths() -> dict:
    j = [_JOURNEY_ID]
    return {
        "/api/v1/journeys": {"post": _op("Start a journey; returns its token", {"201": _json("StartedJourney", "Started")}, body=_body("StartRequest"), secure=False)},
        "/api/v1/journeys/{journey_id}": {"get": _op("The journey's state (resume from its step; after a staff decision, how it ended)",
                                                       {"200": _json("JourneyState")}, params=j)},
        "/api/v1/journeys/{journey_id}/consent": {"post": _op("Give or refuse consent", {"200": _json("Journey")}, body=_body("ConsentRequest"), params=j)},
        "/api/v1/journeys/{journey_id}/assistance": {"post": _op("Choose the assistance mode", {"200": _json("Journey")}, body=_body("AssistanceRequest"), params=j)},
        "/api/v1/journeys/{journey_id}/extend": {"post": _op("Extend the current step's time limit", {"200": _json("Journey")}, params=j)},
        "/api/v1/journeys/{journey_id}/help": {"post": _op("Ask for human help or retry after a pause", {"200": _json("Journey")}, body=_body("HelpRequest"), params=j)},
        "/api/v1/journeys/{journey_id}/frames": {"post": _op("Post a camera frame; get guidance", {"200": _json("Guidance")}, body=_IMAGE_BODY, params=j + _FRAME_QUERY)},
        "/api/v1/journeys/{journey_id}/capture": {"post": _op("Capture and read the current card side (one image, or one capture's stills, fused)", {"200": _json("CaptureResult")}, body=_CARD_STILLS_BODY, params=j + _FRAME_QUERY[:1])},
        "/api/v1/journeys/{journey_id}/liveness/challenge": {"post": _op("Get a liveness challenge", {"201": _json("Challenge", "Issued")}, params=j)},
        "/api/v1/journeys/{journey_id}/liveness/answer": {"post": _op("Answer the liveness challenge with the recorded frames", {"200": _json("LivenessResult")}, params=j, body={
            "required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["nonce", "timestamps", "frame"], "properties": {
                "nonce": {"type": "string"}, "timestamps": {"type": "string", "description": "comma-separated seconds, one per frame"},
                "shown": {"type": "string", "description": "flash only: comma-separated seconds when each colour appeared, then when the last ended"},
                "frame": {"type": "array", "items": {"type": "string", "format": "binary"}},
            }}}},
        })},
        "/api/v1/journeys/{journey_id}/face-match": {"post": _op("Match the selfie with the ID portrait", {"200": _json("MatchResult")}, params=j)},
        "/api/v1/journeys/{journey_id}/review": {
            "get": _op("Every field read from the card", {"200": _json("Review")}, params=j),
            "patch": _op("Correct one field", {"200": _json("Review")}, body=_body("FieldEdit"), params=j),
        },
        "/api/v1/journeys/{journey_id}/confirm": {"post": _op("Confirm the review and open the account", {
            "201": _json("Account", "Opened, with a short-lived account token (the journey token is now revoked)"),
            "202": _json("PendingReview", "An identity field was corrected: a staff member reviews it first")}, params=j)},
        "/api/v1/journeys/{journey_id}/account": {"get": _op("The opened account's summary (send the account token)", {"200": _json("Account")}, params=j)},
        "/api/v1/journeys/{journey_id}/device/capture": {"post": _op(
            "On-device path: card stills of the current side (full resolution), re-checked and fused by the server",
            {"200": _json("DeviceCaptureResult")}, params=j + _CAPTURE_QUERY, body={"required": True, "content": _STILLS_FORM})},
        "/api/v1/journeys/{journey_id}/device/telemetry": {"post": _op(
            "On-device path: a telemetry batch (cue ids, timings, capture codes, failures; no images)",
            {"202": _json("TelemetryStored", "Stored for the audit")}, body=_body("TelemetryBatch"), params=j)},
        "/api/v1/sdk/wire": {"get": _op("The wire constants the SDK reads (shortest flash colour, steps, limits)", {"200": _json("Wire")}, secure=False)},
        "/api/v1/prompts/{lang}": {"get": _op("The prompt catalog of a language", {"200": {"description": "messages by id", "content": {"application/json": {"schema": {"type": "object"}}}}},
                                              params=[{"name": "lang", "in": "path", "required": True, "schema": {"type": "string"}}], secure=False)},
        "/api/v1/guidance/settings": {"get": _op("The guidance settings and vibration patterns, for the on-device guide",
                                                {"200": {"description": "settings (barrierfree/settings/guidance.py) and haptic patterns",
                                                         "content": {"application/json": {"schema": {"type": "object"}}}}}, secure=False)},
        "/api/v1/earcons/{name}.wav": {"get": _op("An earcon (lock, captured, searching) as WAV", {"200": {"description": "WAV audio", "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}}}}, secure=False,
                                                   params=[{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}])},
        "/api/v1/speech": {"get": _op("A catalog message spoken as WAV", {"200": {"description": "WAV audio", "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}}}}, secure=False, params=[
            {"name": "id", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["zh-CN", "en"]}},
            {"name": "params", "in": "query", "schema": {"type": "string", "description": "JSON object of the message's parameters"}},
        ])},
    }


@lru_cache(maxsize=1)
def document() -> dict:
    models = (
        schemas.StartRequest, schemas.ConsentRequest, schemas.AssistanceRequest, schemas.HelpRequest, schemas.FieldEdit,
        schemas.Journey, schemas.StartedJourney, schemas.Review, schemas.Account, schemas.Problem, schemas.Guidance,
        schemas.CaptureResult, schemas.Challenge, schemas.LivenessResult, schemas.MatchResult, schemas.PendingReview, schemas.JourneyState,
        schemas.TelemetryBatch, schemas.TelemetryStored, schemas.DeviceCaptureResult, schemas.Wire,
    )
    components: dict = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    return {
        "openapi": "3.1.0",
        "info": {"title": "barrierfree account opening API", "version": "1", "description": "Accessible eKYC journey: guidance, capture, liveness, face match, review."},
        "paths": _paths(),
        "components": {"schemas": components, "securitySchemes": {"journeyToken": {"type": "http", "scheme": "bearer"}}},
        "security": [{"journeyToken": []}],
    }


@blueprint.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(document())
