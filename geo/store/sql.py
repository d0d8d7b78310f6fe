"""The one SQL implementation of ``Store``, over a backend (SQLite file or PostGIS server).

Why one class over a small backend protocol (``geo.store.backend``) rather than a
PostGIS subclass of the SQLite store: the behaviour (validation, dedup, merging, audit,
derived columns, the frame) must be identical on both databases, so it exists once,
here; what differs (connection, write lock, dialect, lock errors, bulk insert) is the
backend's. Every statement is built with the backend's parameter marker
(``dialect.placeholder``), the same mechanism ``query.build_where`` uses.

Guarantees: every write runs in one transaction that holds the database's write lock
from its first statement (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a transaction-level
advisory lock), so writers are serialised and two concurrent ingests cannot both miss a
duplicate; any error rolls the transaction back, so a failed ingest or edit leaves the
database exactly as it was. A writer waits for another's lock up to ``timeout`` (the
``sqlite_timeout`` setting, both backends), retrying quick conflicts with backoff; only
then ``StoreLockedError``. Reading takes no lock (SQLite WAL, PostgreSQL MVCC), and
opening a database whose schema is current takes none either; a store opened
``read_only`` never writes, creates or upgrades anything. Every analyst change is audited
under one ``change_id`` with its author and can be undone exactly (``undo_change``).
The connection is shared between threads (Streamlit reruns scripts on other threads) and
serialised by a lock.
"""
from __future__ import annotations

import json
import math
import random
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from geo.core import dedup, settings, validate
from geo.core.errors import InputError, SchemaError, StoreError, StoreLockedError
from geo.core.records import (
    EVENT_FIELDS,
    Article,
    Event,
    Evidence,
    Holding,
    Mention,
    Place,
    ReviewStatus,
)
from geo.core.theatre import haversine_km
from geo.store import holding_review as HR
from geo.store import rows as R
from geo.store import schema
from geo.store.backend import Backend
from geo.store.base import ImportOutcome, IngestResult, Progress, Store
from geo.store.query import EventFilter, build_where
from geo.store.schema import (
    EVENTS_VERSION_KEY,
    MAX_SPAN_DAYS_KEY,
    SPAN_OPEN_HI,
    SPAN_OPEN_LO,
    span,
    span_days,
)

if TYPE_CHECKING:
    import geopandas as gpd

T = TypeVar("T")

#: Ids per ``IN (...)`` lookup: well under SQLite's 32,766 host parameters.
_ID_CHUNK = 500
_KM_PER_DEGREE = 111.2

#: Fields a newer version of a dataset's row may change on the stored event (not its id,
#: its review status, its origin, nor the confidence that merged reports raised).
_DATASET_FIELDS: tuple[str, ...] = tuple(
    f for f in EVENT_FIELDS if f not in ("event_id", "confidence", "review_status", "origin"))


def _name_key(name: str) -> str:
    """The key a confirmation is stored under: the geocoder's cleaned, folded name."""
    from geo.geocode.normalize import exact_key
    from geo.geocode.query import clean_text
    key = exact_key(clean_text(name)) if isinstance(name, str) else ""
    if not key:
        raise InputError(f"cannot confirm {name!r}: not a place name", field="name")
    return key


class SQLStore(Store):
    """``Store`` on a SQL database through a ``Backend``; see the module docstring."""

    #: Longest finite interval this write transaction already put into ``store_meta``.
    _span_bound_raised = -1

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.dialect = backend.dialect
        self.placeholder = backend.dialect.placeholder
        self.url = backend.url
        self.path = backend.location          # messages name the database by it
        self.timeout = backend.timeout
        self.read_only = backend.read_only
        self._lock = threading.RLock()
        self.schema_version_found = 0
        self._conn = backend.connect()
        try:
            self._open()
        except BaseException:
            self._conn.close()
            raise

    # -- connection and transactions ----------------------------------------------------
    def _open(self) -> None:
        """Session settings; then, only if the schema is not current, migrations in one
        write transaction.

        Why look first: a database at the current version needs no write lock to open,
        so a command or the dashboard opens it at once while another program holds the
        lock for a long import. Read-only, nothing is created or upgraded: a database
        that is not ours or is older says so instead."""
        try:
            self.backend.configure(self._conn)
            found = schema.current_version(self._conn, self.dialect)
            ready = found == schema.LATEST_VERSION and self._read(
                f"SELECT 1 FROM store_meta WHERE key = {self.placeholder}",
                (MAX_SPAN_DAYS_KEY,))
        except self.backend.errors as exc:
            raise self._translate(exc, "opening the database") from exc
        if self.read_only:
            self._check_readable(found)
        if ready or self.read_only:
            self.schema_version_found = found
            return

        def upgrade(conn: Any) -> None:
            self.schema_version_found = schema.migrate(conn, str(self.path), self.dialect)
            self._ensure_span_bound(conn)
            self._ensure_events_version(conn)

        self._write("upgrading the database schema", upgrade, events=False)

    def _check_readable(self, found: int) -> None:
        """A read-only store needs a database of this program at its schema version."""
        if found == 0:
            raise StoreError(f"{self.path}: not an event database of this program (no "
                             f"schema_version table); check the --database option or "
                             f"GEO_DATABASE_URL")
        schema.refuse_newer(found, str(self.path))
        if found < schema.LATEST_VERSION:
            raise SchemaError(
                f"{self.path}: database schema version {found} is older than this "
                f"program's ({schema.LATEST_VERSION}) and a read-only command does not "
                f"upgrade it; run `python -m geo db upgrade` (or any command that writes) "
                f"once. Nothing was changed.")

    def _ensure_span_bound(self, conn: Any) -> None:
        """Fill in ``store_meta.max_span_days`` when missing (a new database, or one just
        migrated to version 2): one pass over the stored spans, inside the migration's
        transaction (~2 s at 1,000,000 events, once)."""
        p = self.placeholder
        if conn.execute(f"SELECT 1 FROM store_meta WHERE key = {p}",
                        (MAX_SPAN_DAYS_KEY,)).fetchone():
            return
        row = conn.execute(f"SELECT MAX({self.dialect.span_days_sql}) FROM events "
                           f"WHERE span_lo > {p} AND span_hi < {p}",
                           (SPAN_OPEN_LO, SPAN_OPEN_HI)).fetchone()
        conn.execute(f"INSERT INTO store_meta (key, value) VALUES ({p}, {p})",
                     (MAX_SPAN_DAYS_KEY, max(0, int(row[0] or 0))))

    def _ensure_events_version(self, conn: Any) -> None:
        """Start ``store_meta.events_version`` at a random number when missing (a new
        database, or one just migrated to version 6), so two databases, or one rebuilt
        at the same path, never share a version."""
        p = self.placeholder
        if not conn.execute(f"SELECT 1 FROM store_meta WHERE key = {p}",
                            (EVENTS_VERSION_KEY,)).fetchone():
            conn.execute(f"INSERT INTO store_meta (key, value) VALUES ({p}, {p})",
                         (EVENTS_VERSION_KEY, secrets.randbelow(1 << 48) + 1))

    def events_version(self) -> int:
        rows = self._read(f"SELECT value FROM store_meta WHERE key = {self.placeholder}",
                          (EVENTS_VERSION_KEY,))
        return int(rows[0][0]) if rows else 0

    def _raise_span_bound(self, conn: Any, days: int | None) -> None:
        """Keep ``max_span_days`` >= ``days`` (inside the caller's write transaction).
        ``_span_bound_raised`` remembers what this transaction already ensured (reset by
        ``_write``), so a bulk write issues the UPDATE only when a longer interval comes."""
        if days is None or days <= max(0, self._span_bound_raised):
            return
        p = self.placeholder
        conn.execute(f"UPDATE store_meta SET value = {p} WHERE key = {p} AND value < {p}",
                     (days, MAX_SPAN_DAYS_KEY, days))
        self._span_bound_raised = days

    def _span_bound(self) -> int | None:
        """The stored ``max_span_days`` (None if unreadable: the query then runs unbounded)."""
        rows = self._read(f"SELECT value FROM store_meta WHERE key = {self.placeholder}",
                          (MAX_SPAN_DAYS_KEY,))
        return int(rows[0][0]) if rows else None

    def _translate(self, exc: BaseException, doing: str) -> StoreError:
        if self.backend.is_lock_conflict(exc):
            return StoreLockedError(
                f"{self.path}: the database is locked by another program (waited "
                f"{self.timeout:g} s while {doing}); nothing was written. Close the other "
                f"program or retry; GEO_SQLITE_TIMEOUT sets how long to wait.")
        return StoreError(f"{self.path}: database error while {doing}: "
                          f"{str(exc).strip()}; nothing was written.")

    def _write(self, doing: str, work: Callable[[Any], T], *, events: bool = True) -> T:
        """Run ``work(conn)`` in one write transaction (see the module docstring). Unless
        ``events`` is False (a write that cannot change events: places, names, the
        cache), the events version moves on in the same transaction when the work
        changed any row, so no write of events, present or future, can forget it.

        Waiting: the backend's own lock wait (SQLite's busy handler, PostgreSQL's
        ``lock_timeout``) lasts up to ``timeout``; a lock conflict that comes back sooner
        (SQLite busy during a checkpoint, a PostgreSQL deadlock) is retried, the whole
        transaction again, with growing pauses, until ``timeout`` has passed."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot write while {doing}")
        deadline = time.monotonic() + self.timeout
        for pause in _backoff():
            with self._lock:
                self._span_bound_raised = -1
                try:
                    with self.backend.transaction(self._conn):
                        before = self.backend.rows_changed(self._conn) if events else 0
                        done = work(self._conn)
                        if events and self.backend.rows_changed(self._conn) != before:
                            self._bump_events_version(self._conn)
                        return done
                except self.backend.errors as exc:
                    if not (self.backend.is_lock_conflict(exc)
                            and time.monotonic() + pause < deadline):
                        raise self._translate(exc, doing) from exc
            time.sleep(pause)
        raise AssertionError("unreachable: _backoff never ends")

    def _bump_events_version(self, conn: Any) -> None:
        p = self.placeholder
        if not conn.execute(f"UPDATE store_meta SET value = value + 1 WHERE key = {p}",
                            (EVENTS_VERSION_KEY,)).rowcount:
            self._ensure_events_version(conn)

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """One statement's rows; reading takes no lock, but a conflict during a
        checkpoint or recovery is retried like a write."""
        deadline = time.monotonic() + self.timeout
        for pause in _backoff():
            with self._lock:
                try:
                    rows: list[tuple[Any, ...]] = self._conn.execute(
                        sql, tuple(params)).fetchall()
                    return rows
                except self.backend.errors as exc:
                    if not self.backend.is_lock_conflict(exc):
                        raise StoreError(f"{self.path}: cannot read the database: "
                                         f"{exc}") from exc
                    if time.monotonic() + pause >= deadline:
                        raise StoreLockedError(f"{self.path}: the database is locked by "
                                               f"another program; could not read it "
                                               f"({exc})") from exc
            time.sleep(pause)
        raise AssertionError("unreachable: _backoff never ends")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @property
    def schema_version(self) -> int:
        """Schema version of the open database (``LATEST_VERSION`` once opened)."""
        with self._lock:
            return schema.current_version(self._conn, self.dialect)

    # -- writing ----------------------------------------------------------------------
    def ingest(self, article: Article, events: Iterable[Event],
               holdings: Iterable[Holding] = ()) -> IngestResult:
        events = list(events)
        holdings = list(holdings)
        aid = article.article_id
        p = self.placeholder

        def work(conn: Any) -> IngestResult:
            result = IngestResult(article_id=aid, article_new=True)
            if conn.execute(f"SELECT 1 FROM articles WHERE article_id = {p}",
                            (aid,)).fetchone():
                result.article_new = False
                if events:
                    result.warnings.append(f"article {aid} is already stored; its "
                                           f"{len(events)} event(s) were not ingested again")
                return result
            values = R.article_values(article)
            R.check_storable(R.ARTICLE_COLUMNS, values, f"article {aid}")
            conn.execute(f"INSERT INTO articles ({', '.join(R.ARTICLE_COLUMNS)}, ingested_at) "
                         f"VALUES ({_marks(p, len(values) + 1)})",
                         (*values, schema.utc_now()))
            for i, event in enumerate(events):
                where = f"article {aid}, event {i + 1} ({event.event_id})"
                validate.check_event(event, where=where)
                R.check_event_storable(event, where)
                if any(not ev.article_id for ev in event.evidence):  # evidence of this article
                    derived_id = event.event_id == event.identity()
                    event = replace(event, evidence=[ev if ev.article_id else
                                                     replace(ev, article_id=aid)
                                                     for ev in event.evidence])
                    if derived_id:   # the id hashed a blank article id: hash the real one
                        event.event_id = event.identity()
                target = self._find_match(conn, event)
                if target is None:
                    self._insert_event(conn, event, extra_article_ids=[aid])
                    result.events_added += 1
                    result.event_ids.append(event.event_id)
                else:
                    self._merge(conn, target, event, extra_article_ids=[aid])
                    result.events_merged += 1
                    result.event_ids.append(target.event_id)
            self._insert_holdings(conn, aid, holdings)
            return result

        return self._write(f"ingesting article {aid}", work)

    def add_events(self, events: Iterable[Event]) -> int:
        """Events without an article (imported, curated, manual): inserted as they are,
        an event whose id is already stored is skipped (re-import is a no-op). No
        cross-source merging: imported datasets are deduplicated by whoever made them."""
        events = list(events)

        def work(conn: Any) -> int:
            for i, event in enumerate(events):
                where = f"event {i + 1} ({event.event_id})"
                validate.check_event(event, where=where)
                R.check_event_storable(event, where)
            return self._insert_events(conn, events)

        added = self._write("adding events", work)
        self._after_bulk_write(added)
        return added

    def import_events(self, events: Iterable[Event], *,
                      on_progress: Progress | None = None,
                      versions: Sequence[int | None] | None = None,
                      author: str | None = None) -> ImportOutcome:
        """See ``Store.import_events``. All lookups run before the first insert, so a
        batch is only compared with what was stored before it; one transaction, so a
        failure (invalid event, lock) leaves the database as it was."""
        events = list(events)
        if versions is not None and len(versions) != len(events):
            raise InputError(f"{len(versions)} versions for {len(events)} events",
                             field="versions")
        step = max(1, len(events) // 100)
        who = author or settings.author()

        def work(conn: Any) -> ImportOutcome:
            outcome = ImportOutcome()
            fresh: list[Event] = []
            fresh_versions: dict[str, int | None] = {}
            stored_any = conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None
            # Events already stored under the same id, fetched in a few statements rather
            # than one lookup per event (a round trip each on PostGIS).
            same_id = self._load_events_by_id(conn, [e.event_id for e in events]) \
                if stored_any else {}
            for i, event in enumerate(events):
                where = f"event {i + 1} ({event.event_id})"
                validate.check_event(event, where=where)
                R.check_event_storable(event, where)
                version = versions[i] if versions is not None else None
                R.check_storable(("version",), (version,), where)
                known = same_id.get(event.event_id)
                if known is not None:
                    stored, stored_version = known
                    if version is not None and (stored_version is None
                                                or version > stored_version):
                        same_id[event.event_id] = (self._update_from_dataset(
                            conn, i, stored, event, version, outcome, author=who), version)
                    else:
                        outcome.duplicates.append((i, event.event_id, event.event_id))
                else:
                    match = self._find_match(conn, event, id_known_absent=True,
                                             other_datasets_only=True) if stored_any else None
                    if match is None:
                        fresh.append(event)
                        fresh_versions.setdefault(event.event_id, version)
                    else:
                        outcome.duplicates.append((i, event.event_id, match.event_id))
                if on_progress is not None and (i + 1) % step == 0:
                    on_progress(i + 1, len(events))
            outcome.added = self._insert_events(
                conn, fresh, versions=fresh_versions if versions is not None else None)
            return outcome

        outcome = self._write(f"importing {len(events)} events", work)
        self._after_bulk_write(outcome.added)
        if on_progress is not None:
            on_progress(len(events), len(events))
        return outcome

    def _update_from_dataset(self, conn: Any, position: int, stored: Event, incoming: Event,
                             version: int, outcome: ImportOutcome, *, author: str) -> Event:
        """A newer version of a stored event's dataset row: take its values (an audited
        change, undoable) unless an analyst reviewed the event (``kept``: a dataset
        revision never silently overrides a person). Returns the event as stored now."""
        p = self.placeholder
        if stored.review_status != ReviewStatus.MACHINE.value:
            outcome.kept.append((position, stored.event_id))
            return stored
        diffs = {name: (getattr(stored, name), getattr(incoming, name))
                 for name in _DATASET_FIELDS if getattr(stored, name) != getattr(incoming, name)}
        event = stored
        if diffs:
            event = self._apply_change(conn, stored, diffs, author=author,
                                       note=f"a newer version of the dataset row ({version})")
            outcome.updated.append((position, stored.event_id))
        else:
            outcome.duplicates.append((position, incoming.event_id, stored.event_id))
        conn.execute(f"UPDATE events SET source_version = {p} WHERE event_id = {p}",
                     (version, stored.event_id))
        return event

    def update_event(self, event_id: str, changes: dict[str, Any], *,
                     author: str | None = None, note: str = "") -> Event:
        """Validate, apply, audit (one row per changed field, one ``change_id``), set the
        review status.

        Changing ``event_date`` to a day outside the stored interval (without giving
        ``date_min``/``date_max``) moves the interval to that day, so the event stays
        consistent; those bound changes are audited too, so an undo restores them. Unknown
        event id or an invalid value raise ``InputError`` naming the field; nothing is
        written then.
        """
        who = author or settings.author()

        def work(conn: Any) -> Event:
            current = self._load_event(conn, event_id)
            if current is None:
                raise InputError(f"no event with id {event_id!r} in {self.path}",
                                 field="event_id")
            clean = validate.check_changes(changes, current)
            diffs = {k: (getattr(current, k), v) for k, v in clean.items()
                     if getattr(current, k) != v}
            if not diffs:
                return current
            if "review_status" not in clean:
                status = ReviewStatus.CORRECTED.value
                if current.review_status != status:
                    diffs["review_status"] = (current.review_status, status)
            return self._apply_change(conn, current, diffs, author=who, note=note)

        return self._write(f"updating event {event_id}", work)

    def undo_change(self, change_id: int, *, author: str | None = None,
                    note: str = "") -> Event | Holding:
        """See ``Store.undo_change``: the values come from the audit rows themselves, so
        the restore is exact (not re-validated against today's rules, which could refuse
        a value the event legitimately had)."""
        who = author or settings.author()
        p = self.placeholder

        def work(conn: Any) -> Event | Holding:
            rows = [R.audit_row(r) for r in conn.execute(
                f"SELECT {', '.join(R.AUDIT_COLUMNS)} FROM audit WHERE change_id = {p} "
                f"ORDER BY id", (int(change_id),)).fetchall()]
            if not rows:
                raise InputError(f"no change {change_id} in the audit trail of {self.path}",
                                 field="change_id")
            event_id = rows[0]["event_id"]
            if HR.is_holding_id(event_id):
                return self._undo_holding_change(conn, int(change_id), rows[0],
                                                 author=who, note=note)
            current = self._load_event(conn, event_id)
            if current is None:
                raise InputError(f"change {change_id}: event {event_id!r} is no longer "
                                 f"stored", field="event_id")
            diffs: dict[str, tuple[Any, Any]] = {}
            for row in rows:
                name = row["field"]
                now = json.loads(R.audit_json(getattr(current, name)))
                if now != row["after"]:
                    raise InputError(
                        f"change {change_id} of event {event_id} cannot be undone: "
                        f"{name} has changed again since (it is {now!r}, the change set "
                        f"{row['after']!r}); undo the later change first", field=name)
                diffs[name] = (getattr(current, name), R.audit_value(name, row["before"]))
            R.check_storable(diffs, (after for _, after in diffs.values()),
                             f"undo of change {change_id}")
            words = f"undo of change {change_id}" + (f": {note}" if note else "")
            return self._apply_change(conn, current, diffs, author=who, note=words)

        return self._write(f"undoing change {change_id}", work)

    def _apply_change(self, conn: Any, current: Event, diffs: dict[str, tuple[Any, Any]], *,
                      author: str, note: str) -> Event:
        """Write ``diffs`` (field -> (before, after)) to the event and its audit rows,
        under a new ``change_id``; returns the event as stored."""
        p = self.placeholder
        change = int(conn.execute("SELECT COALESCE(MAX(change_id), 0) + 1 FROM audit")
                     .fetchone()[0])
        now = schema.utc_now()
        R.check_storable(("author", "note"), (author, note), f"event {current.event_id}")
        conn.cursor().executemany(
            f"INSERT INTO audit (change_id, event_id, at, author, field, before, after, "
            f"note) VALUES ({_marks(p, 8)})",
            [(change, current.event_id, now, author, name, R.audit_json(before),
              R.audit_json(after), note) for name, (before, after) in diffs.items()])
        updated = replace(current)
        for name, (_, after) in diffs.items():
            setattr(updated, name, after)
        self._write_event_row(conn, updated, existing=True)
        return self._load_event(conn, current.event_id)  # type: ignore[return-value]

    def add_custom_place(self, place: Place) -> None:
        """Insert or replace (an analyst may correct their own place) by ``place_id``."""
        validate.check_place(place)
        values = [getattr(place, c) for c in R.PLACE_COLUMNS]
        R.check_storable(R.PLACE_COLUMNS, values, f"custom place {place.place_id!r}")
        updates = ", ".join(f"{c} = excluded.{c}" for c in (*R.PLACE_COLUMNS, "created_at")
                            if c != "place_id")
        sql = (f"INSERT INTO custom_places ({', '.join(R.PLACE_COLUMNS)}, created_at) "
               f"VALUES ({_marks(self.placeholder, len(values) + 1)}) "
               f"ON CONFLICT (place_id) DO UPDATE SET {updates}")
        self._write(f"adding custom place {place.place_id}",
                    lambda conn: conn.execute(sql, (*values, schema.utc_now())), events=False)

    def confirm_name(self, name: str, place: Place, *, author: str | None = None) -> None:
        key = _name_key(name)
        validate.check_place(place)
        author = author or settings.author()
        columns = ("name", "place_id", "place_name", "latitude", "longitude", "country",
                   "admin1", "place_type", "author", "confirmed_at")
        sql = (f"INSERT INTO confirmed_names (name_key, {', '.join(columns)}) "
               f"VALUES ({_marks(self.placeholder, len(columns) + 1)}) "
               f"ON CONFLICT (name_key) DO UPDATE SET "
               + ", ".join(f"{c} = excluded.{c}" for c in columns))
        values = (key, " ".join(name.split()), place.place_id, place.name, place.latitude,
                  place.longitude, place.country, place.admin1, place.place_type, author,
                  schema.utc_now())
        R.check_storable(("name_key", *columns), values, f"confirmed name {name!r}")
        self._write(f"confirming the place of {name!r}",
                    lambda conn: conn.execute(sql, values), events=False)

    def forget_confirmed_name(self, name: str) -> bool:
        key = _name_key(name)
        sql = f"DELETE FROM confirmed_names WHERE name_key = {self.placeholder}"
        return self._write(f"forgetting the confirmation of {name!r}",
                           lambda conn: bool(conn.execute(sql, (key,)).rowcount),
                           events=False)

    def confirmed_names(self) -> list[tuple[str, Place]]:
        rows = self._read("SELECT name, place_id, place_name, latitude, longitude, country, "
                          "admin1, place_type FROM confirmed_names ORDER BY name_key")
        return [(r[0], R.place_from_confirmed(r[1:])) for r in rows]

    def cache_put(self, namespace: str, key: str, value: Any) -> None:
        try:
            encoded = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise InputError(f"cache value for {namespace}/{key} is not JSON-serialisable "
                             f"({exc})", field="value") from exc
        R.check_storable(("namespace", "key"), (namespace, key), "cache")
        sql = (f"INSERT INTO cache (namespace, key, value, created_at) "
               f"VALUES ({_marks(self.placeholder, 4)}) ON CONFLICT (namespace, key) DO "
               f"UPDATE SET value = excluded.value, created_at = excluded.created_at")
        self._write(f"caching {namespace}/{key}", lambda conn: conn.execute(
            sql, (namespace, key, encoded, schema.utc_now())), events=False)

    # -- write helpers (inside a transaction) -------------------------------------------
    def _find_match(self, conn: Any, event: Event, *, id_known_absent: bool = False,
                    other_datasets_only: bool = False) -> Event | None:
        """The stored event this report duplicates, if any: same id first, else the
        closest (``_closeness``) of the candidates an index lookup finds that
        ``dedup.events_match`` accepts. Rejected events are never merge targets (a new
        report should be seen, not hidden). ``id_known_absent``: the caller already looked
        the id up (saves a statement). ``other_datasets_only``: an event of a dataset
        (id ``acled:...``) never matches another id of the same dataset.

        Why the closest and not the first stored: which event a report joins must depend
        on the events, not on when they were written (the creation time has one-second
        resolution, so ties fell to the id by chance)."""
        if not id_known_absent:
            existing = self._load_event(conn, event.event_id, with_lists=False)
            if existing is not None:
                return existing
        p = self.placeholder
        cls = dedup.event_class(event.event_type, event.sub_event_type)
        conds = [f"event_class = {p}", f"review_status != {p}"]
        params: list[Any] = [cls, ReviewStatus.REJECTED.value]
        lo, hi = span(event.date_min, event.date_max, event.event_date)
        if lo is None:
            conds.append("span_lo IS NULL")
        else:
            conds.append(f"span_hi >= {p} AND span_lo <= {p}")
            params += [lo, hi]
        places: list[tuple[str, list[Any]]] = []       # (condition, its parameters)
        if event.place_id:
            places.append((f"place_id = {p}", [event.place_id]))
        if event.latitude is not None and event.longitude is not None:
            dlat = dedup.MATCH_RADIUS_KM / _KM_PER_DEGREE * 1.01
            dlon = dlat / max(0.01, math.cos(math.radians(event.latitude)))
            places.append((f"latitude BETWEEN {p} AND {p} AND longitude BETWEEN {p} AND {p}",
                           [event.latitude - dlat, event.latitude + dlat,
                            event.longitude - dlon, event.longitude + dlon]))
        elif not event.place_id and event.location:
            places.append((f"place_id = '' AND latitude IS NULL AND lower(location) = "
                           f"lower({p})", [event.location.strip()]))
        if not places:
            return None
        # One SELECT per way of being "the same place", joined by UNION: an OR inside one
        # WHERE would keep SQLite from using the (place_id, ...) and (latitude, ...) indexes.
        select = (f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE "
                  + " AND ".join(conds))
        sql = " UNION ".join(f"{select} AND {place}" for place, _ in places)
        args = [value for _, place_args in places for value in (*params, *place_args)]
        dataset = _dataset_of(event.event_id) if other_datasets_only else ""
        candidates = [c for c in map(R.row_to_event, conn.execute(sql, args).fetchall())
                      if not (dataset and _dataset_of(c.event_id) == dataset)
                      and dedup.events_match(c, event)]
        return min(candidates, key=lambda c: _closeness(c, event), default=None)

    def _insert_event(self, conn: Any, event: Event,
                      extra_article_ids: Iterable[str] = ()) -> bool:
        """Insert a new event with its sources; False (nothing written) if its id exists."""
        ids, sources = R.new_sources(event, extra_article_ids)
        if not self._write_event_row(conn, event, existing=False, sources=sources):
            return False
        self._add_sources(conn, event.event_id, ids, event, start=0)
        return True

    def _insert_events(self, conn: Any, events: list[Event], *,
                       versions: Mapping[str, int | None] | None = None) -> int:
        """Insert validated events without an article, in order; an id already stored
        (or earlier in ``events``) is skipped. Returns how many were inserted.
        ``versions``: the dataset's version of each event's row, by id.

        Rows go through the backend's bulk insert (on PostGIS one ``COPY`` instead of a
        network round trip per event), then sources and evidence in one ``executemany``
        each; the first event of an id wins, as with one insert after the other."""
        rows: dict[str, tuple[Event, tuple[Any, ...], list[str]]] = {}
        columns: tuple[str, ...] = ()
        for event in events:
            if event.event_id not in rows:
                columns, values, ids = R.insert_row(event)
                if versions is not None:
                    values = (*values, versions.get(event.event_id))
                rows[event.event_id] = (event, values, ids)
        if versions is not None:
            columns = (*columns, "source_version")
        if not rows:
            return 0
        inserted = self.backend.insert_new(conn, "events", columns,
                                           [values for _, values, _ in rows.values()],
                                           key="event_id")
        lo, hi = columns.index("span_lo"), columns.index("span_hi")
        self._raise_span_bound(conn, max(
            (d for eid in inserted
             if (d := span_days(rows[eid][1][lo], rows[eid][1][hi])) is not None),
            default=None))
        order = [eid for eid in rows if eid in inserted]       # insertion order
        p = self.placeholder
        sources = [(eid, aid, i) for eid in order for i, aid in enumerate(rows[eid][2])]
        if sources:
            conn.cursor().executemany(
                f"INSERT INTO event_sources (event_id, article_id, position) "
                f"VALUES ({_marks(p, 3)}) ON CONFLICT DO NOTHING", sources)
        evidence = [row for eid in order for row in R.evidence_rows(eid, rows[eid][0])]
        if evidence:
            conn.cursor().executemany(
                f"INSERT INTO evidence (event_id, article_id, sentence, sentence_start, "
                f"mentions, source_file) VALUES ({_marks(p, 6)}) ON CONFLICT DO NOTHING",
                evidence)
        return len(inserted)

    def _insert_holdings(self, conn: Any, article_id: str, holdings: list[Holding]) -> None:
        """The article's holdings stated in passing (their article id set to it)."""
        rows = []
        for i, holding in enumerate(holdings):
            if not holding.article_id:
                holding = replace(holding, article_id=article_id, holding_id="")
            values = R.holding_values(holding)
            R.check_storable(R.HOLDING_COLUMNS, values,
                             f"article {article_id}, holding {i + 1} ({holding.location})")
            rows.append(values)
        if rows:
            p = self.placeholder
            conn.cursor().executemany(
                f"INSERT INTO holdings ({', '.join(R.HOLDING_COLUMNS)}) VALUES "
                f"({_marks(p, len(R.HOLDING_COLUMNS))}) ON CONFLICT DO NOTHING", rows)

    def put_holdings(self, article_id: str, holdings: Iterable[Holding]) -> int:
        holdings = [replace(h, article_id=article_id, holding_id="")
                    if h.article_id != article_id else h for h in holdings]
        p = self.placeholder

        def work(conn: Any) -> int:
            if not conn.execute(f"SELECT 1 FROM articles WHERE article_id = {p}",
                                (article_id,)).fetchone():
                raise InputError(f"no stored article {article_id}", source="holdings")
            kept = self._holdings_to_keep(conn, article_id, holdings)
            conn.execute(f"DELETE FROM holdings WHERE article_id = {p}", (article_id,))
            self._insert_holdings(conn, article_id, [*holdings, *kept])
            return len({h.holding_id for h in (*holdings, *kept)})

        return self._write(f"storing the holdings of article {article_id}", work)

    def _holdings_to_keep(self, conn: Any, article_id: str, new: list[Holding]
                          ) -> list[Holding]:
        """The article's stored holdings an analyst confirmed or corrected that the new
        reading no longer gives (by id or statement): kept as read, so a rule change
        never takes an analyst's claim out of control (``put_holdings``)."""
        p = self.placeholder
        reviews = self._holding_reviews(conn, article_id)
        if not reviews:
            return []
        ids = {h.holding_id for h in new}
        statements = {HR.statement_key(h) for h in new}
        kept = []
        for row in conn.execute(f"SELECT {', '.join(R.HOLDING_COLUMNS)} FROM holdings "
                                f"WHERE article_id = {p}", (article_id,)).fetchall():
            old = R.holding_from_row(row)
            review = reviews.of(old)
            if review is None or review.review_status not in (
                    ReviewStatus.CONFIRMED.value, ReviewStatus.CORRECTED.value):
                continue
            if old.holding_id not in ids and HR.statement_key(old) not in statements:
                kept.append(old)
        return kept

    def query_holdings(self, date_to: date | None = None, *,
                       review_status: Sequence[str] | None = None) -> list[Holding]:
        with self._lock:
            reviews = self._holding_reviews(self._conn)
        p = self.placeholder
        # A decision may move a holding's dates: then filter after applying it.
        by_sql = date_to is not None and not reviews.dates_changed()
        where, params = ("WHERE date_min <= " + p, (date_to.isoformat(),)) \
            if by_sql and date_to is not None else ("", ())
        rows = self._read(f"SELECT {', '.join(R.HOLDING_COLUMNS)} FROM holdings {where} "
                          "ORDER BY date_min, holding_id", params)
        holdings = [HR.apply(h, reviews.of(h)) for h in map(R.holding_from_row, rows)]
        if date_to is not None and not by_sql:
            holdings = sorted((h for h in holdings if h.date_min <= date_to),
                              key=lambda h: (h.date_min, h.holding_id))
        if review_status is not None:
            wanted = {HR.check_status(s) for s in review_status}
            holdings = [h for h in holdings if h.review_status in wanted]
        return holdings

    def get_holding(self, holding_id: str) -> Holding | None:
        with self._lock:
            found = self._load_holding(self._conn, holding_id)
        return None if found is None else HR.apply(*found)

    def _load_holding(self, conn: Any, holding_id: str
                      ) -> tuple[Holding, HR.HoldingReview | None] | None:
        """The holding as read, and the decision that applies to it."""
        p = self.placeholder
        row = conn.execute(f"SELECT {', '.join(R.HOLDING_COLUMNS)} FROM holdings "
                           f"WHERE holding_id = {p}", (holding_id,)).fetchone()
        if row is None:
            return None
        holding = R.holding_from_row(row)
        return holding, self._holding_reviews(conn, holding.article_id).of(holding)

    def _holding_reviews(self, conn: Any, article_id: str | None = None) -> HR.Reviews:
        """The stored decisions (of one article's holdings when ``article_id`` is given),
        knowing which of them still have their own holding."""
        p = self.placeholder
        where, params = (f" WHERE article_id = {p}", (article_id,)) \
            if article_id is not None else ("", ())
        reviews = [HR.review_from_row(r) for r in conn.execute(
            f"SELECT {', '.join(HR.REVIEW_COLUMNS)} FROM holding_reviews{where}",
            params).fetchall()]
        if not reviews:
            return HR.Reviews(())
        present = {r[0] for r in conn.execute(
            f"SELECT h.holding_id FROM holdings h JOIN holding_reviews r ON "
            f"r.holding_id = h.holding_id{where.replace('article_id', 'r.article_id')}",
            params).fetchall()}
        return HR.Reviews(reviews, present)

    def review_holding(self, holding_id: str, status: ReviewStatus | str | None = None,
                       changes: Mapping[str, Any] | None = None, *,
                       author: str | None = None, note: str = "") -> Holding:
        """See ``Store.review_holding``."""
        who = author or settings.author()
        changes = dict(changes or {})
        if status is None and not changes:
            raise InputError("give a review status or a correction", field="review_status")
        wanted = HR.check_status(status) if status is not None else \
            ReviewStatus.CORRECTED.value

        def work(conn: Any) -> Holding:
            found = self._load_holding(conn, holding_id)
            if found is None:
                raise InputError(f"no holding with id {holding_id!r} in {self.path}",
                                 field="holding_id")
            read, before = found
            current = HR.apply(read, before)
            clean = HR.check_changes(changes, current)
            kept = dict(before.changes) if before is not None else {}
            kept.update(clean)
            # A value put back as read is no correction.
            kept = {k: v for k, v in kept.items() if getattr(read, k) != v}
            if wanted == ReviewStatus.MACHINE.value:
                kept = {}
            elif wanted == ReviewStatus.CORRECTED.value and not kept:
                raise InputError("nothing to correct: the values are the holding's as read",
                                 field="force")
            decision = HR.decision_dict(wanted, kept)
            return self._decide_holding(conn, read, before, decision, author=who, note=note)

        return self._write(f"reviewing holding {holding_id}", work)

    def _decide_holding(self, conn: Any, read: Holding, before: HR.HoldingReview | None,
                        decision: dict[str, Any], *, author: str, note: str) -> Holding:
        """Store ``decision`` (``HR.decision_dict``; status machine: none) for the holding
        ``read``, replacing ``before``, with one audit row; returns the holding as now
        decided. Nothing is written when the decision is the one in force."""
        p = self.placeholder
        previous = before.decision() if before is not None else \
            HR.decision_dict(ReviewStatus.MACHINE.value, {})
        if previous == decision:
            return HR.apply(read, before)
        R.check_storable(("author", "note"), (author, note), f"holding {read.holding_id}")
        if before is not None:
            conn.execute(f"DELETE FROM holding_reviews WHERE holding_id = {p}",
                         (before.holding_id,))
        now = schema.utc_now()
        review = None
        if decision["review_status"] != ReviewStatus.MACHINE.value:
            article_id, start, key = HR.statement_key(read)
            review = HR.HoldingReview(read.holding_id, article_id, start, key,
                                      decision["review_status"], HR.changes_of(decision),
                                      author, note, now)
            values = HR.review_values(review)
            R.check_storable(HR.REVIEW_COLUMNS, values, f"holding {read.holding_id}")
            conn.execute(f"INSERT INTO holding_reviews ({', '.join(HR.REVIEW_COLUMNS)}) "
                         f"VALUES ({_marks(p, len(values))})", values)
        change = int(conn.execute("SELECT COALESCE(MAX(change_id), 0) + 1 FROM audit")
                     .fetchone()[0])
        conn.execute(f"INSERT INTO audit (change_id, event_id, at, author, field, before, "
                     f"after, note) VALUES ({_marks(p, 8)})",
                     (change, read.holding_id, now, author, HR.AUDIT_FIELD,
                      HR.decision_json(previous), HR.decision_json(decision), note))
        return HR.apply(read, review)

    def _undo_holding_change(self, conn: Any, change_id: int, row: dict[str, Any], *,
                             author: str, note: str) -> Holding:
        """Undo a decision on a holding (``undo_change``): the decision before it comes
        back, when the one it made is still in force."""
        holding_id = row["event_id"]
        found = self._load_holding(conn, holding_id)
        if found is None:
            raise InputError(f"change {change_id}: holding {holding_id!r} is no longer "
                             f"stored", field="event_id")
        read, before = found
        now = before.decision() if before is not None else \
            HR.decision_dict(ReviewStatus.MACHINE.value, {})
        if now != row["after"]:
            raise InputError(f"change {change_id} of holding {holding_id} cannot be undone: "
                             f"it was decided again since (now {now!r}); undo the later "
                             f"change first", field="review_status")
        words = f"undo of change {change_id}" + (f": {note}" if note else "")
        return self._decide_holding(conn, read, before, dict(row["before"]), author=author,
                                    note=words)

    def _after_bulk_write(self, rows_written: int) -> None:
        with self._lock:
            self.backend.after_bulk_write(self._conn, rows_written)

    def _load_events_by_id(self, conn: Any, event_ids: list[str]
                           ) -> dict[str, tuple[Event, int | None]]:
        """Stored events (scalar fields only) among ``event_ids`` with their dataset
        version, by id, in a few statements of ``_ID_CHUNK`` ids each."""
        found: dict[str, tuple[Event, int | None]] = {}
        ids = list(dict.fromkeys(event_ids))
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start:start + _ID_CHUNK]
            for row in conn.execute(f"SELECT {', '.join(EVENT_FIELDS)}, source_version "
                                    f"FROM events WHERE event_id IN "
                                    f"({_marks(self.placeholder, len(chunk))})",
                                    chunk).fetchall():
                event = R.row_to_event(row[:-1])
                found[event.event_id] = (event, row[-1])
        return found

    def _merge(self, conn: Any, stored: Event, incoming: Event,
               extra_article_ids: list[str]) -> None:
        """Fold another report into a stored event (see ``dedup.merge_into``)."""
        p = self.placeholder
        keep = stored.review_status in (ReviewStatus.CONFIRMED.value,
                                        ReviewStatus.CORRECTED.value)
        merged = dedup.merge_into(stored, incoming, keep_dates=keep)
        have = [r[0] for r in conn.execute(f"SELECT article_id FROM event_sources WHERE "
                                           f"event_id = {p} ORDER BY position",
                                           (stored.event_id,)).fetchall()]
        new = [a for a in R.unique([*incoming.article_ids,
                                    *(e.article_id for e in incoming.evidence),
                                    *extra_article_ids]) if a not in have]
        self._add_sources(conn, stored.event_id, new, incoming, start=len(have))
        first = conn.execute(f"SELECT sentence, source_file, mentions FROM evidence "
                             f"WHERE event_id = {p} ORDER BY id LIMIT 1",
                             (stored.event_id,)).fetchone() or ("", "", "[]")
        self._write_event_row(conn, merged, existing=True, sources={
            "n_sources": len(have) + len(new), "article_ids": ",".join(have + new),
            "evidence_sentence": first[0], "source_file": first[1],
            "evidence_mentions": first[2]})

    def _write_event_row(self, conn: Any, event: Event, *, existing: bool,
                         sources: dict[str, Any] | None = None) -> bool:
        """Insert (if the id is new) or update the ``events`` row: the Event fields and
        the derived columns; ``sources`` carries the source-derived columns when they
        changed. Returns whether a row was written."""
        p = self.placeholder
        values = [R.column_value(event, name) for name in EVENT_FIELDS]
        derived = R.derived(event, sources)
        if existing:
            sets = [f"{n} = {p}" for n in EVENT_FIELDS if n != "event_id"] + \
                   [f"{n} = {p}" for n in derived]
            vals = [v for n, v in zip(EVENT_FIELDS, values) if n != "event_id"]
            cur = conn.execute(f"UPDATE events SET {', '.join(sets)} WHERE event_id = {p}",
                               (*vals, *derived.values(), event.event_id))
        else:
            derived["created_at"] = derived["updated_at"]
            cols = (*EVENT_FIELDS, *derived)
            cur = conn.execute(f"INSERT INTO events ({', '.join(cols)}) "
                               f"VALUES ({_marks(p, len(cols))}) ON CONFLICT DO NOTHING",
                               (*values, *derived.values()))
        if cur.rowcount > 0:
            self._raise_span_bound(conn, span_days(derived["span_lo"], derived["span_hi"]))
        return bool(cur.rowcount > 0)

    def _add_sources(self, conn: Any, event_id: str, article_ids: list[str], event: Event,
                     *, start: int) -> None:
        """Attach new article ids (positions from ``start``) and ``event``'s evidence (an
        evidence row already stored for the event is ignored)."""
        p = self.placeholder
        if article_ids:
            conn.cursor().executemany(
                f"INSERT INTO event_sources (event_id, article_id, position) "
                f"VALUES ({_marks(p, 3)}) ON CONFLICT DO NOTHING",
                [(event_id, aid, start + i) for i, aid in enumerate(article_ids)])
        if event.evidence:
            conn.cursor().executemany(
                f"INSERT INTO evidence (event_id, article_id, sentence, sentence_start, "
                f"mentions, source_file) VALUES ({_marks(p, 6)}) ON CONFLICT DO NOTHING",
                R.evidence_rows(event_id, event))

    # -- reading ------------------------------------------------------------------------
    def query_events(self, flt: EventFilter | None = None, *,
                     columns: Iterable[str] | None = None) -> gpd.GeoDataFrame:
        """Matching events as a GeoDataFrame in EPSG:4326, ordered by date_min then id.

        Columns: ``FRAME_COLUMNS`` (Event scalar fields, ``n_sources``, ``article_ids``
        comma-joined, ``evidence_sentence`` and ``source_file`` of the first evidence,
        ``evidence_mentions``: that sentence's mentions as JSON text, a list of
        ``{"kind", "start", "end", "text"}`` with offsets into ``evidence_sentence``,
        "[]" without evidence; decode with ``geo.core.mentions.parse_mentions``, which also
        checks them), ``updated_at`` (UTC ISO time of the row's last change: ACLED's
        ``timestamp`` in exports) plus ``geometry`` (points). Dtypes are ``frame.FRAME_DTYPES``: dates
        ``datetime64[ns]`` (NaT when unknown), counts ``int64``, coordinates and
        confidence ``float64``, text ``object`` holding ``str`` (never missing).
        Events matching the filter but lacking coordinates cannot be drawn and are left
        out; their number is in ``frame.attrs["n_without_coordinates"]``, and
        ``frame.attrs["description"]`` is the filter in words with the row count.
        ``columns``: only these (and the coordinates; points only if ``geometry`` is
        named: ``frame.frame_columns``), for a caller that reads a few: the Map page's
        100,000 events take half the time without the text columns it does not draw.
        """
        # Here, not at the top: pandas and geopandas take most of a second to import, and
        # a command that only reads the events version (``geo control``) needs neither.
        from geo.store.frame import empty_frame, frame_columns, gc_paused, rows_to_frame

        names, geometry = frame_columns(columns)
        flt = flt or EventFilter()
        bound = self._span_bound() if flt.date_from and flt.date_to else None
        with gc_paused():
            while True:
                where, params = build_where(flt, placeholder=self.placeholder,
                                            max_span_days=bound)
                rows = self._read(f"SELECT {', '.join(names)} FROM events "
                                  f"WHERE {where} ORDER BY span_lo, event_id", params)
                if bound is None:
                    break
                # The bound only grows, in the transaction that stores a longer interval:
                # unchanged now, every event the query could see was within it.
                again = self._span_bound()
                if again == bound:
                    break
                bound = again
            lat = names.index("latitude")
            located = [r for r in rows if r[lat] is not None]  # validation pairs lat/lon
            frame = rows_to_frame(located, names, geometry=geometry) if located \
                else empty_frame(names, geometry=geometry)
        frame.attrs["n_without_coordinates"] = len(rows) - len(located)
        frame.attrs["description"] = flt.describe(len(frame))
        return frame

    def date_range(self, flt: EventFilter | None = None) -> tuple[date, date] | None:
        # One aggregate row on both backends (ISO date text sorts as dates); the same
        # filter and the same "has coordinates" rule as query_events.
        where, params = build_where(flt or EventFilter(), placeholder=self.placeholder)
        [row] = self._read(
            "SELECT MIN(date_min), MIN(date_max), MIN(event_date), MAX(date_min), "
            f"MAX(date_max), MAX(event_date) FROM events WHERE ({where}) "
            "AND latitude IS NOT NULL", params)
        lows = [str(v) for v in row[:3] if v]
        highs = [str(v) for v in row[3:] if v]
        if not lows or not highs:
            return None
        return date.fromisoformat(min(lows)), date.fromisoformat(max(highs))

    def get_event(self, event_id: str) -> Event | None:
        with self._lock:
            return self._load_event(self._conn, event_id)

    def _load_event(self, conn: Any, event_id: str, *,
                    with_lists: bool = True) -> Event | None:
        p = self.placeholder
        row = conn.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM events "
                           f"WHERE event_id = {p}", (event_id,)).fetchone()
        if row is None:
            return None
        event = R.row_to_event(row)
        if with_lists:
            event.article_ids = [r[0] for r in conn.execute(
                f"SELECT article_id FROM event_sources WHERE event_id = {p} "
                f"ORDER BY position", (event_id,)).fetchall()]
            event.evidence = [
                Evidence(article_id=r[0], sentence=r[1], sentence_start=r[2],
                         mentions=[Mention(**m) for m in json.loads(r[3])], source_file=r[4])
                for r in conn.execute(
                    f"SELECT article_id, sentence, sentence_start, mentions, source_file "
                    f"FROM evidence WHERE event_id = {p} ORDER BY id", (event_id,)).fetchall()]
        return event

    def get_article(self, article_id: str) -> Article | None:
        rows = self._read(f"SELECT {', '.join(R.ARTICLE_COLUMNS)} FROM articles "
                          f"WHERE article_id = {self.placeholder}", (article_id,))
        return R.row_to_article(rows[0]) if rows else None

    def list_articles(self) -> list[Article]:
        return [R.row_to_article(r) for r in self._read(
            f"SELECT {', '.join(R.ARTICLE_COLUMNS)} FROM articles "
            f"ORDER BY published, article_id")]

    def audit_trail(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """Audit rows, oldest first, values JSON-decoded (dates as ISO strings)."""
        sql = f"SELECT {', '.join(R.AUDIT_COLUMNS)} FROM audit"
        rows = self._read(sql + (f" WHERE event_id = {self.placeholder} ORDER BY id"
                                 if event_id else " ORDER BY id"),
                          (event_id,) if event_id else ())
        return [R.audit_row(row) for row in rows]

    def custom_places(self) -> list[Place]:
        return [Place(**dict(zip(R.PLACE_COLUMNS, r))) for r in self._read(
            f"SELECT {', '.join(R.PLACE_COLUMNS)} FROM custom_places "
            f"ORDER BY name, place_id")]

    def cache_get(self, namespace: str, key: str) -> Any | None:
        p = self.placeholder
        rows = self._read(f"SELECT value FROM cache WHERE namespace = {p} AND key = {p}",
                          (namespace, key))
        return json.loads(rows[0][0]) if rows else None

    def counts(self) -> dict[str, int]:
        tables = ("articles", "events", "event_sources", "evidence", "audit",
                  "custom_places", "cache")
        row = self._read("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))[0]
        return dict(zip(tables, (int(v) for v in row)))


def _dataset_of(event_id: str) -> str:
    """The dataset an id names (``acled`` of ``acled:IRQ123``), "" for our own ids."""
    head, sep, _ = event_id.partition(":")
    return head if sep else ""


def _midpoint(event: Event) -> float | None:
    """Middle of the event's date interval as a day number (None if undated or open)."""
    lo = event.date_min or event.event_date
    hi = event.date_max or event.event_date
    return None if lo is None or hi is None else (lo.toordinal() + hi.toordinal()) / 2


def _closeness(candidate: Event, event: Event) -> tuple[int, float, float, str]:
    """How close a matching stored event is to a report, smallest first: the same
    gazetteer place, then the nearer date (days between interval midpoints), then the
    nearer point (km), then the id (so the choice is total and repeatable)."""
    same_place = bool(event.place_id) and candidate.place_id == event.place_id
    a, b = _midpoint(candidate), _midpoint(event)
    days = abs(a - b) if a is not None and b is not None else 0.0
    km = 0.0
    if None not in (candidate.latitude, candidate.longitude, event.latitude, event.longitude):
        km = haversine_km(candidate.latitude, candidate.longitude,  # type: ignore[arg-type]
                          event.latitude, event.longitude)          # type: ignore[arg-type]
    return (0 if same_place else 1, days, km, candidate.event_id)


def _backoff(first: float = 0.05, most: float = 2.0) -> Iterator[float]:
    """Pauses between retries: doubling from ``first`` up to ``most``, each with random
    jitter (so writers that collided do not collide again in step); never ends."""
    pause = first
    while True:
        yield pause * random.uniform(0.5, 1.0)
        pause = min(most, pause * 2)


def _marks(placeholder: str, n: int) -> str:
    """``n`` parameter markers, comma-separated."""
    return ", ".join([placeholder] * n)


__all__ = ["SQLStore"]
