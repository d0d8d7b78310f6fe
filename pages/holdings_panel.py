"""Events page, holdings stated in passing: read the sentence, confirm, reject or correct
(force, place, dates) what the machine read, and undo a decision.

Why a separate file: the Events page is already long, and holdings are no events (they
have no ACLED row and no page of their own). All logic is in ``geo.review`` and the store
(``Store.review_holding``); this file only draws widgets. A link to one holding is
``/?holding_id=ID`` (``geo.core.links.holding_link``: the control popups' link; the Map
page hands over to this page) or ``/events?holding_id=ID``.
"""
from __future__ import annotations

import streamlit as st

from geo.core import settings
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.core.records import Holding, ReviewStatus
from geo.core.validate import Allow
from geo.display import markdown_literal
from geo.review import (
    HoldingCorrection,
    ReviewPlace,
    audit_changes,
    audit_table,
    filter_holdings,
    holding_correction_changes,
    holding_evidence,
    holding_label,
    holdings_table,
    holdings_to_review,
    place_holdings,
    place_label,
    set_holding_status,
    undo_change,
)
from geo.store import EventFilter, Store
from pages.common import (
    CACHE_TTL_S,
    author,
    get_place_index,
    get_reader,
    on_events_changed,
    revision,
    was_written,
    write,
    written_message,
)

#: Session-state keys of this section start with it (``pages.common.write``).
PREFIX = "holdings"


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_holdings(url: str) -> list[Holding]:
    """Every holding stated in passing, as the analyst decided it (one query)."""
    return get_reader(url).query_holdings()


def _select(holdings: list[Holding], disputed: set[str], place: ReviewPlace | None
            ) -> Holding | None:
    """The chosen holding: the link's ``?holding_id=`` the first time (or, linked to a
    place, its first holding to review), then the box."""
    ids = [h.holding_id for h in holdings]
    by_id = {h.holding_id: h for h in holdings}
    if place is not None and ids and st.session_state.get("holdings_place_linked") != place.key:
        st.session_state["holdings_place_linked"] = place.key
        st.session_state["holdings_selected"] = ids[0]
    linked = st.query_params.get("holding_id")
    if linked and st.session_state.get("holdings_linked") != linked:
        st.session_state["holdings_linked"] = linked
        if linked in by_id:
            st.session_state["holdings_selected"] = linked
        else:
            st.warning(f"The link names holding {markdown_literal(repr(linked))}, which is "
                       f"not in the database.")
    chosen = st.session_state.get("holdings_selected")
    rev = revision(PREFIX)
    selected = st.selectbox("Holding", ids, key=f"holdings_pick_{rev}",
                            index=ids.index(chosen) if chosen in ids else 0,
                            format_func=lambda i: holding_label(by_id[i], i in disputed))
    st.session_state["holdings_selected"] = selected
    return by_id.get(selected) if selected else None


def _evidence(reader: Store, holding: Holding) -> None:
    row = holding_evidence(reader, holding)
    st.markdown("**Evidence**")
    # Article content is shown as text, never as markdown/HTML.
    st.text(f"{row['title'] or '(untitled)'} — {row['published'] or 'undated'}")
    st.code(row["sentence"], language=None, wrap_lines=True)
    st.caption(f"Read by the construction {holding.construction or '(unknown)'}.")
    if row["text"]:
        with st.expander("Article text"):
            st.text(row["text"])


def _form(store: Store, holding: Holding) -> None:
    forces = default_forces()
    k = holding.holding_id
    force_ids = sorted(f.force_id for f in forces)
    if holding.force not in force_ids:
        force_ids.append(holding.force)
    c1, c2, c3 = st.columns(3)
    force = c1.selectbox("Held by", force_ids, index=force_ids.index(holding.force),
                         format_func=lambda f: f"{forces.display(f)} ({f})",
                         key=f"holding_force_{k}")
    first = c2.text_input("From (YYYY-MM-DD)", value=holding.date_min.isoformat(),
                          key=f"holding_from_{k}")
    last = c3.text_input("To (YYYY-MM-DD)", value=holding.date_max.isoformat(),
                         key=f"holding_to_{k}")
    gazetteer = get_place_index(settings.database_url())
    candidates = gazetteer.lookup(holding.location) if holding.location else []
    place = st.selectbox(
        f"Place — other places named {holding.location!r}", [None, *candidates],
        key=f"holding_place_{k}",
        format_func=lambda p: (f"(keep: {holding.location}, {holding.latitude}, "
                               f"{holding.longitude})" if p is None else place_label(p)))
    l1, l2 = st.columns(2)
    lat = l1.text_input("…or type latitude", key=f"holding_lat_{k}", placeholder="e.g. 33.64")
    lon = l2.text_input("…and longitude", key=f"holding_lon_{k}", placeholder="e.g. 42.82")
    note = st.text_input("Note for the audit trail (optional)", key=f"holding_note_{k}")
    unusual = st.checkbox("The date is before 1990 or the place outside the theatre, "
                          "and that is meant", key=f"holding_unusual_{k}")
    b1, b2, b3, b4 = st.columns(4)
    if b1.button("Confirm holding", key="holding_confirm", type="primary"):
        write(PREFIX, "Holding confirmed: control weighs it as an analyst's claim.",
               lambda: set_holding_status(store, k, ReviewStatus.CONFIRMED,
                                          author=author(), note=note))
    if b2.button("Reject holding", key="holding_reject"):
        write(PREFIX, "Holding rejected: control ignores it (kept here with review status "
               "'rejected').", lambda: set_holding_status(store, k, ReviewStatus.REJECTED,
                                                          author=author(), note=note))
    if b3.button("Save holding correction", key="holding_save"):
        form = HoldingCorrection(force=force, date_min=first, date_max=last, place=place,
                                 latitude=lat, longitude=lon)
        try:
            changes = holding_correction_changes(
                holding, form, allow=Allow(any_date=unusual, outside_theatre=unusual))
        except InputError as exc:
            st.error(f"Not saved: {markdown_literal(exc)}")
            return
        if not changes:
            st.info("Nothing to save: the form matches the holding.")
            return
        write(PREFIX, "Holding corrected: " + ", ".join(changes) + ".",
               lambda: store.review_holding(k, changes=changes, author=author(), note=note))
    if holding.review_status != ReviewStatus.MACHINE.value and \
            b4.button("Back to the reading", key="holding_reset"):
        write(PREFIX, "Holding back as the machine read it.",
               lambda: set_holding_status(store, k, ReviewStatus.MACHINE,
                                          author=author(), note=note))


def _audit(store: Store, reader: Store, holding: Holding) -> None:
    rows = reader.audit_trail(holding.holding_id)
    if not rows:
        st.caption("No decision yet.")
        return
    st.dataframe(audit_table(rows), hide_index=True)
    for change in audit_changes(rows):
        if st.button(change.label(), key=f"undo_holding_{change.change_id}"):
            write(PREFIX, f"Change {change.change_id} undone.",
                   lambda c=change.change_id: undo_change(store, c, author=author()))


def render(store: Store, reader: Store, url: str, disputed: set[str],
           flt: EventFilter, place: ReviewPlace | None = None) -> None:
    """The holdings section of the Events page; ``disputed``: the holding ids the review
    queue lists; ``flt``: the page's filter (dates, forces, review status, text), which
    selects holdings as it selects events. A linked holding is shown whatever the
    filter; a linked place (a control popup's review link) shows its holdings only,
    whatever the filter, the section open."""
    on_events_changed("events.holdings", get_holdings.clear)
    everything = get_holdings(url)
    holdings = filter_holdings(everything, flt) if place is None else \
        place_holdings(everything, place)
    linked = st.query_params.get("holding_id")
    chosen = st.session_state.get("holdings_selected")
    shown = {h.holding_id for h in holdings}
    holdings += [h for h in everything if h.holding_id in (linked, chosen)
                 and h.holding_id not in shown]
    holdings = holdings_to_review(holdings, disputed)
    if not holdings:
        if everything:
            st.caption(f"{len(everything):,} holding(s) stated in passing; none matches "
                       "the filters.")
        return
    n_open = sum(h.review_status == ReviewStatus.MACHINE.value and h.holding_id in disputed
                 for h in holdings)
    about = f" about {place.name}" if place is not None else ""
    title = (f"Holdings stated in passing{about} ({len(holdings)}"
             + (f"; {n_open} disputed to review" if n_open else "") + ")")
    opened = bool(st.query_params.get("holding_id")) or place is not None or \
        was_written(PREFIX)
    with st.expander(title, expanded=opened):
        flash = written_message(PREFIX)
        if flash:
            st.success(markdown_literal(flash))
        st.caption("Who held a town, as an article says in passing (\u201cfleeing Islamic "
                   "State-held Hit\u201d): weaker than any report. Confirmed or corrected, "
                   "control weighs it as yours; rejected, it is ignored. Disputed: it names "
                   "another holder than a better-supported claim.")
        st.dataframe(holdings_table(holdings, disputed), hide_index=True,
                     key="holdings_table")
        holding = _select(holdings, disputed, place)
        if holding is None:
            return
        left, right = st.columns([3, 2])
        with left:
            _form(store, holding)
        with right:
            _evidence(reader, holding)
            st.markdown("**Audit trail**")
            _audit(store, reader, holding)
