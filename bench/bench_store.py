"""Store timings: ingest 10,000 extracted events, then date-window queries at 100,000 events.

    .venv/bin/python bench/bench_store.py [--events 100000] [--keep DIR]

Why these two: ingest is the pipeline's write path (one transaction per article, with a
dedup lookup per event); the date-window query runs on every step of the dashboard's
time slider. Prints a Markdown table for bench/README.md.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

from machine import cpu_model

from geo.store import open_store
from geo.store.query import EventFilter
from tests.factories import sample_batches, sample_events


def _cpu() -> str:
    return cpu_model()


def _median_ms(fn, repeat: int = 7) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--ingest-articles", type=int, default=2_000)
    parser.add_argument("--per-article", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the database in this folder")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_store_"))
    path = folder / "bench.sqlite"
    path.unlink(missing_ok=True)
    rows: list[tuple[str, str]] = []
    with open_store(str(path)) as store:
        batches = sample_batches(args.ingest_articles, args.per_article, seed=7)
        n_in = sum(len(events) for _, events in batches)
        t0 = time.perf_counter()
        added = merged = 0
        for article, events in batches:
            result = store.ingest(article, events)
            added, merged = added + result.events_added, merged + result.events_merged
        dt = time.perf_counter() - t0
        rows.append((f"ingest {n_in:,} events in {len(batches):,} articles "
                     f"(one transaction each; {added:,} added, {merged:,} merged)",
                     f"{dt:.2f} s ({n_in / dt:,.0f} events/s)"))

        fill = max(0, args.events - store.counts()["events"])
        t0 = time.perf_counter()
        for start in range(0, fill, 10_000):
            store.add_events(sample_events(min(10_000, fill - start), seed=1000 + start))
        dt = time.perf_counter() - t0
        total = store.counts()["events"]
        rows.append((f"add_events {fill:,} imported events (batches of 10,000)",
                     f"{dt:.2f} s ({fill / max(dt, 1e-9):,.0f} events/s)"))

        windows = [
            ("1 day", EventFilter(date_from=date(2016, 6, 19), date_to=date(2016, 6, 19))),
            ("1 month", EventFilter(date_from=date(2016, 6, 1), date_to=date(2016, 6, 30))),
            ("1 month + force SDF", EventFilter(date_from=date(2016, 6, 1),
                                                date_to=date(2016, 6, 30), forces=("SDF",))),
            ("1 year", EventFilter(date_from=date(2016, 1, 1), date_to=date(2016, 12, 31))),
            ("everything", EventFilter()),
        ]
        for label, flt in windows:
            ms, frame = _median_ms(lambda flt=flt: store.query_events(flt))
            rows.append((f"query_events, {label}, at {total:,} events -> {len(frame):,} rows",
                         f"{ms:,.1f} ms (median of 7)"))
    size_mb = path.stat().st_size / 1e6
    rows.append(("database file size", f"{size_mb:,.1f} MB"))

    print(f"Machine: {_cpu()}, {platform.machine()}, Python {platform.python_version()}, "
          f"SQLite {__import__('sqlite3').sqlite_version}\n")
    print("| measurement | time |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    if args.keep is None:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
