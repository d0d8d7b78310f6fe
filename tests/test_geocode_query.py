"""The query grammar (``geo.geocode.query``): one test sentence per construction of
``GRAMMAR``, in English and the other languages datasets use. The example names are our
own choice (any theatre town would do); what is pinned is how a query splits into name,
feature, qualifier, country/province and list parts."""
from __future__ import annotations

import pytest

from geo.core.errors import GeocoderQueryError
from geo.geocode.query import GRAMMAR, MAX_QUERY_CHARS, clean_text, parse_query, validate

# (construction, query, name, feature, qualifier, within, parts)
ROWS = [
    ("list", "Hit and Haditha", "hit", None, "", "", ["hit", "haditha"]),
    ("list", "Qaim/Rawa", "qaim", None, "", "", ["qaim", "rawa"]),
    ("list", "Tikrit, Baiji & Samarra", "tikrit", None, "", "", ["tikrit", "baiji", "samarra"]),
    ("list", "Raqqa und Tabqa", "raqqa", None, "", "", ["raqqa", "tabqa"]),
    ("within-paren", "Tabqa (Syria)", "tabqa", None, "", "Syria", []),
    ("within-paren", "Ramadi [sic]", "ramadi", None, "", "sic", []),
    ("within-comma", "Hit, Iraq", "hit", None, "", "Iraq", []),
    ("within-comma", "Rutba, Anbar province", "rutba", None, "", "Anbar province", []),
    ("within-comma", "Haditha, Anbar, Iraq", "haditha", None, "", "Anbar, Iraq", []),
    ("possessive", "Mosul's western half", "mosul", None, "west part of", "", []),
    ("possessive", "Raqqa's outskirts", "raqqa", None, "outskirts", "", []),
    ("part", "the western half of Mosul", "mosul", None, "west part of", "", []),
    ("part", "Aleppo east side", "aleppo", None, "east part of", "", []),
    ("feature-after", "Fallujah hospital", "fallujah", "facility", "", "", []),
    ("distance", "20 km west of Ramadi", "ramadi", None, "20 km west of", "", []),
    ("distance", "about 5km NE of Tal Afar", "tal afar", None, "5 km northeast of", "", []),
    ("distance", "3 miles south of Hit", "hit", None, "4.827 km south of", "", []),
    ("direction", "SE of Tikrit", "tikrit", None, "southeast of", "", []),
    ("direction", "north-west of Mosul", "mosul", None, "northwest of", "", []),
    ("direction", "nördlich von Rakka", "rakka", None, "north of", "", []),
    ("direction", "au sud de Mossoul", "mossoul", None, "south of", "", []),
    ("direction", "al oeste de Alepo", "alepo", None, "west of", "", []),
    ("near-before", "outskirts of Fallujah", "fallujah", None, "outskirts of", "", []),
    ("near-before", "near Abu Kamal", "abu kamal", None, "near", "", []),
    ("near-before", "in the vicinity of Baiji", "baiji", None, "in the vicinity of", "", []),
    ("near-before", "près de Deir ez-Zor", "deir ez zor", None, "pres de", "", []),
    ("near-after", "Ramadi outskirts", "ramadi", None, "outskirts", "", []),
    ("near-after", "Hama countryside", "hama", None, "countryside", "", []),
    ("part", "west Mosul", "mosul", None, "west part of", "", []),
    ("part", "eastern Aleppo", "aleppo", None, "east part of", "", []),
    ("part", "downtown Raqqa", "raqqa", None, "centre part of", "", []),
    ("feature-after", "Haditha dam", "haditha", "dam", "", "", []),
    ("feature-after", "Mossul-Staudamm", "mossul", "dam", "", "", []),
    ("feature-after", "Tabqa-dæmningen", "tabqa", "dam", "", "", []),
    ("feature-after", "Mossulstaudamm", "mossul", "dam", "", "", []),
    ("feature-after", "Al-Asad-basen", "al asad", "base", "", "", []),
    ("feature-after", "Shayrat air base", "shayrat", "airbase", "", "", []),
    ("feature-after", "Kirkuk airbase", "kirkuk", "airbase", "", "", []),
    ("feature-after", "Mosul airport", "mosul", "airport", "", "", []),
    ("feature-after", "Rabia border crossing", "rabia", "border crossing", "", "", []),
    ("feature-after", "Baiji refinery", "baiji", "refinery", "", "", []),
    ("feature-after", "Omar oil field", "omar", "oil field", "", "", []),
    ("feature-after", "Qayyarah-Flughafen", "qayyarah", "airport", "", "", []),
    ("feature-after", "Kisik junction", "kisik", "crossroad", "", "", []),
    ("feature-before", "barrage de Mossoul", "mossoul", "dam", "", "", []),
    ("feature-before", "presa de Haditha", "haditha", "dam", "", "", []),
    ("feature-before", "Staudamm von Mossul", "mossul", "dam", "", "", []),
    ("feature-before", "l'aéroport de Deir ez-Zor", "deir ez zor", "airport", "", "", []),
    ("feature-before", "el aeropuerto de Alepo", "alepo", "airport", "", "", []),
    ("feature-before", "Luftwaffenstützpunkt Tiyas", "tiyas", "airbase", "", "", []),
    ("feature-before", "base aérienne de Tabqa", "tabqa", "airbase", "", "", []),
    ("feature-before", "Old City of Mosul", "mosul", "neighbourhood", "", "", []),
    ("feature-before", "University of Mosul", "mosul", "university", "", "", []),
    ("admin-after", "Hawija district", "hawija", "county", "", "", []),
    ("admin-after", "Ninawa governorate", "ninawa", "region", "", "", []),
    ("admin-after", "Hit city", "hit", "locality", "", "", []),
    ("admin-before", "the town of Hit", "hit", "locality", "", "", []),
    ("admin-before", "province of Raqqa", "raqqa", "region", "", "", []),
]


def test_every_construction_has_a_test_row() -> None:
    assert {r.name for r in GRAMMAR} == {row[0] for row in ROWS}


@pytest.mark.parametrize("rule,query,name,feature,qualifier,within,parts", ROWS,
                         ids=[f"{r[0]}:{r[1]}" for r in ROWS])
def test_grammar_rows(rule: str, query: str, name: str, feature: str | None,
                      qualifier: str, within: str, parts: list[str]) -> None:
    q = parse_query(query)
    assert rule in q.rules
    assert (q.name, q.feature, q.qualifier, q.within) == (name, feature, qualifier, within)
    assert [p.name for p in q.parts] == parts


def test_qualifiers_keep_bearing_distance_and_whether_the_point_is_a_region() -> None:
    q = parse_query("20 km west of Ramadi")
    assert (q.bearing, q.distance_km, q.regional) == ("west", 20.0, False)
    assert parse_query("Hama countryside").regional
    assert parse_query("near Hit").bearing is None


def test_a_plain_name_is_left_alone() -> None:
    for name in ("Tikrit", "Deir ez-Zor", "Bab al-Hawa", "Ras al-Ain", "Tal Abyad"):
        q = parse_query(name)
        assert q.rules == () and not q.feature and not q.qualifier and not q.parts


def test_list_parts_are_parsed_alone() -> None:
    q = parse_query("north of Hit and Haditha dam")
    assert [(p.name, p.qualifier, p.feature) for p in q.parts] == [
        ("hit", "north of", None), ("haditha", "", "dam")]


@pytest.mark.parametrize("raw,cleaned", [
    ('"Mosul."', "Mosul"), ("  Raqqa ", "Raqqa"), ("Mo\u200bsul", "Mo sul"),
    ("Hit\x00\x07", "Hit"), ("\u202eTikrit\u202c", "Tikrit"),
])
def test_clean_text_drops_quotes_punctuation_and_invisible_characters(raw: str,
                                                                      cleaned: str) -> None:
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize("raw,message", [
    ("", "empty"), ("   ", "empty"), ("!!!", "only punctuation"), ("(  )", "only punctuation"),
    ("\x00\x01", "only punctuation or invisible"), ("12345", "no letters"),
    ("x" * (MAX_QUERY_CHARS + 1), "characters (at most"),
    ("Mosul " * 2000, "characters (at most"),
])
def test_what_is_not_a_name_is_refused_with_a_reason(raw: str, message: str) -> None:
    with pytest.raises(GeocoderQueryError) as info:
        validate(raw)
    assert info.value.message.startswith("not a place name") and message in info.value.message


def test_non_text_is_refused() -> None:
    with pytest.raises(GeocoderQueryError):
        validate(None)  # type: ignore[arg-type]
