"""Odd names never crash the geocoder, and nonsense stays unmapped (issues 11 and 15).

Property tests (hypothesis, a fixed budget and a fixed seed so the suite is repeatable)
feed arbitrary text, control characters, mixed scripts and very long strings; the
regression rows are the classes of input the adversarial run of issue 15 used. Every
name gets a clear answer: a place, "not found", or ``GeocoderQueryError`` whose message
says why it is not a name; a batch goes on past a bad name."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.errors import GeocoderQueryError
from geo.geocode.gazetteer import Gazetteer
from geo.geocode.offline import GazetteerGeocoder
from tests.test_geocode_cli import geocode_cli, rows

GEOCODER = GazetteerGeocoder(gazetteer=Gazetteer.load())
BUDGET = settings(max_examples=300, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])


def answer(name: str) -> object:
    """What an analyst sees for ``name``: a Location, None, or the refusal message."""
    try:
        return GEOCODER.geocode(name)
    except GeocoderQueryError as exc:
        assert exc.message.startswith(("not a place name", "not found")), exc.message
        return exc.message


@BUDGET
@given(st.text(max_size=400))
def test_any_text_gets_an_answer_or_a_reason(name: str) -> None:
    answer(name)


@BUDGET
@given(st.lists(st.sampled_from(["Mosul", "al-", "Dam", "north of", ",", "/", " and ", "(",
                                 ")", "Iraq", "\x00", "\u200f", "ـ", "20 km", "-", "'", "ʿ",
                                 "Ḩ", "district", "\t", "Syria)", "of", "of of"]),
                max_size=12).map("".join))
def test_grammar_fragments_in_any_order_never_crash(name: str) -> None:
    answer(name)


#: Pronounceable nonsense: consonant-vowel strings, the shape that used to "resolve".
NONSENSE = st.text(alphabet="bcdfghklmnpqrstvwxz", min_size=3, max_size=5).flatmap(
    lambda cons: st.text(alphabet="aeiou", min_size=len(cons), max_size=len(cons)).map(
        lambda vows: "".join(c + v for c, v in zip(cons, vows)).capitalize()))


@BUDGET
@given(NONSENSE)
def test_nonsense_is_never_mapped_through_a_misspelling(name: str) -> None:
    found = answer(name)
    if found is not None and not isinstance(found, str):
        assert found.raw["match"] != "fuzzy", (name, found.place)
        if found.raw["match"] == "loose":
            assert found.place.source == "curated" or found.place.importance >= 0.5


@pytest.mark.parametrize("name,message", [
    ("", "not a place name: empty"),
    ("   \t ", "not a place name: empty"),
    ("?!.;:-", "not a place name: only punctuation"),
    ("\x00\x01\x02", "not a place name: only punctuation or invisible characters"),
    ("x" * 10_000, "not a place name: 10,000 characters"),
    ("Mosul " * 2_000, "not a place name: 12,000 characters"),
    ("Мosul", "mixes Latin and Cyrillic"),           # a Cyrillic capital M
    ("Raqqa الرقة", "mixes Latin and Arabic"),
    ("الرقة", "not found: the gazetteer holds Latin-script spellings only"),
    ("2017", "not a place name: no letters"),
])
def test_odd_names_are_refused_with_what_was_wrong(name: str, message: str) -> None:
    found = answer(name)
    assert isinstance(found, str) and message in found


@pytest.mark.parametrize("name", ["Mo\x00sul", "Ramadi\u200b", "\u202bTikrit\u202c",
                                  "Fallujah\r\n", '"Baiji"'])
def test_invisible_characters_and_quotes_around_a_name_are_dropped(name: str) -> None:
    found = answer(name)
    assert found is not None and not isinstance(found, str)
    assert found.place.country == "IQ"


@pytest.mark.parametrize("name", ["Xqzwvbnk", "Blorptown", "Zuzuzuzu", "Qwertyuiop"])
def test_made_up_names_are_not_found(name: str) -> None:
    assert answer(name) is None


@pytest.mark.parametrize("misspelt,closest", [("Fallujha", "Fallujah"), ("Mayadim", "Mayadin"),
                                              ("Tikrjt", "Tikrit")])
def test_a_one_letter_misspelling_is_not_mapped_but_suggested(misspelt: str,
                                                             closest: str) -> None:
    assert answer(misspelt) is None
    assert closest in GEOCODER.suggest(misspelt)


def test_a_batch_goes_on_past_bad_names() -> None:
    names = ["Ramadi", "", "!!!", "x" * 10_000, "\x07\x08", "Мosul", "Fallujha", "Tikrit",
             "Hit and ???", "(Iraq)", "north of", "Baiji"]
    done = geocode_cli(stdin="\n".join(names) + "\n")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    out = rows(done.stdout)
    by_query = {r["query"]: r for r in out}
    assert by_query["Ramadi"]["country"] == "IQ" and by_query["Baiji"]["country"] == "IQ"
    assert by_query["Tikrit"]["country"] == "IQ"
    assert by_query["x" * 1000]["reason"].startswith("not a place name: 10,000 characters")
    assert by_query["Fallujha"]["latitude"] == "" and "Fallujah" in by_query["Fallujha"]["reason"]
    assert by_query["(Iraq)"]["place_type"] == "country"
    for bad in ("!!!", "Мosul", "north of"):
        assert by_query[bad]["latitude"] == "" and by_query[bad]["reason"], bad
