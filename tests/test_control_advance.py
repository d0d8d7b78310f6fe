"""Rule E6, the road of an advance (``geo.control.advance``; docs/control.md, "Who held a
named town"): a town on the straight road between a town a force took and its side's
nearest town the day before is the force's while it holds the town it took, where the
answer would otherwise be unknown.

The fixture is the Tigris road north of Samarra: the ISF hold Samarra, IS holds Tikrit
(inferred before the ISF's report of retaking it on 31 March 2015) and a village 25 km
east of Ad Dawr, the town between them. Machine reports at real gazetteer towns; the
village is a bare point.
"""
from __future__ import annotations

from datetime import date

import pytest

from geo.control.advance import advance_through, advances
from geo.control.facts import gazetteer_town, holder_of
from geo.control.series import ControlSeries
from geo.core.records import Event

#: An IS-held village 25 km east of Ad Dawr, off the road (lat, lon).
VILLAGE = (34.4447, 44.0654)


def report(name: str, force: str, day: date, old: str, *,
           point: tuple[float, float] | None = None) -> Event:
    """A machine report: ``force`` took ``name`` (a gazetteer town, or a bare point)
    from ``old`` on ``day``."""
    town = gazetteer_town(name) if point is None else None
    lat, lon = point or (town.latitude, town.longitude)  # type: ignore[union-attr]
    return Event(event_date=day, event_type="Battles",
                 sub_event_type="Non-state actor overtakes territory", location=name,
                 latitude=lat, longitude=lon, country="IQ",
                 place_id=town.place_id if town is not None else None,
                 actor1_force=force, actor2_force=old, control_to=force, date_min=day,
                 date_max=day, review_status="machine", article_ids=[f"a-{name}-{day}"],
                 event_id=f"{name}-{force}-{day}")


BASE = [report("Samarra", "ISF", date(2014, 6, 20), "IS"),
        report("village east of Ad Dawr", "IS", date(2014, 6, 15), "ISF", point=VILLAGE),
        report("Tikrit", "ISF", date(2015, 3, 31), "IS")]


@pytest.fixture(scope="module")
def tigris() -> ControlSeries:
    return ControlSeries(BASE)


def test_a_town_on_the_road_of_an_advance_is_the_advancing_forces(
        tigris: ControlSeries) -> None:
    """Before the ISF retook Tikrit, Ad Dawr lay between IS-held Tikrit and ISF-held
    Samarra: unknown (E2). After it, the IS village 25 km off still makes it "between
    the lines" by distance, but the ISF went from Samarra to Tikrit along the road Ad
    Dawr is on: held by the ISF, estimated, naming the road and the capture."""
    before = holder_of("Ad Dawr", date(2015, 1, 1), tigris)
    assert (before.force, before.basis) == ("", "unknown")
    assert "between the lines" in before.reason
    after = holder_of("Ad Dawr", date(2015, 6, 1), tigris)
    assert (after.force, after.status, after.basis, after.via) == ("ISF", "held", "road",
                                                                    "Tikrit")
    assert after.describe().startswith(
        "Ad Dawr on 2015-06-01: held by Iraqi Security Forces (ISF) [estimated: on the "
        "road from Samarra to Tikrit (51 km), which Iraqi Security Forces (ISF) took by "
        "2015-03-31 and holds; between the lines:")


def test_the_road_is_no_answer_once_the_town_taken_is_lost() -> None:
    """IS retook Tikrit in September 2015: the ISF no longer hold the end of the road,
    so Ad Dawr is between the lines again."""
    series = ControlSeries(BASE + [report("Tikrit", "IS", date(2015, 9, 1), "ISF")])
    answer = holder_of("Ad Dawr", date(2015, 12, 1), series)
    assert (answer.force, answer.basis) == ("", "unknown")


def test_a_town_beside_the_road_is_not_on_it(tigris: ControlSeries) -> None:
    """The road is the straight line between the two towns, 5 km either side, and not
    the towns themselves: the IS village 25 km off it is not on it, nor is Samarra."""
    assert advance_through(tigris, date(2015, 6, 1), *VILLAGE) is None
    samarra = gazetteer_town("Samarra")
    assert samarra is not None
    assert advance_through(tigris, date(2015, 6, 1), samarra.latitude,
                           samarra.longitude) is None
    dawr = gazetteer_town("Ad Dawr")
    assert dawr is not None
    found = advance_through(tigris, date(2015, 6, 1), dawr.latitude, dawr.longitude)
    assert found is not None and (found.force, found.day) == ("ISF", date(2015, 3, 31))


def test_a_capture_far_from_its_sides_towns_is_no_road() -> None:
    """A capture whose side held no town within 100 km the day before gives no road:
    nothing says which way the force came."""
    series = ControlSeries([report("Tikrit", "ISF", date(2015, 3, 31), "IS")],
                           presume=False)
    assert advances(series) == []


def test_a_holder_inferred_from_a_later_report_is_no_base() -> None:
    """IS took Baiji on 12 June 2014; the ISF's report of taking Samarra from IS on 20
    June makes Samarra IS-held before it (inferred, rule 7), but nothing said by 12 June
    put IS there: no road from Samarra to Baiji, and Tikrit, between them, stays between
    the lines (E2)."""
    series = ControlSeries([report("Baiji", "IS", date(2014, 6, 12), "ISF"),
                            report("Samarra", "ISF", date(2014, 6, 20), "IS")])
    assert all(series.refs[a.base].name != "Samarra" for a in advances(series))
    answer = holder_of("Tikrit", date(2015, 6, 1), series)
    assert (answer.force, answer.basis) == ("", "unknown")
    assert "between the lines" in answer.reason
