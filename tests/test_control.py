"""Territorial control: timeline rules, areas and front lines, GeoJSON and the command.

Fixtures are tiny and built in code; coordinates are real towns in Iraq and Syria so the
country mask and the 40 km reach behave as they do on real data.
"""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, Point

from geo.control import METHOD_TEXT, control_geojson
from geo.control.areas import (
    OUTPUT_CRS,
    THEATRE_CRS,
    cell_coverage,
    control_areas,
    load_borders,
    places_outside,
)
from geo.control.sources import control_events, events_from_frame
from geo.control.timeline import PlaceControl, control_on
from geo.core.records import Event, TimePrecision
from geo.store import open_store

PROJECT_DIR = Path(__file__).resolve().parent.parent

#: name -> (lat, lon, country); Anbar and the Syrian Euphrates.
TOWNS = {
    "Ramadi": (33.4258, 43.2992, "IQ"), "Fallujah": (33.3500, 43.7800, "IQ"),
    "Hit": (33.6417, 42.8250, "IQ"), "Haditha": (34.1390, 42.3780, "IQ"),
    "Raqqa": (35.9500, 39.0100, "SY"), "Tabqa": (35.8370, 38.5480, "SY"),
}


def capture(town: str, force: str, day: date, *, old: str = "IS", until: date | None = None,
            notes: str = "", **overrides: object) -> Event:
    """A capture of ``town`` by ``force`` reported for ``day`` (to ``until`` if coarse)."""
    lat, lon, country = TOWNS[town]
    values: dict[str, object] = dict(
        event_date=day, event_type="Battles", sub_event_type="Government regains territory",
        location=town, latitude=lat, longitude=lon, country=country, place_id=f"t:{town}",
        actor1_force=force, actor2_force=old, control_to=force, date_min=day,
        date_max=until or day, notes=notes, review_status="machine",
        event_id=f"{town}-{force}-{day}")
    values.update(overrides)
    return Event(**values)  # type: ignore[arg-type]


def held(town: str, force: str, status: str = "held") -> tuple[str, PlaceControl]:
    lat, lon, country = TOWNS[town]
    return town, PlaceControl(town, lat, lon, country, force if status == "held" else "",
                              date(2016, 1, 1), status, (f"{town}-ev",), (force,))


# --- timeline rules ------------------------------------------------------------------

def test_capture_flips_a_town() -> None:
    """A capture flips a town: IS holds Ramadi after 17 May 2015, ISF after 28 Dec 2015."""
    events = [capture("Ramadi", "IS", date(2015, 5, 17), old="ISF",
                      sub_event_type="Non-state actor overtakes territory"),
              capture("Ramadi", "ISF", date(2015, 12, 28))]
    before, _ = control_on(events, date(2015, 5, 16))
    assert before == {}
    mid, _ = control_on(events, date(2015, 6, 1))
    assert (mid["t:Ramadi"].force, mid["t:Ramadi"].status) == ("IS", "held")
    assert mid["t:Ramadi"].since == date(2015, 5, 17)
    after, problems = control_on(events, date(2016, 1, 15))
    assert (after["t:Ramadi"].force, after["t:Ramadi"].status) == ("ISF", "held")
    assert after["t:Ramadi"].event_ids == ("Ramadi-ISF-2015-12-28",)
    assert problems == []


def test_conflicting_reports_give_contested() -> None:
    """Two forces claim Hit in overlapping weeks: neither is later, so contested, both listed;
    a clearly later capture resolves it."""
    events = [capture("Hit", "ISF", date(2016, 4, 10), until=date(2016, 4, 16)),
              capture("Hit", "PMF", date(2016, 4, 13), until=date(2016, 4, 14))]
    places, _ = control_on(events, date(2016, 5, 1))
    hit = places["t:Hit"]
    assert hit.status == "contested" and hit.force == ""
    assert set(hit.forces) == {"ISF", "PMF"}
    assert set(hit.event_ids) == {"Hit-ISF-2016-04-10", "Hit-PMF-2016-04-13"}
    later = events + [capture("Hit", "ISF", date(2016, 6, 1))]
    assert control_on(later, date(2016, 6, 2))[0]["t:Hit"].status == "held"


def test_coarse_date_takes_effect_at_end_and_is_contested_before() -> None:
    """"In May 2015" counts from 31 May; during May the place is contested between the old
    holder and the taker."""
    events = [capture("Ramadi", "ISF", date(2014, 1, 1)),
              capture("Ramadi", "IS", date(2015, 5, 1), until=date(2015, 5, 31), old="ISF",
                      time_precision=TimePrecision.MONTH)]
    during = control_on(events, date(2015, 5, 10))[0]["t:Ramadi"]
    assert during.status == "contested" and set(during.forces) == {"ISF", "IS"}
    end = control_on(events, date(2015, 5, 31))[0]["t:Ramadi"]
    assert (end.force, end.status, end.since) == ("IS", "held", date(2015, 5, 31))


def test_stale_claim_becomes_unknown() -> None:
    """A claim with no newer evidence for more than stale_after_days becomes unknown."""
    events = [capture("Haditha", "ISF", date(2014, 1, 1))]
    assert control_on(events, date(2015, 12, 31))[0]["t:Haditha"].status == "held"
    old = control_on(events, date(2016, 1, 2))[0]["t:Haditha"]
    assert (old.status, old.force) == ("unknown", "")
    short = control_on(events, date(2014, 3, 1), stale_after_days=30)[0]["t:Haditha"]
    assert short.status == "unknown"


def test_rejected_event_does_not_count_but_corrected_does() -> None:
    """A rejected capture is ignored; a corrected one counts."""
    events = [capture("Fallujah", "IS", date(2015, 1, 4), old="ISF"),
              capture("Fallujah", "ISF", date(2016, 6, 26), review_status="rejected")]
    assert control_on(events, date(2016, 7, 1))[0]["t:Fallujah"].force == "IS"
    events[1].review_status = "corrected"
    assert control_on(events, date(2016, 7, 1))[0]["t:Fallujah"].force == "ISF"


def test_event_without_place_or_force_is_reported_not_fatal() -> None:
    """Captures lacking a place or control_to are skipped with a problem naming the event."""
    no_place = capture("Hit", "ISF", date(2016, 4, 14), place_id="", latitude=None,
                       longitude=None, event_id="no-place")
    no_force = capture("Raqqa", "SDF", date(2017, 10, 17), control_to="", event_id="no-force")
    places, problems = control_on([no_place, no_force], date(2017, 11, 1))
    assert places == {}
    assert len(problems) == 2
    assert "no-place" in problems[0] and "place" in problems[0]
    assert "no-force" in problems[1] and "control_to" in problems[1]


def test_siege_keeps_holder_and_partial_is_contested() -> None:
    """A siege (Armed clash noting encirclement) marks the place besieged with its holder
    unchanged; a "[partial]" capture makes it contested between holder and taker."""
    siege = capture("Raqqa", "SDF", date(2017, 6, 10), sub_event_type="Armed clash",
                    control_to="", notes="SDF encircled the city")
    base = capture("Raqqa", "IS", date(2014, 1, 13), old="FSA")
    places, _ = control_on([base, siege], date(2017, 6, 20))
    assert (places["t:Raqqa"].status, places["t:Raqqa"].force) == ("besieged", "IS")
    assert places["t:Raqqa"].forces == ("IS", "SDF")
    part = capture("Raqqa", "SDF", date(2017, 7, 1), notes="[partial] old city taken")
    places, _ = control_on([base, siege, part], date(2017, 7, 2))
    assert places["t:Raqqa"].status == "contested"
    assert set(places["t:Raqqa"].forces) == {"IS", "SDF"}


def test_places_key_by_rounded_coordinates_without_place_id() -> None:
    """Reports without a place id but at (almost) the same point are one place."""
    a = capture("Tabqa", "IS", date(2014, 8, 24), place_id="", old="SYR")
    b = capture("Tabqa", "SDF", date(2017, 5, 10), place_id="", latitude=35.8371)
    places, _ = control_on([a, b], date(2017, 6, 1))
    assert list(places) == ["35.84,38.55"]
    assert places["35.84,38.55"].force == "SDF"


# --- areas and front lines -------------------------------------------------------------

@pytest.fixture(scope="module")
def two_sides() -> tuple[dict[str, PlaceControl], object, object]:
    """ISF holds Ramadi and Fallujah, IS holds Hit and Haditha; Raqqa is unknown."""
    places = dict([held("Ramadi", "ISF"), held("Fallujah", "ISF"), held("Hit", "IS"),
                   held("Haditha", "IS"), held("Raqqa", "IS", status="unknown")])
    areas, fronts = control_areas(places)
    return places, areas, fronts


def test_areas_of_different_forces_never_overlap(two_sides) -> None:
    """Pairwise intersection of the areas is ~0 m² in the metric CRS."""
    _, areas, _ = two_sides
    assert sorted(areas["force"]) == ["IS", "ISF"]
    metric = areas.to_crs(THEATRE_CRS).geometry.tolist()
    for a, b in itertools.combinations(metric, 2):
        assert a.intersection(b).area < 1.0      # m², against areas of thousands of km²
    assert min(g.area for g in metric) > 1e8


def test_areas_stay_inside_country_borders(two_sides) -> None:
    """Areas lie inside Iraq and Syria; unknown places leave holes (Raqqa is not drawn)."""
    _, areas, _ = two_sides
    mask = shapely.union_all(load_borders().to_crs(THEATRE_CRS).geometry.values)
    for geom in areas.to_crs(THEATRE_CRS).geometry:
        assert geom.difference(mask).area < 1e-6 * geom.area
    raqqa = Point(TOWNS["Raqqa"][1], TOWNS["Raqqa"][0])
    assert not any(g.contains(raqqa) for g in areas.geometry)


def test_front_line_lies_between_the_forces(two_sides) -> None:
    """The IS/ISF front crosses the segment from Ramadi (ISF) to Hit (IS)."""
    _, _, fronts = two_sides
    assert len(fronts) == 1
    assert set(fronts.iloc[0][["force_a", "force_b"]]) == {"IS", "ISF"}
    segment = LineString([(TOWNS["Ramadi"][1], TOWNS["Ramadi"][0]),
                          (TOWNS["Hit"][1], TOWNS["Hit"][0])])
    assert fronts.geometry.iloc[0].intersects(segment)


def test_allied_forces_have_no_front_and_output_is_wgs84(two_sides) -> None:
    """Same-side forces (ISF and PMF, both "iraq") share no front; output CRS is EPSG:4326."""
    places = dict([held("Ramadi", "ISF"), held("Fallujah", "PMF")])
    areas, fronts = control_areas(places)
    assert len(areas) == 2 and len(fronts) == 0
    _, areas2, fronts2 = two_sides
    for frame in (areas, fronts, areas2, fronts2):
        assert frame.crs.to_string() == OUTPUT_CRS


def test_contested_place_is_not_assigned() -> None:
    """A contested place gets no area, and with nothing held there is nothing to draw."""
    places = dict([held("Hit", "IS", status="contested")])
    areas, fronts = control_areas(places)
    assert areas.empty and fronts.empty


# --- GeoJSON, store and command ----------------------------------------------------------

def test_control_geojson_has_areas_fronts_and_places() -> None:
    """The FeatureCollection carries all three kinds with their properties."""
    events = [capture("Ramadi", "ISF", date(2015, 12, 28)),
              capture("Hit", "IS", date(2014, 10, 2), old="ISF",
                      sub_event_type="Non-state actor overtakes territory"),
              capture("Hit", "ISF", date(2016, 4, 14), control_to="", event_id="bad")]
    fc = control_geojson(date(2016, 1, 15), events)
    kinds = {f["properties"]["kind"] for f in fc["features"]}
    assert kinds == {"area", "front", "place"}
    area = next(f for f in fc["features"] if f["properties"]["kind"] == "area")
    assert {"force", "force_name", "colour"} <= set(area["properties"])
    place = next(f for f in fc["features"] if f["properties"].get("name") == "Ramadi")
    assert place["properties"]["since"] == "2015-12-28"
    assert fc["method"] == METHOD_TEXT
    assert len(fc["problems"]) == 1 and "event bad" in fc["problems"][0]
    json.dumps(fc)


def test_store_events_round_trip(tmp_path: Path) -> None:
    """Captures read back from the store give the same control as the Events themselves."""
    events = [capture("Ramadi", "ISF", date(2015, 12, 28)),
              capture("Hit", "ISF", date(2016, 4, 14), review_status="rejected")]
    with open_store(str(tmp_path / "db.sqlite")) as store:
        store.add_events(events)
        loaded = control_events(date(2016, 5, 1), store, curated=False)
        assert events_from_frame(store.query_events()) != []
    places, _ = control_on(loaded, date(2016, 5, 1))
    assert list(places) == ["t:Ramadi"] and places["t:Ramadi"].force == "ISF"


def _run_control(day: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, GEO_DATABASE_URL=str(tmp_path / "empty.sqlite"))
    return subprocess.run([sys.executable, "-m", "geo", "control", "--date", day],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("day,force", [("2015-06-01", "IS"), ("2016-01-15", "ISF")])
def test_command_ramadi_from_curated_timeline(day: str, force: str, tmp_path: Path) -> None:
    """With an empty database, the curated timeline alone puts Ramadi under IS on
    1 June 2015 and under ISF on 15 January 2016."""
    done = _run_control(day, tmp_path)
    assert done.returncode == 0, done.stderr
    fc = json.loads(done.stdout)
    ramadi = [f["properties"] for f in fc["features"] if f["properties"].get("name") == "Ramadi"]
    assert len(ramadi) == 1
    assert (ramadi[0]["force"], ramadi[0]["status"]) == (force, "held")


def test_command_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    """A malformed date exits 2 with a message naming the expected form."""
    done = _run_control("2015-13-01", tmp_path)
    assert done.returncode == 2
    assert "expected YYYY-MM-DD" in done.stderr and "Traceback" not in done.stderr


# --- bad input -------------------------------------------------------------------------

def test_place_outside_the_countries_is_reported_and_gets_no_area() -> None:
    """A capture placed in Jordan (a typo, or a town across the border) must not grow an
    area into Iraq from outside, nor crash: it is named in ``problems`` and drawn only as
    a place, so the analyst sees it and fixes the coordinates."""
    typo = capture("Hit", "IS", date(2015, 3, 1), latitude=31.95, longitude=35.93,
                   location="Hit (typo)", place_id="t:typo", event_id="typo-1")
    events = [capture("Ramadi", "ISF", date(2015, 12, 28)), typo]
    fc = control_geojson(date(2016, 1, 15), events)
    outside = [p for p in fc["problems"] if "lies outside the mapped countries" in p]
    assert len(outside) == 1 and "typo-1" in outside[0] and "Hit (typo)" in outside[0]
    areas = [f["properties"]["force"] for f in fc["features"]
             if f["properties"]["kind"] == "area"]
    assert areas == ["ISF"]
    places = {f["properties"]["name"] for f in fc["features"]
              if f["properties"]["kind"] == "place"}
    assert places == {"Ramadi", "Hit (typo)"}
    alone, fronts = control_areas(dict([("t:typo", PlaceControl(
        "Hit (typo)", 31.95, 35.93, "IQ", "IS", date(2015, 3, 1), "held"))]))
    assert alone.empty and fronts.empty


def test_border_town_just_outside_the_generalised_border_still_counts() -> None:
    """Kobani lies ~0.5 km outside the Natural Earth border of Syria: within the
    tolerance, so it keeps its area and raises no problem."""
    kobani = {"kobani": PlaceControl("Kobani", 36.8906, 38.3547, "SY", "SDF",
                                     date(2015, 1, 26), "held")}
    assert places_outside(kobani) == []
    areas, _ = control_areas(kobani)
    assert list(areas["force"]) == ["SDF"]


def test_contradictory_corrections_are_contested_and_reported() -> None:
    """Two analysts corrected captures of Hit to different forces with overlapping dates:
    the place is contested, both events stay in its evidence, and the problems list names
    the two events that conflict (machine reports that conflict are not listed)."""
    isf = capture("Hit", "ISF", date(2016, 4, 10), until=date(2016, 4, 16),
                  review_status="corrected", event_id="fix-isf")
    pmf = capture("Hit", "PMF", date(2016, 4, 13), until=date(2016, 4, 14),
                  review_status="confirmed", event_id="fix-pmf")
    places, problems = control_on([isf, pmf], date(2016, 5, 1))
    hit = places["t:Hit"]
    assert (hit.status, hit.force) == ("contested", "")
    assert set(hit.event_ids) == {"fix-isf", "fix-pmf"} and set(hit.forces) == {"ISF", "PMF"}
    assert len(problems) == 1
    assert "fix-isf" in problems[0] and "fix-pmf" in problems[0] and "Hit" in problems[0]
    isf.review_status = pmf.review_status = "machine"
    assert control_on([isf, pmf], date(2016, 5, 1))[1] == []


# --- cache: same results, exact coverage --------------------------------------------------

def test_cached_cells_give_the_same_areas_as_a_cold_run(two_sides) -> None:
    """The per-point-set cache must not change results: a warm call equals a cold one,
    and areas still cover exactly the cells of held places (no gaps between them)."""
    places, areas, fronts = two_sides
    cell_coverage.cache_clear()
    cold_areas, cold_fronts = control_areas(places)
    warm_areas, warm_fronts = control_areas(places)
    for a, b in ((cold_areas, warm_areas), (cold_fronts, warm_fronts), (areas, warm_areas)):
        assert a.geometry.geom_equals_exact(b.geometry, 1e-9).all()


def test_curated_places_form_an_exact_coverage() -> None:
    """On the real place set the cut cells pass ``coverage_is_valid``, so days take the
    fast path (coverage union, cached shared edges), not the union_all fallback."""
    from geo.control.areas import _default_mask_wkb, _project_places
    from geo.control.curated import load_curated_timeline

    places, _ = control_on(load_curated_timeline(), date(2017, 7, 1))
    _, xs, ys = _project_places(places)
    points = tuple(sorted({(round(float(x)), round(float(y))) for x, y in zip(xs, ys)}))
    coverage = cell_coverage(points, _default_mask_wkb(), 40_000.0)
    assert coverage.exact and len(coverage.pairs) > len(points)
