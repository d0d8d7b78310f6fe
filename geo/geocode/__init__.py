"""Geocoding: the registry of backends and the default chooser.

``get_geocoder()`` returns the backend named by the ``geocoder`` setting (offline
``gazetteer`` unless told otherwise); every backend implements ``geo.geocode.base.Geocoder``.
For toponyms in running text use ``geo.geocode.gazetteer.Gazetteer.find_mentions``.
"""
from __future__ import annotations

from geo.core import settings
from geo.core.errors import GeocoderNotFound
from geo.core.records import Place
from geo.geocode.base import Geocoder, Location
from geo.geocode.nominatim import NominatimGeocoder
from geo.geocode.offline import GazetteerGeocoder

GEOCODERS: dict[str, type[Geocoder]] = {
    GazetteerGeocoder.name: GazetteerGeocoder,
    NominatimGeocoder.name: NominatimGeocoder,
}


def get_geocoder(name: str | None = None, store: object | None = None) -> Geocoder:
    """The geocoder registered as ``name`` (default: the ``geocoder`` setting)."""
    chosen = (name or str(settings.get("geocoder"))).strip().lower()
    try:
        cls = GEOCODERS[chosen]
    except KeyError:
        raise GeocoderNotFound(f"no geocoder named {chosen!r}; known: "
                               f"{', '.join(sorted(GEOCODERS))}") from None
    return cls(store=store)  # type: ignore[call-arg]


__all__ = ["GEOCODERS", "Geocoder", "Location", "Place", "get_geocoder",
           "GazetteerGeocoder", "NominatimGeocoder"]
