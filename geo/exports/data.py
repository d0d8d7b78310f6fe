"""Everything one snapshot may draw, gathered once: events, control map and references.

Why apart from drawing: the PNG, PDF, HTML and every frame of a series read the same
``SnapshotData``, so the formats cannot disagree about what was shown, and the renderer
stays a pure function of data (testable without a database).

The events are those of the view's filter within ``query`` bounds, which a picture makes
a little larger than the view (``layout.query_bounds``: the map grows to fill the frame);
the renderer keeps what falls inside the extent it finally draws, and numbers the sources
of exactly that (``sources.number``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np

from geo.core.records import Event
from geo.exports.layout import Bounds, ImageSize, PageText, expand, query_bounds
from geo.exports.sources import References, SourceList, gather, inside, number
from geo.exports.view import SnapshotView
from geo.store.base import Store
from geo.store.frame import empty_frame

if TYPE_CHECKING:
    from geo.control.series import ControlSeries

#: How much larger than the view an HTML export asks the store for (a browser window's
#: shape is not known; the map is framed on the view's bounds).
HTML_MARGIN = 0.05


@dataclass
class SnapshotData:
    """Events (GeoDataFrame, EPSG:4326) within ``query`` bounds, the control map of the
    day (GeoJSON dict, EPSG:4326), every document the map may cite, and how many
    events matched the filter without coordinates."""

    view: SnapshotView
    events: gpd.GeoDataFrame
    control: dict[str, Any]
    query: Bounds
    refs: References = field(default_factory=References)
    n_without_coordinates: int = 0
    #: The store's control evidence behind ``control`` (the HTML export replays it).
    captures: list[Event] | None = None

    @property
    def n_events(self) -> int:
        return len(self.events)

    def within(self, bounds: Bounds) -> gpd.GeoDataFrame:
        """The events drawn in ``bounds`` (those with coordinates inside)."""
        if not len(self.events):
            return self.events
        lon = self.events["longitude"].to_numpy(dtype=float, na_value=np.nan)
        lat = self.events["latitude"].to_numpy(dtype=float, na_value=np.nan)
        keep = (lon >= bounds[0]) & (lon <= bounds[2]) & (lat >= bounds[1]) & (lat <= bounds[3])
        return self.events[keep]

    def sources_within(self, bounds: Bounds) -> SourceList:
        """The numbered sources of what is drawn in ``bounds``."""
        drawn = self.within(bounds)
        ordered = drawn.sort_values(["event_date", "event_id"], kind="stable") \
            if len(drawn) else drawn
        ids = [str(e) for e in ordered["event_id"]] if len(ordered) else []
        places = [str(p or "") for p in ordered["location"]] if len(ordered) else []
        claims = [c for c in self.refs.claims if inside(bounds, c.lon, c.lat)]
        return number(self.refs, self.view.day, ids, places, claims)

    def described(self, bounds: Bounds | None = None) -> str:
        """The filter in words with the count drawn in ``bounds`` (the view's own bounds
        when None), e.g. '5 events from 2016-06-01 to 2016-06-30, forces: ISF'."""
        drawn = self.within(bounds or self.view.extent)
        flt = replace(self.view.to_filter(), bbox=None)
        text = flt.describe(len(drawn))
        if self.n_without_coordinates:
            text += f" ({self.n_without_coordinates:,} more without coordinates, not drawn)"
        return text

    @property
    def sources(self) -> SourceList:
        """The sources of the view's own bounds (the HTML export and captions)."""
        return self.sources_within(self.view.extent)


def page_text(view: SnapshotView) -> PageText:
    """What a picture's header and footer hold apart from data (for ``query_bounds``)."""
    return PageText(marking=bool(view.marking))


def collect(view: SnapshotView, store: Store | None, size: ImageSize | None = None, *,
            captures: Sequence[Event] | None = None,
            series: ControlSeries | None = None) -> SnapshotData:
    """Query the store for ``view`` and build the control map of its day (store evidence
    plus the curated timeline unless ``view.curated`` is False), with each place's
    history: the same control the Map page draws. ``size`` (a picture's) widens the query
    to what the map may show once fitted to the frame; without it the query is the
    view's bounds plus a margin.

    A picture's control is the day of the store's kept series (``geo.control.cache.
    stored_series``, or ``series`` when the caller holds it), as the Map page and every
    frame of a timelapse draw it, so a snapshot of a day and that day's frame agree.
    Reading and weighing the store's evidence on every export cost ~0.3 s of a
    10,000-event PNG. The HTML export (no ``size``) replays control in the browser, so
    it carries the evidence up to its day (``captures``, or read here)."""
    from geo.control.history import control_map, with_histories
    from geo.control.sources import control_events

    bounds = (query_bounds(view.extent, size, page_text(view)) if size is not None
              else expand(view.extent, HTML_MARGIN))
    flt = replace(view.to_filter(), bbox=bounds)
    events = store.query_events(flt) if store is not None else empty_frame()
    hidden = int(events.attrs.get("n_without_coordinates", 0))
    if series is None and captures is None and size is not None and store is not None:
        from geo.control.cache import stored_series

        series = stored_series(store, curated=view.curated)
    if series is not None:
        control = with_histories(series.collection_on(view.day), series)
        kept = None
    else:
        if captures is None:
            captures = control_events(view.day, store, curated=False)
        control = control_map(view.day, captures, curated=view.curated)
        kept = list(captures)
    refs = gather(events, control, view.day, store)
    return SnapshotData(view, events, control, bounds, refs, hidden, kept)
