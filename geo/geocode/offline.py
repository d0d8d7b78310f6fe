"""``gazetteer``: the default, offline geocoder over the bundled gazetteer.

It never touches the network, so it is the default: the tool must work on an analyst's
laptop in the field. Answers keep the runners-up (``Location.candidates``) so a person
can pick another reading of an ambiguous name.
"""
from __future__ import annotations

from typing import ClassVar

from geo.geocode.base import Geocoder, Location
from geo.geocode.gazetteer import Candidate, Gazetteer
from geo.geocode.normalize import validate_query


class GazetteerGeocoder(Geocoder):
    """Geocoder over ``Gazetteer`` (bundled + curated + the store's custom places)."""

    name: ClassVar[str] = "gazetteer"

    def __init__(self, store: object | None = None, *, gazetteer: Gazetteer | None = None,
                 max_candidates: int = 10) -> None:
        self._store = store
        self._gazetteer = gazetteer
        self.max_candidates = max_candidates

    @property
    def gazetteer(self) -> Gazetteer:
        """Loaded on first use: constructing the geocoder stays cheap."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.load(store=self._store)
        return self._gazetteer

    def geocode(self, query: str, *, exactly_one: bool = True,
                country_codes: tuple[str, ...] | None = None,
                prefer_type: str | None = None) -> Location | list[Location] | None:
        validate_query(query)
        found = self.gazetteer.lookup_scored(query, prefer_type, country_codes,
                                             self.max_candidates)
        if not found:
            return None if exactly_one else []
        places = tuple(c.place for c in found)
        locations = [Location(query, c.place, c.score,
                              places[:i] + places[i + 1:], _raw(c)) for i, c in enumerate(found)]
        return locations[0] if exactly_one else locations


def _raw(c: Candidate) -> dict[str, object]:
    """The audit record: which gazetteer entry, how it matched, on which key."""
    return {"place_id": c.place.place_id, "source": c.place.source, "match": c.match,
            "matched_key": c.matched, "importance": c.place.importance,
            "population": c.place.population}
