"""``gazetteer``: the default, offline geocoder over the bundled gazetteer.

It never touches the network, so it is the default: the tool must work on an analyst's
laptop in the field. The query is parsed by the grammar (``geo.geocode.query``), resolved
by the gazetteer, and each answer says how sure it is (confidence, margin to the
runner-up) and whether an analyst should confirm it (``review``; thresholds are the
``geocode_review_*`` settings). Answers keep the runners-up (``Location.candidates``) and
the raw gazetteer record, so a person can pick another reading of an ambiguous name.
"""
from __future__ import annotations

from typing import Any, ClassVar

from geo.core import settings
from geo.core.errors import GeocoderQueryError
from geo.core.records import GeoPrecision
from geo.geocode.base import Geocoder, Location
from geo.geocode.gazetteer import Gazetteer, Resolution
from geo.geocode.query import Query, validate
from geo.geocode.rank import Candidate, Verdict, verdict

#: Confidence kept when the query asked for something the answer is not: a feature the
#: gazetteer lacks (the town instead of its dam), a country or province it is not in.
FEATURE_MISSING_FACTOR = 0.85
WITHIN_MISSED_FACTOR = 0.75

_MISSING = object()
_MAX_ANSWERS = 100_000

_LINE_TYPES = frozenset({"country", "border", "river"})
_REGION_TYPES = frozenset({"region", "plain", "mountain", "lake"})


def geo_precision(query: Query, place_type: str, feature_missing: bool = False) -> int:
    """ACLED geo_precision of an answer: what the place is, coarsened by the query's
    qualifier ("north of X", "X outskirts", "west Mosul" are near X, not at it)."""
    if place_type in _LINE_TYPES:
        base = GeoPrecision.COUNTRY
    elif place_type in _REGION_TYPES:
        base = GeoPrecision.REGION
    elif place_type == "county":
        base = GeoPrecision.NEAR
    else:
        base = GeoPrecision.EXACT
    if query.regional:
        return int(max(base, GeoPrecision.REGION))
    if query.qualifier or feature_missing:
        return int(max(base, GeoPrecision.NEAR))
    return int(base)


def _setting_float(name: str, given: float | None) -> float:
    """A review threshold: the argument when given, else the setting."""
    value = settings.get(name) if given is None else given
    assert isinstance(value, float | int)
    return float(value)


class GazetteerGeocoder(Geocoder):
    """Geocoder over ``Gazetteer`` (bundled + curated + the store's custom places and
    confirmed names)."""

    name: ClassVar[str] = "gazetteer"

    def __init__(self, store: object | None = None, *, gazetteer: Gazetteer | None = None,
                 max_candidates: int = 10, min_confidence: float | None = None,
                 min_margin: float | None = None) -> None:
        self._store = store
        self._gazetteer = gazetteer
        self.max_candidates = max_candidates
        self.min_confidence = _setting_float("geocode_review_confidence", min_confidence)
        self.min_margin = _setting_float("geocode_review_margin", min_margin)
        self._answers: dict[tuple[Any, ...], object] = {}

    @property
    def gazetteer(self) -> Gazetteer:
        """Loaded on first use: constructing the geocoder stays cheap."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.load(store=self._store)
        return self._gazetteer

    def geocode(self, query: str, *, exactly_one: bool = True,
                country_codes: tuple[str, ...] | None = None,
                prefer_type: str | None = None) -> Location | list[Location] | None:
        """See ``Geocoder.geocode``. Answers are memoised per query (a dataset repeats
        its place names); a refused query is refused again each time."""
        key = (query, exactly_one, tuple(country_codes or ()), prefer_type)
        hit = self._answers.get(key, _MISSING)
        if hit is not _MISSING:
            return list(hit) if isinstance(hit, list) else hit  # type: ignore[return-value]
        answer = self._geocode(query, exactly_one, country_codes, prefer_type)
        if len(self._answers) >= _MAX_ANSWERS:
            self._answers.clear()
        self._answers[key] = answer
        return list(answer) if isinstance(answer, list) else answer

    def _geocode(self, query: str, exactly_one: bool, country_codes: tuple[str, ...] | None,
                 prefer_type: str | None) -> Location | list[Location] | None:
        validate(query)
        res = self.gazetteer.resolve(query, prefer_type=prefer_type,
                                     country_codes=country_codes, limit=self.max_candidates)
        if res.query.is_list:
            parts = tuple(self._locations(query, p)[:1] for p in res.parts)
            found = [loc for part in parts for loc in part]
            if not parts[0]:
                return None if exactly_one else []
            first = parts[0][0]
            missing = [p.query.raw for p, locs in zip(res.parts, parts) if not locs]
            reason = "; ".join(filter(None, [
                f"list of {len(res.parts)} places: " + ", ".join(
                    f"{loc.place.name} ({loc.place.country})" for loc in found)
                + (f"; not found: {', '.join(missing)}" if missing else ""),
                first.reason]))
            whole = _with(first, reason=reason, parts=tuple(found),
                          review=first.review or bool(missing) or any(loc.review for loc in found))
            rest = self._locations(query, res.parts[0])[1:]
            return whole if exactly_one else [whole, *rest]
        locations = self._locations(query, res)
        if not locations:
            return None if exactly_one else []
        return locations[0] if exactly_one else locations

    def _locations(self, query: str, res: Resolution) -> list[Location]:
        """Locations for one resolved place query, best first; the first carries the
        verdict, the others are the alternatives as they rank."""
        if not res.candidates or res.candidates[0].match == "fuzzy":
            return []          # a misspelling only resembles a name: not found (suggest())
        ranked = list(res.candidates)
        penalty = FEATURE_MISSING_FACTOR if res.feature_missing and \
            res.query.feature != "facility" else 1.0
        notes = [n for n in res.notes
                 if not n.endswith("; ignored") and n != "confirmed by an analyst"]
        best = ranked[0]
        if best.within is False:
            penalty *= WITHIN_MISSED_FACTOR
            notes.append(f"no candidate lies in {res.query.within!r}")
        v = verdict(ranked, min_confidence=self.min_confidence, min_margin=self.min_margin,
                    penalty=penalty, notes=notes)
        places = tuple(c.place for c in ranked)
        info = [n for n in res.notes
                if n.endswith("; ignored") or n == "confirmed by an analyst"]
        out: list[Location] = []
        for i, c in enumerate(ranked):
            others = places[:i] + places[i + 1:]
            if i == 0:
                out.append(Location(
                    query, c.place, v.confidence, others, _raw(c, res, v), margin=v.margin,
                    review=v.review, reason="; ".join([*v.reasons, *info]),
                    runner_up=v.runner_up.place if v.runner_up else None,
                    geo_precision=geo_precision(res.query, c.place.place_type,
                                                res.feature_missing),
                    qualifier=res.query.qualifier))
            else:
                out.append(Location(query, c.place, c.fit, others, _raw(c, res, None),
                                    margin=0.0, review=True, reason="alternative",
                                    geo_precision=geo_precision(res.query, c.place.place_type),
                                    qualifier=res.query.qualifier))
        return out


    def suggest(self, query: str) -> str:
        """For a name that was not found: the closest notable spelling ("did you mean"),
        or "" (never raises)."""
        try:
            res = self.gazetteer.resolve(query, limit=3)
        except GeocoderQueryError:
            return ""
        parts = res.parts or (res,)
        fuzzy = [c for p in parts for c in p.candidates[:1] if c.match == "fuzzy"]
        return ", ".join(f"{c.place.name} ({c.place.country})" for c in fuzzy)


def _with(loc: Location, **changes: object) -> Location:
    from dataclasses import replace
    return replace(loc, **changes)  # type: ignore[arg-type]


def _raw(c: Candidate, res: Resolution, v: Verdict | None) -> dict[str, object]:
    """The audit record: which gazetteer entry, how it matched, on which key, and how the
    query was read."""
    q = res.query
    raw: dict[str, object] = {
        "place_id": c.place.place_id, "source": c.place.source, "match": c.match,
        "matched_key": c.matched, "importance": c.place.importance,
        "population": c.place.population, "rank_score": c.score, "parsed_name": q.name,
        "rules": list(q.rules)}
    if q.feature:
        raw["feature"] = q.feature
    if q.qualifier:
        raw["qualifier"] = q.qualifier
        if q.bearing:
            raw["bearing"] = q.bearing
        if q.distance_km is not None:
            raw["distance_km"] = q.distance_km
    if q.within:
        raw["within"] = q.within
        raw["in_within"] = c.within
    if v is not None and v.runner_up is not None:
        raw["runner_up"] = {"place_id": v.runner_up.place.place_id,
                            "name": v.runner_up.place.name,
                            "country": v.runner_up.place.country,
                            "score": v.runner_up.score}
    return raw
