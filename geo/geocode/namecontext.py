"""Where a minor place's exact name stands inside a person's or a firm's name.

Why: the gazetteer holds tens of thousands of villages, and the curated spellings
(``data/place_aliases.csv``) add the press forms of small towns ("Zahraa", "Maadan",
"Marea"). The same words are parts of people's and organisations' names: "Fatima
al-Zahraa said", "the commander, Maadan Ali,", "the Marea shipping firm". Read as places,
they put an event where nothing happened. A well-known town is rarely so used ("Mosul" in
a firm's name is still about Mosul), so the rules below apply to a minor place only
(``MINOR_IMPORTANCE``); the text scan (``Gazetteer.find_mentions``) asks ``named_not_placed``
before it keeps one.

Rows (construction, example, result, what still makes it a place), each pinned by its
example in ``tests/test_geocode_name_context.py``; no row names a place or a person:

| rule | construction | example | result | still a place when |
|---|---|---|---|---|
| after-given-name | GIVEN (al-)NAME, GIVEN-NAME | "Fatima al-Zahraa said", "Abdul-Zahraa" | no place | a settlement appositive or a place-only verb follows ("NAME, a village near", "NAME fell to", "NAME was shelled") |
| before-given-name | NAME GIVEN | "The commander, Maadan Ali, said" | no place | a strong place cue stands right before it ("in", "near", "captured", "the town of") |
| organisation | (the) NAME (one or two words) firm/company/... | "The Marea shipping firm said" | no place | a strong place cue stands right before the name, with no "the" |

GIVEN is a word of ``geo.core.lexicon.PERSON_NAMES`` (given names and the particles of
Arabic names: "Abu", "Umm", "bin", "Abdul"), capitalised (the verb "said" is no "Said").
Still read as before (pinned too): "the Battle of NAME", "the NAME Brigade", "Liwa NAME"
(a brigade is named for its town), "in NAME", "near NAME".

One row holds for every place, a well-known town too (``STREET_RULE``, ``names_a_street``):

| rule | construction | example | result | still a place when |
|---|---|---|---|---|
| street | NAME Street / Avenue / Boulevard (the type word capitalised) | "Police units moved along Kirkuk Street in the city centre" | no place: a street of the city the sentence is about, named for another town | never |
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from geo.core.lexicon import PERSON_NAMES

#: Below this importance a place is minor: its name is more often a part of someone's
#: name than a mention of it (the gazetteer's ``ALTERNATIVES_BELOW``, the geography's
#: ``MINOR_IMPORTANCE``: one scale).
MINOR_IMPORTANCE = 0.6


@dataclass(frozen=True)
class NameRule:
    """One construction in which a minor place's name is part of another name."""

    rule_id: str
    construction: str
    example: str
    yields: str
    unless: str


RULES: tuple[NameRule, ...] = (
    NameRule("after-given-name", "GIVEN (al-)NAME, GIVEN-NAME",
             "Fatima al-Zahraa said the house was hit.", "no place",
             "a settlement appositive or a place-only verb follows"),
    NameRule("before-given-name", "NAME GIVEN", "The commander, Maadan Ali, said.",
             "no place", "a strong place cue stands right before the name"),
    NameRule("organisation", "(the) NAME (one or two words) firm/company/...",
             "The Marea shipping firm said on Monday.", "no place",
             "a strong place cue stands right before the name, with no 'the'"),
)

#: A capitalised word (or a lowercase name particle) and the gap to the name after it:
#: a space, a space and an Arabic article ("Fatima al-"), or a hyphen ("Abdul-").
_WORD_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<word>[A-Z][a-z'’]+|bin|ibn|bint)(?:[ \t]+(?:(?:al|el|Al|El)-)?|-)$")
#: The word right after the name: capitalised, or a lowercase name particle.
_WORD_AFTER = re.compile(r"[ \t]+(?P<word>[A-Z][a-z'’]+|bin|ibn|bint)(?![\w'’-])")
#: After a name that a given name precedes: words only a place takes ("NAME, a village
#: near", "NAME fell to", "NAME was shelled"); not "was captured", "was freed" (people are).
_PLACE_ONLY_AFTER = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:town|city|village|hamlet|suburb|settlement)\b"
    r"(?!\s+(?:elder|official|council|councillor|mayor|chief|leader|head|resident|native|"
    r"spokes\w*|governor)\b)"
    r"|\s+(?:(?:was|were|has\s+been|had\s+been|is\s+being)\s+(?:shelled|bombed|besieged|"
    r"stormed|encircled|overrun)|(?:fell|falls|has\s+fallen|had\s+fallen)\s+(?:to|into\s+the\s+"
    r"hands\s+of)|(?:came|comes)\s+under\s+(?:\w+\s+)?(?:attack|fire|siege|shelling|"
    r"bombardment))\b")
#: A word that makes a phrase an organisation's name ("the NAME shipping firm").
_ORGANISATION_AFTER = re.compile(
    r"(?:[ \t]+(?!(?:and|or|of|in|on|at|to|the|its|their|his|her|was|were|is|are|has|had|"
    r"have|by|for|from|with|as|after|before|near)\b)[A-Za-z][\w&-]*){0,2}?[ \t]+"
    r"(?:firms?|compan(?:y|ies)|corporation|corp|co|ltd|inc|group(?!\s+of\b)|holdings?|"
    r"bank|airlines?|airways|enterprises?|agency|foundation|club|newspaper|channel|"
    r"tribe|clan|family)\b", re.IGNORECASE)

#: A street named for a town, in any city ("along NAME Street"): the town's name is no
#: place of the sentence, whatever the town's size (a city's main roads are named for the
#: towns they lead to). Pinned by its example in ``tests/test_geocode_name_context.py``.
STREET_RULE = NameRule("street", "NAME Street/Avenue/Boulevard (type word capitalised)",
                       "Police units moved along Kirkuk Street in the city centre.",
                       "no place", "never")
_STREET_AFTER = re.compile(r"[ \t]+(?:Street|Avenue|Boulevard)(?![\w'’-])")


def names_a_street(text: str, end: int) -> bool:
    """Whether the place name ending at ``end`` names a street ("NAME Street"), not the
    place: ``STREET_RULE``; asked for every place, a well-known town too."""
    return _STREET_AFTER.match(text, end) is not None


def _personal(word: str) -> bool:
    return word.lower() in PERSON_NAMES


def named_not_placed(text: str, start: int, end: int, cued: bool) -> str:
    """The rule (``RULES``) by which the name at ``text[start:end]`` is part of a person's
    or an organisation's name, not a place; "" when none applies. ``cued``: a strong
    place cue stands right before the name ("in", "captured", "the town of"; no "the"
    between). Ask only for a minor place (below ``MINOR_IMPORTANCE``): a known town's
    name is its own."""
    before = text[max(0, start - 40):start]
    m = _WORD_BEFORE.search(before)
    if m is not None and _personal(m.group("word")) and \
            not _PLACE_ONLY_AFTER.match(text, end):
        return "after-given-name"
    m = _WORD_AFTER.match(text, end)
    if m is not None and _personal(m.group("word")) and not cued:
        return "before-given-name"
    if not cued and _ORGANISATION_AFTER.match(text, end):
        return "organisation"
    return ""
