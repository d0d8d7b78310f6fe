"""The matchers behind extraction's hot paths find exactly what the plain forms found.

``geo.core.wordtrie`` replaced an alternation of every force alias (sorted longest
first), and ``geo.core.spans`` a scan over the kept matches, to keep extraction linear in
an article's size (issue #15). What an analyst relies on is that no force, trigger or
date is found or lost because of it: each is checked against the plain form it replaced,
on hand-written edge cases and on random inputs (fixed seed and budget).
"""
from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.core.forces import EDGE_LEFT, EDGE_RIGHT, default_forces
from geo.core.spans import DisjointSpans
from geo.core.wordtrie import trie_pattern

FIXED = settings(derandomize=True, deadline=None, database=None, max_examples=300)


def alternation(phrases: list[str]) -> str:
    """The plain form: every phrase, longest first, a space matching any whitespace."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@cache
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(EDGE_LEFT + "(" + pattern + ")" + EDGE_RIGHT, flags)


def matches(pattern: str, text: str, flags: int = 0) -> list[tuple[int, int, str]]:
    rx = _compiled(pattern, flags)
    return [(m.start(1), m.end(1), m.group(1)) for m in rx.finditer(text)]


@pytest.mark.parametrize("text, phrases, expected", [
    ("IS fighters took Hit", ["IS", "IS fighters"], ["IS fighters"]),
    ("IS  fighters\nand IS forces", ["IS", "IS fighters", "IS forces"],
     ["IS  fighters", "IS forces"]),
    ("ISIS and IS", ["IS", "ISIS"], ["ISIS", "IS"]),
    # the longest alias fails its right edge ("IS fightersX"): the shorter one is kept
    ("IS fighters-led", ["IS", "IS fighters"], ["IS"]),
    ("IS's fighters, IS'sa", ["IS"], ["IS"]),
    ("U.S.-backed SDF", ["U.S.", "SDF"], ["SDF"]),
    ("nothing here ....", ["IS", "SDF"], []),
])
def test_longest_alias_wins_as_before(text: str, phrases: list[str], expected: list[str]) -> None:
    found = [m[2] for m in matches(trie_pattern(phrases), text)]
    assert found == expected
    assert found == [m[2] for m in matches(alternation(phrases), text)]


def test_an_empty_alias_list_matches_nothing() -> None:
    assert matches(trie_pattern([]), "IS fighters") == []


ALIASES = [a.lstrip("=") for f in default_forces().forces.values() for a in f.aliases]
PIECE = st.one_of(st.sampled_from(ALIASES), st.sampled_from([" ", "  ", "\n", ".", "-", "'s",
                                                           "'", "’", "x", "İ", "K"]),
                  st.text(alphabet="aIsSdf -.'\n", max_size=6))


def _mangle(text: str, case: list[bool]) -> str:
    return "".join(c.swapcase() if i < len(case) and case[i] else c for i, c in enumerate(text))


@FIXED
@given(st.lists(PIECE, max_size=12).map("".join), st.lists(st.booleans(), max_size=40))
def test_force_aliases_are_found_as_by_the_plain_alternation(text: str, case: list[bool]) -> None:
    text = _mangle(text, case)
    for fold, flags in ((False, 0), (True, re.I)):
        assert matches(trie_pattern(ALIASES, fold=fold), text, flags) == \
            matches(alternation(ALIASES), text, flags)


def test_the_force_table_finds_every_alias_in_running_text() -> None:
    forces = default_forces()
    text = ". ".join(f"On Monday {a} attacked the town" for a in ALIASES)
    found = {m.text for m in forces.find_mentions(text)}
    assert {a for a in ALIASES} <= found


@FIXED
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=60))
def test_disjoint_spans_answer_as_a_scan_of_the_kept_spans(spans: list[tuple[int, int]]) -> None:
    """The finders' rule: a match is kept unless it overlaps one kept before."""
    fast, kept = DisjointSpans(), []
    for start, length in spans:
        end = start + length
        plain = any(start < e and s < end for s, e in kept)
        assert fast.overlaps(start, end) == plain
        if not plain:
            kept.append((start, end))
            fast.add(start, end)
    assert len(fast) == len(kept)
