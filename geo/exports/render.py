"""The one render function behind every picture export (PNG, PDF, GIF, ZIP, deck).

Why one function: a briefing slide, the PDF handed out and the timelapse must show the
same map; each format only decides size and where the source list goes. Drawing uses
``matplotlib.figure.Figure`` with the Agg canvas directly (never pyplot): no GUI backend,
no global state, safe inside the Streamlit server's threads.

Everything is drawn in EPSG:4326 (lon/lat) with the aspect corrected for the middle
latitude (``cartography.aspect_for``); the scale bar is measured on the WGS84 ellipsoid.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import geopandas as gpd
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from geo.core import theatre
from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.forces import default_forces
from geo.exports.cartography import aspect_for, scale_bar
from geo.exports.data import SnapshotData
from geo.maps.basemap import SEA, load_layer

CRS = "EPSG:4326"
#: Credits required by data/ATTRIBUTION.md for the bundled basemap and gazetteer.
ATTRIBUTION = ("Basemap and places: Natural Earth (public domain); Who's On First (CC0), "
               "contains data from GeoNames (CC-BY 4.0); geoBoundaries (CC-BY 4.0, Runfola "
               "et al. 2020). Events: extracted from news reports, see sources. Control areas "
               "are estimates from reported captures, not a survey.")
NO_EVENTS = "no events match"
UNKNOWN_COLOUR = "#8a8a8a"


@dataclass(frozen=True)
class EventClass:
    """How one ACLED event type is drawn (a static image needs shapes, not only rings)."""

    label: str
    marker: str
    hollow: bool = False
    white_edge: bool = False
    size: float = 1.0


EVENT_CLASSES: dict[str, EventClass] = {
    "Battles": EventClass("Battle", "o"),
    "Explosions/Remote violence": EventClass("Strike, shelling, IED", "D", hollow=True),
    "Violence against civilians": EventClass("Violence against civilians", "v",
                                             white_edge=True),
}
OTHER_CLASS = EventClass("Other event", "s", size=0.7)

#: Where the source list goes: "inline" at the bottom if it fits (PNG), "separate" (PDF
#: second page, deck notes): only a pointer is drawn.
SourcesMode = Literal["inline", "separate"]


class _QuietCanvas(FigureCanvasAgg):
    """Agg canvas whose ``draw_idle`` does nothing: GeoDataFrame.plot calls it after every
    layer, and on a plain Agg canvas that is a full redraw (13 redraws, ~1.5 s per map).
    The figure is drawn once, when it is saved."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        """Skip: nothing is on screen; ``savefig`` draws."""


@lru_cache(maxsize=8)
def basemap_frame(name: str) -> gpd.GeoDataFrame:
    """A bundled basemap layer (``geo.maps.basemap.load_layer``) as a GeoDataFrame in
    EPSG:4326, built once per process."""
    return gpd.GeoDataFrame.from_features(load_layer(name)["features"], crs=CRS)


def _colour(force: Any) -> str:
    forces = default_forces()
    return forces.colour(str(force)) if force and str(force) in forces else UNKNOWN_COLOUR


def _fontsize(width_in: float) -> float:
    """Body text size (points) scaled to the page width, readable from 6 to 16 inches."""
    return float(min(11.0, max(6.0, width_in * 0.75)))


def _draw_basemap(ax: Any, bbox: tuple[float, float, float, float], fs: float) -> None:
    ax.set_facecolor(SEA)
    countries = basemap_frame("countries")
    core = countries["iso"].isin(list(theatre.current().countries))
    countries[~core].plot(ax=ax, color="#ecebe6", edgecolor="#7a7a7a", linewidth=0.6, zorder=1)
    countries[core].plot(ax=ax, color="#fbfaf6", edgecolor="#7a7a7a", linewidth=0.8, zorder=1)
    basemap_frame("provinces").plot(ax=ax, facecolor="none", edgecolor="#a0a0a0",
                                    linewidth=0.35, linestyle=(0, (3, 3)), zorder=2)
    basemap_frame("lakes").plot(ax=ax, color="#b7d6e3", edgecolor="#86b5c9", linewidth=0.3,
                                zorder=2)
    rivers = basemap_frame("rivers")
    rivers.plot(ax=ax, color="#5d9cc7", linewidth=np.where(rivers["rank"] <= 4, 1.1, 0.6),
                zorder=2)


def _draw_control(ax: Any, control: dict[str, Any], bbox: tuple[float, float, float, float],
                  fs: float) -> tuple[set[str], bool, list[tuple[float, float, str]]]:
    """Areas, front lines and place marks; returns forces with areas, whether a front
    was drawn, and the places (lon, lat, name) to label."""
    features = control.get("features", [])
    areas = [f for f in features if f["properties"].get("kind") == "area"]
    fronts = [f for f in features if f["properties"].get("kind") == "front"]
    places = [f for f in features if f["properties"].get("kind") == "place"]
    area_forces: set[str] = set()
    if areas:
        frame = gpd.GeoDataFrame.from_features(areas, crs=CRS)
        for force, part in frame.groupby("force"):
            colour = _colour(force)
            part.plot(ax=ax, color=colour, alpha=0.22, edgecolor=colour, linewidth=0.5,
                      zorder=3)
            area_forces.add(str(force))
    if fronts:
        gpd.GeoDataFrame.from_features(fronts, crs=CRS).plot(
            ax=ax, color="#1a1a1a", linewidth=1.8, linestyle=(0, (4, 1.5)), zorder=4)
    labels: list[tuple[float, float, str]] = []
    w, s, e, n = bbox
    xs, ys, cs = [], [], []
    for f in places:
        lon, lat = f["geometry"]["coordinates"]
        if not (w <= lon <= e and s <= lat <= n):
            continue
        p = f["properties"]
        held = p.get("status") in (None, "", "held", "besieged")
        xs.append(lon)
        ys.append(lat)
        cs.append(_colour(p.get("force")) if held else "#ffffff")
        labels.append((lon, lat, str(p.get("name", ""))))
    if xs:
        ax.scatter(xs, ys, s=fs * 1.6, c=cs, marker="s", edgecolors="#333333",
                   linewidths=0.5, zorder=5)
    return area_forces, bool(fronts), labels


def _draw_events(ax: Any, events: gpd.GeoDataFrame, fs: float) -> tuple[list[str], list[str]]:
    """Events coloured by actor 1's force, one scatter call per event class (10,000
    events in ~0.1 s). Returns the forces and the event types drawn."""
    if not len(events):
        return [], []
    frame = events[events["longitude"].notna() & events["latitude"].notna()]
    force_col = frame["actor1_force"].astype(object).where(frame["actor1_force"].notna(), "")
    palette = {f: mcolors.to_rgba(_colour(f)) for f in force_col.unique()}
    face = np.array([palette[f] for f in force_col], dtype=float).reshape(-1, 4)
    coarse_time = frame["time_precision"].to_numpy() >= 3
    coarse_place = frame["geo_precision"].to_numpy() >= 3
    face[coarse_time, 3] *= 0.45
    capture = frame["sub_event_type"].isin(sorted(CAPTURE_SUB_EVENT_TYPES)).to_numpy()
    types = frame["event_type"].astype(object).fillna("")
    base = fs * 5.0
    drawn_types: list[str] = []
    lon, lat = frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
    for key in [*EVENT_CLASSES, None]:
        mask = (types == key).to_numpy() if key else ~types.isin(list(EVENT_CLASSES)).to_numpy()
        if not mask.any():
            continue
        cls = EVENT_CLASSES.get(key or "", OTHER_CLASS)
        drawn_types.append(cls.label)
        fc, sizes = face[mask].copy(), np.full(mask.sum(), base * cls.size)
        sizes[coarse_place[mask]] *= 4
        fc[coarse_place[mask], 3] *= 0.35
        edge = fc.copy()
        edge[:, 3] = np.maximum(edge[:, 3], 0.6)
        if cls.white_edge:
            edge[:] = (1, 1, 1, 1)
        if cls.hollow:
            fc[:, 3] *= 0.15
        edge[capture[mask]] = (0, 0, 0, 1)
        ax.scatter(lon[mask], lat[mask], s=sizes, c=fc, marker=cls.marker, edgecolors=edge,
                   linewidths=1.3 if cls.hollow else 0.7, zorder=6)
    return sorted(set(force_col) - {""}), drawn_types


def _label_places(ax: Any, labels: list[tuple[float, float, str]],
                  bbox: tuple[float, float, float, float], fs: float) -> None:
    """Control places plus major bundled towns (all rank-1 towns when zoomed in), each
    name once; a white halo keeps names readable over areas and events."""
    from matplotlib import patheffects

    w, s, e, n = bbox
    zoomed = (e - w) * (n - s) < 0.3 * (13.6 * 8.6)
    towns = basemap_frame("towns")
    done = {name.casefold() for _, _, name in labels}
    extra = []
    for row in towns.itertuples():
        big = row.rank == 1 and (zoomed or (row.population or 0) >= 700_000)
        if big and row.name.casefold() not in done and w <= row.geometry.x <= e \
                and s <= row.geometry.y <= n:
            extra.append((row.geometry.x, row.geometry.y, row.name))
            done.add(row.name.casefold())
    if extra:
        ax.scatter([x for x, _, _ in extra], [y for _, y, _ in extra], s=fs * 1.2,
                   c="#444444", zorder=5)
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for lon, lat, name in labels[:80] + extra:
        ax.annotate(name, (lon, lat), xytext=(3, 2), textcoords="offset points",
                    fontsize=fs * 0.72, color="#222222", zorder=7, path_effects=halo,
                    annotation_clip=True)


def _north_arrow(ax: Any, fs: float) -> None:
    """North is up: the map is drawn in lon/lat with no rotation."""
    ax.annotate("N", xy=(0.965, 0.95), xytext=(0.965, 0.85), xycoords="axes fraction",
                ha="center", va="center", fontsize=fs * 1.1, fontweight="bold", zorder=9,
                arrowprops=dict(facecolor="black", width=fs * 0.25, headwidth=fs * 0.9,
                                headlength=fs * 0.9))


def _scale_bar(ax: Any, bbox: tuple[float, float, float, float], fs: float) -> None:
    bar = scale_bar(bbox)
    h = (bbox[3] - bbox[1]) * 0.008
    half = (bar.lon_end - bar.lon) / 2
    ax.add_patch(Rectangle((bar.lon - half * 0.08, bar.lat - h * 1.5),
                           half * 2.16, h * 5.5, facecolor="white", alpha=0.75,
                           edgecolor="none", zorder=8))
    ax.add_patch(Rectangle((bar.lon, bar.lat), half, h, facecolor="black", zorder=9))
    ax.add_patch(Rectangle((bar.lon + half, bar.lat), half, h, facecolor="white",
                           edgecolor="black", linewidth=0.6, zorder=9))
    for x, text in ((bar.lon, "0"), (bar.lon_end, bar.label)):
        ax.text(x, bar.lat + h * 1.6, text, ha="center", va="bottom", fontsize=fs * 0.75,
                zorder=9)


def _legend(fig: Figure, rect: list[float], forces: list[str], types: list[str],
            area_forces: set[str], front: bool, fs: float) -> None:
    table = default_forces()
    handles: list[Any] = []
    for f in sorted(set(forces) | area_forces, key=lambda f: table.display(f)):
        handles.append(Patch(facecolor=_colour(f), edgecolor="#333333",
                             label=f"{table.display(f)} ({f})"))
    for cls in [*EVENT_CLASSES.values(), OTHER_CLASS]:
        if cls.label in types:
            handles.append(Line2D([], [], linestyle="none", marker=cls.marker,
                                  markerfacecolor="#bbbbbb" if not cls.hollow else "none",
                                  markeredgecolor="#ffffff" if cls.white_edge else "#555555",
                                  markersize=fs * 0.8, label=cls.label))
    if types:
        handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="#bbbbbb",
                              markeredgecolor="black", markersize=fs * 0.8,
                              label="black edge: capture"))
    if area_forces:
        handles.append(Patch(facecolor="#999999", alpha=0.3, label="area held (estimate)"))
    if front:
        handles.append(Line2D([], [], color="#1a1a1a", linewidth=1.8, linestyle=(0, (4, 1.5)),
                              label="front line"))
    handles.append(Line2D([], [], linestyle="none", marker="s", markerfacecolor="#ffffff",
                          markeredgecolor="#333333", markersize=fs * 0.6,
                          label="place (white: contested)"))
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.legend(handles=handles, loc="upper left", fontsize=fs * 0.78, frameon=False,
              title="Legend", title_fontsize=fs * 0.9, borderaxespad=0, handlelength=1.4)


def render_figure(data: SnapshotData, *, width_px: int = 1600, height_px: int = 1000,
                  dpi: int = 150, sources: SourcesMode = "inline") -> Figure:
    """The snapshot of ``data`` as a Matplotlib figure of ``width_px`` x ``height_px`` at
    ``dpi``: header (marking, title, date and window, filter line), map with control,
    events, labels, scale bar and north arrow, legend, attribution, sources, marking."""
    view = data.view
    width_in, height_in = width_px / dpi, height_px / dpi
    fs = _fontsize(width_in)
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    _QuietCanvas(fig)
    line = fs * 1.45 / 72 / height_in          # one text line as a figure fraction
    top = 1 - 0.4 * line
    if view.marking:
        fig.text(0.5, top, view.marking, ha="center", va="top", fontsize=fs * 1.05,
                 fontweight="bold", color="#b00000")
        top -= 1.2 * line
    fig.text(0.015, top, view.title, ha="left", va="top", fontsize=fs * 1.45,
             fontweight="bold")
    fig.text(0.985, top, f"As of {view.day:%Y-%m-%d}", ha="right", va="top",
             fontsize=fs * 1.3, fontweight="bold")
    top -= 1.65 * line
    shown = data.described + ("" if data.n_events else f" — {NO_EVENTS}")
    fig.text(0.015, top, f"Window: {view.window_text()}.  Shown: {shown}.", ha="left",
             va="top", fontsize=fs * 0.85, wrap=True)
    top -= 1.4 * line

    # Footer, bottom up: marking, attribution, then sources (inline if they fit).
    bottom = 0.4 * line
    if view.marking:
        fig.text(0.5, bottom, view.marking, ha="center", va="bottom", fontsize=fs * 1.05,
                 fontweight="bold", color="#b00000")
        bottom += 1.3 * line
    chars = int(width_in * 72 / (fs * 0.7 * 0.55))
    attribution = textwrap.wrap(ATTRIBUTION, chars)
    fig.text(0.015, bottom, "\n".join(attribution), ha="left", va="bottom",
             fontsize=fs * 0.7, color="#444444", linespacing=1.25)
    bottom += (len(attribution) * 0.7 * 1.3 + 0.4) * line
    source_lines: list[str] = []
    if data.sources and sources == "inline":
        wanted = ["Sources:"] + [s.line()[:chars] for s in data.sources]
        room = int((top - bottom - 0.5) / (line * 0.75 * 1.3))  # keep the map >= half
        if len(wanted) <= room:
            source_lines = wanted
        else:
            source_lines = [f"Sources: {len(data.sources)} articles, too many to list on this "
                            "image; export the PDF (second page) for the list."]
    elif data.sources:
        source_lines = [f"Sources: {len(data.sources)} articles, listed separately "
                        "(PDF second page / speaker notes)."]
    elif data.n_events:
        source_lines = ["Sources: no article is linked to the events shown "
                        "(imported or curated data)."]
    if source_lines:
        fig.text(0.015, bottom, "\n".join(source_lines), ha="left", va="bottom",
                 fontsize=fs * 0.75, linespacing=1.3)
        bottom += (len(source_lines) * 0.75 * 1.3 + 0.3) * line

    bottom += 1.1 * line                     # room for the map's degree tick labels
    bbox = view.extent
    legend_w = min(0.26, max(0.17, 2.6 / width_in))
    ax = fig.add_axes([0.015, bottom, 1 - legend_w - 0.03, top - bottom])
    ax.set_xlim(bbox[0], bbox[2])
    ax.set_ylim(bbox[1], bbox[3])
    ax.set_aspect(aspect_for(bbox), adjustable="box", anchor="NW")
    ax.tick_params(labelsize=fs * 0.6, length=2)
    _draw_basemap(ax, bbox, fs)
    area_forces, front, labels = _draw_control(ax, data.control, bbox, fs)
    forces, types = _draw_events(ax, data.events, fs)
    _label_places(ax, labels, bbox, fs)
    ax.set_xlim(bbox[0], bbox[2])
    ax.set_ylim(bbox[1], bbox[3])
    ax.set_xlabel("")
    ax.set_ylabel("")
    if not data.n_events:
        ax.text(0.5, 0.5, "No events match this filter", transform=ax.transAxes,
                ha="center", va="center", fontsize=fs * 1.4, zorder=10,
                bbox=dict(facecolor="white", alpha=0.85, edgecolor="#888888"))
    _north_arrow(ax, fs)
    _scale_bar(ax, bbox, fs)
    ax.apply_aspect()                       # the legend goes right of the drawn map
    left = min(ax.get_position().x1 + 0.015, 1 - legend_w)
    _legend(fig, [left, bottom, 1 - left - 0.01, top - bottom], forces, types,
            area_forces, front, fs)
    return fig


def sources_pages(title: str, lines: list[str], *, width_in: float, height_in: float,
                  marking: str = "") -> list[Figure]:
    """The source list as text pages (the PDF's second page onwards), wrapped to the
    page width and split over as many pages as it needs."""
    fs = _fontsize(width_in) * 0.95
    chars = int(width_in * 72 / (fs * 0.55)) - 4
    wrapped: list[str] = []
    for item in lines or ["No article is linked to the events shown."]:
        wrapped.extend(textwrap.wrap(item, chars, subsequent_indent="    ") or [""])
    per_page = max(5, int((height_in * 72 - 6 * fs * 1.5) / (fs * 1.4)))
    pages: list[Figure] = []
    for start in range(0, len(wrapped), per_page):
        fig = Figure(figsize=(width_in, height_in), facecolor="white")
        _QuietCanvas(fig)
        line = fs * 1.4 / 72 / height_in
        top = 1 - line
        if marking:
            fig.text(0.5, top, marking, ha="center", va="top", fontsize=fs * 1.1,
                     fontweight="bold", color="#b00000")
            fig.text(0.5, 0.5 * line, marking, ha="center", va="bottom", fontsize=fs * 1.1,
                     fontweight="bold", color="#b00000")
            top -= 1.5 * line
        fig.text(0.04, top, title, ha="left", va="top", fontsize=fs * 1.3, fontweight="bold")
        top -= 2 * line
        fig.text(0.04, top, "\n".join(wrapped[start:start + per_page]), ha="left", va="top",
                 fontsize=fs, linespacing=1.4)
        pages.append(fig)
    return pages
