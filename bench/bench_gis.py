"""GIS file timings: events with the control map of a day as GeoJSON, GeoPackage and KML.

    .venv/bin/python bench/bench_gis.py [--events N]

Why: ``geo export --out F --control D`` and the Events page's downloads with control
layers write these files; an analyst exports a year or the whole record. Events are
``tests.factories.sample_events`` (seed 0) in a fresh SQLite store; control is the store's
series with the curated timeline (``control_for_export``), worked out once before the
timings as a warm dashboard or a second export has it. Each format is written
``RUNS`` times (median wall and CPU time of this process).
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

from machine import cpu_model

from geo.control.cache import stored_series
from geo.core.forces import default_forces
from geo.exports import gis
from geo.exports.control_gis import control_for_export
from geo.store import open_store
from tests.factories import sample_events

RUNS = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    forces = default_forces()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with open_store(f"sqlite:///{folder / 'bench.sqlite'}") as store:
            store.add_events(sample_events(args.events, seed=0))
            frame = store.query_events()
            control = control_for_export(stored_series(store, curated=True),
                                         date(2016, 6, 1))
        writers = {
            "geojson": lambda out: gis.write_geojson(frame, out, control, forces),
            "gpkg": lambda out: gis.write_gpkg(frame, out, control, forces),
            "kml": lambda out: gis.write_kml(frame, out, forces, control),
        }
        for suffix, write in writers.items():
            walls, cpus = [], []
            for _ in range(RUNS):
                t, cpu = time.perf_counter(), time.process_time()
                write(folder / f"bench.{suffix}")
                walls.append(time.perf_counter() - t)
                cpus.append(time.process_time() - cpu)
            size = (folder / f"bench.{suffix}").stat().st_size / 1e6
            rows.append((suffix, statistics.median(walls), statistics.median(cpus), size))
    print(f"Machine: {cpu_model()}, Python {platform.python_version()}")
    print(f"| {len(frame):,} events + control on 2016-06-01 | wall (median of {RUNS}) | "
          "CPU | file |\n|---|---:|---:|---:|")
    for suffix, wall, cpu, size in rows:
        print(f"| {suffix} | {wall:.2f} s | {cpu:.2f} s | {size:.1f} MB |")
    print(f"Load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
