"""From one sentence to events: which trigger, which place, which forces, which date.

The rules, in the order they are applied (each is general news grammar, none is written
for one article):

1. Triggers (``triggers.py``) that are hypothetical ("to retake", "will launch") are dropped.
2. Place: a capture's object is the first place after an active verb ("IS seized Ramadi"),
   the place before a passive one ("Raqqa, a city seized by IS"), the antecedent of
   "which" ("Raqqa, which IS seized in 2014"), the place after "fall of"; a list after the
   verb ("recapturing Ramadi, Tikrit, and Baiji") gives one event per place. Other events
   take the nearest place in their clause. A place named only as an objective
   ("an offensive to liberate Raqqa") is not where anything happened. Without a place in
   the sentence, a strong trigger with a named force inherits the previous sentence's place.
   A country alone is too coarse to map: no event.
3. Actors: actor1 is the nearest force before an active trigger in its clause, the force
   after "by" (passive) or "to" ("fell to IS"); actor2 the force after "from", "against",
   "on", "targeting", "over". "X-backed" and "X-led" are modifiers, not actors. Generic
   "government troops" become the government of the place's country. A sentence with no
   force inherits the previous sentence's first actor.
4. Date: the date expression in the trigger's clause, else in the main clause (a date in a
   relative clause belongs to that clause), else the previous sentence's explicit date
   when the sentence refers back to it ("the operation", "the attack"), else the
   publication date as a week-long window (precision 2). Undated articles give undated
   events.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache, wraps
from typing import Protocol

import ahocorasick
from geopy.distance import geodesic

from geo.core.codebook import COUNTRY_TABLE
from geo.core.dates import DateMention, find_dates, precision_for
from geo.core.districts import DISTRICT_TYPES, seat_of
from geo.core.forces import ForceMention, ForceTable
from geo.core.lexicon import DISTRICT_AFTER, MONTHS_AND_DAYS, PERSON_NAMES
from geo.core.records import (
    Event,
    Evidence,
    GeoPrecision,
    Mention,
    Place,
    TimePrecision,
    ongoing_tag,
)
from geo.core.roles import (
    BACKING_PHRASE,
    backer_after,
    modifier_after,
    object_before,
    serves_before,
    target_before,
)
from geo.core.roles import WINDOW as ROLE_WINDOW
from geo.core.roles import alternatives as role_alternatives
from geo.core.rulescan import (
    CASE_TRAPS,
    DIGIT,
    WORD_START,
    Prefilter,
    required_literals,
    word_text,
)
from geo.core.theatre import haversine_km
from geo.extract.facilities import (
    facility_phrases,
    is_quarter,
    kinds_of_place,
    named_parts,
    names_a_part,
    unresolved_facilities,
)
from geo.extract.sentences import PARTICIPLES, Clause, Sentence, clause_at, clauses
from geo.extract.syntax import Mark, Parse, Roles
from geo.extract.triggers import (
    CAPTURE,
    CIVILIANS,
    DENYING,
    DISMISSING,
    FIGHT,
    STRIKE,
    Trigger,
    TriggerRule,
    find_triggers,
    is_hypothetical,
)

COUNTRY_TYPES = {"country", "empire", "continent"}
REGION_TYPES = {"region", "macroregion", "province", "governorate"}
COARSE_TYPES = {"county", "district", "river", "border", "mountain", "mountains", "plain",
                "desert", "area"}
_OBJECTIVE_BEFORE = re.compile(r"\bto\s+(?:\w+\s+)?(?:liberate|retake|re-take|capture|recapture|"
                               r"seize|free|oust\s+\w+\s+from|take|storm|clear)\s+"
                               r"(?:\w+\s+){0,4}$"
                               r"|\b(?:would|will|could)\s+(?:\w+\s+){0,2}$", re.I)
#: "allowing the military to retake X" reports that X was retaken: no mere objective.
_ENABLING = Prefilter.compile(r"\b(?:allow|enabl|help|permitt?)\w*\s+(?:[\w-]+\s+){0,3}to\s+\w+\s+"
                       r"(?:\w+\s+){0,4}$", re.I)


@lru_cache(maxsize=1024)
def _can_match(pattern: Prefilter, text: str) -> bool:
    """Whether ``pattern`` can match anywhere in the sentence ``text`` (its required
    literals: ``Prefilter.may_match``). Asked once per sentence and pattern, it spares
    the windows of every draft of a sentence that names none of them (a sentence dense
    with events makes about seven drafts, each asking about every force or place)."""
    return pattern.may_match(text)


class _Cue:
    """What every match of some window patterns holds (lower-case words), searched once in
    a whole sentence: a sentence without it needs none of those windows searched.

    Asked first whether the sentence's words (``word_text``) hold one of the cue's
    required literals (those of every cue, in one pass: ``_cue_literals_in``), then
    searched. A
    case-blind search is slow (every position, every case), so a sentence without a case
    trap (``CASE_TRAPS``: "ſ" matches "s" case-blind) is lower-cased and searched as it
    is, which gives the same answer."""

    def __init__(self, pattern: str) -> None:
        self._lower = re.compile(pattern)
        self._any_case = re.compile(pattern, re.I)
        #: (in the sentence's words, ``word_text``: "to " is not in "retook"; a word
        #: start here is a real character before the word, the cue having no ``\b``)
        literals = required_literals(self._lower, words=True)
        self.literals = None if literals is None or DIGIT in literals else frozenset(
            x.replace(WORD_START, " ") for x in literals)
        if _cue_automaton.cache_info().currsize:
            raise RuntimeError("a cue is made at import, before any sentence is asked about")
        self.index = len(_CUES)
        _CUES.append(self)

    def found_in(self, text: str) -> bool:
        trapped = not text.isascii() and _CASE_TRAP.search(text) is not None
        if trapped:
            return self._any_case.search(text) is not None
        if self.literals is not None and self.index not in _cue_literals_in(text):
            return False
        return self._lower.search(_lowered(text)) is not None


@cache
def _cue_automaton() -> ahocorasick.Automaton:
    """The required literals of every cue, each naming the cues that require it."""
    owners: dict[str, list[int]] = {}
    for cue in _CUES:
        for literal in cue.literals or ():
            owners.setdefault(literal, []).append(cue.index)
    automaton = ahocorasick.Automaton()
    for literal, indices in owners.items():
        automaton.add_word(literal, tuple(indices))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=64)
def _cue_literals_in(text: str) -> frozenset[int]:
    """The cues one of whose required literals the sentence's words hold."""
    found: set[int] = set()
    for _, indices in _cue_automaton().iter(word_text(text)):
        found.update(indices)
    return frozenset(found)


@lru_cache(maxsize=1024)
def _cued(cue: _Cue, text: str) -> bool:
    """``cue.found_in(text)``, asked once per sentence."""
    return cue.found_in(text)


#: Every cue, by its index.
_CUES: list[_Cue] = []
_CASE_TRAP = re.compile("[" + "".join(sorted(CASE_TRAPS)) + "]")


@lru_cache(maxsize=64)
def _lowered(text: str) -> str:
    return text.lower()


#: Words every ``_OBJECTIVE_BEFORE`` match holds (without its leading ``\b``, which a
#: window cut inside a word satisfies): a sentence without one names no goal.
_OBJECTIVE_CUE = _Cue(r"(?:to|would|will|could)\s")


@lru_cache(maxsize=64)
def _may_name_goal(text: str) -> bool:
    """Whether a place of the sentence can be named as a goal (``_objective``)."""
    return _OBJECTIVE_CUE.found_in(text)


@lru_cache(maxsize=4096)
def _objective(window: str) -> bool:
    """Whether the words before a place make it the goal of an operation, not its site
    (remembered: every draft of a sentence asks about the same places)."""
    return bool(_OBJECTIVE_BEFORE.search(window)) and not _ENABLING.search(window)


#: The compass points as news writes them ("northeast", "north-east"), one definition for
#: every rule that reads a direction ("north of X", "40 km southwest of X").
COMPASS = r"(?:north-?east|north-?west|south-?east|south-?west|north|south|east|west)"
#: After a quarter or facility: the town it lies in or near ("of Mosul", "east of the
#: city", "in the town of Kirkuk"); before it: the town it belongs to ("Mosul's").
TOWN_AFTER = re.compile(r"\s*,?\s*(?:(?:just\s+)?" + COMPASS + r"\s+of|of|in|near|outside)\s+"
                        r"(?:the\s+)?(?:(?:[\w-]+\s+){0,2}?(?:city|town)\s+of\s+)?", re.I)
TOWN_BEFORE = re.compile(r"['’]s?\s+(?:the\s+)?")
_NEAR_BEFORE = Prefilter.compile(r"\b(?:outskirts\s+of|near|nearby|outside(?:\s+of)?|around|"
                          + COMPASS + r"(?:ern)?\s+(?:of|outskirts\s+of)|edge\s+of|gates\s+of|approaches\s+to|"
                          r"towards?|neighbou?rhoods?\s+(?:of|in)|districts?\s+of)\s+"
                          r"(?:\w+\s+){0,5}$", re.I)
@lru_cache(maxsize=4096)
def _object_word_before(window: str) -> bool:
    """Whether the words before a force make it an object, not the subject
    (``geo.core.roles``; remembered: every draft of a sentence asks about the same
    forces)."""
    return object_before(window)


_LAUNCH = re.compile(r"\b(?:launch(?:ed|es|ing)?|beg[au]n|start(?:ed|s)?|open(?:ed|s)?|"
                     r"announc(?:ed|es))\b", re.I)
_PARTIAL = Prefilter.compile(r"\b(?:neighbou?rhoods?|districts?|parts?\s+of|half\s+of|areas?\s+of|"
                      r"outskirts|edge|villages?\s+(?:near|around))\b", re.I)
#: "the attack", "this offensive", "the fighting": a noun that points back at an event
#: told before.
_ANAPHOR_NOUN = re.compile(r"\b(?:the|this|these|those|its|their)\s+(?:\w+\s+)?(?:attacks?|"
                           r"assault|battle|offensive|operations?|campaign|fighting|clashes|"
                           r"strikes?|airstrikes?|air\s+strikes?|raids?|siege|push|advance|combat|"
                           r"bombings?|blast|explosion)$", re.I)
#: "commander of military operations", "head of the campaign": an office, not an event.
_OFFICE_BEFORE = Prefilter.compile(r"\b(?:commander|head|chief|director|spokes(?:man|woman|person)|"
                            r"leader|minister)\s+(?:of|for)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
#: Dates that point back: "later that year", "the same month", "that day", "since then", "a week
#: later", "two days earlier", "the next day" (the last three counted on, or back, from the
#: date told before).
_BACK_DATE = Prefilter.compile(r"\b(?:(?P<when>later|earlier)\s+)?(?:that|the\s+same)\s+"
                        r"(?P<what>year|month|day)\b|\bsince\s+(?P<then>then)\b"
                        r"|\b(?:the|its|their)\s+(?:\w+\s+)?(?:operation|offensive|campaign|"
                        r"battle|war|assault|siege)['’]s\s+(?:early|first|opening)\s+"
                        r"(?P<span>days|weeks|months)\b"
                        r"|\b(?P<n>an?|one|two|three|four|five|six|seven|\d{1,2})\s+"
                        r"(?P<unit>days?|weeks?|months?)\s+(?P<dir>later|earlier)\b"
                        r"|\b(?:the\s+)?(?:next|following)\s+(?P<next>day|morning|week|month)\b",
                        re.I)
#: Days in a unit of "N units later" (a month counted as 30 days: the window is wide).
_UNIT_DAYS = {"day": 1, "morning": 1, "week": 7, "month": 30}
#: "the operation's early weeks": how long after the start that reaches.
_EARLY_SPAN = {"days": 7, "weeks": 42, "months": 92}
_ANAPHORA = re.compile(r"\b(?:the|this|that|their|its)\s+(?:operation|offensive|attack|assault|"
                       r"campaign|advance|push|battle|strikes?|raid)\b", re.I)
#: "the operation had received air support": the operation the story tells, supported
_THE_OPERATION = re.compile(r"\b(?:the|this)\s+(?:operation|offensive|push|campaign|assault)"
                            r"\s+(?:\w+\s+){0,2}(?:received|had|has|got|was|is|enjoyed)\b", re.I)
_FATALITIES = Prefilter.compile(
    r"(?:\b(?:at\s+least|more\s+than|over|some|nearly|about)\s+)?\b(?P<n>\d[\d,]*|two|three|four|five|"
    r"six|seven|eight|nine|ten|dozens|hundreds)\s+(?:\w+\s+){0,3}?(?:were\s+|have\s+been\s+|had\s+been\s+)?"
    r"(?:killed|dead|died|executed)|\bexecuted\s+(?P<n2>\d[\d,]*)"
    r"|\b(?:killing|killed|kills)\s+(?:at\s+least\s+|more\s+than\s+|some\s+|about\s+|nearly\s+)?"
    r"(?P<n3>\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds)\b",
    re.I)
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "dozens": 24, "hundreds": 200}
#: Notes prefix of an event placed near the objective of an operation (no other place given).
OBJECTIVE_NOTE = "[near objective] "
#: Notes prefix of a partial capture (part of the town taken, fighting inside): the
#: control rules read it (``geo.control.claims.INSIDE_TAGS``).
PARTIAL_NOTE = "[partial] "


class PlaceMentionLike(Protocol):
    """What the gazetteer's ``find_mentions`` returns for a toponym in text."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def surface(self) -> str: ...
    @property
    def candidates(self) -> Sequence[Place]: ...


class PlaceFinder(Protocol):
    def find_mentions(self, text: str) -> Sequence[PlaceMentionLike]: ...


@dataclass(slots=True)
class PlaceHit:
    """A resolved place mention in a sentence."""

    start: int
    end: int
    text: str
    place: Place
    candidates: tuple[Place, ...]
    #: Places of other spellings of the name (the gazetteer's ``alternatives``): readings
    #: the article's geography may prefer (``geography.choose_readings``).
    alternatives: tuple[Place, ...] = ()
    objective: bool = False     # named only as the goal of an operation ("to retake X")
    reference: bool = False     # a landmark in a distance phrase ("40 km north of X")
    direction: bool = False     # a landmark of a direction ("north of X"): near, not at
    topic: bool = False         # a phrase standing for the article's town ("the city")
    #: located only near its place: a name listed before "east of X" whose reading lies
    #: far from X is placed near X (``geography.apply_landmarks``)
    near: bool = False

    @property
    def is_country(self) -> bool:
        return self.place.place_type in COUNTRY_TYPES


@dataclass
class SentenceContext:
    """What a sentence hands to the next one (discourse carry-over)."""

    place: PlaceHit | None = None
    actor: str = ""
    date: DateMention | None = None
    any_date: DateMention | None = None      # the last date named, explicit or relative
    prev_date: DateMention | None = None     # the previous sentence's last date, if any
    paragraph: int = -1


@dataclass
class Prepared:
    """A sentence's mentions: every force (``all_forces``), those that can be actors
    (``forces``: "US-backed" is a modifier), places and non-hypothetical triggers."""

    sent: Sentence
    all_forces: list[ForceMention]
    forces: list[ForceMention]
    hits: list[PlaceHit]
    triggers: list[Trigger]
    #: The force mentions named as backers (``_backers``), found once.
    backing: list[ForceMention] | None = field(default=None, repr=False, compare=False)
    #: Answers about the sentence that do not depend on the draft (``_per_sentence``).
    memo: dict[tuple[str, str], list[str]] = field(default_factory=dict, repr=False,
                                                   compare=False)

    @property
    def fatalities(self) -> int:
        """The largest death toll the sentence states (computed once)."""
        if not hasattr(self, "_fatalities"):
            self._fatalities = _fatalities(self.sent.text)
        return self._fatalities


#: (a name for the type inside ``Draft``, whose field ``date`` hides it)
_Day = date


@dataclass
class Draft:
    """An event under construction, before deduplication."""

    trigger: Trigger
    place: PlaceHit
    actor1: str = ""
    actor2: str = ""
    assoc: str = ""
    date: DateMention | None = None
    date_inherited: bool = False
    place_inherited: bool = False
    near: bool = False
    partial: bool = False
    fatalities: int = 0
    mentions: list[Mention] = field(default_factory=list)
    confidence: float = 0.5
    #: The report's day, when the sentence says the state still holds then ("has been
    #: besieged since 2013"): the event keeps its start, its notes say how long it lasted.
    ongoing: _Day | None = None
    #: The date is a report's day and the event was told as done by then ("announced on
    #: Thursday they had taken C"): the event's date is that day, its interval reaches
    #: back before it (``REPORTED_DAYS``).
    by_report: bool = False


def mark_landmarks(text: str, hits: list[PlaceHit]) -> list[PlaceHit]:
    """Mark the places that only locate something else: the landmark of a distance
    ("250 km north of X") or of a direction ("just south of X"), and a dateline
    ("BEIRUT")."""
    # (each pattern asked first about the whole sentence: most name no distance)
    distance, direction, destination = (_can_match(p, text) for p in (
        _DISTANCE_BEFORE, _DIRECTION_BEFORE, _DESTINATION_BEFORE))
    out = [replace(h, reference=True) if distance and _DISTANCE_BEFORE.search(
               text[max(0, h.start - 70):h.start])
           or (h.text.isupper() and len(h.text) > 3)     # a dateline ("BEIRUT")
           else replace(h, direction=True) if direction and _DIRECTION_BEFORE.search(
               text[max(0, h.start - 40):h.start])
           else h for h in hits]
    # where a force withdrew or fled to ("withdrew towards X and Y") is not where it fought
    for i, h in enumerate(out if destination else ()):
        prev = out[i - 1] if i else None
        if _DESTINATION_BEFORE.search(text[max(0, h.start - 60):h.start]) or (
                prev is not None and prev.reference and _LIST_GAP.fullmatch(text, prev.end, h.start)
                and _DESTINATION_BEFORE.search(text[max(0, prev.start - 60):prev.start])):
            out[i] = replace(h, reference=True)
    return out




def _seat_town(place: Place, cands: tuple[Place, ...], sentence: str, end: int,
               surface: str) -> Place:
    """A district and the town it is named for share the name ("Shirqat" is both): a name
    standing alone names the town, the district's seat among the mention's readings
    (``geo.core.districts.seat_of``), unless a word after it says the district ("the X
    district")."""
    if place.place_type not in DISTRICT_TYPES or DISTRICT_AFTER.match(sentence, end) \
            or DISTRICT_AFTER.search(surface):
        return place
    return seat_of(place, cands) or place


def place_hits(finder: PlaceFinder, sentence: str) -> list[PlaceHit]:
    out = []
    for m in finder.find_mentions(sentence):
        cands = tuple(getattr(m, "candidates", ()) or ())
        place = getattr(m, "place", None) or (cands[0] if cands else None)
        if place is None:
            continue
        surface: str = getattr(m, "surface", "") or getattr(m, "text", "")
        seat = _seat_town(place, cands, sentence, m.end, surface)
        if seat is not place:
            place, cands = seat, (seat, *(c for c in cands if c is not seat))
        out.append(PlaceHit(m.start, m.end, surface, place, cands,
                            tuple(getattr(m, "alternatives", ()) or ())))
    return out


#: Between a named force and a generic word that is its own ("Turkish ground troops"):
#: a space, or one word that qualifies a force (never a verb: "Syrian jets struck rebel
#: positions").
_NAMED_OWN_GAP = re.compile(r"\s+(?:(?:ground|special|elite|regular|army|armed|air|naval|"
                            r"security|military|defen[cs]e|foreign|government|backed|allied|"
                            r"commando|infantry|armou?red)\s+)?", re.I)


def _served_heads(forces: list[ForceMention], sentence: str) -> list[ForceMention]:
    """The mentions with a generic word that serves the named force after it read as that
    force: "militants affiliated with the Nusra Front", "jihadists loyal to IS" are the
    named force's men (the role table's serving row), not whoever "militants" alone
    would stand for."""
    out = list(forces)
    for i, m in enumerate(forces[:-1]):
        nxt = forces[i + 1]
        if m.generic and not nxt.generic and nxt.start - m.end <= ROLE_WINDOW and \
                serves_before(sentence[m.end:nxt.start]):
            out[i] = replace(m, force_id=nxt.force_id, generic=False)
    return out


def _actors(forces: list[ForceMention], sentence: str) -> list[ForceMention]:
    """Force mentions that can be actors: "US-backed" and "US-led" are modifiers."""
    out = []
    for i, m in enumerate(forces):
        if modifier_after(sentence, m.end):
            continue
        # "militants Kataib Hezbollah": the generic word is an apposition of the name
        nxt = forces[i + 1] if i + 1 < len(forces) else None
        if m.generic and nxt and nxt.start - m.end <= 2 and not nxt.generic:
            continue
        # "Turkish ground troops", "the Turkish prime minister": the name says whose
        prev = forces[i - 1] if i > 0 else None
        if m.generic and prev is not None and not prev.generic and \
                _NAMED_OWN_GAP.fullmatch(sentence, prev.end, m.start):
            continue
        out.append(m)
    return out


#: No single event kills more people than this; a larger figure in a sentence is a
#: misreading (a year, a phone number, a population) and is not taken as fatalities.
MAX_FATALITIES = 100_000


def _fatalities(sentence: str) -> int:
    best = 0
    for m in _FATALITIES.finditer(sentence):
        raw = (m["n"] or m["n2"] or m["n3"] or "").lower().replace(",", "")
        if raw.isdigit():
            # never int() a huge digit string: Python refuses more than 4,300 digits
            n = int(raw) if len(raw) <= 6 else MAX_FATALITIES + 1
        else:
            n = _WORD_NUMBERS.get(raw, 0)
        if n <= MAX_FATALITIES:
            best = max(best, n)
    return best


#: The gaps and windows ``_pick_actors`` reads, compiled once (they are asked per draft).
#: Right after a trigger, the force it ends on: "under the control of [the] IS".
_THE_GAP = re.compile(r"\s*(?:the\s+)?")
#: "the advance of [the] Syrian troops", "air power of Russia".
_OF_THE_GAP = re.compile(r"\s+of\s+(?:the\s+)?", re.I)
#: A possessive after a force: "Turkey's operation".
_OWNER_AFTER = re.compile(r"['’]s?\s")
#: "fell to fighters from the Islamic State": a word, then "from" or "of".
_WORD_FROM_AFTER = re.compile(r"\s*(?:the\s+)?[\w'-]+\s+(?:from|of)\s")
#: From a force to its event noun: "ISIS takeover", "the SDF's capture".
_OWNER_GAP = re.compile(r"\s*(?:'s|’s)?\s*")


@cache
def _after_word_pattern(words: str) -> re.Pattern[str]:
    """"<word> [the] [up to three words]" ending where a force is named ("driven out by
    the elite SDF"); compiled once per word list (it is asked for per event draft)."""
    return re.compile(r"\b(?:" + words + r")\s+(?:the\s+)?(?:(?!" + _CLAUSE_WORD + r")[\w.'-]+\s+)"
                      r"{0,3}$", re.I)


#: A word that opens another clause: "fighting continued on Saturday as government forces
#: pushed in" names no force "on" whom anything happened.
_CLAUSE_WORD = r"(?:as|while|after|when|whereas|but|since|before|because|which|who|where)\b"


class SentenceExtractor:
    """Turns sentences into draft events, carrying context from one sentence to the next."""

    def __init__(self, places: PlaceFinder, forces: ForceTable, published: date | None) -> None:
        self.places = places
        self.forces = forces
        self.published = published
        self.context = SentenceContext()
        #: The article's own town (``topic_place``): what "the city", "the town" and
        #: "it" stand for. Set by the pipeline before the first sentence.
        self.topic: PlaceHit | None = None
        #: The towns that could be the article's, best first (``topic_places``).
        self.topics: list[PlaceHit] = []
        #: Where the lede ends (article offset: the end of the story's third sentence)
        #: when the headline or the lede names the article's town (the pipeline sets
        #: it): there "a key town north of X" introduces that town.
        self.lede_end = -1
        #: The article's named towns (the pipeline sets them): "Iraq's second city" is one.
        self.towns: list[PlaceHit] = []
        #: The date of a caption's own date line, when the next line is one (the pipeline
        #: sets it before each sentence).
        self.caption_date: DateMention | None = None
        #: Names already seen used as people's names ("Adel Abdul Mahdi" -> "mahdi").
        self.people: set[str] = set()
        #: District names already seen as parts of a city (lower-case name -> the city).
        self.parts: dict[str, PlaceHit] = {}
        #: Where the last siege the article told was ("besieged in X"): the place of a
        #: later "broke the siege".
        self.siege_place: PlaceHit | None = None
        #: The taker of the last capture the article told with a named force: who "the
        #: fighters also captured X" are.
        self.last_taker = ""
        #: Districts located by their own point -> the city they were named as part of
        #: (place ids): reports of one event "in the city" and "in its district" merge.
        self.within: dict[str, Place] = {}
        #: The month of an article dated by a month-only dateline (the pipeline sets
        #: it): what a date relative to the report's day, or none, becomes.
        self.month: DateMention | None = None
        #: Facility kind -> the one facility of that kind the article names (the
        #: pipeline sets them): what "the refinery" stands for (``facilities.py``).
        self.facilities: dict[str, PlaceHit] = {}
        #: ``_specific`` answers of the sentence being drafted, by the identity of the
        #: places asked about (those of the sentence, alive while it is drafted).
        self._specific_memo: dict[tuple[int, ...], tuple[list[PlaceHit], dict[str, PlaceHit],
                                                         dict[str, Place]]] = {}

    def prepare(self, sent: Sentence) -> Prepared:
        """What the sentence names (forces, places, dates, triggers), before any parse."""
        text = sent.text
        all_forces = _served_heads(self.forces.find_mentions(text), text)
        hits = []
        for h in place_hits(self.places, text):
            if any(f.start < h.end and h.start < f.end for f in all_forces):
                continue
            if h.text.lower() in self.people or _person_or_title(text, h):
                self.people.add(h.text.lower())    # "Mahdi" stays a person afterwards
                continue
            if _metonym(text, h):
                continue

            hits.append(h)
        hits = mark_landmarks(text, hits)
        hits = [self._known_part(h) for h in hits]
        hits = [self._in_topic_country(h) for h in hits]
        triggers = [t for t in find_triggers(text) if not is_hypothetical(text, t)
                    and not _attributive_siege(text, t)
                    and not (_can_match(_DENIED_BEFORE, text) and
                             _DENIED_BEFORE.search(text, max(0, t.start - 100), t.start))]
        prep = Prepared(sent, all_forces, _actors(all_forces, text), hits, triggers)
        self.add_topic_phrases(prep)
        return prep

    def _known_part(self, hit: PlaceHit) -> PlaceHit:
        """A district named before as part of a city ("al-Nashwa district of Hasaka")
        stays that city's district when named again alone."""
        city = self.parts.get(_part_key(hit.text))
        return replace(city, start=hit.start, end=hit.end, text=hit.text, objective=False,
                       reference=False, direction=False, topic=False) if city else hit

    def _in_topic_country(self, hit: PlaceHit) -> PlaceHit:
        """Of several places with this name, the one in the article's country."""
        top = self.topic
        if top is None or hit.place.country == top.place.country or hit.is_country:
            return hit
        same = [c for c in hit.candidates if c.country == top.place.country]
        return replace(hit, place=same[0]) if same else hit

    def add_topic_phrases(self, prep: Prepared) -> None:
        """Add hits for the phrases that stand for the topic town ("the city") and for
        the article's named facilities ("the refinery", ``facilities.py``)."""
        if any(h.topic for h in prep.hits):
            return
        text = prep.sent.text
        # ("east of the city": a landmark, as a name there is)
        extra = mark_landmarks(text, _topic_phrases(
            text, self.topic, prep.hits, prep.all_forces, self.topics, self.towns,
            lede=prep.sent.start < self.lede_end)) \
            if self.topic is not None else []
        if self.topic is not None:
            # "bombings in the capital": the seat of the article's country's government
            extra += mark_landmarks(text, _capital_phrases(
                text, self.topic, prep.hits + extra, self.places, self.forces))
        # (a generic force word inside a facility's phrase is its adjective: "the
        # military airport")
        taken = [(h.start, h.end) for h in prep.hits + extra] + \
            [(f.start, f.end) for f in prep.all_forces if not f.generic]
        named = [replace(hit, start=a, end=b, text=text[a:b], topic=True, objective=False,
                         reference=False, direction=False)
                 for a, b, hit in facility_phrases(text, self.facilities, taken)]
        # "the airfield south of the city", "the oil refinery near X": a
        # facility the article does not name, located near the town named with it
        taken += [(h.start, h.end) for h in named]
        towns = [h for h in prep.hits + extra if not h.is_country and h.place.place_type
                 not in REGION_TYPES and not kinds_of_place(h.place)]
        for a, b in unresolved_facilities(text, taken):
            town = next((h for h in towns if TOWN_AFTER.fullmatch(text, b, h.start)), None)
            if town is not None:
                named.append(replace(town, start=a, end=b, text=text[a:b], topic=True,
                                     objective=False, reference=False, direction=False,
                                     near=True))
        if self.topic is not None:
            # "also took control of the Zaghir district": a quarter or facility the
            # gazetteer lacks, with no town named with it, lies in or near the article's town
            taken += [(h.start, h.end) for h in named]
            for a, b in named_parts(text, taken):
                town = next((h for h in towns if TOWN_AFTER.fullmatch(text, b, h.start)), None)
                if town is not None and is_quarter(text[a:b]) or any(
                        TOWN_BEFORE.fullmatch(text, h.end, a) for h in towns):
                    continue      # "the X district of Mosul": the town is named (its own rules)
                named.append(replace(town or self.topic, start=a, end=b, text=text[a:b],
                                     topic=True, objective=False, reference=False,
                                     direction=False, near=True))
        # "north of the university", "10 km from the dam": landmarks, as names are
        extra += mark_landmarks(text, named)
        if extra:
            prep.hits = sorted(prep.hits + extra, key=lambda h: h.start)

    def marks(self, prep: Prepared) -> list[Mark]:
        """The force and place mentions a parser must see as single names."""
        return [Mark(f.start, f.end, "force", i) for i, f in enumerate(prep.all_forces)] + \
            [Mark(h.start, h.end, "place", i) for i, h in enumerate(prep.hits) if not h.topic]

    def extract(self, sent: Sentence, prep: Prepared | None = None,
                parse: Parse | None = None) -> list[Draft]:
        text = sent.text
        if self.context.paragraph != sent.paragraph:
            self.context.date = None
        bare = text.strip().strip("\"'“”‘’ ")
        if not bare.endswith((".", "!", "?")) and (len(bare.split()) < 10 or (
                len(bare.split()) < 16 and not any(d.explicit and d.precision == 1 for d in
                                                   find_dates(text, self.published)))):
            self.context = SentenceContext()     # a heading starts a new story section
            return []
        prep = prep or self.prepare(sent)
        cls = clauses(text)
        # a district named before as part of a city is that city's (or its own point)
        hits, forces = [self._known_part(h) for h in prep.hits], prep.forces
        dates = find_dates(text, self.published)
        drafts: list[Draft] = []
        for trig in prep.triggers:
            clause = clause_at(cls, trig.start)
            roles = parse.roles(trig.start, trig.end) if parse is not None else None
            for hit, inherited in self._places_for(trig, clause, hits, forces, text, roles):
                used = trig
                if trig.rule.cls == CAPTURE and hit.start > trig.end and \
                        _PARTIAL_OBJECT.match(text, trig.end, hit.start):
                    # "took villages around Aleppo", "retook the outskirts of Ramadi": part
                    # of the place or land near it, not the town: fighting there (the
                    # town's holder does not change)
                    used = replace(trig, rule=_partial_rule(trig.rule))
                d = self._draft(used, clause, hit, inherited, prep, dates, cls, text, roles)
                if d is not None:
                    drafts.append(d)
                    siege = self._siege_told(d, text, forces)
                    if siege is not None:
                        drafts.append(siege)
        drafts = _strike_tolls(_one_per_place(_participles(drafts, text)))
        self.last_taker = next((d.actor1 for d in drafts if d.trigger.rule.cls == CAPTURE
                                and d.actor1), self.last_taker)
        self.siege_place = next((d.place for d in drafts if not d.place_inherited
                                 and _SIEGE_WORD.search(d.trigger.text)), self.siege_place)
        self._remember(hits, forces, dates, cls, sent)
        prep.memo.clear()          # what the drafts asked is not needed again
        self._specific_memo.clear()
        return drafts

    # -- places ------------------------------------------------------------------------
    def _places_for(self, trig: Trigger, clause: Clause, hits: list[PlaceHit],
                    forces: list[ForceMention], text: str,
                    roles: Roles | None = None) -> list[tuple[PlaceHit, bool]]:
        all_hits = hits
        verb = _declared(text, trig.start) if trig.rule.cls == CAPTURE else None
        if verb is not None:
            # "declared the (strategic) town of X (in Y province) (fully) liberated": the
            # place declared, the first named between the verb and the capture word
            declared = [h for h in _specific(hits, text) if verb.start("object") <= h.start
                        and h.end <= trig.start and not h.is_country]
            if declared:
                return [(declared[0], False)]
        if roles is not None and trig.rule.cls == CAPTURE and trig.rule.kind in (
                "active", "direct", "expelled", "loss") and not roles.passive and not roles.noun:
            kept = _object_places(hits, roles, text, forces, trig.end,
                                  expel=bool(_EXPEL_VERB.match(trig.text)))
            if hits and not kept:
                return []       # the object is located by a landmark only: no place
            hits = kept
        # "an offensive to retake X": X is the goal, not where the offensive is (but in
        # "tried to storm X" the goal is part of the trigger, and the fighting is at X)
        usable = [h for h in hits if not _objective(
            text[max(0, h.start - 60, trig.end if h.start >= trig.end else 0):h.start])] \
            if _may_name_goal(text) else list(hits)
        for prev, h in zip(hits, hits[1:]) if len(usable) < len(hits) else ():
            # "efforts to capture Raqqa, and Tabqa to the west": a place listed after a
            # goal is a goal too
            if prev not in usable and h in usable and h.start >= trig.end and \
                    _LIST_GAP.fullmatch(text, prev.end, h.start):
                usable.remove(h)
        enabled: list[PlaceHit] = []
        if trig.rule.cls != CAPTURE and _may_enable(text):
            # "air strikes ... allowing the military to retake Mosul": the place of the
            # capture they enabled, not where they fell (nor their objective)
            enabled = [h for h in usable if h.start >= trig.end and _ENABLED_AFTER.search(
                text, trig.end, h.start)]
            if enabled:
                usable = [h for h in usable if h not in enabled]
        usable = self._specific(usable, text)
        # "Baiji, 250 km north of Baghdad, fell": a distance phrase's landmark is never
        # the event's place while the sentence names another.
        if any(not (h.reference or h.direction) and not h.is_country for h in usable):
            usable = [h for h in usable if not (h.reference or h.direction)]
        else:     # "50 km west of X" never places an event at X (it is 50 km off): the
            # event is placed that far off, near (what lies there is not known)
            usable = [o for o in (offset_hit(text, h) if h.reference else h for h in usable)
                      if o is not None]
        in_clause = [h for h in usable if clause.start <= h.start < clause.end and not h.is_country]
        after = [h for h in in_clause if h.start >= trig.end]
        before = [h for h in usable if h.end <= trig.start and not h.is_country]
        # "to retake Hit, which was overrun by IS": the goal of one clause is the subject
        # of the relative clause after it
        # (and of a participle after it: "to retake Tal Afar, seized by IS in 2014")
        antecedent = [h for h in hits if h.end <= trig.start and not h.is_country
                      and (_RELATIVE_GAP.fullmatch(text, h.end, trig.start) or
                           _participle_over(text, h.end, trig.start))]
        if antecedent and antecedent[-1] not in before:
            before = before + antecedent[-1:]
        kind = trig.rule.kind
        chosen: list[PlaceHit] = []
        if trig.rule.cls == CAPTURE and _FROM_END.search(trig.text) and after and \
                not _FROM_NP_GAP.fullmatch(text, trig.end, after[0].start):
            # "ousted IS from its last stronghold in the country, near Damascus": the
            # place is the from-phrase's, which names none here
            after = [h for h in after if h.topic and h.start - trig.end < 60][:1]
            if not after:
                return []
        if kind == "direct":
            # "took Suluk", "took the town of Suluk": the object at once, or nothing
            if after and _DIRECT_GAP.fullmatch(text, trig.end, after[0].start):
                chosen = _list_from(after, text)
            else:
                return []
        elif trig.rule.cls == CAPTURE and kind in ("active", "nominal", "expelled", "loss",
                                                   "holding", "withdrawal"):
            if after and after[0].start - trig.end < 120:
                chosen = _list_from(after, text)
            elif before and re.search(r",?\s*(?:which|that)\s*$|,?\s*(?:which|that)\s+[^,]{0,60}$",
                                      text[before[-1].end:trig.start]):
                chosen = [before[-1]]
            elif before and _PRONOUN_TAKEN.match(text, trig.start):
                chosen = [before[-1]]   # "announced the capture of the town but lost it to IS"
        elif trig.rule.cls == STRIKE and after and after[0].start - trig.end < 60 and \
                not after[0].reference and not after[0].direction:
            # "mortar rounds fired from Douma landed in Damascus": fire lands where it
            # hits, not where it was fired from (the origin only when nothing else is named)
            landed = [h for h in after if not _FIRED_FROM.search(text, trig.start, h.start)] \
                if _FIRED_FROM_CUE.search(text) else after
            chosen = _list_from(landed or after, text)   # "the strikes hit Rastan and Talbiseh"
        elif kind == "fell":
            # "Rawa fell on Friday", "the town of Rawa, ..., fell": the subject right before
            chosen = [before[-1]] if before and _FELL_GAP.fullmatch(
                text, before[-1].end, trig.start) and not _FELL_NOT_SUBJECT.search(
                    text, max(0, before[-1].start - 40), before[-1].start) else []
            if not chosen:
                return []
        elif kind in ("passive", "fall", "held_by", "under"):
            if kind == "fall" and after and re.match(r"\s*of\b", text[trig.start:].lower()):
                chosen = [after[0]]
            elif before:
                chosen = _list_before(before, text)     # "A and B were retaken"
        if not chosen and trig.rule.cls != CAPTURE and _ELSEWHERE_AFTER.match(text, trig.end) \
                and not any(not h.is_country and 0 <= h.start - trig.end <= 25 for h in usable):
            return []      # "attacks in Turkey": there, too coarse or unknown; not here
        if not chosen and trig.rule.cls != CAPTURE or (not chosen and kind == "active" and not after):
            if in_clause:
                chosen = [min(in_clause, key=lambda h: (h.start < trig.start, abs(h.start - trig.end)))]
            elif usable and trig.rule.strength >= 1:
                chosen = [min(usable, key=lambda h: abs(h.start - trig.end))]
        chosen = [h for h in chosen if not h.is_country]
        frame = _fronted_place(all_hits, text)
        if chosen and frame is not None and all(h.topic for h in chosen):
            # "In Kobane, which ..., fighting killed 10 people, the first time IS entered
            # the town": the sentence's own frame is "the town", not the article's topic
            chosen = [replace(frame, start=h.start, end=h.end, text=h.text) for h in chosen[:1]]
        if chosen:
            return [(h, False) for h in chosen]
        # "launched an offensive on Monday to retake Mosul": with no other place, the
        # fighting of a launched operation is placed *near* its objective.
        objectives = [h for h in hits if h not in usable and h not in enabled and not h.is_country
                      and not (h.reference or h.direction)]
        if objectives and trig.rule.cls == STRIKE and not any(
                not h.is_country for h in usable):
            # "supported the operations to retake Rawa and Qaim with air strikes": the
            # strikes fall where the ground forces were going
            return [(h, False) for h in _list_from(objectives, text)]
        if objectives and trig.rule.cls != CAPTURE and _LAUNCH.search(text) \
                and not any(not h.is_country for h in usable):
            first = min(objectives, key=lambda h: abs(h.start - trig.end))
            return [(replace(first, objective=True), False)]
        # "The Iraqis began the operation on September 21": a launched operation with a
        # date and no place is the article's own battle
        if self.topic is not None and trig.rule.cls != CAPTURE and _LAUNCH.search(text) \
                and not any(not h.is_country for h in hits) and any(
                    d.explicit for d in find_dates(text, self.published)):
            return [(replace(self.topic, start=trig.start, end=trig.end, text=trig.text,
                             objective=True, topic=True), False)]
        # No place in the sentence: a strong trigger with a named force, or a pronoun
        # ("it being seized"), inherits the previous sentence's place.
        if any(h for h in hits if not h.is_country):
            return []
        named = any(not f.generic for f in forces)
        pronoun = re.search(r"\b(?:it|its|the city|the town)\b(?!\s+of\b)",
                            text[max(0, trig.start - 40):trig.end + 40], re.I)
        # A capture needs its object: a pronoun for the town ("it", "the city"), never
        # just a named force ("the governments that took over the country").
        carried = self.topic if (pronoun and self.topic is not None) else self.context.place
        if trig.rule.cls == CAPTURE and _SIEGE_WORD.search(trig.text):
            # "broke the siege": the siege told before, where it was
            pronoun = pronoun or _SIEGE_WORD.search(trig.text)
            carried = self.siege_place or self.context.place
        named_countries = {h.place.country for h in hits if h.is_country} | \
            self._countries_named_as_land(forces, text)
        if carried is not None and named_countries and \
                carried.place.country not in named_countries:
            return []   # "the southern provinces of Turkey faced rocket attacks" after a
            #             sentence on a Syrian town: somewhere in the country it names
        district = _DISTRICT_OBJECT.match(text, trig.end) if trig.rule.cls == CAPTURE else None
        if district and trig.rule.strength >= 1 and (self.topic or carried) is not None:
            # "had also taken control of the X district" (a quarter the gazetteer does not
            # know): part of the article's town taken, a partial capture there
            town = self.topic if self.topic is not None else carried
            assert town is not None
            return [(replace(town, start=trig.start, end=district.end(),
                             text=text[trig.start:district.end()]), True)]
        if carried and trig.rule.strength >= 1 and \
                (pronoun if trig.rule.cls == CAPTURE else (named or pronoun)):
            return [(carried, True)]
        return []

    def _specific(self, hits: list[PlaceHit], text: str) -> list[PlaceHit]:
        """``_specific`` of the sentence's places, remembered for the sentence (every
        trigger of a sentence asks about the same places): the districts it finds are
        recorded in ``parts`` and ``within`` as each call would."""
        key = tuple(map(id, hits))
        found = self._specific_memo.get(key)
        if found is None:
            parts: dict[str, PlaceHit] = {}
            within: dict[str, Place] = {}
            found = self._specific_memo[key] = (_specific(hits, text, parts, within),
                                                parts, within)
        out, parts, within = found
        self.parts.update(parts)
        self.within.update(within)
        return list(out)

    def _countries_named_as_land(self, forces: Sequence[ForceMention], text: str) -> set[str]:
        """Countries a sentence names by a state's name used as its land ("attacks in
        Turkey", "the southern provinces of Turkey"): the force finder reads the name as
        the state."""
        out: set[str] = set()
        for f in forces:
            force = self.forces.forces.get(f.force_id)
            if force is not None and len(force.government_of) == 2 and \
                    _COUNTRY_PLACE_BEFORE.search(text, max(0, f.start - 40), f.start):
                out.add(force.government_of)
        return out

    def _siege_told(self, d: Draft, text: str, forces: list[ForceMention]) -> Draft | None:
        """ "broke the three-year siege of C by B": besides the breaking (a capture), the
        siege itself, a fight at C by B over the span it names, ending with the breaking
        (or the report) -- what an analyst maps as B's hold around C for those years."""
        m = _SIEGE_SPAN.search(d.trigger.text)
        if m is None or d.trigger.rule.cls != CAPTURE or d.date is None:
            return None
        n = int(m["n"]) if m["n"].isdigit() else _WORD_NUMBERS.get(m["n"].lower(), 0)
        days = n * {"year": 365, "month": 30, "week": 7}[m["unit"].lower()]
        if not 0 < days <= 20 * 365:
            return None
        end = d.date.date_max
        start = end - timedelta(days=days)
        by = _BY_FORCE.match(text, d.place.end)
        besieger = next((f for f in forces if by is not None and f.start == by.end()), None)
        actor1 = self.forces.local(besieger.force_id, d.place.place.country) if besieger else ""
        when = DateMention(d.trigger.start + m.start(), d.trigger.start + m.end(), m.group(0),
                           start, end, False)
        return replace(d, trigger=replace(d.trigger, rule=_partial_rule(d.trigger.rule)),
                       actor1=actor1, actor2=d.actor1 if d.actor1 != actor1 else "", assoc="",
                       date=when, date_inherited=False, mentions=list(d.mentions),
                       partial=False)

    # -- one draft ----------------------------------------------------------------------
    def _draft(self, trig: Trigger, clause: Clause, hit: PlaceHit, inherited: bool,
               prep: Prepared, dates: list[DateMention], cls: list[Clause],
               text: str, roles: Roles | None = None) -> Draft | None:
        forces = prep.forces
        gap = min(abs(hit.start - trig.end), abs(trig.start - hit.end))
        if gap > 40 and hit.start > trig.end:
            # "advance on February 20, 2017, towards the city of X": a date phrase between
            # the word and its place does not part them
            gap -= sum(d.end - d.start for d in dates if trig.end <= d.start and d.end <= hit.start)
        if trig.rule.strength < 1 and not hit.objective and (inherited or gap > 40):
            return None     # a weak noun ("operation") must stand next to its place
        if _can_match(_OFFICE_BEFORE, text) and \
                _OFFICE_BEFORE.search(text[max(0, trig.start - 30):trig.start]):
            return None     # "the commander of military operations": an office, no event

        country = hit.place.country
        picked = _role_actors(trig, roles, prep, country, self.forces) if roles is not None else None
        if picked is None and roles is not None:
            picked = ("", "", [])
        if picked is None or not picked[0] or not picked[1]:
            actor1, actor2, assoc = self._pick_actors(trig, clause, forces, text, country)
        else:
            actor1, actor2, assoc = picked[0], picked[1], ""
        if picked is not None:
            # The parse decides; the word windows only fill a role it left empty and
            # never give a force the parse put on the other side.
            r1, r2, r_assoc = picked
            if not r1 and roles is not None and not roles.passive and not roles.noun \
                    and trig.rule.kind not in ("fall", "loss", "under", "between", "withdrawal",
                                               "came_under"):
                if roles.subj_kind == "noun":
                    # "members of the Iraqi army launched": a force inside the subject;
                    # "elite units took the town": no force we know, no guess
                    a, b = roles.subj_span
                    backing = _backers(prep, text, country, self.forces)
                    # (never one the subject attacks or helps: "fighters supporting
                    # the army launched")
                    inside = [f for f in forces if a <= f.start < b and
                              self.forces.local(f.force_id, country) not in backing and
                              not target_before(text[max(0, f.start - ROLE_WINDOW):f.start])]
                    actor1 = self.forces.local(inside[0].force_id, country) if inside else ""
            actor1 = r1 or (actor1 if actor1 not in (r2, *r_assoc) else "")
            actor2 = r2 or (actor2 if actor2 != actor1 else "")
            assoc = "; ".join(a for a in r_assoc if a not in (actor1, actor2)) or \
                (assoc if assoc not in (actor1, actor2) else "")
        between = _between_pair(trig, forces, text, clause) \
            if trig.rule.cls == FIGHT and trig.rule.kind == "active" else None
        sides = [self.forces.local(f.force_id, country) for f in between or ()]
        if sides and (not actor1 or actor1 in sides):
            # "clashes broke out in C on Friday between A and B": the pair are the sides
            actor1, actor2 = sides[0], (sides[1] if sides[1] != sides[0] else "")
        maker = _noun_maker(trig, forces, text) if picked is not None else None
        if maker is not None and self.forces.local(maker.force_id, country) != actor1:
            # the parse read the attack's subject ("Government forces fought off an IS
            # counter-attack"): the noun's own maker attacked, the defender is the other side
            if actor1 and not actor2:
                actor2 = actor1
            actor1 = self.forces.local(maker.force_id, country)
            actor2 = "" if actor2 == actor1 else actor2
        assoc = "; ".join(a for a in assoc.split("; ") if a and a not in (actor1, actor2))
        if actor1 and _may_condemn(text) and any(
                self.forces.local(f.force_id, country) == actor1 and f.end <= trig.start
                and _CONDEMN_GAP.match(text, f.end, trig.start) for f in forces):
            actor1 = ""     # "the government condemned the raids": not its raids
        if trig.rule.kind == "withdrawal" and not actor2:
            return None     # "residents withdrew from the area": no force gave it up
        if trig.rule.kind == "loss" and not actor1:
            # "lost it to a blistering IS counter-attack": the force in the to-phrase won
            won = next((f for f in forces if 0 <= f.start - trig.end <= 60 and _LOST_TO.search(
                text, trig.start, f.start)), None)
            if won is not None:
                actor1 = self.forces.local(won.force_id, country)
                actor2 = "" if actor2 == actor1 else actor2
        if _PRONOUN_OUT.search(trig.text):
            # "resisted an assault by the militants before driving them out": "them" are
            # the force named last before the verb; they lost, so they never took it
            them = next((self.forces.local(f.force_id, country) for f in reversed(forces)
                         if f.end <= trig.start and not _SUBJECT_GAP.fullmatch(
                             text, f.end, trig.start)), "")
            if them and actor1 == them:
                actor1, actor2 = (actor2 if actor2 != them else ""), them
            elif them and not actor2 and actor1 != them:
                actor2 = them
        if trig.rule.cls == CAPTURE and actor1 and not any(
                self.forces.local(f.force_id, country) == actor1 for f in forces):
            actor1 = ""   # a capture's taker is never guessed from an earlier sentence
        verb = _declared(text, trig.start) if trig.rule.cls == CAPTURE and not actor1 else None
        if verb is not None:
            # "Iraqi forces declared the town liberated": the one declaring took it
            declarer = [f for f in forces if clause.start <= f.start and f.end <= verb.start()]
            if declarer:
                actor1 = self.forces.local(declarer[-1].force_id, country)
                actor2 = "" if actor2 == actor1 else actor2
        if trig.rule.cls == CAPTURE and not actor1 and self.last_taker and \
                trig.rule.kind in ("active", "direct") and \
                _DEFINITE_FIGHTERS.search(text, max(0, trig.start - 50), trig.start) and \
                not any(f.end <= trig.start for f in forces):
            # ... unless named by a definite "the fighters also captured X": the takers
            # the article just told of
            actor1 = self.forces.local(self.last_taker, country)
            actor2 = "" if actor2 == actor1 else actor2
        backing = _backers(prep, text, country, self.forces)
        if trig.rule.cls == STRIKE:
            # "U.S.-led air strikes": the leader of the strikes struck; "with the support
            # of Turkish ground troops, artillery and air strikes": the backer named at the
            # head of the list struck, not the subject it backed
            m = _LED_BEFORE.search(text, max(0, trig.start - 40), trig.start) \
                if _cued(_LED_CUE, text) else None
            led = self.forces.find_mentions(m.group(1)) if m else []
            support = [f for f in forces if f.end <= trig.start
                       and self.forces.local(f.force_id, country) in backing
                       and _SUPPORT_LIST.fullmatch(text, f.end, trig.start)]
            striker = support[-1] if support else led[-1] if led else None
            if striker is not None:
                actor1 = self.forces.local(striker.force_id, country)
                actor2 = "" if actor2 == actor1 else actor2
        if hit.topic and actor1:
            hit = self._topic_of_home(hit, actor1)
        if trig.rule.cls == CAPTURE and actor1 in backing:
            # "Kurdish forces backed by US air strikes seized X": the backer did not take
            # the town; the subject did (unknown here if it names no force), even where
            # the parse reads the backer as the subject ("forces backed by the coalition
            # retook"), unless the sentence names no other force before the verb
            backed = [self.forces.local(f.force_id, country) for f in forces
                      if f.end <= trig.start]
            backed = [b for b in backed if b not in backing]
            if backed:
                actor1 = backed[0]
                actor2 = "" if actor2 == actor1 else actor2
            elif not (picked is not None and picked[0] == actor1):
                actor1 = ""
        if actor2 in backing and trig.rule.kind != "support":
            actor2 = ""     # "with air support from the coalition": a backer, not the enemy
        holding = _holders(prep, text, country, self.forces)
        if actor1 in holding and trig.rule.kind not in ("holding", "held_by", "under"):
            # "the offensive to retake IS-held Tal Afar", "the former IS stronghold of X":
            # the holder is the side attacked, never the attacker (unless named as acting)
            actor1, actor2 = (actor2 if actor2 not in holding else ""), actor1
        elif holding and not actor2 and holding[0] != actor1 and \
                trig.rule.kind not in ("holding", "held_by", "under") and \
                (not actor1 or self.forces.hostile(actor1, holding[0])):
            actor2 = holding[0]     # "Iraqi forces attacked IS-held Hawija": IS is the other side
        if actor1 in self.forces and actor2 in self.forces and actor1 != actor2 and \
                self.forces[actor1].side == self.forces[actor2].side:
            # "Russian jets struck ... the regime stronghold": a force of the actor's own
            # side is never the side attacked (allies of other sides can fall out: the
            # coalition struck Iraqi militias)
            actor2 = ""
        backers = [b for b in backing if b not in (actor1, actor2)]
        if trig.rule.cls == STRIKE:
            # "Kurdish units, which were backed by air strikes carried out by the
            # coalition": the strikes' associate is the force they backed
            m = _cued(_BACKED_BY_CUE, text) and \
                _BACKED_BY_NEAR.search(text, max(0, trig.start - 60), trig.start) or \
                _can_match(_BACKER_BEFORE, text) and \
                _BACKER_BEFORE.search(text, max(0, trig.start - 60), trig.start) or None
            backed = [self.forces.local(f.force_id, country) for f in forces
                      if m is not None and f.end <= m.start()
                      and _BACKED_GAP.fullmatch(text, f.end, m.start())]
            backers = [b for b in backed[-1:] if b not in (actor1, actor2)] + \
                [b for b in backers if b not in backed[-1:]]
        # "Around C, which IS seized in May, Iraqi forces pressed on with air support from
        # the coalition": a backer backs a side it is allied with, never its enemy, nor a
        # side the sentence does not name for this event
        # (a backer the sentence joins to the actor itself says they fight together,
        # whatever the force table's sides: "US-backed rebels", "Kurdish fighters, backed
        # by the Syrian army,")
        attached = _attached_backers(prep, text, country, self.forces, actor1)
        backers = [b for b in backers if actor1 and (
            not self.forces.hostile(actor1, b) or b in attached)]
        # (an associate is never a side: "the coalition helped Iraqi forces retake C"
        # read the helped force as associate before the helper gave way to it)
        assoc = "; ".join(dict.fromkeys(a for a in [*assoc.split("; "), *backers]
                                        if a and a not in (actor1, actor2)))
        hostile = [a for a in assoc.split("; ") if a and actor1 and a in self.forces and
                   actor1 in self.forces and self.forces.hostile(actor1, a)
                   and a not in attached]
        if hostile:
            # "Syrian rebels and Islamic State militants clashed": a force named with the
            # actor but hostile to it is the other side, never its associate
            actor2 = actor2 or hostile[0]
            assoc = "; ".join(a for a in assoc.split("; ") if a and a not in hostile
                              and a not in (actor1, actor2))
        date_m, date_inherited = self._pick_date(trig, clause, dates, cls, text, prep.triggers)
        if hit.start > trig.end and not any(trig.end <= t.start < hit.start
                                            for t in prep.triggers):
            # "retook Hit in April, and Rutba in May": a date right after a listed place
            # is that place's (unless another event's verb stands between: "jets bombed
            # X, which let the army retake Y in July" dates the retaking)
            own = next((d for d in dates if d.start >= hit.end and d.explicit and not d.span
                        and _DATE_GAP.fullmatch(text, hit.end, d.start)), None)
            if own is not None:
                date_m, date_inherited = own, False
        if trig.rule.kind in ("nominal", "fall") and \
                _TIME_FRAME_BEFORE.search(text, max(0, trig.start - 25), trig.start) and not (
                    date_m is not None and not date_inherited and date_m.start >= trig.start
                    and not _FRAME_BREAK.search(text, trig.end, date_m.start)):
            return None     # "since the recapture of X", "retook Y on Monday after the fall
            #                 of X": a past event that frames the news, with no date of its
            #                 own phrase ("since the fall of X in 2014" has one): not news
        ongoing: date | None = None
        if trig.rule.kind in ("holding", "held_by") and (
                date_m is None or date_inherited or not date_m.span):
            return None     # "parts of which had been held by IS for months": the capture
            #                 that began the holding has no time of its own (the report's
            #                 day would hand the town to its former holder on that day)
        if trig.rule.kind in ("holding", "held_by", "under") and date_m is not None:
            date_m = date_m.start_of_span()   # "had held X since 2014": taken in 2014
        elif date_m is not None and date_m.span and _SIEGE_WORD.match(trig.text):
            # "besieged since 2013": the siege began in 2013; "has been besieged since
            # 2013" in a later report: it still goes on on the report's day
            if self.published is not None and date_m.date_max >= self.published and \
                    _STILL_BEFORE.search(text, max(0, trig.start - 40), trig.start):
                ongoing = self.published
            date_m = date_m.start_of_span()
        if trig.rule.cls != CAPTURE and date_m is None and self.published is not None:
            # Without a date, a fight or strike that borrows its place from an earlier
            # sentence, only refers back to one told before ("the attack" in the town),
            # or lies along a river or in a desert, is background, not a new event.
            if inherited and trig.rule.kind == "support" and _THE_OPERATION.search(text):
                pass    # "the operation received air support from X": the operation told
                #         just before (its place, the report's week) was supported there
            elif inherited or (hit.topic and _ANAPHOR_NOUN.search(
                    text[max(0, trig.start - 12):trig.end])) or \
                    hit.place.place_type in {"river", "mountain", "mountains", "desert", "plain"}:
                return None
        if trig.rule.cls != CAPTURE and inherited and date_inherited and _ANAPHOR_NOUN.search(
                text[max(0, trig.start - 12):trig.end]):
            return None     # "described the attack as aggression", "denied it was behind
            #                 the attack": the event told before, its place and day too
        if self.month is not None and (date_m is None or not date_m.explicit and not date_m.span):
            # a report dated to the month only: "on Tuesday" is some Tuesday of it
            date_m, date_inherited = self.month, date_inherited or date_m is None
        by_report = date_m is not None and not date_inherited and _reported_done(
            text, date_m, trig)
        if by_report and date_m is not None:
            date_m = replace(date_m, date_min=_days_before(date_m.date_min, REPORTED_DAYS))
        ctx_near = text[max(0, hit.start - 50):hit.start]
        d = Draft(trig, hit, actor1, actor2, assoc, date_m, date_inherited, inherited,
                  near=hit.objective or hit.near or _can_match(_NEAR_BEFORE, text) and bool(
                      _NEAR_BEFORE.search(ctx_near)),
                  partial=_can_match(_PARTIAL, text) and bool(_PARTIAL.search(
                      text[min(trig.start, hit.start):max(trig.end, hit.end)])),
                  fatalities=prep.fatalities, ongoing=ongoing, by_report=by_report)
        d.mentions.append(Mention("trigger", trig.start, trig.end, trig.text))
        if not inherited:
            d.mentions.append(Mention("place", hit.start, hit.end, hit.text))
        if date_m and not date_inherited:
            d.mentions.append(Mention("date", date_m.start, date_m.end, date_m.text))
        pair = (actor1, actor2)
        for f in forces:
            if f.force_id in pair or self.forces.local(f.force_id, country) in pair:
                d.mentions.append(Mention("actor", f.start, f.end, f.text))
        named = any(not f.generic for f in forces)
        d.confidence = round(min(0.95, 0.35 + 0.25 * trig.rule.strength
                                 + (0.15 if actor1 and named else 0.05 if actor1 else 0)
                                 + (0.1 if date_m and not date_inherited else 0)
                                 + (0.1 if not inherited else -0.05)), 2)
        return d

    def _topic_of_home(self, hit: PlaceHit, actor: str) -> PlaceHit:
        """"The town" of a sentence whose actor is a state's own force ("Iraqi soldiers
        retook the town") is the article's town in that state, when the article's
        first town lies in another ("the Syrian town of X" of a side story)."""
        force = self.forces.forces.get(actor)
        if force is None or kinds_of_place(hit.place):
            return hit          # (a facility phrase stands for the facility named)
        parent = self.forces.forces.get(force.parent) if force.parent else None
        home = force.government_of or (parent.government_of if parent else "")
        if len(home) != 2 or home == hit.place.country:
            return hit
        alt = next((t for t in self.topics if t.place.country == home), None)
        if alt is None:
            return hit
        return replace(alt, start=hit.start, end=hit.end, text=hit.text, topic=True,
                       objective=hit.objective, reference=False, direction=False)

    def _pick_actors(self, trig: Trigger, clause: Clause, forces: list[ForceMention], text: str,
                     country: str) -> tuple[str, str, str]:
        kind = trig.rule.kind
        before = [f for f in forces if f.end <= trig.start and f.start >= clause.start]
        before_any = [f for f in forces if f.end <= trig.start]
        after = [f for f in forces if f.start >= trig.end]
        actor1 = actor2 = assoc = ""

        def after_word(words: str) -> ForceMention | None:
            pattern = _after_word_pattern(words)
            for f in after:
                if f.start - trig.end >= 80:
                    break           # forces are in text order: the rest are further away
                if pattern.search(text, trig.end, f.start):
                    return f
            return None

        if kind == "under":                      # "under Islamic State control since"
            inside = [f for f in forces if trig.start <= f.start < trig.end]
            # "under the control of IS", "now under the control of IS" (the trigger's
            # words end with "of": the force right after them)
            of = inside[0] if inside else next(
                (f for f in after if _THE_GAP.fullmatch(text, trig.end, f.start)),
                None) or after_word("of")
            actor1 = self.forces.local(of.force_id, country) if of else ""
        elif kind == "support":                  # "with air support from the coalition"
            inside = forces_inside(trig, forces)
            # "air support from the coalition", "air power of Russia"; never "an air
            # offensive ... with the aim of ousting the militia" (the of-phrase's verb's object)
            src = inside[0] if inside else after_word("from|by") or next(
                (f for f in after if f.start - trig.end < 40 and
                 _OF_THE_GAP.fullmatch(text, trig.end, f.start)), None)
            # "Turkish air support"; "Turkey's operation, a ground and air offensive":
            # the operation's owner, named in the possessive before it
            mod = [f for f in before if trig.start - f.end <= 25] or \
                [f for f in before if trig.start - f.end <= 100 and
                 _OWNER_AFTER.match(text, f.end, f.end + 3)]
            actor1 = self.forces.local(src.force_id, country) if src else (
                self.forces.local(mod[-1].force_id, country) if mod else "")
        elif kind in ("passive", "held_by") or kind == "active" and \
                not trig.text.lower().endswith("ing") and \
                _cues(text)[0] and \
                _PASSIVE_AUX_BEFORE.search(text, max(0, trig.start - 30), trig.start):
            # (an active verb after "was", "had been": "a police station had been set
            # ablaze", "the camp was bombed": the subject suffered it; only "by" names who)
            by = after_word("by")
            actor1 = self.forces.local(by.force_id, country) if by else ""
        elif kind == "expelled":                  # "IS was driven out of Manbij by the SDF"
            by = after_word("by")
            actor1 = self.forces.local(by.force_id, country) if by else ""
            before = _not_speakers(before, text, trig.start)
            actor2 = self.forces.local(before[0].force_id, country) if before else ""
        elif kind == "fall":
            # "fell to IS" (the trigger ends with "to") or "the fall of Ramadi to IS"
            to = next((f for f in after if _THE_GAP.fullmatch(text, trig.end, f.start)),
                      None) or after_word("to")
            if to is None and _WORD_FROM_AFTER.match(text, trig.end):
                to = after_word("from|of")    # "fell to fighters from the Islamic State"
            actor1 = self.forces.local(to.force_id, country) if to else ""
        elif kind == "loss":
            # "B lost (control of) C to A": the subject lost, the to-phrase won
            subj = [f for f in _not_speakers(before, text, trig.start)
                    if not _object_word_before(text[max(0, f.start - ROLE_WINDOW):f.start])]
            actor2 = self.forces.local(subj[0].force_id, country) if subj else ""
            won = next((f for f in after if 0 <= f.start - trig.end <= 80 and _LOST_TO.search(
                text, trig.start, f.start)), None)
            actor1 = self.forces.local(won.force_id, country) if won else ""
        elif kind in ("withdrawal", "came_under"):
            # "B withdrew from C", "B came under fire from A": the subject lost or was
            # attacked; only a from- or by-phrase after "came under" names who attacked
            subj = [f for f in _not_speakers(before, text, trig.start)
                    if not _object_word_before(text[max(0, f.start - ROLE_WINDOW):f.start])]
            actor2 = self.forces.local(subj[0].force_id, country) if subj else ""
            if kind == "came_under":
                by = after_word("from|by")
                actor1 = self.forces.local(by.force_id, country) if by else ""
        elif kind == "between":
            if len(after) >= 1:
                actor1 = self.forces.local(after[0].force_id, country)
            if len(after) >= 2:
                actor2 = self.forces.local(after[1].force_id, country)
        elif kind == "nominal":
            to = after_word("to|by")
            if to:
                actor1 = self.forces.local(to.force_id, country)
            elif before and _OWNER_GAP.fullmatch(text, before[-1].end, trig.start):
                actor1 = self.forces.local(before[-1].force_id, country)      # "ISIS takeover of"
            elif before and _ANNOUNCED_GAP.fullmatch(text, before[-1].end, trig.start):
                # "the Iraqi army announced the liberation of X": who announces its own
                # capture took the town
                actor1 = self.forces.local(before[-1].force_id, country)
        else:
            overlapping = [f for f in forces if f.start < trig.end and trig.start < f.end]
            if overlapping and trig.rule.cls == CAPTURE and _EXPEL_VERB.match(trig.text):
                # "have driven Islamic State out of X": the force inside the verb's words
                # is its object, the side driven out
                actor2 = self.forces.local(overlapping[0].force_id, country)
                overlapping = []
            if overlapping and trig.rule.cls == CAPTURE and "siege" in trig.text.lower():
                # "broke the siege imposed by IS on X": the besieger lost
                actor2 = self.forces.local(overlapping[0].force_id, country)
                overlapping = []
            # "Turkey blamed IS for the bombing", "officials said IS carried out the attack":
            # the speaker is not the actor of what it reports (a force of the clause is a
            # speaker in ``before`` exactly when it is one in ``before_any``: the forces
            # named after its verb are of the clause too)
            before_any = _not_speakers(before_any, text, trig.start)
            before = [f for f in before_any if f.start >= clause.start]
            under = _CAME_UNDER.search(text, max(clause.start, trig.start - 80), trig.end) \
                if _cues(text)[1] else None
            if under is not None:
                # "IS fighters in Mosul came under fire from Iraqi artillery": the subject
                # was the target; only what follows "came under" acted
                targets = [f for f in before if f.end <= under.start()]
                if targets and not actor2:
                    actor2 = self.forces.local(targets[-1].force_id, country)
                before = [f for f in before if f.start >= under.start()]
                before_any = [f for f in before_any if f.start >= under.start()]
            # "allowing the military to retake X": the one allowed acted
            allowed = [f for f in before if _TO_GAP.fullmatch(text, f.end, trig.start)
                       and _ALLOWING_BEFORE.search(text, max(0, f.start - 30), f.start)] \
                if _may_enable(text) else []
            subj = allowed or [f for f in before
                               if not _object_word_before(text[max(0, f.start - ROLE_WINDOW):f.start])]
            subj = subj or [f for f in before_any if not f.generic
                            and not _object_word_before(text[max(0, f.start - ROLE_WINDOW):f.start])]
            # "Members of the Iraqi army launch ...": a force inside the subject phrase
            subj = subj or [f for f in before if not target_before(
                text[max(0, f.start - ROLE_WINDOW):f.start])]
            # "the attack was carried out by IS", "the bombing was blamed on IS"
            done_by = after_word(_DONE_BY) if trig.rule.cls != CAPTURE and _cues(text)[2] \
                else None
            maker = _noun_maker(trig, forces, text)
            listed = [f for f in before_any if f.end <= overlapping[0].start and
                      _LISTED_WITH.fullmatch(text, f.end, overlapping[0].start)] \
                if overlapping else []
            if listed:
                # "Russian and Syrian warplanes struck": the first of the list acts, the
                # one named with it is its associate
                actor1 = self.forces.local(listed[0].force_id, country)
                other = self.forces.local(overlapping[0].force_id, country)
                assoc = other if other != actor1 else ""
            elif overlapping:                                # "Russian air strikes"
                actor1 = self.forces.local(overlapping[0].force_id, country)
            elif done_by is not None:
                actor1 = self.forces.local(done_by.force_id, country)
            elif maker is not None:
                # "repelled an Islamic State attack", "an assault by IS fighters": the
                # noun's own maker attacked; the subject that repelled it is the other side
                actor1 = self.forces.local(maker.force_id, country)
                if subj and subj[0] is not maker and _REPELLED.search(
                        text, subj[0].end, trig.start):
                    actor2 = self.forces.local(subj[0].force_id, country)
            elif subj:
                # The subject is the first force of the clause that is not the object of a
                # preposition ("Iraqi forces, together with Peshmerga ..., have pushed on
                # ... after recapturing"); the forces listed with it are associates.
                actor1 = self.forces.local(subj[0].force_id, country)
                others = [self.forces.local(f.force_id, country) for f in subj[1:] if self.forces.local(f.force_id, country) != actor1]
                assoc = others[0] if others else ""
            elif trig.rule.cls != CAPTURE:
                of = next((f for f in after if _OF_THE_GAP.fullmatch(text, trig.end,
                                                                      f.start)), None)
                actor1 = self.forces.local(of.force_id, country) if of else ""   # "the advance of Syrian troops"
        if not actor2 and trig.rule.cls == STRIKE and kind == "active":
            # "warplanes began striking Islamic State positions": the object is the target
            obj = next((f for f in after if _THE_GAP.fullmatch(text, trig.end, f.start)),
                       None)
            if obj is not None and self.forces.local(obj.force_id, country) != actor1:
                actor2 = self.forces.local(obj.force_id, country)
        if not actor2:
            # ("clashed with IS" names the other side; "executed 15 people for collaborating
            # with the coalition" does not: "with" counts for fighting only)
            against = after_word("from|against|on|targeting|over|at|toward|towards" +
                                 ("|with" if trig.rule.cls == FIGHT else ""))
            if against is not None and _BORDER_WITH.search(text, max(0, against.start - 25),
                                                           against.start):
                against = None      # "on the border with Turkey": where, not against whom
            if against and self.forces.local(against.force_id, country) != actor1:
                actor2 = self.forces.local(against.force_id, country)
        if not actor1 and self.context.actor and kind in ("active", "between") and \
                trig.rule.cls != CAPTURE and not _SIEGE_WORD.search(trig.text) and not (
                    # (a taker, or a besieger, is never guessed from before: "X has
                    # been under siege" after a sentence on the strikes of A and B)
                    not trig.text.lower().endswith("ing") and
                    _cues(text)[0] and
                    _PASSIVE_AUX_BEFORE.search(text, max(0, trig.start - 30), trig.start)):
            actor1 = self.forces.local(self.context.actor, country)
        if actor2 == actor1:
            actor2 = ""
        return actor1, actor2, assoc if assoc not in (actor1, actor2) else ""

    def _pick_date(self, trig: Trigger, clause: Clause, dates: list[DateMention],
                   cls: list[Clause], text: str, triggers: Sequence[Trigger] = ()
                   ) -> tuple[DateMention | None, bool]:
        back = self._back_reference(text)
        # a date right after another event's trigger is that event's ("The X bombing
        # follows attacks in Y over the past week": the week is the attacks')
        # (but "lost it to an IS counter-attack a week ago": the attack is the loss itself)
        # (the air support of an operation is dated with it: "with the help of US air
        # strikes, Kurdish fighters retook X in January")
        backing = trig.rule.kind == "support" or trig.rule.cls == STRIKE and bool(
            _can_match(_BACKER_BEFORE, text) and
            _BACKER_BEFORE.search(text[max(0, trig.start - 60):trig.start])
            or _cued(_BACKED_BY_CUE, text) and
            _BACKED_BY_NEAR.search(text, max(0, trig.start - 60), trig.start))
        dates = [d for d in dates if (trig.rule.kind == "loss" or backing
                 or not _belongs_elsewhere(d, trig, triggers, text))
                 and not (d.span and trig.start < d.start < trig.end)
                 and not (backing and d.span and any(
                     t is not trig and t.start < d.start < t.end for t in triggers))
                 and not (d.start >= trig.end and _AFTER_ANCHOR.search(d.text))]
        # (nor "comes two years after IS overran ...": that measures from the event after
        # it back to the report; the news itself is now)
        # (nor the span inside the words of the action it backs: "backed by Russian jets,
        # broke a three-year siege": the support is of the break, not of the three years)
        # (a date inside the trigger's own words describes its noun: "broke the three-year
        # siege of X" broke it now, the three years are the siege's)
        in_clause = [d for d in dates if clause.start <= d.start < clause.end]
        if back is not None and not in_clause:
            # "Later that year jets bombed X, which let the army retake Y in July": the
            # date after the other event is that event's; this one's is the year pointed
            # back to
            return back, False
        if in_clause:
            # "securing X earlier this year and retaking Y last month": the date after the
            # trigger's own phrase is its own, not the one of the phrase before it
            own = [d for d in in_clause if d.start >= trig.end and d.start - trig.end <= 80
                   and not _PHRASE_BREAK.search(text, trig.end, d.start)
                   and not any(trig.end <= t.start < d.start for t in triggers
                               if trig.rule.kind != "loss")]
            if own:
                return own[0], False
            return min(in_clause, key=lambda d: abs(d.start - trig.start)), False
        main = [d for d in dates if not clause_at(cls, d.start).relative]
        if main and not clause.relative:
            return min(main, key=lambda d: abs(d.start - trig.start)), False
        nxt = next((c for c in cls if c.relative and c.start >= clause.end), None)
        if nxt is not None and _OWN_RELATIVE.fullmatch(text, trig.end, nxt.start) and \
                not any(nxt.start <= t.start < nxt.end for t in triggers if t is not trig
                        and t.rule.cls != trig.rule.cls):
            # "claimed the attack, which killed 20 soldiers near C on Monday": a relative
            # clause on the event's own noun tells its day
            own_days = [d for d in dates if nxt.start <= d.start < nxt.end]
            if own_days:
                return own_days[0], False
        if self.caption_date is not None:
            return self.caption_date, False
        if self.context.date and _ANAPHORA.search(text):
            return self.context.date, True
        if trig.rule.kind == "support" and self.context.prev_date is not None:
            # "after artillery support from the coalition, the militants fled": the
            # support of the action the sentence before told, on its date
            return self.context.prev_date, True
        return None, False

    def _back_reference(self, text: str) -> DateMention | None:
        """ "Later that year", "the same month", "since then": a date that points back to
        the previous sentences' date (``context.any_date``)."""
        prev = self.context.any_date
        m = _back_date(text) if prev is not None else None
        if prev is None or m is None:
            return None
        lo, hi = prev.date_min, prev.date_max
        if m.group("unit") or m.group("next"):
            # "a week later": the date told before, moved on
            raw = (m.group("n") or "a").lower()
            n = int(raw) if raw.isdigit() else _WORD_NUMBERS.get(raw, 1)
            days = n * _UNIT_DAYS[(m.group("unit") or m.group("next")).lower().rstrip("s")]
            if (m.group("dir") or "").lower() == "earlier":
                days = -days        # "two days earlier": the date told before, moved back
            lo, hi = lo + timedelta(days=days), hi + timedelta(days=days)
            if self.published is not None and lo > self.published:
                return None         # past the report's own day: not a date of this story
            return DateMention(m.start(), m.end(), m.group(0), lo,
                               min(hi, self.published or hi), False)
        word = (m.group("what") or m.group("then") or m.group("span")).lower()
        if word in _EARLY_SPAN:      # "in the operation's early weeks": from its start on
            hi = lo + timedelta(days=_EARLY_SPAN[word])
        elif word == "then":
            hi = self.published or hi
        elif word == "year":
            lo, hi = date(lo.year, 1, 1), date(lo.year, 12, 31)
            if m.group("when") and m.group("when").lower() == "later":
                lo = prev.date_min
        elif word == "month":
            lo = date(lo.year, lo.month, 1)
        if self.published is not None:
            hi = min(hi, self.published)
        return DateMention(m.start(), m.end(), m.group(0), lo, max(lo, hi), False)

    def _remember(self, hits: list[PlaceHit], forces: list[ForceMention],
                  dates: list[DateMention], cls: list[Clause], sent: Sentence) -> None:
        local = [h for h in hits if not h.is_country]
        if local:
            # a landmark of a distance or direction phrase ("X, 140 km north of Y") only
            # locates the sentence's place: a later sentence with no place of its own
            # carries that place, not the landmark
            own = [h for h in local if not (h.direction or h.reference)]
            self.context.place = (own or local)[-1]
        named = [f for f in forces if not f.generic] or forces
        if sent.text.lstrip().startswith(('"', "“")):
            named = []      # a quotation's words ("all Turkish propaganda") act on nothing
        if named:
            country = local[-1].place.country if local else ""
            self.context.actor = self.forces.local(named[0].force_id, country)
        explicit = [d for d in dates if d.explicit]
        if explicit:
            self.context.date = explicit[-1]
        if dates:
            self.context.any_date = dates[-1]
        self.context.prev_date = dates[-1] if dates else None
        self.context.paragraph = sent.paragraph


#: Words that make a following event noun the frame of the news, not the news: "since the
#: recapture of", "after the fall of", "ahead of the liberation of".
_TIME_FRAME_BEFORE = re.compile(r"\b(?:after|since|following|before|prior\s+to|until|"
                                r"ahead\s+of|in\s+the\s+wake\s+of)\s+(?:the\s+)?$", re.I)
#: Between a framing event noun and a date of its own phrase ("since the fall of X and Y
#: in 2014"): no clause break.
_FRAME_BREAK = re.compile(r"[,;:(]|\s(?:but|while|after|before|as|when|where)\s", re.I)
#: Words before a country's name that make it the land, not the state acting ("attacks
#: in Turkey", "the southern provinces of Turkey").
_COUNTRY_PLACE_BEFORE = re.compile(
    r"\b(?:in|into|inside|across|throughout|within|(?:(?:[\w-]+\s+)?(?:provinces?|regions?|"
    r"parts?|areas?|cities|towns|villages|borders?|south|north|east|west|southeast|southwest|"
    r"northeast|northwest)\s+of))\s+(?:the\s+)?(?:" + COMPASS + r"(?:ern)?\s+)?$", re.I)
#: "declared the city "fully liberated"", "declared the key town of X in Y province
#: liberated": a verb of declaring, its object, then the capture word as the object's
#: predicate (no other verb between).
_DECLARED = re.compile(r"\b(?:declared|declares|declaring|pronounced|proclaimed)\s+"
                       r"(?P<object>(?:[\w'’-]+\s+){1,10}?)[\"“]?\s*(?:(?:fully|completely|"
                       r"totally|entirely|now)\s+)?$", re.I)
_DECLARED_NOT = re.compile(r"\b(?:victory|that|war|the\s+(?:start|end|launch|capture|"
                           r"liberation|recapture|fall))\b", re.I)


def _declared(text: str, start: int) -> re.Match[str] | None:
    """The verb of "declared X liberated" before a capture word at ``start`` (None when
    the words are not that construction: "declared victory", "declared that ...")."""
    m = _DECLARED.search(text, max(0, start - 120), start)
    if m is None or _DECLARED_NOT.search(m.group("object")):
        return None
    return m
#: Between a strike and a place the capture it enabled took: "that helped, allowing
#: the military to retake".
_ENABLING_VERBS = r"(?:allow|enabl|help|permitt?|pav)"
_ENABLED_AFTER = re.compile(r"\b" + _ENABLING_VERBS + r"\w*\s+(?:the\s+way\s+for\s+)?"
                            r"(?:[\w-]+\s+){0,3}(?:to\s+)?\w+\s+(?:\w+\s+){0,4}$", re.I)
_ENABLING_CUE = _Cue(_ENABLING_VERBS)


@lru_cache(maxsize=64)
def _may_enable(text: str) -> bool:
    """Whether the sentence can tell of a capture an event enabled (``_ENABLED_AFTER``)."""
    return _ENABLING_CUE.found_in(text)
#: "allowing the military to retake": the force allowed, then "to" and the verb.
#: (its verbs are enabling ones: ``_may_enable`` is its sentence cue too)
_ALLOWING_BEFORE = re.compile(r"\b(?:allow|enabl|help|permitt?)\w*\s+(?:the\s+)?$", re.I)
_TO_GAP = re.compile(r"\s+to\s+", re.I)
#: A date measured to another event: "more than three years after", "a week before".
_AFTER_ANCHOR = re.compile(r"\b(?:after|before)\s*$", re.I)
#: A subject that points back at a force told before: "the fighters also", "the troops".
_DEFINITE_FIGHTERS = re.compile(r"\b(?:the|these|those)\s+(?:[\w-]+\s+)?(?:fighters|troops|"
                                r"forces|soldiers|rebels|units|militiamen)\s+(?:(?:also|then|later|"
                                r"have|had|has|had\s+also|have\s+also|has\s+also)\s+)*$", re.I)
#: A report the sentence denies: "denied reports that IS had seized", "dismissed claims
#: that its fighters had captured", "rumours that the militants had entered".
#: A bare "that" clause is denied only by a verb of denial ("denies that IS had entered
#: C"), and only up to its first comma ("denied that ..., and said its troops had
#: retaken C" reports the retaking).
_DENIED_BEFORE = Prefilter.compile(
    r"(?:\b(?:" + "|".join(DENYING + DISMISSING) + r")\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:reports?|claims?|allegations?|rumou?rs?|suggestions?|accounts?)|\brumou?rs?)"
    r"\s+(?:that\s+)?[^.;:]*$"
    r"|\b(?:" + "|".join(DENYING) + r")\s+that\s+[^.;:,]*$", re.I)
#: A passive auxiliary right before a verb: "was bombed", "had been set ablaze".
_AUXILIARIES = r"(?:was|were|been|being|is|are|be)"
_PASSIVE_AUX_BEFORE = re.compile(r"\b" + _AUXILIARIES + r"\s+(?:(?:\w+ly|also|then|later|"
                                 r"reportedly)\s+)?$", re.I)
#: Between a force and the "backed by" of its support: "Kurdish forces, backed by",
#: "fighters, who have been backed by" (not "the rebels before them, in an offensive").
_BACKED_GAP = re.compile(r"\s*,?\s*(?:(?:who|which)\s+(?:have|has|had|were|was|are|is)\s+"
                         r"(?:been\s+)?|(?:were|was|are|is|have\s+been|has\s+been)\s+)?", re.I)
#: "on the border with Turkey": a state's name that locates, not a side.
_BORDER_WITH = re.compile(r"\bborders?\s+with\s+(?:the\s+)?$", re.I)
#: "came under (heavy) fire from", "came under Russian bombardment": the subject is hit.
_CAME_UNDER = re.compile(r"\b(?:came|come|comes|coming)\s+under\b", re.I)
#: Sentence cues (``_Cue``) of a passive auxiliary, of "came under" and of "carried out
#: by": a sentence without them needs no search of those windows in any of its drafts.
_AUXILIARY_CUE = _Cue(_AUXILIARIES + r"\s")
_CAME_UNDER_CUE = _Cue(r"(?:came|come|comes|coming)\s+under")
#: Event nouns whose maker stands right before them or in a by-phrase right after.
_EVENT_NOUN = re.compile(r"(?:attacks?|assaults?|offensive|counter[\s-]?offensive|raids?|"
                         r"onslaught|ambush|push|advance|shelling|bombardments?|bombings?|"
                         r"(?:air\s*|aerial\s+)?(?:strikes?|raids?)|airstrikes?|"
                         r"artillery(?:\s+fire)?)", re.I)
_BY_RIGHT_AFTER = re.compile(r"\s+by\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,2}", re.I)
_MAKER_GAP = re.compile(r"(?:['’]s?)?\s*(?:(?:new|major|fresh|failed|large|surprise|"
                        r"massive|renewed|latest)\s+)?(?:counter[\s-]?)?", re.I)
#: A verb of defence between the defender and the attack it met.
_REPELLED = re.compile(r"\b(?:repelled|repulsed|fought\s+off|beat\s+back|thwarted|foiled|"
                       r"withstood|resisted|halted)\b", re.I)
#: From a force to the capture noun it announces: " announced the", " has declared the".
_ANNOUNCED_GAP = re.compile(r"\s+(?:(?:has|have|had|also|officially)\s+)*(?:announced|announces|"
                            r"declared|declares|celebrated|celebrates|confirmed|confirms|"
                            r"completed|completes)\s+(?:the\s+|its\s+|their\s+)?"
                            r"(?:(?:full|complete|total)\s+)?", re.I)
#: After an event noun, the words that name who did it: "the attack was carried out by",
#: "the bombing was blamed on", "claimed by".
_DONE_BY = (r"(?:carried\s+out|claimed|perpetrated|conducted|staged|committed)\s+by|"
            r"blamed\s+on|attributed\s+to")
_DONE_BY_CUE = _Cue(_DONE_BY)


@lru_cache(maxsize=64)
def _cues(text: str) -> tuple[bool, bool, bool]:
    """Whether the sentence holds a passive auxiliary, "came under" and "carried out by"
    (or the like): asked by every draft of the sentence."""
    return (_AUXILIARY_CUE.found_in(text), _CAME_UNDER_CUE.found_in(text),
            _DONE_BY_CUE.found_in(text))
#: A force that speaks, accuses or blames ("Turkey blamed", "Turkish officials said",
#: "the SDF's spokesman told"): the words from its name to the verb (the role table's
#: speaker row, ``geo.core.roles``).
_SPEAKING = r"(?:" + role_alternatives("speaker") + r")"
_SPEAKER_GAP = Prefilter.compile(
    r"(?:['’]s)?(?:\s+[\w-]+){0,3}?\s+(?:(?:has|have|had|also|later|previously|again)\s+)?"
    + _SPEAKING + r"\b(?!\s+responsibility)", re.I)


#: A force that condemns what the sentence reports: "the Iraqi government condemned".
_CONDEMNING = r"(?:" + role_alternatives("condemning") + r")"
_CONDEMN_GAP = re.compile(
    r"(?:['’]s)?(?:\s+[\w-]+){0,3}?\s+(?:(?:has|have|had|also|strongly)\s+)?"
    + _CONDEMNING + r"\b", re.I)
#: What every match of the two gaps holds: a sentence without it names no speaker
#: (nor one who condemns), and the windows of its drafts need no search.
_SPEAKING_CUE = _Cue(r"\s" + _SPEAKING)
_CONDEMNING_CUE = _Cue(r"\s" + _CONDEMNING)


@lru_cache(maxsize=64)
def _may_speak(text: str) -> bool:
    """Whether a force of the sentence can be named as speaking (``_SPEAKER_GAP``)."""
    return _SPEAKING_CUE.found_in(text)


@lru_cache(maxsize=64)
def _may_condemn(text: str) -> bool:
    """Whether a force of the sentence can be named as condemning (``_CONDEMN_GAP``)."""
    return _CONDEMNING_CUE.found_in(text)


#: Between a town and "fell" when the town is the verb's subject: nothing, a comma
#: closing an apposition, an adverb ("Rawa finally fell").
_FELL_GAP = re.compile(r"\s*,?\s*(?:(?:finally|eventually|also|itself|quickly|then|later)\s+)?",
                       re.I)
#: Before that town, a preposition that makes it no subject ("the number of attacks
#: in Mosul fell"); "the town of Rawa fell" names it.
_FELL_NOT_SUBJECT = re.compile(r"(?<!town\s)(?<!city\s)(?<!village\s)(?<!stronghold\s)"
                               r"(?<!district\s)\b(?:in|of|near|at|from|to|around|outside|inside|"
                               r"into|for|with|by|on|over|across)\s+(?:the\s+)?$", re.I)
#: Between an event noun and the relative clause that describes it: nothing but
#: punctuation ("the attack, which killed ...").
_OWN_RELATIVE = re.compile(r"\s*,?\s*")
#: Between two forces named as one list before the words they share: "Russian and
#: Syrian warplanes", "Turkish, Russian and Syrian jets".
_LISTED_WITH = re.compile(r"\s*(?:,\s*|\s+)(?:and|&)\s+|\s*,\s*", re.I)
#: From a fight word to the pair of its sides told later in the clause: " broke out in
#: C on Friday between " (no verb of another clause between: no comma, no "as", "after").
_BETWEEN_GAP = re.compile(r"(?:(?!,|\bas\b|\bafter\b|\bwhile\b|\bwhen\b)[^;:.])*?\bbetween\s+"
                          r"(?:the\s+)?(?:[\w'-]+\s+){0,1}$", re.I)
#: Between the two sides of "between A and B".
_PAIR_AND = re.compile(r"\s+(?:and|&)\s+(?:the\s+)?(?:[\w'-]+\s+){0,1}", re.I)


def _between_pair(trig: Trigger, forces: Sequence[ForceMention], text: str,
                  clause: Clause) -> tuple[ForceMention, ForceMention] | None:
    """The two forces of "between A and B" after a fight word, within 100 characters and
    its clause, else None."""
    after = [f for f in forces if trig.end <= f.start < min(clause.end, trig.end + 100)]
    for a, b in zip(after, after[1:]):
        if _BETWEEN_GAP.fullmatch(text, trig.end, a.start) and \
                _PAIR_AND.fullmatch(text, a.end, b.start):
            return a, b
    return None


def _noun_maker(trig: Trigger, forces: Sequence[ForceMention], text: str) -> ForceMention | None:
    """The force that made an attack told by its noun: "an Islamic State (counter-)attack",
    "an assault by IS fighters" (None for other triggers)."""
    if trig.rule.cls == CAPTURE or not _EVENT_NOUN.fullmatch(trig.text):
        return None
    return next((f for f in forces if trig.end <= f.start and f.start - trig.end < 40 and
                 _BY_RIGHT_AFTER.fullmatch(text, trig.end, f.start)), None) or \
        next((f for f in reversed(forces) if f.end <= trig.start and
              _MAKER_GAP.fullmatch(text, f.end, trig.start)), None)


def _not_speakers(before: list[ForceMention], text: str, end: int) -> list[ForceMention]:
    """The forces before a trigger without those that only speak about it: a force named
    as the subject of "said", "blamed", "accused" when another force is named after that
    verb ("Turkey blamed IS for the bombing": IS acted). A speaker that names no other
    force keeps its place ("IS said it had seized X": the speaker's own "it")."""
    if not _may_speak(text) and not _may_condemn(text):
        return list(before)      # the sentence has no verb of speaking or condemning
    out = []
    for f in before:
        m = _SPEAKER_GAP.match(text, f.end, end)
        if m is not None and any(g.start >= m.end() for g in before) or \
                _CONDEMN_GAP.match(text, f.end, end):
            continue        # (one who condemns an event never did it: "Syria condemned the raids")
        out.append(f)
    return out


@lru_cache(maxsize=64)
def _back_date(text: str) -> re.Match[str] | None:
    """``_BACK_DATE`` in a sentence, searched once for all its drafts."""
    return _BACK_DATE.search(text)


_PUNCTUATION = re.compile(r"[,;:]")


def _belongs_elsewhere(d: DateMention, trig: Trigger, triggers: Sequence[Trigger],
                       text: str) -> bool:
    """Whether date ``d`` follows another trigger after ``trig`` and closer than ``trig``
    (nothing but its own phrase between), so that it dates that other event."""
    for other in triggers:
        if other is trig or other.rule.cls == trig.rule.cls and other.start < trig.end:
            continue
        if other.rule.cls == CIVILIANS and trig.rule.cls in (STRIKE, FIGHT) or \
                other.rule.cls == CAPTURE and trig.rule.kind in ("under", "holding", "held_by") \
                or other.rule.kind == "support":
            continue      # "an air strike killed 15 civilians on Tuesday": one event;
            #               "under IS control since IS overran it in 2014": its start;
            #               "took X with the support of Turkish jets on Monday": both
        if trig.end <= other.start and other.end <= d.start and \
                d.start - other.end < d.start - trig.end and \
                not _PUNCTUATION.search(text, other.end, d.start) and \
                not _AS_WHILE.search(text, max(trig.end, other.start - 60), other.start):
            # (but "set the wells ablaze as troops moved in to retake X last week": "as"
            # makes the two one moment, the date both's)
            return True
    return False


#: "..., as A moved in": the clause of the other trigger told as simultaneous.
_AS_WHILE = re.compile(r"\b(?:as|while)\s+(?:[\w'’-]+\s+){1,5}$", re.I)


#: Right before a force: it backs the actor ("backed by", "with the help of": the role
#: table's backing phrase; "alongside", "together with", "air support from", "partners").
_BACKER_BEFORE = Prefilter.compile(r"(?:\b" + BACKING_PHRASE + r"|\balongside|\btogether\s+with|"
                                   r"\ballied|\b(?:close\s+)?(?:air|aerial|fire|artillery)\s+"
                                   r"(?:support|cover)\s+(?:from|of)|\bpartners?(?:\s+of)?)\s+"
                                   r"(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+){0,1}$", re.I)


_FROM_END_WORD = re.compile(r"\bfrom\s+$")


def _object_places(hits: list[PlaceHit], roles: Roles, text: str = "",
                   forces: Sequence[ForceMention] = (), after: int = 0,
                   expel: bool = False) -> list[PlaceHit]:
    """The places a capture verb can have taken. When the parse's object or from-phrase
    locates its thing only by a landmark ("drove IS from a key oil refinery north of
    Baghdad, and encircled Ramadi"), the capture is neither at the landmark nor at a town
    of another clause: only a phrase standing for the article's town inside it will do.
    When the object names no place at all ("stormed nearly a third of the country's
    territory"), the capture is of no place the sentence names before the verb (places
    after it may still be listed: "several key cities, including X and Y")."""
    spans = roles.object_spans
    inside = [h for h in hits if any(a <= h.start < b for a, b in spans)]
    if inside and all(h.reference or h.direction or h.topic for h in inside):
        # (phrases listed after the object's own stay candidates for the list: "the
        # base northwest of X, the airport east of the city and the Y oil field")
        first = min(h.start for h in inside)
        return [h for h in hits if h.topic and h.start >= first] + \
            [h for h in hits if h.is_country]
    sources = [(a, b) for a, b in spans if _FROM_END_WORD.search(text[max(0, a - 6):a])]
    if expel and sources and not any(a <= h.start < b for a, b in sources for h in hits):
        # "ousted IS from its last stronghold in the country": the place is that phrase's
        return [h for h in hits if h.is_country]
    # the thing taken: not a from-phrase, nor an object naming a force (the loser of
    # "drove IS out of X")
    objects = [(a, b) for a, b in spans if not _FROM_END_WORD.search(text[max(0, a - 6):a])
               and not any(a <= f.start < b for f in forces)]
    if objects and not inside and text and not any(
            _PRONOUN_OBJECT.fullmatch(text[a:b].strip()) for a, b in objects):
        return [h for h in hits if h.is_country or h.start >= after]
    return hits


_EXPEL_VERB = re.compile(r"(?:ousted|ousting|drove|driven|driving|pushed|expelled|expelling|"
                         r"kicked|routed|chased|cleared|forced|flushed|flushing)\b", re.I)
#: From a backer to a strike word in the list of its support: " ground troops, artillery
#: and air " (nothing that ends the phrase: no verb, no clause break).
_SUPPORT_LIST = re.compile(r"(?:[\s,]+(?:and\s+)?(?:[\w-]+\s+){0,2}?(?:troops|forces|soldiers|tanks|"
                           r"artillery|jets|warplanes|aircraft|drones|special\s+forces|advisers|"
                           r"intelligence|fire|air|ground|heavy|aerial)\b)*[\s,]*(?:and\s+)?(?:[\w-]+\s+)?",
                           re.I)
#: Between a capture verb and a place: an object that is part of it or land near it.
_PARTIAL_OBJECT = re.compile(
    r"(?:\s+(?:full\s+|complete\s+)?control\s+(?:of|over))?\s+(?:the\s+|a\s+|its\s+)?"
    r"(?:(?:[\w-]+|\d+)\s+){0,2}?(?:(?:villages|areas|positions|hills|farms|farmland|territory|"
    r"ground|checkpoints)\s+(?:near|around|outside|overlooking|surrounding|close\s+to)|"
    r"(?:outskirts|parts?|edges|countryside|surroundings|approaches|(?:at\s+least\s+)?half)\s+(?:of|to))\s+"
    r"(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?", re.I)


#: A capture's object that is a quarter of an unnamed town: "the X district", "two more
#: neighbourhoods" (when the sentence names no place, the article's town is meant).
_DISTRICT_OBJECT = re.compile(
    r"(?:\s+(?:full\s+|complete\s+)?control\s+(?:of|over))?\s+(?:the\s+|a\s+|an\s+|another\s+|"
    r"several\s+|two\s+|three\s+|four\s+|five\s+|\d+\s+)?(?:more\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:district|neighbou?rhood|quarter)s?\b", re.I)


@lru_cache(maxsize=64)
def _partial_rule(rule: TriggerRule) -> TriggerRule:
    """A capture rule read as fighting (a capture of part of a place or land near it)."""
    return replace(rule, cls=FIGHT, event_type="Battles", sub_event_type="Armed clash")


#: "driving them out": the object is a force named before the verb.
_PRONOUN_OUT = re.compile(r"\b(?:them|it)\s+out\b", re.I)
#: Between a subject and its verb ("Kurdish fighters (then) drove"): the subject is not "them".
_SUBJECT_GAP = re.compile(r"\s*(?:(?:also|then|later|eventually|finally|soon|quickly|had|have|"
                          r"has|were|was)\s+)*", re.I)
#: "lost it to", "retook it": the object is the town named before in the sentence.
_PRONOUN_TAKEN = re.compile(r"lost\s+it\b", re.I)
#: The to-phrase of a loss up to the force inside it: "lost it to a blistering IS ...".
_LOST_TO = re.compile(r"\bto\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,2}$", re.I)
#: "the besieged enclave", "in besieged Douma", "to besieged areas": the participle
#: describes the place (a determiner or a preposition before it, a name or a noun after).
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:the|a|an|its|their|this|that|these|those|in|into|"
                                 r"inside|to|of|on|from|toward|towards)\s+$", re.I)
_ATTRIBUTIVE_AFTER = re.compile(r"\s+(?!(?:by|for|since|in|at|on|from|and|or|until|after|"
                                r"during|over)\b)[\w'’-]", re.I)
_ATTRIBUTIVE_WORD = re.compile(r"(?:besieged|encircled|surrounded)", re.I)


def _attributive_siege(text: str, trig: Trigger) -> bool:
    """A siege participle describing a place ("strikes hit the besieged enclave of X",
    "aid to besieged areas") tells how the place stands, not a siege laid by the
    sentence's actor: no event of its own (the strike is the sentence's event)."""
    return _ATTRIBUTIVE_WORD.fullmatch(trig.text) is not None and \
        _ATTRIBUTIVE_BEFORE.search(text, max(0, trig.start - 12), trig.start) is not None and \
        _ATTRIBUTIVE_AFTER.match(text, trig.end) is not None


#: Before a siege word, the present perfect or present that says it still goes on: "has
#: been besieged", "have been under siege", "remains besieged", "is still under siege".
_STILL_BEFORE = re.compile(r"\b(?:(?:has|have)\s+(?:\w+\s+)?been|remains?|is\s+still|are\s+still)"
                           r"\s+(?:\w+\s+)?(?:under\s+(?:a\s+)?(?:\w+\s+)?)?$", re.I)
#: A siege named by its verb or noun: a span "since YEAR" dates its start.
_SIEGE_WORD = re.compile(r"besieg|siege", re.I)
#: "the three-year siege", "a 10-month siege" inside a trigger's words: how long it lasted.
_SIEGE_SPAN = re.compile(r"\b(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)[- ]"
                         r"(?P<unit>year|month|week)[- ](?:long\s+)?siege\b", re.I)
#: "... of C by B": the by-phrase right after the place of a siege names who besieged it.
_BY_FORCE = re.compile(r"\s+by\s+(?:the\s+)?", re.I)
#: Where one phrase of a sentence ends: a date beyond it is another phrase's.
_PHRASE_BREAK = re.compile(r"[,;:(]|\s(?:and|but|while|after|before|as|when)\s", re.I)
#: A place that frames the whole sentence: "In Kobane, which ...", "At the town of X, ...".
_FRONTED = re.compile(r"^\W*(?:In|At|Inside|Near|Around)\s+(?:the\s+(?:[\w-]+\s+){0,2}?"
                      r"(?:town|city|village)\s+of\s+)?$")


def _fronted_place(hits: Sequence[PlaceHit], text: str) -> PlaceHit | None:
    """The place a sentence opens with ("In Kobane, ..."), which frames all of it."""
    first = next((h for h in hits if not h.is_country), None)
    if first is None or first.topic or first.reference or first.direction or \
            not _FRONTED.match(text[:first.start]) or not text.startswith(",", first.end):
        return None
    return first


_PRONOUN_OBJECT = re.compile(r"(?:it|them|this|that|these|those|him|her|the\s+rest|most|"
                             r"all|much|which|who|whom|what|control|full\s+control|"
                             r"(?:complete|total|effective|partial)\s+control)(?:\s+\w+)?",
                             re.I)


def _per_sentence(find: Callable[[Prepared, str, str, ForceTable], list[str]]
                  ) -> Callable[[Prepared, str, str, ForceTable], list[str]]:
    """Remember ``find(prep, text, country, forces)`` per sentence and country: every draft
    of a sentence asked it again (a sentence dense with events makes about seven drafts,
    and these scans of all its forces were a tenth of extraction)."""
    @wraps(find)
    def remembered(prep: Prepared, text: str, country: str, forces: ForceTable) -> list[str]:
        key = (find.__name__, country)
        found = prep.memo.get(key)
        if found is None:
            found = prep.memo[key] = find(prep, text, country, forces)
        return list(found)
    return remembered


@_per_sentence
def _backers(prep: Prepared, text: str, country: str, forces: ForceTable) -> list[str]:
    """Forces named as backing the actor ("Turkey-backed rebels", "backed by Shiite
    militias", "with the support of Turkish troops"): ACLED's associated actors."""
    if prep.backing is None:         # (the mentions are the sentence's, whatever the country)
        backing: list[ForceMention] = []
        mentions = prep.all_forces
        for i, f in enumerate(mentions):
            prev = mentions[i - 1] if i else None
            if backer_after(text, f.end) or \
                    _can_match(_BACKER_BEFORE, text) and \
                    _BACKER_BEFORE.search(text[max(0, f.start - 40):f.start]) or \
                    _SUPPORT_NOUN_AFTER.match(text, f.end) and \
                    _WITH_BEFORE.search(text, max(0, f.start - 30), f.start) or \
                    prev is not None and prev in backing and \
                    _BACKER_LISTED.fullmatch(text, prev.end, f.start) or \
                    _may_enable(text) and _enabler(text, f, mentions[i + 1:]):
                backing.append(f)
        prep.backing = backing
    out: list[str] = []
    for f in prep.backing:
        fid = forces.local(f.force_id, country)
        if fid not in out:
            out.append(fid)
    for fid, _end in _glued_backers(prep, text, country, forces):
        if fid not in out:
            out.append(fid)
    return out


def _glued_backers(prep: Prepared, text: str, country: str,
                   forces: ForceTable) -> list[tuple[str, int]]:
    """(force id, where its hyphenated word ends) of each force glued before a backer
    word: "Turkish-backed rebels", "coalition-backed militias" (the force finder reads no
    name glued to a hyphen, so the words before "-backed" are looked up apart); an alias
    that spans the hyphen names its own force ("US-led coalition", "Kurdish-led forces")."""
    out: list[tuple[str, int]] = []
    for name, end in _hyphen_backers(text):
        found = forces.find_mentions(name)
        if not found or found[-1].end != len(name) or any(
                f.start < end <= f.end for f in prep.all_forces):
            continue
        out.append((forces.local(found[-1].force_id, country), end))
    return out


#: Between a backer glued to its hyphen and the force it backs ("US-backed Syrian rebels").
_HYPHEN_TO_BACKED = re.compile(r"\s+(?:[\w'’-]+\s+)?")
#: Between a force and the backing phrase of its own ("Kurdish fighters, backed by the",
#: "rebels fighting alongside").
_OWN_BACKING = re.compile(r"\s*,?\s*(?:(?:who|which)\s+(?:are|were|is|was|have\s+been|had\s+been)"
                          r"\s+|fighting\s+)?(?:" + BACKING_PHRASE + r"|alongside|together\s+with)"
                          r"\s+(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+)?", re.I)


def _attached_backers(prep: Prepared, text: str, country: str, forces: ForceTable,
                      actor: str) -> list[str]:
    """The backers the sentence joins to a mention of ``actor`` itself: glued before it
    ("US-backed rebels") or in its own backing phrase ("Kurdish fighters, backed by the
    Syrian army,"): an alliance the text states, kept though the force table counts the
    two as hostile."""
    if not actor:
        return []
    own = [f for f in prep.all_forces if forces.local(f.force_id, country) == actor]
    out: list[str] = []
    for fid, end in _glued_backers(prep, text, country, forces):
        if any(_HYPHEN_TO_BACKED.fullmatch(text, end, f.start) for f in own):
            out.append(fid)
    mentions = prep.all_forces
    joined = False
    for i, f in enumerate(mentions[:-1]):
        nxt = mentions[i + 1]
        # (and the forces listed after it: "backed by Russian jets and Iranian militias")
        joined = f in own and _OWN_BACKING.fullmatch(text, f.end, nxt.start) is not None or \
            joined and _BACKER_LISTED.fullmatch(text, f.end, nxt.start) is not None
        if joined:
            out.append(forces.local(nxt.force_id, country))
    return out


#: Between a backer and a force listed after it ("backed by Shiite militias and coalition
#: air strikes"): the listed force backs the actor too.
_BACKER_LISTED = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)"
                            r"(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+)?", re.I)
#: After a force: a verb of enabling with the force it enabled ("the coalition helped
#: Iraqi forces retake", "Russian strikes allowed the army to advance").
_ENABLER_GAP = re.compile(r"(?:['’]s?)?\s+(?:[\w-]+\s+){0,2}?(?:(?:has|have|had|also|reportedly)"
                          r"\s+)*" + _ENABLING_VERBS + r"(?:s|ed|ing)?\s+(?:the\s+)?", re.I)
_HYPHEN_BACKER = Prefilter.compile(r"((?:[\w'’.]+\s+)?[\w'’.]+)-(?:" + role_alternatives("backer")
                                   + r")\b", re.I)


def _enabler(text: str, f: ForceMention, rest: Sequence[ForceMention]) -> bool:
    """Whether force ``f`` is the subject of a verb of enabling whose object is the next
    force named ("the coalition helped Iraqi forces retake C"): it backs the one that
    acted, an associate, never the taker."""
    nxt = rest[0] if rest else None
    return nxt is not None and nxt.start - f.end <= 60 and \
        _ENABLER_GAP.fullmatch(text, f.end, nxt.start) is not None


@lru_cache(maxsize=64)
def _hyphen_backers(text: str) -> tuple[tuple[str, int], ...]:
    """The words glued to "-backed", "-led", "-supported" ... in a sentence ("US-backed"),
    with where the hyphenated word ends."""
    return tuple((m.group(1), m.end()) for m in _HYPHEN_BACKER.finditer(text)) \
        if "-" in text and _can_match(_HYPHEN_BACKER, text) else ()


#: "backed by US-led coalition air strikes", "with the help of Russian": the strikes back
#: an action the sentence tells, and are dated with it.
_BACKED_BY = BACKING_PHRASE + r"\s"
_BACKED_BY_NEAR = re.compile(r"\b" + _BACKED_BY + r"+(?:the\s+)?(?:[\w.'’-]+\s+){0,3}$", re.I)
_BACKED_BY_CUE = _Cue(_BACKED_BY)
#: "with heavy Russian air cover", "with US artillery support": a force named as the
#: adjective of its support is a backer too.
_SUPPORT_NOUN_AFTER = re.compile(r"\s+(?:(?:close|heavy|aerial)\s+)?(?:air|aerial|artillery|fire)"
                                 r"\s+(?:support|cover|power|backing)\b", re.I)
_WITH_BEFORE = re.compile(r"\b(?:with|under)\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.I)
#: A force named as the holder of a place: "the former IS stronghold of", "the rebels' last
#: bastion", "areas held by IS"; and the hyphenated "IS-held", "Kurdish-controlled" (the
#: force finder does not read a name glued to a hyphen, so those are looked up apart).
_HOLDER_AFTER = re.compile(r"^(?:['’]s?)?\s+(?:(?:former|last|main|key|remaining|de\s+facto|"
                           r"urban|self-declared|self-proclaimed)\s+){0,2}"
                           r"(?:strongholds?|bastions?|enclaves?|territory|capital|hub)\b", re.I)
#: (its nouns, asked about a whole sentence before its forces are)
_HOLDER_NOUN = Prefilter(_HOLDER_AFTER)
_HOLDER_BEFORE = Prefilter.compile(r"\b(?:strongholds?|bastions?|enclaves?|territory|areas?|towns?|"
                            r"villages?)\s+(?:held|controlled|occupied)\s+by\s+(?:the\s+)?"
                            r"(?:[\w'-]+\s+){0,1}$", re.I)
_HYPHEN_HELD = Prefilter.compile(r"((?:[\w'’.]+\s+)?[\w'’.]+)-(?:" + role_alternatives("holder")
                                 + r")\b", re.I)


@_per_sentence
def _holders(prep: Prepared, text: str, country: str, forces: ForceTable) -> list[str]:
    """Forces the sentence names only as the holder of a place ("IS-held Tal Afar", "the
    former IS stronghold of Mosul", "areas held by the rebels"): the side attacked, not
    the attacker. A force also named in another way in the sentence is not listed."""
    held: list[str] = []
    other: set[str] = set()
    named = _can_match(_HOLDER_NOUN, text) or _can_match(_HOLDER_BEFORE, text)
    for f in prep.all_forces:
        fid = forces.local(f.force_id, country)
        if named and _named_as_holder(text[f.end:f.end + 50], text[max(0, f.start - 50):f.start]):
            held.append(fid)
        else:
            other.add(fid)
    for name in _hyphen_held(text):
        found = forces.find_mentions(name)
        if found and found[-1].end == len(name):
            held.append(forces.local(found[-1].force_id, country))
    return [h for h in dict.fromkeys(held) if h not in other]


@lru_cache(maxsize=4096)
def _named_as_holder(after: str, before: str) -> bool:
    """Whether the words after a force ("'s former stronghold") or before it ("areas held
    by") name it as a place's holder (remembered: asked for every country of a sentence)."""
    return bool(_HOLDER_AFTER.match(after) or _HOLDER_BEFORE.search(before))


@lru_cache(maxsize=64)
def _hyphen_held(text: str) -> tuple[str, ...]:
    """The words glued to "-held", "-controlled" ... in a sentence ("IS-held")."""
    return tuple(m.group(1) for m in _HYPHEN_HELD.finditer(text)) if "-" in text else ()


def _role_actors(trig: Trigger, roles: Roles, prep: Prepared,
                 country: str, forces: ForceTable) -> tuple[str, str, list[str]] | None:
    """actor1, actor2 and associates from the parse (``syntax.Roles``), by kind of trigger:
    the subject acts in the active voice ("A seized C"), the by-phrase in the passive ("C
    was retaken by A"); "fell to A" names the winner; the object, the from- and the
    against-phrases name the other side ("A drove B out of C", "B was driven from C",
    "strikes on B"). None when the parse found no force in any role."""
    eligible = {id(f) for f in prep.forces}
    text = prep.sent.text

    def ids(role: str) -> list[str]:
        out: list[str] = []
        for i in roles.forces(role):
            f = prep.all_forces[i]
            if role == "subj" and target_before(text[max(0, f.start - ROLE_WINDOW):f.start]):
                continue        # "men helping IS seized C": not IS (the role table's target)
            if id(f) in eligible:
                fid = forces.local(f.force_id, country)
                if fid not in out:
                    out.append(fid)
        return out

    subj, obj, agent, source, target, to, of = (ids(r) for r in (
        "subj", "obj", "agent", "source", "target", "to", "of"))
    kind = trig.rule.kind
    if kind == "under":                    # the force is inside the words: no parse roles
        return None
    if kind == "support":                  # "air support from the coalition"
        a1, a2 = source + agent + of, target
    elif kind == "fall":
        # "fell to fighters from the Islamic State group": the from-phrase names the
        # winner when the to-phrase names no force
        a1, a2 = (to + agent, source) if to + agent else (source, [])
    elif kind == "loss":
        a1, a2 = to + agent, subj
    elif kind == "withdrawal":             # "B withdrew from C": B lost it
        a1, a2 = [], subj
    elif kind == "came_under":             # "B came under fire from A"
        a1, a2 = source + agent, subj
    elif roles.passive or kind in ("passive", "expelled", "held_by"):
        a1, a2 = agent, subj + source + target
    elif roles.noun:
        a1, a2 = agent, target + source + of
    else:
        a1, a2 = subj + agent, obj + source + target
    if not a1 and not a2:
        return None
    actor1 = a1[0] if a1 else ""
    actor2 = next((f for f in a2 if f != actor1), "")
    assoc = [f for f in a1[1:] if f not in (actor1, actor2)]
    return actor1, actor2, assoc


#: "250 km north of X", "some 40 miles (64 km) south of X": X is a landmark, not the place.
_DISTANCE_BEFORE = Prefilter.compile(
    r"\b\d[\d,.]*\s*(?:-\s*)?(?:km|kms|kilomet(?:er|re)s?|miles?|mi)\b(?:\s*[(\[][^)\]]{0,30}[)\]])?\s+"
    r"(?:\w+\s+){0,1}" + COMPASS + r"(?:ern)?\s+(?:of|from)\s+(?:the\s+)?"
    r"(?:[\w'-]+\s+){0,2}$", re.I)
#: "11 km northwest of X", "30 miles (48 km) south of the city": how far and which way.
_OFFSET = re.compile(
    r"\b(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?:-\s*)?(?P<unit>km|kms|kilomet(?:er|re)s?|miles?|mi)\b"
    r"(?:\s*[(\[][^)\]]{0,30}[)\]])?\s+(?:\w+\s+){0,1}(?P<dir>" + COMPASS + r")(?:ern)?\s+"
    r"(?:of|from)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}$", re.I)
#: Compass points as bearings (degrees clockwise from north).
_BEARING = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
            "southwest": 225.0, "west": 270.0, "northwest": 315.0}
#: Farther than this, a distance phrase places nothing (a capital hundreds of km away is
#: how far the story is from it, not where it happened).
MAX_OFFSET_KM = 60.0
KM_PER_MILE = 1.609344


def offset_hit(text: str, hit: PlaceHit) -> PlaceHit | None:
    """The point a distance phrase names ("11 km northwest of X": that far from X, that
    way), as a hit located *near* (geo_precision near) on the phrase; None for a landmark
    without a distance, or one too far to stand for a place of its own."""
    lo = max(0, hit.start - 70)
    m = _OFFSET.search(text, lo, hit.start)
    if m is None:
        return None
    n = float(m["n"].replace(",", ""))
    km = n * KM_PER_MILE if m["unit"].lower().startswith("mi") else n
    if not 0 < km <= MAX_OFFSET_KM:
        return None
    way = m["dir"].lower().replace("-", "")
    point = geodesic(kilometers=km).destination((hit.place.latitude, hit.place.longitude),
                                                 _BEARING[way])
    unit = "km" if not m["unit"].lower().startswith("mi") else "miles"
    place = replace(hit.place, place_id=f"{hit.place.place_id}~{km:.0f}km{_BEARING[way]:.0f}",
                    name=f"{n:g} {unit} {way} of {hit.place.name}",
                    latitude=round(point.latitude, 5), longitude=round(point.longitude, 5),
                    place_type="locality", population=0, importance=0.0, source="offset")
    return replace(hit, start=m.start(), text=text[m.start():hit.end], place=place,
                   candidates=(place,), alternatives=(), reference=False, direction=False,
                   topic=False, near=True)


#: "U.S.-led air strikes", "Russian-led strikes": the name before "-led" struck.
_LED_BEFORE = re.compile(r"((?:[A-Z][\w.]*\s+)?[A-Z][\w.]*)\s*-\s*led\s+(?:[\w-]+\s+)?$")
_LED_CUE = _Cue(r"-\s*led\s")
#: "withdrew towards X", "fled to X": where a force went, not where it fought.
_DESTINATION_BEFORE = Prefilter.compile(
    r"\b(?:withdr[ae]wn?|withdrawing|fled|fleeing|flee|flees|retreated|retreating|pulled\s+(?:back|out)|"
    r"escaped|headed|heading|evacuated|relocated)\s+(?:[\w-]+\s+){0,3}?(?:towards?|to|into|for)\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,2}?$", re.I)
#: "just south of X", "north and west of X" (no distance): X locates, it is not the place.
_DIRECTION_BEFORE = Prefilter.compile(
    r"\b" + COMPASS + r"(?:ern)?\s+(?:(?:and|or)\s+\w+\s+)?(?:of|from)\s+(?:the\s+)?"
    r"(?:capital\s+)?(?:city\s+of\s+)?$", re.I)
#: Words after a place name that make it part of a title or an office ("the Anbar
#: governor", "Babil provincial police"), not where anything happened.
_TITLE_AFTER = re.compile(r"^\s*(?:['’]s\s+(?:office|government|spokesman|statement|"
                          r"administration|party|bloc)\b|governor|provincial|police|council|operations?\s+command|"
                          r"command|spokesman|spokesperson|official|officials|mayor|chief|"
                          r"tribes?|tribal|observatory|media|news|agency|television|tv)\b", re.I)
#: A place name inside a news outlet's name: "Mosul Now news website", "Aleppo Media
#: Center", "the Kurdistan 24 channel".
_OUTLET_AFTER = re.compile(r"\s+(?:[A-Z0-9][\w'’-]*\s+){1,2}(?i:news\b|website|newspaper|daily\b|"
                           r"channel|radio|television|tv\b|media\s+(?:center|centre|office)|"
                           r"agency)")
_TITLES = (r"gen|general|col|colonel|maj|major|lt|sgt|capt|captain|president|minister|sheikh|"
           r"imam|mr|mrs|dr|brigadier|commander|spokesman|director|head|leader|cleric|ayatollah")
_TITLE_BEFORE = Prefilter.compile(r"\b(?i:" + _TITLES + r")\.?\s+(?:[A-Z][\w'’-]+\s+){0,3}$")
#: What every ``_TITLE_BEFORE`` match holds (a title and the space after it).
_TITLE_CUE = _Cue(r"(?:" + _TITLES + r")\.?\s")


@lru_cache(maxsize=64)
def _may_title(text: str) -> bool:
    """Whether the sentence can name a title before a name (``_TITLE_BEFORE``)."""
    return _TITLE_CUE.found_in(text)


_LOWER = "abcdefghijklmnopqrstuvwxyz'’"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _ends_capitalised(window: str) -> bool:
    """Whether ``window`` ends with a capitalised word and white space, as every
    ``_NAME_BEFORE`` match does (the one word before a place is mostly a verb or a
    preposition: the search of every position is spared)."""
    word = window.rstrip()
    if len(word) == len(window):
        return False
    head = word.rstrip(_LOWER)
    return len(head) < len(word) and head[-1:] in _UPPER


_NEXT_NAME = re.compile(r"\s([A-Z][a-z'’]+)\b")
_NAME_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b((?:[A-Z][a-z'’]+\s+){1,3})$")
_POSSESSIVE_END = re.compile(r"['’]s$")
_PREPOSITION_END = re.compile(r"\b(?:in|at|of|near|from|to|into|the)\s+$")
#: (the role table's speaker words, and the verbs that go on a speaker's words)
_SAID_AFTER = re.compile(r"^\s*(?:,\s+(?:a|an|the|who)\b|(?:" + role_alternatives("speaker")
                         + r"|added|adds|stressed|stresses|explained|explains|announced|"
                         r"announces)\b|\()", re.I)


#: Words after a place name that make it stand for a government or an organisation
#: (metonymy), not for where anything happened: "Damascus-backed militias", "the Baghdad
#: government", "Ankara's offensive", "Baghdad's efforts", "Washington said" (not a
#: participle with its agent: "an operation to retake Mosul announced by the premier").
#: The hyphenated words are the role table's backer words (``geo.core.roles``) and three
#: said of a capital only ("Aleppo-based", "Damascus-friendly", "Baghdad-appointed").
_METONYM_AFTER = re.compile(
    r"^(?:\s*-\s*|-)(?:" + role_alternatives("backer") + r"|based|friendly|appointed)\b"
    r"|^\s+(?:government|regime|authorities|leadership|administration|cabinet|parliament|"
    r"officials|politicians|ministry)\b"
    r"|^['’]s\s+(?:(?:\w+\s+)?(?:government|efforts?|allies|ally|polic(?:y|ies)|leaders?|"
    r"leadership|officials|authorities|army|military|forces|troops|regime|decision|"
    r"offensive|intervention|campaign|support|backing|approval|response|position|stance|"
    r"relations|ties|envoy|ambassador|embassy|troops|warplanes|jets|aircraft|proxies|"
    r"militias?|rulers?|authority|influence|orbit|grip|writ|sovereignty|central\s+government|"
    r"interests?|demands?|request|objections?|opposition|refusal|approach|strategy))\b"
    r"|^\s+(?:has\s+|had\s+|have\s+)?(?:said|says|announced|announces|accused|accuses|"
    r"blamed|blames|denied|denies|condemned|condemns|warned|warns|insisted|insists|demanded|"
    r"demands|rejected|rejects|welcomed|welcomes|urged|urges|vowed|vows|threatened|threatens|"
    r"responded|responds|retaliated|retaliates|sent|sends|deployed|deploys|ordered|orders|"
    r"agreed|agrees|refused|refuses|approved|approves|criticised|criticises|criticized|"
    r"criticizes|objected|objects|protested|hailed|hails)\b(?!\s+by\b)", re.I)
#: ... unless a preposition before the name makes it a place ("fighting in Baghdad said
#: to be fierce" is rare; "forces in Damascus-backed ..." never is).
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|near|into|outside|around|across|"
                                       r"towards?|from|inside)\s+(?:the\s+)?$", re.I)


def _metonym(text: str, hit: PlaceHit) -> bool:
    """A place name standing for its government or its people ("Baghdad said",
    "Damascus-backed", "Ankara's offensive"): not where anything happened here, though
    the same name is a place in the next sentence."""
    after = text[hit.end:hit.end + 50]
    m = _METONYM_AFTER.match(after)
    if m is None:
        return False
    if m.group(0).lstrip().startswith(("-", "'", "’")):
        return True        # a compound or a possessive is metonymy wherever it stands
    return not _PLACE_PREPOSITION_BEFORE.search(text[max(0, hit.start - 20):hit.start])


def _person_or_title(text: str, hit: PlaceHit) -> bool:
    """A place name used as (part of) a person's name or an office, not as a place:
    "Rami Abdel Rahman said", "Col. Muthana Khalid", "the Anbar governor"."""
    if _TITLE_AFTER.match(text[hit.end:hit.end + 40]) or _OUTLET_AFTER.match(text, hit.end):
        return True
    nxt = _NEXT_NAME.match(text, hit.end)
    if nxt:
        if _POSSESSIVE_END.sub("", nxt.group(1).lower()) in PERSON_NAMES:
            return True       # "Saddam Hussein's hometown": a first name of a person
    before = text[max(0, hit.start - 60):hit.start]
    if _may_title(text) and _TITLE_BEFORE.search(before):
        return True
    m = _NAME_BEFORE.search(before) if _ends_capitalised(before) else None
    if m:
        words = [w.lower() for w in m.group(1).split()]
        if any(w in PERSON_NAMES for w in words) or _SAID_AFTER.match(text[hit.end:hit.end + 20]) \
                and not _PREPOSITION_END.search(before[:m.start()]):
            return True
    return False


#: Phrases that stand for the article's town: "the city", "the strategic town", "its last
#: stronghold", "Iraq's second city", "the area" (never "the city of X", "the city's").
_TOPIC_PHRASE = re.compile(
    r"\b(?:the|this|its|their)\s+(?:(?!of\b)[\w'-]+\s+){0,3}?(?:city|town|stronghold|area|"
    r"enclave|outskirts|suburbs|environs)\b(?!\s+of\b|['’]s|\s+(?:itself\s+)?(?:where|which|that|has|is|was)\b)"
    r"|\b(?:a|an)\s+(?:(?!of\b)[\w'-]+\s+){0,2}?(?:town|city)\b(?!\s+of\b|['’]s)", re.I)
#: "Iraq's second city", "Syria's largest city": a description of a big city of that
#: country, which the article names (its most important town there), not "the town".
_NTH_CITY = re.compile(r"\b(?P<country>[A-Z][a-z]+)['’]s\s+(?:second|third|largest|biggest|"
                       r"second[- ]largest|third[- ]largest)\s+city\b")
_COUNTRY_CODES = {name.lower(): code for name, code, _ in COUNTRY_TABLE}
#: Below this importance a town is no country's "second city".
BIG_CITY_IMPORTANCE = 0.8
#: "in the capital", "the Syrian capital": the seat of a country's government (the force
#: table's ``seat``), the article's country unless a demonym names another; not "the
#: provincial capital", "the group's de facto capital", "the capital of X" (a name
#: follows), nor "the capital, X" / "the capital X" (named there).
_CAPITAL_PHRASE = re.compile(r"\bthe\s+(?:(?P<demonym>[A-Z][a-z]+)\s+)?capital\b"
                             r"(?!\s+(?:of|city)\b|['’]s|-)")


def _capital_phrases(text: str, topic: PlaceHit, hits: list[PlaceHit], places: PlaceFinder,
                     forces: ForceTable) -> list[PlaceHit]:
    """Hits for "the capital" / "the Iraqi capital": the seat of the government of the
    article's country (the topic town's; a demonym names another), from the force
    table's ``seat`` column, so no capital is named in code."""
    out: list[PlaceHit] = []
    for m in _CAPITAL_PHRASE.finditer(text):
        if any(h.start < m.end() + 3 and m.start() < h.end for h in hits):
            continue        # "the capital, Baghdad": the name is read as itself
        country = topic.place.country
        if m["demonym"]:
            code = DEMONYMS.get(m["demonym"].lower())
            if code is None:
                continue
            country = code
        seat_force = next((f for f in forces.seats() if f.government_of == country), None)
        by_id = getattr(places, "place_by_id", None)
        if seat_force is None or by_id is None:
            continue
        seat = by_id(seat_force.seat)       # (a millisecond or two, asked only here)
        if seat is None:
            continue
        out.append(replace(topic, start=m.start(), end=m.end(), text=m.group(0), place=seat,
                           candidates=(seat,), alternatives=(), topic=True, objective=False,
                           reference=False, direction=False))
    return out
#: Country adjectives: "the eastern Syrian city" is not a town in Iraq.
DEMONYMS = {"iraqi": "IQ", "syrian": "SY", "turkish": "TR", "lebanese": "LB",
            "jordanian": "JO", "iranian": "IR", "kurdish": ""}
#: Words inside such a phrase that show it means somewhere else or nowhere in particular.
_NOT_TOPIC = re.compile(r"\b(?:capital|border|other|another|nearby|neighbou?ring|next|same|"
                        r"whole|entire|country|rural|residential|industrial|surrounding|"
                        r"each|every|key|such)\b", re.I)
#: The same in a lede whose headline or lede names the article's town: "a key town north
#: of the capital", "a strategic border town" introduce that town (the journalist's way to
#: keep the name for later).
_NOT_TOPIC_IN_LEDE = re.compile(_NOT_TOPIC.pattern.replace("|key|", "|").replace("border|", ""),
                                re.I)


def _topic_phrases(text: str, topic: PlaceHit, hits: list[PlaceHit],
                   forces: list[ForceMention], topics: Sequence[PlaceHit] = (),
                   towns: Sequence[PlaceHit] = (), lede: bool = False) -> list[PlaceHit]:
    """Hits for the phrases of ``text`` that stand for the topic town; a phrase naming
    another country ("the eastern Syrian city") stands for the article's town in that
    country (``topics``), if it has one. ``lede``: the sentence is in the lede of an
    article whose headline or lede names its town, where an indefinite "a key town"
    introduces that town."""
    out: list[PlaceHit] = []
    matches = list(_TOPIC_PHRASE.finditer(text))
    for m in _NTH_CITY.finditer(text):
        code = _COUNTRY_CODES.get(m["country"].lower())
        big: dict[str, PlaceHit] = {}
        for t in towns:
            if t.place.country == code and t.place.importance >= BIG_CITY_IMPORTANCE:
                big.setdefault(t.place.place_id, t)
        named = any(h.start < m.end() + 3 and m.start() < h.end and not h.is_country
                    for h in hits)        # overlapping, or named right after: ", Mosul"
        if big and not named:
            # the n-th most important of the country's big towns the article names
            ranked = sorted(big.values(), key=lambda t: -t.place.importance)
            nth = 3 if "third" in m.group(0).lower() else 2 if "second" in m.group(0).lower() else 1
            city = ranked[min(nth, len(ranked)) - 1]
            out.append(replace(city, start=m.start(), end=m.end(), text=m.group(0), topic=True,
                               objective=False, reference=False, direction=False))
    for m in matches:
        lede_intro = lede and m.group(0)[:2].lower() in ("a ", "an")
        if (_NOT_TOPIC_IN_LEDE if lede_intro else _NOT_TOPIC).search(m.group(0)) or any(h.start < m.end() and m.start() < h.end
                                                 and not h.is_country for h in hits + out):
            continue
        demonyms = [DEMONYMS[w] for w in re.findall(r"[a-z]+", m.group(0).lower())
                    if DEMONYMS.get(w)]
        meant = topic
        if demonyms and topic.place.country not in demonyms:
            # "the eastern Syrian city" in a story about a town in Iraq: its Syrian town
            other = next((t for t in topics if t.place.country in demonyms), None)
            if other is None:
                continue
            meant = other
        if any(f.start < m.end() and m.start() < f.end for f in forces):
            continue
        # "Hasaka, a city divided into zones": an apposition describes the place before it
        if any(0 <= m.start() - h.end <= 3 and text[h.end:m.start()].strip() in (",", "")
               for h in hits):
            continue
        out.append(replace(meant, start=m.start(), end=m.end(), text=m.group(0), topic=True,
                           objective=False, reference=False, direction=False))
    return out


#: Words before a place that make it a landmark near which something is, not the thing:
#: such a mention does not count towards the article's town.
_NEAR_LANDMARK = Prefilter.compile(r"\b(?:near|outside(?:\s+of)?|close\s+to|not\s+far\s+from|"
                            r"on\s+the\s+(?:road|highway)\s+(?:to|from|between))\s+(?:the\s+)?"
                            r"(?:(?:city|town|capital)\s+(?:of\s+)?)?$", re.I)
#: A page's address standing as a line of the text ("http://.../town-north-of-city").
_URL_LINE = re.compile(r"\s*(?:https?://|www\.)\S+\s*")
#: A line that is not a sentence of the story (a URL, a date, a heading): not the lede.
_NOT_LEDE = re.compile(r"^(?:https?://\S+|[\W\d]*|[^.!?]{0,80})$")


def is_lede_filler(text: str) -> bool:
    """A line that is not a sentence of the story (a URL, a date, a heading)."""
    return _NOT_LEDE.fullmatch(text) is not None


def topic_place(title: str, hit_lists: Sequence[Sequence[PlaceHit]],
                title_hits: Sequence[PlaceHit] = (),
                sentences: Sequence[str] = ()) -> PlaceHit | None:
    """The article's town: the town or city it names most (the headline counts twice,
    the first mention breaks ties). Countries and provinces are never the topic.
    ``sentences`` (the texts of ``hit_lists``) tell the lede from header lines."""
    ranked = topic_places(title, hit_lists, title_hits, sentences)
    return ranked[0] if ranked else None


#: A photo agency's credit: the paragraph that holds one is a photo caption ("... on
#: Monday. (AP Photo/N)", "REUTERS/N", "Photograph: N/EPA", "Image copyright AFP").
_PHOTO_CREDIT = re.compile(r"\((?:AP|AFP|Reuters|REUTERS|Getty|EPA)\b[^)]{0,60}\)|\bAP\s+Photo/|"
                           r"\bREUTERS/|\bPhotograph:\s|\bImage\s+copyright\b|"
                           r"\((?:Photo|Photograph|File\s+photo)\b[^)]{0,60}\)")


def caption_sentences(sentences: Sequence[Sentence]) -> set[int]:
    """Indexes of the sentences of photo captions: every sentence of a paragraph that
    holds a photo agency's credit (``_PHOTO_CREDIT``)."""
    captioned = {s.paragraph for s in sentences if _PHOTO_CREDIT.search(s.text)}
    return {i for i, s in enumerate(sentences) if s.paragraph in captioned}


def topic_places(title: str, hit_lists: Sequence[Sequence[PlaceHit]],
                 title_hits: Sequence[PlaceHit] = (),
                 sentences: Sequence[str] = (),
                 captions: Collection[int] = ()) -> list[PlaceHit]:
    """The towns that could be the article's own, best first (see ``topic_place``): the
    first is the topic; the first of another country is the topic of a sentence whose
    force acts only in that country ("Iraqi troops retook the town"). ``captions``: the
    indexes of sentences of a photo caption (``caption_sentences``), which count once and
    are no part of the lede, though a page may print one first."""
    score: dict[str, float] = {}
    first: dict[str, PlaceHit] = {}
    order: dict[str, int] = {}
    n = 0
    # the headline counts twice and so does the lede (the first three sentences of the
    # story, not its URL or date lines): a side story at the end names its own town
    # often without being what the article is about
    weights: list[float] = []
    body = 0
    for i in range(len(hit_lists)):
        text = sentences[i].strip() if i < len(sentences) else "x."
        if i in captions:
            weights.append(1.0)
            continue
        if _URL_LINE.fullmatch(text):
            weights.append(0.0)     # a page's address: its slug's names are not the story's
            continue
        weights.append(2.0 if body < 3 else 1.0)
        if not _NOT_LEDE.fullmatch(text):
            body += 1
    weighted = [(2.0, title_hits, title)] + [
        (w, h, sentences[i] if i < len(sentences) else "")
        for i, (w, h) in enumerate(zip(weights, hit_lists))]
    not_topic = REGION_TYPES | COARSE_TYPES
    for weight, hl, text in weighted:
        if not weight:
            continue
        # (the goal of a campaign counts half in the headline and the lede, where it
        # would outweigh the town the story tells: "X seen as supply stop for push to
        # retake Y"; further on every mention counts one)
        goal = weight > 1.0 and bool(hl) and bool(text) and _may_name_goal(text)
        for h in hl:
            if h.is_country or h.topic or h.reference or h.direction or h.text.isupper() or \
                    h.place.place_type in not_topic:
                continue
            key = h.place.place_id or h.place.name
            near = bool(text) and bool(_NEAR_LANDMARK.search(text[max(0, h.start - 40):h.start]))
            if near:
                continue    # "near X": a landmark, not what the story is about
            if goal and _objective(text[max(0, h.start - 60):h.start]):
                # "a supply stop for the push to retake X": the goal of a campaign the
                # story is a step of counts half; a story about X names it again
                weight_here = weight / 2
            else:
                weight_here = weight
            score[key] = score.get(key, 0.0) + weight_here
            if key not in first:
                first[key], order[key] = h, n
                n += 1
    ranked = sorted(score, key=lambda k: (-score[k], order[k]))
    # a town named twice (or in the headline or lede); in a short report that names one
    # town only, that town
    floor = 1.0 if len(score) == 1 else 2.0
    return [first[k] for k in ranked if score[k] >= floor]


#: A capture trigger that ends with its from-phrase's preposition ("drove IS out of").
_FROM_END = re.compile(r"\b(?:from|out\s+of)$", re.I)
#: Between such a trigger and its place: "from the northern town of X", "out of X".
_FROM_NP_GAP = re.compile(r"\s+(?:the\s+|its\s+|their\s+)?(?:(?:[\w'’-]+\s+){0,4}?(?:of|in)\s+)?"
                          r"(?:the\s+)?", re.I)
#: A trigger's own locative naming somewhere ("attacks in Turkey", "strikes across Iraq").
#: (a month is a date, not a place: "launched an offensive in April to retake X")
#: Just before a place: the words that make it where fire came from ("rockets fired from X").
#: (words between "from" and the place: "from the rebel-held town of X", never a verb or
#: preposition that starts the impact's own phrase: "from X landed in Y")
_FIRED_FROM = re.compile(r"\b(?:fired|launched|shot)\s+from\s+(?:the\s+)?"
                         r"(?:(?!(?:landed|hit|struck|slammed|crashed|in|on|at|into|near)\b)"
                         r"[a-z'-]+\s+){0,3}$")
_FIRED_FROM_CUE = re.compile(r"\b(?:fired|launched|shot)\s+from\b")
_ELSEWHERE_AFTER = re.compile(r"\s+(?:in|across|inside|at)\s+(?:the\s+)?"
                              r"(?!(?:January|February|March|April|May|June|July|August|"
                              r"September|October|November|December)\b)(?:[A-Z]|al-|el-)")
#: Between a "direct" verb and its place: "took Suluk", "took the strategic town of X".
_DIRECT_GAP = re.compile(r"\s+(?:(?:the|a)\s+(?:[\w-]+\s+){0,2}?(?:town|city|village|district|"
                         r"base|airport|air\s+base|refinery|dam)(?:\s+of)?\s+)?(?:the\s+)?", re.I)
#: A participle clause right after a place: ", seized by IS in 2014" (its verb's place).
_PARTICIPLE_AFTER = re.compile(r"\s*,\s*" + PARTICIPLES + r"\b", re.I)


def _participle_over(text: str, end: int, trig_start: int) -> bool:
    """Whether a participle clause opening right after a place (at ``end``) holds the
    trigger starting at ``trig_start``."""
    m = _PARTICIPLE_AFTER.match(text, end)
    return m is not None and m.end() > trig_start


#: "the X dam on the Y River", "towns along the Y": the river only locates the place
#: before it (a river's point is nowhere in particular), as a province locates a town.
_ON_RIVER_GAP = re.compile(r"\s*,?\s*(?:on|along|by|beside|astride)\s+(?:the\s+)?"
                           r"(?:(?:east|west|north|south)(?:ern)?\s+)?(?:banks?\s+of\s+the\s+)?",
                           re.I)
_RELATIVE_GAP = re.compile(r"\s*,\s*(?:which|that|a\s+(?:\w+\s+){0,2}(?:city|town))\s+(?:\w+\s+){0,3}", re.I)
_CONTAINER_GAP = re.compile(r"\s*,?\s*(?:in|of)\s+(?:the\s+)?", re.I)
#: The words between the part's noun and "of"/"in" ("districts held by IS in") never
#: join another clause or name another town: in "secured the C area in January and
#: retook the town of D", C is no part of D.
_PART_OF_GAP = re.compile(r"\s*(?:(?:and|,)\s+[\w'’ -]{2,30}?\s+)?(?:districts?|neighbou?rhoods?|"
                          r"quarters?|areas?|suburbs?|outskirts)\s+"
                          r"(?:(?:(?!\b(?:and|or|but|while|town|city|village)\b)[\w'’ -]){0,40}?\s+)?"
                          r"(?:of|in)\s+(?:the\s+)?(?:(?:south|north|east|west)\w*\s+of\s+)?"
                          r"(?:(?:eastern|western|northern|southern|central|east|west|north|"
                          r"south|old)\s+)?", re.I)


def _specific(hits: list[PlaceHit], text: str,
              parts: dict[str, PlaceHit] | None = None,
              within: dict[str, Place] | None = None) -> list[PlaceHit]:
    """The places an event can be at, most specific wins:
    - "Qaryatain in Homs province": the province only locates the town, it is dropped;
    - "the Tabqa dam on the Euphrates": the river only locates the dam, it is dropped;
    - "the al-Zuhour district of eastern Mosul": the district name (which may resolve to
      some other place of that name) gives way to the city that contains it."""
    out: list[PlaceHit] = []
    skip: set[int] = set()
    for i, h in enumerate(hits):
        if i in skip:
            continue
        prev = hits[i - 1] if i else None
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if prev is not None and h.place.place_type in REGION_TYPES \
                and prev.place.place_type not in REGION_TYPES | COUNTRY_TYPES \
                and _CONTAINER_GAP.fullmatch(text[prev.end:h.start]):
            continue
        if prev is not None and h.place.place_type == "river" \
                and prev.place.place_type not in REGION_TYPES | COUNTRY_TYPES | COARSE_TYPES \
                and _ON_RIVER_GAP.fullmatch(text[prev.end:h.start]):
            continue        # "the X dam on the Y River": the dam, not the river
        gap = text[h.end:nxt.start] if nxt is not None else ""
        if nxt is not None and not nxt.is_country and (
                _part_of_gap(gap) or _DISTRICT_WORD.search(h.text)
                and _OF_CITY_GAP.fullmatch(gap)):
            own = _district_in(h, nxt)     # its own point, when the gazetteer has it
            if parts is not None:
                parts[_part_key(h.text)] = own or nxt
            if own is not None and within is not None:
                within[own.place.place_id] = nxt.place
            if own is not None:
                out.append(own)
                skip.add(i + 1)
            continue
        if nxt is not None and not nxt.is_country and _POSSESSIVE_GAP.fullmatch(gap):
            own = _district_in(nxt, h)     # "Baghdad's Sadr City": the district
            if own is not None:
                if parts is not None:
                    parts[_part_key(nxt.text)] = own
                if within is not None:
                    within[own.place.place_id] = h.place
                out.append(own)
                skip.add(i + 1)
                continue
        out.append(h)
    return out


@lru_cache(maxsize=4096)
def _part_of_gap(gap: str) -> bool:
    """Whether the words between two places make the first a part of the second ("A
    district of B"; remembered: every trigger of a sentence asks about the same gaps)."""
    return _PART_OF_GAP.fullmatch(gap) is not None


#: A district, neighbourhood or facility this close to the city named with it is in it.
DISTRICT_KM = 15.0
_DISTRICT_WORD = re.compile(r"\s(?:districts?|neighbou?rhoods?|quarters?)$", re.I)
_OF_CITY_GAP = re.compile(r"\s*(?:of|in)\s+(?:the\s+)?(?:(?:eastern|western|northern|southern|"
                          r"central|east|west|north|south|old)\s+)?", re.I)
_POSSESSIVE_GAP = re.compile(r"['’]s?\s+(?:(?:eastern|western|northern|southern|central|old|"
                             r"main|western-most|eastern-most)\s+)?", re.I)


def _part_key(name: str) -> str:
    """"al-Nashwa district" and "al-Nashwa" name one part of a city."""
    return _DISTRICT_WORD.sub("", name.lower()).strip()


def _district_in(part: PlaceHit, city: PlaceHit) -> PlaceHit | None:
    """The part with the reading of its name that lies in (near) the city, or None when
    the gazetteer has no such place (the part is then located at the city)."""
    if city.place.place_type in REGION_TYPES | COUNTRY_TYPES:
        return None
    readings = [part.place, *part.candidates, *part.alternatives]
    near = [p for p in readings if haversine_km(p.latitude, p.longitude, city.place.latitude,
                                                city.place.longitude) <= DISTRICT_KM]
    if not near:
        return None
    return replace(part, place=near[0], end=part.end, objective=part.objective or city.objective)


#: A month's or a weekday's name, capitalised ("in March, and", "on Sunday, and"): a date
#: inside a list of places, never any other capitalised word ("in Ramadan, Tikrit ...").
_CALENDAR_WORD = r"(?-i:" + "|".join(sorted((w.capitalize() for w in MONTHS_AND_DAYS),
                                            key=len, reverse=True)) + r")\.?"
#: Between two places of one list: "A, B and C", "A as well as B", "A and nearby B",
#: "A and the neighbouring town of B", "A town and B village".
#: Between a place and the date that is its own: "Sinjar in August 2014".
_DATE_GAP = re.compile(r"\s*(?:(?:in|on|during)\s+)?")
_LIST_GAP = re.compile(
    r"(?:\s+(?:town|city|village|district|refinery|dam|base|airport))?"
    r"(?:\s+(?:in|on)\s+(?:(?:early|mid|late)[- ])?" + _CALENDAR_WORD + r"(?:\s+\d{1,4})?(?=,))?"
    # "Mosul in Iraq and Raqqa": the country or province a listed place lies in
    # (before "and" only: "in Ramadan, Tikrit residents" is no list); "the base northwest
    # of Kirkuk, the airport east of the city": where a listed place lies
    r"(?:\s+in\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+(?:province|governorate))?(?=\s+and\b))?"
    # "Jarabulus on the border with Turkey and the town of Manbij"
    r"(?:\s+(?:on|near|along)\s+the\s+border\s+with\s+[A-Z][\w'’-]+(?=\s+and\b))?"
    r"(?:\s+(?:just\s+)?" + COMPASS + r"\s+of\s+(?:the\s+)?"
    r"(?:city|town|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?=\s*(?:,|and\b)))?"
    r"\s*(?:,|,?\s+and|,?\s+as\s+well\s+as|\s+&|,?\s+and\s+also)\s*"
    r"(?:the\s+)?(?:(?:nearby|neighbou?ring|adjacent|surrounding|key|strategic|"
    r"northern|southern|eastern|western)\s+)?"
    r"(?:(?:city|town|village|district|area)\s+of\s+)?"
    # "... and its de facto capital D": a descriptor of the next place
    r"(?:(?:its|their|the)\s+(?:[\w-]+\s+){0,2}?(?:capital|stronghold|bastion)\s*,?\s*)?",
    re.I)


def _list_before(before: list[PlaceHit], text: str) -> list[PlaceHit]:
    """The last place before a verb and the places listed before it ("A and B were ...")."""
    out = [before[-1]]
    for prev, nxt in zip(reversed(before[:-1]), reversed(before[1:])):
        if _LIST_GAP.fullmatch(text, prev.end, nxt.start):
            out.insert(0, prev)
        else:
            break
    return out


def _list_from(after: list[PlaceHit], text: str) -> list[PlaceHit]:
    """The first place after a verb and the places listed with it ("A, B, and C")."""
    out = [after[0]]
    for prev, nxt in zip(after, after[1:]):
        if _LIST_GAP.fullmatch(text, prev.end, nxt.start):
            out.append(nxt)
        else:
            break
    return out


_CLASS_RANK = {"capture": 0, "civilians": 1, "strike": 2, "fight": 3, "strategic": 4}


#: Classes that describe one action when a sentence names them together ("fighting that
#: ended in the capture"); strikes from the air or by artillery ("retook the town with air
#: support from the coalition") and harm done to civilians ("stormed the town and abducted
#: 230 people") are separate events at the same place.
_GROUP = {"capture": "ground", "strike": "strike", "fight": "ground",
          "civilians": "civilians", "strategic": "civilians"}


#: A civilian-harm trigger that only counts a toll: "killed 12 civilians", "killing civilians".
_TOLL_TRIGGER = re.compile(r"kill(?:ed|ing|s)?\b", re.I)


def _strike_tolls(drafts: list[Draft]) -> list[Draft]:
    """"A car bomb killed 12 civilians in X", "air strikes killed civilians in X": the
    killing is the strike's toll, one event (ACLED codes the explosion or the strike, its
    victims civilians), not a second attack on civilians at the same place; an execution
    or a massacre told with a strike stays its own event."""
    struck = {(d.place.place.place_id, d.trigger.start) for d in drafts
              if d.trigger.rule.cls == STRIKE}
    return [d for d in drafts if not (
        d.trigger.rule.cls == CIVILIANS and _TOLL_TRIGGER.match(d.trigger.text)
        and any(pid == d.place.place.place_id and start < d.trigger.start
                for pid, start in struck))]


def _one_per_place(drafts: list[Draft]) -> list[Draft]:
    """One ground, one strike and one civilian-harm event per place, date and sentence:
    within each, the strongest trigger wins (a capture over the fighting that led to it);
    an undated trigger joins a dated one of its group ("fighting in Mosul ... battled
    their way to the bridge several days ago" is one fight, several days ago)."""
    best: dict[tuple[str, str, object], Draft] = {}

    def rank(d: Draft) -> tuple[bool, int, bool]:
        return (d.trigger.rule.strength < 1, _CLASS_RANK[d.trigger.rule.cls], d.date is None)

    for d in sorted(drafts, key=lambda d: d.date is None):
        # (a quarter or facility located at its town's point is a place of its own:
        # "retook the base northwest of X, the airport east of the city")
        part = d.place.text.casefold() if names_a_part(d.place.text, d.place.place.name) else ""
        group = (d.place.place.place_id + part, _GROUP[d.trigger.rule.cls])
        when = (d.date.date_min, d.date.date_max) if d.date is not None else None
        # two captures of one place in one sentence are two events ("entered X, which
        # fell to IS in July"): an undated one does not borrow the other's date
        # (nor the date of an event it is measured from: "retook X, four weeks after
        # launching an offensive" is not dated by the offensive's four weeks back)
        keys = [k for k in best if k[:2] == group and (k[2] == when or when is None and not (
            d.trigger.rule.cls == CAPTURE and best[k].trigger.rule.cls == CAPTURE)
            and not _measured_from(d, best[k]))]
        key = keys[0] if keys else group + (when,)
        cur = best.get(key)
        if cur is None or rank(d) < rank(cur):
            if cur is not None:
                d.fatalities = max(d.fatalities, cur.fatalities)
                if d.date is None:
                    d.date = cur.date
                _fill_actors(d, cur)
            best[key] = d
        else:
            _fill_actors(cur, d)        # "the strikes hit X ... the Russian strikes hit X"
    return list(best.values())


def _measured_from(undated: Draft, dated: Draft) -> bool:
    """Whether the dated draft's date is a span measured from the undated capture:
    "retook X, four weeks after launching an offensive" (the span follows the capture's
    trigger and ends in "after" or "before"): two moments, not one event. (An undated
    fight still joins a dated capture: "the attack comes a week after ... expelled the
    militants from X" tells one event at X.)"""
    when = dated.date
    return when is not None and undated.trigger.rule.cls == CAPTURE and \
        undated.trigger.end <= when.start and _AFTER_ANCHOR.search(when.text) is not None


#: Before a participle that continues a clause: "IS overran the city in May 2015,
#: killing and abducting hundreds".
_PARTICIPLE_BEFORE = re.compile(r",\s*(?:\w+ly\s+)?(?:\w+ing\s*(?:,\s*|\s+and\s+|,\s*and\s+))*$")


def _participles(drafts: list[Draft], text: str) -> list[Draft]:
    """A participle after a comma ("..., killing and abducting hundreds") has the
    subject and the date of the clause it continues: the draft of the nearest trigger
    before it that names its actor."""
    for d in drafts:
        t = d.trigger
        if not t.text.lower().endswith("ing") or " " in t.text or \
                not _PARTICIPLE_BEFORE.search(text, max(0, t.start - 60), t.start):
            continue
        head = [p for p in drafts if p.trigger.end <= t.start and p.actor1
                and not p.trigger.text.lower().endswith("ing")]
        if not head:
            continue
        main = max(head, key=lambda p: p.trigger.end)
        d.actor1 = main.actor1
        d.actor2 = "" if d.actor2 == d.actor1 else d.actor2
        if d.date is None or d.date_inherited:
            d.date, d.date_inherited = main.date, main.date_inherited
    return drafts


def forces_inside(trig: Trigger, forces: Sequence[ForceMention]) -> list[ForceMention]:
    """The forces named inside a trigger's words ("backed by the Russian air force")."""
    return [f for f in forces if trig.start <= f.start and f.end <= trig.end]


def _fill_actors(kept: Draft, other: Draft) -> None:
    """Sides one report of an event leaves empty, from another report of it in the same
    sentence (of the same class: a fight's sides are not a capture's)."""
    if kept.trigger.rule.cls != other.trigger.rule.cls:
        return
    if not kept.actor1 and other.actor1 and other.actor1 != kept.actor2:
        kept.actor1 = other.actor1
    if not kept.actor2 and other.actor2 and other.actor2 != kept.actor1:
        kept.actor2 = other.actor2


def capture_sub_type(actor1: str, forces: ForceTable) -> str:
    """ACLED's sub-event type of a capture: a state force regains, anyone else overtakes."""
    return "Government regains territory" if forces.is_state(actor1) \
        else "Non-state actor overtakes territory"


#: A report dated D of an event done by then ("announced on Thursday they had taken C"):
#: the event happened on D or in the days before it. Three days: the dev annotators'
#: window for current news that gives no day of its own (the publication day and the
#: three before it); the event's date stays D, the day it was known (ACLED codes an
#: event whose day is not told on its report's day, at a coarser time_precision).
REPORTED_DAYS = 3
#: A verb of reporting right before the date ("announced on Thursday", "said Monday").
_REPORTING_BEFORE = re.compile(r"\b(?:announced|announces|said|says|declared|declares|"
                               r"confirmed|confirms|reported|reports|claimed|claims|stated|"
                               r"told\s+(?:\w+\s+){0,2}?)\s*$", re.I)
#: From the date to the trigger, the event told as done before: "(that) they had",
#: "that Iraqi forces had fully".
_DONE_BY_THEN = re.compile(r"\s*,?\s*(?:that\s+)?(?:[\w'’-]+\s+){0,4}?had\s+"
                           r"(?:(?:now|already|finally|fully|also|successfully)\s+)?$", re.I)


def _reported_done(text: str, when: DateMention, trig: Trigger) -> bool:
    """Whether ``when`` is the day of a report that tells the event at ``trig`` as done
    by then: "Rebels announced on Thursday they had taken C" (the past perfect inside a
    dated report), not "Rebels took C on Thursday"."""
    return when.end <= trig.start and not when.span and \
        _REPORTING_BEFORE.search(text, max(0, when.start - 40), when.start) is not None \
        and _DONE_BY_THEN.fullmatch(text, when.end, trig.start) is not None


def _week_before(day: date) -> date:
    return _days_before(day, 6)


def _days_before(day: date, days: int) -> date:
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


#: A start told in the present perfect ("has begun an offensive", "have launched a push"):
#: the report's own news.
_JUST_BEGUN = re.compile(r"\b(?:has|have)\s+(?:now\s+|just\s+|already\s+|officially\s+)?"
                         r"(?:begun|started|launched|opened)\s+(?:(?:a|an|the|its|their)\s+)?"
                         r"(?:[\w-]+\s+){0,3}$", re.I)


#: The id of a report not identified yet (``to_event(identify=False)``): the in-article
#: merger gives a report its id only when it keeps it as an event of its own. Most reports
#: of a long article join an event already kept, and computing their ids was a twentieth
#: of extraction in text dense with events.
UNIDENTIFIED = "?"


def to_event(d: Draft, sent: Sentence, article_id: str, published: date | None,
             forces: ForceTable, source_file: str = "", source_name: str = "", *,
             identify: bool = True) -> Event:
    """Finish a draft: ACLED types and names, precision codes, dates, evidence (and the
    event's id, unless ``identify`` is False: its id is then ``UNIDENTIFIED``)."""
    rule = d.trigger.rule
    sub = rule.sub_event_type
    if rule.cls == CAPTURE:
        sub = capture_sub_type(d.actor1, forces)
    lo: date | None
    hi: date | None
    when: date | None
    if d.date is not None:
        lo, hi = d.date.date_min, d.date.date_max
        # (a report's day is the event's date: it was known by then, maybe not before)
        when = hi if d.by_report else d.date.midpoint if lo != hi else lo
        precision = precision_for(lo, hi)
    elif published is not None and _JUST_BEGUN.search(
            sent.text, max(0, d.trigger.start - 60), d.trigger.start):
        # "says it has begun an offensive": news of a start is news of the report's day
        # (or the day before), not of any day of the week before it
        lo, hi, when = _days_before(published, 1), published, published
        precision = TimePrecision.DAY
    elif published is not None:
        # Stated without a date: the report's date, within the week before it (a date
        # near the calendar's start cannot reach back a week: the interval starts there).
        lo = _week_before(published)
        hi, when, precision = published, published, TimePrecision.WEEK
    else:
        lo = hi = when = None
        precision = TimePrecision.UNDATED
    ptype = d.place.place.place_type
    if ptype in COUNTRY_TYPES:
        geo_precision = GeoPrecision.COUNTRY
    elif ptype in REGION_TYPES or ptype in COARSE_TYPES:
        geo_precision = GeoPrecision.REGION
    elif d.near or d.place_inherited:
        geo_precision = GeoPrecision.NEAR
    else:
        geo_precision = GeoPrecision.EXACT
    notes = sent.text if len(sent.text) <= 500 else sent.text[:497] + "..."
    if d.partial and rule.cls == CAPTURE:
        notes = PARTIAL_NOTE + notes
    if d.place.objective:
        notes = OBJECTIVE_NOTE + notes
    if d.ongoing is not None and d.date is not None and d.ongoing > d.date.date_max:
        notes = ongoing_tag(d.ongoing) + notes
    ev = Event(
        event_date=when, event_type=rule.event_type, sub_event_type=sub,
        actor1=forces.display(d.actor1) if d.actor1 else "",
        actor2=forces.display(d.actor2) if d.actor2 else "",
        assoc_actor_1="; ".join(forces.display(a) for a in d.assoc.split("; ") if a),
        location=d.place.place.name, latitude=d.place.place.latitude,
        longitude=d.place.place.longitude, time_precision=int(precision),
        geo_precision=int(geo_precision), source=source_name, notes=notes,
        fatalities=d.fatalities, country=d.place.place.country, admin1=d.place.place.admin1,
        date_min=lo, date_max=hi, actor1_force=d.actor1, actor2_force=d.actor2,
        control_to=d.actor1 if rule.cls == CAPTURE else "", place_id=d.place.place.place_id,
        confidence=d.confidence, article_ids=[article_id],
        event_id="" if identify else UNIDENTIFIED,
        evidence=[Evidence(article_id, sent.text, sent.start, list(d.mentions), source_file)],
    )
    return ev
