"""The store interface: SQLite and PostGIS implement the same methods with the same behaviour.

Everything else (CLI, pages, control, exports) talks to a ``Store`` obtained from
``geo.store.open_store(url)``; nothing outside ``geo/store`` writes SQL.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from geo.core.records import Article, Event, Holding, Place, ReviewStatus
from geo.store.query import EventFilter

if TYPE_CHECKING:            # imported by the code that builds frames, when it runs
    import geopandas as gpd


@dataclass
class IngestResult:
    """What one ``ingest`` call changed."""

    article_id: str
    article_new: bool
    events_added: int = 0
    events_merged: int = 0       # reports attached as extra sources to an existing event
    warnings: list[str] = field(default_factory=list)
    #: Ids of the stored events the article's reports became (added or merged into).
    event_ids: list[str] = field(default_factory=list)


@dataclass
class ImportOutcome:
    """What one ``import_events`` call changed: events added, and for each incoming event
    judged a duplicate of a stored one, ``(incoming position, incoming id, stored id)``;
    ``updated``: ``(incoming position, id)`` of stored events a newer version of their
    dataset row changed; ``kept``: the same for newer rows of events an analyst has
    reviewed, which were left as the analyst made them."""

    added: int = 0
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)
    updated: list[tuple[int, str]] = field(default_factory=list)
    kept: list[tuple[int, str]] = field(default_factory=list)


#: Called with (events looked at so far, total) while a long import runs.
Progress = Callable[[int, int], None]


class Store(ABC):
    """Articles, events with their evidence, audit trail, custom places, geocoder cache."""

    url: str

    # -- writing -------------------------------------------------------------------------
    @abstractmethod
    def ingest(self, article: Article, events: Iterable[Event],
               holdings: Iterable[Holding] = ()) -> IngestResult:
        """Store an article, its events and the holdings it states in passing in one
        transaction; idempotent per article.

        An event that matches one already stored (same class, place, overlapping dates,
        same actor1 force) is merged: the new article is added as another source."""

    @abstractmethod
    def add_events(self, events: Iterable[Event]) -> int:
        """Store events that have no article (imported, curated, manual); one transaction."""

    @abstractmethod
    def import_events(self, events: Iterable[Event], *,
                      on_progress: Progress | None = None,
                      versions: Sequence[int | None] | None = None,
                      author: str | None = None) -> ImportOutcome:
        """Store events from another dataset (ACLED, UCDP, a GIS file) in one transaction,
        skipping each one that duplicates an event stored *before* this call (same id, or
        ``dedup.events_match`` against candidates of an index lookup: same class, place
        within ``dedup.MATCH_RADIUS_KM``, overlapping dates, same actor1 force).

        Events of the batch are not matched against each other, nor against stored events
        of the same dataset (the id's prefix before ``:``, e.g. ``acled:``) under another
        id: a dataset is deduplicated by whoever made it, and two air strikes on one town
        on one day are two events. ``versions[i]`` is the dataset's version of event i's
        row (ACLED's ``timestamp``) or None: a stored event with the same id and an older
        (or no) version takes the new row's values, audited as a change by ``author``
        (None: the ``author`` setting), unless an analyst has reviewed it (then it is
        ``kept``)."""

    @abstractmethod
    def update_event(self, event_id: str, changes: dict[str, Any], *,
                     author: str | None = None, note: str = "") -> Event:
        """Change fields of an event, record before/after/when/who in the audit trail (one
        change: its rows share a ``change_id``), set the review status to corrected (or to
        the status given in ``changes``). ``author`` None means the ``author`` setting."""

    @abstractmethod
    def undo_change(self, change_id: int, *, author: str | None = None,
                    note: str = "") -> Event | Holding:
        """Restore the exact values an audited change replaced (every field it changed,
        the date interval and review status included), recorded as a change of its own
        (so it can be undone in turn). ``InputError`` when there is no such change or a
        field it changed has changed again since (undo the later change first). A change
        of a holding's review (``review_holding``) brings the decision before it back
        and returns the holding."""

    @abstractmethod
    def add_custom_place(self, place: Place) -> None:
        """Persist an analyst's own place (used by the gazetteer geocoder)."""

    @abstractmethod
    def confirm_name(self, name: str, place: Place, *, author: str | None = None) -> None:
        """Remember that ``name`` (as written in datasets and articles) means ``place``:
        the gazetteer answers it so from now on. Confirming again replaces the choice."""

    @abstractmethod
    def forget_confirmed_name(self, name: str) -> bool:
        """Drop a confirmation; False when there was none."""

    # -- reading -------------------------------------------------------------------------
    @abstractmethod
    def query_events(self, flt: EventFilter | None = None, *,
                     columns: Iterable[str] | None = None) -> gpd.GeoDataFrame:
        """Events matching the filter as a GeoDataFrame in EPSG:4326 (one row per event,
        columns named like ``Event`` fields, plus ``n_sources``); ``columns`` selects
        some of them (the coordinates always come; the points only if ``geometry`` is
        named)."""

    @abstractmethod
    def put_holdings(self, article_id: str, holdings: Iterable[Holding]) -> int:
        """Replace the holdings stored for a stored article (read again by a newer rule
        table, or for an article ingested before the store kept holdings), in one
        transaction; returns how many it now has. A holding an analyst confirmed or
        corrected stays when the new reading no longer gives its statement (an analyst's
        claim is never dropped by a rule change)."""

    @abstractmethod
    def query_holdings(self, date_to: date | None = None, *,
                       review_status: Sequence[str] | None = None) -> list[Holding]:
        """The holdings articles state in passing (``geo.core.records.Holding``) whose
        interval begins by ``date_to`` (all when None), by date then id, each as the
        analyst decided it (``review_holding``: corrected values, review status);
        ``review_status`` keeps only those of these statuses (all when None)."""

    @abstractmethod
    def get_holding(self, holding_id: str) -> Holding | None:
        """One holding as the analyst decided it, or None."""

    @abstractmethod
    def review_holding(self, holding_id: str, status: ReviewStatus | str | None = None,
                       changes: Mapping[str, Any] | None = None, *,
                       author: str | None = None, note: str = "") -> Holding:
        """An analyst's decision on a holding stated in passing: confirmed, rejected,
        corrected (``changes``: force, place_id, location, latitude, longitude, country,
        date_min, date_max; the status defaults to corrected), or machine (back to the
        reading). Kept apart from the reading, so it outlives ``put_holdings`` and
        re-ingest (``geo.store.holding_review``); audited under one change id (undoable);
        moves the events version (control weighs it: rejected never, confirmed and
        corrected as an analyst's claim). ``InputError`` names the field of a bad value
        or an unknown id; nothing is written then. Returns the holding as decided."""

    @abstractmethod
    def date_range(self, flt: EventFilter | None = None) -> tuple[date, date] | None:
        """The first and last day the filter's events with coordinates cover (over their
        ``date_min``, ``date_max`` and ``event_date``), or None when none is dated: what
        a date picker spans, without loading the events."""

    @abstractmethod
    def get_event(self, event_id: str) -> Event | None: ...

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def list_articles(self) -> list[Article]: ...

    @abstractmethod
    def audit_trail(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """Audit rows oldest first, as dicts: id, change_id, event_id, at, author, field,
        before, after (JSON-decoded, dates as ISO text), note."""

    @abstractmethod
    def custom_places(self) -> list[Place]: ...

    @abstractmethod
    def confirmed_names(self) -> list[tuple[str, Place]]:
        """Every confirmation as (name as confirmed, place), by name."""

    @abstractmethod
    def cache_get(self, namespace: str, key: str) -> Any | None:
        """A cached value (e.g. a Nominatim answer), JSON-decoded, or None."""

    @abstractmethod
    def cache_put(self, namespace: str, key: str, value: Any) -> None: ...

    @abstractmethod
    def events_version(self) -> int:
        """A number that changes with every committed write that changes events (ingest,
        add, import, edit, undo), whichever program made it, and with nothing else:
        what is derived from the events and kept between runs (the control series)
        is keyed on it. It starts at a random number per database, so a database
        deleted and rebuilt at the same path does not repeat an earlier one."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of articles, events, evidence rows, custom places."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
