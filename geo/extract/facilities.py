"""Facilities named by their kind alone: "the refinery", "one of its air bases".

Why: reports name a facility once ("Kurdish forces took the Tishrin Dam") and then
refer to it by its kind ("two fighters were killed near the dam on Sunday"), or name
the kind first and the facility later ("jets bombed one of its air bases ... the jets
hit the Kuweires airbase"). Such a phrase is not "the town" of the story
(``events._topic_phrases``): it stands for the one facility of that kind the article
names. An article that names two refineries leaves "the refinery" unresolved.

The kinds, as a table (the facility noun in the text -> the gazetteer places it stands
for, by their type or a word of their name):

| noun in the text | places of the kind | example |
| --- | --- | --- |
| refinery | type ``refinery``, or "refinery" in the name | "a fire at the refinery" |
| air base, airbase, airfield, airport, base | types ``airbase``, ``airport``, ``base``; "air base", "airbase", "airport", "airfield" in the name | "a strike on one of its air bases" |
| dam, barrage | type ``dam``; "dam", "barrage" in the name | "fighting near the dam" |
| crossing, border crossing | type ``border crossing``; "crossing" in the name | "seized the crossing" |
| university, campus | types ``university``, ``campus`` named "University"; "university" in the name | "entered the campus" |
| oil field, oilfield | type ``oil field``; "oil field", "oilfield" in the name | "retook the oil field" |
| prison | type ``prison``; "prison" in the name | "stormed the prison" |
| camp | type ``camp``; "camp" in the name | "shelled the camp" |
| bridge | type ``bridge``; "bridge" in the name | "blew up the bridge" |
| citadel | type ``citadel``; "citadel" in the name | "reached the citadel" |

A phrase names the facility only as a definite or possessive noun phrase ("the",
"this", "its", "their", "one of its ..."), not followed by "of" ("the refinery of Baiji"
names its place itself), and not where a place is already found in the text.

A quarter or a facility the gazetteer does not know ("Zaghir district", "Gharb Zaghir oil
field", ``named_parts``) is read as a part of a town: the town named right after it
("the X oil field near Kirkuk", "the X district of Mosul") or, with none, the article's
own town, located *near* it (a coarser geo_precision), never nowhere:

| construction | example | place |
| --- | --- | --- |
| a facility phrase the article names no facility for, a town after "of/in/near/east of" | "the airfield south of the city" | the town, near |
| unknown name + facility noun, a town after "of/in/near/east of" | "the X oil field near Kirkuk" | Kirkuk, near |
| unknown name + quarter noun, a town after "of/in" | "took the Zahra district of Mosul" | left to the rules of parts of a named town |
| unknown name + part noun, no town named with it | "also took control of the Zaghir district" | the article's town, near |
| a known place, a force, a demonym or a common word as the name | "the Iraqi oil field", "the Mosul district" | not this rule |
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from geo.core.lexicon import STOP_KEYS
from geo.core.records import Place
from geo.core.rulescan import Prefilter


@dataclass(frozen=True)
class FacilityKind:
    """One row of the table above."""

    kind: str
    nouns: str                       # regex alternatives for the noun in running text
    place_types: frozenset[str]
    name_words: tuple[str, ...]      # lower-case words of a place name that show the kind


FACILITY_KINDS: tuple[FacilityKind, ...] = (
    FacilityKind("refinery", r"(?:oil\s+)?refinery", frozenset({"refinery"}), ("refinery",)),
    FacilityKind("air base", r"air\s*bases?|air\s*fields?|(?:military\s+)?airports?|bases?",
                 frozenset({"airbase", "airport", "base"}),
                 ("air base", "airbase", "airport", "airfield")),
    FacilityKind("dam", r"dams?|barrages?", frozenset({"dam"}), ("dam", "barrage")),
    FacilityKind("crossing", r"(?:border\s+)?crossings?", frozenset({"border crossing"}),
                 ("crossing",)),
    FacilityKind("university", r"university|campus", frozenset({"university"}),
                 ("university",)),
    FacilityKind("oil field", r"oil\s*fields?", frozenset({"oil field"}),
                 ("oil field", "oilfield")),
    FacilityKind("prison", r"prisons?", frozenset({"prison"}), ("prison",)),
    FacilityKind("camp", r"camps?", frozenset({"camp"}), ("camp",)),
    FacilityKind("bridge", r"bridges?", frozenset({"bridge"}), ("bridge",)),
    FacilityKind("citadel", r"citadel", frozenset({"citadel"}), ("citadel",)),
)

_NOUN_KIND = [(re.compile(rf"(?:{k.nouns})$", re.I), k) for k in FACILITY_KINDS]

#: "the refinery", "the damaged refinery", "its air base", "one of its air bases"; never
#: "the refinery of X" (the phrase names its place) nor "the refinery's" (a possessor).
_PHRASE = re.compile(
    r"\b(?:(?:one|some)\s+of\s+)?(?:the|this|that|its|their)\s+(?:(?!of\b)[a-z][\w'-]*\s+){0,2}?"
    r"(?P<noun>" + "|".join(k.nouns for k in FACILITY_KINDS) + r")\b(?!\s+of\b|['’])")
#: The facility nouns alone: a sentence without one has no such phrase (asked first, as
#: most sentences name no facility; a search for the phrase tries every "the").
_NOUN = Prefilter.compile(r"(?:" + "|".join(k.nouns for k in FACILITY_KINDS) + r")\b")
#: A plural noun stands for one facility only after "one of" ("one of its air bases").
_PLURAL = re.compile(r"s$", re.I)


def kind_of_noun(noun: str) -> FacilityKind | None:
    """The facility kind a noun of the text names ("air base" -> the air-base row)."""
    noun = re.sub(r"\s+", " ", noun.strip())
    for pattern, kind in _NOUN_KIND:
        if pattern.fullmatch(noun):
            return kind
    return None


def kinds_of_place(place: Place) -> list[FacilityKind]:
    """The facility kinds a gazetteer place is (none for a town)."""
    return list(_kinds(place.name, place.place_type))


@lru_cache(maxsize=4096)
def _kinds(name: str, place_type: str) -> tuple[FacilityKind, ...]:
    """``kinds_of_place`` by the place's name and type (remembered: asked for every
    place of every sentence)."""
    name = name.lower()
    return tuple(k for k in FACILITY_KINDS
                 if place_type in k.place_types or any(w in name for w in k.name_words))


class _Hit(Protocol):
    """What this module needs of a place hit (``events.PlaceHit``)."""

    @property
    def place(self) -> Place: ...

    @property
    def topic(self) -> bool: ...

    @property
    def reference(self) -> bool: ...


HitLike = TypeVar("HitLike", bound=_Hit)


def article_facilities(hit_lists: Iterable[Sequence[HitLike]]) -> dict[str, HitLike]:
    """Kind -> the one place of that kind the article names (kinds it names two or more
    different places of are left out: "the refinery" would be ambiguous)."""
    seen: dict[str, dict[str, HitLike]] = {}
    for hits in hit_lists:
        for h in hits:
            if h.topic or h.reference:
                continue
            for kind in kinds_of_place(h.place):
                seen.setdefault(kind.kind, {}).setdefault(h.place.place_id or h.place.name, h)
    return {kind: next(iter(places.values())) for kind, places in seen.items()
            if len(places) == 1}


def facility_phrases(text: str, facilities: dict[str, HitLike],
                     taken: Sequence[tuple[int, int]]) -> list[tuple[int, int, HitLike]]:
    """(start, end, named facility) for each phrase of ``text`` that stands for one of
    the article's facilities; ``taken``: spans already read as places or forces."""
    if not facilities or not _NOUN.may_match(text):
        return []
    out: list[tuple[int, int, HitLike]] = []
    for m in _PHRASE.finditer(text):
        noun = m["noun"]
        if _PLURAL.search(noun) and not m.group(0).lower().startswith(("one ", "some ")):
            continue
        if noun.lower() == "bases" and not m.group(0).lower().startswith("one "):
            continue
        kind = kind_of_noun(noun)
        hit = facilities.get(kind.kind) if kind else None
        if hit is None or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append((m.start(), m.end(), hit))
    return out


def unresolved_facilities(text: str, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of facility phrases ("the military airport") on no place or force already
    found: what a town named right after them may locate (``TOWN_AFTER``)."""
    out: list[tuple[int, int]] = []
    if not _NOUN.may_match(text):
        return out
    for m in _PHRASE.finditer(text):
        if _PLURAL.search(m["noun"]) or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append((m.start(), m.end()))
    return out


#: Nouns of a part of a town or of a facility near one, after a name the gazetteer lacks.
PART_NOUNS = (r"districts?|neighbou?rhoods?|quarters?|oil\s*fields?|gas\s*fields?|"
              r"refinery|air\s*base|airbase|airfield|airport|camp|dam|university|"
              r"(?:border\s+)?crossing|prison|bridge|hospital|stadium|citadel|base")
#: "Zaghir district", "al-Zaghira neighbourhood", "Gharb Zaghir oil field" (one to three
#: capitalised words, an Arabic article allowed inside).
_NAMED_PART = re.compile(
    r"(?<![\w'’-])(?P<name>(?:(?:al|el|an|ar|as|ash|ad|at|az)-)?[A-Z][\w'’]+(?:-[\w'’]+)?"
    r"(?:\s+(?:(?:al|el|an|ar|as|ash|ad|at|az)-)?[A-Z][\w'’]+(?:-[\w'’]+)?){0,2})"
    # one descriptive word may stand between ("K9 army base", a word broken at a line
    # end in a print copy: "K9 mil- itary base"), never a function word
    r"\s+(?:(?!(?:of|the|and|or|in|at|on|to|a|an|from|by|with|near)\s)[a-z]+(?:-\s?[a-z]+)?\s+)?"
    r"(?P<noun>" + PART_NOUNS + r")\b")

#: (its nouns, asked about the sentence first: most name no quarter or facility)
_PART_NOUN = Prefilter(_NAMED_PART)


def named_parts(text: str, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of quarters and facilities named by a name no place or force was found in
    (``taken``): "Zaghir district", "Gharb Zaghir oil field"."""
    out: list[tuple[int, int]] = []
    if not _PART_NOUN.may_match(text):
        return out
    for m in _NAMED_PART.finditer(text):
        start, end = m.start("name"), m.end()
        if any(s < end and start < e for s, e in taken):
            continue
        words = [w.split("-")[-1].lower().strip("'’") for w in m["name"].split()]
        if any(w in STOP_KEYS for w in words):
            continue      # "the Iraqi oil field", "the New district", "Thursday's camp"
        if start > 0 and text[:start].rstrip()[-1:] in ".!?" or start == 0:
            if len(words) == 1:
                continue  # "Military district ..." opening a sentence: a word, not a name
        out.append((start, end))
    return out


_QUARTER = re.compile(r"(?:districts?|neighbou?rhoods?|quarters?)$", re.I)


def is_quarter(mention: str) -> bool:
    """Whether a part's mention names a quarter of a town ("X district"), not a facility."""
    return bool(_QUARTER.search(mention.strip()))


_PART_END = re.compile(r"\S\s+(?:" + PART_NOUNS + r")$", re.I)


def is_facility_name(name: str) -> bool:
    """Whether a gazetteer place's name says it is a facility ("Baiji Oil Refinery")."""
    low = name.lower()
    return any(w in low for k in FACILITY_KINDS for w in k.name_words)


@lru_cache(maxsize=4096)
def names_a_part(mention: str, place_name: str) -> bool:
    """Whether a mention located at the town ``place_name`` names a quarter or facility
    of it ("Zaghir district", "the airfield south of the city"): a capture there is
    not a capture of the town itself. At a facility's own point ("the refinery" at Baiji
    Oil Refinery) the mention is the facility, no part of anything."""
    return not is_facility_name(place_name) and bool(_PART_END.search(mention.strip()))
