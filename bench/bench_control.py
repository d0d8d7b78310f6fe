"""Control-map timings: one date and 100 consecutive dates at 500 and 5,000 synthetic places.

    .venv/bin/python bench/bench_control.py [--seed 0]

Why these: one date is what ``python -m geo control`` does; consecutive dates are the
dashboard's time slider, where the place set is stable and the cells cached per point
set should pay off (the aim: under 200 ms per date at 5,000 places). Synthetic places are
random points inside Iraq and Syria, each captured by IS and later retaken by the
government or SDF depending on its longitude, so fronts exist and move. Prints a
Markdown table for bench/README.md.
"""
from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script

import shapely
from machine import cpu_model

from geo.control.areas import cell_coverage, control_areas, load_borders, voronoi_cells
from geo.control.timeline import control_on
from geo.core.records import Event

START = date(2014, 6, 1)



def _cpu() -> str:
    return cpu_model()


def synthetic_events(n_places: int, seed: int) -> list[Event]:
    """Two captures per place (IS, then its enemy) at random days in 2014-2017."""
    rng = random.Random(seed)
    mask = shapely.union_all(load_borders().geometry.values)
    minx, miny, maxx, maxy = mask.bounds
    events: list[Event] = []
    while len(events) < 2 * n_places:
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not mask.contains(shapely.Point(lon, lat)):
            continue
        i = len(events) // 2
        enemy = "SDF" if lon < 40.5 and lat > 35.3 else ("SYR" if lon < 41 else "ISF")
        taken = START + timedelta(days=rng.randrange(0, 200))
        retaken = taken + timedelta(days=rng.randrange(100, 900))
        for force, old, day in (("IS", enemy, taken), (enemy, "IS", retaken)):
            events.append(Event(event_date=day, event_type="Battles",
                                sub_event_type="Government regains territory",
                                location=f"P{i}", latitude=lat, longitude=lon, country="SY",
                                place_id=f"p{i}", actor1_force=force, actor2_force=old,
                                control_to=force, event_id=f"p{i}-{force}"))
    return events


def _time(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    day = date(2015, 9, 1)
    rows = []
    for n in (500, 5000):
        events = synthetic_events(n, args.seed)
        t_rules = statistics.median(_time(lambda e=events: control_on(e, day)) for _ in range(3))
        places, _ = control_on(events, day)
        voronoi_cells.cache_clear()
        cell_coverage.cache_clear()
        cold = _time(lambda p=places: control_areas(p))
        warm = statistics.median(_time(lambda p=places: control_areas(p)) for _ in range(3))
        rows.append(f"| one date, {n:,} places | {t_rules:,.0f} | {cold:,.0f} | {warm:,.0f} |")
    consecutive = []
    for n in (500, 5000):
        events = synthetic_events(n, args.seed)
        voronoi_cells.cache_clear()
        cell_coverage.cache_clear()
        t = time.perf_counter()
        for k in range(100):
            places, _ = control_on(events, day + timedelta(days=k))
            control_areas(places)
        per_date = (time.perf_counter() - t) * 1000 / 100
        consecutive.append(f"| 100 consecutive dates, {n:,} places | | {per_date:,.0f} per "
                           "date (rules + areas) | |")
    print(f"Machine: {_cpu()}, Python {platform.python_version()}, shapely {shapely.__version__}")
    print()
    print("| case | rules ms | areas ms (cold cache) | areas ms (warm) |")
    print("| --- | ---: | ---: | ---: |")
    print("\n".join(rows))
    print("\n".join(consecutive))
    return 0


if __name__ == "__main__":
    sys.exit(main())
