"""Export timings: one PNG snapshot showing 10,000 events, 24-frame monthly GIF and MP4.

    .venv/bin/python bench/bench_exports.py [--keep DIR]

Why these: a briefing officer exports one picture of "everything so far" (all events
drawn) and a two-year monthly timelapse. Events are ``tests.factories.sample_events``
(20 towns, 2014-06..2017-12) added to a fresh SQLite store; control areas use the store's
captures plus the curated timeline, as the dashboard does. Aims (issue #14): PNG with
10,000 events <= 1.5 s (everything: query, control map, drawing, labels, file), 24-frame
MP4 <= 20 s, 24-frame GIF <= 20 s. The PNG is written ``PNG_RUNS`` times after a warm-up
(median and fastest wall time, median CPU time of this process).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

from machine import cpu_model

from geo.exports.data import collect
from geo.exports.series import write_series
from geo.exports.snapshot import ImageSize, png_bytes, write_snapshot
from geo.exports.view import SnapshotView
from geo.store import open_store
from tests.factories import sample_events

#: The PNG is written this many times and the median reported (the machine is shared).
PNG_RUNS = 5


def _cpu() -> float:
    """CPU seconds of this process and its finished children (frame workers, ffmpeg)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the outputs into this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        with open_store(url) as store:
            store.add_events(sample_events(10_000, seed=0))
            view = SnapshotView(day=date(2017, 12, 31), window="upto",
                                title="All events to end 2017", marking="UNCLASSIFIED")
            size = ImageSize(1600, 1000, 150)
            png_bytes(collect(view.on(date(2015, 1, 1)), store, size), size)   # warm caches
            t0 = time.perf_counter()
            data = collect(view, store, size)
            t1 = time.perf_counter()
            png = png_bytes(data, size)
            t2 = time.perf_counter()
            snapshots: list[tuple[float, float]] = []
            for _ in range(PNG_RUNS):
                t, cpu = time.perf_counter(), _cpu()
                write_snapshot(view, folder / "bench-10k.png", store)
                snapshots.append((time.perf_counter() - t, _cpu() - cpu))
            timelapse = SnapshotView(day=date(2016, 1, 1), window="days:30")
            series: dict[str, tuple[float, float]] = {}
            for suffix in ("gif", "mp4"):
                frames: list[int] = []
                t, cpu = time.perf_counter(), _cpu()
                write_series(timelapse, date(2016, 1, 1), date(2017, 12, 1), "month",
                             folder / f"bench-timelapse.{suffix}", store,
                             progress=lambda done, total, seen=frames: seen.append(done))
                series[suffix] = (time.perf_counter() - t, _cpu() - cpu)
        print(f"Machine: {cpu_model()}, Python {platform.python_version()}")
        print("| measurement | time |\n|---|---|")
        print(f"| collect (query {data.n_events:,} events + control map) | {t1 - t0:.2f} s |")
        print(f"| render PNG 1600x1000 @150 dpi ({len(png) / 1e6:.1f} MB) | {t2 - t1:.2f} s |")
        walls, cpus = sorted(w for w, _ in snapshots), sorted(c for _, c in snapshots)
        print(f"| write_snapshot PNG, all steps, 10,000 events (median of {PNG_RUNS}) | "
              f"{statistics.median(walls):.2f} s (min {walls[0]:.2f}; CPU "
              f"{statistics.median(cpus):.2f} s) |")
        for suffix, size in (("gif", "1200x750"), ("mp4", "1280x720")):
            took, cpu = series[suffix]
            print(f"| {suffix.upper()} timelapse, {len(frames)} monthly frames {size} (30-day "
                  f"window) | {took:.1f} s ({took / max(len(frames), 1):.2f} s/frame; CPU "
                  f"{cpu:.1f} s in all processes) |")
        print(f"Load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
