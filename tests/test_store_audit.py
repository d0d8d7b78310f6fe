"""Audit and undo, who changed what, the store's input boundary, the event a report merges
into, and a newer dataset export on top of an older one (both backends)."""
from __future__ import annotations

import getpass
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from geo.core.errors import InputError
from geo.core.records import Evidence, Mention, Place, TimePrecision
from geo.review import audit_changes, undo_change
from geo.store import EventFilter, open_store, schema
from tests.factories import make_article, make_event

EVERYTHING = EventFilter(review_status=("machine", "confirmed", "corrected", "rejected"))


@pytest.fixture
def store(backend_url: str):
    """The store under test, on each backend (``backend_url``)."""
    with open_store(backend_url) as s:
        yield s


def _month_event(store) -> str:
    """A month-precision event: Palmyra, some day in June 2016 (interval 06-01..06-30)."""
    store.ingest(make_article(), [make_event(
        town="Palmyra", event_date=date(2016, 6, 15), date_min=date(2016, 6, 1),
        date_max=date(2016, 6, 30), time_precision=TimePrecision.MONTH)])
    return store.query_events().iloc[0].event_id


def _dates(event) -> tuple:
    return (event.event_date, event.date_min, event.date_max, event.time_precision,
            event.review_status)


# -- undo ------------------------------------------------------------------------------------
def test_undo_restores_the_exact_previous_values_including_the_interval(store) -> None:
    """Moving a month-precision event to a day outside its month moves the interval;
    undoing the change brings back the day, the whole month and the review status (by
    hand, setting the day back, the interval stayed one day)."""
    event_id = _month_event(store)
    before = store.get_event(event_id)
    moved = store.update_event(event_id, {"event_date": "2016-07-04"}, author="maria")
    assert (moved.date_min, moved.date_max) == (date(2016, 7, 4),) * 2
    [change] = audit_changes(store.audit_trail(event_id))
    assert change.author == "maria"
    assert set(change.fields) == {"event_date", "date_min", "date_max", "review_status"}

    restored = undo_change(store, change.change_id, author="omar")
    assert _dates(restored) == _dates(before)
    assert restored == before
    assert store.query_events(EventFilter(date_from=date(2016, 6, 2),
                                          date_to=date(2016, 6, 3))).event_id.tolist() == [
        event_id]                                        # the month interval is back
    changes = audit_changes(store.audit_trail(event_id))
    assert [c.author for c in changes] == ["omar", "maria"]        # newest first
    assert changes[0].note == f"undo of change {change.change_id}"

    # the undo is a change like any other: undoing it redoes the move
    redone = undo_change(store, changes[0].change_id, author="omar")
    assert _dates(redone) == _dates(moved)


def test_undo_refuses_when_a_field_changed_again_since(store) -> None:
    event_id = _month_event(store)
    store.update_event(event_id, {"fatalities": 3}, author="a")
    store.update_event(event_id, {"fatalities": 5}, author="b")
    first, second = sorted(c.change_id for c in audit_changes(store.audit_trail(event_id)))
    with pytest.raises(InputError) as info:
        undo_change(store, first)
    assert info.value.field == "fatalities" and "changed again since" in str(info.value)
    assert store.get_event(event_id).fatalities == 5             # nothing written
    undo_change(store, second)
    assert store.get_event(event_id).fatalities == 3
    restored = undo_change(store, first)
    assert (restored.fatalities, restored.review_status) == (0, "machine")
    with pytest.raises(InputError, match="no change 999"):
        undo_change(store, 999)


def test_confirm_and_reject_are_undone_too(store) -> None:
    event_id = _month_event(store)
    store.update_event(event_id, {"review_status": "rejected"}, author="a")
    assert len(store.query_events()) == 0
    [change] = audit_changes(store.audit_trail(event_id))
    undo_change(store, change.change_id)
    assert store.query_events().event_id.tolist() == [event_id]


def test_author_is_the_setting_else_the_os_user(store, monkeypatch) -> None:
    event_id = _month_event(store)
    monkeypatch.delenv("GEO_AUTHOR", raising=False)
    store.update_event(event_id, {"fatalities": 1})
    monkeypatch.setenv("GEO_AUTHOR", "Sgt. Rivera")
    store.update_event(event_id, {"fatalities": 2})
    hit = Place("wof:1", "Hit", 33.636, 42.8245, "IQ", "Anbar", "locality")
    store.confirm_name("Hit", hit)
    authors = [r["author"] for r in store.audit_trail(event_id)]
    assert authors[0] == getpass.getuser() and authors[-1] == "Sgt. Rivera"
    assert "analyst" not in authors
    rows = store._read("SELECT author FROM confirmed_names")
    assert rows == [("Sgt. Rivera",)]


def test_migration_5_groups_old_audit_rows_into_changes(tmp_path: Path) -> None:
    """Audit rows written before change ids existed become one change per (event, second,
    author, note), so an old edit is undone as a whole."""
    path = tmp_path / "v4.sqlite"
    with open_store(str(path)) as store:
        event_id = _month_event(store)
        store.update_event(event_id, {"event_date": "2016-07-04"}, author="maria")
        store.update_event(event_id, {"fatalities": 2}, author="omar")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit SET at = '2016-01-01T00:00:00+00:00' WHERE author = 'maria'")
    for sql in ("DROP INDEX audit_change", "ALTER TABLE audit DROP COLUMN change_id",
                "ALTER TABLE events DROP COLUMN source_version", "DROP TABLE holdings",
                "DROP TABLE holding_reviews",
                "DELETE FROM schema_version WHERE version >= 5"):
        conn.execute(sql)
    conn.commit()
    conn.close()
    with open_store(str(path)) as store:
        assert store.schema_version_found == 4
        assert store.schema_version == schema.LATEST_VERSION
        changes = audit_changes(store.audit_trail(event_id))
        assert [(c.author, len(c.fields)) for c in changes] == [("omar", 1), ("maria", 4)]
        undo_change(store, changes[0].change_id)
        restored = undo_change(store, changes[1].change_id)
    assert (restored.date_min, restored.date_max) == (date(2016, 6, 1), date(2016, 6, 30))


# -- the store's boundary: both backends refuse the same values, naming the field -------
@pytest.mark.parametrize("where, change, field", [
    ("event", {"notes": "before\x00after"}, "notes"),
    ("event", {"location": "Mo\x00sul"}, "location"),
    ("event", {"fatalities": 2 ** 63}, "fatalities"),
    ("event", {"fatalities": 10 ** 4400}, "fatalities"),
    ("evidence", {"sentence": "IS\x00 fled."}, "sentence"),
    ("mention", {"text": "\x00"}, "mention text"),
    ("article", {"title": "Title\x00"}, "title"),
    ("article", {"text": "Text with a NUL \x00 byte."}, "text"),
])
def test_nul_characters_and_huge_numbers_are_refused_by_both_backends(
        store, where: str, change: dict, field: str) -> None:
    store.ingest(make_article(), [make_event(town="Mosul")])
    before = store.counts()
    article, event = make_article(), make_event()
    if where == "event":
        event = replace(event, **change)
    elif where == "evidence":
        event = replace(event, evidence=[replace(event.evidence[0], **change)])
    elif where == "mention":
        event = replace(event, evidence=[replace(event.evidence[0], mentions=[
            Mention("place", 0, 1, change["text"])])])
    else:
        article = replace(article, **change)
    with pytest.raises(InputError) as info:
        store.ingest(article, [event])
    assert info.value.field == field
    assert len(str(info.value)) < 400                    # a 4,400-digit number is not echoed
    assert store.counts() == before                      # the whole article refused


def test_boundary_covers_imports_places_and_the_cache(store) -> None:
    with pytest.raises(InputError) as info:
        store.import_events([make_event(event_id="acled:1", notes="a\x00b")])
    assert info.value.field == "notes" and "event 1 (acled:1)" in str(info.value)
    with pytest.raises(InputError) as info:
        store.add_events([make_event(event_id="x", fatalities=-(2 ** 70))])
    assert info.value.field == "fatalities"
    with pytest.raises(InputError) as info:
        store.add_custom_place(Place("user:a", "Zak\x00iyah", 33.2, 43.5, "IQ"))
    assert info.value.field == "name"
    with pytest.raises(InputError) as info:
        store.cache_put("nominatim", "mo\x00sul", {"a": 1})
    assert info.value.field == "key"
    assert store.counts()["events"] == 0 and store.custom_places() == []


# -- which stored event a report merges into -------------------------------------------------
def test_merge_target_is_the_closest_match_not_the_first_written(store) -> None:
    """Two stored reports both match a new one (same town, overlapping dates); the new one
    joins the one nearer in date, whatever order or second they were written in."""
    week = make_event(event_id="week", event_date=date(2016, 6, 16), date_min=date(2016, 6, 13),
                      date_max=date(2016, 6, 19), time_precision=TimePrecision.WEEK, evidence=[])
    month = make_event(event_id="month", event_date=date(2016, 6, 15),
                       date_min=date(2016, 6, 1), date_max=date(2016, 6, 30),
                       time_precision=TimePrecision.MONTH, evidence=[])
    for order in ([week, month], [month, week]):
        for created in (("2016-01-01T00:00:00+00:00",) * 2,          # the same second
                        ("2016-01-01T00:00:00+00:00", "2016-01-01T00:00:01+00:00")):
            store._write("test reset", lambda conn: [conn.execute(f"DELETE FROM {t}") for t in (
                "evidence", "event_sources", "events", "articles")])
            store.add_events(order)
            for event, at in zip(order, created):
                store._write("test clock", lambda conn, e=event, a=at: conn.execute(
                    f"UPDATE events SET created_at = {store.placeholder} WHERE event_id = "
                    f"{store.placeholder}", (a, e.event_id)))
            result = store.ingest(make_article(), [make_event(event_date=date(2016, 6, 17))])
            assert result.events_merged == 1
            by_id = {r.event_id: r.n_sources for r in store.query_events().itertuples()}
            assert by_id == {"week": 1, "month": 0}, (order, created)


# -- a newer dataset export on top of an older one -------------------------------------------
def _strike(event_id: str, **changes) -> object:
    return make_event(event_id=event_id, town="Mosul", event_type="Explosions/Remote violence",
                      sub_event_type="Air/drone strike", actor1_force="US", actor2_force="IS",
                      control_to="", evidence=[], origin="imported", **changes)


def test_newer_export_adds_new_rows_and_updates_changed_ones(store, monkeypatch) -> None:
    """ACLED codes two air strikes on Mosul on one day as two events; a newer export
    adds a third and revises the fatalities of the first. Nothing distinct is dropped as a
    duplicate, the revision is applied (audited, undoable) and an older export never
    overwrites a newer one."""
    monkeypatch.setenv("GEO_AUTHOR", "importer")
    old = [_strike("acled:IRQ1"), _strike("acled:IRQ2", notes="Second strike.")]
    first = store.import_events(old, versions=[1_500_000_000, 1_500_000_000])
    assert (first.added, first.duplicates) == (2, [])
    newer = [_strike("acled:IRQ1", fatalities=7), old[1], _strike("acled:IRQ3", notes="Third.")]
    second = store.import_events(newer, versions=[1_600_000_000, 1_500_000_000, 1_600_000_000])
    assert second.added == 1
    assert second.updated == [(0, "acled:IRQ1")]
    assert second.duplicates == [(1, "acled:IRQ2", "acled:IRQ2")]
    assert store.get_event("acled:IRQ1").fatalities == 7
    assert store.counts()["events"] == 3
    [change] = audit_changes(store.audit_trail("acled:IRQ1"))
    assert (change.author, change.fields) == ("importer", ("fatalities",))
    assert store.get_event("acled:IRQ1").review_status == "machine"

    older = store.import_events([_strike("acled:IRQ1", fatalities=1)], versions=[1_400_000_000])
    assert older.updated == [] and store.get_event("acled:IRQ1").fatalities == 7

    undo_change(store, change.change_id)
    assert store.get_event("acled:IRQ1").fatalities == 0


def test_newer_row_of_a_reviewed_event_is_kept_as_the_analyst_left_it(store) -> None:
    store.import_events([_strike("acled:IRQ1")], versions=[1])
    store.update_event("acled:IRQ1", {"fatalities": 4}, author="maria")
    outcome = store.import_events([_strike("acled:IRQ1", fatalities=9, notes="Revised.")],
                                  versions=[2])
    assert outcome.kept == [(0, "acled:IRQ1")] and outcome.updated == []
    event = store.get_event("acled:IRQ1")
    assert (event.fatalities, event.notes, event.review_status) == (4, "Forces retook Mosul.",
                                                                   "corrected")


def test_an_imported_row_still_matches_another_sources_report(store) -> None:
    """Dataset ids only keep rows of the *same* dataset apart: an ACLED row reporting an
    event already extracted from an article is still a duplicate of it."""
    store.ingest(make_article(), [make_event(town="Mosul")])
    outcome = store.import_events([make_event(event_id="acled:IRQ9", town="Mosul",
                                              evidence=[], origin="imported")])
    assert outcome.added == 0 and len(outcome.duplicates) == 1


def test_evidence_is_checked_at_the_boundary_per_article(store) -> None:
    ev = Evidence("", "IS fled Mosul.", 2 ** 64)
    with pytest.raises(InputError) as info:
        store.ingest(make_article(), [make_event(town="Mosul", evidence=[ev])])
    assert info.value.field == "sentence_start" and "evidence 1" in str(info.value)
