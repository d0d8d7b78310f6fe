"""A writer killed with SIGKILL in the middle of an ingest or an import leaves nothing
half-written (both backends): every article is stored with all its events and sources
or not at all, an import is all or nothing, and running the same work again ends in
exactly the state of an uninterrupted run (nothing lost, nothing stored twice)."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geo.store import open_store, parse_url
from tests.store_worker import write

PROJECT_DIR = Path(__file__).resolve().parent.parent

#: Work per kind: long enough (~1-3 s) for a kill to land inside a transaction.
SIZES = {"ingest": 200, "import": 8_000}
KILLS = 3

#: What a run leaves, without the columns that differ between runs by nature (write
#: times, numbers drawn from a sequence).
_STATE = {
    "articles": "article_id, title, published, text",
    "events": "event_id, event_date, date_min, date_max, time_precision, location, "
              "actor1_force, confidence, review_status, n_sources, article_ids, "
              "evidence_sentence, span_lo, span_hi",
    "event_sources": "event_id, article_id, position",
    "evidence": "event_id, article_id, sentence, sentence_start, mentions",
    "store_meta": "key, value",
}


def _state(url: str) -> dict[str, list[str]]:
    # The events version starts at a random number per database: two databases with the
    # same content differ in it, and only the content is compared here.
    with open_store(url, read_only=True) as store:
        return {table: sorted(map(repr, store._read(
                    f"SELECT {cols} FROM {table}" + (" WHERE key <> 'events_version'"
                                                     if table == "store_meta" else ""))))
                for table, cols in _STATE.items()}


def _check_consistent(url: str, mode: str) -> int:
    """Invariants a half-written transaction would break; returns the events stored."""
    if not url.startswith("postgresql"):
        conn = sqlite3.connect(parse_url(url))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()
    with open_store(url, read_only=True) as store:
        counts = store.counts()
        one = lambda sql: store._read(sql)[0][0]  # noqa: E731
        assert one("SELECT COUNT(*) FROM events e WHERE n_sources != (SELECT COUNT(*) "
                   "FROM event_sources s WHERE s.event_id = e.event_id)") == 0
        if mode == "ingest":
            # an article stored has all its events' sources, a source has its article
            assert one("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM "
                       "event_sources s WHERE s.article_id = a.article_id)") == 0
            assert one("SELECT COUNT(*) FROM event_sources s WHERE NOT EXISTS (SELECT 1 "
                       "FROM articles a WHERE a.article_id = s.article_id)") == 0
            assert one("SELECT COUNT(*) FROM evidence") == counts["event_sources"]
        else:
            assert counts["events"] in (0, SIZES["import"])
        return counts["events"]


def _kill_while_writing(url: str, mode: str, at_step: int) -> bool:
    """Start a worker, SIGKILL it as soon as it reports step ``at_step`` (then it is
    writing the next article, or inside the import's transaction); True if it was killed
    before it finished."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    proc = subprocess.Popen([sys.executable, "-m", "tests.store_worker", mode, url, "7",
                             str(SIZES[mode])], cwd=PROJECT_DIR, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("step ") and int(line.split()[1]) >= at_step:
                break
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode == -signal.SIGKILL and "done" not in out


@pytest.mark.timeout(300)
@pytest.mark.parametrize("mode", ["ingest", "import"])
@pytest.mark.parametrize("backend", ["sqlite", "postgis"])
def test_sigkill_while_writing_leaves_nothing_half_written(
        backend: str, mode: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    new_url = ((lambda name: str(tmp_path / f"{name}.sqlite")) if backend == "sqlite"
               else (lambda name: request.getfixturevalue("postgis_server")()))
    reference, url = new_url("reference"), new_url("killed")
    with open_store(reference) as store:
        write(store, mode, 7, SIZES[mode])
    expected = _state(reference)
    with open_store(url):
        pass                                     # schema created before the first kill
    rng = random.Random(f"{backend}-{mode}")
    last = SIZES[mode] // 4 if mode == "ingest" else SIZES[mode] // 2
    for _ in range(KILLS):
        assert _kill_while_writing(url, mode, rng.randint(1, last))   # killed mid-run
        _check_consistent(url, mode)
    with open_store(url) as store:               # the same work again finishes the job
        write(store, mode, 7, SIZES[mode])
    assert _state(url) == expected
