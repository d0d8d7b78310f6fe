"""An analyst's decision on a holding stated in passing, on both backends (a SQLite file,
the PostGIS server the suite starts): confirmed, corrected or rejected, audited and
undoable, kept through a re-reading of the articles, and weighed by control."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from geo.control.claims import ANALYST, STATED, claims_from_events
from geo.control.sources import control_events
from geo.core.errors import InputError
from geo.core.records import Holding
from geo.store import open_store
from geo.store.base import Store
from tests.factories import make_article, make_event
from tests.test_store import dump

HIT = dict(place_id="wof:hit", location="Hit", latitude=33.64, longitude=42.82,
           country="IQ")


@pytest.fixture(params=["sqlite", "postgis"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    url = (str(tmp_path / "events.sqlite") if request.param == "sqlite"
           else request.getfixturevalue("postgis_server")())
    with open_store(url) as s:
        yield s


def _holding(**overrides: object) -> Holding:
    values: dict[str, object] = dict(
        **HIT, force="IS", date_min=date(2016, 3, 20), date_max=date(2016, 3, 20),
        sentence="Families fleeing Islamic State-held Hit waited at a checkpoint.",
        sentence_start=120, construction="held-compound", source="Test Wire")
    values.update(overrides)
    return Holding(**values)  # type: ignore[arg-type]


def _stored(store: Store, *holdings: Holding) -> tuple[str, list[Holding]]:
    article = make_article()
    store.ingest(article, [make_event()], list(holdings) or [_holding()])
    return article.article_id, store.query_holdings()


def _claims(store: Store) -> dict[str, tuple[str, int]]:
    """Each holding's claim as control reads it: (force, tier)."""
    pairs, _ = claims_from_events(control_events(None, store, curated=False))
    return {c.event_id: (c.to, c.tier) for _e, c in pairs if c.event_id.startswith("stated:")}


def test_a_confirmed_holding_weighs_as_the_analysts(store: Store) -> None:
    _aid, [held] = _stored(store)
    assert held.review_status == "machine"
    assert _claims(store) == {held.holding_id: ("IS", STATED)}
    version = store.events_version()
    confirmed = store.review_holding(held.holding_id, "confirmed", author="omar",
                                     note="checked against the ISW map")
    assert confirmed.review_status == "confirmed" and confirmed.force == "IS"
    assert store.events_version() != version            # the control series is rebuilt
    assert _claims(store) == {held.holding_id: ("IS", ANALYST)}
    [row] = store.audit_trail(held.holding_id)
    assert (row["author"], row["field"], row["before"], row["after"], row["note"]) == (
        "omar", "holding review", {"review_status": "machine"},
        {"review_status": "confirmed"}, "checked against the ISW map")


def test_a_rejected_holding_is_ignored_by_control_and_kept(store: Store) -> None:
    _aid, [held] = _stored(store)
    store.review_holding(held.holding_id, "rejected", author="omar")
    assert _claims(store) == {}
    [kept] = store.query_holdings()
    assert kept.review_status == "rejected" and kept.sentence == held.sentence
    assert store.query_holdings(review_status=("machine", "confirmed", "corrected")) == []


def test_a_corrected_holding_claims_what_the_analyst_wrote(store: Store) -> None:
    """Force, place and dates corrected: control reads the corrected values at the
    analyst's tier; the reading is kept (the audit says what it was)."""
    _aid, [held] = _stored(store)
    fixed = store.review_holding(held.holding_id, changes={
        "force": "ISF", "place_id": "wof:haditha", "location": "Haditha",
        "latitude": 34.14, "longitude": 42.38, "date_min": "2016-03-01",
        "date_max": "2016-03-20"}, author="omar")
    assert (fixed.review_status, fixed.force, fixed.location, fixed.date_min) == (
        "corrected", "ISF", "Haditha", date(2016, 3, 1))
    assert fixed.holding_id == held.holding_id and fixed.sentence == held.sentence
    assert _claims(store) == {held.holding_id: ("ISF", ANALYST)}
    events = [e for e in control_events(None, store, curated=False)
              if e.event_id == held.holding_id]
    assert [(e.location, e.latitude, e.date_min) for e in events] == \
        [("Haditha", 34.14, date(2016, 3, 1))]
    # the date filter reads the corrected dates
    assert store.query_holdings(date(2016, 3, 5)) == [fixed]
    [row] = store.audit_trail(held.holding_id)
    assert row["after"]["force"] == "ISF" and row["before"] == {"review_status": "machine"}


@pytest.mark.parametrize("changes, field", [
    ({"force": "XYZ"}, "force"),
    ({"date_min": "2016-02-30"}, "date_min"),
    ({"date_min": "2016-04-01"}, "date_min"),                 # after its last day
    ({"latitude": 95.0, "longitude": 42.0}, "latitude"),
    ({"latitude": 33.0}, "longitude"),
    ({"sentence": "something else"}, "sentence"),
    ({"force": "IS"}, "force"),                               # nothing to correct
])
def test_a_bad_correction_names_its_field_and_changes_nothing(
        store: Store, changes: dict, field: str) -> None:
    _aid, [held] = _stored(store)
    before = dump(store)
    with pytest.raises(InputError) as info:
        store.review_holding(held.holding_id, changes=changes)
    assert info.value.field == field
    assert dump(store) == before


def test_an_unknown_holding_or_status_is_refused(store: Store) -> None:
    _stored(store)
    with pytest.raises(InputError, match="no holding"):
        store.review_holding("stated:0000", "confirmed")
    _aid, [held] = [None, store.query_holdings()]
    with pytest.raises(InputError) as info:
        store.review_holding(held.holding_id, "approved")
    assert info.value.field == "review_status"


def test_a_decision_survives_reading_the_articles_again(store: Store) -> None:
    """``put_holdings`` (``geo db reread-holdings``) replaces an article's holdings: the
    decision stays with the statement, even when a newer rule reads it with another
    date (another holding id), and does not leak to another statement."""
    aid, _ = _stored(store, _holding(), _holding(**{**HIT, "place_id": "wof:mosul",
                                                    "location": "Mosul"}))
    hit = next(h for h in store.query_holdings() if h.location == "Hit")
    store.review_holding(hit.holding_id, changes={"force": "ISF"}, author="omar")
    store.put_holdings(aid, [_holding(), _holding(place_id="wof:mosul", location="Mosul")])
    assert {(h.location, h.force, h.review_status) for h in store.query_holdings()} == \
        {("Hit", "ISF", "corrected"), ("Mosul", "IS", "machine")}
    # a newer rule table reads the same statement with another day: a new id
    store.put_holdings(aid, [_holding(date_min=date(2016, 3, 19), date_max=date(2016, 3, 19))])
    [again] = store.query_holdings()
    assert again.holding_id != hit.holding_id
    assert (again.force, again.review_status, again.date_max) == \
        ("ISF", "corrected", date(2016, 3, 19))
    # re-ingesting the article changes nothing
    store.ingest(make_article(text=store.get_article(aid).text), [], [_holding()])
    assert [h.review_status for h in store.query_holdings()] == ["corrected"]


def test_a_decision_can_be_undone_and_reset(store: Store) -> None:
    _aid, [held] = _stored(store)
    store.review_holding(held.holding_id, "rejected", author="omar")
    store.review_holding(held.holding_id, changes={"force": "ISF"}, author="omar")
    first, second = [r["change_id"] for r in store.audit_trail(held.holding_id)]
    with pytest.raises(InputError, match="decided again since"):
        store.undo_change(first)
    back = store.undo_change(second, author="lina")
    assert isinstance(back, Holding) and back.review_status == "rejected" \
        and back.force == "IS"
    store.undo_change(first)
    assert store.get_holding(held.holding_id) == held
    assert _claims(store) == {held.holding_id: ("IS", STATED)}
    # back to the reading from any decision, in one step
    store.review_holding(held.holding_id, "confirmed")
    assert store.review_holding(held.holding_id, "machine") == held
    assert len(store.audit_trail(held.holding_id)) == 6
    # deciding what is already decided writes nothing
    before = dump(store)
    store.review_holding(held.holding_id, "machine")
    assert dump(store) == before


def test_confirming_a_corrected_holding_keeps_the_correction(store: Store) -> None:
    _aid, [held] = _stored(store)
    store.review_holding(held.holding_id, changes={"force": "ISF"})
    now = store.review_holding(held.holding_id, "confirmed")
    assert (now.force, now.review_status) == ("ISF", "confirmed")
    assert replace(now, force="IS", review_status="machine") == held


def test_a_holding_against_a_better_claim_is_in_the_review_queue(store: Store) -> None:
    """"IS-held Fallujah" twelve days after a report of its recapture by the ISF: the
    map keeps the ISF (rule 9), and the Events page's queue lists the holding to
    review; rejected, it leaves the queue; confirmed, it is the analyst's and wins."""
    from geo.control.history import disputes_to_review
    from geo.control.series import ControlSeries
    from tests.factories import TOWN_BY_NAME

    town = TOWN_BY_NAME["Fallujah"]
    later = _holding(place_id=town.place_id, location=town.name, latitude=town.latitude,
                     longitude=town.longitude, date_min=date(2016, 7, 1),
                     date_max=date(2016, 7, 1))
    _aid, [held] = _stored(store, later)

    def queue() -> list[tuple[str, str, str, str]]:
        series = ControlSeries(control_events(None, store, curated=False), presume=False)
        return [(r["event_id"], r["claim_force"], r["holder"], r["claim_kind"])
                for r in disputes_to_review(series)]

    assert queue() == [(held.holding_id, "IS", "ISF", "stated")]
    store.review_holding(held.holding_id, "rejected")
    assert queue() == []
    store.review_holding(held.holding_id, "confirmed")
    series = ControlSeries(control_events(None, store, curated=False), presume=False)
    [key] = series.keys
    assert series.holder_on(key, date(2016, 7, 2)).force == "IS"


def test_a_confirmed_holding_outlives_a_reading_that_no_longer_gives_it(store: Store) -> None:
    """A newer rule table that no longer reads a statement drops the machine's holding
    but never one an analyst confirmed or corrected (it is the analyst's claim now);
    a rejected one goes with the reading."""
    aid, _ = _stored(store, _holding(),
                     _holding(place_id="wof:mosul", location="Mosul", sentence_start=300),
                     _holding(place_id="wof:tikrit", location="Tikrit", sentence_start=500))
    by_place = {h.location: h for h in store.query_holdings()}
    store.review_holding(by_place["Hit"].holding_id, "confirmed")
    store.review_holding(by_place["Tikrit"].holding_id, "rejected")
    assert store.put_holdings(aid, []) == 1
    [kept] = store.query_holdings()
    assert (kept.location, kept.review_status) == ("Hit", "confirmed")
    assert _claims(store) == {kept.holding_id: ("IS", ANALYST)}
