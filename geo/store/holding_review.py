"""An analyst's decision on a holding stated in passing, as the store keeps it.

Why apart from the ``holdings`` rows: holdings are a reading of the articles' text, read
again whenever the rule table changes (``geo db reread-holdings`` replaces an article's
rows, and a rule change may give a statement another id), while the analyst's decision
must outlive every re-reading. A decision (table ``holding_reviews``, schema 8) names the
holding it was made on and the *statement* it was read from (article, sentence offset,
place as read): it applies to the holding of its id, else to the holding a newer reading
gives the same statement. Its corrected values (force, place, dates) win over the
reading; the rest of the reading stays as read.

Pure functions over records and rows: the SQL lives in ``geo.store.sql``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.core.records import Holding, ReviewStatus
from geo.core.validate import Allow, check_coordinate, check_point, parse_date, shown

#: Columns of ``holding_reviews`` in the order the store reads and writes them.
REVIEW_COLUMNS: tuple[str, ...] = (
    "holding_id", "article_id", "sentence_start", "place_key", "review_status", "force",
    "place_id", "location", "latitude", "longitude", "country", "date_min", "date_max",
    "author", "note", "reviewed_at")
#: The fields of a holding an analyst may correct.
CORRECTABLE: tuple[str, ...] = ("force", "place_id", "location", "latitude", "longitude",
                                "country", "date_min", "date_max")
#: The audit trail's ``field`` of a decision on a holding (before/after: ``decision``).
AUDIT_FIELD = "holding review"
#: Prefix of every holding id (``Holding.identity``): how an audit row or a review queue
#: row tells a holding from an event.
HOLDING_ID_PREFIX = "stated:"

StatementKey = tuple[str, int, str]


def is_holding_id(item_id: str) -> bool:
    """Whether an id names a holding stated in passing (not an event)."""
    return str(item_id).startswith(HOLDING_ID_PREFIX)


def place_key(holding: Holding) -> str:
    """The place as read: its gazetteer id, else its name folded."""
    return holding.place_id or " ".join(holding.location.split()).lower()


def statement_key(holding: Holding) -> StatementKey:
    """Which statement of which article a holding was read from, and of which place."""
    return holding.article_id, int(holding.sentence_start), place_key(holding)


@dataclass(frozen=True)
class HoldingReview:
    """One decision: the status and the corrected values (field -> value, dates as
    ``date``), who made it and when, and the statement it was made on."""

    holding_id: str
    article_id: str
    sentence_start: int
    place_key: str
    review_status: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    author: str = ""
    note: str = ""
    reviewed_at: str = ""

    @property
    def statement(self) -> StatementKey:
        return self.article_id, self.sentence_start, self.place_key

    def decision(self) -> dict[str, Any]:
        """The decision as plain JSON values: what the audit trail records."""
        return decision_dict(self.review_status, self.changes)


def decision_dict(status: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """``{"review_status": ..., field: value, ...}`` with dates as ISO text."""
    out: dict[str, Any] = {"review_status": status}
    for name in CORRECTABLE:
        if name in changes:
            value = changes[name]
            out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def changes_of(decision: Mapping[str, Any]) -> dict[str, Any]:
    """The corrected values of a decision dict (``decision_dict``), dates as ``date``."""
    out: dict[str, Any] = {}
    for name in CORRECTABLE:
        if name in decision and decision[name] is not None:
            value = decision[name]
            out[name] = date.fromisoformat(value) if name.startswith("date_") else value
    return out


def review_values(review: HoldingReview) -> tuple[Any, ...]:
    """A decision as its ``holding_reviews`` row (NULL for a value not corrected)."""
    row = {"holding_id": review.holding_id, "article_id": review.article_id,
           "sentence_start": review.sentence_start, "place_key": review.place_key,
           "review_status": review.review_status, "author": review.author,
           "note": review.note, "reviewed_at": review.reviewed_at}
    for name in CORRECTABLE:
        value = review.changes.get(name)
        row[name] = value.isoformat() if isinstance(value, date) else value
    return tuple(row[name] for name in REVIEW_COLUMNS)


def review_from_row(row: Iterable[Any]) -> HoldingReview:
    values = dict(zip(REVIEW_COLUMNS, row))
    changes: dict[str, Any] = {}
    for name in CORRECTABLE:
        value = values.pop(name)
        if value is None:
            continue
        if name.startswith("date_"):
            value = date.fromisoformat(str(value))
        elif name in ("latitude", "longitude"):
            value = float(value)
        changes[name] = value
    values["sentence_start"] = int(values["sentence_start"])
    return HoldingReview(changes=changes, **values)


class Reviews:
    """The stored decisions, found by holding id or by statement (see the module
    docstring). ``present``: the ids of the decisions whose own holding is stored; a
    decision found by statement never applies while its own holding is still there."""

    def __init__(self, reviews: Iterable[HoldingReview], present: Iterable[str] = ()) -> None:
        self.by_id = {r.holding_id: r for r in reviews}
        present = set(present)
        self.by_statement: dict[StatementKey, HoldingReview] = {}
        for review in sorted(self.by_id.values(), key=lambda r: r.reviewed_at):
            if review.holding_id not in present:
                self.by_statement[review.statement] = review      # the latest wins

    def __bool__(self) -> bool:
        return bool(self.by_id)

    def of(self, holding: Holding) -> HoldingReview | None:
        return self.by_id.get(holding.holding_id) or \
            self.by_statement.get(statement_key(holding))

    def dates_changed(self) -> bool:
        """Whether a decision moves a holding's dates (a date filter must then look at
        holdings whose reading starts later)."""
        return any("date_min" in r.changes for r in self.by_id.values())


def apply(holding: Holding, review: HoldingReview | None) -> Holding:
    """The holding as the analyst decided it (as read when there is no decision)."""
    if review is None:
        return holding
    return replace(holding, **dict(review.changes), review_status=review.review_status)


def check_status(status: ReviewStatus | str) -> str:
    """A review status value; ``InputError`` naming the field for anything else."""
    value = getattr(status, "value", status)
    if value not in {s.value for s in ReviewStatus}:
        raise InputError(f"{shown(status)} is not one of "
                         f"{', '.join(s.value for s in ReviewStatus)}", field="review_status")
    return str(value)


def check_changes(changes: Mapping[str, Any], current: Holding, *,
                  today: date | None = None) -> dict[str, Any]:
    """Validated corrections of ``current`` (dates as ``date``): a force of the force
    table, dates that exist and are not in the future with the first before the last,
    latitude and longitude together, within range and not 0,0. ``InputError`` names the
    field. Confirmation of unusual values (a point outside the theatre, a date before
    1990) is the form's (``geo.review``), as for events."""
    where = f"holding {current.holding_id}"
    today = today or date.today()
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in CORRECTABLE:
            raise InputError(f"{name!r} cannot be corrected on a holding; correctable: "
                             f"{', '.join(CORRECTABLE)}", source=where, field=name)
        if name == "force":
            forces = default_forces()
            if not isinstance(value, str) or value not in forces:
                raise InputError(f"{shown(value)} is not a force of data/forces.csv",
                                 source=where, field=name)
            clean[name] = value
        elif name.startswith("date_"):
            day = parse_date(value, name, today=today, where=where)
            if day is None:
                raise InputError("a holding needs a date", source=where, field=name)
            clean[name] = day
        elif name in ("latitude", "longitude"):
            number = check_coordinate(name, value, where)
            if number is None:
                raise InputError("a holding needs coordinates", source=where, field=name)
            clean[name] = number
        else:
            if not isinstance(value, str):
                raise InputError(f"{shown(value)} is not text", source=where, field=name)
            clean[name] = " ".join(value.split())
    lo = clean.get("date_min", current.date_min)
    hi = clean.get("date_max", current.date_max)
    if lo > hi:
        raise InputError(f"the holding's first day {lo} is after its last day {hi}",
                         source=where, field="date_min" if "date_min" in clean else "date_max")
    if ("latitude" in clean) != ("longitude" in clean):
        raise InputError("give latitude and longitude together", source=where,
                         field="longitude" if "latitude" in clean else "latitude")
    if "latitude" in clean:
        check_point(clean["latitude"], clean["longitude"],
                    allow=Allow(outside_theatre=True), where=where)
    return clean


def decision_json(decision: Mapping[str, Any] | None) -> str:
    """A decision dict as the audit trail's JSON text."""
    return json.dumps(dict(decision) if decision is not None else None, ensure_ascii=False,
                      sort_keys=True)
