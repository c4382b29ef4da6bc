"""The Flask app factory, and :func:`init_app` to mount barrierfree in a bank's own Flask app.

``create_app()`` reads the settings, refuses to start without its secrets
(only the demo generates them: :mod:`barrierfree.web.startup`), builds the
:class:`~barrierfree.runtime.Runtime` (every engine, once) and hands it to
:func:`init_app`, which opens the database and brings its schema up to date (the
runtime binds the encryption keyring to it), maps errors to RFC 9457 problem
documents, sets the security headers, registers each area's blueprint and puts
the rate limits over all of them.

A bank that has a Flask app of its own calls ``init_app(its_app, runtime)``
instead: its routes, templates and static files stay as they were; barrierfree's
pages find their own templates and static files beside them (:mod:`.mount`).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from barrierfree.log import protect_server_logs
from barrierfree.onboarding.storage import upgrade
from barrierfree.runtime import Runtime
from barrierfree.settings import Settings, get_settings
from barrierfree.web import i18n, json_provider, limits, mount, pages, problems, security, sign_language, startup


def create_app(settings: Settings | None = None, *, demo_base_url: str | None = None,
               runtime: Runtime | None = None) -> Flask:
    """Build the app for ``runtime``, or for ``settings`` (the environment's when both are omitted).

    ``demo_base_url`` is for ``barrierfree demo`` only: missing secrets are then
    generated (see :func:`startup.with_demo_secrets`) and the base URL defaults to it.
    Anywhere else a missing secret stops the start with a :class:`BadInput` naming it.
    """
    generated: list[str] = []
    if runtime is None:
        settings = settings or get_settings()
        if demo_base_url is not None:
            settings, generated = startup.with_demo_secrets(settings, demo_base_url)
        runtime = Runtime.from_settings(settings)
    app = Flask(__name__)
    app.extensions["barrierfree.generated_secrets"] = generated
    init_app(app, runtime)
    return app


def init_app(app: Flask, runtime: Runtime) -> Flask:
    """Mount barrierfree's blueprints, error documents, security headers and limits on ``app``.

    ``app`` may be a bank's own: a ``SECRET_KEY``, ``MAX_CONTENT_LENGTH`` or
    ``TRUSTED_HOSTS`` it already set is kept (barrierfree signs its own tokens
    with ``web.secret_key`` either way).
    """
    settings = runtime.settings
    startup.check_required(settings)
    startup.private_folder(settings.data_dir)
    app.config.update(
        SECRET_KEY=app.config.get("SECRET_KEY") or settings.web.secret_key,
        MAX_CONTENT_LENGTH=app.config.get("MAX_CONTENT_LENGTH") or settings.web.max_request_bytes,
        TRUSTED_HOSTS=app.config.get("TRUSTED_HOSTS") or startup.trusted_hosts(settings),
    )
    app.extensions.setdefault("barrierfree.generated_secrets", [])
    json_provider.register(app, settings.web.max_json_depth)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep documents in the order we build them
    app.extensions["barrierfree.runtime"] = runtime
    app.extensions["barrierfree.settings"] = settings
    protect_server_logs()  # gunicorn's access and error logs are redacted too

    startup.private_database(settings.resolved_database_url)
    upgrade(runtime.database)
    app.extensions["barrierfree.engine"] = runtime.database
    app.extensions["barrierfree.sessions"] = runtime.sessions

    problems.register(app)
    startup.register(app)
    security.register(app, settings)
    i18n.register(app)
    mount.register(app)
    app.register_blueprint(pages.blueprint)
    sign_language.register(app)
    from barrierfree.web import api, journey, staff

    api.register(app)
    journey.register(app)
    staff.register(app)
    limits.register(app)  # after every blueprint: it names their views
    app.before_request(json_provider.parse_json_bodies_first)  # after the limits: a refused body still counts
    return app


def settings_of(app: Flask) -> Settings:
    return app.extensions["barrierfree.settings"]


def new_session(app: Flask) -> Session:
    """A new ORM session on the app's database; close it when done."""
    return app.extensions["barrierfree.sessions"]()


def seed_demo(app: Flask) -> None:
    """Give the demo what it needs to show real data (each area adds its seeding here)."""
    sign_language.seed_demo(app)
