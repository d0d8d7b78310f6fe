"""What the browser needs to scrub through time without asking the server again.

Why: a server round trip per slider step cost 0.35-0.9 s with 24 events and up to 18 s at
100,000 (issue #13). Instead, for one filter the page sends the events once, as compact
columns, and the browser plugin (``static/vendor/_local/geo-scrub.js``) filters them by
the date window, clusters and draws them on every step or animation frame. The same goes
for control: its states at every change point (``geo.maps.control_states``).

How it travels: each payload is written once as a content-addressed, gzipped JSON file
(``*.json.gz``) under ``static/_data/`` (served by Streamlit's static file serving at
``/app/static/_data/``), and the map only carries its URL. So a server rerun (the analyst
stopped scrubbing, panned, typed) re-sends a few hundred bytes, not megabytes, and the
browser caches the file. Event details (sentence, actors, link) are a second file, fetched
on the first popup: the first map does not wait for text nobody has asked to read yet.

Why gzipped once by us: the server gzips a served ``.json`` on every request, at level 9
in Python (Starlette's middleware): 1.3 s of CPU for the 3.6 MB of 100,000 events, on the
first map's path, and 4.8 s for a 35 MB control file. A ``.json.gz`` is served as it is
(``application/gzip``, which the middleware leaves alone) and the browser unpacks it
(``DecompressionStream``); written at ``GZIP_LEVEL`` once per content.

Columns (one entry per located event, same order in every column and in the details,
which carry the event ids): ``lon``/``lat`` (degrees, EPSG:4326, 5 decimals), ``lo``/``hi`` (first and last
possible day as days since 1970-01-01; ``null`` = open end, the store's rule: an event
overlaps a window when ``hi >= from and lo <= to``), ``force`` (index into ``forces``,
-1 unknown), ``type`` (index into ``types``), ``flags`` (``FLAG_*`` bits).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES, EVENT_TYPES
from geo.core.errors import ConfigurationError
from geo.core.files import atomic_output
from geo.core.links import EVENT_LINK_PREFIX
from geo.core.paths import STATIC_DIR
from geo.core.records import GeoPrecision, TimePrecision
from geo.core.theatre import EARLIEST_EVENT_DATE
from geo.maps.events_layer import (
    GEO_PRECISION_TEXT,
    TIME_PRECISION_TEXT,
    popup_mentions,
)
from geo.maps.forces_style import force_label
from geo.maps.view import frame_day_bounds, window_mask

#: Where payload files go and the URL Streamlit serves them at.
DATA_DIR: Path = STATIC_DIR / "_data"
DATA_URL = "/app/static/_data"
#: Files kept in DATA_DIR; older ones are removed when a new one is written ...
KEEP_FILES = 96
#: ... and, beyond the newest ``KEEP_NEWEST``, while all kept files hold more than this
#: many bytes: a control file with its desert is 5-35 MB, so 96 of them filled 360 MB of
#: a laptop's disk.
KEEP_BYTES = 256 * 1024 * 1024
KEEP_NEWEST = 8
#: zlib level of the served files: level 1 packs the events of 100,000 events into 1.0 MB
#: in 0.03 s where level 9 takes 1.3 s for 0.77 MB (a file crosses a loopback or a LAN).
GZIP_LEVEL = 1
#: Ending of every served data file.
SUFFIX = ".json.gz"
EPOCH = date(1970, 1, 1)
SCHEMA = "geo.scrub.events/1"

FLAG_CAPTURE = 1        # a capture of territory: thick black outline
FLAG_NEAR = 2           # geo precision 2: near the place
FLAG_REGION = 4         # geo precision 3: province/region only
FLAG_COUNTRY = 8        # geo precision 4: country or a line only
FLAG_COARSE_DATE = 16   # time precision month or coarser: faded

TYPES: tuple[str, ...] = tuple(EVENT_TYPES)


def day_number(day: date) -> int:
    """Days since 1970-01-01 (what the browser counts in)."""
    return (day - EPOCH).days


def from_day_number(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def _days(values: np.ndarray) -> list[int | None]:
    """``datetime64[D]`` as day numbers, ``None`` for NaT (an open end)."""
    out = values.astype("datetime64[D]").astype("int64")
    nat = np.isnat(values)
    return [None if n else int(v) for v, n in zip(out, nat)]


def _column(frame: pd.DataFrame, name: str, default: Any = "") -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


@dataclass(frozen=True)
class ScrubEvents:
    """The events of one filter, ready for the browser and for the server's own count.

    ``columns`` are JSON-ready; ``rows`` are the events in column order (their popup
    ``details`` are built on demand: the first map does not wait for them);
    ``lo``/``hi`` (``datetime64[D]``, NaT open) let the page say "Showing N" for the day
    the analyst stopped on by the same rule the browser applies."""

    columns: dict[str, Any]
    rows: pd.DataFrame
    lo: np.ndarray
    hi: np.ndarray
    n_without_coordinates: int = 0

    @property
    def details(self) -> list[list[Any]]:
        return event_details(self.rows)

    @property
    def n(self) -> int:
        return len(self.lo)

    def count(self, date_from: date | None, date_to: date | None) -> int:
        """How many of the events overlap the window (all of them are located)."""
        if not self.n:
            return 0
        return int(window_mask(self.lo, self.hi, date_from, date_to).sum())

    def span(self) -> tuple[date, date] | None:
        """First and last day any event covers (None without dated events)."""
        ends = np.concatenate([self.lo[~np.isnat(self.lo)], self.hi[~np.isnat(self.hi)]])
        if not len(ends):
            return None
        return (pd.Timestamp(ends.min()).date(), pd.Timestamp(ends.max()).date())


#: The store columns ``scrub_events`` reads: what the Map page queries (``query_events(
#: columns=...)``), a third of the time of the whole frame at 100,000 events.
SCRUB_COLUMNS: tuple[str, ...] = (
    "latitude", "longitude", "event_date", "date_min", "date_max", "time_precision",
    "geo_precision", "event_type", "sub_event_type", "actor1_force")


def scrub_events(frame: pd.DataFrame, force_ids: Iterable[str]) -> ScrubEvents:
    """Compact columns and popup details of the located, dated events of ``frame`` (a
    store query). Undated events have no place on a time line and are left out, as the
    store leaves them out of any window."""
    forces = list(force_ids)
    force_index = {f: i for i, f in enumerate(forces)}
    type_index = {t: i for i, t in enumerate(TYPES)}
    lat = pd.to_numeric(_column(frame, "latitude", np.nan), errors="coerce").to_numpy(float)
    lon = pd.to_numeric(_column(frame, "longitude", np.nan), errors="coerce").to_numpy(float)
    lo, hi = frame_day_bounds(frame)
    located = np.isfinite(lat) & np.isfinite(lon)
    dated = ~(np.isnat(lo) & np.isnat(hi))
    keep = located & dated
    n_unlocated = int((dated & ~located).sum()) + int(frame.attrs.get("n_without_coordinates", 0))
    sub = frame[keep]
    lo, hi = lo[keep], hi[keep]
    geo_prec = pd.to_numeric(_column(sub, "geo_precision", 1), errors="coerce").fillna(1)
    time_prec = pd.to_numeric(_column(sub, "time_precision", 1), errors="coerce").fillna(1)
    geo_prec_a = geo_prec.to_numpy(int)
    flags = (np.where(_column(sub, "sub_event_type").isin(CAPTURE_SUB_EVENT_TYPES),
                      FLAG_CAPTURE, 0)
             | np.where(geo_prec_a == GeoPrecision.NEAR, FLAG_NEAR, 0)
             | np.where(geo_prec_a == GeoPrecision.REGION, FLAG_REGION, 0)
             | np.where(geo_prec_a >= GeoPrecision.COUNTRY, FLAG_COUNTRY, 0)
             | np.where(time_prec.to_numpy(int) >= TimePrecision.MONTH, FLAG_COARSE_DATE, 0))
    columns = {
        "schema": SCHEMA,
        "forces": forces, "types": list(TYPES),
        "lon": np.round(lon[keep], 5).tolist(), "lat": np.round(lat[keep], 5).tolist(),
        "lo": _days(lo), "hi": _days(hi),
        "force": _codes(_strings(sub, "actor1_force"), force_index),
        "type": _codes(_strings(sub, "event_type"), type_index),
        "flags": flags.astype(int).tolist(),
    }
    return ScrubEvents(columns, sub, lo, hi, n_unlocated)


def _codes(values: pd.Series, index: dict[str, int]) -> list[int]:
    """Each value's position in ``index``, -1 when absent. A dict lookup per value: a
    ``Series.map`` by a dict builds a pandas 3 (Arrow) string index on its first call,
    a quarter of a second of the first map."""
    return [index.get(v, -1) for v in values.tolist()]


DETAIL_FIELDS = ("event_id", "date", "type", "actors", "force", "location", "place",
                 "fatalities", "sentence", "mentions", "link", "review")


def _strings(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as text, '' for missing values (vectorised)."""
    if name not in frame:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    column = frame[name]
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    if pd.api.types.is_string_dtype(column):
        return column.fillna("").astype(object)
    return column.astype(object).where(column.notna(), "").map(str)


def _joined(left: pd.Series, right: pd.Series, sep: str) -> pd.Series:
    """``left + sep + right`` where both are non-empty, else whichever is."""
    both = (left != "") & (right != "")
    return left.where(~both, left + sep + right).where(left != "", right)


def event_details(frame: pd.DataFrame) -> list[list[Any]]:
    """Per event, the popup's plain values in ``DETAIL_FIELDS`` order (no markup: the
    browser builds the popup with ``textContent``). Vectorised: 100,000 events take
    about a second, where a row-by-row build took seven."""
    if not len(frame):
        return []
    day, lo, hi = (_strings(frame, c) for c in ("event_date", "date_min", "date_max"))
    precision = pd.to_numeric(_column(frame, "time_precision", 1), errors="coerce").fillna(1)
    label = precision.astype(int).map(lambda p: TIME_PRECISION_TEXT.get(p, f"precision {p}"))
    interval = (lo != "") & (hi != "") & (lo != hi)
    dates = (day + " (" + label + ")").where(~interval, lo + " to " + hi + " (" + label + ")")
    dates = dates.where(day != "", "undated")
    types = _joined(_strings(frame, "event_type"), _strings(frame, "sub_event_type"), " / ")
    actors = _joined(_strings(frame, "actor1"), _strings(frame, "actor2"), " vs ")
    forces = _strings(frame, "actor1_force").map(force_label)
    geo_prec = pd.to_numeric(_column(frame, "geo_precision", 1), errors="coerce").fillna(1)
    places = geo_prec.astype(int).map(lambda p: GEO_PRECISION_TEXT.get(p, ""))
    fatalities = pd.to_numeric(_column(frame, "fatalities", 0), errors="coerce").fillna(0)
    evidence = _strings(frame, "evidence_sentence")
    sentence = evidence.where(evidence != "", _strings(frame, "sentence"))
    sentence = sentence.where(sentence != "", _strings(frame, "notes"))
    ids = _strings(frame, "event_id")
    links = (EVENT_LINK_PREFIX + ids).where(ids != "", "")
    for column in ("article_url", "url", "source_url"):
        if column in frame:
            own = _strings(frame, column)
            web = own.str.lower().str.startswith(("http://", "https://"))
            links = own.where(web, links)
    raw = _column(frame, "evidence_mentions", None)
    has = (raw.notna() & (evidence != "")).to_numpy()
    mentions: list[Any] = [[] for _ in range(len(frame))]
    for i in np.flatnonzero(has):
        mentions[i] = popup_mentions(evidence.iat[i], raw.iat[i])
    return [list(row) for row in zip(
        ids.tolist(), dates.tolist(), types.tolist(), actors.tolist(), forces.tolist(),
        _strings(frame, "location").tolist(), places.tolist(),
        fatalities.astype(int).tolist(), sentence.tolist(), mentions, links.tolist(),
        _strings(frame, "review_status").tolist())]


def dumps(value: Any) -> bytes:
    """Compact JSON (UTF-8). Never inlined in a script (it is fetched), so no escaping."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def publish(value: Any, prefix: str, folder: Path | None = None, *,
            name: str | None = None) -> str:
    """Write ``value`` as ``<prefix>-<content hash>.json.gz`` in the served data folder
    (once: the same content gives the same name) and return its URL path. ``name``
    replaces the content hash by a name the caller derives from the inputs (their hash),
    ending in ``SUFFIX``.

    Content-addressed names make the browser's cache safe and two processes writing the
    same payload harmless (write to a temporary file, then an atomic rename)."""
    folder = folder or DATA_DIR
    data = dumps(value)
    name = name or f"{prefix}-{hashlib.sha256(data).hexdigest()[:20]}{SUFFIX}"
    if not name.endswith(SUFFIX):
        raise ValueError(f"a served data file's name ends with {SUFFIX}: {name!r}")
    path = folder / name
    if not path.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with atomic_output(path) as tmp:
                # mtime 0: the same content gives the same bytes.
                tmp.write_bytes(gzip.compress(data, GZIP_LEVEL, mtime=0))
        except OSError as exc:
            raise ConfigurationError(
                f"cannot write the map's data file in {folder} ({exc.strerror}); the folder "
                "must be writable by the dashboard") from exc
        prune_served_files(folder)
    return f"{DATA_URL}/{name}" if folder == DATA_DIR else str(path)


def read_served(url_or_path: str | Path) -> Any:
    """The value of a published file, by its URL (``/app/static/_data/...``) or path."""
    text = str(url_or_path)
    path = DATA_DIR / text.rsplit("/", 1)[1] if text.startswith(DATA_URL + "/") else Path(text)
    return json.loads(gzip.decompress(path.read_bytes()))


def prune_served_files(folder: Path, keep: int = KEEP_FILES, keep_bytes: int = KEEP_BYTES,
           newest: int = KEEP_NEWEST) -> None:
    """Remove the oldest payload files beyond ``keep`` files or ``keep_bytes`` bytes in
    all, never one of the ``newest`` (a page open on an older one has fetched it
    already; a reload builds it again)."""
    try:
        stats = [(p, p.stat()) for pattern in ("*.json", f"*{SUFFIX}")  # older: .json
                 for p in folder.glob(pattern)
                 if not p.name.startswith("labels-")]              # one per gazetteer
    except OSError:
        return
    stats.sort(key=lambda ps: ps[1].st_mtime, reverse=True)
    total = 0
    for position, (path, stat) in enumerate(stats):
        total += stat.st_size
        if position < newest or (position < keep and total <= keep_bytes):
            continue
        try:
            path.unlink()
        except OSError:
            pass


@dataclass(frozen=True)
class TimeRange:
    """The slider's range: the stored events and the curated timeline (the theatre's
    period), widened to a date the analyst typed or linked to, never outside
    ``FIRST_ALLOWED``..today."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days

    def clamp(self, day: date) -> date:
        return min(max(day, self.first), self.last)

    def widened(self, day: date) -> TimeRange:
        return TimeRange(min(self.first, day), max(self.last, day))


#: Earliest day the map accepts (the reliability issue: edits before 1990 are refused).
FIRST_ALLOWED = EARLIEST_EVENT_DATE     # the first day an event may have (validation)


def allowed_day(day: date, today: date | None = None) -> str | None:
    """Why ``day`` cannot be shown (None when it can): before 1990 or after today."""
    today = today or date.today()
    if day < FIRST_ALLOWED:
        return f"{day} is before {FIRST_ALLOWED}: the map starts there"
    if day > today:
        return f"{day} is in the future (today is {today})"
    return None


def time_range(events_span: tuple[date, date] | None, theatre_span: tuple[date, date],
               today: date | None = None) -> TimeRange:
    """Stored events together with the curated timeline's period, within 1990..today."""
    today = today or date.today()
    first, last = theatre_span
    if events_span is not None:
        first, last = min(first, events_span[0]), max(last, events_span[1])
    first = max(first, FIRST_ALLOWED)
    last = min(last, today)
    if last <= first:
        first = last - timedelta(days=1)
    return TimeRange(first, last)


@dataclass(frozen=True)
class PublishedEvents:
    """A filter's events as the page keeps them: the URLs of the browser's files and
    what the server needs to say "Showing N" (small, cheap to copy out of a cache)."""

    events_url: str
    details_url: str
    lo: np.ndarray
    hi: np.ndarray
    n_without_coordinates: int
    span: tuple[date, date] | None

    @property
    def n(self) -> int:
        return len(self.lo)

    def count(self, date_from: date | None, date_to: date | None) -> int:
        if not self.n:
            return 0
        return int(window_mask(self.lo, self.hi, date_from, date_to).sum())


def details_name(events_url: str) -> str:
    """File name of the details that go with an events file (known before they exist)."""
    stem = events_url.rsplit("/", 1)[1].removeprefix("events-").removesuffix(SUFFIX)
    return f"details-{stem}{SUFFIX}"


def publish_events(frame: pd.DataFrame, force_ids: Iterable[str],
                   folder: Path | None = None, *, details: bool = True) -> PublishedEvents:
    """``scrub_events`` written as two files (columns, details) in the served folder.

    The details file is named after the columns file (``details_name``), so its URL is
    known at once; with ``details=False`` the caller writes it later
    (``publish_details``, in another process: at 100,000 events it is ~30 MB that only
    the first popup needs, and the browser retries until it is there)."""
    events = scrub_events(frame, force_ids)
    events_url = publish(events.columns, "events", folder)
    name = details_name(events_url)
    if details:
        publish(events.details, "details", folder, name=name)
    details_url = f"{DATA_URL}/{name}" if folder is None else str((folder or DATA_DIR) / name)
    return PublishedEvents(events_url, details_url, events.lo, events.hi,
                           events.n_without_coordinates, events.span())


def publish_details(database_url: str, flt: Any, force_ids: list[str], name: str) -> str:
    """Query the filter's events again and write their popup details as ``name`` (run in
    a worker process by the page, so the server's own thread stays free)."""
    from geo.store import open_store

    with open_store(database_url, read_only=True) as store:
        frame = store.query_events(flt)
    return publish(scrub_events(frame, force_ids).details, "details", name=name)
