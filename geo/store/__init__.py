"""The event store: ``open_store(url)`` gives the ``Store`` everything else talks to.

A SQLite file (one analyst) or a PostgreSQL/PostGIS database (``postgresql://...``,
a team) behind the same ``Store`` interface: one implementation, ``geo.store.sql.SQLStore``,
over a backend (``geo.store.sqlite``, ``geo.store.postgis``; the protocol is in
``geo.store.backend``), with the schema in ``schema``, row conversion in ``rows``, the
filter in ``query`` and the frame in ``frame``.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.core import settings
from geo.core.errors import ConfigurationError

if TYPE_CHECKING:
    from geo.store.base import IngestResult, Store
    from geo.store.query import EventFilter

__all__ = ["open_store", "parse_url", "Store", "IngestResult", "EventFilter"]

#: What the package re-exports, imported when first asked (``geo.store.Store``): the
#: command line's quick paths use ``parse_url`` and ``peek_events_version`` without the
#: store's classes and the records they import.
_LAZY = {"Store": "geo.store.base", "IngestResult": "geo.store.base",
         "EventFilter": "geo.store.query"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_ACCEPTED = ("a file path (/data/geo.sqlite), sqlite:///relative/path.sqlite, "
             "sqlite:////absolute/path.sqlite")


def parse_url(url: str) -> Path:
    """The SQLite file a database URL or path names, made absolute.

    Relative paths (plain or ``sqlite:///rel``) are the user's input and resolve against
    the current directory at the time of opening, like any command-line path; the
    bundled default (``geo.core.paths.DEFAULT_DATABASE_FILE``) is already absolute.
    Raises ``ConfigurationError`` for a PostgreSQL URL (not a file: ``open_store`` opens
    those) and anything else.
    """
    raw = (url or "").strip()
    if not raw or raw == ":memory:" or raw in ("sqlite://", "sqlite:///"):
        raise ConfigurationError(
            f"database URL {url!r} names no file (in-memory databases are not supported); "
            f"accepted forms: {_ACCEPTED}")
    match = _SCHEME.match(raw)
    if match and len(match.group(1)) > 1:          # one letter would be a Windows drive
        scheme = match.group(1).lower()
        if scheme.startswith("postgres"):
            raise ConfigurationError(
                f"database URL {url!r} is a PostgreSQL/PostGIS database, not a SQLite "
                f"file; open it with open_store (SQLite forms: {_ACCEPTED})")
        if scheme != "sqlite" or not raw[len("sqlite:"):].startswith("///"):
            raise ConfigurationError(
                f"database URL {url!r} is not understood; accepted forms: {_ACCEPTED}")
        raw = raw[len("sqlite:///"):].split("?", 1)[0]
        if not raw:
            raise ConfigurationError(f"database URL {url!r} names no file; accepted "
                                     f"forms: {_ACCEPTED}")
    path = Path(raw).expanduser()
    path = path if path.is_absolute() else Path.cwd() / path
    if path.is_dir():
        raise ConfigurationError(f"database URL {url!r} names a folder ({path}), not a "
                                 f"file; accepted forms: {_ACCEPTED}")
    return path


def open_store(url: str | None = None, *, read_only: bool = False) -> Store:
    """Open (creating file, folder and schema as needed) the store at ``url``; ``None``
    means the ``database_url`` setting (``GEO_DATABASE_URL``). ``postgresql://`` and
    ``postgres://`` URLs open a PostGIS store (the database must exist; the PostGIS
    extension and tables are created if missing).

    ``read_only`` (commands and pages that only read): nothing is created, upgraded or
    written, and opening never waits for another program's write; a path or database
    that holds no event database of this program is a ``StoreError`` saying so."""
    raw = (settings.database_url() if url is None else url).strip()
    if raw.lower().startswith(("postgresql://", "postgres://")):
        from geo.store.postgis import PostGISStore  # psycopg only when needed

        return PostGISStore(raw, read_only=read_only)
    from geo.store.sqlite import SQLiteStore  # keeps `import geo.store` light

    return SQLiteStore(parse_url(raw), read_only=read_only)


def peek_events_version(url: str | None = None) -> tuple[Path, int] | None:
    """The SQLite file of the store at ``url`` (``None``: the ``database_url`` setting)
    and its events version (``Store.events_version``: what every kept control answer is
    keyed by), read without opening it as a ``Store`` (no schema check, nothing
    written), for the command line's quick paths; None when that cannot be done cheaply
    (a PostgreSQL URL, a file that is missing or not an event database of this
    program): the caller then opens the store as usual, which says what is wrong."""
    import sqlite3

    from geo.store.schema import EVENTS_VERSION_KEY

    raw = (settings.database_url() if url is None else url).strip()
    if raw.lower().startswith(("postgresql://", "postgres://")):
        return None
    try:
        path = parse_url(raw)
        if not path.is_file():
            return None
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM store_meta WHERE key = ?",
                               (EVENTS_VERSION_KEY,)).fetchone()
        finally:
            conn.close()
    except (ConfigurationError, OSError, sqlite3.Error, ValueError):
        return None
    return (path, int(row[0])) if row else None

