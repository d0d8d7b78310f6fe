"""One regular expression for a list of phrases, shaped as a trie.

Why: a plain alternation of hundreds of phrases (``alias1|alias2|...``) makes the regex
engine try every phrase at every position of the text; text that never matches (a long
run of punctuation, a page of prose without a force in it) costs microseconds per
character. The trie form shares common prefixes (``IS(?:\\s+(?:fighters|forces))?``), so a
position that starts no phrase is rejected after one character.

The match is the same as the alternation's with the phrases sorted longest first: at each
position the longest phrase that matches (and satisfies the surrounding assertions) wins,
because the trie's optional continuations are greedy and backtrack to shorter phrases.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeAlias

#: A trie node: next character -> node; the key "" marks the end of a phrase.
_Node: TypeAlias = "dict[str, _Node]"

#: What a space inside a phrase matches: any run of whitespace ("Islamic\\n State").
SPACE = r"\s+"


def trie_pattern(phrases: Iterable[str], *, fold: bool = False) -> str:
    """A regex source matching any of ``phrases`` (a space matches a run of whitespace).

    ``fold=True`` lower-cases the phrases first: use it for a pattern compiled with
    ``re.IGNORECASE``, where "Iraqi Army" and "Iraqi army" are one branch. An empty list
    gives a pattern that never matches."""
    root: _Node = {}
    for phrase in phrases:
        if not phrase:
            continue
        node = root
        for ch in phrase.lower() if fold else phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not root:
        return "(?!)"
    return _emit(root)


def _emit(node: _Node) -> str:
    branches = [(SPACE if ch == " " else re.escape(ch)) + _emit(child)
                for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:                       # a phrase ends here: longer ones are tried first
        return "(?:" + body + ")?"
    return body
