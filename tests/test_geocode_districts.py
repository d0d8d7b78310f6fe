"""A name shared by a district, its town and namesake villages reads as the district's
town (``geo/core/districts.py``), in a look-up and in an article alike: one rule, asked
by the gazetteer's ranking, by a sentence's reading of a district's name and by the
article's geography."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from geo.core.districts import seat_of, seats
from geo.core.records import Place
from geo.extract.events import place_hits
from geo.geocode.gazetteer import default_gazetteer

# Each table lists the places one name can stand for (the gazetteer's answer: every one
# bears the name, as its own, as another of its names, or in another spelling).
DISTRICT = Place("t:d", "Chum", 36.64, 44.88, "IQ", place_type="county", importance=0.28)
SEAT = Place("t:s", "Chum", 36.64, 44.89, "IQ", importance=0.30)            # ~1 km
NAMESAKE = Place("t:n", "Chum", 36.66, 44.70, "IQ", importance=0.375)        # ~17 km
FAR = Place("t:f", "Chum", 35.98, 45.57, "IQ", importance=0.1)               # ~95 km
# the district spelled "Mahmoudiya", its town "Al Mahmudiyah", a village "Mahmudiyah"
MAHMOUDIYA = Place("t:md", "Mahmoudiya", 33.07, 44.33, "IQ", place_type="county")
AL_MAHMUDIYAH = Place("t:mt", "Al Mahmudiyah", 33.06, 44.36, "IQ", importance=0.2)  # ~3 km
MAHMUDIYAH = Place("t:mv", "Mahmudiyah", 36.87, 42.19, "IQ", importance=0.28)     # ~460 km
# the town bears the district's name among its others ("Ash Sharqat", also "Shirqat");
# a lesser place spelled like the district lies farther from the district's point
SHIRQAT = Place("t:sd", "Shirqat", 35.45, 43.14, "IQ", place_type="county", importance=0.33)
ASH_SHARQAT = Place("t:st", "Ash Sharqat", 35.51, 43.23, "IQ", importance=0.45)    # ~10 km
AL_SHIRQAT = Place("t:sl", "Al Shirqat", 35.57, 43.23, "IQ", importance=0.18)      # ~15 km
# a governorate named like its capital
PROVINCE = Place("t:pr", "Kirk", 35.35, 44.30, "IQ", place_type="region", importance=0.6)
CAPITAL = Place("t:pc", "Kirk", 35.47, 44.39, "IQ", importance=0.8)               # ~15 km


@pytest.mark.parametrize("places, seat", [
    pytest.param([NAMESAKE, SEAT, FAR, DISTRICT], [SEAT],
                 id="spelled alike: the town, not the more important namesake 17 km off"),
    pytest.param([NAMESAKE, FAR, DISTRICT], [NAMESAKE],
                 id="spelled alike, no town at the point: the nearest within 40 km"),
    pytest.param([MAHMUDIYAH, MAHMOUDIYA, AL_MAHMUDIYAH], [AL_MAHMUDIYAH],
                 id="article and transliteration: Al Mahmudiyah of Mahmoudiya"),
    pytest.param([AL_SHIRQAT, SHIRQAT, ASH_SHARQAT], [ASH_SHARQAT],
                 id="the town named otherwise, nearer than one spelled like the district"),
    pytest.param([FAR, DISTRICT], [], id="no seat in the gazetteer: every town too far"),
    pytest.param([MAHMOUDIYA], [], id="no seat in the gazetteer: the district alone"),
    pytest.param([CAPITAL, PROVINCE], [], id="a governorate is no district"),
])
def test_the_seat_is_the_town_nearest_the_districts_point(places: list[Place],
                                                           seat: list[Place]) -> None:
    assert seats(places) == seat


def test_the_seat_is_asked_of_one_district_and_none_past_40_km() -> None:
    assert seat_of(DISTRICT, [NAMESAKE, SEAT]) == SEAT
    assert seat_of(DISTRICT, [FAR, MAHMUDIYAH]) is None
    assert seat_of(DISTRICT, [DISTRICT]) is None                 # a district is no town


@pytest.mark.parametrize("name, place_id, place_type", [
    # spelled alike: the Erbil towns, not Chawman 17 km off nor Suran in Hama
    ("Choman", "wof:1344138041", "locality"),
    ("Soran", "wof:1796487365", "locality"),
    # article and transliteration: the district "Mahmoudiya"'s town "Al Mahmudiyah",
    # not the village "Mahmudiyah" in Nineveh, and the same town under each spelling
    ("Mahmudiyah", "wof:1310593015", "locality"),
    ("Mahmoudiya", "wof:1310593015", "locality"),
    # the town bears the district's name among others: "Ash Sharqat", not "Al Shirqat"
    ("Shirqat", "wof:1292976655", "locality"),
    ("Al-Shirqat", "wof:1292976655", "locality"),
    # a district with no seat in the gazetteer stays the district
    ("Tilkaif", "wof:1108562629", "county"),
    # a governorate is the governorate, or its capital where the city ranks first
    ("Nineveh", "wof:85672429", "region"),
    ("Kirkuk", "wof:890449811", "locality"),
])
def test_a_name_reads_as_one_place_in_a_look_up_and_in_text(name: str, place_id: str,
                                                           place_type: str) -> None:
    gaz = default_gazetteer()
    looked = gaz.lookup(name, limit=10)[0]
    hits = place_hits(gaz, f"Fighters captured {name} on Tuesday.")
    assert (looked.place_id, looked.place_type) == (place_id, place_type), looked
    assert [(h.place.place_id, h.place.place_type) for h in hits] == [(place_id, place_type)]


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


@dataclass
class _Span:
    start: int
    end: int
    surface: str
    place: Place
    candidates: tuple[Place, ...]
    alternatives: tuple[Place, ...] = field(default=())


@dataclass
class _Finder:
    """A place finder that reads one name as the district, as a finder other than the
    gazetteer may: the sentence's reading still turns to the district's seat."""

    name: str
    places: tuple[Place, ...]

    def find_mentions(self, text: str) -> list[_Span]:
        start = text.index(self.name)
        return [_Span(start, start + len(self.name), self.name, self.places[0], self.places)]


@pytest.mark.parametrize("sentence, place", [
    ("Troops retook Mahmoudiya on Friday.", AL_MAHMUDIYAH),
    ("Troops retook the Mahmoudiya district on Friday.", MAHMOUDIYA),
])
def test_a_sentence_reads_a_districts_name_alone_as_its_seat(sentence: str,
                                                           place: Place) -> None:
    finder = _Finder("Mahmoudiya", (MAHMOUDIYA, MAHMUDIYAH, AL_MAHMUDIYAH))
    assert [h.place for h in place_hits(finder, sentence)] == [place]
