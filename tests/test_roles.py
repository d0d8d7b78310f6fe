"""The role table (``geo/core/roles.py``): each row's example, written for these tests,
reads as the row says through every reader that uses the table, and each word of a row
takes the row's role in a sentence of its own.

Why through the readers: the table replaced three drifted copies (in the event
extractor, the side reader and the trigger finder); a row that one reader read otherwise
would be the old drift again."""
from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from geo.core.dedup import event_class
from geo.core.forces import default_forces
from geo.core.records import Article
from geo.core.roles import (
    ROLE_WORDS,
    WINDOW,
    RoleWords,
    backer_after,
    backing_before,
    modifier_after,
    object_before,
    serves_before,
    target_before,
    words_of,
)
from geo.extract.pipeline import extract_article
from geo.extract.sides import acting_forces
from geo.extract.triggers import DENYING
from geo.geocode.gazetteer import default_gazetteer

PUB = date(2016, 6, 4)
PACKAGE = Path(__file__).resolve().parent.parent / "geo"


def _events(text: str, parser: bool = True) -> list[tuple[str, str, str, str, str]]:
    """(class, location, actor1, actor2, first associate) of the events extracted from
    ``text``."""
    found = extract_article(Article(text=text, published=PUB), default_gazetteer(),
                            default_forces(), parser=parser).events
    return [(event_class(e.event_type, e.sub_event_type), e.location, e.actor1_force,
             e.actor2_force, e.assoc_actor_1) for e in found]


@pytest.mark.parametrize("row", ROLE_WORDS, ids=lambda r: r.role)
def test_a_rows_example_names_its_force_acting_only_when_the_row_says(row: RoleWords) -> None:
    forces = default_forces()
    named = [m for m in forces.find_mentions(row.example)
             if row.example[m.start:m.end] == row.force]
    if row.role in ("backer", "holder"):
        # the force finder reads no name glued to a hyphen: the row's force is never
        # found, so it cannot act (the spaced hyphen is pinned below)
        assert named == []
        return
    assert len(named) == 1, row.example
    acting = acting_forces(row.example, forces, "SY")
    assert (forces.local(named[0].force_id, "SY") in acting) is row.acts, acting


@pytest.mark.parametrize("word", words_of("serving"))
def test_fighters_serving_a_force_are_that_force_acting(word: str) -> None:
    """"Fighters WORD to the Syrian army recaptured C": the army's men took C; the "to"
    names whom they serve, it is no infinitive of intention (the event is kept)."""
    text = f"Fighters {word} to the Syrian army recaptured Palmyra on Sunday."
    assert acting_forces(text, default_forces(), "SY") == ["SYR"]
    assert serves_before(f"Fighters {word} to the ")
    assert [(loc, a1) for _, loc, a1, _, _ in _events(text, parser=False)] == [
        ("Palmyra", "SYR")]
    # the parser reads some of these words as the main verb ("Fighters aligned to ...",
    # "recaptured" hung on it): the participle still only modifies the subject, whose
    # served force took C
    assert [(loc, a1) for _, loc, a1, _, _ in _events(text)] == [("Palmyra", "SYR")]


@pytest.mark.parametrize("word", [w for w in words_of("serving") if w != "answering"])
def test_a_serving_word_with_with_serves_too(word: str) -> None:
    assert serves_before(f"militias {word} with the ")
    assert not object_before(f"militias {word} with the ")
    text = f"Fighters {word} with the Syrian army recaptured Palmyra on Sunday."
    for parser in (True, False):
        assert [(loc, a1) for _, loc, a1, _, _ in _events(text, parser)] == [
            ("Palmyra", "SYR")], parser


def test_an_owner_is_no_doer_but_its_to_is_no_infinitive() -> None:
    """"vehicles belonging to the army": the army owns what was hit; "fighters belonging
    to IS seized C" still reports a capture (the "to" is no intention)."""
    forces = default_forces()
    text = "Islamic State militants attacked vehicles belonging to the Syrian army in Palmyra."
    assert acting_forces(text, forces, "SY") == ["IS"]
    assert [(loc, a1) for _, loc, a1, _, _ in _events(
        "Fighters belonging to Islamic State seized Manbij on Sunday.")] == [("Manbij", "IS")]


@pytest.mark.parametrize("word", words_of("object"))
def test_a_force_after_an_object_word_does_not_act(word: str) -> None:
    word = word.replace(r"\s+", " ")
    assert object_before(f"Jets flew {word} the ")
    if word != "by":          # the side reader reads "by" as the passive's agent first
        text = f"Jets struck {word} the Syrian army in Palmyra on Sunday."
        assert acting_forces(text, default_forces(), "SY") == []


@pytest.mark.parametrize("word", words_of("backed-by"))
def test_a_force_backing_by_name_is_an_associate(word: str) -> None:
    """"A, WORD by B": A acted, B is its associate (never the agent of the verb); strikes
    "WORD by coalition warplanes" back the advance and are the coalition's."""
    text = f"Iraqi troops {word} by Shiite militias retook Tikrit on Wednesday."
    assert backing_before(f"Iraqi troops {word} by ")
    assert acting_forces(text, default_forces(), "IQ") == ["ISF"]
    for parser in (True, False):
        got = _events(text, parser)
        assert got == [("capture", "Tikrit", "ISF", "", "Popular Mobilization Forces")], got
    got = _events(f"Iraqi troops advanced in Baiji on Monday, {word} by coalition "
                     "warplanes.")
    assert ("strike", "Baiji", "US", "", "") in got, got


@pytest.mark.parametrize("word", words_of("with-help"))
def test_a_force_whose_help_is_named_is_an_associate(word: str) -> None:
    text = f"Iraqi troops retook Tikrit with the {word} of Shiite militias on Wednesday."
    assert backing_before(f"retook Tikrit with the {word} of ")
    assert backing_before(f"retook Tikrit with {word} from ")
    assert acting_forces(text, default_forces(), "IQ") == ["ISF"]
    assert _events(text) == [("capture", "Tikrit", "ISF", "", "Popular Mobilization Forces")]
    got = _events(f"Iraqi troops advanced in Baiji on Monday with the {word} of "
                     "coalition warplanes.")
    assert ("strike", "Baiji", "US", "", "") in got, got


@pytest.mark.parametrize("word", words_of("target"))
def test_a_force_a_subject_attacks_or_helps_never_acts_for_it(word: str) -> None:
    """"Men WORD Islamic State seized C": IS is what the men fight or help, not who
    seized C, with the parser and without it (the sentence names no taker)."""
    assert target_before(f"Men {word} the ") and object_before(f"Men {word} the ")
    text = f"Men {word} Islamic State seized Palmyra on Sunday."
    assert acting_forces(text, default_forces(), "SY") == []
    for parser in (True, False):
        assert [(cls, a1) for cls, _, a1, _, _ in _events(text, parser)] == [
            ("capture", "")], parser


def test_a_force_after_of_in_a_subject_still_acts() -> None:
    """"Members of the Iraqi army launched ...": "of" makes an object only outside a
    subject; the target words above make one everywhere."""
    assert not target_before("Members of the ")
    assert [(cls, a1) for cls, _, a1, _, _ in _events(
        "Members of the Iraqi army launched an assault on Hit on Sunday.")] == [
        ("fight", "ISF")]


@pytest.mark.parametrize("word", words_of("backer"))
def test_a_capital_before_a_backer_word_stands_for_its_government(word: str) -> None:
    """"Tehran-WORD militias": a government backing, no event at the capital."""
    got = _events(f"Tehran-{word} militias attacked Palmyra on Sunday.")
    assert [loc for _, loc, _, _, _ in got] == ["Palmyra"], got


@pytest.mark.parametrize("word", words_of("speaker"))
def test_a_speaker_tells_of_the_event_and_does_not_act_in_it(word: str) -> None:
    """"The army WORD that rebels shelled C": the rebels shelled, the army speaks (the
    side reader and the event extractor read the same speaker words)."""
    text = f"The Syrian army {word} that rebels shelled Palmyra on Sunday."
    assert acting_forces(text, default_forces(), "SY") == ["FSA"]
    for parser in (True, False):
        got = _events(text, parser)
        if word in DENYING:     # what a speaker denies, in any tense, is no event
            assert got == [], (word, parser)
        else:
            assert got and all(a1 == "FSA" for _, _, a1, _, _ in got), (word, parser)


@pytest.mark.parametrize("word", words_of("condemning"))
def test_a_force_condemning_the_event_did_not_do_it(word: str) -> None:
    text = f"The Syrian government {word} the shelling of Palmyra on Sunday."
    assert acting_forces(text, default_forces(), "SY") == []
    for parser in (True, False):
        assert [(cls, a1) for cls, _, a1, _, _ in _events(text, parser)] == [
            ("strike", "")], parser


def test_one_word_may_stand_between_the_role_word_and_its_force() -> None:
    assert object_before("Strikes on Turkish ")
    assert not object_before("Strikes on the old Turkish ")
    assert serves_before("Gunmen loyal to the late ")


def test_words_of_nearness_serve_no_one() -> None:
    """"came close to capturing C" tells a capture that did not happen; "close to A" is
    where, not whose."""
    assert _events("Syrian rebels came close to capturing Manbij on Sunday.") == []
    assert not serves_before("fighters close to the ")


@pytest.mark.parametrize("word", words_of("backer"))
def test_a_spaced_backer_is_an_associate_never_the_actor(word: str) -> None:
    """Wire copy sets the hyphen apart ("USA -backed", "US - led"): the force before it
    backs the one acting."""
    text = f"US -{word} coalition jets struck Raqqa on Tuesday."
    cut = text.index(" -")
    assert modifier_after(text, cut) and backer_after(text, cut)
    assert "US" not in acting_forces(f"The US - {word} fighters entered the town.",
                                     default_forces(), "SY")


@pytest.mark.parametrize("word", words_of("holder"))
def test_a_holder_is_the_side_attacked_and_no_backer(word: str) -> None:
    """"attacked the IS-held town": IS is the side attacked (actor2), never the attacker
    and never the attacker's associate."""
    text = f"Kurdish fighters attacked the Islamic State-{word} town of Tal Abyad on Tuesday."
    got = _events(text)
    assert [(a1, a2) for _, _, a1, a2, _ in got] == [("SDF", "IS")], got
    spaced = f"the Islamic State - {word} town"
    cut = spaced.index(" -")
    assert modifier_after(spaced, cut) and not backer_after(spaced, cut)


def test_without_the_hyphen_the_holder_acts() -> None:
    assert acting_forces("Islamic State held the town until March.", default_forces(),
                         "SY") == ["IS"]


def test_the_window_fits_the_longest_role_phrase() -> None:
    phrase = "Gunmen subordinate to their Kurdish "
    assert len(phrase) - len("Gunmen ") <= WINDOW and serves_before(phrase[-WINDOW:])


def _regex_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and "|" in n.value]


@pytest.mark.parametrize("role", ["serving", "owner", "object", "target", "backed-by",
                                  "with-help", "backer", "speaker", "condemning"])
def test_the_role_words_are_spelled_once(role: str) -> None:
    """No module but ``geo.core.roles`` spells a row's telling words in a pattern (the
    three drifted copies this table replaced)."""
    telling = {"serving": ("loyal", "subordinate"), "owner": ("belonging",),
               "object": ("including",), "target": ("advising",),
               "backed-by": ("aided", "accompanied"), "with-help": ("assistance",),
               "backer": ("sponsored", "funded"), "speaker": ("tells", "alleges"),
               "condemning": ("deplored", "decried")}[role]
    found = sorted(f"{p.relative_to(PACKAGE)}: {lit[:60]!r}"
                   for p in PACKAGE.rglob("*.py") if p.name != "roles.py"
                   for lit in _regex_literals(p)
                   if any(re.search(rf"(?:^|[|(:]){w}(?:[|)]|\\s)", lit) for w in telling))
    assert found == []


def test_dominated_names_a_holder_only_when_glued_to_a_force() -> None:
    """The holder row's "-dominated": glued to a force ("the YPG-dominated town") it
    tells who holds the place, the side attacked; glued to a people ("Kurdish-dominated",
    "Sunni-dominated") it tells who lives there and names no side, because no force is
    named (the force table has no bare adjective of a people)."""
    assert _events("Turkish troops shelled the YPG-dominated town of Afrin on Saturday.") == [
        ("strike", "Afrin", "TUR", "SDF", "")]
    assert _events("Turkish troops shelled Kurdish-dominated Afrin on Saturday.") == [
        ("strike", "Afrin", "TUR", "", "")]
    assert _events("Islamic State shelled the Shiite-dominated town of Samarra on Monday.") == [
        ("strike", "Samarra", "IS", "", "")]
