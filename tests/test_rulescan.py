"""The rule-table prefilter (``geo.core.rulescan``) finds exactly what trying every rule
over the whole text finds: the trigger words and dates an analyst gets never depend on
which rules were skipped."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.core.dates import _RULES as DATE_RULES
from geo.core.rulescan import CASE_TRAPS, DIGIT, RuleScan, literal_prefixes
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


@pytest.mark.parametrize("rows", [TRIGGER_RULES, DATE_RULES], ids=["triggers", "dates"])
@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(text=st.lists(st.sampled_from([
    "seized", "Seized", "retook", "shelled", "clashes between", "air strikes", "fell to",
    "IS", "Ramadi", "the town", ",", ", a", ".", " ", "on", "4", "٣", "June", "last week",
    "2016", "since", "early", "was", "were", "had been", "ſ", "K", "İ", "ı", "é"]),
    max_size=30).map(" ".join))
def test_the_real_tables_find_the_same(rows: list[tuple[re.Pattern[str], object]],
                                       text: str) -> None:
    named = [(p, str(k)) for k, (p, _) in enumerate(rows)]
    assert scanned(RuleScan(named), text) == every_rule(named, text)
