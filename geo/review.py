"""What the Events and Places pages do with an analyst's input, without Streamlit.

The pages only draw widgets; turning widget values into a store change (and refusing
nonsense with a message naming the field) lives here, so it is tested without a browser
and the CLI could reuse it. Validation of values is left to the store
(``geo.core.validate``), which is the one gate into the database: this module only
turns text into numbers and keeps unchanged fields out of the change set, so the audit
trail records what the analyst really changed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from geo.core.errors import InputError
from geo.core.forces import ForceTable
from geo.core.records import Event, Holding, Place, ReviewStatus
from geo.core.validate import (
    STRICT,
    Allow,
    check_coordinate,
    check_count,
    check_event_day,
    check_point,
    parse_coordinate,
    parse_date,
)
from geo.store.base import Store
from geo.store.holding_review import is_holding_id
from geo.store.query import EventFilter

#: Columns of the events table, in the order analysts read them.
TABLE_COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "location", "event_type", "sub_event_type", "actor1_force",
    "actor2_force", "control_to", "fatalities", "review_status", "confidence", "n_sources",
    "origin", "latitude", "longitude",
)

#: Place types offered when adding a custom place (the gazetteer's own vocabulary).
PLACE_TYPES: tuple[str, ...] = (
    "locality", "neighbourhood", "region", "county", "campus", "airbase", "dam",
    "crossroad", "border", "river", "other",
)


def events_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The query result as a plain table (no geometry: st.dataframe cannot show it and
    does not need it); missing columns are skipped so an older store still works."""
    columns = [c for c in TABLE_COLUMNS if c in frame.columns]
    table = pd.DataFrame(frame[columns]).reset_index(drop=True)
    if "event_date" in table:
        table["event_date"] = pd.to_datetime(table["event_date"], errors="coerce").dt.date
    return table


def event_label(row: dict[str, Any]) -> str:
    """One line that lets an analyst recognise an event in a select box."""
    when = row.get("event_date") or "undated"
    if isinstance(when, float) and math.isnan(when):
        when = "undated"
    return (f"{when} · {row.get('location') or '?'} · {row.get('sub_event_type', '')} · "
            f"{row.get('actor1_force') or '?'} vs {row.get('actor2_force') or '-'} "
            f"[{row.get('review_status', '')}] ({row.get('event_id')})")


@dataclass(frozen=True)
class Correction:
    """What the edit form holds. ``place`` is a gazetteer candidate the analyst picked;
    typed ``latitude``/``longitude`` (text, empty = not given) win over it.

    ``event_date`` is typed text (``YYYY-MM-DD``; empty = undated) or a ``date``: a text
    box, because a date picker silently turns a typed 2015-02-30 into 2015-02-28."""

    event_date: date | str | None
    actor1_force: str
    actor2_force: str
    event_type: str
    sub_event_type: str
    fatalities: int
    place: Place | None = None
    latitude: str = ""
    longitude: str = ""


def typed_point(latitude: str, longitude: str, current: tuple[float | None, float | None],
                *, allow: Allow = STRICT) -> tuple[float, float] | None:
    """The point an analyst typed into a correction form (events and holdings alike), or
    None when both boxes are empty. Raises ``InputError`` naming the field for a value that
    is not a number, out of range, 0,0 or given alone; ``ConfirmationNeeded`` for a new
    point outside the theatre unless ``allow`` says it is meant (``current`` is the point
    the record has: keeping it asks for nothing)."""
    lat = parse_coordinate(latitude, "latitude")
    lon = parse_coordinate(longitude, "longitude")
    if (lat is None) != (lon is None):
        raise InputError("give both latitude and longitude, or neither",
                         field="longitude" if lat is not None else "latitude")
    if lat is None or lon is None:
        return None
    check_coordinate("latitude", lat)
    check_coordinate("longitude", lon)
    if (lat, lon) != current:
        check_point(lat, lon, allow=allow)
    return lat, lon


def correction_changes(event: Event, form: Correction, forces: ForceTable, *,
                       allow: Allow = STRICT, today: date | None = None) -> dict[str, Any]:
    """The fields ``form`` changes on ``event`` (only those, so the audit stays honest).

    A force change also sets the ACLED actor name of that force, so exports agree with
    the map. Raises ``InputError`` naming the field for a date that does not exist
    (2015-02-30) or is in the future, a coordinate that is not a number, out of range,
    0,0 or given alone, a negative or absurd count; ``ConfirmationNeeded`` for a date
    before 1990 or a point outside the theatre unless ``allow`` says the analyst meant it.
    """
    changes: dict[str, Any] = {}
    today = today or date.today()

    def put(name: str, value: Any) -> None:
        if getattr(event, name) != value:
            changes[name] = value

    day = parse_date(form.event_date, "event_date", today=today)
    if day != event.event_date:
        check_event_day(day, "event_date", allow=allow, today=today)
    put("event_date", day)
    for slot in ("actor1", "actor2"):
        force_id = getattr(form, f"{slot}_force")
        if force_id != getattr(event, f"{slot}_force"):
            changes[f"{slot}_force"] = force_id
            changes[slot] = forces[force_id].acled_actor if force_id in forces else ""
    put("event_type", form.event_type)
    put("sub_event_type", form.sub_event_type)
    put("fatalities", check_count(form.fatalities, "fatalities"))
    point = typed_point(form.latitude, form.longitude, (event.latitude, event.longitude),
                        allow=allow)
    if point is not None:
        put("latitude", point[0])
        put("longitude", point[1])
    elif form.place is not None and form.place.place_id != event.place_id:
        check_point(form.place.latitude, form.place.longitude, allow=allow)
        changes.update(location=form.place.name, latitude=form.place.latitude,
                       longitude=form.place.longitude, place_id=form.place.place_id)
        if form.place.admin1:
            changes["admin1"] = form.place.admin1
    return changes


def set_status(store: Store, event_id: str, status: ReviewStatus, *, author: str,
               note: str = "") -> Event:
    """Confirm or reject an event as it stands (an audit row records who and when)."""
    return store.update_event(event_id, {"review_status": status.value}, author=author,
                              note=note)


def evidence_rows(store: Store, event: Event) -> list[dict[str, Any]]:
    """Each supporting sentence with its article's title and date (what an analyst needs
    to judge the event without opening the file)."""
    rows = []
    for ev in event.evidence:
        article = store.get_article(ev.article_id) if ev.article_id else None
        rows.append({
            "article_id": ev.article_id,
            "title": article.title if article else "",
            "published": article.published if article else None,
            "sentence": ev.sentence,
            "mentions": ev.mentions,
            "file": ev.source_file,
            "text": article.text if article else "",
        })
    return rows


def audit_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Audit rows with before/after as text (they are JSON values of mixed types, which
    Arrow cannot put in one column); ``change`` numbers the change a row belongs to."""
    table = pd.DataFrame(rows, columns=["change_id", "at", "author", "field", "before",
                                        "after", "note"]).rename(columns={"change_id": "change"})
    for column in ("before", "after"):
        table[column] = table[column].map(lambda v: "" if v is None else str(v))
    return table


@dataclass(frozen=True)
class AuditChange:
    """One change of the audit trail (its rows share a change id), as the undo button
    names it."""

    change_id: int
    at: str
    author: str
    fields: tuple[str, ...]
    note: str

    def label(self) -> str:
        return (f"Undo change {self.change_id} ({', '.join(self.fields)}; "
                f"{self.author}, {self.at.replace('T', ' ').removesuffix('+00:00')} UTC)")


def audit_changes(rows: list[dict[str, Any]]) -> list[AuditChange]:
    """The changes of audit rows (``Store.audit_trail``), newest first: what an analyst
    can undo, one whole change at a time."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(int(row["change_id"] or row["id"]), []).append(row)
    return [AuditChange(change_id=cid, at=group[0]["at"], author=group[0]["author"],
                        fields=tuple(r["field"] for r in group), note=group[0]["note"])
            for cid, group in sorted(grouped.items(), reverse=True)]


def undo_change(store: Store, change_id: int, *, author: str | None = None
                ) -> Event | Holding:
    """Undo one change of the audit trail: the exact previous values come back (the date
    interval and review status included; for a holding, the decision before), recorded
    as a change by ``author`` (default: the ``author`` setting). ``InputError`` if a
    field changed again since."""
    return store.undo_change(change_id, author=author)


def candidate_table(places: list[Place]) -> pd.DataFrame:
    """Gazetteer candidates as a table, best first."""
    return pd.DataFrame(
        [{"rank": i, "name": p.name, "type": p.place_type, "country": p.country,
          "admin1": p.admin1, "latitude": p.latitude, "longitude": p.longitude,
          "population": p.population, "source": p.source, "place_id": p.place_id}
         for i, p in enumerate(places, start=1)],
        columns=["rank", "name", "type", "country", "admin1", "latitude", "longitude",
                 "population", "source", "place_id"])


def place_label(place: Place) -> str:
    """A candidate as one line: enough to tell homonyms apart."""
    where = ", ".join(part for part in (place.admin1, place.country) if part)
    return (f"{place.name} ({place.place_type}{', ' + where if where else ''}; "
            f"{place.latitude:.4f}, {place.longitude:.4f})")


# -- holdings stated in passing -------------------------------------------------------------

#: Columns of the holdings table, in the order analysts read them.
HOLDING_TABLE_COLUMNS: tuple[str, ...] = (
    "date_min", "date_max", "location", "force", "review_status", "disputed", "construction",
    "sentence", "source", "holding_id")


def holdings_table(holdings: list[Holding], disputed: set[str] | frozenset[str] = frozenset()
                   ) -> pd.DataFrame:
    """Holdings as a plain table; ``disputed`` holds the ids the review queue lists
    (they name another holder than a better-supported claim): "yes" in their row."""
    return pd.DataFrame(
        [{"date_min": h.date_min, "date_max": h.date_max, "location": h.location,
          "force": h.force, "review_status": h.review_status,
          "disputed": "yes" if h.holding_id in disputed else "",
          "construction": h.construction, "sentence": h.sentence, "source": h.source,
          "holding_id": h.holding_id} for h in holdings],
        columns=list(HOLDING_TABLE_COLUMNS))


def filter_holdings(holdings: list[Holding], flt: EventFilter) -> list[Holding]:
    """The holdings the Events page's filter selects, as it selects events: the interval
    overlaps the dates, the force is one of the forces (any when none), the review
    status is one of the statuses, the text is in the place or the sentence
    (case-insensitive). Event types do not apply (a holding has none)."""
    text = flt.text.strip().lower()
    return [h for h in holdings
            if (flt.date_from is None or h.date_max >= flt.date_from)
            and (flt.date_to is None or h.date_min <= flt.date_to)
            and (not flt.forces or h.force in flt.forces)
            and (not flt.review_status or h.review_status in flt.review_status)
            and (not text or text in h.location.lower() or text in h.sentence.lower())]


def holding_label(holding: Holding, disputed: bool = False) -> str:
    """One line that lets an analyst recognise a holding in a select box."""
    when = holding.date_max.isoformat() if holding.date_min == holding.date_max else \
        f"{holding.date_min.isoformat()} to {holding.date_max.isoformat()}"
    return (f"{when} · {holding.location or '?'} · held by {holding.force} "
            f"[{holding.review_status}{', disputed' if disputed else ''}] "
            f"({holding.holding_id})")


def holdings_to_review(holdings: list[Holding], disputed: set[str] | frozenset[str]
                       ) -> list[Holding]:
    """The order the page offers them in: disputed ones not yet reviewed first, then the
    rest not yet reviewed, then the reviewed ones, each by date."""
    def rank(h: Holding) -> tuple[int, date, str]:
        machine = h.review_status == ReviewStatus.MACHINE.value
        first = 0 if machine and h.holding_id in disputed else 1 if machine else 2
        return first, h.date_max, h.holding_id
    return sorted(holdings, key=rank)


@dataclass(frozen=True)
class ReviewPlace:
    """A place whose control a popup's review link opens (``geo.core.links.
    place_review_link``): its key on the control map, its name and the ids of the
    holdings stated in passing about it (``geo.control.history.places_to_review``)."""

    key: str
    name: str
    holdings: tuple[str, ...] = ()
    #: The day the map showed when the link was followed (``geo.core.links.
    #: PLACE_REVIEW_DATE_PARAM``): its claims are opened first. None: every claim alike.
    day: date | None = None


def claims_on(rows: list[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """The review queue's rows (``geo.control.history.disputes_to_review``, one place's)
    that bear on ``day``: the claims disputing the holder on that day (the day within
    their ``from``..``until``, an empty ``until`` still open), each naming the holder it
    disputes and its weight. A holding stated in passing bears on its own day only."""
    text = day.isoformat()
    return [r for r in rows if str(r.get("from") or r.get("date") or "") <= text
            and (not r.get("until") or text <= str(r["until"]))]


def report_to_open(rows: list[dict[str, Any]], day: date | None) -> str | None:
    """The event the Events page chooses for a linked place: the latest report (not a
    holding stated in passing, reviewed in its own section) among the claims bearing on
    ``day`` (``claims_on``), else among all of the place's; None without any."""
    for chosen in ((claims_on(rows, day) if day else []), rows):
        reports = [r["event_id"] for r in chosen if not is_holding_id(r["event_id"])]
        if reports:
            return str(reports[-1])
    return None


def disputed_holding(rows: list[dict[str, Any]], forces: ForceTable) -> str:
    """What the claims of a day dispute (``claims_on``'s rows): "held by Iraqi Security
    Forces (curated)", one phrase per holder named, in the rows' order ('' without)."""
    said = dict.fromkeys(
        f"held by {forces.display(r['holder'])}"
        + (f" ({r['holder_weight']})" if r.get("holder_weight") else "")
        for r in rows if r.get("holder"))
    return "; ".join(said)


def place_holdings(holdings: list[Holding], place: ReviewPlace) -> list[Holding]:
    """The holdings about ``place``, whatever the page's filter (the link chose them)."""
    wanted = set(place.holdings)
    return [h for h in holdings if h.holding_id in wanted]


@dataclass(frozen=True)
class HoldingCorrection:
    """What the holding form holds: the force, the dates as typed text (``YYYY-MM-DD``)
    and a gazetteer candidate or typed coordinates for the place (typed win)."""

    force: str
    date_min: date | str
    date_max: date | str
    place: Place | None = None
    latitude: str = ""
    longitude: str = ""


def holding_correction_changes(holding: Holding, form: HoldingCorrection, *,
                               allow: Allow = STRICT, today: date | None = None
                               ) -> dict[str, Any]:
    """The fields ``form`` changes on ``holding`` (only those; the store keeps them as
    the analyst's correction). Raises ``InputError`` naming the field for a date that
    does not exist or is in the future, an empty date, a first day after the last, a
    coordinate that is not a number or given alone; ``ConfirmationNeeded`` for a date
    before 1990 or a point outside the theatre unless ``allow`` says it is meant."""
    today = today or date.today()
    changes: dict[str, Any] = {}
    if form.force != holding.force:
        changes["force"] = form.force
    for name in ("date_min", "date_max"):
        day = parse_date(getattr(form, name), name, today=today)
        if day is None:
            raise InputError("a holding needs a date (YYYY-MM-DD)", field=name)
        if day != getattr(holding, name):
            check_event_day(day, name, allow=allow, today=today)
            changes[name] = day
    if changes.get("date_min", holding.date_min) > changes.get("date_max", holding.date_max):
        raise InputError("the first day is after the last day", field="date_min")
    point = typed_point(form.latitude, form.longitude, (holding.latitude, holding.longitude),
                        allow=allow)
    if point is not None:
        if point != (holding.latitude, holding.longitude):
            changes.update(latitude=point[0], longitude=point[1])
    elif form.place is not None and form.place.place_id != holding.place_id:
        check_point(form.place.latitude, form.place.longitude, allow=allow)
        changes.update(place_id=form.place.place_id, location=form.place.name,
                       latitude=form.place.latitude, longitude=form.place.longitude,
                       country=form.place.country)
    return changes


def set_holding_status(store: Store, holding_id: str, status: ReviewStatus, *, author: str,
                       note: str = "") -> Holding:
    """Confirm or reject a holding as it stands, or (``MACHINE``) put it back as read;
    audited like an event's review."""
    return store.review_holding(holding_id, status, author=author, note=note)


def holding_evidence(store: Store, holding: Holding) -> dict[str, Any]:
    """The sentence with its article's title, date and text: what an analyst needs to
    judge the holding."""
    article = store.get_article(holding.article_id) if holding.article_id else None
    return {"article_id": holding.article_id,
            "title": article.title if article else holding.source,
            "published": article.published if article else None,
            "sentence": holding.sentence, "file": holding.source_file,
            "text": article.text if article else ""}
