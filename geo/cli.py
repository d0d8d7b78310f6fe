"""Command line: ``python -m geo COMMAND ...``; a thin shell over the package (click).

Each command parses its arguments, calls the package and returns. This module turns
failures into one line on stderr and an exit status: a ``GeoError`` (bad input, a store
problem) or an OS error (an unwritable folder, a full disk) exits 1, a usage error 2, an
interrupt 130. Anything else is a defect of the tool: one line says "internal error" and
names the command, the traceback goes to the log file (setting ``log_file``), and the
status is 1. No traceback reaches a user.

Start-up is kept cheap: click, logging and every command's module are imported only when
a command runs through click, and a command may offer a **quick path** (``QUICK``) that
answers its plainest form from what is kept on disk before any of that is imported
(``python -m geo control --date D`` once its day is kept: most of its ~0.1 s was Python
start and imports).
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from geo.core.errors import GeoError

if TYPE_CHECKING:
    import logging

    import click

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


#: Command name -> "module:function" of its quick path: given the command's arguments,
#: it returns the answer's writer when it can answer them from what is kept, without
#: click (the parsing) or the command's module, else None (then the command runs as
#: usual and decides everything: messages, errors, what to work out). It never
#: writes or logs, and a ``GeoError`` it meets (a setting that is not valid) only
#: means the same None; the writer only writes.
QUICK: dict[str, str] = {
    "control": "geo.commands.control_quick:quick_answer",
}

#: What a quick path's writer does (write the answer) and returns (the exit status).
Writer = Callable[[], int]


def build_cli() -> click.Group:
    """The ``python -m geo`` command group."""
    import click

    class LazyGroup(click.Group):
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

    return LazyGroup(
        "geo", help="Turn news articles into dated, geocoded, force-attributed events.",
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    _printable_output()
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        writer, failure = _quick_path(args)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    if writer is not None:
        return _write_quick(writer)
    import logging

    log = logging.getLogger("geo")
    handler, where = _log_handler()
    log.addHandler(handler)
    try:
        if failure is not None:      # a defect of the quick path: the command answers
            log.error("quick path of command %r failed; answered the usual way",
                      _command_name(args), exc_info=failure)
        return _run(args, where)
    finally:
        log.removeHandler(handler)
        handler.close()


def _quick_path(args: list[str]) -> tuple[Writer | None, Exception | None]:
    """The writer of the command's quick answer (``QUICK``), if it has one for ``args``;
    else None, with the exception if the quick path itself failed (a defect: logged,
    and the command answers the usual way)."""
    target = QUICK.get(args[0]) if args else None
    if target is None:
        return None, None
    module, attribute = target.split(":")
    try:
        quick: Callable[[list[str]], Writer | None] = getattr(
            importlib.import_module(module), attribute)
        return quick(args[1:]), None
    except GeoError:              # e.g. a setting that cannot work: the command says so
        return None, None
    except Exception as exc:
        return None, exc


def _write_quick(writer: Writer) -> int:
    """Run a quick answer's writer with the command line's handling of the errors
    writing can meet (a closed pipe, a full disk, an interrupt)."""
    try:
        return writer()
    except BrokenPipeError:
        return 0
    except OSError as exc:
        sys.stderr.write(f"error: {_os_error(exc)}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130


def _os_error(exc: OSError) -> str:
    """An OS error as one line naming the file (``No space left on device: out.json``)."""
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def _run(args: list[str], log_where: str) -> int:
    import logging

    import click

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
        click.echo(f"error: {_os_error(exc)}", err=True)
        return 1
    except Exception as exc:
        # A defect of the tool, not bad input: the traceback to the log, one line here.
        command = _command_name(args)
        logging.getLogger("geo").error("internal error in command %r", command,
                                       exc_info=exc)
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
    import logging
    import os
    from pathlib import Path

    from geo.core import settings

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
