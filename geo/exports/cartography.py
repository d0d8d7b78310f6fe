"""Map furniture computed on the ellipsoid: scale bar length and the drawn aspect.

Why: the map is drawn in EPSG:4326 (lon/lat degrees), where a degree of longitude
shrinks with latitude (about 93 km at 33°N against 111 km of latitude). The scale bar
length is measured along the parallel on the WGS84 ellipsoid with ``pyproj.Geod``, never
by treating degrees as kilometres.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Geod

WGS84 = Geod(ellps="WGS84")


@dataclass(frozen=True)
class ScaleBar:
    """A bar ``km`` long starting at ``(lon, lat)`` and ending at ``lon_end`` (EPSG:4326)."""

    lon: float
    lat: float
    lon_end: float
    km: float

    @property
    def label(self) -> str:
        return f"{self.km:g} km"


def metres_per_degree_lon(lat: float) -> float:
    """Length of one degree of longitude along the parallel ``lat`` (WGS84, metres)."""
    return float(WGS84.inv(0.0, lat, 1.0, lat)[2])


def nice_length(km: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above ``km`` (at least 1 km)."""
    if km <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * power <= km:
            return float(step * power)
    return float(power)


def scale_bar(bbox: tuple[float, float, float, float], fraction: float = 0.2) -> ScaleBar:
    """A round-length bar about ``fraction`` of the map width, placed at the lower left
    of ``bbox`` (W, S, E, N in EPSG:4326); its length is true on the ellipsoid at its lat."""
    w, s, e, n = bbox
    lat = s + 0.06 * (n - s)
    lon = w + 0.05 * (e - w)
    per_degree = metres_per_degree_lon(lat)
    km = nice_length((e - w) * fraction * per_degree / 1000.0)
    return ScaleBar(lon, lat, lon + km * 1000.0 / per_degree, km)


def aspect_for(bbox: tuple[float, float, float, float]) -> float:
    """Matplotlib ``aspect`` for a lon/lat map of ``bbox``: 1/cos(mid-latitude), so a
    kilometre looks the same east-west and north-south at the centre of the map."""
    mid = (bbox[1] + bbox[3]) / 2.0
    return 1.0 / max(math.cos(math.radians(mid)), 0.05)
