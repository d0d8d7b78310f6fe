"""Control states at every change point, for scrubbing in the browser.

One function, ``control_states``, is all the map uses: it returns a JSON document of
schema ``geo.control.series/1`` (the format of issue #12's ``ControlSeries.to_json``):
``dates`` (change points), ``places`` [{key, name, lat, lon, country}], ``forces``
{id: {name, colour}}, ``hostile`` [[a, b]], ``epochs`` [{from, catchments: {place index:
GeoJSON geometry}, borders: [[p, q, GeoJSON line]]}], ``states`` [{date, epoch, changes:
{place index: [status code, force|null, since, [disputing event ids], holder_since] or
null}}]. The browser colours each catchment by its place's holder (the areas) and draws
the borders between places held by hostile forces (the front lines).

Why a switch: issue #12 builds that series in ``geo.control`` (vectorised, with catchments
over the settled land, one epoch per set of places). Until it is on main this module
computes the same document from the control rules that are (``geo.control.timeline``):
each place's claims are replayed at its own change days only (a place's state cannot
change between them), and the catchments are the cut Voronoi cells of ``geo.control.areas``
over *all* places with evidence, as one epoch (a place without a state yet is a hole
rather than land shared out to its neighbours: the only difference from the day map).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import numpy as np
import shapely
import shapely.geometry

from geo.core.forces import default_forces
from geo.core.records import Event

SCHEMA = "geo.control.series/1"
STATUS_CODES = ("held", "contested", "besieged", "unknown")
#: Reach of a catchment (the day map's ``control_areas`` default).
MAX_RADIUS_KM = 40.0


def control_states(captures: Iterable[Event], *, curated: bool = True,
                   fingerprint: str | None = None) -> dict[str, Any]:
    """The control series (schema above) of the store's capture/siege events plus, when
    ``curated``, the curated reference timeline."""
    try:   # issue #12's series, once it is on main
        from geo.control.history import control_series  # type: ignore[attr-defined]
    except ImportError:
        control_series = None
    if control_series is not None:
        series = control_series(list(captures), curated=curated, fingerprint=fingerprint)
        return dict(series.to_json())
    from geo.control.curated import load_curated_timeline

    evidence = list(captures) + (load_curated_timeline() if curated else [])
    return _series_json(evidence)


def _coord(value: float | None) -> float:
    """A coordinate of an event that made a claim (the rules only count located ones)."""
    return float("nan") if value is None else float(value)


def _series_json(events: list[Event]) -> dict[str, Any]:
    # Private helpers of the rules module: this whole function goes when #12 lands.
    from geo.control.areas import (
        _default_mask_wkb,
        _outside_flags,
        _project_xy,
        _to_output,
        cell_coverage,
        projected_mask,
    )
    from geo.control.timeline import STALE_AFTER_DAYS, _claim, _resolve, place_key

    forces = default_forces()
    claims: dict[str, list[Any]] = {}
    info: dict[str, Event] = {}
    problems: list[str] = []
    for event in events:
        claim, problem = _claim(event)
        if problem:
            problems.append(problem)
        key = place_key(event) if claim is not None else None
        if claim is None or key is None:
            continue
        claims.setdefault(key, []).append(claim)
        best = info.get(key)
        if best is None or (event.origin == "curated") > (best.origin == "curated"):
            info[key] = event
    keys = sorted(claims, key=lambda k: (info[k].location or k, k))
    # Each place's own change days: a claim starting, taking effect, going stale.
    timelines: list[list[tuple[date, tuple[Any, ...] | None]]] = []
    all_days: set[date] = set()
    for key in keys:
        days = sorted({d for c in claims[key] for d in (
            c.start, c.end, c.end + timedelta(days=STALE_AFTER_DAYS + 1),
            c.start + timedelta(days=STALE_AFTER_DAYS + 1))})
        line: list[tuple[date, tuple[Any, ...] | None]] = []
        previous: tuple[Any, ...] | None = None
        for day in days:
            state = _resolve(claims[key], day, STALE_AFTER_DAYS)
            value: tuple[Any, ...] | None = None if state is None or state.since is None else (
                STATUS_CODES.index(state.status), state.holder or None,
                state.since.isoformat(), [],
                state.holder_since.isoformat() if state.holder_since else None)
            if value != previous:
                line.append((day, value))
                all_days.add(day)
                previous = value
        timelines.append(line)
    dates = sorted(all_days)
    index_of = {d: i for i, d in enumerate(dates)}
    changes: list[dict[str, Any]] = [{} for _ in dates]
    for p, line in enumerate(timelines):
        for day, value in line:
            changes[index_of[day]][str(p)] = list(value) if value is not None else None
    used = sorted({c[1] for ch in changes for c in ch.values() if c and c[1]})

    catchments: dict[str, Any] = {}
    borders: list[list[Any]] = []
    if keys:
        wkb = _default_mask_wkb()
        xs, ys = _project_xy(np.array([_coord(info[k].longitude) for k in keys]),
                             np.array([_coord(info[k].latitude) for k in keys]))
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        outside = _outside_flags(projected_mask(wkb), xs, ys)
        first_at: dict[tuple[float, float], int] = {}
        for p in range(len(keys)):
            if not outside[p]:
                first_at.setdefault((round(float(xs[p])), round(float(ys[p]))), p)
            else:
                ev = info[keys[p]]
                problems.append(f"place {ev.location} ({keys[p]}) lies outside the mapped "
                                "countries (Iraq, Syria): no area drawn for it")
        points = tuple(sorted(first_at))
        if points:
            coverage = cell_coverage(points, wkb, MAX_RADIUS_KM * 1000.0)
            owner = [first_at[pt] for pt in points]
            geoms = _to_output(coverage.cells)
            for cell, geom in enumerate(geoms):
                if geom is not None and not geom.is_empty:
                    catchments[str(owner[cell])] = shapely.geometry.mapping(
                        shapely.set_precision(geom, 1e-5))
            if len(coverage.pairs):
                lines = _to_output(coverage.edges)
                for (a, b), line in zip(coverage.pairs, lines):
                    borders.append([owner[int(a)], owner[int(b)], shapely.geometry.mapping(
                        shapely.set_precision(line, 1e-5))])
    return {
        "schema": SCHEMA, "crs": "EPSG:4326",
        "dates": [d.isoformat() for d in dates], "status_codes": list(STATUS_CODES),
        "places": [{"key": k, "name": info[k].location or k,
                    "lat": round(_coord(info[k].latitude), 5),
                    "lon": round(_coord(info[k].longitude), 5),
                    "country": info[k].country or ""} for k in keys],
        "forces": {f: {"name": forces.display(f), "colour": forces.colour(f)} for f in used},
        "hostile": [[a, b] for i, a in enumerate(used) for b in used[i + 1:]
                    if forces.hostile(a, b)],
        "epochs": [{"from": 0, "catchments": catchments, "borders": borders}],
        "states": [{"date": d.isoformat(), "epoch": 0, "changes": changes[i]}
                   for i, d in enumerate(dates)],
        "problems": problems,
    }


def places_on(series: dict[str, Any], day: date) -> dict[str, dict[str, Any]]:
    """Place key -> ``{name, status, force, since}`` on ``day`` from a series document:
    the states replayed up to the last change point on or before the day (what the
    browser draws; tests and a caption read it the same way)."""
    state: dict[str, Any] = {}
    for entry in series["states"]:
        if date.fromisoformat(entry["date"]) > day:
            break
        state.update(entry["changes"])
    codes = series.get("status_codes", list(STATUS_CODES))
    out: dict[str, dict[str, Any]] = {}
    for index, value in state.items():
        if value is None:
            continue
        place = series["places"][int(index)]
        out[place["key"]] = {"name": place["name"], "status": codes[value[0]],
                             "force": value[1] or "", "since": value[2]}
    return out
