"""Control states at every change point, for scrubbing in the browser.

``control_states`` (the HTML export's scrub) and ``publish_control`` (the dashboard's,
from the store's kept series) give a JSON document of
schema ``geo.control.series/1`` (the format of issue #12's ``ControlSeries.to_json``):
``dates`` (change points), ``places`` [{key, name, lat, lon, country}], ``forces``
{id: {name, colour}}, ``hostile`` [[a, b]], ``epochs`` [{from, catchments: {place index:
GeoJSON geometry}, borders: [[p, q, GeoJSON line]]}], ``states`` [{date, epoch, changes:
{place index: [status code, force|null, since, [disputing event ids], holder_since] or
null}}]. The browser colours each catchment by its place's holder (the areas) and draws
the borders between places held by hostile forces (the front lines).

Built by ``geo.control.series.ControlSeries`` (issue #12): catchments over the settled
land, one epoch per set of places with a state, only the changes per change point.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from geo.control.series import STATUS_CODES
from geo.core.records import Event


def control_states(captures: Iterable[Event], *, curated: bool = True,
                   fingerprint: str | None = None) -> dict[str, Any]:
    """The control series (schema above) of capture/siege events in hand (an HTML
    export's, up to its day) plus, when ``curated``, the curated reference timeline
    (``geo.control.history.control_series``, kept in-process per evidence
    fingerprint)."""
    from geo.control.history import control_series

    series = control_series(list(captures), curated=curated, fingerprint=fingerprint)
    return dict(series.to_json())


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


def publish_control(database_url: str, curated: bool) -> dict[str, Any]:
    """The control series of a store's captures (plus the curated timeline) written for
    the browser (``geo.maps.scrub.publish``): ``{"url", "problems", "places", "changes"}``.
    Opens its own store: the page runs this in a worker process.

    The series is the one kept on disk for the store's events (``geo.control.cache``),
    and so is this answer while its file is served: a restarted dashboard publishes
    control at once instead of working it out again."""
    from geo.control import cache
    from geo.maps.scrub import DATA_DIR, publish
    from geo.store import open_store

    with open_store(database_url, read_only=True) as store:
        key = cache.series_key(store, curated=curated)
        name = f"control-{key.store}-{key.digest}.json"
        published = cache.read_derived(key, "published", dict)
        if published is not None and (DATA_DIR / name).is_file():
            return published
        series = cache.stored_series(store, curated=curated, key=key)
    document = dict(series.to_json())
    published = {"url": publish(document, "control", name=name),
                 "problems": list(document.get("problems", [])),
                 "places": len(document["places"]), "changes": len(document["dates"])}
    cache.keep_derived(key, "published", published)
    return published
