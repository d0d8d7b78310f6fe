"""Control of places over time: who held a town, and since when.

Kept as a package so the curated reference timeline (``geo.control.curated``) and the
control logic built on extracted events can live side by side without importing each other.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from geo.model import Event

#: Shown to users next to the control map (the dashboard reads it from here).
METHOD_TEXT = (
    "Who holds a town is worked out from reported captures, sieges and fighting inside "
    "towns, plus the curated timeline. Reports of the same town (same gazetteer id, or "
    "same name within 5 km) are one place. Claims are weighed, not counted: an "
    "analyst's confirmation outweighs the curated timeline, which outweighs a capture "
    "reported by several independent sources, which outweighs a single machine-read "
    "report; a later claim outweighs an earlier one of the same weight. A lone report "
    "that contradicts a better one marks the town disputed (for review) but does not "
    "change its holder. A capture counts from the last day its date allows (\"in May "
    "2015\" from 31 May). Contested means the sources report fighting inside the town. "
    "The force a town was first taken from is taken to have held it before (shown as "
    "inferred). A machine-read claim with no newer evidence for two years becomes "
    "unknown. Territory is an estimate: every locality of the gazetteer (about 31,000 in "
    "Iraq and Syria) follows the nearest town with a known state along the chain of "
    "settlements (within 100 km), and only settled land is shaded (a few km around "
    "each locality, wider where villages are sparse, and corridors between neighbouring "
    "villages); open desert stays blank. Front lines are where land of hostile forces "
    "meets. Areas are computed in a Lambert azimuthal equal-area projection."
)


def control_geojson(day: date, events: Iterable[Event], *,
                    stale_after_days: int | None = None) -> dict[str, Any]:
    """The control map of ``day`` as a GeoJSON FeatureCollection (EPSG:4326).

    Features: areas (``kind="area"``, force, force_name, colour, km2, places), front lines
    (``kind="front"``, force_a, force_b) and places (``kind="place"``, place_key, name,
    force, since, holder_since, status, disputed, tier, inferred, changed_recently,
    event_ids, forces). Foreign members ``date``, ``method`` and ``problems`` (events
    skipped, places outside the mapped countries, conflicting checked claims) travel with
    it. One day of a ``ControlSeries``: build the series yourself to scrub many days.
    """
    from geo.control.series import ControlSeries
    from geo.control.timeline import STALE_AFTER_DAYS

    series = ControlSeries(events, stale_after_days=STALE_AFTER_DAYS
                           if stale_after_days is None else stale_after_days)
    return series.collection_on(day)
