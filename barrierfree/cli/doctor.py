"""``barrierfree doctor``."""

from __future__ import annotations

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def doctor(as_json: bool) -> None:
    """Run each engine for real and print one line each; exit 3 when a required one fails."""
    from dataclasses import asdict

    from barrierfree.cli import emit_json
    from barrierfree.doctor import run_checks
    from barrierfree.settings import get_settings

    results = run_checks(get_settings())
    if as_json:
        emit_json([asdict(result) for result in results])
    else:
        for result in results:
            click.echo(f"{'ok  ' if result.ok else 'FAIL'} {result.name:<9} {result.detail} ({result.seconds:.2f} s)")
    if any(not result.ok and result.required for result in results):
        raise click.exceptions.Exit(3)


def register(group: click.Group) -> None:
    group.add_command(doctor)
