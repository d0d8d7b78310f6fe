"""The trigger table (``geo/extract/triggers.py``): every row's example sentence, written
for the row, must give what the row says it yields ("class @ place, actor1 > actor2").

The table is what an analyst reads to know which words make which event; running each
row's example keeps the table and the behaviour in step."""
from __future__ import annotations

from datetime import date

import pytest

from geo.core.dedup import event_class
from geo.core.forces import default_forces
from geo.core.records import Article
from geo.extract.pipeline import extract_article
from geo.extract.triggers import RULES, TriggerRule
from geo.geocode.gazetteer import default_gazetteer

PUB = date(2016, 6, 4)


def parse_yields(text: str) -> tuple[str, str, str, str]:
    cls, rest = (p.strip() for p in text.split("@", 1))
    place, actors = (p.strip() for p in rest.rsplit(",", 1))
    actor1, actor2 = (p.strip() for p in actors.split(">"))
    return cls, place, actor1, actor2


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.sub_event_type + ":" + r.example[:40])
def test_trigger_row_example(rule: TriggerRule) -> None:
    assert rule.example and rule.yields, "every row needs an example and what it yields"
    cls, place, actor1, actor2 = parse_yields(rule.yields)
    art = Article(text=rule.example, published=PUB)
    events = extract_article(art, default_gazetteer(), default_forces()).events
    want = {c.place_id for m in default_gazetteer().find_mentions("in " + place)
            for c in m.candidates[:1]}
    got = [(event_class(e.event_type, e.sub_event_type), e.location, e.actor1_force,
            e.actor2_force, e.place_id) for e in events]
    match = [g for g in got if g[0] == cls and g[4] in want]
    assert match, got
    assert match[0][2] == actor1, got
    if actor2:
        assert match[0][3] == actor2, got


def test_an_advance_told_with_reaching_a_towns_outskirts_is_fighting_there() -> None:
    """"with government troops reaching X's outskirts on Tuesday": the gerund reports the
    advance as "reached" does (the weak fight row)."""
    text = ("The militants' defences crumbled on Sunday, with government troops reaching "
            "Sukhnah's outskirts on Tuesday, officials said.")
    events = extract_article(Article(text=text, published=date(2017, 8, 3)),
                             default_gazetteer(), default_forces()).events
    got = [(event_class(e.event_type, e.sub_event_type), e.location, e.actor1_force,
            str(e.event_date)) for e in events]
    assert ("fight", "As Sukhnah", "SYR", "2017-08-01") in got, got


def _read(text: str, published: date = PUB) -> list[tuple[str, str, str]]:
    events = extract_article(Article(text=text, published=published),
                             default_gazetteer(), default_forces()).events
    return [(event_class(e.event_type, e.sub_event_type), e.location, e.actor1_force)
            for e in events]


def test_an_operation_named_in_a_spokesmans_title_is_no_event() -> None:
    """"spokesperson for the SDF's operation for C" is an office's title: no fighting at C
    (the same noun reporting a launch still is one)."""
    assert _read("Rojin Ali, spokesperson for the SDF's operation for Tabqa, accused the "
                 "militants of lying on Monday.") == []
    assert ("fight", "Tabqa", "SDF") in _read("The SDF launched an operation for Tabqa on "
                                              "Monday, a spokesperson said.")


def test_fighting_positions_destroyed_by_strikes_are_no_property_destruction() -> None:
    """What strikes destroy ("600 fighting positions", "three tanks") is the strike's
    result, not civilian property: one strike, no looting/destruction event; a bridge
    blown up is still property destruction."""
    got = _read("Coalition strikes destroyed more than 60 fighting positions and three "
                "tanks near Hawija on Sunday, the coalition said.")
    assert ("strike", "Hawija", "US") in got and not [g for g in got if g[0] == "strategic"], got
    assert ("strategic", "Hawija", "IS") in _read("Retreating militants destroyed the main "
                                                  "bridge in Hawija on Sunday.")


def test_a_sides_own_guns_backing_its_advance_are_no_separate_strike() -> None:
    """"fighters backed by tanks and artillery pushed into X": the guns are how the side
    fought, one fight; a supporting force's guns or jets named in the backing phrase are
    still a strike ("backed by artillery and US air strikes": the US strike)."""
    got = _read("Islamic State fighters backed by tanks and artillery pushed into Hawija on "
                "Monday, touching off street battles.")
    assert got and [g for g in got if g[0] == "strike"] == [], got
    got = _read("Iraqi troops backed by artillery and US air strikes stormed Hawija on Monday.")
    assert ("strike", "Hawija", "US") in got, got
