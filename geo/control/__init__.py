"""Control of places over time: who held a town, and since when.

Kept as a package so the curated reference timeline (``geo.control.curated``) and the
control logic built on extracted events can live side by side without importing each other.

Importing the package costs nothing beyond itself: ``python -m geo control`` reads a kept
answer through ``geo.control.cache`` and ``geo.control.daybook`` in milliseconds, and
the records or the method text are imported only by what uses them.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.control.method import METHOD_TEXT  # noqa: F401  (re-exported)
    from geo.core.records import Event


def __getattr__(name: str) -> Any:
    """``METHOD_TEXT`` (re-exported from ``geo.control.method``), imported when asked."""
    if name == "METHOD_TEXT":
        from geo.control.method import METHOD_TEXT

        return METHOD_TEXT
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
