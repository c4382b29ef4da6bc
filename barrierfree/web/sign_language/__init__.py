"""The sign-language scheduler on the web: the JSON API (customers' and agents') and the pages.

``register(app)`` adds the four blueprints; the app factory calls it.
"""

from __future__ import annotations

from flask import Flask

from barrierfree.web.sign_language import access_pages, agents_api, api, pages


def register(app: Flask) -> None:
    app.register_blueprint(api.blueprint)
    app.register_blueprint(agents_api.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(access_pages.blueprint)


def seed_demo(app: Flask) -> None:
    """Seed the demo agents and schedules into the app's database (idempotent)."""
    from barrierfree.onboarding.scheduler.demo import seed_demo as seed
    from barrierfree.onboarding.scheduler.txn import write_session

    with write_session(app.extensions["barrierfree.sessions"]) as session:
        seed(session)


def start_demo_ticker(app: Flask):  # noqa: ANN201 - a reminders.BackgroundTicker
    """Send the demo's due confirmations and reminders from a background thread (the demo only).

    It claims messages like ``barrierfree scheduler ticker`` does, so running
    that as well never sends a message twice.
    """
    return app.extensions["barrierfree.runtime"].start_scheduler_ticker()
