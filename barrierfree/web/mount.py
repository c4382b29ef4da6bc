"""barrierfree's templates and static files inside a Flask app that is not barrierfree's own.

:func:`~barrierfree.web.app.create_app` makes a Flask app rooted in this package,
so ``templates/`` and ``static/`` are the app's. A bank's app (``init_app``) has its
own folders: there barrierfree's templates are looked up after the bank's, and
barrierfree's static files are served under ``/barrierfree/static/`` (a
``url_for('static', ...)`` in barrierfree's templates for a file of ours points there).
Nothing changes for barrierfree's own app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask
from jinja2 import ChoiceLoader, FileSystemLoader

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
#: Where barrierfree's static files are served in a bank's app.
STATIC_URL = "/barrierfree/static"


def register(app: Flask) -> None:
    """In a foreign app, add barrierfree's templates and static files beside the app's own."""
    if Path(app.root_path).resolve() == HERE:
        return  # our own app: the folders are already the app's
    app.jinja_loader = ChoiceLoader([loader for loader in (app.jinja_loader, FileSystemLoader(str(TEMPLATES))) if loader])
    app.register_blueprint(Blueprint("barrierfree_static", __name__, static_folder=str(STATIC), static_url_path=STATIC_URL))
    app_url_for = app.url_for

    def url_for(endpoint: str, **values: Any) -> str:
        """The app's ``url_for``, except that a static file that is barrierfree's is served from barrierfree's folder."""
        if endpoint == "static" and (STATIC / str(values.get("filename", ""))).is_file():
            endpoint = "barrierfree_static.static"
        return app_url_for(endpoint, **values)

    app.jinja_env.globals["url_for"] = url_for
