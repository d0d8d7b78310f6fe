"""The rule-table prefilter (``geo.core.rulescan``) finds exactly what trying every rule
over the whole text finds: the trigger words and dates an analyst gets never depend on
which rules were skipped. The window prefilter (``Prefilter``) answers every search as
the bare pattern does: whether a place is a landmark, a trigger a mere intention, never
depends on which windows were skipped."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.core.dates import _RULES as DATE_RULES
from geo.core.forces import default_forces
from geo.core.rulescan import (
    CASE_TRAPS,
    DIGIT,
    WORD_START,
    Prefilter,
    RuleScan,
    WordCue,
    literal_prefixes,
    required_literal_sets,
    required_literals,
    word_prefixes,
    word_text,
)
from geo.extract import events, triggers
from geo.extract.triggers import _COMPILED as TRIGGER_RULES


def every_rule(rows: list[tuple[re.Pattern[str], str]], text: str) -> list[tuple[int, int, str]]:
    """What the finders did before the prefilter: each rule's finditer, in table order."""
    return [(m.start(), m.end(), name) for p, name in rows for m in p.finditer(text)]


def scanned(scan: RuleScan[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), name) for m, name in scan.matches(text)]


@pytest.mark.parametrize("pattern, flags, expected", [
    # (pattern, flags, the beginnings every match starts with)
    (r"\b(?:seized|captured)\b", re.I, {"seize", "captu"}),
    (r"\b(?:the\s+)?fall\s+of", re.I, {"the", "fall"}),        # optional lead: both
    (r"(?-i:was|were)\s+taken", re.I, {"was", "were"}),         # case-sensitive part, lowered
    (r"(?<=,\s)(?:a|the)\s+town", re.I, {"a", "the"}),          # a look-behind reads nothing
    (r"\b(?P<day>\d{1,2})\s+June", re.I, {DIGIT}),               # a digit first
    (r"Air[\s-]?strikes?", 0, {"air", "airst"}),                 # a class ends a beginning
    (r"\w+ed\b", re.I, None),                                    # any word: always tried
    (r"(?:x)?\s*day", re.I, None),                               # may start with a space
    (r"caf\u00e9", re.I, {"caf"}),                               # no beginning past ASCII
])
def test_beginnings_read_off_the_pattern(pattern: str, flags: int,
                                         expected: set[str] | None) -> None:
    found = literal_prefixes(re.compile(pattern, flags))
    assert (None if found is None else set(found)) == expected


@pytest.mark.parametrize("pattern, flags, expected", [
    # (pattern, flags, the beginnings in the text's words: "^" a word starts there)
    (r"\b(?:seized|captured)\b", re.I, {"^seize", "^captu"}),
    (r"\b(?:the\s+)?fall\s+of", re.I, {"^the ", "^fall "}),    # "\\s" is a space
    (r"\b(?:a|an|\d+)\s+weeks?", re.I, {"^a ", "^an ", DIGIT}),  # the word "a", not "attack"
    (r"(?<=,\s)(?:a|the)\s+town", re.I, {"a ", "the "}),          # no boundary: any "a "
    (r"\bearly[- ]June", re.I, {"^early"}),
    (r"\bU\.S\.", 0, {"^u s "}),                                # "." stands as a space
    (r"(?a:\b)seized", re.I, {"seize"}),                        # ASCII rules: no word start
    (r"\bseized", re.I | re.A, {"seize"}),
    (r"(?<![\w'-])(?:seized|a\s+few)", re.I, {"^seize", "^a "}),  # not after a word: a start
    (r"(?<!x)seized", re.I, {"seize"}),
    (r"\w+ed\b", re.I, None),
    (r"\b\s*day", re.I, None),                                  # may start with a space
])
def test_beginnings_in_words(pattern: str, flags: int, expected: set[str] | None) -> None:
    found = word_prefixes(re.compile(pattern, flags))
    assert (None if found is None else set(found)) == expected


def test_word_text_keeps_offsets() -> None:
    assert word_text("IS-held Hit, 4 km.") == " is held hit  4 km "
    assert word_text("Ça va_bien") == " ça va_bien"
    assert len(word_text("ﬁ İ x")) == len("ﬁ İ x") + 2     # İ lowers to two: a case trap


def test_required_sets_each_hold_on_their_own() -> None:
    """"a few days after": a match needs a unit and a word after it, each on its own."""
    pattern = re.compile(r"\b(?:(?:a\s+)?few|several)?\s*(?:day|week|month)s\s+(?:after|since)\b",
                         re.I)
    sets = [set(x) for x in required_literal_sets(pattern, 8, words=True)]
    assert {WORD_START + "after", WORD_START + "since"} in sets
    assert {"days ", "weeks ", "months "} in sets


CUE = WordCue(("jan", "last", "for"))


@pytest.mark.parametrize("text", ["", "forces", "the platform", "LAST week", "_last", "x-for",
                                  "in 2016", "٣ days", "ſor", "\u212aan", "éjan", "Jan.", "ja n"])
def test_a_word_cue_answers_as_its_pattern(text: str) -> None:
    assert CUE(text) == bool(CUE.pattern.search(text))


@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(text=st.lists(st.sampled_from(["for", "Forces", "platform", "_", "-", "é", "ſ", "\u212a",
                                      "jan", "JAN", "xjan", "last", "3", "٣", " ", ",", "İ"]),
                     max_size=12).map("".join))
def test_a_word_cue_answers_as_its_pattern_on_any_text(text: str) -> None:
    assert CUE(text) == bool(CUE.pattern.search(text))


def test_case_traps_are_every_character_outside_ascii_matching_an_ascii_letter() -> None:
    """A text with such a character is scanned with every rule: "ſeized" is "seized" to a
    case-insensitive pattern, though its lower case is not."""
    letter = re.compile("[a-z]", re.I)
    traps = {chr(c) for c in range(0x80, 0x110000) if letter.fullmatch(chr(c))}
    assert traps == CASE_TRAPS


ROWS = [(re.compile(r"\b(?:seized|seize)\b", re.I), "seize"),
        (re.compile(r"aa", re.I), "aa"),                       # overlapping starts
        (re.compile(r"(?<=,\s)(?:a|the)\s+town", re.I), "town"),
        (re.compile(r"\b\d{1,2}\s+June", re.I), "day"),
        (re.compile(r"\w+ed\b", re.I), "any")]


@pytest.mark.parametrize("text", [
    "IS seized Ramadi, the town, and SEIZED Hit.",
    "aaaaa Aaa",                                   # finditer never overlaps its own matches
    "ſeized Ramadi on 4 June",                      # a case trap: every rule runs
    "KELVIN: \u212aill, İstanbul seized",
    "on ٣ June, a town",                           # a digit outside ASCII
    "",
])
def test_matches_what_every_rule_finds(text: str) -> None:
    assert scanned(RuleScan(ROWS), text) == every_rule(ROWS, text)


FORCE_RULES = [(default_forces()._insensitive, False), (default_forces()._sensitive, True)]


@pytest.mark.parametrize("rows", [TRIGGER_RULES, DATE_RULES, FORCE_RULES],
                         ids=["triggers", "dates", "forces"])
@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(text=st.lists(st.sampled_from([
    "seized", "Seized", "retook", "shelled", "clashes between", "air strikes", "fell to",
    "IS", "Ramadi", "the town", ",", ", a", ".", " ", "on", "4", "٣", "June", "last week",
    "2016", "since", "early", "was", "were", "had been", "ſ", "K", "İ", "ı", "é",
    # words glued to others: a rule that starts a word must not start inside one
    "a", "A", "an", "_a", "xa", "éa", "9a", "a-", "-a", "few", "days", "weeks ago", "after",
    "two days ago", "U.S.", "earlier this week", "Xseized", "_seized", "éseized", "seized_",
    "Iraqi forces", "xIraqi", "the SDF", "SDF's", "US-led", "coalition", "Kurdish-led", "ISIS",
    "Islamic State", "-IS", "'IS", "Peshmerga"]),
    max_size=30).map(" ".join))
def test_the_real_tables_find_the_same(rows: list[tuple[re.Pattern[str], object]],
                                       text: str) -> None:
    named = [(p, str(k)) for k, (p, _) in enumerate(rows)]
    assert scanned(RuleScan(named), text) == every_rule(named, text)


@pytest.mark.parametrize("pattern, flags, expected", [
    # (pattern, flags, strings one of which every match contains)
    (r"\b\d+\s*km\s+(?:north|south)\s+of\s+$", re.I, {"north", "south"}),  # longest wins
    (r"(?:\w+\s+){0,3}(?:killed|died)|\bexecuted\s+\d+", re.I, {"kille", "died", "execu"}),
    (r"^[^,.]{0,40}?\b(?:is|was)\s+(?:imminent|expected)\b", re.I, {"immin", "expec"}),
    (r"((?:\w+\s+)?\w+)-(?:held|run)\b", re.I, {"-held", "-run"}),   # after a class
    (r"(?:a\s+matter|likely)", re.I, {"matte", "likel"}),            # inside an alternative
    (r"\w+\s*\d", 0, {DIGIT}),                                       # only a digit
    (r"\w+|x", re.I, None),                                          # one alternative: anything
    (r"(?:the\s+)?$", re.I, None),                                   # may match nothing
])
def test_required_literals_read_off_the_pattern(pattern: str, flags: int,
                                               expected: set[str] | None) -> None:
    found = required_literals(re.compile(pattern, flags))
    assert (None if found is None else set(found)) == expected


def prefiltered() -> list[tuple[str, Prefilter]]:
    """Every window pattern of the extractor that is prefiltered."""
    return [(f"{module.__name__}.{name}", value) for module in (events, triggers)
            for name, value in vars(module).items() if isinstance(value, Prefilter)]


def test_the_extractor_prefilters_its_window_patterns() -> None:
    names = {name.rsplit(".", 1)[1] for name, _ in prefiltered()}
    assert {"_DISTANCE_BEFORE", "_HYPOTHETICAL", "_FATALITIES"} <= names


WORDS = ["seized", "captured", "250", "km", "north", "South", "of", "the", "town", "Ramadi",
         "IS-held", "-held", "Kurdish-controlled", "to", "retake", "will", "would", "killing",
         "12", "killed", "died", "part", "during", "battle", "backed", "by", "with", "support",
         "from", "fled", "towards", "Gen.", "Col", "Abu", "Bakr", "near", "outskirts", "since",
         "then", "later", "that", "year", "is", "imminent", "first", "to be", ",", ".", ";",
         "said", "blamed", "denied", "reports", "rumours", "claims",
         "ſouth", "\u212am", "İ", "٣", "é", "\n", "  ",
         # words glued to others (a literal that starts a word must not start inside one)
         "Capt.", "captured", "Turkish-backed", "xsaid", "_said", "éstated", "State", "stated",
         "a few days after", "fewdays", "days since", "months"]


@pytest.mark.parametrize("name, pattern", prefiltered(), ids=lambda x: x if isinstance(x, str) else "")
@settings(derandomize=True, max_examples=150, deadline=None, database=None)
@given(text=st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join),
       cut=st.tuples(st.integers(0, 60), st.integers(0, 200)))
def test_a_prefiltered_pattern_finds_what_the_pattern_finds(name: str, pattern: Prefilter,
                                                           text: str, cut: tuple[int, int]) -> None:
    bare = pattern.pattern
    pos, endpos = cut

    def spans(found: re.Match[str] | None) -> tuple[int, int] | None:
        return None if found is None else found.span()
    assert spans(pattern.search(text)) == spans(bare.search(text))
    assert spans(pattern.search(text, pos, endpos)) == spans(bare.search(text, pos, endpos))
    assert spans(pattern.match(text, pos)) == spans(bare.match(text, pos))
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in bare.finditer(text)]
    # a text that cannot match holds no window that can, cut or given by its ends
    if not pattern.may_match(text):
        assert bare.search(text[pos:endpos]) is None and bare.search(text, pos, endpos) is None


@pytest.mark.parametrize("window", ["250 KM NORTH OF ", "40 km ſouth of ", "40 \u212am \u017fouth of "])
def test_a_window_the_literals_miss_only_by_case_is_still_searched(window: str) -> None:
    """Upper case, and the characters outside ASCII that match a letter ("ſ" is "s"
    to a case-insensitive pattern): the prefilter never skips a window a pattern matches."""
    bare = re.compile(r"\b\d+\s*km\s+(?:north|south)\s+of\s+$|\bjust\s+north", re.I)
    assert bool(Prefilter(bare).search(window)) == bool(bare.search(window))


@pytest.mark.parametrize("pattern, text, cut", [
    (r"\bhead\s+of\b", "the forehead of the town", 8),            # "head" starts the window
    (r"\b(?:capt|col)\.?\s+[A-Z]", "Escapt. Smith", 2),
])
def test_a_text_that_cannot_match_holds_no_window_that_can(pattern: str, text: str,
                                                           cut: int) -> None:
    """The extractor asks a sentence once whether a window pattern can match in it, and
    then skips every window of it: a window cut inside a word starts a word the sentence
    does not have, so what the sentence holds must answer for such a window too."""
    bare = re.compile(pattern, re.I)
    assert bare.search(text[cut:]) is not None
    assert Prefilter(bare).may_match(text)
