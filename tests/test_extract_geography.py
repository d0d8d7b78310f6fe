"""Homonyms resolved by the article's geography (``geo/extract/geography.py``), on tiny
hand-built places: the rule, not the gazetteer, is under test."""
from __future__ import annotations

from geo.core.records import Place
from geo.extract.events import PlaceHit
from geo.extract.geography import apply_readings, choose_readings

TOWN = Place("t:town", "Town", 36.50, 37.30, "SY", importance=0.7)
NEAR_VILLAGE = Place("t:near", "Sawr", 36.55, 37.25, "SY", importance=0.15)       # ~7 km
FAR_VILLAGE = Place("t:far", "Sawr", 35.30, 44.80, "IQ", importance=0.15)        # ~690 km
FAMOUS_FAR = Place("t:famous", "Sawr", 33.30, 44.40, "IQ", importance=0.9)


def hit(place: Place, text: str, *others: Place, start: int = 0) -> PlaceHit:
    return PlaceHit(start, start + len(text), text, place, (place,), tuple(others))


def test_a_minor_reading_far_from_the_story_gives_way_to_one_near_it() -> None:
    """An article about a Syrian town: its "Sawr" is the village beside it, not the
    one in Iraq that the gazetteer ranks first."""
    hits = [[hit(TOWN, "Town")], [hit(FAR_VILLAGE, "Sawr", NEAR_VILLAGE, start=20)]]
    chosen = choose_readings(hits)
    assert chosen == {"sawr": NEAR_VILLAGE}
    assert apply_readings(hits[1], chosen)[0].place == NEAR_VILLAGE


def test_a_well_known_reading_is_kept_wherever_the_story_is() -> None:
    hits = [[hit(TOWN, "Town")], [hit(FAMOUS_FAR, "Sawr", NEAR_VILLAGE, start=20)]]
    assert choose_readings(hits) == {}


def test_without_an_anchor_nothing_changes() -> None:
    """Two minor names and no well-known place: no geography to go by."""
    hits = [[hit(FAR_VILLAGE, "Sawr", NEAR_VILLAGE)]]
    assert choose_readings(hits) == {}


def test_the_articles_town_is_an_anchor_whatever_its_size() -> None:
    small_town = Place("t:small", "Dab", 36.54, 37.27, "SY", importance=0.17)
    other = Place("t:other", "Dab", 33.0, 40.0, "IQ", importance=0.1)
    topic = hit(small_town, "Dab", other)
    hits = [[topic], [hit(FAR_VILLAGE, "Sawr", NEAR_VILLAGE, start=20)]]
    assert choose_readings(hits) == {}                     # the town has two readings
    assert choose_readings(hits, topic) == {"sawr": NEAR_VILLAGE}


def test_a_district_named_as_such_stays_the_district() -> None:
    """"The X district" is the district; X alone is the town the district is named for
    (the construction table pins the town's side)."""
    from geo.extract.events import place_hits
    from geo.geocode.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    district = place_hits(gaz, "Militants attacked villages in the Daur district on Monday.")
    town = place_hits(gaz, "Militants attacked Daur on Monday.")
    assert [h.place.place_type for h in district] == ["county"]
    assert [h.place.place_type for h in town] == ["locality"]
    assert town[0].candidates[0] == town[0].place
