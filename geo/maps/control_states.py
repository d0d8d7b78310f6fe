"""Control states at every change point, for scrubbing in the browser.

``control_states`` (the HTML export's scrub) and ``publish_control`` (the dashboard's,
from the store's kept series) give a JSON document of
schema ``geo.control.series/1`` (the format of issue #12's ``ControlSeries.to_json``):
``dates`` (change points), ``places`` [{key, name, lat, lon, country}], ``forces``
{id: {name, colour}}, ``hostile`` [[a, b]], ``epochs`` [{from, catchments: {place index:
GeoJSON geometry}, borders: [[p, q, GeoJSON line]]}], ``states`` [{date, epoch, changes:
{place index: [status code, force|null, since, [disputing event ids], holder_since,
last_force|null (a stale place's last reported holder, rule 8), the holder: its since
as its report gave it ("December 2015": ``geo.control.wording.held_since``) when a
report shows it taking the place, else [lead, note] of ``geo.control.wording.HolderWhen``
(inferred: ["before 2014-06-10", "inferred: IS took it from ISF on 2014-06-10; no report
of ISF taking it"]; presumed: ["throughout the record", "presumed: ..."]), null without
a holder, basis index (``browser_document`` adds it)] or null}}].
The browser colours each catchment by its place's holder (the areas) and draws
the borders between places held by hostile forces (the front lines).

Built by ``geo.control.series.ControlSeries`` (issue #12): catchments over the settled
land, one epoch per set of places with a state, only the changes per change point.

``browser_document`` adds what the exports draw besides the catchments: the desert a
force holds between its towns (``desert``: ``blocks`` [GeoJSON geometry], ``km2``
[float], ``changes`` [per change point {block index: force or null}]). The pieces of
desert (``ControlSeries.desert_pieces_each``) that change hands together at every change
point form one block, united once here: so the page draws, per change point, the very
land of the export's "desert" features, with no geometry work in the browser and a
document a few hundred KB larger (599 blocks for the curated timeline's 5,815 pieces).

It adds too what a place's popup says beside the state (``popup_bases``): each state's
basis and sources as an index (an eighth member) into ``bases`` [[basis, sources,
review]], the texts of the GIS exports' ``basis`` and ``sources`` columns, told once
however many states share them; and the link to review a place's control
(``geo.core.links.place_review_link_for_a_day``: the popup appends the day it shows) on
the places that ever need one (``review``: disputed, or held on a holding stated in
passing that no analyst checked). A popup's
short history is the place's own states replayed up to the day: no control work and no
more data in the browser.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from geo.control.series import ControlSeries
    from geo.core.records import Event

#: Part of the published file's name: bump when ``browser_document`` changes shape, so
#: a dashboard never serves a file written by older code for the same series.
BROWSER_FORMAT = "b6"


def control_states(captures: Iterable[Event], *, curated: bool = True,
                   fingerprint: str | None = None) -> dict[str, Any]:
    """The control series (schema above) of capture/siege events in hand (an HTML
    export's, up to its day) plus, when ``curated``, the curated reference timeline
    (``geo.control.history.control_series``, kept in-process per evidence
    fingerprint)."""
    from geo.control.history import control_series

    series = control_series(list(captures), curated=curated, fingerprint=fingerprint)
    return browser_document(series)


def browser_document(series: ControlSeries) -> dict[str, Any]:
    """``series.to_json()`` with the desert each force holds (``desert_document``)."""
    document = dict(series.to_json())
    document["desert"] = desert_document(series)
    popup_bases(series, document)
    return document


#: Said after the basis of a holder known only from a later report (rule 7: the force
#: a capture took the place from, or a first report of it held, reaching back): the
#: sources named are that later report's.
INFERRED_NOTE = "; inferred back from a later report"


def popup_bases(series: ControlSeries, document: dict[str, Any]) -> None:
    """Add to ``document`` (``series.to_json()``, changed in place) each state's basis
    and sources (module docstring): the same words as the exports' columns and the
    single-day popups (``geo.control.history.sources_text``, ``TIER_NAMES``)."""
    from geo.control.claims import STATED, TIER_NAMES
    from geo.control.history import state_sources
    from geo.core.links import place_review_link_for_a_day

    cp_of = {d: i for i, d in enumerate(series.change_points)}
    states = document["states"]
    bases: dict[tuple[str, str, int], int] = {}
    for p, key in enumerate(series.keys):
        review = False
        for day, snap in series.histories[key].segments:
            change = states[cp_of[day]]["changes"].get(str(p))
            if snap is None or not isinstance(change, list):
                continue
            stated = bool(snap.force) and snap.tier == STATED
            basis = TIER_NAMES.get(snap.tier, "") if snap.force else ""
            if basis and snap.inferred:
                basis += INFERRED_NOTE
            text = (basis, state_sources(series, key, snap.event_ids), int(stated))
            change.append(bases.setdefault(text, len(bases)))
            review = review or stated or bool(snap.disputed)
        if review:
            document["places"][p]["review"] = place_review_link_for_a_day(key)
    document["bases"] = [list(text) for text in bases]


def desert_document(series: ControlSeries) -> dict[str, Any]:
    """The desert held at every change point as blocks of land (module docstring).

    A piece's owner is worked out per change point by the series' own rule; pieces whose
    owners are the same at every change point are one block (their land united by
    ``desert_land``, as the export unites a force's pieces), and each change point lists
    only the blocks whose owner changed. Blocks never overlap each other or the
    catchments, so a force's land on a day is its catchments plus its blocks."""
    from geo.control.territory import desert_land, rounded_mapping, to_output

    n = len(series)
    held = list(series.desert_pieces_each())
    forces = sorted({f for day in held for f in day})
    pieces = np.unique(np.concatenate([c for day in held for c in day.values()]
                                      or [np.empty(0, dtype=np.int64)])).astype(np.int64)
    if not len(pieces):
        return {"blocks": [], "km2": [], "changes": [{} for _ in range(n)]}
    code = {f: k for k, f in enumerate(forces)}
    owners = np.full((n, len(pieces)), -1, dtype=np.int16)
    for i, day in enumerate(held):
        for force, cells in day.items():
            owners[i, np.searchsorted(pieces, cells)] = code[force]
    # Pieces with the same owner at every change point form one block.
    histories, block_of = np.unique(owners.T, axis=0, return_inverse=True)
    block_of = np.asarray(block_of).ravel()
    order = np.argsort(block_of, kind="stable")
    bounds = np.flatnonzero(np.diff(block_of[order])) + 1
    lands, km2 = [], []
    for members in np.split(pieces[order], bounds):
        land, size = desert_land(series.desert, series.mesh, members)
        lands.append(land)
        km2.append(round(float(size), 3))
    blocks = [rounded_mapping(g) for g in to_output(np.asarray(lands, dtype=object))]
    changes: list[dict[str, str | None]] = []
    previous = np.full(len(histories), -1, dtype=np.int16)
    for i in range(n):
        now = histories[:, i]
        changes.append({str(b): forces[now[b]] if now[b] >= 0 else None
                        for b in np.flatnonzero(now != previous).tolist()})
        previous = now
    return {"blocks": blocks, "km2": km2, "changes": changes}


def _status_codes() -> list[str]:
    # Here, not at the top: the dashboard's server imports this module (for
    # ``publish_control``, run in its worker) and needs none of the series machinery
    # (shapely, scipy: half a second of its first page).
    from geo.control.series import STATUS_CODES

    return list(STATUS_CODES)


def places_on(series: dict[str, Any], day: date) -> dict[str, dict[str, Any]]:
    """Place key -> ``{name, status, force, since}`` on ``day`` from a series document:
    the states replayed up to the last change point on or before the day (what the
    browser draws; tests and a caption read it the same way)."""
    state: dict[str, Any] = {}
    for entry in series["states"]:
        if date.fromisoformat(entry["date"]) > day:
            break
        state.update(entry["changes"])
    codes = series.get("status_codes") or _status_codes()
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
    from geo.maps.scrub import DATA_DIR, SUFFIX, publish
    from geo.store import open_store

    with open_store(database_url, read_only=True) as store:
        key = cache.series_key(store, curated=curated)
        name = f"control-{BROWSER_FORMAT}-{key.store}-{key.digest}{SUFFIX}"
        published = cache.read_derived(key, "published", dict)
        if published is not None and str(published.get("url", "")).endswith(name) \
                and (DATA_DIR / name).is_file():
            return published
        series = cache.stored_series(store, curated=curated, key=key)
    document = browser_document(series)
    published = {"url": publish(document, "control", name=name),
                 "problems": list(document.get("problems", [])),
                 "places": len(document["places"]), "changes": len(document["dates"])}
    cache.keep_derived(key, "published", published)
    return published
