"""After extraction, before storing: fill what a report leaves out from what is known.

Why a step of its own: a news sentence often names only the winner of a capture ("Iraqi
forces retook Rawa on Friday"). ACLED codes both sides, and the loser is whoever held
the town before, which the curated control timeline (``data/control_timeline.csv``)
knows. Extraction stays pure text work (``geo.extract`` never reads control data); this
step sits after control in the data flow and is run by the ``extract`` and ``ingest``
commands on every article.

Rules (each fills only an empty field; first, two forces of one side are never the two
sides of one event: the second is dropped, as merged reports can pair them):
1. a capture with no winner ("the recapture of Mosul in July") takes the timeline's change
   at that place within the capture's dates: its winner and loser;
2. a capture's loser is the timeline's holder of the place just before it (or the force
   the timeline's record of this same capture took it from), when of another side;
3. a fight or strike by one named force at a town gets the town's holder as the other
   side when they are enemies ("IS stormed Kobani": the Kurds who held it);
4. a fight whose clause names no attacker gets one only where the text names it
   (``geo.extract.sides``): the one side its sentence names as acting ("the town has
   been under siege and shelled by A": A), else the one side named acting in the
   sentence before it in its paragraph (never for a siege: a besieger is not carried
   over), else the side the headline names for that town ("A retakes C from B"); a
   fight whose text names neither side stays without one: the article's most
   prominent force is no evidence of who fought there ("besieged by Russia" for a town
   the Syrian army besieged);
   a capture whose text names no taker (and the timeline no change) gets the headline's
   side for that town only ("Rebels announce capture of C": "we took the centre");
5. an event with one side named gets the other: the force hostile to it named nearest
   (its sentence, the sentence before in its paragraph, the headline), else the
   article's most prominent force hostile to it, but only where the article shows that
   force at the event's town: a side of another of its events within ``SHOWN_KM``
   (named by its text, or filled by rules 1-3 from the timeline) or a holding it states
   there ("IS-held C"). ACLED codes both sides, yet the force a story is most about is
   no evidence of who was hit elsewhere: "Russia > IS" for strikes on rebel towns in a
   story on Russia's war on IS, "IS > Iraqi forces" for a bomb in a market.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from geo.control.curated import ControlChange, read_control_changes
from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.errors import GeoError
from geo.core.forces import ForceTable
from geo.core.records import Event
from geo.core.theatre import haversine_km
from geo.extract.pipeline import Extraction
from geo.extract.sentences import Sentence, split_sentences
from geo.extract.sides import acting_forces, one_side, own_word

#: A timeline row this close to an event's point is the same town.
NEAR_KM = 5.0
#: Rule 5: a force the article shows this close to an event (a town, its outskirts and
#: its quarters: "Mosul University" lies 5 km from "Mosul") is a force present there.
SHOWN_KM = 25.0
#: Words of a siege: its besieger is never carried over from another sentence.
_SIEGE = re.compile(r"besieg|siege|encircl", re.I)


@lru_cache(maxsize=1)
def _changes() -> tuple[ControlChange, ...]:
    try:
        return tuple(sorted(read_control_changes(), key=lambda c: c.date))
    except GeoError:
        return ()          # a broken timeline file is reported by the control commands


def prior_holder(lat: float, lon: float, before: date, winner: str, forces: ForceTable,
                 changes: tuple[ControlChange, ...] | None = None) -> str:
    """Who held the place at (lat, lon) just before ``before``, by the timeline ("" if
    unknown or on ``winner``'s side)."""
    rows = [c for c in (changes if changes is not None else _changes())
            if c.date <= before and haversine_km(lat, lon, c.latitude, c.longitude) <= NEAR_KM]
    if not rows:
        return ""
    last = rows[-1]
    holder = last.force_from if last.force_to == winner else last.force_to
    # A different side held it (allies can fall out: Iraqi forces took Kirkuk from the
    # Peshmerga); a force of the winner's own side handing over is no loser.
    if holder and holder != winner and holder in forces and (
            winner not in forces or forces[winner].side != forces[holder].side):
        return holder
    return ""


def change_at(lat: float, lon: float, lo: date, hi: date,
              changes: tuple[ControlChange, ...] | None = None) -> ControlChange | None:
    """The timeline's change of control at (lat, lon) dated within [lo, hi], if any."""
    rows = [c for c in (changes if changes is not None else _changes())
            if lo <= c.date <= hi and haversine_km(lat, lon, c.latitude, c.longitude) <= NEAR_KM]
    return rows[-1] if rows else None


def _set(ev: Event, forces: ForceTable, **fields: str) -> Event:
    changes: dict[str, Any] = {}
    for role, fid in fields.items():
        changes[role] = forces.display(fid)
        changes[role + "_force"] = fid
    return replace(ev, **changes)


def fill_other_sides(extraction: Extraction, forces: ForceTable) -> Extraction:
    """Both sides of every event where the text or the timeline tells them (rules above)."""
    text = _ArticleText(extraction)
    told = [_fill(ev, extraction, forces, text) for ev in extraction.events]
    # rule 5's last resort needs every other event's sides as the text and the timeline
    # fill them: it is asked once all are filled, of the events still one-sided (rules
    # 1-4 and the text's adversary gave them all they could)
    shown = _Shown(told, extraction)
    extraction.events = [_last_resort(ev, extraction, forces, shown) for ev in told]
    return extraction


def _last_resort(ev: Event, extraction: Extraction, forces: ForceTable,
                 shown: _Shown) -> Event:
    """Rule 5's last resort for an event ``_fill`` left with one side: the article's most
    prominent force hostile to that side, where the article shows it at the event. The
    two one-sided shapes ``_fill`` leaves to it: a named actor1 (any class), and a fight
    whose side attacked alone is named."""
    if ev.actor1_force in forces and not ev.actor2_force:
        other = shown.adversary(ev, ev.actor1_force, extraction, forces)
        return _set(ev, forces, actor2=other) if other else ev
    if not ev.actor1_force and ev.actor2_force in forces and \
            ev.sub_event_type not in CAPTURE_SUB_EVENT_TYPES and _class(ev) == "fight":
        other = shown.adversary(ev, ev.actor2_force, extraction, forces)
        return _set(ev, forces, actor1=other) if other else ev
    return ev


class _Shown:
    """Where the article shows each force (rule 5): the points of the events it is a side
    of (as rules 1-4 filled them) and of the holdings the article states."""

    def __init__(self, events: list[Event], extraction: Extraction) -> None:
        self.points: dict[str, list[tuple[float, float]]] = {}
        for ev in events:
            if ev.latitude is None or ev.longitude is None:
                continue
            for fid in (ev.actor1_force, ev.actor2_force):
                if fid:
                    self.points.setdefault(fid, []).append((ev.latitude, ev.longitude))
        for h in extraction.holdings:
            self.points.setdefault(h.force, []).append((h.latitude, h.longitude))

    def adversary(self, ev: Event, side: str, extraction: Extraction,
                  forces: ForceTable) -> str:
        """The article's most prominent force hostile to ``side``, where the article
        shows it near the event ("" otherwise)."""
        other = extraction.adversary(side, forces)
        return other if other and self.near(other, ev) else ""

    def near(self, force_id: str, ev: Event) -> bool:
        """Whether the article shows ``force_id`` within ``SHOWN_KM`` of the event."""
        if ev.latitude is None or ev.longitude is None:
            return False
        return any(haversine_km(ev.latitude, ev.longitude, lat, lon) <= SHOWN_KM
                   for lat, lon in self.points.get(force_id, ()))


class _ArticleText:
    """The article's sentences by paragraph, split once for all its events."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self._sentences: list[Sentence] | None = None

    def sentences(self) -> list[Sentence]:
        if self._sentences is None:
            self._sentences = split_sentences(self.extraction.article.text)
        return self._sentences

    def before_in_paragraph(self, start: int) -> list[str]:
        """The sentences of the paragraph holding article offset ``start`` that come
        before it, nearest first. Wire copy gives every sentence a paragraph of its own:
        there the paragraph before stands for the story's paragraph (when it, too, is a
        single sentence)."""
        sents = self.sentences()
        k = next((i for i, s in enumerate(sents) if s.start <= start < s.end), None)
        if k is None:
            return []
        own = sents[k]
        same = [s.text for s in reversed(sents[:k]) if s.paragraph == own.paragraph]
        if same or k == 0:
            return same
        prev = sents[k - 1]
        single = [s for s in sents if s.paragraph == prev.paragraph] == [prev] and \
            (k + 1 >= len(sents) or sents[k + 1].paragraph != own.paragraph)
        return [prev.text] if single else []


def text_side(ev: Event, extraction: Extraction, forces: ForceTable,
              text: _ArticleText | None = None) -> str:
    """The side the text names as acting for an event whose own clause names none
    (rule 4), "" when it names none or two hostile ones."""
    country = ev.country
    for evidence in ev.evidence:
        if evidence.article_id and evidence.article_id != extraction.article.article_id:
            continue
        acting = acting_forces(evidence.sentence, forces, country)
        if acting:
            return one_side(acting, forces)
        if _SIEGE.search(evidence.sentence):
            continue
        for earlier in (text or _ArticleText(extraction)).before_in_paragraph(
                evidence.sentence_start):
            acting = acting_forces(earlier, forces, country)
            if acting:
                return one_side(acting, forces)
    return headline_side(ev, extraction)


def headline_side(ev: Event, extraction: Extraction) -> str:
    """The side the headline names acting at the event's town ("" if none)."""
    for place, side in extraction.headline_sides:
        if place.place_id == ev.place_id or (
                ev.latitude is not None and ev.longitude is not None and haversine_km(
                    ev.latitude, ev.longitude, place.latitude, place.longitude) <= NEAR_KM):
            return side
    return ""


def named_adversary(ev: Event, extraction: Extraction, forces: ForceTable,
                    text: _ArticleText | None = None, known: str = "") -> str:
    """The force hostile to the event's named side (``known``, else its actor1) nearest
    in the text: its sentence, the sentences before it in its paragraph, the headline
    (rule 5; its last resort, the article's most prominent force, is ``_last_resort``'s)."""
    first = known or ev.actor1_force
    texts: list[str] = []
    for evidence in ev.evidence[:1]:
        texts.append(evidence.sentence)
        texts.extend((text or _ArticleText(extraction)).before_in_paragraph(
            evidence.sentence_start))
    texts.append(extraction.article.title or "")
    for piece in texts:
        mentions = forces.find_mentions(piece)
        for i, m in enumerate(mentions):
            if own_word(mentions, i, piece):
                continue
            fid = forces.local(m.force_id, ev.country)
            if fid in forces and not forces[fid].is_placeholder and fid != first and \
                    forces.hostile(first, fid) and forces[first].side != forces[fid].side:
                return fid
    return ""


def _fill(ev: Event, extraction: Extraction, forces: ForceTable,
          text: _ArticleText | None = None) -> Event:
    capture = ev.sub_event_type in CAPTURE_SUB_EVENT_TYPES
    if ev.actor1_force in forces and ev.actor2_force in forces and \
            ev.actor1_force != ev.actor2_force and \
            forces[ev.actor1_force].side == forces[ev.actor2_force].side:
        # two reports merged with one side each ("Russian jets struck X", "the strikes
        # hit the regime's stronghold"): a force of one's own side is not the enemy
        ev = replace(ev, actor2="", actor2_force="")
    if (capture and not ev.actor1_force and ev.latitude is not None
            and ev.longitude is not None and ev.date_min and ev.date_max):
        change = change_at(ev.latitude, ev.longitude, ev.date_min, ev.date_max)
        if change is not None and change.force_to in forces and (
                not ev.actor2_force or ev.actor2_force == change.force_from):
            ev = _set(ev, forces, actor1=change.force_to)
            ev = replace(ev, control_to=change.force_to, sub_event_type=(
                "Government regains territory" if forces[change.force_to].is_state
                else "Non-state actor overtakes territory"))
            if not ev.actor2_force and change.force_from in forces:
                ev = _set(ev, forces, actor2=change.force_from)
    if not ev.actor1_force and not capture and _class(ev) == "fight":
        side = text_side(ev, extraction, forces, text)
        if side and side in forces and (not ev.actor2_force or (
                side != ev.actor2_force and forces.hostile(side, ev.actor2_force))):
            ev = _set(ev, forces, actor1=side)
        elif ev.actor2_force in forces:
            # one side named (the one attacked): the other is rule 5's, as for an
            # event whose attacker alone is named
            other = named_adversary(ev, extraction, forces, text, ev.actor2_force)
            if other:
                ev = _set(ev, forces, actor1=other)
    if not ev.actor1_force and capture:
        # the headline's taker of that town (rule 4; after the timeline's change)
        side = headline_side(ev, extraction)
        if side in forces and (not ev.actor2_force or forces.hostile(side, ev.actor2_force)):
            ev = _set(ev, forces, actor1=side)
            ev = replace(ev, control_to=side, sub_event_type=(
                "Government regains territory" if forces[side].is_state
                else "Non-state actor overtakes territory"))
    day = ev.date_max or ev.event_date
    if ev.actor1_force and not ev.actor2_force and ev.actor1_force in forces:
        other = ""
        if ev.latitude is not None and ev.longitude is not None and day is not None:
            holder = prior_holder(ev.latitude, ev.longitude, day, ev.actor1_force, forces)
            if holder and (capture or forces.hostile(ev.actor1_force, holder)):
                other = holder
        other = other or named_adversary(ev, extraction, forces, text)
        if other:
            ev = _set(ev, forces, actor2=other)
    return ev


def _class(ev: Event) -> str:
    from geo.core.dedup import event_class
    return event_class(ev.event_type, ev.sub_event_type)
