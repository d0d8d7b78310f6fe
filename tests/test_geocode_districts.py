"""A name shared by a district, its town and namesake villages reads as the district's
town (``geo/core/districts.py``), in a look-up and in an article alike."""
from __future__ import annotations

from geo.core.districts import letters, seat_of, seats
from geo.core.records import Place
from geo.geocode.gazetteer import default_gazetteer

DISTRICT = Place("t:d", "Chum", 36.64, 44.88, "IQ", place_type="county", importance=0.28)
SEAT = Place("t:s", "Chum", 36.64, 44.89, "IQ", importance=0.30)            # ~1 km
NAMESAKE = Place("t:n", "Chum", 36.66, 44.70, "IQ", importance=0.375)        # ~17 km
FAR = Place("t:f", "Chum", 35.98, 45.57, "IQ", importance=0.1)               # ~95 km
OTHER_NAME = Place("t:o", "Chawm", 36.64, 44.885, "IQ", importance=0.4)      # beside it


def test_the_seat_is_the_town_named_alike_nearest_the_districts_point() -> None:
    assert seat_of(DISTRICT, [NAMESAKE, SEAT, FAR, OTHER_NAME]) == SEAT
    assert seat_of(DISTRICT, [NAMESAKE, FAR]) == NAMESAKE        # the nearest within 40 km
    assert seat_of(DISTRICT, [FAR, OTHER_NAME]) is None          # too far / named otherwise
    assert seats([NAMESAKE, SEAT, DISTRICT]) == [SEAT]


def test_names_alike_differ_only_in_case_and_punctuation() -> None:
    assert letters("Ra's-al-Ayn") == letters("Ra's al `Ayn") == "rasalayn"
    assert letters("Choman") != letters("Chawman")


def test_a_district_name_alone_is_the_districts_town_in_a_look_up_and_in_text() -> None:
    """"Choman": the Erbil district's town, not the village Chawman 17 km off that the
    open data ranks higher; "Soran": the Erbil district's town, not Suran in Hama (both
    stay runners-up, and "Choman district" is still the district)."""
    gaz = default_gazetteer()
    for name, place_id in (("Choman", "wof:1344138041"), ("Soran", "wof:1796487365")):
        looked = gaz.lookup(name, limit=10)
        assert looked[0].place_id == place_id, [(p.name, p.admin1) for p in looked[:3]]
        assert len(looked) > 1
        found = [m for m in gaz.find_mentions(f"Fighters captured {name} on Tuesday.")
                 if m.surface == name]
        assert found and found[0].place.place_id == place_id
    assert gaz.lookup("Choman district")[0].place_type == "county"
