"""The words of news English that name no place (shared by extraction and the gazetteer).

Words that are place names somewhere in the gazetteer but, in English news, are almost
always something else: English words, months, weekdays, people's names, demonyms,
organisation words. ``find_mentions`` never reports them on their own (a longer name
containing them, "Bab al-Hawa", is still found). Keys are ``mention_key`` forms.

Beyond these hand lists, a general English vocabulary (``is_english_word``: verbs,
adjectives, adverbs and stop words, bundled in ``data/english_words.txt.gz``) decides the
names that are also words ("Hit", "Salt", "Shore"): a well-known town of such a name counts
only when capitalised in the middle of a sentence, a minor village not at all.
"""
from __future__ import annotations

import gzip
import re
from functools import lru_cache

from geo.core import paths

#: A district and the town it is named for share the name ("Shirqat", "Ras al-Ain"): a
#: name standing alone names the town, the district's seat, unless one of these words
#: follows it ("the Sinjar district"). The seat lies within ``SEAT_TOWN_KM`` of the
#: district's own point (its centroid): ``geo.core.districts.seat_of``, the one rule the
#: look-up, the gazetteer's text scan, extraction and the article's geography ask.
SEAT_TOWN_KM = 40.0
DISTRICT_AFTER = re.compile(r"\s*(?:district|county|qadha|qada|region|area|province|"
                            r"governorate|countryside)\b", re.I)

MONTHS_AND_DAYS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
saturday sunday mon tue tues wed thu thur thurs fri sat sun
""".split())

#: Given names (and the particles of Arabic names) frequent in this region's news: a word
#: that is mostly a person's first name, never a public figure's surname. Surnames and
#: foreign names are told by their context instead (a title before them, "X said", the
#: article naming them as a person once: ``geo.extract.events._person_or_title``).
GIVEN_NAMES = frozenset("""
ali said saeed sa'id hassan hasan hussein husain husayn hossein mohammed muhammad mohammad
mohamed ahmed ahmad omar umar othman uthman osman abdullah abdallah ibrahim ismail khalid
khaled mahmoud mahmud mustafa mostafa youssef yusuf yousef karim kareem nasr nasser nasir
hamza hamid hamad hamed jamal kamal salim salem saleh salah haidar haider abbas jafar
jaafar zaid zayd mahdi hadi amir ameer emir fatima fatimah aisha zainab maryam mariam
abu umm ibn bin bint bani beni abd abdul abdel bashar maher
john david james michael adam george william charles victoria elizabeth anna maria lina
rami ramadan sayyid sayed sayid seyyed gharib qasim qassem qasem nouri shaker
""".split())

#: Surnames of public figures that also name places in the gazetteer (a lake, a village):
#: "President Assad", "Bashar al-Assad" are a person. A surname is no given name, so it is
#: listed apart, but it counts wherever extraction or the gazetteer asks whether a word
#: belongs to a person's name (``PERSON_NAMES``).
SURNAMES = frozenset("""
assad asad adams
""".split())

#: Any word of a person's name: a given name or one of the surnames above.
PERSON_NAMES: frozenset[str] = GIVEN_NAMES | SURNAMES

#: Demonyms, organisations and other capitalised news words.
NEWS_WORDS = frozenset("""
iraqi iraqis syrian syrians kurdish kurds kurd turkish turks turk iranian iranians arab
arabs arabic american americans russian russians british french german jordanian
lebanese saudi shia shiite shi'ite shi'ites sunni sunnis yazidi yazidis christian
christians muslim muslims islamic islam state army forces force militia militias
coalition government ministry minister president prime general colonel major captain
police security council parliament reuters afp ap associated press news agency
daesh isis isil is al qaeda nusra front brigade brigades battalion division regiment
unit units party union league movement alliance democratic republic kingdom united
nations un nato eu us usa uk pentagon washington moscow tehran ankara london paris
god allah mosque church sheikh shaikh emirate caliphate caliph imam mullah
""".split())

#: English words always read as words, even capitalised: function words, generic place
#: words that begin many names ("Camp", "Bridge", "North"), and short nouns (which the
#: general vocabulary leaves out) that name some village in the gazetteer.
ENGLISH_WORDS = frozenset("""
a about above after again against all also am among an and any are as at away back bad
base be because been before being below best between big both but by came can cold come
could day days did do does done down during each early east end even every far few fight
fighting fire first five for four free from full gate get go good got great had half hand
has have he her here high him his home hope how if in into it its just key kill killed
last late left less life like line little long look lost made main make man many me men
mid might more most much must my near new next night nine no north not now of off old on
once one only open or other our out over own part peace people place plan point post
power put red rest right road round run safe said same say says see seven shall she
should show side since six small so some south still such take ten than that the their
them then there these they third this those three through time to today too top town
two under up upon very was water way we well went were west what when where which while
white who why will with within without world would year years yes yet you young your
bad bar bat bed bell big bin bit boy bus cab cal cat cup cut dam den dim dot ear eel
fan fat fee fig fin fit fox fun gas gel gun gut ham hat hen hot hut ice ink inn jar
jet job jug kit lab lad lap law lay led leg let lid lip log lot low mad map mat mob mud
mug nap net nut oak oil pad pan pat pen pet pie pig pin pit pot pub rag ram rat raw ray
rib rid rim rod row rug sad sap saw sea set sin sir sit sky son spa sum tab tag tan tap
tar tax tea tie tin tip toe ton toy tub van war wax web wet wig win wit yard zone
bab dar tal tell tall kafr kafar deir dayr ain ayn ras tel jabal jebel wadi nahr bir
qasr khan suq souk hay hayy mission camp city area village villages border river
valley lake mount mountain mountains desert island bridge hill hills plain plains
station airport center centre market square street road district province region
governorate capital central northern southern eastern western upper lower greater
old new great little grand saint st mar mir bey pasha aga agha
hope alma asia africa europe america nile victory liberation freedom unity
""".split())

#: Keys a mention may never consist of on its own.
STOP_KEYS: frozenset[str] = MONTHS_AND_DAYS | PERSON_NAMES | NEWS_WORDS | ENGLISH_WORDS


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """English verbs, adjectives, adverbs (with irregular forms) and stop words, lower
    case: the bundled list built by ``python -m geo.core.build_words`` from WordNet's
    tables. Nouns are not in it (WordNet's nouns hold proper names too). Empty when the
    file is missing (a damaged checkout): names are then judged by the hand lists alone."""
    try:
        with gzip.open(paths.ENGLISH_WORDS_FILE, "rt", encoding="utf-8") as fh:
            return frozenset(line.strip() for line in fh if line.strip())
    except OSError:
        return frozenset()


def is_english_word(key: str) -> bool:
    """Whether a single-word mention key is also an English word (not a noun only):
    such a name is a place only when capitalised in the middle of a sentence ("Hit" in
    "militants seized Hit", never "Hit" opening a sentence or "hit" in "strikes hit")."""
    return " " not in key and key in english_vocabulary()
