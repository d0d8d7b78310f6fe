"""Which forces a stretch of text names as acting: what may stand in for an unnamed side.

Why a module of its own: an event sentence that names no side ("fighting raged in the
town on Thursday") must not be given one by guesswork. ``geo.enrich`` gives it a side only
where the text itself says who acted: the sentence's own subject or agent (a clause
coordinated with an attributed one, "X has been under siege and shelled by A", names A
in the same sentence), the subject of an earlier sentence of the same paragraph, or the
side the headline names for that town ("A retakes C from B"). This module reads those
texts; it decides nothing about events.

The rules, each pinned by ``tests/test_extract_sides.py``; the words of the rows marked
(roles) are the role table's (``geo.core.roles``), shared with the event extractor:

| construction | example | acting |
|---|---|---|
| subject before its verb | "Kurdish fighters advanced on C" | SDF |
| agent after "by" | "C was shelled by the army" | the army |
| a force after "fell to", "lost to", "surrendered to" | "C falls to IS" | IS |
| fighters "loyal to" A (roles) | "gunmen loyal to the government" | the government |
| an object of a preposition (roles) | "attacks on IS", "from Daesh" | (none) |
| a force listed with another ("by A and B", "A, B and C") | "by the army and Russia" | both |
| a backer, "A-backed", "backed by A", "with the help of A" (roles) | "US-backed forces" | (the backed force only) |
| "A-held", "A-led" (hyphen; roles) vs "A held" | "the IS-held town" / "IS held the town" | (none) / IS |
| "anti-A", "counter-A" (the force finder reads no name glued to a hyphen) | "anti-IS fighters" | (none) |
| the owner of a thing it does not act with | "to break IS's will" | (none; "IS's fighters" act) |
| two hostile sides acting | "IS attacked; Kurds repelled them" | (none: who did what is unsaid) |
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from geo.core import roles
from geo.core.forces import ForceMention, ForceTable

#: Right before a force: the words that make it the winner of a loss ("fell to IS").
_WINNER_BEFORE = re.compile(r"\b(?:fall|falls|fell|fallen|falling|lost|loses|lose|losing|"
                            r"surrender(?:ed|s|ing)?|ceded?|handed\s+over)\s+(?:\w+\s+){0,3}?"
                            r"to\s+(?:the\s+)?$", re.I)
#: Right before a force: the agent of a passive verb or of an event noun ("by the army";
#: a backer's "backed by" is read first: ``geo.core.roles``).
_AGENT_BEFORE = re.compile(r"\bby\s+(?:the\s+)?(?:[\w'-]+\s+)?$", re.I)
#: Words after a force that make it speak about the event, not act in it (the role
#: table's speaker and condemning rows; and "announced", which the event extractor reads
#: as a force telling its own capture, "A announced the liberation of C").
_SPEAKER_AFTER = re.compile(r"(?:['’]s?)?\s+(?:[\w-]+\s+){0,3}?(?:"
                            + roles.alternatives("speaker", "condemning") + r"|announced|announces)\b",
                            re.I)
#: After a speaker's verb: the speaker tells its own act ("A says it has begun").
_OWN_ACT_AFTER = re.compile(r"\s+(?:that\s+)?(?:it|they|its|their)\b", re.I)
#: A possessive of a thing a force does not act with: "to break IS's will", "Russia's
#: defence ministry" (its men, its arms and its operations act: "IS's fighters",
#: "Turkey's offensive").
_OWNER_AFTER = re.compile(r"['’]s?\s+(?!(?:[\w-]+\s+)?(?:fighters|forces|troops|militants|"
                          r"militias?|militiamen|gunmen|soldiers|units|men|army|jets|warplanes|"
                          r"aircraft|planes|drones?|helicopters|artillery|tanks|snipers|"
                          r"operation|offensive|attacks?|assault|campaign|push|advance|strikes|"
                          r"airstrikes|bombardment|siege|forces)\b)", re.I)


#: Between two forces of one list: "A and B", "A, B and C", "A as well as B".
_LISTED = re.compile(r"\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+|\s+as\s+well\s+as\s+|"
                     r"\s+along\s+with\s+)(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+)?", re.I)


def _role(text: str, m: ForceMention, prev: ForceMention | None = None,
          prev_role: str = "") -> str:
    """ "subject", "agent", "winner", "serving", or "" (object, modifier, speaker); a
    force listed with the one before it ("by A and B") has that one's role."""
    before = text[max(0, m.start - roles.WINDOW):m.start]
    if roles.modifier_after(text, m.end):
        return ""
    if prev is not None and _LISTED.fullmatch(text, prev.end, m.start):
        return prev_role
    if _WINNER_BEFORE.search(before):
        return "winner"
    if roles.serves_before(before):
        return "serving"
    if roles.backing_before(before):
        return ""
    if _AGENT_BEFORE.search(before):
        return "agent"
    if roles.object_before(before):
        return ""
    if _OWNER_AFTER.match(text, m.end):
        return ""
    said = _SPEAKER_AFTER.match(text, m.end)
    if said and not _OWN_ACT_AFTER.match(text, said.end()):
        return ""
    return "subject"


def own_word(mentions: Sequence[ForceMention], i: int, text: str = "") -> bool:
    """Whether mention ``i`` is a generic word that only stands beside a named force:
    "militants Kataib Hezbollah", "the Turkish prime minister" (the name says who), or
    serves one named right after it in ``text`` ("jihadists loyal to IS")."""
    m = mentions[i]
    if not m.generic:
        return False
    nxt = mentions[i + 1] if i + 1 < len(mentions) else None
    prev = mentions[i - 1] if i > 0 else None
    return (nxt is not None and nxt.start - m.end <= 2 and not nxt.generic) or (
        prev is not None and m.start - prev.end <= 1 and not prev.generic) or (
        # "jihadists loyal to IS": the generic word serves the named force (its men)
        nxt is not None and not nxt.generic and nxt.start - m.end <= roles.WINDOW and
        roles.serves_before(text[m.end:nxt.start]))


def acting_forces(text: str, forces: ForceTable, country: str = "") -> list[str]:
    """Force ids ``text`` names as doers (table above), in text order, each once;
    placeholders ("government troops") read as the government of ``country``."""
    out: list[str] = []
    mentions = forces.find_mentions(text)
    prev: ForceMention | None = None
    prev_role = ""
    for i, m in enumerate(mentions):
        if own_word(mentions, i, text):
            continue
        role = _role(text, m, prev, prev_role)
        prev, prev_role = m, role
        if not role:
            continue
        fid = forces.local(m.force_id, country)
        if fid in forces and not forces[fid].is_placeholder and fid not in out:
            out.append(fid)
    return out


def one_side(acting: Sequence[str], forces: ForceTable) -> str:
    """The first acting force when every acting force is of one side (allies count as
    one), else "" (two hostile sides: the text does not say which did what)."""
    if not acting:
        return ""
    first = acting[0]
    return first if all(not forces.hostile(first, f) for f in acting[1:]) else ""
