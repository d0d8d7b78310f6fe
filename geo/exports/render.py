"""The one render function behind every picture export (PNG, PDF, GIF, MP4, ZIP, deck).

Why one function: a briefing slide, the PDF handed out and the timelapse must show the
same map; each format only decides size and where the source list goes. Drawing uses
``matplotlib.figure.Figure`` with the Agg canvas directly (never pyplot): no GUI backend,
no global state, safe inside the Streamlit server's threads.

The page (``layout``): marking, title block with the date stamp, the window and filters;
the map filling the width, its extent grown around the requested bounds to the frame's
shape; sources, attribution and marking at the bottom. Inside the map: basemap, control
areas, front lines, places, events, then the furniture (scale bar, north arrow, legend in
the emptier corner) and last the labels, placed by priority around all of it
(``labels.place_labels``).

Everything is drawn in EPSG:4326 (lon/lat) with the aspect of the centre latitude; the
scale bar is measured on the WGS84 ellipsoid.
"""
from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import colors as mcolors
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath

from geo.core import theatre
from geo.core.forces import UNKNOWN_COLOUR, default_forces
from geo.exports.cartography import scale_bar
from geo.exports.change import Change
from geo.exports.data import SnapshotData, page_text
from geo.exports.labels import LabelRequest, PlacementResult, PointDensity, place_labels
from geo.exports.layout import (
    Bounds,
    ImageSize,
    Page,
    PageText,
    fit_extent,
    km_across,
    max_source_lines,
    page,
    wrap,
)
from geo.exports.shapes import add_lines, add_polygons, line_parts, polygon_paths
from geo.exports.sources import SourceList
from geo.geocode.normalize import variant_key
from geo.maps.basemap import LAKE, LAKE_EDGE, LAND, NEIGHBOUR_LAND, RIVER, SEA, load_layer
from geo.maps.symbols import (
    AREA_OPACITY,
    COARSE_DATE_FADE,
    EVENT_SHAPES,
    FRONT_CASING,
    FRONT_COLOUR,
    FRONT_WEIGHT,
    STALE_OPACITY,
    UNCERTAINTY_METRES,
    event_shape,
    is_capture,
)
from geo.maps.symbols import legend as symbol_legend

_SHAPES = tuple(EVENT_SHAPES.values())

CRS = "EPSG:4326"
#: Credits required by data/ATTRIBUTION.md for the bundled basemap and gazetteer.
ATTRIBUTION = ("Basemap and places: Natural Earth (public domain); Who's On First (CC0), "
               "contains data from GeoNames (CC-BY 4.0); geoBoundaries (CC-BY 4.0, Runfola "
               "et al. 2020). Events: extracted from news reports, see sources. Control areas "
               "are estimates from reported captures, not a survey.")
NO_EVENTS = "no events match"
NO_EVENTS_BANNER = "No events match this filter in this frame"
#: Source numbers are printed beside the event places when there are at most this many
#: sources and this many event places (beyond that the numbers clutter the map).
NUMBERED_MAX_SOURCES = 15
NUMBERED_MAX_PLACES = 40
#: Below this width (km) the map is "zoomed in": every bundled town is a label candidate.
TOWNS_KM = 700.0
#: Cities of neighbouring countries labelled at theatre scale (Ankara, Tehran, Amman...).
NEIGHBOUR_CITY_POPULATION = 1_000_000
#: A bundled town this close to a control place is that place (another spelling).
SAME_PLACE_KM = 10.0
_VOWELS = re.compile(r"[aeiouy]")
LABEL_GID = "place-label"
#: Smallest legend swatch (width, height) in pixels.
SWATCH_PX = (18.0, 10.0)
LEADER_GID = "label-leader"
LEGEND_GID = "legend"

#: Symbols (shapes, front line, area opacity, fades) are the dashboard's, from
#: ``geo.maps.symbols``: the briefing picture means what the screen means.
AREA_ALPHA = AREA_OPACITY
MARKING_COLOUR = "#b00000"
#: Colours of the page and basemap that a palette-limited format (GIF) must keep exactly,
#: and the backgrounds the translucent control areas are drawn over.
PAGE_COLOURS: tuple[str, ...] = ("#ffffff", "#000000", "#111111", "#222222", "#333333",
                                 "#444444", "#555555", "#7a7a7a", "#888888", "#a0a0a0",
                                 "#bbbbbb", FRONT_COLOUR, MARKING_COLOUR, SEA, LAND,
                                 NEIGHBOUR_LAND, LAKE, LAKE_EDGE, RIVER, UNKNOWN_COLOUR)
AREA_BACKGROUNDS: tuple[str, ...] = (LAND, NEIGHBOUR_LAND, SEA)
#: Before/after maps: ground gained is filled, ground lost hatched, in the force's colour.
GAINED_ALPHA = 0.55
LOST_HATCH = "////"


#: Where the source list goes: "inline" at the bottom if it fits (PNG), "separate" (PDF
#: second page, deck notes): only a pointer is drawn.
SourcesMode = Literal["inline", "separate"]


class _QuietCanvas(FigureCanvasAgg):
    """Agg canvas whose ``draw_idle`` does nothing: GeoDataFrame.plot calls it after every
    layer, and on a plain Agg canvas that is a full redraw (13 redraws, ~1.5 s per map).
    The figure is drawn once, when it is saved."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        """Skip: nothing is on screen; ``savefig`` draws."""


@dataclass
class Rendered:
    """A drawn page and what it shows: the extent, the numbered sources, the labels."""

    figure: Figure
    extent: Bounds
    sources: SourceList
    labels: PlacementResult
    n_drawn: int
    described: str
    legend_forces: list[str]
    change_summary: str = ""

    def rgb(self) -> np.ndarray:
        """The page as an (H, W, 3) uint8 array, drawn once (no PNG round trip)."""
        canvas = self.figure.canvas
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()  # type: ignore[attr-defined]


@lru_cache(maxsize=8)
def basemap_frame(name: str) -> gpd.GeoDataFrame:
    """A bundled basemap layer (``geo.maps.basemap.load_layer``) as a GeoDataFrame in
    EPSG:4326, built once per process."""
    return gpd.GeoDataFrame.from_features(load_layer(name)["features"], crs=CRS)


def force_colour(force: Any) -> str:
    """The force's colour from ``data/forces.csv``; grey for an empty or unknown force."""
    forces = default_forces()
    return forces.colour(str(force)) if force and str(force) in forces else UNKNOWN_COLOUR


def _px(points: float, dpi: float) -> float:
    return points * dpi / 72.0


# -- the page ---------------------------------------------------------------------------------

def _subtitle(data: SnapshotData, described: str, n_drawn: int,
              change: Change | None = None) -> str:
    view = data.view
    shown = described + ("" if n_drawn else f" — {NO_EVENTS}")
    control = "control: reported captures" + (" and the curated timeline" if view.curated
                                              else " only (curated timeline off)")
    head = f"{change.summary()}  " if change else ""
    return f"{head}Window: {view.window_text()}.  Shown: {shown}.  {control.capitalize()}."


@dataclass(frozen=True)
class SourceBlock:
    """The footer's source text: a heading and one or two columns of lines."""

    heading: str = ""
    columns: tuple[tuple[str, ...], ...] = ()

    def __len__(self) -> int:
        """Lines the block takes on the page (heading included)."""
        if not self.heading:
            return 0
        return 1 + max((len(c) for c in self.columns), default=0)


#: Pages at least this wide (inches) print the source list in two columns.
TWO_COLUMNS_INCHES = 7.0


def _source_block(sources: SourceList, mode: SourcesMode, size: ImageSize, fs: float
                  ) -> SourceBlock:
    """The footer's source lines: the list when it fits (two columns on a wide page),
    else a pointer to the PDF's source pages and the slide notes."""
    if not sources:
        return SourceBlock("Sources: no document is linked to what is drawn."
                           if mode == "separate" else "")
    pointer = SourceBlock(f"Sources: {sources.summary()}, listed on the PDF's source "
                          "pages and in the slide notes.")
    if mode == "separate":
        return pointer
    width_in = size.inches[0]
    n_columns = 2 if width_in >= TWO_COLUMNS_INCHES and len(sources) > 2 else 1
    entries = [wrap(text, width_in / n_columns - 0.15, fs * 0.75)[:2]
               for text in sources.lines()]
    total = sum(len(e) for e in entries)
    columns: list[list[str]] = [[] for _ in range(n_columns)]
    column = 0
    for entry in entries:
        if column + 1 < n_columns and len(columns[column]) >= (total + 1) // n_columns:
            column += 1
        columns[column].extend(entry)
    block = SourceBlock(f"Sources ({sources.summary()}):",
                        tuple(tuple(c) for c in columns))
    return block if len(block) <= max_source_lines(size) else pointer


def _choose_page(data: SnapshotData, size: ImageSize, text: PageText, mode: SourcesMode
                 ) -> tuple[Page, Bounds, SourceList, SourceBlock]:
    """The page, extent and sources together: the footer's height depends on the sources
    of what the extent shows, the extent on the footer. The footer only grows, so this
    ends within a few rounds."""
    lines_needed = 0
    for _ in range(5):
        pg = page(size, text, lines_needed)
        extent = fit_extent(data.view.extent, *pg.map_px)
        sources = data.sources_within(extent)
        block = _source_block(sources, mode, size, pg.fs)
        if len(block) <= lines_needed:
            return pg, extent, sources, block
        lines_needed = len(block)
    return pg, extent, sources, SourceBlock(block.heading)


def _header(fig: Figure, data: SnapshotData, pg: Page, subtitle: list[str], *,
            title: bool = True, stamp: str = "") -> None:
    view, fs, line = data.view, pg.fs, pg.line
    if view.marking:
        fig.text(0.5, 1 - 0.35 * line, view.marking, ha="center", va="top",
                 fontsize=fs * 1.05, fontweight="bold", color=MARKING_COLOUR, gid="marking-top")
    top = pg.header_top
    if title:
        fig.text(pg.map_rect[0], top, view.title, ha="left", va="top", fontsize=fs * 1.45,
                 fontweight="bold", gid="title")
        fig.text(pg.map_rect[0] + pg.map_rect[2], top, stamp or f"As of {view.day:%Y-%m-%d}",
                 ha="right", va="top", fontsize=fs * 1.35, fontweight="bold", gid="date-stamp")
        top -= 1.6 * line
    fig.text(pg.map_rect[0], top, "\n".join(subtitle), ha="left", va="top",
             fontsize=fs * 0.85, linespacing=1.1, gid="subtitle")


def _footer(fig: Figure, data: SnapshotData, pg: Page, attribution: list[str],
            block: SourceBlock) -> None:
    view, fs, line = data.view, pg.fs, pg.line
    bottom = 0.35 * line
    if view.marking:
        fig.text(0.5, bottom, view.marking, ha="center", va="bottom", fontsize=fs * 1.05,
                 fontweight="bold", color=MARKING_COLOUR, gid="marking-bottom")
        bottom += 1.3 * line
    fig.text(pg.map_rect[0], bottom, "\n".join(attribution), ha="left", va="bottom",
             fontsize=fs * 0.7, color="#444444", linespacing=1.25, gid="attribution")
    if not block.heading:
        return
    step = 0.75 * 1.3 * line                # one source line
    top = pg.sources_bottom + len(block) * step
    fig.text(pg.map_rect[0], top, block.heading, ha="left", va="top", fontsize=fs * 0.75,
             fontweight="bold", gid="sources")
    width = pg.map_rect[2] / max(len(block.columns), 1)
    for i, column in enumerate(block.columns):
        if column:
            fig.text(pg.map_rect[0] + i * width, top - step, "\n".join(column), ha="left",
                     va="top", fontsize=fs * 0.75, linespacing=1.3, gid="sources")


# -- the map ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _BasemapPaths:
    """The bundled basemap as Matplotlib paths, built once per process and theatre."""

    neighbours: list[MplPath]
    core: list[MplPath]
    provinces: list[MplPath]
    lakes: list[MplPath]
    rivers: list[np.ndarray]
    river_widths: list[float]


@lru_cache(maxsize=4)
def _basemap_paths(core_countries: tuple[str, ...]) -> _BasemapPaths:
    countries = basemap_frame("countries")
    core = countries["iso"].isin(list(core_countries)).to_numpy()
    geoms = countries.geometry.to_numpy()
    rivers = basemap_frame("rivers")
    widths = np.where(rivers["rank"] <= 4, 1.1, 0.6).tolist()
    river_lines, river_widths = line_parts(rivers.geometry.to_numpy(), widths)
    return _BasemapPaths(polygon_paths(geoms[~core]), polygon_paths(geoms[core]),
                         polygon_paths(basemap_frame("provinces").geometry.to_numpy()),
                         polygon_paths(basemap_frame("lakes").geometry.to_numpy()),
                         river_lines, river_widths or [])


def draw_basemap(ax: Any) -> None:
    """Sea, theatre countries (lighter), neighbours, provinces, lakes and rivers."""
    ax.set_facecolor(SEA)
    layers = _basemap_paths(tuple(theatre.current().countries))
    add_polygons(ax, layers.neighbours, facecolor=NEIGHBOUR_LAND, edgecolor="#7a7a7a",
                 linewidth=0.6, zorder=1)
    add_polygons(ax, layers.core, facecolor=LAND, edgecolor="#7a7a7a", linewidth=0.8,
                 zorder=1)
    add_polygons(ax, layers.provinces, facecolor="none", edgecolor="#a0a0a0",
                 linewidth=0.35, linestyle=(0, (3, 3)), zorder=2)
    add_polygons(ax, layers.lakes, facecolor=LAKE, edgecolor=LAKE_EDGE, linewidth=0.3,
                 zorder=2)
    add_lines(ax, layers.rivers, color=RIVER, linewidth=layers.river_widths, zorder=2)


@dataclass(frozen=True)
class PlaceMark:
    """A control place drawn on the map: where, its name, status and holder; a stale
    place (rule 8, status unknown) also the force last reported holding it."""

    lon: float
    lat: float
    name: str
    status: str = "held"
    force: str = ""
    last_force: str = ""


def _draw_places(ax: Any, marks: list[PlaceMark], size: float) -> None:
    """Squares as the dashboard draws them (``geo.maps.symbols``): held in the holder's
    colour; contested split (holder's colour and white); besieged with a thick ring in
    the front-line red; unknown hollow grey, or hollow with a faded edge of the last
    holder's colour when stale (rule 8). A white rim keeps them apart from areas."""
    if not marks:
        return
    xs = np.array([m.lon for m in marks])
    ys = np.array([m.lat for m in marks])
    status = np.array([m.status for m in marks])
    colours = np.array([force_colour(m.force) if m.force else UNKNOWN_COLOUR for m in marks])
    ax.scatter(xs, ys, s=size * 1.9, c="#ffffff", marker="s", linewidths=0, zorder=5)
    for code, edge, width in (("held", "#333333", 0.6), ("besieged", FRONT_COLOUR, 1.6)):
        pick = status == code
        if pick.any():
            ax.scatter(xs[pick], ys[pick], s=size, c=list(colours[pick]), marker="s",
                       edgecolors=edge, linewidths=width, zorder=5.1)
    pick = status == "contested"
    for x, y, colour in zip(xs[pick], ys[pick], colours[pick]):
        ax.plot([x], [y], marker="s", markersize=math.sqrt(size), fillstyle="left",
                markerfacecolor=colour, markerfacecoloralt="#ffffff",
                markeredgecolor="#333333", markeredgewidth=0.6, linestyle="none",
                zorder=5.1)
    pick = status == "unknown"
    if pick.any():
        edges = [mcolors.to_rgba(force_colour(m.last_force), STALE_OPACITY) if m.last_force
                 else mcolors.to_rgba(UNKNOWN_COLOUR) for m, chosen in zip(marks, pick)
                 if chosen]
        ax.scatter(xs[pick], ys[pick], s=size, facecolors="none", marker="s",
                   edgecolors=edges, linewidths=1.0, zorder=5.1)


def _by_force(features: Sequence[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    """Shapely geometries of GeoJSON features grouped by their ``force`` property, forces
    in sorted order (the order areas are drawn in); features without a force or
    geometry are left out."""
    groups: dict[str, list[Any]] = {}
    for f in features:
        force = f["properties"].get("force")
        if force is None or (isinstance(force, float) and math.isnan(force)) \
                or not f.get("geometry"):
            continue
        groups.setdefault(force, []).append(shapely.geometry.shape(f["geometry"]))
    return sorted(groups.items())


def _draw_change(ax: Any, change: Change) -> None:
    """Ground gained (filled in the force's colour) and lost (hatched in its colour)."""
    for kind in ("gained", "lost"):
        parts = [f for f in change.features if f["properties"]["kind"] == kind]
        for force, geoms in _by_force(parts):
            colour = force_colour(force)
            if kind == "gained":
                add_polygons(ax, polygon_paths(geoms), facecolor=colour, alpha=GAINED_ALPHA,
                             edgecolor=colour, linewidth=0.9, zorder=3.5)
            else:
                add_polygons(ax, polygon_paths(geoms), facecolor="none", edgecolor=colour,
                             hatch=LOST_HATCH, linewidth=0.9, zorder=3.6)


def _draw_control(ax: Any, control: dict[str, Any], extent: Bounds, fs: float,
                  change: Change | None = None
                  ) -> tuple[set[str], bool, list[PlaceMark], float]:
    """Areas, front lines and place marks; returns forces with areas, whether a front
    was drawn, the places drawn and the place symbol's size (points^2). With a
    ``change`` the day's areas are faint and the ground gained and lost is drawn."""
    features = control.get("features", [])
    # settled land and the desert a force holds between its towns, drawn alike
    areas = [f for f in features if f["properties"].get("kind") in ("area", "desert")]
    fronts = [f for f in features if f["properties"].get("kind") == "front"]
    places = [f for f in features if f["properties"].get("kind") == "place"]
    area_forces: set[str] = set()
    front_seen = False
    frame_box = shapely.box(*extent)
    for force, geoms in _by_force(areas):
        colour = force_colour(force)
        add_polygons(ax, polygon_paths(geoms), facecolor=colour,
                     alpha=AREA_ALPHA / 2 if change else AREA_ALPHA, edgecolor=colour,
                     linewidth=0.5, zorder=3)
        if shapely.intersects(np.asarray(geoms, dtype=object), frame_box).any():
            area_forces.add(str(force))
    if change is not None:
        _draw_change(ax, change)
    lines = [shapely.geometry.shape(f["geometry"]) for f in fronts if f.get("geometry")]
    if lines:
        front_seen = bool(shapely.intersects(np.asarray(lines, dtype=object), frame_box).any())
        segments, _ = line_parts(lines)
        add_lines(ax, segments, color=FRONT_CASING, linewidth=FRONT_WEIGHT * 0.75 + 1.6,
                  zorder=4)
        add_lines(ax, segments, color=FRONT_COLOUR, linewidth=FRONT_WEIGHT * 0.75,
                  zorder=4.1)
    w, s, e, n = extent
    marks: list[PlaceMark] = []
    for f in places:
        lon, lat = f["geometry"]["coordinates"][:2]
        if w <= lon <= e and s <= lat <= n:
            p = f["properties"]
            marks.append(PlaceMark(float(lon), float(lat), str(p.get("name", "")),
                                   str(p.get("status") or "held"), str(p.get("force") or ""),
                                   str(p.get("last_force") or "")))
    size = fs * 2.6
    _draw_places(ax, marks, size)
    return area_forces, front_seen, marks, size


def _event_size(fs: float) -> float:
    return fs * 5.0


def _draw_events(ax: Any, events: gpd.GeoDataFrame, fs: float, extent: Bounds,
                 map_px: tuple[float, float]
                 ) -> tuple[list[str], list[str], set[str]]:
    """Events as the dashboard draws them (``geo.maps.symbols``): shape by event type,
    filled in actor 1's force colour with a white edge; captures with a thick black
    edge; dates known only to the month or coarser faded and dotted; places known only
    near the town with a halo, only to the province or country with a pale circle of
    the area meant (``UNCERTAINTY_METRES``, drawn to scale). One scatter call per shape
    and style (10,000 events in ~0.1 s). Returns the forces, the event types drawn and
    the modifiers present (capture, near, region, coarse-date)."""
    if not len(events):
        return [], [], set()
    lon = events["longitude"].to_numpy(dtype=float, na_value=np.nan)
    lat = events["latitude"].to_numpy(dtype=float, na_value=np.nan)
    keep = ~(np.isnan(lon) | np.isnan(lat))
    lon, lat = lon[keep], lat[keep]

    def column(name: str) -> np.ndarray:
        """A text column as a numpy object array ('' for missing): comparing pandas
        Arrow strings costs more than the drawing."""
        values: np.ndarray = np.asarray(events[name].to_numpy(dtype=object, na_value=""))
        kept: np.ndarray = values[keep]
        return kept

    force_col = column("actor1_force")
    palette = {f: mcolors.to_rgba(force_colour(f)) for f in set(force_col)}
    face = np.array([palette[f] for f in force_col], dtype=float).reshape(-1, 4)
    coarse_time = events["time_precision"].to_numpy(dtype=float, na_value=1)[keep] >= 3
    geo_precision = events["geo_precision"].to_numpy(dtype=float, na_value=1)[keep]
    capture = np.array([is_capture(t) for t in column("sub_event_type")], dtype=bool)
    types = column("event_type")
    face[coarse_time, 3] = COARSE_DATE_FADE
    base = _event_size(fs)
    modifiers: set[str] = set()
    # Uncertainty first, under the symbols.
    px_per_deg_lat = map_px[1] / (extent[3] - extent[1])
    for precision, metres in UNCERTAINTY_METRES.items():
        pick = geo_precision >= precision if precision == max(UNCERTAINTY_METRES) else \
            geo_precision == precision
        if pick.any():
            modifiers.add("region")
            radius_pt = metres / 111_320.0 * px_per_deg_lat * 72.0 / ax.figure.dpi
            fill = face[pick].copy()
            fill[:, 3] *= 0.12
            ring = face[pick].copy()
            ring[:, 3] *= 0.5
            ax.scatter(lon[pick], lat[pick], s=(2 * radius_pt) ** 2, c=fill, edgecolors=ring,
                       linewidths=0.8, marker="o", zorder=5.5)
    near = geo_precision == 2
    if near.any():
        modifiers.add("near")
        halo = face[near].copy()
        halo[:, 3] *= 0.25
        ax.scatter(lon[near], lat[near], s=base * 4, c=halo, linewidths=0, marker="o",
                   zorder=5.6)
    drawn_types: list[str] = []
    shapes: dict[str, list[str]] = {}
    for t in dict.fromkeys(types):
        shapes.setdefault(event_shape(t).matplotlib, []).append(t)
        drawn_types.append(t)
    for marker, members in shapes.items():
        of_shape = np.isin(types, members)
        for captured in (False, True):
            for coarse in (False, True):
                pick = of_shape & (capture == captured) & (coarse_time == coarse)
                if not pick.any():
                    continue
                if captured:
                    modifiers.add("capture")
                if coarse:
                    modifiers.add("coarse-date")
                edge = (0, 0, 0, 1) if captured else (1, 1, 1, 1)
                ax.scatter(lon[pick], lat[pick], s=base, c=face[pick], marker=marker,
                           edgecolors=[edge], linewidths=1.6 if captured else 0.6,
                           linestyles=(0, (1.5, 2)) if coarse else "solid", zorder=6)
    return sorted(set(force_col) - {""}), drawn_types, modifiers


def _north_arrow(ax: Any, fs: float) -> Any:
    """North is up: the map is drawn in lon/lat with no rotation. Returns the artist."""
    return ax.annotate("N", xy=(0.975, 0.965), xytext=(0.975, 0.89), xycoords="axes fraction",
                       ha="center", va="center", fontsize=fs * 1.05, fontweight="bold",
                       zorder=9, gid="north-arrow",
                       bbox=dict(boxstyle="round,pad=0.2", facecolor="white", alpha=0.75,
                                 edgecolor="none"),
                       arrowprops=dict(facecolor="black", width=fs * 0.22,
                                       headwidth=fs * 0.8, headlength=fs * 0.8))


def _scale_bar(ax: Any, extent: Bounds, fs: float) -> list[Any]:
    bar = scale_bar(extent)
    h = (extent[3] - extent[1]) * 0.008
    half = (bar.lon_end - bar.lon) / 2
    artists = [
        ax.add_patch(Rectangle((bar.lon - half * 0.1, bar.lat - h * 1.5), half * 2.2 + half
                               * 0.1 + (extent[2] - extent[0]) * 0.01, h * 5.8,
                               facecolor="white", alpha=0.8, edgecolor="none", zorder=8,
                               gid="scale-bar")),
        ax.add_patch(Rectangle((bar.lon, bar.lat), half, h, facecolor="black", zorder=9)),
        ax.add_patch(Rectangle((bar.lon + half, bar.lat), half, h, facecolor="white",
                               edgecolor="black", linewidth=0.6, zorder=9)),
    ]
    for x, text in ((bar.lon, "0"), (bar.lon_end, bar.label)):
        ax.text(x, bar.lat + h * 1.6, text, ha="center", va="bottom", fontsize=fs * 0.75,
                zorder=9)
    return artists


def _legend_handles(forces: list[str], types: list[str], area_forces: set[str],
                    front: bool, fs: float, change: Change | None = None,
                    modifiers: set[str] | frozenset[str] = frozenset(),
                    statuses: set[str] | frozenset[str] = frozenset()) -> list[Any]:
    """The legend of what is drawn, from the dashboard's own ``geo.maps.symbols.legend``
    (same sections, same words), each entry drawn as the map draws it; entries for
    marks not on this map are left out."""
    ms = fs * 0.8
    shown_forces = sorted(set(forces) | area_forces, key=lambda f: default_forces().display(f)
                          if f in default_forces() else f)
    handles: list[Any] = []
    for section in symbol_legend(shown_forces, types, control=True):
        for entry in section.entries:
            handle = _legend_handle(entry, ms, modifiers, statuses, bool(area_forces), front)
            if handle is not None:
                handles.append(handle)
    if change is not None:
        names = {f["properties"]["force"]: f["properties"].get("force_name") or
                 f["properties"]["force"] for f in change.features}
        for kind, km2 in (("gained", change.km2("gained")), ("lost", change.km2("lost"))):
            for force, area in sorted(km2.items(), key=lambda kv: -kv[1]):
                colour = force_colour(force)
                label = f"{names[force]} {kind} {area:,.0f} km\u00b2"
                handles.append(Patch(facecolor=colour, alpha=GAINED_ALPHA, edgecolor=colour,
                                     label=label) if kind == "gained" else
                               Patch(facecolor="none", edgecolor=colour, hatch=LOST_HATCH,
                                     label=label))
    return handles


def _legend_handle(entry: Any, ms: float, modifiers: set[str] | frozenset[str],
                   statuses: set[str] | frozenset[str], areas: bool, front: bool) -> Any:
    """One ``geo.maps.symbols.LegendEntry`` as a Matplotlib legend handle (None: not
    drawn on this map)."""
    grey = "#9a9a9a"
    if entry.mark == "force":
        return Patch(facecolor=entry.colour, edgecolor=entry.colour, linewidth=0,
                     label=entry.label)
    if entry.mark == "event":
        marker = next((s.matplotlib for s in _SHAPES if s.name == entry.shape), "o")
        return Line2D([], [], linestyle="none", marker=marker, markerfacecolor=grey,
                      markeredgecolor="#ffffff", markersize=ms, label=entry.label)
    styles: dict[str, dict[str, Any]]
    if entry.mark == "modifier" and entry.style in modifiers:
        styles = {"capture": dict(markeredgecolor="#000000", markeredgewidth=1.6),
                 "near": dict(markeredgecolor=grey, alpha=0.45, markersize=ms * 1.6),
                 "region": dict(markerfacecolor="#dddddd", markeredgecolor=grey,
                                markersize=ms * 1.8),
                 "coarse-date": dict(alpha=COARSE_DATE_FADE)}
        style = styles[entry.style]
        kwargs: dict[str, Any] = dict(linestyle="none", marker="o", markerfacecolor=grey,
                                      markeredgecolor="#ffffff", markersize=ms,
                                      label=entry.label)
        kwargs.update(style)
        return Line2D([], [], **kwargs)
    if entry.mark == "place" and entry.style in statuses:
        styles = {"held": dict(markerfacecolor=grey, markeredgecolor="#333333"),
                 "contested": dict(markerfacecolor=grey, fillstyle="left",
                                   markerfacecoloralt="#ffffff", markeredgecolor="#333333"),
                 "besieged": dict(markerfacecolor=grey, markeredgecolor=FRONT_COLOUR,
                                  markeredgewidth=1.6),
                 "unknown": dict(markerfacecolor="none", markeredgecolor=UNKNOWN_COLOUR)}
        style = styles[entry.style]
        return Line2D([], [], linestyle="none", marker="s", markersize=ms * 0.8,
                      label=entry.label, **style)
    if entry.mark == "area" and areas:
        return Patch(facecolor=grey, alpha=AREA_ALPHA, label=entry.label)
    if entry.mark == "front" and front:
        return Line2D([], [], color=FRONT_COLOUR, linewidth=FRONT_WEIGHT * 0.75,
                      label=entry.label)
    return None


def _legend(ax: Any, handles: list[Any], fs: float, renderer: Any, density: PointDensity,
            avoid: Sequence[tuple[float, float]]) -> Any:
    """The legend in the emptier of the two free corners (upper left, lower right: the
    north arrow is upper right, the scale bar lower left)."""
    box_px = ax.get_window_extent(renderer)
    ncols = 2 if len(handles) > 9 and box_px.width > 3.2 * box_px.height * 0.9 else 1
    # Swatches at least SWATCH_PX tall: a video keeps colour at half resolution, so a
    # swatch needs an inside of several pixels to come back in its own colour.
    font_px = fs * 0.72 * ax.figure.dpi / 72
    legend = ax.legend(handles=handles, loc="upper left", fontsize=fs * 0.72, ncols=ncols,
                       title="Legend", title_fontsize=fs * 0.82, frameon=True,
                       framealpha=0.9, facecolor="white", edgecolor="#888888",
                       borderaxespad=0.4, handleheight=max(1.0, SWATCH_PX[1] / font_px),
                       handlelength=max(2.0, SWATCH_PX[0] / font_px))
    legend.set_zorder(10)
    legend.set_gid(LEGEND_GID)
    best, best_count = "upper left", math.inf
    for loc in ("upper left", "lower right"):
        legend.set_loc(loc)
        b = legend.get_window_extent(renderer)
        count = density.count((b.x0, b.y0, b.x1, b.y1)) + 4 * sum(
            1 for x, y in avoid if b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1)
        if count < best_count:
            best, best_count = loc, count
    legend.set_loc(best)
    return legend


# -- labels ------------------------------------------------------------------------------------

def _front_points(ax: Any, control: dict[str, Any], step_px: float = 3.0
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Points every ``step_px`` along the front lines (pixels): labels avoid covering a
    front as they avoid covering events."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for f in control.get("features", []):
        if f["properties"].get("kind") != "front":
            continue
        geom = f["geometry"]
        lines = [geom["coordinates"]] if geom["type"] == "LineString" else \
            geom["coordinates"] if geom["type"] == "MultiLineString" else []
        for coords in lines:
            if len(coords) < 2:
                continue
            px = ax.transData.transform(np.asarray(coords, dtype=float)[:, :2])
            seg = np.hypot(*np.diff(px, axis=0).T)
            along = np.concatenate([[0.0], np.cumsum(seg)])
            at = np.arange(0.0, along[-1] + step_px, step_px)
            xs.append(np.interp(at, along, px[:, 0]))
            ys.append(np.interp(at, along, px[:, 1]))
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ys)


def _skeleton(name: str) -> str:
    """The transliteration skeleton without any vowel: "Erbil", "Irbil", "Arbil" -> "rbl";
    "Tall Afar", "Tal Afar" -> "tlfr". Only ever compared between places a few km apart."""
    return _VOWELS.sub("", variant_key(name)) if name else ""


def _same_place(a: tuple[str, float, float], b: tuple[str, float, float]) -> bool:
    """Whether two named points are one place under two spellings: the same skeleton
    within ``SAME_PLACE_KM`` (Yarmouk Camp, 3 km from Damascus, stays its own place)."""
    (na, lona, lata), (nb, lonb, latb) = a, b
    return (abs(lata - latb) < 0.2 and abs(lona - lonb) < 0.2 and _skeleton(na) == _skeleton(nb)
            and theatre.haversine_km(lata, lona, latb, lonb) <= SAME_PLACE_KM)


@dataclass
class _Candidate:
    name: str
    lon: float
    lat: float
    priority: float
    radius_pt: float
    bold: bool = False
    suffix: str = ""
    dot: bool = False          # a town without a control mark: drawn as a dot if labelled


def _label_candidates(data: SnapshotData, drawn: gpd.GeoDataFrame, marks: list[PlaceMark],
                      extent: Bounds, sources: SourceList, mark_size: float, fs: float,
                      change: Change | None = None) -> list[_Candidate]:
    """Names by priority: capitals 0-1, places with events 1-2 (more events first),
    control places 3, other towns 4 (zoomed in only). A name is offered once: it keeps
    the anchor it was first offered with (control marks, then towns, then event
    places) and the best priority of its roles."""
    w, s, e, n = extent
    by_name: dict[str, _Candidate] = {}
    by_skeleton: dict[str, list[_Candidate]] = {}

    def offer(c: _Candidate) -> None:
        """Add a name, or merge it into the same place offered before (same name, or
        another spelling nearby): the first anchor stays, the best priority wins."""
        if not (w <= c.lon <= e and s <= c.lat <= n):
            return
        key = c.name.casefold() if c.name else f"@{c.lon:.3f},{c.lat:.3f}"
        old = by_name.get(key)
        if old is None and c.name:
            old = next((o for o in by_skeleton.get(_skeleton(c.name), [])
                        if _same_place((o.name, o.lon, o.lat), (c.name, c.lon, c.lat))), None)
        if old is None:
            by_name[key] = c
            if c.name:
                by_skeleton.setdefault(_skeleton(c.name), []).append(c)
            return
        old.priority = min(old.priority, c.priority)
        old.suffix = old.suffix or c.suffix
        old.bold = old.bold or c.bold

    mark_r = math.sqrt(mark_size) / 2
    for p in change.places if change else []:      # what changed hands comes first
        offer(_Candidate(p.name, p.lon, p.lat, 0.5, mark_r, bold=True, suffix=f" ({p.text})"))
    for m in marks:
        offer(_Candidate(m.name, m.lon, m.lat, 3.0, mark_r))
    towns = basemap_frame("towns")
    zoomed = km_across(extent) <= TOWNS_KM
    home = theatre.current()
    top_pop = float(towns["population"].max() or 1)
    town_r = math.sqrt(fs * 1.6) / 2
    for row in towns.itertuples():
        x, y = row.geometry.x, row.geometry.y
        pop = float(row.population or 0)
        if row.rank == 1 and home.is_mapped(str(row.country)):
            offer(_Candidate(row.name, x, y, 1.0 - pop / top_pop, town_r, bold=True, dot=True))
        elif zoomed or (row.rank == 1 and pop >= NEIGHBOUR_CITY_POPULATION):
            offer(_Candidate(row.name, x, y, 4.0 - pop / top_pop, town_r, dot=True))
    if len(drawn):
        # Plain numpy and dicts: pandas groupby over Arrow strings costs ~0.3 s a frame.
        names = drawn["location"].to_numpy(dtype=object, na_value="")
        ids = drawn["event_id"].to_numpy(dtype=object, na_value="")
        lons = drawn["longitude"].to_numpy(dtype=float, na_value=np.nan)
        lats = drawn["latitude"].to_numpy(dtype=float, na_value=np.nan)
        rows: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            rows.setdefault(str(name or ""), []).append(i)
        event_sources = {k for nums in sources.numbers_by_event.values() for k in nums}
        numbered = (len(event_sources) <= NUMBERED_MAX_SOURCES
                    and len(rows) <= NUMBERED_MAX_PLACES)
        most = max(len(r) for r in rows.values())
        event_r = math.sqrt(_event_size(fs)) / 2
        for name, idx in rows.items():
            suffix = ""
            if numbered:
                nums = sorted({k for i in idx
                               for k in sources.numbers_by_event.get(str(ids[i]), ())})
                suffix = f" [{','.join(str(x) for x in nums)}]" if nums else ""
            if not name and not suffix:
                continue
            offer(_Candidate(name, float(np.nanmedian(lons[idx])),
                             float(np.nanmedian(lats[idx])),
                             2.0 - len(idx) / (most + 1), event_r, suffix=suffix))
    return list(by_name.values())


#: The white halo around label text (points).
HALO_PT = 2.0
_MEASURE_LOCK = threading.Lock()


@lru_cache(maxsize=4096)
def text_size_px(text: str, fontsize: float, bold: bool, dpi: float) -> tuple[float, float]:
    """Width and height in pixels of one line of label text as Matplotlib draws it at
    ``dpi`` (the halo not included).

    Why cached per process: a map offers ~240 names and keeps ~140, and every frame of a
    timelapse offers the same ones; measuring a Text lays it out with the font engine
    (~0.5 ms each). The size does not depend on where the text goes, so it is measured
    once on a private page of the same resolution (under a lock: the dashboard renders
    from several threads)."""
    with _MEASURE_LOCK:
        fig = _measuring_figure(dpi)
        t = fig.text(0, 0, text, ha="center", va="center", fontsize=fontsize,
                     fontweight="bold" if bold else "normal")
        try:
            b = t.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
        finally:
            t.remove()
    return float(b.width), float(b.height)


@lru_cache(maxsize=8)
def _measuring_figure(dpi: float) -> Figure:
    fig = Figure(figsize=(1, 1), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def _draw_labels(ax: Any, fig: Figure, candidates: list[_Candidate], renderer: Any,
                 obstacles: list[Any], symbols_lonlat: list[tuple[float, float, float]],
                 density: PointDensity, fs: float) -> PlacementResult:
    """Measure each name, place them all (``labels.place_labels``), draw the placed ones
    with a white halo and leaders for the displaced; the rest are never drawn."""
    dpi = fig.dpi
    halo = [patheffects.withStroke(linewidth=HALO_PT, foreground="white")]
    to_px = ax.transData.transform
    frame = ax.get_window_extent(renderer)
    grow = _px(HALO_PT / 2, dpi)
    requests = []
    points = to_px(np.array([(c.lon, c.lat) for c in candidates], dtype=float).reshape(-1, 2))
    for i, c in enumerate(candidates):
        label = (c.name + c.suffix).strip()
        width, height = text_size_px(label, fs * (0.8 if c.bold else 0.72), c.bold, dpi)
        requests.append(LabelRequest(f"{i}", label, float(points[i, 0]), float(points[i, 1]),
                                     width + 2 * grow, height + 2 * grow, c.priority,
                                     _px(c.radius_pt, dpi)))
    boxes = []
    for artist in obstacles:
        b = artist.get_window_extent(renderer)
        boxes.append((b.x0, b.y0, b.x1, b.y1))
    symbols = []
    for lon, lat, r_pt in symbols_lonlat:
        x, y = to_px((lon, lat))
        symbols.append((float(x), float(y), _px(r_pt, dpi) + 0.5))
    result = place_labels(requests, (frame.x0, frame.y0, frame.x1, frame.y1),
                          obstacles=boxes, symbols=symbols, events=density,
                          gap=_px(1.2, dpi), pad=_px(0.6, dpi))
    inverse = ax.transData.inverted().transform
    for placement in result.placed:
        c = candidates[int(placement.request.key)]
        lon, lat = inverse(placement.centre)
        ax.text(lon, lat, placement.request.text, ha="center", va="center",
                fontsize=fs * (0.8 if c.bold else 0.72),
                fontweight="bold" if c.bold else "normal", color="#111111", zorder=12,
                path_effects=halo, gid=LABEL_GID, clip_on=False)
        if placement.leader is not None:
            (x0, y0), (x1, y1) = inverse(placement.leader[0]), inverse(placement.leader[1])
            ax.add_line(Line2D([x0, x1], [y0, y1], color="#333333", linewidth=0.6,
                               zorder=11, gid=LEADER_GID))
    return result


# -- the whole page -----------------------------------------------------------------------------

def render(data: SnapshotData, size: ImageSize = ImageSize(), *,
           sources: SourcesMode = "inline", title_block: bool = True,
           steady: bool = False, change: Change | None = None) -> Rendered:
    """The snapshot of ``data`` on a page of ``size``: title block, map filling the frame
    with control, events, furniture and labels, sources, attribution and marking.
    ``title_block`` False leaves out the title and date line (a slide's title placeholder
    holds them); the marking stays. ``steady``: a frame of a timelapse: the layout does
    not depend on the frame's text (two subtitle lines, one source line), so the map
    stands still from frame to frame. (A basemap drawn once as a raster and blitted
    was tried: compositing the image cost more than the ~30 ms of basemap paths.)
    ``change``: a before/after map (``geo.exports.change``) of ``data``'s day."""
    view = data.view
    width_in, height_in = size.inches
    text = page_text(view)
    fs0 = page(size, text, 0).fs
    attribution = wrap(ATTRIBUTION, width_in, fs0 * 0.7)
    subtitle_probe = wrap(_subtitle(data, data.described(view.extent), 1, change), width_in,
                          fs0 * 0.85)
    text = PageText(marking=text.marking,
                    subtitle_lines=2 if steady else min(len(subtitle_probe), 3),
                    attribution_lines=len(attribution), title=title_block)
    pg, extent, source_list, block = _choose_page(data, size, text, sources)
    if change is not None:
        change = change.clipped(extent)
    fs = pg.fs
    drawn = data.within(extent)
    described = data.described(extent)
    subtitle = wrap(_subtitle(data, described, len(drawn), change), width_in,
                    fs * 0.85)[:text.subtitle_lines]

    fig = Figure(figsize=(width_in, height_in), dpi=size.dpi, facecolor="white")
    canvas = _QuietCanvas(fig)
    stamp = f"{change.start:%Y-%m-%d} \u2192 {view.day:%Y-%m-%d}" if change else ""
    _header(fig, data, pg, subtitle, title=title_block, stamp=stamp)
    _footer(fig, data, pg, attribution, block)

    ax = fig.add_axes(pg.map_rect)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("auto")
    ax.set_autoscale_on(False)
    ax.tick_params(labelsize=fs * 0.6, length=2, pad=1)
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
    draw_basemap(ax)
    area_forces, front, marks, mark_size = _draw_control(ax, data.control, extent, fs,
                                                         change)
    forces, types, modifiers = _draw_events(ax, drawn, fs, extent, pg.map_px)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    # GeoDataFrame.plot sets the aspect of the layer's own middle latitude, which shrank
    # the map inside its frame by 1-3 %; the extent is already fitted to the frame.
    ax.set_aspect("auto")
    ax.set_xlabel("")
    ax.set_ylabel("")

    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    frame = ax.get_window_extent(renderer)
    if len(drawn):
        ex, ey = ax.transData.transform(
            np.column_stack([drawn["longitude"].to_numpy(dtype=float),
                             drawn["latitude"].to_numpy(dtype=float)])).T
    else:
        ex, ey = np.empty(0), np.empty(0)
    fx, fy = _front_points(ax, data.control)
    density = PointDensity(np.concatenate([ex, fx]), np.concatenate([ey, fy]),
                           (frame.x0, frame.y0, frame.x1, frame.y1))
    obstacles: list[Any] = [_north_arrow(ax, fs), _scale_bar(ax, extent, fs)[0]]
    if not len(drawn):
        obstacles.append(ax.text(0.5, 0.985, NO_EVENTS_BANNER, transform=ax.transAxes,
                                 ha="center", va="top", fontsize=fs * 1.1, zorder=10,
                                 gid="no-events",
                                 bbox=dict(facecolor="white", alpha=0.9,
                                           edgecolor="#888888")))
    mark_px = [tuple(ax.transData.transform((m.lon, m.lat))) for m in marks]
    handles = _legend_handles(forces, types, area_forces, front, fs, change, modifiers,
                              {m.status for m in marks})
    legend = _legend(ax, handles, fs, renderer, density, mark_px)
    obstacles.append(legend)
    candidates = _label_candidates(data, drawn, marks, extent, source_list, mark_size, fs,
                                   change)
    symbols = [(c.lon, c.lat, c.radius_pt) for c in candidates if c.dot] + [
        (m.lon, m.lat, math.sqrt(mark_size) / 2) for m in marks]
    labels = _draw_labels(ax, fig, candidates, renderer, obstacles, symbols, density, fs)
    placed_dots = [candidates[int(p.request.key)] for p in labels.placed]
    placed_dots = [c for c in placed_dots if c.dot]
    if placed_dots:
        ax.scatter([c.lon for c in placed_dots], [c.lat for c in placed_dots], s=fs * 1.6,
                   c="#444444", zorder=5)
    table = default_forces()
    legend_forces = sorted(set(forces) | area_forces, key=lambda f: table.display(f))
    return Rendered(fig, extent, source_list, labels, len(drawn), described, legend_forces,
                    change.summary() if change else "")


def render_figure(data: SnapshotData, *, width_px: int = 1600, height_px: int = 1000,
                  dpi: int = 150, sources: SourcesMode = "inline") -> Figure:
    """The page as a Matplotlib figure (``render`` without the bookkeeping)."""
    return render(data, ImageSize(width_px, height_px, dpi), sources=sources).figure


def sources_pages(title: str, lines: list[str], *, width_in: float, height_in: float,
                  marking: str = "") -> list[Figure]:
    """The source list as text pages (the PDF's second page onwards), wrapped to the
    page width and split over as many pages as it needs."""
    from geo.exports.layout import fontsize

    fs = fontsize(width_in) * 0.95
    wrapped: list[str] = []
    for item in lines or ["No document is linked to what is drawn."]:
        parts = wrap(item, width_in * 0.92, fs)
        wrapped.extend([parts[0]] + ["    " + p for p in parts[1:]])
    per_page = max(5, int((height_in * 72 - 6 * fs * 1.5) / (fs * 1.4)))
    pages: list[Figure] = []
    for start in range(0, len(wrapped), per_page):
        fig = Figure(figsize=(width_in, height_in), facecolor="white")
        _QuietCanvas(fig)
        line = fs * 1.4 / 72 / height_in
        top = 1 - line
        if marking:
            fig.text(0.5, top, marking, ha="center", va="top", fontsize=fs * 1.1,
                     fontweight="bold", color=MARKING_COLOUR)
            fig.text(0.5, 0.5 * line, marking, ha="center", va="bottom", fontsize=fs * 1.1,
                     fontweight="bold", color=MARKING_COLOUR)
            top -= 1.5 * line
        fig.text(0.04, top, title, ha="left", va="top", fontsize=fs * 1.3, fontweight="bold")
        top -= 2 * line
        fig.text(0.04, top, "\n".join(wrapped[start:start + per_page]), ha="left", va="top",
                 fontsize=fs, linespacing=1.4)
        pages.append(fig)
    return pages
