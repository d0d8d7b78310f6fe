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
* **Front lines.** The shared edges of adjacent cells held by two *hostile* forces
  (different ``side`` in data/forces.csv), merged into lines; pieces shorter than 50 m
  (corners that merely touch) are dropped.
* **Places outside the map.** A place farther than ``BORDER_TOLERANCE_M`` from the
  country mask (a typo, or a town across the border) is not a generator and gets no
  area; ``places_outside`` names it so the caller can report it.

Why it is fast across dates (the time slider): everything that depends only on the set
of places, not on who holds them, is computed once per point set and cached
(``cell_coverage``): the Voronoi cells, each cell already cut to its reach and the mask,
and the shared edge of every pair of adjacent cells. A day then only picks cells by
force, dissolves them with ``shapely.coverage_union_all`` and picks shared edges.

The cut uses the *union* of all reach circles rather than each place's own circle. Both
give the same set (a point of cell p within reach of any place q is within reach of p,
since it is nearer to p than to q), but cutting every cell with one shared geometry puts
identical vertices on both sides of each shared edge, so the cells form an exact
coverage, and coverage union is ~10x faster than ``union_all``. The coverage is checked
once per point set (``shapely.coverage_is_valid``); should it ever fail, the day falls
back to ``union_all`` and tolerance-based fronts (the pre-cache method).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.control.timeline import PlaceControl
from geo.core import paths, theatre
from geo.core.errors import InputError
from geo.core.forces import ForceTable, default_forces

#: The theatre's metric equal-area projection (areas, buffers, distances).
THEATRE_CRS = pyproj.CRS.from_proj4(theatre.current().crs)
OUTPUT_CRS = "EPSG:4326"
THEATRE_COUNTRIES = theatre.current().countries
#: Tolerance (metres) within which two areas' boundaries count as shared.
GRID_M = 1.0
#: Shorter shared pieces are corners that touch, not fronts.
MIN_FRONT_M = 50.0
#: How far (metres) outside the country mask a place may lie and still count as inside:
#: Natural Earth borders are generalised, and border towns (Kobani, Tal Abyad) fall
#: ~0.5 km outside them.
BORDER_TOLERANCE_M = 5000.0
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


@dataclass(frozen=True)
class CellCoverage:
    """What does not change between days for one set of places (all in ``THEATRE_CRS``).

    ``cells[i]`` is the Voronoi cell of ``points[i]`` cut to its reach and the mask (may
    be empty); ``pairs[k] = (i, j)`` (i < j) are adjacent cells whose shared edge is
    ``edges[k]`` (lines); ``exact`` says the cells passed ``shapely.coverage_is_valid``.
    """

    points: tuple[tuple[float, float], ...]
    cells: np.ndarray
    pairs: np.ndarray
    edges: np.ndarray
    exact: bool


@lru_cache(maxsize=16)
def cell_coverage(points: tuple[tuple[float, float], ...], mask_wkb: bytes,
                  radius_m: float) -> CellCoverage:
    """The cut Voronoi cells of ``points`` (distinct, projected, sorted) and their shared
    edges, cached per (point set, mask, radius): the cold cost of a new set of places."""
    mask = projected_mask(mask_wkb)
    minx, miny, maxx, maxy = mask.bounds
    px, py = np.array(points, dtype=float).T
    extent = (min(minx, px.min()) - 1e5, min(miny, py.min()) - 1e5,
              max(maxx, px.max()) + 1e5, max(maxy, py.max()) + 1e5)
    raw = np.array(voronoi_cells(points, extent), dtype=object)
    reach = shapely.buffer(shapely.points(px, py), radius_m, quad_segs=16)
    land = shapely.intersection(shapely.union_all(reach), mask)
    shapely.prepare(land)
    cells = shapely.intersection(raw, land)
    exact = bool(shapely.coverage_is_valid(cells))
    pairs, edges = _shared_edges(cells) if exact else (np.empty((0, 2), dtype=int),
                                                       np.empty(0, dtype=object))
    return CellCoverage(points, cells, pairs, edges, exact)


def _shared_edges(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of cells sharing an edge (not only a corner) and that edge as lines.
    Exact boundary intersection is enough because the cells form an exact coverage."""
    tree = shapely.STRtree(cells)
    left, right = tree.query(cells, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return np.empty((0, 2), dtype=int), np.empty(0, dtype=object)
    bounds = shapely.boundary(cells)
    shared = shapely.intersection(bounds[left], bounds[right])
    parts, index = shapely.get_parts(shared, return_index=True)
    is_line = shapely.get_type_id(parts) == 1           # LineString; points are corners
    parts, index = parts[is_line], index[is_line]
    if not len(parts):
        return np.empty((0, 2), dtype=int), np.empty(0, dtype=object)
    order = np.argsort(index, kind="stable")
    parts, index = parts[order], index[order]
    with_line = np.unique(index)
    lines = shapely.multilinestrings(parts, indices=np.searchsorted(with_line, index))
    return np.column_stack([left[with_line], right[with_line]]), lines


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


@lru_cache(maxsize=1)
def _default_mask_wkb() -> bytes:
    """The WKB of the default mask (Iraq and Syria), computed once per process."""
    return _mask_wkb(load_borders())


def _project_places(places: Mapping[str, PlaceControl]
                    ) -> tuple[list[str], np.ndarray, np.ndarray]:
    keys = list(places)
    xs, ys = _TO_THEATRE.transform([places[k].lon for k in keys],
                                   [places[k].lat for k in keys])
    return keys, np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def _outside_flags(mask: BaseGeometry, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """True where a projected point is farther than ``BORDER_TOLERANCE_M`` from the mask."""
    return ~shapely.dwithin(mask, shapely.points(xs, ys), BORDER_TOLERANCE_M)


def places_outside(places: Mapping[str, PlaceControl],
                   borders: gpd.GeoDataFrame | None = None) -> list[str]:
    """Keys of the places that lie outside the mapped countries (beyond
    ``BORDER_TOLERANCE_M``); ``control_areas`` draws no area for them."""
    if not places:
        return []
    mask = projected_mask(_default_mask_wkb() if borders is None else _mask_wkb(borders))
    keys, xs, ys = _project_places(places)
    return [k for k, out in zip(keys, _outside_flags(mask, xs, ys)) if out]


def _front_lines(pieces: list[BaseGeometry], *, noded: bool = False) -> BaseGeometry | None:
    """Shared pieces merged into lines; pieces under ``MIN_FRONT_M`` (touching corners)
    are dropped. None when nothing is left. ``noded``: the pieces are edges of an exact
    coverage (they meet only at shared vertices), so no union is needed to node them."""
    if noded:
        merged = shapely.line_merge(shapely.multilinestrings(
            shapely.get_parts(np.asarray(pieces, dtype=object))))
    else:
        merged = shapely.line_merge(shapely.union_all(pieces))
    lines = [g for g in shapely.get_parts(merged)
             if g.geom_type == "LineString" and g.length > MIN_FRONT_M]
    if not lines:
        return None
    return lines[0] if len(lines) == 1 else shapely.line_merge(shapely.multilinestrings(lines))


def _fronts_by_tolerance(area_geoms: dict[str, BaseGeometry], forces: ForceTable
                         ) -> list[tuple[str, str, BaseGeometry]]:
    """Fronts from dissolved areas (the boundary of one within ``GRID_M`` of the other):
    the fallback when the cells are not an exact coverage."""
    fronts = []
    names = list(area_geoms)
    for i, force_a in enumerate(names):
        for force_b in names[i + 1:]:
            a, b = area_geoms[force_a], area_geoms[force_b]
            if not _hostile(force_a, force_b, forces) or not shapely.dwithin(a, b, GRID_M):
                continue
            shared = shapely.intersection(a.boundary, b.buffer(GRID_M, quad_segs=2))
            line = _front_lines(list(shapely.get_parts(shapely.line_merge(shared))))
            if line is not None:
                fronts.append((force_a, force_b, line))
    return fronts


def _fronts_by_edges(coverage: CellCoverage, holder: np.ndarray, names: list[str],
                     forces: ForceTable) -> list[tuple[str, str, BaseGeometry]]:
    """Fronts from the cached shared edges of adjacent cells held by hostile forces."""
    if not len(coverage.pairs):
        return []
    a, b = holder[coverage.pairs[:, 0]], holder[coverage.pairs[:, 1]]
    rank = {name: i for i, name in enumerate(names)}
    by_pair: dict[tuple[str, str], list[BaseGeometry]] = {}
    for k in np.flatnonzero((a != None) & (b != None) & (a != b)):  # noqa: E711 (numpy)
        fa, fb = sorted((a[k], b[k]), key=rank.__getitem__)
        by_pair.setdefault((fa, fb), []).append(coverage.edges[k])
    fronts = []
    for (fa, fb), pieces in sorted(by_pair.items(), key=lambda kv: (rank[kv[0][0]],
                                                                      rank[kv[0][1]])):
        if not _hostile(fa, fb, forces):
            continue
        line = _front_lines(pieces, noded=True)
        if line is not None:
            fronts.append((fa, fb, line))
    return fronts


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
    wkb = _default_mask_wkb() if borders is None else _mask_wkb(borders)
    mask = projected_mask(wkb)

    # Distinct projected points; places sharing a point must agree or the cell is a hole.
    # Places outside the mapped countries are not generators at all (see places_outside).
    keys, xs, ys = _project_places(places)
    outside = _outside_flags(mask, xs, ys)
    owner: dict[tuple[float, float], str | None] = {}
    for key, x, y, out in zip(keys, xs, ys, outside):
        if out:
            continue
        place = places[key]
        point = (round(float(x), 0), round(float(y), 0))
        holder = place.force if place.status in ("held", "besieged") and place.force else None
        if point in owner and owner[point] != holder:
            holder = None
        owner[point] = holder
    if not any(owner.values()):
        return _empty(AREA_COLUMNS), _empty(FRONT_COLUMNS)
    points = tuple(sorted(owner))
    coverage = cell_coverage(points, wkb, max_radius_km * 1000.0)
    holder = np.array([owner[p] for p in points], dtype=object)
    non_empty = ~shapely.is_empty(coverage.cells)
    holder[~non_empty] = None          # a cell wholly outside reach and mask draws nothing

    union = shapely.coverage_union_all if coverage.exact else shapely.union_all
    area_geoms: dict[str, BaseGeometry] = {}
    for force in sorted({h for h in holder if h is not None}):
        geom = union(coverage.cells[holder == force])
        if not geom.is_empty:
            area_geoms[force] = geom
    names = list(area_geoms)
    holder = np.array([h if h in area_geoms else None for h in holder], dtype=object)
    fronts = (_fronts_by_edges(coverage, holder, names, forces) if coverage.exact
              else _fronts_by_tolerance(area_geoms, forces))

    areas = gpd.GeoDataFrame({"force": names}, geometry=_to_output(area_geoms.values()),
                             crs=OUTPUT_CRS)
    if not fronts:
        return areas, _empty(FRONT_COLUMNS)
    front_lines = gpd.GeoDataFrame(
        {"force_a": [f[0] for f in fronts], "force_b": [f[1] for f in fronts]},
        geometry=_to_output(f[2] for f in fronts), crs=OUTPUT_CRS)
    return areas, front_lines
