"""Homonyms resolved by the article's geography (``geo/extract/geography.py``), on tiny
hand-built places: the rule, not the gazetteer, is under test."""
from __future__ import annotations

from datetime import date

import pytest

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


# -- names no anchor places: the forces' theatre, the list, the district's seat ----------

SY_TOWN = Place("t:sy", "Sur", 35.29, 36.75, "SY", importance=0.45)
IQ_TOWN = Place("t:iq", "Sur", 36.65, 44.54, "IQ", importance=0.32)
IQ_NEIGHBOUR = Place("t:nb", "Chum", 36.66, 44.70, "IQ", importance=0.37)          # ~15 km
IQ_DISTRICT = Place("t:dist", "Chum", 36.64, 44.88, "IQ", place_type="county", importance=0.28)
IQ_SEAT = Place("t:seat", "Chum", 36.64, 44.89, "IQ", importance=0.30)             # ~1 km
IQ_VILLAGE = Place("t:vil", "Chawm", 36.66, 44.70, "IQ", importance=0.375)          # ~17 km


def test_a_sentence_naming_no_force_is_read_in_the_articles_country() -> None:
    """All the article's anchors lie in Syria (the dateline's town, a city 200 km off):
    a name whose readings are a district's town in Iraq and a town in Syria, neither near
    an anchor, reads as the Syrian town; anchors in two countries say nothing."""
    district = Place("t:d", "Sur", 36.80, 44.60, "IQ", place_type="county", importance=0.3)
    damascus = Place("t:dm", "Dam", 33.51, 36.29, "SY", importance=0.9)
    baghdad = Place("t:bg", "Bag", 33.31, 44.36, "IQ", importance=0.9)
    sur = PlaceHit(10, 13, "Sur", SY_TOWN, (SY_TOWN, IQ_TOWN, district))
    assert choose_readings([[hit(damascus, "Dam")], [sur]]) == {}
    assert choose_readings([[hit(damascus, "Dam"), hit(baghdad, "Bag", start=5)], [sur]]) == \
        {"sur": IQ_TOWN}                    # no one country: the district's town
    # a dateline in a neighbouring country ("BEIRUT") is no country of the story's
    beirut = Place("t:br", "Bei", 33.89, 35.50, "LB", importance=0.9)
    lebanese = Place("t:lb", "Sur", 33.27, 35.20, "LB", importance=0.2)
    sur = PlaceHit(10, 13, "Sur", SY_TOWN, (SY_TOWN, lebanese))
    assert choose_readings([[hit(beirut, "Bei")], [sur]]) == {}
    assert choose_readings([[hit(beirut, "Bei"), hit(damascus, "Dam", start=5)], [sur]]) == {}


def test_the_forces_of_the_sentence_place_a_name_in_their_country() -> None:
    """"Peshmerga retook Sur": a force whose government governs Iraq fights there; the
    name's Iraqi reading replaces a Syrian one, and a sentence naming no such force (or
    forces of two countries) changes nothing."""
    hits = [[hit(SY_TOWN, "Sur", IQ_TOWN)]]
    assert choose_readings(hits, countries=["IQ"]) == {"sur": IQ_TOWN}
    assert choose_readings(hits, countries=[""]) == {}
    assert choose_readings(hits) == {}


def test_a_country_the_sentence_names_places_a_name_there_and_a_second_says_nothing() -> None:
    """"Clashes in Sur, Iraq": the named country reads the name there; "Iraqi jets
    struck Sur in Syria": the forces' country and the named one disagree, so nothing
    moves (Iraq's air force struck in Syria too)."""
    iraq = Place("t:cIQ", "Iraq", 33.0, 43.7, "IQ", place_type="country", importance=1.0)
    syria = Place("t:cSY", "Syria", 35.0, 38.5, "SY", place_type="country", importance=1.0)
    sur = hit(SY_TOWN, "Sur", IQ_TOWN)
    assert choose_readings([[sur, hit(iraq, "Iraq", start=5)]]) == {"sur": IQ_TOWN}
    assert choose_readings([[sur, hit(syria, "Syria", start=5)]], countries=["IQ"]) == {}


def test_the_forces_country_does_not_move_a_name_the_storys_area_places() -> None:
    """Iraqi jets striking a Syrian village near the article's Syrian town: the story's
    area keeps the Syrian reading."""
    near_sy = Place("t:town2", "Town", 35.30, 36.80, "SY", importance=0.7)
    hits = [[hit(near_sy, "Town")], [hit(SY_TOWN, "Sur", IQ_TOWN, start=20)]]
    assert choose_readings(hits, countries=["", "IQ"]) == {}


def test_a_country_reading_near_the_articles_places_there_beats_the_home_reading() -> None:
    """The country of the sentence (its forces, or the one country of the article's
    places) known, the name's reading there nearest the article's places in that country
    (100 km: too far for the story's area, near enough for the country) wins over the
    country's most important namesake; with no place there, the home reading stays;
    "Iraqi forces retook Sur" (ground taken) outranks a Syrian anchor beside the Syrian
    reading, "Iraqi jets struck Sur" (``countries`` only) does not."""
    mosul = Place("t:mo", "Mos", 36.34, 43.15, "IQ", importance=0.9)
    near_iq = Place("t:iq2", "Sur", 35.45, 43.30, "IQ", importance=0.2)       # ~100 km
    famous_iq = Place("t:iq3", "Sur", 33.30, 44.40, "IQ", importance=0.45)
    sur = PlaceHit(20, 23, "Sur", SY_TOWN, (SY_TOWN,), (famous_iq, near_iq))
    assert choose_readings([[hit(mosul, "Mos")], [sur]], countries=["", "IQ"]) == \
        {"sur": near_iq}
    assert choose_readings([[sur]], countries=["IQ"]) == {"sur": famous_iq}
    beside = Place("t:sy2", "Town", 35.20, 36.70, "SY", importance=0.7)     # ~16 km
    story = [[hit(beside, "Town")], [sur]]
    assert choose_readings(story, countries=["", "IQ"]) == {}
    assert choose_readings(story, ground=["", "IQ"]) == {"sur": famous_iq}


def test_names_listed_together_are_read_near_each_other() -> None:
    """"Sur and Chum": no anchor, no force; the list's members lie near each other, so
    Sur's reading beside Chum replaces the one 700 km away, and Chum keeps its own."""
    far_chum = Place("t:fc", "Chum", 33.0, 40.0, "IQ", importance=0.1)
    text = "Sur and Chum"
    hits = [[hit(SY_TOWN, "Sur", IQ_TOWN), hit(IQ_NEIGHBOUR, "Chum", far_chum, start=8)]]
    assert choose_readings(hits, texts=[text]) == {"sur": IQ_TOWN}
    # not a list: two names of a sentence apart from each other say nothing of each other
    apart = "Sur was shelled; Chum"
    hits = [[hit(SY_TOWN, "Sur", IQ_TOWN), hit(IQ_NEIGHBOUR, "Chum", far_chum, start=17)]]
    assert choose_readings(hits, texts=[apart]) == {}


def test_a_name_shared_with_a_district_reads_as_the_districts_seat() -> None:
    """"Chum" names a district, the town it is named for (1 km from the district's
    point) and a more important village 17 km off: on its own, the name is the seat."""
    h = PlaceHit(0, 4, "Chum", IQ_VILLAGE, (IQ_VILLAGE, IQ_SEAT, IQ_DISTRICT))
    assert choose_readings([[h]]) == {"chum": IQ_SEAT}
    # a district among the name's readings bears the name whatever its display name
    # ("Tooz" is the district's, and its town's among others): its seat is the seat
    other = Place("t:od", "Elsewhere", 36.64, 44.88, "IQ", place_type="county")
    h = PlaceHit(0, 4, "Chum", IQ_VILLAGE, (IQ_VILLAGE, IQ_SEAT, other))
    assert choose_readings([[h]]) == {"chum": IQ_SEAT}
    # a district with no town of the name within 40 km of its point has no seat
    far = Place("t:fd", "Chum", 36.00, 45.60, "IQ", place_type="county")
    h = PlaceHit(0, 4, "Chum", IQ_VILLAGE, (IQ_VILLAGE, IQ_SEAT, far))
    assert choose_readings([[h]]) == {}


def test_a_districts_seat_keeps_its_reading_against_a_lesser_namesake_in_its_country() -> None:
    """"Kobane, Tal Abyad and Ras al-Ain": a hamlet named like the third lies beside the
    first; the district's town 150 km off is what a list of border towns means. In
    another country, a namesake near the story still wins ("the nearby town of X")."""
    district = Place("t:rd", "Ras", 36.70, 40.14, "SY", place_type="county", importance=0.3)
    seat = Place("t:rs", "Ras", 36.85, 40.07, "SY", importance=0.33)
    hamlet = Place("t:rh", "Ras", 36.58, 38.36, "SY", importance=0.2)
    kobani = Place("t:kb", "Kob", 36.89, 38.35, "SY", importance=0.8)
    hits = [[hit(kobani, "Kob"), PlaceHit(10, 13, "Ras", seat, (seat, hamlet, district))]]
    assert choose_readings(hits) == {}
    abroad = Place("t:ra", "Ras", 36.57, 38.37, "TR", importance=0.2)
    hits = [[hit(kobani, "Kob"), PlaceHit(10, 13, "Ras", seat, (seat, abroad, district))]]
    assert choose_readings(hits) == {"ras": abroad}


def test_a_forces_country_comes_from_the_land_its_government_governs() -> None:
    from geo.core.forces import default_forces

    forces = default_forces()
    assert forces.governed_country("PESH") == "IQ"      # governs IQ:Erbil, IQ:Dohuk, ...
    assert forces.governed_country("PMF") == "IQ"       # through the force it belongs to
    assert forces.governed_country("SYR") == "SY"
    assert forces.governed_country("TUR") == ""          # governs no land of the theatre
    assert forces.governed_country("IS") == ""
    assert forces.governed_country("KURD") == ""         # a placeholder says nothing


@pytest.mark.parametrize("sentence, place_ids", [
    # no anchor: the Peshmerga fight in Iraq, both names are districts' towns there
    ("Peshmerga retook Soran and Choman on Tuesday.", {"wof:1796487365", "wof:1344138041"}),
    # the Syrian army fights in Syria: the Syrian town of that name
    ("Syrian army troops captured Soran on Sunday.", {"wof:890449831"}),
    # the district's town, not the hamlet of that name beside Kobani
    ("Kurdish fighters drove the militants out of Kobane, Tal Abyad and Ras al-Ain.",
     {"curated:kobani", "wof:1310429531", "wof:1276457637"}),
    # an anchor near: the story's area (unchanged)
    ("Iraqi forces retook Saadiya and Jalawla in Diyala province from Islamic State on "
     "Sunday.", {"wof:1210005683", "wof:1226028523"}),
])
def test_homonyms_are_read_where_the_report_places_them(sentence: str,
                                                        place_ids: set[str]) -> None:
    from geo.core.forces import default_forces
    from geo.core.records import Article
    from geo.extract.pipeline import extract_article
    from geo.geocode.gazetteer import default_gazetteer

    events = extract_article(Article(text=sentence, published=date(2016, 5, 3)),
                             default_gazetteer(), default_forces()).events
    assert {e.place_id for e in events} == place_ids, [(e.location, e.place_id) for e in events]


@pytest.mark.parametrize("parser", [False, True])
def test_ground_taken_by_a_states_forces_is_read_in_its_country_near_its_places(
        parser: bool) -> None:
    """"Iraqi forces retook C" in a story that also names a Syrian town near a Syrian C:
    the Iraqi reading of C, and of those the one nearest the article's Iraqi places
    (``_own_country_readings``), not the Syrian namesake near the Syrian town."""
    from geo.core.forces import default_forces
    from geo.core.records import Article
    from geo.core.theatre import haversine_km
    from geo.extract.pipeline import extract_article
    from geo.extract.syntax import load_parser
    from geo.geocode.gazetteer import default_gazetteer

    if parser and load_parser() is None:
        pytest.skip("spaCy model not installed")
    gaz = default_gazetteer()
    text = ("Iraqi troops pushed north from Qayyarah on Friday. In Syria, Kurdish fighters "
            "held Qamishli. Iraqi forces retook Shura on Saturday, officers said.")
    events = extract_article(Article(text=text, published=date(2016, 10, 24)), gaz,
                             default_forces(), parser=parser).events
    qayyarah = gaz.find_mentions("in Qayyarah")[0].place
    readings = [p for m in gaz.find_mentions("in the town of Shura")
                for p in (*m.candidates, *m.alternatives) if p.country == "IQ"]
    nearest = min(readings, key=lambda p: haversine_km(p.latitude, p.longitude,
                                                       qayyarah.latitude, qayyarah.longitude))
    shura = [e for e in events if e.actor1_force == "ISF" and e.location != qayyarah.name
             and e.sub_event_type == "Government regains territory"]
    assert [e.place_id for e in shura] == [nearest.place_id], events
