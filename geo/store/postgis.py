"""The PostgreSQL + PostGIS backend, for a team sharing one database.

What differs from SQLite (everything else is ``SQLStore``'s, identical on both):

* the connection (psycopg 3, autocommit; ``%s`` parameter markers), with
  ``lock_timeout`` = the ``sqlite_timeout`` setting, JIT off and a larger ``work_mem``;
* the write lock: every write transaction first takes a transaction-level advisory lock,
  so writers are serialised exactly like SQLite's single writer and two concurrent
  ingests cannot both miss a duplicate;
* column types (``TEXT COLLATE "C"`` so ordering matches SQLite's byte order, ``DOUBLE
  PRECISION``, ``BIGINT``, ``BIGSERIAL`` ids) plus a ``geom`` point column in EPSG:4326,
  kept in step by a trigger, with a GiST index for GIS clients (QGIS reads the table
  directly) and bounding-box lookups;
* the bulk insert: one ``COPY`` into a temporary table and one ``INSERT ... SELECT``.

Dates stay ISO text as in SQLite, so the window test and ordering are the same.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from geo.core.errors import ConfigurationError, StoreError
from geo.core.settings import redact
from geo.store.backend import lock_timeout
from geo.store.schema import Dialect
from geo.store.sql import SQLStore

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

#: Session ``work_mem`` (per sort or hash): the 1-month query at 1,000,000 events sorts
#: ~12,000 rows x 30 columns (~4 MB); with the default 4 MB it spilled to disk.
WORK_MEM = "32MB"

#: PostGIS additions per schema version (run after that version's own statements).
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

DIALECT = Dialect(
    name="postgis",
    placeholder="%s",
    types={"TEXT": 'TEXT COLLATE "C"', "REAL": "DOUBLE PRECISION", "INTEGER": "BIGINT",
           "ID": "BIGSERIAL PRIMARY KEY"},
    span_days_sql="(span_hi::date - span_lo::date)",
    table_exists_sql="SELECT 1 FROM information_schema.tables WHERE table_name = %s "
                     "AND table_schema = current_schema()",
    prelude=("CREATE EXTENSION IF NOT EXISTS postgis",),
    extras=POSTGIS_EXTRAS,
)


class PostGISBackend:
    """``Backend`` on a PostgreSQL/PostGIS database (see the module docstring)."""

    dialect = DIALECT

    def __init__(self, url: str, *, timeout: float | None = None,
                 read_only: bool = False) -> None:
        if psycopg is None:
            raise ConfigurationError(
                f"database URL {redact(url)!r} needs the psycopg package; install the "
                f"requirements (pip install -r requirements.txt)")
        self._dsn = url
        self.url = redact(url)
        self.location = self.url          # messages name the database like a file
        self.timeout = lock_timeout() if timeout is None else float(timeout)
        self.read_only = read_only
        self.errors: tuple[type[BaseException], ...] = (psycopg.Error,)

    def connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self._dsn, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {self.url}: "
                             f"{str(exc).strip()}") from exc

    def configure(self, conn: psycopg.Connection) -> None:
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")
        conn.execute(f"SET lock_timeout = {int(self.timeout * 1000)}")
        # JIT compilation pays off for long analytical queries, not for the store's:
        # the date-window query at 1,000,000 events spent ~60 ms compiling.
        conn.execute("SET jit = off")
        conn.execute(f"SET work_mem = '{WORK_MEM}'")

    @contextmanager
    def transaction(self, conn: psycopg.Connection) -> Iterator[None]:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            yield

    def rows_changed(self, conn: psycopg.Connection) -> int:
        """This transaction's row changes in our own tables (temporary import tables are
        in another schema), from PostgreSQL's per-transaction statistics."""
        row = conn.execute(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables WHERE schemaname = current_schema()").fetchone()
        return int(row[0]) if row else 0

    def is_lock_conflict(self, exc: BaseException) -> bool:
        return isinstance(exc, (pg_errors.LockNotAvailable, pg_errors.QueryCanceled,
                                pg_errors.DeadlockDetected, pg_errors.SerializationFailure))

    def insert_new(self, conn: psycopg.Connection, table: str, columns: tuple[str, ...],
                   rows: list[tuple[Any, ...]], key: str) -> set[Any]:
        """One ``COPY`` into a temporary table and one ``INSERT ... SELECT ... ON CONFLICT
        DO NOTHING RETURNING`` (a trigger still fires per row).

        Why: one INSERT per row is one network round trip (~0.2 ms) plus the statement
        overhead, 20 s for 100,000 imported events. The temporary table is created and
        dropped inside the caller's transaction: a failure rolls it away with the rest,
        so no cleanup is needed (or possible, in an aborted transaction)."""
        names = ", ".join(columns)
        conn.execute(f"CREATE TEMP TABLE geo_import_rows (LIKE {table} INCLUDING DEFAULTS) "
                     f"ON COMMIT DROP")
        with conn.cursor() as cur:
            with cur.copy(f"COPY geo_import_rows ({names}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            inserted = {r[0] for r in cur.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM geo_import_rows "
                f"ON CONFLICT DO NOTHING RETURNING {key}").fetchall()}
        conn.execute("DROP TABLE geo_import_rows")
        return inserted

    def after_bulk_write(self, conn: psycopg.Connection, rows_written: int) -> None:
        """``ANALYZE events`` after a large committed bulk write (``ANALYZE_MIN_ROWS``).
        Outside the write transaction, so a failure here cannot undo the import; it only
        leaves the statistics to autovacuum, hence a warning."""
        if rows_written < ANALYZE_MIN_ROWS:
            return
        try:
            conn.execute("ANALYZE events")
        except psycopg.Error as exc:
            log.warning("%s: ANALYZE events after writing %d events failed (%s); "
                        "queries may be slow until autovacuum analyses the table",
                        self.url, rows_written, str(exc).strip())


class PostGISStore(SQLStore):
    """The store on PostgreSQL/PostGIS: ``SQLStore`` over ``PostGISBackend``."""

    def __init__(self, url: str, *, timeout: float | None = None,
                 read_only: bool = False) -> None:
        super().__init__(PostGISBackend(url, timeout=timeout, read_only=read_only))


__all__ = ["PostGISStore", "PostGISBackend", "DIALECT", "redact"]
