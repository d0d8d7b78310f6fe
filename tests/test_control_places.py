"""One place, one status: reports of the same town are merged before any rule runs.

The day walk uses the bundled curated timeline plus machine reports of the same towns as
the extractor writes them (gazetteer ids, other spellings, points a few km off): the
case the issue reported (Fallujah both "besieged" and "held by ISF" on one day).
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from geo.control.curated import load_curated_timeline
from geo.control.places import SAME_NAME_KM, PlaceRef, group_places
from geo.control.series import ControlSeries
from geo.core.records import Event
from geo.core.theatre import haversine_km as distance_km
from geo.core.theatre import haversine_km_to
from geo.geocode.normalize import variant_key


def report(name: str, lat: float, lon: float, *, place_id: str = "", force: str = "ISF",
           day: date = date(2016, 6, 26), event_id: str = "") -> Event:
    return Event(event_date=day, event_type="Battles",
                 sub_event_type="Government regains territory", location=name,
                 latitude=lat, longitude=lon, country="IQ", place_id=place_id,
                 actor1_force=force, actor2_force="IS", control_to=force,
                 event_id=event_id or f"{name}-{lat}-{lon}-{place_id}")


#: An invented merged place: a key, two more gazetteer ids and a second spelling.
_REF = PlaceRef("wof:1", "Qaryat al-Nur", 34.0, 42.0, "IQ", ("wof:2", "wof:3"),
                ("Qaryat an-Nur",))


@pytest.mark.parametrize("asked, bears", [
    ("Qaryat al-Nur", True),        # its shown name
    ("qaryat an nur", True),        # the merged spelling, case and hyphens folded
    ("Tell Nur", False),            # a different name
    ("", False),                    # nothing asked, nothing borne
])
def test_a_place_bears_its_spellings_folded(asked: str, bears: bool) -> None:
    """One test of "this known place is that town by name", used by --place, the
    cities of rule E1 and the curated lookup alike."""
    assert _REF.bears_name(asked) is bears


@pytest.mark.parametrize("place_id, has", [("wof:1", True), ("wof:3", True), ("wof:4", False)])
def test_a_place_has_its_key_and_merged_ids(place_id: str, has: bool) -> None:
    assert _REF.has_id(place_id) is has


def test_distances_to_many_points_agree_with_the_single_pair_formula() -> None:
    """The vectorised great-circle distance (rule E1's city reports) is the scalar one."""
    import numpy as np

    lats, lons = np.array([33.3, 36.3, 35.9, 34.0]), np.array([44.4, 43.1, 39.0, 42.0])
    got = haversine_km_to(lats, lons, 34.0, 42.0)
    want = [distance_km(a, b, 34.0, 42.0) for a, b in zip(lats, lons, strict=True)]
    assert np.allclose(got, want, atol=1e-9)
    assert got[-1] == 0.0


def test_same_gazetteer_id_is_one_place_whatever_the_name() -> None:
    """Same gazetteer id: one place, even spelled "Tabqa" and "al-Thawrah"."""
    refs = group_places([report("Tabqa", 35.836, 38.548, place_id="wof:1"),
                         report("al-Thawrah", 35.85, 38.55, place_id="wof:1")])
    assert len({r.key for r in refs.values()}) == 1


def test_same_name_within_a_few_km_is_one_place() -> None:
    """Spelling variants of one name within SAME_NAME_KM: one place; the curated row's
    name and point are shown."""
    curated = report("Fallujah", 33.35, 43.7833, event_id="cur")
    curated.origin, curated.review_status = "curated", "confirmed"
    machine = report("Falluja", 33.3486, 43.7747, place_id="wof:fal", event_id="mac")
    refs = group_places([curated, machine])
    assert refs["cur"] == refs["mac"]
    assert (refs["cur"].name, refs["cur"].lat) == ("Fallujah", 33.35)
    assert refs["cur"].key == "wof:fal"      # the gazetteer id keys it when one is known


def test_same_name_far_apart_and_different_names_nearby_stay_apart() -> None:
    """Two towns called Hit 60 km apart are two places; Ramadi and a village 3 km away
    are two places."""
    refs = group_places([report("Hit", 33.64, 42.83, event_id="a"),
                         report("Hit", 33.10, 42.90, event_id="b"),
                         report("Ramadi", 33.4258, 43.2992, event_id="c"),
                         report("Albu Faraj", 33.45, 43.30, event_id="d")])
    assert len({r.key for r in refs.values()}) == 4


@pytest.fixture(scope="module")
def walked_series() -> ControlSeries:
    """Curated timeline + machine reports of each curated town: gazetteer-style ids and
    the name with its article dropped or a vowel changed, 1-3 km off."""
    curated = load_curated_timeline()
    extra = []
    for n, event in enumerate(curated[::3]):
        name = event.location
        spelled = name[3:] if name.lower().startswith("al-") else name.replace("a", "e", 1)
        extra.append(report(spelled, float(event.latitude) + 0.01,
                            float(event.longitude) + 0.01, place_id=f"wof:{variant_key(name)}",
                            force=event.control_to or "IS", day=event.date_max or date(2016, 1, 1),
                            event_id=f"m{n}"))
    return ControlSeries(curated + extra)


def test_no_place_is_drawn_twice_on_any_day_2014_2019(walked_series: ControlSeries) -> None:
    """Every day of 2014-2019: no two places share a gazetteer id, and no two places with
    the same name (variants folded) lie within SAME_NAME_KM."""
    day, checked = date(2014, 1, 1), set()
    while day <= date(2019, 12, 31):
        i = walked_series.index_on(day)
        if i is not None and i not in checked:
            checked.add(i)
            places = walked_series.places_at(i)
            keys = [p.key for p in places.values()]
            assert len(keys) == len(set(keys)), day
            by_name: dict[str, list] = {}
            for p in places.values():
                by_name.setdefault(variant_key(p.name), []).append(p)
            for same in by_name.values():
                for a in same:
                    for b in same:
                        if a is not b:
                            assert distance_km(a.lat, a.lon, b.lat, b.lon) > SAME_NAME_KM, \
                                (day, a.name, b.name)
        day += timedelta(days=1)
    assert len(checked) > 50


def test_the_issues_fallujah_case_has_one_status(walked_series: ControlSeries) -> None:
    """1 September 2016: one Fallujah, held by ISF (it was both "besieged" and "held by
    ISF" when curated and extracted places were keyed apart)."""
    places = [p for p in walked_series.places_on(date(2016, 9, 1)).values()
              if variant_key(p.name) == variant_key("Fallujah")]
    assert len(places) == 1 and (places[0].status, places[0].force) == ("held", "ISF")


def test_every_machine_report_joined_its_curated_town(walked_series: ControlSeries) -> None:
    """The machine reports added no place of their own: each joined its curated town."""
    curated_only = ControlSeries(load_curated_timeline())
    assert len(walked_series.keys) == len(curated_only.keys)
