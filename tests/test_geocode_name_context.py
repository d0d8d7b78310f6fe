"""A minor place's exact name inside a person's or a firm's name is no place
(``geo/geocode/namecontext.py``): each row of the table pinned by its example, and the
forms that must still read as places ("in X", "the Battle of X", "the X Brigade")."""
from __future__ import annotations

import re
from datetime import date

import pytest

from geo.core.forces import default_forces
from geo.core.records import Article
from geo.extract.pipeline import extract_article
from geo.geocode.gazetteer import default_gazetteer
from geo.geocode.namecontext import (
    MINOR_IMPORTANCE,
    RULES,
    STREET_RULE,
    named_not_placed,
    names_a_street,
)

GAZ = default_gazetteer()


def _read(sentence: str) -> list[str]:
    return [m.surface for m in GAZ.find_mentions(sentence)]


def test_every_row_example_holds_a_minor_place_the_scan_does_not_read() -> None:
    """Each row's example names a minor place (the curated press spelling of a small
    town) that the scan reads elsewhere, and not in the example."""
    for rule in RULES:
        assert _read(rule.example) == [], rule.rule_id
        words = re.findall(r"[A-Z][a-z]+", rule.example.replace("al-", ""))
        placed = [w for w in words if w in _read(f"Rebels captured {w} on Sunday.")]
        assert placed, rule.rule_id
        assert all(m.place.importance < MINOR_IMPORTANCE
                   for w in placed for m in GAZ.find_mentions(f"Rebels captured {w} on Sunday."))


@pytest.mark.parametrize("rule_id, sentence, name", [
    ("after-given-name", "Fatima al-Zahraa said the house was hit.", "Zahraa"),
    ("after-given-name", "Residents told Fatima Zahraa to leave.", "Zahraa"),
    ("after-given-name", "A statement signed by Abdul-Zahraa was read out.", "Zahraa"),
    ("after-given-name", "The tribal leader Abu Maadan was killed.", "Maadan"),
    ("before-given-name", "The commander, Maadan Ali, said the road was open.", "Maadan"),
    ("before-given-name", "Residents said Maadan Hussein was killed in the raid.", "Maadan"),
    ("organisation", "The Marea shipping firm said on Monday it had lost a ship.", "Marea"),
    ("organisation", "He works for the Zahraa Trading Company in Beirut.", "Zahraa"),
    ("organisation", "A spokesman for the Maadan family said they had fled.", "Maadan"),
])
def test_a_minor_place_inside_a_persons_or_a_firms_name_is_no_place(
        rule_id: str, sentence: str, name: str) -> None:
    start = sentence.index(name)
    assert named_not_placed(sentence, start, start + len(name), cued=False) == rule_id
    assert name not in _read(sentence)


@pytest.mark.parametrize("sentence, name", [
    ("Rebels in Marea repelled the attack.", "Marea"),
    ("A strike hit near Zahraa on Monday.", "Zahraa"),
    ("Government troops entered Maadan on Sunday.", "Maadan"),
    ("Rebels captured Marea and Tal Rifaat.", "Marea"),
    ("The Battle of Marea began in May.", "Marea"),
    ("Fighters of the Marea Brigade attacked the village.", "Marea"),
    ("Rebels of Liwa Marea attacked the village.", "Marea"),
    # a strong cue right before the name: the place, and a person's name after it
    ("Fighting raged in Maadan Ali Hussein, a resident, said.", "Maadan"),
    # a settlement appositive makes it a place even after a given name
    ("Abu Zahraa, a village near Aleppo, was shelled on Monday.", "Zahraa"),
    # "said" the verb is no given name "Said"
    ("The army said Marea had been shelled.", "Marea"),
    # "a group of villages" is no firm
    ("Militants overran the Zahraa group of villages north of Aleppo.", "Zahraa"),
    # a function word between the name and "company" is no firm's name
    ("Rebels shelled Marea and its company of defenders.", "Marea"),
])
def test_a_minor_place_still_reads_where_the_text_places_it(sentence: str, name: str) -> None:
    assert name in _read(sentence)


def test_a_well_known_town_in_a_firms_name_is_still_read() -> None:
    """Only minor places are guarded: a known town keeps its name ("the Raqqa Cement
    Company" is about Raqqa)."""
    raqqa = next(m for m in GAZ.find_mentions("Raqqa was shelled.") if m.surface == "Raqqa")
    assert raqqa.place.importance >= MINOR_IMPORTANCE
    assert "Raqqa" in _read("The Raqqa Cement Company said its plant was hit.")


def test_an_article_naming_a_person_after_a_town_gives_no_event_there() -> None:
    text = ("Islamic State militants attacked a checkpoint on Monday, killing two soldiers, "
            "said Fatima al-Zahraa, a local official. The Marea shipping firm said its "
            "office was shelled by the militants on Monday.")
    events = extract_article(Article(text=text, published=date(2016, 5, 3)),
                             GAZ, default_forces()).events
    assert not {e.location for e in events} & {"Zahraa", "Marea"}, \
        [(e.location, e.event_type) for e in events]


def test_the_extraction_doc_shows_every_row_as_the_code_has_it() -> None:
    from geo.core.paths import PROJECT_DIR

    doc = (PROJECT_DIR / "docs" / "extraction.md").read_text(encoding="utf-8")
    missing = [r.rule_id for r in (*RULES, STREET_RULE)
               if f"| {r.rule_id} |" not in doc or r.example not in doc]
    assert missing == [], "docs/extraction.md lacks these rows: " + ", ".join(missing)


def test_a_street_named_for_a_town_is_not_the_town() -> None:
    """STREET_RULE: "along NAME Street" names a street of the city the story is about,
    not the town it is named for, however well known that town is."""
    sentence = STREET_RULE.example
    name = "Kirkuk"
    start = sentence.index(name)
    assert names_a_street(sentence, start + len(name))
    assert name not in _read(sentence)
    assert name in _read("Police units moved into Kirkuk on Sunday.")
    # lower-case "road" is a route to the town, not a street's name
    assert not names_a_street("on the Kirkuk road", len("on the Kirkuk"))


def test_an_advance_along_a_street_stays_in_the_city_of_the_story() -> None:
    text = ("Iraqi forces entered the centre of Ramadi on Sunday. Police units were advancing "
            "along Kirkuk Street, the main road through the city, on Sunday.")
    events = extract_article(Article(text=text, published=date(2015, 12, 28)),
                             GAZ, default_forces()).events
    assert events and {e.location for e in events} == {"Ramadi"}, \
        [(e.location, e.event_type) for e in events]
