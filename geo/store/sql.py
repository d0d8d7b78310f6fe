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
database exactly as it was. A lock held by another program beyond the backend's
timeout raises ``StoreLockedError``. The connection is shared between threads
(Streamlit reruns scripts on other threads) and serialised by a lock.
"""
from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar

import geopandas as gpd

from geo.core import dedup, validate
from geo.core.errors import InputError, StoreError, StoreLockedError
from geo.core.records import EVENT_FIELDS, Article, Event, Evidence, Mention, Place, ReviewStatus
from geo.store import rows as R
from geo.store import schema
from geo.store.backend import Backend
from geo.store.base import ImportOutcome, IngestResult, Progress, Store
from geo.store.frame import FRAME_COLUMNS, empty_frame, gc_paused, rows_to_frame
from geo.store.query import EventFilter, build_where
from geo.store.schema import MAX_SPAN_DAYS_KEY, SPAN_OPEN_HI, SPAN_OPEN_LO, span, span_days

T = TypeVar("T")

#: Ids per ``IN (...)`` lookup: well under SQLite's 32,766 host parameters.
_ID_CHUNK = 500
_KM_PER_DEGREE = 111.2


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
        """Session settings, then migrations in one write transaction."""
        try:
            self.backend.configure(self._conn)
        except self.backend.errors as exc:
            raise self._translate(exc, "opening the database") from exc

        def upgrade(conn: Any) -> None:
            self.schema_version_found = schema.migrate(conn, str(self.path), self.dialect)
            self._ensure_span_bound(conn)

        self._write("upgrading the database schema", upgrade)

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

    def _write(self, doing: str, work: Callable[[Any], T]) -> T:
        """Run ``work(conn)`` in one write transaction (see the module docstring)."""
        with self._lock:
            self._span_bound_raised = -1
            try:
                with self.backend.transaction(self._conn):
                    return work(self._conn)
            except self.backend.errors as exc:
                raise self._translate(exc, doing) from exc

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                rows: list[tuple[Any, ...]] = self._conn.execute(sql, tuple(params)).fetchall()
                return rows
            except self.backend.errors as exc:
                if self.backend.is_lock_conflict(exc):
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
            return schema.current_version(self._conn, self.dialect)

    # -- writing ----------------------------------------------------------------------
    def ingest(self, article: Article, events: Iterable[Event]) -> IngestResult:
        events = list(events)
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
            conn.execute(f"INSERT INTO articles ({', '.join(R.ARTICLE_COLUMNS)}, ingested_at) "
                         f"VALUES ({_marks(p, len(values) + 1)})",
                         (*values, schema.utc_now()))
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
                    result.event_ids.append(event.event_id)
                else:
                    self._merge(conn, target, event, extra_article_ids=[aid])
                    result.events_merged += 1
                    result.event_ids.append(target.event_id)
            return result

        return self._write(f"ingesting article {aid}", work)

    def add_events(self, events: Iterable[Event]) -> int:
        """Events without an article (imported, curated, manual): inserted as they are,
        an event whose id is already stored is skipped (re-import is a no-op). No
        cross-source merging: imported datasets are deduplicated by whoever made them."""
        events = list(events)

        def work(conn: Any) -> int:
            for i, event in enumerate(events):
                validate.check_event(event, where=f"event {i + 1} ({event.event_id})")
            return self._insert_events(conn, events)

        added = self._write("adding events", work)
        self._after_bulk_write(added)
        return added

    def import_events(self, events: Iterable[Event], *,
                      on_progress: Progress | None = None) -> ImportOutcome:
        """See ``Store.import_events``. All lookups run before the first insert, so a
        batch is only compared with what was stored before it; one transaction, so a
        failure (invalid event, lock) leaves the database as it was."""
        events = list(events)
        step = max(1, len(events) // 100)

        def work(conn: Any) -> ImportOutcome:
            outcome = ImportOutcome()
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
            return outcome

        outcome = self._write(f"importing {len(events)} events", work)
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
        p = self.placeholder

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
            now = schema.utc_now()
            conn.cursor().executemany(
                f"INSERT INTO audit (event_id, at, author, field, before, after, note) "
                f"VALUES ({_marks(p, 7)})",
                [(event_id, now, author, name, R.audit_json(before), R.audit_json(after),
                  note) for name, (before, after) in diffs.items()])
            updated = current
            for name, (_, after) in diffs.items():
                setattr(updated, name, after)
            self._write_event_row(conn, updated, existing=True)
            return self._load_event(conn, event_id)  # type: ignore[return-value]

        return self._write(f"updating event {event_id}", work)

    def add_custom_place(self, place: Place) -> None:
        """Insert or replace (an analyst may correct their own place) by ``place_id``."""
        validate.check_place(place)
        values = [getattr(place, c) for c in R.PLACE_COLUMNS]
        updates = ", ".join(f"{c} = excluded.{c}" for c in (*R.PLACE_COLUMNS, "created_at")
                            if c != "place_id")
        sql = (f"INSERT INTO custom_places ({', '.join(R.PLACE_COLUMNS)}, created_at) "
               f"VALUES ({_marks(self.placeholder, len(values) + 1)}) "
               f"ON CONFLICT (place_id) DO UPDATE SET {updates}")
        self._write(f"adding custom place {place.place_id}",
                    lambda conn: conn.execute(sql, (*values, schema.utc_now())))

    def confirm_name(self, name: str, place: Place, *, author: str = "") -> None:
        key = _name_key(name)
        validate.check_place(place)
        columns = ("name", "place_id", "place_name", "latitude", "longitude", "country",
                   "admin1", "place_type", "author", "confirmed_at")
        sql = (f"INSERT INTO confirmed_names (name_key, {', '.join(columns)}) "
               f"VALUES ({_marks(self.placeholder, len(columns) + 1)}) "
               f"ON CONFLICT (name_key) DO UPDATE SET "
               + ", ".join(f"{c} = excluded.{c}" for c in columns))
        values = (key, " ".join(name.split()), place.place_id, place.name, place.latitude,
                  place.longitude, place.country, place.admin1, place.place_type, author,
                  schema.utc_now())
        self._write(f"confirming the place of {name!r}",
                    lambda conn: conn.execute(sql, values))

    def forget_confirmed_name(self, name: str) -> bool:
        key = _name_key(name)
        sql = f"DELETE FROM confirmed_names WHERE name_key = {self.placeholder}"
        return self._write(f"forgetting the confirmation of {name!r}",
                           lambda conn: bool(conn.execute(sql, (key,)).rowcount))

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
        sql = (f"INSERT INTO cache (namespace, key, value, created_at) "
               f"VALUES ({_marks(self.placeholder, 4)}) ON CONFLICT (namespace, key) DO "
               f"UPDATE SET value = excluded.value, created_at = excluded.created_at")
        self._write(f"caching {namespace}/{key}", lambda conn: conn.execute(
            sql, (namespace, key, encoded, schema.utc_now())))

    # -- write helpers (inside a transaction) -------------------------------------------
    def _find_match(self, conn: Any, event: Event, *,
                    id_known_absent: bool = False) -> Event | None:
        """The stored event this report duplicates, if any: same id first, else the
        candidates an index lookup finds, judged by ``dedup.events_match``. Rejected
        events are never merge targets (a new report should be seen, not hidden).
        ``id_known_absent``: the caller already looked the id up (saves a statement)."""
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
        select = (f"SELECT {', '.join(EVENT_FIELDS)}, created_at FROM events WHERE "
                  + " AND ".join(conds))
        sql = (" UNION ".join(f"{select} AND {place}" for place, _ in places)
               + " ORDER BY created_at, event_id")
        args = [value for _, place_args in places for value in (*params, *place_args)]
        for row in conn.execute(sql, args).fetchall():
            candidate = R.row_to_event(row[:-1])
            if dedup.events_match(candidate, event):
                return candidate
        return None

    def _insert_event(self, conn: Any, event: Event,
                      extra_article_ids: Iterable[str] = ()) -> bool:
        """Insert a new event with its sources; False (nothing written) if its id exists."""
        ids, sources = R.new_sources(event, extra_article_ids)
        if not self._write_event_row(conn, event, existing=False, sources=sources):
            return False
        self._add_sources(conn, event.event_id, ids, event, start=0)
        return True

    def _insert_events(self, conn: Any, events: list[Event]) -> int:
        """Insert validated events without an article, in order; an id already stored
        (or earlier in ``events``) is skipped. Returns how many were inserted.

        Rows go through the backend's bulk insert (on PostGIS one ``COPY`` instead of a
        network round trip per event), then sources and evidence in one ``executemany``
        each; the first event of an id wins, as with one insert after the other."""
        rows: dict[str, tuple[Event, tuple[Any, ...], list[str]]] = {}
        columns: tuple[str, ...] = ()
        for event in events:
            if event.event_id not in rows:
                columns, values, ids = R.insert_row(event)
                rows[event.event_id] = (event, values, ids)
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

    def _after_bulk_write(self, rows_written: int) -> None:
        with self._lock:
            self.backend.after_bulk_write(self._conn, rows_written)

    def _load_events_by_id(self, conn: Any, event_ids: list[str]) -> dict[str, Event]:
        """Stored events (scalar fields only) among ``event_ids``, by id, in a few
        statements of ``_ID_CHUNK`` ids each."""
        found: dict[str, Event] = {}
        ids = list(dict.fromkeys(event_ids))
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start:start + _ID_CHUNK]
            for row in conn.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE "
                                    f"event_id IN ({_marks(self.placeholder, len(chunk))})",
                                    chunk).fetchall():
                event = R.row_to_event(row)
                found[event.event_id] = event
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
                where, params = build_where(flt, placeholder=self.placeholder,
                                            max_span_days=bound)
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


def _marks(placeholder: str, n: int) -> str:
    """``n`` parameter markers, comma-separated."""
    return ", ".join([placeholder] * n)


__all__ = ["SQLStore"]
