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
from typing import TYPE_CHECKING, Any

from geo.control.claims import (
    PRESUMED_ORIGIN,
    STATED,
    STATED_TAG,
    TIER_NAMES,
    Claim,
    claim_of,
    from_holding,
)
from geo.control.wording import HolderWhen, claim_date
from geo.core.forces import default_forces
from geo.core.links import event_link, holding_link
from geo.core.records import Event, Origin

if TYPE_CHECKING:
    from geo.control.series import ControlSeries

#: Wording of a claim kind in a popup ("partial" alone reads like a verdict).
KIND_TEXT = {"capture": "capture", "partial": "partial capture (fighting inside)",
             "siege": "siege", "held": "reported held"}
#: Wording of a holding stated in passing (rule 9): no change was reported.
STATED_TEXT = "held, stated in passing"
#: Wording of a presumption (rule 10: a government's seat) in a popup.
PRESUMED_KIND = "presumed held"
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


def history_entry(event: Event, claim: Claim | None = None) -> dict[str, Any] | None:
    """One claim of an event as plain values (no markup), or None when the event makes no
    claim the control rules count (not a capture or siege, rejected, or incomplete).
    ``claim`` is the event's claim as weighed within its place (corroboration raises a
    machine claim's tier); without it the event's own claim is used."""
    if claim is None:
        claim, _problem = claim_of(event)
    if claim is None:
        return None
    forces = default_forces()
    curated = event.origin == Origin.CURATED.value
    stated = from_holding(event)
    if curated:
        citation, note = curated_citation(event)
    else:
        citation, note = (event.source or "").strip(), (event.notes or "").strip()
    if stated:           # the note is the sentence that states it
        note = note.removeprefix(STATED_TAG).strip()
    if claim.presumed:
        note = ""           # the tag that makes it a held claim, nothing to read
    entry = {
        "event_id": event.event_id,
        "date": claim_date(claim.start, claim.end),
        "date_min": claim.start.isoformat(),
        "date_max": claim.end.isoformat(),
        "kind": STATED_TEXT if stated else PRESUMED_KIND if claim.presumed
        else KIND_TEXT[claim.kind],
        "force_to": claim.to,
        "force_to_name": forces.display(claim.to) if claim.to else "",
        "force_from": claim.old,
        "force_from_name": forces.display(claim.old) if claim.old else "",
        "source": CURATED if curated else (event.origin or "extracted"),
        "weight": TIER_NAMES[claim.tier],
        "n_sources": len(claim.sources),
        "review_status": event.review_status,
        # the articles behind it: what an export cites for a claim that is no stored
        # event (a holding stated in passing)
        "article_ids": list(event.article_ids or []),
        "citation": citation,
        "note": note,
        # Curated rows and presumptions have no page of their own; reported events open
        # on the Events page, stated holdings in its holdings section (to review them).
        "link": holding_link(event.event_id) if stated else
        "" if curated or claim.presumed else event_link(event.event_id),
    }
    if claim.presumed:
        # what it rests on instead of a document: the rule and the bundled data rows
        from geo.control.seats import presumption_basis

        entry["basis"] = presumption_basis(event.event_id, forces)
    return entry


def _entries(series: ControlSeries, key: str, until: date | None,
             disputed: tuple[str, ...] = (), only: frozenset[str] | None = None
             ) -> list[dict[str, Any]]:
    history = series.histories.get(key)
    if history is None:
        return []
    entries = []
    made = series.history_entries
    for claim in history.claims:
        if until is not None and claim.start > until:
            continue
        if only is not None and claim.event_id not in only:
            continue
        name = (key, claim.event_id, claim.end)     # (a siege still going on claims twice)
        if name in made:
            base = made[name]
        else:
            event = series.events_by_id.get(claim.event_id)
            base = made[name] = history_entry(event, claim) if event is not None else None
        if base is None:
            continue
        entries.append({**base, "disputes": claim.event_id in disputed,
                        "pending": until is not None and claim.end > until})
    return sorted(entries, key=lambda e: (e["date_max"], e["date_min"], e["event_id"]))


def place_history(events: Iterable[Event] | ControlSeries, key: str, *,
                  until: date | None = None) -> list[dict[str, Any]]:
    """Every counted claim about the place ``key`` (a merged place: see
    ``geo.control.places``), oldest first in replay order (interval end, then start, then
    id); with ``until``, only claims that had begun by that day, so a popup never shows
    the map's future."""
    return _entries(_as_series(events), key, until)


def sources_text(event_ids: Iterable[str], history: list[dict[str, Any]]) -> str:
    """On which sources a state rests: each of its claims (``event_ids``) among
    ``history`` (``place_history`` entries) with its weight: "curated: <citation>",
    "single report (1 article)", a presumption's basis; "none" without any. The one
    wording of the popups (the dashboard's, the single-day layer's) and the GIS
    exports' ``sources``."""
    ids = set(event_ids)
    parts = []
    for h in history:
        if h.get("event_id") not in ids:
            continue
        if h.get("source") == CURATED:
            parts.append(f"curated: {h.get('citation') or 'cited row'}")
        elif h.get("source") == PRESUMED_ORIGIN:
            parts.append(str(h.get("citation") or "presumed"))
        else:
            n = int(h.get("n_sources") or 0)
            parts.append(f"{h.get('weight', h.get('source'))} ({n} article{'s' if n != 1 else ''})")
    return "; ".join(parts)


def state_sources(series: ControlSeries, key: str, event_ids: Iterable[str]) -> str:
    """``sources_text`` of the claims ``event_ids`` of the place ``key`` (only their
    entries are made: a place of a big store has thousands of claims)."""
    ids = frozenset(event_ids)
    return sources_text(ids, _entries(series, key, None, only=ids))


def _as_series(events: Iterable[Event] | ControlSeries) -> ControlSeries:
    from geo.control.series import ControlSeries
    if isinstance(events, ControlSeries):
        return events
    return ControlSeries(list(events))


def with_histories(collection: dict[str, Any], events: Iterable[Event] | ControlSeries
                   ) -> dict[str, Any]:
    """A copy of a control collection whose places carry ``history`` (claims up to the
    map's day, each with its weight, whether it disputes the holder and whether it is
    still pending) and ``sources`` (e.g. ["curated", "extracted"]), and whose areas keep
    their ``places`` as ``{name, status}`` records for the popup."""
    series = _as_series(events)
    day = date.fromisoformat(collection["date"]) if collection.get("date") else None
    features: list[dict[str, Any]] = []
    status_of: dict[str, str] = {}
    for feature in collection["features"]:
        props = feature["properties"]
        if props.get("kind") == "place":
            props = place_with_history(props, series, day)
            status_of[props.get("name", "")] = props.get("status", "")
        else:
            props = dict(props)
        features.append({**feature, "properties": props})
    for feature in features:
        props = feature["properties"]
        if props.get("kind") == "area":
            props["places"] = area_places(props.get("places", []), status_of)
    return {**collection, "features": features}


def place_with_history(props: dict[str, Any], series: ControlSeries, day: date | None
                       ) -> dict[str, Any]:
    """A copy of a place's map properties with its ``history`` up to ``day`` and the
    ``sources`` behind it (``with_histories``, one place)."""
    history = _entries(series, props["place_key"], day, tuple(props.get("disputed", [])))
    out = {**props, "history": history, "sources": sorted({h["source"] for h in history})}
    when = holder_when_of(props, series)
    if when is not None:
        out["holder_when"] = {"kind": when.kind, "lead": when.lead, "note": when.note}
    return out


def holder_when_of(props: dict[str, Any], series: ControlSeries) -> HolderWhen | None:
    """How the holder of a map's place (its properties) is known
    (``ControlSeries.holder_when``): what the popups and exports say after "held by"."""
    def day(name: str) -> date | None:
        value = props.get(name)
        return date.fromisoformat(value) if value else None
    return series.holder_account(
        str(props.get("place_key") or ""), str(props.get("force") or ""),
        props.get("event_ids") or (), tier=int(props.get("tier", -2)),
        inferred=bool(props.get("inferred")), since=day("holder_since"),
        since_from=day("holder_from"))


def area_places(names: Iterable[str | dict[str, str]], status_of: dict[str, str]
                ) -> list[str | dict[str, str]]:
    """An area's member places as ``{name, status}`` records (``status_of``: the status
    of each place on the map by name; a name not on it reads "held")."""
    return [{"name": n, "status": status_of.get(n, "held")} if isinstance(n, str) else n
            for n in names]


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


def control_series(captures: Iterable[Event], *, curated: bool = True,
                   fingerprint: str | None = None) -> ControlSeries:
    """The ``ControlSeries`` of the store's capture/siege events plus (unless ``curated``
    is False) the curated timeline, kept in-process per (evidence fingerprint, curated)
    beside the store's kept series (``geo.control.memo``): scrubbing days then never
    recomputes control."""
    from geo.control import memo

    captures = list(captures)
    name = f"evidence:{fingerprint or evidence_fingerprint(captures)}:curated={curated}"
    series = memo.remembered(name)
    if series is None:
        series = build_series(captures, curated=curated)
        memo.remember(name, series)
    return series


def build_series(captures: Iterable[Event], *, curated: bool = True) -> ControlSeries:
    """A new ``ControlSeries`` of the captures plus (unless ``curated`` is False) the
    curated timeline, whose bad rows become the series' first problems."""
    from geo.control.curated import load_curated_timeline_checked
    from geo.control.series import ControlSeries

    rows, bad_rows = load_curated_timeline_checked() if curated else ([], [])
    return ControlSeries(list(captures) + rows, problems=bad_rows)


def control_map(day: date, captures: Iterable[Event], *, curated: bool = True,
                fingerprint: str | None = None) -> dict[str, Any]:
    """The control map the dashboard draws for ``day``: the day of ``control_series``
    with each place's history and each area's places (``with_histories``)."""
    series = control_series(captures, curated=curated, fingerprint=fingerprint)
    return with_histories(series.collection_on(day), series)


def disputes_to_review(series: ControlSeries) -> list[dict[str, Any]]:
    """The Events page's review queue: the claims that contradict a better-supported
    holder (``ControlSeries.disputes``), each row naming the event, the place, what it
    claims and whom it contradicts, then the holdings stated in passing that contradict
    one (``overruled_holdings``). Only the store's own events and holdings are listed
    (curated rows are the reference)."""
    rows = [row for row in series.disputes() if not row["event_id"].startswith("curated-")]
    rows += overruled_holdings(series)
    return sorted(rows, key=lambda r: (r["date"], r["place"], r["event_id"]))


def overruled_holdings(series: ControlSeries) -> list[dict[str, Any]]:
    """Holdings stated in passing, not yet reviewed, that name another holder than a
    better-supported claim gives the place on their day: rows shaped like
    ``ControlSeries.disputes``' (``claim_kind`` "stated"). Rule 9 keeps them from
    marking the place disputed on the map (a passing mention never disputes a report),
    but a misread one is what the analyst should look at: confirming it makes it an
    analyst's claim, rejecting it drops it."""
    rows = []
    for key in series.keys:
        history = series.histories[key]
        for claim in history.claims:
            if claim.tier != STATED:
                continue
            held = history.control_on(claim.end)
            if held is None or not held.force or held.force == claim.to \
                    or held.tier <= STATED:
                continue
            rows.append({"event_id": claim.event_id, "place_key": key,
                         "place": history.ref.name, "date": claim.end.isoformat(),
                         "claim_force": claim.to, "claim_kind": "stated",
                         "holder": held.force, "holder_weight": TIER_NAMES.get(held.tier, ""),
                         "from": claim.end.isoformat(), "until": claim.end.isoformat()})
    return rows


def places_to_review(series: ControlSeries) -> dict[str, dict[str, Any]]:
    """What the Events page opens on a control popup's review link
    (``geo.core.links.place_review_link``): per place key with something to review, its
    name and the holdings stated in passing about it (ids, oldest first). A place has
    something to review when a claim disputed its holder at some time or an article
    stated in passing who held it; the disputes themselves are the queue's rows
    (``disputes_to_review``, which name the place key)."""
    out: dict[str, dict[str, Any]] = {}
    events = series.events_by_id
    for key in series.keys:
        history = series.histories[key]
        holdings = list(dict.fromkeys(
            c.event_id for c in history.claims
            if c.event_id in events and from_holding(events[c.event_id])))
        disputed = any(snap is not None and snap.disputed for _, snap in history.segments)
        if holdings or disputed:
            out[key] = {"name": history.ref.name, "holdings": holdings}
    return out
