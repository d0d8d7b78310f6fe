"""Events page: find events in a table, read their evidence and history, confirm, reject
or correct them.

Thin by design: turning the form into a change set is ``geo.review``; validation (no
future dates, latitude within ±90, ...) is the store's, whose ``InputError`` is shown
next to the form while the typed values stay in the widgets. Links to one event are
``/?event_id=ID`` (``geo.maps.events_layer.event_link``): the Map page, which opens at
the root, hands over to this page with the id (``/events?event_id=ID`` works too).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from geo.core import settings
from geo.core.codebook import EVENT_TYPES
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.core.links import (
    PLACE_REVIEW_DATE_PARAM,
    PLACE_REVIEW_PARAM,
    place_review_request,
)
from geo.core.records import Event, ReviewStatus
from geo.core.validate import Allow
from geo.display import HIGHLIGHT_LEGEND, highlighted_markdown, markdown_literal
from geo.exports.download import (
    DOWNLOAD_FORMATS,
    control_download,
    control_file_name,
    file_name,
    filtered_events_bytes,
)
from geo.exports.gis import CONTROL_FORMATS
from geo.maps.view import DateSpan, span_of
from geo.review import (
    Correction,
    ReviewPlace,
    audit_changes,
    audit_table,
    claims_on,
    correction_changes,
    disputed_holding,
    event_label,
    events_table,
    evidence_rows,
    place_label,
    report_to_open,
    set_status,
    undo_change,
)
from geo.store import EventFilter, Store
from geo.store.holding_review import is_holding_id
from pages import holdings_panel
from pages.common import (
    CACHE_TTL_S,
    author,
    author_box,
    get_place_index,
    get_reader,
    get_store,
    on_events_changed,
    revision,
    submit,
    write,
    written_message,
)

#: Session-state keys of the event review start with it (``pages.common.write``).
PREFIX = "events"

STATUSES = [s.value for s in ReviewStatus]
DEFAULT_STATUSES = [s for s in STATUSES if s != ReviewStatus.REJECTED.value]


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_span(url: str) -> DateSpan:
    """The date picker's span: every located event, whatever its status (one query)."""
    return span_of(get_reader(url).date_range(EventFilter(review_status=tuple(STATUSES))))


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_disputes(url: str) -> list[dict[str, str]]:
    """Control claims that contradict a better-supported holder (the review queue),
    worked out in the dashboard's worker process (``geo.control.cache.stored_disputes``)."""
    from geo.control.cache import stored_disputes

    get_store(url)                      # the database exists and has the current schema
    return list(submit(stored_disputes, url).result())


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_places_to_review(url: str) -> dict[str, dict[str, Any]]:
    """Per place with something to review, its name and holdings stated in passing
    (``geo.control.cache.stored_places_to_review``): what a control popup's review link
    (``?review_place=KEY``) opens."""
    from geo.control.cache import stored_places_to_review

    get_store(url)
    return dict(submit(stored_places_to_review, url).result())


def _linked_place(url: str) -> ReviewPlace | None:
    """The place a control popup's review link names (``geo.core.links.
    place_review_link``), with its name, holdings and the day the map showed; an error
    naming a bad day (all the place's claims are then shown), a warning naming a place
    with nothing to review."""
    request = place_review_request(st.query_params.get(PLACE_REVIEW_PARAM),
                                   st.query_params.get(PLACE_REVIEW_DATE_PARAM))
    if request is None:
        return None
    found = get_places_to_review(url).get(request.key)
    if found is None:
        st.warning(f"The link names the place {markdown_literal(repr(request.key))}, which "
                   "has no disputed claim and no holding stated in passing to review.")
        return None
    place = ReviewPlace(request.key, str(found["name"]), tuple(found["holdings"]),
                        request.day)
    st.subheader(f"Control of {markdown_literal(place.name)} to review")
    if request.problem:
        st.error(f"Not opened on a day: {markdown_literal(request.problem)}; every claim "
                 f"about {markdown_literal(place.name)} is shown.")
    st.caption("Opened from the map's popup: the claims that dispute its holder"
               + (f" on {place.day}" if place.day else "")
               + " and the holdings stated in passing about it are chosen below.")
    if st.button("Show every place's claims", key="review_place_clear"):
        for param in (PLACE_REVIEW_PARAM, PLACE_REVIEW_DATE_PARAM):
            if param in st.query_params:
                del st.query_params[param]
        st.rerun()
    return place


def _disputed_control(url: str, place: ReviewPlace | None) -> None:
    """The review queue: each claim the map does not follow because a better source says
    otherwise; the analyst confirms (it then weighs as an analyst's) or rejects it. With
    a linked place, its claims only: those disputing its holder on the linked day first
    (that day's report chosen once), then all of them."""
    queue = get_disputes(url)
    if place is not None:
        queue = [row for row in queue if row.get("place_key") == place.key]
        linked = f"{place.key}@{place.day}"
        if st.session_state.get("events_place_linked") != linked:
            st.session_state["events_place_linked"] = linked
            chosen = report_to_open(queue, place.day)
            if chosen and not st.query_params.get("event_id"):
                st.session_state["events_selected"] = chosen
        if place.day is not None:
            _claims_of_the_day(place, queue)
    if not queue:
        return
    about = f" about {markdown_literal(place.name)}" if place is not None else ""
    with st.expander(f"Disputed control claims{about} to review ({len(queue)})",
                     expanded=place is not None and place.day is None):
        st.caption("Each report below says a town changed hands, against a better-supported "
                   "holder; the map keeps the holder. Select the event to confirm or reject "
                   "it; a holding stated in passing (claim kind \"stated\", id stated:…) is "
                   "reviewed under *Holdings stated in passing* below.")
        st.dataframe(pd.DataFrame(queue), hide_index=True)


def _claims_of_the_day(place: ReviewPlace, queue: list[dict[str, Any]]) -> None:
    """The claims disputing the holder of a linked place on the linked day and the
    holding they dispute (``geo.review.claims_on``)."""
    assert place.day is not None
    rows = claims_on(queue, place.day)
    name = markdown_literal(place.name)
    if not rows:
        st.info(f"No claim disputed the holder of {name} on {place.day}; all its claims "
                "are listed below.")
        return
    with st.expander(f"Claims about {name} disputing its holder on {place.day} "
                     f"({len(rows)})", expanded=True):
        st.markdown(f"On {place.day} the map shows {name} "
                    f"{markdown_literal(disputed_holding(rows, default_forces()))}; these "
                    "weaker claims dispute it. The latest report among them is chosen "
                    "below to confirm or reject.")
        st.dataframe(pd.DataFrame(rows), hide_index=True)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner="Loading events…")
def get_table(url: str, flt: EventFilter) -> pd.DataFrame:
    """The events of a filter as a plain table (cached: filters rerun on every click)."""
    return events_table(get_reader(url).query_events(flt))


def _filter(span: DateSpan, force_names: dict[str, str]) -> EventFilter:
    """The filter widgets, as an ``EventFilter``."""
    c1, c2, c3 = st.columns([2, 2, 2])
    with c1:
        picked = st.date_input("Dates", value=(span.first, span.last), key="events_dates",
                               format="YYYY-MM-DD")
        text = st.text_input("Text (location, actors, notes)", key="events_text")
    with c2:
        forces = st.multiselect("Forces (none = all)", list(force_names), key="events_forces",
                                format_func=lambda f: f"{force_names[f]} ({f})")
        types = st.multiselect("Event types (none = all)", list(EVENT_TYPES),
                               key="events_types")
    with c3:
        statuses = st.multiselect("Review status", STATUSES, default=DEFAULT_STATUSES,
                                  key="events_status")
        undated = st.checkbox("Include undated events", key="events_undated")
    dates = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
    first = dates[0] if dates else None
    last = dates[1] if len(dates) > 1 else first      # a range being picked has one end
    return EventFilter(date_from=first, date_to=last, forces=tuple(forces),
                       event_types=tuple(types), review_status=tuple(statuses or STATUSES),
                       text=text.strip(), include_undated=undated)


def _select(reader: Store, table: pd.DataFrame) -> Event | None:
    """The chosen event: the link's ``?event_id=`` the first time, then the select box."""
    ids = list(table["event_id"]) if len(table) else []
    labels = {r["event_id"]: event_label(r) for r in table.to_dict("records")}
    linked = st.query_params.get("event_id")
    if linked and st.session_state.get("events_linked") != linked:
        st.session_state["events_linked"] = linked
        event = reader.get_event(linked)
        if event is None:
            st.warning(f"The link names event {markdown_literal(repr(linked))}, which is "
                       f"not in the database.")
        else:
            st.session_state["events_selected"] = linked
    chosen = st.session_state.get("events_selected")
    if chosen and chosen not in ids:
        event = reader.get_event(chosen)
        if event is not None:                  # linked or edited out of the filter: keep it
            ids.insert(0, chosen)
            labels[chosen] = event_label(event.to_dict())
    if not ids:
        return None
    # A new widget after every write (the revision is in its key): a kept select box went
    # on showing the label the event had before the edit.
    rev = revision(PREFIX)
    selected = st.selectbox("Event", ids, key=f"events_pick_{rev}",
                            index=ids.index(chosen) if chosen in ids else 0,
                            format_func=lambda i: labels.get(i, i))
    st.session_state["events_selected"] = selected
    if selected and st.query_params.get("event_id") != selected:
        st.query_params["event_id"] = selected
        st.session_state["events_linked"] = selected
    return reader.get_event(selected) if selected else None


def _evidence(reader: Store, event: Event) -> None:
    st.subheader("Evidence")
    rows = evidence_rows(reader, event)
    if not rows:
        st.caption("No evidence sentences (imported, curated or manual event).")
    for i, row in enumerate(rows, start=1):
        st.markdown(f"**Source {i}**")
        # Article content is shown as text, never as markdown/HTML.
        st.text(f"{row['title'] or '(untitled)'} — {row['published'] or 'undated'}")
        # The sentence with its place/date/actor emphasised: every piece of article text
        # is escaped markdown, only the emphasis marks around mentions are markup (no
        # HTML); the exact text stays copyable below.
        st.markdown(highlighted_markdown(row["sentence"], row["mentions"]))
        if i == 1:
            st.caption(HIGHLIGHT_LEGEND)
        with st.expander("Exact sentence"):
            st.code(row["sentence"], language=None, wrap_lines=True)
        if row["text"]:
            with st.expander("Article text"):
                st.text(row["text"])


def _audit(store: Store, reader: Store, event: Event) -> None:
    st.subheader("Audit trail")
    rows = reader.audit_trail(event.event_id)
    if rows:
        st.dataframe(audit_table(rows), hide_index=True)
        for change in audit_changes(rows):
            if st.button(change.label(), key=f"undo_{event.event_id}_{change.change_id}"):
                write(PREFIX, f"Change {change.change_id} undone.",
                       lambda c=change.change_id: undo_change(store, c, author=author()))
    else:
        st.caption("No changes yet.")


def _edit_form(store: Store, event: Event) -> None:
    st.subheader("Review")
    forces = default_forces()
    gazetteer = get_place_index(settings.database_url())
    k = event.event_id
    force_ids = [""] + sorted(f.force_id for f in forces)
    for current in (event.actor1_force, event.actor2_force):
        if current not in force_ids:
            force_ids.append(current)
    show_force = lambda f: forces.display(f) + f" ({f})" if f else "(none)"  # noqa: E731

    c1, c2, c3 = st.columns(3)
    with c1:
        day = st.text_input("Date (YYYY-MM-DD)", key=f"edit_date_{k}",
                            value=event.event_date.isoformat() if event.event_date else "")
        fatalities = st.number_input("Fatalities", min_value=0, step=1,
                                     value=int(event.fatalities), key=f"edit_fat_{k}")
    with c2:
        actor1 = st.selectbox("Actor 1", force_ids, index=force_ids.index(event.actor1_force),
                              format_func=show_force, key=f"edit_a1_{k}")
        actor2 = st.selectbox("Actor 2", force_ids, index=force_ids.index(event.actor2_force),
                              format_func=show_force, key=f"edit_a2_{k}")
    with c3:
        types = list(EVENT_TYPES)
        etype = st.selectbox("Event type", types, key=f"edit_type_{k}",
                             index=types.index(event.event_type)
                             if event.event_type in types else 0)
        subs = list(EVENT_TYPES[etype])
        sub = st.selectbox("Sub-event type", subs, key=f"edit_sub_{etype}_{k}",
                           index=subs.index(event.sub_event_type)
                           if event.sub_event_type in subs else 0)

    candidates = gazetteer.lookup(event.location) if event.location else []
    options = [None] + candidates
    place = st.selectbox(
        f"Location — other places named {event.location!r}", options, key=f"edit_place_{k}",
        format_func=lambda p: (f"(keep: {event.location}, {event.latitude}, {event.longitude})"
                               if p is None else place_label(p)))
    l1, l2 = st.columns(2)
    lat = l1.text_input("…or type latitude", key=f"edit_lat_{k}", placeholder="e.g. 36.34")
    lon = l2.text_input("…and longitude", key=f"edit_lon_{k}", placeholder="e.g. 43.13")
    note = st.text_input("Note for the audit trail (optional)", key=f"edit_note_{k}")
    unusual = st.checkbox("The date is before 1990 or the place outside the theatre, "
                          "and that is meant", key=f"edit_unusual_{k}")

    b1, b2, b3 = st.columns(3)
    if b1.button("Confirm", key="events_confirm", type="primary"):
        write(PREFIX, "Event confirmed.", lambda: set_status(store, k, ReviewStatus.CONFIRMED,
                                                      author=author(), note=note))
    if b2.button("Reject", key="events_reject"):
        write(PREFIX, "Event rejected (hidden from the map; still here with review status "
               "'rejected').", lambda: set_status(store, k, ReviewStatus.REJECTED,
                                                  author=author(), note=note))
    if b3.button("Save correction", key="events_save"):
        form = Correction(event_date=day, actor1_force=actor1, actor2_force=actor2,
                          event_type=etype, sub_event_type=sub, fatalities=int(fatalities),
                          place=place, latitude=lat, longitude=lon)
        try:
            changes = correction_changes(
                event, form, forces, allow=Allow(any_date=unusual, outside_theatre=unusual))
        except InputError as exc:
            st.error(f"Not saved: {markdown_literal(exc)}")
            return
        if not changes:
            st.info("Nothing to save: the form matches the stored event.")
            return
        write(PREFIX, "Correction saved: " + ", ".join(changes) + ".",
               lambda: store.update_event(k, changes, author=author(), note=note))


def _downloads(reader: Store, url: str, flt: EventFilter, n: int, last: date) -> None:
    """One button per format. The file is built only when clicked (a callable: a
    GeoPackage of 10,000 events takes a second, and this page reruns on every click);
    ``on_click="ignore"``: downloading does not rerun the page. With control layers the
    GIS files carry the control map of the filter's last day as ``geo export --control``
    writes it, built in the worker process (``geo.exports.download.control_download``)."""
    st.caption(f"Download the {n:,} filtered events (the same files as `python -m geo "
               f"export`):" if n else "Download the filtered events (none match now):")
    forces = default_forces()
    a, b, c = st.columns(3)
    with_control = a.checkbox("Add control layers", key="events_download_control",
                              help="GeoJSON, GeoPackage and KML: who held which town on "
                                   "the day (places, areas, front lines), as the map "
                                   "draws it; the CSV stays the events alone.")
    day = b.date_input("Control on", value=flt.date_to or last, format="YYYY-MM-DD",
                       key="events_download_day", disabled=not with_control)
    curated = c.checkbox("Include the curated control timeline", value=True,
                         key="events_download_curated", disabled=not with_control)
    for column, fmt in zip(st.columns(len(DOWNLOAD_FORMATS)), DOWNLOAD_FORMATS):
        if with_control and fmt.key in CONTROL_FORMATS:
            data = lambda k=fmt.key: submit(  # noqa: E731
                control_download, url, flt, k, day, curated).result()
            label, name = f"{fmt.label} + control", control_file_name(fmt.key, flt, day)
        else:
            data = lambda k=fmt.key: filtered_events_bytes(reader, flt, k, forces)  # noqa: E731
            label, name = fmt.label, file_name(fmt.key, flt)
        column.download_button(
            label, data=data, file_name=name, mime=fmt.mime,
            key=f"events_download_{fmt.key}", on_click="ignore", use_container_width=True)


def render() -> None:
    url = settings.database_url()
    store = get_store(url)              # writes (confirm, reject, correct, undo)
    reader = get_reader(url)            # everything shown
    forces = default_forces()
    force_names = {f.force_id: f.display_name for f in forces}
    st.title("Events")
    author_box()
    flash = written_message(PREFIX)
    if flash:
        st.success(markdown_literal(flash))
    on_events_changed("events.span", get_span.clear)
    on_events_changed("events.table", get_table.clear)
    on_events_changed("events.disputes", get_disputes.clear)
    on_events_changed("events.review_places", get_places_to_review.clear)
    span = get_span(url)
    flt = _filter(span, force_names)
    table = get_table(url, flt)
    shown = replace(flt, text=markdown_literal(flt.text))       # typed text stays text
    st.markdown(f"**Showing {shown.describe(len(table))}.**")
    st.dataframe(table, hide_index=True, key="events_table")
    _downloads(reader, url, flt, len(table), span.last)
    place = _linked_place(url)
    _disputed_control(url, place)
    event = _select(reader, table)
    if event is None:
        st.info("No event matches the filters.")
    else:
        left, right = st.columns([3, 2])
        with left:
            _edit_form(store, event)
        with right:
            _evidence(reader, event)
            _audit(store, reader, event)
    holdings_panel.render(store, reader, url, {
        row["event_id"] for row in get_disputes(url) if is_holding_id(row["event_id"])}, flt,
        place)


render()
