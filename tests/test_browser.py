"""The dashboard in a real browser: Debian's Chromium driven by Playwright, fully offline.

Starts ``streamlit run app.py`` on 127.0.0.1 with a database built in code, opens the Map
page and checks what Leaflet really draws, that the slider changes it as the data says,
that a popup shows article text as text with the place mention highlighted, and that
no request leaves this machine.
Saves ``docs/screenshot-map.png`` for the README.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import HOSTILE_SENTENCE, PROJECT_DIR, MapDatabase
from tests.dashboard_server import start_dashboard, stop_dashboard

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = PROJECT_DIR / "docs" / "screenshot-map.png"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SLIDER_INPUT = "[data-testid=stSlider] input[type=range]"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at "
                       "/usr/bin/chromium (apt-get install chromium); never `playwright install`"),
]

#: Leaflet layers on the map that are events (works for SVG and canvas renderers).
COUNT_EVENTS_JS = """() => {
  if (!window.map) { return -1; }
  let n = 0;
  window.map.eachLayer(l => { if (l.feature && l.feature.properties
                                  && l.feature.properties.event_id) { n += 1; } });
  return n;
}"""

#: Container pixel of the event at a location (for a real mouse click on the canvas).
EVENT_POINT_JS = """(location) => {
  let found = null;
  window.map.eachLayer(l => { if (l.feature && l.feature.properties
                                  && l.feature.properties.location === location) { found = l; } });
  if (!found) { return null; }
  const p = window.map.latLngToContainerPoint(found.getLatLng());
  const r = window.map.getContainer().getBoundingClientRect();
  return {x: r.left + p.x, y: r.top + p.y};
}"""


#: Computed weight and underline of a highlighted place (CSS from geo.maps.basemap).
PLACE_STYLE_JS = ("el => getComputedStyle(el).fontWeight + ' ' "
                  "+ getComputedStyle(el).textDecorationLine")

BAD_MENTIONS_SENTENCE = "ab<b>cd</b>ef"

#: The events layer's popup built for a made-up feature whose mentions are mostly bad
#: (overlapping, out of range, unknown kind, not integers, not lists): only the two good
#: ones become spans, the sentence stays whole text, and its markup stays text.
BAD_MENTIONS_JS = """() => {
  let ev = null;
  window.map.eachLayer(l => { if (!ev && l.feature && l.feature.properties
                                  && l.feature.properties.event_id) { ev = l; } });
  const group = Object.values(ev._eventParents || {})
    .find(g => g.options && g.options.onEachFeature);
  const props = Object.assign({}, ev.feature.properties, {sentence: "%s", mentions: [
    ["place", 0, 2], ["place", 1, 3], ["actor", 4, 99], ["<x>", 3, 4], ["date", "3", "5"],
    ["date", 2.5, 3], "junk", null, ["date", 13, 12], ["date", 12, 13]]});
  const layer = L.circleMarker([0, 0]);
  group.options.onEachFeature({type: "Feature", properties: props,
                               geometry: {type: "Point", coordinates: [0, 0]}}, layer);
  const q = layer.getPopup()._content(layer).querySelector(".geo-popup-sentence");
  return {text: q.textContent, elements: q.querySelectorAll("*").length,
          spans: Array.from(q.querySelectorAll("span"), s => s.className + ":" + s.textContent)};
}""" % BAD_MENTIONS_SENTENCE


@pytest.fixture
def dashboard(map_database: MapDatabase, tmp_path: Path) -> Iterator[tuple[str, MapDatabase]]:
    """A running dashboard on a free local port, stopped after the test."""
    proc, url = start_dashboard(map_database.url, tmp_path / "streamlit.log")
    try:
        yield url, map_database
    finally:
        stop_dashboard(proc)


def test_map_in_chromium(dashboard: tuple[str, MapDatabase]) -> None:
    from playwright.sync_api import sync_playwright

    url, db = dashboard
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.on("request", lambda req: requests.append(req.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

            started = time.monotonic()
            page.goto(url + "/", wait_until="domcontentloaded")
            iframe = page.wait_for_selector(MAP_IFRAME, timeout=60_000)
            frame = iframe.content_frame()
            assert frame is not None
            frame.wait_for_function(f"({COUNT_EVENTS_JS})() === {db.n_events}", timeout=60_000)
            first_map_s = time.monotonic() - started
            assert frame.evaluate("() => L.Icon.Default.imagePath") == (
                url + "/app/static/vendor/leaflet/1.9.3/images/")
            page.get_by_text(f"Showing {db.n_events} events").wait_for()

            # The default view is everything up to the last day; one day earlier the data
            # says n_before_last_day.
            slider = page.locator(SLIDER_INPUT).first
            slider.focus()
            pressed = time.monotonic()
            page.keyboard.press("ArrowLeft")
            frame.wait_for_function(f"({COUNT_EVENTS_JS})() === {db.n_before_last_day}",
                                    timeout=30_000)
            step_s = time.monotonic() - pressed
            page.get_by_text(f"Showing {db.n_before_last_day} events").wait_for()
            assert page.locator(MAP_IFRAME).count() == 1

            # A real click on the event opens its popup; the sentence is text, not markup.
            point = frame.evaluate(EVENT_POINT_JS, "Fallujah")
            assert point is not None
            iframe.scroll_into_view_if_needed()     # the time controls push the map down
            box = iframe.bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
            sentence = frame.wait_for_selector(".geo-popup-sentence", timeout=10_000)
            assert sentence.text_content() == HOSTILE_SENTENCE
            assert frame.locator(".geo-popup img, .geo-popup script").count() == 0
            # The place mention of the sentence is highlighted: a styled <span>, text only.
            place = frame.locator(".geo-popup-sentence span.geo-m-place")
            assert place.count() == 1 and place.text_content() == "Fallujah"
            assert place.evaluate(PLACE_STYLE_JS) == "700 underline"
            assert frame.evaluate(BAD_MENTIONS_JS) == {
                "text": BAD_MENTIONS_SENTENCE, "spans": ["geo-m-place:ab", "geo-m-date:f"],
                "elements": 2}
            assert "Fallujah" in (frame.locator(".geo-popup").text_content() or "")

            page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)   # drop the tooltip
            frame.wait_for_function("() => { const p = document.querySelector("
                                    "'.leaflet-popup'); return p && "
                                    "getComputedStyle(p).opacity === '1'; }")
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=False)
        finally:
            browser.close()

    assert not dialogs, f"article text ran as script: {dialogs}"
    outside = sorted({u for u in requests
                      if urlparse(u).scheme in ("http", "https", "ws", "wss")
                      and urlparse(u).hostname not in LOCAL_HOSTS})
    assert outside == [], f"requests left the machine: {outside}"
    assert any("/app/static/vendor/leaflet/1.9.3/leaflet.js" in u for u in requests)
    # Timings for the report (visible with pytest -s / -rP).
    sys.stdout.write(f"\nfirst map drawn after {first_map_s:.2f} s; slider step redrawn "
                     f"after {step_s:.2f} s; {len(requests)} requests, all local\n")
