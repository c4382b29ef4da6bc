"""The Flask app factory.

``create_app()`` reads the settings, refuses to start without its secrets
(only the demo generates them: :mod:`barrierfree.web.startup`), opens the
database and brings its schema up to date, installs the encryption keyring,
maps errors to RFC 9457 problem documents, sets the security headers,
registers each area's blueprint and puts the rate limits over all of them.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from barrierfree.log import protect_server_logs
from barrierfree.onboarding.storage import make_engine, make_session_factory, upgrade
from barrierfree.onboarding.storage.crypto import KeyRing, set_keyring
from barrierfree.settings import Settings, get_settings
from barrierfree.web import i18n, json_provider, limits, pages, problems, security, sign_language, startup


def create_app(settings: Settings | None = None, *, demo_base_url: str | None = None) -> Flask:
    """Build the app for ``settings`` (the environment's when omitted).

    ``demo_base_url`` is for ``barrierfree demo`` only: missing secrets are then
    generated (see :func:`startup.with_demo_secrets`) and the base URL defaults to it.
    Anywhere else a missing secret stops the start with a :class:`BadInput` naming it.
    """
    settings = settings or get_settings()
    generated: list[str] = []
    if demo_base_url is not None:
        settings, generated = startup.with_demo_secrets(settings, demo_base_url)
    startup.check_required(settings)
    startup.private_folder(settings.data_dir)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.web.secret_key,
        MAX_CONTENT_LENGTH=settings.web.max_request_bytes,
        TRUSTED_HOSTS=startup.trusted_hosts(settings),
    )
    app.extensions["barrierfree.generated_secrets"] = generated
    json_provider.register(app, settings.web.max_json_depth)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep documents in the order we build them
    app.extensions["barrierfree.settings"] = settings
    protect_server_logs()  # gunicorn's access and error logs are redacted too

    set_keyring(KeyRing.from_spec(settings.encryption_keys))
    startup.private_database(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    app.extensions["barrierfree.engine"] = engine
    app.extensions["barrierfree.sessions"] = make_session_factory(engine)

    problems.register(app)
    startup.register(app)
    security.register(app, settings)
    i18n.register(app)
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
