"""Journey routes: start, state (to resume), consent, assistance, extend, help, review, confirm."""

from __future__ import annotations

from dataclasses import asdict

from flask import Response, jsonify

from barrierfree.onboarding.journey.views import AccountSummary, ReviewField
from barrierfree.web.api import authorised, blueprint, journey_json, json_body, service, web_settings
from barrierfree.web.api import schemas, tokens


def _field_json(field: ReviewField) -> dict:
    return asdict(field)


def _account_json(summary: AccountSummary) -> dict:
    return {
        "account_number": summary.account_number, "opened_at": summary.opened_at.isoformat(),
        "holder_name": summary.holder_name, "document_type": summary.document_type,
        "liveness_mode": summary.liveness_mode, "fields": [_field_json(f) for f in summary.fields],
    }


@blueprint.post("/journeys")
def start_journey() -> tuple[Response, int]:
    body = json_body(schemas.StartRequest)
    view = service().start(body.lang)
    return jsonify({**journey_json(view), "token": tokens.issue(view.id)}), 201


@blueprint.get("/journeys/<journey_id>")
def get_journey(journey_id: str) -> Response:
    """The journey's state, to resume from its step.

    A journey that waited for staff (the ``202`` of ``confirm``, or a face match paused for
    them) is polled here: once a decision ends it, its token still reads how it ended, and an
    account opened by the decision comes with an account token while it is new
    (``account_token_max_age_s`` after it opened, as the opened page shows it).
    """
    ended = authorised(journey_id, outcome_after_staff=True)
    view = service().get(journey_id)
    body = journey_json(view)
    if ended and view.step == "opened":
        opened_at = service().summary(journey_id).opened_at
        max_age_s = web_settings().account_token_max_age_s
        if (service().now() - opened_at).total_seconds() <= max_age_s:
            body |= {"account_token": tokens.issue_account(journey_id), "account_token_max_age_s": max_age_s}
    return jsonify(body)


@blueprint.post("/journeys/<journey_id>/consent")
def consent(journey_id: str) -> Response:
    authorised(journey_id)
    body = json_body(schemas.ConsentRequest)
    return jsonify(journey_json(service().consent(journey_id, body.accepted)))


@blueprint.post("/journeys/<journey_id>/assistance")
def assistance(journey_id: str) -> Response:
    authorised(journey_id)
    body = json_body(schemas.AssistanceRequest)
    view = service().choose_assistance(
        journey_id, body.mode, photosensitive=body.photosensitive, liveness_mode=body.liveness_mode,
        timeout_multiplier=body.timeout_multiplier, lang=body.lang,
    )
    return jsonify(journey_json(view))


@blueprint.post("/journeys/<journey_id>/extend")
def extend(journey_id: str) -> Response:
    authorised(journey_id)
    return jsonify(journey_json(service().extend(journey_id)))


@blueprint.post("/journeys/<journey_id>/help")
def ask_for_help(journey_id: str) -> Response:
    authorised(journey_id)
    body = json_body(schemas.HelpRequest)
    return jsonify(journey_json(service().request_help(journey_id, body.choice)))


@blueprint.get("/journeys/<journey_id>/review")
def review(journey_id: str) -> Response:
    authorised(journey_id)
    return jsonify({"fields": [_field_json(f) for f in service().review(journey_id)]})


@blueprint.patch("/journeys/<journey_id>/review")
def edit_field(journey_id: str) -> Response:
    authorised(journey_id)
    body = json_body(schemas.FieldEdit)
    return jsonify({"fields": [_field_json(f) for f in service().edit_field(journey_id, body.name, body.value)]})


@blueprint.post("/journeys/<journey_id>/confirm")
def confirm(journey_id: str) -> tuple[Response, int]:
    """201 and the account (with a short-lived account token: the journey token is now revoked), or
    202 and the journey when a corrected identity field sends it to staff review (with what happens next)."""
    authorised(journey_id)
    result = service().confirm(journey_id)
    if isinstance(result, AccountSummary):
        return jsonify({**_account_json(result), "account_token": tokens.issue_account(journey_id),
                        "account_token_max_age_s": web_settings().account_token_max_age_s}), 201
    return jsonify(journey_json(result)), 202  # its message_id and text say what happens next


@blueprint.get("/journeys/<journey_id>/account")
def account(journey_id: str) -> Response:
    """The opened account, for the holder of the account token the confirmation (or a staff approval page) gave."""
    tokens.require(journey_id, web_settings().account_token_max_age_s, salt=tokens.ACCOUNT_SALT)
    return jsonify(_account_json(service().summary(journey_id)))
