"""The curated reference timeline of territorial control changes (data/control_timeline.csv).

Why a separate source: extracted events are noisy, and analysts need a checked baseline
of the well-documented control changes of the war (2013-2019) to compare against and to
fill the gaps. Every row is loaded as an ``Event`` with origin "curated" and review status
"confirmed", so the dashboard can show it as its own layer and switch it off.

Validation is strict on purpose: a wrong date or an unknown force id in a reference file
silently corrupts every map built from it, so each problem is reported as an
``InputError`` naming the file, the line and the field.
"""
from __future__ import annotations

import calendar
import csv
import datetime
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from geo.core import paths, theatre
from geo.core.errors import InputError
from geo.core.forces import ForceTable, load_forces
from geo.core.records import Event, GeoPrecision, Origin, ReviewStatus, TimePrecision

if TYPE_CHECKING:
    from geo.control.timeline import PlaceHistory

#: Columns every row must have (``citation_url``, ``notes``, ``transfer``, ``force_with``
#: and ``place_id`` may be empty; the last three may be absent altogether).
REQUIRED_COLUMNS: tuple[str, ...] = (
    "row_id", "date", "time_precision", "place", "latitude", "longitude", "country",
    "admin1", "force_to", "force_from", "status", "citation_publication",
    "citation_date", "citation_title",
)
STATUSES = frozenset({"captured", "besieged", "partial", "held"})
#: A ``held`` row is not a change: a contemporary report that ``force_to`` held the place
#: on the date (a town that never fell: Samarra, Baghdad, Erbil). It anchors territory
#: between the towns that changed hands; ``force_from`` stays empty.
HELD = "held"
TRANSFERS = frozenset({"", "battle", "handover"})
_THEATRE = theatre.current()
COUNTRIES = frozenset(_THEATRE.countries)
#: The theatre's bounding box; a point outside it is a typo (swapped lat/lon, lost digit).
LAT_RANGE = (_THEATRE.valid_bbox[1], _THEATRE.valid_bbox[3])
LON_RANGE = (_THEATRE.valid_bbox[0], _THEATRE.valid_bbox[2])
YEAR_RANGE = (_THEATRE.start.year, _THEATRE.end.year)
PRECISION_CODES = {1: TimePrecision.DAY, 2: TimePrecision.WEEK, 3: TimePrecision.MONTH,
                   4: TimePrecision.YEAR}
CONFIDENCE = 0.9


@dataclass(frozen=True)
class ControlChange:
    """One validated row of the timeline, kept close to the file for checks and tests."""

    row_id: str
    line: int
    date: date
    time_precision: int
    place: str
    latitude: float
    longitude: float
    country: str
    admin1: str
    force_to: str
    force_from: str
    status: str
    citation_publication: str
    citation_date: datetime.date | None
    citation_title: str
    citation_url: str
    notes: str
    transfer: str
    force_with: tuple[str, ...]
    place_id: str = ""


def date_interval(day: date, precision: int) -> tuple[date, date]:
    """The interval a date of the given precision stands for.

    Week: the reported day +/- 3 days (a 7-day window centred on it). Month: first to
    last day of the month. Year: 1 January to 31 December. Day: the day itself.
    """
    if precision == TimePrecision.WEEK:
        return day - timedelta(days=3), day + timedelta(days=3)
    if precision == TimePrecision.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    if precision == TimePrecision.YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def _parse_date(raw: str, *, source: str, line: int, field: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise InputError(f"not a YYYY-MM-DD date: {raw!r}", source=source, line=line,
                         field=field) from exc


def _parse_float(raw: str, low: float, high: float, *, source: str, line: int,
                 field: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise InputError(f"not a number: {raw!r}", source=source, line=line,
                         field=field) from exc
    if not low <= value <= high:
        raise InputError(f"{value} is outside {low}..{high} (the Iraq-Syria theatre)",
                         source=source, line=line, field=field)
    return value


def _parse_row(row: dict[str, str], forces: ForceTable, *, source: str,
               line: int) -> ControlChange:
    """Validate one CSV row; raise InputError naming the first bad field."""
    def text(field: str) -> str:
        return (row.get(field) or "").strip()

    held = text("status") == HELD
    for field in REQUIRED_COLUMNS:
        if field == "citation_date" or (field == "force_from" and held):
            continue
        if not text(field):
            raise InputError("is empty", source=source, line=line, field=field)
    if held and text("force_from"):
        raise InputError("a held row names no force_from (it records no change)",
                         source=source, line=line, field="force_from")

    day = _parse_date(text("date"), source=source, line=line, field="date")
    if not YEAR_RANGE[0] <= day.year <= YEAR_RANGE[1]:
        raise InputError(f"{day} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}", source=source,
                         line=line, field="date")
    try:
        precision = int(text("time_precision"))
    except ValueError as exc:
        raise InputError(f"not an integer: {text('time_precision')!r}", source=source,
                         line=line, field="time_precision") from exc
    if precision not in PRECISION_CODES:
        raise InputError(f"{precision} is not 1 (day), 2 (week), 3 (month) or 4 (year)",
                         source=source, line=line, field="time_precision")
    if precision == TimePrecision.MONTH and day.day != 1:
        raise InputError("a month-precision date must be the first day of the month",
                         source=source, line=line, field="date")
    if precision == TimePrecision.YEAR and (day.month, day.day) != (1, 1):
        raise InputError("a year-precision date must be 1 January", source=source,
                         line=line, field="date")

    latitude = _parse_float(text("latitude"), *LAT_RANGE, source=source, line=line,
                            field="latitude")
    longitude = _parse_float(text("longitude"), *LON_RANGE, source=source, line=line,
                             field="longitude")
    country = text("country")
    if country not in COUNTRIES:
        raise InputError(f"{country!r} is not IQ or SY", source=source, line=line,
                         field="country")

    for field in ("force_to", "force_from"):
        if field == "force_from" and held:
            continue
        if text(field) not in forces:
            raise InputError(f"unknown force id {text(field)!r} (see data/forces.csv)",
                             source=source, line=line, field=field)
    if text("force_to") == text("force_from"):
        raise InputError("force_to and force_from are the same force", source=source,
                         line=line, field="force_to")
    force_with = tuple(f.strip() for f in text("force_with").split("|") if f.strip())
    for force in force_with:
        if force not in forces:
            raise InputError(f"unknown force id {force!r} (see data/forces.csv)",
                             source=source, line=line, field="force_with")

    status = text("status")
    if status not in STATUSES:
        raise InputError(f"{status!r} is not one of {sorted(STATUSES)}", source=source,
                         line=line, field="status")
    transfer = text("transfer")
    if transfer not in TRANSFERS:
        raise InputError(f"{transfer!r} is not 'battle' or 'handover'", source=source,
                         line=line, field="transfer")
    citation_date = (_parse_date(text("citation_date"), source=source, line=line,
                                 field="citation_date")
                     if text("citation_date") else None)
    if citation_date is None and text("citation_publication") != "Wikipedia":
        raise InputError("is empty (only Wikipedia citations may omit the date)",
                         source=source, line=line, field="citation_date")

    return ControlChange(
        row_id=text("row_id"), line=line, date=day, time_precision=precision,
        place=text("place"), latitude=latitude, longitude=longitude, country=country,
        admin1=text("admin1"), force_to=text("force_to"), force_from=text("force_from"),
        status=status, citation_publication=text("citation_publication"),
        citation_date=citation_date, citation_title=text("citation_title"),
        citation_url=text("citation_url"), notes=text("notes"), transfer=transfer,
        force_with=force_with, place_id=text("place_id"),
    )


def read_control_changes(path: Path = paths.DATA_DIR / "control_timeline.csv",
                         forces_path: Path = paths.FORCES_FILE, *,
                         include_held: bool = False) -> list[ControlChange]:
    """Read and validate every row of the timeline file, in file order; the first bad row
    raises ``InputError`` naming the file, line and field (for checking the file). Rows
    with status ``held`` record no change and are left out unless ``include_held``."""
    changes, _problems = read_control_changes_checked(path, forces_path, strict=True)
    return [c for c in changes if include_held or c.status != HELD]


def read_control_changes_checked(path: Path = paths.DATA_DIR / "control_timeline.csv",
                                 forces_path: Path = paths.FORCES_FILE, *,
                                 strict: bool = False
                                 ) -> tuple[list[ControlChange], list[str]]:
    """The valid rows and one message per bad row (file, line, row id and field).

    Why lenient by default: one mistyped row must not take the whole reference off the
    map; the bad row is left out and named, the file is never changed. A missing or
    unreadable file, or a missing column, is still an ``InputError``."""
    source = str(path)
    forces = load_forces(forces_path)
    changes: list[ControlChange] = []
    problems: list[str] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise InputError(f"missing column(s): {', '.join(missing)}", source=source,
                                 line=1)
            seen: dict[str, int] = {}
            for row in reader:
                line = reader.line_num
                try:
                    change = _parse_row(row, forces, source=source, line=line)
                    if change.row_id in seen:
                        raise InputError(f"duplicate row id {change.row_id!r} (first on line "
                                         f"{seen[change.row_id]})", source=source, line=line,
                                         field="row_id")
                except InputError as exc:
                    if strict:
                        raise
                    row_id = (row.get("row_id") or "").strip() or "?"
                    problems.append(f"curated row {row_id} skipped: {exc}")
                    continue
                seen[change.row_id] = line
                changes.append(change)
    except OSError as exc:
        raise InputError(f"cannot read the control timeline: {exc}", source=source) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc}", source=source) from exc
    return changes, problems


def sequence_problems(changes: list[ControlChange]) -> list[str]:
    """Places whose control sequence does not add up, one message per problem.

    Per place, in date order, we track the set of holders: unknown before the first row;
    a ``captured`` row leaves ``{force_to}``; a ``partial`` row adds ``force_to`` (the
    place is split); a ``besieged`` row adds the besieger (it holds the approaches). Every
    row's ``force_from`` must be one of the current holders. An empty list means the
    timeline is consistent.
    """
    by_place: dict[str, list[ControlChange]] = {}
    for change in changes:
        by_place.setdefault(change.place, []).append(change)
    problems: list[str] = []
    for place, rows in sorted(by_place.items()):
        problems.extend(_replay_order_problems(place, rows))
        holders: set[str] | None = None
        for change in sorted(rows, key=lambda c: (c.date, c.row_id)):
            if change.status == HELD:
                if holders is not None and change.force_to not in holders:
                    problems.append(f"{place}: {change.row_id} ({change.date}) says "
                                    f"{change.force_to} held it but the place was held by "
                                    f"{'/'.join(sorted(holders))}")
                holders = {change.force_to}
                continue
            if holders is not None and change.force_from not in holders:
                problems.append(f"{place}: {change.row_id} ({change.date}) has force_from "
                                f"{change.force_from} but the place was held by "
                                f"{'/'.join(sorted(holders))}")
            if change.status == "captured":
                holders = {change.force_to}
            else:
                holders = (holders or {change.force_from}) | {change.force_to}
    return problems


def _replay_order_problems(place: str, rows: list[ControlChange]) -> list[str]:
    """Rows of one place whose interval ends after a later-dated row's: control replays
    claims by the end of their interval (docs/control.md rule 3), so a coarse row ("October
    2014") would count after a precise one inside it ("25 October") and undo it. Rows of
    different holders whose intervals overlap: two checked claims contradicting each
    other at one moment, which every control map would list as a problem."""
    ordered = sorted(rows, key=lambda c: (c.date, c.row_id))
    spans = [date_interval(c.date, c.time_precision) for c in ordered]
    problems = []
    for i, early in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            if ordered[j].force_to == early.force_to:
                continue
            if spans[i][1] > spans[j][1]:
                problems.append(f"{place}: {early.row_id} ({early.date}, interval to "
                                f"{spans[i][1]}) ends after the later {ordered[j].row_id} "
                                f"({ordered[j].date}): use a finer precision so the rows "
                                f"replay in order")
            elif spans[j][0] <= spans[i][1] and early.status == ordered[j].status == \
                    "captured":
                # Two checked claims of different holders at one moment: every control
                # map would warn "conflicting analyst-checked captures" (rule 4).
                problems.append(f"{place}: {early.row_id} ({early.date} to {spans[i][1]}) "
                                f"and {ordered[j].row_id} ({spans[j][0]} to "
                                f"{spans[j][1]}) overlap and name different holders: "
                                f"date the rows so their intervals do not overlap")
    return problems


def _to_event(change: ControlChange, forces: ForceTable) -> Event:
    """Map one row to an ACLED-shaped Event, explaining the coding in ``notes``."""
    if change.transfer == "handover":
        event_type, sub_event_type = "Strategic developments", "Non-violent transfer of territory"
    elif change.status == "besieged":
        # An encirclement changes no control: it is a battle, not a capture.
        event_type, sub_event_type = "Battles", "Armed clash"
    elif change.status == HELD:
        # Not an event of the war: a dated fact about who held the town.
        event_type, sub_event_type = "Strategic developments", "Other"
    elif forces.is_state(change.force_to):
        event_type, sub_event_type = "Battles", "Government regains territory"
    else:
        event_type, sub_event_type = "Battles", "Non-state actor overtakes territory"
    date_min, date_max = date_interval(change.date, change.time_precision)
    cited = change.citation_publication
    if change.citation_date:
        cited += f", {change.citation_date.isoformat()}"
    notes = f"{change.citation_title} ({cited}); status: {change.status}"
    if change.notes:
        notes += f"; {change.notes}"
    return Event(
        event_date=change.date,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=forces.display(change.force_to),
        actor2=forces.display(change.force_from) if change.force_from else "",
        assoc_actor_1="; ".join(forces.display(f) for f in change.force_with),
        location=change.place,
        latitude=change.latitude,
        longitude=change.longitude,
        time_precision=int(PRECISION_CODES[change.time_precision]),
        geo_precision=int(GeoPrecision.EXACT),
        source=change.citation_publication,
        notes=notes,
        country=change.country,
        admin1=change.admin1,
        event_id=f"curated-{change.row_id}",
        date_min=date_min,
        date_max=date_max,
        actor1_force=change.force_to,
        actor2_force=change.force_from,
        place_id=change.place_id,
        control_to="" if change.status == "besieged" else change.force_to,
        confidence=CONFIDENCE,
        review_status=ReviewStatus.CONFIRMED.value,
        origin=Origin.CURATED.value,
    )


def load_curated_timeline(path: Path = paths.DATA_DIR / "control_timeline.csv",
                          forces_path: Path = paths.FORCES_FILE) -> list[Event]:
    """Load the curated control timeline as confirmed, curated Events (file order); a bad
    row raises ``InputError`` (see ``load_curated_timeline_checked`` for the lenient
    reader the map uses)."""
    forces = load_forces(forces_path)
    return [_to_event(change, forces)
            for change in read_control_changes(path, forces_path, include_held=True)]


def load_curated_timeline_checked(path: Path = paths.DATA_DIR / "control_timeline.csv",
                                  forces_path: Path = paths.FORCES_FILE
                                  ) -> tuple[list[Event], list[str]]:
    """The curated Events of every valid row, and one message per bad row."""
    forces = load_forces(forces_path)
    changes, problems = read_control_changes_checked(path, forces_path)
    return [_to_event(change, forces) for change in changes], problems


@lru_cache(maxsize=1)
def _curated_histories() -> dict[str, PlaceHistory]:
    from geo.control.timeline import build_histories
    return build_histories(load_curated_timeline_checked()[0])[0]


def curated_holder(place: str, day: date, *, lat: float | None = None,
                   lon: float | None = None) -> str | None:
    """The force holding ``place`` (a gazetteer id or a name in any spelling) on ``day``
    according to the curated timeline alone; None when the timeline does not know the
    place or it is contested or unknown that day. With ``lat``/``lon``, a name only
    matches a curated town within ``SAME_NAME_KM`` (5 km) of that point.

    For extraction: a capture's loser (actor2) is who held the town the day before."""
    from geo.control.places import SAME_NAME_KM
    from geo.core.theatre import haversine_km as distance_km

    histories = _curated_histories()
    found = [h for h in histories.values() if h.ref.has_id(place)]
    if not found:
        found = [h for h in histories.values() if h.ref.bears_name(place)]
        if lat is not None and lon is not None:
            found = sorted((h for h in found if distance_km(lat, lon, h.ref.lat, h.ref.lon)
                            <= SAME_NAME_KM),
                           key=lambda h: distance_km(lat, lon, h.ref.lat, h.ref.lon))
    if not found:
        return None
    snap = found[0].on(day)
    if snap is None or snap.status not in ("held", "besieged"):
        return None
    return snap.force
