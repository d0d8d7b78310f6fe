"""The quick path of ``python -m geo control --date D`` (see ``geo.cli.QUICK``): the
day's map read from the store's book of change points (``geo.control.daybook``) before
click, logging or the command's module are imported.

Why: once a day's change point is kept, the answer itself takes ~20 ms, and Python's
start plus the full command line's imports took ~60 ms more: the issue asks for the
whole command under 100 ms at 5,000 places. Only the plain form is answered here
(``--date`` with ``--database``/``--db`` and ``--no-curated``, in any order, ``--opt
value`` or ``--opt=value``); anything else, anything not kept yet and anything wrong
(a bad date, a missing file, a PostgreSQL store, a setting that is not valid) goes
to the command itself (``geo.commands.control``), which answers or says what is
wrong. The output is the command's, byte for byte.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date

#: Options taking a value -> the name they fill (the command's spellings).
_VALUED = {"--date": "day", "--database": "database", "--db": "database"}
#: Flags -> the name they set.
_FLAGS = {"--no-curated": "no_curated"}


def parse(args: list[str]) -> dict[str, str | bool] | None:
    """The plain form's options, or None when ``args`` are anything else (or an option
    is given twice: the command decides what that means)."""
    found: dict[str, str | bool] = {}
    rest = iter(args)
    for arg in rest:
        name, eq, value = arg.partition("=")
        if name in _VALUED:
            if not eq:
                value = next(rest, "")
                if not value or value.startswith("-"):
                    return None
            key: str = _VALUED[name]
            found_value: str | bool = value
        elif arg in _FLAGS:
            key, found_value = _FLAGS[arg], True
        else:
            return None
        if key in found:
            return None
        found[key] = found_value
    return found if "day" in found else None


def quick_answer(args: list[str]) -> Callable[[], int] | None:
    """The writer of the kept answer to ``control ARGS``, or None (see the module
    docstring)."""
    options = parse(args)
    if options is None:
        return None
    try:
        day = date.fromisoformat(str(options["day"]).strip())   # as ISO_DATE reads it
    except ValueError:
        return None
    from geo.control import cache, daybook
    from geo.core import settings
    from geo.store import peek_events_version

    for setting in settings.SETTINGS.values():
        setting.value()     # an invalid one raises: the command says which (geo.cli)

    database = options.get("database")
    peeked = peek_events_version(database if isinstance(database, str) else None)
    if peeked is None:
        return None
    path, version = peeked
    key = cache.key_of(cache.sqlite_identity(path), version,
                       curated=not options.get("no_curated", False))
    answer = daybook.read_answer(key, day, quiet=True)
    if answer is None:
        return None
    parts, warnings = answer

    def write() -> int:
        write_out(parts)
        for problem in warnings:
            sys.stderr.write(f"warning: {problem}\n")
        return 0

    return write


def write_out(parts: list[bytes]) -> None:
    """``parts`` to stdout one after the other (megabytes at thousands of places), in
    one write: ~10,000 small parts through the buffer took longer than joining them."""
    sys.stdout.flush()
    data = b"".join(parts)
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:                      # a text-only stream (an embedding program)
        sys.stdout.write(data.decode("utf-8"))
        return
    binary.write(data)
    binary.flush()
