"""Dashboard entry point: ``streamlit run app.py``.

Runs on every rerun before the chosen page: sets up offline map assets once per process,
declares the pages, and turns any error a page raises into a message (analysts see what
was wrong, never a traceback): a ``GeoError`` as its own words, anything else as its type
and cause, with the traceback in the server log.
"""
from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import streamlit as st

from geo.core.errors import GeoError
from geo.core.startup import settled
from geo.display import markdown_literal

log = logging.getLogger("geo.app")
HERE = Path(__file__).resolve().parent
PAGES_DIR = HERE / "pages"
#: Start of the message for an error no page expected (tests look for it).
UNEXPECTED = "Unexpected error"


@st.cache_resource(show_spinner=False)
def _first_run() -> list[bool]:
    """Once per process: ``[True]`` until the first page run takes it (see ``main``)."""
    return [True]


@st.cache_resource(show_spinner=False)
def _offline_assets() -> bool:
    """Point folium at static/vendor once per process (idempotent anyway)."""
    from geo.maps.assets import use_local_assets  # folium: not for the worker (below)

    use_local_assets()
    return True


def main() -> None:
    # No page_icon: a :material/...: favicon is fetched from fonts.gstatic.com (offline!).
    st.set_page_config(page_title="Conflict events", layout="wide")
    page = st.navigation([
        st.Page(PAGES_DIR / "map.py", title="Map", default=True),
        st.Page(PAGES_DIR / "events.py", title="Events"),
        st.Page(PAGES_DIR / "ingest.py", title="Ingest"),
        st.Page(PAGES_DIR / "places.py", title="Places"),
    ])
    first = _first_run()
    start: AbstractContextManager[None] = nullcontext()
    if first and first.pop():
        # The process's first page imports most of the code the server will ever hold:
        # run it without the cyclic collector, then freeze what it kept (one session
        # takes it: ``pop`` is atomic).
        start = settled()
    try:
        with start:
            _offline_assets()
            page.run()
    except GeoError as exc:
        st.error(markdown_literal(exc))
    except Exception as exc:
        # st.rerun/st.stop are BaseExceptions and pass through. The cause is shown and the
        # traceback goes to the server log for whoever maintains the tool.
        log.exception("page %r failed", page.title)
        st.error(f"{UNEXPECTED}: {markdown_literal(f'{type(exc).__name__}: {exc}')} "
                 f"(details in the server log)")


# Streamlit runs this file as ``__main__``. The dashboard's worker process (spawned, see
# ``pages.common``) runs it again as ``__mp_main__``, as ``multiprocessing`` does with a
# main module: there it must only define things, not draw a page (which cost the worker
# folium's import and a page run while the first map was loading).
if __name__ == "__main__":
    main()
