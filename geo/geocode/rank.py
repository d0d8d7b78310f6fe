"""Choosing among the places a name can mean, and saying how sure the choice is.

Each candidate gets a score in 0..1 built from parts an analyst can check:

* how the name matched (``MATCH_WEIGHT``): a spelling the gazetteer holds, a
  transliteration variant of one, the name with its Arabic article glued on, or a
  one-letter misspelling of a well-known place;
* the prior (``prior``): a place in the theatre (Iraq, Syria) before a neighbour's, then
  the place type (a town before a district of the same name), then importance;
* the query's own words: the feature type it asks for (``+TYPE_BONUS``) and the country or
  province it names (``+WITHIN_BONUS``, a place elsewhere ``-WITHIN_PENALTY``).

The result's **confidence** says how well the name fits the chosen place (the match
weight, less for a type or a country/province the query asked for and did not get); the
**margin** is the chosen place's lead in score over the best candidate that is a different place (more than ``RUNNER_UP_KM`` away, since two
records of one town a few km apart are not a real ambiguity on a map). Below the review
thresholds (settings ``geocode_review_confidence`` / ``geocode_review_margin``) the result
is flagged for an analyst instead of being mapped silently.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from geo.core import theatre
from geo.core.records import Place
from geo.core.theatre import haversine_km

#: Countries of the theatre (the ``theatre`` setting, read when the module loads).
THEATRE = frozenset(theatre.current().countries)

#: How much a place type is worth when nothing in the query asks for a type.
TYPE_WEIGHT: dict[str, float] = {
    "country": 1.0, "locality": 1.0, "region": 0.8, "county": 0.6, "neighbourhood": 0.4,
    "campus": 0.5, "airport": 0.6, "airbase": 0.9, "dam": 0.9, "crossroad": 0.85,
    "border": 0.85, "border crossing": 0.85, "river": 0.9, "lake": 0.85, "mountain": 0.85,
    "plain": 0.85, "oil field": 0.8, "refinery": 0.85, "camp": 0.8, "site": 0.8,
}

#: Match kinds and what they are worth (a misspelling is less sure than a spelling).
MATCH_WEIGHT: dict[str, float] = {
    "confirmed": 1.0,    # an analyst confirmed this place for this very name
    "exact": 1.0,        # a spelling the gazetteer holds (case, accents, punctuation aside)
    "variant": 0.9,      # a transliteration variant of one (q/k/g, doubled letters, -iyah)
    "article": 0.9,      # the Arabic article glued to the name ("Alqaim", "Arrutba")
    "loose": 0.78,       # a notable place's name but for its vowels ("Kweires", "Huwaija")
    "fuzzy": 0.62,       # one letter off a well-known place's name: always reviewed
}

TYPE_BONUS = 0.3         # the place is of the type the query asks for
TYPE_MISS = 0.05         # ... and one that is not
TYPE_MISS_FIT = 0.85     # confidence kept for a place not of the type asked for
WITHIN_BONUS = 0.3       # in the country / province the query names
WITHIN_PENALTY = 0.2     # elsewhere
#: A place outside the theatre below this importance (a village across the border) is
#: flagged: reports about the theatre rarely name one, so the theatre's own place of that
#: name is more likely missing from the data (unless the query named the country).
OUTSIDE_MIN_IMPORTANCE = 0.4
DEDUPE_KM = 15.0         # two records of one type closer than this are one place
RUNNER_UP_KM = 25.0      # a candidate farther than this from the choice is another place

#: Types a ``prefer_type`` value also accepts ("region" when the text says "province").
TYPE_ALIASES: dict[str, frozenset[str]] = {
    "region": frozenset({"region"}), "county": frozenset({"county"}),
    "locality": frozenset({"locality"}), "province": frozenset({"region"}),
    "governorate": frozenset({"region"}), "district": frozenset({"county"}),
    "city": frozenset({"locality"}), "town": frozenset({"locality"}),
}


@dataclass(frozen=True)
class Candidate:
    """One place a name can mean, with the score that ranked it and how it matched."""

    place: Place
    score: float          # 0..1
    match: str            # a key of MATCH_WEIGHT
    matched: str          # the key that matched (exact key, variant key or fuzzy key)
    within: bool | None = None   # in the country/province the query names (None: none named)
    raw_score: float = -1.0      # before clamping to 0..1 (margins are taken on it)
    #: How well the name fits this place: the match weight, less when the place is not of
    #: the type the query asked for. The chosen candidate's fit is the confidence.
    fit: float = 1.0

    @property
    def uncapped(self) -> float:
        return self.raw_score if self.raw_score >= 0 else self.score


@dataclass(frozen=True)
class Within:
    """The country or province a query names, resolved: a place qualifies when its
    country is ``country`` or its province is ``region_id``."""

    text: str
    country: str = ""                    # ISO alpha-2
    region_id: str = ""                  # a region's place_id
    region_name: str = ""
    point: tuple[float, float] | None = None   # a district's centre, for "X, Y district"
    radius_km: float = 0.0


def prior(place: Place) -> float:
    """Ranking prior 0..1: theatre first, then type, then importance."""
    theatre = 1.0 if place.country in THEATRE else 0.0
    return 0.35 * theatre + 0.25 * TYPE_WEIGHT.get(place.place_type, 0.7) \
        + 0.4 * place.importance


def wanted_types(prefer_type: str | None, compatible: Iterable[str] = ()) -> frozenset[str]:
    """The stored types a preference accepts."""
    out = set(compatible)
    if prefer_type:
        out |= TYPE_ALIASES.get(prefer_type, frozenset({prefer_type}))
    return frozenset(out)


def rank(hits: Iterable[tuple[Place, str, str]], *, wanted: frozenset[str] = frozenset(),
         country_codes: Iterable[str] | None = None, within: Within | None = None,
         region_of: Callable[[Place], str] | None = None, limit: int = 10,
         factor: float = 1.0) -> list[Candidate]:
    """Score and order ``(place, match kind, matched key)`` hits, best first, dropping
    duplicate records of one place (same type within ``DEDUPE_KM``)."""
    codes = {c.upper() for c in country_codes} if country_codes else None
    scored: list[tuple[float, Candidate]] = []
    for place, match, key in hits:
        if codes is not None and place.country.upper() not in codes:
            continue
        s = MATCH_WEIGHT[match] * (0.55 + 0.45 * prior(place)) * factor
        if wanted:
            s += TYPE_BONUS if place.place_type in wanted else -TYPE_MISS
        fit = MATCH_WEIGHT[match]
        if wanted and place.place_type not in wanted:
            fit *= TYPE_MISS_FIT
        inside: bool | None = None
        if within is not None:
            inside = _inside(place, within, region_of)
            s += WITHIN_BONUS if inside else -WITHIN_PENALTY
        scored.append((s, Candidate(place, round(max(0.0, min(s, 1.0)), 4), match, key,
                                    inside, round(s, 4), round(fit, 4))))
    scored.sort(key=lambda sc: (-sc[0], -sc[1].place.importance, sc[1].place.place_id))
    kept: list[Candidate] = []
    for _, c in scored:
        if any(k.place.place_type == c.place.place_type and haversine_km(
                k.place.latitude, k.place.longitude, c.place.latitude,
                c.place.longitude) < DEDUPE_KM for k in kept):
            continue            # a duplicate record of a place already listed
        kept.append(c)
        if len(kept) >= limit:
            break
    return kept


def _inside(place: Place, within: Within, region_of: Callable[[Place], str] | None) -> bool:
    if within.country:
        return place.country.upper() == within.country
    if within.region_id:
        if place.place_id == within.region_id:
            return False                 # "Raqqa, Raqqa province" means the town
        return region_of is not None and region_of(place) == within.region_id
    if within.point is not None:
        return haversine_km(place.latitude, place.longitude, *within.point) <= within.radius_km
    return False


_ADMIN_LEVELS = frozenset({"county", "region"})
#: How far an administrative area named like a town may lie from it and still be that
#: town's own district or province (centroids of large districts are far from the seat).
_NAMESAKE_KM = {"county": 80.0, "region": 250.0}


def _another_place(best: Place, other: Place) -> bool:
    """True when ``other`` is a real alternative to ``best`` on a map: farther than
    ``RUNNER_UP_KM``, and not the district or province named after the chosen town (or
    the town a chosen district is named after): both answered the same name."""
    km = haversine_km(best.latitude, best.longitude, other.latitude, other.longitude)
    if km <= RUNNER_UP_KM:
        return False
    levels = {best.place_type in _ADMIN_LEVELS, other.place_type in _ADMIN_LEVELS}
    if len(levels) == 2:
        admin = best if best.place_type in _ADMIN_LEVELS else other
        if km <= _NAMESAKE_KM.get(admin.place_type, 0.0) and best.country == other.country:
            return False
    return True


@dataclass(frozen=True)
class Verdict:
    """How sure a ranked answer is: confidence, margin, runner-up, and why a person
    should look at it (empty when it can be mapped as it is)."""

    confidence: float
    margin: float
    runner_up: Candidate | None
    review: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def verdict(ranked: list[Candidate], *, min_confidence: float, min_margin: float,
            penalty: float = 1.0, notes: Iterable[str] = ()) -> Verdict:
    """Confidence (the choice's score times ``penalty`` for what the query asked and did
    not get), margin to the best candidate elsewhere, and the review decision."""
    best = ranked[0]
    runner = next((c for c in ranked[1:] if _another_place(best.place, c.place)), None)
    confidence = round(max(0.0, min(1.0, best.fit * penalty)), 4)
    lead = best.uncapped * penalty - (runner.uncapped if runner else 0.0)
    margin = round(max(0.0, min(1.0, lead)), 4)
    reasons = list(notes)
    if best.match == "fuzzy":
        reasons.append(f"spelling differs from every known name (closest: "
                       f"{best.place.name!r})")
    if best.place.country not in THEATRE and best.place.importance < OUTSIDE_MIN_IMPORTANCE \
            and best.place.source not in ("curated", "user", "confirmed") \
            and best.within is not True:
        reasons.append(f"a minor place outside the theatre ({best.place.country}): the "
                       f"theatre's place of this name may be missing from the gazetteer")
    if confidence < min_confidence:
        reasons.append(f"confidence {confidence:.2f} below {min_confidence:.2f}")
    if runner is not None and margin < min_margin:
        reasons.append(f"close runner-up {runner.place.name} ({runner.place.country}, "
                       f"{runner.place.place_type}) {runner.score:.2f}")
    review = bool(reasons)
    return Verdict(confidence, margin, runner, review, tuple(reasons))
