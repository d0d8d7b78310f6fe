"""Command line: ``python -m geo COMMAND ...``; a thin shell over the package (click).

Each command parses its arguments, calls the package and returns. This module turns
failures into one line on stderr and an exit status: a ``GeoError`` (bad input, a store
problem) or an OS error (an unwritable folder, a full disk) exits 1, a usage error 2, an
interrupt 130. No traceback reaches a user.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from geo.commands.control import control_command
from geo.commands.db import db_command
from geo.commands.export import export_command
from geo.commands.extract import extract_command
from geo.commands.geocode import geocode_command
from geo.commands.importer import import_command
from geo.commands.ingest import ingest_command
from geo.commands.places import places_command
from geo.commands.settings_cmd import settings_command
from geo.commands.snapshot import series_command, snapshot_command
from geo.core.errors import GeoError

COMMANDS: tuple[click.Command, ...] = (
    settings_command, export_command, db_command, extract_command, ingest_command,
    geocode_command, control_command, import_command, places_command, snapshot_command,
    series_command,
)


def build_cli() -> click.Group:
    """The ``python -m geo`` command group."""
    group = click.Group(
        "geo", help="Turn news articles into dated, geocoded, force-attributed events.",
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
    for command in COMMANDS:
        group.add_command(command)
    return group


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    _printable_output()
    try:
        status = build_cli().main(args=list(argv) if argv is not None else None,
                                  prog_name="python -m geo", standalone_mode=False)
        return status if isinstance(status, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except GeoError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    except (KeyboardInterrupt, click.Abort):
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"error: {exc.strerror or exc}{where}", err=True)
        return 1


def _printable_output() -> None:
    """Standard output and error that can print any file name: bytes of a name that are
    not UTF-8 (kept by Python as lone surrogates) are written as ``\\xNN`` escapes
    instead of failing with UnicodeEncodeError half way through a report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
