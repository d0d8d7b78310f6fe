"""Territory over the settled land: from the control of a few hundred towns to areas.

Control is reported for towns; the theatre has ~31,000 localities in the bundled
gazetteer (Who's On First, Iraq and Syria). Territory is estimated in three steps, all
in the Lambert azimuthal equal-area projection ``THEATRE_CRS`` (true areas and
distances across the theatre); results leave in EPSG:4326.

1. **Settled land** (once per gazetteer, cached on disk): around every locality a disc
   whose radius follows the local settlement density (``SETTLED_FACTOR`` times the
   distance to its ``SETTLED_NEIGHBOUR``-th nearest neighbour, between ``SETTLED_MIN_M``
   and ``SETTLED_MAX_M``: a village among villages farms a small area, a lone village
   in the steppe a larger one), plus a corridor of ``CORRIDOR_HALF_WIDTH_M`` along every
   link between neighbouring localities at most ``CORRIDOR_HOP_M`` apart (Delaunay
   edges): the road or river valley that joins them. No open road network was
   available offline; chains of villages along rivers and roads are what the gazetteer
   shows of them. Everything farther out, the open desert and steppe, is unsettled and
   never shaded. The settled land, cut to Iraq and Syria, is split among the localities
   by their Voronoi cells: an exact coverage of ``LocalityMesh.cells``.
2. **Which town each locality follows** (once per set of places): every locality takes
   the nearest place with a known state, measured *along the chain of settlements*
   (shortest path over the links of step 1, a place joined to its nearest localities),
   up to ``REACH_M``. Because every known place competes, a locality never follows a
   town across the catchment of another: the boundary between two catchments is where
   a front runs when the two are held by hostile forces. A place that is contested or
   unknown keeps its catchment unshaded (no extrapolation through it). So does a city
   no report gives a holder for (rule E1, ``geo.control.cities``): it competes as a
   *blocker*; the localities nearer to it than to any known place and within its urban
   radius follow nobody (``Partition.owner`` below -1), and no place reaches through
   that urban area to the land behind it.
3. **Areas and fronts** (per day, cheap): a force's area is the union of the catchments
   of the places it holds (or holds besieged); a front is the shared boundary of two
   catchments held by hostile forces. Catchments and their shared boundaries are
   computed once per set of places, so a day costs one coverage union per force.
4. **Desert between towns one force holds** (``desert_holders``): the unsettled land
   (cut once per gazetteer into ``DESERT_CELL_M`` squares, ``DesertGrid``) is not
   nobody's when one force holds the towns all around it. A square goes to the force of
   its nearest town when (a) that town is at most ``DESERT_REACH_M`` away, (b) no town of
   a hostile force, and no contested town, is less than ``DESERT_MARGIN_M`` farther than
   it (so a strip of no-man's-land stays blank between hostile towns), and (c) the
   force's towns within ``DESERT_SURROUND_M`` surround it: they are not all on one side
   of it (the square lies inside their convex hull). Desert beyond the last towns (the
   Saudi and Jordanian borderlands) and around a lone outpost stays blank. Settled land
   that no town's catchment reaches (a lone village in the steppe) is judged the same
   way, so it is not a blank hole in a force's desert. The nearest
   towns of every square are found once per set of places; a change point only looks up
   who holds them.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely
import shapely.errors
import shapely.geometry
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import Delaunay, cKDTree
from shapely.geometry.base import BaseGeometry

from geo.control.cities import NO_CITIES, Cities, read_cities, urban_radius_m
from geo.core import paths, theatre
from geo.core.errors import InputError
from geo.core.files import read_cache, write_cache

log = logging.getLogger(__name__)

#: The theatre's metric equal-area projection (geo.core.theatre): areas and distances.
THEATRE_CRS = pyproj.CRS.from_proj4(theatre.current().crs)
OUTPUT_CRS = "EPSG:4326"
THEATRE_COUNTRIES = theatre.current().countries
TO_THEATRE = pyproj.Transformer.from_crs(OUTPUT_CRS, THEATRE_CRS, always_xy=True)
TO_OUTPUT = pyproj.Transformer.from_crs(THEATRE_CRS, OUTPUT_CRS, always_xy=True)

SETTLED_NEIGHBOUR = 3
SETTLED_FACTOR = 0.75
SETTLED_MIN_M = 2000.0
SETTLED_MAX_M = 5000.0
CORRIDOR_HOP_M = 15000.0
CORRIDOR_HALF_WIDTH_M = 1500.0
#: How far a locality follows a town, counted in settlement steps: each link costs its
#: length divided by the local spacing of villages (distance to the
#: ``SPACING_NEIGHBOUR``-th nearest locality). So the reach follows settlement density:
#: a dozen km in the dense belts around cities, a hundred in the steppe.
REACH_STEPS = 25.0
SPACING_NEIGHBOUR = 4
#: Farthest a locality follows a town, straight-line, however sparse the settlement.
REACH_M = 100000.0
#: Side of the squares the unsettled land is cut into (each goes to one force or none).
DESERT_CELL_M = 5000.0
#: A desert square follows its nearest town only this close ...
DESERT_REACH_M = 50000.0
#: ... when no hostile or contested town is less than this much farther away ...
DESERT_MARGIN_M = 20000.0
#: ... and when the force's towns within this distance lie on every side of it.
DESERT_SURROUND_M = 115000.0
#: Nearest towns looked at per desert square.
DESERT_NEIGHBOURS = 24
#: Squares with less unsettled land than this (km²) are dropped from the grid.
DESERT_MIN_KM2 = 0.01
#: Bump when the desert grid is built differently (its cache is then rebuilt).
DESERT_VERSION = 2
#: A place joins the chain at its nearest localities (at most this far away).
ATTACH_K = 4
ATTACH_MAX_M = 25000.0
#: Tile size used to cut the Voronoi cells to the settled land quickly.
TILE_M = 25000.0
#: Bump when the mesh is built differently (4: it carries the gazetteer's cities).
MESH_VERSION = 4
#: Catchments are simplified as a coverage (shared borders stay shared) to this
#: tolerance: invisible at theatre scale, and it halves what travels to the browser.
SIMPLIFY_M = 250.0
#: Decimals of the EPSG:4326 coordinates sent out (5: about 1 m).
OUTPUT_DECIMALS = 5
CACHE_DIR = paths.CACHE_DIR


def load_borders(countries: tuple[str, ...] = THEATRE_COUNTRIES) -> gpd.GeoDataFrame:
    """The bundled Natural Earth country polygons (data/boundaries/countries.geojson)
    restricted to ``countries`` (ISO alpha-2), EPSG:4326."""
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
    return bytes(shapely.to_wkb(shapely.union_all(borders.to_crs(OUTPUT_CRS).geometry.values)))


@lru_cache(maxsize=8)
def projected_mask(wkb: bytes) -> BaseGeometry:
    """The country mask in ``THEATRE_CRS``, valid and prepared."""
    geom = shapely.transform(shapely.from_wkb(wkb), _project_xy, interleaved=False)
    geom = shapely.make_valid(geom)
    shapely.prepare(geom)
    return geom


def _project_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return TO_THEATRE.transform(x, y)


@lru_cache(maxsize=1)
def _default_mask_wkb() -> bytes:
    """The WKB of the default mask (Iraq and Syria), computed once per process."""
    return _mask_wkb(load_borders())


@dataclass(frozen=True)
class LocalityMesh:
    """The settled land split among the localities (all in ``THEATRE_CRS``).

    ``cells[i]`` is locality i's share of the settled land (may be empty);
    ``spacing_m`` the local spacing of villages around each locality;
    ``links``/``link_m`` the settlement chain (neighbours at most ``CORRIDOR_HOP_M``
    apart); ``pairs`` the localities whose cells touch; ``cities`` the gazetteer's
    cities (rule E1: one no report gives a holder for is not shaded from its neighbours).
    """

    points: np.ndarray
    cells: np.ndarray
    cell_km2: np.ndarray
    spacing_m: np.ndarray
    links: np.ndarray
    link_m: np.ndarray
    pairs: np.ndarray
    cities: Cities = NO_CITIES

    def __len__(self) -> int:
        return len(self.points)


def _read_localities(path: Path, countries: tuple[str, ...]) -> np.ndarray:
    """(lon, lat) of the gazetteer's localities in ``countries``."""
    rows = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["placetype"] == "locality" and row["country"] in countries:
                rows.append((float(row["lon"]), float(row["lat"])))
    return np.array(rows, dtype=float).reshape(-1, 2)


def project(lon: np.ndarray | list[float], lat: np.ndarray | list[float]) -> np.ndarray:
    """(n, 2) metres in ``THEATRE_CRS`` from degrees."""
    x, y = TO_THEATRE.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])


def _settled_radius(points: np.ndarray) -> np.ndarray:
    dist, _ = cKDTree(points).query(points, k=SETTLED_NEIGHBOUR + 1)
    return np.asarray(np.clip(dist[:, -1] * SETTLED_FACTOR, SETTLED_MIN_M, SETTLED_MAX_M))


def _delaunay_links(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tri = Delaunay(points)
    s = tri.simplices
    links = np.unique(np.sort(np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]]), axis=1),
                      axis=0)
    length = np.hypot(*(points[links[:, 0]] - points[links[:, 1]]).T)
    keep = length <= CORRIDOR_HOP_M
    return links[keep], length[keep]


def _cut_to(cells: np.ndarray, land: BaseGeometry) -> np.ndarray:
    """``cells`` intersected with ``land`` through tiles (a direct cut of 31,000 cells by
    one huge polygon takes minutes; by tiles a few seconds). The tiles cut the land once,
    so neighbouring cells are cut by identical geometry and stay an exact coverage."""
    minx, miny, maxx, maxy = land.bounds
    xs = np.arange(minx, maxx + TILE_M, TILE_M)
    ys = np.arange(miny, maxy + TILE_M, TILE_M)
    gx, gy = np.meshgrid(xs[:-1], ys[:-1])
    tiles = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + TILE_M, gy.ravel() + TILE_M)
    pieces = shapely.intersection(tiles, land)
    pieces = pieces[~shapely.is_empty(pieces)]
    cell_i, piece_i = shapely.STRtree(pieces).query(cells, predicate="intersects")
    parts = shapely.intersection(cells[cell_i], pieces[piece_i])
    polygonal = np.isin(shapely.get_type_id(parts), (3, 6))
    cell_i, parts = cell_i[polygonal], parts[polygonal]
    out = np.array([shapely.Polygon()] * len(cells), dtype=object)
    order = np.argsort(cell_i, kind="stable")
    cell_i, parts = cell_i[order], parts[order]
    splits = np.flatnonzero(np.diff(cell_i)) + 1
    for idx, group in zip(np.split(cell_i, splits), np.split(parts, splits)):
        if len(idx):
            out[idx[0]] = group[0] if len(group) == 1 else dissolve(group)
    return out


def union2(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """``a`` ∪ ``b``, repairing either when GEOS finds it invalid."""
    try:
        return shapely.union(a, b)
    except shapely.errors.GEOSException:
        return shapely.union(shapely.make_valid(a), shapely.make_valid(b))


def dissolve(geoms: np.ndarray, loose: np.ndarray | None = None) -> BaseGeometry:
    """The union of polygons that should form an exact coverage: coverage union (fast),
    falling back to a full overlay union when GEOS finds them not exactly noded (rare:
    a simplified shared edge that a reprojection moved by a rounding step). ``loose``
    marks the polygons known not to be (``Partition.loose``): the rest are then joined
    by coverage union and only those by overlay (a full overlay of thousands of
    catchments took ~0.3 s per change point at 5,000 places)."""
    try:
        return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        pass
    if loose is not None and 0 < int(loose.sum()) < len(geoms):
        try:
            exact = shapely.coverage_union_all(geoms[~loose])
            return union2(exact, shapely.union_all(shapely.make_valid(geoms[loose])))
        except shapely.errors.GEOSException:
            pass
    return shapely.union_all(shapely.make_valid(geoms))


def _neighbours(cells: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of cells that touch (their catchments may share a border)."""
    left, right = shapely.STRtree(cells).query(cells, predicate="intersects")
    keep = left < right
    return np.column_stack([left[keep], right[keep]])


def build_mesh(points: np.ndarray, mask: BaseGeometry, cities: Cities = NO_CITIES
               ) -> LocalityMesh:
    """The mesh of ``points`` (projected localities) inside ``mask`` (projected), with
    the ``cities`` among them."""
    _, unique = np.unique(np.round(points / 50.0), axis=0, return_index=True)
    points = points[np.sort(unique)]
    radius = _settled_radius(points)
    links, link_m = _delaunay_links(points)
    discs = shapely.buffer(shapely.points(points), radius, quad_segs=4)
    corridors = shapely.buffer(
        shapely.linestrings(np.stack([points[links[:, 0]], points[links[:, 1]]], axis=1)),
        CORRIDOR_HALF_WIDTH_M, quad_segs=2)
    land = shapely.intersection(shapely.union_all(np.concatenate([discs, corridors])), mask)
    voronoi = np.asarray(shapely.get_parts(shapely.voronoi_polygons(
        shapely.multipoints(points), extend_to=shapely.box(*land.bounds).buffer(1e5),
        ordered=True)), dtype=object)
    cells = _cut_to(voronoi, land)
    spacing = cKDTree(points).query(points, k=SPACING_NEIGHBOUR + 1)[0][:, -1]
    return LocalityMesh(points, cells, shapely.area(cells) / 1e6, np.maximum(spacing, 100.0),
                        links, link_m, _neighbours(cells), cities)


def _stamp(*files: Path) -> str:
    digest = hashlib.sha256(f"mesh-v{MESH_VERSION}".encode())
    for path in files:      # contents, not times: a checkout or rebase keeps the cache
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for value in (SPACING_NEIGHBOUR, SETTLED_NEIGHBOUR, SETTLED_FACTOR, SETTLED_MIN_M,
                  SETTLED_MAX_M, CORRIDOR_HOP_M, CORRIDOR_HALF_WIDTH_M, TILE_M):
        digest.update(repr(value).encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def default_mesh() -> LocalityMesh:
    """The mesh of the bundled gazetteer's Iraqi and Syrian localities, cut to the
    bundled borders; built once (~10 s) and kept under ``var/cache``."""
    gazetteer = paths.GAZETTEER_FILE
    borders = paths.BOUNDARIES_DIR / "countries.geojson"
    cache = CACHE_DIR / f"locality-mesh-{_stamp(gazetteer, borders)}.pickle"
    loaded = read_cache(cache, LocalityMesh)
    if loaded is not None:
        return loaded
    lonlat = _read_localities(gazetteer, THEATRE_COUNTRIES)
    mesh = build_mesh(project(lonlat[:, 0], lonlat[:, 1]),
                      projected_mask(_default_mask_wkb()),
                      read_cities(gazetteer, THEATRE_COUNTRIES))
    write_cache(cache, mesh, stale="locality-mesh-*.pickle")
    return mesh


@dataclass(frozen=True)
class DesertGrid:
    """The unsettled land inside the mapped countries cut into squares of
    ``DESERT_CELL_M`` (``THEATRE_CRS``): ``centres`` (n, 2), ``cells`` (the square minus
    the settled land, never empty) and ``km2``. Squares never overlap each other or the
    settled land, so a force's desert adds to its settled area without double counting."""

    centres: np.ndarray
    cells: np.ndarray
    km2: np.ndarray

    def __len__(self) -> int:
        return len(self.centres)


def build_desert(mesh: LocalityMesh, mask: BaseGeometry,
                 cell_m: float = DESERT_CELL_M) -> DesertGrid:
    """The ``DesertGrid`` of ``mask`` minus the mesh's settled land. The land is cut by
    tiles of 5 x 5 squares first (one overlay of the whole settled land per tile, then
    each square against its tile's small piece): seconds instead of minutes."""
    filled = mesh.cells[~shapely.is_empty(mesh.cells)]
    settled = dissolve(filled) if len(filled) else shapely.Polygon()
    minx, miny, maxx, maxy = mask.bounds
    per_tile = 5
    # Every edge from integer grid indices, so neighbouring squares share identical
    # coordinates and their union is an exact coverage union.
    nx = int(np.ceil((maxx - minx) / (cell_m * per_tile))) * per_tile
    ny = int(np.ceil((maxy - miny) / (cell_m * per_tile))) * per_tile
    xs = minx + np.arange(nx + 1) * cell_m
    ys = miny + np.arange(ny + 1) * cell_m
    ti, tj = (a.ravel() for a in np.meshgrid(np.arange(0, nx, per_tile),
                                             np.arange(0, ny, per_tile)))
    tiles = shapely.box(xs[ti], ys[tj], xs[ti + per_tile], ys[tj + per_tile])
    inside = shapely.intersects(tiles, mask)
    tiles, ti, tj = tiles[inside], ti[inside], tj[inside]
    pieces = shapely.difference(shapely.intersection(tiles, mask), settled)
    oi, oj = (a.ravel() for a in np.meshgrid(np.arange(per_tile), np.arange(per_tile)))
    si = (ti[:, None] + oi[None, :]).ravel()
    sj = (tj[:, None] + oj[None, :]).ravel()
    tile_of = np.repeat(np.arange(len(tiles)), per_tile * per_tile)
    squares = shapely.box(xs[si], ys[sj], xs[si + 1], ys[sj + 1])
    cells = shapely.intersection(squares, pieces[tile_of])
    polygonal = np.isin(shapely.get_type_id(cells), (3, 6))
    km2 = np.where(polygonal, shapely.area(cells) / 1e6, 0.0)
    keep = km2 >= DESERT_MIN_KM2
    cells = np.asarray([_polygons_only(g) for g in cells[keep]], dtype=object)
    centres = np.column_stack([xs[si[keep]] + cell_m / 2, ys[sj[keep]] + cell_m / 2])
    return DesertGrid(centres, cells, shapely.area(cells) / 1e6)


def _polygons_only(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of an overlay result (drops stray lines and points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon"]
    return shapely.multipolygons(parts)


@lru_cache(maxsize=1)
def default_desert() -> DesertGrid:
    """The desert grid of the bundled gazetteer and borders; built once (~10 s) and kept
    under ``var/cache`` next to the locality mesh."""
    gazetteer = paths.GAZETTEER_FILE
    borders = paths.BOUNDARIES_DIR / "countries.geojson"
    cache = CACHE_DIR / (f"desert-grid-v{DESERT_VERSION}-{_stamp(gazetteer, borders)}-"
                         f"{int(DESERT_CELL_M)}.pickle")
    loaded = read_cache(cache, DesertGrid)
    if loaded is not None:
        return loaded
    grid = build_desert(default_mesh(), projected_mask(_default_mask_wkb()))
    write_cache(cache, grid, stale="desert-grid-*.pickle")
    return grid


@dataclass(frozen=True)
class DesertNear:
    """For each piece of unclaimed land that some town is close enough to claim
    (``cells``: a desert square's index in the ``DesertGrid``, or ``len(grid)`` plus the
    index of a locality whose settled land no catchment reaches): its
    ``DESERT_NEIGHBOURS`` nearest places (``place``, indices into the partition's
    places; -1 when fewer are within ``DESERT_SURROUND_M``), their distance ``dist`` (m)
    and the ``angle`` (radians) under which the piece sees each. Found once per set of
    places."""

    cells: np.ndarray
    place: np.ndarray
    dist: np.ndarray
    angle: np.ndarray


def desert_near(grid: DesertGrid, places: np.ndarray, *, mesh: LocalityMesh | None = None,
                owner: np.ndarray | None = None,
                neighbours: int = DESERT_NEIGHBOURS) -> DesertNear:
    """The nearest places of the unclaimed land within ``DESERT_REACH_M`` of one: the
    desert squares and, with ``mesh`` and ``owner`` (``follow``), the settled land of
    localities that follow no town (beyond every town's reach along the settlements:
    a lone village in the steppe is judged like the steppe around it)."""
    centres, ids = grid.centres, np.arange(len(grid))
    if mesh is not None and owner is not None:
        # beyond every town's reach; not a city's land withheld by rule E1 (< -1)
        free = np.flatnonzero((owner == -1) & (mesh.cell_km2 > 0))
        centres = np.concatenate([centres, mesh.points[free]])
        ids = np.concatenate([ids, len(grid) + free])
    m = len(places)
    if m == 0 or not len(ids):
        empty = np.empty((0, 0))
        return DesertNear(np.empty(0, dtype=np.int64), empty.astype(np.int64), empty, empty)
    k = min(neighbours, m)
    dist, idx = cKDTree(places).query(centres, k=k, distance_upper_bound=DESERT_SURROUND_M)
    dist, idx = dist.reshape(len(ids), k), idx.reshape(len(ids), k)
    rows = np.flatnonzero(dist[:, 0] <= DESERT_REACH_M)
    dist, idx = dist[rows], idx[rows]
    missing = idx >= m
    idx = np.where(missing, -1, idx)
    delta = places[np.maximum(idx, 0)] - centres[rows][:, None, :]
    angle = np.arctan2(delta[..., 1], delta[..., 0])
    return DesertNear(ids[rows], idx, np.where(missing, np.inf, dist), angle)


def desert_land(grid: DesertGrid, mesh: LocalityMesh, cells: np.ndarray
                ) -> tuple[BaseGeometry, float]:
    """The land (``THEATRE_CRS``) and km² of the pieces ``cells`` of a ``DesertNear``.
    Squares and villages are each an exact coverage (a fast coverage union); the two
    meet along the edge of the settled land, so they are joined by one overlay."""
    square = cells < len(grid)
    local = cells[~square] - len(grid)
    km2 = float(grid.km2[cells[square]].sum() + mesh.cell_km2[local].sum())
    parts = [dissolve(geoms) for geoms in (grid.cells[cells[square]], mesh.cells[local])
             if len(geoms)]
    if not parts:
        return shapely.Polygon(), km2
    return (parts[0] if len(parts) == 1 else union2(parts[0], parts[1])), km2


def desert_holders(near: DesertNear, holder: np.ndarray, hostile: np.ndarray
                   ) -> np.ndarray:
    """The force code holding each square of ``near`` (-1: nobody) by the desert rule
    (module docstring, step 4). ``holder[p]`` is the code of the force holding place p
    (-1: contested or unknown); ``hostile[a, b]`` whether forces a and b fight."""
    if not len(near.cells):
        return np.empty(0, dtype=np.int64)
    code = np.where(near.place >= 0, holder[np.maximum(near.place, 0)], -1)
    present = near.place >= 0
    nearest = code[:, 0]
    ok = nearest >= 0
    f = np.maximum(nearest, 0)
    # (b) a hostile or contested town not much farther than the nearest one
    close = present & (near.dist <= near.dist[:, :1] + DESERT_MARGIN_M)
    enemy = (code < 0) | hostile[f[:, None], np.maximum(code, 0)]
    ok &= ~(close & enemy & (code != nearest[:, None])).any(axis=1)
    # (c) the force's towns around it lie on every side: no gap of half a turn or more
    # between the directions under which the square sees them
    own = present & (code == nearest[:, None]) & (near.dist <= DESERT_SURROUND_M)
    angle = np.sort(np.where(own, near.angle, np.inf), axis=1)
    count = own.sum(axis=1)
    rows = np.arange(len(angle))
    last = angle[rows, np.maximum(count - 1, 0)]
    with np.errstate(invalid="ignore"):          # inf - inf past the last own town
        gaps = np.diff(angle, axis=1)
    gaps = np.where(np.isfinite(gaps), gaps, -np.inf)
    widest = np.maximum(gaps.max(axis=1, initial=-np.inf), angle[:, 0] + 2 * np.pi - last)
    ok &= (count >= 3) & (widest < np.pi)
    return np.where(ok, nearest, -1)


@dataclass(frozen=True)
class Partition:
    """Which place each locality follows, and what that makes of the places' land.

    ``owner[i]`` is the index (into the places given) of the place locality i follows,
    -1 beyond reach, or ``-2 - b`` when the city ``blocked[b]`` (an index into the
    mesh's ``cities``) withholds it (rule E1: its land is nobody's); ``catchments[p]`` the land of place p (``THEATRE_CRS``, an exact
    coverage; empty when p has no land) and ``catchments_out`` the same in EPSG:4326;
    ``km2[p]`` its area; ``borders`` maps a pair (p, q), p < q, to the line where their
    catchments meet (EPSG:4326).
    """

    owner: np.ndarray
    catchments: np.ndarray
    catchments_out: np.ndarray
    km2: np.ndarray
    borders: dict[tuple[int, int], BaseGeometry]
    #: Catchments whose EPSG:4326 edges do not match their neighbours' exactly
    #: (``coverage_invalid_edges``; ``dissolve`` joins them by overlay).
    loose: np.ndarray | None = None
    #: The mesh's cities no report gives a holder for (rule E1), as blockers.
    blocked: np.ndarray | None = None


def follow(mesh: LocalityMesh, places: np.ndarray, *, reach_m: float = REACH_M,
           reach_steps: float = REACH_STEPS, blockers: np.ndarray | None = None,
           blocker_radius_m: np.ndarray | None = None) -> np.ndarray:
    """For each locality, the index of the place (projected points ``places``) it follows:
    the nearest in settlement steps along the chain of settlements, within
    ``reach_steps`` and ``reach_m`` (straight line); -1 when none is. ``blockers``
    (projected points: cities whose holder no report gives, rule E1) compete as places
    do: a locality nearest to blocker b and within its urban radius
    (``blocker_radius_m``) gets ``-2 - b``, nobody's; one nearest to it farther out
    follows the nearest place it reaches without passing through that urban area. A
    blocker joins the chain only at localities within ``ATTACH_MAX_M`` (a city off the
    settled land withholds nothing)."""
    n, m = len(mesh), len(places)
    stops = np.empty((0, 2)) if blockers is None else np.asarray(blockers, dtype=float)
    if m == 0:
        return np.full(n, -1, dtype=int)
    sources = np.concatenate([np.asarray(places, dtype=float).reshape(-1, 2),
                              stops.reshape(-1, 2)])
    total = len(sources)
    k = min(ATTACH_K, n)
    dist, idx = cKDTree(mesh.points).query(sources, k=k)
    dist, idx = dist.reshape(total, k), idx.reshape(total, k)
    near = dist <= ATTACH_MAX_M
    near[:m, 0] = True               # every place joins at its nearest locality at least
    prow = np.repeat(np.arange(total) + n, k)[near.ravel()]
    pcol = idx.ravel()[near.ravel()]
    pw = dist.ravel()[near.ravel()] / mesh.spacing_m[pcol]
    a, b = mesh.links[:, 0], mesh.links[:, 1]
    lw = mesh.link_m / (0.5 * (mesh.spacing_m[a] + mesh.spacing_m[b]))
    rows = np.concatenate([a, prow])
    cols = np.concatenate([b, pcol])
    weights = np.maximum(np.concatenate([lw, pw]), 1e-3)
    graph = coo_matrix((weights, (rows, cols)), shape=(n + total, n + total)).tocsr()
    owner = _nearest_source(graph, n, total, reach_steps)
    far = owner >= 0
    far[far] = np.hypot(*(mesh.points[far] - sources[owner[far]]).T) > reach_m
    owner[far] = -1
    if total == m:
        return owner
    # A blocker withholds the localities it is nearest to within its urban radius (U).
    # Those it is nearest to beyond U (its hinterland) follow the places again, along
    # the chain with U cut out: only what a place reaches around the city, not through
    # it. (A locality nearest to a place never has its path through U: a path through
    # U is nearer to the city.)
    b = np.maximum(owner - m, 0)
    blocker = owner >= m
    radius = np.full(n, np.inf) if blocker_radius_m is None else \
        np.asarray(blocker_radius_m, dtype=float)[b]
    urban = blocker & (np.hypot(*(mesh.points - stops[b]).T) <= radius)
    hinterland = blocker & ~urban
    if hinterland.any():
        cut = np.concatenate([urban, np.zeros(total, dtype=bool)])
        keep = ~cut[rows] & ~cut[cols] & (rows < n + m)
        around = coo_matrix((weights[keep], (rows[keep], cols[keep])),
                            shape=(n + m, n + m)).tocsr()
        again = _nearest_source(around, n, m, reach_steps)
        far = again >= 0
        far[far] = np.hypot(*(mesh.points[far] - sources[again[far]]).T) > reach_m
        again[far] = -1
        owner[hinterland] = again[hinterland]
    return np.where(owner >= m, m - 2 - owner, owner)     # blocker b -> -2 - b


def _nearest_source(graph: Any, n: int, sources: int, reach_steps: float) -> np.ndarray:
    """For each of the first ``n`` nodes of ``graph``, the index of the nearest of the
    ``sources`` nodes that follow them (within ``reach_steps``), or -1."""
    _dist, _pred, origin = dijkstra(graph, directed=False,
                                    indices=np.arange(n, n + sources), min_only=True,
                                    return_predecessors=True, limit=reach_steps)
    owner = np.asarray(origin[:n], dtype=int)
    return np.where(owner >= 0, owner - n, -1)


def to_output(geoms: np.ndarray) -> np.ndarray:
    """EPSG:4326 copies; no densifying, so identical vertices stay identical and the
    catchments remain an exact coverage (edges are a few km at most after the cut to
    settled land: a straight edge bends by less than a metre)."""
    def move(xy: np.ndarray) -> np.ndarray:
        lon, lat = TO_OUTPUT.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])
    return np.asarray(shapely.transform(geoms, move), dtype=object)


def rounded_mapping(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry with coordinates rounded to ``OUTPUT_DECIMALS`` (about 1 m): for
    sending out only (rounding can pinch a sliver, so geometry work uses full precision).

    Coordinates are read a ring at a time (numpy), not point by point as shapely's
    ``mapping`` does: a map's areas and fronts hold tens of thousands of them, and
    converting them was most of a new map's time (a timelapse frame, a new day of
    ``geo control``). Same values, same JSON."""
    kind = geom.geom_type
    if geom.is_empty or kind not in _SIMPLE_KINDS and not kind.startswith("Multi"):
        return dict(shapely.geometry.mapping(shapely.transform(
            geom, lambda xy: np.round(xy, OUTPUT_DECIMALS))))
    return {"type": kind, "coordinates": _rounded_coordinates(geom, kind)}


_SIMPLE_KINDS = ("Point", "LineString", "LinearRing", "Polygon")


def _rounded_coordinates(geom: BaseGeometry, kind: str) -> Any:
    """GeoJSON coordinates of a point, line, polygon or multi-part one of them: every
    coordinate rounded and listed at once, then cut into rings and parts."""
    # Tuples, as ``mapping`` makes: a tuple of floats leaves the garbage collector's
    # care at its first pass, where tens of thousands of lists stayed in it and made
    # every later collection of the process slower.
    xy = list(map(tuple, np.round(shapely.get_coordinates(geom), OUTPUT_DECIMALS).tolist()))
    if kind == "Point":
        return xy[0]
    if kind in ("LineString", "LinearRing"):
        return tuple(xy)
    parts = shapely.get_parts(geom)
    polygons = kind in ("Polygon", "MultiPolygon")
    if polygons:
        rings, owner = shapely.get_rings(parts, return_index=True)
        sizes = shapely.get_num_coordinates(rings).tolist()
    else:
        owner = np.arange(len(parts))
        sizes = shapely.get_num_coordinates(parts).tolist()
    out: list[list[Any]] = [[] for _ in range(len(parts))]
    start = 0
    for part, size in zip(owner.tolist(), sizes):
        out[part].append(tuple(xy[start:start + size]))
        start += size
    if kind == "Polygon":
        return tuple(out[0])
    if kind == "MultiPolygon":
        return [tuple(rings) for rings in out]
    if kind == "MultiPoint":
        return [p[0][0] for p in out]
    return [p[0] for p in out]                    # MultiLineString


def city_points(mesh: LocalityMesh, blocked: np.ndarray | None) -> np.ndarray:
    """Projected points of the mesh's cities ``blocked`` (indices into ``mesh.cities``)."""
    if blocked is None or not len(blocked):
        return np.empty((0, 2))
    cities = mesh.cities
    return project(cities.lon[blocked], cities.lat[blocked])


def partition(mesh: LocalityMesh, places: np.ndarray, *,
              reach_m: float = REACH_M, reach_steps: float = REACH_STEPS,
              blocked: np.ndarray | None = None) -> Partition:
    """Catchments of ``places`` (projected points) and the lines where they meet;
    ``blocked`` (indices into ``mesh.cities``) are the cities no report gives a holder
    for, whose land stays nobody's (rule E1)."""
    m = len(places)
    blocked = None if blocked is None or not len(blocked) else \
        np.asarray(blocked, dtype=np.int64)
    owner = follow(mesh, places, reach_m=reach_m, reach_steps=reach_steps,
                   blockers=city_points(mesh, blocked),
                   blocker_radius_m=None if blocked is None else
                   urban_radius_m(mesh.cities.people[blocked]))
    catchments = np.array([shapely.Polygon()] * m, dtype=object)
    held = np.flatnonzero(owner >= 0)
    if len(held):
        cells_idx = held[np.argsort(owner[held], kind="stable")]
        splits = np.flatnonzero(np.diff(owner[cells_idx])) + 1
        for group in np.split(cells_idx, splits):
            cells = mesh.cells[group]
            cells = cells[~shapely.is_empty(cells)]
            if len(cells):
                catchments[owner[group[0]]] = dissolve(cells)
    filled = np.flatnonzero(~shapely.is_empty(catchments))
    if len(filled):
        catchments[filled] = shapely.coverage_simplify(catchments[filled], SIMPLIFY_M)
        bad = filled[~shapely.is_valid(catchments[filled])]
        if len(bad):      # a simplified sliver can pinch; repair it (union falls back then)
            catchments[bad] = shapely.make_valid(catchments[bad])
    km2 = shapely.area(catchments) / 1e6
    borders: dict[tuple[int, int], BaseGeometry] = {}
    a, b = owner[mesh.pairs[:, 0]], owner[mesh.pairs[:, 1]]
    between = (a >= 0) & (b >= 0) & (a != b)
    touching = np.unique(np.column_stack([np.minimum(a, b)[between],
                                          np.maximum(a, b)[between]]), axis=0)
    if len(touching):
        shared = shapely.intersection(shapely.boundary(catchments[touching[:, 0]]),
                                      shapely.boundary(catchments[touching[:, 1]]))
        for (p, q), geom in zip(touching, shared):
            lines = [g for g in shapely.get_parts(geom) if g.geom_type == "LineString"]
            if lines:
                merged = shapely.line_merge(shapely.multilinestrings(lines))
                if merged.length > 1.0:
                    borders[(int(p), int(q))] = merged
    if borders:
        keys = list(borders)
        borders = dict(zip(keys, to_output(np.array([borders[k] for k in keys],
                                                      dtype=object))))
    out = to_output(catchments)
    loose = np.zeros(m, dtype=bool)
    if len(filled):
        loose[filled] = ~shapely.is_empty(shapely.coverage_invalid_edges(out[filled]))
    return Partition(owner, catchments, out, km2, borders, loose, blocked)
