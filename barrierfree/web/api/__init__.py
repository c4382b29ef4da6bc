"""The JSON API under ``/api/v1``: the journey, camera frames, liveness, review, prompts and speech.

Every error is an ``application/problem+json`` document (see
:mod:`barrierfree.web.problems`); the OpenAPI document is served at
``/api/v1/openapi.json``. Each journey request carries the journey's signed
token as a bearer header; a request is counted against its journey's rate
limit once that token has been checked (:mod:`barrierfree.web.limits`).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TypeVar

from flask import Blueprint, Flask, current_app, request
from pydantic import BaseModel, ValidationError

from barrierfree.errors import BadInput, BarrierFreeError
from barrierfree.onboarding.journey import staffreview
from barrierfree.onboarding.journey.service import JourneyService
from barrierfree.onboarding.journey.views import JourneyView
from barrierfree.runtime import Runtime
from barrierfree.web.api import tokens
from barrierfree.web.limits import count_journey

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
#: The request model :func:`json_body` validates with, and so returns.
Model = TypeVar("Model", bound=BaseModel)


class UnsupportedMediaType(BarrierFreeError):
    status = 415
    exit_code = 2
    default_code = "unsupported-media-type"


def runtime() -> Runtime:
    """The runtime the app was built with: every engine, built once."""
    return current_app.extensions["barrierfree.runtime"]


def service() -> JourneyService:
    return runtime().journeys


def web_settings():  # noqa: ANN201 - WebSettings
    return current_app.extensions["barrierfree.settings"].web


def authorised(journey_id: str, outcome_after_staff: bool = False) -> bool:
    """Check the bearer token names ``journey_id`` and the journey has not ended (which revokes
    its tokens), then count the request against that journey's limit; ``True`` when it has ended.

    ``outcome_after_staff``: a journey a staff decision ended still answers its own token (for
    reading how it ended), because its caller was told to wait for that decision.
    """
    tokens.require(journey_id, web_settings().token_max_age_s)
    ended = service().has_ended(journey_id)
    if ended and not (outcome_after_staff and staffreview.ended_by_staff(service(), journey_id)):
        raise tokens.revoked()
    count_journey(journey_id)
    return ended


def json_body(model: type[Model]) -> Model:
    """The request's JSON body validated by ``model``; clear problems for anything else."""
    if not request.is_json:
        raise UnsupportedMediaType("unsupported-media-type", "Send the body as application/json.")
    data = request.get_json(silent=True)
    if data is None:
        data = {} if not request.get_data() else None
    if data is None:
        raise BadInput("bad-json", "The body is not valid JSON.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise BadInput("bad-field", f"{where}: {first['msg']}.", field=where) from None


#: The view's fields, in order: the ``Journey`` document carries each of them (see :func:`schemas.journey_model`).
JOURNEY_FIELDS = tuple(f.name for f in dataclasses.fields(JourneyView))


def _wire(value: object) -> object:
    """A view value as JSON: times as ISO 8601, tuples as lists."""
    if isinstance(value, datetime):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def journey_json(view: JourneyView) -> dict:
    """The ``Journey`` document: every field of the view, then what to tell the person while staff decide."""
    return {**{name: _wire(getattr(view, name)) for name in JOURNEY_FIELDS}, **waiting_message(view)}


#: What the person is told while a member of staff decides, by why they decide.
WAITING_MESSAGES = {"identity-correction": "journey.pending_review", "face-match-unsure": "face.match.staff_review"}


def waiting_message(view: JourneyView) -> dict:
    """``message_id`` and ``text`` while the journey waits for staff (so the SDK says so on resume), else nulls."""
    waiting = view.step == "pending_review" or view.paused_reason == "staff-review"
    message = WAITING_MESSAGES.get(view.staff_review or "") if waiting else None
    if message is None:
        return {"message_id": None, "text": None}
    from barrierfree.voice import prompts

    return {"message_id": message, "text": prompts.render(message, view.lang)}


def register(app: Flask) -> None:
    """Register the API (its journey service is the runtime's)."""
    from barrierfree.web.api import camera, catalog, device, journeys, openapi, wire  # noqa: F401 - they add routes

    app.extensions["barrierfree.journeys"] = app.extensions["barrierfree.runtime"].journeys
    app.register_blueprint(blueprint)
