"""The staff's review queue: identity corrections and face matches that stayed unsure, oldest first.

A journey whose identity field was corrected waits in ``pending_review``
(:mod:`barrierfree.onboarding.journey.review`): its page shows the card reading,
the retained card images and the person's correction side by side. A face match
that was ``unsure`` twice waits at the face match
(:mod:`barrierfree.onboarding.journey.staffreview`): its page shows the selfie and
the card portrait side by side with the distance and the band. Only staff may see them: every
route here needs the staff token (``web.staff_token``) as the password of HTTP
Basic authentication (a browser asks for it) or as the ``X-Staff-Token``
header. The decision is a form post with a CSRF token; pages are never cached.
"""

from __future__ import annotations

import base64
import hmac

from flask import Blueprint, Flask, Response, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from barrierfree.errors import Unauthorized
from barrierfree.onboarding.journey import review, staffreview
from barrierfree.web.i18n import texts
from barrierfree.web.journey import csrf

blueprint = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")
REALM = "barrierfree staff"


def _service():  # noqa: ANN202 - JourneyService
    return current_app.extensions["barrierfree.journeys"]


class StaffOnly(Unauthorized):
    default_code = "staff-token-required"


@blueprint.before_request
def _staff_only() -> None:
    expected = current_app.extensions["barrierfree.settings"].web.staff_token
    given = request.headers.get("X-Staff-Token", "")
    if not given and request.authorization is not None and request.authorization.type == "basic":
        given = request.authorization.password or ""
    if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise StaffOnly("staff-token-required", "These pages are for staff; sign in with the staff token.")


@blueprint.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def _render(template: str, **context: object) -> str:
    t = texts("staff")
    g.lang = t.lang
    return render_template(template, t=t, csrf_token=csrf.token(), **context)


@blueprint.get("/reviews")
def reviews() -> str:
    return _render("staff/reviews.html", queue=staffreview.queue(_service()))


@blueprint.get("/reviews/<journey_id>")
def case(journey_id: str) -> str:
    if _service().get(journey_id).staff_review == staffreview.FACE_MATCH_UNSURE:
        return _render("staff/face_case.html", case=staffreview.face_case(_service(), journey_id))
    return _render("staff/case.html", case=review.case(_service(), journey_id), field_names=texts("journey"))


@blueprint.get("/reviews/<journey_id>/images/<int:image_id>.jpg")
def image(journey_id: str, image_id: int) -> Response:
    return Response(base64.b64decode(review.image(_service(), journey_id, image_id)), mimetype="image/jpeg")


@blueprint.get("/reviews/<journey_id>/faces/<which>.jpg")
def face_image(journey_id: str, which: str) -> Response:
    """The selfie or the card portrait of a face match waiting for staff (decrypted for this page only, never logged)."""
    return Response(staffreview.face_image(_service(), journey_id, which), mimetype="image/jpeg")


@blueprint.post("/reviews/<journey_id>/decision")
def decide(journey_id: str) -> ResponseReturnValue:
    """``approve``/``reject`` an identity correction, or ``same``/``different`` for an unsure face match."""
    csrf.check()
    staffreview.decide(_service(), journey_id, request.form.get("decision", ""))
    return redirect(url_for("staff.reviews"), 303)


def register(app: Flask) -> None:
    app.register_blueprint(blueprint)
