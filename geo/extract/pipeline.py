"""Article in, events out: sentences -> drafts -> events -> one event per real event.

``extract_article`` is pure (no store): the ``extract`` command and the ingest step both
call it. Reports of the same event inside one article ("IS seized Ramadi last Friday",
"the fall of Ramadi") are merged with the store's matching rule, so an article never
draws one event twice; the store applies the same rule across articles.
"""
from __future__ import annotations

import gc
import itertools
import re
import threading
import time
from collections.abc import Mapping, Sequence
from contextlib import ContextDecorator
from dataclasses import dataclass, field, replace
from datetime import date
from operator import attrgetter
from typing import Any

from geo.core import settings
from geo.core.dates import MONTH_DATELINE, DateMention, find_dates, forget_dates
from geo.core.dedup import (
    STRIKE_MEANS,
    event_class,
    events_match,
    intervals_overlap,
    is_undated,
    merge_changes,
    merge_into,
    same_kind,
)
from geo.core.errors import ArticleError
from geo.core.forces import ForceTable
from geo.core.records import EVENT_FIELDS, Article, Event, Holding, Place
from geo.extract.events import (
    OBJECTIVE_NOTE,
    UNIDENTIFIED,
    PlaceFinder,
    PlaceHit,
    PlaceMentionLike,
    Prepared,
    SentenceExtractor,
    caption_sentences,
    capture_sub_type,
    is_lede_filler,
    mark_landmarks,
    place_hits,
    to_event,
    topic_places,
)
from geo.extract.facilities import article_facilities, names_a_part
from geo.extract.geography import (
    apply_landmarks,
    apply_readings,
    choose_readings,
    ground_theatre,
    landmark_readings,
    theatre,
    variant_readings,
)
from geo.extract.holdings import article_holdings
from geo.extract.retro import complete_since_takers, drop_undated_retrospective
from geo.extract.sentences import split_sentences
from geo.extract.sides import acting_forces, one_side
from geo.extract.syntax import Mark, Parse, Parser, load_parser
from geo.extract.triggers import find_triggers, forget_triggers

#: Events below this confidence are not reported (a weak noun with a guessed actor).
MIN_CONFIDENCE = 0.5


@dataclass
class Extraction:
    """What one article gave: events, and what a person should look at."""

    article: Article
    events: list[Event] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)   # capitalised names the gazetteer lacks
    ambiguous: list[str] = field(default_factory=list)    # names with several close candidates
    warnings: list[str] = field(default_factory=list)
    #: Forces by prominence in the article (most named first): who the story is about.
    prominent: list[str] = field(default_factory=list)
    #: Holdings the article states in passing ("IS-held Hit"): control evidence weaker
    #: than its events (``geo.extract.holdings``).
    holdings: list[Holding] = field(default_factory=list)
    #: The towns the headline names, each with the side the headline says acted there
    #: ("Iraqi army retakes Tal Afar from Daesh": Tal Afar, ISF); ``geo.enrich`` gives
    #: that side to an event at the town whose sentence names none.
    headline_sides: list[tuple[Place, str]] = field(default_factory=list)

    def adversary(self, force_id: str, forces: ForceTable) -> str:
        """The most prominent force of the article hostile to ``force_id`` ("" if none):
        a candidate for the other side of an event whose text names only one, which
        ``geo.enrich`` (rule 5) takes only where the article shows that force at the
        event's town."""
        for other in self.prominent:
            if other != force_id and forces.hostile(force_id, other) and \
                    not _same_side(forces, force_id, other):
                return other
        return ""


#: Objects allocated between two collections of the youngest generation while an article
#: is extracted (Python's default is 700).
GC_YOUNG_THRESHOLD = 20_000
#: Collections of the middle generation between two of the whole heap while an article is
#: extracted (Python's default is 10): the evidence of every report is kept to the end, and
#: a whole-heap pass over it found nothing to free (a twentieth of 10 MB of dense text).
#: Young cycles are still collected with the younger generations.
GC_OLDEST_THRESHOLD = 100
#: Whether the objects that outlive a young collection are set aside (``gc.freeze``) while
#: an article is extracted: they are the evidence kept to the end and the article's
#: sentences, and the middle generation walked each of them once more for nothing (about
#: a fortieth of 3 MB of dense text). Set-aside objects go back to the oldest generation
#: when the last extraction ends (``gc.unfreeze``); a cycle among them is collected then.
GC_SET_ASIDE = True


class _FewerCollections(ContextDecorator):
    """Collect reference cycles less often while an article is extracted: extraction
    allocates millions of short-lived, acyclic objects (spans, drafts, events), and with
    Python's default threshold the collector ran every 700 of them, now and then over
    every object of the process (the gazetteer and the parser included): about a tenth of
    extraction in text dense with events. Cycles are still collected, only later. The
    threshold is the process's: it is raised while any extraction runs (in any thread)
    and restored when the last one ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._saved: tuple[int, ...] = ()
        self._setting_aside = False

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                self._saved = gc.get_threshold()
                young, middle, oldest = self._saved
                gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), middle,
                                 max(oldest, GC_OLDEST_THRESHOLD))
                # (never where the program set objects aside itself: ending the
                # extraction would hand them back to the collector)
                self._setting_aside = GC_SET_ASIDE and gc.get_freeze_count() == 0
                if self._setting_aside:
                    gc.callbacks.append(self._set_aside)
            self._running += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                gc.set_threshold(*self._saved)
                if self._setting_aside:
                    gc.callbacks.remove(self._set_aside)
                    gc.unfreeze()
                    self._setting_aside = False

    @staticmethod
    def _set_aside(phase: str, info: dict[str, int]) -> None:
        """After a young or middle collection, what outlived it is set aside."""
        if phase == "stop" and info["generation"] < 2:
            gc.freeze()


_fewer_collections = _FewerCollections()


def _lede_end(prepared: list[Prepared], title_hits: list[PlaceHit],
               topic: PlaceHit | None) -> int:
    """Where the lede (the story's first three sentences) ends, when the headline or
    the lede names the article's town, else -1 (``SentenceExtractor.lede_end``)."""
    if topic is None:
        return -1
    lede = [p for p in prepared if not is_lede_filler(p.sent.text.strip())][:3]
    if not lede:
        return -1
    named = [h for hl in [title_hits] + [p.hits for p in lede] for h in hl
             if h.place.place_id == topic.place.place_id and not h.topic]
    return lede[-1].sent.end if named else -1


@_fewer_collections
def extract_article(article: Article, places: PlaceFinder, forces: ForceTable, *,
                    source_file: str = "", min_confidence: float = MIN_CONFIDENCE,
                    parser: Parser | None | bool = True) -> Extraction:
    """Extract the events an article states, each with its sentence as evidence.

    ``parser``: True (default) uses the dependency parser when it is installed, False
    or None extracts without it (word-window roles), or pass a loaded ``Parser``."""
    if parser is True:
        parser = load_parser()
    elif parser is False:
        parser = None
    budget = float(settings.get("extract_time_budget"))      # type: ignore[arg-type]
    clock = _Budget(budget, source_file or article.path or article.title or "article")
    result = Extraction(article)
    # What a sentence names is remembered within one article (a sentence's dates are
    # asked for up to three times, and a long upload may repeat lines thousands of
    # times); across articles sentences rarely repeat, so memory stays one article's.
    forget_dates()
    forget_triggers()
    forces.forget_mentions()
    places = _RememberedPlaces(places)
    extractor = SentenceExtractor(places, forces, article.published)
    if article.published is not None and article.published_source == MONTH_DATELINE:
        pub = article.published
        extractor.month = DateMention(0, 0, "", pub.replace(day=1), pub, False)
    merger = Merger(forces)
    ambiguous: set[str] = set()
    sentences = [s for s in split_sentences(article.text)
                 if not (article.title and s.text == article.title)]  # a headline's tense lies
    prepared = []
    for s in sentences:
        clock.check()
        prepared.append(extractor.prepare(s))
    title_hits = mark_landmarks(article.title, place_hits(places, article.title)) \
        if article.title else []
    texts = [p.sent.text for p in prepared]
    captions = caption_sentences([p.sent for p in prepared])
    extractor.topics = topic_places(article.title, [p.hits for p in prepared], title_hits, texts,
                                    captions)
    extractor.topic = extractor.topics[0] if extractor.topics else None
    read = _confirmed_variants(places, [article.title or ""] + texts,
                               [h for hl in [title_hits] + [p.hits for p in prepared]
                                for h in hl], extractor.topic)
    if read:           # read again what names them, as the scan before the topic did
        topic, topics = extractor.topic, extractor.topics
        extractor.topic, extractor.topics = None, []
        for k, s in enumerate(sentences):
            if any(name in s.text for name in read):
                prepared[k] = extractor.prepare(s)
        extractor.topic, extractor.topics = topic, topics
        if article.title and any(name in article.title for name in read):
            title_hits = mark_landmarks(article.title, place_hits(places, article.title))
        extractor.topics = topic_places(article.title, [p.hits for p in prepared], title_hits,
                                        texts, captions)
        extractor.topic = extractor.topics[0] if extractor.topics else None
    # a minor name's reading near the article's other places (and its town) wins
    readings = choose_readings(
        [title_hits] + [p.hits for p in prepared], extractor.topic,
        texts=[article.title or ""] + texts,
        countries=[theatre(forces, forces.find_mentions(article.title or ""))] +
        [theatre(forces, p.all_forces) for p in prepared],
        ground=[ground_theatre(forces, forces.find_mentions(article.title or ""),
                               find_triggers(article.title or ""))] +
        [ground_theatre(forces, p.all_forces, p.triggers) for p in prepared])
    if readings:
        title_hits = apply_readings(title_hits, readings)
        for p in prepared:
            p.hits = apply_readings(p.hits, readings)
        extractor.topics = topic_places(article.title, [p.hits for p in prepared], title_hits,
                                        texts, captions)
        extractor.topic = extractor.topics[0] if extractor.topics else None
    # "the villages of A and B east of X" lie near X, wherever the article names them
    landmarks = landmark_readings([(article.title or "", title_hits)] +
                                  [(p.sent.text, p.hits) for p in prepared])
    if landmarks:
        for p in prepared:
            p.hits = apply_landmarks(p.hits, landmarks)
    extractor.towns = [h for p in prepared for h in p.hits
                       if not h.is_country and not (h.reference or h.direction)]
    extractor.facilities = article_facilities([title_hits] + [p.hits for p in prepared])
    extractor.lede_end = _lede_end(prepared, title_hits, extractor.topic)
    if extractor.topic is not None or extractor.facilities:
        for p in prepared:           # now the phrases that stand for them can be found
            extractor.add_topic_phrases(p)
    parses = _parse_trigger_sentences(extractor, prepared, parser)
    for k, (sent, prep) in enumerate(zip(sentences, prepared)):
        clock.check()
        # a photo caption's date stands after it as a "sentence" of its own ("... in
        # Rawa. November 11, 2017. / AFP"): it dates the caption
        extractor.caption_date = _caption_date(sentences[k + 1].text, article) \
            if k + 1 < len(sentences) else None
        for draft in extractor.extract(sent, prep, parses.get(id(prep))):
            if draft.confidence < min_confidence:
                continue
            cands = draft.place.candidates
            if len(cands) > 1 and cands[1].importance >= 0.8 * cands[0].importance \
                    and cands[1].country != cands[0].country:
                ambiguous.add(draft.place.text)
            merger.add(to_event(draft, sent, article.article_id, article.published, forces,
                                source_file=source_file or article.path,
                                source_name=article.source_name, identify=False))
    country = extractor.topic.place.country if extractor.topic is not None else ""
    result.prominent = prominence(article.text, forces, country)
    result.headline_sides = headline_sides(article.title, title_hits, forces,
                                           extractor.topic)
    # "since IS seized Mosul", at no time of its own: not a capture of the report's days
    result.events = drop_undated_retrospective(_fold_advances(_drop_located_elsewhere(
        _fold_into_districts(merger.events, extractor.within, forces))))
    result.holdings = article_holdings(prepared, forces, article, result.events,
                                       result.prominent)
    # "under Kurdish control since 2015": the holder a since- row reads took the town then
    result.events = complete_since_takers(result.events, result.holdings, forces)
    unresolved = getattr(places, "unresolved_names", None)
    if unresolved is not None:
        result.unresolved = [n for n in unresolved(article.text) if n not in read]
    result.ambiguous = sorted(ambiguous)
    return result


_BARE_DATE_LINE = re.compile(r"^[\W\d]*(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?,?"
                             r"\s+\d{4})\.?\s*(?:/\s*[\w .]{1,30})?$")


def _caption_date(text: str, article: Article) -> DateMention | None:
    """The date of a line that is only a full date (and a photo agency): a caption's."""
    if not _BARE_DATE_LINE.match(text.strip()):
        return None
    found = [d for d in find_dates(text, article.published) if d.precision == 1]
    return found[0] if found else None


#: Where a headline's main clause ends: "Kurds retake C as IS retreats", "IS seizes C:
#: monitor", "Troops enter C - officials".
_HEADLINE_CLAUSE = re.compile(r"\s+(?:as|after|while|amid|before|when|but)\s+|\s*[:;]\s+|"
                              r"\s+[-–—]\s+|,\s+", re.I)


def headline_sides(title: str, hits: Sequence[PlaceHit], forces: ForceTable,
                   topic: PlaceHit | None = None) -> list[tuple[Place, str]]:
    """The headline's towns with the one side it names as acting (``sides.acting_forces``):
    none when it names no actor or two hostile ones ("IS attacks regime and Kurds"). A
    headline that names no town ("Kurdish fighters storm the city") tells of the
    article's own town (``topic``)."""
    towns = [h for h in hits if not h.is_country and not (h.reference or h.direction)]
    if not towns and topic is not None and not topic.is_country:
        towns = [topic]
    if not title or not towns:
        return []
    out: list[tuple[Place, str]] = []
    main = _HEADLINE_CLAUSE.split(title, maxsplit=1)[0]
    for h in towns:
        # the main clause tells who acted ("Kurds retake C as IS retreats"), unless it
        # names nobody acting ("Fighting rages in C as IS attacks")
        side = one_side(acting_forces(main, forces, h.place.country), forces) or \
            one_side(acting_forces(title, forces, h.place.country), forces)
        if side:
            out.append((h.place, side))
    return out


def prominence(text: str, forces: ForceTable, country: str = "") -> list[str]:
    """Force ids by how often the article names them (a generic word such as "militants"
    counts half): the forces the story is about, most prominent first. "Government
    troops" count for the government of ``country`` (the article's own town's), and not
    at all without one."""
    score: dict[str, float] = {}
    for m in forces.find_mentions(text):
        fid = forces.local(m.force_id, country)
        if fid in forces and not forces[fid].is_placeholder:
            score[fid] = score.get(fid, 0.0) + (0.5 if m.generic else 1.0)
    return sorted(score, key=lambda f: -score[f])     # ties: first named first


#: How many distinct sentences' places ``_RememberedPlaces`` keeps (then it starts afresh).
_REMEMBERED_SENTENCES = 4096


@dataclass(frozen=True)
class _ReadVariant:
    """A mention of a spelling the article's geography confirmed (``read_variants``)."""

    start: int
    end: int
    surface: str
    candidates: tuple[Place, ...]
    place: Place


class _RememberedPlaces:
    """The place finder of one article, remembering what each sentence names: a sentence
    is searched once however often it is asked for (the title, a repeated line, an
    upload of boilerplate). Within one article the gazetteer does not change."""

    def __init__(self, places: PlaceFinder) -> None:
        self._places = places
        self._found: dict[str, Sequence[PlaceMentionLike]] = {}
        self._variants: dict[str, Place] = {}

    def find_mentions(self, text: str) -> Sequence[PlaceMentionLike]:
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= _REMEMBERED_SENTENCES:     # memory stays bounded
                self._found.clear()
            found = tuple(self._places.find_mentions(text))
            if self._variants:
                found = self._with_variants(text, found)
            self._found[text] = found
        return found

    def read_variants(self, read: Mapping[str, Place]) -> None:
        """From now on read each spelling of ``read`` as its place wherever the article
        names it (``_confirmed_variants``): the article said once what it is."""
        if read:
            self._variants.update(read)
            self._found.clear()

    def _with_variants(self, text: str, found: tuple[PlaceMentionLike, ...]
                       ) -> tuple[PlaceMentionLike, ...]:
        spans: list[PlaceMentionLike] = list(found)
        for name, place in self._variants.items():
            for m in re.finditer(r"(?<![\w'’-])" + re.escape(name) + r"(?![\w'’-])", text):
                if not any(f.start < m.end() and m.start() < f.end for f in spans):
                    spans.append(_ReadVariant(m.start(), m.end(), name, (place,), place))
        return tuple(sorted(spans, key=lambda f: f.start)) if len(spans) > len(found) else found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._places, name)


def _confirmed_variants(places: _RememberedPlaces, texts: Sequence[str],
                        hits: Sequence[PlaceHit], topic: PlaceHit | None) -> dict[str, Place]:
    """Spelling -> place for the other spellings of minor places ``texts`` (the headline
    and the sentences) call settlements and the article's geography confirms
    (``Gazetteer.guarded_variants``, ``geography.variant_readings``); ``places`` reads
    them from then on wherever the article names them."""
    guard = getattr(places, "guarded_variants", None)
    if guard is None:
        return {}
    guarded: dict[str, Sequence[Place]] = {}
    for text in texts:
        if text:
            for g in guard(text, [(m.start, m.end) for m in places.find_mentions(text)]):
                guarded.setdefault(g.surface, g.candidates)
    read = variant_readings(guarded, hits, topic) if guarded else {}
    places.read_variants(read)
    return read


def _same_side(forces: ForceTable, a: str, b: str) -> bool:
    return a in forces and b in forces and forces[a].side == forces[b].side


class _Budget:
    """The per-article time budget (setting ``extract_time_budget``): past it the article
    fails with a message naming it, and the batch goes on with the next file."""

    def __init__(self, seconds: float, name: str) -> None:
        self.seconds, self.name = seconds, name
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ArticleError(
                f"extraction stopped after {self.seconds:g} s (setting extract_time_budget, "
                f"GEO_EXTRACT_TIME_BUDGET): the article is too long or too dense; split it "
                f"or raise the budget", source=self.name)


def _parse_trigger_sentences(extractor: SentenceExtractor, prepared: list[Prepared],
                             parser: Parser | None) -> dict[int, Parse]:
    """Parse, in one batch, only the sentences that hold a trigger and name a force (the
    parse is the costly step, and what it decides is who did what to whom), up to
    ``parse_max_words`` words per article: the rest get word-window roles, so time stays
    linear in the article's size."""
    if parser is None:
        return {}
    limit = settings.get_int("parse_max_words")
    todo: list[Prepared] = []
    words = 0
    for p in prepared:
        # roles are about forces: a sentence naming none gains nothing from a parse
        if p.triggers and p.all_forces:
            words += p.sent.text.count(" ") + 1
            if words > limit:
                break
            todo.append(p)
    parses = parser.parse_many(_parse_window(p, extractor) for p in todo)
    return {id(p): parse for p, parse in zip(todo, parses)}


#: Characters kept after a sentence's last trigger: its objects and from-phrases sit within
#: this; the rest of a long sentence ("..., a spokesman said, adding that ...") is parsed
#: for nothing.
PARSE_TAIL_CHARS = 100


def _parse_window(p: Prepared, extractor: SentenceExtractor) -> tuple[str, list[Mark]]:
    """The part of a trigger sentence the parser needs, with the mentions inside it."""
    text = p.sent.text
    end = max(t.end for t in p.triggers) + PARSE_TAIL_CHARS
    if end < len(text):
        cut = text.find(" ", end)
        text = text if cut < 0 else text[:cut]
    return text, [m for m in extractor.marks(p) if m.end <= len(text)]


def _drop_located_elsewhere(events: list[Event]) -> list[Event]:
    """An operation placed only near its objective ("launched an offensive to liberate
    Raqqa") is dropped when the article locates the same operation elsewhere: same class,
    same force, overlapping dates ("the operation started in the town of Isriya")."""
    placed: dict[tuple[str, str], list[Event]] = {}
    for b in events:
        if not b.notes.startswith(OBJECTIVE_NOTE):
            placed.setdefault((event_class(b.event_type, b.sub_event_type), b.actor1_force),
                              []).append(b)

    def located(a: Event) -> bool:
        return any(intervals_overlap(a.date_min, a.date_max, b.date_min, b.date_max)
                   for b in placed.get((event_class(a.event_type, a.sub_event_type),
                                        a.actor1_force), ()))
    return [e for e in events if not (e.notes.startswith(OBJECTIVE_NOTE) and located(e))]


#: Trigger words of a move, not a clash: "made advances into the town", "pushed into X".
_MOVE_WORDS = re.compile(r"^(?:advance[sd]?|advancing|(?:pushed|moved|crossed|pressed|advanced)"
                         r"(?:\s+\w+)?\s+into|reached|battle|.*\bcontrol\s+(?:of|over))$", re.I)


def _fold_advances(events: list[Event]) -> list[Event]:
    """An advance into a place reported only as a move ("moved into the town at
    dawn"), as control of part of it ("in control of at least half of X") or as
    "the battle for X", on the days the article reports that place's capture, is the
    capture itself, told as it happened: its sentences join the capture (same place,
    overlapping dates, the same or an unnamed actor); fighting told as such ("clashes",
    "fought") stays its own event."""
    captures = [e for e in events if event_class(e.event_type, e.sub_event_type) == "capture"]
    out: list[Event] = []
    for e in events:
        if event_class(e.event_type, e.sub_event_type) == "fight" and _told_as_move(e):
            cap = next((c for c in captures if c.place_id == e.place_id and not is_undated(c)
                        and not is_undated(e)
                        and intervals_overlap(c.date_min, c.date_max, e.date_min, e.date_max)
                        and (not e.actor1_force or not c.actor1_force
                             or c.actor1_force == e.actor1_force)), None)
            if cap is not None:
                cap.evidence = cap.evidence + e.evidence
                continue
        out.append(e)
    return out


def _told_as_move(e: Event) -> bool:
    """Whether every trigger of an event's evidence (one at least) is a move's word; read
    up to the first that is not (a long upload gives an event thousands of sentences)."""
    triggers = (m.text for v in e.evidence for m in v.mentions if m.kind == "trigger")
    first = next(triggers, None)
    return first is not None and all(_MOVE_WORDS.match(t.strip())
                                     for t in itertools.chain((first,), triggers))


def _fold_into_districts(events: list[Event], within: dict[str, Place],
                         forces: ForceTable) -> list[Event]:
    """Reports of one event at a city ("the Baghdad bombing") and at a district the
    article names as part of it ("in Baghdad's Karrada neighbourhood") are one event,
    kept at the district's point."""
    if not within:
        return events
    out: list[Event | None] = list(events)
    for district_id, city in within.items():
        at_district = [i for i, e in enumerate(out) if e is not None and e.place_id == district_id]
        for i, e in enumerate(out):
            if e is None or e.place_id != city.place_id:
                continue
            for j in at_district:
                d = out[j]
                if d is not None and same_kind(d, e) and \
                        intervals_overlap(d.date_min, d.date_max, e.date_min, e.date_max):
                    merger = Merger(forces)
                    merger.events, merger._exact = [d], {}
                    merger._combine(0, replace(e, latitude=d.latitude, longitude=d.longitude,
                                               place_id=d.place_id, location=d.location))
                    out[j], out[i] = merger.events[0], None
                    break
    return [e for e in out if e is not None]


def _place_words(ev: Event) -> set[str]:
    return {m.text.casefold() for e in ev.evidence for m in e.mentions if m.kind == "place"}


def _part_named(ev: Event, words: set[str] | None = None) -> str:
    """The quarter or facility a report names by its own name ("zaghir district"), else
    "": reports at one point of a town and of its named quarter are not one report.
    ``words``: ``_place_words(ev)``, when the caller has it."""
    return next((w for w in (_place_words(ev) if words is None else words)
                 if names_a_part(w, ev.location)), "")


def _two_places_taken(kept: Event, ev: Event, kept_words: set[str] | None = None,
                      ev_words: set[str] | None = None) -> bool:
    """Captures of two places the article names apart ("entered the university campus",
    "took the Old Bridge"), which the gazetteer holds as two entries less than the merge
    radius apart, are two events: the annotators count each place taken, and so does
    the control map. ``kept_words``, ``ev_words``: their ``_place_words``, when the
    caller keeps them."""
    if not kept.place_id or not ev.place_id or \
            event_class(kept.event_type, kept.sub_event_type) != "capture" or \
            event_class(ev.event_type, ev.sub_event_type) != "capture":
        return False
    a = _place_words(kept) if kept_words is None else kept_words
    b = _place_words(ev) if ev_words is None else ev_words
    if kept.place_id == ev.place_id:
        # "most of the city" and "the Zaghir district", both located at the town: a
        # quarter or facility named by its own name is a place taken of its own
        return bool(a and b and not a & b and any(names_a_part(w, ev.location) for w in a ^ b))
    return bool(a and b and not a & b)


def _same_report(kept: Event, ev: Event, forces: ForceTable | None,
                 kept_words: set[str] | None = None, ev_words: set[str] | None = None) -> bool:
    """The store's rule, except that inside one article reports whose actors disagree
    without being enemies ("rebels took al-Bab" here, "Turkish forces took al-Bab"
    there) are one event, and a fight is the same whichever side a sentence names first
    ("IS attacked the SDF" and "the SDF fought IS")."""
    if _two_places_taken(kept, ev, kept_words, ev_words):
        return False
    if events_match(kept, ev):
        return True
    a, b = kept.actor1_force, ev.actor1_force
    if forces is None:
        return False
    if a in forces and b in forces and not forces.hostile(a, b):
        return events_match(kept, ev, same_actor=False)
    if event_class(kept.event_type, kept.sub_event_type) == "fight" and (
            {a, kept.actor2_force} & {b, ev.actor2_force} - {""}
            or len({a, kept.actor2_force, b, ev.actor2_force} - {""}) <= 2):
        # (two reports of fighting at one place and time, each naming one of two sides:
        # "the SDF fought on in Hajin", "IS ... fighting remains in Hajin")
        return events_match(kept, ev, same_actor=False)
    return False


def _cell(ev: Event) -> tuple[object, ...]:
    """An event's bucket: its class, its means of fire (``STRIKE_MEANS``, "" for none)
    and ~5.5 km grid cell, or its place id / name when it has no point."""
    cls = event_class(ev.event_type, ev.sub_event_type)
    means = STRIKE_MEANS.get(ev.sub_event_type, "")
    if ev.latitude is None or ev.longitude is None:
        return (cls, means, "id", ev.place_id or ev.location.casefold())
    return (cls, means, int(ev.latitude // _CELL_DEG), int(ev.longitude // _CELL_DEG))


#: The means of fire whose kept strikes a report of each means can join: its own and a
#: strike that does not say how it was delivered ("the bombing"); that one joins any.
_JOINS: dict[str, tuple[str, ...]] = {m: (m, "") for m in set(STRIKE_MEANS.values())}
_JOINS[""] = ("", *sorted(set(STRIKE_MEANS.values())))


def _cells(cell: tuple[object, ...]) -> list[tuple[object, ...]]:
    """Buckets an event of bucket ``cell`` can match in: that grid cell with the cells
    around it (the merge radius is 5 km), or its place id / name; of its means of fire
    and those it joins (an air strike and shelling are never one event)."""
    cls, means, y, x = cell
    assert isinstance(means, str)
    joins = _JOINS[means] if cls == "strike" else (means,)
    if y == "id":
        return [(cls, m, y, x) for m in joins]
    assert isinstance(y, int) and isinstance(x, int)
    return [(cls, m, y + dy, x + dx) for m in joins for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


_CELL_DEG = 0.05


class Merger:
    """Reports of one event merged as they come (the store's rule), keeping every
    sentence as evidence.

    Candidates are looked up by class and grid cell, and a report identical in class,
    place, dates and actor to one already kept joins it at once, so work and memory grow
    with the number of distinct events, not with the number of reports or its square (a
    huge upload can repeat one event thousands of times)."""

    def __init__(self, forces: ForceTable | None = None) -> None:
        self.forces = forces
        self.events: list[Event] = []
        self._buckets: dict[tuple[object, ...], list[int]] = {}
        self._exact: dict[tuple[object, ...], int] = {}
        #: Indices of kept events this merger made (by a merge), with their evidence list:
        #: safe to change and extend in place.
        self._own_evidence: set[int] = set()
        #: Per kept event of its own, what reports that changed nothing but its evidence
        #: said (``_said``) since it last changed: another such report only adds evidence.
        self._settled: dict[int, set[tuple[object, ...]]] = {}
        #: The place words of each kept event's evidence (``_place_words``), grown with
        #: it: read for every candidate report, rebuilding them from thousands of
        #: sentences of evidence made merging quadratic.
        self._words: dict[int, set[str]] = {}
        #: Each kept event's dates as the first test reads them: (undated, min, max).
        self._dates: list[tuple[bool, date | None, date | None]] = []
        #: Kept events in the buckets around a report's bucket, in order
        #: (``_candidates``); forgotten whenever an event is kept (most reports repeat
        #: one already kept).
        self._around: dict[tuple[object, ...], list[int]] = {}

    def add(self, ev: Event) -> None:
        words = _place_words(ev)
        key = (ev.event_type, ev.sub_event_type, ev.place_id, ev.latitude, ev.longitude,
               ev.date_min, ev.date_max, ev.actor1_force, ev.actor2_force,
               _part_named(ev, words))
        if key in self._exact:
            self._combine(self._exact[key], ev, words)
            return
        cell = _cell(ev)
        undated, lo, hi = is_undated(ev), ev.date_min, ev.date_max
        dates = self._dates
        for i in self._candidates(cell):      # (of a means of fire this one joins)
            kept_undated, kept_lo, kept_hi = dates[i]
            # every match needs overlapping dates or two undated reports (``events_match``):
            # most candidates in a long article are told apart here, before the rules
            if undated or kept_undated:
                if not (undated and kept_undated):
                    continue
            elif kept_hi is not None and lo is not None and kept_hi < lo or \
                    hi is not None and kept_lo is not None and hi < kept_lo:
                continue
            if _same_report(self.events[i], ev, self.forces, self._kept_words(i), words):
                self._combine(i, ev, words)
                return
        if ev.event_id == UNIDENTIFIED:       # a report kept as an event of its own
            ev.event_id = ev.identity()
        self.events.append(ev)
        self._dates.append((undated, lo, hi))
        self._words[len(self.events) - 1] = words
        self._buckets.setdefault(cell, []).append(len(self.events) - 1)
        self._around.clear()
        self._exact[key] = len(self.events) - 1

    def _candidates(self, cell: tuple[object, ...]) -> list[int]:
        """The kept events in the buckets around ``cell``, in the order they were kept."""
        found = self._around.get(cell)
        if found is None:
            found = self._around[cell] = sorted(
                {i for c in _cells(cell) for i in self._buckets.get(c, ())})
        return found

    def _kept_words(self, i: int) -> set[str]:
        words = self._words.get(i)
        if words is None:
            words = self._words[i] = _place_words(self.events[i])
        return words

    def _combine(self, i: int, ev: Event, words: set[str] | None = None) -> None:
        """Merge report ``ev`` into kept event ``i`` (``words``: ``_place_words(ev)``,
        when the caller has it)."""
        kept = self.events[i]
        if i in self._words:                          # the evidence grows by ev's
            self._words[i] |= _place_words(ev) if words is None else words
        settled = self._settled.get(i)
        said = _said(ev) if settled is not None else None
        if settled is not None and said in settled:
            # merging is a function of the kept event and of what the report says: a
            # report like one that changed nothing changes nothing (a long upload repeats
            # one event thousands of times)
            kept.evidence.extend(ev.evidence)
            return
        before = _merged_state(kept) if settled is not None else None
        if i in self._own_evidence:
            # the merger's own copy (made by the first merge into it): changed in place,
            # as ``merge_into`` would change a copy
            combined = kept
            changes = merge_changes(kept, ev)
            if changes:
                for name, value in changes.items():
                    setattr(combined, name, value)
                combined.__post_init__()
        else:
            combined = merge_into(kept, ev)
        if not combined.actor1 and ev.actor1:
            combined.actor1, combined.actor1_force = ev.actor1, ev.actor1_force
            if combined.control_to == "" and ev.control_to:
                combined.control_to = ev.control_to
        elif not combined.actor2_force and ev.actor1_force and \
                ev.actor1_force != combined.actor1_force and \
                event_class(ev.event_type, ev.sub_event_type) == "fight":
            # a fight told once from each side: the other report's side is the other side
            combined.actor2, combined.actor2_force = ev.actor1, ev.actor1_force
        if combined.actor2_force and combined.actor2_force == combined.actor1_force:
            # one report's other side is the other's actor ("... driving them out" and
            # "IS entered the town"): the acting report wins, the other side is not known
            combined.actor2, combined.actor2_force = "", ""
        if combined.control_to and combined.actor1_force and self.forces is not None:
            combined.control_to = combined.actor1_force
            combined.sub_event_type = capture_sub_type(combined.actor1_force, self.forces)
        combined.fatalities = max(kept.fatalities, ev.fatalities)
        # the kept event's evidence list grows in place once it is the merger's own copy:
        # concatenating would copy it on every report (quadratic when an upload repeats
        # one event thousands of times)
        if i in self._own_evidence:
            kept.evidence.extend(ev.evidence)
            combined.evidence = kept.evidence
        else:
            combined.evidence = kept.evidence + ev.evidence
            self._own_evidence.add(i)
        combined.article_ids = sorted(set(kept.article_ids) | set(ev.article_ids))
        self.events[i] = combined
        if i < len(self._dates):
            self._dates[i] = (is_undated(combined), combined.date_min, combined.date_max)
        if settled is None:
            self._settled[i] = set()        # the merger's own copy from now on
        elif said is not None and _merged_state(combined) == before:
            settled.add(said)
        else:
            settled.clear()


#: A report's fields ``Merger._combine`` is not told by: its sentence (``notes``) and its
#: unassigned id. Every other field counts in what a report says (``_said``), so a merge
#: rule that comes to read one more field needs nothing else.
_UNSAID = ("notes", "event_id")
_said_fields = attrgetter(*(f for f in EVENT_FIELDS if f not in _UNSAID))
_state_fields = attrgetter(*EVENT_FIELDS)


def _said(ev: Event) -> tuple[object, ...]:
    """What a report says to ``Merger._combine``: every field but its evidence and those
    ``_UNSAID``."""
    return _said_fields(ev) + (tuple(ev.article_ids),)


def _merged_state(ev: Event) -> tuple[object, ...]:
    """All a kept event is, but its evidence: what ``Merger._combine`` may change."""
    return _state_fields(ev) + (tuple(ev.article_ids),)


def merge_duplicates(events: list[Event], forces: ForceTable | None = None) -> list[Event]:
    """Merge reports of one event (see ``Merger``), in order."""
    merger = Merger(forces)
    for ev in events:
        merger.add(ev)
    return merger.events
