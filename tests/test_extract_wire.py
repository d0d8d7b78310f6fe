"""Wire copy as analysts paste it: glued sentences and events told again by a definite
noun. The sentences are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from geo.core.dedup import event_class
from geo.core.forces import default_forces
from geo.core.records import Article
from geo.extract.pipeline import extract_article
from geo.extract.sentences import split_sentences
from geo.geocode.gazetteer import default_gazetteer


@pytest.mark.parametrize("text,sentences", [
    ("It named other terrorist groups.U.S. officials said jets struck the base.",
     ["It named other terrorist groups.", "U.S. officials said jets struck the base."]),
    ("The U.S. military said troops left U.S. bases.",
     ["The U.S. military said troops left U.S. bases."]),
])
def test_a_sentence_glued_to_the_next_before_an_abbreviation_is_two(
        text: str, sentences: list[str]) -> None:
    """Pasted wire copy loses the space after a full stop ("groups.U.S. officials"): the
    next sentence's actors must not join the one before (``sentences.split_sentences``)."""
    assert [s.text for s in split_sentences(text)] == sentences


def test_the_attack_told_again_is_no_fight_of_its_own() -> None:
    """"The army described the attack as aggression" refers to the strike just told: the
    map must not gain a fight between the two at the base."""
    text = ("US warships fired missiles at the Shayrat air base on Friday. The army command "
            "described the attack as an act of aggression. The government denied it was "
            "behind the attack.")
    events = extract_article(Article(text=text, published=date(2017, 4, 7)),
                             default_gazetteer(), default_forces()).events
    assert [event_class(e.event_type, e.sub_event_type) for e in events] == ["strike"]


@pytest.mark.parametrize("parser", [True, False])
def test_a_backer_is_never_the_associate_of_the_side_it_fights(parser: bool) -> None:
    """The coalition backs the offensive, not the militants' earlier capture told in the
    same sentence."""
    text = ("Around Ramadi, which Islamic State seized in May, Iraqi forces pressed an "
            "offensive to retake it, with air support from the coalition.")
    events = extract_article(Article(text=text, published=date(2015, 10, 16)),
                             default_gazetteer(), default_forces(), parser=parser).events
    captures = [e for e in events if event_class(e.event_type, e.sub_event_type) == "capture"]
    assert captures and all("Coalition" not in e.assoc_actor_1 for e in captures), events


@pytest.mark.parametrize("parser", [True, False])
def test_a_nations_own_troops_are_not_the_local_government(parser: bool) -> None:
    """"Turkish ground troops" in Syria are Turkey's, not the Syrian army (a generic
    "troops" reads as the local government only when no nation names it)."""
    text = ("Syrian rebels launched an offensive on al-Bab on Monday with the support of "
            "Turkish ground troops and air strikes.")
    events = extract_article(Article(text=text, published=date(2016, 12, 20)),
                             default_gazetteer(), default_forces(), parser=parser).events
    sides = {f for e in events for f in (e.actor1_force, e.actor2_force)} | \
        {e.assoc_actor_1 for e in events}
    assert "SYR" not in sides and "Syrian Government Forces" not in sides, events
