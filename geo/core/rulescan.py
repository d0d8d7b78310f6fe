"""A table of regular-expression rules run over a text, each rule tried only where a
match of it can begin.

Why: the trigger table (~40 rules) and the date rules (~25) were run one by one over
every sentence, each a full pass of the regular-expression engine trying every
position, and in prose dense with events that was a fifth of extraction. Every match of
"seized|captured|..." starts with "seize" or "captu": ``RuleScan`` reads those literal
beginnings off each compiled pattern (Python's own parse tree of it, so the table never
states them twice and a rule added later is covered), finds where they stand in the
lower-cased text in one pass (Aho-Corasick, as the gazetteer scan does), and tries each
rule there only.

The answer is exact, never a guess: a rule is tried at every place one of its matches
can start, so the matches are those of running each rule's ``finditer`` in the table's
order. A rule whose matches can begin with anything (a character class, a word of any
letters) runs over the whole text as before.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from re import _constants as C  # type: ignore[attr-defined]   # the parse tree's opcodes
from re import _parser  # type: ignore[attr-defined]
from typing import Any, Generic, TypeVar

import ahocorasick

T = TypeVar("T")

#: Beginnings longer than this are cut: five letters tell most words apart.
PREFIX_CHARS = 5

#: Characters outside ASCII that a case-insensitive pattern matches to an ASCII letter
#: ("ſ" matches "s" though it lowers to itself; "İ" lowers to two characters, which
#: would shift offsets): a text holding one is scanned with every rule.
#: ``tests/test_rulescan.py`` checks the list against the running Python's ``re`` over
#: all of Unicode.
CASE_TRAPS = frozenset("\u0130\u0131\u017f\u212a")
_TRAP_RE = re.compile("[" + "".join(sorted(CASE_TRAPS)) + "]")
#: The beginning of a match that starts with a digit (``\\d``); never a literal beginning,
#: which is lower case.
DIGIT = "\\D"
_DIGIT_RE = re.compile(r"\d")


def literal_prefixes(pattern: re.Pattern[str], size: int = PREFIX_CHARS) -> frozenset[str] | None:
    """The lower-case strings (at most ``size`` characters, ASCII only) one of which every
    match of ``pattern`` starts with, and ``DIGIT`` when a match may start with a digit;
    None when a match may start with anything else (or with a character outside ASCII,
    where case folding is not one to one)."""
    tree = _parser.parse(pattern.pattern, pattern.flags)
    found = _prefixes(list(tree), "", size)
    if found is None or "" in found:
        return None
    return frozenset(found)


def _prefixes(items: list[Any], acc: str, size: int) -> set[str] | None:
    """Beginnings of the matches of the node sequence ``items`` after ``acc`` was read."""
    i = 0
    while i < len(items) and len(acc) < size:
        op, av = items[i]
        rest = items[i + 1:]
        if op is C.LITERAL:
            ch = chr(av).lower()
            if len(ch) != 1 or not ch.isascii():
                return {acc}
            acc += ch
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            pass                                  # zero width: reads no character
        elif op is C.SUBPATTERN:
            return _prefixes(list(av[-1]) + rest, acc, size)
        elif op is C.ATOMIC_GROUP:
            return _prefixes(list(av) + rest, acc, size)
        elif op is C.BRANCH:
            return _union(_prefixes(list(branch) + rest, acc, size) for branch in av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _high, item = av
            # the first repetition's beginning (and what follows it no further); when
            # the item may be absent, what comes after it as well
            first = _prefixes(list(item), acc, size)
            return first if low > 0 else _union([first, _prefixes(rest, acc, size)])
        elif op is C.IN and not acc and av == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            return {DIGIT}                        # "\\d": tried where a digit stands
        else:                                     # a class, any character, a reference
            return {acc}
        i += 1
    return {acc}


def _union(parts: Iterable[set[str] | None]) -> set[str] | None:
    out: set[str] = set()
    for part in parts:
        if part is None:
            return None
        out |= part
    return out


class RuleScan(Generic[T]):
    """A table of ``(compiled pattern, payload)`` rows, scanned over a text as
    ``for pattern, payload in rows: for m in pattern.finditer(text)`` would, but trying
    each pattern only where one of its literal beginnings stands (``matches``)."""

    def __init__(self, rows: Sequence[tuple[re.Pattern[str], T]],
                 size: int = PREFIX_CHARS) -> None:
        self.rows = list(rows)
        self._prefixes = [literal_prefixes(p, size) for p, _ in self.rows]
        self._automaton = ahocorasick.Automaton()
        by_prefix: dict[str, list[int]] = {}
        for k, found in enumerate(self._prefixes):
            for prefix in found or ():
                by_prefix.setdefault(prefix, []).append(k)
        self._digit_rows = tuple(by_prefix.pop(DIGIT, ()))
        for prefix, ks in by_prefix.items():
            self._automaton.add_word(prefix, (len(prefix), tuple(ks)))
        self._scannable = bool(by_prefix)
        if self._scannable:
            self._automaton.make_automaton()

    def matches(self, text: str) -> Iterator[tuple[re.Match[str], T]]:
        """Every match of every row, rows in the table's order and each row's matches
        left to right, never overlapping one another (``finditer``'s own rule): the same
        sequence as running each pattern's ``finditer`` over ``text``."""
        if not self._scannable or (not text.isascii() and _TRAP_RE.search(text)):
            starts: dict[int, list[int]] | None = None
        else:
            starts = {}
            # lower() keeps every offset here: only U+0130 lowers to two characters
            for end, (n, ks) in self._automaton.iter(text.lower()):
                for k in ks:
                    starts.setdefault(k, []).append(end - n + 1)
            if self._digit_rows:
                digits = [d.start() for d in _DIGIT_RE.finditer(text)]
                for k in self._digit_rows:
                    starts.setdefault(k, []).extend(digits)
        for k, (pattern, payload) in enumerate(self.rows):
            if starts is None or self._prefixes[k] is None:
                for found in pattern.finditer(text):
                    yield found, payload
                continue
            pos = 0
            for start in sorted(set(starts.get(k, ()))):
                if start < pos:
                    continue                  # inside the previous match
                at = pattern.match(text, start)
                if at is not None:
                    yield at, payload
                    pos = at.end()
