"""Sentences and clauses of news text, with offsets into the article.

A regex splitter is enough for news prose and keeps extraction fast (no model to load):
it knows the abbreviations that end in a period in this domain ("U.S.", "Col.", "Gen.")
and mends glued sentences ("caliphate.According"). Clauses matter for dates and places:
"the offensive which was started ... in May" puts "in May" on the start of the offensive,
not on the air strikes of the main clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = ("U.S.", "U.N.", "U.K.", "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Col.", "Lt.",
                 "Maj.", "Sgt.", "Capt.", "Cpl.", "Brig.", "Adm.", "St.", "No.", "Jan.", "Feb.",
                 "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "approx.", "vs.", "e.g.",
                 "i.e.", "etc.", "Rep.", "Sen.", "Gov.", "Pres.", "Sheikh.")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]|(?:[A-Z]\.){2})")
#: Participles that open a clause describing the noun before them: ", held by IS for two
#: years," (its date is the holding's, not the main verb's).
PARTICIPLES = (r"(?:held|controlled|occupied|seized|captured|overrun|besieged|encircled|"
               r"surrounded|retaken|recaptured|taken|liberated|shelled|bombed)\s+by")
_CLAUSE = re.compile(r"(?:,\s*|\s+)(?=(?:which|who|whom|whose|where)\b)|[;:—–]\s*|\s+-\s+"
                     r"|,\s+(?=" + PARTICIPLES + r"\b)"
                     r"|,\s+(?=(?:a|an)\s+(?:\w+\s+){0,2}(?:city|town|village|area|region)\b)"
                     r"|,\s+(?=(?:while|as|after|before|when|since|although|but)\b)"
                     r"|\s+(?=(?:as|while|after|when)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}"
                     r"(?:forces|troops|fighters|militants|army|rebels|soldiers)\b)", re.I)
#: Clauses that modify a noun (relative clauses, appositives "a city seized by ...").
RELATIVE_START = re.compile(r"\s*(?:which|who|whom|whose|where|that|(?:a|an)\s+(?:\w+\s+){0,2}"
                            r"(?:city|town|village|area|region)\b|" + PARTICIPLES + r"\b)", re.I)


_RELATIVE_END = re.compile(r",\s+(?!(?:and|or|as\s+well\s+as)\b|\d)")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its offset in the article and its paragraph number."""

    text: str
    start: int
    paragraph: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class Clause:
    """A stretch of a sentence (offsets relative to the sentence); relative clauses flagged."""

    start: int
    end: int
    relative: bool


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, each with its start offset in ``text``."""
    out: list[Sentence] = []
    pos = 0
    for paragraph, block in enumerate(text.split("\n")):
        block_start = pos
        pos += len(block) + 1
        if not block.strip():
            continue
        start = 0
        for m in _BOUNDARY.finditer(block):
            cut = m.start()
            piece = block[start:cut]
            if any(piece.endswith(a) for a in ABBREVIATIONS) or re.search(r"\b[A-Z]\.$", piece):
                continue
            _add(out, block, start, m.end() if m.end() > cut else cut, block_start, paragraph)
            start = m.end()
        _add(out, block, start, len(block), block_start, paragraph)
    return out


#: Longer "sentences" (a page with no full stops, a list run together) are cut into pieces
#: of about this many characters at a space, so every later step works on bounded text.
MAX_SENTENCE_CHARS = 1500


def _add(out: list[Sentence], block: str, start: int, end: int, offset: int,
         paragraph: int) -> None:
    while end - start > MAX_SENTENCE_CHARS:
        cut = block.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        _add(out, block, start, cut, offset, paragraph)
        start = cut
    piece = block[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        out.append(Sentence(stripped, offset + start + lead, paragraph))


def clauses(sentence: str) -> list[Clause]:
    """Split a sentence at relative pronouns, semicolons, dashes and parentheses."""
    cuts = [0] + [m.start() for m in _CLAUSE.finditer(sentence) if m.start() > 0] + [len(sentence)]
    out: list[Clause] = []
    for a, b in zip(cuts, cuts[1:]):
        if b <= a:
            continue
        piece = sentence[a:b].lstrip(",;:—–-() ")
        # (a sentence's first word is no relative pronoun: "That changed in May" is a
        # main clause with a demonstrative)
        relative = a > 0 and bool(RELATIVE_START.match(piece))
        # "Ramadi, which IS seized in May, was encircled": a relative clause ends at the
        # next comma; what follows belongs to the main clause again
        end = _RELATIVE_END.search(sentence, a + (len(sentence[a:b]) - len(piece)) + 1, b) \
            if relative else None
        if end:
            out.append(Clause(a, end.start(), True))
            out.append(Clause(end.start(), b, False))
        else:
            out.append(Clause(a, b, relative))
    return out or [Clause(0, len(sentence), False)]


def clause_at(clause_list: list[Clause], offset: int) -> Clause:
    """The clause containing ``offset``."""
    for c in clause_list:
        if c.start <= offset < c.end:
            return c
    return clause_list[-1]
