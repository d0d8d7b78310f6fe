"""The event store on PostgreSQL + PostGIS, for a team sharing one database.

Why a subclass of ``SQLiteStore``: the behaviour (validation, dedup, merging, audit,
derived columns, the frame) must be identical on both backends, so the write and read
logic exists once; the SQL there is portable, and this module supplies what differs:

* the connection (psycopg 3), with ``?`` rewritten to ``%s`` (``build_where`` and the
  shared statements use ``?``; nothing here has a literal ``?`` or ``%``);
* transactions: every write is one transaction that first takes a transaction-level
  advisory lock, so writers are serialised exactly like SQLite's single writer and two
  concurrent ingests cannot both miss a duplicate; ``lock_timeout`` (the
  ``sqlite_timeout`` setting) turns a long wait into ``StoreLockedError``;
* the schema: the SQLite migrations translated (``TEXT COLLATE "C"`` so ordering matches
  SQLite's byte order, ``DOUBLE PRECISION``, ``BIGSERIAL`` ids) plus a ``geom``
  point column in EPSG:4326, kept in step by a trigger, with a GiST index for GIS
  clients (QGIS reads the table directly) and bounding-box lookups.

Dates stay ISO text as in SQLite, so the window test and ordering are the same.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from geo.core import settings
from geo.core.errors import ConfigurationError, SchemaError, StoreError, StoreLockedError
from geo.core.records import Event
from geo.store.schema import LATEST_VERSION, MIGRATIONS, _statements, span_days, utc_now
from geo.store.sqlite import SQLiteStore, _insert_row, _mentions_json

try:  # psycopg is needed only for PostgreSQL URLs
    import psycopg
    from psycopg import errors as pg_errors
except ImportError:  # pragma: no cover - exercised only without the dependency
    psycopg = None  # type: ignore[assignment]

#: Key of the advisory lock every write transaction takes (any constant bigint).
WRITE_LOCK_KEY = 0x6765_6f5f_7374_6f72 & 0x7FFF_FFFF_FFFF_FFFF   # "geo_stor"

log = logging.getLogger(__name__)

#: A bulk write of at least this many events refreshes the planner statistics of
#: ``events`` (``ANALYZE``) once committed: autovacuum would do it only later, and until
#: then the date-window query can get a plan made for a much smaller table.
ANALYZE_MIN_ROWS = 10_000

#: Session ``work_mem`` (per sort or hash, see ``PostGISStore.__init__``).
WORK_MEM = "32MB"

#: PostGIS additions per schema version (applied after that version's tables).
POSTGIS_EXTRAS: dict[int, str] = {1: """
ALTER TABLE events ADD COLUMN geom geometry(Point, 4326);
CREATE INDEX events_geom ON events USING GIST (geom);
CREATE FUNCTION events_set_geom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.latitude IS NULL OR NEW.longitude IS NULL THEN
        NEW.geom := NULL;
    ELSE
        NEW.geom := ST_SetSRID(ST_MakePoint(NEW.longitude, NEW.latitude), 4326);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER events_geom BEFORE INSERT OR UPDATE OF latitude, longitude ON events
    FOR EACH ROW EXECUTE FUNCTION events_set_geom();
"""}


def to_postgres(sqlite_sql: str) -> str:
    """A SQLite migration script in PostgreSQL: types only; the statements are portable."""
    sql = re.sub(r"\bINTEGER PRIMARY KEY\b", "BIGSERIAL PRIMARY KEY", sqlite_sql)
    sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
    sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
    return re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', sql)


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


@lru_cache(maxsize=256)
def _pg_sql(sql: str) -> str:
    return sql.replace("?", "%s")


class _Connection:
    """The few ``sqlite3.Connection`` methods the shared store code calls, on psycopg."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Iterable[Any] = ()) -> psycopg.Cursor:
        return self.raw.execute(_pg_sql(sql), tuple(params))

    def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> None:
        rows = [tuple(r) for r in seq]
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)

    def close(self) -> None:
        self.raw.close()


def _span_of(values: tuple[Any, ...], columns: tuple[str, ...]) -> tuple[Any, Any]:
    """``(span_lo, span_hi)`` of a row from ``_insert_row``."""
    return values[columns.index("span_lo")], values[columns.index("span_hi")]


def _is_locked(exc: BaseException) -> bool:
    return psycopg is not None and isinstance(
        exc, (pg_errors.LockNotAvailable, pg_errors.QueryCanceled,
              pg_errors.DeadlockDetected, pg_errors.SerializationFailure))


class PostGISStore(SQLiteStore):
    """``Store`` on PostgreSQL/PostGIS; see the module docstring."""

    _SPAN_DAYS_SQL = "(span_hi::date - span_lo::date)"

    def __init__(self, url: str, *, timeout: float | None = None) -> None:
        if psycopg is None:
            raise ConfigurationError(
                f"database URL {redact(url)!r} needs the psycopg package; install the "
                f"requirements (pip install -r requirements.txt)")
        self.url = redact(url)
        self.path = self.url          # messages name the database like a file
        self.timeout = float(settings.get("sqlite_timeout") if timeout is None else timeout)
        self._lock = threading.RLock()
        self.schema_version_found = 0
        try:
            raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {self.url}: "
                             f"{str(exc).strip()}") from exc
        self._conn = _Connection(raw)   # type: ignore[assignment]
        try:
            raw.execute(f"SET lock_timeout = {int(self.timeout * 1000)}")
            # JIT compilation pays off for long analytical queries, not for the store's:
            # the date-window query at 1,000,000 events spent ~60 ms compiling.
            raw.execute("SET jit = off")
            # The 1-month query at 1,000,000 events sorts ~12,000 rows x 30 columns
            # (~4 MB): with the default 4 MB it spilled to disk (an external merge).
            raw.execute(f"SET work_mem = '{WORK_MEM}'")
            self._setup()
        except BaseException:
            raw.close()
            raise

    # -- connection and transactions ----------------------------------------------------
    def _setup(self) -> None:
        with self._write("upgrading the database schema") as conn:
            self.schema_version_found = self._migrate(conn)
            self._ensure_span_bound(conn)

    def _migrate(self, conn: _Connection) -> int:
        """Same idea as ``schema.migrate``: versioned steps, refuse a newer database."""
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY "
                     "KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)")
        found = int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
                    .fetchone()[0])
        if found > LATEST_VERSION:
            raise SchemaError(
                f"{self.url}: database schema version {found} is newer than this program "
                f"understands (up to {LATEST_VERSION}); upgrade the program, or point "
                f"GEO_DATABASE_URL at another database. Nothing was changed.")
        for step in MIGRATIONS:
            if step.version <= found:
                continue
            for statement in _statements(to_postgres(step.sql)):
                conn.execute(statement)
            if step.version in POSTGIS_EXTRAS:
                conn.raw.execute(POSTGIS_EXTRAS[step.version])   # has $$ bodies: no split
            conn.execute("INSERT INTO schema_version (version, description, applied_at) "
                         "VALUES (?, ?, ?)", (step.version, step.description, utc_now()))
        return found

    def _translate(self, exc: BaseException, doing: str) -> StoreError:  # type: ignore[override]
        if _is_locked(exc):
            return StoreLockedError(
                f"{self.url}: the database is locked by another program (waited "
                f"{self.timeout:g} s while {doing}); nothing was written. Retry; "
                f"GEO_SQLITE_TIMEOUT sets how long to wait.")
        return StoreError(f"{self.url}: database error while {doing}: "
                          f"{str(exc).strip()}; nothing was written.")

    @contextmanager
    def _write(self, doing: str) -> Iterator[_Connection]:  # type: ignore[override]
        """One transaction holding the write lock from its first statement; rolled back
        on any error (psycopg's transaction block)."""
        with self._lock:
            self._span_bound_raised = -1
            try:
                with self._conn.raw.transaction():
                    try:
                        self._conn.raw.execute("SELECT pg_advisory_xact_lock(%s)",
                                               (WRITE_LOCK_KEY,))
                    except psycopg.Error as exc:
                        raise self._translate(exc, doing) from exc
                    yield self._conn
            except psycopg.Error as exc:
                raise self._translate(exc, doing) from exc

    # -- bulk writes ---------------------------------------------------------------------
    def _insert_events(self, conn: _Connection, events: list[Event]) -> int:  # type: ignore[override]
        """Bulk version of ``SQLiteStore._insert_events`` (same rows, same result).

        Why: one INSERT per event is one network round trip (~0.2 ms) plus the statement
        overhead, 20 s for 100,000 imported events. Here the rows go to a temporary table
        with one ``COPY`` and into ``events`` with one ``INSERT ... SELECT`` (the ``geom``
        trigger still fires per row), inside the caller's transaction; sources and
        evidence follow with pipelined ``executemany``. The first event of an id wins,
        as with sequential inserts; ``ON CONFLICT DO NOTHING`` skips ids already stored.
        """
        rows: dict[str, tuple[Event, tuple[Any, ...], list[str]]] = {}
        columns: tuple[str, ...] = ()
        for event in events:
            if event.event_id not in rows:
                columns, values, ids = _insert_row(event)
                rows[event.event_id] = (event, values, ids)
        if not rows:
            return 0
        raw = conn.raw
        names = ", ".join(columns)
        # Created and dropped inside the transaction: a failure rolls it away with the
        # rest, so no cleanup is needed (or possible, in an aborted transaction).
        raw.execute("CREATE TEMP TABLE geo_import_rows (LIKE events INCLUDING DEFAULTS) "
                    "ON COMMIT DROP")
        with raw.cursor() as cur:
            with cur.copy(f"COPY geo_import_rows ({names}) FROM STDIN") as copy:
                for _, values, _ in rows.values():
                    copy.write_row(values)
            inserted = {r[0] for r in cur.execute(
                f"INSERT INTO events ({names}) SELECT {names} FROM geo_import_rows "
                f"ON CONFLICT DO NOTHING RETURNING event_id").fetchall()}
        raw.execute("DROP TABLE geo_import_rows")
        self._raise_span_bound(conn, max(
            (d for eid in inserted
             if (d := span_days(*_span_of(rows[eid][1], columns))) is not None),
            default=None))
        sources = [(eid, aid, i) for eid in inserted for i, aid in enumerate(rows[eid][2])]
        conn.executemany("INSERT INTO event_sources (event_id, article_id, position) "
                         "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", sources)
        evidence = [(eid, ev.article_id, ev.sentence, int(ev.sentence_start),
                     _mentions_json(ev.mentions), ev.source_file)
                    for eid in inserted for ev in rows[eid][0].evidence]
        conn.executemany("INSERT INTO evidence (event_id, article_id, sentence, "
                         "sentence_start, mentions, source_file) VALUES (?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT DO NOTHING", evidence)
        return len(inserted)

    def _after_bulk_write(self, rows_written: int) -> None:
        """``ANALYZE events`` after a large committed bulk write (see
        ``ANALYZE_MIN_ROWS``). Outside the write transaction, so a failure here cannot
        undo the import; it only leaves the statistics to autovacuum, hence a warning."""
        if rows_written < ANALYZE_MIN_ROWS:
            return
        with self._lock:
            try:
                self._conn.raw.execute("ANALYZE events")
            except psycopg.Error as exc:
                log.warning("%s: ANALYZE events after writing %d events failed (%s); "
                            "queries may be slow until autovacuum analyses the table",
                            self.url, rows_written, str(exc).strip())

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except psycopg.Error as exc:
                if _is_locked(exc):
                    raise StoreLockedError(f"{self.url}: the database is locked by another "
                                           f"program; could not read it ({exc})") from exc
                raise StoreError(f"{self.url}: cannot read the database: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @property
    def schema_version(self) -> int:
        rows = self._read("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        return int(rows[0][0])


__all__ = ["PostGISStore", "to_postgres", "redact"]
