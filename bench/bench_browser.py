"""Map page in a real browser: first map, slider step and Play, with the control layer on.

    .venv/bin/python bench/bench_browser.py [--sizes 10000 100000] [--steps 10]

Why a browser: since issue #13 a step never reaches the server; what an analyst feels is
the browser filtering, clustering and redrawing events and control on the map. Builds one
temporary SQLite store per size from ``bench/generate_events.py`` (real localities
weighted by population, 2013-2019, seed 1), runs ``streamlit run app.py`` on 127.0.0.1
and drives Debian's Chromium (headless, never ``playwright install``) at 1366x768.
Prints JSON.

Per size, with the default view (everything up to the last day, control and curated
timeline on), mid-data (``?date=2016-06-30``) so every step changes what is drawn:
- ``first_map_cold_s``: ``goto`` on a dashboard just started until the plugin has drawn
  the events (the server published them, the browser fetched and prepared them);
  ``control_drawn_cold_s``: until the control layer (worked out in the background) is
  drawn too; ``first_map_s`` / ``control_drawn_s``: the same for a second page opened
  afterwards (server caches warm, as for every analyst after the first);
- ``step_ms``: ArrowLeft on the focused time slider until the next frame is drawn, as
  seen from Playwright (wall time, includes the CDP round trip), median of ``--steps``;
  ``step_off_*``: the same with "Show control" switched off in the sidebar, stepping
  back over the same days with ArrowRight (issue #12: a step with control on should
  cost no more than one with it off; the desert a force holds is drawn since then);
  ``step_in_page_ms``: the same measured inside the page, from the time the key event
  reached the page (its ``timeStamp``, so waiting in the page's queue counts) to the
  frame drawn (the browser paints it in that animation frame); ``driver_overhead_ms``:
  what Playwright's press and wait cost on their own (a key that changes nothing, then
  one animation frame), to read the wall time against;
- ``play_fps``: frames drawn per second during 3 s of Play (one week per frame; the
  plugin schedules 12 a second and skips a slot rather than drift when a frame is late);
  ``play_slots_skipped``: slots skipped that way.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script

from machine import cpu_model  # noqa: E402

from geo.store import open_store  # noqa: E402
from tests.dashboard_server import start_dashboard, stop_dashboard  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
STATE_JS = "() => window.geoScrub.state()"
READY_JS = ("() => !!(window.geoScrub && window.geoScrub.state().ready "
            "&& window.geoScrub.state().stats.frames > 0)")


def build_database(folder: Path, n: int) -> str:
    """A SQLite store of ``n`` generated events (see the module doc)."""
    from generate_events import generate
    url = f"sqlite:///{folder / f'events_{n}.sqlite'}"
    with open_store(url) as store:
        store.add_events(generate(n, seed=1))
    return url


def first_map(browser, url: str) -> tuple[object, object, float, float]:
    """A new page: seconds to the events drawn, and to the control layer drawn too."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    started = time.monotonic()
    page.goto(url + "/?date=2016-06-30", wait_until="domcontentloaded")
    frame = page.wait_for_selector(MAP_IFRAME, timeout=180_000).content_frame()
    frame.wait_for_function(READY_JS, timeout=180_000, polling=20)
    events_s = time.monotonic() - started
    frame.wait_for_function("() => window.geoScrub.state().places > 0 "
                            "&& window.geoScrub.state().ready", timeout=300_000, polling=50)
    return page, frame, events_s, time.monotonic() - started


def time_steps(page, frame, key: str, steps: int) -> tuple[list[float], list[float], list[int]]:
    """Press ``key`` on the focused slider ``steps`` times: wall seconds to the next
    frame, the in-page milliseconds from the key event to the frame, events shown."""
    slider = frame.locator(".geo-tb-slider")
    wall, inside, shown = [], [], []
    for _ in range(steps):
        before = frame.evaluate("() => window.geoScrub.stats.frames")
        slider.focus()
        pressed = time.monotonic()
        page.keyboard.press(key)
        frame.wait_for_function(f"() => window.geoScrub.stats.frames > {before}",
                                polling="raf", timeout=30_000)
        wall.append(time.monotonic() - pressed)
        s = frame.evaluate(STATE_JS)
        inside.append(s["stats"]["lastFrameAt"] - s["stats"]["lastKeyAt"])
        shown.append(s["shown"])
        page.wait_for_timeout(200)
    return wall, inside, shown


def show_control(page, frame, on: bool) -> None:
    """Tick or untick "Show control" in the sidebar and wait for the map to follow."""
    box = page.get_by_test_id("stCheckbox").filter(has_text="Show control")
    if box.locator("input").is_checked() != on:
        box.locator("label").click()
    wanted = "true" if on else "false"
    frame.wait_for_function(f"() => window.geoScrub.showControl === {wanted} && "
                            "window.geoScrub.state().ready && "
                            f"(!{wanted} || window.geoScrub.state().places > 0)",
                            timeout=300_000, polling=50)
    page.wait_for_timeout(1500)            # let the server's follow-up rerun settle


def run_size(browser, url: str, steps: int) -> dict:
    cold_page, _, cold_events_s, cold_control_s = first_map(browser, url)
    cold_page.close()
    page, frame, first_map_s, control_s = first_map(browser, url)
    try:
        state = frame.evaluate(STATE_JS)
        page.wait_for_timeout(1500)            # let the server's follow-up rerun settle
        slider = frame.locator(".geo-tb-slider")
        wall, inside, shown = time_steps(page, frame, "ArrowLeft", steps)
        show_control(page, frame, False)
        off_wall, off_inside, _ = time_steps(page, frame, "ArrowRight", steps)
        show_control(page, frame, True)
        # What the driver itself costs: a key that changes nothing, then one animation frame.
        overhead = []
        for _ in range(steps):
            slider.focus()
            pressed = time.monotonic()
            page.keyboard.press("Shift")
            frame.evaluate("() => new Promise(r => requestAnimationFrame(() => r(1)))")
            overhead.append(time.monotonic() - pressed)
        before = frame.evaluate("() => window.geoScrub.stats.playFrames")
        skipped_before = frame.evaluate("() => window.geoScrub.stats.playSkipped || 0")
        frame.evaluate("() => { window.geoScrub.speed = 'week'; }")
        frame.locator(".geo-tb-play").click()
        t0 = time.monotonic()
        page.wait_for_timeout(3000)
        played = frame.evaluate("() => window.geoScrub.stats.playFrames") - before
        skipped = frame.evaluate("() => window.geoScrub.stats.playSkipped || 0") - skipped_before
        elapsed = time.monotonic() - t0
        frame.locator(".geo-tb-play").click()
        return {"first_map_cold_s": round(cold_events_s, 2),
                "control_drawn_cold_s": round(cold_control_s, 2),
                "first_map_s": round(first_map_s, 2), "control_drawn_s": round(control_s, 2),
                "events_loaded": state["events"],
                "control_places": state["places"], "shown_at_load": state["shown"],
                "step_ms_median": round(statistics.median(wall) * 1000),
                "step_ms_all": [round(t * 1000) for t in wall],
                "step_in_page_ms_median": round(statistics.median(inside), 1),
                "step_off_ms_median": round(statistics.median(off_wall) * 1000),
                "step_off_in_page_ms_median": round(statistics.median(off_inside), 1),
                "step_in_page_ms_all": [round(t, 1) for t in inside],
                "step_off_in_page_ms_all": [round(t, 1) for t in off_inside],
                "driver_overhead_ms_median": round(statistics.median(overhead) * 1000),
                "frame_draw_ms_last": round(frame.evaluate(STATE_JS)["stats"]["lastFrameMs"], 1),
                "shown_per_step": shown,
                "play_fps": round(played / elapsed, 1), "play_slots_skipped": skipped}
    finally:
        page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict = {"machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                                 "python": platform.python_version()}, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="bench_browser_") as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in args.sizes:
                built = time.monotonic()
                db_url = build_database(folder, n)
                build_s = time.monotonic() - built
                proc, url = start_dashboard(db_url, folder / f"streamlit_{n}.log")
                try:
                    results["sizes"][n] = {"store_build_s": round(build_s, 1),
                                           **run_size(browser, url, args.steps)}
                finally:
                    stop_dashboard(proc)
        finally:
            browser.close()
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
