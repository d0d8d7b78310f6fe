"""Facilities named by their kind (``geo/extract/facilities.py``): which noun names which
kind of place, and when "the refinery" stands for the article's one refinery."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from geo.core.records import Place
from geo.extract.facilities import (
    article_facilities,
    facility_phrases,
    kind_of_noun,
    kinds_of_place,
    named_parts,
)


@dataclass(frozen=True)
class Hit:
    """The least of a place hit the module reads."""

    place: Place
    start: int = 0
    end: int = 0
    topic: bool = False
    reference: bool = False


def _place(name: str, place_type: str, pid: str) -> Place:
    return Place(pid, name, 35.0, 43.0, "IQ", place_type=place_type)


REFINERY = _place("Baiji Oil Refinery", "refinery", "curated:baiji-refinery")
BASE = _place("Shayrat Airbase", "airbase", "curated:shayrat")
AIRPORT = _place("Mosul Airport", "campus", "wof:1")
DAM_A = _place("Mosul Dam", "dam", "curated:mosul-dam")
DAM_B = _place("Haditha Dam", "dam", "curated:haditha-dam")
TOWN = _place("Baiji", "locality", "wof:2")


@pytest.mark.parametrize("noun,kind", [("refinery", "refinery"), ("air base", "air base"),
                                       ("airbase", "air base"), ("military airport", "air base"),
                                       ("oil field", "oil field"), ("border crossing", "crossing"),
                                       ("campus", "university"), ("town", None)])
def test_nouns_name_their_kind(noun: str, kind: str | None) -> None:
    found = kind_of_noun(noun)
    assert (found.kind if found else None) == kind


def test_a_place_is_a_facility_by_its_type_or_its_name() -> None:
    assert [k.kind for k in kinds_of_place(REFINERY)] == ["refinery"]
    assert [k.kind for k in kinds_of_place(AIRPORT)] == ["air base"]   # a WOF campus named "Airport"
    assert kinds_of_place(TOWN) == []


def test_the_one_facility_of_a_kind_is_what_the_phrase_stands_for() -> None:
    facilities = article_facilities([[Hit(REFINERY), Hit(TOWN)], [Hit(BASE)]])
    text = "A fire broke out at the damaged refinery on Tuesday."
    [(start, end, hit)] = facility_phrases(text, facilities, [])
    assert text[start:end] == "the damaged refinery" and hit.place is REFINERY


def test_one_of_its_bases_names_the_base_but_bases_alone_do_not() -> None:
    facilities = article_facilities([[Hit(BASE)]])
    assert [h.place for _, _, h in facilities_in("a raid on one of its air bases", facilities)] == [BASE]
    assert facilities_in("their air bases were hit", facilities) == []


def test_two_facilities_of_a_kind_leave_the_phrase_unresolved() -> None:
    facilities = article_facilities([[Hit(DAM_A)], [Hit(DAM_B)]])
    assert "dam" not in facilities
    assert facilities_in("fighting near the dam", facilities) == []


def test_a_phrase_that_names_its_own_place_or_lies_on_a_found_name_is_left_alone() -> None:
    facilities = article_facilities([[Hit(REFINERY)]])
    assert facilities_in("the refinery of Baiji", facilities) == []
    assert facilities_in("the refinery's workers fled", facilities) == []
    assert facilities_in("the Baiji refinery", facilities, taken=[(4, 20)]) == []


def facilities_in(text: str, facilities: dict, taken: list | None = None) -> list:
    return facility_phrases(text, facilities, taken or [])


@pytest.mark.parametrize("text,part", [
    ("had also taken control of Zaghir district on Friday", "Zaghir district"),
    ("troops entered the al-Zahra neighbourhood", "al-Zahra neighbourhood"),
    ("seized the Baba Zaghir oil field", "Baba Zaghir oil field"),
    ("took the Zaghir residential district", "Zaghir residential district"),
    ("retook the K9 mil- itary base", "K9 mil- itary base"),        # a line-end hyphen
    ("entered Zaghir and the district", None),                       # a function word between
    ("the Iraqi oil field was shelled", None),          # a demonym is no name
    ("fighting in the New district", None),              # a common word is no name
    ("District officials said", None),
])
def test_a_named_part_is_a_name_and_its_part_noun(text: str, part: str | None) -> None:
    spans = named_parts(text, [])
    assert [text[a:b] for a, b in spans] == ([part] if part else [])


def test_a_named_part_is_not_read_over_a_place_or_force_already_found() -> None:
    text = "troops entered Sadr City district"
    assert named_parts(text, [(15, 24)]) == []


def test_reports_of_a_town_and_of_its_named_quarter_stay_two_captures() -> None:
    """Both located at the town's point, the capture of "most of the city" and of "X
    district" are two places taken (the control map and the annotators count both)."""
    from geo.core.forces import default_forces
    from geo.core.records import Article
    from geo.extract.pipeline import extract_article
    from geo.geocode.gazetteer import default_gazetteer

    text = ("Iraqi troops retook most of Ramadi on Sunday, officers said. Army units also took "
            "control of Jamiyat Zaghir district on Sunday.")
    events = extract_article(Article(text=text, title="Iraqi troops retake Ramadi",
                                     published=date(2016, 6, 4)),
                             default_gazetteer(), default_forces(), parser=False).events
    captures = [e for e in events if e.control_to]
    assert len(captures) == 2 and {e.location for e in captures} == {"Ramadi"}
    part = next(e for e in captures if "district" in e.evidence[0].sentence)
    assert part.geo_precision > next(e for e in captures if e is not part).geo_precision


@pytest.mark.parametrize("parser", [False, True])
def test_sites_listed_around_a_town_are_one_capture_each(parser: bool) -> None:
    """"took the X base west of D, the airfield south of the city and the Y oil
    field": three sites taken (the annotators and the control map count each), located
    near D with a coarser precision, besides the capture of D itself."""
    from geo.core.forces import default_forces
    from geo.core.records import Article, GeoPrecision
    from geo.extract.pipeline import extract_article
    from geo.geocode.gazetteer import default_gazetteer

    text = ("Iraqi forces seized Kirkuk on Monday, officials said. Troops also took the "
            "Zaghir army base west of Kirkuk, the airfield south of the city and the Gharb "
            "Zaghir oil field.")
    events = extract_article(Article(text=text, title="Iraqi forces retake Kirkuk",
                                     published=date(2016, 6, 4)),
                             default_gazetteer(), default_forces(), parser=parser).events
    captures = [e for e in events if e.control_to == "ISF" and e.location == "Kirkuk"]
    sites = [e for e in captures if "Troops" in e.evidence[0].sentence]
    assert len(captures) == 4 and len(sites) == 3
    assert all(e.geo_precision == GeoPrecision.NEAR for e in sites)
