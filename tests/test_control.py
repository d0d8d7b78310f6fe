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

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point

from geo.control import METHOD_TEXT, control_geojson
from geo.control.areas import OUTPUT_CRS, THEATRE_CRS, control_areas, load_borders, places_outside
from geo.control.sources import control_events, events_from_frame
from geo.control.timeline import PlaceControl, control_on
from geo.core.records import Event
from geo.store import open_store
from tests.factories import presumed

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


# --- places ----------------------------------------------------------------------------

def test_reports_without_place_id_at_the_same_point_are_one_place() -> None:
    """Reports without a place id but of the same town (same name, points 100 m apart)
    are one place with one status."""
    a = capture("Tabqa", "IS", date(2014, 8, 24), place_id="", old="SYR")
    b = capture("Tabqa", "SDF", date(2017, 5, 10), place_id="", latitude=35.8381)
    places, _ = control_on([a, b], date(2017, 6, 1))
    assert len(places) == 1
    (place,) = places.values()
    assert place.force == "SDF" and place.name == "Tabqa"


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
    assert {"area", "front", "place"} <= kinds
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
    open_store(str(tmp_path / "empty.sqlite")).close()  # `control` only reads: never creates
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
    assert "IS" not in areas and "ISF" in areas
    places = {f["properties"]["name"] for f in fc["features"]
              if f["properties"]["kind"] == "place" and not presumed(f["properties"])}
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


# --- territory over the settled land -------------------------------------------------------

def test_open_desert_is_not_shaded(two_sides) -> None:
    """Between Haditha and Rutba lies 200 km of empty desert: no area covers its middle,
    however close the nearest held town."""
    _, areas, _ = two_sides
    desert = Point(41.2, 33.3)       # western Anbar, no locality within tens of km
    assert not any(g.contains(desert) for g in areas.geometry)


def test_areas_follow_the_euphrates_valley(two_sides) -> None:
    """Land is shaded along the settled valley: the riverside between Hit and Haditha
    belongs to IS (both held by IS), the town of Haditha itself is inside IS's area."""
    _, areas, _ = two_sides
    is_area = areas.set_index("force").geometry["IS"]
    assert is_area.contains(Point(TOWNS["Haditha"][1], TOWNS["Haditha"][0]))
    assert is_area.contains(Point(TOWNS["Hit"][1], TOWNS["Hit"][0]))


def test_area_km2_is_the_equal_area_size(two_sides) -> None:
    """``km2`` is the area in the Lambert equal-area CRS (within 0.5 %)."""
    _, areas, _ = two_sides
    for row in areas.itertuples():
        metric = gpd.GeoSeries([row.geometry], crs=OUTPUT_CRS).to_crs(THEATRE_CRS).area[0]
        assert abs(metric / 1e6 - row.km2) <= 0.005 * row.km2


def test_command_place_says_who_held_a_town_and_on_what_basis(tmp_path: Path) -> None:
    """``--place``: a town the record names is answered from its own reports; a town it
    does not name (Baghdadi, up the Euphrates from Hit) from the land it stands on, and
    the answer says so."""
    open_store(str(tmp_path / "empty.sqlite")).close()  # `control` only reads: never creates
    env = dict(os.environ, GEO_DATABASE_URL=str(tmp_path / "empty.sqlite"))
    done = subprocess.run([sys.executable, "-m", "geo", "control", "--date", "2015-06-01",
                           "--place", "Ramadi", "--place", "Baghdadi"], cwd=PROJECT_DIR,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ramadi, baghdadi = done.stdout.strip().splitlines()
    assert "held by Islamic State (IS) since 2015-05-17" in ramadi and "[reported" in ramadi
    assert baghdadi.startswith("Baghdadi on 2015-06-01:")
    assert "estimated from the land of" in baghdadi
