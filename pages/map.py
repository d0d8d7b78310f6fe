"""Map page: the map fills the window; its time bar (date, slider, steps, play, speed,
window) scrubs in the browser; filters live in the sidebar.

Thin by design: the events of the filter and the control states are published once per
filter (``pages.common``: ``geo.maps.scrub``, ``geo.maps.control_states``) and the
browser plugin (``geo.maps.dashboard_map``) filters and draws them on every step. When
the analyst stops, the plugin reports the day, window, zoom, centre and bounds; this
page then writes them to the URL (``?date=&window=&n=&forces=&types=&status=&text=
&center=&zoom=``), the "Showing N" line and the export panel.
"""
from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo.control import METHOD_TEXT
from geo.core import settings, theatre
from geo.core.codebook import EVENT_TYPES
from geo.core.links import PLACE_REVIEW_DATE_PARAM, PLACE_REVIEW_PARAM
from geo.display import markdown_literal
from geo.maps.dashboard_map import (
    ScrubPayload,
    make_dashboard_map,
    plugin_options,
    scrub_group,
    view_from_browser,
)
from geo.maps.forces_style import load_force_styles
from geo.maps.scrub import time_range
from geo.maps.view import (
    ALL_STATUS,
    MAX_TEXT,
    VIEW_PARAMS,
    DateSpan,
    MapView,
    parse_view,
    view_params,
)
from pages.common import (
    LAST_INGEST,
    control_outcome,
    details_problem,
    events_changed,
    get_counts,
    get_map_events,
    get_store,
    map_control_job,
    retry_control,
)

#: Height the map asks for before the browser fits it to the window.
MAP_HEIGHT = 620
#: Less padding around the page: the map is the page.
_PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding: 2.8rem 1.2rem 1rem 1.2rem; }
</style>"""
#: Session key of the export panel's open state (a test opens it there).
EXPORT_OPEN = "map_export_open"
#: URL parameters that may repeat (``?forces=IS&forces=SDF``) or be comma-separated.
_LIST_PARAMS = ("forces", "types", "status")


def _url_params() -> dict[str, str]:
    """The page URL's parameters; a repeated list parameter keeps every value."""
    params = {k: v for k, v in st.query_params.to_dict().items()}
    for name in _LIST_PARAMS:
        values = st.query_params.get_all(name)
        if len(values) > 1:
            params[name] = ",".join(values)
    return params


def _read_view(span: DateSpan, forces: list[str]) -> None:
    """The view from the URL the first time this session opens the page; afterwards the
    widgets and the browser are the truth and the URL follows them."""
    if "map_view" in st.session_state:
        return
    parsed = parse_view(_url_params(), span, forces)
    view = parsed.view
    st.session_state["map_link_problems"] = (parsed.problems, view)
    st.session_state.update({
        "map_view": view, "map_day": view.day, "map_window": view.window,
        "map_n": view.n_days, "map_forces": list(view.forces),
        "map_types": list(view.event_types), "map_status": list(view.review_status),
        "map_text": view.text, "map_center": view.center, "map_zoom": view.zoom,
        "map_bounds": None, "map_seq": 0, "map_initial": (view.center, view.zoom)})


def _from_browser() -> None:
    """Callback: the plugin reported where the analyst stopped (runs before the page)."""
    reported = view_from_browser(st.session_state.get("map"))
    if reported is None or reported.seq == st.session_state.get("map_seq"):
        return
    st.session_state.update({
        "map_seq": reported.seq, "map_day": reported.day, "map_window": reported.window,
        "map_n": reported.n_days, "map_zoom": reported.zoom, "map_center": reported.center,
        "map_bounds": reported.bounds})


def _filters(force_ids: list[str], styles: dict) -> tuple[bool, bool]:
    """Sidebar: forces, types, review status, text, control layer. Returns (show
    control, include curated)."""
    bar = st.sidebar
    bar.multiselect("Forces (none = all)", options=force_ids, key="map_forces",
                    format_func=lambda f: f"{styles[f].display_name} ({f})")
    bar.multiselect("Event types (none = all)", options=list(EVENT_TYPES), key="map_types")
    bar.multiselect("Review status (none = any)", options=list(ALL_STATUS),
                    key="map_status", help="Rejected events are hidden unless chosen here.")
    bar.text_input("Search", key="map_text", max_chars=MAX_TEXT,
                   placeholder="place, actor, notes",
                   help="Case-insensitive; matches location, actors and notes.")
    show = bar.checkbox("Show control", value=True, key="map_show_control",
                        help="Areas, front lines and places held on the day shown.")
    curated = bar.checkbox("Include curated timeline", value=True, key="map_control_curated",
                           disabled=not show,
                           help="The checked reference timeline of control changes "
                                "(data/control_timeline.csv), shown as 'curated'.")
    return show, curated


def _first_run(url: str) -> None:
    """An empty store: say what to do instead of showing an empty map alone."""
    with st.container(border=True):
        st.subheader("No events yet")
        st.markdown(
            "The map below already shows the curated control timeline (2013-2019). To put "
            "events on it:\n"
            "1. **Ingest the bundled sample articles** (a few short articles written for "
            "this project about well-documented events of the war);\n"
            "2. **Upload your own articles** (text or HTML) on the Ingest page;\n"
            "3. **Import an ACLED or UCDP file** (CSV) or a GIS file on the Ingest page.")
        left, right = st.columns(2)
        if left.button("Ingest the bundled sample articles", type="primary",
                       key="map_first_run_ingest"):
            from geo.ingest import ingest_sample_articles  # loads the extractor: only now
            with st.spinner("Reading the sample articles…"):
                summary = ingest_sample_articles(get_store(url))
            events_changed()
            st.session_state.pop("map_view", None)
            st.session_state[LAST_INGEST] = {"summary": summary,
                                             "unresolved": summary.unresolved,
                                             "ambiguous": summary.ambiguous}
            st.rerun()
        right.page_link("pages/ingest.py", label="Upload articles or import ACLED / UCDP")


def render() -> None:
    linked = st.query_params.get("event_id")
    if linked:          # a deep link to an event (popups, exports): the Events page shows it
        st.switch_page("pages/events.py", query_params={"event_id": linked})
    holding = st.query_params.get("holding_id")
    if holding:         # a popup's link to a holding stated in passing: its review
        st.switch_page("pages/events.py", query_params={"holding_id": holding})
    place = st.query_params.get(PLACE_REVIEW_PARAM)
    if place:           # a control popup's link to review a place's holding (on a day)
        day = st.query_params.get(PLACE_REVIEW_DATE_PARAM)
        st.switch_page("pages/events.py", query_params={PLACE_REVIEW_PARAM: place} | (
            {PLACE_REVIEW_DATE_PARAM: day} if day else {}))
    st.markdown(_PAGE_CSS, unsafe_allow_html=True)
    url = settings.database_url()
    styles = load_force_styles()
    force_ids = list(styles)
    state = st.session_state
    the = theatre.current()
    if "map_view" not in state:     # the default filter's span bounds a linked date
        published = get_map_events(url, MapView(the.end).base_filter())
        rng = time_range(published.span, (the.start, the.end))
        _read_view(DateSpan(rng.first, rng.last), force_ids)
    _from_browser()                 # also done by the map's on_change; repeating is harmless
    show_control, curated = _filters(force_ids, styles)
    # The events of the filter (no date window), published once per filter.
    view = MapView(state["map_day"], state["map_window"], int(state["map_n"]),
                   tuple(state["map_forces"]), tuple(state["map_types"]),
                   tuple(state["map_status"]), state["map_text"] or "",
                   state.get("map_center"), state.get("map_zoom"), state.get("map_bounds"))
    published = get_map_events(url, view.base_filter())
    if problem := details_problem(published):
        st.warning(markdown_literal(problem))
    rng = time_range(published.span, (the.start, the.end)).widened(view.day)
    state["map_view"] = view
    _write_url(view, DateSpan(rng.first, rng.last))
    problems, linked = state.get("map_link_problems", ([], None))
    if problems and linked is not None and (view.day, view.base_filter()) == (
            linked.day, linked.base_filter()):       # shown until the analyst moves on
        st.warning("Some link parameters were not understood and the defaults were used: "
                   + "; ".join(markdown_literal(p) for p in problems) + ".")

    if get_counts(url).get("events", 0) == 0:
        _first_run(url)
    job = map_control_job(url, curated) if show_control else None
    control, control_failed = control_outcome(job) if job is not None else (None, None)
    payload = ScrubPayload(
        published.events_url, published.details_url, control["url"] if control else None,
        view.day, view.window, view.n_days, rng.first, rng.last,
        published.span[0] if published.span else None,
        published.span[1] if published.span else None)
    # The day the server asks for changes only with the data: a rerun after the analyst
    # stopped sends the same script, so the browser keeps its state and nothing reloads.
    key = (payload.events_url, payload.control_url)
    if state.get("map_anchor", (None,))[0] != key:
        state["map_anchor"] = (key, payload)
    center, zoom = state["map_initial"]
    if "map_options" not in state:
        state["map_options"] = plugin_options()
    st_folium(make_dashboard_map(center, zoom, state["map_options"]),
              feature_group_to_add=scrub_group(state["map_anchor"][1]), key="map",
              returned_objects=[], height=MAP_HEIGHT, use_container_width=True,
              on_change=_from_browser)

    flt = view.to_filter()
    count = published.count(flt.date_from, flt.date_to)
    hidden = published.n_without_coordinates
    described = replace(flt, text=markdown_literal(flt.text)).describe(count) + (
        f" ({hidden:,} more match the filters but have no coordinates or no date and are "
        "not drawn)" if hidden else "")
    st.markdown(f"**Showing {described}.**",
                help="An event is shown when its date or date interval overlaps the window, "
                     "one of its forces (actor 1, actor 2, captor) is selected, its type and "
                     "review status are chosen and its text matches the search.")
    if control is not None:
        with st.expander(f"How control is worked out ({control['places']} places, "
                         f"{control['changes']} change points)"):
            st.write(METHOD_TEXT)
            if control["problems"]:
                st.caption(f"{len(control['problems'])} report(s) skipped: "
                           + markdown_literal("; ".join(control["problems"][:20])))
    # Drawn only while open (a rerun opens it): its widgets and the export code (matplotlib)
    # are nothing the map needs, and the first map waited for them (``EXPORT_OPEN``).
    with st.expander("Export for briefing", key=EXPORT_OPEN, on_change="rerun") as panel:
        if panel.open:
            from pages.export_panel import render_export_panel

            render_export_panel(view)
    if control_failed:
        _control_failed(url, curated, control_failed)
    elif job is not None and control is None:
        _control_pending(job)


def _control_failed(url: str, curated: bool, why: str) -> None:
    """The control layer alone failed: say so; the events stay on the map."""
    st.error(f"The control layer (areas, front lines, places held) could not be worked "
             f"out: {markdown_literal(why)}. The events are shown without it; details are "
             f"in the server log.")
    if st.button("Work out control again", key="map_control_retry"):
        retry_control(url, curated)
        st.rerun()


@st.fragment(run_every=0.5)
def _control_pending(job: Future[dict[str, Any]]) -> None:
    """While control is being worked out: say so, and redraw the page once it is ready."""
    if job.done():
        st.rerun()
    st.caption("Working out control (areas, front lines, places)…")


def _write_url(view: MapView, span: DateSpan) -> None:
    """Mirror the view in the URL (only our parameters: other panels keep theirs)."""
    wanted = view_params(view, span)
    current = st.query_params.to_dict()
    for name in VIEW_PARAMS:
        if name in wanted and current.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in current:
            del st.query_params[name]


render()
