"""Ingest page: upload news articles, extract their events and store them; or import a
dataset file (ACLED CSV, UCDP GED CSV, a GeoPackage/GeoJSON from ``geo export``).

Thin by design: reading, extraction and storing are ``geo.ingest.process_uploads`` (the
same rules as ``geo ingest`` on files). A bad upload (binary, empty, over the size
limit) gets its own message and the rest of the batch goes on. The last summary is kept
in session state: the Places page lists its unresolved and ambiguous place names. Dataset imports are
``geo.imports.run.import_upload`` (the rules of ``python -m geo import``): a file that is
not what it claims is refused whole with the importer's message, bad rows are listed by
line and field, and actor names no force stands for are listed to be mapped.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from geo.core import settings
from geo.core.errors import GeoError
from geo.core.forces import default_forces
from geo.core.validate import Allow
from geo.display import markdown_literal
from geo.imports.run import UPLOADS, ImportSummary, import_upload
from geo.ingest import (
    OUTCOME_COLUMNS,
    BatchSummary,
    FileOutcome,
    load_places_and_forces,
    process_uploads,
)
from pages.common import (
    LAST_IMPORT,
    LAST_INGEST,
    author,
    author_box,
    events_changed,
    get_store,
)


def _show(last: dict) -> None:
    """The summary of the last batch (file names, messages and place names are data:
    escaped in markdown elements, plain text elsewhere)."""
    summary: BatchSummary = last["summary"]
    st.subheader("Last batch")
    c1, c2, c3 = st.columns(3)
    c1.metric("Articles read", summary.articles)
    c2.metric("Events found", summary.events)
    c3.metric("Files failed", len(summary.errors))
    for outcome in summary.errors:
        st.error(markdown_literal(outcome.error))    # the message names the file
    if summary.ambiguous:
        st.warning("Ambiguous place names (check them on the Places page): "
                   + markdown_literal(", ".join(summary.ambiguous)))
    if summary.unresolved:
        st.warning("Place names not in the gazetteer (add them on the Places page): "
                   + markdown_literal(", ".join(summary.unresolved)))
    st.dataframe(pd.DataFrame(summary.outcome_rows(), columns=list(OUTCOME_COLUMNS)),
                 hide_index=True)
    _event_links(summary)
    with st.expander("Summary as text"):
        st.text("\n".join(summary.lines()))


#: Most links listed under a batch (a big batch links the first ones and says so).
MAX_EVENT_LINKS = 60


def _event_links(summary: BatchSummary) -> None:
    """Links to the Events page for each event the batch stored (or merged into)."""
    rows = [(o.path, event_id) for o in summary.outcomes for event_id in o.event_ids]
    if not rows:
        return
    with st.expander(f"Events stored from this batch ({len(rows)})", expanded=len(rows) <= 12):
        for path, event_id in rows[:MAX_EVENT_LINKS]:
            st.page_link("pages/events.py", label=f"{path}: event {event_id}",
                         query_params={"event_id": event_id})
        if len(rows) > MAX_EVENT_LINKS:
            st.caption(f"{len(rows) - MAX_EVENT_LINKS} more: see the Events page.")


def _show_import(summary: ImportSummary) -> None:
    """The summary of the last dataset import (plain text and tables: names are data)."""
    st.subheader("Last import")
    st.text(f"File: {summary.source}")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Rows read", summary.rows_read)
    c2.metric("Imported", summary.imported)
    c3.metric("Duplicates of stored events", len(summary.duplicates))
    c4.metric("Problems", len(summary.problems))
    if summary.problems:
        st.warning("Rows not imported or remarks about the file, by line and field (fix "
                   "the file and import it again; rows already stored are skipped):")
        st.dataframe(pd.DataFrame(summary.problem_rows(), columns=["line", "field",
                                                                   "problem"]),
                     hide_index=True)
    if summary.unmapped_actors:
        st.warning(f"{len(summary.unmapped_actors)} actor name(s) match no force: the "
                   f"events were stored with the names as written and no force. Add each "
                   f"name as an alias of its force in data/forces.csv, then import the file "
                   f"again to map them.")
        st.dataframe(pd.DataFrame(summary.unmapped_rows(), columns=["actor name", "rows"]),
                     hide_index=True)
    if summary.duplicates:
        with st.expander(f"{len(summary.duplicates)} duplicate(s) of stored events"):
            st.dataframe(pd.DataFrame(summary.duplicates,
                                      columns=["line", "incoming id", "stored as"]),
                         hide_index=True)
    with st.expander("Import summary as text"):
        st.text("\n".join(summary.lines()))


def _import_section(url: str) -> None:
    """Upload a dataset file, import it with a progress bar, show what happened."""
    st.header("Import ACLED / UCDP / GIS file")
    dataset = st.radio("Dataset", list(UPLOADS), key="import_dataset", horizontal=True,
                       format_func=lambda d: UPLOADS[d][0])
    upload = st.file_uploader("Dataset file (.csv, .gpkg, .geojson)",
                              type=["csv", "gpkg", "geojson"], key="import_file",
                              help="ACLED and UCDP GED: their CSV exports (UTF-8). GIS: a "
                                   "GeoPackage or GeoJSON written by this tool's export.")
    c1, c2 = st.columns(2)
    any_date = c1.checkbox("Rows dated before 1990 or in the future are meant",
                           key="import_any_date")
    outside = c2.checkbox("Rows outside the theatre are meant", key="import_outside")
    if st.button("Import", key="import_run", type="primary", disabled=upload is None) \
            and upload is not None:
        bar = st.progress(0.0, text=f"Reading {upload.name}…")

        def on_progress(done: int, total: int) -> None:
            bar.progress(min(done / total, 1.0) if total else 1.0,
                         text=f"Checking for duplicates and storing: {done:,}/{total:,} "
                              f"events")

        try:
            summary = import_upload(dataset, upload.name, upload.getvalue(), get_store(url),
                                    default_forces(), on_progress=on_progress,
                                    allow=Allow(any_date=any_date, outside_theatre=outside),
                                    author=author())
        except GeoError as exc:          # a refused file: nothing was written
            bar.empty()
            st.session_state.pop(LAST_IMPORT, None)
            st.error("Not imported: " + markdown_literal(exc))
        else:
            bar.progress(1.0, text=f"Done: {summary.imported:,} event(s) imported")
            events_changed()             # the map and the events table show them at once
            st.session_state[LAST_IMPORT] = summary
    last = st.session_state.get(LAST_IMPORT)
    if last:
        _show_import(last)


def render() -> None:
    url = settings.database_url()
    st.title("Ingest articles")
    author_box()
    limit_mb = int(settings.get("max_article_bytes")) / 1e6
    # The uploader states the real limit (Streamlit's own default says 200 MB).
    files = st.file_uploader("News articles (.txt, .html)", type=["txt", "html", "htm"],
                             accept_multiple_files=True, key="ingest_files",
                             max_upload_size=max(1, math.ceil(limit_mb)),
                             help=f"Each file at most {limit_mb:.1f} MB "
                                  "(setting max_article_bytes).")
    published = st.date_input("Publication date (optional: wins over dates found in the "
                              "text)", value=None, key="ingest_date", format="YYYY-MM-DD")
    if st.button("Extract and store", key="ingest_run", type="primary", disabled=not files):
        store = get_store(url)
        places, forces = load_places_and_forces(store)
        bar = st.progress(0.0, text="Starting…")

        def on_file(i: int, n: int, outcome: FileOutcome) -> None:
            state = "failed" if outcome.error else "done"
            bar.progress(i / n, text=f"{i}/{n}: {outcome.path} {state}")

        summary = process_uploads([(f.name, f.getvalue()) for f in files or []], places,
                                  forces, store=store, published=published, on_file=on_file)
        events_changed()                 # the map and the events table show the new events
        st.session_state[LAST_INGEST] = {"summary": summary,
                                         "unresolved": summary.unresolved,
                                         "ambiguous": summary.ambiguous}
    last = st.session_state.get(LAST_INGEST)
    if last:
        _show(last)
    elif not files:
        st.info("Choose one or more article files, then press Extract and store.")
    st.divider()
    _import_section(url)


render()
