"""Control of places over time: who held a town, and since when.

Kept as a package so the curated reference timeline (``geo.control.curated``) and the
control logic built on extracted events can live side by side without importing each other.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import shapely.geometry

from geo.core.records import Event

#: Shown to users next to the control map (the dashboard reads it from here).
METHOD_TEXT = (
    "Control is derived from reported captures, sieges and partial captures, plus the "
    "curated timeline. A capture counts from the last day its date allows (\"in May 2015\" "
    "counts from 31 May); before that the place is shown as contested between the old and "
    "the new holder. A later capture overrides an earlier one; reports by different forces "
    "with overlapping dates make the place contested; a siege marks the place besieged "
    "without changing its holder; a claim with no newer evidence for two years becomes "
    "unknown. Rejected events never count. Areas are drawn by giving each place the land "
    "nearer to it than to any other place (Voronoi), within 40 km of it and inside Iraq "
    "and Syria, merged per holding force; contested and unknown places are left as holes. "
    "A place outside Iraq and Syria gets no area and is listed as a problem. "
    "Front lines are where areas of hostile forces meet. The map is an estimate from the "
    "evidence at hand, not a survey of the ground: towns without reports are simply absent."
)


def _feature(geometry: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": shapely.geometry.mapping(geometry),
            "properties": properties}


def control_geojson(day: date, events: Iterable[Event], *, max_radius_km: float = 40,
                    stale_after_days: int | None = None) -> dict[str, Any]:
    """The control map of ``day`` as a GeoJSON FeatureCollection (EPSG:4326).

    Features: areas (``kind="area"``, force, force_name, colour), front lines
    (``kind="front"``, force_a, force_b) and places (``kind="place"``, name, force,
    since, status, event_ids, forces). Foreign members ``date``, ``method`` and
    ``problems`` (events skipped, places outside the mapped countries, contradictory
    analyst-checked captures) travel with it so a caller can show them. A place outside
    the countries keeps its place feature (the analyst must see the typo) but no area.
    """
    # Imported here so ``import geo.control.curated`` does not pull in geopandas/pyproj.
    from geo.control.areas import THEATRE_COUNTRIES, control_areas, places_outside
    from geo.control.timeline import STALE_AFTER_DAYS, control_on
    from geo.core.forces import default_forces

    forces = default_forces()
    places, problems = control_on(
        events, day, stale_after_days=STALE_AFTER_DAYS if stale_after_days is None
        else stale_after_days)
    for key in places_outside(places):
        p = places[key]
        problems.append(f"place {p.name} ({key}) at {p.lat:.4f}, {p.lon:.4f} lies outside "
                        f"the mapped countries ({', '.join(THEATRE_COUNTRIES)}): no area "
                        f"drawn for it (events {', '.join(p.event_ids) or 'none'})")
    areas, fronts = control_areas(places, max_radius_km=max_radius_km, forces=forces)
    features = [_feature(row.geometry, {"kind": "area", "force": row.force,
                                        "force_name": forces.display(row.force),
                                        "colour": forces.colour(row.force)})
                for row in areas.itertuples()]
    features += [_feature(row.geometry, {"kind": "front", "force_a": row.force_a,
                                         "force_b": row.force_b})
                 for row in fronts.itertuples()]
    for key, p in sorted(places.items(), key=lambda kv: kv[1].name):
        features.append(_feature(shapely.geometry.Point(p.lon, p.lat), {
            "kind": "place", "place_key": key, "name": p.name, "country": p.country,
            "force": p.force, "since": p.since.isoformat(), "status": p.status,
            "event_ids": list(p.event_ids), "forces": list(p.forces)}))
    return {"type": "FeatureCollection", "date": day.isoformat(), "method": METHOD_TEXT,
            "problems": problems, "features": features}
