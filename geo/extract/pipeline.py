"""Article in, events out: sentences -> drafts -> events -> one event per real event.

``extract_article`` is pure (no store): the ``extract`` command and the ingest step both
call it. Reports of the same event inside one article ("IS seized Ramadi last Friday",
"the fall of Ramadi") are merged with the store's matching rule, so an article never
draws one event twice; the store applies the same rule across articles.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from geo.core.dedup import event_class, events_match, intervals_overlap, merge_into
from geo.core.forces import ForceTable
from geo.core.records import Article, Event
from geo.extract.events import (
    OBJECTIVE_NOTE,
    PlaceFinder,
    Prepared,
    SentenceExtractor,
    place_hits,
    to_event,
    topic_place,
)
from geo.extract.sentences import split_sentences
from geo.extract.syntax import Parse, Parser, load_parser

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

    def adversary(self, force_id: str, forces: ForceTable) -> str:
        """The most prominent force of the article hostile to ``force_id`` ("" if none):
        the other side of an event whose sentence names only one."""
        for other in self.prominent:
            if other != force_id and forces.hostile(force_id, other) and \
                    not _same_side(forces, force_id, other):
                return other
        return ""


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
    result = Extraction(article)
    extractor = SentenceExtractor(places, forces, article.published)
    events: list[Event] = []
    ambiguous: set[str] = set()
    sentences = [s for s in split_sentences(article.text)
                 if not (article.title and s.text == article.title)]  # a headline's tense lies
    prepared = [extractor.prepare(s) for s in sentences]
    title_hits = place_hits(places, article.title) if article.title else []
    extractor.topic = topic_place(article.title, [p.hits for p in prepared], title_hits)
    if extractor.topic is not None:      # now the phrases that stand for it can be found
        for p in prepared:
            extractor.add_topic_phrases(p)
    parses = _parse_trigger_sentences(extractor, prepared, parser)
    for sent, prep in zip(sentences, prepared):
        for draft in extractor.extract(sent, prep, parses.get(id(prep))):
            if draft.confidence < min_confidence:
                continue
            cands = draft.place.candidates
            if len(cands) > 1 and cands[1].importance >= 0.8 * cands[0].importance \
                    and cands[1].country != cands[0].country:
                ambiguous.add(draft.place.text)
            events.append(to_event(draft, sent, article.article_id, article.published, forces,
                                   source_file=source_file or article.path,
                                   source_name=article.source_name))
    result.prominent = prominence(article.text, forces)
    result.events = merge_duplicates(_drop_located_elsewhere(events), forces)
    unresolved = getattr(places, "unresolved_names", None)
    if unresolved is not None:
        result.unresolved = list(unresolved(article.text))
    result.ambiguous = sorted(ambiguous)
    return result


def prominence(text: str, forces: ForceTable) -> list[str]:
    """Force ids by how often the article names them (a generic word such as "militants"
    counts half): the forces the story is about, most prominent first."""
    score: Counter[str] = Counter()
    for m in forces.find_mentions(text):
        score[m.force_id] += 0.5 if m.generic else 1.0
    return [f for f, _ in score.most_common()]


def _same_side(forces: ForceTable, a: str, b: str) -> bool:
    return a in forces and b in forces and forces[a].side == forces[b].side


def _parse_trigger_sentences(extractor: SentenceExtractor, prepared: list[Prepared],
                             parser: Parser | None) -> dict[int, Parse]:
    """Parse, in one batch, only the sentences that hold a trigger (the parse is the
    costly step; a sentence without a trigger gives no event whatever its syntax)."""
    if parser is None:
        return {}
    todo = [p for p in prepared if p.triggers]
    parses = parser.parse_many((p.sent.text, extractor.marks(p)) for p in todo)
    return {id(p): parse for p, parse in zip(todo, parses)}


def _drop_located_elsewhere(events: list[Event]) -> list[Event]:
    """An operation placed only near its objective ("launched an offensive to liberate
    Raqqa") is dropped when the article locates the same operation elsewhere: same class,
    same force, overlapping dates ("the operation started in the town of Isriya")."""
    def located(a: Event, b: Event) -> bool:
        return (b is not a and not b.notes.startswith(OBJECTIVE_NOTE)
                and event_class(a.event_type, a.sub_event_type)
                == event_class(b.event_type, b.sub_event_type)
                and a.actor1_force == b.actor1_force
                and intervals_overlap(a.date_min, a.date_max, b.date_min, b.date_max))
    return [e for e in events
            if not (e.notes.startswith(OBJECTIVE_NOTE) and any(located(e, o) for o in events))]


def _same_report(kept: Event, ev: Event, forces: ForceTable | None) -> bool:
    """The store's rule, except that inside one article reports whose actors disagree
    without being enemies ("rebels took al-Bab" here, "Turkish forces took al-Bab"
    there) are one event, and a fight is the same whichever side a sentence names first
    ("IS attacked the SDF" and "the SDF fought IS")."""
    if events_match(kept, ev):
        return True
    a, b = kept.actor1_force, ev.actor1_force
    if forces is None:
        return False
    if a in forces and b in forces and not forces.hostile(a, b):
        return events_match(kept, replace(ev, actor1_force=a))
    if event_class(kept.event_type, kept.sub_event_type) == "fight" and \
            {a, kept.actor2_force} & {b, ev.actor2_force} - {""}:
        return events_match(kept, replace(ev, actor1_force=a))
    return False


def merge_duplicates(events: list[Event], forces: ForceTable | None = None) -> list[Event]:
    """Merge reports of one event (the store's rule), keeping every sentence as evidence."""
    merged: list[Event] = []
    for ev in events:
        for i, kept in enumerate(merged):
            if _same_report(kept, ev, forces):
                combined = merge_into(kept, ev)
                if not combined.actor1 and ev.actor1:
                    combined.actor1, combined.actor1_force = ev.actor1, ev.actor1_force
                    if combined.control_to == "" and ev.control_to:
                        combined.control_to = ev.control_to
                combined.fatalities = max(kept.fatalities, ev.fatalities)
                combined.evidence = kept.evidence + ev.evidence
                combined.article_ids = sorted(set(kept.article_ids) | set(ev.article_ids))
                merged[i] = combined
                break
        else:
            merged.append(ev)
    return merged
