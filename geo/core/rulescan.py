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

The beginnings are read in the text's *words*: every character that is not a word
character (spaces, commas, hyphens) stands as one space, and a beginning after ``\\b``
stands after one ("a" as the number word of "a week ago" is " a ", found before the word
"a" only, not in every "attacked" and "Raqqa"). Without that, two date rules were tried
at two dozen places of every sentence.

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


def _prefixes(items: list[Any], acc: str, size: int, words: bool = False,
              anchored: bool | None = None, lead: str = "") -> set[str] | None:
    """Beginnings of the matches of the node sequence ``items`` after ``acc`` was read.

    ``words``: beginnings in the text's words (``word_text``): a character that is not a
    word character is a space there, and a beginning whose first character is a word
    character standing where ``\\b`` holds starts with ``WORD_START`` (``lead``, not
    counted in ``size``). ``anchored``: a word boundary was asserted before ``acc`` (None: word
    boundaries anchor nothing here, as under ASCII or locale rules)."""
    i = 0
    while i < len(items) and len(acc) < size:
        op, av = items[i]
        rest = items[i + 1:]
        if op is C.LITERAL:
            ch = chr(av).lower()
            if len(ch) != 1 or not ch.isascii():
                return {lead + acc}
            if words and not _is_word(ch):
                ch = " "
            elif words and anchored and not acc:
                lead = WORD_START                 # a word starts there
            acc += ch
        elif words and not acc and anchored is not None and (
                op is C.AT and av is C.AT_BOUNDARY or op is C.ASSERT_NOT and _not_after_word(av)):
            anchored = True                       # (zero width)
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            pass                                  # zero width: reads no character
        elif op is C.SUBPATTERN:
            # a group under ASCII or locale rules draws word boundaries of its own
            # (and no boundary anchors anything after it either: fewer anchors are safe)
            inner = None if av[1] & (_parser.SRE_FLAG_ASCII | _parser.SRE_FLAG_LOCALE) \
                else anchored
            return _prefixes(list(av[-1]) + rest, acc, size, words, inner, lead)
        elif op is C.ATOMIC_GROUP:
            return _prefixes(list(av) + rest, acc, size, words, anchored, lead)
        elif op is C.BRANCH:
            return _union(_prefixes(list(branch) + rest, acc, size, words, anchored, lead)
                          for branch in av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _high, item = av
            # the first repetition's beginning (and what follows it no further); when
            # the item may be absent, what comes after it as well
            first = _prefixes(list(item), acc, size, words, anchored, lead)
            return first if low > 0 else _union(
                [first, _prefixes(rest, acc, size, words, anchored, lead)])
        elif op is C.IN and not acc and av == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            return {DIGIT}                        # "\\d": tried where a digit stands
        elif op is C.IN and words and all(map(_not_word_item, av)):
            acc += " "                            # "\\s", "[- ]": a space in the words
        else:                                     # a class, any character, a reference
            return {lead + acc}
        i += 1
    return {lead + acc}


#: The start of a word, before a word prefix's first letter: in ``word_text`` a space
#: stands there (every character that is not a word character is one, and so is the
#: start of the text).
WORD_START = "^"


def _is_word(ch: str) -> bool:
    """A word character to ``\\w`` and ``\\b`` (Unicode rules)."""
    return ch.isalnum() or ch == "_"


def _not_after_word(av: Any) -> bool:
    """A negative look-behind of one character that is a word character or some other
    ("(?<![\\w'-])"): where it holds, a word character starts a word."""
    direction, items = av
    return direction == -1 and len(items) == 1 and items[0][0] is C.IN and \
        (C.CATEGORY, C.CATEGORY_WORD) in items[0][1]


def _not_word_item(item: tuple[Any, Any]) -> bool:
    """An item of a character class that matches no word character."""
    op, av = item
    if op is C.LITERAL:
        return not _is_word(chr(av))
    return op is C.CATEGORY and av in (C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD)


def _ends_not_word(item: tuple[Any, Any]) -> bool:
    """An item of a pattern whose matches end with a character that is not a word
    character ("\\s+", ",", "[- ]")."""
    op, av = item
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        return av[0] > 0 and len(av[2]) == 1 and _ends_not_word(av[2][0])
    if op is C.IN:
        return all(map(_not_word_item, av))
    return op is C.LITERAL and not _is_word(chr(av))


def word_prefixes(pattern: re.Pattern[str], size: int = PREFIX_CHARS) -> frozenset[str] | None:
    """``literal_prefixes`` in the text's words: strings one of which ``word_text(text)``
    holds where a match of ``pattern`` starts in ``text``, a leading ``WORD_START`` (a
    match that starts a word) standing for the space before it; ``DIGIT`` as there;
    None when a match may start with anything."""
    unicode_words = not pattern.flags & (re.ASCII | re.LOCALE)
    found = _prefixes(list(_parser.parse(pattern.pattern, pattern.flags)), "", size, True,
                      False if unicode_words else None)
    if found is None or "" in found or WORD_START in found or " " in found:
        return None
    return frozenset(found)


_WORD_TABLE = {c: (chr(c).lower() if _is_word(chr(c)) else " ") for c in range(128)}
_NOT_WORD_RE = re.compile(r"\W")


def word_text(text: str) -> str:
    """``text`` lower-cased, every character that is not a word character a space, after
    one space (the start of the text): what ``word_prefixes`` are found in, offsets moved
    by one. Lower-casing keeps every offset but in a text holding a ``CASE_TRAPS``
    character (which ``RuleScan`` scans with every rule)."""
    if text.isascii():
        return " " + text.translate(_WORD_TABLE)
    return " " + _NOT_WORD_RE.sub(" ", text).lower()


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
        self._prefixes = [word_prefixes(p, size) for p, _ in self.rows]
        self._automaton = ahocorasick.Automaton()
        # a beginning as found in ``word_text`` -> how far back from the end of it the
        # match starts in the text -> the rows
        by_key: dict[str, dict[int, list[int]]] = {}
        digit_rows: list[int] = []
        for k, found in enumerate(self._prefixes):
            for prefix in found or ():
                if prefix == DIGIT:
                    digit_rows.append(k)
                    continue
                key = prefix.replace(WORD_START, " ")
                back = len(key) - 1 if prefix.startswith(WORD_START) else len(key)
                by_key.setdefault(key, {}).setdefault(back, []).append(k)
        self._digit_rows = tuple(digit_rows)
        for key, backs in by_key.items():
            self._automaton.add_word(key, tuple((back, tuple(ks)) for back, ks in backs.items()))
        self._scannable = bool(by_key)
        #: Each row as run over the whole text (where no beginning can be read off it, or
        #: in a text holding a case trap): asked first for one of its required literals.
        self._whole = [Prefilter(p) for p, _ in self.rows]
        self._whole_order = [k for k, found in enumerate(self._prefixes) if found is None]
        self._whole_rows = frozenset(self._whole_order)
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
            # (its offsets are the text's plus one: lower-casing keeps every offset but
            # for a case trap's)
            for end, found in self._automaton.iter(word_text(text)):
                for back, ks in found:
                    for k in ks:
                        starts.setdefault(k, []).append(end - back)
            if self._digit_rows:
                digits = [d.start() for d in _DIGIT_RE.finditer(text)]
                for k in self._digit_rows:
                    starts.setdefault(k, []).extend(digits)
        if starts is None:
            for whole, (_, payload) in zip(self._whole, self.rows):
                for found in whole.finditer(text):
                    yield found, payload
            return
        for k in sorted(starts.keys() | self._whole_rows) if starts else self._whole_order:
            pattern, payload = self.rows[k]
            at_k = starts.get(k)
            if at_k is None:
                for found in self._whole[k].finditer(text):
                    yield found, payload
                continue
            pos = 0
            for start in at_k if len(at_k) == 1 else sorted(set(at_k)):
                if start < pos:
                    continue                  # inside the previous match
                at = pattern.match(text, start)
                if at is not None:
                    yield at, payload
                    pos = at.end()


class WordCue:
    """Whether a text has a digit or a word that begins with one of ``starts``
    (``\\d|\\b(?:jan|feb|...)`` under IGNORECASE), in one pass over its ``word_text``
    instead of the regular-expression engine trying every position: a cheap first
    question before a table of rules that all need one."""

    def __init__(self, starts: Iterable[str]) -> None:
        self.starts = tuple(starts)
        if not self.starts or not all(x.isascii() and x.isalpha() for x in self.starts):
            raise ValueError(f"word starts must be ASCII letters: {self.starts!r}")
        self.pattern = re.compile(r"\d|\b(?:" + "|".join(self.starts) + ")", re.I)
        self._automaton = ahocorasick.Automaton()
        for x in self.starts:
            self._automaton.add_word(" " + x.lower(), x)
        self._automaton.make_automaton()

    def __call__(self, text: str) -> bool:
        """``bool(self.pattern.search(text))``."""
        if _DIGIT_RE.search(text):
            return True
        if not text.isascii() and _TRAP_RE.search(text):
            return self.pattern.search(text) is not None
        return next(self._automaton.iter(word_text(text)), None) is not None


def required_literals(pattern: re.Pattern[str], size: int = PREFIX_CHARS, *,
                      words: bool = False) -> frozenset[str] | None:
    """Lower-case strings (ASCII, at most ``size`` characters, ``DIGIT`` for a digit) one
    of which every match of ``pattern`` contains; None when no such set is read off it.
    ``words``: strings of the text's words (``word_text``), as ``word_prefixes`` reads
    them (a leading ``WORD_START``: the match has a word start there).

    Every match of a sequence of items holds a match of each tail of the sequence (whose
    beginnings ``_prefixes`` reads) and of each item (a group: what its inside requires;
    alternatives: the union of what each requires). Of those sets the most selective is
    kept: longest shortest literal, then fewest ("north|south|..." over "of|from")."""
    found = required_literal_sets(pattern, size, words=words)
    return found[0] if found else None


def required_literal_sets(pattern: re.Pattern[str], size: int = PREFIX_CHARS, *,
                          words: bool = False) -> list[frozenset[str]]:
    """Every set ``required_literals`` chooses from, the most selective first: each is
    required on its own ("a few days after": one of "day", "week", "month" and one of
    "after", "since")."""
    anchored = False if words and not pattern.flags & (re.ASCII | re.LOCALE) else None
    options = _required_options(list(_parser.parse(pattern.pattern, pattern.flags)), size,
                                words, anchored)
    return sorted(set(options), key=lambda o: (_selectivity(o, words), sorted(o)),
                  reverse=True)


def _required(items: list[Any], size: int, words: bool = False,
              anchored: bool | None = None) -> frozenset[str] | None:
    options = _required_options(items, size, words, anchored)
    best: frozenset[str] | None = None
    for option in options:                    # the first of the most selective
        if best is None or _selectivity(option, words) > _selectivity(best, words):
            best = option
    return best


def _required_options(items: list[Any], size: int, words: bool,
                      anchored: bool | None) -> list[frozenset[str]]:
    out: list[frozenset[str]] = []
    for i, (op, av) in enumerate(items):
        # a tail read right after a character that is not a word character starts where
        # a word boundary holds (before a word character)
        after_gap = True if words and anchored is not None and i and \
            _ends_not_word(items[i - 1]) else anchored
        options: list[set[str] | frozenset[str] | None] = [
            _prefixes(items[i:], "", size, words, after_gap)]
        if op is C.SUBPATTERN:
            inner = None if av[1] & (_parser.SRE_FLAG_ASCII | _parser.SRE_FLAG_LOCALE) \
                else anchored
            options.append(_required(list(av[-1]), size, words, inner))
        elif op is C.ATOMIC_GROUP:
            options.append(_required(list(av), size, words, anchored))
        elif op is C.BRANCH:
            union: set[str] | None = set()
            for branch in av[1]:
                found = _required(list(branch), size, words, anchored)
                if found is None or union is None:
                    union = None
                else:
                    union |= found
            options.append(union)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] > 0:
            options.append(_required(list(av[2]), size, words, anchored))
        out += [frozenset(option) for option in options
                if option and not any(x.strip(WORD_START + " ") == "" for x in option)]
    return out


def _selectivity(literals: Iterable[str], words: bool = False) -> tuple[int, int, int]:
    """Longest shortest literal, then fewest, then those that say more of the words
    around them (a word start, a space after): in words, a literal's length is its
    letters' (" is " is no rarer than "is", but rarer than "is")."""
    found = list(literals)
    if not words:
        return (min(1 if x == DIGIT else len(x) for x in found), -len(found), 0)
    return (min(1 if x == DIGIT else len(x.replace(" ", "").replace(WORD_START, ""))
                for x in found), -len(found), min(len(x) for x in found))


#: The longest literal a prefilter asks for ("stated" is not "State").
WINDOW_LITERAL_CHARS = 8

#: Above this many literals a prefilter asks an automaton instead of ``find`` for each.
_FEW_LITERALS = 6

#: The last text a prefilter read a window of: it, its lower case, its ``word_text`` and
#: whether it holds a case trap (the extractor asks many patterns about one sentence).
_last_read: tuple[str, str, str, bool] = ("", "", " ", False)


def _read(text: str) -> tuple[str, str, str, bool]:
    """``_last_read`` for ``text``."""
    global _last_read
    last = _last_read
    if last[0] is not text:
        trap = not text.isascii() and _TRAP_RE.search(text) is not None
        last = _last_read = (text, text.lower(), word_text(text), trap)  # (thread-safe)
    return last


class Prefilter:
    """A compiled pattern searched in short windows of text ("the 60 characters before a
    place"), asked first whether one of its required literals (``required_literals``)
    stands in the window: most windows hold none, and that question is several times
    cheaper than the regular-expression engine trying the pattern at every position.
    The answer is exact, never a guess: without one of those literals the pattern cannot
    match; a text holding a case trap (``CASE_TRAPS``) is always searched.

    The literals are read in the text's words (``word_text``): "capt " of "Capt. Smith"
    stands there, and "captured" does not hold it. A text that cannot match holds no
    window that can (``may_match(sentence)`` answers for every window of the sentence). A window is asked first, as
    cheaply as ``in``, for each literal's longest run of letters ("capt"), and only when
    one stands there for the literals themselves. A window given as ``pos`` and
    ``endpos`` of a text is read in that text, kept for the last one read, and no window
    of a text that holds none of the runs is read at all."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        sets = required_literal_sets(pattern, WINDOW_LITERAL_CHARS, words=True)
        literals = sets[0] if sets else None
        self._always = literals is None
        self._digit = literals is not None and DIGIT in literals
        # Without the mark of a word start: a window the caller cuts may start inside a
        # word ("apt. Smith" of "Capt. Smith"), where the pattern sees a word start the
        # whole text does not have, and what the text holds must answer for every
        # window of it (``may_match(text)`` False: no window of it matches). Spaces
        # inside a literal stand for real characters of every window that holds it. (A
        # window from ``pos`` is read in ``word_text`` from ``pos``: a literal may be
        # found one character too early there, never missed.)
        self._literals = tuple(sorted({x.replace(WORD_START, "") for x in literals or ()
                                       if x != DIGIT}))
        self._runs = _runs(self._literals)
        #: The runs of another required set, asked of a text of its own after the first.
        self._also = next((runs for runs in (_runs(x) for x in sets[1:] if DIGIT not in x)
                           if not any(r in f for r in runs for f in self._runs)), ())
        self._automaton = _any_of(self._literals)
        self._runs_automaton = _any_of(self._runs)
        #: The last text a window was asked of, and whether it holds one of the runs.
        self._last: tuple[str, bool] = ("", False)

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> Prefilter:
        """``re.compile(pattern, flags)``, prefiltered."""
        return cls(re.compile(pattern, flags))

    def may_match(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """False only when no match of the pattern can lie inside ``text[pos:endpos]``
        (as ``pattern.search(text, pos, endpos)`` reads it: a word boundary at ``pos``
        looks at the character before it)."""
        if self._always:
            return True
        if pos == 0 and endpos is None:           # a text of its own
            if self._digit and _DIGIT_RE.search(text) or \
                    not text.isascii() and _TRAP_RE.search(text):
                return True
            low = text.lower()
            if not _holds(low, self._runs, self._runs_automaton) or \
                    self._also and not _holds(low, self._also, None):
                return False
            return _holds(word_text(text), self._literals, self._automaton)
        n = len(text)
        pos = 0 if pos < 0 else n if pos > n else pos
        end = n if endpos is None or endpos > n else 0 if endpos < 0 else endpos
        if self._digit and _DIGIT_RE.search(text, pos, end):
            return True
        last = self._last
        if last[0] is text and not last[1]:
            return False                          # the text holds no run
        _, low, words, trap = _read(text)
        if last[0] is not text:
            self._last = (text, trap or _holds_in(low, self._runs, self._runs_automaton, 0, n))
            if not self._last[1]:
                return False
        # (offsets of ``word_text`` are the text's + 1)
        return trap or pos < end and \
            _holds_in(low, self._runs, self._runs_automaton, pos, end) and \
            _holds_in(words, self._literals, self._automaton, pos, end + 1)

    def search(self, text: str, pos: int = 0, endpos: int | None = None
               ) -> re.Match[str] | None:
        """``pattern.search(text, pos, endpos)``."""
        if not self.may_match(text, pos, endpos):
            return None
        return self.pattern.search(text, pos) if endpos is None else \
            self.pattern.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None
              ) -> re.Match[str] | None:
        """``pattern.match(text, pos, endpos)``."""
        if not self.may_match(text, pos, endpos):
            return None
        return self.pattern.match(text, pos) if endpos is None else \
            self.pattern.match(text, pos, endpos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``."""
        return self.pattern.finditer(text) if self.may_match(text) else iter(())


def _runs(literals: Iterable[str]) -> tuple[str, ...]:
    """The longest run of letters of each literal (``word_text``'s spaces dropped): what
    the lower-cased text holds where ``word_text`` holds the literal."""
    return tuple(sorted({max(x.replace(WORD_START, " ").split(), key=len) for x in literals}))


def _any_of(literals: Sequence[str]) -> Any:
    """An automaton of ``literals`` when there are many (else None: ``find`` each)."""
    if len(literals) <= _FEW_LITERALS:
        return None
    automaton = ahocorasick.Automaton()
    for x in literals:
        automaton.add_word(x, x)
    automaton.make_automaton()
    return automaton


def _holds(text: str, literals: Sequence[str], automaton: Any) -> bool:
    """Whether ``text`` holds one of ``literals``."""
    if automaton is not None:
        return next(automaton.iter(text), None) is not None
    return any(map(text.__contains__, literals))


def _holds_in(text: str, literals: Sequence[str], automaton: Any, start: int, stop: int
              ) -> bool:
    """Whether one of ``literals`` lies inside ``text[start:stop]``."""
    if automaton is not None:
        return next(automaton.iter(text, start, stop), None) is not None
    for x in literals:
        if text.find(x, start, stop) >= 0:
            return True
    return False
