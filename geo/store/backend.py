"""What a SQL database must provide for ``geo.store.sql.SQLStore``: the backend protocol.

The store's behaviour (validation, deduplication, merging, audit, derived columns, the
frame) exists once, in ``SQLStore``; a backend supplies only what differs between
databases: opening a connection, a write transaction that holds the one write lock,
its dialect (parameter marker, column types, day arithmetic: ``schema.Dialect``),
which driver errors mean "another writer holds the lock", and a bulk insert.

Connections are DB-API 2.0 (``sqlite3``, ``psycopg``), in autocommit mode: the store
reads with single statements and writes only inside ``transaction``.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from geo.core import settings
from geo.store.schema import Dialect


def lock_timeout() -> float:
    """The ``sqlite_timeout`` setting: seconds a writer waits for the write lock."""
    return settings.get_float("sqlite_timeout")


class Backend(Protocol):
    """One kind of SQL database (see the module docstring)."""

    dialect: Dialect
    #: The database as ``Store.url`` shows it (never with a password).
    url: str
    #: Seconds a writer waits for another writer before ``StoreLockedError``.
    timeout: float
    #: Opened read-only: nothing is created, migrated or written.
    read_only: bool
    #: The driver's exception classes (translated into ``StoreError`` by the store).
    errors: tuple[type[BaseException], ...]

    @property
    def location(self) -> Path | str:
        """How messages name the database: the file (SQLite) or the URL."""

    def connect(self) -> Any:
        """A new autocommit DB-API connection; ``StoreError`` naming the database when it
        cannot be opened (a read-only open of a missing SQLite file included)."""

    def configure(self, conn: Any) -> None:
        """Session settings (pragmas, lock timeout); driver errors propagate."""

    def transaction(self, conn: Any) -> AbstractContextManager[None]:
        """One write transaction holding the database's write lock from its first
        statement (so two writers are serialised and a lock conflict surfaces before
        anything is done); committed on exit, rolled back on any exception."""

    def rows_changed(self, conn: Any) -> int:
        """Inside a write transaction: how many rows of our tables this connection has
        inserted, updated or deleted so far (it only grows). Compared before and after a
        write, it says whether the write changed anything: a re-ingested article does
        not, and must not move the events version."""

    def is_lock_conflict(self, exc: BaseException) -> bool:
        """Whether a driver error means another program holds a lock (worth retrying)."""

    def insert_new(self, conn: Any, table: str, columns: tuple[str, ...],
                   rows: list[tuple[Any, ...]], key: str) -> set[Any]:
        """Insert rows whose ``key`` is not stored yet (``ON CONFLICT DO NOTHING``), inside
        the caller's transaction; returns the keys inserted."""

    def after_bulk_write(self, conn: Any, rows_written: int) -> None:
        """Called outside any transaction after a bulk write committed (PostgreSQL
        refreshes planner statistics); must not raise."""
