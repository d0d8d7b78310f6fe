"""Article in, events out: sentences -> drafts -> events -> one event per real event.

``extract_article`` is pure (no store): the ``extract`` command and the ingest step both
call it. Reports of the same event inside one article ("IS seized Ramadi last Friday",
"the fall of Ramadi") are merged with the store's matching rule, so an article never
draws one event twice; the store applies the same rule across articles.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from geo.extract.events import OBJECTIVE_NOTE, PlaceFinder, SentenceExtractor, to_event
from geo.extract.sentences import split_sentences
from geo.forces import ForceTable
from geo.model import Article, Event
from geo.store.dedup import event_class, events_match, intervals_overlap, merge_into

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


def extract_article(article: Article, places: PlaceFinder, forces: ForceTable, *,
                    source_file: str = "", min_confidence: float = MIN_CONFIDENCE) -> Extraction:
    """Extract the events an article states, each with its sentence as evidence."""
    result = Extraction(article)
    extractor = SentenceExtractor(places, forces, article.published)
    events: list[Event] = []
    ambiguous: set[str] = set()
    for sent in split_sentences(article.text):
        if article.title and sent.text == article.title:
            continue   # a headline restates the story; its tense is not reliable
        for draft in extractor.extract(sent):
            if draft.confidence < min_confidence:
                continue
            cands = draft.place.candidates
            if len(cands) > 1 and cands[1].importance >= 0.8 * cands[0].importance \
                    and cands[1].country != cands[0].country:
                ambiguous.add(draft.place.text)
            events.append(to_event(draft, sent, article.article_id, article.published, forces,
                                   source_file=source_file or article.path,
                                   source_name=article.source_name))
    result.events = merge_duplicates(_drop_located_elsewhere(events), forces)
    unresolved = getattr(places, "unresolved_names", None)
    if unresolved is not None:
        result.unresolved = list(unresolved(article.text))
    result.ambiguous = sorted(ambiguous)
    return result


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
    """The store's rule, except that inside one article allied forces named for the same
    fight ("Iraqi forces" here, "the Popular Mobilization" there) are one report."""
    if events_match(kept, ev):
        return True
    a, b = kept.actor1_force, ev.actor1_force
    if forces is None or not (a in forces and b in forces) or forces[a].side != forces[b].side:
        return False
    return events_match(kept, replace(ev, actor1_force=a))


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
