"""The words around a force that tell its role in a sentence, as one table.

Why a module of its own: three readers ask the same question of the same words. The
event extractor (``geo.extract.events``) asks which force before a trigger is its
subject; the side reader (``geo.extract.sides``) asks which forces a text names as
acting; the trigger finder (``geo.extract.triggers``) asks whether a "to" before a
trigger names whom a force serves or an intention. Each once kept its own copy of these
lists, and the copies drifted (one had "answering to", another "subordinate to"; one
modifier list needed a hyphen, another did not), so one sentence read two ways. Every
reader now builds its patterns from the rows below.

| role | construction (A = a force) | example | what A does |
|---|---|---|---|
| serving | fighters loyal (allied, aligned, affiliated, linked, attached, subordinate, answering) to / with A | "Gunmen loyal to the government stormed C" | acts: its men did |
| owner | things belonging to A | "IS attacked vehicles belonging to the army" | is the owner, not the doer (as an object) |
| object | a preposition or a conjunction right before A (of, by, with, from, to, for, between, over, at, on, in, into, inside, around, near, under, toward(s), and, or, alongside, including; "with" covers "together with") | "Jets struck positions of IS" | is acted on, helped or only named |
| target | a word of attack or support right before A (against, targeting, supporting, support, backing, helping, advising, aiding) | "sorties supporting the army" | is attacked or helped, even inside a subject ("members of A" may act, "fighters supporting A" do not make A act) |
| speaker | A (its officials, its spokesman) said (says, told, claimed, reported, stated, insisted, charged, alleged, accused, blamed, denied; each tense: "deny", "blames") | "Turkish officials said the town was quiet" | speaks of the event, does not act in it (unless it tells its own act: "A says it has begun") |
| condemning | A condemned (denounced, deplored, criticised, protested, slammed, decried; each tense: "condemns", "slam") | "The government condemned the raid" | judges the event, did not do it |
| backed-by | A, backed (supported, aided, assisted, helped, accompanied, covered) by B | "Troops backed by Shiite militias retook C" | B backs the actor: an associate |
| with-help | with the help (support, backing, cover, assistance) of / from B | "Kurds advanced with the help of Turkish troops" | B backs the actor: an associate |
| backer | A-backed (-led, -supported, -allied, -aligned, -sponsored, -funded, -armed), with a hyphen | "US-backed fighters entered C" | backs the actor: an associate |
| holder | A-held (-controlled, -occupied, -run, -dominated), with a hyphen | "Troops attacked the IS-held town" | holds a place: the side attacked, not the actor |

Rules of reading, which the rows share:
- a serving word outranks the object reading of its "to" / "with": "loyal to A" names A
  acting though "to A" alone would make A an object; an owner's "to" stays an object's:
  the words say whose, not who acted ("vehicles belonging to the army were hit"), and a
  side left unnamed is safer than a wrong one;
- words of nearness are no serving words: "close to A" is mostly where, not whose
  ("came close to capturing C" tells a capture that did not happen);
- between the role word and the force stand at most "the" ("its", "their") and one word
  ("loyal to the Syrian government", "attacks on Turkish army positions");
- the modifiers need the hyphen: "IS held the town" is IS acting, "the IS-held town" is
  not. The force finder never reads a name glued to a hyphen (``geo.core.forces``), so
  ``MODIFIER_AFTER`` meets the hyphen set apart ("US -led", "USA - backed", as wire copy
  has it), and a name glued before a holder word is read apart by the event extractor
  (``geo.extract.events._hyphen_held``: "the IS-held town" names IS as its holder);
- "-dominated" is a holder only glued to a force ("the YPG-dominated town"); glued to a
  people ("Kurdish-dominated Kirkuk", "Sunni-dominated") it tells who lives there, and
  names no force (the force table holds no bare adjective of a people). Measured: no
  hyphenated "-dominated" in the dev articles or the seeds, so dropping the word changed
  no score; kept for the force-named case;
- for the same reason "anti-IS", "counter-ISIS" name no force at all (no row needed),
  while an alias that spans the hyphen names its own force ("pro-government militias").

What is not here, on purpose: the verbs that make a place name stand for its government
("Baghdad said", "Damascus sent troops": ``geo.extract.events._METONYM_AFTER``) are
a government's acts, not these speaker words ("the battle for Kobani claimed hundreds of
lives" keeps Kobani a place); the trigger words ("fell to", "lost C to") are the trigger
table's (``geo.extract.triggers``).

No row names a place or a person. ``tests/test_roles.py`` pins each row by a sentence
written for it, through the readers that use it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: How many characters before a force the before-patterns read (a role phrase with its
#: gap, "subordinate to the Kurdish ", fits).
WINDOW = 40


@dataclass(frozen=True)
class RoleWords:
    """One row of the table: the words, the construction they make with a force, an
    example sentence written for the row, and the role the force takes there."""

    role: str            # serving | owner | object | target | speaker | condemning | ...
    words: tuple[str, ...]
    construction: str
    example: str
    force: str           # the force's words in the example
    acts: bool           # whether the force is a doer of the example's event


ROLE_WORDS: tuple[RoleWords, ...] = (
    RoleWords("serving", ("loyal", "allied", "aligned", "affiliated", "linked", "attached",
                          "subordinate", "answering"),
              "fighters WORD to (with) A", "Gunmen loyal to the Syrian government stormed "
              "the village.", "Syrian government", acts=True),
    RoleWords("owner", ("belonging",),
              "things WORD to A", "Islamic State militants attacked vehicles belonging to the "
              "Syrian army in the town.", "Syrian army", acts=False),
    RoleWords("object", ("of", "by", "with", "from", "to", "for", "between", "over", "at",
                         "on", "in", "into", "inside", "around", "near", "under", "toward",
                         "towards", "and", "or", "alongside", "including"),
              "WORD (the) A", "Jets struck positions of Islamic State near the town.",
              "Islamic State", acts=False),
    RoleWords("target", ("against", "targeting", "supporting", "support", "backing",
                         "helping", "advising", "aiding"),
              "WORD (the) A", "Jets flew sorties supporting the Syrian army near the town.",
              "Syrian army", acts=False),
    RoleWords("speaker", ("said", "says", "say", "told", "tells", "tell", "claimed", "claims",
                          "claim", "reported", "reports", "stated", "insisted", "insists",
                          "insist", "charged", "alleged", "alleges", "allege", "accused",
                          "accuses", "accuse", "blamed", "blames", "blame", "denied",
                          "denies", "deny"),
              "A (its officials) WORD ...", "Turkish officials said the town was quiet.",
              "Turkish", acts=False),
    RoleWords("condemning", ("condemned", "condemns", "condemn", "denounced", "denounces",
                             "denounce", "deplored", "deplores", "deplore", "criticised",
                             "criticized", "criticises", "criticizes", "criticise", "criticize",
                             "protested", "slammed", "slams", "slam", "decried", "decries",
                             "decry"),
              "A WORD the event", "The Iraqi government condemned the raid on the town.",
              "Iraqi government", acts=False),
    RoleWords("backed-by", ("backed", "supported", "aided", "assisted", "helped",
                            "accompanied", "covered"),
              "A, WORD by B", "Iraqi troops backed by Shiite militias retook the town.",
              "Shiite militias", acts=False),
    RoleWords("with-help", ("help", "support", "backing", "cover", "assistance"),
              "with the WORD of (from) B", "Kurdish fighters advanced with the help of "
              "Turkish troops.", "Turkish troops", acts=False),
    RoleWords("backer", ("backed", "led", "supported", "allied", "aligned", "sponsored",
                         "funded", "armed"),
              "A-WORD fighters", "US-backed Syrian fighters entered the town.", "US",
              acts=False),
    RoleWords("holder", ("held", "controlled", "occupied", "run", "dominated"),
              "the A-WORD town", "Kurdish fighters attacked the Islamic State-held town "
              "on Tuesday.", "Islamic State", acts=False),
)


def words_of(role: str) -> tuple[str, ...]:
    """The words of the table's row for ``role`` (a KeyError names an unknown role)."""
    for row in ROLE_WORDS:
        if row.role == role:
            return row.words
    raise KeyError(f"no role {role!r} in the role table (roles: "
                   f"{', '.join(r.role for r in ROLE_WORDS)})")


def alternatives(*roles: str) -> str:
    """The words of the rows for ``roles`` as a regular-expression alternation
    ("held|controlled|..."), for a reader that builds its own pattern around them."""
    return "|".join(w for role in roles for w in words_of(role))


#: What may stand between a role word and its force: "the" ("its", "their") and one word.
_GAP = r"\s+(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+)?"

#: Right before a force: the words of a "serving" row ("gunmen loyal to the government").
SERVING_BEFORE = re.compile(r"\b(?:" + alternatives("serving") + r")\s+(?:to|with)"
                            + _GAP + "$", re.I)
#: A "to" after a serving or owner row's word: a preposition naming whom a force serves
#: or what belongs to whom, never an infinitive ("fighters loyal to the government
#: recaptured C", "fighters belonging to IS seized C" tell no intention).
PREPOSITION_TO = re.compile(r"\b(?:" + alternatives("serving", "owner") + r")\s+to\b", re.I)
#: Right before a force: an "object" or "target" row ("attacks on IS positions").
OBJECT_BEFORE = re.compile(r"\b(?:" + alternatives("object", "target") + r")" + _GAP + "$",
                           re.I)
#: The words of the "backed-by" and "with-help" rows up to the backer ("backed by ",
#: "with the support of "), for a reader that builds its own pattern around them.
BACKING_PHRASE = (r"(?:(?:" + alternatives("backed-by") + r")\s+by|with\s+(?:the\s+)?(?:"
                  + alternatives("with-help") + r")\s+(?:of|from))")
#: Right before a force: a backing phrase ("Iraqi troops backed by the PMF"): the force
#: backs the actor, it is no agent of the verb though "by" stands before it.
BACKING_BEFORE = re.compile(r"\b" + BACKING_PHRASE + _GAP + "$", re.I)
#: Right before a force: a "target" row or a backing phrase ("fighting against the",
#: "backed by the"): the force is attacked or helps, whatever phrase holds it.
TARGET_BEFORE = re.compile(r"\b(?:" + alternatives("target") + r"|" + BACKING_PHRASE + r")"
                           + _GAP + "$", re.I)
#: Right after a force: the hyphenated words of a "backer" row ("US-backed").
BACKER_AFTER = re.compile(r"\s*-{1,2}\s*(?:" + alternatives("backer") + r")\b", re.I)
#: Right after a force: a "backer" or "holder" row ("US-backed", "IS-held"): the force
#: modifies the one acting, it does not act.
MODIFIER_AFTER = re.compile(r"\s*-{1,2}\s*(?:" + alternatives("backer", "holder") + r")\b",
                            re.I)


def serves_before(window: str) -> bool:
    """Whether the words before a force (its ``WINDOW``) end with a serving row's words:
    the force is the one its men serve, who acts."""
    return SERVING_BEFORE.search(window) is not None


def object_before(window: str) -> bool:
    """Whether the words before a force end with an object row's words and no serving
    row's: the force is acted on, helped or only named, not the doer."""
    return OBJECT_BEFORE.search(window) is not None and SERVING_BEFORE.search(window) is None


def target_before(window: str) -> bool:
    """Whether the words before a force end with a target row's words or a backing
    phrase: the force is attacked or helps, even inside a subject phrase ("fighters
    supporting the army launched ...": the army is not who launched)."""
    return TARGET_BEFORE.search(window) is not None


def modifier_after(text: str, end: int) -> bool:
    """Whether the force ending at ``end`` is a hyphenated backer or holder ("US-backed",
    "IS-held"): it qualifies another force or a place and does not act."""
    return MODIFIER_AFTER.match(text, end) is not None


def backer_after(text: str, end: int) -> bool:
    """Whether the force ending at ``end`` is a hyphenated backer ("US-backed"): an
    associate of the actor (ACLED's associated actor), never the actor."""
    return BACKER_AFTER.match(text, end) is not None


def backing_before(window: str) -> bool:
    """Whether the words before a force end with a backing phrase ("backed by the",
    "with the support of"): the force backs the actor, an associate, never the agent."""
    return BACKING_BEFORE.search(window) is not None
