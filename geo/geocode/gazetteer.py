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
import math
import os
import pickle
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from geo import paths
from geo.errors import InputError
from geo.geocode.base import Place
from geo.geocode.normalize import (ARTICLES, FEATURE_SUFFIXES, exact_key, fold,
                                   mention_fold, mention_key, query_forms, strip_article,
                                   variant_key)
from geo.geocode.stopwords import (CAPITALISED_ONLY, NEWS_WORDS, PERSON_NAMES, STOP_KEYS)

log = logging.getLogger(__name__)

#: Bump when the pickled index layout or the key functions change.
INDEX_VERSION = 6
CACHE_DIR = paths.PROJECT_DIR / "var" / "cache"

THEATRE = frozenset({"IQ", "SY"})

#: How much a place type is worth when nothing in the query asks for a type.
TYPE_WEIGHT: dict[str, float] = {
    "country": 1.0, "locality": 1.0, "region": 0.8, "county": 0.6, "neighbourhood": 0.4,
    "campus": 0.5, "airport": 0.6, "airbase": 0.9, "dam": 0.9, "crossroad": 0.85,
    "border": 0.85, "border crossing": 0.85, "river": 0.9, "lake": 0.85, "mountain": 0.85,
    "plain": 0.85, "oil field": 0.8, "refinery": 0.85, "camp": 0.8, "site": 0.8,
}

#: Match kinds and what they are worth (a misspelling is less sure than a spelling).
MATCH_WEIGHT = {"exact": 1.0, "variant": 0.85, "fuzzy": 0.6}

#: Types a ``prefer_type`` value also accepts ("region" when the text says "province").
_TYPE_ALIASES = {"region": {"region"}, "county": {"county"}, "locality": {"locality"},
                 "province": {"region"}, "governorate": {"region"}, "district": {"county"},
                 "city": {"locality"}, "town": {"locality"}}

#: Curated places are the ones analysts name; their prior reflects that.
CURATED_IMPORTANCE = 0.8
USER_IMPORTANCE = 0.9
DEDUPE_KM = 15.0
MIN_FUZZY_LENGTH = 5

# Lowercase words allowed inside a mention ("Mosul dam", "Deir ez-Zor", "Bab al-Hawa").
_LOWER_OK = ARTICLES | frozenset(FEATURE_SUFFIXES) | frozenset(
    {"of", "bin", "bani", "ibn", "abu", "umm", "air", "base", "oil", "crossroads", "crossroad",
     "border", "crossing", "junction", "dam", "river", "refinery", "airbase", "airport"})
#: A capitalised name of one to three words, with Arabic articles ("Deir el-Zour",
#: "al-Mayadeen"), as it may stand in English news.
_CANDIDATE_NAME_RE = re.compile(
    r"(?<![\w'’-])(?P<name>(?:(?:al|el|ar|as|ash|ad|at|az|an)-)?[A-Z][a-z'’`]+(?:-[A-Z]?[a-z'’`]+)?"
    r"(?:\s+(?:(?:al|el|ez|ed|es|ash|ar|az|ad|at|an)-)?[A-Z][a-z'’`]+(?:-[A-Z]?[a-z'’`]+)?){0,2})"
    r"(?![\w'’-])")
#: Words just before a name that say a place follows.
_PLACE_CUE_RE = re.compile(
    r"(?:\b(?:in|near|at|into|from|to|toward|towards|outside|around|across|of\s+the\s+"
    r"(?:town|city|village|area|province|district)\s+of|(?:town|city|village|district)\s+of|"
    r"captured|seized|retook|recaptured|liberated|stormed|entered|besieged|shelled|bombed|"
    r"struck|took\s+control\s+of|control\s+of)\s+(?:the\s+)?$)")
#: Cues strong enough to call an unknown name a place ("in X", "the village of X").
_STRONG_PLACE_CUE_RE = re.compile(
    r"(?:\b(?:in|near|at|into|outside|around|(?:town|city|village|district|area)\s+of|"
    r"captured|seized|retook|recaptured|liberated|stormed|entered|besieged|shelled|bombed)"
    r"\s+(?:the\s+)?$)")
#: Titles and ranks: a name with one of these is a person, not a place.
_TITLES = frozenset({"gen", "general", "col", "colonel", "maj", "major", "lt", "sgt", "capt",
                     "captain", "marine", "president", "minister", "prime", "sheikh", "imam",
                     "mr", "mrs", "dr", "brigadier", "commander", "spokesman"})
_FOLLOWING_TYPE_RE = re.compile(
    r"[ \t-]+(province|governorate|district|countryside|city)\b", re.IGNORECASE)
_FOLLOWING_TYPE = {"province": "region", "governorate": "region", "district": "county",
                   "countryside": "region", "city": "locality"}
# A word, with apostrophes inside it ("Qa'im" is one word, its "im" is not a word).
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’‘ʼʿʾ`][^\W\d_]+)*")
_SENTENCE_END = ".!?\n:;"


@dataclass(frozen=True)
class Candidate:
    """One place a name can mean, with the score that ranked it and how it matched."""

    place: Place
    score: float          # 0..1
    match: str            # "exact", "variant" or "fuzzy"
    matched: str          # the key that matched (exact key, variant key or fuzzy key)


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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _prior(place: Place) -> float:
    """Ranking prior 0..1: theatre first, then type, then importance."""
    theatre = 1.0 if place.country in THEATRE else 0.0
    return 0.35 * theatre + 0.25 * TYPE_WEIGHT.get(place.place_type, 0.7) \
        + 0.4 * place.importance


class _Index:
    """Keys -> place numbers for one set of places (the bundled+curated base, or the
    analyst's own places).

    Laid out to unpickle fast (the load budget is 2 s): places as plain tuples turned
    into ``Place`` on first use, postings as an int (one place) or a tuple of ints."""

    def __init__(self, places: list[Place], spellings: list[list[str]]) -> None:
        self.rows: list[tuple] = [_row(p) for p in places]
        self._places: dict[int, Place] = {}
        exact: dict[str, list[int]] = {}
        variant: dict[str, list[int]] = {}
        mention: dict[str, list[int]] = {}
        for i, names in enumerate(spellings):
            ekeys = {exact_key(n) for n in names}
            for ek in ekeys | {strip_article(k) for k in ekeys}:
                if ek:
                    _add(exact, ek, i)
                    _add(variant, variant_key(ek), i)
            for mk in _mention_keys(places[i], names):
                _add(mention, mk, i)
        self.exact = _pack(exact)
        self.variant = _pack(variant)
        self.mention = _pack(mention)
        self.variant_by_length: dict[int, list[str]] = {}
        for vk in self.variant:
            self.variant_by_length.setdefault(len(vk), []).append(vk)
        self.mention_list = sorted(self.mention)
        self.automaton = ahocorasick.Automaton()
        for n, mk in enumerate(self.mention_list):
            self.automaton.add_word(mk, n)
        if self.mention_list:
            self.automaton.make_automaton()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_places"] = {}
        state["_pools"] = {}
        return state

    def fuzzy_pool(self, length: int) -> list[str]:
        """Variant keys one letter shorter, as long, or one longer (built once per length)."""
        pools: dict[int, list[str]] = self.__dict__.setdefault("_pools", {})
        pool = pools.get(length)
        if pool is None:
            pool = pools[length] = [k for n in (length - 1, length, length + 1)
                                    for k in self.variant_by_length.get(n, ())]
        return pool

    def __len__(self) -> int:
        return len(self.rows)

    def place(self, i: int) -> Place:
        p = self._places.get(i)
        if p is None:
            p = self._places[i] = Place(*self.rows[i])
        return p

    def places_for(self, table: dict[str, "int | tuple[int, ...]"], key: str) -> list[Place]:
        hit = table.get(key)
        if hit is None:
            return []
        if isinstance(hit, int):
            return [self.place(hit)]
        return [self.place(i) for i in hit]

    def all_places(self) -> list[Place]:
        return [self.place(i) for i in range(len(self.rows))]


def _row(p: Place) -> tuple:
    """``Place`` fields in declaration order (``dataclasses.astuple`` deep-copies: slow)."""
    return (p.place_id, p.name, p.latitude, p.longitude, p.country, p.admin1, p.place_type,
            p.population, p.source, p.importance)


def _add(table: dict[str, list[int]], key: str, i: int) -> None:
    bucket = table.setdefault(key, [])
    if not bucket or bucket[-1] != i:
        bucket.append(i)


def _pack(table: dict[str, list[int]]) -> dict[str, "int | tuple[int, ...]"]:
    return {k: v[0] if len(v) == 1 else tuple(v) for k, v in table.items()}


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
        mk = mention_key(name)
        forms = {mk, " ".join(mk.replace("'", "").split())}
        if curated or place.importance >= 0.5:
            for f in list(forms):
                words = f.split(" ")
                if len(words) > 1 and words[0] in ARTICLES and len(words[1]) >= 4:
                    forms.add(" ".join(words[1:]))
        for f in forms:
            letters = sum(c.isalpha() for c in f)
            if letters < 3:
                continue
            if f in STOP_KEYS and f not in CAPITALISED_ONLY:
                continue
            words = f.split(" ")
            if words[0] in ARTICLES and len(words) == 2 and \
                    words[1] in (PERSON_NAMES | NEWS_WORDS):
                continue      # "al-Assad", "al-Qaeda"
            if not curated and place.importance < 0.5 and \
                    all(w in PERSON_NAMES or w in ARTICLES for w in words):
                continue      # a village called "Ali Said" is mostly a man in news
            if not curated and " " not in f and place.importance < 0.25 and letters < 6:
                continue
            keys.add(f)
    return keys


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


def _file_stamp(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "missing"
    return f"{st.st_size}-{st.st_mtime_ns}"


def _cache_file(data: Path, curated: Path) -> Path:
    digest = hashlib.sha1(f"{INDEX_VERSION}|{data}|{_file_stamp(data)}|{curated}|"
                          f"{_file_stamp(curated)}".encode()).hexdigest()[:16]
    return CACHE_DIR / f"gazetteer-index-{digest}.pickle"


def _load_base(data: Path, curated: Path, use_cache: bool) -> _Index:
    cache = _cache_file(data, curated)
    if use_cache and cache.exists():
        try:
            with cache.open("rb") as fh:
                index = pickle.load(fh)
            if isinstance(index, _Index):
                return index
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            log.warning("ignoring unreadable gazetteer cache %s: %s", cache, exc)
    places, spellings = _read_bundled(data)
    cplaces, cspellings = read_curated(curated)
    index = _Index(places + cplaces, spellings + cspellings)
    if use_cache:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            for old in cache.parent.glob("gazetteer-index-*.pickle"):
                old.unlink(missing_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")   # concurrent first loads
            with tmp.open("wb") as fh:
                pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache)
        except OSError as exc:      # read-only install: work without the cache
            log.info("cannot write gazetteer cache %s: %s", cache, exc)
    return index


_BASE_CACHE: dict[tuple[str, str, str, str], _Index] = {}
_BASE_LOCK = threading.Lock()


class Gazetteer:
    """Bundled + curated places, optionally the analyst's own places (from a store)."""

    def __init__(self, base: _Index, user: _Index | None = None) -> None:
        self._indexes = [base] + ([user] if user is not None and len(user) else [])
        self._lookup_cache: dict[tuple, list[Candidate]] = {}
        self._mention_cache: dict[tuple[int, int, str | None], list[Candidate]] = {}

    # -- construction --------------------------------------------------------------------
    @classmethod
    def load(cls, data: Path | None = None, curated: Path | None = None, *,
             store: object | None = None, use_cache: bool = True) -> "Gazetteer":
        """The gazetteer from the bundled files (index kept in-process and pickled under
        ``var/cache``); ``store`` adds its ``custom_places()``."""
        data = Path(data or paths.GAZETTEER_FILE)
        curated = Path(curated or paths.CURATED_PLACES_FILE)
        key = (str(data), _file_stamp(data), str(curated), _file_stamp(curated))
        with _BASE_LOCK:
            base = _BASE_CACHE.get(key)
            if base is None:
                base = _load_base(data, curated, use_cache)
                _BASE_CACHE.clear()
                _BASE_CACHE[key] = base
        user = None
        if store is not None:
            custom = list(store.custom_places())  # type: ignore[attr-defined]
            if custom:
                user_places = [_as_user_place(p) for p in custom]
                user = _Index(user_places, [[p.name] for p in user_places])
        return cls(base, user)

    @property
    def places(self) -> list[Place]:
        """Every place (bundled, curated, the analyst's); builds them all, so slow-ish."""
        return [p for ix in self._indexes for p in ix.all_places()]

    def __len__(self) -> int:
        return sum(len(ix) for ix in self._indexes)

    # -- lookup --------------------------------------------------------------------------
    def lookup(self, name: str, prefer_type: str | None = None,
               country_codes: Sequence[str] | None = None, limit: int = 10) -> list[Place]:
        """Places ``name`` can mean, best first (empty when none)."""
        return [c.place for c in self.lookup_scored(name, prefer_type, country_codes, limit)]

    def lookup_scored(self, name: str, prefer_type: str | None = None,
                      country_codes: Sequence[str] | None = None,
                      limit: int = 10) -> list[Candidate]:
        """Like ``lookup`` with each candidate's score (0..1) and match kind.

        Order of attempts: the cleaned phrase (exact, then transliteration variants);
        the phrase without feature words ("Fallujah dam" -> "Fallujah", "Raqqa province"
        -> "Raqqa" preferring a province); a one-letter misspelling of a name of five
        letters or more, only when nothing else matched."""
        ckey = (name, prefer_type, tuple(country_codes or ()), limit)
        cached = self._lookup_cache.get(ckey)
        if cached is not None:
            return cached
        result = self._lookup(name, prefer_type, country_codes, limit)
        if len(self._lookup_cache) > 100_000:
            self._lookup_cache.clear()
        self._lookup_cache[ckey] = result
        return result

    def _lookup(self, name: str, prefer_type: str | None,
                country_codes: Sequence[str] | None, limit: int) -> list[Candidate]:
        forms = query_forms(name)
        for form in forms:
            ek = exact_key(form.text)
            if not ek:
                continue
            hits = self._key_hits(ek)
            if hits:
                return self._rank(hits, prefer_type or form.prefer_type, country_codes,
                                  limit, 0.95 if form.generic else 1.0)
        for form in reversed(forms):
            ek = exact_key(form.text)
            if sum(c.isalpha() for c in ek) < MIN_FUZZY_LENGTH:
                continue
            hits = self._fuzzy_hits(variant_key(ek))
            if hits:
                return self._rank(hits, prefer_type or form.prefer_type, country_codes,
                                  limit, 0.95 if form.generic else 1.0)
        return []

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
                                             score_cutoff=1, limit=50):
                for p in ix.places_for(ix.variant, key):
                    if p.place_id not in seen:
                        seen.add(p.place_id)
                        hits.append((p, "fuzzy", key))
        return hits

    def _rank(self, hits: list[tuple[Place, str, str]], prefer_type: str | None,
              country_codes: Sequence[str] | None, limit: int,
              factor: float = 1.0) -> list[Candidate]:
        wanted = _TYPE_ALIASES.get(prefer_type or "", {prefer_type} if prefer_type else set())
        codes = {c.upper() for c in country_codes} if country_codes else None
        scored: list[Candidate] = []
        for place, match, key in hits:
            if codes is not None and place.country.upper() not in codes:
                continue
            s = MATCH_WEIGHT[match] * (0.55 + 0.45 * _prior(place)) * factor
            if wanted:
                s = s + 0.3 if place.place_type in wanted else s - 0.05
            scored.append(Candidate(place, round(min(s, 1.0), 4), match, key))
        scored.sort(key=lambda c: (-c.score, -c.place.importance, c.place.place_id))
        kept: list[Candidate] = []
        for c in scored:
            if any(k.place.place_type == c.place.place_type and haversine_km(
                    k.place.latitude, k.place.longitude, c.place.latitude,
                    c.place.longitude) < DEDUPE_KM for k in kept):
                continue            # a duplicate record of a place already listed
            kept.append(c)
            if len(kept) >= limit:
                break
        return kept

    # -- mentions in text ----------------------------------------------------------------
    def find_mentions(self, text: str) -> list[MentionSpan]:
        """Toponyms in English text, longest match first, in text order.

        A mention must be capitalised in the text (articles and feature words such as
        "dam" may be lowercase), must not be a stop word (months, weekdays, people's
        names, common English words), and a one-word name at the start of a sentence
        must name a well-known place. "X province/governorate" prefers the province."""
        folded = mention_fold(text)
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
                found.append((start, end + 1, ino, kno))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0], -m[2]))
        taken = bytearray(len(text) + 1)      # 1 where a chosen mention already is
        spans: list[MentionSpan] = []
        for start, end, ino, kno in found:
            if any(taken[start:end]):
                continue
            span = self._mention(text, start, end, ino, kno)
            if span is not None:
                taken[span.start:span.end] = b"\x01" * (span.end - span.start)
                spans.append(span)
        spans += self._variant_mentions(text, taken)
        spans.sort(key=lambda s: s.start)
        return spans

    def unresolved_names(self, text: str) -> list[str]:
        """Capitalised names standing where a place stands ("in Kharayej", "the town of
        X") that the gazetteer cannot resolve: what an analyst should add as a place."""
        taken = bytearray(len(text) + 1)
        for span in self.find_mentions(text):
            taken[span.start:span.end] = b"\x01" * (span.end - span.start)
        names: list[str] = []
        for m in _CANDIDATE_NAME_RE.finditer(text):
            start, end = m.start("name"), m.end("name")
            if any(taken[start:end]) or \
                    not _STRONG_PLACE_CUE_RE.search(text[max(0, start - 40):start]):
                continue
            surface = text[start:end]
            words = surface.replace("-", " ").split()
            if mention_key(surface) in STOP_KEYS or text[end:end + 1] == "." and len(words[-1]) <= 4 \
                    or any(fold(w) in PERSON_NAMES | NEWS_WORDS | _TITLES for w in words):
                continue
            known = [c for c in self.lookup_scored(surface) if c.match in ("exact", "variant")]
            if not known and surface not in names:
                names.append(surface)
        return names

    def _variant_mentions(self, text: str, taken: bytearray) -> list[MentionSpan]:
        """Spellings the scan does not know ("Mayadeen", "Deir el-Zour"): a capitalised
        name standing where a place stands (after "in", "near", "the town of", a capture
        verb, ...) is looked up with transliteration variants (never fuzzy) and kept when
        it is a theatre place of some importance. The cue keeps people's names out
        ("Qassem Soleimani" would otherwise be Sulaymaniyah)."""
        out: list[MentionSpan] = []
        for m in _CANDIDATE_NAME_RE.finditer(text):
            start, end = m.start("name"), m.end("name")
            if any(taken[start:end]) or not _PLACE_CUE_RE.search(text[max(0, start - 40):start]):
                continue
            surface = text[start:end]
            if mention_key(surface) in STOP_KEYS or any(
                    fold(w) in PERSON_NAMES for w in surface.replace("-", " ").split()):
                continue
            prefer = None
            follow = _FOLLOWING_TYPE_RE.match(text, end)
            if follow:
                prefer = _FOLLOWING_TYPE[follow.group(1).lower()]
            cands = [c for c in self.lookup_scored(surface, prefer_type=prefer)
                     if c.match in ("exact", "variant")]
            if not cands or cands[0].place.country not in THEATRE \
                    or cands[0].place.importance < 0.3:
                continue
            if follow:
                end = follow.end()
            taken[start:end] = b"\x01" * (end - start)
            out.append(MentionSpan(start, end, text[start:end],
                                   tuple(c.place for c in cands), cands[0].place,
                                   cands[0].score, prefer))
        return out

    def _mention(self, text: str, start: int, end: int, ino: int,
                 kno: int) -> MentionSpan | None:
        ix = self._indexes[ino]
        key = ix.mention_list[kno]
        surface = text[start:end]
        words = _WORD_RE.findall(surface)
        if not words or not _capitalised(words):
            return None
        single = len(key.split(" ")) == 1
        at_start = _sentence_start(text, start)
        if key in CAPITALISED_ONLY and (at_start or surface.isupper()):
            return None
        prefer = None
        follow = _FOLLOWING_TYPE_RE.match(text, end)
        if follow:
            prefer = _FOLLOWING_TYPE[follow.group(1).lower()]
            end = follow.end()
            surface = text[start:end]
        ranked = self._mention_cache.get((ino, kno, prefer))
        if ranked is None:
            hits = [(p, "exact", key) for p in ix.places_for(ix.mention, key)]
            for other in self._indexes:      # the same name among the analyst's places
                if other is not ix:
                    hits += [(p, "exact", key) for p in other.places_for(other.mention, key)]
            ranked = self._mention_cache[(ino, kno, prefer)] = self._rank(hits, prefer, None, 10)
        if not ranked:
            return None
        best = ranked[0]
        if single and at_start and best.place.importance < 0.5:
            return None
        return MentionSpan(start, end, surface, tuple(c.place for c in ranked), best.place,
                           best.score, prefer)


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
