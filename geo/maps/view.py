"""What the map shows (date window, forces), and its round trip through the page URL.

Why here and not in the page: the rules (clamping to the data's span, which forces are
known, what a malformed link falls back to) are business logic that tests can check
without Streamlit; the page only copies values between widgets and ``st.query_params``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Mapping

import pandas as pd

from geo.store.query import EventFilter

#: URL parameter names (short, readable: ``?from=2016-01-01&to=2016-06-30&forces=IS,SDF``).
P_FROM, P_TO, P_FORCES = "from", "to", "forces"


@dataclass(frozen=True)
class DateSpan:
    """First and last day any event covers; the slider's range."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days


@dataclass(frozen=True)
class MapView:
    """The date window and the forces shown (empty forces = all)."""

    date_from: date
    date_to: date
    forces: tuple[str, ...] = ()

    def to_filter(self) -> EventFilter:
        return EventFilter(date_from=self.date_from, date_to=self.date_to, forces=self.forces)


@dataclass
class ParsedView:
    """A view read from URL parameters and what was wrong with them (for a warning)."""

    view: MapView
    problems: list[str] = field(default_factory=list)


def data_span(frame: pd.DataFrame, today: date | None = None) -> DateSpan:
    """The span of ``date_min``/``date_max`` (or ``event_date``) over ``frame``.

    With no dated events, a one-day span ending ``today`` keeps the slider usable (an
    empty database is a normal state, not an error)."""
    values: list[pd.Timestamp] = []
    for column in ("date_min", "date_max", "event_date"):
        if column in frame and len(frame):
            series = pd.to_datetime(frame[column], errors="coerce").dropna()
            if len(series):
                values.extend([series.min(), series.max()])
    if not values:
        end = today or date.today()
        return DateSpan(end - timedelta(days=1), end)
    first, last = min(values).date(), max(values).date()
    if first == last:                      # a slider needs two distinct ends
        last = first + timedelta(days=1)
    return DateSpan(first, last)


def default_view(span: DateSpan) -> MapView:
    return MapView(span.first, span.last, ())


def _parse_day(raw: str, name: str, problems: list[str]) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        problems.append(f"'{name}={raw}' is not a date like 2016-06-19")
        return None


def parse_view(params: Mapping[str, str], span: DateSpan,
               known_forces: Iterable[str]) -> ParsedView:
    """A view from URL parameters; anything malformed falls back to the default for that
    part and is listed in ``problems`` (the page shows them as a warning)."""
    problems: list[str] = []
    default = default_view(span)
    date_from, date_to = default.date_from, default.date_to
    if params.get(P_FROM):
        date_from = _parse_day(str(params[P_FROM]), P_FROM, problems) or date_from
    if params.get(P_TO):
        date_to = _parse_day(str(params[P_TO]), P_TO, problems) or date_to
    if date_from < span.first or date_to > span.last:
        problems.append(f"dates outside the data ({span.first} to {span.last}) were clamped")
        date_from = min(max(date_from, span.first), span.last)
        date_to = max(min(date_to, span.last), span.first)
    if date_from > date_to:
        problems.append(f"the window ends ({date_to}) before it starts ({date_from}); "
                        "showing all dates")
        date_from, date_to = default.date_from, default.date_to
    known = list(known_forces)
    forces: list[str] = []
    raw_forces = str(params.get(P_FORCES, "") or "")
    for force in (f.strip() for f in raw_forces.split(",") if f.strip()):
        if force in known:
            if force not in forces:
                forces.append(force)
        else:
            problems.append(f"unknown force '{force}' ignored")
    return ParsedView(MapView(date_from, date_to, tuple(forces)), problems)


def view_params(view: MapView, span: DateSpan) -> dict[str, str]:
    """URL parameters for a view; defaults are left out so plain links stay short."""
    params: dict[str, str] = {}
    if view.date_from != span.first:
        params[P_FROM] = view.date_from.isoformat()
    if view.date_to != span.last:
        params[P_TO] = view.date_to.isoformat()
    if view.forces:
        params[P_FORCES] = ",".join(view.forces)
    return params
