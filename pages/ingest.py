"""Ingest page: upload news articles, extract their events and store them.

Thin by design: reading, extraction and storing are ``geo.ingest.process_uploads`` (the
same rules as ``geo ingest`` on files). A bad upload (binary, empty, over the size
limit) gets its own message and the rest of the batch goes on. The last summary is kept
in session state: the Places page lists its unresolved and ambiguous place names.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import settings
from geo.commands.common import load_places_and_forces
from geo.ingest import BatchSummary, FileOutcome, process_uploads
from geo.store import Store, open_store

#: Session-state key of the last batch (read by the Places page too).
LAST_INGEST = "last_ingest"


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    """One store per database URL and process (it is thread-safe)."""
    return open_store(url)


def _outcome_rows(summary: BatchSummary) -> pd.DataFrame:
    rows = [{"file": o.path,
             "events found": len(o.extraction.events) if o.extraction else 0,
             "new": o.events_added, "merged": o.events_merged,
             "title": o.extraction.article.title if o.extraction else "",
             "warnings": "; ".join(o.warnings), "error": o.error}
            for o in summary.outcomes]
    return pd.DataFrame(rows, columns=["file", "events found", "new", "merged", "title",
                                       "warnings", "error"])


def _show(last: dict) -> None:
    """The summary of the last batch (plain text: file names and messages are data)."""
    summary: BatchSummary = last["summary"]
    st.subheader("Last batch")
    c1, c2, c3 = st.columns(3)
    c1.metric("Articles read", summary.articles)
    c2.metric("Events found", summary.events)
    c3.metric("Files failed", len(summary.errors))
    for outcome in summary.errors:
        st.error(f"{outcome.path}: {outcome.error}")
    if summary.ambiguous:
        st.warning("Ambiguous place names (check them on the Places page): "
                   + ", ".join(summary.ambiguous))
    if summary.unresolved:
        st.warning("Place names not in the gazetteer (add them on the Places page): "
                   + ", ".join(summary.unresolved))
    st.dataframe(_outcome_rows(summary), hide_index=True)
    with st.expander("Summary as text"):
        st.text("\n".join(summary.lines()))


def render() -> None:
    url = settings.database_url()
    st.title("Ingest articles")
    limit_mb = int(settings.get("max_article_bytes")) / 1e6
    files = st.file_uploader("News articles (.txt, .html)", type=["txt", "html", "htm"],
                             accept_multiple_files=True, key="ingest_files",
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
        st.cache_data.clear()            # the map and the events table show the new events
        st.session_state[LAST_INGEST] = {"summary": summary,
                                         "unresolved": summary.unresolved,
                                         "ambiguous": summary.ambiguous}
    last = st.session_state.get(LAST_INGEST)
    if last:
        _show(last)
    elif not files:
        st.info("Choose one or more article files, then press Extract and store.")


render()
