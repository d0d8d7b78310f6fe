"""Map page: events on the offline basemap, a day-step date slider and a force filter.

Thin by design: the view rules live in ``geo.maps.view``, drawing in ``geo.maps.*``,
data in the store. The view is mirrored in the URL (``?from=&to=&forces=``) so a map can
be shared as a link; a malformed link gives a warning and the defaults.
"""
from __future__ import annotations

import html
from datetime import date
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo import settings
from geo.maps.basemap import make_base_map
from geo.maps.events_layer import events_geojson, feature_group_from_geojson, legend_items
from geo.maps.forces_style import load_force_styles
from geo.maps.view import DateSpan, MapView, data_span, parse_view, view_params
from geo.store import EventFilter, Store, open_store

MAP_HEIGHT = 640
#: Query results are shared between sessions for this long; pages that change data
#: (ingest, review) call ``st.cache_data.clear()`` so edits show at once.
CACHE_TTL_S = 60


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    """One store per database URL and process (it is thread-safe)."""
    return open_store(url)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_span(url: str) -> DateSpan:
    return data_span(get_store(url).query_events(EventFilter()))


@st.cache_data(ttl=CACHE_TTL_S, show_spinner="Loading events…")
def get_events(url: str, flt: EventFilter) -> tuple[dict[str, Any], str]:
    """The events of a filter as map-ready GeoJSON plus what is shown, in words."""
    frame = get_store(url).query_events(flt)
    described = flt.describe(len(frame))
    hidden = int(frame.attrs.get("n_without_coordinates", 0))
    if hidden:
        described += f" ({hidden:,} more without coordinates, not drawn)"
    return events_geojson(frame), described


def _read_view(span: DateSpan, forces: list[str]) -> MapView:
    """The view from the URL the first time this session sees it; afterwards the widgets
    (kept in session state) are the truth and the URL follows them."""
    stored = st.session_state.get("map_dates")
    if stored and not (span.first <= stored[0] <= stored[1] <= span.last):
        st.session_state.pop("map_view", None)      # the data changed under this session
    if "map_view" not in st.session_state:
        parsed = parse_view(st.query_params.to_dict(), span, forces)
        if parsed.problems:
            st.warning("Some link parameters were not understood and the defaults were used: "
                       + "; ".join(parsed.problems) + ".")
        st.session_state["map_view"] = parsed.view
        st.session_state["map_dates"] = (parsed.view.date_from, parsed.view.date_to)
        st.session_state["map_forces"] = list(parsed.view.forces)
    return st.session_state["map_view"]


def _legend(styles: dict) -> None:
    with st.expander("Legend", expanded=False):
        swatches = " ".join(
            f"<span style='white-space:nowrap'><span style='display:inline-block;width:.8em;"
            f"height:.8em;border-radius:50%;background:{s.colour};margin-right:.25em'></span>"
            f"{html.escape(s.display_name)}</span>" for s in styles.values())
        st.markdown(swatches, unsafe_allow_html=True)   # escaped names, colours validated
        for item in legend_items():
            st.markdown(f"- **{item.symbol}**: {item.meaning}")


def render() -> None:
    url = settings.database_url()
    styles = load_force_styles()
    force_ids = list(styles)
    span = get_span(url)
    _read_view(span, force_ids)

    st.title("Events map")
    left, right = st.columns([3, 2])
    with left:
        dates: tuple[date, date] = st.slider(
            "Dates", min_value=span.first, max_value=span.last, format="YYYY-MM-DD",
            key="map_dates", help="Events whose date (or date interval) overlaps the window.")
    with right:
        chosen = st.multiselect("Forces (none = all)", options=force_ids, key="map_forces",
                                format_func=lambda f: f"{styles[f].display_name} ({f})")
    view = MapView(dates[0], dates[1], tuple(chosen))
    st.session_state["map_view"] = view
    wanted = view_params(view, span)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)

    collection, described = get_events(url, view.to_filter())
    st.markdown(f"**Showing {described}.**",
                help="An event is shown when its date or date interval overlaps the window "
                     "and one of its forces (actor 1, actor 2, captor) is selected.")
    # Built on every rerun (~60 ms, layers cached per process in geo.maps.basemap), not
    # cached: st_folium adds the feature group to the map and renames its elements, so a
    # map object shared between sessions would be mutated concurrently. Its script is
    # identical each run, so the browser keeps the iframe and only swaps the events.
    base = make_base_map()
    st_folium(base, feature_group_to_add=feature_group_from_geojson(collection), key="map",
              returned_objects=[], height=MAP_HEIGHT, use_container_width=True)
    _legend(styles)


render()
