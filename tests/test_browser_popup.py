"""A town's control popup on the Map page in a real browser (Debian's Chromium via
Playwright, offline), as an analyst uses it: scrub to a day, click the town, read who
holds it, since when, on which basis and sources, the last changes of hands up to that
day, and follow "Review this holding" to the Events page with the town chosen on that
day (the claim that disputes its holder then, not the latest one, and the holding it
disputes; all the town's claims and its holdings stated in passing below); and, before
the first capture known, read an inferred holder as inferred, with no invented since.

Why a browser: the popup is built by the scrub plugin (``geo-scrub.js``) from the
control document's change points; only a browser runs it. The expected history is the
control series' own (``ControlSeries.histories``), so the test pins the plugin's replay
to the rules' answer, not to a copy of the curated timeline.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo.control.history import build_series, disputes_to_review
from geo.control.sources import control_events
from geo.core.forces import default_forces
from geo.core.links import place_review_link
from geo.core.records import Holding
from geo.exports.snapshot import write_snapshot
from geo.exports.view import SnapshotView
from geo.store import open_store
from tests.conftest import build_map_database
from tests.dashboard_server import start_dashboard, stop_dashboard
from tests.factories import TOWN_BY_NAME, make_article, make_event, make_evidence
from tests.test_browser import CHROMIUM, CONTROL_WAIT_S, LAPTOP, MAP_IFRAME
from tests.test_browser import browser as browser  # the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at "
                       "/usr/bin/chromium (apt-get install chromium); never `playwright install`"),
]

#: The day scrubbed to: ten days after a lone report that IS retook Fallujah, which the
#: curated record (ISF since 26 June 2016) outweighs: the town is disputed, not repainted.
DAY = "2016-09-10"
DISPUTING = "ev-fallujah-is-retook"
#: A later lone report against the same record: the latest disputing report, not the one
#: disputing the holding on DAY (the review link carries the day: that one opens).
LATER = "ev-fallujah-is-retook-again"
#: Before the curated capture of 4 January 2014: the ISF held Fallujah only as the force
#: IS took it from (rule 7), inferred, with no since of its own.
EARLY_DAY = "2013-06-01"
POINT_JS = """([lat, lon, zoom]) => {
  window.map.setView([lat, lon], zoom, {animate: false});
  const p = window.map.latLngToContainerPoint([lat, lon]);
  return {x: p.x, y: p.y};
}"""
ROWS_JS = """(popup) => Array.from(popup.querySelectorAll('ol.geo-history li'),
  li => ({day: li.getAttribute('data-day'), text: li.textContent}))"""


def _disputed_fallujah(path: Path) -> tuple[str, str, list[Any]]:
    """The map database plus a lone machine report that IS retook Fallujah on
    2016-09-01 and an article stating in passing that IS held it on 2016-07-01 (both
    against the curated record): the store's URL, the holding's id and the store's
    control evidence."""
    db = build_map_database(path)
    town = TOWN_BY_NAME["Fallujah"]
    retook = make_event(event_id=DISPUTING, event_date=date(2016, 9, 1), actor1_force="IS",
                        actor2_force="ISF", control_to="IS",
                        sub_event_type="Non-state actor overtakes territory",
                        evidence=[make_evidence(sentence="Islamic State fighters retook "
                                                "Fallujah on Thursday.")])
    again = make_event(event_id=LATER, event_date=date(2017, 3, 1), actor1_force="IS",
                       actor2_force="ISF", control_to="IS",
                       sub_event_type="Non-state actor overtakes territory",
                       evidence=[make_evidence(sentence="Islamic State fighters stormed "
                                               "Fallujah again on Wednesday.")])
    sentence = "Families fleeing Islamic State-held Fallujah reached the camps."
    with open_store(db.url) as store:
        store.ingest(make_article(), [retook])
        store.ingest(make_article(text="Islamic State fighters stormed Fallujah again on "
                                  "Wednesday."), [again])
        store.ingest(make_article(text=sentence), [], [Holding(
            town.place_id, town.name, town.latitude, town.longitude, "IS",
            date(2016, 7, 1), date(2016, 7, 1), sentence, country=town.country,
            construction="held-compound", source="Test Wire")])
        [held] = store.query_holdings()
        captures = control_events(None, store, curated=False)
    return db.url, held.holding_id, captures


def _changes_of_hands(captures: list[Any], key: str, day: date) -> list[tuple[str, str]]:
    """(change point, holder or status) of each change of hands of the place up to
    ``day``, from the control series itself: what the popup's history must list."""
    series = build_series(captures)
    rows: list[tuple[str, str]] = []
    last = None
    for start, snap in series.histories[key].segments:
        if start > day or snap is None:
            continue
        who = (snap.status, snap.force, snap.last_force)
        if who != last:
            rows.append((start.isoformat(), snap.force or snap.status))
            last = who
    return rows


def test_popup_history_and_review_link(browser: Any, tmp_path: Path) -> None:
    url_db, holding_id, captures = _disputed_fallujah(tmp_path / "events.sqlite")
    proc, url = start_dashboard(url_db, tmp_path / "streamlit.log")
    forces = default_forces()
    problems: list[str] = []
    try:
        page = browser.new_page(viewport=LAPTOP)
        page.on("pageerror", lambda e: problems.append(str(e)))
        # the day's events only: none at Fallujah on the day scrubbed to, so a click
        # there is on the town, not on a report
        page.goto(f"{url}/?date=2016-07-31&window=day", wait_until="domcontentloaded")
        frame = page.wait_for_selector(MAP_IFRAME, timeout=60_000).content_frame()
        frame.wait_for_function("() => !!(window.geoScrub && window.geoScrub.state().ready"
                                " && window.geoScrub.state().places > 0"
                                " && window.geoScrub.controlDrawn())",
                                timeout=CONTROL_WAIT_S * 1000)
        # Before IS's capture the ISF's hold is inferred: the popup says "before" that
        # capture and why, never the start of the record as though a report dated it.
        stamp = frame.locator(".geo-tb-date")
        stamp.fill(EARLY_DAY)
        stamp.press("Enter")
        frame.wait_for_function(f"() => window.geoScrub.state().drawn_day === "
                                f"'{EARLY_DAY}'", timeout=10_000)
        early = frame.evaluate("""() => { const g = window.geoScrub;
            const i = g.ctl.s.places.findIndex(p => p.name === 'Fallujah');
            const p = g.placePopup(i);
            return {text: p.textContent, rows: Array.from(
                p.querySelectorAll('ol.geo-history li'), li => li.textContent)}; }""")
        isf, is_ = forces.display("ISF"), forces.display("IS")
        inferred = (f"before 2014-01-04 (inferred: {is_} took it from {isf} on 2014-01-04; "
                    f"no report of {isf} taking it)")
        assert f"Fallujah: held by {isf} {inferred}" in early["text"], early
        assert early["rows"] == [f"before 2014-01-04 held by {isf} ({inferred.split(' (')[1]}"
                                 ], early
        assert "2011-01-01" not in early["text"] and "since" not in early["text"], early
        # Scrub in the browser: type the day in the time bar.
        stamp.fill(DAY)
        stamp.press("Enter")
        frame.wait_for_function(f"() => window.geoScrub.state().drawn_day === '{DAY}'",
                                timeout=10_000)
        place = frame.evaluate("""() => { const g = window.geoScrub;
            const i = g.ctl.s.places.findIndex(p => p.name === 'Fallujah');
            return Object.assign({index: i}, g.ctl.s.places[i]); }""")
        assert place["review"] + DAY == place_review_link(place["key"], date.fromisoformat(DAY))
        point = frame.evaluate(POINT_JS, [place["lat"], place["lon"], 10])
        frame.wait_for_function(f"() => window.geoScrub.placeHits.some(h => h[4] === "
                                f"{place['index']})")
        box = page.locator(MAP_IFRAME).bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        popup = frame.locator(".geo-control-popup").first
        popup.wait_for(timeout=10_000)
        assert popup.get_attribute("data-place-key") == place["key"]
        text = popup.text_content() or ""
        # who holds it and since when, on which basis and sources, who disputes it
        assert f"held by {isf} since 2016-06-26" in text, text
        assert "Basis: curated" in text, text
        assert "Sources: curated: " in text and "Fallujah" in text.split("Sources:")[1], text
        assert f"Disputed by reports: {DISPUTING}" in text, text
        # the last changes of hands up to the day, oldest first, as the series has them
        rows = popup.evaluate(ROWS_JS)
        want = _changes_of_hands(captures, place["key"], date.fromisoformat(DAY))[-5:]
        assert [r["day"] for r in rows] == [d for d, _ in want], (rows, want)
        assert rows[-1]["text"] == f"2016-06-26 held by {isf} (curated)", rows
        assert any(r["text"] == f"2014-01-04 held by {forces.display('IS')} (curated)"
                   for r in rows), rows
        assert all(r["day"] <= DAY for r in rows), rows      # never the map's future
        # the review link opens the Events page with the town chosen
        link = popup.locator("a.geo-popup-review")
        assert link.text_content() == "Review this holding"
        with page.context.expect_page(timeout=30_000) as opened:
            link.click()
        events = opened.value
        events.get_by_text("Control of Fallujah to review").wait_for(
            timeout=CONTROL_WAIT_S * 1000)
        assert "/events" in events.url and "review_place=" in events.url, events.url
        assert f"review_date={DAY}" in events.url, events.url
        # the claims disputing the holding on the day scrubbed to, first, with the
        # holding they dispute ...
        events.get_by_text(f"Claims about Fallujah disputing its holder on {DAY} (1)") \
            .wait_for(timeout=60_000)
        events.get_by_text(f"On {DAY} the map shows Fallujah held by {isf} (curated)") \
            .wait_for(timeout=60_000)
        # ... then every claim about the town (the reports that disputed a holder at any
        # time, the holding naming another holder) ...
        queue = [r for r in disputes_to_review(build_series(captures))
                 if r["place_key"] == place["key"]]
        assert {DISPUTING, LATER, holding_id} <= {r["event_id"] for r in queue}
        events.get_by_text(f"Disputed control claims about Fallujah to review "
                           f"({len(queue)})").wait_for(timeout=60_000)
        # ... and the day's disputing report chosen (not the latest, LATER), its
        # evidence beside the form to confirm or reject it
        events.get_by_text("Islamic State fighters retook Fallujah on Thursday.").first \
            .wait_for(timeout=60_000)
        assert events.get_by_text("Islamic State fighters stormed Fallujah again").count() \
            == 0
        # ... and the holdings section shows the town's holding, chosen
        events.get_by_text("Holdings stated in passing about Fallujah (1; 1 disputed to "
                           "review)").wait_for(timeout=60_000)
        events.locator("pre", has_text="Families fleeing Islamic State-held Fallujah").first \
            .wait_for(timeout=30_000)
        events.get_by_role("button", name="Confirm holding").wait_for(timeout=30_000)
    finally:
        stop_dashboard(proc)
    assert not problems, problems


def test_offline_popup_names_the_place_to_review(browser: Any, tmp_path: Path) -> None:
    """An HTML export has no dashboard behind it: the disputed town's popup names the
    town and the disputing report as text and links nothing."""
    url_db, _holding, _captures = _disputed_fallujah(tmp_path / "events.sqlite")
    out = tmp_path / "brief.html"
    with open_store(url_db) as store:
        write_snapshot(SnapshotView(day=date.fromisoformat(DAY), window="days:30",
                                    bbox=(42.5, 32.5, 44.5, 34.5)), out, store)
    page = browser.new_page(viewport=LAPTOP)
    page.goto(out.as_uri())
    page.wait_for_function("() => !!(window.geoScrub && window.geoScrub.state().ready"
                           " && window.geoScrub.state().places > 0)", timeout=60_000)
    popup = page.evaluate("""() => { const g = window.geoScrub;
        const i = g.ctl.s.places.findIndex(p => p.name === 'Fallujah');
        const p = g.placePopup(i);
        return {text: p.textContent, links: p.querySelectorAll('a').length,
                rows: p.querySelectorAll('ol.geo-history li').length}; }""")
    assert popup["links"] == 0, popup
    assert f"Review on the dashboard: Fallujah (disputed by {DISPUTING})" in popup["text"]
    assert popup["rows"] >= 2, popup
