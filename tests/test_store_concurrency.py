"""Processes writing to one store at once lose nothing and readers are never blocked
(both backends); read-only commands; a mistyped path.

SQLite serialises writers with ``BEGIN IMMEDIATE``; PostGIS with a transaction-level
advisory lock. Either way every article must be stored and every event either added or
merged into one stored event (never dropped, never double-stored by a race in dedup).
"""
from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo.cli import main
from geo.core.errors import SchemaError, StoreError, StoreLockedError
from geo.store import EventFilter, open_store, parse_url
from tests.factories import make_article, make_event, sample_batches, sample_events

ARTICLES_PER_PROCESS = 40


def _ingest_worker(url: str, seed: int) -> tuple[int, int, int]:
    """Ingest articles (overlapping events with the other worker), then import events."""
    added = merged = 0
    with open_store(url) as store:
        for article, events in sample_batches(ARTICLES_PER_PROCESS, 3, seed=seed):
            result = store.ingest(article, events)
            added += result.events_added
            merged += result.events_merged
        outcome = store.import_events(sample_events(200, seed=100 + seed))
    return added, merged, outcome.added


@pytest.mark.timeout(300)
@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_two_processes_ingesting_at_once_lose_nothing(backend: str, tmp_path: Path,
                                                      request: pytest.FixtureRequest) -> None:
    url = (str(tmp_path / "shared.sqlite") if backend == "sqlite"
           else request.getfixturevalue("postgis_server")())
    with open_store(url):
        pass                                        # schema created before the race
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_ingest_worker, [(url, 1), (url, 2)])
    added = sum(r[0] for r in results)
    merged = sum(r[1] for r in results)
    imported = sum(r[2] for r in results)
    with open_store(url) as store:
        counts = store.counts()
        frame = store.query_events()
    assert counts["articles"] == 2 * ARTICLES_PER_PROCESS
    assert added + merged == 2 * ARTICLES_PER_PROCESS * 3
    assert counts["events"] == added + imported
    assert imported > 0
    # every source link survived: one per added event plus one per merge
    assert counts["event_sources"] == added + merged
    assert int(frame["n_sources"].sum()) == counts["event_sources"]


# -- a team: four writers and a reader at once ------------------------------------------------
WRITERS = 4
WRITER_ARTICLES = 10
WRITER_IMPORT = 3_000


def _team_writer(url: str, seed: int) -> tuple[int, int, int, int]:
    """Ingest articles, import a dataset (a transaction of a few seconds: the others wait
    for it), correct one event: what one analyst of a team does."""
    added = merged = 0
    with open_store(url) as store:
        for article, events in sample_batches(WRITER_ARTICLES, 3, seed=seed):
            result = store.ingest(article, events)
            added += result.events_added
            merged += result.events_merged
        outcome = store.import_events(sample_events(WRITER_IMPORT, seed=100 + seed))
        event_id = store.query_events().iloc[0].event_id
        store.update_event(event_id, {"notes": f"checked by writer {seed}"},
                           author=f"writer {seed}")
    return added, merged, outcome.added, len(outcome.duplicates)


def _team_reader(url: str, stop: Any, results: Any) -> None:
    """Read-only opens, counts and queries in a loop until the writers are done."""
    reads, errors = 0, []
    while not stop.is_set() or reads == 0:
        try:
            with open_store(url, read_only=True) as store:
                store.counts()
                store.query_events(EventFilter(date_from=date(2016, 1, 1),
                                               date_to=date(2016, 12, 31)))
            reads += 1
        except Exception as exc:   # every failure is the finding: record, go on
            errors.append(f"{type(exc).__name__}: {exc}")
    results.put((reads, errors))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_four_writers_and_a_reader_complete_without_a_refused_import(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Every write waits its turn (no StoreLockedError, nothing lost); the reader is never
    blocked by the writers' locks and sees no error."""
    url = (str(tmp_path / "team.sqlite") if backend == "sqlite"
           else request.getfixturevalue("postgis_server")())
    with open_store(url):
        pass
    ctx = multiprocessing.get_context("spawn")
    stop, results = ctx.Event(), ctx.Queue()
    reader = ctx.Process(target=_team_reader, args=(url, stop, results))
    reader.start()
    try:
        with ctx.Pool(WRITERS) as pool:
            written = pool.starmap(_team_writer, [(url, s) for s in range(1, WRITERS + 1)])
    finally:
        stop.set()
        reads, errors = results.get(timeout=120)
        reader.join(timeout=60)
    assert errors == []
    assert reads > 0
    with open_store(url, read_only=True) as store:
        counts = store.counts()
    assert counts["articles"] == WRITERS * WRITER_ARTICLES
    assert all(a + m == WRITER_ARTICLES * 3 for a, m, _, _ in written)
    assert all(i + d == WRITER_IMPORT for _, _, i, d in written)     # every row accounted
    assert counts["events"] == sum(a + i for a, _, i, _ in written)
    assert counts["audit"] >= WRITERS


# -- reading while another program writes -----------------------------------------------------
@contextmanager
def _writer_holding_the_lock(url: str) -> Iterator[None]:
    """Another program in the middle of a write transaction (it holds the write lock and
    has written a row it has not committed)."""
    if url.startswith("postgresql"):
        import psycopg

        from geo.store.postgis import WRITE_LOCK_KEY
        conn = psycopg.connect(url)
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        conn.execute("INSERT INTO cache VALUES ('x', 'y', '1', 'now')")
        conn.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
    else:
        conn = sqlite3.connect(parse_url(url), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO cache VALUES ('x', 'y', '1', 'now')")
    try:
        yield
    finally:
        conn.rollback() if url.startswith("postgresql") else conn.execute("ROLLBACK")
        conn.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_read_only_commands_work_while_a_writer_holds_the_lock(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest, capsys,
        monkeypatch) -> None:
    """`db info`, `export` and `control` answer at once from what is committed; the
    dashboard's (read-write) store opens and reads too; only a write waits (and, with a
    short timeout, says the database is locked)."""
    monkeypatch.setenv("GEO_SQLITE_TIMEOUT", "0.5")
    url = (str(tmp_path / "busy.sqlite") if backend == "sqlite"
           else request.getfixturevalue("postgis_server")())
    with open_store(url) as store:
        store.ingest(make_article(), [make_event(), make_event(town="Mosul")])
    with _writer_holding_the_lock(url):
        capsys.readouterr()
        assert main(["db", "info", "--database", url]) == 0
        assert "events: 2" in capsys.readouterr().out
        assert main(["export", "--database", url]) == 0
        assert capsys.readouterr().out.count("\n") == 3          # header + 2 events
        assert main(["control", "--date", "2016-07-01", "--no-curated",
                     "--database", url]) == 0
        assert '"FeatureCollection"' in capsys.readouterr().out
        with open_store(url) as store:                        # as the dashboard opens it
            assert len(store.query_events()) == 2
            with pytest.raises(StoreLockedError, match="nothing was written"):
                store.update_event(store.query_events().iloc[0].event_id, {"fatalities": 1})
    with open_store(url) as store:                            # the lock is gone: it writes
        store.update_event(store.query_events().iloc[0].event_id, {"fatalities": 1})


def test_a_write_waits_for_the_lock_instead_of_failing(tmp_path: Path) -> None:
    """A writer holding the lock for a while (a long import) delays another write; it is
    not refused while the wait is within the timeout."""
    path = tmp_path / "wait.sqlite"
    with open_store(str(path)):
        pass
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        with open_store(str(path)) as store:
            result = store.ingest(make_article(), [make_event()])
    finally:
        release.join()
        holder.close()
    assert result.events_added == 1


def test_a_transient_lock_conflict_is_retried(tmp_path: Path, monkeypatch) -> None:
    """A lock conflict reported at once (not after the driver's own wait: SQLite busy
    during a checkpoint, a PostgreSQL deadlock) is retried with backoff, the whole
    transaction again."""
    with open_store(str(tmp_path / "retry.sqlite")) as store:
        real = store.backend.transaction
        failures = iter([sqlite3.OperationalError("database is locked")] * 3)

        @contextmanager
        def flaky(conn: Any) -> Iterator[None]:
            failure = next(failures, None)
            if failure is not None:
                raise failure
            with real(conn):
                yield

        monkeypatch.setattr(store.backend, "transaction", flaky)
        assert store.ingest(make_article(), [make_event()]).events_added == 1
        assert next(failures, None) is None                     # all three retried


# -- a mistyped path ---------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["db", "info"], ["export"], ["places", "list"],
                                  ["control", "--date", "2016-01-01"]])
def test_a_mistyped_database_path_is_an_error_for_read_only_commands(
        argv: list[str], tmp_path: Path, capsys) -> None:
    typo = tmp_path / "evnets.sqlite"
    assert main([*argv, "--database", str(typo)]) == 1
    err = capsys.readouterr().err
    assert str(typo) in err and "no such database file" in err and "Traceback" not in err
    assert not typo.exists()


def test_read_only_open_refuses_what_it_cannot_read(tmp_path: Path, capsys) -> None:
    """Not our database, or an older schema: a message that says what to do; `db upgrade`
    brings the older one up to date."""
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(StoreError, match="not an event database"):
        open_store(str(other), read_only=True)
    old = tmp_path / "old.sqlite"
    with open_store(str(old)):
        pass
    conn = sqlite3.connect(old)
    conn.execute("DELETE FROM schema_version WHERE version = "
                 "(SELECT MAX(version) FROM schema_version)")      # one step behind
    conn.commit()
    conn.close()
    with pytest.raises(SchemaError, match="db upgrade"):
        open_store(str(old), read_only=True)
    with pytest.raises(SchemaError):
        open_store(str(old), read_only=True)
    capsys.readouterr()
    assert main(["db", "info", "--database", str(old)]) == 1
    assert "db upgrade" in capsys.readouterr().err


def test_db_upgrade_then_read(tmp_path: Path, capsys) -> None:
    path = tmp_path / "new.sqlite"
    assert main(["db", "upgrade", "--database", str(path)]) == 0
    assert "schema version 0 -> " in capsys.readouterr().out
    assert main(["db", "upgrade", "--database", str(path)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    with open_store(str(path), read_only=True) as store:
        assert store.counts()["events"] == 0
        with pytest.raises(StoreError, match="read-only"):
            store.ingest(make_article(), [make_event()])
