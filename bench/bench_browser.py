"""Map page in a real browser: page load to first map, and slider step to updated map.

    .venv/bin/python bench/bench_browser.py [--sizes 1000 10000] [--steps 5]
    .venv/bin/python bench/bench_browser.py --sizes 100000 --generator generate_events \
        [--scenarios all_no_control last30_no_control]

Why a browser: a step's cost is split between the server (rerun, slicing, JSON) and
the browser (websocket, Leaflet re-drawing the events layer); only the sum is what an
analyst feels. Builds one temporary SQLite database per size from
``tests.factories.sample_events`` (2014-06..2017-12, 20 towns) or, with ``--generator
generate_events``, from ``bench/generate_events.py`` (real localities weighted by
population, 2013-2019: the scale data set), runs
``streamlit run app.py`` on 127.0.0.1 with ``GEO_DATABASE_URL`` and drives Debian's
Chromium through Playwright (never ``playwright install``). Prints JSON.

Scenarios per size, each a fresh page load then ``--steps`` ArrowLeft presses on the day
slider (median reported):
- ``default``: everything up to the last day (every event drawn), control layer on;
- ``all_no_control``: the same with "Show control" switched off;
- ``last30_no_control``: ``?window=last&n=30`` (a month of events drawn), control off;
- ``mid_upto_no_control`` / ``mid_last365_no_control``: up to 2016-06-30, everything or
  the last 365 days, control off (with ``generate_events``: ~50,000 and ~14,000 events,
  both above ``map_max_points``, so cells; each step changes the count).
A step is timed from the key press to the moment the map iframe has swapped in the
new feature groups (streamlit-folium replaces them in one ``eval``). Above the
``map_max_points`` setting the map draws cells instead of dots; "drawn" then counts the
events inside the cells (each cell's ``cell_count``), so it still equals "Showing N".
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
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
from tests.factories import sample_events  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SLIDER_INPUT = "[data-testid=stSlider] input[type=range]"
COUNT_EVENTS_JS = """() => {
  if (!window.map) { return -1; }
  let n = 0;
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.event_id) { n += 1; } else if (p && p.cell_count) { n += p.cell_count; }
  });
  return n;
}"""
MARK_GROUPS_JS = "() => { (window.feature_group || []).forEach(g => { g._benchOld = true; }); }"
#: streamlit-folium pushes the new groups onto window.feature_group (never emptied).
NEW_GROUPS_JS = ("() => { const g = window.feature_group || []; "
                 "return g.length > 0 && !g[g.length - 1]._benchOld; }")
SCENARIOS: dict[str, tuple[str, bool]] = {   # name -> (query string, control layer on)
    "default": ("", True),
    "all_no_control": ("", False),
    "last30_no_control": ("?window=last&n=30", False),
    # Mid-data views (the generated 2013-2019 set): every step changes the count, so
    # every step is a redraw (near the last day, month-long intervals keep it unchanged).
    "mid_upto_no_control": ("?date=2016-06-30", False),
    "mid_last365_no_control": ("?date=2016-06-30&window=last&n=365", False),
}


GENERATORS = ("factories", "generate_events")


def build_database(folder: Path, n: int, generator: str = "factories") -> str:
    """A SQLite store of ``n`` events from the chosen generator (see the module doc)."""
    url = f"sqlite:///{folder / f'events_{generator}_{n}.sqlite'}"
    if generator == "generate_events":
        from generate_events import generate
        events = generate(n, seed=1)
    else:
        events = sample_events(n, seed=1)
    with open_store(url) as store:
        store.add_events(events)
    return url


def _shown_line(page) -> str:
    """The page's 'Showing N events ...' line."""
    return page.get_by_text(re.compile(r"^Showing [\d,]+ event")).first.text_content() or ""


def _count_of(line: str) -> int:
    return int(re.search(r"Showing ([\d,]+)", line).group(1).replace(",", ""))


def _shown_count(page) -> int:
    return _count_of(_shown_line(page))


def run_scenario(browser, url: str, query: str, control: bool, steps: int) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    try:
        started = time.monotonic()
        page.goto(url + "/" + query, wait_until="domcontentloaded")
        frame = page.wait_for_selector(MAP_IFRAME, timeout=120_000).content_frame()
        page.get_by_text(re.compile(r"^Showing [\d,]+ event")).first.wait_for(timeout=120_000)
        expected = _shown_count(page)
        frame.wait_for_function(f"({COUNT_EVENTS_JS})() === {expected}", timeout=120_000)
        first_map_s = time.monotonic() - started
        if not control:
            frame.evaluate(MARK_GROUPS_JS)
            page.get_by_text("Show control").click()
            frame.wait_for_function(NEW_GROUPS_JS, timeout=120_000)
        times, drawn, unchanged = [], [], 0
        for _ in range(steps):
            before = _shown_line(page)
            frame.evaluate(MARK_GROUPS_JS)
            page.locator(SLIDER_INPUT).first.focus()
            pressed = time.monotonic()
            page.keyboard.press("ArrowLeft")
            deadline = pressed + 60
            while _shown_line(page) == before:    # the server's rerun has arrived
                if time.monotonic() > deadline:
                    raise TimeoutError("the 'Showing' line did not change in 60 s")
                page.wait_for_timeout(5)
            count = _shown_count(page)
            if count != _count_of(before):
                # New events: streamlit-folium swaps the feature groups in (identical
                # groups are not re-sent, so an unchanged count has nothing to wait for).
                frame.wait_for_function(NEW_GROUPS_JS, timeout=60_000, polling="raf")
            else:
                unchanged += 1
            times.append(time.monotonic() - pressed)
            drawn.append(frame.evaluate(COUNT_EVENTS_JS))
            page.wait_for_timeout(300)          # let the page settle between steps
        return {"first_map_s": round(first_map_s, 2), "events_at_load": expected,
                "step_ms_median": round(statistics.median(times) * 1000),
                "step_ms_all": [round(t * 1000) for t in times], "events_drawn": drawn,
                "steps_with_same_count": unchanged}
    finally:
        page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--generator", choices=GENERATORS, default="factories",
                        help="where the events come from (generate_events: the scale data)")
    parser.add_argument("--scenarios", nargs="+", choices=list(SCENARIOS),
                        default=list(SCENARIOS))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict = {"machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                                 "python": platform.python_version()},
               "generator": args.generator,
               "map_max_points": os.environ.get("GEO_MAP_MAX_POINTS", "default"),
               "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="bench_browser_") as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in args.sizes:
                db_url = build_database(folder, n, args.generator)
                proc, url = start_dashboard(db_url, folder / f"streamlit_{n}.log")
                try:
                    results["sizes"][n] = {
                        name: run_scenario(browser, url, query, control, args.steps)
                        for name, (query, control) in SCENARIOS.items()
                        if name in args.scenarios}
                finally:
                    stop_dashboard(proc)
        finally:
            browser.close()
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
