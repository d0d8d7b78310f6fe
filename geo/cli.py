"""Command line: ``python -m geo COMMAND ...``; a thin shell over the package (click).

Each command parses its arguments, calls the package and returns. This module turns
failures into one line on stderr and an exit status: a ``GeoError`` (bad input, a store
problem) or an OS error (an unwritable folder, a full disk) exits 1, a usage error 2, an
interrupt 130. Anything else is a defect of the tool: one line says "internal error" and
names the command, the traceback goes to the log file (setting ``log_file``), and the
status is 1. No traceback reaches a user.
"""
from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from geo.core import settings
from geo.core.errors import GeoError

log = logging.getLogger("geo")

#: Command name -> "module:attribute". A command's module, and what it needs (pandas,
#: the extraction pipeline, the store's frames), is imported only when that command
#: runs: ``python -m geo control`` answering from its kept output must not spend a
#: second importing what it does not use.
COMMANDS: dict[str, str] = {
    "settings": "geo.commands.settings_cmd:settings_command",
    "export": "geo.commands.export:export_command",
    "db": "geo.commands.db:db_command",
    "extract": "geo.commands.extract:extract_command",
    "ingest": "geo.commands.ingest:ingest_command",
    "geocode": "geo.commands.geocode:geocode_command",
    "control": "geo.commands.control:control_command",
    "import": "geo.commands.importer:import_command",
    "places": "geo.commands.places:places_command",
    "snapshot": "geo.commands.snapshot:snapshot_command",
    "series": "geo.commands.snapshot:series_command",
}


class _LazyGroup(click.Group):
    """A group that imports a command's module when the command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command), target
        return command


def build_cli() -> click.Group:
    """The ``python -m geo`` command group."""
    return _LazyGroup(
        "geo", help="Turn news articles into dated, geocoded, force-attributed events.",
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    _printable_output()
    args = list(argv) if argv is not None else sys.argv[1:]
    handler, where = _log_handler()
    log.addHandler(handler)
    try:
        return _run(args, where)
    finally:
        log.removeHandler(handler)
        handler.close()


def _run(args: list[str], log_where: str) -> int:
    try:
        status = build_cli().main(args=args, prog_name="python -m geo",
                                  standalone_mode=False)
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
    except Exception as exc:
        # A defect of the tool, not bad input: the traceback to the log, one line here.
        command = _command_name(args)
        log.error("internal error in command %r", command, exc_info=exc)
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        click.echo(f"internal error in 'geo {command}': {detail} (a defect of the tool, "
                   f"not of your input; details in {log_where})", err=True)
        return 1


def _command_name(args: Sequence[str]) -> str:
    """The command the arguments name (``ingest``), for the message."""
    return next((a for a in args if a in COMMANDS), "?")


def _log_handler() -> tuple[logging.Handler, str]:
    """Where the package's log goes during a command: the ``log_file`` setting's file
    (opened only if something is logged), so an unexpected error's traceback (the
    command's, or one article's in a batch) is kept for whoever maintains the tool and
    never printed on the user's screen. Also says where, for messages."""
    try:
        path = Path(str(settings.get("log_file"))).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path if path.exists() else path.parent, os.W_OK):
            raise PermissionError(path)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except (GeoError, OSError):
        return logging.NullHandler(), "no log file (the log_file setting cannot be written)"
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    return handler, str(path)


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
