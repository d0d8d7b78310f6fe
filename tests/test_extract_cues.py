"""Sentence cues (``events._Cue``): a word searched once in a whole sentence lets drafting
skip the windows of every draft of a sentence that lacks it (issue #15: text dense with
events makes about seven drafts per sentence). A cue is a shortcut, never a rule: the
events must be those the windows alone give, whatever the case or the script of the text."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.core.forces import default_forces
from geo.core.records import Article
from geo.extract.events import (
    _ALLOWING_BEFORE,
    _BACKED_BY_CUE,
    _BACKED_BY_NEAR,
    _CAME_UNDER,
    _CONDEMN_GAP,
    _DONE_BY,
    _ENABLED_AFTER,
    _LED_BEFORE,
    _LED_CUE,
    _NAME_BEFORE,
    _OBJECTIVE_BEFORE,
    _PASSIVE_AUX_BEFORE,
    _SPEAKER_GAP,
    _TITLE_BEFORE,
    _after_word_pattern,
    _cued,
    _cues,
    _ends_capitalised,
    _may_condemn,
    _may_enable,
    _may_name_goal,
    _may_speak,
    _may_title,
)
from geo.extract.pipeline import extract_article
from geo.geocode.gazetteer import default_gazetteer


def events(text: str, parser: bool) -> list[tuple[str, str, str, bool]]:
    found = extract_article(Article(text=text, published=date(2016, 6, 4)),
                            default_gazetteer(), default_forces(), parser=parser).events
    return [(e.location, e.actor1_force, e.actor2_force, e.notes.startswith("[near objective]"))
            for e in found]


@pytest.mark.parametrize("parser", [True, False])
@pytest.mark.parametrize("text, expected", [
    # the one who blames is no actor, in capitals or after a typographic apostrophe too
    ("Turkey blamed Islamic State for the bombing in Gaziantep on Monday.",
     ("Gaziantep", "IS", "", False)),
    ("TURKEY BLAMED Islamic State for the bombing in Gaziantep on Monday.",
     ("Gaziantep", "IS", "", False)),
    ("Turkey’s government blamed Islamic State for the bombing in Gaziantep on Monday.",
     ("Gaziantep", "IS", "", False)),
    # the one who condemns is never the actor
    ("The Syrian government CONDEMNED the air strikes on Raqqa by the coalition on Monday.",
     ("Ar Raqqah", "", "US", False)),
    # a goal is a goal in capitals too
    ("Iraqi forces launched an offensive TO RETAKE Mosul on Monday.",
     ("Mosul", "ISF", "", True)),
])
def test_speakers_condemners_and_goals_are_read_whatever_the_case_or_script(
        parser: bool, text: str, expected: tuple[str, str, str, bool]) -> None:
    assert events(text, parser) == [expected]


#: Pieces of sentences: the cue words in several cases and scripts ("ſ" folds to "s",
#: "K" (Kelvin) to "k" in a case-blind search), forces, places and glue.
_PIECES = ["said", "SAID", "Said", "ſaid", "told", "blamed", "stated", "State", "claims",
           "condemned", "CONDEMNS", "criticized", "to", "TO", "onto", "would", "Will",
           "retake", "capture", "liberate", "the", "IS", "Turkey's", "Turkey’s", "forces",
           "Mosul", "Kobani", ",", "—", "also", "has", "had", " ", "\t", "\n", "x", "ok",
           "Gen.", "Col", "MR", "head", "ahead", "Ahmed", "O’Neil", "Abu", "al-Baghdadi", ".",
           "was", "WERE", "is", "been", "Being", "reportedly", "came", "Comes", "under",
           "carried", "out", "by", "blamed", "on", "Attributed", "claimed", "allowing",
           "Helped", "paving", "way", "for", "backed", "with", "help", "of", "US-led", "-",
           "LED", "led", "\u212aobani", "\u0130S", "\u0131s", "be\xa0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14),
       st.lists(st.sampled_from([" ", "", "  "]), min_size=14, max_size=14))
def test_a_sentence_without_its_cue_has_no_window_the_pattern_matches(
        words: list[str], gaps: list[str]) -> None:
    text = "".join(w + g for w, g in zip(words, gaps))
    for pattern, cue in ((_SPEAKER_GAP.pattern, _may_speak), (_CONDEMN_GAP, _may_condemn),
                         (_OBJECTIVE_BEFORE, _may_name_goal), (_TITLE_BEFORE.pattern, _may_title),
                         (_PASSIVE_AUX_BEFORE, lambda t: _cues(t)[0]),
                         (_CAME_UNDER, lambda t: _cues(t)[1]), (_ENABLED_AFTER, _may_enable),
                         (_ALLOWING_BEFORE, _may_enable),
                         (_BACKED_BY_NEAR, lambda t: _cued(_BACKED_BY_CUE, t)),
                         (_LED_BEFORE, lambda t: _cued(_LED_CUE, t)),
                         (_after_word_pattern(_DONE_BY), lambda t: _cues(t)[2])):
        if cue(text):
            continue
        for a in range(len(text) + 1):
            for b in range(a, len(text) + 1):
                window = text[a:b]
                assert pattern.search(window) is None, (pattern.pattern, text, window)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=10),
       st.lists(st.sampled_from([" ", "", "  ", "\n"]), min_size=10, max_size=10))
def test_a_window_not_ending_in_a_capitalised_word_holds_no_name(
        words: list[str], gaps: list[str]) -> None:
    text = "".join(w + g for w, g in zip(words, gaps))
    for a in range(len(text) + 1):
        window = text[a:]
        if not _ends_capitalised(window):
            assert _NAME_BEFORE.search(window) is None, window
