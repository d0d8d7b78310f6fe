"""Change points: control worked out once per body of evidence, a day is a lookup.

The series under test is the bundled curated timeline (the real record), so the checks
are those an analyst scrubbing 2013-2019 relies on.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import shapely
from shapely.geometry import Point, shape

from geo.control import series as series_module
from geo.control.curated import load_curated_timeline
from geo.control.series import STATUS_CODES, ControlSeries
from geo.control.timeline import control_on
from geo.core.records import Event


@pytest.fixture(scope="module")
def curated() -> list[Event]:
    return load_curated_timeline()


@pytest.fixture(scope="module")
def series(curated: list[Event]) -> ControlSeries:
    return ControlSeries(curated)


def test_state_between_change_points_equals_the_rules_on_that_day(
        series: ControlSeries, curated: list[Event]) -> None:
    """For days across the record, the series' places equal ``control_on`` of that day."""
    for day in (date(2013, 3, 6), date(2014, 6, 20), date(2015, 5, 20), date(2016, 9, 1),
                date(2017, 7, 11), date(2019, 4, 1)):
        expected, _ = control_on(curated, day)
        assert series.places_on(day) == expected, day


def test_a_day_inside_a_change_point_is_a_lookup(series: ControlSeries,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Two days between the same change points share one cached map; no partition or
    territory is recomputed for the second (the slider step)."""
    i = series.index_on(date(2016, 3, 1))
    assert i is not None
    day_a = series.change_points[i]
    day_b = series.change_points[i + 1] - timedelta(days=1)
    first = series.collection_on(day_a)
    calls = []
    monkeypatch.setattr(series_module, "partition", lambda *a, **k: calls.append(1))
    second = series.collection_on(day_b)
    assert calls == []
    areas = lambda c: [f for f in c["features"] if f["properties"]["kind"] == "area"]  # noqa: E731
    assert areas(first) == areas(second)
    assert second["date"] == day_b.isoformat() and second["change_point"] == day_a.isoformat()


def test_ramadi_changes_hands_on_its_change_points(series: ControlSeries) -> None:
    """Ramadi: contested from January 2014 (IS in parts of the city), IS from 17 May 2015,
    ISF from 28 Dec 2015; the place and the land around it follow."""
    def ramadi(day: date) -> tuple[str, str]:
        (place,) = [p for p in series.places_on(day).values() if p.name == "Ramadi"]
        return place.status, place.force
    assert ramadi(date(2015, 5, 16)) == ("contested", "")
    assert ramadi(date(2015, 5, 17)) == ("held", "IS")
    assert ramadi(date(2015, 12, 27)) == ("held", "IS")
    assert ramadi(date(2015, 12, 28)) == ("held", "ISF")
    point = Point(43.2992, 33.4258)
    assert series.territory_on(date(2015, 8, 1)).areas["IS"].contains(point)
    assert series.territory_on(date(2016, 2, 1)).areas["ISF"].contains(point)


def test_recent_capture_is_marked_and_gained_lost_shades_the_change(
        series: ControlSeries) -> None:
    """A place taken within RECENT_DAYS is marked ``changed_recently``; between 1 May and
    1 June 2015 IS gained the ground around Palmyra and the government lost it."""
    coll = series.collection_on(date(2015, 5, 30))
    ramadi = [f["properties"] for f in coll["features"]
              if f["properties"].get("name") == "Ramadi"][0]
    assert ramadi["changed_recently"] and ramadi["holder_since"] == "2015-05-17"
    later = series.collection_on(date(2015, 9, 1))
    assert not [f for f in later["features"] if f["properties"].get("name") == "Ramadi"][0][
        "properties"]["changed_recently"]
    changes = series.gained_lost(date(2015, 5, 1), date(2015, 6, 1))
    palmyra = Point(38.2691, 34.5503)
    kinds = {(f["properties"]["kind"], f["properties"]["force"]) for f in changes
             if shape(f["geometry"]).contains(palmyra)}
    assert kinds == {("gained", "IS"), ("lost", "SYR")}
    moved = series.changed_between(date(2015, 5, 1), date(2015, 6, 1))
    assert {"name": "Palmyra", "from": "SYR", "to": "IS"}.items() <= \
        [m for m in moved if m["name"] == "Palmyra"][0].items()


def test_to_json_replays_to_every_change_point(series: ControlSeries) -> None:
    """The browser document is JSON; applying its per-change-point changes in order gives
    the series' state at every change point; catchments never overlap."""
    doc = json.loads(json.dumps(series.to_json()))
    assert doc["dates"] == [d.isoformat() for d in series.change_points]
    current: dict[str, list | None] = {}
    for i, entry in enumerate(doc["states"]):
        current.update(entry["changes"])
        expected = {str(series.index[k]): p for k, p in series.places_at(i).items()}
        got = {p: s for p, s in current.items() if s is not None}
        assert set(got) == set(expected), entry["date"]
        for p, s in got.items():
            assert STATUS_CODES[s[0]] == expected[p].status
            assert (s[1] or "") == expected[p].force
            assert (s[5] or "") == expected[p].last_force
    polys = [shape(g) for g in doc["epochs"][0]["catchments"].values()]
    total = sum(p.area for p in polys)
    assert abs(shapely.union_all(polys).area - total) < 1e-6 * total
    assert ["IS", "ISF"] in doc["hostile"] or ["ISF", "IS"] in doc["hostile"]


def test_the_browser_document_carries_a_stale_places_last_holder() -> None:
    """Rule 8 in the browser: a town no report has spoken for in two years is unknown
    (no land) but its state carries the force last reported holding it (the sixth
    member), which the scrub draws as a faded ring of that force's colour."""
    fall = Event(event_date=date(2014, 1, 4), event_type="Battles",
                 sub_event_type="Non-state actor overtakes territory", location="Fallujah",
                 latitude=33.35, longitude=43.78, country="IQ", place_id="wof:421173897",
                 actor1_force="IS", actor2_force="ISF", control_to="IS",
                 review_status="machine", article_ids=["a-1"], event_id="fallujah-is")
    series = ControlSeries([fall], presume=False)
    doc = series.to_json()
    fallujah = str(series.index[series.keys[0]])
    states = [entry["changes"][fallujah] for entry in doc["states"]
              if fallujah in entry["changes"]]
    assert [(STATUS_CODES[s[0]], s[1], s[5]) for s in states][-2:] == \
        [("held", "IS", None), ("unknown", None, "IS")]
    assert states[-1][2] == "2016-01-05"


def test_the_browser_document_says_a_loose_holders_since_as_reported() -> None:
    """The map's popup (drawn in the browser) says a capture told by the month as
    ``--place`` does: the state's seventh member is "December 2015" beside the day the
    rules weigh it from."""
    retook = Event(event_date=date(2015, 12, 31), event_type="Battles",
                   sub_event_type="Government regains territory", location="Ramadi",
                   latitude=33.4258, longitude=43.2992, country="IQ", place_id="t:Ramadi",
                   actor1_force="ISF", actor2_force="IS", control_to="ISF",
                   date_min=date(2015, 12, 1), date_max=date(2015, 12, 31),
                   review_status="machine", article_ids=["a-1"], event_id="retook")
    series = ControlSeries([retook], presume=False)
    ramadi = str(series.index[series.keys[0]])
    held = [entry["changes"][ramadi] for entry in series.to_json()["states"]
            if ramadi in entry["changes"] and entry["changes"][ramadi][1] == "ISF"]
    assert held and (held[0][4], held[0][6]) == ("2015-12-31", "December 2015")


IHS = [(date(2015, 1, 1), 90_800), (date(2015, 12, 14), 78_000), (date(2016, 7, 4), 68_300),
       (date(2016, 10, 3), 65_500), (date(2016, 12, 31), 60_400), (date(2017, 6, 26), 36_200)]


def test_islamic_state_territory_matches_ihs_conflict_monitor(series: ControlSeries) -> None:
    """The size of IS territory from the bundled record stays within ±20 % of the areas
    IHS Conflict Monitor published, and on the 2015 dates it is one territory (largest
    connected part ≥ 60 %), not scattered blobs."""
    from geo.control.territory import project

    for day, ihs in IHS:
        terr = series.territory_on(day)
        assert 0.8 <= terr.km2["IS"] / ihs <= 1.2, (day, terr.km2["IS"])
        if day.year == 2015:
            parts = [shapely.area(shapely.transform(p, lambda xy: project(xy[:, 0], xy[:, 1])))
                     for p in shapely.get_parts(terr.land("IS"))]
            assert max(parts) / sum(parts) >= 0.6, day


def test_areas_of_different_forces_never_overlap_on_the_record(series: ControlSeries) -> None:
    """On the IHS dates, with the desert each force holds included, no two forces' areas
    overlap."""
    from geo.control.territory import project

    for day, _ in IHS:
        terr = series.territory_on(day)
        areas = [terr.land(f) for f in terr.areas]
        # Reprojecting valid EPSG:4326 areas can leave slivers GEOS calls invalid: repair
        # them so the overlap is measured, not a topology exception.
        metric = [shapely.make_valid(shapely.transform(a, lambda xy: project(xy[:, 0], xy[:, 1])))
                  for a in areas]
        for i, a in enumerate(metric):
            for b in metric[i + 1:]:
                assert shapely.area(shapely.intersection(a, b)) < 1e6, day   # < 1 km²


#: The dated control facts ``make eval`` scores (tests/eval/control_facts.py): the dev set
#: and the check set written blind.
FACT_FILES = ("control-facts-dev.csv", "control-facts-check.csv")


def _facts(name: str) -> list[dict[str, str]]:
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parent / "eval" / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", FACT_FILES)
def test_town_level_facts_with_the_curated_timeline(series: ControlSeries, name: str) -> None:
    """The dated facts of a fact file (who held a named town on a day, any spelling) are
    answered right at least 95 % of the time from the curated timeline, as ``geo control
    --place`` answers them: the blind check set too, so a curated row that drifts from
    the record is caught on towns no rule was written for."""
    from geo.control.facts import holder_of

    facts = _facts(name)
    right = sum(holder_of(f["town"], date.fromisoformat(f["date"]), series).force
                == f["holder"] for f in facts)
    assert right / len(facts) >= 0.95


@pytest.mark.parametrize("name", FACT_FILES)
def test_every_control_fact_names_a_force_a_day_and_its_source(name: str) -> None:
    """A fact with a holder that is no force id, a day outside 2013-2019 or no source
    would score as the tool's error: each row names a known force, a day of the war and
    the report or event that says so."""
    from geo.core.forces import default_forces

    known = {f.force_id for f in default_forces()}   # not the placeholders GOV, KURD
    for line, fact in enumerate(_facts(name), start=2):
        assert fact["holder"] in known, (name, line, fact["holder"])
        assert date(2013, 1, 1) <= date.fromisoformat(fact["date"]) <= date(2019, 12, 31), \
            (name, line)
        assert fact["town"].strip() and fact["source"].strip(), (name, line)


def test_a_change_point_used_again_is_kept_over_older_ones(
        curated: list[Event], monkeypatch: pytest.MonkeyPatch) -> None:
    """A series keeps the maps of ``KEEP_CHANGE_POINTS`` change points and drops the one
    used longest ago: scrubbing back to a day seen a moment ago is a lookup even while
    new change points come in (first in, first out dropped it)."""
    monkeypatch.setattr(series_module, "KEEP_CHANGE_POINTS", 3)
    series = ControlSeries(curated)
    maps = [series.collection_at(i, with_territory=False) for i in range(3)]
    assert series.collection_at(0, with_territory=False) is maps[0]  # used again
    series.collection_at(3, with_territory=False)                   # drops 1, not 0
    assert series.collection_at(0, with_territory=False) is maps[0]
    assert series.collection_at(2, with_territory=False) is maps[2]
    assert series.collection_at(1, with_territory=False) is not maps[1]  # worked out again
