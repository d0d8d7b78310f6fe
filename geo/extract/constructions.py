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
    """One row. ``yields``: "class @ place, actor1 > actor2" ("?" for a side the row does
    not pin; several events joined by " + "); the place may say which of its homonyms
    is meant: "Sawran (SY)" (the country), "Siniya (near Baiji)" (within 15 km of the
    other place); empty: the example gives no event at all. ``none``: places at which the
    example must give no event (a name used for a government, a landmark). ``when``: the
    first event's date starts with it ("2015-08"). ``assoc``: "with" and the force ids
    (", "-separated) the first event names as associates (ACLED's assoc_actor_1),
    besides its sides."""

    construction: str
    example: str
    yields: str
    coarse: bool = False      # also right without the parser
    none: str = ""
    when: str = ""
    title: str = ""
    assoc: str = ""


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
    Construction("B surrendered (ceded) C to A: the loser is the subject, as in 'lost C "
                 "to'", "The Islamic State surrendered Tabqa to the SDF on Sunday.",
                 "capture @ Tabqa, SDF > IS"),
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
                 "capture @ Tikrit, ISF >", assoc="with PMF"),
    Construction("X-backed A seized C (the backer is an associate)",
                 "Turkish-backed rebels seized Azaz on Monday.", "capture @ Azaz, FSA >",
                 coarse=True, assoc="with TUR"),
    # --- who took the ground, and who backed them (associates) ---
    Construction("coalition-backed A seized C: the ground force named took C, the backer "
                 "glued to its hyphen is its associate", "Coalition-backed Popular "
                 "Mobilisation Units seized Baiji on Monday.", "capture @ Baiji, PMF >",
                 coarse=True, assoc="with US"),
    Construction("A, backed by B's air strikes, retook C: A took C (the army's units are "
                 "not the militias), B struck and backs A", "Iraqi counter-terrorism forces, "
                 "backed by coalition air strikes, recaptured Ramadi on Sunday.",
                 "capture @ Ramadi, ISF > + strike @ Ramadi, US >", coarse=True, assoc="with US"),
    Construction("B helped A retake C: the helper backs A, it never takes the ground",
                 "The US-led coalition helped Iraqi forces retake Ramadi on Monday.",
                 "capture @ Ramadi, ISF >", coarse=True, assoc="with US"),
    Construction("A, supported by B and C's air strikes, took D: every force of the backing "
                 "list is an associate, and the strikes are C's", "Iraqi forces, supported "
                 "by Shiite militias and coalition air strikes, retook Tikrit on Wednesday.",
                 "capture @ Tikrit, ISF > + strike @ Tikrit, US >", coarse=True,
                 assoc="with PMF, US"),
    Construction("B-backed A, where the force table counts A and B as enemies: the backing "
                 "the text states stands (an associate, never the side attacked)",
                 "US-backed rebels seized Azaz on Monday.", "capture @ Azaz, FSA >",
                 coarse=True, assoc="with US"),
    Construction("A, backed by B, took C, where the force table counts A and B as enemies",
                 "Kurdish fighters, backed by the Syrian army, captured Tal Rifaat on Sunday.",
                 "capture @ Tal Rifaat, SDF >", coarse=True, assoc="with SYR"),
    Construction("A fighting alongside B took C", "Syrian rebels fighting alongside "
                 "Turkish troops captured Jarabulus on Wednesday.",
                 "capture @ Jarabulus, FSA >", coarse=True, assoc="with TUR"),
    Construction("A took C with support from B's jets: B struck at C and backs A",
                 "Syrian troops took Palmyra with support from Russian jets on Sunday.",
                 "capture @ Palmyra, SYR > + strike @ Palmyra, RUS >", coarse=True,
                 assoc="with RUS"),
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
    Construction("a generic word serving A: 'militants affiliated with A' took C: A's men "
                 "took C, not whom the generic word alone names (in Syria the Nusra Front is "
                 "keyed with the rebels, as the curated timeline and ACLED's rebel bucket do)",
                 "Militants affiliated with the Nusra Front seized Idlib on Saturday.",
                 "capture @ Idlib, FSA >", coarse=True),
    Construction("fighters linked to al-Qaeda took C in Iraq: the al-Qaeda offshoot that "
                 "fights there, the Islamic State", "Fighters linked to al-Qaeda seized "
                 "Fallujah on Friday.", "capture @ Fallujah, IS >", coarse=True),
    Construction("an al-Qaeda splinter group (offshoot) took C: the Islamic State",
                 "An al-Qaeda splinter group seized Tikrit on Wednesday.",
                 "capture @ Tikrit, IS >", coarse=True),
    # --- strikes ---
    Construction("A's aircraft struck B at C", "Russian warplanes struck Islamic State "
                 "positions near Palmyra on Monday.", "strike @ Palmyra, RUS > IS"),
    Construction("Iraqi warplanes (jets, helicopters, the air force) struck B at C: the "
                 "Iraqi forces struck (as 'Syrian jets', 'Russian warplanes' name theirs)",
                 "Iraqi jets bombed Islamic State targets in Albu Kamal on Monday.",
                 "strike @ Albu Kamal, ISF > IS", coarse=True),
    Construction("strikes by A on C", "Air strikes by the US-led coalition hit Raqqa on "
                 "Friday.", "strike @ Raqqa, US >"),
    Construction("A took C with air support from B (a strike by B at C)",
                 "Iraqi troops retook Ramadi with air support from the US-led coalition on "
                 "Monday.", "strike @ Ramadi, US >", coarse=True),
    Construction("A's jets bombed C ... A's artillery shelled C the same day: two means, "
                 "two events (ACLED and the annotators keep an air strike and shelling apart)",
                 "Russian jets bombed Saraqib on Monday. Russian artillery also shelled "
                 "Saraqib on Monday.", "strike @ Saraqib, RUS > + strike @ Saraqib, RUS >",
                 coarse=True),
    Construction("mortar rounds fired from C landed in D: fire is placed where it lands, not "
                 "where it was fired from", "Mortar rounds fired from Tarmiyah landed in "
                 "Samarra on Monday.", "strike @ Samarra, ? > ?", coarse=True, none="Tarmiyah"),
    Construction("rockets fired by A hit C: the shooter inside the weapon's phrase",
                 "Rockets fired by the militants hit Balad on Monday.", "strike @ Balad, IS >",
                 coarse=True),
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
    Construction("a capital for its government: 'D-backed', 'the D government', 'D's "
                 "efforts', 'D said' (metonymy) is no place",
                 "The Baghdad government said Iraqi forces retook Rutba on Thursday.",
                 "capture @ Rutba, ISF >", coarse=True, none="Baghdad"),
    Construction("D's efforts ... (a possessive of policy) is no place",
                 "Baghdad's efforts to retake Fallujah stalled after militants attacked "
                 "troops in Karma on Monday.", "fight @ Karma, ? > ?", coarse=True,
                 none="Baghdad"),
    Construction("D's district C: the district's own point when the gazetteer has it in D",
                 "A car bomb killed 20 people in Baghdad's Sadr City on Monday.",
                 "strike @ Sadr City, ? > ?", coarse=True),
    Construction("a report at the city and one at its district are one event",
                 "A suicide bomber killed 30 people in Baghdad's Karrada district on Sunday. "
                 "The Baghdad bombing was the deadliest this year.",
                 "strike @ Karrada, ? > ?", coarse=True, none="Baghdad"),
    Construction("a minor name whose spelling the gazetteer holds, where a place is cued "
                 "('the town of C', 'took over C')", "Turkish-backed rebels took over Dabiq "
                 "on Sunday.", "capture @ Dabiq, FSA >", coarse=True),
    Construction("C, a town near D, fell to A: a minor place opening the sentence is cued "
                 "by its appositive (as by 'the town of C'); D is a landmark",
                 "Maskanah, a town east of Aleppo, fell to Syrian troops on Sunday.",
                 "capture @ Maskanah, SYR >", coarse=True, none="Aleppo"),
    Construction("C and D were retaken by A: a minor place opening the sentence is cued by "
                 "the places listed after it", "Sukhnah and Qaryatain were retaken by Syrian "
                 "troops in August.", "capture @ Sukhnah, SYR > + capture @ Qaryatain, SYR >",
                 coarse=True),
    Construction("A said it had recaptured Tal C: a name opened by a toponymic word (Tal, "
                 "Deir, Kafr, Ain, ...) is a place's, so a minor place's other spelling is read "
                 "where a place is cued (the gazetteer's 'Tall Tamr')",
                 "Kurdish forces said they had recaptured Tal Tamr on Monday.",
                 "capture @ Tal Tamr, SDF >", coarse=True),
    Construction("the villages of Tal C and Tal D were retaken by A: 'Tal C' is never the "
                 "village 'C' (one event per village)", "The villages of Tal Hamis and Tal "
                 "Brak were retaken by Kurdish fighters on Friday.",
                 "capture @ Tal Hamis, SDF > + capture @ Tal Brak, SDF >", coarse=True,
                 none="Hamis"),
    Construction("homonyms: the reading near the article's other places wins",
                 "Turkish-backed rebels captured Dabiq from Islamic State on Sunday. The "
                 "fighters also seized the nearby town of Sawran.",
                 "capture @ Sawran (SY), ? > ?", coarse=True),
    Construction("homonyms: a state's own forces take ground in their country: 'Iraqi "
                 "forces retook C' is C's Iraqi reading, though a Syrian C lies near the "
                 "article's Syrian town", "Kurdish fighters held Qamishli on Friday. Iraqi "
                 "forces retook Shura on Saturday, officers said.",
                 "capture @ Shura (IQ), ISF >", coarse=True),
    Construction("homonyms: a sentence naming the other country keeps it ('retook C in "
                 "Syria')", "Kurdish fighters held Qamishli on Friday. Iraqi forces retook "
                 "Shura in Syria on Saturday, officers said.", "capture @ Shura (SY), ISF >",
                 coarse=True),
    Construction("A recaptured the town of C near D: a minor place's other spelling (the "
                 "gazetteer's 'Shahil') is read where the text calls it a settlement and its "
                 "one reading lies within 60 km of the article's other places; far or two "
                 "near, it is listed for the analyst", "Syrian government forces entered "
                 "Mayadin on Monday. The army also recaptured the town of Shuhail.",
                 "capture @ Shahil, SYR >", coarse=True),
    Construction("'the refinery', 'the dam' after the article named one: that facility "
                 "(facilities.py)", "Kurdish forces took the Tishrin Dam on Friday. Two "
                 "fighters were killed in clashes near the dam on Sunday, activists said.",
                 "fight @ Tishrin Dam, ? > ?", coarse=True, when="2016-05-29"),
    Construction("'one of its air bases' before the article names the base: that base",
                 "The rebels said Russian jets bombed one of its air bases on Monday. The "
                 "jets hit the Kuweires airbase twice, monitors said.",
                 "strike @ Kuweires Airbase, RUS > ?", when="2016-05-30"),
    Construction("A took control of X district (a quarter the gazetteer lacks): a capture "
                 "near the article's town, apart from the town's own",
                 "Iraqi troops retook central Ramadi on Sunday, officers said. Army units "
                 "also took control of Jamiyat Zaghir district on Sunday.",
                 "capture @ Ramadi, ISF > + capture @ Ramadi, ISF >", coarse=True),
    Construction("A seized the X oil field near D (a facility the gazetteer lacks): near D",
                 "Iraqi forces seized the Gharb Zaghir oil field near Kirkuk on Monday.",
                 "capture @ Kirkuk, ISF >", coarse=True),
    Construction("A took the X base west of D, the airfield south of the city and the Y "
                 "oil field: one capture per site, each near D",
                 "Iraqi forces seized Kirkuk on Monday, officials said. Troops also took the "
                 "Zaghir army base west of Kirkuk, the airfield south of the city and the "
                 "Gharb Zaghir oil field.",
                 "capture @ Kirkuk, ISF > + capture @ Kirkuk, ISF >", coarse=True),
    Construction("two facilities of one kind: 'the dam' is neither",
                 "Engineers repaired the Mosul Dam and the Haditha Dam last year. Two soldiers "
                 "were killed at the dam on Thursday, officers said.", "", coarse=True),
    # --- several events in one sentence ---
    Construction("A took C and nearby D (one capture per place)",
                 "Iraqi forces retook Baiji and the nearby town of Siniya on Friday.",
                 "capture @ Baiji, ISF > + capture @ Siniya (near Baiji), ISF >", coarse=True),
    Construction("A drove B out of C in COUNTRY and its capital D: one capture per place "
                 "(a container and a descriptor inside the list)", "Kurdish fighters drove "
                 "Islamic State out of Tabqa in Syria and its de facto capital Raqqa in "
                 "April.", "capture @ Tabqa, SDF > IS + capture @ Raqqa, SDF > IS",
                 when="2016-04"),
    Construction("A took C and D in MONTH: a listed name the gazetteer ranks low is found "
                 "after a place", "Rebels captured Jarabulus and al-Rai in August.",
                 "capture @ Jarabulus, FSA > + capture @ al-Rai, FSA >", coarse=True,
                 when="2015-08"),
    Construction("A entered C, which B seized in MONTH: two captures, each with its own date",
                 "Government forces entered Jurf al-Sakhar, which fell to fighters from the "
                 "Islamic State group in July 2014.",
                 "capture @ Jurf al-Sakhar, IS > + capture @ Jurf al-Sakhar, ISF >",
                 coarse=True, when="2014-07"),
    # --- dates ---
    Construction("A retook C, held by B for two years, on DAY: the span is the holding's, "
                 "the day the retaking's", "Iraqi forces retook Fallujah, held by Islamic State "
                 "for nearly two years, on Sunday.", "capture @ Fallujah, ISF >", coarse=True,
                 when="2016-05-29"),
    Construction("A broke the three-year siege of C by B in MONTH: A's capture then, and "
                 "B's siege of C over the three years before (dated mid-span)",
                 "Syrian troops broke the three-year siege of Deir ez-Zor by Islamic State in "
                 "May.",
                 "fight @ Deir ez-Zor, IS > SYR + capture @ Deir ez-Zor, SYR >", coarse=True,
                 when="2014"),
    Construction("A retook C, held by B since YEAR, on DAY: B's capture in YEAR (the "
                 "appositive holding began with it) and A's on DAY", "Iraqi troops retook "
                 "Rutba, held by Islamic State since 2014, on Tuesday.",
                 "capture @ Rutba, IS > + capture @ Rutba, ISF >", coarse=True, when="2014"),
    Construction("an offensive to retake C, seized by B in YEAR: B's capture of C, dated "
                 "YEAR (the participle's place is the goal before it)", "Iraqi forces "
                 "launched an offensive on Sunday to retake Tal Afar, seized by Islamic State "
                 "in 2014.", "capture @ Tal Afar, IS >", coarse=True, when="2014"),
    Construction("'a week later', 'the next day': the date told before, moved on",
                 "Syrian troops entered Palmyra on March 2, officials said. A week later, "
                 "Islamic State fighters retook Palmyra.", "capture @ Palmyra, IS >",
                 coarse=True, when="2016-03-09"),
    Construction("'two days earlier': the date told before, moved back",
                 "Iraqi forces retook Hawija on June 2, officials said. Army units had "
                 "pushed into Hawija from the north two days earlier, fighting their way south.",
                 "fight @ Hawija, ISF >", when="2016-05-31"),
    Construction("'later that year' with a date after another event's verb: that date is "
                 "the other event's", "Islamic State seized Sinjar in August 2014. Later that "
                 "year US jets bombed Sinjar, which let Kurdish forces retake Zumar in October "
                 "2015.", "strike @ Sinjar, US >", when="2014"),
    Construction("C had been held by A since YEAR (the capture began the holding)",
                 "Rutba had been held by Islamic State since 2014, residents said.",
                 "capture @ Rutba, IS >", coarse=True, when="2014"),
    Construction("a date right after another event is that event's: 'the C bombing follows "
                 "attacks in D over the past month'", "A suicide bomber killed 12 people in "
                 "Tikrit. The Tikrit bombing follows attacks in Turkey over the past month.",
                 "strike @ Tikrit, ? > ?", coarse=True, when="2016-0"),
    Construction("the operation's early weeks (a trigger noun in the possessive refers, it "
                 "does not report): dated from the sentence before",
                 "Turkey launched an operation in northern Syria on 24 August. In the "
                 "operation's early weeks, Jarabulus and al-Rai were the first towns to be "
                 "captured.", "capture @ Jarabulus, ? > + capture @ al-Rai, ? >", coarse=True,
                 when="2015-09"),
    Construction("its capture would ... (a noun trigger before a modal) is no event",
                 "Its capture would open the road to Raqqa.", "", coarse=True),
    Construction("A stormed <no place> (the object names none): no capture at a place before "
                 "the verb", "Rawa residents said Islamic State stormed a third of the country "
                 "in 2014.", "", coarse=True),
    Construction("A ousted B from <a phrase> near D: the place is that phrase's, never the "
                 "landmark", "Syrian troops ousted Islamic State from its last stronghold in "
                 "the country, near Damascus, on Sunday.", "", coarse=True),
    Construction("C that A retook (a relative clause without a comma)",
                 "Fighting moved to the border town of Qaim that Iraqi forces retook from "
                 "Islamic State this month.", "capture @ Qaim, ISF > IS", coarse=True),
    Construction("the first C to fall to A (a record, not an intention)",
                 "Fallujah was the first city to fall to Islamic State, in January 2014.",
                 "capture @ Fallujah, IS >", coarse=True, when="2014-01"),
    Construction("A withdrew towards C and D: where a force went is not where it fought",
                 "Islamic State fighters withdrew towards Raqqa and Deir ez-Zor after three "
                 "weeks of fighting.", "", coarse=True),
    Construction("B-led air strikes (the leader of the strikes struck)",
                 "Kurdish forces entered Sinjar after an offensive backed by U.S.-led air "
                 "strikes.", "capture @ Sinjar, PESH > + strike @ Sinjar, US >", coarse=True),
    Construction("A launched the offensive at the end of MONTH with air support from B: B "
                 "struck, B is not A's enemy", "Syrian rebels took full control of Azaz on "
                 "Saturday. The rebels launched the offensive at the end of May with air "
                 "support from Turkey.", "strike @ Azaz, TUR >", coarse=True, when="2016-05-2"),
    Construction("B's aircraft began striking C (a verb of striking after the aircraft)",
                 "Coalition warplanes began striking Islamic State positions in Tikrit on "
                 "March 25.", "strike @ Tikrit, US > IS", coarse=True, when="2016-03-25"),
    Construction("during the battle (a definite event noun after 'during' is no new event)",
                 "Coalition aircraft carried out hundreds of sorties around Manbij during the "
                 "battle.", "strike @ Manbij, US >", coarse=True),
    Construction("two bombs went off in C (a bomb noun with its verb)",
                 "Two more bombs went off in the Kadhimiya district of Baghdad on Wednesday.",
                 "strike @ Kadhimiya (near Baghdad), ? >", coarse=True),
    Construction("C, a person's first name before another ('Saddam Hussein's hometown'), is "
                 "no place", "The offensive to retake Tikrit, Saddam Hussein's hometown, began "
                 "on March 2.", "fight @ Tikrit, ? >", coarse=True, none="Saddam"),
    Construction("A, backed by B's air force, took C (the air force struck at C)",
                 "Army units, backed by the Russian air force, recaptured Palmyra on Sunday.",
                 "capture @ Palmyra, SYR > + strike @ Palmyra, RUS >", coarse=True),
    Construction("A broke a siege imposed by B on C", "In early September, government troops "
                 "broke a three-year siege imposed by Islamic State on Deir ez-Zor.",
                 "capture @ Deir ez-Zor, SYR >", coarse=True, when="2015-09-0"),
    Construction("A advanced, capturing villages on its outskirts ('its outskirts' is the "
                 "article's town)", "Iraqi forces launched an offensive on Tal Afar on Sunday. "
                 "Troops advanced from the south, capturing several villages on its outskirts.",
                 "capture @ Tal Afar, ISF >", coarse=True),
    Construction("the capture of C opens the way for an assault on D (a purpose, not an event)",
                 "The capture of Tabqa opens the way for an assault on Raqqa.",
                 "capture @ Tabqa, ? >", coarse=True, none="Raqqa"),
    Construction("the strikes hit C ... the Russian strikes hit C: one event, and it is Russian",
                 "Activists said the strikes hit Rastan, while officials said the Russian "
                 "strikes had hit Rastan and Talbiseh.", "strike @ Rastan, RUS >", coarse=True),
    # --- the article's town ---
    Construction("'the eastern Syrian city' in a story about a town in Iraq: the article's "
                 "town in Syria", "Iraqi forces retook Qaim on Friday, officials said. Qaim "
                 "was the last town held by Islamic State in Iraq. Across the border, Deir "
                 "ez-Zor is under government control. Syrian troops broke the siege of the "
                 "eastern Syrian city in September.", "capture @ Deir ez-Zor, SYR >",
                 coarse=True, when="2015-09"),
    Construction("'Iraq's second city': the article's second biggest town in Iraq",
                 "Islamic State seized Iraq's second city in June 2014. Mosul and Baghdad "
                 "were on alert, officials said.", "capture @ Mosul, IS >", coarse=True,
                 when="2014-06"),
    Construction("'the town' acted on by a state's own force is the article's town in that "
                 "state", "Iraqi troops retook the town on Sunday, officials said. Rutba had "
                 "been held by Islamic State since 2014. In Syria, Kurdish fighters held "
                 "Kobani against an Islamic State assault. Kobani has been besieged for a "
                 "month, and Kobani residents are short of food.",
                 "capture @ Rutba, ISF >", coarse=True),
    # --- holders, starts, lists near a landmark (round three) ---
    Construction("an offensive on B-held C: the holder B is the other side, never actor1",
                 "Iraqi forces began an offensive to retake IS-held Hawija on Thursday.",
                 "fight @ Hawija, ISF > IS", coarse=True),
    Construction("... on DAY. B's jets bombed the town the same day: 'the same day' (\"that "
                 "day\") is the day told before", "Syrian troops entered Qaryatain on Sunday. "
                 "Russian jets bombed the town the same day.",
                 "strike @ Qaryatain, RUS > + capture @ Qaryatain, SYR >", coarse=True,
                 when="2016-05-29"),
    Construction("A consolidated its control on DAY of C: the day may stand inside 'control "
                 "of'", "Kurdish fighters consolidated their control on Tuesday of Qamishli, a "
                 "monitor said.", "capture @ Qamishli, SDF >", coarse=True),
    Construction("headline 'A take border town of C'; lede 'A consolidated control of a "
                 "strategic border town': the lede's indefinite town is the headline's",
                 "Kurdish fighters consolidated their control on Tuesday of a strategic border "
                 "town, a monitor said.", "capture @ Qamishli, SDF >", coarse=True,
                 title="Kurds take border town of Qamishli from militants"),
    Construction("A launched an offensive in MONTH to retake C: a month after 'in' is a "
                 "date, not a place elsewhere ('attacks in Turkey'); the fighting is placed "
                 "near its goal", "Iraqi forces launched an offensive in April to recapture "
                 "Rutba.", "fight @ Rutba, ISF >", coarse=True, when="2016-04"),
    Construction("A began an offensive last month to retake C: 'last month to' is a date and "
                 "a goal, not a record ('the last town to be retaken')",
                 "The Syrian army began a major offensive last month to retake Maskanah.",
                 "fight @ Maskanah, SYR >", coarse=True, when="2016-05"),
    Construction("A attacked B-held C (a hyphenated holder names actor2)",
                 "Kurdish fighters attacked Islamic State-held Tal Abyad on Tuesday.",
                 "fight @ Tal Abyad, SDF > IS", coarse=True),
    Construction("the offensive on C, the last B stronghold: B is attacked, the attacker "
                 "unnamed", "The offensive on Hawija, the last Islamic State stronghold in "
                 "the province, began on Thursday.", "fight @ Hawija,  > IS", coarse=True),
    Construction("C and the surrounding villages: 'surrounding' as an adjective is no "
                 "encirclement", "Hawija and the surrounding villages were quiet on Monday, "
                 "police said.", "", coarse=True),
    Construction("A says it has begun an offensive on C (undated present perfect): the "
                 "report's day, not the week before it",
                 "The Syrian Democratic Forces say they have begun an offensive to capture "
                 "Tabqa.", "fight @ Tabqa, SDF >", coarse=True, when="2016-06-0"),
    Construction("A took the villages of D, E and F east of C: a listed name the gazetteer "
                 "reads far from C is placed near C",
                 "Iraqi troops recaptured the villages of Khafajah, al-Alam and Marazif east "
                 "of Tal Afar on Sunday.", "capture @ Tal Afar, ISF >", coarse=True),
    Construction("A pushed into D east of C, D read more than 100 km from C: near C",
                 "Peshmerga forces pushed into Khazir east of Mosul on Monday.",
                 "fight @ Mosul, PESH >", coarse=True),
    Construction("the operation had received air support from B (no place: the operation "
                 "told before, supported there)", "Kurdish forces attacked Islamic State "
                 "positions in Bashiqa on Monday. The operation had received air support from "
                 "the US-led coalition.", "strike @ Bashiqa, US >", coarse=True),
    Construction("In C, which ..., fighting killed N, the first time B entered the town: a "
                 "sentence's fronted place is its 'the town', not the article's",
                 "Islamic State attacked Hasaka on Thursday. In Kobani, which resisted a long "
                 "siege last year, ten people died in fighting on Thursday, the first time "
                 "the militants had entered the town this year.", "fight @ Kobani, ? >",
                 coarse=True),
    Construction("A announced the capture of C but lost it to B (the pronoun is C; a force "
                 "inside the to-phrase won)", "Syrian troops announced the capture of Palmyra "
                 "in March but lost it to a sudden Islamic State counter-attack in December.",
                 "capture @ Palmyra, IS > SYR", when="2015-12"),
    Construction("C has been besieged by A since YEAR: the siege began then",
                 "Deir ez-Zor has been besieged by Islamic State since 2014.",
                 "fight @ Deir ez-Zor, ? >", coarse=True, when="2014"),
    Construction("A, securing C earlier this year and retaking D last month: each date is "
                 "its own phrase's", "Iraqi forces pushed the militants back, securing "
                 "Ramadi earlier this year and retaking Hit last month.",
                 "capture @ Hit, ISF >", coarse=True, when="2016-05"),
    Construction("A retook C, N weeks after launching an offensive: the span dates the "
                 "offensive, measured back from the capture; the capture is the report's "
                 "news (it does not borrow the offensive's date)",
                 "Iraqi troops retook Rutba, four weeks after launching an offensive to "
                 "recapture it.", "capture @ Rutba, ISF > + fight @ Rutba, ISF >",
                 coarse=True, when="2016-06"),
    Construction("A secured the C area at one time and retook the town of D at another: the "
                 "C area is no part of D (an area is a town's part only when its own words "
                 "end in 'of D', not across 'and' or another town's noun)",
                 "Syrian troops secured the Sukhnah area in January and retook the town of "
                 "Qaryatain in April.", "capture @ Sukhnah, SYR > + capture @ Qaryatain, SYR >",
                 coarse=True, when="2016-01"),
    # --- more wordings of a capture, and spans named by their length ---
    Construction("A freed C from B (a place object; 'freed N hostages' is no capture)",
                 "Iraqi troops freed Baiji from the militants on Friday. Police freed 20 "
                 "hostages in Samarra on Saturday.", "capture @ Baiji, ISF >", coarse=True,
                 none="Samarra"),
    Construction("A took back C / took back control of C", "Syrian rebels took back Azaz on "
                 "Sunday.", "capture @ Azaz, FSA >", coarse=True),
    Construction("A cleared C of B", "Iraqi forces cleared Ramadi of Islamic State fighters on "
                 "Monday.", "capture @ Ramadi, ISF >", coarse=True),
    Construction("A consolidated their control over C", "Kurdish forces consolidated their "
                 "control over Sinjar on Friday.", "capture @ Sinjar, PESH >", coarse=True),
    Construction("B overran C in MONTH before A drove them out in MONTH: 'them' is the force "
                 "named before the verb, never its subject", "Islamic State overran Kobani in "
                 "September, before Kurdish fighters drove them out in January.",
                 "capture @ Kobani, SDF > IS", coarse=True, when="2016-01"),
    Construction("the N-year siege of C by B: the siege began N years before the report",
                 "Residents described the three-year siege of Kobani by Islamic State "
                 "militants.", "fight @ Kobani, IS >", when="2013-06"),
    Construction("A broke the N-year siege of C: the length is the siege's, the break has "
                 "its own date", "The army broke a three-year siege of Deir ez-Zor on "
                 "Tuesday.", "capture @ Deir ez-Zor, SYR >", coarse=True, when="2016-05-31"),
    Construction("A said its troops had taken C ('its troops' are the speaker's, not the "
                 "local government's)", "Turkey said its troops had captured Afrin on Sunday.",
                 "capture @ Afrin, TUR >"),
    Construction("A accused B of shelling C (a claim's speaker is not the actor of what it "
                 "claims)", "The SDF accused Turkish forces of shelling Manbij on Monday.",
                 "strike @ Manbij, TUR >"),
    Construction("A, backed by B's air power, retook C on DAY: the support is dated with the "
                 "operation", "Syria's army, backed by Russian air power, recaptured Palmyra "
                 "on Sunday.", "strike @ Palmyra, RUS > + capture @ Palmyra, SYR >",
                 coarse=True, when="2016-05-29"),
    Construction("a person named by a title ('the group's leader D said') is no place, "
                 "though a town has the name", "Islamic State leader Abu Bakr al-Baghdadi said "
                 "his fighters seized Ramadi on Friday.", "capture @ Ramadi, IS >", coarse=True,
                 none="al-Baghdadi"),
    Construction("a town named like a person, where a place stands ('attacked D'), is the town",
                 "Islamic State fighters attacked al-Baghdadi on Saturday.",
                 "fight @ al-Baghdadi, IS >", coarse=True),
    Construction("an air strike on C killed N civilians on DAY: the strike has the killing's "
                 "date, and the killing is its toll (one event, not an undated strike nor a "
                 "second attack on civilians)", "An air strike on Manbij killed 15 "
                 "civilians on Tuesday.", "strike @ Manbij, ? >",
                 coarse=True, when="2016-05-31"),
    Construction("A took C1 and C2, two places less than 5 km apart (a town and its "
                 "campus) on one day: two captures, not one", "Iraqi troops seized Mosul "
                 "University on Friday. Army units retook the centre of Mosul on Friday.",
                 "capture @ Mosul University, ISF > + capture @ Mosul, ISF >", coarse=True),
    Construction("after a sentence on C, A took control of the X district (a quarter not in "
                 "the gazetteer): a partial capture of C", "Iraqi troops fought Islamic State "
                 "militants in Tikrit on Sunday. Army units also took control of the old market "
                 "district.", "fight @ Tikrit, ISF > + capture @ Tikrit, ISF >", coarse=True),
    Construction("A took C after fire (artillery, air) support from B: B struck and backs A; "
                 "B is not the side A took C from", "The SDF captured Hajin on Friday after "
                 "fire support from the US-led coalition.",
                 "capture @ Hajin, SDF > + strike @ Hajin, US >", coarse=True),
    Construction("rockets / mortar shells hit (struck, landed in) C: the projectiles' arrival "
                 "is a strike, though no one is said to fire them", "Several mortar shells "
                 "struck a residential quarter of Kirkuk on Wednesday.", "strike @ Kirkuk, ? >",
                 coarse=True, when="2016-06-01"),
    Construction("A opened fire on civilians (protesters, worshippers, passengers) in C: "
                 "violence against civilians, not a clash", "Masked gunmen opened fire on "
                 "mourners at a funeral in Tikrit on Thursday.", "civilians @ Tikrit, ? >",
                 coarse=True, when="2016-06-02"),
    Construction("C, under B's control since B overran it in MONTH YEAR: the holding began "
                 "with that capture (one event)", "Residents returned to Tikrit, which had been "
                 "under militant control since Islamic State overran it in June 2014.",
                 "capture @ Tikrit, IS >", coarse=True, when="2014-06"),
    Construction("A launched an offensive on C with the support of B's troops, artillery and "
                 "air strikes: the backer struck", "Syrian rebels launched an offensive on "
                 "al-Bab on Monday with the support of Turkish ground troops, artillery and air "
                 "strikes.", "strike @ al-Bab, TUR >", coarse=True),
    Construction("A took C with the support of B's warplanes on DAY: a strike by B, and both "
                 "events on DAY", "Syrian rebels captured Azaz with the support of Turkish "
                 "warplanes on Monday.", "capture @ Azaz, FSA > + strike @ Azaz, TUR >",
                 coarse=True, when="2016-05-30"),
    Construction("taking C has been the objective of ...: a goal, not an event",
                 "Retaking Mosul is the government's top priority.", "", coarse=True),
    Construction("A has not yet entered C / has yet to retake C (negated): no event",
                 "Iraqi troops have not yet entered Fallujah.", "", coarse=True),
    Construction("the fall of C is only a matter of time (a forecast): no event",
                 "Analysts say the fall of Raqqa is only a matter of time.", "", coarse=True),
    Construction("A took C in MONTH, and D in MONTH2 (the verb elided): two captures, each "
                 "with the date after its place", "Islamic State captured Mosul in June 2014, "
                 "and Sinjar in August 2014.", "capture @ Sinjar, IS > + capture @ Mosul, IS >",
                 coarse=True, when="2014-08"),
    Construction("A flushed B out of C", "Iraqi forces flushed Islamic State fighters out of "
                 "Baiji on Monday.", "capture @ Baiji, ISF > IS"),
    Construction("A lost C (a name of several words) to B", "Government forces lost Jisr "
                 "al-Shughour to rebels in April.", "capture @ Jisr al-Shughour, FSA > SYR",
                 when="2016-04"),
    Construction("A pushed deeper into C / mopped up in C / overwhelmed the defences of C: "
                 "fighting there", "Iraqi troops pushed deeper into Mosul on Tuesday. "
                 "Islamic State militants overwhelmed government defences in Ramadi on Sunday.",
                 "fight @ Mosul, ISF > + fight @ Ramadi, IS >", coarse=True),
    Construction("A took villages around C / the outskirts of C: fighting at C, not its "
                 "capture (the town's holder does not change)", "Syrian troops took control of "
                 "several villages around Aleppo on Friday. Iraqi troops recaptured the "
                 "outskirts of Ramadi on Sunday.", "fight @ Aleppo, SYR > + fight @ Ramadi, ISF >",
                 coarse=True),
    Construction("A drove B from a refinery north of D as part of a wide operation: the "
                 "operation frames the action, it is no event at the landmark", "Iraqi forces "
                 "drove the militants from a key refinery north of Baghdad as part of a "
                 "wide-scale military operation.", ""),
    Construction("A took C on DAY, and D on DAY2: a weekday or month after a listed place "
                 "is its date, and the list goes on", "Syrian rebels captured Azaz on Sunday, "
                 "and Akhtarin on Monday.", "capture @ Azaz, FSA > + capture @ Akhtarin, FSA >",
                 coarse=True, when="2016-05-29"),
    Construction("A took C in WORD, D ...: a capitalised word that names no month or weekday "
                 "ends the list", "Iraqi troops retook Baiji in Ramadan, Tikrit residents said.",
                 "capture @ Baiji, ISF >", coarse=True, none="Tikrit"),
    # --- speakers, frames and look-alikes (round four) ---
    Construction("A blamed B for X in C: the one blamed acted, not the speaker",
                 "Officials blamed Islamic State for a car bombing in Qamishli on Sunday.",
                 "strike @ Qamishli, IS >", coarse=True),
    Construction("A's officials said B did X in C: the speaker is not the actor of what it "
                 "reports", "Kurdish officials said Islamic State carried out the car bombing in "
                 "Qamishli on Sunday.", "strike @ Qamishli, IS >", coarse=True),
    Construction("X in C was carried out by B / was blamed on B: B did it",
                 "The car bombing in Qamishli on Sunday was blamed on Islamic State.",
                 "strike @ Qamishli, IS >", coarse=True),
    Construction("C's capture was a blow to B: the to-phrase of a capture names no taker, and "
                 "a taker is never carried over from the sentence before",
                 "Islamic State militants shelled Kurdish positions on Sunday. Activists said "
                 "Manbij's capture was a severe blow to Islamic State.",
                 "capture @ Manbij,  >", coarse=True),
    Construction("A took C after the liberation of D and E (a past event that frames the "
                 "news, with no date of its own phrase): no event at D or E", "Iraqi troops entered "
                 "Haditha on Tuesday after the liberation of Tikrit and Baiji.",
                 "capture @ Haditha, ISF >", coarse=True, none="Tikrit"),
    Construction("after a sentence on C, attacks in (the provinces of) a state's land named "
                 "by the state's name: not at C", "Syrian rebels took Azaz from Islamic State on "
                 "Monday. Towns in southern Turkey have been hit by rocket attacks carried out "
                 "by Islamic State this year.", "capture @ Azaz, FSA > IS",
                 coarse=True),
    Construction("A broke the siege (no place named): the siege the article told before, "
                 "and the air support of the break is a strike there", "Kurdish fighters had been "
                 "besieged in Kobani for four months. In January, Kurdish fighters broke the "
                 "siege, with the help of US air strikes.",
                 "capture @ Kobani, SDF > + strike @ Kobani, US >", coarse=True,
                 when="2016-01"),
    Construction("That changed in MONTH when A ...: a sentence's first 'That' is no relative "
                 "pronoun, its date is the when-clause's", "Islamic State had besieged Kobani "
                 "for four months. That changed in late January when Kurdish fighters broke the "
                 "siege.", "capture @ Kobani, SDF >", coarse=True, when="2016-01"),
    Construction("B said it carried out \"a strike ...\" (a quotation inside the verb phrase, "
                 "one strike); fighters trying to flee toward D: D is where they went",
                 "A spokesman said the coalition carried out \"a highly effective strike on "
                 "militants trying to flee toward Tabqa,\" west of Raqqa.",
                 "strike @ Raqqa, US >", coarse=True, none="Tabqa"),
    Construction("A declared C (fully) liberated: C is what was taken, by A", "The army "
                 "declared Tikrit fully liberated on Thursday.", "capture @ Tikrit, ISF >",
                 coarse=True),
    Construction("A declared the town of C in D province liberated from B: the first place "
                 "of the object, taken by the one declaring", "Iraqi troops declared the key "
                 "town of Haditha in western Anbar province liberated on Tuesday.",
                 "capture @ Haditha, ISF > ?", coarse=True),
    Construction("counter-terrorism forces liberated C", "Counter-terrorism forces "
                 "liberated the town of Hit on Tuesday, officials said.",
                 "capture @ Hit, ISF >", coarse=True),
    Construction("A, backed by B's air strikes, took C on DAY: the strikes are dated with the "
                 "capture they backed", "Kurdish forces, backed by US-led coalition air "
                 "strikes, captured Bashiqa on Friday.",
                 "strike @ Bashiqa, US > + capture @ Bashiqa, PESH >", coarse=True,
                 when="2016-06-03"),
    Construction("A, backed by B's warplanes, broke a three-year siege: the span is the "
                 "siege's, the support has the break's date", "In late January, Kurdish "
                 "fighters backed by US warplanes broke a four-month siege imposed by Islamic "
                 "State on Kobani.",
                 "strike @ Kobani, US > + capture @ Kobani, SDF >", coarse=True,
                 when="2016-01"),
    Construction("A took C with heavy B air cover: B struck, and is no enemy of A",
                 "Syrian troops retook Palmyra with heavy Russian air cover on Saturday.",
                 "capture @ Palmyra, SYR > + strike @ Palmyra, RUS >", coarse=True),
    Construction("A took C on DAY. After fire support from B, the militants were routed: the "
                 "support of the action told just before, at its place and on its day",
                 "Kurdish fighters routed Islamic State militants from Tabqa on Friday. A "
                 "monitor said that after artillery support from the US-led coalition, the "
                 "militants had been routed.", "strike @ Tabqa, US > + capture @ Tabqa, SDF > ?",
                 coarse=True, when="2016-06-03"),
    Construction("fighting at C told once from each side: one fight between the two",
                 "Kurdish fighters fought on in Tabqa on Friday, a monitor said. Islamic State "
                 "militants were still fighting in Tabqa on Friday.",
                 "fight @ Tabqa, SDF > IS", coarse=True),
    Construction("A backed by B retook C: B is no taker, even where the parse reads the "
                 "backer as the subject", "Iraqi troops backed by the US-led coalition retook "
                 "Haditha on Friday, the defence ministry said.", "capture @ Haditha, ISF >",
                 coarse=True),
    Construction("B's air strikes fueled gains, allowing A to retake C: A retook C, and the "
                 "strikes are not placed at C", "Russian air strikes on the militants' supply "
                 "lines helped the offensive, allowing the army to retake Palmyra in March.",
                 "capture @ Palmyra, SYR >", coarse=True, when="2016-03"),
    Construction("the recapture of C comes N years after B stormed ...: the N years measure "
                 "the event after them; the recapture is the news", "Iraqi troops retook "
                 "Haditha on Friday. The recapture of Haditha comes nearly two years after "
                 "Islamic State overran much of the province.", "capture @ Haditha, ISF >",
                 when="2016-06-03"),
    Construction("the fighters also captured D (a definite 'the fighters' after a capture "
                 "told with its taker): the same taker", "Turkish-backed rebels captured Azaz "
                 "from Islamic State on Sunday. A monitor said the fighters also seized the "
                 "nearby town of Akhtarin.", "capture @ Akhtarin, FSA >", coarse=True),
    Construction("X-backed Syrian rebel fighters took over C from B", "Turkish-backed Syrian "
                 "rebel fighters have taken over Akhtarin from Islamic State.",
                 "capture @ Akhtarin, FSA > IS"),
    Construction("C is a prize for A, who have been backed by airstrikes carried out by the "
                 "U.S.-led coalition: a strike by the coalition (a dotted name before '-led' "
                 "still names it)", "Manbij is an important prize for Kurdish fighters, who "
                 "have been backed by airstrikes carried out by the U.S.-led coalition.",
                 "strike @ Manbij, US >", coarse=True),
    Construction("B overran C in MONTH, killing and abducting hundreds: the participles "
                 "have the clause's subject and date", "Residents of Palmyra suffered when "
                 "Islamic State overran the city in May 2015, killing and abducting hundreds.", "civilians @ Palmyra, IS >", coarse=True, when="2015-05"),
    Construction("the D Today news website reported: a place inside an outlet's name is no "
                 "place", "Iraqi troops retook Baiji on Sunday, the Arabic-language Mosul Now "
                 "news website reported.", "capture @ Baiji, ISF >", coarse=True,
                 none="Mosul"),
    Construction("A declared victory in an offensive that could help efforts to capture C, "
                 "and D in the north: a place listed after a goal is a goal too", "Kurdish "
                 "commanders declared victory in a campaign that could boost efforts to capture "
                 "the city of Raqqa, and Tabqa to the west.",
                 "", coarse=True),
    Construction("A retook C on DAY ... A made advances into the town on DAY: the advance is "
                 "the capture told as it happened (a clash told as such stays a fight)",
                 "Iraqi forces retook Haditha on Wednesday. Iraqi troops clashed with Islamic "
                 "State in Haditha on Wednesday, and made their advances into the town early "
                 "Wednesday.", "capture @ Haditha, ISF > + fight @ Haditha, ISF > IS",
                 coarse=True),
    Construction("A denied reports that B had seized C / dismissed claims that ... / rumours "
                 "that ...: a denied report is no event", "The army denied reports that Islamic "
                 "State had seized Baiji on Monday. Officials dismissed claims that the "
                 "militants had captured Haditha.", "", coarse=True),
    Construction("A denied the claims, and said its troops had retaken C: the denial ends at "
                 "the clause", "The army denied the claims, and said its troops had retaken "
                 "Baiji on Monday.", "capture @ Baiji, ISF >", coarse=True),
    Construction("A denies (deny, denied, is denying) that B seized C / rejects claims that "
                 "... / denies shelling C: a denial in any tense denies the event",
                 "The army denies that Islamic State seized Baiji on Monday. Kurdish officials "
                 "deny the militants shelled Haditha. Islamic State denies shelling Rutba. The "
                 "government rejects claims that the militants had entered Hit.", "",
                 coarse=True),
    Construction("A denied that ..., and said its troops had retaken C: a bare denied clause "
                 "ends at its comma", "The army denied that it had withdrawn, and said its "
                 "troops had retaken Baiji on Monday.", "capture @ Baiji, ISF >", coarse=True),
    Construction("A announces (declares, confirms) the liberation of C: a headline's present "
                 "tense tells what the past does ('A announced the liberation of C')",
                 "The Iraqi army announces the liberation of Rutba.", "capture @ Rutba, ISF >",
                 coarse=True),
    Construction("B's operation X, a ground and air offensive launched on DAY with the aim of "
                 "ousting A: the operation's owner struck, never the force it aims to oust",
                 "Taking Azaz was the main goal of Turkey's operation, a ground and air "
                 "offensive launched on March 3 with the aim of ousting the YPG.",
                 "strike @ Azaz, TUR >", coarse=True, when="2016-03-03"),
    Construction("C was bombed / X had been set ablaze (an active verb after a passive "
                 "auxiliary, no by-phrase): the sentence does not say who, and the sentence "
                 "before's force is not guessed", "Kurdish fighters fought on in Tabqa on Friday. "
                 "The militants' last camp in Tabqa was bombed on Friday.", "strike @ Tabqa,  >",
                 coarse=True),
    Construction("\"... Turkish propaganda,\" an official said. The operation began in C on "
                 "DAY: a quotation's forces are not the next sentence's actor",
                 "\"Everything else they say is Turkish propaganda,\" a Kurdish commander said. "
                 "The operation began in Tabqa on May 1.", "fight @ Tabqa,  >",
                 coarse=True, when="2016-05-01"),
    Construction("A captured C on the border with D and the town of E: two captures, and the "
                 "state named by the border is no side", "Syrian rebels captured the Islamic "
                 "State stronghold of Jarabulus on the border with Turkey and the town of "
                 "Manbij to the south.", "capture @ Jarabulus, FSA > IS + capture @ Manbij, FSA > IS"),
    Construction("A is in control of at least half of C: fighting at C (the town's holder "
                 "does not change)", "Kurdish fighters are now in control of at least half of "
                 "Tabqa.", "fight @ Tabqa, SDF >", coarse=True),
    Construction("B in C came under fire from A's artillery: B was the target, never the "
                 "actor", "Islamic State fighters in Mosul came under fire from Iraqi artillery "
                 "on Monday.", "strike @ Mosul,  > IS", coarse=True),
    Construction("B were pounded by A's aircraft near C (a passive strike): A struck B",
                 "The militants were pounded by US-led coalition aircraft near Raqqa on Monday.",
                 "strike @ Raqqa, US >", coarse=True),
    Construction("A repelled a B attack on C / an assault by B on C: B attacked, A defended",
                 "Iraqi forces repelled an Islamic State attack on Haditha on Sunday. Kurdish "
                 "forces repelled an assault by Islamic State fighters on Kobani on Sunday.",
                 "fight @ Haditha, IS > ISF + fight @ Kobani, IS > SDF", coarse=True),
    Construction("B executed N people in C for collaborating with A: 'with' names the other "
                 "side of fighting only", "Islamic State executed 15 people in Raqqa on Friday "
                 "for collaborating with the coalition.", "civilians @ Raqqa, IS >",
                 coarse=True),
    Construction("A have driven B out of C (active; B inside the verb's words is the side "
                 "driven out)", "Kurdish forces have driven Islamic State out of Manbij, a "
                 "monitor said on Friday.", "capture @ Manbij, SDF > IS", coarse=True),
    Construction("A condemned the strikes near C: the one condemning did not strike",
                 "The Syrian government on Sunday condemned the strikes near Palmyra, calling "
                 "them an act of aggression.", "strike @ Palmyra,  >", coarse=True),
    Construction("A said its aircraft had destroyed a B headquarters in C: a strike (the "
                 "aircraft's), not property destruction", "The US-led coalition said its "
                 "aircraft had destroyed an Islamic State headquarters in Raqqa on Tuesday.",
                 "strike @ Raqqa, US >", coarse=True),
    Construction("A fought off a B counter-attack in C: B attacked ('fought off' defends, it "
                 "is no fight verb of its own)", "Government forces fought off an Islamic State "
                 "counter-attack in Tikrit on Friday.", "fight @ Tikrit, IS > ISF",
                 coarse=True),
    Construction("clashes erupted between A and B in C", "Fierce clashes erupted between "
                 "Kurdish fighters and Islamic State in Hasaka on Thursday.",
                 "fight @ Hasaka, SDF > IS", coarse=True),
    Construction("A announced the liberation of C: A took C (also without the parser)",
                 "The Iraqi army announced the liberation of Hit on Thursday.",
                 "capture @ Hit, ISF >", coarse=True, when="2016-06-02"),
    Construction("the prime minister announced the start of an offensive to retake C: the "
                 "government of C's country (a head of government stands for it)",
                 "The prime minister announced the start of a ground offensive to retake "
                 "Fallujah on Thursday.", "fight @ Fallujah, ISF >", coarse=True,
                 when="2016-06-02"),
    Construction("assault rifles, assault weapons: arms, no assault",
                 "Rebel fighters posed with assault rifles in Azaz on Sunday.", "",
                 coarse=True),
    Construction("C alone, when a district is named like its seat town: the town (a "
                 "district is named for its seat; 'the C district' is the district)",
                 "Iraqi troops retook Daur from Islamic State on Tuesday.",
                 "capture @ Ad Dawr, ISF > IS", coarse=True),
    Construction("headline names C; the lede says A drove B from a key town north of D: "
                 "the indefinite description introduces the headline's town",
                 "Iraqi troops on Thursday pushed Islamic State militants from a key town "
                 "north of the capital, officers said.",
                 "capture @ Ad Dawr, ISF > IS", coarse=True, when="2016-06-02",
                 title="Troops retake Daur from Islamic State"),
    Construction("a key town in the lede of an article that names its town only later: no "
                 "town is guessed for it",
                 "Iraqi troops on Thursday pushed Islamic State militants from a key town "
                 "north of the capital. Officers gave no figures. Residents stayed home. "
                 "Daur was quiet on Friday, they said.", "", coarse=True),
    Construction("Recapturing the town of C dealt another blow to B, after A took C: one "
                 "capture, the taker the article named",
                 "Iraqi troops retook Daur from Islamic State on Tuesday. Recapturing the "
                 "town of Daur dealt another blow to the militants.",
                 "capture @ Ad Dawr, ISF > IS", coarse=True),
    Construction("the goal of a campaign ('the push to retake D') counts half towards the "
                 "article's town: 'the town' is C, which the story tells",
                 "In the push to retake Mosul, Iraqi troops retook Daur from Islamic State "
                 "on Tuesday. Officers declared the town fully liberated on Thursday.",
                 "capture @ Ad Dawr, ISF > IS", coarse=True, none="Mosul"),
    Construction("X came two days after A captured the B stronghold of C on the border with "
                 "D and the town of E to the south: the coordinated object is a second "
                 "capture, with the first one's date", "The raids came two days after "
                 "Kurdish fighters and their allies captured the Islamic State stronghold of "
                 "Tal Abyad on the border with Turkey and the town of Suluk to the south.",
                 "capture @ Tal Abyad, SDF > IS + capture @ Suluk, SDF > IS", coarse=True,
                 when="2016-06-0"),
    Construction("A's aircraft bombed the besieged town of C: a strike; 'besieged' describes "
                 "C, it is no siege laid by A", "Russian warplanes bombed the besieged town "
                 "of Douma on Friday.", "strike @ Douma, RUS >", coarse=True),
    Construction("C has been besieged by A since YEAR (a later report): the siege began in "
                 "YEAR and still goes on (its notes say until the report's day)",
                 "Douma is the largest town of the enclave. It has been besieged by "
                 "government forces since 2013.", "fight @ Douma, SYR >", coarse=True,
                 when="2013"),
    Construction("aircraft dropped barrel bombs on C", "Syrian government helicopters dropped barrel "
                 "bombs on Daraya on Monday.", "strike @ Daraya, SYR >", coarse=True),
    # --- forces as wire copy names them, and losses told from the loser's side ---
    Construction("B withdrew from C: C changed hands, B lost it (the taker unnamed)",
                 "Syrian troops withdrew from Palmyra on Sunday as Islamic State fighters "
                 "advanced.", "capture @ Palmyra,  > SYR", coarse=True),
    Construction("B pulled out of C", "Iraqi troops pulled out of Ramadi on Sunday.",
                 "capture @ Ramadi,  > ISF", coarse=True),
    Construction("B retreated (completely) from C",
                 "Syrian rebels retreated completely from Khan Shaykhun on Tuesday.",
                 "capture @ Khan Shaykhun,  > FSA", coarse=True),
    Construction("people who are no force withdrew from C: no event",
                 "Residents withdrew from Ramadi on Sunday.", "", coarse=True),
    Construction("fighters loyal to A took C: 'to' names whom they serve, no intention",
                 "Fighters loyal to the Syrian government recaptured Qaryatain on Sunday.",
                 "capture @ Qaryatain, SYR >", coarse=True),
    Construction("militiamen loyal to the government took C: the government of C's country",
                 "Militiamen loyal to the government retook Palmyra on Sunday.",
                 "capture @ Palmyra, SYR >", coarse=True),
    Construction("pro-government militias took C", "Pro-government militias seized Khanasir "
                 "on Tuesday.", "capture @ Khanasir, SYR >", coarse=True),
    Construction("fighters of A (an Arabic name with its article) took C",
                 "Fighters of al-Hashd al-Shaabi retook Baiji on Thursday.",
                 "capture @ Baiji, PMF >", coarse=True),
    Construction("a faction under its own Arabic name stands for its side",
                 "Asaib Ahl al-Haq fighters stormed Jurf al-Sakhar on Monday.",
                 "capture @ Jurf al-Sakhar, PMF >", coarse=True),
    Construction("a rebel faction under its own Arabic name",
                 "Ahrar al-Sham fighters attacked army positions in Douma on Monday.",
                 "fight @ Douma, FSA > SYR"),
    Construction("B came under attack from A in C: A attacked, B was attacked",
                 "Kurdish fighters in Afrin came under attack from Turkish-backed rebels on "
                 "Sunday.", "fight @ Afrin, FSA > SDF", coarse=True),
    Construction("B came under mortar fire from A in C: a shelling by A",
                 "Iraqi troops came under heavy mortar fire from Islamic State militants in "
                 "Ramadi on Monday.", "strike @ Ramadi, IS > ISF", coarse=True),
    Construction("clashes broke out in C on DAY between A and B: the pair after the verb are "
                 "the sides", "Clashes broke out in Tikrit on Friday between Iraqi forces and "
                 "Islamic State militants.", "fight @ Tikrit, ISF > IS", coarse=True),
    Construction("A and B's aircraft struck C: the first acts, the second is its associate",
                 "Russian and Syrian warplanes struck rebel positions near Idlib on Wednesday.",
                 "strike @ Idlib, RUS > FSA", coarse=True),
    Construction("A's artillery pounded B positions near C: 'Kurdish positions', 'rebel "
                 "positions' name the side hit",
                 "Turkish artillery pounded Kurdish positions near Afrin on Saturday.",
                 "strike @ Afrin, TUR > SDF"),
    Construction("A advanced on DAY, DATE, towards C: a date between the word and its place "
                 "does not part them", "The Syrian army advanced on Monday, May 30, towards "
                 "the town of Qaryatain.", "fight @ Qaryatain, SYR >", coarse=True),
    Construction("C was wrested from B by A (passive, Arabic place and force names)",
                 "Tadmur was wrested from Daesh by the Syrian Arab Army on Sunday.",
                 "capture @ Palmyra, SYR > IS", coarse=True),
    Construction("X had begun after shelling by A: the shelling's agent struck",
                 "A military operation in the Afrin region had begun after cross-border "
                 "shelling by the Turkish army.", "strike @ Afrin, TUR >", coarse=True),
    Construction("part of an operation to retake C announced by A on DAY: the frame is news "
                 "of its own (a name before 'announced by' is no government)",
                 "The raid is part of a broader operation to retake Mosul announced by the "
                 "Iraqi prime minister early on Monday.", "fight @ Mosul, ? >", coarse=True),
    Construction("part of an operation to retake C: a frame, no event of its own",
                 "The raid was part of an operation to retake Mosul, officials said.", "",
                 coarse=True),
    Construction("A struck C. B described the attack as aggression: 'the attack' is the "
                 "strike told before, no fight of its own",
                 "US warships fired missiles at the Shayrat air base on Friday. The army "
                 "command described the attack as an act of aggression.",
                 "strike @ Shayrat, US >", coarse=True),
    Construction("C fell on DAY (no taker named): the holder lost it",
                 "Mosul fell in June 2014, officials recalled.", "capture @ Mosul,  >",
                 coarse=True, when="2014-06"),
    Construction("the population of C fell: C is no subject, nothing was taken",
                 "The population of Mosul fell in 2017, officials said.", "", coarse=True),
    Construction("fighting went on in C on DAY as A pushed in: the force of the as-clause "
                 "is no object of 'on'", "Heavy fighting continued in Deir ez-Zor on "
                 "Saturday as government forces pushed into the city.",
                 "fight @ Deir ez-Zor, SYR >"),
    Construction("B lost control of C to US-backed fighters (in Syria: the SDF)",
                 "Islamic State has lost control of Manbij to US-backed fighters, a monitor "
                 "said on Friday.", "capture @ Manbij, SDF > IS", coarse=True),
    Construction("A claimed the attack, which killed N near C on DAY: the relative clause "
                 "on the event's noun tells its day", "Islamic State claimed the bombing, "
                 "which killed 20 people in Baghdad on Monday.", "strike @ Baghdad, IS >",
                 coarse=True, when="2016-05-30"),
    Construction("A and B clashed near C: a force named with the actor but hostile to it is "
                 "the other side", "Syrian rebels and Islamic State militants clashed near "
                 "Azaz on Monday.", "fight @ Azaz, FSA > IS"),
    Construction("with the support of A's ground troops: the generic 'troops' after a "
                 "nation's name are that nation's", "Syrian rebels launched an offensive on "
                 "al-Bab on Monday with the support of Turkish ground troops and air strikes.",
                 "strike @ al-Bab, TUR >", coarse=True),
    Construction("\"We captured C,\" said N, a rebel commander: the speaker's side took it",
                 "\"We captured the centre of al-Bab yesterday,\" said Ahmad Othman, a rebel "
                 "commander.", "capture @ al-Bab, FSA >"),
    Construction("C fell to the militants as the soldiers abandoned their posts",
                 "Mosul fell to the militants on Tuesday as soldiers abandoned their posts.",
                 "capture @ Mosul, IS >", coarse=True),
)


def markdown() -> str:
    """The two tables of ``docs/extraction.md`` (constructions, then triggers), as
    Markdown: ``python -m geo.extract.constructions`` prints them to paste there."""
    from geo.extract.triggers import RULES

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| construction | example (written for the row) | yields: class @ place, "
             "actor1 > actor2 | without parser |", "| --- | --- | --- | --- |"]
    for c in CONSTRUCTIONS:
        yields = c.yields.replace(" + ", "; ") or "no event"
        if c.when:
            yields += f" (dated {c.when}…)"
        if c.none:
            yields += f"; nothing @ {c.none}"
        if c.assoc:
            yields += f"; {c.assoc} as associates"
        lines.append(f"| {cell(c.construction)} | {cell(c.example)} | {cell(yields)} | "
                     f"{'yes' if c.coarse else 'parser'} |")
    lines += ["", "| class | ACLED sub-event type | kind | example (written for the row) | "
              "yields |", "| --- | --- | --- | --- | --- |"]
    for r in RULES:
        kind = r.kind + (" (weak)" if r.strength < 1 else "")
        lines.append(f"| {r.cls} | {r.sub_event_type} | {kind} | {cell(r.example)} | "
                     f"{cell(r.yields)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
