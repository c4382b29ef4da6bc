"""``barrierfree journey purge``: apply the retention periods of images and abandoned journeys."""

from __future__ import annotations

from dataclasses import asdict

import click


@click.group()
def journey() -> None:
    """Account-opening journeys."""


@journey.command("purge")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def purge_command(as_json: bool) -> None:
    """Delete kept images past their retention and unfinished journeys past theirs."""
    from barrierfree.cli import emit_json, runtime
    from barrierfree.onboarding.journey.purge import purge
    from barrierfree.onboarding.storage import upgrade
    from barrierfree.onboarding.storage.models import utcnow

    engines = runtime()
    upgrade(engines.database)
    report = purge(engines.database, engines.settings.onboarding, utcnow())
    if as_json:
        emit_json(asdict(report))
    else:
        click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in asdict(report).items()))


def register(group: click.Group) -> None:
    group.add_command(journey)
