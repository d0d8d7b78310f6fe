"""The constructions of news English the extractor reads, as a table an analyst can check.

Each row: the construction (A, B = forces, C = a place), an example sentence written for
the row (never copied from an article), and what it yields ("class @ place, actor1 >
actor2"; an empty side means the sentence does not say). ``tests/test_extract_rules.py``
runs every example, so this table is both documentation and a contract. Rows marked
``coarse`` also hold without the dependency parser (word-window roles); the others need
it. No row names a real place or person in its rule; the examples use real towns only
because the gazetteer must find them.

The trigger words themselves are in ``triggers.py`` (its own table with an example per
row); the date expressions in ``dates.py``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Construction:
    construction: str
    example: str
    yields: str
    coarse: bool = False      # also right without the parser


CONSTRUCTIONS: tuple[Construction, ...] = (
    # --- who acted on whom ---
    Construction("A drove B out of C", "Kurdish fighters drove Islamic State militants out of "
                 "Tal Abyad on Tuesday.", "capture @ Tal Abyad, SDF > IS"),
    Construction("B was driven out of C by A", "Islamic State militants were driven out of "
                 "Tal Abyad by Kurdish fighters on Tuesday.", "capture @ Tal Abyad, SDF > IS",
                 coarse=True),
    Construction("A pushed B from C", "Iraqi soldiers pushed Islamic State fighters from "
                 "Rutba on Thursday.", "capture @ Rutba, ISF > IS"),
    Construction("A captured C from B", "Syrian rebels captured Manbij from the Islamic "
                 "State on Sunday.", "capture @ Manbij, FSA > IS"),
    Construction("C was retaken by A (passive, agent after)", "Hawija was retaken by Iraqi "
                 "troops on Thursday.", "capture @ Hawija, ISF >", coarse=True),
    Construction("C fell to A", "Palmyra fell to Islamic State militants in May 2015.",
                 "capture @ Palmyra, IS >", coarse=True),
    Construction("A lost C to B", "Syrian troops lost Palmyra to the Islamic State in "
                 "December 2016.", "capture @ Palmyra, IS > SYR"),
    Construction("C, which A seized (relative clause)", "Residents fled Raqqa, which the "
                 "Islamic State seized in 2014, during the night.", "capture @ Raqqa, IS >",
                 coarse=True),
    Construction("the capture of C by A", "The capture of Manbij by the SDF was confirmed on "
                 "Friday.", "capture @ Manbij, SDF >", coarse=True),
    Construction("A said it had seized C (reported speech: the speaker's 'it')",
                 "The Islamic State said it had seized Sukhnah on Tuesday.",
                 "capture @ Sukhnah, IS >"),
    Construction("A, backed by B, retook C (a backer is an associate, not actor1)",
                 "Iraqi troops backed by Shiite militias retook Tikrit on Wednesday.",
                 "capture @ Tikrit, ISF >"),
    Construction("X-backed A seized C (the backer is an associate)",
                 "Turkish-backed rebels seized Azaz on Monday.", "capture @ Azaz, FSA >",
                 coarse=True),
    Construction("A declared victory over B in C", "Iraqi forces declared victory over the "
                 "Islamic State in Fallujah on Sunday.", "capture @ Fallujah, ISF > IS"),
    Construction("A took (full) control of C", "Syrian troops took full control of "
                 "Qaryatain on Sunday.", "capture @ Qaryatain, SYR >", coarse=True),
    Construction("A broke the siege of C", "Syrian troops broke the siege of Deir ez-Zor "
                 "on Tuesday.", "capture @ Deir ez-Zor, SYR >", coarse=True),
    Construction("A entered C", "Iraqi troops entered Qayyarah on Wednesday.",
                 "capture @ Qayyarah, ISF >", coarse=True),
    Construction("A had held C since YEAR (a holding began with a capture)",
                 "The Peshmerga had held Kirkuk since 2014.", "capture @ Kirkuk, PESH >",
                 coarse=True),
    # --- strikes ---
    Construction("A's aircraft struck B at C", "Russian warplanes struck Islamic State "
                 "positions near Palmyra on Monday.", "strike @ Palmyra, RUS > IS"),
    Construction("strikes by A on C", "Air strikes by the US-led coalition hit Raqqa on "
                 "Friday.", "strike @ Raqqa, US >"),
    Construction("A took C with air support from B (a strike by B at C)",
                 "Iraqi troops retook Ramadi with air support from the US-led coalition on "
                 "Monday.", "strike @ Ramadi, US >", coarse=True),
    Construction("the strikes hit C and D (one event per place)",
                 "Russian air strikes hit Rastan and Talbiseh on Wednesday.",
                 "strike @ Talbiseh, RUS >", coarse=True),
    # --- places ---
    Construction("C, 40 km north of D: D is a landmark", "Islamic State fighters stormed "
                 "Sinjar, 120 km west of Mosul, on Sunday.", "capture @ Sinjar, IS >",
                 coarse=True),
    Construction("an official's title is no place: 'the D governor'", "The Anbar governor "
                 "said Islamic State militants seized Hit on Friday.",
                 "capture @ Hit, IS >", coarse=True),
)
