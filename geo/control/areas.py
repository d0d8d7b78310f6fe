"""Control areas and front lines for one day, from the control of places.

Method (why each step):

* **Projection.** Everything is computed in a Lambert azimuthal equal-area projection
  centred on 42°E 34°N (``THEATRE_CRS``), the middle of Iraq and Syria: areas are true
  and distances are within ~0.5 % across the theatre, so "40 km" means 40 km everywhere.
  Results are returned in EPSG:4326.
* **Voronoi cells.** Every place with a state (held, besieged, contested or unknown) is a
  generator, so a contested or unknown place keeps its own cell and that cell is simply
  not drawn: it stays a hole instead of being swallowed by its neighbours.
* **Reach.** A cell is cut to ``max_radius_km`` around its place (a town says nothing
  about desert 200 km away) and to the country mask (Iraq and Syria by default).
* **Areas.** Cells of held and besieged places are dissolved per holding force. Cells
  never overlap, so areas of different forces never overlap by construction.
* **Front lines.** The shared boundary of the areas of two *hostile* forces (different
  ``side`` in data/forces.csv), merged into lines: the part of one area's boundary
  within 1 m of the other area. Not an exact boundary intersection, because the same
  edge may carry different vertices in the two areas (where a reach circle or the border
  cut one of them) and exact intersection then misses it; pieces shorter than 50 m
  (corners that merely touch) are dropped.

The projected country mask and the Voronoi cells of a point set do not change from one
day to the next, so both are cached (``functools.lru_cache``, keyed by a tuple of points
or by the mask's WKB).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo import paths
from geo.control.timeline import PlaceControl
from geo.errors import InputError
from geo.forces import ForceTable, default_forces

THEATRE_CRS = pyproj.CRS.from_proj4(
    "+proj=laea +lat_0=34 +lon_0=42 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs")
OUTPUT_CRS = "EPSG:4326"
THEATRE_COUNTRIES = ("IQ", "SY")
#: Tolerance (metres) within which two areas' boundaries count as shared.
GRID_M = 1.0
#: Shorter shared pieces are corners that touch, not fronts.
MIN_FRONT_M = 50.0
#: Longest edge (metres) kept when reprojecting to EPSG:4326.
SEGMENT_M = 2000.0
_TO_THEATRE = pyproj.Transformer.from_crs("EPSG:4326", THEATRE_CRS, always_xy=True)

AREA_COLUMNS = ["force", "geometry"]
FRONT_COLUMNS = ["force_a", "force_b", "geometry"]


def load_borders(countries: tuple[str, ...] = THEATRE_COUNTRIES) -> gpd.GeoDataFrame:
    """The bundled Natural Earth country polygons (data/boundaries/countries.geojson)
    restricted to ``countries`` (ISO alpha-2)."""
    path = paths.BOUNDARIES_DIR / "countries.geojson"
    if not path.exists():
        raise InputError("country borders file is missing", source=str(path))
    return _load_borders(path.as_posix(), tuple(countries)).copy()


@lru_cache(maxsize=4)
def _load_borders(path: str, countries: tuple[str, ...]) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path)
    chosen = frame[frame["iso"].isin(countries)]
    if chosen.empty:
        raise InputError(f"none of the countries {list(countries)} is in the borders file",
                         source=path)
    return chosen


def _mask_wkb(borders: gpd.GeoDataFrame) -> bytes:
    """The union of the border polygons as WKB: a hashable key for the projected mask."""
    if borders.crs is None:
        raise InputError("the borders layer has no CRS; expected EPSG:4326 or any CRS pyproj "
                         "knows")
    return shapely.to_wkb(shapely.union_all(borders.to_crs(OUTPUT_CRS).geometry.values))


@lru_cache(maxsize=8)
def projected_mask(wkb: bytes) -> BaseGeometry:
    """The country mask in ``THEATRE_CRS``, valid and prepared for fast clipping."""
    geom = shapely.transform(shapely.from_wkb(wkb), _project_xy, interleaved=False)
    geom = shapely.make_valid(geom)
    shapely.prepare(geom)
    return geom


def _project_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _TO_THEATRE.transform(x, y)


@lru_cache(maxsize=32)
def voronoi_cells(points: tuple[tuple[float, float], ...],
                  extent: tuple[float, float, float, float]) -> tuple[BaseGeometry, ...]:
    """One Voronoi cell per (distinct, projected) point, in the order of ``points``,
    covering at least ``extent`` (minx, miny, maxx, maxy)."""
    box = shapely.box(*extent)
    if len(points) == 1:
        return (box,)
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=box, ordered=True)
    return tuple(shapely.intersection(shapely.get_parts(cells), box))


def _hostile(force_a: str, force_b: str, forces: ForceTable) -> bool:
    """Hostile forces per the force table (different, non-allied sides)."""
    return forces.hostile(force_a, force_b)


def _empty(columns: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in columns if c != "geometry"},
                            geometry=gpd.GeoSeries([], crs=OUTPUT_CRS), crs=OUTPUT_CRS)


def _to_output(geoms: Iterable[BaseGeometry]) -> gpd.GeoSeries:
    """Reproject to EPSG:4326, densified first: a straight projected edge is curved in
    degrees, and without extra vertices two areas sharing an edge would overlap or gap
    by slivers after reprojection."""
    dense = shapely.segmentize(np.array(list(geoms), dtype=object), SEGMENT_M)
    return gpd.GeoSeries(dense, crs=THEATRE_CRS).to_crs(OUTPUT_CRS)


def control_areas(places: Mapping[str, PlaceControl], borders: gpd.GeoDataFrame | None = None,
                  *, max_radius_km: float = 40, forces: ForceTable | None = None
                  ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """``(areas [force, geometry], front_lines [force_a, force_b, geometry])`` in
    EPSG:4326 for the places of one day (see the module docstring for the method).

    ``borders`` defaults to Iraq and Syria from the bundled Natural Earth layer."""
    if max_radius_km <= 0:
        raise InputError(f"max_radius_km must be positive, got {max_radius_km}")
    if not places:
        return _empty(AREA_COLUMNS), _empty(FRONT_COLUMNS)
    forces = forces or default_forces()
    mask = projected_mask(_mask_wkb(load_borders() if borders is None else borders))

    # Distinct projected points; places sharing a point must agree or the cell is a hole.
    owner: dict[tuple[float, float], str | None] = {}
    values = list(places.values())
    xs, ys = _TO_THEATRE.transform([p.lon for p in values], [p.lat for p in values])
    for place, x, y in zip(values, xs, ys):
        point = (round(float(x), 0), round(float(y), 0))
        holder = place.force if place.status in ("held", "besieged") and place.force else None
        if point in owner and owner[point] != holder:
            holder = None
        owner[point] = holder
    points = tuple(sorted(owner))
    minx, miny, maxx, maxy = mask.bounds
    px, py = np.array(points).T
    extent = (min(minx, px.min()) - 1e5, min(miny, py.min()) - 1e5,
              max(maxx, px.max()) + 1e5, max(maxy, py.max()) + 1e5)
    cells = np.array(voronoi_cells(points, extent), dtype=object)

    drawn = np.array([owner[p] is not None for p in points])
    if not drawn.any():
        return _empty(AREA_COLUMNS), _empty(FRONT_COLUMNS)
    centres = shapely.points(np.array(points)[drawn])
    reach = shapely.buffer(centres, max_radius_km * 1000.0, quad_segs=16)
    clipped = shapely.intersection(shapely.intersection(cells[drawn], reach), mask)
    held_by = np.array([owner[p] for p in points], dtype=object)[drawn]

    area_geoms: dict[str, BaseGeometry] = {}
    for force in sorted(set(held_by)):
        geom = shapely.union_all(clipped[held_by == force])
        if not geom.is_empty:
            area_geoms[force] = geom

    fronts: list[tuple[str, str, BaseGeometry]] = []
    names = list(area_geoms)
    for i, force_a in enumerate(names):
        for force_b in names[i + 1:]:
            if not _hostile(force_a, force_b, forces):
                continue
            a, b = area_geoms[force_a], area_geoms[force_b]
            if not shapely.dwithin(a, b, GRID_M):
                continue
            shared = shapely.intersection(a.boundary, b.buffer(GRID_M, quad_segs=2))
            lines = [g for g in shapely.get_parts(shapely.line_merge(shared))
                     if g.geom_type == "LineString" and g.length > MIN_FRONT_M]
            if lines:
                fronts.append((force_a, force_b, shapely.line_merge(shapely.union_all(lines))))

    areas = gpd.GeoDataFrame({"force": names}, geometry=_to_output(area_geoms.values()),
                             crs=OUTPUT_CRS)
    if not fronts:
        return areas, _empty(FRONT_COLUMNS)
    front_lines = gpd.GeoDataFrame(
        {"force_a": [f[0] for f in fronts], "force_b": [f[1] for f in fronts]},
        geometry=_to_output(f[2] for f in fronts), crs=OUTPUT_CRS)
    return areas, front_lines
