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
from functools import lru_cache

from geo.core.forces import default_forces
from geo.core.roles import BACKING_PHRASE, PREPOSITION_TO
from geo.core.rulescan import Prefilter, RuleScan
from geo.core.spans import DisjointSpans

CAPTURE, STRIKE, FIGHT, CIVILIANS, STRATEGIC = "capture", "strike", "fight", "civilians", "strategic"

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
STRAT = "Strategic developments"


def _nation_pattern() -> str:
    """The state forces' nation words of the alias table ("Russian", "US"): an
    all-capital one matches only in capitals ("us" is a pronoun)."""
    return "|".join(f"(?-i:{re.escape(w)})" if w.isupper() else re.escape(w)
                    for w in default_forces().nation_words())


#: "Russian strikes", "U.S. strikes": words from data/forces.csv, never listed here.
_NATION_WORDS = _nation_pattern()


#: What a strike or a fight destroys that is no civilian property: "destroyed 600 fighting
#: positions", "destroyed three tanks" (the strike or the fight is the event).
_MILITARY_OBJECTS = (r"(?:(?:fighting\s+|defensive\s+)?positions|weapons|vehicles|tanks|artillery|"
                     r"launchers|mortars|bunkers|tunnels|checkpoints|command\s+(?:posts|centres|"
                     r"centers)|armou?red|technicals|ammunition|drones|boats)\b")


@dataclass(frozen=True)
class TriggerRule:
    """One row of the trigger table: the words (a regular expression), what they signal,
    where the roles are (``kind``), how strong they are, and an example sentence with what
    it yields. Every example is run by ``tests/test_extract_triggers.py``, so the table
    and the behaviour cannot drift apart."""

    pattern: str
    cls: str
    event_type: str
    sub_event_type: str
    #: active | passive | fall | loss | nominal | between | support | holding | expelled |
    #: direct (active, and the place must follow the verb at once: "took Suluk") |
    #: fell (intransitive: "C fell on Friday"; the place right before the verb) |
    #: came_under (the subject was attacked: "came under fire from A") | withdrawal (the
    #: subject gave the place up: "withdrew from C") | held_by
    #: (a passive holding: "X had been held by A since 2014") | under ("X has been under A's
    #: control since 2014": the force is inside the words)
    kind: str = "active"
    strength: float = 1.0     # 1 strong, 0.5 weak (needs a place next to it)
    example: str = ""         # a sentence written for this row (never copied from an article)
    yields: str = ""          # "class @ place, actor1 > actor2" the example must give


@dataclass(frozen=True, slots=True)
class Trigger:
    start: int
    end: int
    text: str
    rule: TriggerRule


#: "assault rifles", "assault weapons": a kind of arm, no assault.
_ASSAULT_ARMS = r"\s+(?:rifles?|weapons?|guns?|boats?)\b"
_CAP = "Non-state actor overtakes territory"   # refined to "Government regains" by actor
_AUX = r"(?-i:was|were|been|being|is|are|had\s+been|has\s+been|have\s+been)"
RULES: tuple[TriggerRule, ...] = (
    # --- civilians seized to be used as human shields: an abduction by those who seized
    # them (before the capture rows: "seizing civilians" takes no place) ---
    TriggerRule(r"\b(?:seiz(?:ed|ing)|took|taking|rounded\s+up|rounding\s+up|herded)\s+"
                r"(?:[\w,-]+\s+){0,4}?(?:civilians|residents|villagers|families|people)\b"
                r"(?=[^.;]{0,30}\bhuman\s+shields?\b)",
                CIVILIANS, VAC, "Abduction/forced disappearance",
                example="Islamic State fighters fled Hawija on Friday, seizing some 300 civilians "
                        "to use as human shields.",
                yields="civilians @ Hawija, IS >"),
    # --- attempts: a failed or ongoing try to take a place is fighting there ---
    TriggerRule(r"\b(?:tr(?:y|ies|ied|ying)|attempt(?:s|ed|ing)?|sought|seeking)\s+to\s+"
                r"(?:capture|storm|seize|take|retake|recapture|overrun|enter|break\s+into)\b",
                FIGHT, BATTLES, "Armed clash",
                example="Islamic State militants tried to storm Kirkuk on Tuesday.",
                yields="fight @ Kirkuk, IS >"),
    # "moved in to retake C": the move *into* the town is told as done (an entry, as
    # "entered"); the purpose words belong to the trigger, so they are no intention.
    TriggerRule(r"\b(?:moved|swept|rolled|marched|pushed)\s+in\s+to\s+(?:re-?take|recapture|"
                r"reclaim|liberate|seize|capture|take\s+back|clear)\b",
                CAPTURE, BATTLES, _CAP,
                example="Smoke hung over the town as Kurdish fighters moved in to retake "
                        "Sinjar on Friday.",
                yields="capture @ Sinjar, PESH >"),
    # "came under (heavy) fire from A": the subject was attacked, A attacked
    TriggerRule(r"\b(?:came|come|comes|coming)\s+under\s+(?:(?:heavy|intense|fierce|sustained|"
                r"repeated|renewed|constant|a|an|new|fresh)\s+){0,2}(?:(?:mortar|rocket|artillery|"
                r"tank)\s+)(?:fire|attacks?|barrages?|bombardment)\b", STRIKE, REMOTE,
                "Shelling/artillery/missile attack", "came_under",
                example="Iraqi troops came under heavy mortar fire from Islamic State militants in "
                        "Ramadi on Monday.",
                yields="strike @ Ramadi, IS > ISF"),
    TriggerRule(r"\b(?:came|come|comes|coming)\s+under\s+(?:(?:heavy|intense|fierce|sustained|"
                r"repeated|renewed|constant|a|an|new|fresh|sniper|machine-gun)\s+){0,2}"
                r"(?:fire|attacks?|assaults?)\b", FIGHT, BATTLES, "Armed clash", "came_under",
                example="Kurdish fighters in Afrin came under attack from Turkish-backed rebels on "
                        "Sunday.",
                yields="fight @ Afrin, FSA > SDF"),
    # "B withdrew from C", "B pulled out of C": C changed hands; B lost it (the taker is
    # named only by a to-phrase: "handing it over to A")
    TriggerRule(r"\b(?:withdr[ae]w|withdrawn|withdrawing|withdraws|retreated|retreating|retreats|"
                r"pulled\s+out|pulling\s+out|pulls\s+out)\s+(?:(?:completely|fully|entirely|"
                r"hastily|quietly|overnight|all\s+(?:their|its)\s+(?:forces|fighters|troops)|"
                r"(?:their|its)\s+(?:forces|fighters|troops))\s+)?(?:from|of)\b", CAPTURE, BATTLES,
                _CAP, "withdrawal",
                example="Syrian troops withdrew from Palmyra on Sunday as Islamic State fighters "
                        "advanced.",
                yields="capture @ Palmyra,  > SYR"),
    # --- captures: passive and "fall" forms first (they decide where the actor is) ---
    TriggerRule(_AUX + r"\s+(?:\w+\s+)?"
                r"(?:seized|captured|recaptured|retaken|re-taken|overrun|liberated|taken\s+over|"
                r"stormed|conquered|freed|regained|cleared)(?=\s+(?:by|from|in|on|last|after|during)\b)",
                CAPTURE, BATTLES, _CAP, "passive",
                example="Tikrit was retaken by Iraqi forces on Tuesday.",
                yields="capture @ Tikrit, ISF >"),
    TriggerRule(r"(?<=,\s)(?:a|the)\s+(?:\w+\s+){0,2}(?:seized|captured|taken|overrun|liberated|"
                r"recaptured|retaken)\s+(?=by\b)", CAPTURE, BATTLES, _CAP, "passive",
                example="Fighting raged in Raqqa, a city seized by the Islamic State in 2014.",
                yields="capture @ Raqqa, IS >"),
    TriggerRule(r"\bto\s+(?:be|have\s+been)\s+(?:seized|captured|recaptured|retaken|"
                r"overrun|liberated|taken|freed|cleared)\b", CAPTURE, BATTLES, _CAP, "passive",
                example="Hit and Rutba were the first towns to be retaken from the jihadists.",
                yields="capture @ Rutba,  > IS"),
    TriggerRule(_AUX + r"\s+(?:\w+\s+)?shelled(?=\s+(?:repeatedly\s+)?by\b)", STRIKE, REMOTE,
                "Shelling/artillery/missile attack", "passive",
                example="Tal Rifaat was shelled by Turkish forces on Saturday.",
                yields="strike @ Tal Rifaat, TUR >"),
    TriggerRule(_AUX + r"\s+(?:\w+\s+)?(?:bombed|pounded|bombarded|struck|targeted|hit)"
                r"(?=\s+(?:repeatedly\s+)?by\b)", STRIKE, REMOTE, "Air/drone strike", "passive",
                example="Kurdish fighters in Afrin were targeted by Turkish jets on Saturday.",
                yields="strike @ Afrin, TUR >"),
    TriggerRule(r"(?:seized|captured|recaptured|retaken|overrun|liberated)\s+(?=by\b)",
                CAPTURE, BATTLES, _CAP, "passive",
                example="Residents fled Mosul, overrun by Islamic State in June 2014.",
                yields="capture @ Mosul, IS >"),
    TriggerRule(r"\b(?:fell|falls|fallen|falling|fall)\s+(?:\w+\s+)?to\b(?=\s+(?:the\s+)?[A-Z])",
                CAPTURE, BATTLES, _CAP, "fall",
                example="Ramadi fell to Islamic State fighters in May 2015.",
                yields="capture @ Ramadi, IS >"),
    # "was lost to IS" reads as "fell to IS", before a name only ("lost to looting")
    TriggerRule(r"\b(?:was|were|(?:had|has|have)\s+been)\s+lost\s+to\b"
                r"(?=\s+(?:the\s+)?(?-i:[A-Z]))", CAPTURE, BATTLES, _CAP, "fall",
                example="Hit was lost to Islamic State fighters in October 2014.",
                yields="capture @ Hit, IS >"),
    # "Rawa fell on Friday": the town's holder lost it, the taker unnamed (the place
    # must stand right before the verb: "prices fell on Monday" names none)
    TriggerRule(r"\b(?:fell|has\s+fallen|had\s+fallen)(?=\s*(?:on\b|in\s+(?:early\s+|late\s+|mid-?)?"
                r"(?:[A-Z]|\d)|last\b|earlier\b|yesterday\b|overnight\b|after\b|within\b|[,.;]))",
                CAPTURE, BATTLES, _CAP, "fell",
                example="The militants' last stronghold in the country, Rawa, fell on Friday.",
                yields="capture @ Rawa,  >"),
    TriggerRule(r"\blost\s+(?:(?:full|complete|total)\s+)?control\s+(?:of|over)\b|"
                r"\b(?:lost|surrendered|ceded)\s+(?=(?:it|the\s+\w+|(?:its|their)\s+(?:[\w-]+\s+){0,4}?"
                r"[A-Z][\w'’-]+|[A-Z][\w'’-]+)(?:\s+(?:[A-Z]|(?:al|el|ash|as|ad|ar|az|an|at)-)"
                r"[\w'’-]+){0,2}\s+to\b)", CAPTURE, BATTLES, _CAP,
                "loss", example="The Syrian army lost Palmyra to Islamic State in December 2016.",
                yields="capture @ Palmyra, IS > SYR"),
    TriggerRule(r"\b(?:the\s+)?(?:fall|capture|recapture|takeover|seizure|liberation)\s+"
                r"(?:(?:in|on|last)\s+\w+\s+(?:\d{4}\s+)?)?of\b",
                CAPTURE, BATTLES, _CAP, "nominal",
                example="The recapture of Hit by Iraqi troops was announced on Friday.",
                yields="capture @ Hit, ISF >"),
    # "the loss of C to A": the to-phrase names the taker (only with it: "the loss of
    # Ramadi" alone, or "the loss of 20 soldiers", names none; not after a possessive:
    # "the army's loss of C" names the loser where "A's capture of C" names the taker)
    TriggerRule(r"(?<!['’]s\s)\bloss\s+of\b(?=\s+(?:the\s+)?(?:[\w'’-]+\s+){1,4}?to\s+(?:the\s+)?(?-i:[A-Z]))",
                CAPTURE, BATTLES, _CAP, "nominal",
                example="The loss of Ramadi to Islamic State in May 2015 was a blow to the "
                        "government.",
                yields="capture @ Ramadi, IS >"),
    TriggerRule(r"\btakeover\s+of\b", CAPTURE, BATTLES, _CAP, "nominal",
                example="The Islamic State takeover of Sinjar in August 2014 shocked the world.",
                yields="capture @ Sinjar, IS >"),
    TriggerRule(r"\bfallen\b(?=\s+(?:\w+\s+){0,3}(?:city|town|village)\b)", CAPTURE, BATTLES,
                _CAP, "nominal",
                example="Smoke rose over the fallen city of Tikrit on Monday.",
                yields="capture @ Tikrit,  >"),
    TriggerRule(r"\b(?:br(?:oke|eak|eaking|oken)|lift(?:ed|ing)?|end(?:ed|ing)?)\s+(?:the\s+|a\s+)?"
                r"(?:[\w-]+\s+){0,2}siege\s+(?:of|on|(?:imposed|laid)\s+(?:by\s+(?:[\w-]+\s+){1,3}?)?on)\b", CAPTURE, BATTLES, _CAP,
                example="Syrian troops broke the siege of Kuweires air base on Tuesday.",
                yields="capture @ Kuweires, SYR >"),
    TriggerRule(r"\b(?:br(?:oke|eak|eaking|oken)|lift(?:ed|ing)?|end(?:ed|ing)?)\s+the\s+"
                r"(?:[\w-]+\s+){0,2}siege\b(?!\s+(?:of|on|imposed|laid)\b)", CAPTURE, BATTLES, _CAP,
                example="Syrian troops had been besieged in Deir ez-Zor for three years. In "
                        "September, Syrian troops broke the siege.",
                yields="capture @ Deir ez-Zor, SYR >"),
    TriggerRule(r"\b(?:seized|seizes|seize|seizing|captured|captures|capture|capturing|recaptured|"
                r"recapture|recapturing|retook|retake|retakes|retaken|retaking|re-took|overran|"
                r"overrun|overrunning|conquered|conquer|liberated|liberate|liberating|regained|"
                r"regain|reclaimed|reclaim|stormed|storm|wrested|routed|rout|"
                r"(?:freed|freeing)(?=\s+(?:[A-Z]|the\s+(?:[\w-]+\s+){0,2}(?:town|city|village|district)\b)))\b"
                r"(?:\s+(?:full\s+|complete\s+|total\s+)?control\s+(?:of|over))?",
                CAPTURE, BATTLES, _CAP,
                example="Kurdish Peshmerga forces recaptured Sinjar from Islamic State on Friday.",
                yields="capture @ Sinjar, PESH > IS"),
    TriggerRule(r"\b(?:(?:took|taken|take|gained|seized|assumed|wrested|regained)(?:\s+back)?|"
                r"consolidat(?:ed|ing)(?:\s+(?:their|its|his))?)\s+"
                r"(?:(?:near|almost|nearly|full|complete|total|effective|partial)[\s-]+){0,2}"
                r"control\s+(?:(?:on|late|early)\s+(?:on\s+)?[A-Z][a-z]+day\s+)?(?:of|over)\b",
                CAPTURE, BATTLES, _CAP,
                example="Iraqi forces took full control of Rutba on Thursday.",
                yields="capture @ Rutba, ISF >"),
    TriggerRule(r"\b(?:(?-i:is|was|are|were)|now|remain(?:ed|s)?)\s+(?:\w+\s+){0,2}in\s+"
                r"(?:(?:almost|nearly|near|full|complete|total|effective)\s+){0,2}control\s+of\b",
                CAPTURE, BATTLES, _CAP,
                example="The Syrian army said it was in full control of Deir ez-Zor on Friday.",
                yields="capture @ Deir ez-Zor, SYR >"),
    TriggerRule(_AUX + r"\s+(?:\w+\s+)?(?:driven|pushed|forced|kicked|chased|routed)\s+"
                r"out\s+of\b|\b" + _AUX + r"\s+(?:\w+\s+)?(?:expelled|ousted|driven|routed)\s+from\b",
                CAPTURE, BATTLES, _CAP, "expelled",
                example="The jihadists were driven out of Manbij by the Syrian Democratic Forces.",
                yields="capture @ Manbij, SDF > IS"),
    TriggerRule(r"\b(?:drove|driven|pushed|expelled|ousted|kicked|routed|chased|cleared|forced|"
                r"flushed)\s+(?:[\w'-]+\s+){1,5}(?:out\s+of|from)\b|"
                r"\b(?:drove|driving|drive|pushed|pushing|forced|forcing|kicked|kicking|chased|chasing)"
                r"\s+(?:them|it|the\s+(?:militants|jihadists|fighters|insurgents|rebels|group))\s+out\b",
                CAPTURE, BATTLES, _CAP,
                example="Syrian Democratic Forces drove Islamic State fighters out of Tabqa on Sunday.",
                yields="capture @ Tabqa, SDF > IS"),
    TriggerRule(r"\b(?:took|taken|take|taking)\s+over\b(?!\s+(?:as|from\s+\w+\s+as)\b)|"
                r"\b(?:took|taken|taking|seized|won)\s+back\b(?!\s+control\b)|"
                r"\bcleared\b(?=\s+(?:[\w'-]+\s+){1,4}?of\s+(?:the\s+)?(?:remaining\s+|last\s+)?"
                r"(?:[A-Z]|militants|jihadists|fighters|insurgents|rebels)|\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}"
                r"(?:town|city|village|district)\s+of\s+[A-Z])",
                CAPTURE, BATTLES, _CAP,
                example="Turkish-backed rebels took over Jarabulus on Wednesday.",
                yields="capture @ Jarabulus, FSA >"),
    TriggerRule(r"\b(?:end(?:ed|ing)?|ends)\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){0,3}?(?:rule|occupation|"
                r"control)\s+(?:of|over|in)\b", CAPTURE, BATTLES, _CAP,
                example="Iraqi forces ended the militants' two-year rule over Rutba on Thursday.",
                yields="capture @ Rutba, ISF >"),
    TriggerRule(r"\b(?:claim(?:ed|ing)?|declar(?:ed|ing|es))\s+(?:\w+\s+)?victory\s+(?:over|in|against)\b",
                CAPTURE, BATTLES, _CAP,
                example="Iraqi forces declared victory over Islamic State in Fallujah on Sunday.",
                yields="capture @ Fallujah, ISF > IS"),
    TriggerRule(r"\b(?:entered|broke\s+(?:back\s+)?into|marched\s+into|surged\s+into|"
                r"stormed\s+into|swept\s+into|rolled\s+into)\b",
                CAPTURE, BATTLES, _CAP,
                example="Iraqi troops entered Qayyarah on Wednesday after a week of fighting.",
                yields="capture @ Qayyarah, ISF >"),
    TriggerRule(r"\b(?:(?:has|had|have)\s+been|was|is|were|remained|remains)\s+under\s+(?:the\s+)?"
                r"(?:[\w'-]+\s+){1,4}?(?:control|rule|occupation)\b(?=[^.;]{0,40}\bsince\b)",
                CAPTURE, BATTLES, _CAP, "under",
                example="Raqqa has been under Islamic State control since January 2014.",
                yields="capture @ Raqqa, IS >"),
    TriggerRule(r"\bnow\s+(?:(?:fully|completely|entirely|firmly)\s+)?under\s+(?:the\s+)?"
                r"(?:(?:full|complete|total)\s+)?control\s+of\b", CAPTURE, BATTLES, _CAP, "under",
                example="Ramadi is now fully under the control of Iraqi forces, officials said.",
                yields="capture @ Ramadi, ISF >"),
    TriggerRule(r"\b(?:had|has|have)\s+been\s+(?:held|controlled|occupied|ruled)\s+(?=by\b[^.;]{0,60}"
                r"\b(?:since|for)\b)", CAPTURE, BATTLES, _CAP, "held_by",
                example="Rutba had been held by Islamic State since 2014, residents said.",
                yields="capture @ Rutba, IS >"),
    # the same holding in the present tense, as wire English often puts it: "X is (are)
    # still held by IS since 2014" (a holding that began with a capture at that time)
    TriggerRule(r"\b(?:is|are|remains?|remained)\s+(?:still\s+)?(?:held|controlled|occupied|"
                r"ruled)\s+(?=by\b[^.;]{0,60}\bsince\b)", CAPTURE, BATTLES, _CAP, "held_by",
                example="The towns of Hawija and Tal Afar are still held by Islamic State since "
                        "2014, officials said.",
                yields="capture @ Hawija, IS >"),
    # appositive holdings: ", held by IS since 2014," / ", under IS control since 2014,"
    # describe the place before them; the holding began with a capture
    TriggerRule(r"(?<=,\s)(?:held|controlled|occupied|ruled)\s+(?=by\b[^.;,]{0,60}"
                r"\b(?:since|for)\b)", CAPTURE, BATTLES, _CAP, "held_by",
                example="Rutba, held by Islamic State since 2014, was quiet on Tuesday, "
                        "residents said.",
                yields="capture @ Rutba, IS >"),
    TriggerRule(r"(?<=,\s)under\s+(?:the\s+)?(?:[\w'-]+\s+){1,4}?(?:control|rule|occupation)\b"
                r"(?=[^.;,]{0,40}\bsince\b)", CAPTURE, BATTLES, _CAP, "under",
                example="Tal Afar, under Islamic State control since 2014, was quiet on "
                        "Sunday, residents said.",
                yields="capture @ Tal Afar, IS >"),
    TriggerRule(r"\b(?:had|has|have)\s+(?:\w+\s+)?(?:held|controlled|occupied|ruled)\b(?=[^.;]{0,60}"
                r"\b(?:since|for)\b)", CAPTURE, BATTLES, _CAP, "holding",
                example="The Peshmerga had held Kirkuk since 2014, when the army fled.",
                yields="capture @ Kirkuk, PESH >"),
    # the same holding told with a noun: "(who) have been in control of X since 2014"
    TriggerRule(r"\b(?:had|has|have)\s+been\s+in\s+(?:full\s+|sole\s+)?(?:control|charge)\s+of\b"
                r"(?=[^.;]{0,60}\bsince\b)", CAPTURE, BATTLES, _CAP, "holding",
                example="Kurdish fighters, who have been in control of Qamishli since 2012, "
                        "held a parade on Monday.",
                yields="capture @ Qamishli, SDF >"),
    TriggerRule(r"\b(?:(?:has|had|have)\s+been|was|were|is|are|remained|remains)\s+in\s+the\s+"
                r"hands\s+of\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?[\w'-]+(?=\s+since\b)",
                CAPTURE, BATTLES, _CAP, "under",
                example="Manbij has been in the hands of Islamic State since January 2014.",
                yields="capture @ Manbij, IS >"),
    TriggerRule(r"\b(?:took|taken|takes|taking)\b(?=\s+(?:(?:the|a)\s+(?:[\w-]+\s+){0,2}?"
                r"(?:town|city|village|district|base|airport|air\s+base|refinery|dam)\b|"
                r"(?:al-|el-)?[A-Z][a-z]))(?!\s+(?:over|control|part|place|hold|refuge|"
                r"responsibility|office|power|shelter|cover|aim)\b)",
                CAPTURE, BATTLES, _CAP, "direct",
                example="Kurdish fighters took Suluk on Tuesday after a week of fighting.",
                yields="capture @ Suluk, SDF >"),
    # "securing the Ramadi area earlier this year": the gerund only before a name ("securing
    # the release", "securing polling stations in X", "securing X's funds" are no capture)
    TriggerRule(r"\bsecured\b|\bsecuring\b(?=\s+(?:the\s+)?(?:al-|el-)?(?-i:[A-Z])[\w-]*"
                r"(?:\s+(?-i:[A-Z])[\w-]*){0,2}\b(?!['’]))", CAPTURE, BATTLES, _CAP, "active",
                0.5,
                example="Government troops secured Qaryatain on Monday.",
                yields="capture @ Qaryatain, SYR >"),
    # --- strikes ---
    TriggerRule(r"\b(?:(?:close\s+)?air|aerial|fire|artillery)\s+(?:support|cover|power|offensive)\b|"
                r"\b" + BACKING_PHRASE + r"\s+(?:the\s+)?(?:[\w.-]+\s+){0,3}?"
                r"(?:air\s+force|warplanes|jets|aircraft|drones|helicopters)\b|"
                r"\bairpower\b|\bunder\s+the\s+cover\s+of\s+(?:\w+\s+)?air\s*strikes\b",
                STRIKE, REMOTE, "Air/drone strike", "support",
                example="Iraqi troops advanced in Baiji with air support from the US-led coalition.",
                yields="strike @ Baiji, US >"),
    TriggerRule(r"\b(?:air|drone|aerial)[\s-]?(?:strikes?|raids?|attacks?|assaults?|bombardment|campaign)\b|"
                r"\bairstrikes?\b|\bbombing\s+(?:raids?|campaign)\b|\bbarrel[\s-]+bombs?\b|"
                r"\b(?:warplanes?|jets?|aircraft|planes?|helicopters?|drones?)\s+(?:\w+\s+)?"
                r"(?:(?:began|begun|started|continued|kept)\s+)?"
                r"(?:struck|strike|striking|bombed|bombing|hit|hitting|pounded|pounding|targeted|"
                r"targeting|attacked|attacking|killed|raided|destroyed|carried\s+out)\b|"
                r"\bbombed\b|\bbombarded\b|\bbombardments?\b|"
                r"\b(?:air\s*)?strikes?\s+(?:also\s+)?(?:hit|struck|targeted|pounded|killed|destroyed)\b",
                STRIKE, REMOTE, "Air/drone strike",
                example="Russian warplanes bombed Talbiseh on Wednesday.",
                yields="strike @ Talbiseh, RUS >"),
    TriggerRule(r"\b(?:carried\s+out|launched|conducted|flew|made)\s+[\"“]?(?:[\w-]+\s+){0,4}?(?:strikes?|"
                r"sorties|air\s+raids?|raids)\b|"
                r"\b(?:the|these|those|its|their)\s+strikes\b",
                STRIKE, REMOTE, "Air/drone strike",
                example="Coalition warplanes carried out 12 strikes against Islamic State near Raqqa.",
                yields="strike @ Raqqa, US > IS"),
    TriggerRule(r"\b(?:regime|government|coalition|" + _NATION_WORDS + r")\s+(?:air\s+)?strikes\b",
                STRIKE, REMOTE, "Air/drone strike",
                example="Russian strikes hit Saraqib on Tuesday, killing 12 people.",
                yields="strike @ Saraqib, RUS >"),
    TriggerRule(r"\b(?:fighters|soldiers|troops|militants|jihadists|policemen|members|rebels|"
                r"servicemen|militiamen)\s+(?:\w+\s+){0,2}(?:were|have\s+been|had\s+been)\s+killed\b",
                FIGHT, BATTLES, "Armed clash",
                example="At least six Iraqi soldiers were killed in Baiji on Thursday.",
                yields="fight @ Baiji,  > ISF"),
    TriggerRule(r"\b(?:chemical|sarin|chlorine|poison\s+gas|toxic\s+gas|gas)\s+(?:weapons?\s+)?"
                r"(?:attacks?|strikes?|bombs?)\b|\btargeted\s+with\s+(?:sarin|chlorine|(?:\w+\s+)?gas)\b",
                STRIKE, REMOTE, "Chemical weapon",
                example="A chemical attack killed dozens of people in Khan Shaykhun on Tuesday.",
                yields="strike @ Khan Shaykhun,  >"),
    TriggerRule(r"\b(?:shell(?:ed|ing)|artillery(?:\s+fire)?|mortars?(?:\s+(?:fire|rounds|shells|attacks?))?|"
                r"launch(?:ed|es|ing)?\s+(?:a\s+)?(?:mortar|missiles?|rockets?)|"
                r"(?:rockets?|missiles?)\s+(?:were|was|have been|had been)\s+fired|"
                r"fired\s+(?:\w+\s+)?(?:rockets?|missiles?|mortars?)|"
                r"(?:rocket|missile|mortar)\s+(?:attacks?|strikes?|fire|barrage)|"
                r"(?:rockets?|missiles?|mortar\s+(?:shells?|rounds?|bombs?)|shells)\s+"
                r"(?:(?:fired|launched)\s+(?:by|from)\s+(?:the\s+)?(?:[\w'-]+\s+){1,5}?)?"
                r"(?:hit|struck|slammed\s+into|crashed\s+into|landed\s+(?:in|on|near)|"
                r"rained\s+down\s+on))\b",
                STRIKE, REMOTE, "Shelling/artillery/missile attack",
                example="Turkish artillery shelled YPG positions near Afrin on Friday.",
                yields="strike @ Afrin, TUR > SDF"),
    TriggerRule(r"\bsuicide\s+(?:bomb(?:ing|er|ers|s)?|attacks?|car\s+bombs?|vests?|truck\s+bombs?)\b",
                STRIKE, REMOTE, "Suicide bomb",
                example="An Islamic State suicide bomber killed 12 people in Baghdad on Monday.",
                yields="strike @ Baghdad, IS >"),
    TriggerRule(r"\b(?:roadside\s+bombs?|cars?\s+bombs?|truck\s+bombs?|VBIEDs?|IEDs?|improvised\s+"
                r"explosive\s+devices?|landmines?|bomb\s+(?:attack|blast|explosion)s?|explosions?|"
                r"blasts?)\b", STRIKE, REMOTE, "Remote explosive/landmine/IED",
                example="A car bomb exploded in Tikrit on Saturday, police said.",
                yields="strike @ Tikrit,  >"),
    TriggerRule(r"\b(?:bombings?|bomb\s+attacks?|bombs?(?=\s+(?:went\s+off|exploded|ripped|tore|"
                r"struck|hit|killed)))\b", STRIKE, REMOTE, "Remote explosive/landmine/IED",
                example="Islamic State claimed the bombing in Karrada on Sunday.",
                yields="strike @ Karrada, IS >"),
    # --- civilians ---
    TriggerRule(r"\b(?:kidnapp(?:ed|ing)|abduct(?:ed|ing|ion|ions)|enslav(?:ed|ing|ement)|"
                r"took\s+(?:\w+\s+){0,3}hostage)\b",
                CIVILIANS, VAC, "Abduction/forced disappearance",
                example="Islamic State militants abducted 40 villagers near Kirkuk on Sunday.",
                yields="civilians @ Kirkuk, IS >"),
    TriggerRule(r"\b(?:opened|opening|opens)\s+fire\s+on\s+(?:(?:a|the|unarmed|peaceful|fleeing|"
                r"crowds?\s+of)\s+)*(?:civilians|protesters|demonstrators|crowds?|worshipp?ers|"
                r"mourners|passengers|residents|villagers|shoppers|families|people)\b",
                CIVILIANS, VAC, "Attack",
                example="Gunmen opened fire on worshippers leaving a mosque in Kirkuk on Friday.",
                yields="civilians @ Kirkuk,  >"),
    TriggerRule(r"\b(?:executed|execution(?:s)?\s+of|massacred?|beheaded|killed\s+(?:\d+\s+|dozens\s+of\s+)?"
                r"civilians|expell(?:ed|ing)\s+(?:\w+\s+)?(?:residents|civilians|families|people))\b",
                CIVILIANS, VAC, "Attack",
                example="Islamic State fighters executed 20 men in Palmyra on Friday.",
                yields="civilians @ Palmyra, IS >"),
    TriggerRule(r"\b(?:destroyed(?!\s+(?:[\w,-]+\s+){0,5}?" + _MILITARY_OBJECTS + r")|demolished|"
                r"blew\s+up|blown\s+up|looted|looting|torched|burned\s+down|"
                r"razed|set\s+(?:\w+\s+){0,2}(?:ablaze|alight|on\s+fire)|set\s+fire\s+to)\b",
                CIVILIANS, STRAT, "Looting/property destruction",
                example="Retreating militants set oil wells ablaze near Qayyarah on Sunday.",
                yields="strategic @ Qayyarah, IS >"),
    TriggerRule(r"\b(?:arrested|detained|rounded\s+up)\b", STRATEGIC, STRAT, "Arrests", "active", 0.5,
                example="Iraqi police arrested 12 suspects in Kirkuk on Monday.",
                yields="strategic @ Kirkuk, ISF >"),
    # --- fighting ---
    TriggerRule(r"\b(?:clash(?:es)?|fighting|battles?)\s+(?:(?:erupted|broke\s+out|raged|"
                r"continued|flared|resumed)\s+)?between\b", FIGHT, BATTLES, "Armed clash",
                "between",
                example="Clashes between the SDF and Islamic State fighters continued in Manbij on Monday.",
                yields="fight @ Manbij, SDF > IS"),
    TriggerRule(r"\b(?:clash(?:es|ed)?|fighting(?!\s+(?:positions?|vehicles?|age|season|units?|"
                r"groups?|force))|fought(?!\s+off\b)|firefights?|gun\s*battles?|skirmish(?:es)?|"
                r"ambush(?:ed|es)?|besieg(?:ed|ing)|encircl(?:ed|ing|ement)|surrounded|surrounding(?!\s+(?:[\w-]+\s+)?(?:areas?|villages?|"
                r"countryside|region|towns?|cities|desert|hills|neighbou?rhoods?|districts?|"
                r"provinces?|territory|farmland|land|streets)\b)|combat|"
                r"attack(?:ed|ing)?|assault(?:ed|ing)?(?!" + _ASSAULT_ARMS + r")|battl(?:ed|ing)|overwhelmed|"
                r"mopp(?:ed|ing)[\s-]up)\b", FIGHT, BATTLES, "Armed clash",
                example="Iraqi troops fought Islamic State militants in Hawija on Tuesday.",
                yields="fight @ Hawija, ISF > IS"),
    TriggerRule(r"\b(?:battle|offensive|counter[\s-]?offensive|siege|assault(?!" + _ASSAULT_ARMS + r")|attacks?|operations?|"
                r"campaign|push|advances?|advanced|advancing|reached|reaching)\b", FIGHT, BATTLES,
                "Armed clash", "active", 0.5,
                example="Iraqi forces advanced on Tal Afar on Sunday.",
                yields="fight @ Tal Afar, ISF >"),
    TriggerRule(r"\b(?:crossed|moved|pushed|advanced|pressed)\s+(?:(?:deeper|further|farther)\s+)?into\b|"
                r"\bmaking\s+gains\b", FIGHT, BATTLES,
                "Armed clash", "active", 0.5,
                example="Turkish troops crossed into Jarabulus on Wednesday.",
                yields="fight @ Jarabulus, TUR >"),
)
_COMPILED = [(re.compile(r.pattern, re.I), r) for r in RULES]
#: The rules, each tried only where one of the words its matches start with stands: one
#: pass over a sentence finds those words for all the rules (the ~40 passes of the rules
#: one by one were a tenth of extraction in text dense with events).
_SCAN = RuleScan(_COMPILED)

#: The verbs of a denial in every tense ("denied", "denies", "deny", "denying"): what
#: they deny is no event, whether a gerund ("IS denies shelling C") or a clause ("denies
#: that IS seized C", ``geo.extract.events``) follows. (Word forms, not a lemma: headlines
#: tell in the present what articles tell in the past.)
DENYING = ("denied", "denies", "deny", "denying")
#: Verbs that deny a report they name ("rejects claims that", "dismissed reports that"),
#: every tense; alone they deny nothing ("rejected an offer", "disputed the town").
DISMISSING = ("dismissed", "dismisses", "dismiss", "dismissing", "rejected", "rejects",
              "reject", "rejecting", "refuted", "refutes", "refute", "refuting", "disputed",
              "disputes", "dispute", "disputing")

#: Words just before a trigger that make it an intention, a forecast or a condition.
_HYPOTHETICAL = Prefilter.compile(
    r"(?:\bto(?:\s+\w+ly)?(?:\s+\w+){0,1}|\b(?:will|would|could|might|(?-i:may)|should|can|must)(?:\s+\w+){0,2}|"
    r"\bexpected\s+to|\bany|"
    r"\bplan(?:s|ned|ning)?\s+to|\bprepar\w*\s+(?:to|for)|\bbid\s+to|\baim\w*\s+to|\battempt\w*\s+to|"
    r"\bvow\w*\s+to|\bthreat\w*(?:\s+\w+){0,3}|\buntil\b.*|\bawait\w*|\bif\b.*|\bunless\b.*|"
    r"\bupon\s+its|\bready\s+for|\bpossible|\bpotential|\bfuture|\bnext|\bupcoming|\bimminent|"
    r"\b(?:way|path|road|stage|ground)\s+for|\bahead\s+of|\bin\s+preparation\s+for|"
    r"\bfailed\s+to|\bdid\s+not|\bdidn't|\bnever|\bno|\b(?:" + "|".join(DENYING) + r")|\brumou?rs?\s+of|\bstrategy\s+of|"
    r"\b(?:has|have|had|was|were|is|are)\s+not(?:\s+yet)?|\b(?:hasn't|haven't|hadn't|wasn't|weren't)|"
    r"\byet\s+to)"
    r"(?:\s+\w+){0,3}\s*$", re.I)
#: "the first two towns to be captured": a record of what happened, not an intention.
#: ("last month to retake X" is a date and an intention: no record)
_FIRST_TO_BE = Prefilter.compile(r"\b(?:first|last|second|third|only|latest)\b[^,;]{0,50}\bto\s+(?:be|have\s+been)\s*$"
                          r"|\b(?:first|last|second|third|only|latest)\s+"
                          r"(?!(?:week|month|year|night|weekend|spring|summer|autumn|fall|winter)\b)"
                          r"(?:[\w'-]+\s+){1,3}to\s*$",
                          re.I)
_FUTURE_AFTER = Prefilter.compile(r"^\s*(?:\w+\s+){0,4}(?:will|would)\s+be\b|^[^,.]{0,40}\bin the coming\b"
                           r"|^\s+(?:would|will|could|might)\s+(?!have\b)", re.I)
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
#: "Taking X has been the main objective of ...": a goal named, not an event.
_GOAL_AFTER = Prefilter.compile(r"^[^,.;]{0,40}?\b(?:has\s+been|had\s+been|is|was|remains|remained|"
                         r"became|will\s+be)\s+(?:the|a|an|its|their)\s+(?:[\w'’-]+\s+){0,2}"
                         r"(?:objective|goal|aim|target|priority|focus)\b"
                         r"|^[^,.;]{0,40}?\b(?:is|was|seemed|seems|appears|appeared)\s+(?:only\s+|just\s+)?"
                         r"(?:a\s+matter\s+of\s+(?:time|days|weeks)|imminent|expected|likely|near|close)\b",
                         re.I)
#: "as part of a broad operation": a weak event noun framing the sentence's action.
#: A spokesman's or a commander's title naming an operation: "spokesperson for the X's
#: operation for C", "the commander of the offensive": the noun names the office, it reports
#: nothing (weak nouns only).
_TITLE_OF_BEFORE = re.compile(r"\b(?:spokes(?:man|woman|person)|commander|head|chief|leader|"
                              r"coordinator|media\s+(?:office|centre|center))\s+(?:of|for)\s+"
                              r"(?:the\s+)?(?:[\w'’.-]+\s+){0,3}$", re.I)
#: "fighters backed by tanks and artillery pushed into X": the advancing side's own guns,
#: named with no force of their own, are how it fought (the fight or the capture is the
#: event); "backed by US artillery" names a supporting force and stays a strike.
_OWN_GUNS_BEFORE = re.compile(r"\b(?:backed|supported|covered)\s+by\s+(?:(?:heavy\s+)?(?:tanks|"
                              r"armou?red\s+vehicles|armou?r|heavy\s+weapons|mortars|bulldozers)"
                              r"\s*,?\s*(?:and\s+)?)?$", re.I)
_PART_OF_BEFORE = Prefilter.compile(r"\b(?:as\s+)?part\s+of\s+(?:a|an|the|its|their)\s+(?:[\w-]+\s+){0,3}$",
                             re.I)
#: After a framing operation's noun, its own start told with it: "part of a broader
#: operation to retake X announced by the prime minister early on Monday", "part of an
#: offensive launched on Sunday" (the frame is news of its own).
_OWN_START_AFTER = re.compile(r"[^,;.]{0,60}?\b(?:announced|launched|begun|started|"
                              r"(?:that|which)\s+(?:began|started))\s+(?:by\s+|on\s+|in\s+|"
                              r"early\s+|late\s+|earlier\s+|last\s+|this\s+|yesterday|today)",
                              re.I)
#: A definite event noun after "during" refers to an event told elsewhere in the story.
_DURING_THE = Prefilter.compile(r"\b(?:during|throughout|in\s+the\s+course\s+of|since\s+the\s+start\s+of)"
                         r"\s+(?:the|this|that|its|their)\s+(?:[\w-]+\s+){0,2}$", re.I)
_TO_BE = re.compile(r"to\s+(?:be|have\s+been)\s+", re.I)
#: "since" opens a clause of its own: what stands before it does not frame the trigger.
_SINCE_CLAUSE = re.compile(r"\bsince\s", re.I)


def find_triggers(sentence: str) -> list[Trigger]:
    """Trigger words in a sentence, earliest first; overlapping matches keep the first rule."""
    if len(sentence) > 2000:                 # not a sentence: searched once, not kept
        return list(_find_triggers.__wrapped__(sentence))
    return list(_find_triggers(sentence))


def forget_triggers() -> None:
    """Drop the remembered sentences (extraction does it before each article)."""
    _find_triggers.cache_clear()


@lru_cache(maxsize=4096)      # an upload that repeats a sentence pays for it once
def _find_triggers(sentence: str) -> tuple[Trigger, ...]:
    found: list[Trigger] = []
    taken = DisjointSpans()
    for m, rule in _SCAN.matches(sentence):
        if taken.overlaps(m.start(), m.end()):
            continue
        found.append(Trigger(m.start(), m.end(), m.group(0), rule))
        taken.add(m.start(), m.end())
    return tuple(sorted(found, key=lambda t: t.start))


def is_hypothetical(sentence: str, trigger: Trigger) -> bool:
    """True when the words before the trigger (or after it) make it an intention or
    forecast, or when the trigger is a noun in the possessive ("the operation's early
    weeks", "the offensive's toll"): that refers to an event, it does not report one."""
    if _POSSESSIVE_AFTER.match(sentence, trigger.end):
        return True
    if trigger.rule.strength < 1 and _PART_OF_BEFORE.search(
            sentence, max(0, trigger.start - 60), trigger.start) and \
            not _OWN_START_AFTER.match(sentence, trigger.end):
        return True       # "as part of a wide-scale military operation": the frame of an
        #                   action told in the sentence, not an event of its own
    if trigger.rule.cls == STRIKE and trigger.text.lower().startswith("artillery") and \
            _OWN_GUNS_BEFORE.search(sentence, max(0, trigger.start - 60), trigger.start):
        return True       # "backed by tanks and artillery pushed into X": the fight's means
    if trigger.rule.strength < 1 and _TITLE_OF_BEFORE.search(
            sentence, max(0, trigger.start - 60), trigger.start):
        return True       # "spokesperson for the SDF's operation": an office's title
    if trigger.rule.cls == FIGHT and _DURING_THE.search(sentence, max(0, trigger.start - 40),
                                                        trigger.start):
        return True       # "during the battle", "throughout the offensive": told before
    before = sentence[max(0, trigger.start - 60):trigger.start]
    lead = _TO_BE.match(trigger.text)
    if lead:                     # "the first towns to be captured": judge "... to be"
        before += lead.group(0)
    before = re.split(r"[,;:.]\s", before)[-1]
    # "families have not returned since IS seized Mosul": the negation is the main
    # clause's; a "since" clause always tells what happened
    before = _SINCE_CLAUSE.split(before)[-1]
    # "fighters loyal to the government recaptured": "to" there names whom they serve
    # (``geo.core.roles``)
    before = PREPOSITION_TO.sub(" ", before)
    if _HYPOTHETICAL.search(before) and not _FIRST_TO_BE.search(before):
        # "began to", "started to", "continued to" still report something that happens
        return not re.search(r"\b(?:began|begun|started|continued|continues|managed|"
                             r"(?:allow|enabl|help)\w*\s+(?:\w+\s+){0,3})\s*to\s*$",
                             before, re.I)
    after = sentence[trigger.end:trigger.end + 100]
    return bool(_FUTURE_AFTER.search(after[:60]) or _GOAL_AFTER.search(after))
