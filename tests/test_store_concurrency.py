"""Two processes writing to one store at once lose nothing (both backends).

SQLite serialises writers with ``BEGIN IMMEDIATE``; PostGIS with a transaction-level
advisory lock. Either way every article must be stored and every event either added or
merged into one stored event (never dropped, never double-stored by a race in dedup).
"""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from geo.store import open_store
from tests.factories import sample_batches, sample_events

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
