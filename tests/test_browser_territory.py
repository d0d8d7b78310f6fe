"""The Map page draws the territory a briefing export draws, scrubbing in the browser.

An analyst scrubs the Map page to a day, then exports a snapshot of it for a briefing: the
two must show the same ground. The export draws, per force, the settled land of the towns
it holds (catchments) and the desert it holds between them (issue #12); the page's
in-browser scrub once drew only the first, so on screen IS held ~20,000 km² less in 2015
than on the slide. Here a real headless Chromium (Debian's, never ``playwright install``)
opens the page on a day of IS's widest reach, and for that day and for days reached by
scrubbing, the territory the page draws (``geoScrub.controlDrawn()``: catchments and
desert blocks by force, from the file the page fetched) is compared with the export's
areas and desert (``geo.exports.data.collect``, as a PNG snapshot gets them): the same
forces, the same land within 0.5 %. A pixel inside IS's desert is painted in IS's colour,
a control square (on its own canvas) opens its popup on a click, and scrubbing across
change points sends nothing to Streamlit (no websocket frame).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.control.series import STATUS_CODES
from geo.control.territory import project
from geo.core.forces import default_forces
from geo.maps.scrub import read_served
from tests.conftest import build_map_database
from tests.dashboard_server import start_dashboard, stop_dashboard
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, CONTROL_WAIT_S, LAPTOP, MAP_IFRAME

#: A day when IS held much of its desert (the curated timeline's mid-2015).
DAY = "2015-06-30"
#: Land that may differ between page and export, as a share of a force's land: the
#: coordinates the page gets are rounded to ~1 m, which moves a few km² over 100,000.
TOLERANCE = 0.005

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at "
                       "/usr/bin/chromium (apt-get install chromium); never `playwright install`"),
]

DRAWN_JS = "() => window.geoScrub.controlDrawn()"
STATE_JS = "() => window.geoScrub.state()"

#: The colour of the page's area canvas at the container point of (lat, lon), after
#: centring the map there (the canvas under the marks: areas and fronts only).
PIXEL_JS = """([lat, lon, zoom]) => new Promise(done => {
  const g = window.geoScrub, m = window.map;
  m.setView([lat, lon], zoom, {animate: false});
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const c = g.under._canvas, r = window.devicePixelRatio || 1;
    const p = m.latLngToContainerPoint([lat, lon]);
    const d = c.getContext("2d").getImageData(Math.round(p.x * r), Math.round(p.y * r), 1, 1).data;
    done(Array.from(d));
  }));
})"""


#: Pixels of a sheet (canvas) as the steps left it that differ from a full redraw.
SAME_AS_REDRAW_JS = """([name, counter]) => {
  const g = window.geoScrub, sheet = g[name], c = sheet._canvas, ctx = c.getContext("2d");
  const a = ctx.getImageData(0, 0, c.width, c.height).data;
  sheet.redraw();
  const b = ctx.getImageData(0, 0, c.width, c.height).data;
  let differ = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2])
        + Math.abs(a[i + 3] - b[i + 3]) > 8) { differ++; }
  }
  return {differ: differ, pixels: a.length / 4, partial: g.stats[counter] || 0};
}"""

#: Pixels of a sheet that differ from those kept by the previous call (0 on the first).
CHANGED_JS = """(name) => {
  const g = window.geoScrub, c = g[name]._canvas;
  const a = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, b = g._keptPixels;
  let differ = 0;
  for (let i = 0; b && i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) { differ++; }
  }
  g._keptPixels = a;
  return differ;
}"""

#: Whether the areas and the places' squares of the change point in force on a day are
#: drawn ahead for the view (the squares can miss the first idle moment on a loaded
#: machine; the page draws them at the next).
AHEAD_JS = """(day) => {
  const g = window.geoScrub, i = g.changePointOf(window.GeoScrub.dayOf(day));
  return !!g.under.ahead(i) && !!g.places.ahead(i);
}"""

#: The spare canvases the area and square sheets keep (drawn ahead).
SPARES_JS = "() => window.geoScrub.under._spares.length + window.geoScrub.places._spares.length"

#: Press the slider's thumb and drag it to a day (held: no pointerup yet).
DRAG_JS = """(day) => {
  const g = window.geoScrub, s = g.slider;
  s.dispatchEvent(new PointerEvent("pointerdown", {bubbles: true}));
  s.value = String(window.GeoScrub.dayOf(day));
  s.dispatchEvent(new Event("input", {bubbles: true}));
}"""

#: Move the map, then step a day back at once (no idle moment between).
MOVE_AND_STEP_JS = """() => {
  const g = window.geoScrub;
  window.map.panBy([60, -40], {animate: false});
  g.stats.lastFrameAt = 0;                       // draw now, not at the next frame
  g.setDay(g.view.day - 1, "step");
}"""

#: Container pixel of (lat, lon) after centring the map there.
POINT_JS = """([lat, lon, zoom]) => {
  window.map.setView([lat, lon], zoom, {animate: false});
  const p = window.map.latLngToContainerPoint([lat, lon]);
  return {x: p.x, y: p.y};
}"""


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _show_control(page: Any, frame: Any, on: bool) -> None:
    """Tick or untick "Show control" in the sidebar; wait for the map to follow."""
    box = page.get_by_test_id("stCheckbox").filter(has_text="Show control")
    if box.locator("input").is_checked() != on:
        box.locator("label").click()
    wanted = "true" if on else "false"
    frame.wait_for_function(f"() => window.geoScrub.showControl === {wanted}"
                            " && window.geoScrub.state().ready"
                            f" && (!{wanted} || (window.geoScrub.state().places > 0"
                            " && !!window.geoScrub.controlDrawn()))",
                            timeout=CONTROL_WAIT_S * 1000)


def _km2(geom: BaseGeometry) -> float:
    """Area in km² in the theatre's equal-area projection."""
    return float(shapely.area(shapely.transform(geom, lambda xy: project(xy[:, 0], xy[:, 1])))
                 ) / 1e6


def _land_changes(document: dict[str, Any]) -> list[str]:
    """Change points at which some land changes hands: a place's area (its holder, held
    or besieged) or a desert block."""
    shaded = (STATUS_CODES.index("held"), STATUS_CODES.index("besieged"))
    holders: dict[str, str | None] = {}
    out = []
    for day, state, desert in zip(document["dates"], document["states"],
                                  document["desert"]["changes"], strict=True):
        moved = bool(desert)
        for key, now in state["changes"].items():
            holder = now[1] if now and now[0] in shaded else None
            moved = moved or holders.get(key) != holder
            holders[key] = holder
        if moved:
            out.append(day)
    return out


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _union(geoms: list[BaseGeometry]) -> BaseGeometry:
    parts = [shapely.make_valid(g) for g in geoms if not g.is_empty]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _page_land(document: dict[str, Any], drawn: dict[str, Any]
               ) -> tuple[dict[str, BaseGeometry], dict[str, BaseGeometry]]:
    """(all land, desert) by force as the page drew it: catchments of the epoch of the
    drawn change point and desert blocks, from the document the page fetched."""
    i = document["dates"].index(drawn["change_point"])
    epoch = document["epochs"][document["states"][i]["epoch"]]
    index = {p["key"]: str(n) for n, p in enumerate(document["places"])}
    blocks = document["desert"]["blocks"]
    land, desert = {}, {}
    for force, members in drawn["forces"].items():
        settled = [shapely.geometry.shape(epoch["catchments"][index[k]])
                   for k in members["places"]]
        dry = [shapely.geometry.shape(blocks[b]) for b in members["desert"]]
        land[force] = _union(settled + dry)
        if dry:
            desert[force] = _union(dry)
    return land, desert


def _export_land(db_url: str, day: date
                 ) -> tuple[dict[str, BaseGeometry], dict[str, BaseGeometry]]:
    """(all land, desert) by force on ``day`` as a PNG snapshot of the theatre gets them."""
    from geo.exports.data import collect
    from geo.exports.layout import ImageSize
    from geo.exports.view import SnapshotView
    from geo.store import open_store

    with open_store(db_url, read_only=True) as store:
        data = collect(SnapshotView(day, window="upto"), store, ImageSize())
    land: dict[str, list[BaseGeometry]] = {}
    desert: dict[str, list[BaseGeometry]] = {}
    for feature in data.control["features"]:
        props = feature["properties"]
        if props["kind"] in ("area", "desert"):
            geom = shapely.geometry.shape(feature["geometry"])
            land.setdefault(props["force"], []).append(geom)
            if props["kind"] == "desert":
                desert.setdefault(props["force"], []).append(geom)
    return ({f: _union(g) for f, g in land.items()}, {f: _union(g) for f, g in desert.items()})


def _assert_same_territory(document: dict[str, Any], drawn: dict[str, Any], db_url: str
                           ) -> dict[str, BaseGeometry]:
    """The page's drawn land equals the export's, force by force; returns the desert."""
    page_land, page_desert = _page_land(document, drawn)
    export_land, export_desert = _export_land(db_url, date.fromisoformat(drawn["day"]))
    assert sorted(page_land) == sorted(export_land), drawn["day"]
    assert sorted(page_desert) == sorted(f for f, g in export_desert.items() if not g.is_empty)
    for force, want in export_land.items():
        got = page_land[force]
        size = _km2(want)
        apart = _km2(shapely.symmetric_difference(got, want))
        assert apart <= TOLERANCE * size + 1.0, (
            f"{drawn['day']}: {force} page {_km2(got):,.0f} km² vs export {size:,.0f} km², "
            f"{apart:,.0f} km² apart")
    for force, want in export_desert.items():
        assert abs(_km2(page_desert[force]) - _km2(want)) <= TOLERANCE * _km2(want) + 1.0
    return page_desert


def test_scrubbed_map_draws_the_exports_territory(browser: Any, tmp_path: Path) -> None:
    db = build_map_database(tmp_path / "events.sqlite")
    proc, url = start_dashboard(db.url, tmp_path / "streamlit.log")
    sent: list[str] = []
    try:
        page = browser.new_page(viewport=LAPTOP)
        page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(
            "frame")))
        page.goto(f"{url}/?date={DAY}", wait_until="domcontentloaded")
        frame = page.wait_for_selector(MAP_IFRAME, timeout=60_000).content_frame()
        frame.wait_for_function("() => !!(window.geoScrub && window.geoScrub.state().ready"
                                " && window.geoScrub.state().places > 0"
                                " && window.geoScrub.controlDrawn())",
                                timeout=CONTROL_WAIT_S * 1000)
        drawn = frame.evaluate(DRAWN_JS)
        assert drawn["day"] == DAY
        control_url = frame.evaluate("() => window.geoScrub._controlUrl")
        document = read_served(control_url)
        desert = _assert_same_territory(document, drawn, db.url)
        assert _km2(desert["IS"]) > 5000, "IS held wide desert between its towns mid-2015"

        # The desert is painted: a point deep inside IS's largest desert block has IS's
        # colour on the page's area canvas.
        blocks = document["desert"]["blocks"]
        largest = max(drawn["forces"]["IS"]["desert"],
                      key=lambda b: _km2(shapely.geometry.shape(blocks[b])))
        inner = polylabel(shapely.make_valid(shapely.geometry.shape(blocks[largest])),
                          tolerance=0.001)
        pixel = frame.evaluate(PIXEL_JS, [inner.y, inner.x, 7])
        colour = default_forces().colour("IS").lstrip("#")
        want = [int(colour[k:k + 2], 16) for k in (0, 2, 4)]
        assert pixel[3] > 0, "nothing painted inside IS's desert"
        assert np.abs(np.array(pixel[:3]) - want).max() <= 16, (pixel, want)

        # Control places are squares on their own canvas: a click on one still opens
        # its popup (who holds it on the day shown).
        place = next(p for p in document["places"] if p["key"] in drawn["forces"]["IS"]["places"])
        point = frame.evaluate(POINT_JS, [place["lat"], place["lon"], 9])
        frame.wait_for_function(f"() => window.geoScrub.placeHits.some(h => h[4] === "
                                f"{document['places'].index(place)})")
        box = page.locator(MAP_IFRAME).bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        popup = frame.locator(".geo-control-popup").first
        popup.wait_for(timeout=10_000)
        assert popup.get_attribute("data-place-key") == place["key"]
        assert "Islamic State" in (popup.text_content() or "")
        frame.evaluate("() => { window.map.closePopup(); }")

        # Scrub across change points with the keyboard; the stopped view is not sent
        # yet (held below), so any frame sent would be a rerun that scrubbing caused.
        frame.evaluate("() => { const g = window.geoScrub; g._heldCommit = g.commit;"
                       " g.commit = function () {}; }")
        page.wait_for_timeout(1000)            # what the centring above sent has gone
        before = len(sent)
        slider = frame.locator(".geo-tb-slider")
        seen = {drawn["change_point"]}
        for _ in range(3):
            last = frame.evaluate(STATE_JS)["stats"]["frames"]
            slider.focus()
            page.keyboard.press("PageUp")
            frame.wait_for_function(f"() => window.geoScrub.stats.frames > {last}",
                                    timeout=10_000)
            drawn = frame.evaluate(DRAWN_JS)
            seen.add(drawn["change_point"])
            _assert_same_territory(document, drawn, db.url)
        assert len(seen) == 4, seen            # every step crossed a change point
        # The steps redrew only what changed (areas, places); that equals a full redraw.
        for sheet, counter in (("under", "partialControl"), ("places", "partialPlaces")):
            same = frame.evaluate(SAME_AS_REDRAW_JS, [sheet, counter])
            assert same["partial"] > 0, sheet
            assert same["differ"] <= 0.002 * same["pixels"], (sheet, same)

        # A day step across a change point shows the areas drawn ahead while the page
        # was idle (issue #12: a step with control on costs no more than with it off);
        # what it shows is still the export's territory and equals a full redraw.
        frame.evaluate("() => { window.map.setView([34.5, 41.0], 6, {animate: false}); }")
        change = next(d for d in reversed(_land_changes(document)) if d < drawn["day"])
        stamp = frame.locator(".geo-tb-date")
        stamp.fill(change)
        stamp.press("Enter")
        frame.wait_for_function(f"() => window.geoScrub.state().drawn_day === '{change}'",
                                timeout=10_000)
        for key, day in (("ArrowLeft", _day_before(change)), ("ArrowRight", change)):
            frame.wait_for_function(AHEAD_JS, arg=day, timeout=10_000)
            counts = frame.evaluate("() => window.geoScrub.stats")
            frame.evaluate(CHANGED_JS, "under")
            slider.focus()
            page.keyboard.press(key)
            frame.wait_for_function(f"() => window.geoScrub.state().drawn_day === '{day}'",
                                    timeout=10_000)
            stats = frame.evaluate("() => window.geoScrub.stats")
            for counter in ("aheadShown", "aheadPlacesShown"):   # areas, squares
                assert stats[counter] == counts.get(counter, 0) + 1, (key, counter)
            assert frame.evaluate(CHANGED_JS, "under") > 0, f"{key}: land changed hands"
            drawn = frame.evaluate(DRAWN_JS)
            _assert_same_territory(document, drawn, db.url)
            for sheet in ("under", "places"):
                same = frame.evaluate(SAME_AS_REDRAW_JS, [sheet, "aheadShown"])
                assert same["differ"] <= 0.0001 * same["pixels"], (key, sheet, same)
        # Those areas were drawn ahead as what was shown with the changed boxes repainted
        # (not the whole map), and still equal a full redraw.
        assert frame.evaluate("() => window.geoScrub.stats.aheadBoxes || 0") > 0
        dates = document["dates"]
        c = dates.index(change)
        assert c >= 2, "the fixture has change points before the last change of land"

        # A jump over more than one change point: what was drawn ahead from the change
        # point shown before the jump is compared with the one shown after it, so a
        # step into it still copies only the boxes that differ, and equals a full redraw.
        frame.wait_for_function(AHEAD_JS, arg=_day_before(change), timeout=10_000)
        counts = frame.evaluate("() => window.geoScrub.stats")
        jump = _day_before(dates[c - 1])       # the last day of change point c - 2
        stamp.fill(jump)
        stamp.press("Enter")
        frame.wait_for_function(f"() => window.geoScrub.state().drawn_day === '{jump}'"
                                " && (window.geoScrub.stats.aheadRebased || 0) > "
                                f"{counts.get('aheadRebased', 0)}", timeout=10_000)
        slider.focus()
        page.keyboard.press("ArrowRight")
        frame.wait_for_function(f"() => window.geoScrub.state().drawn_day === '{dates[c - 1]}'",
                                timeout=10_000)
        stats = frame.evaluate("() => window.geoScrub.stats")
        assert stats["aheadShown"] == counts["aheadShown"] + 1
        assert stats.get("aheadWhole", 0) == counts.get("aheadWhole", 0), "copied whole"
        _assert_same_territory(document, frame.evaluate(DRAWN_JS), db.url)
        for sheet in ("under", "places"):
            same = frame.evaluate(SAME_AS_REDRAW_JS, [sheet, "aheadShown"])
            assert same["differ"] <= 0.0001 * same["pixels"], ("jump", sheet, same)

        # Nothing is drawn ahead while the thumb is held (the days of a drag are not
        # steps); where the drag stops, the next step's change points are drawn ahead.
        frame.evaluate(DRAG_JS, change)
        page.wait_for_timeout(300)
        assert frame.evaluate("() => window.geoScrub.dragging")
        assert frame.evaluate("() => window.geoScrub.state().drawn_day") == change
        assert not frame.evaluate(AHEAD_JS, _day_before(change))
        frame.evaluate("() => window.dispatchEvent(new PointerEvent('pointerup'))")
        frame.wait_for_function(AHEAD_JS, arg=_day_before(change), timeout=10_000)

        # A step right after the map moved (before the page was idle again) shows the new
        # view: what was drawn ahead for the old one is not used; it equals a full redraw.
        counts = frame.evaluate("() => window.geoScrub.stats")
        frame.evaluate(MOVE_AND_STEP_JS)
        drawn = frame.evaluate(DRAWN_JS)
        assert drawn["day"] == _day_before(change)
        stats = frame.evaluate("() => window.geoScrub.stats")
        assert stats["aheadShown"] == counts["aheadShown"], "drawn ahead for the old view"
        for sheet in ("under", "places"):
            same = frame.evaluate(SAME_AS_REDRAW_JS, [sheet, "partialControl"])
            assert same["differ"] <= 0.002 * same["pixels"], ("moved", sheet, same)

        page.wait_for_timeout(1000)            # a rerun would have been asked by now
        assert len(sent) == before, "scrubbing sent something to Streamlit"
        # Where the analyst stops, the view goes to the server (the monitor sees it).
        frame.evaluate("() => { const g = window.geoScrub; g.commit = g._heldCommit;"
                       " g.scheduleCommit(); }")
        page.wait_for_function(f"() => location.search.includes('date={drawn['day']}')",
                               timeout=30_000)
        assert len(sent) > before

        # Control switched off lets go of what was drawn ahead (a canvas of the map's
        # size each); switched on again, a step is drawn ahead and equals a full redraw.
        frame.wait_for_function(AHEAD_JS, arg=change, timeout=10_000)
        assert frame.evaluate(SPARES_JS) > 0
        _show_control(page, frame, False)
        assert frame.evaluate(SPARES_JS) == 0, "spare canvases kept with control off"
        _show_control(page, frame, True)
        assert frame.evaluate("() => window.geoScrub.state().drawn_day") == drawn["day"]
        frame.wait_for_function(AHEAD_JS, arg=change, timeout=10_000)
        counts = frame.evaluate("() => window.geoScrub.stats")
        slider.focus()
        page.keyboard.press("ArrowRight")
        frame.wait_for_function(f"() => window.geoScrub.state().drawn_day === '{change}'",
                                timeout=10_000)
        assert frame.evaluate("() => window.geoScrub.stats")["aheadShown"] == (
            counts.get("aheadShown", 0) + 1)
        for sheet in ("under", "places"):
            same = frame.evaluate(SAME_AS_REDRAW_JS, [sheet, "aheadShown"])
            assert same["differ"] <= 0.0001 * same["pixels"], ("on again", sheet, same)
        page.close()
    finally:
        stop_dashboard(proc)
