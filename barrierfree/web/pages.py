"""Accessible HTML pages (the journey's pages are added by the onboarding web module)."""

from __future__ import annotations

from flask import Blueprint, render_template

from barrierfree.web.i18n import texts

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
def index() -> str:
    return render_template("index.html", t=texts("common"))


@blueprint.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@blueprint.get("/problems/<code>")
def problem_type(code: str) -> str:
    """The human-readable page behind each problem ``type`` URI."""
    return render_template("problem.html", code=code, t=texts("common"))
