"""Control areas and front lines for one day's places, and the country mask.

The method (settled land, catchments along the chain of settlements, areas and fronts
from catchments) lives in ``geo.control.territory``; ``ControlSeries`` uses it across
change points. This module keeps the one-day entry point ``control_areas`` (a set of
``PlaceControl`` in, GeoDataFrames out) and the country mask: Iraq and Syria from the
bundled Natural Earth layer, projected to ``THEATRE_CRS``.

A place farther than ``BORDER_TOLERANCE_M`` from the mask (a typo in the coordinates, or
a town across the border) takes no land; ``places_outside`` names it so the caller can
report it. 5 km because Natural Earth borders are generalised: Kobani and Tal Abyad lie
~0.5 km outside them.
"""
from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.control.cities import reporters, unreported
from geo.control.places import PlaceRef
from geo.control.territory import (
    OUTPUT_CRS,
    REACH_M,
    THEATRE_COUNTRIES,
    THEATRE_CRS,
    LocalityMesh,
    _default_mask_wkb,
    _mask_wkb,
    default_mesh,
    dissolve,
    load_borders,
    partition,
    project,
    projected_mask,
)
from geo.control.timeline import PlaceControl
from geo.core.errors import InputError
from geo.core.forces import ForceTable, default_forces

__all__ = ["OUTPUT_CRS", "THEATRE_CRS", "THEATRE_COUNTRIES", "BORDER_TOLERANCE_M",
           "load_borders", "projected_mask", "places_outside", "places_outside_points",
           "control_areas"]

BORDER_TOLERANCE_M = 5000.0
AREA_COLUMNS = ["force", "km2", "geometry"]
FRONT_COLUMNS = ["force_a", "force_b", "geometry"]


def places_outside_points(points: np.ndarray, borders: gpd.GeoDataFrame | None = None
                          ) -> list[int]:
    """Indices of projected ``points`` farther than ``BORDER_TOLERANCE_M`` from the mask."""
    if not len(points):
        return []
    mask = projected_mask(_default_mask_wkb() if borders is None else _mask_wkb(borders))
    near = shapely.dwithin(mask, shapely.points(points[:, 0], points[:, 1]),
                           BORDER_TOLERANCE_M)
    return [int(i) for i in np.flatnonzero(~near)]


def places_outside(places: Mapping[str, PlaceControl],
                   borders: gpd.GeoDataFrame | None = None) -> list[str]:
    """Keys of the places outside the mapped countries (beyond ``BORDER_TOLERANCE_M``)."""
    keys = list(places)
    points = project([places[k].lon for k in keys], [places[k].lat for k in keys]) \
        if keys else np.empty((0, 2))
    return [keys[i] for i in places_outside_points(points, borders)]


def _empty(columns: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in columns if c != "geometry"},
                            geometry=gpd.GeoSeries([], crs=OUTPUT_CRS), crs=OUTPUT_CRS)


def control_areas(places: Mapping[str, PlaceControl], *, forces: ForceTable | None = None,
                  mesh: LocalityMesh | None = None, reach_m: float = REACH_M
                  ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """``(areas [force, km2, geometry], front_lines [force_a, force_b, geometry])`` in
    EPSG:4326 for the places of one day (method: ``geo.control.territory``). Every place
    with a state competes for land; held and besieged places give it to their holder,
    contested and unknown places leave it unshaded, and so do the cities none of them is
    (rule E1, ``geo.control.cities``)."""
    if reach_m <= 0:
        raise InputError(f"reach_m must be positive, got {reach_m}")
    forces = forces or default_forces()
    keys = [k for k in places if k not in set(places_outside(places))]
    if not keys:
        return _empty(AREA_COLUMNS), _empty(FRONT_COLUMNS)
    points = project([places[k].lon for k in keys], [places[k].lat for k in keys])
    mesh = mesh or default_mesh()
    refs = [PlaceRef(k, places[k].name, places[k].lat, places[k].lon, places[k].country,
                     (k,)) for k in keys]
    blocked = unreported(reporters(mesh.cities, refs), np.ones(len(keys), dtype=bool))
    part = partition(mesh, points, reach_m=reach_m, blocked=blocked)
    holder = np.array([places[k].force if places[k].status in ("held", "besieged") else ""
                       for k in keys], dtype=object)
    names, geoms, km2 = [], [], []
    for force in sorted({h for h in holder if h}):
        idx = np.flatnonzero((holder == force) & (part.km2 > 0))
        if len(idx):
            names.append(force)
            geoms.append(dissolve(part.catchments_out[idx]))
            km2.append(float(part.km2[idx].sum()))
    areas = gpd.GeoDataFrame({"force": names, "km2": km2}, geometry=geoms, crs=OUTPUT_CRS) \
        if names else _empty(AREA_COLUMNS)
    by_pair: dict[tuple[str, str], list[BaseGeometry]] = {}
    for (a, b), line in part.borders.items():
        fa, fb = holder[a], holder[b]
        if fa and fb and fa != fb and forces.hostile(fa, fb):
            by_pair.setdefault((min(fa, fb), max(fa, fb)), []).append(line)
    if not by_pair:
        return areas, _empty(FRONT_COLUMNS)
    pairs = sorted(by_pair)
    lines = [shapely.line_merge(shapely.multilinestrings(
        shapely.get_parts(np.asarray(by_pair[p], dtype=object)))) for p in pairs]
    fronts = gpd.GeoDataFrame({"force_a": [p[0] for p in pairs],
                               "force_b": [p[1] for p in pairs]}, geometry=lines,
                              crs=OUTPUT_CRS)
    return areas, fronts
