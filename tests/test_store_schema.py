"""Opening databases: URL forms, migrations, newer schemas, broken files."""
from __future__ import annotations

import sqlite3
from dataclasses import fields
from pathlib import Path

import pytest

from geo.errors import ConfigurationError, SchemaError, StoreError
from geo.model import Event
from geo.store import open_store, parse_url, schema


def test_event_columns_follow_the_model() -> None:
    """A new Event field needs a migration; this fails until EVENT_FIELDS has it."""
    assert schema.EVENT_FIELDS == tuple(
        f.name for f in fields(Event) if f.name not in ("article_ids", "evidence"))


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
