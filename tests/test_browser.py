"""The dashboard in a real browser: Debian's Chromium driven by Playwright, fully offline.

Starts ``streamlit run app.py`` on 127.0.0.1 with a database built in code and checks, on
a 1366x768 laptop window, what an analyst sees: the map fills most of the window, the
time bar scrubs in the browser (dragging changes the map before the mouse is released),
the day where the analyst stops reaches the server ("Showing N", URL), a typed date
applies on Enter and one outside the data says so, stacked events cluster with a count
and spread out on click, a popup shows article text as text, Play animates, and no
request leaves this machine. An empty store shows the first-run guidance over a map
that still has the curated control timeline. Saves ``docs/screenshot-map.png``.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import HOSTILE_SENTENCE, PROJECT_DIR, MapDatabase, build_map_database
from tests.dashboard_server import start_dashboard, stop_dashboard
from tests.factories import make_article, make_event, make_evidence

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = PROJECT_DIR / "docs" / "screenshot-map.png"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: Control is worked out in a worker process; on a fresh clone it first builds the
#: locality mesh (~20 s alone, more on a loaded machine), cached in var/cache after.
CONTROL_WAIT_S = 240
LAPTOP = {"width": 1366, "height": 768}
#: Three strikes reported at one point (one town, one week): one cluster of 3.
STACKED = 3

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at "
                       "/usr/bin/chromium (apt-get install chromium); never `playwright install`"),
]

STATE_JS = "() => window.geoScrub ? window.geoScrub.state() : null"
READY_JS = "() => !!(window.geoScrub && window.geoScrub.state().ready)"

#: Container pixel of the first event at ``lat, lon`` after centring the map on it.
POINT_JS = """([lat, lon, zoom]) => {
  window.map.setView([lat, lon], zoom, {animate: false});
  const p = window.map.latLngToContainerPoint([lat, lon]);
  return {x: p.x, y: p.y};
}"""

#: The popup builder fed a sentence whose mentions are mostly bad (overlapping, out of
#: range, unknown kind, not integers, not lists): only the two good ones become spans.
BAD_MENTIONS_JS = """() => {
  const q = document.createElement("blockquote");
  GeoScrub.highlight(q, "ab<b>cd</b>ef", [
    ["place", 0, 2], ["place", 1, 3], ["actor", 4, 99], ["<x>", 3, 4], ["date", "3", "5"],
    ["date", 2.5, 3], "junk", null, ["date", 13, 12], ["date", 12, 13]]);
  return {text: q.textContent, elements: q.querySelectorAll("*").length,
          spans: Array.from(q.querySelectorAll("span"), s => s.className + ":" + s.textContent)};
}"""

#: Walk the day in steps of a day, a week, a month and jumps, in each window ("on the
#: day", "last N days", "everything up to"), and list every frame whose count differs from
#: the events whose date interval overlaps the window (the rule of the store's query).
#: Steps are drawn incrementally (events entering and leaving the window's edges).
WINDOW_WALK_JS = """() => {
  const g = window.geoScrub, ev = g.ev, saved = Object.assign({}, g.view), wrong = [];
  const start = GeoScrub.dayOf("2016-06-19");
  const moves = [1, 1, -1, 7, 7, -7, 30, -30, -400, 800, 1, -1, -1200, 3, 5, -2];
  [["last", 30], ["day", 1], ["last", 7], ["upto", 30], ["last", 365]].forEach(([win, n]) => {
    g.view.window = win; g.view.n = n; g.view.day = start;
    moves.forEach(m => {
      g.view.day += m; g.render();
      const to = g.view.day, from = win === "day" ? to : win === "last" ? to - n + 1 : -Infinity;
      let want = 0;
      for (let i = 0; i < ev.n; i++) { if (ev.lo[i] <= to && ev.hi[i] >= from) { want++; } }
      if (g.state().shown !== want) { wrong.push([win, n, GeoScrub.isoOf(to), g.state().shown, want]); }
    });
  });
  Object.assign(g.view, saved); g.render();
  return wrong;
}"""

#: The visible part of the map's iframe as a share of the window (above the fold).
VISIBLE_SHARE_JS = """() => {
  const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  const r = f.getBoundingClientRect(), w = window.innerWidth, h = window.innerHeight;
  const vis = Math.max(0, Math.min(r.right, w) - Math.max(r.left, 0))
            * Math.max(0, Math.min(r.bottom, h) - Math.max(r.top, 0));
  return vis / (w * h);
}"""


def _stacked_database(path: Path) -> MapDatabase:
    """The map database plus ``STACKED`` strikes at one point in January 2015."""
    db = build_map_database(path)
    from geo.store import open_store
    with open_store(db.url) as store:
        for day in (5, 7, 9):
            event = make_event(town="Raqqa", event_date=date(2015, 1, day),
                               event_type="Explosions/Remote violence",
                               sub_event_type="Air/drone strike", actor1_force="US",
                               actor2_force="IS", control_to="",
                               evidence=[make_evidence(sentence=f"Coalition jets struck "
                                                                f"Raqqa on January {day}.")])
            store.ingest(make_article(), [event])
    db.n_events += STACKED
    return db


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser: object, url: str, requests: list[str]) -> tuple[object, object]:
    page = browser.new_page(viewport=LAPTOP)  # type: ignore[attr-defined]
    page.on("request", lambda req: requests.append(req.url))
    page.goto(url + "/", wait_until="domcontentloaded")
    frame = page.wait_for_selector(MAP_IFRAME, timeout=60_000).content_frame()
    frame.wait_for_function(READY_JS, timeout=60_000)
    return page, frame


def _outside(requests: list[str]) -> list[str]:
    return sorted({u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                   and urlparse(u).hostname not in LOCAL_HOSTS})


def _showing(page: object) -> str:
    return page.get_by_text(re.compile(r"^Showing [\d,]+ event")).first.text_content() or ""  # type: ignore[attr-defined]


def test_map_first_scrubs_in_the_browser(browser: object, tmp_path: Path) -> None:
    db = _stacked_database(tmp_path / "events.sqlite")
    proc, url = start_dashboard(db.url, tmp_path / "streamlit.log")
    requests: list[str] = []
    dialogs: list[str] = []
    try:
        page, frame = _open(browser, url, requests)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        # Control is worked out in the background and joins the map when ready.
        frame.wait_for_function("() => window.geoScrub.state().places > 0",
                                timeout=CONTROL_WAIT_S * 1000)
        frame.wait_for_function(READY_JS, timeout=60_000)
        state = frame.evaluate(STATE_JS)
        assert state["shown"] == db.n_events and state["day"] == "2019-12-31"
        assert state["range"] == ["2013-01-01", "2019-12-31"]
        # Gazetteer towns and villages label the basemap (fetched beside the data).
        frame.wait_for_function("() => window.geoScrub.state().labels > 10000")
        page.get_by_text(f"Showing {db.n_events} events up to 2019-12-31").wait_for()

        # Layout: the map takes most of a laptop window above the fold; time bar, legend
        # and "N events, as of D" are on the map.
        share = page.evaluate(VISIBLE_SHARE_JS)
        assert share >= 0.60, f"map covers only {share:.0%} of the window above the fold"
        assert frame.locator(".geo-timebar .geo-tb-slider").is_visible()
        bar = frame.locator(".geo-timebar").bounding_box()        # all of it above the fold
        assert bar is not None and bar["y"] + bar["height"] <= LAPTOP["height"]
        assert frame.locator(".geo-legend").count() == 1
        assert (frame.locator(".geo-info-count").text_content()
                == f"{db.n_events} events, as of 2019-12-31")

        # Dragging the time control changes the map before the mouse is released.
        slider = frame.locator(".geo-tb-slider")
        box = slider.bounding_box()
        assert box is not None
        y = box["y"] + box["height"] / 2
        thumb = box["x"] + box["width"] - 6
        page.mouse.move(thumb, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=8)
        frame.wait_for_function("() => window.geoScrub.state().drawn_day < '2016-07-01'",
                                timeout=10_000)
        during = frame.evaluate(STATE_JS)
        assert during["shown"] < db.n_events           # the map changed, mouse still down
        assert "date" not in page.url                  # and the server was not asked
        page.mouse.up()
        frame.wait_for_function("() => { const s = window.geoScrub.state(); "
                                "return s.day === s.drawn_day; }")
        dragged = frame.evaluate(STATE_JS)
        # Where the analyst stops, the server follows: URL and "Showing" line.
        page.wait_for_function(f"() => location.search.includes('date={dragged['day']}')",
                               timeout=20_000)
        page.get_by_text(re.compile(rf"^Showing {dragged['shown']} events? up to "
                                    rf"{dragged['day']}")).wait_for(timeout=20_000)

        # A typed date applies on Enter; one outside the data says so; 1989 is refused.
        stamp = frame.locator(".geo-tb-date")
        stamp.fill("2016-06-19")
        stamp.press("Enter")
        frame.wait_for_function("() => window.geoScrub.state().drawn_day === '2016-06-19'")
        assert frame.evaluate(STATE_JS)["shown"] == STACKED + 4
        stamp.fill("2021-03-01")
        stamp.press("Enter")
        frame.wait_for_function("() => window.geoScrub.state().drawn_day === '2021-03-01'")
        assert "after the last event" in frame.evaluate(STATE_JS)["message"]
        stamp.fill("1989-12-31")
        stamp.press("Enter")
        assert "before 1990-01-01" in frame.evaluate(STATE_JS)["message"]
        assert frame.evaluate(STATE_JS)["day"] == "2021-03-01"
        # Keyboard steps on the slider stay in the browser too.
        stamp.fill("2016-06-19")
        stamp.press("Enter")
        slider.focus()
        page.keyboard.press("ArrowLeft")
        frame.wait_for_function("() => window.geoScrub.state().drawn_day === '2016-06-18'")
        # Whatever the window and the size of the step, the count is the events in it.
        assert frame.evaluate(WINDOW_WALK_JS) == []

        # Stacked events: one cluster with a count, spread out by a click.
        point = frame.evaluate(POINT_JS, [35.95, 39.01, 12])
        frame.wait_for_function("() => window.geoScrub.state().drawn.clusters >= 1")
        iframe_box = page.locator(MAP_IFRAME).bounding_box()
        page.mouse.click(iframe_box["x"] + point["x"], iframe_box["y"] + point["y"])
        frame.wait_for_function("() => window.geoScrub.spider !== null "
                                "&& window.geoScrub.hits.filter(h => h[3] === 'event')"
                                f".length >= {STACKED}")

        # A click on an event opens its popup: the sentence is text, the place highlighted.
        stamp.fill("2016-06-19")
        stamp.press("Enter")
        point = frame.evaluate(POINT_JS, [33.35, 43.78, 11])     # Fallujah
        page.mouse.click(iframe_box["x"] + point["x"], iframe_box["y"] + point["y"])
        sentence = frame.wait_for_selector(".geo-popup-sentence", timeout=10_000)
        assert sentence.text_content() == HOSTILE_SENTENCE
        assert frame.locator(".geo-popup img, .geo-popup script").count() == 0
        place = frame.locator(".geo-popup-sentence span.geo-m-place")
        assert place.count() == 1 and place.text_content() == "Fallujah"
        assert frame.evaluate(BAD_MENTIONS_JS) == {
            "text": "ab<b>cd</b>ef", "spans": ["geo-m-place:ab", "geo-m-date:f"],
            "elements": 2}

        # Play animates in the browser at 10 frames a second.
        frame.evaluate("() => { window.map.closePopup(); window.map.setView([35.0, 40.5], 6); }")
        frame.locator(".geo-tb-play").click()
        page.wait_for_timeout(1500)
        frame.locator(".geo-tb-play").click()
        played = frame.evaluate(STATE_JS)
        assert played["stats"]["playFrames"] >= 8 and not played["playing"]
        assert played["day"] > "2016-06-18"

        # The README's picture: mid-2016, control and events, a popup open.
        stamp.fill("2016-06-19")
        stamp.press("Enter")
        point = frame.evaluate(POINT_JS, [33.35, 43.78, 7])
        page.mouse.click(iframe_box["x"] + point["x"], iframe_box["y"] + point["y"])
        frame.wait_for_selector(".geo-popup-sentence", timeout=10_000)
        page.mouse.move(iframe_box["x"] + 5, iframe_box["y"] + iframe_box["height"] - 5)
        frame.wait_for_function("() => { const p = document.querySelector('.leaflet-popup'); "
                                "return p && getComputedStyle(p).opacity === '1'; }")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=False)

        # The popup's link opens the Events page at the event, with no 404 on the way.
        link = frame.locator(".geo-popup a").get_attribute("href") or ""
        assert link.endswith("/?event_id=" + (frame.locator(".geo-popup").get_attribute(
            "data-event-id") or "?"))
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
        page.goto(link, wait_until="domcontentloaded")
        page.get_by_text("Audit trail", exact=True).wait_for(timeout=30_000)
        assert "/events" in page.url and "event_id=" in page.url
        assert missing == [], missing
    finally:
        stop_dashboard(proc)
    assert not dialogs, f"article text ran as script: {dialogs}"
    assert _outside(requests) == [], f"requests left the machine: {_outside(requests)}"
    assert any("/app/static/vendor/leaflet/1.9.3/leaflet.js" in u for u in requests)
    sys.stdout.write(f"\nmap share above the fold {share:.0%}; {len(requests)} requests, "
                     "all local\n")


def test_empty_store_shows_first_run_guidance(browser: object, tmp_path: Path) -> None:
    proc, url = start_dashboard(f"sqlite:///{tmp_path / 'empty.sqlite'}",
                                tmp_path / "streamlit.log")
    requests: list[str] = []
    try:
        page, frame = _open(browser, url, requests)
        page.get_by_text("No events yet").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="Ingest the bundled sample articles").is_visible()
        assert page.get_by_text("Upload articles or import ACLED / UCDP").is_visible()
        # Not a blank map: the curated timeline's control is drawn over the whole span.
        frame.wait_for_function("() => window.geoScrub.state().places > 0",
                                timeout=CONTROL_WAIT_S * 1000)
        state = frame.evaluate(STATE_JS)
        assert state["events"] == 0
        assert state["range"] == ["2013-01-01", "2019-12-31"]
    finally:
        stop_dashboard(proc)
    assert _outside(requests) == []
