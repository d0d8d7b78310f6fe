"""Everything one snapshot draws, gathered once: events, control map and sources.

Why apart from drawing: the PNG, PDF, HTML and every frame of a series read the same
``SnapshotData``, so the formats cannot disagree about what was shown, and the renderer
stays a pure function of data (testable without a database).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd

from geo.exports.view import SnapshotView
from geo.store.base import Store
from geo.store.frame import empty_frame


@dataclass(frozen=True)
class Source:
    """One article behind the events shown; ``number`` is its place in the list."""

    number: int
    title: str
    published: date | None
    source_name: str = ""
    url: str = ""

    def line(self) -> str:
        """'3. Iraqi forces retake Fallujah — Test Wire, 2016-06-20'."""
        extra = ", ".join(p for p in (self.source_name,
                                      self.published.isoformat() if self.published else "")
                          if p)
        return f"{self.number}. {self.title or '(untitled article)'}" + (
            f" — {extra}" if extra else "")


@dataclass
class SnapshotData:
    """Events (GeoDataFrame, EPSG:4326), the control map (GeoJSON dict, EPSG:4326), the
    filter in words and the numbered sources of one view."""

    view: SnapshotView
    events: gpd.GeoDataFrame
    control: dict[str, Any]
    described: str
    sources: list[Source] = field(default_factory=list)

    @property
    def n_events(self) -> int:
        return len(self.events)


def collect_sources(events: gpd.GeoDataFrame, store: Store | None) -> list[Source]:
    """The distinct articles behind ``events`` (``article_ids`` column, comma-joined),
    numbered in order of first use by the earliest event; unknown ids are skipped."""
    if store is None or not len(events) or "article_ids" not in events:
        return []
    ordered = events.sort_values(["event_date", "event_id"], kind="stable")
    seen: list[str] = []
    known: set[str] = set()
    for cell in ordered["article_ids"]:
        for article_id in str(cell or "").split(","):
            article_id = article_id.strip()
            if article_id and article_id not in known:
                known.add(article_id)
                seen.append(article_id)
    sources: list[Source] = []
    for article_id in seen:
        article = store.get_article(article_id)
        if article is None:
            continue
        sources.append(Source(len(sources) + 1, article.title.strip(), article.published,
                              article.source_name, article.url))
    return sources


def collect(view: SnapshotView, store: Store | None) -> SnapshotData:
    """Query the store for ``view`` and build the control map of its day (store evidence
    plus the curated timeline unless ``view.curated`` is False), with each place's
    history and each area's places: the same ``control_map`` the Map page draws, so the
    HTML export's popups match the screen (the pictures ignore the extra properties)."""
    from geo.control.history import control_map
    from geo.control.sources import control_events

    flt = view.to_filter()
    events = store.query_events(flt) if store is not None else empty_frame()
    described = flt.describe(len(events))
    hidden = int(events.attrs.get("n_without_coordinates", 0))
    if hidden:
        described += f" ({hidden:,} more without coordinates, not drawn)"
    control = control_map(view.day, control_events(view.day, store, curated=False),
                          curated=view.curated)
    return SnapshotData(view, events, control, described, collect_sources(events, store))
