"""Facilities named by their kind (``geo/extract/facilities.py``): which noun names which
kind of place, and when "the refinery" stands for the article's one refinery."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from geo.core.records import Place
from geo.extract.facilities import (
    article_facilities,
    facility_phrases,
    kind_of_noun,
    kinds_of_place,
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
    text = "Six fighters were killed at the sprawling refinery on Thursday."
    [(start, end, hit)] = facility_phrases(text, facilities, [])
    assert text[start:end] == "the sprawling refinery" and hit.place is REFINERY


def test_one_of_its_bases_names_the_base_but_bases_alone_do_not() -> None:
    facilities = article_facilities([[Hit(BASE)]])
    assert [h.place for _, _, h in facilities_in("an attack on one of its air bases", facilities)] == [BASE]
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
