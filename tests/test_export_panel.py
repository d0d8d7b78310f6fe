"""The Map page's export panel through AppTest: the export frames what is on screen.

Why: the briefing officer's complaint was that the export ignored the view and drew the
whole theatre unless a box was typed in degrees. Here the map plugin reports a zoomed-in
view (as streamlit-folium's on_change does), the analyst presses "Prepare PNG", and the
picture's map must cover exactly those bounds (grown on one axis only, to fill the
page); "Whole theatre" must cover the theatre.
"""
from __future__ import annotations

import io
import math

from PIL import Image
from streamlit.testing.v1 import AppTest

from geo.core import theatre
from tests.conftest import PROJECT_DIR, MapDatabase, run_app

APP = str(PROJECT_DIR / "app.py")
#: Around Fallujah and Ramadi, as Leaflet reports bounds: ((south, west), (north, east)).
SCREEN = ((33.10, 43.20), (33.60, 44.00))


def _covers(extent: tuple[float, float, float, float],
            bbox: tuple[float, float, float, float]) -> bool:
    eps = 1e-9
    return (extent[0] <= bbox[0] + eps and extent[1] <= bbox[1] + eps
            and extent[2] >= bbox[2] - eps and extent[3] >= bbox[3] - eps)


def _opened(at: AppTest) -> AppTest:
    """The Map page with its export panel opened (drawn only while open)."""
    at.session_state["map_export_open"] = True
    return run_app(at)


def test_the_panel_is_drawn_only_when_opened(app_env: MapDatabase) -> None:
    """Closed (the first map), the page runs none of the export code; opened, the panel
    is there."""
    at = run_app(AppTest.from_file(APP, default_timeout=120))
    [panel] = [e for e in at.expander if e.label == "Export for briefing"]
    assert not panel.children
    assert "export_frame" not in at.session_state
    _opened(at)
    assert at.radio(key="export_frame").value == "screen"


def test_png_from_a_zoomed_in_map_covers_the_screen_bounds(app_env: MapDatabase) -> None:
    at = _opened(AppTest.from_file(APP, default_timeout=120))
    (south, west), (north, east) = SCREEN
    at.session_state["map"] = {"seq": 1, "day": app_env.last.isoformat(), "window": "upto",
                               "n": 30, "zoom": 10, "center": [33.35, 43.6],
                               "bounds": [[south, west], [north, east]]}
    run_app(at)
    assert at.radio(key="export_frame").value == "screen"
    assert any("as on screen: 33.10..33.60°N, 43.20..44.00°E, zoom 10" in c.value
               for c in at.caption)
    at.button(key="export_make_png").click()
    run_app(at)
    assert not at.error, [e.value for e in at.error]
    prepared = at.session_state["export_prepared"]
    w, s, e, n = prepared.extent
    assert _covers(prepared.extent, (west, south, east, north))
    # Grown on one axis only: the other is the screen's own.
    assert math.isclose(e - w, east - west, rel_tol=1e-6) or \
        math.isclose(n - s, north - south, rel_tol=1e-6)
    assert (w + e) / 2 == (west + east) / 2 and (s + n) / 2 == (south + north) / 2
    assert Image.open(io.BytesIO(prepared.payload)).size == (1600, 1000)
    assert prepared.file_name == f"snapshot-{app_env.last}.png"

    at.radio(key="export_frame").set_value("theatre")
    run_app(at)
    at.button(key="export_make_png").click()
    run_app(at)
    assert _covers(at.session_state["export_prepared"].extent, theatre.current().bbox)


def test_the_series_says_which_size_it_is_drawn_at(app_env: MapDatabase) -> None:
    """Typed width and height shape PDF pages and PNGs; GIF, MP4 and PowerPoint keep
    sizes of their own, and the panel says so instead of ignoring the fields silently."""
    at = _opened(AppTest.from_file(APP, default_timeout=120))
    at.number_input(key="export_w").set_value(2000)
    run_app(at)
    captions = [c.value for c in at.caption]
    assert "Frames are 1200×750 px at 100 DPI" in " ".join(captions)       # GIF, the first
    assert any("do not apply" in c for c in captions)
    at.selectbox(key="export_fmt").set_value("mp4")
    run_app(at)
    assert any(c.startswith("Frames are 1280×720 px at 100 DPI (720p") for c in
               (c.value for c in at.caption))
    at.selectbox(key="export_fmt").set_value("zip")
    run_app(at)
    [note] = [c.value for c in at.caption if c.value.startswith("Frames are")]
    assert note == "Frames are 2000×1000 px at 150 DPI (the width, height and DPI above)."
