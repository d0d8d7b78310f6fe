"""The offline gazetteer: bundled places, curated places, the analyst's own places.

``Gazetteer.load()`` reads ``data/gazetteer.tsv.gz`` (built by ``geo.geocode.build``) and
``data/places_curated.csv``. Building the lookup keys for ~75,000 places takes a few
seconds, so the prepared index is pickled under ``var/cache`` (keyed by the data files'
size, time and a format version) and kept in-process; a fresh clone builds it once.

Two entry points:

* ``lookup(name, prefer_type=None, country_codes=None)`` -> ranked ``Place`` list
  (``lookup_scored`` gives the scores and how each matched);
* ``find_mentions(text)`` -> ``MentionSpan`` list: toponyms in English text with their
  character offsets, ranked candidates and the chosen place.

Ranking (see ``_prior``): a place in the theatre (Iraq, Syria) beats a neighbour's, then
the place type (town over village-sized types, province when the text says "province"),
then the importance prior from the build.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import logging
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from geo.core import paths
from geo.core.districts import DISTRICT_TYPES, seats
from geo.core.errors import GeocoderQueryError, InputError
from geo.core.files import read_cache, write_cache
from geo.core.lexicon import (
    DISTRICT_AFTER,
    NEWS_WORDS,
    PERSON_NAMES,
    STOP_KEYS,
    is_english_word,
)
from geo.core.records import Place
from geo.core.theatre import haversine_km
from geo.geocode.namecontext import MINOR_IMPORTANCE, named_not_placed, names_a_street
from geo.geocode.normalize import (
    ARTICLES,
    devowel,
    exact_key,
    fold,
    loose_key,
    mention_fold,
    mention_key,
    strip_article,
    variant_key,
)
from geo.geocode.query import COMPATIBLE_TYPES, COUNTRY_NAMES, Query, clean_text, parse_query
from geo.geocode.rank import THEATRE, Candidate, Within, rank, wanted_types

log = logging.getLogger(__name__)

#: Bump when the pickled index layout or the key functions change.
INDEX_VERSION = 15
CACHE_DIR = paths.CACHE_DIR

#: Curated places are the ones analysts name; their prior reflects that.
CURATED_IMPORTANCE = 0.8
USER_IMPORTANCE = 0.9
MIN_FUZZY_LENGTH = 5
#: Vowel-less keys ("kwrs") are matched only when they keep this many letters.
MIN_LOOSE_CONSONANTS = 4
#: Only places at least this important (or curated, or an analyst's) are matched with a
#: misspelling: one letter off one of 75,000 village names is what nonsense looks like.
FUZZY_MIN_IMPORTANCE = 0.5
#: A curated place takes the spellings of open-data records of it within this distance.
MERGE_KM = 12.0
#: A district's seat town (the nearest town named as the district, within this distance
#: of the district's centroid) takes the district's spellings
#: and at least its importance: "Hatra" alone is the town, "Hatra district" the district.
SEAT_KM = 75.0

# Lowercase words allowed inside a mention ("Mosul dam", "Deir ez-Zor", "Bab al-Hawa").
_LOWER_OK = ARTICLES | frozenset(
    {"province", "governorate", "governorates", "muhafazah", "muhafazat", "district",
     "districts", "subdistrict", "city", "town", "village", "villages", "refinery", "field",
     "oilfield", "barrage", "airfield", "bridge", "crossing", "checkpoint", "countryside",
     "area", "region", "suburbs", "outskirts", "center", "centre", "camp", "prison",
     "university"}) | frozenset(
    {"of", "bin", "bani", "ibn", "abu", "umm", "air", "base", "oil", "crossroads", "crossroad",
     "border", "crossing", "junction", "dam", "river", "refinery", "airbase", "airport"})
#: A capitalised name of one to three words, with Arabic articles ("Deir el-Zour",
#: "al-Mayadeen"), as it may stand in English news.
_CANDIDATE_NAME_RE = re.compile(
    r"(?<![\w'’-])(?P<name>(?:(?:al|el|ar|as|ash|ad|at|az|an)-)?[A-Z][a-z'’`]+(?:-[A-Z]?[a-z'’`]+)?"
    r"(?:\s+(?:(?:al|el|ez|ed|es|ash|ar|az|ad|at|an)-)?[A-Z][a-z'’`]+(?:-[A-Z]?[a-z'’`]+)?){0,2})"
    r"(?![\w'’-])")
#: Verbs whose object is a place ("captured X", "took over X", "retake X").
_PLACE_VERBS = (r"captur(?:e|es|ed|ing)|seiz(?:e|es|ed|ing)|retook|retak(?:e|es|en|ing)|"
                r"recaptur(?:e|es|ed|ing)|liberat(?:e|es|ed|ing)|storm(?:s|ed|ing)?|"
                r"enter(?:s|ed|ing)?|besieg(?:e|es|ed|ing)|shell(?:s|ed|ing)?|bomb(?:s|ed|ing)?|"
                r"overr(?:an|un|unning)|(?:took|taken|take|takes|taking)\s+over|"
                r"(?:broke|pushed|moved|advanced|swept|stormed)\s+(?:back\s+)?into|"
                r"advanc(?:e|es|ed|ing)\s+(?:on|towards?)|(?:took|taken|seized|won)\s+back|"
                r"took|freed|reclaim(?:s|ed|ing)?|regain(?:s|ed|ing)?|wrested|lost|"
                r"encircl(?:e|es|ed|ing)|surround(?:s|ed|ing)|attack(?:s|ed|ing)?|"
                r"consolidat(?:ed|ing)\s+(?:their\s+|its\s+)?control\s+(?:of|over)")
#: Words just before a name that say a place follows.
_PLACE_CUE_RE = re.compile(
    r"(?:\b(?:in|near|at|into|from|to|toward|towards|outside|around|across|capital|of\s+the\s+"
    r"(?:town|city|village|area|province|district)\s+of|(?:town|city|village|district)s?\s+of|"
    + _PLACE_VERBS + r"|struck|took\s+control\s+of|control\s+of)\s+(?:the\s+)?$)", re.I)
_STRONG_CUES = (r"\b(?:in|near|at|into|outside|around|(?:town|city|village|district|area)s?\s+of|"
                + _PLACE_VERBS + r")\s+")
#: Cues strong enough to call an unknown name a place ("in X", "the village of X").
_STRONG_PLACE_CUE_RE = re.compile(r"(?:" + _STRONG_CUES + r"(?:the\s+)?$)", re.I)
#: The same cues right before a name ("in X", not "in the X shipping firm"): what keeps a
#: minor place that stands inside a person's or a firm's name a place (``namecontext``).
_STRONG_CUE_RIGHT_BEFORE_RE = re.compile(r"(?:" + _STRONG_CUES + r"$)", re.I)
#: Words right before a name that call it a settlement: a type word ("the town of X", "the
#: villages of X") or a capture or fight verb whose object it is ("captured X"). What a
#: minor place's other spelling needs before the article's geography may read it
#: (``Gazetteer.guarded_variants``); "in X" or "near X" says a place, not a settlement.
_SETTLEMENT_CUE_RE = re.compile(
    r"(?:\b(?:(?:town|city|village|hamlet)s?\s+of|" + _PLACE_VERBS + r")\s+(?:the\s+)?$)", re.I)
#: A name listed right after a place found in the text ("Jarabulus and al-Rai") is
#: cued by it.
_LIST_GAP_RE = re.compile(r"(?:\s*,\s*|\s*,?\s+(?:and|or)\s+)$")
#: The same gap after a name, before the next one ("Rawa, Anah and Qaim were retaken").
_LIST_GAP_AFTER_RE = re.compile(r"(?:[ \t]*,[ \t]*|[ \t]*,?[ \t]+(?:and|or)[ \t]+)")
#: An Arabic article and a capitalised word right after a name: " al-Numan", " ez-Zor".
_ARTICLE_WORD_AFTER = re.compile(r"\s+(?:al|el|an|ar|as|ash|ad|at|az|ez|ed|es|en|er|ul)-[A-Z][\w'’]+")
#: Arabic generic words that open a place's name: "Tal"/"Tell" (hill), "Deir" (monastery),
#: "Kafr" (village), "Ain" (spring), "Bir" (well), "Khirbet" (ruin), "Jisr" (bridge),
#: "Qasr" (castle), "Qaryat" (village), "Ras" (head). A name they open is a place's, never
#: a person's or an English word, so its transliteration variants are safe to read where a
#: place is cued ("recaptured Tal Tamr" is the gazetteer's "Tall Tamr"), and a name found
#: right after one is only the end of the longer name ("Tal Hamis" is not "Hamis").
_TOPONYM_PREFIX = r"(?:Tal|Tall|Tell|Tel|Deir|Dayr|Kafr|Kfar|Ain|Ayn|Bir|Khirbet|Khirbat|Jisr|Qasr|Qaryat|Ras)"
_TOPONYM_PREFIX_BEFORE = re.compile(r"(?<![\w'’-])" + _TOPONYM_PREFIX + r"[ \t]+$")
_TOPONYM_PREFIX_START = re.compile(_TOPONYM_PREFIX + r"[ \t]")
#: A transliteration variant ("Mayadeen") is read in text only for a place of this
#: importance or more (or a name a toponymic word opens): minor places' variants match too
#: many people's names and words.
VARIANT_MIN_IMPORTANCE = 0.3
#: Below this importance a cued name is still a place when it is an exact spelling the
#: gazetteer holds (a village: "the nearby town of X"); transliteration variants of such
#: minor places stay out (too many people's names and words match one).
CUED_MIN_IMPORTANCE = 0.1
#: Other spellings' places offered beside a minor place's own candidates, so the article's
#: geography can choose among them (``MentionSpan.alternatives``).
ALTERNATIVES_BELOW = 0.6
#: Titles and ranks: a name with one of these is a person, not a place.
_TITLES = frozenset({"gen", "general", "col", "colonel", "maj", "major", "lt", "sgt", "capt",
                     "captain", "marine", "president", "minister", "prime", "sheikh", "imam",
                     "mr", "mrs", "dr", "brigadier", "commander", "spokesman"})
#: Words that make a capitalised name a person's, a people's or an office, not a place.
_NOT_PLACE_WORDS = PERSON_NAMES | NEWS_WORDS | _TITLES
_FOLLOWING_TYPE_RE = re.compile(
    r"[ \t-]+(province|governorate|district|countryside|city)\b", re.IGNORECASE)
_FOLLOWING_TYPE = {"province": "region", "governorate": "region", "district": "county",
                   "countryside": "region", "city": "locality"}
# A word, with apostrophes inside it ("Qa'im" is one word, its "im" is not a word).
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’‘ʼʿʾ`][^\W\d_]+)*")
_SENTENCE_END = ".!?\n:;"


#: An Arabic article glued to the name: "Alqaim", "Elbab", "Arrutba", "Ashsharqat".
_GLUED_ARTICLE_RE = re.compile(
    r"^(?:al|el|ash(?=sh)|a(?P<sun>[tdrsznl])(?=(?P=sun)))(?P<rest>[a-z]{3,}.*)$")


@dataclass(frozen=True)
class Resolution:
    """What the gazetteer made of one query: the parse, the ranked candidates (empty when
    nothing matched), notes for the analyst, and for a list one resolution per part."""

    query: Query
    candidates: tuple[Candidate, ...]
    notes: tuple[str, ...] = ()
    feature_missing: bool = False      # asked for "X dam", got the place X itself
    parts: tuple[Resolution, ...] = ()


@dataclass(frozen=True)
class MentionSpan:
    """A toponym found in text: ``text[start:end] == surface``; ``place`` is the choice
    (``candidates[0]``), the others are what else the name could mean, best first."""

    start: int
    end: int
    surface: str
    candidates: tuple[Place, ...]
    place: Place
    score: float
    prefer_type: str | None = None
    #: Places of other spellings the name may stand for ("Sinniya" is also written
    #: "Siniyah"), offered for a minor place only: the article's other places decide
    #: among them and ``candidates`` (a village three provinces away is rarely meant).
    alternatives: tuple[Place, ...] = ()


#: A ``Place`` as the tuple of its fields (unpickles faster than dataclasses).
PlaceRow = tuple[str, str, float, float, str, str, str, int, str, float]


class _Index:
    """Keys -> place numbers for one set of places (the bundled+curated base, or the
    analyst's own places).

    Laid out to unpickle fast (the load budget is 2 s): places as plain tuples turned
    into ``Place`` on first use, postings as an int (one place) or a tuple of ints."""

    def __init__(self, places: list[Place], spellings: list[list[str]]) -> None:
        self._places: dict[int, Place] = {}
        mention: dict[str, list[int]] = {}
        for i, names in enumerate(spellings):
            for mk in _mention_keys(places[i], names):
                _add(mention, mk, i)
        # Look-ups (not the mention scan) see merged spellings and seat importance.
        places, spellings = _merge_records(places, spellings)
        self.rows: list[PlaceRow] = [_row(p) for p in places]
        exact: dict[str, list[int]] = {}
        variant: dict[str, list[int]] = {}
        feature: dict[str, list[int]] = {}
        loose: dict[str, list[int]] = {}
        notable: set[str] = set()
        for i, names in enumerate(spellings):
            place = places[i]
            ekeys = {exact_key(n) for n in names}
            is_notable = _notable(place)
            for ek in ekeys | {strip_article(k) for k in ekeys}:
                if ek:
                    _add(exact, ek, i)
                    vk = variant_key(ek)
                    _add(variant, vk, i)
                    if is_notable:
                        notable.add(vk)
                        lk = loose_key(ek)
                        if sum(c not in "aiu" for c in lk) >= MIN_LOOSE_CONSONANTS:
                            _add(loose, lk, i)
            if place.place_type not in _ADMIN_TYPES:
                for base in _feature_bases(names):
                    _add(feature, base, i)
        self.exact = _pack(exact)
        self.variant = _pack(variant)
        self.feature = _pack(feature)
        self.loose = _pack(loose)
        self.feature_keys = sorted(self.feature)
        feature_loose: dict[str, list[int]] = {}
        for fk, hit in self.feature.items():
            for i in ([hit] if isinstance(hit, int) else hit):
                _add(feature_loose, devowel(fk), i)
        self.feature_loose = _pack(feature_loose)
        self.mention = _pack(mention)
        self.variant_by_length: dict[int, list[str]] = {}
        for vk in sorted(notable):
            self.variant_by_length.setdefault(len(vk), []).append(vk)
        self.mention_list = sorted(self.mention)
        self.automaton = ahocorasick.Automaton()
        for n, mk in enumerate(self.mention_list):
            self.automaton.add_word(mk, n)
        if self.mention_list:
            self.automaton.make_automaton()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_places"] = {}
        state["_pools"] = {}
        return state

    def fuzzy_pool(self, length: int) -> list[str]:
        """Variant keys of notable places one letter shorter, as long, or one longer
        (built once per length)."""
        pools: dict[int, list[str]] = self.__dict__.setdefault("_pools", {})
        pool = pools.get(length)
        if pool is None:
            pool = pools[length] = [k for n in (length - 1, length, length + 1)
                                    for k in self.variant_by_length.get(n, ())]
        return pool

    def __len__(self) -> int:
        return len(self.rows)

    #: place id -> place number, built on first use (not at load: the budget is 2 s).
    _by_id: dict[str, int] | None = None

    def number_of(self, place_id: str) -> int | None:
        """The number of the first place with this id here, or None. A dict, not a
        scan: the text scan asks for a seat's place at every "the capital", and a scan
        of ~100,000 rows cost 6 ms a time (1 MB of news prose: 2.1 -> 4.8 s)."""
        if self._by_id is None:
            by_id: dict[str, int] = {}
            for i, row in enumerate(self.rows):
                by_id.setdefault(row[0], i)
            self._by_id = by_id
        return self._by_id.get(place_id)

    def place(self, i: int) -> Place:
        p = self._places.get(i)
        if p is None:
            p = self._places[i] = Place(*self.rows[i])
        return p

    def places_for(self, table: dict[str, int | tuple[int, ...]], key: str) -> list[Place]:
        hit = table.get(key)
        if hit is None:
            return []
        if isinstance(hit, int):
            return [self.place(hit)]
        return [self.place(i) for i in hit]

    def all_places(self) -> list[Place]:
        return [self.place(i) for i in range(len(self.rows))]


def _row(p: Place) -> PlaceRow:
    """``Place`` fields in declaration order (``dataclasses.astuple`` deep-copies: slow)."""
    return (p.place_id, p.name, p.latitude, p.longitude, p.country, p.admin1, p.place_type,
            p.population, p.source, p.importance)


def _add(table: dict[str, list[int]], key: str, i: int) -> None:
    bucket = table.setdefault(key, [])
    if not bucket or bucket[-1] != i:
        bucket.append(i)


def _pack(table: dict[str, list[int]]) -> dict[str, int | tuple[int, ...]]:
    return {k: v[0] if len(v) == 1 else tuple(v) for k, v in table.items()}


_ADMIN_TYPES = frozenset({"country", "region", "county", "locality"})
#: Words that name a district rather than a town ("Markaz Al-Hasakah", "Hawija District").
_ADMIN_NAME_WORDS = frozenset({"district", "distrikt", "distriktet", "destrict", "qada",
                               "qadaa", "kaza", "nahiya", "nahiyat", "nahiyah", "markaz",
                               "mintaqa", "mintaqat", "subdistrict", "koan", "bezirk",
                               "governorate", "province", "muhafazat"})


def _notable(place: Place) -> bool:
    """Places a misspelling may resolve to: well known, curated, or the analyst's."""
    return place.source in ("curated", "user") or place.importance >= FUZZY_MIN_IMPORTANCE \
        or place.place_type in ("country", "region")


def _feature_bases(names: Iterable[str]) -> set[str]:
    """Variant keys of a feature's name without its feature word ("Mosul Dam" -> the key
    of "Mosul"), by the query grammar itself, plus its names as they are ("Tiyas", "T4"):
    a query "Mossul-Staudamm" parses to name "Mossul" + dam and finds it here."""
    out: set[str] = set()
    for name in names:
        text = clean_text(name)
        if not text or not any(c.isalpha() for c in text):
            continue
        out.add(variant_key(text))
        try:
            q = parse_query(text)
        except GeocoderQueryError:
            continue
        if q.feature and q.name and not q.qualifier and not q.is_list:
            out.add(variant_key(q.name))
    out.discard("")
    return out


def _admin_stem(name: str) -> str:
    """A district's name without district words ("Markaz Al-Hasakah" -> "al hasakah")."""
    words = [w for w in exact_key(name).split(" ") if w not in _ADMIN_NAME_WORDS]
    return " ".join(words)


def _merge_records(places: list[Place], spellings: list[list[str]]
                   ) -> tuple[list[Place], list[list[str]]]:
    """Join records of one place that the open data keeps apart.

    * A curated place takes the spellings of open-data records of the same place (same
      type, or a town for a curated town, within ``MERGE_KM``, sharing a spelling key):
      the curated "Hawija" learns WOF's "Al Huwayjah".
    * A district's seat (the nearest town within ``SEAT_KM`` sharing the district's name)
      takes the district's spellings and at least its importance: "Menbij" is a WOF
      spelling of the district only, yet the name alone means the town."""
    places = list(places)
    spellings = [list(n) for n in spellings]
    towns: dict[str, list[int]] = {}
    for i, p in enumerate(places):
        if p.place_type == "locality":
            for n in spellings[i]:
                vk = variant_key(strip_article(exact_key(n)))
                if vk:
                    towns.setdefault(vk, []).append(i)

    def near_towns(i: int, names: Iterable[str], km: float) -> list[int]:
        p = places[i]
        found: set[int] = set()
        for n in names:
            for j in towns.get(variant_key(strip_article(exact_key(n))), ()):
                q = places[j]
                if j != i and haversine_km(p.latitude, p.longitude, q.latitude,
                                           q.longitude) <= km:
                    found.add(j)
        return sorted(found, key=lambda j: haversine_km(
            p.latitude, p.longitude, places[j].latitude, places[j].longitude))

    for i, p in enumerate(places):
        if p.place_type == "county" and p.source != "curated":
            stem = _admin_stem(p.name)
            seats = near_towns(i, [stem], SEAT_KM) or near_towns(
                i, {_admin_stem(n) for n in spellings[i]} - {""}, SEAT_KM)
            if seats:
                j = seats[0]
                # Only transliterations of the shared name travel (an alias listed on the
                # district by mistake, "Samarra" on Samawa district, stays there).
                shapes = {loose_key(stem), loose_key(places[j].name)}
                extra = [n for n in spellings[i] if loose_key(_admin_stem(n)) in shapes]
                spellings[j] += [n for n in extra if n not in spellings[j]]
                if places[j].importance < p.importance + 0.02:
                    places[j] = replace(places[j], importance=round(min(
                        1.0, p.importance + 0.02), 3))
    for i, p in enumerate(places):
        if p.source != "curated":
            continue
        for j in near_towns(i, spellings[i], MERGE_KM):
            q = places[j]
            if q.source != "curated" and (q.place_type == p.place_type
                                          or p.place_type == "locality"):
                spellings[i] += [n for n in spellings[j] if n not in spellings[i]]
    return places, spellings


def _mention_keys(place: Place, names: Iterable[str]) -> set[str]:
    """The folded spellings ``find_mentions`` scans for, for one place.

    Precision first: outside the theatre only well-known places; never a stop word on
    its own; tiny places only under a distinctive (long or multi-word) name."""
    curated = place.source in ("curated", "user")
    if not curated and place.country not in THEATRE and place.importance < 0.5 \
            and place.place_type not in ("country", "region"):
        return set()
    keys: set[str] = set()
    for name in names:
        forms = _mark_forms(mention_key(name))
        if curated or place.importance >= 0.5:
            for f in list(forms):
                words = f.split(" ")
                if len(words) > 1 and words[0] in ARTICLES and len(words[1]) >= 4:
                    forms.add(" ".join(words[1:]))
        for f in forms:
            letters = sum(c.isalpha() for c in f)
            if letters < 3:
                continue
            if f in STOP_KEYS:
                continue
            if is_english_word(f) and not (curated or place.importance >= 0.5):
                continue      # "Shore", "Mute": a minor village named like a word

            words = f.split(" ")
            if words[0] in ARTICLES and len(words) == 2 and \
                    words[1] in (PERSON_NAMES | NEWS_WORDS):
                continue      # "al-Assad", "al-Qaeda"
            if not curated and place.importance < 0.5 and \
                    all(w in PERSON_NAMES or w in ARTICLES for w in words):
                continue      # a village called "Ali Said" is mostly a man in news
            if not curated and " " not in f and place.importance < 0.25 and letters < 6 \
                    and variant_key(f) != variant_key(place.name):
                continue      # (a spelling of its own name stays: "Zumar" of "Zummar")
            keys.add(f)
    return keys


#: A name with more ayn/hamza marks than this is scanned as written and with none.
MAX_MARKS_EACH = 3


def _mark_forms(key: str) -> set[str]:
    """The folded spelling with each ayn/hamza mark written or left out on its own: news
    keeps some and drops others ("Ras al-‘Ayn" for the gazetteer's "Ra's al `Ayn")."""
    parts = key.split("'")
    marks = len(parts) - 1
    if marks == 0:
        return {key}
    if marks > MAX_MARKS_EACH:
        return {key, " ".join(key.replace("'", "").split())}
    forms: set[str] = set()
    for kept in range(2 ** marks):
        form = parts[0]
        for n, part in enumerate(parts[1:]):
            form += ("'" if kept >> n & 1 else "") + part
        forms.add(" ".join(form.split()))
    return forms


#: An ayn/hamza mark (folded to ``'``) before a letter; it opens a word ("al-‘Ain",
#: "‘Ayn") when it stands first or after one of ``_BEFORE_WORD``.
_MARK_RE = re.compile(r"'(?=[a-z])")
_BEFORE_WORD = frozenset(' ("')


def _without_initial_marks(folded: str) -> tuple[str, list[int] | None]:
    """``folded`` (``mention_fold`` text) without the marks that open a word, and the
    shifts to map its offsets back (None when nothing was dropped; see ``_in_text``).

    News writes an ayn at a word's start where the gazetteer's spelling has none ("Ras
    al-‘Ain" for "Ras al-Ain"); the spellings scanned for come with and without their
    marks (``_mark_forms``), so one dropped here matches either way. Marks inside a word
    stay ("Ra’s", and "Iraq's" keeps its boundary)."""
    if "'" not in folded:
        return folded, None
    drops = [i for i in (m.start() for m in _MARK_RE.finditer(folded))
             if i == 0 or folded[i - 1] in _BEFORE_WORD]
    if not drops:
        return folded, None
    kept = [folded[a + 1:b] for a, b in zip([-1, *drops], [*drops, len(folded)], strict=True)]
    # the n-th dropped mark (0-based) stands before scan offset drops[n] - n
    return "".join(kept), [d - n for n, d in enumerate(drops)]


def _in_text(offset: int, shifts: list[int]) -> int:
    """An offset in the scanned text as an offset in the text: plus the marks dropped
    before it."""
    return offset + bisect_right(shifts, offset)


_SOURCES = {"wof": "wof", "ne": "naturalearth"}


def _read_bundled(path: Path) -> tuple[list[Place], list[list[str]]]:
    places: list[Place] = []
    spellings: list[list[str]] = []
    try:
        fh = gzip.open(path, "rt", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"cannot open the bundled gazetteer ({exc}); rebuild it with "
                         "python -m geo.geocode.build", source=str(path)) from exc
    with fh:
        header = fh.readline().rstrip("\n").split("\t")
        if header[:2] != ["id", "name"]:
            raise InputError("not a gazetteer file (bad header)", source=str(path), line=1)
        for lineno, line in enumerate(fh, start=2):
            f = line.rstrip("\n").split("\t")
            try:
                pid, name, ptype, cc, lat, lon, admin1, imp, pop, names = f
                source = _SOURCES.get(pid.split(":", 1)[0], "")
                places.append(Place(pid, name, float(lat), float(lon), cc, admin1, ptype,
                                    int(pop), source, float(imp)))
            except ValueError as exc:
                raise InputError(f"malformed row ({exc})", source=str(path),
                                 line=lineno) from exc
            spellings.append(names.split("|") if names else [name])
    return places, spellings


def read_curated(path: Path) -> tuple[list[Place], list[list[str]]]:
    """``data/places_curated.csv``: name, aliases ('|'), latitude, longitude, country,
    admin1, place_type, citation."""
    places: list[Place] = []
    spellings: list[list[str]] = []
    if not path.exists():
        return places, spellings
    with path.open(newline="", encoding="utf-8") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            try:
                name = row["name"].strip()
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except (KeyError, ValueError, AttributeError) as exc:
                raise InputError(f"bad curated place ({exc})", source=str(path),
                                 line=lineno) from exc
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not name:
                raise InputError("name empty or coordinates out of range",
                                 source=str(path), line=lineno)
            slug = re.sub(r"[^a-z0-9]+", "-", exact_key(name)).strip("-")
            places.append(Place(f"curated:{slug}", name, lat, lon, row.get("country", ""),
                                row.get("admin1", ""), row.get("place_type") or "locality",
                                0, "curated", CURATED_IMPORTANCE))
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            spellings.append([name, *aliases])
    return places, spellings


def read_aliases(path: Path) -> dict[str, list[str]]:
    """``data/place_aliases.csv``: place_id, alias, source. Spellings the open data lacks
    for a place it has ("Jindires" for WOF's Jindayris), each naming where it is written
    (a cited report, an article title). Why a file and not a rule: a spelling the press
    uses is a fact about that place, not a transliteration any other name would follow.
    Ids the gazetteer lacks are passed over (a trimmed test gazetteer); the bundled file's
    ids are pinned by a test."""
    out: dict[str, list[str]] = {}
    if not path.exists():
        return out
    with path.open(newline="", encoding="utf-8") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            pid = (row.get("place_id") or "").strip()
            alias = (row.get("alias") or "").strip()
            if not pid or not alias or not (row.get("source") or "").strip():
                raise InputError("place_id, alias and source must all be given",
                                 source=str(path), line=lineno)
            out.setdefault(pid, []).append(alias)
    return out


def _with_aliases(places: list[Place], spellings: list[list[str]],
                  aliases: dict[str, list[str]]) -> list[list[str]]:
    if not aliases:
        return spellings
    return [names + [a for a in aliases.get(p.place_id, ()) if a not in names]
            for p, names in zip(places, spellings)]


def _file_stamp(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "missing"
    return f"{st.st_size}-{st.st_mtime_ns}"


def _cache_file(data: Path, curated: Path, aliases: Path) -> Path:
    digest = hashlib.sha1(f"{INDEX_VERSION}|{data}|{_file_stamp(data)}|{curated}|"
                          f"{_file_stamp(curated)}|{aliases}|{_file_stamp(aliases)}"
                          .encode()).hexdigest()[:16]
    return CACHE_DIR / f"gazetteer-index-{digest}.pickle"


def _load_base(data: Path, curated: Path, aliases: Path, use_cache: bool) -> _Index:
    cache = _cache_file(data, curated, aliases)
    if use_cache:
        cached = read_cache(cache, _Index)
        if cached is not None:
            return cached
    places, spellings = _read_bundled(data)
    cplaces, cspellings = read_curated(curated)
    places += cplaces
    index = _Index(places, _with_aliases(places, spellings + cspellings,
                                         read_aliases(aliases)))
    if use_cache:
        write_cache(cache, index, stale="gazetteer-index-*.pickle")
    return index


_BASE_CACHE: dict[tuple[str, ...], _Index] = {}
_BASE_LOCK = threading.Lock()


class Gazetteer:
    """Bundled + curated places, optionally the analyst's own places (from a store)."""

    def __init__(self, base: _Index, user: _Index | None = None,
                 confirmed: dict[str, Place] | None = None) -> None:
        self._indexes = [base] + ([user] if user is not None and len(user) else [])
        #: exact key of a name -> the place an analyst confirmed for it
        self._confirmed: dict[str, Place] = dict(confirmed or {})
        self._lookup_cache: dict[tuple[Any, ...], Resolution] = {}
        self._within_cache: dict[str, Within | None] = {}
        self._region_cache: dict[tuple[str, str], str] = {}
        #: A found name's ranked candidates and their places (every mention of it in a
        #: long text shares the one tuple instead of building it again)
        self._mention_cache: dict[tuple[int, int, str | None],
                                  tuple[list[Candidate], tuple[Place, ...]]] = {}
        self._alternatives_cache: dict[str, tuple[Place, ...]] = {}
        #: A name of a district found in text, ranked with its seat town first (``_seat_first``).
        self._seat_cache: dict[tuple[int, int], tuple[list[Candidate], tuple[Place, ...]]] = {}

    # -- construction --------------------------------------------------------------------
    @classmethod
    def load(cls, data: Path | None = None, curated: Path | None = None, *,
             store: object | None = None, use_cache: bool = True,
             aliases: Path | None = None) -> Gazetteer:
        """The gazetteer from the bundled files (index kept in-process and pickled under
        ``var/cache``); ``aliases`` adds spellings to listed places (``read_aliases``);
        ``store`` adds its ``custom_places()``."""
        data = Path(data or paths.GAZETTEER_FILE)
        curated = Path(curated or paths.CURATED_PLACES_FILE)
        aliases = Path(aliases or paths.PLACE_ALIASES_FILE)
        key = (str(data), _file_stamp(data), str(curated), _file_stamp(curated),
               str(aliases), _file_stamp(aliases))
        with _BASE_LOCK:
            base = _BASE_CACHE.get(key)
            if base is None:
                base = _load_base(data, curated, aliases, use_cache)
                _BASE_CACHE.clear()
                _BASE_CACHE[key] = base
        user = None
        confirmed: dict[str, Place] = {}
        if store is not None:
            user_places = [_as_user_place(p) for p in store.custom_places()]  # type: ignore[attr-defined]
            names: list[list[str]] = [[p.name] for p in user_places]
            get_confirmed = getattr(store, "confirmed_names", None)
            for name, place in (get_confirmed() if get_confirmed is not None else ()):
                nkey = exact_key(clean_text(name))
                if nkey:
                    mine = replace(place, source="confirmed", importance=1.0)
                    confirmed[nkey] = mine
                    user_places.append(mine)      # so find_mentions knows the name too
                    names.append([name])
            if user_places:
                user = _Index(user_places, names)
        return cls(base, user, confirmed)

    @property
    def places(self) -> list[Place]:
        """Every place (bundled, curated, the analyst's); builds them all, so slow-ish."""
        return [p for ix in self._indexes for p in ix.all_places()]

    def __len__(self) -> int:
        return sum(len(ix) for ix in self._indexes)

    def place_by_id(self, place_id: str) -> Place | None:
        """The place with this id (bundled, curated or the analyst's), or None."""
        for ix in reversed(self._indexes):           # the analyst's first
            i = ix.number_of(place_id)
            if i is not None:
                return ix.place(i)
        return None

    # -- lookup --------------------------------------------------------------------------
    def lookup(self, name: str, prefer_type: str | None = None,
               country_codes: Sequence[str] | None = None, limit: int = 10) -> list[Place]:
        """Places ``name`` can mean, best first (empty when none, or not a name)."""
        return [c.place for c in self.lookup_scored(name, prefer_type, country_codes, limit)]

    def lookup_scored(self, name: str, prefer_type: str | None = None,
                      country_codes: Sequence[str] | None = None,
                      limit: int = 10) -> list[Candidate]:
        """Like ``lookup`` with each candidate's score (0..1) and match kind."""
        try:
            return list(self.resolve(name, prefer_type=prefer_type,
                                     country_codes=country_codes, limit=limit).candidates)
        except GeocoderQueryError:
            return []

    def resolve(self, query: str, *, prefer_type: str | None = None,
                country_codes: Sequence[str] | None = None, limit: int = 10) -> Resolution:
        """Parse ``query`` with the grammar (``geo.geocode.query``) and resolve it.

        Order of attempts for each place named: the phrase as written (a spelling the
        gazetteer holds, or a transliteration variant of one); then the parsed parts: a
        feature of the requested type named after the name ("Mossul-Staudamm"), else the
        name itself (coarser); the name with its glued article split off ("Alqaim");
        a one-letter misspelling of a notable place (always flagged for review).
        ``GeocoderQueryError`` when the query is not a place name at all."""
        ckey = (query, prefer_type, tuple(country_codes or ()), limit)
        cached = self._lookup_cache.get(ckey)
        if cached is not None:
            return cached
        parsed = parse_query(query)
        codes = tuple(country_codes or ())
        if parsed.is_list and (exact_key(parsed.raw) in self._confirmed
                               or self._key_hits(exact_key(parsed.raw))):
            parsed = Query(raw=parsed.raw, name=exact_key(parsed.raw))  # a name with "and"
        if parsed.is_list:
            parts = tuple(self._resolve_one(p, prefer_type, codes, limit) for p in parsed.parts)
            result = replace(parts[0], query=parsed, parts=parts)
        else:
            result = self._resolve_one(parsed, prefer_type, codes, limit)
        if len(self._lookup_cache) > 100_000:
            self._lookup_cache.clear()
        self._lookup_cache[ckey] = result
        return result

    def _resolve_one(self, q: Query, prefer_type: str | None, codes: tuple[str, ...],
                     limit: int) -> Resolution:
        if self._confirmed:
            # The name as written; else the parsed toponym ("north of X", "X, Iraq" use a
            # confirmation of "X"), but not for a feature ("X dam" is not X).
            keys = [exact_key(q.raw)] + ([q.name] if not q.wants_feature else [])
            for key in keys:
                mine = self._confirmed.get(key)
                if mine is not None and (not codes or mine.country in codes):
                    return Resolution(q, (Candidate(mine, 1.0, "confirmed", key, None, 1.0),),
                                      ("confirmed by an analyst",))
        within = self._within(q.within) if q.within else None
        notes: list[str] = []
        if q.within and within is None:
            notes.append(f"{q.within!r} is not a known country or province; ignored")
        region_of = self._region_of if within is not None and within.region_id else None

        def ranked(hits: list[tuple[Place, str, str]], wanted: frozenset[str]
                   ) -> list[Candidate]:
            return _own_name_first(q.name or exact_key(q.raw), rank(
                hits, wanted=wanted, country_codes=codes or None, within=within,
                region_of=region_of, limit=limit))

        if q.rules:                       # the phrase as written first ("Mosul Dam")
            hits = self._key_hits(exact_key(q.raw))
            if hits:
                return Resolution(q, tuple(ranked(hits, wanted_types(prefer_type))),
                                  tuple(notes))
        if q.wants_feature:
            types = COMPATIBLE_TYPES[q.feature or ""]
            fhits = [h for h in self._feature_hits(q.name) if h[0].place_type in types]
            if fhits:
                return Resolution(q, tuple(ranked(fhits, types)), tuple(notes))
            hits = self._name_hits(q.name)
            if hits:
                if q.feature != "facility":     # a hospital in X is near X: not a doubt
                    notes.append(f"no {q.feature} named {q.name!r} is known: the place "
                                 f"itself")
                return Resolution(q, tuple(ranked(hits, wanted_types(prefer_type))),
                                  tuple(notes), feature_missing=True)
            return Resolution(q, (), tuple(notes))
        wanted = COMPATIBLE_TYPES[q.feature] if q.feature else wanted_types(prefer_type)
        hits = self._name_hits(q.name)
        if q.feature and not any(p.place_type in wanted for p, _, _ in hits):
            hits = hits + self._looser_hits_of(q.name, wanted)
        return Resolution(q, tuple(ranked(hits, wanted)), tuple(notes))

    def _looser_hits_of(self, name: str, types: frozenset[str]) -> list[tuple[Place, str, str]]:
        """Places of the asked level matched only loosely or by a misspelling. A query
        that names its level ("Salaheddin province") must not settle for a village spelled
        exactly like it when the province it names is one transliteration away: the
        level word is the stronger evidence, so its places join the ranking."""
        lk = loose_key(name)
        hits = [(p, "loose", lk) for ix in self._indexes for p in ix.places_for(ix.loose, lk)] \
            if len(lk) >= MIN_LOOSE_CONSONANTS else []
        if not any(p.place_type in types for p, _, _ in hits) \
                and sum(c.isalpha() for c in name) >= MIN_FUZZY_LENGTH:
            hits = self._fuzzy_hits(variant_key(name))
        return [h for h in hits if h[0].place_type in types]

    def _name_hits(self, name: str) -> list[tuple[Place, str, str]]:
        """Hits for a bare name: spellings and variants, then the glued article split
        off, then a misspelling of a notable place."""
        if not name:
            return []
        hits = self._key_hits(name)
        if hits:
            return hits
        m = _GLUED_ARTICLE_RE.match(name)
        if m:
            hits = [(p, "article", k) for p, _, k in self._key_hits(m.group("rest"))]
            if hits:
                return hits
        lk = loose_key(name)
        if len(lk) >= MIN_LOOSE_CONSONANTS:
            hits = [(p, "loose", lk) for ix in self._indexes
                    for p in ix.places_for(ix.loose, lk)]
            if hits:
                return hits
        if sum(c.isalpha() for c in name) >= MIN_FUZZY_LENGTH:
            return self._fuzzy_hits(variant_key(name))
        return []

    def _feature_hits(self, name: str) -> list[tuple[Place, str, str]]:
        """Features named after ``name`` ("Mosul" -> Mosul Dam, Mosul Airport)."""
        vk = variant_key(name)
        hits: list[tuple[Place, str, str]] = []
        for ix in self._indexes:
            hits += [(p, "exact", vk) for p in ix.places_for(ix.feature, vk)]
        if not hits:
            m = _GLUED_ARTICLE_RE.match(name)
            if m:
                vk = variant_key(m.group("rest"))
                for ix in self._indexes:
                    hits += [(p, "article", vk) for p in ix.places_for(ix.feature, vk)]
        lk = loose_key(name)
        if not hits and len(lk) >= MIN_LOOSE_CONSONANTS - 1:
            for ix in self._indexes:
                hits += [(p, "loose", lk) for p in ix.places_for(ix.feature_loose, lk)]
        if not hits and sum(c.isalpha() for c in name) >= MIN_FUZZY_LENGTH:
            for ix in self._indexes:
                for key, _, _ in process.extract(vk, ix.feature_keys, score_cutoff=1,
                                                 scorer=Levenshtein.distance, limit=10):
                    hits += [(p, "fuzzy", key) for p in ix.places_for(ix.feature, key)]
        return hits

    def _key_hits(self, ek: str) -> list[tuple[Place, str, str]]:
        hits: list[tuple[Place, str, str]] = []
        seen: set[str] = set()
        vk = variant_key(ek)
        for ix in self._indexes:
            for key in (ek, strip_article(ek)):
                for p in ix.places_for(ix.exact, key):
                    if p.place_id not in seen:
                        seen.add(p.place_id)
                        hits.append((p, "exact", key))
            for p in ix.places_for(ix.variant, vk):
                if p.place_id not in seen:
                    seen.add(p.place_id)
                    hits.append((p, "variant", vk))
        return hits

    def _fuzzy_hits(self, vk: str) -> list[tuple[Place, str, str]]:
        hits: list[tuple[Place, str, str]] = []
        seen: set[str] = set()
        for ix in self._indexes:
            pool = ix.fuzzy_pool(len(vk))
            for key, _, _ in process.extract(vk, pool, scorer=Levenshtein.distance,
                                             score_cutoff=1, limit=20):
                for p in ix.places_for(ix.variant, key):
                    if p.place_id not in seen and _notable(p):
                        seen.add(p.place_id)
                        hits.append((p, "fuzzy", key))
        return hits

    def _within(self, text: str) -> Within | None:
        """The country or province a query names ("Iraq", "Nineveh", "Anbar province"),
        or None when it names neither (a note such as "(UK)" or "[sic]")."""
        cached = self._within_cache.get(text)
        if cached is not None or text in self._within_cache:
            return cached
        result: Within | None = None
        pieces = [p.strip() for p in text.split(",") if p.strip()]
        if len(pieces) > 1:            # "Anbar, Iraq": the province, checked by the country
            found = [self._within(p) for p in pieces]
            known = [w for w in found if w is not None]
            if known:
                first = known[0]
                codes = [w.country for w in known if w.country]
                result = replace(first, text=text, country=first.country or (
                    codes[0] if codes and not first.region_id and first.point is None
                    else ""))
            self._within_cache[text] = result
            return result
        code = COUNTRY_NAMES.get(exact_key(text))
        if code:
            result = Within(text, country=code)
        else:
            try:
                q = parse_query(text)
            except GeocoderQueryError:
                q = None
            if q is not None and not q.is_list and not q.wants_feature:
                wanted = COMPATIBLE_TYPES.get(q.feature or "", frozenset({"region", "county"}))
                admin = [c for c in rank(self._key_hits(q.name), wanted=wanted)
                         if c.place.place_type in ("region", "county")
                         and c.match in ("exact", "variant")]
                if admin:
                    p = admin[0].place
                    result = (Within(text, region_id=p.place_id, region_name=p.name)
                              if p.place_type == "region" else
                              Within(text, point=(p.latitude, p.longitude), radius_km=60.0))
        self._within_cache[text] = result
        return result

    def _region_of(self, place: Place) -> str:
        """The place_id of the province ``place.admin1`` names ("" when unknown)."""
        if place.place_type == "region":
            return place.place_id
        key = (place.admin1, place.country)
        rid = self._region_cache.get(key)
        if rid is None:
            rid = ""
            ek = exact_key(place.admin1)
            if ek:
                regions = [p for p, m, _ in self._key_hits(ek) if p.place_type == "region"]
                same = [p for p in regions if p.country == place.country] or regions
                rid = same[0].place_id if same else ""
            self._region_cache[key] = rid
        return rid

    # -- mentions in text ----------------------------------------------------------------
    def find_mentions(self, text: str) -> list[MentionSpan]:
        """Toponyms in English text, longest match first, in text order.

        A mention must be capitalised in the text (articles and feature words such as
        "dam" may be lowercase), must not be a stop word (months, weekdays, people's
        names, common English words), and a one-word name at the start of a sentence
        must name a well-known place. "X province/governorate" prefers the province."""
        folded, at = _without_initial_marks(mention_fold(text))
        found: list[tuple[int, int, int, int]] = []   # start, end, index no, key no
        for ino, ix in enumerate(self._indexes):
            if not ix.mention_list:
                continue
            for end, kno in ix.automaton.iter(folded):
                key = ix.mention_list[kno]
                start = end - len(key) + 1
                if start > 0 and folded[start - 1].isalnum():
                    continue
                if end + 1 < len(folded) and folded[end + 1].isalnum():
                    continue
                if at is None:
                    found.append((start, end + 1, ino, kno))
                else:                         # back to offsets in the text
                    found.append((_in_text(start, at), _in_text(end, at) + 1, ino, kno))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0], -m[2]))
        taken = bytearray(len(text) + 1)      # 1 where a chosen mention already is
        spans: list[MentionSpan] = []
        deferred: list[tuple[int, int, int, int]] = []   # sentence-start names before a list
        for start, end, ino, kno in found:
            if taken.find(1, start, end) >= 0:      # bytes are 0 or 1
                continue
            longer = self._with_article_word(text, start, end) or \
                self._with_prefix_word(text, start, end)
            if longer is not None:            # "Maarat al-Numan", not "Maarat"
                taken[longer.start:longer.end] = b"\x01" * (longer.end - longer.start)
                spans.append(longer)
                continue
            span = self._mention(text, start, end, ino, kno)
            if span is not None:
                taken[span.start:span.end] = b"\x01" * (span.end - span.start)
                spans.append(span)
            elif _LIST_GAP_AFTER_RE.match(text, end):
                deferred.append((start, end, ino, kno))
        spans += self._variant_mentions(text, taken)
        # "Rawa, Anah and Qaim were retaken": a minor place opening a sentence is cued by
        # the places listed after it (last first, so a list is read back to its head)
        for start, end, ino, kno in sorted(deferred, reverse=True):
            if taken.find(1, start, end) < 0 and _listed_before_place(text, end, taken):
                span = self._mention(text, start, end, ino, kno, listed=True)
                if span is not None:
                    taken[span.start:span.end] = b"\x01" * (span.end - span.start)
                    spans.append(span)
        spans.sort(key=lambda s: s.start)
        return _listed_types(text, spans)

    def unresolved_names(self, text: str) -> list[str]:
        """Capitalised names standing where a place stands ("in Kharayej", "the town of
        X", "X was recaptured", "X, a village near ...": ``cued_after``) that the
        gazetteer cannot resolve: what an analyst should add as a place.

        A name inside a place the text scan finds is no such name; the scan of the whole
        text runs only when some cued name is unknown (in a long text about known places
        none is, and that scan was a tenth of its extraction)."""
        unknown: list[tuple[int, int, str]] = []
        known: dict[str, bool] = {}           # spelling -> the gazetteer resolves it
        for m in _CANDIDATE_NAME_RE.finditer(text):
            start, end = m.start("name"), _name_end(m)
            surface = text[start:end]
            if known.get(surface):
                continue                      # a name the gazetteer resolves is never listed
            words = surface.replace("-", " ").split()
            # (a name listed right after an unknown cued one is cued by it: "the villages
            # of Kharayej and Zakzakiya")
            listed = bool(unknown) and _LIST_GAP_RE.fullmatch(text, unknown[-1][1], start)
            if mention_key(surface) in STOP_KEYS or text[end:end + 1] == "." and len(words[-1]) <= 4 \
                    or any(fold(w) in _NOT_PLACE_WORDS for w in words) \
                    or not (listed or _STRONG_PLACE_CUE_RE.search(text[max(0, start - 40):start])
                            or cued_after(text, end)):
                continue
            if surface not in known:
                # known: a spelling the text scan would read where it is cued (its own, or a
                # variant of a place of some size or opened by a toponymic word); a minor
                # place's other spelling ("Shuhail" for a village "Shahil") is
                # the analyst's to confirm (unless the article's geography confirms it:
                # ``guarded_variants``)
                known[surface] = any(
                    c.match == "exact" or c.match == "variant" and (
                        c.place.importance >= VARIANT_MIN_IMPORTANCE
                        or bool(_TOPONYM_PREFIX_START.match(surface)))
                    for c in self.lookup_scored(surface))
            if not known[surface]:
                unknown.append((start, end, surface))
        if not unknown:
            return []
        taken = bytearray(len(text) + 1)
        for span in self.find_mentions(text):
            taken[span.start:span.end] = b"\x01" * (span.end - span.start)
        names: dict[str, None] = {}
        for start, end, surface in unknown:
            if taken.find(1, start, end) < 0:
                names.setdefault(surface)
        return list(names)

    def guarded_variants(self, text: str, found: Iterable[tuple[int, int]]) -> list[MentionSpan]:
        """The names of ``text`` the scan (``found``: its mentions) left unread only
        because each is another spelling of a minor place ("Husseiba" for the village
        "Husaybah"), where the text calls it a settlement ("the town of X", "captured
        X", "X was recaptured", "X, a village near ..."; ``found``: the (start, end) of the
        scan's mentions): candidates for the article's
        geography to confirm (``geo.extract.geography.variant_readings``), each with its
        theatre readings as ``candidates``. Why not read them here: a minor place's
        variants match villages all over the theatre; only the article's other places
        can say which, if any, is meant."""
        taken = bytearray(len(text) + 1)
        for start, end in found:
            taken[start:end] = b"\x01" * (end - start)
        guarded: list[MentionSpan] = []
        self._variant_mentions(text, taken, guarded)
        return guarded

    def _variant_mentions(self, text: str, taken: bytearray,
                          guarded: list[MentionSpan] | None = None) -> list[MentionSpan]:
        """Spellings the scan does not know ("Mayadeen", "Deir el-Zour"): a capitalised
        name standing where a place stands (after "in", "near", "the town of", a capture
        verb, ...) is looked up with transliteration variants (never fuzzy) and kept when
        it is a theatre place of some importance. The cue keeps people's names out
        ("Qassem Soleimani" would otherwise be Sulaymaniyah). ``guarded``, when given,
        receives the settlement-cued other spellings of minor places left out
        (``guarded_variants``)."""
        out: list[MentionSpan] = []
        for m in _CANDIDATE_NAME_RE.finditer(text):
            start, end = m.start("name"), _name_end(m)
            if taken.find(1, start, end) >= 0:
                continue
            surface = text[start:end]
            if _stop_or_given_name(surface):
                continue
            before = text[max(0, start - 40):start]
            listed = _listed_after_place(text, start, taken)
            subject = cued_after(text, end)
            # (a type word after the name cues it too: "the provincial capital X city")
            if not listed and not subject and not _PLACE_CUE_RE.search(before) and \
                    not _FOLLOWING_TYPE_RE.match(text, end):
                continue
            prefer = None
            follow = _FOLLOWING_TYPE_RE.match(text, end)
            if follow:
                prefer = _FOLLOWING_TYPE[follow.group(1).lower()]
            cands = [c for c in self.lookup_scored(surface, prefer_type=prefer)
                     if c.match in ("exact", "variant")]
            if not cands or cands[0].place.country not in THEATRE:
                continue
            # a minor place needs its own spelling (or a name a toponymic prefix opens:
            # "Tal Tamr") and a strong cue ("the town of X", "captured X", "X was
            # recaptured") or a list of places; a known town of some size less
            strong = listed or subject or bool(_STRONG_PLACE_CUE_RE.search(before))
            own = cands[0].match == "exact" or bool(_TOPONYM_PREFIX_START.match(surface))
            floor = CUED_MIN_IMPORTANCE if strong and own and \
                sum(ch.isalpha() for ch in surface) >= 4 else VARIANT_MIN_IMPORTANCE
            if cands[0].place.importance < floor or cands[0].place.importance < \
                    MINOR_IMPORTANCE and _in_another_name(text, start, end) \
                    or names_a_street(text, end):
                if guarded is not None and not own and \
                        _settlement_cued(text, start, end, cands[0].place.importance) and \
                        not _in_another_name(text, start, end) and not names_a_street(text, end):
                    theatre = tuple(c.place for c in cands if c.place.country in THEATRE)
                    guarded.append(MentionSpan(start, end, surface, theatre, theatre[0],
                                               cands[0].score))
                continue
            if follow:
                end = follow.end()
            taken[start:end] = b"\x01" * (end - start)
            out.append(MentionSpan(start, end, text[start:end],
                                   tuple(c.place for c in cands), cands[0].place,
                                   cands[0].score, prefer))
        return out

    def _mention(self, text: str, start: int, end: int, ino: int,
                 kno: int, listed: bool = False) -> MentionSpan | None:
        """The mention the scan found at ``start``, or None when it is no place there.
        ``listed``: the name heads a list of places found after it (cued like "the town
        of X" at a sentence's start)."""
        ix = self._indexes[ino]
        key = ix.mention_list[kno]
        surface = text[start:end]
        if not _written_as_name(surface):
            return None
        single = len(key.split(" ")) == 1
        at_start = _sentence_start(text, start)
        if single and is_english_word(key) and (
                surface.isupper() or at_start and not _PLACE_SUBJECT_AFTER_RE.match(text, end)):
            return None       # "Hit by airstrikes, ...": a word; "Hit was retaken": the town
        prefer = None
        follow = _FOLLOWING_TYPE_RE.match(text, end)
        if follow:
            prefer = _FOLLOWING_TYPE[follow.group(1).lower()]
            end = follow.end()
            surface = text[start:end]
        cached = self._mention_cache.get((ino, kno, prefer))
        if cached is None:
            hits = [(p, "exact", key) for p in ix.places_for(ix.mention, key)]
            for other in self._indexes:      # the same name among the analyst's places
                if other is not ix:
                    hits += [(p, "exact", key) for p in other.places_for(other.mention, key)]
            ranked = _own_name_first(key, rank(hits, wanted=wanted_types(prefer), limit=10))
            mine = self._confirmed.get(exact_key(key)) if self._confirmed else None
            if mine is not None:            # the analyst's confirmation comes first
                ranked = [Candidate(mine, 1.0, "confirmed", key, None, 1.0),
                          *(c for c in ranked if c.place.place_id != mine.place_id)]
            cached = self._mention_cache[(ino, kno, prefer)] = (
                ranked, tuple(c.place for c in ranked))
        ranked, places = cached
        if not ranked:
            return None
        if prefer is None and ranked[0].match != "confirmed" and not DISTRICT_AFTER.match(
                text, end) and any(c.place.place_type in DISTRICT_TYPES for c in ranked):
            ranked, places = self._seat_first(ino, kno, ranked)
        best = ranked[0]
        if single and at_start and best.place.importance < 0.5 and not listed \
                and not _cued_subject(text, end, surface, best.place):
            return None
        if best.place.importance < MINOR_IMPORTANCE and _in_another_name(text, start, end):
            return None       # "Fatima al-Zahraa said", "the Marea shipping firm"
        if names_a_street(text, end):
            return None       # "along NAME Street": a street named for the town
        return MentionSpan(start, end, surface, places, best.place,
                           best.score, prefer, self._alternatives(key, ranked))

    def _seat_first(self, ino: int, kno: int, ranked: list[Candidate]
                    ) -> tuple[list[Candidate], tuple[Place, ...]]:
        """A district and the town it is named for share the name ("Ras al-Ain" is
        both): a name standing alone names the town, the district's seat
        (``geo.core.districts.seat_of``), as a look-up of the name reads it. The text
        may spell the name as the district's entry does and not as the town's
        ("Mahmudiyah" for the town "Al Mahmudiyah" of the district "Mahmoudiya"), so the
        seat is sought among the name's candidates and the places a look-up of the name
        finds in the district's country. It comes first when the district does, or a
        minor town (below ``ALTERNATIVES_BELOW``) that is no district's seat."""
        cached = self._seat_cache.get((ino, kno))
        if cached is None:
            first = ranked[0].place
            seated = ranked
            if first.place_type in DISTRICT_TYPES or first.place_type == "locality" \
                    and first.importance < ALTERNATIVES_BELOW:
                key = self._indexes[ino].mention_list[kno]
                countries = tuple(dict.fromkeys(
                    c.place.country for c in ranked if c.place.place_type in DISTRICT_TYPES))
                pool = [*ranked, *(c for c in self.lookup_scored(key, country_codes=countries)
                                   if c.match in ("exact", "variant"))]
                found = seats([c.place for c in pool])
                if found and not any(s.place_id == first.place_id for s in found):
                    town = next(c for c in pool if c.place is found[0])
                    seated = [town, *(c for c in ranked if c.place.place_id != found[0].place_id)]
            cached = self._seat_cache[(ino, kno)] = (seated, tuple(c.place for c in seated))
        return cached

    def _with_article_word(self, text: str, start: int, end: int) -> MentionSpan | None:
        """The name found, continued by an Arabic article and a capitalised word ("Maarat"
        + " al-Numan"), when the gazetteer knows the longer name: a prefix of a place's
        name is not that place."""
        m = _ARTICLE_WORD_AFTER.match(text, end)
        if m is None:
            return None
        surface = text[start:m.end()]
        cands = [c for c in self.lookup_scored(surface) if c.match in ("exact", "variant")]
        if not cands or cands[0].place.country not in THEATRE:
            return None
        return MentionSpan(start, m.end(), surface, tuple(c.place for c in cands),
                           cands[0].place, cands[0].score)

    def _with_prefix_word(self, text: str, start: int, end: int) -> MentionSpan | None:
        """The name found, opened by a toponymic prefix word before it ("Tal" + " Hamis"),
        when the gazetteer knows the longer name under some spelling
        (``_TOPONYM_PREFIX``): the end of a place's name is not that place."""
        if start < 4 or text[start - 1] not in " \t" or text[start - 2] not in "lrnst":
            return None             # (every prefix word ends in one of these letters)
        m = _TOPONYM_PREFIX_BEFORE.search(text[max(0, start - 9):start])
        if m is None:
            return None
        first = start - (len(m.group(0)))
        if first > 0 and (text[first - 1].isalnum() or text[first - 1] in "'’-"):
            return None
        surface = text[first:end]
        cands = [c for c in self.lookup_scored(surface) if c.match in ("exact", "variant")]
        if not cands or cands[0].place.country not in THEATRE:
            return None
        return MentionSpan(first, end, surface, tuple(c.place for c in cands),
                           cands[0].place, cands[0].score)

    def _alternatives(self, key: str, ranked: Sequence[Candidate]) -> tuple[Place, ...]:
        """Theatre places of the other spellings of a minor place's name (the same
        variant key): what else "Sinniya" may be, for the article's geography to choose."""
        if ranked[0].place.importance >= ALTERNATIVES_BELOW or ranked[0].match == "confirmed":
            return ()
        cached = self._alternatives_cache.get(key)
        if cached is None:
            own = {c.place.place_id for c in ranked}
            cached = tuple(p for p, _, _ in self._key_hits(exact_key(key))
                           if p.place_id not in own and p.country in THEATRE)[:10]
            self._alternatives_cache[key] = cached
        return cached


def _own_name_first(key: str, ranked: list[Candidate]) -> list[Candidate]:
    """Among minor places (below ``ALTERNATIVES_BELOW``), one whose own name is the
    spelling read ("Zumar" for the village "Zummar") ranks before one that only lists it
    among other names ("Qaryat Zamarat Sabir", also called "Zumar"); a well-known place
    keeps its rank whatever its name, and so does a place of the type the query asked
    for ("Hawija district" is the district, not a village Hawijah).

    Both a look-up (``Gazetteer.resolve``) and the scan of text (``find_mentions``) rank
    this way, so ``geo control --place Zumar`` and an article's "Zumar" are one town."""
    if len(ranked) < 2 or ranked[0].place.importance >= ALTERNATIVES_BELOW:
        return ranked
    ranked = _seat_town_first(ranked)
    vk = variant_key(key)
    kind = ranked[0].place.place_type
    own = [c for c in ranked if c.place.importance < ALTERNATIVES_BELOW
           and c.place.place_type == kind and variant_key(c.place.name) == vk]
    if not own or own[0] is ranked[0] or _is_seat_town(ranked[0].place, ranked):
        return ranked
    return [own[0], *(c for c in ranked if c is not own[0])]


def _seat_town_first(ranked: list[Candidate]) -> list[Candidate]:
    """A minor town ranked first gives way to the seat of a district of the same name
    (``geo.core.districts``): "Choman" is the district's town, not the village of that
    name 17 km off that the open data ranks higher; "Soran" the Erbil district's town."""
    first = ranked[0].place
    if first.place_type != "locality" or not any(
            c.place.place_type in DISTRICT_TYPES for c in ranked):
        return ranked
    found = seats([c.place for c in ranked])
    if not found or any(s is first for s in found):
        return ranked
    seat = next(c for c in ranked if c.place is found[0])
    return [seat, *(c for c in ranked if c is not seat)]


def _is_seat_town(place: Place, ranked: Sequence[Candidate]) -> bool:
    return place.place_type == "locality" and any(
        c.place.place_type in DISTRICT_TYPES for c in ranked) and \
        any(s is place for s in seats([c.place for c in ranked]))


#: After a name opening a sentence: words that make it a place as subject ("Hit was
#: retaken", "Hit fell to", "Hit, a town on the Euphrates,"), not a verb or adjective.
_PLACE_SUBJECT_AFTER_RE = re.compile(
    r"\s+(?:(?:was|is|has|had|fell|lies|remains|remained)\b(?!\s+(?:by|hard)\b)|and\s+[A-Z])"
    r"|,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}(?:town|city|village)\b")


#: After a name: a change-of-hands or fighting verb whose subject it is ("X was
#: recaptured", "X fell to", "X came under attack", "X was shelled"). Only a place is the
#: subject of these, so the name counts as cued like "the town of X": at a sentence's
#: start too, and for a minor place's own spelling. People's names stay out before this
#: is asked ("Assad was ...", "Hassan was captured": ``_stop_or_given_name``), and a
#: person's verbs ("said", "was killed") never cue.
_CHANGE_OF_HANDS_AFTER_RE = re.compile(
    r"\s+(?:(?:was|were|has\s+been|had\s+been|is\s+being|was\s+being)\s+"
    r"(?:(?:quickly|finally|fully|completely|briefly|later|then|again|eventually|"
    r"reportedly|partially|largely)\s+)?"
    r"(?:captured|seized|retaken|liberated|recaptured|overrun|shelled|bombed|besieged|"
    r"stormed|encircled)"
    r"|(?:fell|falls|has\s+fallen|had\s+fallen)\s+(?:to|into\s+the\s+hands\s+of)"
    r"|(?:came|comes|has\s+come|had\s+come)\s+under\s+(?:(?:heavy|renewed|intense|rocket|"
    r"mortar|artillery|regime|government|rebel|militant)\s+)?(?:attack|fire|siege|shelling|bombardment))\b")


#: After a name: an appositive that says it is a settlement ("X, a town near the border,",
#: "X, the last village held by ..."), not a person's role ("X, a village elder").
_SETTLEMENT_APPOSITIVE_RE = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:town|city|village|hamlet|suburb|settlement)\b"
    r"(?!\s+(?:elder|official|council|councillor|mayor|chief|leader|head|resident|native|"
    r"spokes\w*|governor)\b)")


def cued_after(text: str, end: int) -> bool:
    """Whether the words after a name at ``end`` say it is a place: a change-of-hands
    verb whose subject it is ("X was recaptured") or a settlement appositive ("X, a town
    near the border,"). Both cue a name as "the town of X" before it does."""
    return bool(_CHANGE_OF_HANDS_AFTER_RE.match(text, end)
                or _SETTLEMENT_APPOSITIVE_RE.match(text, end))


def _settlement_cued(text: str, start: int, end: int, importance: float) -> bool:
    """Whether the text calls the name at ``text[start:end]`` a settlement
    (``_SETTLEMENT_CUE_RE`` before it, ``cued_after`` after it), a name of four letters
    or more whose first reading is a place of ``CUED_MIN_IMPORTANCE`` or more."""
    return importance >= CUED_MIN_IMPORTANCE and \
        sum(ch.isalpha() for ch in text[start:end]) >= 4 and \
        (bool(_SETTLEMENT_CUE_RE.search(text, max(0, start - 40), start)) or cued_after(text, end))


def _in_another_name(text: str, start: int, end: int) -> bool:
    """Whether the minor place's name at ``text[start:end]`` is part of a person's or an
    organisation's name ("Fatima al-Zahraa", "Maadan Ali", "the Marea shipping firm":
    ``namecontext.RULES``)."""
    cued = _STRONG_CUE_RIGHT_BEFORE_RE.search(text, max(0, start - 40), start) is not None
    return bool(named_not_placed(text, start, end, cued))


def _cued_subject(text: str, end: int, surface: str, place: Place) -> bool:
    """Whether a minor place's name opening a sentence is cued by the words after it
    (``cued_after``: "X was recaptured on Sunday", "X, a village near the border,"): its
    own spelling of a theatre place of ``CUED_MIN_IMPORTANCE`` or more, no person's
    name, four letters or more."""
    return cued_after(text, end) \
        and place.country in THEATRE and place.importance >= CUED_MIN_IMPORTANCE \
        and sum(ch.isalpha() for ch in surface) >= 4 and not _stop_or_given_name(surface)


#: "Hama, Homs and Latakia provinces": a plural type word after a list of names.
_PLURAL_TYPE_RE = re.compile(r"[ \t]+(provinces|governorates|districts)\b", re.IGNORECASE)
_PLURAL_TYPE = {"provinces": "region", "governorates": "region", "districts": "county"}


def _listed_types(text: str, spans: list[MentionSpan]) -> list[MentionSpan]:
    """Each name of a list closed by a plural type word ("in Hama, Homs and Latakia
    provinces") reads as a place of that type where it has one (the provinces, not the
    three cities)."""
    out = list(spans)
    for i, span in enumerate(spans):
        m = _PLURAL_TYPE_RE.match(text, span.end)
        if m is None:
            continue
        wanted = _PLURAL_TYPE[m.group(1).lower()]
        j = i
        while j >= 0:
            cur = out[j]
            typed = next((c for c in cur.candidates if c.place_type == wanted), None)
            if typed is not None:
                out[j] = replace(cur, place=typed, prefer_type=wanted, candidates=(
                    typed, *(c for c in cur.candidates if c is not typed)))
            if j == 0 or not _LIST_GAP_RE.fullmatch(text, out[j - 1].end, cur.start):
                break
            j -= 1
    return out


def _name_end(m: re.Match[str]) -> int:
    """Where a candidate name ends: before a possessive ("Mahdi's office": the name is
    "Mahdi", so the lists of words and people's names judge it)."""
    end = m.end("name")
    return end - 2 if m.group("name")[-2:] in ("'s", "’s") else end


@lru_cache(maxsize=4096)
def _stop_or_given_name(surface: str) -> bool:
    """Whether a capitalised name is a stop word or holds a person's name
    (remembered: a long text names the same forces, days and people again and again)."""
    return mention_key(surface) in STOP_KEYS or any(
        fold(w) in PERSON_NAMES for w in surface.replace("-", " ").split())


def _listed_after_place(text: str, start: int, taken: bytearray) -> bool:
    """Whether the name at ``start`` follows a place already found, in a list ("Jarabulus
    and al-Rai", "Rastan, Talbiseh")."""
    m = _LIST_GAP_RE.search(text, max(0, start - 8), start)
    return m is not None and m.end() == start and m.start() > 0 and bool(taken[m.start() - 1])


def _listed_before_place(text: str, end: int, taken: bytearray) -> bool:
    """Whether the name ending at ``end`` comes before a place already found, in a list
    ("Rawa, Anah", "Sukhnah and Qaryatain")."""
    m = _LIST_GAP_AFTER_RE.match(text, end)
    return m is not None and m.end() < len(taken) and bool(taken[m.end()])


@lru_cache(maxsize=4096)
def _written_as_name(surface: str) -> bool:
    """Whether the words of a found name are capitalised as a name's (``_capitalised``;
    remembered: a long text names the same places again and again)."""
    words = _WORD_RE.findall(surface)
    return bool(words) and _capitalised(words)


def _capitalised(words: list[str]) -> bool:
    """Every word capitalised except articles and feature words; the first significant
    word capitalised in any case ("al-Bab" is fine, "bab" is not)."""
    significant = [w for w in words if fold(w) not in ARTICLES]
    if not significant or not significant[0][0].isupper():
        return False
    return all(w[0].isupper() or fold(w) in _LOWER_OK for w in words)


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“‘(["):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _as_user_place(place: Place) -> Place:
    """An analyst's place ranks above the open data's homonyms unless it says otherwise."""
    return replace(place, source=place.source or "user",
                   importance=place.importance or USER_IMPORTANCE)


def default_gazetteer(store: object | None = None) -> Gazetteer:
    """The bundled gazetteer (cached in-process), with the store's places when given."""
    return Gazetteer.load(store=store)
