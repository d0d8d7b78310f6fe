"""The event store on one SQLite file (WAL mode), for a single analyst's machine.

Every write runs in one ``BEGIN IMMEDIATE ... COMMIT`` transaction and rolls back on any
error, so a failed ingest or edit leaves the file exactly as it was. A database locked
by another process beyond ``sqlite_timeout`` raises ``StoreLockedError``.

The connection is shared between threads (Streamlit reruns scripts on other threads)
and serialised by a lock.

The SQL here is kept portable (``ON CONFLICT``, no ``OR IGNORE``/``NOCASE``, ``?`` marks
that the PostGIS store rewrites), so ``geo.store.postgis.PostGISStore`` reuses every
method and only replaces the connection, transactions and schema.
"""
from __future__ import annotations

import json
import math
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.core import dedup, settings, validate
from geo.core.errors import InputError, StoreError, StoreLockedError
from geo.core.records import EVENT_FIELDS, Article, Event, Evidence, Mention, Place, ReviewStatus
from geo.store.base import ImportOutcome, IngestResult, Progress, Store
from geo.store.frame import FRAME_COLUMNS, empty_frame, gc_paused, rows_to_frame
from geo.store.query import EventFilter, build_where, search_text
from geo.store.schema import (
    LATEST_VERSION,
    MAX_SPAN_DAYS_KEY,
    SPAN_OPEN_HI,
    SPAN_OPEN_LO,
    current_version,
    migrate,
    span,
    span_days,
    utc_now,
)

_ARTICLE_COLUMNS = ("article_id", "title", "published", "published_source", "source_name",
                    "url", "path", "text")
_PLACE_COLUMNS = tuple(f.name for f in fields(Place))
_DATE_FIELDS = ("event_date", "date_min", "date_max")
_KM_PER_DEGREE = 111.2


def _is_locked(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc))


class SQLiteStore(Store):
    """``Store`` on a SQLite file; see the module docstring for the guarantees."""

    #: Longest finite interval this write transaction already put into ``store_meta``.
    _span_bound_raised = -1

    def __init__(self, path: str | Path, *, timeout: float | None = None) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self.timeout = float(settings.get("sqlite_timeout") if timeout is None else timeout)
        self._lock = threading.RLock()
        self.schema_version_found = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the folder for the database "
                             f"({exc.strerror or exc})") from exc
        try:
            self._conn = sqlite3.connect(str(self.path), timeout=self.timeout,
                                         isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database ({exc})") from exc
        try:
            self._setup()
        except BaseException:
            self._conn.close()
            raise

    # -- connection and transactions ----------------------------------------------------
    def _setup(self) -> None:
        """Pragmas, then migrations in one write transaction."""
        try:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL
            self._conn.execute("PRAGMA foreign_keys = ON")
            # 64 MiB of page cache instead of 2: a one-month window at 1,000,000 events
            # reads ~12,000 rows scattered over the file; cached, a repeated query (the
            # map's filter changes) reads them in ~20 ms instead of ~50 ms.
            self._conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        except sqlite3.Error as exc:
            raise self._translate(exc, "opening the database") from exc
        with self._write("upgrading the database schema"):
            self.schema_version_found = migrate(self._conn, str(self.path))
            self._ensure_span_bound(self._conn)

    #: SQL for the days from ``span_lo`` to ``span_hi`` (finite ends), per dialect.
    _SPAN_DAYS_SQL = "CAST(ROUND(julianday(span_hi) - julianday(span_lo)) AS INTEGER)"

    def _ensure_span_bound(self, conn: sqlite3.Connection) -> None:
        """Fill in ``store_meta.max_span_days`` when missing (a new database, or one just
        migrated to version 2): one pass over the stored spans, inside the migration's
        transaction (~2 s at 1,000,000 events, once)."""
        if conn.execute("SELECT 1 FROM store_meta WHERE key = ?",
                        (MAX_SPAN_DAYS_KEY,)).fetchone():
            return
        row = conn.execute(f"SELECT MAX({self._SPAN_DAYS_SQL}) FROM events "
                           f"WHERE span_lo > ? AND span_hi < ?",
                           (SPAN_OPEN_LO, SPAN_OPEN_HI)).fetchone()
        conn.execute("INSERT INTO store_meta (key, value) VALUES (?, ?)",
                     (MAX_SPAN_DAYS_KEY, max(0, int(row[0] or 0))))

    def _raise_span_bound(self, conn: sqlite3.Connection, days: int | None) -> None:
        """Keep ``max_span_days`` >= ``days`` (inside the caller's write transaction).
        ``_span_bound_raised`` remembers what this transaction already ensured (reset by
        ``_write``), so a bulk write issues the UPDATE only when a longer interval comes."""
        if days is None or days <= max(0, self._span_bound_raised):
            return
        conn.execute("UPDATE store_meta SET value = ? WHERE key = ? AND value < ?",
                     (days, MAX_SPAN_DAYS_KEY, days))
        self._span_bound_raised = days

    def _span_bound(self) -> int | None:
        """The stored ``max_span_days`` (None if unreadable: the query then runs unbounded)."""
        rows = self._read("SELECT value FROM store_meta WHERE key = ?", (MAX_SPAN_DAYS_KEY,))
        return int(rows[0][0]) if rows else None

    def _translate(self, exc: sqlite3.Error, doing: str) -> StoreError:
        if _is_locked(exc):
            return StoreLockedError(
                f"{self.path}: the database is locked by another program (waited "
                f"{self.timeout:g} s while {doing}); nothing was written. Close the other "
                f"program or retry; GEO_SQLITE_TIMEOUT sets how long to wait.")
        return StoreError(f"{self.path}: database error while {doing}: {exc}; "
                          f"nothing was written.")

    @contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE (take the write lock up front, so a
        lock conflict surfaces before anything is done), COMMIT, or ROLLBACK on any error."""
        with self._lock:
            self._span_bound_raised = -1
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._translate(exc, doing) from exc
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._translate(exc, doing) from exc
                raise

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                if _is_locked(exc):
                    raise StoreLockedError(f"{self.path}: the database is locked by another "
                                           f"program; could not read it ({exc})") from exc
                raise StoreError(f"{self.path}: cannot read the database: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @property
    def schema_version(self) -> int:
        """Schema version of the open database (``LATEST_VERSION`` once opened)."""
        with self._lock:
            return current_version(self._conn)

    # -- writing ----------------------------------------------------------------------
    def ingest(self, article: Article, events: Iterable[Event]) -> IngestResult:
        events = list(events)
        aid = article.article_id
        result = IngestResult(article_id=aid, article_new=True)
        with self._write(f"ingesting article {aid}") as conn:
            if conn.execute("SELECT 1 FROM articles WHERE article_id = ?", (aid,)).fetchone():
                result.article_new = False
                if events:
                    result.warnings.append(f"article {aid} is already stored; its "
                                           f"{len(events)} event(s) were not ingested again")
                return result
            values = [getattr(article, c) for c in _ARTICLE_COLUMNS]
            values[2] = _iso(article.published)
            conn.execute(f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}, ingested_at) "
                         f"VALUES ({', '.join('?' * (len(values) + 1))})",
                         (*values, utc_now()))
            for i, event in enumerate(events):
                where = f"article {aid}, event {i + 1} ({event.event_id})"
                validate.check_event(event, where=where)
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
                else:
                    self._merge(conn, target, event, extra_article_ids=[aid])
                    result.events_merged += 1
        return result

    def add_events(self, events: Iterable[Event]) -> int:
        """Events without an article (imported, curated, manual): inserted as they are,
        an event whose id is already stored is skipped (re-import is a no-op). No
        cross-source merging: imported datasets are deduplicated by whoever made them."""
        events = list(events)
        with self._write("adding events") as conn:
            for i, event in enumerate(events):
                validate.check_event(event, where=f"event {i + 1} ({event.event_id})")
            added = self._insert_events(conn, events)
        self._after_bulk_write(added)
        return added

    def import_events(self, events: Iterable[Event], *,
                      on_progress: Progress | None = None) -> ImportOutcome:
        """See ``Store.import_events``. All lookups run before the first insert, so a
        batch is only compared with what was stored before it; one transaction, so a
        failure (invalid event, lock) leaves the database as it was."""
        events = list(events)
        outcome = ImportOutcome()
        step = max(1, len(events) // 100)
        with self._write(f"importing {len(events)} events") as conn:
            fresh: list[Event] = []
            stored_any = conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None
            # Events already stored under the same id, fetched in a few statements rather
            # than one lookup per event (a round trip each on PostGIS).
            same_id = self._load_events_by_id(conn, [e.event_id for e in events]) \
                if stored_any else {}
            for i, event in enumerate(events):
                validate.check_event(event, where=f"event {i + 1} ({event.event_id})")
                match = same_id.get(event.event_id) or (
                    self._find_match(conn, event, id_known_absent=True) if stored_any
                    else None)
                if match is None:
                    fresh.append(event)
                else:
                    outcome.duplicates.append((i, event.event_id, match.event_id))
                if on_progress is not None and (i + 1) % step == 0:
                    on_progress(i + 1, len(events))
            outcome.added = self._insert_events(conn, fresh)
        self._after_bulk_write(outcome.added)
        if on_progress is not None:
            on_progress(len(events), len(events))
        return outcome

    def update_event(self, event_id: str, changes: dict[str, Any], *,
                     author: str = "analyst", note: str = "") -> Event:
        """Validate, apply, audit (one row per changed field), set the review status.

        Changing ``event_date`` to a day outside the stored interval (without giving
        ``date_min``/``date_max``) moves the interval to that day, so the event stays
        consistent; those bound changes are audited too. Unknown event id or an invalid
        value raise ``InputError`` naming the field; nothing is written then.
        """
        with self._write(f"updating event {event_id}") as conn:
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
            now = utc_now()
            conn.executemany(
                "INSERT INTO audit (event_id, at, author, field, before, after, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(event_id, now, author, name, _json(before), _json(after), note)
                 for name, (before, after) in diffs.items()])
            updated = current
            for name, (_, after) in diffs.items():
                setattr(updated, name, after)
            self._write_event_row(conn, updated, existing=True)
            return self._load_event(conn, event_id)  # type: ignore[return-value]

    def add_custom_place(self, place: Place) -> None:
        """Insert or replace (an analyst may correct their own place) by ``place_id``."""
        validate.check_place(place)
        with self._write(f"adding custom place {place.place_id}") as conn:
            values = [getattr(place, c) for c in _PLACE_COLUMNS]
            updates = ", ".join(f"{c} = excluded.{c}" for c in (*_PLACE_COLUMNS, "created_at")
                                if c != "place_id")
            conn.execute(f"INSERT INTO custom_places "
                         f"({', '.join(_PLACE_COLUMNS)}, created_at) "
                         f"VALUES ({', '.join('?' * (len(values) + 1))}) "
                         f"ON CONFLICT (place_id) DO UPDATE SET {updates}",
                         (*values, utc_now()))

    def confirm_name(self, name: str, place: Place, *, author: str = "") -> None:
        key = _name_key(name)
        validate.check_place(place)
        with self._write(f"confirming the place of {name!r}") as conn:
            conn.execute(
                "INSERT INTO confirmed_names (name_key, name, place_id, place_name, latitude, "
                "longitude, country, admin1, place_type, author, confirmed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in (
                    "name", "place_id", "place_name", "latitude", "longitude", "country",
                    "admin1", "place_type", "author", "confirmed_at")),
                (key, " ".join(name.split()), place.place_id, place.name, place.latitude,
                 place.longitude, place.country, place.admin1, place.place_type, author,
                 utc_now()))

    def forget_confirmed_name(self, name: str) -> bool:
        key = _name_key(name)
        with self._write(f"forgetting the confirmation of {name!r}") as conn:
            cur = conn.execute("DELETE FROM confirmed_names WHERE name_key = ?", (key,))
            return bool(cur.rowcount)

    def confirmed_names(self) -> list[tuple[str, Place]]:
        rows = self._read("SELECT name, place_id, place_name, latitude, longitude, country, "
                          "admin1, place_type FROM confirmed_names ORDER BY name_key")
        return [(r[0], Place(r[1], r[2], float(r[3]), float(r[4]), r[5], r[6], r[7],
                             source="confirmed")) for r in rows]

    def cache_put(self, namespace: str, key: str, value: Any) -> None:
        try:
            encoded = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise InputError(f"cache value for {namespace}/{key} is not JSON-serialisable "
                             f"({exc})", field="value") from exc
        with self._write(f"caching {namespace}/{key}") as conn:
            conn.execute("INSERT INTO cache (namespace, key, value, created_at) "
                         "VALUES (?, ?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET "
                         "value = excluded.value, created_at = excluded.created_at",
                         (namespace, key, encoded, utc_now()))

    # -- write helpers (inside a transaction) -------------------------------------------
    def _find_match(self, conn: sqlite3.Connection, event: Event, *,
                    id_known_absent: bool = False) -> Event | None:
        """The stored event this report duplicates, if any: same id first, else the
        candidates an index lookup finds, judged by ``dedup.events_match``. Rejected
        events are never merge targets (a new report should be seen, not hidden).
        ``id_known_absent``: the caller already looked the id up (saves a statement)."""
        if not id_known_absent:
            existing = self._load_event(conn, event.event_id, with_lists=False)
            if existing is not None:
                return existing
        cls = dedup.event_class(event.event_type, event.sub_event_type)
        conds = ["event_class = ?", "review_status != ?"]
        params: list[Any] = [cls, ReviewStatus.REJECTED.value]
        lo, hi = span(event.date_min, event.date_max, event.event_date)
        if lo is None:
            conds.append("span_lo IS NULL")
        else:
            conds.append("span_hi >= ? AND span_lo <= ?")
            params += [lo, hi]
        places: list[tuple[str, list[Any]]] = []       # (condition, its parameters)
        if event.place_id:
            places.append(("place_id = ?", [event.place_id]))
        if event.latitude is not None and event.longitude is not None:
            dlat = dedup.MATCH_RADIUS_KM / _KM_PER_DEGREE * 1.01
            dlon = dlat / max(0.01, _cos_deg(event.latitude))
            places.append(("latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?",
                           [event.latitude - dlat, event.latitude + dlat,
                            event.longitude - dlon, event.longitude + dlon]))
        elif not event.place_id and event.location:
            places.append(("place_id = '' AND latitude IS NULL AND lower(location) = "
                           "lower(?)", [event.location.strip()]))
        if not places:
            return None
        # One SELECT per way of being "the same place", joined by UNION: an OR inside one
        # WHERE would keep SQLite from using the (place_id, ...) and (latitude, ...) indexes.
        select = (f"SELECT {', '.join(EVENT_FIELDS)}, created_at FROM events WHERE "
                  + " AND ".join(conds))
        sql = (" UNION ".join(f"{select} AND {place}" for place, _ in places)
               + " ORDER BY created_at, event_id")
        args = [value for _, place_args in places for value in (*params, *place_args)]
        for row in conn.execute(sql, args).fetchall():
            candidate = _row_to_event(row[:-1])
            if dedup.events_match(candidate, event):
                return candidate
        return None

    def _insert_event(self, conn: sqlite3.Connection, event: Event,
                      extra_article_ids: Iterable[str] = ()) -> bool:
        """Insert a new event with its sources; False (nothing written) if its id exists."""
        ids, sources = _new_sources(event, extra_article_ids)
        if not self._write_event_row(conn, event, existing=False, sources=sources):
            return False
        self._add_sources(conn, event.event_id, ids, event.evidence, start=0)
        return True

    def _insert_events(self, conn: sqlite3.Connection, events: list[Event]) -> int:
        """Insert validated events without an article, in order; an id already stored
        (or earlier in ``events``) is skipped. Returns how many were inserted.

        One statement per event is cheap in-process; ``PostGISStore`` overrides this to
        save the round trips."""
        return sum(self._insert_event(conn, event) for event in events)

    def _after_bulk_write(self, rows_written: int) -> None:
        """Called after a bulk write committed (``PostGISStore`` refreshes planner
        statistics there). SQLite's planner needs none for the store's queries."""

    def _load_events_by_id(self, conn: sqlite3.Connection,
                           event_ids: list[str]) -> dict[str, Event]:
        """Stored events (scalar fields only) among ``event_ids``, by id, in a few
        statements of ``_ID_CHUNK`` ids each."""
        found: dict[str, Event] = {}
        ids = list(dict.fromkeys(event_ids))
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start:start + _ID_CHUNK]
            for row in conn.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE "
                                    f"event_id IN ({', '.join('?' * len(chunk))})", chunk):
                event = _row_to_event(row)
                found[event.event_id] = event
        return found

    def _merge(self, conn: sqlite3.Connection, stored: Event, incoming: Event,
               extra_article_ids: list[str]) -> None:
        """Fold another report into a stored event (see ``dedup.merge_into``)."""
        keep = stored.review_status in (ReviewStatus.CONFIRMED.value,
                                        ReviewStatus.CORRECTED.value)
        merged = dedup.merge_into(stored, incoming, keep_dates=keep)
        have = [r[0] for r in conn.execute("SELECT article_id FROM event_sources WHERE "
                                           "event_id = ? ORDER BY position", (stored.event_id,))]
        new = [a for a in _unique([*incoming.article_ids,
                                   *(e.article_id for e in incoming.evidence),
                                   *extra_article_ids]) if a not in have]
        self._add_sources(conn, stored.event_id, new, incoming.evidence, start=len(have))
        first = conn.execute("SELECT sentence, source_file, mentions FROM evidence "
                             "WHERE event_id = ? ORDER BY id LIMIT 1",
                             (stored.event_id,)).fetchone() or ("", "", "[]")
        self._write_event_row(conn, merged, existing=True, sources={
            "n_sources": len(have) + len(new), "article_ids": ",".join(have + new),
            "evidence_sentence": first[0], "source_file": first[1],
            "evidence_mentions": first[2]})

    def _write_event_row(self, conn: sqlite3.Connection, event: Event, *, existing: bool,
                         sources: dict[str, Any] | None = None) -> bool:
        """Insert (if the id is new) or update the ``events`` row: the Event fields and
        the derived columns; ``sources`` carries the source-derived columns when they
        changed. Returns whether a row was written."""
        values = [_column_value(event, name) for name in EVENT_FIELDS]
        derived = _derived(event, sources)
        if existing:
            sets = [f"{n} = ?" for n in EVENT_FIELDS if n != "event_id"] + \
                   [f"{n} = ?" for n in derived]
            vals = [v for n, v in zip(EVENT_FIELDS, values) if n != "event_id"]
            cur = conn.execute(f"UPDATE events SET {', '.join(sets)} WHERE event_id = ?",
                               (*vals, *derived.values(), event.event_id))
        else:
            derived["created_at"] = derived["updated_at"]
            cols = (*EVENT_FIELDS, *derived)
            cur = conn.execute(f"INSERT INTO events ({', '.join(cols)}) "
                               f"VALUES ({', '.join('?' * len(cols))}) "
                               f"ON CONFLICT DO NOTHING",
                               (*values, *derived.values()))
        if cur.rowcount > 0:
            self._raise_span_bound(conn, span_days(derived["span_lo"], derived["span_hi"]))
        return cur.rowcount > 0

    @staticmethod
    def _add_sources(conn: sqlite3.Connection, event_id: str, article_ids: list[str],
                     evidence: list[Evidence], *, start: int) -> None:
        """Attach new article ids (positions from ``start``) and evidence (an evidence
        row already stored for the event is ignored)."""
        if article_ids:
            conn.executemany("INSERT INTO event_sources (event_id, article_id, "
                             "position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                             [(event_id, aid, start + i) for i, aid in enumerate(article_ids)])
        if evidence:
            conn.executemany(
                "INSERT INTO evidence (event_id, article_id, sentence, "
                "sentence_start, mentions, source_file) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [(event_id, ev.article_id, ev.sentence, int(ev.sentence_start),
                  _mentions_json(ev.mentions), ev.source_file) for ev in evidence])

    # -- reading ------------------------------------------------------------------------
    def query_events(self, flt: EventFilter | None = None) -> gpd.GeoDataFrame:
        """Matching events as a GeoDataFrame in EPSG:4326, ordered by date_min then id.

        Columns: ``FRAME_COLUMNS`` (Event scalar fields, ``n_sources``, ``article_ids``
        comma-joined, ``evidence_sentence`` and ``source_file`` of the first evidence,
        ``evidence_mentions``: that sentence's mentions as JSON text, a list of
        ``{"kind", "start", "end", "text"}`` with offsets into ``evidence_sentence``,
        "[]" without evidence; decode with ``geo.core.mentions.parse_mentions``, which also
        checks them) plus ``geometry`` (points). Dtypes are ``frame.FRAME_DTYPES``: dates
        ``datetime64[ns]`` (NaT when unknown), counts ``int64``, coordinates and
        confidence ``float64``, text ``object`` holding ``str`` (never missing).
        Events matching the filter but lacking coordinates cannot be drawn and are left
        out; their number is in ``frame.attrs["n_without_coordinates"]``, and
        ``frame.attrs["description"]`` is the filter in words with the row count.
        """
        flt = flt or EventFilter()
        bound = self._span_bound() if flt.date_from and flt.date_to else None
        with gc_paused():
            while True:
                where, params = build_where(flt, max_span_days=bound)
                rows = self._read(f"SELECT {', '.join(FRAME_COLUMNS)} FROM events "
                                  f"WHERE {where} ORDER BY span_lo, event_id", params)
                if bound is None:
                    break
                # The bound only grows, in the transaction that stores a longer interval:
                # unchanged now, every event the query could see was within it.
                again = self._span_bound()
                if again == bound:
                    break
                bound = again
            lat = FRAME_COLUMNS.index("latitude")
            located = [r for r in rows if r[lat] is not None]  # validation pairs lat/lon
            frame = rows_to_frame(located) if located else empty_frame()
        frame.attrs["n_without_coordinates"] = len(rows) - len(located)
        frame.attrs["description"] = flt.describe(len(frame))
        return frame

    def get_event(self, event_id: str) -> Event | None:
        with self._lock:
            return self._load_event(self._conn, event_id)

    def _load_event(self, conn: sqlite3.Connection, event_id: str, *,
                    with_lists: bool = True) -> Event | None:
        row = conn.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE event_id = ?",
                           (event_id,)).fetchone()
        if row is None:
            return None
        event = _row_to_event(row)
        if with_lists:
            event.article_ids = [r[0] for r in conn.execute(
                "SELECT article_id FROM event_sources WHERE event_id = ? ORDER BY position",
                (event_id,))]
            event.evidence = [
                Evidence(article_id=r[0], sentence=r[1], sentence_start=r[2],
                         mentions=[Mention(**m) for m in json.loads(r[3])], source_file=r[4])
                for r in conn.execute(
                    "SELECT article_id, sentence, sentence_start, mentions, source_file "
                    "FROM evidence WHERE event_id = ? ORDER BY id", (event_id,))]
        return event

    def get_article(self, article_id: str) -> Article | None:
        rows = self._read(f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles "
                          f"WHERE article_id = ?", (article_id,))
        return _row_to_article(rows[0]) if rows else None

    def list_articles(self) -> list[Article]:
        return [_row_to_article(r) for r in self._read(
            f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles ORDER BY published, article_id")]

    def audit_trail(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """Audit rows, oldest first, values JSON-decoded (dates as ISO strings)."""
        sql = "SELECT id, event_id, at, author, field, before, after, note FROM audit"
        rows = self._read(sql + (" WHERE event_id = ? ORDER BY id" if event_id else
                                 " ORDER BY id"), (event_id,) if event_id else ())
        keys = ("id", "event_id", "at", "author", "field", "before", "after", "note")
        out = []
        for row in rows:
            item = dict(zip(keys, row))
            item["before"], item["after"] = json.loads(row[5]), json.loads(row[6])
            out.append(item)
        return out

    def custom_places(self) -> list[Place]:
        return [Place(**dict(zip(_PLACE_COLUMNS, r))) for r in self._read(
            f"SELECT {', '.join(_PLACE_COLUMNS)} FROM custom_places ORDER BY name, place_id")]

    def cache_get(self, namespace: str, key: str) -> Any | None:
        rows = self._read("SELECT value FROM cache WHERE namespace = ? AND key = ?",
                          (namespace, key))
        return json.loads(rows[0][0]) if rows else None

    def counts(self) -> dict[str, int]:
        tables = ("articles", "events", "event_sources", "evidence", "audit",
                  "custom_places", "cache")
        row = self._read("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))[0]
        return dict(zip(tables, (int(v) for v in row)))


# -- row conversion -------------------------------------------------------------------------
#: Ids per ``IN (...)`` lookup: well under SQLite's 32,766 host parameters.
_ID_CHUNK = 500

#: SQLite page cache per connection, KiB (see ``_setup``).
_CACHE_KIB = 65_536


def _name_key(name: str) -> str:
    """The key a confirmation is stored under: the geocoder's cleaned, folded name."""
    from geo.geocode.normalize import exact_key
    from geo.geocode.query import clean_text
    key = exact_key(clean_text(name)) if isinstance(name, str) else ""
    if not key:
        raise InputError(f"cannot confirm {name!r}: not a place name", field="name")
    return key


def _new_sources(event: Event, extra_article_ids: Iterable[str] = ()
                 ) -> tuple[list[str], dict[str, Any]]:
    """Article ids of a new event and the source-derived columns of its row."""
    ids = _unique([*event.article_ids, *(e.article_id for e in event.evidence),
                   *extra_article_ids])
    first = event.evidence[0] if event.evidence else None
    return ids, {"n_sources": len(ids), "article_ids": ",".join(ids),
                 "evidence_sentence": first.sentence if first else "",
                 "source_file": first.source_file if first else "",
                 "evidence_mentions": _mentions_json(first.mentions) if first else "[]"}


def _mentions_json(mentions: Iterable[Mention]) -> str:
    """Mentions as stored, in ``evidence.mentions`` and ``events.evidence_mentions`` alike
    (one encoder, so the derived column always equals its evidence row)."""
    return json.dumps([asdict(m) for m in mentions], ensure_ascii=False)


def _derived(event: Event, sources: dict[str, Any] | None) -> dict[str, Any]:
    """The derived columns of an event's row (``schema.DERIVED_COLUMNS`` and
    ``updated_at``); ``sources`` carries the source-derived ones when they changed."""
    lo, hi = span(event.date_min, event.date_max, event.event_date)
    return {"span_lo": lo, "span_hi": hi,
            "event_class": dedup.event_class(event.event_type, event.sub_event_type),
            "search_text": search_text(event.location, event.actor1, event.actor2,
                                       event.notes),
            **(sources or {}), "updated_at": utc_now()}


def _insert_row(event: Event, extra_article_ids: Iterable[str] = ()
                ) -> tuple[tuple[str, ...], tuple[Any, ...], list[str]]:
    """``(columns, values, article ids)`` of a new event's row, as ``_insert_event``
    writes it (``created_at`` = ``updated_at``), for bulk inserts."""
    ids, sources = _new_sources(event, extra_article_ids)
    derived = _derived(event, sources)
    derived["created_at"] = derived["updated_at"]
    return ((*EVENT_FIELDS, *derived),
            (*(_column_value(event, name) for name in EVENT_FIELDS), *derived.values()), ids)


def _unique(ids: Iterable[str]) -> list[str]:
    """Non-empty ids, first occurrence order."""
    return [i for i in dict.fromkeys(ids) if i]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _json(value: Any) -> str:
    return json.dumps(value.isoformat() if isinstance(value, date) else value,
                      ensure_ascii=False)


def _cos_deg(lat: float) -> float:
    return math.cos(math.radians(lat))


def _column_value(event: Event, name: str) -> Any:
    value = getattr(event, name)
    if name in _DATE_FIELDS:
        return _iso(value)
    if name in ("time_precision", "geo_precision", "fatalities"):
        return int(value)
    if name in ("latitude", "longitude"):
        return None if value is None else float(value)
    if name == "confidence":
        return float(value)
    if name in ("review_status", "origin"):
        return getattr(value, "value", value)
    return value


def _row_to_event(row: tuple) -> Event:
    values = dict(zip(EVENT_FIELDS, row))
    for name in _DATE_FIELDS:
        if values[name] is not None:
            values[name] = date.fromisoformat(values[name])
    return Event(**values)


def _row_to_article(row: tuple) -> Article:
    values = dict(zip(_ARTICLE_COLUMNS, row))
    if values["published"]:
        values["published"] = date.fromisoformat(values["published"])
    return Article(**values)


__all__ = ["SQLiteStore", "LATEST_VERSION", "FRAME_COLUMNS"]
