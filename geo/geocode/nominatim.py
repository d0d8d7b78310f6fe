"""``nominatim``: the online, opt-in geocoder (OpenStreetMap's Nominatim through geopy).

Off by default because the tool is meant to run offline and because Nominatim's usage
policy asks for at most one request a second and an identifying user agent: both come
from settings (``nominatim_min_delay``, ``nominatim_user_agent``). Answers are cached in
the store (namespace ``nominatim``) so a re-run of the same names costs no requests.
"""
from __future__ import annotations

import json
from typing import Any, ClassVar
from urllib.parse import urlsplit

from geo.core import settings
from geo.core.errors import ConfigurationError, GeocoderUnavailable
from geo.core.records import Place
from geo.geocode.base import Geocoder, Location
from geo.geocode.query import validate

CACHE_NAMESPACE = "nominatim"
#: How many results one request asks for (cached whole, so both answer shapes share it).
RESULT_LIMIT = 10


class NominatimGeocoder(Geocoder):
    """geopy's Nominatim behind a rate limiter and the store's cache."""

    name: ClassVar[str] = "nominatim"

    def __init__(self, store: object | None = None, *, url: str | None = None,
                 user_agent: str | None = None, min_delay: float | None = None,
                 timeout: float = 10.0) -> None:
        self._store = store
        self.url = (url or str(settings.get("nominatim_url"))).rstrip("/")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigurationError(f"setting nominatim_url: {self.url!r} is not an "
                                     "http(s) URL such as https://nominatim.openstreetmap.org")
        agent = user_agent or str(settings.get("nominatim_user_agent"))
        delay = float(min_delay if min_delay is not None
                      else settings.get("nominatim_min_delay"))  # type: ignore[arg-type]
        # geopy (and requests under it) only when an online geocoder is made: importing
        # the geocode package (control, the command line) must not pay ~0.3 s for it.
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self._client = Nominatim(domain=parts.netloc + parts.path, scheme=parts.scheme,
                                 user_agent=agent, timeout=timeout)
        self._search = RateLimiter(self._client.geocode, min_delay_seconds=delay,
                                   max_retries=0, swallow_exceptions=False)

    def geocode(self, query: str, *, exactly_one: bool = True,
                country_codes: tuple[str, ...] | None = None,
                prefer_type: str | None = None) -> Location | list[Location] | None:
        validate(query)
        records = self._records(query.strip(), country_codes)
        places = [_place(r) for r in records]
        if prefer_type:
            # Stable sort: Nominatim's own order within the preferred and other types.
            order = sorted(range(len(places)),
                           key=lambda i: places[i].place_type != _osm_type(prefer_type))
            records, places = [records[i] for i in order], [places[i] for i in order]
        locations = [Location(query, p, round(0.5 + 0.5 * p.importance, 4),
                              tuple(places[:i] + places[i + 1:]), r)
                     for i, (p, r) in enumerate(zip(places, records))]
        if exactly_one:
            return locations[0] if locations else None
        return locations

    def _records(self, query: str, country_codes: tuple[str, ...] | None) -> list[dict[str, Any]]:
        """Raw Nominatim records: from the store's cache, else one rate-limited request."""
        codes = tuple(sorted(c.lower() for c in country_codes)) if country_codes else ()
        key = json.dumps([self.url, query, codes])
        if self._store is not None:
            cached = self._store.cache_get(CACHE_NAMESPACE, key)  # type: ignore[attr-defined]
            if cached is not None:
                return list(cached)
        from geopy.exc import GeopyError

        try:
            found = self._search(query, exactly_one=False, limit=RESULT_LIMIT,
                                 addressdetails=True, language="en",
                                 country_codes=list(codes) or None)
        except GeopyError as exc:
            raise GeocoderUnavailable(
                f"Nominatim at {self.url} failed for {query!r}: "
                f"{type(exc).__name__}: {exc}") from exc
        records = [dict(loc.raw) for loc in (found or [])]
        if self._store is not None:
            self._store.cache_put(CACHE_NAMESPACE, key, records)  # type: ignore[attr-defined]
        return records


def _osm_type(prefer_type: str) -> str:
    return {"region": "state", "province": "state", "governorate": "state",
            "county": "county", "district": "county", "locality": "city"}.get(prefer_type,
                                                                               prefer_type)


def _place(raw: dict[str, Any]) -> Place:
    """A ``Place`` from a Nominatim record (``addressdetails`` gives country and state)."""
    address = raw.get("address") or {}
    name = raw.get("name") or str(raw.get("display_name", "")).split(",")[0].strip()
    try:
        importance = float(raw.get("importance") or 0.0)
    except (TypeError, ValueError):
        importance = 0.0
    return Place(
        place_id=f"osm:{raw.get('osm_type', '')}/{raw.get('osm_id', raw.get('place_id', ''))}",
        name=name, latitude=float(raw["lat"]), longitude=float(raw["lon"]),
        country=str(address.get("country_code", "")).upper(),
        admin1=str(address.get("state") or address.get("province") or ""),
        place_type=str(raw.get("addresstype") or raw.get("type") or ""),
        source="nominatim", importance=max(0.0, min(importance, 1.0)))
