"""The store on both backends (SQLite files in tmp_path, a throwaway PostGIS server):
ingest, dedup, atomicity, locking, audit."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from geo.core.errors import InputError, StoreLockedError
from geo.core.records import Evidence, Holding, Mention, Place
from geo.store import EventFilter, open_store
from geo.store.postgis import PostGISStore
from geo.store.sqlite import SQLiteStore
from tests.factories import make_article, make_event, sample_events

_TABLES = ("articles", "events", "event_sources", "evidence", "audit", "custom_places",
           "cache", "schema_version", "store_meta", "confirmed_names", "holdings",
           "holding_reviews")


@pytest.fixture(params=["sqlite", "postgis"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """The same tests on both backends: SQLite and PostGIS must behave alike."""
    url = (str(tmp_path / "db" / "events.sqlite") if request.param == "sqlite"
           else request.getfixturevalue("postgis_server")())
    with open_store(url) as s:
        yield s


def dump(store) -> list[str]:
    """Every row of every table, via a separate connection (what another program sees)."""
    if isinstance(store, PostGISStore):
        import psycopg
        with psycopg.connect(store.url) as conn:
            return [f"{t}: {row!r}" for t in _TABLES
                    for row in sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)]
    conn = sqlite3.connect(store.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_ingest_stores_article_event_evidence(store: SQLiteStore) -> None:
    article = make_article(title="Fallujah retaken")
    result = store.ingest(article, [make_event()])
    assert (result.article_new, result.events_added, result.events_merged) == (True, 1, 0)
    assert store.get_article(article.article_id).title == "Fallujah retaken"
    assert store.get_article(article.article_id).published == date(2016, 6, 20)
    [row] = store.query_events().itertuples()
    event = store.get_event(row.event_id)
    assert event.article_ids == [article.article_id]
    assert event.evidence[0].article_id == article.article_id   # filled by ingest
    assert event.evidence[0].mentions == [Mention("place", 20, 28, "Fallujah")]
    assert store.counts()["evidence"] == 1


def _holding(**overrides: object) -> Holding:
    values: dict[str, object] = dict(
        place_id="wof:1", location="Hit", latitude=33.64, longitude=42.82, force="IS",
        date_min=date(2016, 3, 20), date_max=date(2016, 3, 20), country="IQ",
        sentence="Families fleeing Islamic State-held Hit waited at a checkpoint.",
        sentence_start=120, construction="held-compound", source="Test Wire")
    values.update(overrides)
    return Holding(**values)  # type: ignore[arg-type]


def test_holdings_stated_in_passing_are_stored_with_the_article(store: SQLiteStore) -> None:
    """A holding an article states is kept with its article (its id filled in), read
    back by date with its sentence, moves the events version (the control series is
    keyed on it), and is not stored twice when the article comes again."""
    article = make_article()
    version = store.events_version()
    store.ingest(article, [make_event()], [_holding(),
                                           _holding(date_min=date(2016, 6, 1),
                                                    date_max=date(2016, 6, 1))])
    assert store.events_version() != version
    held = store.query_holdings()
    assert [(h.location, h.force, h.date_max, h.article_id, h.sentence_start) for h in held] \
        == [("Hit", "IS", date(2016, 3, 20), article.article_id, 120),
            ("Hit", "IS", date(2016, 6, 1), article.article_id, 120)]
    assert held[0] == replace(_holding(), article_id=article.article_id, holding_id="")
    assert [h.date_max for h in store.query_holdings(date(2016, 4, 1))] == [date(2016, 3, 20)]
    store.ingest(make_article(text=article.text), [], [_holding()])
    assert len(store.query_holdings()) == 2
    from geo.control.sources import control_events
    stated = [e for e in control_events(None, store, curated=False)
              if e.event_id.startswith("stated:")]
    assert [(e.control_to, e.location, e.notes) for e in stated][0] == \
        ("IS", "Hit", "[stated] Families fleeing Islamic State-held Hit waited at a checkpoint.")


def test_put_holdings_replaces_an_articles_holdings(store: SQLiteStore) -> None:
    """Holdings read again replace the article's own (none of another article's), and
    an article the store lacks is refused with nothing changed."""
    first, second = make_article(), make_article()
    store.ingest(first, [], [_holding()])
    store.ingest(second, [], [_holding(location="Mosul", place_id="wof:2")])
    assert store.put_holdings(first.article_id, [_holding(force="ISF"),
                                                 _holding(force="ISF")]) == 1
    assert sorted((h.location, h.force) for h in store.query_holdings()) == \
        [("Hit", "ISF"), ("Mosul", "IS")]
    before = dump(store)
    with pytest.raises(InputError, match="no stored article"):
        store.put_holdings("0" * 16, [_holding()])
    assert dump(store) == before


def test_a_holding_with_a_nul_character_refuses_the_whole_article(store: SQLiteStore) -> None:
    article = make_article()
    with pytest.raises(InputError) as info:
        store.ingest(article, [make_event()], [_holding(sentence="bad\x00text")])
    assert "holding 1 (Hit)" in str(info.value) and "sentence" in str(info.value)
    assert store.get_article(article.article_id) is None and store.query_holdings() == []


def test_reingest_same_article_changes_nothing(store: SQLiteStore) -> None:
    article = make_article()
    store.ingest(article, [make_event(), make_event(town="Ramadi")])
    before = dump(store)
    again = store.ingest(make_article(text=article.text), [make_event(), make_event(town="Ramadi")])
    assert (again.article_new, again.events_added, again.events_merged) == (False, 0, 0)
    assert dump(store) == before


def test_same_event_from_two_articles_is_one_event_with_two_sources(store: SQLiteStore) -> None:
    first, second = make_article(), make_article()
    store.ingest(first, [make_event(event_date=None, date_min=date(2016, 6, 13),
                                    date_max=date(2016, 6, 19), time_precision=2,
                                    confidence=0.5)])
    result = store.ingest(second, [make_event(
        confidence=0.5, place_id="test:fallujah-centre", latitude=33.352,
        evidence=[Evidence("", "Fallujah fell to the army on Sunday.", 120)])])
    assert (result.events_added, result.events_merged) == (0, 1)
    frame = store.query_events()
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row.n_sources == 2
    assert row.article_ids == f"{first.article_id},{second.article_id}"
    event = store.get_event(row.event_id)
    assert (event.date_min, event.date_max, event.event_date) == (date(2016, 6, 19),) * 3
    assert event.time_precision == 1
    assert event.confidence == 0.75
    assert [e.article_id for e in event.evidence] == [first.article_id, second.article_id]


def test_different_events_are_not_merged(store: SQLiteStore) -> None:
    store.ingest(make_article(), [make_event()])
    result = store.ingest(make_article(), [make_event(event_date=date(2016, 7, 1)),
                                           make_event(actor1_force="PMF")])
    assert result.events_added == 2
    assert len(store.query_events()) == 3


def test_rejected_event_is_kept_and_not_a_merge_target(store: SQLiteStore) -> None:
    store.ingest(make_article(), [make_event()])
    event_id = store.query_events().iloc[0].event_id
    store.update_event(event_id, {"review_status": "rejected"})
    assert store.get_event(event_id).review_status == "rejected"
    result = store.ingest(make_article(), [make_event()])
    assert result.events_added == 1
    assert store.counts()["events"] == 2
    assert len(store.query_events()) == 1                        # rejected hidden by default


def test_failed_ingest_leaves_database_exactly_as_before(store: SQLiteStore) -> None:
    store.ingest(make_article(), [make_event(town="Mosul")])
    before = dump(store)
    bad = make_event(town="Raqqa", latitude=123.0)
    with pytest.raises(InputError) as info:
        store.ingest(make_article(), [make_event(), make_event(town="Hit"), bad])
    assert info.value.field == "latitude"
    assert "event 3" in str(info.value) and "123" in str(info.value)
    assert dump(store) == before


def test_locked_database_raises_clear_error_and_loses_nothing(tmp_path: Path,
                                                            monkeypatch) -> None:
    monkeypatch.setenv("GEO_SQLITE_TIMEOUT", "0.2")
    path = tmp_path / "locked.sqlite"
    store = open_store(str(path))
    store.ingest(make_article(), [make_event()])
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLockedError) as info:
            store.ingest(make_article(), [make_event(town="Mosul")])
        message = str(info.value)
        assert str(path) in message and "nothing was written" in message
        with pytest.raises(StoreLockedError):
            store.update_event(store.query_events().iloc[0].event_id, {"fatalities": 3})
        assert len(store.query_events()) == 1            # reading still works in WAL mode
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.counts()["events"] == 1
    assert store.ingest(make_article(), [make_event(town="Mosul")]).events_added == 1
    store.close()


def test_add_events_is_idempotent(store: SQLiteStore) -> None:
    events = sample_events(50, seed=3)
    assert store.add_events(events) == 50
    assert store.add_events(events) == 0
    assert store.counts()["events"] == 50


def test_add_events_rolls_back_on_invalid_event(store: SQLiteStore) -> None:
    events = sample_events(5, seed=4) + [make_event(sub_event_type="Picnic")]
    with pytest.raises(InputError) as info:
        store.add_events(events)
    assert info.value.field == "sub_event_type"
    assert store.counts()["events"] == 0


# -- update_event ---------------------------------------------------------------------------
@pytest.fixture
def event_id(store: SQLiteStore) -> str:
    store.ingest(make_article(), [make_event()])
    return store.query_events().iloc[0].event_id


def test_update_records_audit_and_marks_corrected(store: SQLiteStore, event_id: str) -> None:
    updated = store.update_event(event_id, {"latitude": 33.36, "fatalities": "4",
                                            "location": "Fallujah"},  # unchanged
                                 author="maria", note="checked map")
    assert updated.latitude == 33.36 and updated.fatalities == 4
    assert updated.review_status == "corrected"
    trail = store.audit_trail(event_id)
    assert [(r["field"], r["before"], r["after"]) for r in trail] == [
        ("latitude", 33.35, 33.36), ("fatalities", 0, 4),
        ("review_status", "machine", "corrected")]
    assert {r["author"] for r in trail} == {"maria"}
    assert all(r["at"].endswith("+00:00") for r in trail)
    assert store.query_events().iloc[0].latitude == 33.36


def test_update_with_explicit_status_and_date(store: SQLiteStore, event_id: str) -> None:
    updated = store.update_event(event_id, {"review_status": "confirmed",
                                            "event_date": "2016-06-18"})
    assert updated.review_status == "confirmed"
    assert (updated.event_date, updated.date_min, updated.date_max) == (date(2016, 6, 18),) * 3
    assert [r["field"] for r in store.audit_trail(event_id)] == [
        "review_status", "event_date", "date_min", "date_max"]


def test_update_without_real_change_writes_nothing(store: SQLiteStore, event_id: str) -> None:
    assert store.update_event(event_id, {"location": "Fallujah"}).review_status == "machine"
    assert store.audit_trail() == []


@pytest.mark.parametrize("changes, field, words", [
    ({"event_date": "2016-02-30"}, "event_date", "not a valid date"),
    ({"date_max": "2999-01-01"}, "date_max", "after today"),
    ({"latitude": 123}, "latitude", "outside [-90, 90]"),
    ({"longitude": -181}, "longitude", "outside [-180, 180]"),
    ({"latitude": "north"}, "latitude", "not a number"),
    ({"event_type": "Skirmish"}, "event_type", "unknown event type"),
    ({"sub_event_type": "Air/drone strike"}, "sub_event_type", "does not belong"),
    ({"review_status": "approved"}, "review_status", "not one of"),
    ({"fatalities": -1}, "fatalities", "not a count"),
    ({"confidence": 2}, "confidence", "outside [0, 1]"),
    ({"event_id": "x"}, "event_id", "cannot be changed"),
    ({"evidence": []}, "evidence", "cannot be changed"),
    ({"date_min": "2016-07-01"}, "date_min", "after date_max"),
])
def test_update_validation(store: SQLiteStore, event_id: str, changes: dict, field: str,
                           words: str) -> None:
    before = dump(store)
    with pytest.raises(InputError) as info:
        store.update_event(event_id, changes)
    assert info.value.field == field
    assert words in str(info.value) and event_id in str(info.value)
    assert dump(store) == before


def test_update_unknown_event(store: SQLiteStore) -> None:
    with pytest.raises(InputError, match="no event with id 'nope'"):
        store.update_event("nope", {"fatalities": 1})


# -- places, cache, articles ----------------------------------------------------------------
def test_custom_places_cache_and_articles(store: SQLiteStore) -> None:
    place = Place("user:zakiyah", "Zakiyah crossroads", 33.2, 43.5, "IQ", "Anbar", "crossroad")
    store.add_custom_place(place)
    store.add_custom_place(place)                    # replace, not duplicate
    assert store.custom_places() == [place]
    with pytest.raises(InputError):
        store.add_custom_place(Place("user:bad", "Bad", 95.0, 43.0))
    assert store.cache_get("nominatim", "mosul") is None
    store.cache_put("nominatim", "mosul", [{"lat": "36.34", "name": "الموصل"}])
    assert store.cache_get("nominatim", "mosul") == [{"lat": "36.34", "name": "الموصل"}]
    a, b = make_article(published=date(2016, 1, 2)), make_article(published=None)
    store.ingest(a, [])
    store.ingest(b, [])
    assert {x.article_id for x in store.list_articles()} == {a.article_id, b.article_id}
    assert store.get_article("missing") is None
    assert store.counts()["custom_places"] == 1


def test_window_bound_by_longest_interval(store) -> None:
    """The date-window query bounds ``span_hi`` by ``store_meta.max_span_days``: the bound
    grows with every write (insert, bulk add, edit), open ends are found by their own
    branches, and the result equals the plain overlap test."""
    from datetime import timedelta

    from geo.store.query import build_where
    assert store._span_bound() == 0
    day = date(2016, 6, 19)
    events = [
        make_event(event_id="day", event_date=day, evidence=[]),
        make_event(event_id="ten", event_date=day, date_min=day - timedelta(days=10),
                   date_max=day, evidence=[]),
        make_event(event_id="open_end", event_date=None, date_min=date(2015, 1, 1),
                   date_max=None, evidence=[]),
        make_event(event_id="open_start", event_date=None, date_min=None,
                   date_max=date(2016, 6, 1), evidence=[]),
        make_event(event_id="undated", event_date=None, evidence=[]),
    ]
    store.add_events(events)
    assert store._span_bound() == 10
    windows = [(date(2016, 6, 1), date(2016, 6, 8)), (date(2016, 6, 9), date(2016, 6, 9)),
               (date(2016, 6, 20), date(2016, 7, 1)), (date(2014, 1, 1), date(2014, 2, 1)),
               (date(2016, 6, 19), date(2016, 6, 19))]
    for lo, hi in windows:
        for undated in (False, True):
            flt = EventFilter(date_from=lo, date_to=hi, include_undated=undated)
            plain, params = build_where(flt, placeholder=store.placeholder)
            expected = sorted(r[0] for r in store._read(
                f"SELECT event_id FROM events WHERE {plain}", params))
            got = sorted(store.query_events(flt)["event_id"])
            assert got == expected, (lo, hi, undated)
    # an edit that lengthens an interval raises the bound in the same transaction
    store.update_event("day", {"date_min": day - timedelta(days=40), "date_max": day})
    assert store._span_bound() == 40
    got = store.query_events(EventFilter(date_from=date(2016, 5, 10),
                                         date_to=date(2016, 5, 12)))
    assert list(got["event_id"]) == ["open_start", "open_end", "day"]


# -- evidence_mentions (derived, highlighted by the map popup and the Events page) --------
def test_frame_carries_first_evidence_mentions(store: SQLiteStore) -> None:
    """New events (ingest, and bulk ``add_events``, a COPY on PostGIS) and merges keep
    ``evidence_mentions`` equal to the first evidence row's mentions, as JSON text."""
    sentence = "ISF retook Fallujah on Sunday."
    mentions = [Mention("actor", 0, 3, "ISF"), Mention("place", 11, 19, "Fallujah"),
                Mention("date", 23, 29, "Sunday")]
    store.ingest(make_article(), [make_event(
        evidence=[Evidence("", sentence, 0, mentions)])])
    store.add_events([make_event(event_id="bulk", town="Mosul",
                                 evidence=[Evidence("a1", sentence, 0, mentions[:1])]),
                      make_event(event_id="bare", town="Raqqa", evidence=[])])
    frame = store.query_events()
    assert frame["evidence_mentions"].dtype == object
    by_town = {r["location"]: r for r in frame.to_dict("records")}
    assert all(isinstance(v, str) for v in frame["evidence_mentions"])
    assert json.loads(by_town["Fallujah"]["evidence_mentions"]) == [
        {"kind": "actor", "start": 0, "end": 3, "text": "ISF"},
        {"kind": "place", "start": 11, "end": 19, "text": "Fallujah"},
        {"kind": "date", "start": 23, "end": 29, "text": "Sunday"}]
    assert json.loads(by_town["Mosul"]["evidence_mentions"]) == [
        {"kind": "actor", "start": 0, "end": 3, "text": "ISF"}]
    assert by_town["Raqqa"]["evidence_mentions"] == "[]"
    # A second report merges into the Fallujah event: the first sentence (and its
    # mentions) stay the ones shown.
    result = store.ingest(make_article(), [make_event(
        evidence=[Evidence("", "Fallujah fell on Sunday.", 40,
                           [Mention("place", 0, 8, "Fallujah")])])])
    assert result.events_merged == 1
    row = store.query_events(EventFilter(text="Fallujah")).iloc[0]
    assert row.n_sources == 2 and row.evidence_sentence == sentence
    assert [m["kind"] for m in json.loads(row.evidence_mentions)] == ["actor", "place", "date"]


@pytest.mark.parametrize("columns, fetched, points", [
    # asked -> columns of the frame (FRAME_COLUMNS order, coordinates always), points
    (("event_type",), ["event_type", "latitude", "longitude"], False),
    (("actor1_force", "event_date", "geometry"),
     ["event_date", "latitude", "longitude", "actor1_force"], True),
    ((), ["latitude", "longitude"], False),
])
def test_query_events_reads_only_the_columns_asked(store: SQLiteStore, columns: tuple,
                                                   fetched: list, points: bool) -> None:
    """The Map page reads a few columns of 100,000 events: the same values as in the
    full frame, in its order and dtypes, the same events; points only when asked."""
    store.add_events(sample_events(12))
    flt = EventFilter(date_from=date(2015, 1, 1))
    full = store.query_events(flt)
    some = store.query_events(flt, columns=columns)
    assert [c for c in some.columns if c != "geometry"] == fetched
    assert ("geometry" in some.columns) == points
    assert len(some) == len(full) > 0
    for name in fetched:
        assert some[name].dtype == full[name].dtype
        assert some[name].tolist() == full[name].tolist()
    assert some.attrs["n_without_coordinates"] == full.attrs["n_without_coordinates"]


def test_query_events_names_an_unknown_column(store: SQLiteStore) -> None:
    with pytest.raises(ValueError, match="no such column.*popularity"):
        store.query_events(columns=("event_type", "popularity"))


def test_confirmed_names_are_stored_replaced_and_forgotten(store: SQLiteStore) -> None:
    """An analyst's confirmation of a flagged name survives, keyed by the folded name."""
    hit = Place("wof:1", "Hit", 33.636, 42.8245, "IQ", "Anbar", "locality")
    other = Place("wof:2", "Hit", 34.9, 36.5, "SY", "Hama", "locality")
    store.confirm_name("Hit ", hit, author="ana")
    assert [(n, p.place_id, p.source) for n, p in store.confirmed_names()] == [
        ("Hit", "wof:1", "confirmed")]
    store.confirm_name("HIT", other)                  # same folded name: replaced
    assert [p.place_id for _, p in store.confirmed_names()] == ["wof:2"]
    with pytest.raises(InputError):
        store.confirm_name("!!!", hit)
    with pytest.raises(InputError):
        store.confirm_name("Hit", Place("wof:3", "Bad", 95.0, 42.0))
    assert store.forget_confirmed_name("hit") and not store.forget_confirmed_name("hit")
    assert store.confirmed_names() == []


#: (case, events as (date, date_min, date_max, review status, located), filter, span).
_RANGE_CASES = [
    ("empty store", [], EventFilter(), None),
    ("one day", [(date(2016, 6, 19), None, None, "machine", True)], EventFilter(),
     (date(2016, 6, 19), date(2016, 6, 19))),
    ("an interval reaches past the dated events",
     [(date(2016, 6, 19), None, None, "machine", True),
      (None, date(2015, 3, 1), date(2017, 1, 31), "machine", True)], EventFilter(),
     (date(2015, 3, 1), date(2017, 1, 31))),
    ("an open-ended interval counts by its known end",
     [(None, date(2014, 8, 1), None, "machine", True),
      (date(2016, 6, 19), None, None, "machine", True)], EventFilter(),
     (date(2014, 8, 1), date(2016, 6, 19))),
    ("events without coordinates are not on the map, nor in its span",
     [(date(2016, 6, 19), None, None, "machine", True),
      (date(2013, 1, 5), None, None, "machine", False)], EventFilter(),
     (date(2016, 6, 19), date(2016, 6, 19))),
    ("the filter applies (rejected left out by default)",
     [(date(2016, 6, 19), None, None, "machine", True),
      (date(2019, 2, 1), None, None, "rejected", True)],
     EventFilter(review_status=("machine",)), (date(2016, 6, 19), date(2016, 6, 19))),
]


@pytest.mark.parametrize("rows,flt,expected", [c[1:] for c in _RANGE_CASES],
                         ids=[c[0] for c in _RANGE_CASES])
def test_date_range_is_the_first_and_last_day_without_loading_events(
        store, rows, flt, expected) -> None:
    events = []
    for i, (day, lo, hi, status, located) in enumerate(rows):
        extra = {} if located else {"latitude": None, "longitude": None}
        events.append(make_event(event_id=f"e{i}", event_date=day, date_min=lo, date_max=hi,
                                 review_status=status, evidence=[], **extra))
    store.add_events(events)
    assert store.date_range(flt) == expected
    # The same answer as working it out from the loaded events.
    frame = store.query_events(flt)
    days = [d.date() for c in ("event_date", "date_min", "date_max")
            for d in frame[c].dropna()]
    assert ((min(days), max(days)) if days else None) == expected
