"""What several pages share: the cached store, the cached data the map and tables read,
and which caches a write must clear.

Why one module: Streamlit keys ``st.cache_*`` by function, so a loader defined in two
pages is two caches, and a page that writes can only clear a cache it can name. Each
write says what it touched (``events_changed``, ``places_changed``) and only the caches
that depend on it are cleared, instead of every cache of every page.
Not a page itself: ``app.py`` declares the pages.
"""
from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

import streamlit as st

from geo.core import settings
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.display import markdown_literal
from geo.maps.background import ready, start_worker
from geo.maps.control_states import publish_control
from geo.maps.scrub import SCRUB_COLUMNS, PublishedEvents, publish_details, publish_events
from geo.store import EventFilter, Store, open_store

if TYPE_CHECKING:       # the Map page needs none of these: imported where used
    from geo.geocode.gazetteer import Gazetteer
    from geo.geocode.places import ReviewItem

log = logging.getLogger("geo.pages")

#: Query results are shared between sessions this long (another process, e.g. the CLI,
#: may write to the same store); writes made on a page clear the caches at once.
CACHE_TTL_S = 60
#: Session-state key of the last article batch (written by Ingest, read by Places).
LAST_INGEST = "last_ingest"
#: Session-state key of the last dataset import's summary (an ``ImportSummary``).
LAST_IMPORT = "last_import"
#: Session-state key of the name the analyst gives for the audit trail; kept apart from
#: the sidebar box's own key, which Streamlit forgets on a page without the box.
AUTHOR = "audit_author"
_AUTHOR_BOX = "audit_author_box"


def author_box() -> None:
    """The sidebar box naming who makes this session's changes (on the pages that write).

    Why: the server runs as one operating-system user for everybody; without a name
    typed here every dashboard edit would be credited to that account."""
    st.session_state.setdefault(AUTHOR, settings.author())

    def keep() -> None:
        st.session_state[AUTHOR] = st.session_state[_AUTHOR_BOX]

    if _AUTHOR_BOX not in st.session_state:        # first time, or back from another page
        st.session_state[_AUTHOR_BOX] = st.session_state[AUTHOR]
    st.sidebar.text_input("Your name (audit trail)", key=_AUTHOR_BOX, max_chars=100,
                          on_change=keep,
                          help="Recorded with every change you make here (edits, undos, "
                               "confirmed names). Starts as the author setting "
                               "(GEO_AUTHOR), else the server's user.")


def write(prefix: str, action: str, do: Callable[[], object]) -> None:
    """Run a store write of the page section whose session keys start with ``prefix``
    ("events", "holdings"). An ``InputError`` is shown by the form and the typed values
    stay in the widgets; after a write the caches that hold events and control are
    cleared (the map and the tables show the new values), the section's revision is
    bumped (``revision``: widgets keyed by it are drawn anew, a kept select box went on
    showing the label from before the edit), ``action`` is kept for the next run
    (``written_message``), the section stays open (``was_written``), and the page
    reruns so the table, the select box and the audit trail agree."""
    try:
        do()
    except InputError as exc:
        st.error(f"Not saved: {markdown_literal(exc)}")
        return
    events_changed()
    st.session_state[f"{prefix}_rev"] = revision(prefix) + 1
    st.session_state[f"{prefix}_flash"] = action
    st.session_state[f"{prefix}_open"] = True
    st.rerun()


def revision(prefix: str) -> int:
    """How many writes the section ``prefix`` made in this session (part of widget keys)."""
    return int(st.session_state.get(f"{prefix}_rev", 0))


def written_message(prefix: str) -> str | None:
    """What the section's last write did, once (the run after the write shows it)."""
    message = st.session_state.pop(f"{prefix}_flash", None)
    return str(message) if message else None


def was_written(prefix: str) -> bool:
    """Whether the section ``prefix`` wrote in this session (it then stays open)."""
    return bool(st.session_state.get(f"{prefix}_open"))


def author() -> str:
    """Who makes this session's changes: the sidebar's name, else the author setting."""
    typed = str(st.session_state.get(AUTHOR) or "").strip()
    return typed or settings.author()


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    """One store per database URL and process (it is thread-safe); creates and upgrades
    the database on first use. Pages write through it."""
    return open_store(url)


@st.cache_resource(show_spinner=False)
def get_reader(url: str) -> Store:
    """A read-only store for the pages' queries: its own connection, so a map or table
    read never waits behind another session's long write (an import holds the writing
    store for its whole transaction), and it never takes a lock."""
    get_store(url)                      # the database exists and has the current schema
    return open_store(url, read_only=True)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_counts(url: str) -> dict[str, int]:
    """Rows per table (is the store empty? the first-run guidance asks)."""
    return get_reader(url).counts()


@st.cache_data(ttl=CACHE_TTL_S, max_entries=16, show_spinner="Loading events…")
def get_map_events(url: str, flt: EventFilter) -> PublishedEvents:
    """The events of a filter without its date window, published for the browser once
    (the map then scrubs them without the server); small to copy out of the cache."""
    frame = get_reader(url).query_events(flt, columns=SCRUB_COLUMNS)
    forces = [f.force_id for f in default_forces()]
    published = publish_events(frame, forces, details=False)
    name = published.details_url.rsplit("/", 1)[1]
    _DETAILS_FAILED.pop(name, None)           # this job writes the file afresh
    job = submit(publish_details, url, flt, forces, name)
    job.add_done_callback(lambda done: _details_done(name, done))
    return published


#: Popup details files whose writing failed, with the cause (file name -> message).
_DETAILS_FAILED: dict[str, str] = {}


def _details_done(name: str, job: Future[Any]) -> None:
    """Runs when the popup details job ends: a failure is logged and kept for the page;
    a success forgets an earlier failure of the same file (files are named after their
    content, so the same events published again reuse the name)."""
    exc = job.exception()
    if exc is None:
        _DETAILS_FAILED.pop(name, None)
        return
    log.error("writing the popup details %s failed", name, exc_info=exc)
    _DETAILS_FAILED[name] = f"{type(exc).__name__}: {exc}"


def details_problem(published: PublishedEvents) -> str | None:
    """Why the map's popups have no details (the background job writing them failed),
    or None. Shown by the page on the runs after the failure."""
    cause = _DETAILS_FAILED.get(published.details_url.rsplit("/", 1)[1])
    if cause is None:
        return None
    return (f"The events' details (sources, notes, evidence) could not be prepared for "
            f"the map's pop-ups ({cause}); the Events page shows them. Details are in "
            f"the server log.")


@st.cache_resource(show_spinner=False)
def _worker() -> ProcessPoolExecutor:
    """One worker process for the slow, CPU-bound jobs (control, popup details).

    Why a process: in a thread they held Python's lock for seconds and the server
    stopped answering (static files, the websocket) while they ran: at 100,000 events
    the first map took 26 s instead of 5. Spawned, not forked: the server has threads."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker)
    pool.submit(ready)
    return pool


def submit(fn: Callable[..., Any], *args: Any) -> Future[Any]:
    """Run ``fn(*args)`` in the worker process.

    If the worker died (killed for memory by the system, say), its pool is broken for
    good: every later job would fail until the server restarts. The broken pool is then
    replaced by a new one and the job submitted once more."""
    try:
        return _worker().submit(fn, *args)
    except BrokenProcessPool:
        log.warning("the worker process had died; starting a new one")
        _worker().shutdown(wait=False, cancel_futures=True)
        _worker.clear()
        return _worker().submit(fn, *args)


#: Control is worked out in the background: the map shows the events at once and the
#: control layer joins when it is ready (at 100,000 stored events it takes seconds).
_CONTROL_JOBS: dict[tuple[str, bool, int], Future[dict[str, Any]]] = {}
_GENERATION = [0]          # bumped by events_changed: a new job for the new evidence


def map_control_job(url: str, curated: bool) -> Future[dict[str, Any]]:
    """The (running or finished) job working out control for this store and choice.

    A job that failed stays failed for this evidence (working it out again would fail
    again, on every rerun) until the events change or the analyst asks again
    (``retry_control``); only a job lost with its worker process is submitted again."""
    key = (url, curated, _GENERATION[0])
    job = _CONTROL_JOBS.get(key)
    if job is None or (job.done() and isinstance(job.exception(), BrokenProcessPool)):
        job = submit(publish_control, url, curated)
        job.add_done_callback(_log_control_failure)
        _CONTROL_JOBS[key] = job
    return job


def _log_control_failure(job: Future[Any]) -> None:
    exc = job.exception()
    if exc is not None:
        log.error("working out control failed", exc_info=exc)


def control_outcome(job: Future[dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None]:
    """``(published control, None)`` when the job is done, ``(None, why it failed)`` when
    it failed (the traceback is logged when it fails), ``(None, None)`` while it runs."""
    if not job.done():
        return None, None
    exc = job.exception()
    if exc is None:
        return job.result(), None
    return None, f"{type(exc).__name__}: {exc}"


def retry_control(url: str, curated: bool) -> None:
    """Forget a failed control job: the next run works control out again."""
    _CONTROL_JOBS.pop((url, curated, _GENERATION[0]), None)


def events_changed() -> None:
    """After events were added, edited or rejected: the map, its control and the tables."""
    get_counts.clear()
    get_map_events.clear()
    get_pending_names.clear()          # an ingest leaves names for a decision
    get_review_items.clear()
    _GENERATION[0] += 1
    _CONTROL_JOBS.clear()
    for clear in _EXTRA_EVENT_CACHES.values():
        clear()


def places_changed() -> None:
    """After own places or confirmed names changed: nothing drawn depends on them until
    the next ingest or import (which then calls ``events_changed``); counts, the place
    index and the names waiting for a decision do."""
    get_counts.clear()
    get_place_index.clear()
    get_pending_names.clear()
    get_review_items.clear()


@st.cache_resource(ttl=CACHE_TTL_S, show_spinner=False)
def get_place_index(url: str) -> Gazetteer:
    """The gazetteer with the store's own places and confirmed names (built once, not on
    every click; shared by every session, it is only read)."""
    from geo.geocode.gazetteer import default_gazetteer

    return default_gazetteer(store=get_reader(url))


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def get_pending_names(url: str) -> dict[str, dict[str, object]]:
    """Place names earlier ingests left for a decision (``geo.ingest.pending_names``)."""
    from geo.ingest import pending_names  # the extraction pipeline: not for the Map page

    return pending_names(get_reader(url))


@st.cache_data(ttl=CACHE_TTL_S, show_spinner="Looking the names up…")
def get_review_items(url: str, pairs: tuple[tuple[str, int], ...]) -> list[ReviewItem]:
    """The names among ``pairs`` whose place needs a person (geocoded once per set of
    names and state of the analyst's places, not on every click)."""
    from geo.geocode.offline import GazetteerGeocoder
    from geo.geocode.places import names_to_review

    return names_to_review(GazetteerGeocoder(gazetteer=get_place_index(url)), pairs)


#: Clear functions of page-level caches that depend on events, by name (the Events
#: page's table registers its own here, so a write on any page refreshes it).
_EXTRA_EVENT_CACHES: dict[str, Any] = {}


def on_events_changed(name: str, clear: Any) -> None:
    """Register a page cache's ``clear`` to run on ``events_changed``."""
    _EXTRA_EVENT_CACHES[name] = clear
