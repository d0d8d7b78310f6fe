"""The Map page's first map on a dashboard just started ("cold"), checkouts compared in one run.

    .venv/bin/python bench/bench_first_map.py [--size 100000] [--rounds 6]
        [--baseline OLD_CHECKOUT ...] [--db-dir DIR] [--logs DIR]

Why its own script: ``bench_browser.py`` measures the cold first map once per size, and
one figure moves by a second between runs on the shared machine (6.0 s at 11:29, 4.99 s
at 05:47, 6.7 s at 08:32 on 27 Nov). Here one store is built per store schema (kept in ``--db-dir``)
and every round starts a dashboard from each checkout in turn (this one, then each
``--baseline``, order shuffled per round) and times its first page; the difference
between two checkouts gets a bootstrap interval over rounds (``bench/compare.py``).

Cold, as in ``bench_browser.py``: ``streamlit run app.py`` just started and healthy, a new
browser context (empty HTTP cache), ``goto ?date=2016-06-30`` until the plugin has drawn
the events. What is empty: the server's process (imports, ``st.cache_*``), its worker
process (started by the first page), the browser's cache. What is kept, as on an
analyst's laptop after the first ever start: the bytecode, the gazetteer labels file, the
control series kept on disk (``var/cache/control``, after a warm-up start per checkout)
and, unless ``--keep-files``, nothing of the events' served files (removed before each
start, so the first page publishes them as after an ingest).

Per start it also reports where the time went, from the browser's own clocks (ms since
``goto``): ``iframe`` (the server ran the page and the map's iframe began loading),
``attach`` (Leaflet and the plugin loaded, plugin attached), ``fetch_start`` /
``fetch_end`` (the events file requested / received), ``ready`` (parsed and prepared),
``drawn`` (first frame with events). Prints JSON.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script

import compare  # noqa: E402
from bench_browser import CHROMIUM, CHROMIUM_ARGS, MAP_IFRAME, READY_JS  # noqa: E402
from machine import cpu_model  # noqa: E402

from tests.dashboard_server import start_dashboard, stop_dashboard  # noqa: E402

#: The browser's own timeline of the first map, read once the events are drawn.
TIMELINE_JS = """() => {
  const S = window.geoScrub, me = performance;
  const res = me.getEntriesByType('resource').find(e => /\\/events-[^/]*\\.json/.test(e.name));
  return {origin: me.timeOrigin, attach: S.stats.attachAt, load: S.stats.loadAt,
          fetch_start: res ? res.startTime : null, fetch_end: res ? res.responseEnd : null,
          bytes: res ? res.encodedBodySize : null, ready: S.stats.readyAt,
          drawn: S.stats.lastFrameAt};
}"""


def remove_served_events(checkout: Path) -> int:
    """Remove the events' and details' served files of ``checkout`` (not the labels, one
    per gazetteer, nor control, kept per evidence): the next first page publishes anew."""
    gone = 0
    for pattern in ("events-*.json", "details-*.json"):
        for path in (checkout / "static" / "_data").glob(pattern):
            path.unlink(missing_ok=True)
            gone += 1
    return gone


#: Builds a store of generated events with one checkout's own code (its schema).
BUILD_JS = """
import sys
from pathlib import Path
root = Path(sys.argv[1]); sys.path[:0] = [str(root), str(root / "bench")]
from generate_events import generate
from geo.store import open_store
with open_store("sqlite:///" + sys.argv[3]) as store:
    store.add_events(generate(int(sys.argv[2]), seed=1))
"""


def store_for(checkout: Path, size: int, folder: Path) -> Path:
    """A store of ``size`` generated events (seed 1) in ``checkout``'s schema, built by its
    own code once per schema and generator (a newer schema is refused by older code)."""
    digest = hashlib.sha256()
    for rel in ("geo/store/schema.py", "bench/generate_events.py"):
        digest.update((checkout / rel).read_bytes())
    path = folder / f"events_{size}-{digest.hexdigest()[:12]}.sqlite"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".building")
        tmp.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-c", BUILD_JS, str(checkout), str(size), str(tmp)],
                       check=True, cwd=checkout)
        tmp.replace(path)
    return path


def cold_start(browser, checkout: Path, db_file: Path, log: Path, keep_files: bool,
               wait_control: bool = False) -> dict:
    """Start a dashboard from ``checkout`` on a copy of ``db_file`` (a store it has never
    seen, as in ``make bench``: no control kept for it, so the worker works control out
    while the first map loads), time its first map in a new context, stop it."""
    if not keep_files:
        remove_served_events(checkout)
    store = log.with_suffix(".sqlite")
    shutil.copyfile(db_file, store)
    proc, url = start_dashboard(f"sqlite:///{store}", log, project_dir=checkout)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        started = time.monotonic()
        started_epoch_ms = time.time() * 1000
        page.goto(url + "/?date=2016-06-30", wait_until="domcontentloaded")
        frame = page.wait_for_selector(MAP_IFRAME, timeout=180_000).content_frame()
        frame.wait_for_function(READY_JS, timeout=180_000, polling=20)
        total = time.monotonic() - started
        t = frame.evaluate(TIMELINE_JS)
        if wait_control:        # a warm-up: the worker's caches (locality mesh) are written
            frame.wait_for_function("() => window.geoScrub.state().places > 0",
                                    timeout=600_000, polling=200)
        base = t["origin"] - started_epoch_ms      # iframe's clock zero, ms after goto

        def at(name: str) -> float | None:
            return None if t[name] is None else round(base + t[name])

        return {"first_map_s": round(total, 3), "iframe": round(base),
                **{k: at(k) for k in ("attach", "load", "fetch_start", "fetch_end", "ready",
                                      "drawn")},
                "events_bytes": t["bytes"]}
    finally:
        context.close()
        stop_dashboard(proc)
        for leftover in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
            leftover.unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--baseline", type=Path, nargs="*", default=[],
                        help="other checkouts (e.g. a git worktree of an older commit)")
    parser.add_argument("--db-dir", type=Path, default=None,
                        help="keep the generated stores here for the next run (one per "
                             "store schema: each checkout's own code builds its store)")
    parser.add_argument("--keep-files", action="store_true",
                        help="keep the events' served files between starts")
    parser.add_argument("--logs", type=Path, default=None,
                        help="keep the dashboards' logs in this folder")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    checkouts = {"current": ROOT, **{f"baseline{i or ''}": Path(b).resolve()
                                     for i, b in enumerate(args.baseline)}}
    rng = random.Random(args.seed)
    results: dict = {"machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                                 "python": platform.python_version()},
                     "size": args.size, "checkouts": {k: str(v) for k, v in checkouts.items()},
                     "starts": {k: [] for k in checkouts}, "load_average": []}
    with tempfile.TemporaryDirectory(prefix="bench_first_map_") as tmp, sync_playwright() as pw:
        folder = args.logs or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db_dir = args.db_dir or folder
        db_files = {name: store_for(checkout, args.size, db_dir)
                    for name, checkout in checkouts.items()}
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, checkout in checkouts.items():      # warm-up: bytecode, control kept
                start = cold_start(browser, checkout, db_files[name], folder / f"{name}-warmup.log",
                                   args.keep_files, wait_control=True)
                results.setdefault("warmup", {})[name] = start
            for r in range(args.rounds):
                order = list(checkouts)
                rng.shuffle(order)
                results["load_average"].append(round(os.getloadavg()[0], 2))
                for name in order:
                    start = cold_start(browser, checkouts[name], db_files[name],
                                       folder / f"{name}-{r}.log", args.keep_files)
                    start["round"] = r
                    results["starts"][name].append(start)
                    print(f"round {r} {name}: {start}", file=sys.stderr)
        finally:
            browser.close()
    summary: dict = {}
    for name, starts in results["starts"].items():
        summary[name] = {"first_map_s_median": round(statistics.median(
            s["first_map_s"] for s in starts), 3)}
        for key in ("iframe", "attach", "fetch_start", "fetch_end", "ready", "drawn"):
            values = [s[key] for s in starts if s[key] is not None]
            if values:
                summary[name][f"{key}_ms_median"] = round(statistics.median(values))
    for name in checkouts:
        if name == "current" or args.rounds < 2:
            continue
        rounds = [([a["first_map_s"] * 1000], [b["first_map_s"] * 1000])
                  for a, b in zip(results["starts"]["current"], results["starts"][name])]
        summary[f"current_minus_{name}"] = compare.summary(rounds, threshold_ms=0.0)
    results["summary"] = summary
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
