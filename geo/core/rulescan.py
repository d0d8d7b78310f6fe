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
        #: Each row as run over the whole text (where no beginning can be read off it, or
        #: in a text holding a case trap): asked first for one of its required literals.
        self._whole = [Prefilter(p) for p, _ in self.rows]
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
                for found in self._whole[k].finditer(text):
                    yield found, payload
                continue
            at_k = starts.get(k)
            if not at_k:
                continue
            pos = 0
            for start in at_k if len(at_k) == 1 else sorted(set(at_k)):
                if start < pos:
                    continue                  # inside the previous match
                at = pattern.match(text, start)
                if at is not None:
                    yield at, payload
                    pos = at.end()


def required_literals(pattern: re.Pattern[str], size: int = PREFIX_CHARS) -> frozenset[str] | None:
    """Lower-case strings (ASCII, at most ``size`` characters, ``DIGIT`` for a digit) one
    of which every match of ``pattern`` contains; None when no such set is read off it.

    Every match of a sequence of items holds a match of each tail of the sequence (whose
    beginnings ``_prefixes`` reads) and of each item (a group: what its inside requires;
    alternatives: the union of what each requires). Of those sets the most selective is
    kept: longest shortest literal, then fewest ("north|south|..." over "of|from")."""
    return _required(list(_parser.parse(pattern.pattern, pattern.flags)), size)


def _required(items: list[Any], size: int) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    for i, (op, av) in enumerate(items):
        options: list[set[str] | frozenset[str] | None] = [_prefixes(items[i:], "", size)]
        if op is C.SUBPATTERN:
            options.append(_required(list(av[-1]), size))
        elif op is C.ATOMIC_GROUP:
            options.append(_required(list(av), size))
        elif op is C.BRANCH:
            union: set[str] | None = set()
            for branch in av[1]:
                found = _required(list(branch), size)
                if found is None or union is None:
                    union = None
                else:
                    union |= found
            options.append(union)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] > 0:
            options.append(_required(list(av[2]), size))
        for option in options:
            if option and "" not in option and (
                    best is None or _selectivity(option) > _selectivity(best)):
                best = frozenset(option)
    return best


def _selectivity(literals: Iterable[str]) -> tuple[int, int]:
    found = list(literals)
    return (min(1 if x == DIGIT else len(x) for x in found), -len(found))


#: Above this many literals a prefilter asks an automaton instead of ``in`` for each.
_FEW_LITERALS = 6


class Prefilter:
    """A compiled pattern searched in short windows of text ("the 60 characters before a
    place"), asked first whether one of its required literals (``required_literals``)
    stands in the window: most windows hold none, and that question is several times
    cheaper than the regular-expression engine trying the pattern at every position.
    The answer is exact, never a guess: without one of those literals the pattern cannot
    match; a window holding a case trap (``CASE_TRAPS``) is always searched."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        literals = required_literals(pattern)
        self._digit = literals is not None and DIGIT in literals
        self._literals = tuple(sorted(x for x in literals or () if x != DIGIT))
        self._automaton: Any = None
        if literals is not None and len(self._literals) > _FEW_LITERALS:
            self._automaton = ahocorasick.Automaton()
            for x in self._literals:
                self._automaton.add_word(x, x)
            self._automaton.make_automaton()
        self._always = literals is None

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> Prefilter:
        """``re.compile(pattern, flags)``, prefiltered."""
        return cls(re.compile(pattern, flags))

    def may_match(self, window: str) -> bool:
        """False only when no match of the pattern can lie inside ``window``."""
        if self._always or (not window.isascii() and _TRAP_RE.search(window)):
            return True
        if self._digit and _DIGIT_RE.search(window):
            return True
        low = window.lower()
        if self._automaton is not None:
            return next(self._automaton.iter(low), None) is not None
        return any(map(low.__contains__, self._literals))

    def search(self, text: str, pos: int = 0, endpos: int | None = None
               ) -> re.Match[str] | None:
        """``pattern.search(text, pos, endpos)``."""
        end = len(text) if endpos is None else endpos
        if not self.may_match(text[pos:end] if pos or end < len(text) else text):
            return None
        return self.pattern.search(text, pos, end)

    def match(self, text: str, pos: int = 0, endpos: int | None = None
              ) -> re.Match[str] | None:
        """``pattern.match(text, pos, endpos)``."""
        end = len(text) if endpos is None else endpos
        if not self.may_match(text[pos:end] if pos or end < len(text) else text):
            return None
        return self.pattern.match(text, pos, end)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``."""
        return self.pattern.finditer(text) if self.may_match(text) else iter(())
