"""The HTML export opened from a file in Chromium, offline: it is the dashboard's map.

Why a browser: the file is only useful if it draws with nothing but itself. This opens
it from disk, waits for the map plugin to be ready and checks that it shows the
snapshot's day, that no request left the file (data: URLs only), that nothing failed
in the page, and that the marking sits at the top and the bottom of the window with the
title block, north arrow, open legend and source list on screen.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geo.exports.snapshot import write_snapshot
from geo.exports.view import SnapshotView
from geo.store import open_store
from tests.export_store import LAST, build_export_store
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, READY_JS, STATE_JS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at "
                       "/usr/bin/chromium (apt-get install chromium); never `playwright install`"),
]
WINDOW = {"width": 1300, "height": 820}


def test_exported_html_draws_offline_with_its_furniture(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url = build_export_store(tmp_path / "events.sqlite")
    out = tmp_path / "brief.html"
    view = SnapshotView(day=LAST, window="days:30", bbox=(41.5, 35.0, 44.5, 37.0),
                        marking="UNCLASSIFIED", title="Offline briefing")
    with open_store(url) as store:
        write_snapshot(view, out, store)
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=WINDOW)
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(out.as_uri())
            page.wait_for_function(READY_JS, timeout=60_000)
            state = page.evaluate(STATE_JS)
            boxes = page.evaluate("""() => Object.fromEntries(
                ['geo-marking-top', 'geo-marking-bottom', 'geo-title-block', 'geo-sources']
                .map(id => { const r = document.getElementById(id).getBoundingClientRect();
                             return [id, [r.top, r.bottom]]; }))""")
            legend_open = page.evaluate(
                "() => !!document.querySelector('details.geo-legend[open]')")
            north = page.evaluate("() => !!document.querySelector('.geo-north')")
        finally:
            browser.close()
    assert not problems, problems
    assert all(u.startswith(("file:", "data:")) for u in requests), \
        [u for u in requests if not u.startswith(("file:", "data:"))]
    assert state["day"] == LAST.isoformat()
    assert boxes["geo-marking-top"][0] == 0
    assert boxes["geo-marking-bottom"][1] == WINDOW["height"]
    assert boxes["geo-title-block"][0] >= boxes["geo-marking-top"][1]
    assert legend_open and north


def test_exported_html_popups_name_events_and_say_loose_dates(tmp_path: Path) -> None:
    """The popups of a file opened from a disk: an event's "Event and article" link went
    to the dashboard (``/?event_id=``), which a file does not have (the browser opened
    file:///?event_id=...): offline the popup names the event by its id, as text, and
    links nothing but an article's own web address. A town retaken "in May" (told by the
    month) says so in its control popup, as ``geo control --place`` does, not the bare
    last day of May the rules weigh it from."""
    from playwright.sync_api import sync_playwright

    from geo.core.records import TimePrecision
    from tests.factories import make_article, make_event

    url = build_export_store(tmp_path / "events.sqlite")
    retook = make_event(town="Qayyarah", event_date=date(2016, 5, 31),
                        date_min=date(2016, 5, 1), date_max=date(2016, 5, 31),
                        time_precision=TimePrecision.MONTH, control_to="ISF")
    with open_store(url) as store:
        store.ingest(make_article(text="Iraqi forces retook Qayyarah in May.",
                                  title="Qayyarah retaken", published=LAST), [retook])
        out = tmp_path / "brief.html"
        write_snapshot(SnapshotView(day=LAST, window="days:30", bbox=(41.5, 35.0, 44.5, 37.0),
                                    curated=False), out, store)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=WINDOW)
            page.goto(out.as_uri())
            page.wait_for_function(READY_JS, timeout=60_000)
            page.wait_for_function("() => window.geoScrub.state().places > 0", timeout=60_000)
            popups = page.evaluate("""() => window.geoScrub.loadDetails().then(details =>
                details.map(d => { const p = window.geoScrub.eventPopup(d);
                  return {id: d[0], text: p.textContent,
                          hrefs: Array.from(p.querySelectorAll('a'), a => a.href)}; }))""")
            place = page.evaluate("""() => { const g = window.geoScrub;
                const i = g.ctl.s.places.findIndex(p => p.name === 'Qayyarah');
                return i < 0 ? null : g.placePopup(i).textContent; }""")
        finally:
            browser.close()
    assert popups and all(not p["hrefs"] for p in popups), popups   # no web URL here
    assert all(f"Event: {p['id']}" in p["text"] for p in popups), popups
    assert place is not None and "since May 2016" in place and "Holder since May 2016" in place
    assert "2016-05-31" not in place
