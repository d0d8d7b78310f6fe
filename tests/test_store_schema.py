"""Opening databases: URL forms, migrations, newer schemas, broken files."""
from __future__ import annotations

import sqlite3
from dataclasses import fields
from pathlib import Path

import pytest

from geo.core.errors import ConfigurationError, SchemaError, StoreError
from geo.core.records import Event
from geo.store import open_store, parse_url, schema


def test_event_columns_follow_the_model(tmp_path: Path) -> None:
    """A new Event field needs a migration: the migrated events table has a column for
    every scalar field of the record."""
    open_store(str(tmp_path / "geo.sqlite")).close()
    with sqlite3.connect(tmp_path / "geo.sqlite") as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    scalar = {f.name for f in fields(Event) if f.name not in ("article_ids", "evidence")}
    assert scalar <= columns, sorted(scalar - columns)


@pytest.mark.parametrize("url, expected", [
    ("/data/geo.sqlite", Path("/data/geo.sqlite")),
    ("sqlite:////data/geo.sqlite", Path("/data/geo.sqlite")),
    ("sqlite:///var/geo.sqlite", Path.cwd() / "var/geo.sqlite"),
    ("geo.sqlite", Path.cwd() / "geo.sqlite"),
])
def test_parse_url(url: str, expected: Path) -> None:
    assert parse_url(url) == expected


@pytest.mark.parametrize("url, words", [
    ("postgresql://analyst@db/events", "PostGIS database, not a SQLite file"),
    ("postgres://db/events", "PostGIS database, not a SQLite file"),
    ("mysql://db/events", "'mysql://db/events' is not understood"),
    ("sqlite://relative.db", "is not understood"),
    (":memory:", "names no file"),
    ("", "names no file"),
])
def test_parse_url_refuses(url: str, words: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_url(url)
    assert words in str(info.value)
    assert "sqlite:///" in str(info.value)                 # says what is accepted


def test_open_store_uses_setting_and_creates_folder(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "new" / "deeper" / "geo.sqlite"
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{path}")
    with open_store() as store:
        assert store.path == path
        assert store.schema_version == schema.LATEST_VERSION
    assert path.exists()


def test_migrations_from_empty_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "geo.sqlite"
    with open_store(str(path)) as store:
        assert store.schema_version_found == 0
    with open_store(str(path)) as store:
        assert store.schema_version_found == schema.LATEST_VERSION
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    versions = conn.execute("SELECT version FROM schema_version").fetchall()
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert {"articles", "events", "event_sources", "evidence", "audit", "custom_places",
            "cache", "schema_version"} <= tables
    assert versions == [(m.version,) for m in schema.MIGRATIONS]
    assert mode == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "geo.sqlite"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaError) as info:
        open_store(str(path))
    assert str(path) in str(info.value) and "99" in str(info.value)


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "geo.sqlite"
    open_store(str(path)).close()
    latest = schema.LATEST_VERSION
    broken = schema.Migration(latest + 1, "broken",
                              "CREATE TABLE extra (a);\nSELECT * FROM missing;")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "LATEST_VERSION", latest + 1)
    with pytest.raises(StoreError, match="missing"):
        open_store(str(path))
    monkeypatch.undo()
    with open_store(str(path)) as store:
        assert store.schema_version == latest
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name='extra'").fetchone() is None
    conn.close()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError) as info:
        open_store(str(path))
    assert str(path) in str(info.value)


def _downgrade_to_2(url: str) -> None:
    """Make a database written by this program look like one written by schema version 2
    (the release before ``events.evidence_mentions``): drop the column, the later tables
    and the version rows, with a separate connection, as another program would see the
    file."""
    statements = ("ALTER TABLE events DROP COLUMN evidence_mentions",
                  "DROP TABLE confirmed_names",
                  "DROP TABLE holdings",
                  "DROP TABLE holding_reviews",
                  "DROP INDEX audit_change",
                  "ALTER TABLE audit DROP COLUMN change_id",
                  "ALTER TABLE events DROP COLUMN source_version",
                  "DELETE FROM schema_version WHERE version >= 3")
    if url.startswith("postgresql"):
        import psycopg
        with psycopg.connect(url) as conn:
            for sql in statements:
                conn.execute(sql)
        return
    conn = sqlite3.connect(parse_url(url))
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def _events_columns(url: str) -> list[str]:
    if url.startswith("postgresql"):
        import psycopg
        with psycopg.connect(url) as conn:
            return [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = "
                "'events' ORDER BY ordinal_position")]
    conn = sqlite3.connect(parse_url(url))
    try:
        return [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    finally:
        conn.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_migration_3_keeps_data_and_backfills_evidence_mentions(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Opening a version-2 database adds ``events.evidence_mentions`` filled from each
    event's first evidence row ("[]" without evidence); nothing else changes."""
    import json

    from geo.core.records import Evidence, Mention
    from geo.store import EventFilter
    from tests.factories import make_article, make_event

    url = (f"sqlite:///{tmp_path / 'v2.sqlite'}" if backend == "sqlite"
           else request.getfixturevalue("postgis_server")())
    first = [Mention("actor", 0, 3, "ISF"), Mention("place", 11, 19, "Fallujah")]
    everything = EventFilter(review_status=("machine", "confirmed", "corrected", "rejected"))
    with open_store(url) as store:
        store.ingest(make_article(), [make_event(
            evidence=[Evidence("", "ISF retook Fallujah.", 0, first)])])
        store.ingest(make_article(), [make_event(      # merged: a second evidence row
            evidence=[Evidence("", "Fallujah fell.", 50, [Mention("place", 0, 8, "Fallujah")])])])
        store.add_events([make_event(event_id="bare", town="Raqqa", evidence=[])])
        before = store.query_events(everything).drop(columns="geometry")
        counts = store.counts()
    assert before.loc[before.location == "Fallujah", "n_sources"].item() == 2
    _downgrade_to_2(url)
    assert "evidence_mentions" not in _events_columns(url)

    with open_store(url) as store:
        assert store.schema_version_found == 2
        assert store.schema_version == schema.LATEST_VERSION
        after = store.query_events(everything).drop(columns="geometry")
        assert store.counts() == counts
    assert after.to_dict("records") == before.to_dict("records")    # backfill == as written
    mentions = dict(zip(after.location, after.evidence_mentions))
    assert json.loads(mentions["Fallujah"]) == [
        {"kind": "actor", "start": 0, "end": 3, "text": "ISF"},
        {"kind": "place", "start": 11, "end": 19, "text": "Fallujah"}]
    assert mentions["Raqqa"] == "[]"
    assert _events_columns(url)[-2:] == ["evidence_mentions", "source_version"]


def test_migration_7_adds_holdings_and_keeps_the_events(tmp_path: Path) -> None:
    """A version-6 database (before holdings stated in passing) opens with an empty
    ``holdings`` table and its events untouched; its articles gain holdings only when
    ingested anew (their text is kept, nothing is re-read behind the analyst's back)."""
    from tests.factories import make_article, make_event

    path = tmp_path / "v6.sqlite"
    with open_store(str(path)) as store:
        store.ingest(make_article(), [make_event()])
        before = store.query_events().drop(columns="geometry").to_dict("records")
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE holdings")
    conn.execute("DROP TABLE holding_reviews")
    conn.execute("DELETE FROM schema_version WHERE version >= 7")
    conn.commit()
    conn.close()
    with open_store(str(path)) as store:
        assert store.schema_version_found == 6
        assert store.schema_version == schema.LATEST_VERSION
        assert store.query_holdings() == []
        assert store.query_events().drop(columns="geometry").to_dict("records") == before


@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_migration_8_adds_holding_reviews_and_keeps_the_holdings(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """A version-7 database (holdings, no decisions on them) opens with every holding
    as read, none reviewed, and its events untouched; a decision can then be made."""
    from datetime import date as day

    from geo.core.records import Holding
    from tests.factories import make_article, make_event

    url = (f"sqlite:///{tmp_path / 'v7.sqlite'}" if backend == "sqlite"
           else request.getfixturevalue("postgis_server")())
    held = Holding("wof:hit", "Hit", 33.64, 42.82, "IS", day(2016, 3, 20), day(2016, 3, 20),
                   "Families fleeing Islamic State-held Hit waited.")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event()], [held])
        before = (store.query_events().drop(columns="geometry").to_dict("records"),
                  store.query_holdings())
    statements = ("DROP TABLE holding_reviews", "DELETE FROM schema_version WHERE version >= 8")
    if backend == "postgis":
        import psycopg
        with psycopg.connect(url) as conn:
            for sql in statements:
                conn.execute(sql)
    else:
        conn = sqlite3.connect(parse_url(url))
        for sql in statements:
            conn.execute(sql)
        conn.commit()
        conn.close()
    with open_store(url) as store:
        assert store.schema_version_found == 7
        assert store.schema_version == schema.LATEST_VERSION
        after = (store.query_events().drop(columns="geometry").to_dict("records"),
                 store.query_holdings())
        assert after == before and after[1][0].review_status == "machine"
        assert store.review_holding(after[1][0].holding_id, "rejected").review_status \
            == "rejected"
