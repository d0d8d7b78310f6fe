"""Captures told in retrospect without a time of their own: "since IS seized Mosul",
"since the fall of Ramadi", "since its capture by the militants".

Why: a news report often tells an old change of hands in passing, as the start of a
state that the sentence is about ("Life in the city has changed since IS seized Mosul").
When the words give the capture a time ("since IS seized Mosul in June 2014"), the
event extractor dates it by them. When they give none, the extractor dates it like any
undated report of current news, to the days before the article: an old capture becomes
a fresh one, and a 2018 article's "since IS seized Mosul" would hand Mosul back to the
Islamic State in 2018 (control rules 3-4 replay a capture at its date). The words say
only that it happened at some time before the report, which no control claim and no
dated event can carry; so the event is not kept. A capture the same article reports with
a time of its own is kept as that report gives it (another sentence, merged into one
event, gives it a date mention of its own).

Rows (construction, example, result), each pinned by its example in
``tests/test_extract_retro.py``; no row names a place, a force or a date. The
retrospective statements that carry a time ("Ramadi, which Iraqi forces retook in
December", "Tikrit, liberated from IS in 2015", "who retook Sinjar last November",
"after the fall of Mosul in June 2014") are events of the trigger table dated by those
words; holdings "since" a time are the ``since-`` rows of ``geo.extract.holdings``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.forces import ForceTable
from geo.core.records import Event, Evidence, Holding
from geo.extract.holdings import RECENT_DAYS, SINCE_RULES


@dataclass(frozen=True)
class RetroRule:
    """One construction that puts a capture before the report at no stated time: the
    words before the capture's trigger (a regular expression that must end where the
    trigger starts), an example sentence written for it and what it yields."""

    rule_id: str
    construction: str
    before_trigger: str
    example: str
    yields: str
    #: the trigger's own words, when the row asks for some (a noun: "fall", "capture")
    trigger: str = ""
    #: the words after the trigger, when the row asks for some (they must start there)
    after_trigger: str = ""
    #: words anywhere in the sentence, when the row asks for some
    in_sentence: str = ""
    #: the row puts every event of the sentence before the report, not only a capture
    every_class: bool = False


RULES: tuple[RetroRule, ...] = (
    RetroRule("since-nominal", "since the fall (capture, recapture, liberation) of PLACE / "
              "since its capture (no time given)",
              r"\bsince\s+(?:the|its|their)\s+(?:[\w-]+\s+)?",
              "Thousands of families have fled Mosul since its capture by the militants.",
              "no event (the capture's time is unknown)",
              trigger=r"(?:fall|capture|recapture|seizure|takeover|liberation|loss)\b"),
    RetroRule("since-clause", "since FORCE took PLACE (no time given), ...",
              r"\bsince\s+(?!then\b|when\b)(?:[\w'’.-]+\s+){1,5}",
              "Markets have slowly reopened since Iraqi forces retook Ramadi.",
              "no event (the capture's time is unknown)"),
    RetroRule("held-since-no-time", "PLACE has been under FORCE control (held by FORCE) "
              "since (no time given: 'since the start of the war', 'ever since')",
              "", "Raqqa has been under Islamic State control since the early days of the war.",
              "no event (the capture's time is unknown; the holding on the report's day "
              "is the holdings table's)",
              after_trigger=r"[^.;]{0,60}?\b(?:ever\s+)?since\b"),
    RetroRule("when-clause", "when FORCE took (had taken) PLACE (no time given), ...: the "
              "clause tells the state the sentence is about, not the report's news",
              r"\bwhen\s+(?!then\b)(?:[\w'’.-]+\s+){1,5}",
              "When the militants overran Sinjar, thousands of families fled to the "
              "mountain.", "no event (the capture's time is unknown)"),
    RetroRule("before-clause", "..., before FORCE took (had taken) PLACE (no time given)",
              r"\bbefore\s+(?!then\b)(?:[\w'’.-]+\s+){1,5}",
              "Baiji was a quiet town before the jihadists overran it.",
              "no event (the capture's time is unknown)"),
    RetroRule("which-clause", "PLACE, which FORCE seized (which was seized by FORCE) (no "
              "time given; 'which FORCE has seized' is news of the report's days, and in "
              "'FORCE, which seized PLACE' the clause is about the force)",
              r"\bwhich\s+(?!(?:[\w'’.-]+\s+){0,3}?(?:has|have|is|are)\b)"
              r"(?:[\w'’.-]+\s+){1,5}",
              "Aid has not reached Hit, which the militants seized in a lightning "
              "offensive.", "no event (the capture's time is unknown)"),
    RetroRule("which-fell", "PLACE, which fell (had fallen) to FORCE (no time given)",
              r"\bwhich\s+(?:had\s+)?",
              "Thousands of families left Baiji, which fell to the militants.",
              "no event (the capture's time is unknown)", trigger=r"(?:fell|fallen)\b"),
    RetroRule("after-pluperfect", "..., after FORCE had taken PLACE (no time given): the "
              "past perfect puts it before the events the sentence tells",
              r"\bafter\s+(?:[\w'’.-]+\s+){1,5}?had\s+(?:(?:already|first|once)\s+)?",
              "Farmers left their fields after the militants had overrun Baiji.",
              "no event (the capture's time is unknown)"),
    RetroRule("appositive-participle", "PLACE, captured (seized, overrun) by FORCE, ... (no "
              "time given)", r"\w[\w'’.-]*\s*,\s*(?:(?:once|later|first)\s+)?",
              "Sinjar, overrun by the militants, still lies in ruins.",
              "no event (the capture's time is unknown)", after_trigger=r"\s*by\b"),
    RetroRule("war-long", "PLACE has been shelled (besieged, bombed, fought over) for much "
              "of the war / throughout the war / many times in the past (a span of years, "
              "no time of the report's own)", "",
              "Homs has been shelled by government forces for much of the war.",
              "no event (the sentence tells years of it, not the report's days)",
              in_sentence=r"\b(?:for|through|during)\s+(?:much|most|all)\s+of\s+the\s+"
              r"(?:war|conflict|fighting)\b|\bthroughout\s+the\s+(?:war|conflict)\b|"
              r"\b(?:multiple|many|several|numerous)\s+times\s+(?:in\s+the\s+past|before|"
              r"over\s+the\s+years)\b|\bover\s+the\s+(?:past\s+)?years\b",
              every_class=True),
)

_COMPILED = tuple((rule, re.compile(rule.before_trigger + r"$", re.IGNORECASE)
                   if rule.before_trigger else None,
                   re.compile(rule.trigger, re.IGNORECASE) if rule.trigger else None,
                   re.compile(rule.after_trigger, re.IGNORECASE)
                   if rule.after_trigger else None,
                   re.compile(rule.in_sentence, re.IGNORECASE) if rule.in_sentence else None)
                  for rule in RULES)
#: Words that end the "since" clause before the trigger: the trigger is then not in it.
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”]|\b(?:and|but|while|as|when|after|before)\b",
                           re.IGNORECASE)


def retro_rule(evidence: Evidence, capture: bool = True) -> str:
    """The row (its id) that puts this evidence's event before the report at no stated
    time, or "" (the trigger is not in such a clause, or the evidence has a date).
    ``capture``: whether the event is a capture (other events only by ``every_class``
    rows)."""
    kinds = {m.kind for m in evidence.mentions}
    if "date" in kinds:
        return ""
    triggers = [m for m in evidence.mentions if m.kind == "trigger"]
    if not triggers:
        return ""
    trigger = triggers[0]
    before = evidence.sentence[:trigger.start]
    for rule, pattern, words, after, anywhere in _COMPILED:
        if not capture and not rule.every_class:
            continue
        if anywhere is not None and not anywhere.search(evidence.sentence):
            continue
        if words is not None and not words.match(trigger.text):
            continue
        if after is not None and not after.match(evidence.sentence, trigger.end):
            continue
        if pattern is not None:
            m = pattern.search(before)
            # (the clause's own conjunction is not a break: "when", "before")
            if not m or _CLAUSE_BREAK.search(m.group(0), len(m.group(0).split()[0])):
                continue
        return rule.rule_id
    return ""


def told_in_retrospect(event: Event) -> bool:
    """An event every piece of whose evidence tells it in retrospect at no time of its
    own (see the module docstring): a capture by any row, another event by the rows
    that say so (``every_class``)."""
    capture = event.sub_event_type in CAPTURE_SUB_EVENT_TYPES
    return bool(event.evidence) and all(retro_rule(e, capture) for e in event.evidence)


def drop_undated_retrospective(events: Sequence[Event]) -> list[Event]:
    """The article's events without the captures told in retrospect at no time."""
    return [e for e in events if not told_in_retrospect(e)]


def complete_since_takers(events: Sequence[Event], holdings: Sequence[Holding],
                          forces: ForceTable) -> list[Event]:
    """"Makhmour, under Kurdish control since 2015": the capture the trigger table reads
    from these words (its start, dated 2015) has no taker when the table does not read
    the holder ("Kurdish" alone is no force), while the holdings' ``since-`` row that
    reads the same words names it (the Peshmerga, by the town's country). The holder
    is the taker of the capture that began the holding: a capture of that place, from
    that sentence, with no side named, ending more than ``RECENT_DAYS`` before the
    holding's day (a recent one ends the holding instead)."""
    holders = {(h.sentence_start, h.place_id): h for h in holdings
               if h.construction in SINCE_RULES}
    if not holders:
        return list(events)
    out = []
    for event in events:
        holding = next((holders[e.sentence_start, event.place_id] for e in event.evidence
                        if (e.sentence_start, event.place_id) in holders), None)
        end = event.date_max or event.event_date
        if holding is not None and event.sub_event_type in CAPTURE_SUB_EVENT_TYPES and \
                not event.control_to and not event.actor1_force and end is not None and \
                (holding.date_min - end).days > RECENT_DAYS and holding.force in forces:
            taker = forces[holding.force]
            event = replace(event, actor1=forces.display(taker.force_id),
                            actor1_force=taker.force_id, control_to=taker.force_id,
                            sub_event_type="Government regains territory" if taker.is_state
                            else "Non-state actor overtakes territory")
        out.append(event)
    return out
