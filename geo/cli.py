"""Command line: ``python -m geo COMMAND ...``; a thin shell over the package.

Each command parses its arguments, calls one function of ``geo`` and turns ``GeoError``
into a one-line message on stderr with exit status 1 (2 for usage errors). No tracebacks
for user errors.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from geo.errors import GeoError

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Handler, str]] = {}


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """A command that takes no arguments."""


def command(name: str, help: str,
            configure: Callable[[argparse.ArgumentParser], None] = _no_arguments) -> Callable:
    """Register a command: ``configure(parser)`` adds its arguments, the decorated function
    runs it and returns the exit status."""
    def wrap(run: Handler) -> Handler:
        _COMMANDS[name] = (configure, run, help)
        return run
    return wrap


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Turn news articles into dated, geocoded, force-attributed events.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (configure, _, help_text) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Importing the command modules registers them (kept out of module import time).
    from geo import commands  # noqa: F401

    parser = build_parser()
    args = parser.parse_args(argv)
    _, handler, _ = _COMMANDS[args.command]
    try:
        return handler(args)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
