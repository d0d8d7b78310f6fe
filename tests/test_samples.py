"""The bundled sample articles: our own words, headed as samples, and read well enough by
the extractor that a first run (``make run``, or the Map page's button on an empty
store) shows the captures they describe."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geo.ingest import ingest_sample_articles
from geo.store import EventFilter, open_store

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
HEADING = "This is a sample written by the geo project for its first run. It is not a news report"

#: (place, date, force that took it): what each sample is about.
CAPTURES = [("Ramadi", date(2015, 5, 17), "IS"), ("Ramadi", date(2015, 12, 28), "ISF"),
            ("Fallujah", date(2016, 6, 26), "ISF"), ("Tabqa", date(2017, 5, 10), "SDF"),
            ("Mosul", date(2017, 7, 10), "ISF"), ("Ar Raqqah", date(2017, 10, 17), "SDF")]


def test_every_sample_says_it_is_a_project_written_sample() -> None:
    files = sorted(ARTICLES.glob("*.txt"))
    assert len(files) == 6
    for path in files:
        assert HEADING in path.read_text(encoding="utf-8"), path.name


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('samples') / 'samples.sqlite'}"
    with open_store(url) as store:
        summary = ingest_sample_articles(store)
        frame = store.query_events(EventFilter())
    return summary, frame


def test_samples_ingest_without_errors(stored) -> None:
    summary, frame = stored
    assert summary.articles == 6 and not summary.errors
    assert len(frame) >= len(CAPTURES)


@pytest.mark.parametrize("place, day, force", CAPTURES)
def test_each_capture_is_found(stored, place: str, day: date, force: str) -> None:
    _, frame = stored
    hits = frame[(frame["location"] == place) & (frame["actor1_force"] == force)
                 & (frame["event_date"].astype(str).str[:10] == day.isoformat())]
    assert len(hits) >= 1, frame[["location", "event_date", "actor1_force"]].to_string()
