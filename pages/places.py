"""Places page: the place names extraction could not resolve (or found ambiguous), a
gazetteer look-up, and the analyst's own places.

A custom place is used by the next ingest (the gazetteer adds the store's places and
ranks them above open-data homonyms). Building and checking the place is
``geo.review.make_custom_place``; the store checks it again on the way in.
"""
from __future__ import annotations

import streamlit as st

from geo.core import settings
from geo.core.errors import InputError
from geo.core.validate import Allow, make_custom_place
from geo.display import markdown_literal
from geo.geocode.places import confirm, place_label, review_inputs
from geo.review import PLACE_TYPES, candidate_table
from geo.store import Store
from pages.common import (
    LAST_IMPORT,
    LAST_INGEST,
    author,
    author_box,
    get_pending_names,
    get_place_index,
    get_reader,
    get_review_items,
    get_store,
    places_changed,
)

#: Session-state key of the message shown after a write (it survives the rerun).
_FLASH = "places_flash"


def _problems(url: str) -> None:
    st.subheader("Names from the last ingest")
    waiting = get_pending_names(url)
    if waiting:
        unresolved = [n for n, e in waiting.items() if e.get("kind") == "unresolved"]
        ambiguous = [n for n, e in waiting.items() if e.get("kind") != "unresolved"]
        st.caption(f"{len(waiting)} name(s) from earlier ingests still wait for a decision "
                   "(kept in the store):")
        if unresolved:
            st.text("Not in the gazetteer: " + ", ".join(unresolved))
        if ambiguous:
            st.text("Ambiguous: " + ", ".join(ambiguous))
    last = st.session_state.get(LAST_INGEST)
    if not last:
        st.caption("No ingest in this session yet: names the extraction could not place "
                   "are listed here after one.")
        return
    if not last["unresolved"] and not last["ambiguous"]:
        st.caption("Every place name of the last ingest was resolved.")
    if last["unresolved"]:
        st.text("Not in the gazetteer: " + ", ".join(last["unresolved"]))
    if last["ambiguous"]:
        st.text("Ambiguous: " + ", ".join(last["ambiguous"]))


def _review(url: str) -> None:
    """Names whose place the geocoder is not sure of: confirm one of the candidates; the
    confirmation is stored and used by every later import, ingest and look-up.

    The look-ups are cached per set of names until the analyst's places change, and
    each name's widgets are keyed by the name: confirming one name removes it from the
    list (the page reruns) without another name's choice moving into its box."""
    st.subheader("Names to confirm")
    last_import = st.session_state.get(LAST_IMPORT)
    last_ingest = st.session_state.get(LAST_INGEST) or {}
    pasted = st.text_area("Names to check (one per line, e.g. from a strike log)",
                          key="places_review_names", height=80)
    pairs = review_inputs(getattr(last_import, "review_names", None),
                          [*last_ingest.get("ambiguous", ()), *last_ingest.get("unresolved", ()),
                           *get_pending_names(url)],
                          pasted)
    if not pairs:
        st.caption("Names held back by the last import or ingest, and names you paste "
                   "above, are listed here when their place needs a person's decision.")
        return
    items = get_review_items(url, tuple(pairs))
    if not items:
        st.success("Every name has a sure answer.")
    for item in items[:50]:
        lines = [str(x) for x in item.lines if x]
        st.markdown(f"**{markdown_literal(item.name)}**"
                    + (f" (file line {', '.join(lines[:10])})" if lines else ""))
        st.caption(markdown_literal(item.reason))
        choices = item.choices
        if not choices:
            continue
        pick = st.selectbox("Place", range(len(choices)),
                            key=f"places_review_pick_{item.name}",
                            format_func=lambda i, c=choices: place_label(c[i]))
        if st.button("Confirm", key=f"places_review_confirm_{item.name}"):
            try:
                confirm(get_store(url), item.name, choices[pick], author=author())
            except InputError as exc:
                st.error(f"Not confirmed: {markdown_literal(exc)}")
            else:
                places_changed()
                st.session_state[_FLASH] = (f"{item.name} = {place_label(choices[pick])}; "
                                            f"later imports and ingests use it.")
                st.rerun()
    confirmed = get_reader(url).confirmed_names()
    if confirmed:
        with st.expander(f"Confirmed names ({len(confirmed)})"):
            st.dataframe([{"name": name, "place": place_label(p)} for name, p in confirmed],
                         hide_index=True)


def _lookup(url: str) -> None:
    st.subheader("Look up a name")
    name = st.text_input("Place name", key="places_lookup")
    if name.strip():
        found = get_place_index(url).lookup(name.strip())
        if found:
            st.dataframe(candidate_table(found), hide_index=True)
        else:
            st.warning(f"No place in the gazetteer is called "
                       f"{markdown_literal(repr(name.strip()))}; "
                       "add it below if you know where it is.")


def _add(store: Store) -> None:
    st.subheader("Add a place")
    c1, c2, c3 = st.columns(3)
    name = c1.text_input("Name", key="places_name")
    lat = c2.text_input("Latitude", key="places_lat", placeholder="e.g. 36.34")
    lon = c3.text_input("Longitude", key="places_lon", placeholder="e.g. 43.13")
    c4, c5, c6 = st.columns(3)
    country = c4.text_input("Country (ISO code, e.g. IQ, SY)", key="places_country",
                            max_chars=2)
    admin1 = c5.text_input("Province / governorate (optional)", key="places_admin1")
    place_type = c6.selectbox("Place type", PLACE_TYPES, key="places_type")
    outside = st.checkbox("The place is outside the theatre, and that is meant",
                          key="places_outside")
    if st.button("Add place", key="places_add", type="primary"):
        try:
            place = make_custom_place(name, lat, lon, country, place_type, admin1,
                                      allow=Allow(outside_theatre=outside))
            store.add_custom_place(place)
        except InputError as exc:
            st.error(f"Not added: {markdown_literal(exc)}")
            return
        places_changed()
        st.success(markdown_literal(f"Added {place.name} ({place.latitude}, "
                                    f"{place.longitude}) as {place.place_id}; the next "
                                    f"ingest uses it."))


def render() -> None:
    url = settings.database_url()
    st.title("Places")
    author_box()
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(markdown_literal(flash))
    _problems(url)
    _review(url)
    _lookup(url)
    _add(get_store(url))
    st.subheader("Your places")
    custom = get_reader(url).custom_places()
    if custom:
        st.dataframe(candidate_table(custom).drop(columns=["rank"]), hide_index=True)
    else:
        st.caption("None yet.")


render()
