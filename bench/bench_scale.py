"""Scale: import 100,000 ACLED-layout events, then a date-window query at N events,
on SQLite and on PostGIS (a throwaway local server, as in the tests).

    .venv/bin/python bench/bench_scale.py                 # 100,000 import + query at 100k
    .venv/bin/python bench/bench_scale.py --total 1000000 # also fill to 1M for the query
    .venv/bin/python bench/bench_scale.py --backends sqlite
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from itertools import islice
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from generate_events import generate, write_acled_csv  # noqa: E402
from machine import cpu_model  # noqa: E402

from geo.core.forces import default_forces  # noqa: E402
from geo.imports.run import import_file  # noqa: E402
from geo.store import EventFilter, open_store  # noqa: E402

WINDOW = EventFilter(date_from=date(2016, 10, 1), date_to=date(2016, 10, 31))


def _fill(url: str, start: int, total: int, batch: int = 100_000) -> float:
    """Add generated events (seed 1, no overlap with the imported file) up to ``total``."""
    t0 = time.perf_counter()
    events = generate(total - start, seed=1)
    with open_store(url) as store:
        while chunk := list(islice(events, batch)):
            store.add_events(chunk)
    return time.perf_counter() - t0


def _query(url: str, repeats: int = 7) -> tuple[float, int]:
    with open_store(url) as store:
        store.query_events(WINDOW)                         # warm the cache
        times, n = [], 0
        for _ in range(repeats):
            t0 = time.perf_counter()
            n = len(store.query_events(WINDOW))
            times.append(time.perf_counter() - t0)
    return statistics.median(times), n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--import-size", type=int, default=100_000)
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgis"])
    args = parser.parse_args()
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores")
    work = Path(tempfile.mkdtemp(prefix="geo-bench-"))
    csv_path = work / "acled.csv"
    t0 = time.perf_counter()
    write_acled_csv(generate(args.import_size, seed=0), csv_path)
    print(f"generated {args.import_size:,} events as CSV in {time.perf_counter() - t0:.1f} s")
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, work, True)
        for backend in args.backends:
            if backend == "sqlite":
                url = str(work / "bench.sqlite")
            else:
                sys.path.insert(0, str(PROJECT))
                from tests.postgis_server import throwaway_server
                url = stack.enter_context(throwaway_server())()
            t0 = time.perf_counter()
            with open_store(url) as store:
                summary = import_file("acled", csv_path, store, default_forces())
            took = time.perf_counter() - t0
            print(f"{backend}: import {args.import_size:,} events from CSV "
                  f"({summary.imported:,} imported, {len(summary.duplicates)} duplicates): "
                  f"{took:.1f} s ({summary.imported / took:,.0f} events/s)")
            t0 = time.perf_counter()
            with open_store(url) as store:
                again = import_file("acled", csv_path, store, default_forces())
            print(f"{backend}: re-import (all duplicates: {len(again.duplicates):,}): "
                  f"{time.perf_counter() - t0:.1f} s")
            median, n = _query(url)
            print(f"{backend}: query 1 month at {args.import_size:,} events -> {n:,} rows: "
                  f"{median * 1000:.1f} ms")
            if args.total > args.import_size:
                took = _fill(url, args.import_size, args.total)
                print(f"{backend}: filled to {args.total:,} events in {took:.0f} s")
                median, n = _query(url)
                print(f"{backend}: query 1 month at {args.total:,} events -> {n:,} rows: "
                      f"{median * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
