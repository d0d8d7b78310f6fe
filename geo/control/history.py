"""The control history of a place: the claims (captures, partial captures, sieges) behind
what the control map shows, in the order the rules replay them.

Why a separate, pure module: the map popup, a future export and the tests all need the
same list, and it must agree with ``geo.control.timeline`` about which events count (so
it reuses the timeline's own claim reader instead of re-stating the rules).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from geo.control.timeline import _claim, place_key
from geo.core.forces import default_forces
from geo.core.records import Event, Origin

#: Wording of a claim kind in a popup ("partial" alone reads like a verdict).
KIND_TEXT = {"capture": "capture", "partial": "partial capture", "siege": "siege"}
#: Label of the curated reference timeline wherever a source is shown.
CURATED = "curated"
_STATUS_MARK = "; status: "
#: Event fields that are not scalar (left out of the fingerprint; the store never
#: returns them with a frame anyway).
_LIST_FIELDS = frozenset({"article_ids", "evidence"})


def curated_citation(event: Event) -> tuple[str, str]:
    """(citation, analyst note) of a curated event, split out of its ``notes``.

    ``geo.control.curated`` writes notes as ``"<title> (<publication>, <date>); status:
    <status>[; <note>]"``: the part before the status is the citation.
    """
    notes = event.notes or ""
    if _STATUS_MARK not in notes:
        return notes.strip(), ""
    citation, rest = notes.split(_STATUS_MARK, 1)
    _status, _sep, note = rest.partition("; ")
    return citation.strip(), note.strip()


def _date_text(start: date, end: date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"


def history_entry(event: Event) -> dict[str, Any] | None:
    """One claim of an event as plain values (no markup), or None when the event makes no
    claim the control rules count (not a capture or siege, rejected, or incomplete)."""
    claim, _problem = _claim(event)
    if claim is None:
        return None
    forces = default_forces()
    curated = event.origin == Origin.CURATED.value
    if curated:
        citation, note = curated_citation(event)
    else:
        citation, note = (event.source or "").strip(), (event.notes or "").strip()
    return {
        "event_id": event.event_id,
        "date": _date_text(claim.start, claim.end),
        "date_min": claim.start.isoformat(),
        "date_max": claim.end.isoformat(),
        "kind": KIND_TEXT[claim.kind],
        "force_to": claim.to,
        "force_to_name": forces.display(claim.to) if claim.to else "",
        "force_from": claim.old,
        "force_from_name": forces.display(claim.old) if claim.old else "",
        "source": CURATED if curated else (event.origin or "extracted"),
        "review_status": event.review_status,
        "citation": citation,
        "note": note,
        # Curated rows have no page of their own; reported events open on the Events page.
        "link": "" if curated or not event.event_id else f"/events?event_id={event.event_id}",
    }


def place_history(events: Iterable[Event], key: str, *, until: date | None = None
                  ) -> list[dict[str, Any]]:
    """Every counted claim about the place ``key`` (see ``timeline.place_key``), oldest
    first in replay order (interval end, then start, then id); with ``until``, only claims
    that had begun by that day, so a popup never shows the map's future."""
    entries = []
    for event in events:
        if place_key(event) != key:
            continue
        entry = history_entry(event)
        if entry is None or (until is not None and entry["date_min"] > until.isoformat()):
            continue
        entries.append(entry)
    return sorted(entries, key=lambda e: (e["date_max"], e["date_min"], e["event_id"]))


def with_histories(collection: dict[str, Any], events: Iterable[Event]) -> dict[str, Any]:
    """A copy of a ``control_geojson`` collection whose places carry ``history`` (claims up
    to the map's day) and ``sources`` (e.g. ["curated"]), and whose areas carry ``places``
    (name and status of the held or besieged places whose cells make up the area).

    Area membership needs no geometry: an area is the union of the cells of exactly the
    held and besieged places of its force (``geo.control.areas``).
    """
    day = date.fromisoformat(collection["date"])
    by_key: dict[str, list[Event]] = {}
    for event in events:
        key = place_key(event)
        if key is not None:
            by_key.setdefault(key, []).append(event)
    features: list[dict[str, Any]] = []
    members: dict[str, list[dict[str, str]]] = {}
    for feature in collection["features"]:
        props = dict(feature["properties"])
        if props.get("kind") == "place":
            history = place_history(by_key.get(props["place_key"], []), props["place_key"],
                                    until=day)
            props["history"] = history
            props["sources"] = sorted({h["source"] for h in history})
            if props.get("status") in ("held", "besieged") and props.get("force"):
                members.setdefault(props["force"], []).append(
                    {"name": props.get("name", ""), "status": props["status"]})
        features.append({**feature, "properties": props})
    for feature in features:
        props = feature["properties"]
        if props.get("kind") == "area":
            props["places"] = sorted(members.get(props["force"], []), key=lambda p: p["name"])
    return {**collection, "features": features}


def evidence_fingerprint(events: Iterable[Event]) -> str:
    """A short hash of the events' ids and every scalar value, independent of order.

    Why every value and not only ids: an analyst's correction (new date, new force,
    rejection) keeps the id but changes the map, so a cache keyed on ids alone would keep
    showing the old control.
    """
    names = [f.name for f in fields(Event) if f.name not in _LIST_FIELDS]
    rows = sorted(json.dumps([getattr(e, n) for n in names], default=str) for e in events)
    digest = hashlib.sha256()
    for row in rows:
        digest.update(row.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:16]


def control_map(day: date, captures: Iterable[Event], *, curated: bool = True
                ) -> dict[str, Any]:
    """The control map the dashboard draws for ``day``: ``control_geojson`` over the
    store's capture/siege events plus (unless ``curated`` is False) the curated reference
    timeline, with each place's history and each area's places (``with_histories``).

    Kept here rather than in the page so the same evidence mix is testable without
    Streamlit; the curated file is read on each call (about 10 ms), the page caches."""
    from geo.control import control_geojson
    from geo.control.curated import load_curated_timeline

    evidence = list(captures) + (load_curated_timeline() if curated else [])
    return with_histories(control_geojson(day, evidence), evidence)
