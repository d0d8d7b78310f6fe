"""Distance phrases ("20 km east of Aleppo"): the landmark is not where the event was; an
event with no other place is placed that far off that way, located *near* (issue #10)."""
from __future__ import annotations

from datetime import date

import pytest

from geo.core.forces import default_forces
from geo.core.records import Article, GeoPrecision
from geo.core.theatre import haversine_km
from geo.extract.pipeline import extract_article
from geo.geocode.gazetteer import default_gazetteer

PUB = date(2016, 6, 4)


def _events(text: str, title: str = "") -> list:
    return extract_article(Article(text=text, title=title, published=PUB), default_gazetteer(),
                           default_forces(), parser=False).events


@pytest.mark.parametrize("text,km,landmark", [
    ("Syrian troops captured the village of Kharayej, 20 km east of Aleppo, on Monday.", 20,
     "Aleppo"),
    ("Syrian troops shelled villages 12 miles east of Aleppo on Monday.", 12 * 1.609344,
     "Aleppo"),
])
def test_an_event_known_only_by_a_distance_is_placed_that_far_off(text: str, km: float,
                                                                  landmark: str) -> None:
    [ev] = _events(text)
    ref = default_gazetteer().lookup(landmark)[0]
    assert ev.geo_precision == GeoPrecision.NEAR
    assert abs(haversine_km(ev.latitude, ev.longitude, ref.latitude, ref.longitude) - km) < 1
    assert ev.longitude > ref.longitude            # east of it
    assert landmark in ev.location and ev.place_id != ref.place_id


def test_the_city_in_a_distance_phrase_is_the_article_town() -> None:
    """"a small area 11 km northwest of the city": 11 km northwest of the article's town."""
    events = _events("Iraqi forces retook Tal Afar on Sunday, officials said. Fighting was "
                     "ongoing in Al Zaghira, a small area 11 km northwest of the city.",
                     title="Iraqi forces retake Tal Afar")
    town = next(e for e in events if e.control_to)
    fight = next(e for e in events if not e.control_to)
    assert 10 < haversine_km(fight.latitude, fight.longitude, town.latitude, town.longitude) < 12
    assert fight.latitude > town.latitude and fight.longitude < town.longitude


def test_a_landmark_too_far_off_places_nothing() -> None:
    """250 km from a capital says how far the story is from it, not where it happened."""
    text = "Militants attacked a checkpoint 250 km north of Baghdad on Monday."
    assert [e.location for e in _events(text)] == []


def test_a_named_place_beside_the_distance_phrase_wins() -> None:
    [ev] = _events("Baiji, 250 km north of Baghdad, fell to Islamic State on Monday.")
    assert ev.location == "Baiji" and ev.geo_precision == GeoPrecision.EXACT
