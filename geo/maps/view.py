"""What the map shows (a day, a window around it, filters, map position), and its round
trip through the page URL.

Why here and not in the page: the rules (clamping to the data's span, which forces and
event types are known, how a step of a month lands on the 31st, what a malformed link
falls back to) are business logic that tests can check without Streamlit; the page only
copies values between widgets and ``st.query_params``.

URL parameters (defaults are left out, so a plain link is short)::

    ?date=2016-06-19&window=last&n=30&forces=IS,SDF&types=Battles&status=machine,rejected
     &text=mosul&center=36.3,43.1&zoom=8

``center``/``zoom`` are read for the initial map only: the page calls ``st_folium`` with
``returned_objects=[]`` (field notes: anything returned costs an extra full rerun per
map interaction), so panning does not update the URL. A shared link therefore carries
the position it was opened with, or one typed into it.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from geo.core.codebook import EVENT_TYPES
from geo.core.records import ReviewStatus
from geo.store.query import EventFilter

#: URL parameter names.
P_DATE, P_WINDOW, P_N, P_FORCES = "date", "window", "n", "forces"
P_TYPES, P_STATUS, P_TEXT, P_CENTER, P_ZOOM = "types", "status", "text", "center", "zoom"
VIEW_PARAMS: tuple[str, ...] = (P_DATE, P_WINDOW, P_N, P_FORCES, P_TYPES, P_STATUS, P_TEXT,
                                P_CENTER, P_ZOOM)

#: Window modes: the events of the day, of the N days ending on it, or of all days up to it.
WINDOW_DAY, WINDOW_LAST, WINDOW_UPTO = "day", "last", "upto"
WINDOW_LABELS: dict[str, str] = {WINDOW_DAY: "on the day", WINDOW_LAST: "last N days",
                                 WINDOW_UPTO: "everything up to the day"}
DEFAULT_WINDOW = WINDOW_UPTO
DEFAULT_N_DAYS = 30
MAX_N_DAYS = 3660                    # ten years: more is "everything up to the day"
MAX_TEXT = 200                       # a search longer than this is a pasted paragraph
DEFAULT_STATUS: tuple[str, ...] = (ReviewStatus.MACHINE.value, ReviewStatus.CONFIRMED.value,
                                   ReviewStatus.CORRECTED.value)
ALL_STATUS: tuple[str, ...] = tuple(s.value for s in ReviewStatus)
#: Zoom levels a link may ask for (the basemap's min/max zoom).
ZOOM_RANGE = (4, 15)

#: Step buttons: label -> (unit, count). Months keep the day of month where it exists.
STEPS: dict[str, tuple[str, int]] = {
    "−month": ("month", -1), "−week": ("day", -7), "−day": ("day", -1),
    "+day": ("day", 1), "+week": ("day", 7), "+month": ("month", 1),
}


@dataclass(frozen=True)
class DateSpan:
    """First and last day any event covers; the slider's range."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days

    def clamp(self, day: date) -> date:
        return min(max(day, self.first), self.last)


@dataclass(frozen=True)
class MapView:
    """Everything that decides what the map shows; immutable so it can key caches.

    ``forces``/``event_types`` empty = all. ``center``/``zoom`` None = the basemap's own.
    """

    day: date
    window: str = DEFAULT_WINDOW
    n_days: int = DEFAULT_N_DAYS
    forces: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    review_status: tuple[str, ...] = DEFAULT_STATUS
    text: str = ""
    center: tuple[float, float] | None = None
    zoom: int | None = None
    #: What the map shows on screen, ((south, west), (north, east)) in degrees, as the
    #: browser last reported it (None before it did); for exports "as on screen".
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None

    @property
    def date_from(self) -> date | None:
        """First day of the window; None for "everything up to the day" (open start)."""
        if self.window == WINDOW_DAY:
            return self.day
        if self.window == WINDOW_LAST:
            return self.day - timedelta(days=max(self.n_days, 1) - 1)
        return None

    @property
    def date_to(self) -> date:
        return self.day

    def base_filter(self) -> EventFilter:
        """The filter without the date window: what the page loads once and slices by
        date on each slider step (a step then costs no query)."""
        return EventFilter(forces=self.forces, event_types=self.event_types,
                           review_status=self.review_status, text=self.text.strip())

    def to_filter(self) -> EventFilter:
        """The whole filter (dated events only: undated ones have no place on a day)."""
        return replace(self.base_filter(), date_from=self.date_from, date_to=self.date_to,
                       include_undated=False)


@dataclass
class ParsedView:
    """A view read from URL parameters and what was wrong with them (for a warning)."""

    view: MapView
    problems: list[str] = field(default_factory=list)


def data_span(frame: pd.DataFrame, today: date | None = None) -> DateSpan:
    """The span of ``date_min``/``date_max`` (or ``event_date``) over ``frame``."""
    values: list[pd.Timestamp] = []
    for column in ("date_min", "date_max", "event_date"):
        if column in frame and len(frame):
            series = pd.to_datetime(frame[column], errors="coerce").dropna()
            if len(series):
                values.extend([series.min(), series.max()])
    return span_of((min(values).date(), max(values).date()) if values else None, today)


def span_of(first_last: tuple[date, date] | None, today: date | None = None) -> DateSpan:
    """A slider's span from the first and last day the events cover (as
    ``Store.date_range`` answers).

    With no dated events, a one-day span ending ``today`` keeps the slider usable (an
    empty database is a normal state, not an error)."""
    if first_last is None:
        end = today or date.today()
        return DateSpan(end - timedelta(days=1), end)
    first, last = first_last
    if first == last:                      # a slider needs two distinct ends
        last = first + timedelta(days=1)
    return DateSpan(first, last)


def default_view(span: DateSpan) -> MapView:
    """The last day with everything up to it: a fresh page shows all dated events."""
    return MapView(span.last)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; the 31st becomes the month's last day if needed."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def step_day(day: date, step: str, span: DateSpan) -> date:
    """``day`` moved by one of ``STEPS`` and kept inside the data's span."""
    unit, count = STEPS[step]
    moved = add_months(day, count) if unit == "month" else day + timedelta(days=count)
    return span.clamp(moved)


def play_next(day: date, step: str, span: DateSpan) -> tuple[date, bool]:
    """The next frame of playback and whether to keep playing (stops at the span's end,
    so a forgotten play button does not rerun forever)."""
    nxt = step_day(day, step, span)
    return nxt, nxt < span.last


# -- URL parsing: each part falls back on its own, with a problem naming the parameter --

def _csv(raw: object) -> list[str]:
    return [part.strip() for part in str(raw or "").split(",") if part.strip()]


def _parse_date(raw: str, span: DateSpan, problems: list[str]) -> date | None:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        problems.append(f"'{P_DATE}={raw}' is not a date like 2016-06-19")
        return None
    if not span.first <= day <= span.last:
        problems.append(f"'{P_DATE}={raw}' is outside the data ({span.first} to "
                        f"{span.last}); moved to the nearest end")
        return span.clamp(day)
    return day


def _parse_members(name: str, raw: object, known: Iterable[str],
                   problems: list[str]) -> tuple[str, ...] | None:
    """Comma-separated members of ``known`` (case-insensitive, duplicates dropped);
    unknown ones are ignored with a problem. None when the parameter is absent."""
    items = _csv(raw)
    if not items:
        return None
    by_fold = {k.casefold(): k for k in known}
    chosen: list[str] = []
    for item in items:
        match = by_fold.get(item.casefold())
        if match is None:
            problems.append(f"'{name}': unknown value '{item}' ignored")
        elif match not in chosen:
            chosen.append(match)
    return tuple(chosen)


def _parse_int(name: str, raw: str, low: int, high: int, problems: list[str]) -> int | None:
    try:
        value = int(raw.strip())
    except ValueError:
        problems.append(f"'{name}={raw}' is not a whole number")
        return None
    if not low <= value <= high:
        problems.append(f"'{name}={raw}' is not between {low} and {high}")
        return None
    return value


def _parse_center(raw: str, problems: list[str]) -> tuple[float, float] | None:
    parts = raw.split(",")
    try:
        lat, lon = (float(p) for p in parts) if len(parts) == 2 else (float("nan"),) * 2
    except ValueError:
        lat = lon = float("nan")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):     # False for NaN too
        problems.append(f"'{P_CENTER}={raw}' is not 'latitude,longitude' like 36.3,43.1")
        return None
    return round(lat, 5), round(lon, 5)


def parse_view(params: Mapping[str, object], span: DateSpan,
               known_forces: Iterable[str]) -> ParsedView:
    """A view from URL parameters; anything malformed falls back to the default for that
    part and is listed in ``problems`` naming the parameter (the page shows them as a
    warning). Unknown parameter names are left alone: other panels may add their own."""
    problems: list[str] = []
    view = default_view(span)
    raw = {k: str(v) for k, v in params.items() if v is not None and str(v).strip() != ""}

    if P_DATE in raw:
        view = replace(view, day=_parse_date(raw[P_DATE], span, problems) or view.day)
    if P_WINDOW in raw:
        window = raw[P_WINDOW].strip().lower()
        if window in WINDOW_LABELS:
            view = replace(view, window=window)
        else:
            problems.append(f"'{P_WINDOW}={raw[P_WINDOW]}' is not one of "
                            + ", ".join(WINDOW_LABELS))
    if P_N in raw:
        n_days = _parse_int(P_N, raw[P_N], 1, MAX_N_DAYS, problems)
        view = replace(view, n_days=n_days or view.n_days)
    forces = _parse_members(P_FORCES, raw.get(P_FORCES), known_forces, problems)
    if forces is not None:
        view = replace(view, forces=forces)
    types = _parse_members(P_TYPES, raw.get(P_TYPES), EVENT_TYPES, problems)
    if types is not None:
        view = replace(view, event_types=types)
    status = _parse_members(P_STATUS, raw.get(P_STATUS), ALL_STATUS, problems)
    if status:                         # all unknown -> keep the default, never "none"
        view = replace(view, review_status=status)
    if P_TEXT in raw:
        text = raw[P_TEXT].strip()
        if len(text) > MAX_TEXT:
            problems.append(f"'{P_TEXT}' is longer than {MAX_TEXT} characters; cut")
            text = text[:MAX_TEXT]
        view = replace(view, text=text)
    if P_CENTER in raw:
        view = replace(view, center=_parse_center(raw[P_CENTER], problems))
    if P_ZOOM in raw:
        view = replace(view, zoom=_parse_int(P_ZOOM, raw[P_ZOOM], *ZOOM_RANGE, problems))
    return ParsedView(view, problems)


def view_params(view: MapView, span: DateSpan) -> dict[str, str]:
    """URL parameters for a view; defaults are left out so plain links stay short."""
    default = default_view(span)
    params: dict[str, str] = {}
    if view.day != default.day:
        params[P_DATE] = view.day.isoformat()
    if view.window != default.window:
        params[P_WINDOW] = view.window
    if view.window == WINDOW_LAST and view.n_days != default.n_days:
        params[P_N] = str(view.n_days)
    if view.forces:
        params[P_FORCES] = ",".join(view.forces)
    if view.event_types:
        params[P_TYPES] = ",".join(view.event_types)
    if tuple(view.review_status) != default.review_status:
        params[P_STATUS] = ",".join(view.review_status)
    if view.text.strip():
        params[P_TEXT] = view.text.strip()
    if view.center is not None:
        params[P_CENTER] = f"{view.center[0]:g},{view.center[1]:g}"
    if view.zoom is not None:
        params[P_ZOOM] = str(view.zoom)
    return params


# -- slicing a loaded frame by the date window (the slider's hot path) --------------------

def frame_day_bounds(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """First and last possible day of each row as ``datetime64[D]`` (NaT = open end),
    by the store's rule: no interval at all means the interval is the event date."""
    def days(column: str) -> np.ndarray:
        if column not in frame:
            return np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[D]")
        parsed: np.ndarray = pd.to_datetime(frame[column], errors="coerce").to_numpy()
        return parsed.astype("datetime64[D]")
    lo, hi, day = days("date_min"), days("date_max"), days("event_date")
    no_interval = np.isnat(lo) & np.isnat(hi)
    lo = np.where(no_interval, day, lo)
    hi = np.where(no_interval, day, hi)
    return lo, hi


def window_mask(lo: np.ndarray, hi: np.ndarray, date_from: date | None,
                date_to: date | None) -> np.ndarray:
    """Which events overlap the window, from their first/last possible days as
    ``datetime64[D]`` (NaT = open end). Same rule as the store's SQL
    (``span_hi >= date_from AND span_lo <= date_to``), so a sliced frame equals a
    queried one; undated events (both NaT) are never in a window."""
    dated: np.ndarray = ~(np.isnat(lo) & np.isnat(hi))
    keep: np.ndarray = dated.copy()
    if date_from is not None:
        keep &= np.isnat(hi) | (hi >= np.datetime64(date_from, "D"))
    if date_to is not None:
        keep &= np.isnat(lo) | (lo <= np.datetime64(date_to, "D"))
    return keep
