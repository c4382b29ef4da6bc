"""The demo journey's accessible pages (zh-CN and en): one page per step.

Consent, assistance, review and the result are plain HTML forms that work
without JavaScript (each post carries a CSRF token); the camera steps mount
the SDK (``static/sdk/barrierfree.js``), which talks to the JSON API with
a fresh journey token for the journey named in the signed session cookie. ``/journey/step``
always shows the journey's current step, so a reload or a dropped
connection resumes exactly where the person was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from barrierfree.errors import BadInput, BarrierFreeError, Forbidden, NotFound
from barrierfree.onboarding.journey.service import JourneyService
from barrierfree.web.api import tokens
from barrierfree.onboarding.journey.steps import CAMERA_STEPS, ORDER, Step
from barrierfree.web.i18n import catalog, texts
from barrierfree.web.journey import csrf
from barrierfree.web.limits import count_journey

blueprint = Blueprint("journey", __name__, url_prefix="/journey", template_folder="templates")
_CAMERA_STEPS = tuple(s.value for s in CAMERA_STEPS)


def _service() -> JourneyService:
    return current_app.extensions["barrierfree.journeys"]


def _current():  # noqa: ANN202 - JourneyView | None
    journey_id = session.get("journey_id")
    if not journey_id:
        return None
    try:
        view = _service().get(journey_id)
    except NotFound:
        session.pop("journey_id", None)
        return None
    count_journey(view.id)  # the signed session cookie is this page's credential for the journey
    return view


def _render(template: str, **context: Any) -> str:
    view = context.get("journey")
    lang = getattr(view, "lang", None) if view and "lang" not in request.args else None
    t = texts("journey", lang)
    g.lang = t.lang
    error = context.pop("error", None)
    strings = catalog("journey", t.lang)
    error_text = (strings.get(f"error_{error}") or strings["error_generic"]) if error else None
    number = ORDER.index(Step(view.step)) + 1 if view and Step(view.step) in ORDER else 0
    return render_template(
        template, t=t, csrf_token=csrf.token(), now=_service().now(), step_number=number,
        error_text=error_text, **context,
    )


@blueprint.get("/")
def start_page() -> str:
    return _render("journey/start.html", journey=_current())


@blueprint.post("/start")
def start() -> Response:
    csrf.check()
    lang = request.form.get("lang") or texts("journey").lang
    view = _service().start(lang if lang in ("zh-CN", "en") else "zh-CN")
    session["journey_id"] = view.id
    return redirect(url_for("journey.step"), 303)


@blueprint.get("/step")
def step() -> str | Response:
    view = _current()
    if view is None:
        return redirect(url_for("journey.start_page"), 303)
    error = request.args.get("error")
    if view.paused_reason == "staff-review":
        # A face match waiting for staff: say so in the catalog's words, not the camera or the help offer.
        return _render("journey/staff_review.html", journey=view, next_steps=_said("face.match.staff_review", view))
    if view.step in _CAMERA_STEPS:
        return _render("journey/camera.html", journey=view, token=tokens.issue(view.id), error=error, sdk_labels=_sdk_labels(view.lang),
                       device_engine=current_app.extensions["barrierfree.settings"].device.engine_module)
    if view.step == "review":
        return _render("journey/review.html", journey=view, fields=_service().review(view.id), error=error,
                       unsure_below=_service().settings.review_unsure_confidence)
    if view.step == "opened":
        summary = _service().summary(view.id)
        if (_service().now() - summary.opened_at).total_seconds() > current_app.extensions["barrierfree.settings"].web.account_token_max_age_s:
            # The account is shown only shortly after it opened, as with the API's account token.
            session.pop("journey_id", None)
            return redirect(url_for("journey.start_page"), 303)
        return _render("journey/opened.html", journey=view, summary=summary)
    if view.step == "pending_review":
        return _render("journey/pending_review.html", journey=view, next_steps=_said("journey.pending_review", view))
    if view.step == "rejected" and view.staff_review == "face-match-unsure":
        return _render("journey/rejected.html", journey=view, next_steps=_said("journey.face_match_rejected", view))
    return _render(f"journey/{view.step}.html", journey=view, error=error)


def _said(message_id: str, view) -> str:  # noqa: ANN001 - JourneyView
    """A prompt's text in the page's language (as :func:`_render` picks it): what the SDK would speak."""
    from barrierfree.voice.prompts import render

    return render(message_id, texts("journey", None if "lang" in request.args else view.lang).lang)


def _sdk_labels(lang: str) -> dict[str, str]:
    """The SDK's own button labels from the prompt catalog, so they are right before the catalog loads."""
    from barrierfree.voice.prompts import catalog as prompt_catalog

    return {key: text for key, text in prompt_catalog(lang).items() if key.startswith("journey.sdk_")}


def _act(action) -> Response:  # noqa: ANN001
    """Run one form action on the current journey; a refusal comes back as a message on the step page."""
    csrf.check()
    view = _current()
    if view is None:
        return redirect(url_for("journey.start_page"), 303)
    try:
        action(view)
    except BarrierFreeError as error:
        if error.status >= 500:
            raise
        return redirect(url_for("journey.step", error=error.code), 303)
    return redirect(url_for("journey.step"), 303)


@blueprint.post("/consent")
def consent() -> Response:
    return _act(lambda v: _service().consent(v.id, request.form.get("accepted") == "yes"))


@blueprint.post("/assistance")
def assistance() -> Response:
    def choose(view) -> None:  # noqa: ANN001
        try:
            multiplier = float(request.form.get("timeout_multiplier", "1"))
        except ValueError:
            multiplier = 0.0
        _service().choose_assistance(
            view.id, request.form.get("mode", ""), photosensitive=request.form.get("photosensitive") == "yes",
            liveness_mode=request.form.get("liveness_mode") or None, timeout_multiplier=multiplier,
        )
    return _act(choose)


@blueprint.post("/review")
def review() -> Response | tuple[str, int]:
    """Save the corrected fields; a value that fails its check comes back as typed, marked, never lost."""
    csrf.check()
    view = _current()
    if view is None or view.step != "review":
        return redirect(url_for("journey.step"), 303)
    current = {f.name: f.value for f in _service().review(view.id)}
    rejected: dict[str, str] = {}
    code = "bad-field-value"
    for name, value in request.form.items():
        field = name.removeprefix("field-")
        if name.startswith("field-") and field in current and value.strip() != current[field]:
            try:
                _service().edit_field(view.id, field, value)
            except Forbidden:
                code = "field-locked"
                rejected[field] = current[field]  # a locked field keeps the value read from the card
            except BadInput:
                rejected[field] = value
    if not rejected:
        return redirect(url_for("journey.step"), 303)
    fields = [replace(f, value=rejected[f.name], valid=False) if f.name in rejected else f for f in _service().review(view.id)]
    return _render("journey/review.html", journey=_service().get(view.id), fields=fields, error=code,
                   unsure_below=_service().settings.review_unsure_confidence), 400


@blueprint.post("/confirm")
def confirm() -> Response:
    return _act(lambda v: _service().confirm(v.id))


@blueprint.post("/extend")
def extend() -> Response:
    return _act(lambda v: _service().extend(v.id))


@blueprint.post("/help")
def ask_for_help() -> Response:
    return _act(lambda v: _service().request_help(v.id, request.form.get("choice", "")))


@blueprint.post("/restart")
def restart() -> Response:
    csrf.check()
    session.pop("journey_id", None)
    return redirect(url_for("journey.start_page"), 303)


def register(app: Flask) -> None:
    """Add the journey pages (the session cookie's attributes are set by :mod:`barrierfree.web.security`)."""
    app.register_blueprint(blueprint)
