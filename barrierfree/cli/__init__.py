"""The ``barrierfree`` command line: a stable contract that scripts call.

Each area adds its commands in a module of its own, listed in :data:`COMMAND_MODULES`;
each such module exposes ``register(group)``. ``--json`` prints one JSON
document on stdout and nothing else there. Errors print one readable line on
stderr and exit non-zero: 2 for bad input, 3 for an engine that cannot run, 1 for a bug.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import click

from barrierfree import __version__, log
from barrierfree.errors import BarrierFreeError

#: Modules under barrierfree.cli that add commands.
COMMAND_MODULES = ("doctor", "web", "scheduler", "journey", "ocr", "guide", "speak", "face")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="barrierfree")
def cli() -> None:
    """Offline, accessible eKYC: guided face liveness, face match and ID-card reading."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"barrierfree.cli.{_name}").register(cli)


def runtime():  # noqa: ANN201 - barrierfree.runtime.Runtime (imported late: `--help` loads no engine)
    """The runtime of the environment's settings: each command builds its engines here and nowhere else."""
    from barrierfree.runtime import Runtime
    from barrierfree.settings import get_settings

    return Runtime.from_settings(get_settings())


def emit_json(document: Any) -> None:
    """Print one JSON document (UTF-8, Chinese kept readable) on stdout."""
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the group and turns errors into one line and an exit status."""
    from barrierfree.settings import get_settings

    try:
        log.configure(get_settings().log_level)
        # Without standalone mode click *returns* a command's exit status
        # (raise click.exceptions.Exit(n)) instead of calling sys.exit.
        status = cli.main(args=argv, prog_name="barrierfree", standalone_mode=False)
    except BarrierFreeError as error:
        click.echo(f"barrierfree: {error.detail}", err=True)
        return error.exit_code
    except click.exceptions.Exit as done:
        return int(done.exit_code or 0)
    except click.ClickException as error:
        click.echo(f"barrierfree: {error.format_message()}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("barrierfree: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        return 130
    return status if isinstance(status, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
