"""What a briefing export shows: the day, the window before it, forces, types and box.

Why its own type: the dashboard's ``MapView`` is a date window plus forces; a snapshot is
"the map *as of* a day", so a dated series can move the day and keep the window. The
same object feeds the PNG, PDF, HTML and series writers, so every format shows exactly
the same events. Coordinates (``bbox``) are EPSG:4326 degrees: west, south, east, north.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from geo.core import theatre
from geo.core.errors import InputError
from geo.store.query import EventFilter

#: West, south, east, north (EPSG:4326) of Iraq and Syria with a margin: the default frame.
THEATRE_BBOX: tuple[float, float, float, float] = theatre.current().bbox

_DAYS = re.compile(r"days:(\d{1,4})")


def parse_window(text: str) -> str:
    """``day``, ``days:N`` (N >= 1: the N days ending on the date) or ``upto``; raises
    ``InputError`` otherwise so a typo never silently widens the view."""
    value = (text or "").strip().lower()
    if value in ("day", "upto"):
        return value
    match = _DAYS.fullmatch(value)
    if match and int(match.group(1)) >= 1:
        return "day" if int(match.group(1)) == 1 else f"days:{int(match.group(1))}"
    raise InputError(f"window {text!r} is not day, days:N (N >= 1) or upto", field="window")


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``W,S,E,N`` in EPSG:4326 degrees -> tuple; InputError names what is wrong."""
    parts = [p.strip() for p in (text or "").split(",")]
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise InputError(f"bbox {text!r} is not four numbers W,S,E,N", field="bbox") from None
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise InputError(f"bbox {text!r} must have W < E and S < N within -180..180 / -90..90",
                         field="bbox")
    return (w, s, e, n)


def screen_bbox(bounds: Any) -> tuple[float, float, float, float]:
    """The map's bounds on screen as Leaflet reports them, ``((south, west), (north,
    east))``, as ``W, S, E, N``, cut to the world (a zoomed-out Leaflet map can report
    longitudes past 180°); ``InputError`` for bounds that enclose nothing."""
    try:
        (s, w), (n, e) = ((float(a), float(b)) for a, b in bounds)
    except (TypeError, ValueError) as exc:
        raise InputError(f"map bounds {bounds!r} are not ((south, west), (north, east))",
                         field="bounds") from exc
    w, e, s, n = max(w, -180.0), min(e, 180.0), max(s, -90.0), min(n, 90.0)
    if not (w < e and s < n):
        raise InputError(f"map bounds {bounds!r} enclose no area", field="bounds")
    return (w, s, e, n)


@dataclass(frozen=True)
class SnapshotView:
    """One map as of ``day``. ``window``: ``day``, ``days:N`` or ``upto`` (all events up
    to the day). Empty tuples mean "no restriction"; ``bbox`` None means the theatre."""

    day: date
    window: str = "day"
    forces: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    curated: bool = True
    title: str = "Situation map"
    marking: str = ""
    review_status: tuple[str, ...] = EventFilter().review_status
    text: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "window", parse_window(self.window))

    @property
    def date_from(self) -> date | None:
        """First day of the window (None for ``upto``)."""
        if self.window == "upto":
            return None
        if self.window == "day":
            return self.day
        return self.day - timedelta(days=int(self.window.split(":")[1]) - 1)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """The drawn frame (W, S, E, N, EPSG:4326)."""
        return self.bbox or THEATRE_BBOX

    def window_text(self) -> str:
        """The window in words for the stamp, e.g. '2016-06-01 to 2016-06-30 (30 days)'."""
        if self.window == "day":
            return f"{self.day:%Y-%m-%d}"
        if self.window == "upto":
            return f"all events up to {self.day:%Y-%m-%d}"
        n = int(self.window.split(":")[1])
        return f"{self.date_from:%Y-%m-%d} to {self.day:%Y-%m-%d} ({n} days)"

    def to_filter(self) -> EventFilter:
        """The store filter of the events drawn (same rules as the Map page)."""
        return EventFilter(date_from=self.date_from, date_to=self.day, forces=self.forces,
                           event_types=self.event_types, bbox=self.bbox,
                           review_status=tuple(self.review_status), text=self.text.strip())

    def on(self, day: date) -> SnapshotView:
        """The same view as of another day (a frame of a dated series)."""
        return replace(self, day=day)

    @classmethod
    def from_window(cls, date_from: date, date_to: date, **kwargs: object) -> SnapshotView:
        """The view of the Map page's slider window [date_from, date_to]."""
        n = (date_to - date_from).days + 1
        if n < 1:
            raise InputError(f"the date window ends ({date_to}) before it starts ({date_from})",
                             field="date_from")
        return cls(day=date_to, window="day" if n == 1 else f"days:{n}", **kwargs)  # type: ignore[arg-type]


def from_map_view(view: Any, **kwargs: Any) -> SnapshotView:
    """The snapshot of the Map page's ``geo.maps.view.MapView`` (day, window mode
    day/last/upto with ``n_days``, forces, types, review status, text, and the map's
    bounds on screen as the frame unless ``bbox`` is given: None for the theatre).

    Read by attribute so the page's view type can grow without breaking exports; an older
    view with only ``date_from``/``date_to`` becomes a ``days:N`` window."""
    mode = getattr(view, "window", None)
    common: dict[str, Any] = dict(forces=tuple(getattr(view, "forces", ())),
                                  event_types=tuple(getattr(view, "event_types", ())),
                                  text=str(getattr(view, "text", "") or ""))
    if getattr(view, "review_status", None) is not None:
        common["review_status"] = tuple(view.review_status)
    if getattr(view, "bounds", None):
        common["bbox"] = screen_bbox(view.bounds)
    common.update(kwargs)
    if mode is None:
        return SnapshotView.from_window(view.date_from, view.date_to, **common)
    n_days = max(int(getattr(view, "n_days", 1)), 1)
    window = {"day": "day", "upto": "upto"}.get(mode, f"days:{n_days}")
    return SnapshotView(day=view.day, window=window, **common)
