"""Map page: events on the offline basemap around a day (slider, typed date, step
buttons, play), with a window mode and filters (forces, types, review status, text).

Thin by design: the view rules (URL parsing, steps, windows) live in ``geo.maps.view``,
drawing in ``geo.maps.*``, data in the store. The view is mirrored in the URL
(``?date=&window=&n=&forces=&types=&status=&text=&center=&zoom=``) so a map can be shared
as a link; a malformed link gives a warning naming the parameter and the defaults.
``center``/``zoom`` are read from a link for the initial map but not written back: the
map is called with ``returned_objects=[]`` (no extra rerun per pan), so panning is not
seen by the server.
"""
from __future__ import annotations

import html
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo.control import METHOD_TEXT
from geo.control.history import control_map, evidence_fingerprint
from geo.control.sources import control_events
from geo.core import settings
from geo.core.codebook import EVENT_TYPES
from geo.core.forces import default_forces
from geo.core.records import Event
from geo.display import markdown_literal
from geo.maps.aggregate import count_classes, window_layer
from geo.maps.basemap import ZOOM_START, make_base_map
from geo.maps.control_layer import (
    control_caption,
    control_feature_group,
    forces_shown,
    status_legend,
)
from geo.maps.events_layer import LoadedEvents, legend_items
from geo.maps.forces_style import load_force_styles
from geo.maps.view import (
    ALL_STATUS,
    MAX_N_DAYS,
    MAX_TEXT,
    STEPS,
    VIEW_PARAMS,
    WINDOW_LABELS,
    WINDOW_LAST,
    DateSpan,
    MapView,
    data_span,
    parse_view,
    play_next,
    step_day,
    view_params,
)
from geo.store import EventFilter
from pages.common import CACHE_TTL_S, get_store
from pages.export_panel import render_export_panel

MAP_HEIGHT = 640
#: Seconds between frames while playing (a frame is one server rerun, ~0.1-0.5 s).
PLAY_INTERVAL_S = 0.8
PLAY_STEPS = ("+day", "+week", "+month")


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_span(url: str) -> DateSpan:
    return data_span(get_store(url).query_events(EventFilter()))


@st.cache_data(ttl=CACHE_TTL_S, max_entries=16, show_spinner="Loading events…")
def get_events(url: str, flt: EventFilter) -> LoadedEvents:
    """The events of a filter *without its date window*, ready to slice per day: a slider
    step or a play frame then costs a numpy mask, not a query (keyed by the filter)."""
    return LoadedEvents.from_frame(get_store(url).query_events(flt))


# --- Territorial control (self-contained block: widgets, cache, legend) ---------------

@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_control_evidence(url: str) -> tuple[list[Event], str]:
    """All of the store's capture/siege events and their fingerprint (ids and every
    value), loaded once per TTL, not per day, so scrubbing neither queries nor re-hashes."""
    events = control_events(None, get_store(url), curated=False)
    return events, evidence_fingerprint(events)


@st.cache_data(max_entries=512, show_spinner="Working out control…")
def get_control(day: date, curated: bool, fingerprint: str,
                _captures: list[Event]) -> dict[str, Any]:
    """Control map of a day, keyed on (day, curated on/off, evidence fingerprint); the
    events themselves are not hashed (leading underscore): the fingerprint stands for them."""
    return control_map(day, _captures, curated=curated)


def _swatches(items: Iterable[tuple[str, str]], style: str = "") -> str:
    """Inline HTML of (colour, label) swatches for a legend: labels are escaped, colours
    come validated from the force table (#RRGGBB) or from code constants."""
    return " ".join(
        f"<span style='white-space:nowrap'><span style='display:inline-block;width:.8em;"
        f"height:.8em;background:{colour};{style};margin-right:.25em'></span>"
        f"{html.escape(label)}</span>" for colour, label in items)


def _control_legend(collection: dict[str, Any]) -> None:
    forces = default_forces()
    swatches = _swatches(((forces.colour(f), forces.display(f))
                          for f in forces_shown(collection)), style="opacity:.6")
    if swatches:
        st.markdown(swatches, unsafe_allow_html=True)  # escaped names, colours validated
    st.caption(" · ".join(f"{symbol}: {meaning}" for symbol, meaning in status_legend()))
    with st.expander("How control is worked out"):
        st.write(METHOD_TEXT)
        problems = collection.get("problems", [])
        if problems:
            st.caption(f"{len(problems)} report(s) skipped: " + "; ".join(problems[:20]))


def _control_layer(url: str, day: date) -> tuple[Any, dict[str, Any] | None]:
    """The control FeatureGroup of ``day`` (None when switched off) and its collection."""
    show_col, curated_col = st.columns(2)
    show = show_col.checkbox("Show control", value=True, key="map_show_control",
                             help="Areas, front lines and places held on the day shown.")
    curated = curated_col.checkbox("Include curated timeline", value=True,
                                   key="map_control_curated", disabled=not show,
                                   help="The checked reference timeline of control changes "
                                        "(data/control_timeline.csv), shown as 'curated'.")
    if not show:
        return None, None
    captures, fingerprint = get_control_evidence(url)
    collection = get_control(day, curated, fingerprint, captures)
    st.caption(control_caption(collection, day, curated))
    return control_feature_group(collection), collection

# --- end of territorial control block ----------------------------------------------


def _read_view(span: DateSpan, forces: list[str]) -> None:
    """Fill the widgets' state from the URL the first time this session sees the page (or
    when the data no longer covers the day shown); afterwards the widgets are the truth
    and the URL follows them."""
    day = st.session_state.get("map_day")
    if day is not None and not span.first <= day <= span.last:
        st.session_state.pop("map_view", None)      # the data changed under this session
    if "map_view" in st.session_state:
        return
    parsed = parse_view(st.query_params.to_dict(), span, forces)
    if parsed.problems:
        st.warning("Some link parameters were not understood and the defaults were used: "
                   + "; ".join(markdown_literal(p) for p in parsed.problems) + ".")
    view = parsed.view
    st.session_state.update({
        "map_view": view, "map_day": view.day, "map_day_typed": view.day,
        "map_window": view.window, "map_n": view.n_days, "map_forces": list(view.forces),
        "map_types": list(view.event_types), "map_status": list(view.review_status),
        "map_text": view.text, "map_center": view.center, "map_zoom": view.zoom,
        "map_playing": False})


# Callbacks run before the script, so they may set other widgets' state.
def _slider_moved() -> None:
    st.session_state["map_day_typed"] = st.session_state["map_day"]


def _date_typed(span: DateSpan) -> None:
    typed = st.session_state.get("map_day_typed")
    day = span.clamp(typed) if typed else st.session_state["map_day"]
    st.session_state["map_day"] = st.session_state["map_day_typed"] = day


def _step(step: str, span: DateSpan) -> None:
    day = step_day(st.session_state["map_day"], step, span)
    st.session_state["map_day"] = st.session_state["map_day_typed"] = day


def _apply_play_frame() -> None:
    """Move to the frame the previous run scheduled, unless the analyst moved the day
    meanwhile (their choice wins) or paused."""
    frame = st.session_state.pop("_map_next_frame", None)
    if frame is None:
        return
    from_day, next_day, keep_playing = frame
    if st.session_state.get("map_playing") and st.session_state.get("map_day") == from_day:
        st.session_state["map_day"] = st.session_state["map_day_typed"] = next_day
        if not keep_playing:
            st.session_state["map_playing"] = False


def _time_controls(span: DateSpan) -> None:
    """Slider, typed date, step buttons, play/pause and the window mode."""
    slider_col, typed_col = st.columns([4, 1])
    slider_col.slider("Day", min_value=span.first, max_value=span.last, format="YYYY-MM-DD",
                      key="map_day", on_change=_slider_moved,
                      help="Events whose date (or date interval) overlaps the window "
                           "ending on this day. Undated events are never shown here.")
    typed_col.date_input("Date", min_value=span.first, max_value=span.last,
                         key="map_day_typed", on_change=_date_typed, args=(span,),
                         format="YYYY-MM-DD")
    buttons = st.columns(len(STEPS) + 2)
    for col, step in zip(buttons, STEPS):
        col.button(step, key=f"map_step_{step}", on_click=_step, args=(step, span),
                   use_container_width=True)
    buttons[-2].toggle("Play", key="map_playing",
                       help=f"Advance the day every {PLAY_INTERVAL_S:g} s; stops at the "
                            "last day. Switch off to pause.")
    buttons[-1].selectbox("Play step", PLAY_STEPS, key="map_play_step",
                          label_visibility="collapsed")
    window_col, n_col = st.columns([4, 1])
    window_col.radio("Window", list(WINDOW_LABELS), key="map_window", horizontal=True,
                     format_func=WINDOW_LABELS.__getitem__)
    n_col.number_input("N days", min_value=1, max_value=MAX_N_DAYS, step=1, key="map_n",
                       disabled=st.session_state.get("map_window") != WINDOW_LAST)


def _filters(force_ids: list[str], styles: dict) -> None:
    forces_col, types_col, status_col, text_col = st.columns([3, 3, 2, 2])
    forces_col.multiselect("Forces (none = all)", options=force_ids, key="map_forces",
                           format_func=lambda f: f"{styles[f].display_name} ({f})")
    types_col.multiselect("Event types (none = all)", options=list(EVENT_TYPES),
                          key="map_types")
    status_col.multiselect("Review status (none = any)", options=list(ALL_STATUS),
                           key="map_status", help="Rejected events are hidden unless "
                                                  "chosen here.")
    text_col.text_input("Search", key="map_text", max_chars=MAX_TEXT,
                        placeholder="place, actor, notes",
                        help="Case-insensitive; matches location, actors and notes.")


def _legend(styles: dict) -> None:
    """Force colours and symbols under the map, in Streamlit (a branca colour map would
    load d3 from a CDN)."""
    swatches = _swatches(((s.colour, s.display_name) for s in styles.values()),
                         style="border-radius:50%")
    st.caption("Colour = force of actor 1: " + swatches, unsafe_allow_html=True)
    st.caption(" · ".join(f"**{item.symbol}**: {item.meaning}" for item in legend_items()))


def _cells_legend(count: int, n_cells: int, cell_m: float) -> None:
    """Why there are squares instead of dots, and what their colours count."""
    limit = int(settings.get("map_max_points"))
    st.caption(f"{count:,} events aggregated into {n_cells:,} cells; zoom the date window "
               f"or filters to see individual events (more than {limit:,} in view, setting "
               f"map_max_points). Cells are squares of about {cell_m / 1000:,.0f} km in Web "
               f"Mercator (EPSG:3857); hover over a cell for its count and top force.")
    swatches = _swatches(count_classes())
    st.caption("Events per cell: " + swatches, unsafe_allow_html=True)


def render() -> None:
    url = settings.database_url()
    styles = load_force_styles()
    force_ids = list(styles)
    span = get_span(url)
    _read_view(span, force_ids)
    _apply_play_frame()

    st.title("Events map")
    _time_controls(span)
    _filters(force_ids, styles)
    state = st.session_state
    view = MapView(state["map_day"], state["map_window"], int(state["map_n"]),
                   tuple(state["map_forces"]), tuple(state["map_types"]),
                   tuple(state["map_status"]), state["map_text"] or "",
                   state.get("map_center"), state.get("map_zoom"))
    state["map_view"] = view
    wanted = view_params(view, span)
    current = st.query_params.to_dict()
    for name in VIEW_PARAMS:          # only ours: other panels may keep their own
        if name in wanted and current.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in current:
            del st.query_params[name]

    flt = view.to_filter()
    loaded = get_events(url, view.base_filter())
    layer = window_layer(loaded, flt.date_from, flt.date_to,
                         max_points=int(settings.get("map_max_points")),
                         zoom=view.zoom or ZOOM_START)
    count = layer.count
    hidden = loaded.n_without_coordinates
    # The search text comes from the widget or a shared link: escaped so it stays text.
    described = replace(flt, text=markdown_literal(flt.text)).describe(count) + (
        f" ({hidden:,} more match the filters but have no coordinates and are never drawn)"
        if hidden else "")
    st.markdown(f"**Showing {described}.**",
                help="An event is shown when its date or date interval overlaps the window, "
                     "one of its forces (actor 1, actor 2, captor) is selected, its type and "
                     "review status are chosen and its text matches the search.")
    # Built on every rerun (~60 ms, layers cached per process in geo.maps.basemap), not
    # cached: st_folium adds the feature group to the map and renames its elements, so a
    # map object shared between sessions would be mutated concurrently. Its script is
    # identical each run, so the browser keeps the iframe and only swaps the events.
    control_group, control = _control_layer(url, view.date_to)
    groups = [g for g in (control_group, layer.group) if g is not None]
    base = make_base_map(center=view.center, zoom=view.zoom)
    st_folium(base, feature_group_to_add=groups, key="map",
              returned_objects=[], height=MAP_HEIGHT, use_container_width=True)
    if layer.grid is not None:
        _cells_legend(layer.count, layer.grid.n_cells, layer.grid.cell_m)
    else:
        _legend(styles)
    if control is not None:
        _control_legend(control)
    with st.expander("Export for briefing"):
        render_export_panel(view)
    _play_frame_later(span)   # keep last in render(): it ends the run while playing


def _play_frame_later(span: DateSpan) -> None:
    """While playing: wait, schedule the next day and rerun (a plain rerun loop; the
    toggle, any widget or leaving the page stops it, and it stops by itself at the end)."""
    state = st.session_state
    if not state.get("map_playing"):
        return
    day = state["map_day"]
    next_day, keep_playing = play_next(day, state.get("map_play_step", PLAY_STEPS[0]), span)
    if next_day != day:              # at the last day: stop at once, no wait
        time.sleep(PLAY_INTERVAL_S)
    state["_map_next_frame"] = (day, next_day, keep_playing)
    st.rerun()


render()
