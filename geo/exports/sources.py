"""What stands behind a briefing map: the articles of the events drawn and the citations
of the control claims in force on its date, numbered.

Why its own module: a source list is what lets a briefing officer answer "says who?".
It must name each document fully (outlet, title, publication date, URL or file) and be
honest about time: a map "as of 2016-06-10" may draw an event reported in 2017 (the
analyst's hindsight), but that article did not stand behind anything on 2016-06-10. Such
sources, and undated ones (which cannot be shown to predate the map), are listed apart,
under "published after", and never among those the map rests on.

Two stages: ``gather`` reads the store and the curated timeline once for everything a
snapshot may draw (``References``); ``number`` is a pure function that numbers the
documents behind what is actually drawn (the renderer calls it with the final extent).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd

from geo.control.seats import is_presumption
from geo.store.base import Store

Bounds = tuple[float, float, float, float]
CURATED_PREFIX = "curated-"


@dataclass(frozen=True)
class Reference:
    """One document: a stored article or a curated timeline citation; or, for a place
    no report gives a holder (rule 10), the presumption (``presumption``: its rule and
    bundled data rows, which stand in for a document and have no date)."""

    key: str
    title: str
    outlet: str = ""
    published: date | None = None
    url: str = ""
    path: str = ""
    presumption: str = ""

    def where(self) -> str:
        """The URL, else the file the article was read from, else ''."""
        return self.url or (f"file {self.path}" if self.path else "")

    @property
    def undated_by_nature(self) -> bool:
        """A presumption: no document, so "published after the map" does not apply."""
        return bool(self.presumption)


@dataclass(frozen=True)
class ControlClaim:
    """The claim a control place's state on the map's day rests on."""

    place: str
    lon: float
    lat: float
    force: str
    status: str
    refs: tuple[str, ...]
    #: The place's own data row when a presumption gives its holder (a city's gazetteer
    #: row): named beside the place in the list.
    basis: str = ""


@dataclass
class References:
    """Every document a snapshot may cite: ``documents`` by key, the keys behind each
    event (by event id) and the claims in force at each control place."""

    documents: dict[str, Reference] = field(default_factory=dict)
    by_event: dict[str, tuple[str, ...]] = field(default_factory=dict)
    claims: list[ControlClaim] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """A numbered entry of the list: the document, what it stands behind, and whether it
    was published after the map's date (then it is listed apart)."""

    number: int
    ref: Reference
    events_at: tuple[str, ...] = ()
    control_of: tuple[str, ...] = ()
    later: bool = False

    # Old name, kept for callers that read ``source_name``.
    @property
    def source_name(self) -> str:
        return self.ref.outlet

    @property
    def title(self) -> str:
        return self.ref.title

    @property
    def published(self) -> date | None:
        return self.ref.published

    @property
    def url(self) -> str:
        return self.ref.url

    def line(self, *, with_where: bool = True, numbered: bool = True) -> str:
        """'3. Test Wire, 2016-06-20: "Iraqi forces retake Fallujah". https://... Events at
        Fallujah.' The outlet and date come first: that is what a reader checks."""
        ref = self.ref
        if ref.presumption:
            text = (f"{self.number}. " if numbered else "") + \
                f"No report, a presumption: \u201c{ref.title}\u201d. Basis: {ref.presumption}."
        else:
            head = ", ".join(p for p in (ref.outlet or "outlet unknown",
                                         ref.published.isoformat() if ref.published
                                         else "date unknown"))
            text = (f"{self.number}. " if numbered else "") + \
                f"{head}: \u201c{ref.title or '(untitled)'}\u201d."
        if with_where and ref.where():
            text += f" {ref.where()}."
        what = []
        if self.events_at:
            what.append("events at " + ", ".join(self.events_at))
        if self.control_of:
            what.append("control of " + ", ".join(self.control_of))
        if what:
            joined = "; ".join(what)
            text += " " + joined[0].upper() + joined[1:] + "."
        return text


@dataclass
class SourceList:
    """The numbered sources of one map: those it rests on, then those published later."""

    day: date
    items: list[Source] = field(default_factory=list)
    numbers_by_event: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def standing(self) -> list[Source]:
        return [s for s in self.items if not s.later]

    @property
    def later(self) -> list[Source]:
        return [s for s in self.items if s.later]

    def lines(self, *, with_where: bool = True) -> list[str]:
        """The list as text: the sources the map rests on, then a heading and those
        published after the map's date."""
        out = [s.line(with_where=with_where) for s in self.standing]
        if self.later:
            out.append(f"Published after {self.day:%Y-%m-%d} or undated (not shown to have "
                       "stood behind the map on its date; what they report is drawn):")
            out.extend(s.line(with_where=with_where) for s in self.later)
        return out

    def summary(self) -> str:
        """'12 sources (2 published after 2016-06-10 or undated)'."""
        n, late = len(self.items), len(self.later)
        text = f"{n} source{'s' if n != 1 else ''}"
        return text + (f" ({late} published after {self.day:%Y-%m-%d} or undated)"
                       if late else "")


# -- gathering (reads the store and the curated timeline) -----------------------------------

def _article_reference(store: Store, article_id: str) -> Reference | None:
    article = store.get_article(article_id)
    if article is None:
        return None
    return Reference(f"article:{article_id}", article.title.strip(),
                     article.source_name.strip(), article.published, article.url.strip(),
                     article.path.strip())


@lru_cache(maxsize=2)
def _curated_citations() -> dict[str, Reference]:
    """Curated timeline event id -> its citation (one reference per cited document)."""
    from geo.control.curated import read_control_changes

    out: dict[str, Reference] = {}
    for change in read_control_changes():
        key = "cite:" + (change.citation_url or
                         f"{change.citation_publication}|{change.citation_title}")
        out[f"{CURATED_PREFIX}{change.row_id}"] = Reference(
            key, change.citation_title, change.citation_publication, change.citation_date,
            change.citation_url)
    return out


def _presumption_reference(event_id: str, entry: dict[str, Any]) -> tuple[Reference, str]:
    """A presumption (rule 10) as the reference of the place it gives a holder, and the
    place's own data row to name beside it ("" for a seat). One reference per
    government and kind: its seat (the label, the rule and its data/forces.csv row), or
    the cities of its territory no report names (the rule, the data/forces.csv row that
    says what it governs; each city's gazetteer row, with its population, is named where
    the list says which places it stands behind): a theatre map presumes dozens of
    cities, and one line each would bury the reports."""
    from geo.control.cities import CITY_POPULATION
    from geo.control.seats import RULE_TEXT, label_of_source, presumption_grounds
    from geo.core.forces import default_forces

    grounds = presumption_grounds(event_id)
    label = label_of_source(str(entry.get("citation") or "")) or "presumed"
    if grounds is None:
        return Reference(f"presumption:{event_id}", label, presumption=RULE_TEXT), ""
    if grounds.kind == "seat":
        return Reference(f"presumption:seat:{grounds.force}", label,
                         presumption=grounds.text()), ""
    forces = default_forces()
    who = forces[grounds.force].seat_of if grounds.force in forces else "its government"
    title = (f"presumed: a city of {CITY_POPULATION:,} people or more in {who}'s "
             f"territory, named by no report, is held by {who}")
    basis = "; ".join(p for p in (RULE_TEXT, grounds.table_row,
                                  "each city's row of data/gazetteer.tsv.gz") if p)
    own = f"gazetteer row {grounds.place_id}" + (
        f", population {grounds.population:,}" if grounds.population else "")
    return Reference(f"presumption:city:{grounds.force}", title, presumption=basis), own


def claim_in_force(props: dict[str, Any], day: date) -> dict[str, Any] | None:
    """The history entry a place's state on ``day`` rests on: the latest claim finished
    by that day that gave the place to its holder (any latest claim if none did)."""
    history: list[dict[str, Any]] = [h for h in props.get("history") or []
                                     if str(h.get("date_max", "")) <= day.isoformat()]
    if not history:
        return None
    holder = str(props.get("force") or "")
    gave = [entry for entry in history if holder and str(entry.get("force_to")) == holder]
    return (gave or history)[-1]


def _event_ids(cell: Any) -> list[str]:
    return [a.strip() for a in str(cell or "").split(",") if a.strip()]


def gather(events: pd.DataFrame, control: dict[str, Any], day: date,
           store: Store | None) -> References:
    """Every document behind ``events`` and behind the claims in force on ``day`` at the
    places of ``control``. Unknown article ids and claims without a source are skipped."""
    refs = References()
    documents = refs.documents
    if store is not None and len(events) and "article_ids" in events:
        for event_id, cell in zip(events["event_id"], events["article_ids"]):
            keys: list[str] = []
            for article_id in _event_ids(cell):
                key = f"article:{article_id}"
                if key not in documents:
                    found = _article_reference(store, article_id)
                    if found is None:
                        continue
                    documents[key] = found
                keys.append(key)
            if keys:
                refs.by_event[str(event_id)] = tuple(keys)
    curated = _curated_citations()
    for feature in control.get("features", []):
        props = feature.get("properties", {})
        if props.get("kind") != "place":
            continue
        entry = claim_in_force(props, day)
        if entry is None:
            continue
        event_id = str(entry.get("event_id") or "")
        keys = []
        basis = ""
        if is_presumption(event_id):
            ref, basis = _presumption_reference(event_id, entry)
            documents.setdefault(ref.key, ref)
            keys.append(ref.key)
        elif event_id in curated:
            ref = curated[event_id]
            documents.setdefault(ref.key, ref)
            keys.append(ref.key)
        elif event_id and store is not None:
            keys.extend(refs.by_event.get(event_id, ()))
            if not keys:
                event = store.get_event(event_id)
                # (a holding stated in passing is no stored event: its entry names its
                # article)
                for article_id in (event.article_ids if event else
                                   entry.get("article_ids") or []):
                    key = f"article:{article_id}"
                    found = documents.get(key) or _article_reference(store, article_id)
                    if found is not None:
                        documents[key] = found
                        keys.append(key)
        lon, lat = feature["geometry"]["coordinates"][:2]
        refs.claims.append(ControlClaim(str(props.get("name", "")), float(lon), float(lat),
                                        str(props.get("force") or ""),
                                        str(props.get("status") or ""), tuple(keys),
                                        basis))
    return refs


# -- numbering (pure) -------------------------------------------------------------------------

def inside(bounds: Bounds, lon: float, lat: float) -> bool:
    return bounds[0] <= lon <= bounds[2] and bounds[1] <= lat <= bounds[3]


def number(refs: References, day: date, event_ids: Sequence[str],
           event_places: Sequence[str], claims: Iterable[ControlClaim]) -> SourceList:
    """Number the documents behind the drawn events (``event_ids`` in drawing order, with
    their place names) and the drawn places' claims: documents published by ``day``
    first, in order of first use, then those published after ``day`` or undated (a
    Wikipedia page cited without a date was written after the events it tells)."""
    uses: dict[str, tuple[list[str], list[str]]] = {}
    order: list[str] = []

    def use(key: str, events_at: str = "", control_of: str = "") -> None:
        if key not in refs.documents:
            return
        if key not in uses:
            uses[key] = ([], [])
            order.append(key)
        where = uses[key]
        if events_at and events_at not in where[0]:
            where[0].append(events_at)
        if control_of and control_of not in where[1]:
            where[1].append(control_of)

    for event_id, place in zip(event_ids, event_places):
        for key in refs.by_event.get(event_id, ()):
            use(key, events_at=place or "an unnamed place")
    for claim in claims:
        label = f"{claim.place} ({'; '.join(p for p in (claim.force, claim.basis) if p)})" \
            if claim.force or claim.basis else claim.place
        for key in claim.refs:
            use(key, control_of=label)

    def is_later(key: str) -> bool:
        ref = refs.documents[key]
        if ref.undated_by_nature:
            return False
        return ref.published is None or ref.published > day

    ranked = [k for k in order if not is_later(k)] + [k for k in order if is_later(k)]
    numbers = {key: i + 1 for i, key in enumerate(ranked)}
    items = [Source(numbers[k], refs.documents[k], tuple(uses[k][0]), tuple(uses[k][1]),
                    is_later(k)) for k in ranked]
    by_event = {e: tuple(sorted(numbers[k] for k in refs.by_event.get(e, ()) if k in numbers))
                for e in event_ids if e in refs.by_event}
    return SourceList(day, items, by_event)
