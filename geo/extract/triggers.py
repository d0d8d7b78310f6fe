"""Event trigger words and the ACLED event type each one signals.

A trigger is the word that states an event ("seized", "air strikes", "kidnapped"). Each
entry gives the ACLED event_type / sub_event_type, our coarse class (capture, strike,
fight, civilians, strategic), the grammatical pattern that tells where the place and the
actors are, and a strength: weak nouns ("offensive", "operation") only make an event when
the clause also names a place.

Hypothetical and intended events are not events: "to retake", "will launch", "expected
to", "until Ramadi is retaken", "the threat from car bombs". ``is_hypothetical`` checks the
words just before a trigger.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CAPTURE, STRIKE, FIGHT, CIVILIANS, STRATEGIC = "capture", "strike", "fight", "civilians", "strategic"

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
STRAT = "Strategic developments"


@dataclass(frozen=True)
class TriggerRule:
    pattern: str
    cls: str
    event_type: str
    sub_event_type: str
    kind: str = "active"      # active | passive | fall | nominal | between
    strength: float = 1.0     # 1 strong, 0.5 weak (needs a place in the same clause)


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    rule: TriggerRule


_CAP = "Non-state actor overtakes territory"   # refined to "Government regains" by actor
RULES: tuple[TriggerRule, ...] = (
    # --- captures: passive and "fall" forms first (they decide where the actor is) ---
    TriggerRule(r"(?:was|were|been|being|is|are|had been|has been|have been)\s+(?:\w+\s+)?"
                r"(?:seized|captured|recaptured|retaken|re-taken|overrun|liberated|taken over|"
                r"stormed|conquered|freed|regained|cleared)(?=\s+(?:by|from|in|on|last|after|during)\b)",
                CAPTURE, BATTLES, _CAP, "passive"),
    TriggerRule(r"(?<=,\s)(?:a|the)\s+(?:\w+\s+){0,2}(?:seized|captured|taken|overrun|liberated|"
                r"recaptured|retaken)\s+(?=by\b)", CAPTURE, BATTLES, _CAP, "passive"),
    TriggerRule(r"(?:seized|captured|recaptured|retaken|overrun|liberated)\s+(?=by\b)",
                CAPTURE, BATTLES, _CAP, "passive"),
    TriggerRule(r"\b(?:fell|falls|fallen|falling)\s+(?:\w+\s+)?to\b", CAPTURE, BATTLES, _CAP, "fall"),
    TriggerRule(r"\b(?:the\s+)?(?:fall|capture|recapture|takeover|seizure|liberation)\s+of\b",
                CAPTURE, BATTLES, _CAP, "nominal"),
    TriggerRule(r"\btakeover\s+of\b", CAPTURE, BATTLES, _CAP, "nominal"),
    TriggerRule(r"\bfallen\b(?=\s+(?:\w+\s+){0,3}(?:city|town|village)\b)", CAPTURE, BATTLES,
                _CAP, "nominal"),
    TriggerRule(r"\b(?:seized|seizes|seize|seizing|captured|captures|capturing|recaptured|"
                r"recapturing|retook|retaken|retaking|re-took|overran|overrunning|conquered|"
                r"liberated|liberating|regained|stormed|wrested)\b"
                r"(?:\s+(?:full\s+|complete\s+|total\s+)?control\s+(?:of|over))?",
                CAPTURE, BATTLES, _CAP),
    TriggerRule(r"\b(?:took|taken|take|gained|seized|assumed|wrested|regained)\s+"
                r"(?:(?:near|almost|nearly|full|complete|total|effective|partial)[\s-]+){0,2}"
                r"control\s+(?:of|over)\b", CAPTURE, BATTLES, _CAP),
    TriggerRule(r"\b(?:was|were|been|being)\s+(?:\w+\s+)?(?:driven|pushed|forced|kicked|chased)\s+"
                r"out\s+of\b|\b(?:was|were|been|being)\s+(?:\w+\s+)?(?:expelled|ousted)\s+from\b",
                CAPTURE, BATTLES, _CAP, "expelled"),
    TriggerRule(r"\b(?:drove|driven|pushed|expelled|ousted|kicked)\s+(?:\w+\s+){1,4}(?:out\s+of|from)\b",
                CAPTURE, BATTLES, _CAP),
    TriggerRule(r"\b(?:took|taken|take|taking)\s+over\b(?!\s+(?:as|from\s+\w+\s+as)\b)",
                CAPTURE, BATTLES, _CAP),
    TriggerRule(r"\b(?:claim(?:ed|ing)?|declar(?:ed|ing|es))\s+victory\s+(?:over|in)\b",
                CAPTURE, BATTLES, _CAP),
    TriggerRule(r"\bsecured\b", CAPTURE, BATTLES, _CAP, "active", 0.5),
    # --- strikes ---
    TriggerRule(r"\b(?:air|drone|aerial)[\s-]?(?:strikes?|raids?|attacks?|assaults?|bombardment)\b|"
                r"\bairstrikes?\b|\bbombing\s+raids?\b|"
                r"\b(?:warplanes?|jets?|aircraft|planes?|helicopters?|drones?)\s+(?:\w+\s+)?"
                r"(?:struck|strike|bombed|hit|pounded|targeted|attacked|killed|raided)\b|"
                r"\bbombed\b|\bbombarded\b", STRIKE, REMOTE, "Air/drone strike"),
    TriggerRule(r"\b(?:shell(?:ed|ing)|artillery(?:\s+fire)?|mortars?(?:\s+(?:fire|rounds|shells|attacks?))?|"
                r"launch(?:ed|es|ing)?\s+(?:a\s+)?(?:mortar|missiles?|rockets?)|"
                r"(?:rockets?|missiles?)\s+(?:were|was|have been|had been)\s+fired|"
                r"fired\s+(?:\w+\s+)?(?:rockets?|missiles?|mortars?)|"
                r"(?:rocket|missile|mortar)\s+(?:attacks?|strikes?|fire|barrage))\b",
                STRIKE, REMOTE, "Shelling/artillery/missile attack"),
    TriggerRule(r"\bsuicide\s+(?:bomb(?:ing|er|ers|s)?|attacks?|car\s+bombs?|vests?|truck\s+bombs?)\b",
                STRIKE, REMOTE, "Suicide bomb"),
    TriggerRule(r"\b(?:roadside\s+bombs?|car\s+bombs?|truck\s+bombs?|VBIEDs?|IEDs?|improvised\s+"
                r"explosive\s+devices?|landmines?|bomb\s+(?:attack|blast|explosion)s?|explosions?|"
                r"blasts?)\b", STRIKE, REMOTE, "Remote explosive/landmine/IED"),
    # --- civilians ---
    TriggerRule(r"\b(?:kidnapp(?:ed|ing)|abduct(?:ed|ing|ion|ions)|took\s+(?:\w+\s+){0,3}hostage)\b",
                CIVILIANS, VAC, "Abduction/forced disappearance"),
    TriggerRule(r"\b(?:executed|execution(?:s)?\s+of|massacred?|beheaded|killed\s+(?:\d+\s+|dozens\s+of\s+)?"
                r"civilians)\b", CIVILIANS, VAC, "Attack"),
    TriggerRule(r"\b(?:destroyed|demolished|blew\s+up|blown\s+up|looted|looting|torched|burned\s+down|"
                r"razed)\b", CIVILIANS, STRAT, "Looting/property destruction"),
    TriggerRule(r"\b(?:arrested|detained|rounded\s+up)\b", STRATEGIC, STRAT, "Arrests", "active", 0.5),
    # --- fighting ---
    TriggerRule(r"\bclash(?:es)?\s+between\b|\bfighting\s+between\b", FIGHT, BATTLES, "Armed clash",
                "between"),
    TriggerRule(r"\b(?:clash(?:es|ed)?|fighting|fought|firefights?|gun\s*battles?|skirmish(?:es)?|"
                r"ambush(?:ed|es)?|besieg(?:ed|ing)|encircl(?:ed|ing|ement)|"
                r"attack(?:ed|ing)?|assault(?:ed|ing)?|battl(?:ed|ing))\b", FIGHT, BATTLES, "Armed clash"),
    TriggerRule(r"\b(?:battle|offensive|counter[\s-]?offensive|siege|assault|attacks?|operations?|"
                r"campaign|push|advances?|advanced|advancing|gains)\b", FIGHT, BATTLES, "Armed clash",
                "active", 0.5),
    TriggerRule(r"\b(?:crossed|entered|moved)\s+into\b|\bmaking\s+gains\b", FIGHT, BATTLES,
                "Armed clash", "active", 0.5),
)
_COMPILED = [(re.compile(r.pattern, re.I), r) for r in RULES]

#: Words just before a trigger that make it an intention, a forecast or a condition.
_HYPOTHETICAL = re.compile(
    r"(?:\bto(?:\s+\w+ly)?(?:\s+\w+){0,1}|\b(?:will|would|could|might|may|should|can|must)(?:\s+\w+){0,2}|"
    r"\bexpected\s+to|\bany|"
    r"\bplan(?:s|ned|ning)?\s+to|\bprepar\w*\s+(?:to|for)|\bbid\s+to|\baim\w*\s+to|\battempt\w*\s+to|"
    r"\bvow\w*\s+to|\bthreat\w*(?:\s+\w+){0,3}|\buntil\b.*|\bawait\w*|\bif\b.*|\bunless\b.*|"
    r"\bupon\s+its|\bready\s+for|\bpossible|\bpotential|\bfuture|\bnext|\bupcoming|\bimminent|"
    r"\bfailed\s+to|\bdid\s+not|\bdidn't|\bnever|\bno|\bdenied|\brumou?rs?\s+of|\bstrategy\s+of)"
    r"(?:\s+\w+){0,3}\s*$", re.I)
_FUTURE_AFTER = re.compile(r"^\s*(?:\w+\s+){0,4}(?:will|would)\s+be\b|^[^,.]{0,40}\bin the coming\b",
                           re.I)


def find_triggers(sentence: str) -> list[Trigger]:
    """Trigger words in a sentence, earliest first; overlapping matches keep the first rule."""
    found: list[Trigger] = []
    for pattern, rule in _COMPILED:
        for m in pattern.finditer(sentence):
            if any(m.start() < t.end and t.start < m.end() for t in found):
                continue
            found.append(Trigger(m.start(), m.end(), m.group(0), rule))
    return sorted(found, key=lambda t: t.start)


def is_hypothetical(sentence: str, trigger: Trigger) -> bool:
    """True when the words before the trigger (or after it) make it an intention or forecast."""
    before = sentence[max(0, trigger.start - 60):trigger.start]
    before = re.split(r"[,;:.]\s", before)[-1]
    if _HYPOTHETICAL.search(before):
        # "began to", "started to", "continued to" still report something that happens
        return not re.search(r"\b(?:began|begun|started|continued|continues|managed)\s+to\s*$",
                             before, re.I)
    return bool(_FUTURE_AFTER.search(sentence[trigger.end:trigger.end + 60]))
