"""The theatre: where and when the war this tool maps took place.

Why one module: which countries are mapped, the frame of the map, the projection in which
distances and areas are measured, the period the curated record covers and the dates an
event may carry were written in seven places; a second theatre (or a wider one) is now
one new entry here and the ``theatre`` setting.

Coordinates are EPSG:4326 (longitude/latitude degrees) everywhere outside the metric CRS.
Distances between points use the haversine formula on the IUGG mean earth radius, which
is within 0.5 % of the ellipsoid across the theatre; areas and buffers are computed in
the theatre's Lambert azimuthal equal-area projection (``Theatre.crs``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from geo.core import settings
from geo.core.errors import ConfigurationError

if TYPE_CHECKING:
    import numpy as np

#: IUGG mean earth radius (km): the one radius every distance in the package uses.
EARTH_RADIUS_KM = 6371.0088
#: Earliest event date accepted without an explicit override: older dates in this tool
#: are typing mistakes or background history, not events to map.
EARLIEST_EVENT_DATE = date(1990, 1, 1)


@dataclass(frozen=True)
class Theatre:
    """A theatre of war as the tool maps it."""

    name: str
    #: Countries whose territory is mapped (control areas, front lines), ISO alpha-2.
    countries: tuple[str, ...]
    #: Countries whose places may be named in reports (border towns, supply routes).
    neighbours: tuple[str, ...]
    #: The map's default frame: west, south, east, north (EPSG:4326 degrees).
    bbox: tuple[float, float, float, float]
    #: Where the map opens: latitude, longitude (the middle of where the fighting was).
    center: tuple[float, float]
    #: Where coordinates may lie at all (a wider box: anything outside is a typing error).
    valid_bbox: tuple[float, float, float, float]
    #: Metric equal-area projection for areas, buffers and distances (PROJ string).
    crs: str
    #: The period the curated control record covers (the slider's range with no events).
    start: date
    end: date

    def contains(self, latitude: float, longitude: float) -> bool:
        """Whether a point lies in the box where the theatre's coordinates may lie."""
        w, s, e, n = self.valid_bbox
        return s <= latitude <= n and w <= longitude <= e

    def is_mapped(self, country: str) -> bool:
        """Whether a country (ISO alpha-2) is one whose territory is mapped."""
        return country.upper() in self.countries


THEATRES: dict[str, Theatre] = {t.name: t for t in [
    Theatre(
        name="iraq-syria",
        countries=("IQ", "SY"),
        neighbours=("TR", "IR", "JO", "LB", "SA", "KW", "IL"),
        bbox=(35.3, 29.0, 48.9, 37.6),
        center=(34.6, 41.8),
        valid_bbox=(34.0, 29.0, 49.0, 42.0),
        # Centred on the middle of Iraq and Syria: true areas, distances within ~0.5 %.
        crs="+proj=laea +lat_0=34 +lon_0=42 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs",
        start=date(2013, 1, 1),
        end=date(2019, 12, 31),
    ),
]}


@cache
def get_theatre(name: str) -> Theatre:
    """A theatre by name; the error lists the known ones."""
    try:
        return THEATRES[name]
    except KeyError:
        raise ConfigurationError(
            f"unknown theatre {name!r}; known: {', '.join(sorted(THEATRES))}") from None


def current() -> Theatre:
    """The theatre the ``theatre`` setting (``GEO_THEATRE``) names."""
    return get_theatre(str(settings.get("theatre")))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def haversine_km_to(lats: np.ndarray, lons: np.ndarray, lat: float, lon: float) -> np.ndarray:
    """Great-circle distances in kilometres from WGS84 points (arrays, degrees) to one
    point: ``haversine_km`` for many points at once (that one stays scalar: extraction
    calls it on single pairs, where numpy's per-call cost would dominate; numpy is
    imported here so that the command line's start does not load it)."""
    import numpy as np

    p1, p2 = np.radians(lats), math.radians(lat)
    h = np.sin((p2 - p1) / 2) ** 2 + \
        np.cos(p1) * math.cos(p2) * np.sin(np.radians(lon - np.asarray(lons)) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=float)
