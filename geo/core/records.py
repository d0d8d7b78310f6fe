"""The event and article records that flow through every step.

An ``Event`` carries ACLED's codebook fields (so it exports as an ACLED row) plus what
ACLED lacks: the evidence (article, sentence, character offsets of the mentions), the
force holding a place after a capture (``control_to``), a confidence and a review status.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import Enum, IntEnum
from typing import Any


class TimePrecision(IntEnum):
    """ACLED's time_precision (1 day, 2 week, 3 month) plus coarser codes ACLED lacks."""

    DAY = 1
    WEEK = 2
    MONTH = 3
    YEAR = 4       # "in 2014", "in the past year"
    UNDATED = 9    # the article gave no date we could find; never silently "today"


class GeoPrecision(IntEnum):
    """ACLED's geo_precision: 1 the town itself, 2 near it / part of a region, 3 a province
    or larger region (the point is that region's centroid), plus 4 for a country or a
    line such as a border or a river."""

    EXACT = 1
    NEAR = 2
    REGION = 3
    COUNTRY = 4


class ReviewStatus(str, Enum):
    """Where an event stands in the analyst's review."""

    MACHINE = "machine"      # as extracted or imported, not yet looked at
    CONFIRMED = "confirmed"  # an analyst checked it and it stands
    CORRECTED = "corrected"  # an analyst changed a field (the audit trail says which)
    REJECTED = "rejected"    # an analyst judged it wrong; kept, but hidden by default


class Origin(str, Enum):
    """Where an event came from."""

    EXTRACTED = "extracted"
    IMPORTED = "imported"
    CURATED = "curated"
    MANUAL = "manual"


@dataclass(frozen=True)
class Place:
    """A named point in the gazetteer (coordinates in EPSG:4326, decimal degrees)."""

    place_id: str                 # "wof:101751765", "ne:…", "curated:zakiyah-crossroad", "user:…"
    name: str                     # English display name
    latitude: float
    longitude: float
    country: str = ""             # ISO 3166-1 alpha-2
    admin1: str = ""              # province / governorate name
    place_type: str = "locality"  # country, region, county, locality, neighbourhood, campus,
                                  # airbase, dam, crossroad, border, river, ...
    population: int = 0
    source: str = ""              # wof, naturalearth, curated, user, nominatim
    importance: float = 0.0       # a prior for ranking (population, fame), 0..1


@dataclass(slots=True)
class Mention:
    """A span of the supporting sentence: what kind of thing it names and where it is.

    Offsets are character offsets into the *sentence* (``start`` inclusive, ``end``
    exclusive), so the dashboard can highlight them without the whole article.
    """

    kind: str          # "place", "date", "actor", "trigger"
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Evidence:
    """One article's support for an event: the sentence and the mentions in it."""

    article_id: str
    sentence: str
    sentence_start: int = 0          # offset of the sentence in the article text
    mentions: list[Mention] = field(default_factory=list)
    source_file: str = ""


@dataclass
class Article:
    """A news article as stored: id is a hash of its normalized text (re-ingest is a no-op)."""

    text: str
    title: str = ""
    published: date | None = None
    published_source: str = ""       # how the date was found: "explicit", "sidecar", "dateline", ...
    source_name: str = ""
    url: str = ""
    path: str = ""
    article_id: str = ""

    def __post_init__(self) -> None:
        if not self.article_id:
            self.article_id = article_id_for(self.text)


def normalize_article_text(text: str) -> str:
    """Text used for the article id: NFC, unified line ends, trimmed lines, no blank runs."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{2,}", "\n\n", "\n".join(lines)).strip()


def article_id_for(text: str) -> str:
    """Stable article id: the first 16 hex digits of SHA-256 of the normalized text."""
    return hashlib.sha256(normalize_article_text(text).encode("utf-8")).hexdigest()[:16]


#: Notes tag of a state that its report says still holds on the report's own day ("It
#: has been besieged since 2013", in a 2018 report): ``[ongoing to YYYY-MM-DD]``. The
#: event keeps the date it began (its interval); extraction sets the tag, the control
#: rules read it (a siege lasts at least to that day: docs/control.md, rule 6).
ONGOING_TAG = "[ongoing to "
_ONGOING = re.compile(r"\[ongoing to (\d{4}-\d{2}-\d{2})\]")


def ongoing_tag(day: date) -> str:
    """The notes tag saying the event's state still held on ``day``."""
    return f"{ONGOING_TAG}{day.isoformat()}] "


def ongoing_until(notes: str | None) -> date | None:
    """The day an ``ONGOING_TAG`` in ``notes`` names, or None."""
    m = _ONGOING.search(notes or "") if notes and ONGOING_TAG in notes else None
    return date.fromisoformat(m.group(1)) if m else None


@dataclass
class Event:
    """One dated, located, force-attributed event (ACLED fields first, then ours)."""

    event_date: date | None
    event_type: str
    sub_event_type: str
    actor1: str = ""
    actor2: str = ""
    assoc_actor_1: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    time_precision: int = TimePrecision.DAY
    geo_precision: int = GeoPrecision.EXACT
    source: str = ""
    notes: str = ""
    fatalities: int = 0
    country: str = ""
    admin1: str = ""
    # --- beyond ACLED ---
    event_id: str = ""
    date_min: date | None = None     # the interval the date expression allows
    date_max: date | None = None
    actor1_force: str = ""           # canonical force ids (data/forces.csv)
    actor2_force: str = ""
    control_to: str = ""             # force holding the place after a capture
    place_id: str = ""               # gazetteer id of the location
    confidence: float = 0.5
    review_status: str = ReviewStatus.MACHINE.value
    origin: str = Origin.EXTRACTED.value
    article_ids: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.date_min is None:
            self.date_min = self.event_date
        if self.date_max is None:
            self.date_max = self.event_date
        if not self.event_id:
            self.event_id = self.identity()

    def identity(self) -> str:
        """A stable id from what makes the event itself: the same report ingested twice gets
        the same id. Deduplication of *different* reports of one event is done on top."""
        first = self.evidence[0] if self.evidence else None
        key = "|".join([
            self.event_type, self.sub_event_type, self.place_id or self.location,
            str(self.date_min), str(self.date_max), self.actor1_force or self.actor1,
            first.article_id if first else "", str(first.sentence_start) if first else "",
        ])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: The scalar fields of an ``Event`` (one column each in the store and in frames); the
#: evidence and article ids are kept in their own tables.
EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Event)
                                      if f.name not in ("article_ids", "evidence"))


@dataclass
class Holding:
    """A holding stated in passing: an article says a force held a place ("fleeing
    Islamic State-held Hit", "the IS stronghold of Mosul") without reporting a change.

    Why a record of its own and not an ``Event``: nothing happened on its date, so it is
    no row of an event dataset (ACLED has none), and it must not count as a report of a
    capture. It is weaker evidence than any reported event and stronger than an estimate
    from the neighbouring towns (docs/control.md, rule 9). Its dates are the interval it
    speaks of: the article's day, or the sentence's own date; a statement dated by a range
    asserts the holding from the range's end only (rule 3)."""

    place_id: str
    location: str
    latitude: float
    longitude: float
    force: str                    # canonical force id (data/forces.csv)
    date_min: date
    date_max: date
    sentence: str                 # the evidence: the sentence that states it
    sentence_start: int = 0       # its offset in the article
    article_id: str = ""
    country: str = ""
    construction: str = ""        # the rule that read it (geo.extract.holdings.RULES)
    source: str = ""              # the publication or the article's title
    source_file: str = ""
    holding_id: str = ""
    #: An analyst's decision (``ReviewStatus`` value), applied by the store when it reads
    #: holdings back (``Store.review_holding``); what extraction reads is "machine".
    review_status: str = ReviewStatus.MACHINE.value

    def __post_init__(self) -> None:
        if not self.holding_id:
            self.holding_id = self.identity()

    def identity(self) -> str:
        """A stable id (the same statement ingested twice is one holding), prefixed so it
        is never mistaken for an event's."""
        key = "|".join([self.place_id or self.location, self.force, str(self.date_min),
                        str(self.date_max), self.article_id, str(self.sentence_start)])
        return "stated:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


#: The fields of a ``Holding``, in the order the store keeps them.
HOLDING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Holding))
