"""The geocoder interface, in the style of geopy's ``geocoders``.

Every backend is a ``Geocoder`` subclass registered by name; it answers
``geocode(query, exactly_one=True, ...)`` with ``Location`` values that keep the raw
provider record (for audit) and the other candidates (so an analyst can pick another).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from geo.core.records import Place


@dataclass(frozen=True)
class Location:
    """A geocoder's answer for one query: the chosen place, its score, and the runners-up."""

    query: str
    place: Place
    score: float                              # 0..1, how sure the backend is (confidence)
    candidates: tuple[Place, ...] = ()        # other places the query could mean, best first
    raw: dict[str, Any] = field(default_factory=dict)  # provider record, for audit
    #: The score's lead over the best candidate that is another place (1.0: none).
    margin: float = 1.0
    #: True when a person should confirm the answer before it is mapped (low confidence,
    #: close runner-up, misspelling, qualifier not met); ``reason`` says why.
    review: bool = False
    reason: str = ""
    runner_up: Place | None = None
    #: ACLED geo_precision of the answer for this query: 1 the place itself, 2 near it
    #: ("north of X", "X outskirts", "west Mosul"), 3 a region, 4 a country or a line.
    geo_precision: int = 1
    qualifier: str = ""                       # "SE of", "outskirts", ... as parsed, kept
    #: A list query ("X and Y"): one Location per part, this one being the first.
    parts: tuple[Location, ...] = ()

    @property
    def confidence(self) -> float:
        return self.score

    @property
    def latitude(self) -> float:
        return self.place.latitude

    @property
    def longitude(self) -> float:
        return self.place.longitude

    @property
    def point(self) -> tuple[float, float]:
        return (self.place.latitude, self.place.longitude)


class Geocoder(ABC):
    """One geocoding backend. Subclasses set ``name`` and implement ``geocode``."""

    name: ClassVar[str] = ""

    @abstractmethod
    def geocode(self, query: str, *, exactly_one: bool = True,
                country_codes: tuple[str, ...] | None = None,
                prefer_type: str | None = None) -> Location | list[Location] | None:
        """Resolve a place name.

        ``exactly_one=True`` returns the best ``Location`` or ``None``; ``False`` returns a
        list (possibly empty). ``country_codes`` restricts the answer (ISO alpha-2).
        ``prefer_type`` biases the choice (e.g. "region" when the text says "province").
        Raises ``GeocoderQueryError`` for a query that is not a name at all, and
        ``GeocoderUnavailable`` when a service cannot be reached.
        """
