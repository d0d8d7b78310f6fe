"""Dashboard entry point: ``streamlit run app.py``.

Runs on every rerun before the chosen page: sets up offline map assets once per process,
declares the pages, and turns any ``GeoError`` a page raises into a message (analysts see
what was wrong, never a traceback).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.errors import GeoError
from geo.maps.assets import use_local_assets

HERE = Path(__file__).resolve().parent
PAGES_DIR = HERE / "pages"


@st.cache_resource(show_spinner=False)
def _offline_assets() -> bool:
    """Point folium at static/vendor once per process (idempotent anyway)."""
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
    try:
        _offline_assets()
        page.run()
    except GeoError as exc:
        st.error(str(exc))


main()
