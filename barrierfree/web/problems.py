"""Errors as RFC 9457 problem documents (``application/problem+json``).

Each problem's ``type`` is ``/problems/<code>``, a stable URI the app also
serves as a short human-readable page. A 500 never carries a stack trace.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

from barrierfree.errors import BarrierFreeError
from barrierfree.log import get_logger

MEDIA_TYPE = "application/problem+json"
log = get_logger(__name__)


def problem(status: int, code: str, title: str, detail: str = "", **extra: Any) -> Response:
    """Build a problem response."""
    body = {"type": f"/problems/{code}", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if request:
        body["instance"] = request.path
    body.update(extra)
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)


def _from_error(error: BarrierFreeError) -> Response:
    title = error.code.replace("-", " ").capitalize()
    return problem(error.status, error.code, title, error.detail, **error.extra)


def _from_http(error: HTTPException) -> Response:
    code = (error.name or "error").lower().replace(" ", "-")
    response = problem(error.code or 500, code, error.name or "Error", error.description or "")
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def _from_unexpected(error: Exception) -> Response:
    log.exception("unhandled error in %s %s", request.method, request.endpoint)  # not the path: it may hold a capability id
    return problem(500, "internal-error", "Internal error", "Something went wrong on our side; your data is safe. Try again.")


def register(app: Flask) -> None:
    app.register_error_handler(BarrierFreeError, _from_error)
    app.register_error_handler(HTTPException, _from_http)
    app.register_error_handler(Exception, _from_unexpected)
