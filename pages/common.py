"""What several pages share: the cached store and session-state keys.

Why one module: each page used to define its own ``@st.cache_resource`` store getter, and
Streamlit keys that cache by function, so the same database was opened once per page
(up to four connections per process). Not a page itself: ``app.py`` declares the pages.
"""
from __future__ import annotations

import streamlit as st

from geo.store import Store, open_store

#: Query results are shared between sessions this long; pages that change data (ingest,
#: review, places) call ``st.cache_data.clear()`` so edits show at once.
CACHE_TTL_S = 60
#: Session-state key of the last article batch (written by Ingest, read by Places).
LAST_INGEST = "last_ingest"
#: Session-state key of the last dataset import's summary (an ``ImportSummary``).
LAST_IMPORT = "last_import"


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    """One store per database URL and process (it is thread-safe)."""
    return open_store(url)
