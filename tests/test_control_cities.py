"""Rule E1 on the map: a city whose holder no report gives is not painted by a neighbour.

``geo.control.cities`` holds the one definition (``CITY_POPULATION``, which reports are
the city) that ``geo control --place`` (``geo.control.facts``) and the territory
(``geo.control.territory``: the map, the exports, the browser scrub) both apply, so the
two never disagree. The fixture is a hand-made strip of invented villages in the Anbar
desert: a chain 80 km long, West End and East End (two towns) at its ends, Bigtown (a
city of 900,000 people, or a small town of 20,000 in one test) in its middle. The edge
case: both ends are held by the same force and the city lies between them, so every
locality of the strip is within reach of a held town and, before rule E1 reached the
map, Bigtown was painted with its neighbours' colour.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.control.cities import CITY_POPULATION, Cities, reporters, unreported
from geo.control.facts import holder_of
from geo.control.places import PlaceRef
from geo.control.series import ControlSeries
from geo.control.territory import (
    DesertGrid,
    LocalityMesh,
    build_mesh,
    project,
    to_output,
)
from geo.core.records import Event

#: Where the invented strip lies (a point of the Anbar desert, inside Iraq).
CENTRE = (41.0, 33.0)
DAY = date(2015, 6, 1)
NO_DESERT = DesertGrid(np.empty((0, 2)), np.empty(0, dtype=object), np.empty(0))


def _lonlat(x_km: float, y_km: float = 0.0) -> tuple[float, float]:
    """Degrees of a point ``x_km`` east and ``y_km`` north of ``CENTRE`` (projected)."""
    origin = project([CENTRE[0]], [CENTRE[1]])[0]
    point = shapely.Point(origin[0] + x_km * 1000, origin[1] + y_km * 1000)
    out = to_output(np.array([point], dtype=object))[0]
    return float(out.x), float(out.y)


def strip(people: int) -> LocalityMesh:
    """Two rows of villages 2 km apart from 40 km west to 40 km east of ``CENTRE``;
    Bigtown, of ``people`` people, is the village at the centre."""
    origin = project([CENTRE[0]], [CENTRE[1]])[0]
    xs = np.arange(-40.0, 40.5, 2.0) * 1000
    points = np.concatenate([np.column_stack([xs, np.zeros_like(xs)]),
                             np.column_stack([xs + 1000, np.full_like(xs, 1500.0)])])
    points = points + origin
    mask = shapely.box(*(origin + [-50000, -10000]), *(origin + [50000, 10000]))
    lon, lat = _lonlat(0.0)
    return build_mesh(points, mask, Cities.of([("inv:bigtown", "Bigtown", lon, lat,
                                                 float(people))]))


def capture(name: str, x_km: float, force: str, old: str, place_id: str) -> Event:
    """A machine report: ``force`` took the town ``x_km`` east of the centre."""
    lon, lat = _lonlat(x_km)
    day = date(2014, 6, 10)
    return Event(event_date=day, event_type="Battles",
                 sub_event_type="Non-state actor overtakes territory", location=name,
                 latitude=lat, longitude=lon, country="IQ", place_id=place_id,
                 actor1_force=force, actor2_force=old, control_to=force, date_min=day,
                 date_max=day, review_status="machine", article_ids=[f"a-{name}"],
                 event_id=f"{name}-{force}")


ENDS = [capture("West End", -30.0, "IS", "ISF", "inv:west"),
        capture("East End", 30.0, "IS", "ISF", "inv:east")]


def painted(series: ControlSeries, x_km: float) -> str:
    """The force whose area covers the village ``x_km`` east of the centre ("" none)."""
    lon, lat = _lonlat(x_km)
    point = shapely.Point(lon, lat)
    areas: dict[str, BaseGeometry] = series.territory_on(DAY).areas
    return next((f for f, geom in areas.items() if geom.distance(point) < 1e-6), "")


def test_an_unreported_city_between_two_held_towns_stays_unshaded() -> None:
    """Bigtown, 900,000 people, between two IS-held towns, with no report of its own:
    the map leaves it and its urban area (the villages nearer to it than to either
    town, within its urban radius: 8.5 km at 900,000 people) unshaded, and ``--place``
    says unknown for the same reason. The villages nearer a held town still follow it."""
    series = ControlSeries(ENDS, mesh=strip(900_000), desert=NO_DESERT)
    assert [painted(series, x) for x in (-30, -20, 0, 6, 20, 30)] == \
        ["IS", "IS", "", "", "IS", "IS"]
    answer = holder_of("Bigtown", DAY, series, point=_lonlat(0.0)[::-1])
    assert (answer.basis, answer.force) == ("unknown", "")
    assert "Bigtown, a city of 900,000 people whose holder no report gives" in answer.reason


def test_no_town_reaches_through_an_unreported_city() -> None:
    """Only West End is held: the villages beyond Bigtown, which West End's land could
    reach only through the city's urban area, stay unshaded too; those on West End's
    side of the city still follow it."""
    series = ControlSeries(ENDS[:1], mesh=strip(900_000), desert=NO_DESERT)
    assert [painted(series, x) for x in (-30, -14, 0, 12, 16)] == ["IS", "IS", "", "", ""]


def test_a_city_with_a_report_of_its_own_is_shaded_by_it() -> None:
    """A report that ISF took Bigtown (its gazetteer id): the city is ISF's on the map,
    and ``--place`` answers from that report."""
    series = ControlSeries(ENDS + [capture("Bigtown", 0.0, "ISF", "IS", "inv:bigtown")],
                           mesh=strip(900_000), desert=NO_DESERT)
    assert [painted(series, x) for x in (-30, 0, 30)] == ["IS", "ISF", "IS"]
    answer = holder_of("Bigtown", DAY, series)
    assert (answer.basis, answer.force) == ("reported", "ISF")


def test_a_small_town_between_two_held_towns_is_still_estimated() -> None:
    """The same strip with Bigtown a town of 20,000: below ``CITY_POPULATION``, so its
    land follows the nearest held town, on the map as in ``--place``."""
    assert 20_000 < CITY_POPULATION
    series = ControlSeries(ENDS, mesh=strip(20_000), desert=NO_DESERT)
    assert [painted(series, x) for x in (-30, 0, 30)] == ["IS", "IS", "IS"]
    answer = holder_of("Bigtown", DAY, series, point=_lonlat(0.0)[::-1])
    assert (answer.basis, answer.force) == ("territory", "IS")


def test_which_reports_are_the_city() -> None:
    """A place is the city by its gazetteer id, by its name in another spelling within
    5 km, or by a point within 2 km; a place of another name 3 km off is not."""
    lon, lat = _lonlat(0.0)
    cities = Cities.of([("inv:bigtown", "Bigtown", lon, lat, 900_000.0)])
    refs = [PlaceRef("inv:bigtown", "Old name", lat + 0.3, lon, "IQ"),
            PlaceRef("x:1", "Big Town", lat + 0.03, lon, "IQ", names=("Bigtown",)),
            PlaceRef("x:2", "Quarter", lat + 0.01, lon, "IQ"),
            PlaceRef("x:3", "Airfield", lat + 0.027, lon, "IQ")]
    found = reporters(cities, refs)
    assert found[0].tolist() == [0, 1, 2]
    assert unreported(found, np.array([False, False, False, True])).tolist() == [0]
    assert unreported(found, np.array([False, True, False, False])).tolist() == []
