"""Where control evidence comes from: the event store and the curated timeline.

Kept apart from the rules (``timeline``) so those stay pure and testable without a
database; the command line and the dashboard both gather events through here.
"""
from __future__ import annotations

import math
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.control.claims import stated_event
from geo.control.curated import load_curated_timeline
from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.records import EVENT_FIELDS, Event
from geo.store.base import Store
from geo.store.query import EventFilter

#: Sub-event types that can carry control evidence (Armed clash for sieges).
CONTROL_SUB_EVENT_TYPES: tuple[str, ...] = (*sorted(CAPTURE_SUB_EVENT_TYPES), "Armed clash")


def _value(name: str, value: object) -> object:
    """A frame cell as the Event field expects it (pandas NaT/NaN -> None, Timestamp -> date)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and math.isnan(value):
        return None if name in ("latitude", "longitude", "confidence") else value
    return value


def events_from_frame(frame: gpd.GeoDataFrame) -> list[Event]:
    """Events from a ``Store.query_events`` frame (scalar fields and the article ids
    behind each event; no evidence)."""
    fields = [f for f in EVENT_FIELDS if f in frame.columns]
    # A plain list: indexing a pandas column row by row cost more than building the events.
    sources = frame["article_ids"].tolist() if "article_ids" in frame.columns else None
    events = []
    for n, row in enumerate(frame[fields].itertuples(index=False)):
        values: dict[str, Any] = {name: _value(name, v) for name, v in zip(fields, row)}
        for name in ("time_precision", "geo_precision", "fatalities"):
            if values.get(name) is not None:
                values[name] = int(values[name])
        for name in ("latitude", "longitude", "confidence"):
            if values.get(name) is not None:
                values[name] = float(values[name])
        event = Event(**values)
        ids = sources[n] if sources is not None else None
        if isinstance(ids, str) and ids:
            # The articles behind a deduplicated event: what corroboration counts.
            event.article_ids = [a for a in ids.split(",") if a]
        events.append(event)
    return events


def control_events(day: date | None, store: Store | None = None, *, curated: bool = True
                   ) -> list[Event]:
    """Capture and siege evidence up to ``day`` (all of it when ``day`` is None, so a
    caller can load it once and work out control for many days): the store's (machine,
    confirmed and corrected; rejected never) and the holdings its articles state in
    passing (``claims.stated_event``), plus the curated timeline unless ``curated`` is
    False. The control rules ignore claims that start after the day asked about."""
    events: list[Event] = []
    if store is not None:
        frame = store.query_events(EventFilter(date_to=day,
                                               sub_event_types=CONTROL_SUB_EVENT_TYPES))
        events.extend(events_from_frame(frame))
        events.extend(stated_event(h) for h in store.query_holdings(day))
    if curated:
        events.extend(load_curated_timeline())
    return events
