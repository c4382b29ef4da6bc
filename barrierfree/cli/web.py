"""``barrierfree demo``, ``barrierfree serve`` and ``barrierfree db upgrade``."""

from __future__ import annotations

import click


def _prepare(demo_base_url: str | None = None):  # noqa: ANN202 - returns the Flask app
    from barrierfree.web import create_app

    return create_app(demo_base_url=demo_base_url)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Serve the demo app (embedded SQLite unless BARRIERFREE_DATABASE_URL says otherwise).

    The demo is the one command that runs with generated secrets; it says which.
    """
    app = _prepare(f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}")
    generated = app.extensions["barrierfree.generated_secrets"]
    data_dir = app.extensions["barrierfree.settings"].data_dir
    if generated:
        click.echo(f"barrierfree demo: DEMO SECURITY - generated {', '.join(generated)} (kept in {data_dir}); "
                   "never use this outside a demo.", err=True)
    from barrierfree.web.app import seed_demo

    seed_demo(app)
    from barrierfree.web.sign_language import start_demo_ticker

    start_demo_ticker(app)  # due reminders go out in the demo too; a separate `scheduler ticker` never double-sends
    click.echo(f"barrierfree demo on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    if generated:  # where the demo's own credentials are, never the credentials themselves (they would reach logs)
        click.echo(f"  agent console: http://{host}:{port}/sign-language/agent/sign-in with the token in {data_dir / 'agent-token'}; "
                   f"staff reviews: http://{host}:{port}/staff/reviews with the token in {data_dir / 'staff-token'}", err=True)
    app.run(host=host, port=port, threaded=True)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the JSON API and pages (use gunicorn 'barrierfree.web:create_app()' in production).

    Refuses to start, naming each one, until every secret is configured (see the README).
    """
    app = _prepare()
    click.echo(f"barrierfree API on http://{host}:{port}/", err=True)
    app.run(host=host, port=port, threaded=True)


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    from barrierfree.cli import runtime
    from barrierfree.onboarding.storage import upgrade

    upgrade(runtime().database)
    click.echo("database schema is up to date", err=True)


def register(group: click.Group) -> None:
    group.add_command(demo)
    group.add_command(serve)
    group.add_command(db)
