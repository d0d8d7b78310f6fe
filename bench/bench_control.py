"""Control: IS territory against IHS Conflict Monitor, and timings at 500 and 5,000 places.

    .venv/bin/python bench/bench_control.py [--seed 0] [--no-synthetic] [--no-cli]
        [--before CHECKOUT] [--places 5000]

1. **IHS table.** IHS Conflict Monitor published the area of IS-held territory in Iraq
   and Syria on six dates; the bundled curated timeline (no store) gives ours, with the
   number of parts IS is drawn in and the share of its largest part. Aim: within ±20 %,
   largest part ≥ 60 % on the 2015 dates.
2. **Timings** on synthetic places (random gazetteer localities of Iraq and Syria, each
   taken by IS and retaken by its enemy at random days, so fronts exist and move), in one
   run, before/after side by side: "per day, recomputed" is what a slider step cost when
   control was worked out per day (rules + territory from scratch: the old way);
   "series" builds all change points once, after which a slider step is a lookup; the
   browser document (``to_json``: catchments once, changes per change point) is what the
   Map page sends for scrubbing without a server round trip.
3. **Command line**: ``python -m geo control --date D`` on a SQLite store holding the
   5,000-place evidence: cold (first run), the same day again, a day of a change point
   not asked before, ``--warm`` (every change point kept) and any day after it (see
   ``cli``); ``--before CHECKOUT`` times another checkout first in the same run
   (before/after).

Prints Markdown tables for bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

import numpy as np
import shapely
from machine import cpu_model

from geo.control import control_geojson
from geo.control.curated import load_curated_timeline
from geo.control.series import ControlSeries
from geo.control.territory import (
    THEATRE_COUNTRIES,
    TO_OUTPUT,
    _read_localities,
    default_mesh,
    project,
)
from geo.core import paths
from geo.core.records import Event

PROJECT = Path(__file__).resolve().parent.parent
IHS = [(date(2015, 1, 1), 90_800), (date(2015, 12, 14), 78_000), (date(2016, 7, 4), 68_300),
       (date(2016, 10, 3), 65_500), (date(2016, 12, 31), 60_400), (date(2017, 6, 26), 36_200)]
START = date(2014, 6, 1)


def _ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def ihs_table(series: ControlSeries) -> list[str]:
    """Rows of the IHS comparison (areas from the equal-area CRS)."""
    rows = []
    for day, ihs in IHS:
        terr = series.territory_on(day)
        km2 = terr.km2.get("IS", 0.0)
        geom = terr.land("IS")
        parts = shapely.get_parts(geom) if geom is not None else []
        sizes = [shapely.area(shapely.transform(p, lambda xy: project(xy[:, 0], xy[:, 1])))
                 for p in parts]
        share = max(sizes) / sum(sizes) if sizes else 0.0
        rows.append(f"| {day} | {ihs:,} km² | {km2:,.0f} km² | {km2 / ihs:.2f} | "
                    f"{len(sizes)} | {share:.0%} |")
    return rows


def synthetic_events(n_places: int, seed: int) -> list[Event]:
    """Two captures per place (IS, then its enemy) at random days in 2014-2017, at random
    gazetteer localities (so places sit on settled land, as real towns do)."""
    rng = random.Random(seed)
    lonlat = _read_localities(paths.GAZETTEER_FILE, THEATRE_COUNTRIES)
    chosen = rng.sample(range(len(lonlat)), n_places)
    events: list[Event] = []
    for i, k in enumerate(chosen):
        lon, lat = (float(v) for v in lonlat[k])
        enemy = "SDF" if lon < 40.5 and lat > 35.3 else ("SYR" if lon < 41 else "ISF")
        taken = START + timedelta(days=rng.randrange(0, 200))
        retaken = taken + timedelta(days=rng.randrange(100, 900))
        for force, old, day in (("IS", enemy, taken), (enemy, "IS", retaken)):
            events.append(Event(event_date=day, event_type="Battles",
                                sub_event_type="Government regains territory",
                                location=f"P{i}", latitude=lat, longitude=lon,
                                country="SY" if lon < 41 else "IQ", place_id=f"p{i}",
                                actor1_force=force, actor2_force=old, control_to=force,
                                review_status="confirmed", event_id=f"p{i}-{force}"))
    return events


def timings(n: int, seed: int) -> list[str]:
    events = synthetic_events(n, seed)
    day = date(2015, 9, 1)
    default_mesh()                                     # loaded once per process
    old = statistics.median(_ms(lambda d=day + timedelta(days=k): control_geojson(d, events))
                            for k in range(3))
    t = time.perf_counter()
    series = ControlSeries(events)
    build = (time.perf_counter() - t) * 1000
    first = _ms(lambda: series.collection_on(day))
    steps = [series.change_points[i] for i in range(0, len(series), max(1, len(series) // 40))]
    per_cp = statistics.median(_ms(lambda d=d: series.territory_on(d)) for d in steps)
    t = time.perf_counter()
    doc = json.dumps(series.to_json())
    browser = (time.perf_counter() - t) * 1000
    for k in range(60):                # the change points a 60-day scrub visits, once
        series.collection_on(day + timedelta(days=k))
    step = statistics.median(_ms(lambda k=k: series.collection_on(day + timedelta(days=k)))
                             for k in range(60))
    return [f"| {n:,} places, {len(series):,} change points | {old:,.0f} | {build:,.0f} | "
            f"{first:,.0f} | {per_cp:,.1f} | {browser:,.0f} ms, {len(doc) / 1e6:.1f} MB | "
            f"{step:.3f} |"]


def _event_json(e: Event) -> dict[str, object]:
    return {k: (v.isoformat() if isinstance(v, date) else v)
            for k, v in vars(e).items() if k not in ("evidence", "article_ids")}


#: Fills a store in another checkout (its own code and schema) from events as JSON.
_FILL = """
import json, sys
from datetime import date
from geo.core.records import Event
from geo.store import open_store
rows = json.load(open(sys.argv[1]))
events = [Event(**{k: (date.fromisoformat(v) if k in ("event_date", "date_min", "date_max")
                       and v else v) for k, v in row.items()}) for row in rows]
with open_store(sys.argv[2]) as store:
    store.add_events(events)
"""


def cli(n: int, seed: int, checkouts: list[Path]) -> list[str]:
    """Wall time of the command on a store holding ``n`` places' evidence, in each
    checkout (its own code, its own store), one after the other in one run.

    What the columns mean ("warm" is about what is kept in ``var/cache/control``; every
    run is a new program, nothing is kept in memory between runs):

    * **cold**: the first run after the store was filled, nothing kept (the checkout's
      ``var/cache/control`` removed; the locality mesh and desert grid, kept elsewhere
      and independent of the store, are loaded, not built);
    * **same day**: that day again (median of 5);
    * **new change point**: a day whose change point was never asked (median of 3): the
      kept series is loaded and that change point's map worked out;
    * **--warm**: ``geo control --warm``, once: every change point's map worked out and
      kept (a checkout without the option: "n/a");
    * **any day, warm**: after ``--warm``, days never asked before spread over the
      series (median of 7): what an analyst sees once the cache is warm;
    * **Python start**: ``python -c pass`` (median of 5), the floor under every run.

    Bytecode is written (PYTHONDONTWRITEBYTECODE dropped), as on an analyst's machine:
    without it every run compiles the modules it imports (~80 ms). Each figure is the
    wall time with the command's CPU time (user + system) in brackets: on a shared,
    loaded machine the CPU time is the steadier of the two."""
    rows = [_event_json(e) for e in synthetic_events(n, seed)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        events_file = Path(tmp) / "events.json"
        events_file.write_text(json.dumps(rows))
        for k, checkout in enumerate(checkouts):
            db = str(Path(tmp) / f"bench-{k}.sqlite")
            subprocess.run([sys.executable, "-c", _FILL, str(events_file), db],
                           cwd=checkout, env=env, check=True)

            def run(*args: str, checkout: Path = checkout, db: str = db
                    ) -> tuple[float, float] | None:
                """(wall ms, CPU ms of the command: user + system), None when the
                checkout's command refuses the arguments."""
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "geo", "control", *args,
                                       "--database", db], cwd=checkout, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                wall = (time.perf_counter() - t) * 1000
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if done.returncode == 2:                   # usage error: no such option
                    return None
                done.check_returncode()
                cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                return wall, cpu * 1000

            def median(runs: list[tuple[float, float] | None]) -> str:
                if any(r is None for r in runs):
                    return "n/a"
                wall = statistics.median(r[0] for r in runs if r)
                cpu = statistics.median(r[1] for r in runs if r)
                return f"{wall:,.0f} ({cpu:,.0f})"
            load = os.getloadavg()[0]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            starts = []
            for _ in range(5):
                t = time.perf_counter()
                subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
                starts.append((time.perf_counter() - t) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / 5
            start = f"{statistics.median(starts):,.0f} ({cpu * 1000:,.0f})"
            # Cold means cold: nothing kept from earlier runs (catchments are kept by the
            # towns' points, which every run of this bench shares).
            shutil.rmtree(checkout / "var" / "cache" / "control", ignore_errors=True)
            cold = median([run("--date", "2015-09-01")])
            same = median([run("--date", "2015-09-01") for _ in range(5)])
            other = median([run("--date", f"2016-0{m}-15") for m in (2, 4, 6)])
            warm = median([run("--warm")])
            later = median([run("--date", day) for day in (
                "2014-08-20", "2014-12-03", "2015-04-28", "2015-10-11", "2016-05-05",
                "2016-11-30", "2017-03-09")]) if warm != "n/a" else "n/a"
            out.append(f"| `{checkout}` | {n:,} | {start} | {cold} | {same} | {other} | "
                       f"{warm} | {later} | {load:.1f} |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-synthetic", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--before", type=Path, default=None, metavar="CHECKOUT",
                        help="also time the command in this checkout (e.g. a worktree of "
                             "the commit before a change), first, in the same run")
    parser.add_argument("--places", type=int, default=5000,
                        help="places in the command's store")
    args = parser.parse_args()
    print(f"Machine: {cpu_model()}, Python {platform.python_version()}, "
          f"shapely {shapely.__version__}")
    t = time.perf_counter()
    mesh = default_mesh()
    print(f"\nLocality mesh: {len(mesh):,} localities, settled land "
          f"{float(np.sum(mesh.cell_km2)):,.0f} km² (load {time.perf_counter() - t:.2f} s)")
    series = ControlSeries(load_curated_timeline())
    print(f"\nCurated timeline: {len(series.keys)} places, {len(series)} change points\n")
    print("| date | IHS Conflict Monitor | this project | ratio | IS drawn in parts | "
          "largest part |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(ihs_table(series)))
    if not args.no_synthetic:
        print("\n| case | per day, recomputed (ms) | series build (ms) | first map (ms) | "
              "territory per change point, first visit (ms) | browser document (to_json) | "
              "slider step, visited change point (ms) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for n in (500, 5000):
            print("\n".join(timings(n, args.seed)), flush=True)
    if not args.no_cli:
        print("\n`python -m geo control --date D` (SQLite store), wall ms (CPU ms):\n\n"
              "| checkout | places | Python start | cold | same day | new change point | "
              "--warm | any day, warm | load average |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        checkouts = ([args.before] if args.before else []) + [PROJECT]
        print("\n".join(cli(args.places, args.seed, checkouts)))
    _ = TO_OUTPUT
    return 0


if __name__ == "__main__":
    sys.exit(main())
