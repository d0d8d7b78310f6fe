"""Batches of article files: read -> extract -> (optionally) store, one file at a time.

A bad file never stops a batch: its error is recorded with the file name and the batch
goes on; the summary lists it at the end. Each article is stored in one transaction, so
a failure leaves nothing half-written.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from geo.core import paths
from geo.core.errors import ArticleError, ConfirmationNeeded, GeoError
from geo.core.files import path_text
from geo.core.forces import ForceTable, default_forces
from geo.core.records import Event
from geo.core.validate import STRICT, Allow, check_event_day
from geo.enrich import fill_other_sides
from geo.extract.events import PlaceFinder
from geo.extract.pipeline import Extraction, extract_article
from geo.geocode.gazetteer import Gazetteer, default_gazetteer
from geo.read import ReadResult, read_article, read_bytes
from geo.store.base import Store

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".md"}


def load_places_and_forces(store: Store | None = None) -> tuple[Gazetteer, ForceTable]:
    """The gazetteer (with the store's own places when given) and the force table: what
    extraction needs to find places and forces in text."""
    return default_gazetteer(store=store), default_forces()


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: str
    extraction: Extraction | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    events_added: int = 0
    events_merged: int = 0
    article_new: bool = False
    #: Stored events this file's reports became (the Ingest page links to them).
    event_ids: list[str] = field(default_factory=list)


#: Columns of ``BatchSummary.outcome_rows``, in display order.
OUTCOME_COLUMNS = ("file", "events found", "new", "merged", "title", "warnings", "error")


@dataclass
class BatchSummary:
    """Totals of a batch, for the terminal and the Ingest page."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(1 for o in self.outcomes if o.extraction is not None)

    @property
    def events(self) -> int:
        return sum(len(o.extraction.events) for o in self.outcomes if o.extraction)

    @property
    def holdings(self) -> int:
        """Holdings the articles state in passing (``Extraction.holdings``)."""
        return sum(len(o.extraction.holdings) for o in self.outcomes if o.extraction)

    @property
    def errors(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.error]

    @property
    def unresolved(self) -> list[str]:
        names = {n for o in self.outcomes if o.extraction for n in o.extraction.unresolved}
        return sorted(names)

    @property
    def ambiguous(self) -> list[str]:
        names = {n for o in self.outcomes if o.extraction for n in o.extraction.ambiguous}
        return sorted(names)

    def outcome_rows(self) -> list[dict[str, object]]:
        """One table row per file (the Ingest page's table): what was found, stored or
        went wrong, so a failed file stands next to the ones that worked."""
        return [{"file": o.path,
                 "events found": len(o.extraction.events) if o.extraction else 0,
                 "new": o.events_added, "merged": o.events_merged,
                 "title": o.extraction.article.title if o.extraction else "",
                 "warnings": "; ".join(o.warnings), "error": o.error}
                for o in self.outcomes]

    def lines(self) -> list[str]:
        """The summary in words, one line each."""
        added = sum(o.events_added for o in self.outcomes)
        merged = sum(o.events_merged for o in self.outcomes)
        out = [f"{self.articles} article(s) read, {self.events} event(s) found"
               + (f", {added} new and {merged} merged into stored events" if added or merged else "")
               + (f"; {self.holdings} holding(s) stated in passing" if self.holdings else ""),
               f"{len(self.errors)} file(s) failed"]
        if self.ambiguous:
            out.append("ambiguous place names: " + ", ".join(self.ambiguous))
        if self.unresolved:
            out.append("unresolved place names: " + ", ".join(self.unresolved))
        for o in self.outcomes:
            out += [f"warning: {o.path}: {w}" for w in o.warnings]
        out += [f"error: {o.error}" for o in self.errors]
        return out


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the article files inside any folder given (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            out.append(p)
    return out


def process_files(paths: Iterable[str | Path], places: PlaceFinder, forces: ForceTable, *,
                  store: Store | None = None, published: date | None = None,
                  on_file: Callable[[int, int, FileOutcome], None] | None = None,
                  allow: Allow = STRICT) -> BatchSummary:
    """Read and extract each file; store it when ``store`` is given. Events dated outside
    1990..today are left out with a warning unless ``allow.any_date``."""
    files = expand_paths(paths)
    summary = BatchSummary()
    for i, outcome in enumerate(_each(files, places, forces, store, published, allow),
                                start=1):
        summary.outcomes.append(outcome)
        if on_file:
            on_file(i, len(files), outcome)
    if store is not None:
        remember_names(store, summary)
    return summary


def _each(files: list[Path], places: PlaceFinder, forces: ForceTable, store: Store | None,
          published: date | None, allow: Allow) -> Iterator[FileOutcome]:
    for path in files:
        yield _process(path_text(path), partial(read_article, path, published=published),
                       places, forces, store, allow)


def _dated_in_range(events: list[Event], allow: Allow, warnings: list[str]) -> list[Event]:
    """The events whose date an event may have (``check_event_day``); each one left out
    is named in ``warnings`` with its sentence, so the analyst can look."""
    kept = []
    for event in events:
        try:
            check_event_day(event.event_date, "event_date", allow=allow)
        except ConfirmationNeeded as exc:
            sentence = event.evidence[0].sentence[:120] if event.evidence else ""
            warnings.append(f"event {event.sub_event_type} at {event.location or '?'} not "
                            f"kept: {exc.message} ({exc.option}; sentence: {sentence!r})")
            continue
        kept.append(event)
    return kept


def _process(name: str, read: Callable[[], ReadResult], places: PlaceFinder,
             forces: ForceTable, store: Store | None, allow: Allow = STRICT) -> FileOutcome:
    """Read, extract and (optionally) store one article; errors become the outcome's message."""
    outcome = FileOutcome(name)
    try:
        result = read()
        outcome.warnings = result.warnings
        outcome.extraction = fill_other_sides(
            extract_article(result.article, places, forces, source_file=name), forces)
        outcome.extraction.events = _dated_in_range(outcome.extraction.events, allow,
                                                    outcome.warnings)
        if store is not None:
            res = store.ingest(result.article, outcome.extraction.events,
                               outcome.extraction.holdings)
            outcome.article_new = res.article_new
            outcome.events_added, outcome.events_merged = res.events_added, res.events_merged
            outcome.event_ids = list(dict.fromkeys(res.event_ids))
    except ArticleError as exc:
        outcome.error = str(exc)
    except GeoError as exc:
        outcome.error = f"{name}: {exc}"
    except Exception as exc:
        # A defect met by one article (in the extractor, say) must not cost the analyst
        # the rest of the batch: the file is reported in one line, the traceback goes to
        # the log for whoever maintains the tool, and the next file is read. Its store
        # transaction, if begun, was rolled back: nothing of it is half-written.
        log.exception("internal error while processing %s", name)
        outcome.error = (f"{name}: internal error ({type(exc).__name__}: {exc}); the file "
                         f"was skipped, details are in the log")
    return outcome


def _read_upload(name: str, raw: bytes, published: date | None,
                 max_bytes: int | None) -> ReadResult:
    result = read_bytes(raw, source=name, published=published, limit=max_bytes)
    result.article.path = name
    return result


def process_uploads(items: Iterable[tuple[str, bytes]], places: PlaceFinder, forces: ForceTable,
                    *, store: Store | None = None, published: date | None = None,
                    max_bytes: int | None = None,
                    on_file: Callable[[int, int, FileOutcome], None] | None = None,
                    allow: Allow = STRICT) -> BatchSummary:
    """``process_files`` for uploaded ``(file name, bytes)`` pairs (the Ingest page).

    Same rules as for files: each upload is read with ``read_bytes`` (size limit
    ``max_article_bytes`` unless ``max_bytes`` is given, binary and empty uploads
    refused), a bad one is recorded with its name and the batch goes on."""
    uploads = list(items)
    summary = BatchSummary()
    for i, (name, raw) in enumerate(uploads, start=1):
        outcome = _process(name, partial(_read_upload, name, raw, published, max_bytes),
                           places, forces, store, allow)
        summary.outcomes.append(outcome)
        if on_file:
            on_file(i, len(uploads), outcome)
    if store is not None:
        remember_names(store, summary)
    return summary


def ingest_sample_articles(store: Store) -> BatchSummary:
    """Store the sample articles bundled in ``data/articles/`` (project-written texts
    about well-documented events; see data/ATTRIBUTION.md): the first-run path of the
    dashboard and of ``make run``."""
    places, forces = load_places_and_forces(store)
    return process_files([paths.DATA_DIR / "articles"], places, forces, store=store)


#: Where place names that need a decision are kept between sessions (the store's cache
#: table, one JSON document: no schema change, both backends).
PENDING_NAMESPACE = "pending-place-names"
_PENDING_KEY = "names"


def remember_names(store: Store, summary: BatchSummary) -> None:
    """Keep the batch's unresolved and ambiguous place names in the store, with the
    files they came from, so the Places page lists them in any later session (they
    used to live in one browser session only)."""
    found: dict[str, tuple[str, set[str]]] = {}
    for outcome in summary.outcomes:
        if outcome.extraction is None:
            continue
        for kind, names in (("unresolved", outcome.extraction.unresolved),
                            ("ambiguous", outcome.extraction.ambiguous)):
            for name in names:
                found.setdefault(name, (kind, set()))[1].add(outcome.path)
    if not found:
        return
    pending = dict(store.cache_get(PENDING_NAMESPACE, _PENDING_KEY) or {})
    for name, (kind, files) in found.items():
        entry = pending.get(name) or {"kind": kind, "files": []}
        entry["kind"] = kind
        entry["files"] = sorted(set(entry.get("files", [])) | files)[-20:]
        pending[name] = entry
    store.cache_put(PENDING_NAMESPACE, _PENDING_KEY, pending)


def pending_names(store: Store) -> dict[str, dict[str, object]]:
    """Place names still waiting for an analyst: ``{name: {"kind": "unresolved" or
    "ambiguous", "files": [...]}}``, without those confirmed since (a confirmed name
    has its place)."""
    pending = dict(store.cache_get(PENDING_NAMESPACE, _PENDING_KEY) or {})
    confirmed = {name.casefold() for name, _ in store.confirmed_names()}
    return {n: e for n, e in sorted(pending.items()) if n.casefold() not in confirmed}


def reread_holdings(store: Store, on_article: Callable[[int, int], None] | None = None
                    ) -> tuple[int, int, list[str]]:
    """Read the holdings stated in passing again from every stored article's text and
    store them (``Store.put_holdings``): for a database whose articles were ingested
    before the store kept holdings (schema 7), or after the rule table changed. Events
    are not touched (an analyst's corrections stay). Returns (articles read, holdings
    stored, problems: an article that cannot be read is named and skipped)."""
    places, forces = load_places_and_forces(store)
    articles = store.list_articles()
    read = stored = 0
    problems: list[str] = []
    for i, article in enumerate(articles, start=1):
        name = article.path or article.title or article.article_id
        try:
            found = extract_article(article, places, forces, source_file=article.path)
            stored += store.put_holdings(article.article_id, found.holdings)
            read += 1
        except GeoError as exc:
            problems.append(f"{name}: {exc}")
        if on_article:
            on_article(i, len(articles))
    return read, stored, problems
