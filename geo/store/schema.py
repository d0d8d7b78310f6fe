"""The schema as an ordered list of migrations, applied in one transaction on open.

Why migrations from day one: analysts keep their databases for years (their corrections
live there), so a new program version must upgrade an old file in place, and an old
program must refuse a file it does not understand instead of corrupting it.

To change the schema, append a ``Migration`` with the next version; never edit one that
has shipped. Scripts are portable SQL with the column types as ``{TEXT}``, ``{REAL}``,
``{INTEGER}`` and ``{ID}``, which each backend's ``Dialect`` fills in (SQLite: TEXT,
REAL, INTEGER, INTEGER PRIMARY KEY; PostgreSQL: TEXT COLLATE "C" so ordering matches
SQLite's byte order, DOUBLE PRECISION, BIGINT, BIGSERIAL PRIMARY KEY).
"""
from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from geo.core.errors import SchemaError

#: Columns the store derives and keeps in step with each write, so a query reads one
#: table (no joins, no aggregation per slider step).
DERIVED_COLUMNS: tuple[str, ...] = (
    "span_lo", "span_hi", "event_class", "search_text", "n_sources", "article_ids",
    "evidence_sentence", "source_file", "evidence_mentions",
)


class Migration(NamedTuple):
    """One step of the schema (named tuples here, not dataclasses: the command line's
    quick answers read this module and ``dataclasses`` costs them milliseconds)."""

    version: int
    description: str
    sql: str


class Dialect(NamedTuple):
    """What one SQL database spells differently; the rest of the store's SQL is portable.

    Why a table of differences rather than rewriting SQLite's SQL with regular
    expressions: every difference is written down once, here and in each backend, and
    nothing can be rewritten by accident (a ``?`` or a type name inside a string)."""

    name: str
    #: The driver's parameter marker ("?" for sqlite3, "%s" for psycopg): every
    #: statement of the store, ``query.build_where`` included, is built with it.
    placeholder: str
    #: Column types of the migration scripts: ``{TEXT}``, ``{REAL}``, ``{INTEGER}`` and
    #: ``{ID}`` (an integer key numbered by the database).
    types: Mapping[str, str]
    #: Days from ``span_lo`` to ``span_hi`` (both finite ISO dates) as an integer.
    span_days_sql: str
    #: One parameter, a table name: returns a row when the table exists.
    table_exists_sql: str
    #: Statements run before the migrations, in their transaction.
    prelude: tuple[str, ...] = ()
    #: Scripts run after a migration's own statements, by version (PostGIS geometry).
    extras: Mapping[int, str] = MappingProxyType({})

    def render(self, script: str) -> str:
        """A migration script with this dialect's column types."""
        return script.format_map(self.types)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, events, sources, evidence, audit, custom places, cache", """
CREATE TABLE articles (
    article_id       {TEXT} PRIMARY KEY,          -- hash of the normalized text
    title            {TEXT} NOT NULL DEFAULT '',
    published        {TEXT},                      -- ISO date or NULL
    published_source {TEXT} NOT NULL DEFAULT '',
    source_name      {TEXT} NOT NULL DEFAULT '',
    url              {TEXT} NOT NULL DEFAULT '',
    path             {TEXT} NOT NULL DEFAULT '',
    text             {TEXT} NOT NULL,
    ingested_at      {TEXT} NOT NULL              -- UTC ISO timestamp
);

CREATE TABLE events (
    event_id          {TEXT} PRIMARY KEY,
    event_date        {TEXT},                     -- ISO dates; NULL when unknown
    event_type        {TEXT} NOT NULL,
    sub_event_type    {TEXT} NOT NULL,
    actor1            {TEXT} NOT NULL DEFAULT '',
    actor2            {TEXT} NOT NULL DEFAULT '',
    assoc_actor_1     {TEXT} NOT NULL DEFAULT '',
    location          {TEXT} NOT NULL DEFAULT '',
    latitude          {REAL},
    longitude         {REAL},
    time_precision    {INTEGER} NOT NULL,
    geo_precision     {INTEGER} NOT NULL,
    source            {TEXT} NOT NULL DEFAULT '',
    notes             {TEXT} NOT NULL DEFAULT '',
    fatalities        {INTEGER} NOT NULL DEFAULT 0,
    country           {TEXT} NOT NULL DEFAULT '',
    admin1            {TEXT} NOT NULL DEFAULT '',
    date_min          {TEXT},
    date_max          {TEXT},
    actor1_force      {TEXT} NOT NULL DEFAULT '',
    actor2_force      {TEXT} NOT NULL DEFAULT '',
    control_to        {TEXT} NOT NULL DEFAULT '',
    place_id          {TEXT} NOT NULL DEFAULT '',
    confidence        {REAL} NOT NULL,
    review_status     {TEXT} NOT NULL,
    origin            {TEXT} NOT NULL,
    -- derived, maintained by the store in the same transaction as the data they mirror
    span_lo           {TEXT},                     -- date_min, open start as SPAN_OPEN_LO
    span_hi           {TEXT},                     -- date_max, open end as SPAN_OPEN_HI
                                                -- both NULL only for undated events
    event_class       {TEXT} NOT NULL,
    search_text       {TEXT} NOT NULL DEFAULT '',
    n_sources         {INTEGER} NOT NULL DEFAULT 0,
    article_ids       {TEXT} NOT NULL DEFAULT '',  -- comma-joined, source order
    evidence_sentence {TEXT} NOT NULL DEFAULT '',  -- first evidence sentence
    source_file       {TEXT} NOT NULL DEFAULT '',
    created_at        {TEXT} NOT NULL,
    updated_at        {TEXT} NOT NULL
);
-- The date window is an interval-overlap test on (span_lo, span_hi). Review status leads
-- the main index because every query restricts it (IN of 1-4 values), then the window.
CREATE INDEX events_status_span ON events (review_status, span_hi, span_lo);
CREATE INDEX events_span ON events (span_lo, span_hi);
CREATE INDEX events_lat_lon ON events (latitude, longitude);
CREATE INDEX events_actor1_force ON events (actor1_force);
CREATE INDEX events_actor2_force ON events (actor2_force);
CREATE INDEX events_control_to ON events (control_to);
CREATE INDEX events_type ON events (event_type, sub_event_type);
-- Deduplication looks up candidates by place id or by a box around the point.
CREATE INDEX events_place_class ON events (place_id, event_class, span_hi);
CREATE INDEX events_class_lat ON events (event_class, latitude, longitude);

CREATE TABLE event_sources (
    event_id   {TEXT} NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    article_id {TEXT} NOT NULL,
    position   {INTEGER} NOT NULL,
    PRIMARY KEY (event_id, article_id)
);
CREATE INDEX event_sources_article ON event_sources (article_id);

CREATE TABLE evidence (
    id             {ID},
    event_id       {TEXT} NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    article_id     {TEXT} NOT NULL,
    sentence       {TEXT} NOT NULL,
    sentence_start {INTEGER} NOT NULL DEFAULT 0,
    mentions       {TEXT} NOT NULL DEFAULT '[]',  -- JSON list of Mention
    source_file    {TEXT} NOT NULL DEFAULT '',
    UNIQUE (event_id, article_id, sentence_start, sentence)
);
CREATE INDEX evidence_article ON evidence (article_id);

CREATE TABLE audit (
    id       {ID},
    event_id {TEXT} NOT NULL,
    at       {TEXT} NOT NULL,                     -- UTC ISO timestamp
    author   {TEXT} NOT NULL,
    field    {TEXT} NOT NULL,
    before   {TEXT},                              -- JSON
    after    {TEXT},                              -- JSON
    note     {TEXT} NOT NULL DEFAULT ''
);
CREATE INDEX audit_event ON audit (event_id, id);

CREATE TABLE custom_places (
    place_id   {TEXT} PRIMARY KEY,
    name       {TEXT} NOT NULL,
    latitude   {REAL} NOT NULL,
    longitude  {REAL} NOT NULL,
    country    {TEXT} NOT NULL DEFAULT '',
    admin1     {TEXT} NOT NULL DEFAULT '',
    place_type {TEXT} NOT NULL DEFAULT 'locality',
    population {INTEGER} NOT NULL DEFAULT 0,
    source     {TEXT} NOT NULL DEFAULT '',
    importance {REAL} NOT NULL DEFAULT 0,
    created_at {TEXT} NOT NULL
);

CREATE TABLE cache (
    namespace  {TEXT} NOT NULL,
    key        {TEXT} NOT NULL,
    value      {TEXT} NOT NULL,                   -- JSON
    created_at {TEXT} NOT NULL,
    PRIMARY KEY (namespace, key)
);
"""),
    Migration(2, "store_meta: longest finite date interval, bounds the date-window query", """
-- Facts about the stored data that the store keeps in step with every write, in the same
-- transaction. 'max_span_days': an upper bound (days) on span_hi - span_lo over events
-- with two finite span ends; it only grows (an edit that shortens an interval leaves it),
-- which keeps it a bound. The date-window query uses it to bound span_hi from above
-- (see query.build_where). The store fills the row in when it is missing (this
-- migration on an existing database): the day arithmetic differs between SQLite and
-- PostgreSQL, and these scripts stay portable.
CREATE TABLE store_meta (
    key   {TEXT} PRIMARY KEY,
    value {INTEGER} NOT NULL
);
"""),
    Migration(3, "events.evidence_mentions: mentions of the first evidence sentence", """
-- Derived like evidence_sentence, from the same (first, lowest id) evidence row: the
-- map popup and the Events page highlight the place, date and actor in the sentence
-- without a join per event. JSON list of Mention, as in evidence.mentions.
ALTER TABLE events ADD COLUMN evidence_mentions {TEXT} NOT NULL DEFAULT '[]';
-- Backfill existing events. Unlike migration 2 this is plain portable SQL (a correlated
-- subquery served by the evidence (event_id, ...) unique index), so it runs here, in
-- the migration's transaction, on SQLite and PostgreSQL alike.
UPDATE events SET evidence_mentions = (
    SELECT ev.mentions FROM evidence ev WHERE ev.event_id = events.event_id
    ORDER BY ev.id LIMIT 1)
WHERE EXISTS (SELECT 1 FROM evidence ev WHERE ev.event_id = events.event_id);
"""),
    Migration(4, "confirmed_names: the place an analyst confirmed for a geocoded name", """
-- A name as datasets and articles write it, and the place an analyst confirmed for it
-- (a geocoder answer flagged for review, or a choice among homonyms). The gazetteer
-- answers the name with this place ahead of any ranking, in every later import, ingest
-- and look-up. name_key is geo.geocode.normalize.exact_key of the cleaned name.
CREATE TABLE confirmed_names (
    name_key     {TEXT} PRIMARY KEY,
    name         {TEXT} NOT NULL,                 -- as the analyst confirmed it
    place_id     {TEXT} NOT NULL,                 -- gazetteer or own place id
    place_name   {TEXT} NOT NULL,
    latitude     {REAL} NOT NULL,
    longitude    {REAL} NOT NULL,
    country      {TEXT} NOT NULL DEFAULT '',
    admin1       {TEXT} NOT NULL DEFAULT '',
    place_type   {TEXT} NOT NULL DEFAULT 'locality',
    author       {TEXT} NOT NULL DEFAULT '',
    confirmed_at {TEXT} NOT NULL                  -- UTC ISO timestamp
);
"""),
    Migration(5, "audit.change_id (a change is undone as a whole); events.source_version", """
-- An analyst's change (an edit, a confirmation, an undo, an update from a newer dataset
-- export) writes one audit row per field it changed; change_id ties them together so the
-- change can be undone as a whole. New changes take MAX(change_id) + 1 under the write
-- lock. Rows written before this migration are grouped by what they share (event, second,
-- author, note) and numbered by their first row.
ALTER TABLE audit ADD COLUMN change_id {INTEGER};
UPDATE audit SET change_id = (
    SELECT MIN(a.id) FROM audit a WHERE a.event_id = audit.event_id AND a.at = audit.at
    AND a.author = audit.author AND a.note = audit.note);
CREATE INDEX audit_change ON audit (change_id);
-- The version a dataset gives its row (ACLED's `timestamp`: when ACLED last changed the
-- event), NULL when it gives none: an event is updated by an import only from a newer
-- version of its row, so an older export never overwrites a newer one.
ALTER TABLE events ADD COLUMN source_version {INTEGER};
"""),
    Migration(6, "store_meta.events_version: a change counter every write of events moves", """
-- 'events_version' in store_meta: one more for every committed write that changes event
-- rows (ingest, add, import, edit, undo), in the same transaction. What is derived from
-- the events and kept between runs (the control series) is keyed on it. The version
-- number makes a program that does not keep the counter refuse to write here. The store
-- starts the counter at a random number once this migration has run (portable SQL has
-- no random function), so a database rebuilt at the same path never repeats a number;
-- a counter left by a development build is dropped here and starts afresh.
DELETE FROM store_meta WHERE key = 'events_version';
"""),
    Migration(7, "holdings: holdings an article states in passing", """
-- A holding stated in passing ("fleeing Islamic State-held Hit"): the place, the force,
-- the interval it speaks of and the sentence, from one article (geo.core.records.
-- Holding). Control evidence weaker than any event (docs/control.md, rule 9); written
-- with the article's events in the ingest transaction, so the events version moves
-- with it. Articles ingested before this migration have none until ingested anew.
CREATE TABLE holdings (
    holding_id     {TEXT} PRIMARY KEY,
    article_id     {TEXT} NOT NULL DEFAULT '',
    place_id       {TEXT} NOT NULL DEFAULT '',
    location       {TEXT} NOT NULL DEFAULT '',
    latitude       {REAL} NOT NULL,
    longitude      {REAL} NOT NULL,
    country        {TEXT} NOT NULL DEFAULT '',
    force          {TEXT} NOT NULL,
    date_min       {TEXT} NOT NULL,               -- ISO dates
    date_max       {TEXT} NOT NULL,
    sentence       {TEXT} NOT NULL,
    sentence_start {INTEGER} NOT NULL DEFAULT 0,
    construction   {TEXT} NOT NULL DEFAULT '',
    source         {TEXT} NOT NULL DEFAULT '',
    source_file    {TEXT} NOT NULL DEFAULT ''
);
CREATE INDEX holdings_date ON holdings (date_min, date_max);
CREATE INDEX holdings_article ON holdings (article_id);
"""),
    Migration(8, "holding_reviews: an analyst's decision on a holding stated in passing", """
-- An analyst's decision on a holding stated in passing (confirmed, corrected or
-- rejected), kept apart from the holdings table: holdings are read again from the
-- articles' text (``geo db reread-holdings`` replaces an article's rows), and a decision
-- must outlive that. A decision applies to the holding of its id, else to the holding
-- read from the same statement (article, sentence offset, place as read: ``place_key``)
-- when a newer rule table reads it with another force or date. The corrected values
-- (NULL: as read) win over the reading. Every decision is audited (audit.event_id is the
-- holding id; before/after are the decision as JSON).
CREATE TABLE holding_reviews (
    holding_id     {TEXT} PRIMARY KEY,
    article_id     {TEXT} NOT NULL DEFAULT '',
    sentence_start {INTEGER} NOT NULL DEFAULT 0,
    place_key      {TEXT} NOT NULL DEFAULT '',   -- place_id as read, else location
    review_status  {TEXT} NOT NULL,              -- confirmed | corrected | rejected
    force          {TEXT},
    place_id       {TEXT},
    location       {TEXT},
    latitude       {REAL},
    longitude      {REAL},
    country        {TEXT},
    date_min       {TEXT},
    date_max       {TEXT},
    author         {TEXT} NOT NULL DEFAULT '',
    note           {TEXT} NOT NULL DEFAULT '',
    reviewed_at    {TEXT} NOT NULL
);
CREATE INDEX holding_reviews_statement ON holding_reviews (article_id, sentence_start);
"""),
)

#: ``store_meta`` key of the longest finite interval (days), see migration 2.
MAX_SPAN_DAYS_KEY = "max_span_days"
#: ``store_meta`` key of the events' change counter (``Store.events_version``), see
#: migration 6.
EVENTS_VERSION_KEY = "events_version"

LATEST_VERSION: int = MIGRATIONS[-1].version

#: Stand-ins for an open interval end in ``span_lo``/``span_hi`` (ISO text sorts as dates),
#: so the window test is two plain comparisons an index can serve.
SPAN_OPEN_LO = "0001-01-01"
SPAN_OPEN_HI = "9999-12-31"


def span(date_min: date | None, date_max: date | None,
         event_date: date | None) -> tuple[str | None, str | None]:
    """``(span_lo, span_hi)`` for an event's dates: ISO text with open ends filled in,
    or ``(None, None)`` for an undated event."""
    if date_min is None and date_max is None:
        if event_date is None:
            return None, None
        date_min = date_max = event_date
    return (date_min.isoformat() if date_min is not None else SPAN_OPEN_LO,
            date_max.isoformat() if date_max is not None else SPAN_OPEN_HI)


def span_days(lo: str | None, hi: str | None) -> int | None:
    """Days from ``span_lo`` to ``span_hi`` for an interval with two finite ends, else
    None (undated, or an open end): what ``store_meta.max_span_days`` bounds."""
    if lo is None or hi is None or lo == SPAN_OPEN_LO or hi == SPAN_OPEN_HI:
        return None
    return (date.fromisoformat(hi) - date.fromisoformat(lo)).days


def utc_now() -> str:
    """UTC timestamp, ISO 8601 to the second: what the audit trail and tables record."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def current_version(conn: Any, dialect: Dialect) -> int:
    """Schema version of an open database; 0 for a database without our version table.
    Reads only, so a read-only connection can ask too."""
    if conn.execute(dialect.table_exists_sql, ("schema_version",)).fetchone() is None:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def refuse_newer(found: int, where: str) -> None:
    """``SchemaError`` when the database was written by a newer program."""
    if found > LATEST_VERSION:
        raise SchemaError(
            f"{where}: database schema version {found} is newer than this program "
            f"understands (up to {LATEST_VERSION}); upgrade the program, or point "
            f"GEO_DATABASE_URL at another database. Nothing was changed.")


def migrate(conn: Any, where: str, dialect: Dialect) -> int:
    """Bring the schema to ``LATEST_VERSION``; the caller holds a write transaction on
    ``conn`` (a DB-API connection of ``dialect``).

    Returns the version found before migrating. Raises ``SchemaError`` when the database
    was written by a newer program (``where`` names it in the message).
    """
    for statement in dialect.prelude:
        conn.execute(statement)
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                 "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    found = current_version(conn, dialect)
    refuse_newer(found, where)
    p = dialect.placeholder
    for step in MIGRATIONS:
        if step.version <= found:
            continue
        for statement in _statements(dialect.render(step.sql)):
            conn.execute(statement)
        if step.version in dialect.extras:        # may hold $$ bodies: run whole
            conn.execute(dialect.extras[step.version])
        conn.execute(f"INSERT INTO schema_version (version, description, applied_at) "
                     f"VALUES ({p}, {p}, {p})", (step.version, step.description, utc_now()))
    return found


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit the
    caller's transaction, and a failed migration must roll back completely)."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        candidate = "\n".join(buf).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            out.append(candidate)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out
