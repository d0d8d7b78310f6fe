"""The query grammar: a place name as analysts meet it, parsed into its parts.

Names arrive from strike reports, other outlets' event lists and datasets in other
languages: "SE of Tikrit", "Mossul-Staudamm", "Hit, Iraq", "Hajin and Baghuz",
"Sinjar district". Before any look-up, ``parse_query`` splits such a query into

* ``name``: the toponym to look up ("Tikrit", "Mossul", "Hit");
* ``feature``: the kind of feature asked for ("dam", "airbase", ...) or an
  administrative level ("region", "county", "locality"), from a feature word;
* ``qualifier``: a direction or nearness ("SE of", "outskirts", "west part of") that puts
  the event near the named place rather than at it (a coarser ``geo_precision``);
* ``within``: a country or province that chooses among homonyms ("Iraq", "Nineveh");
* ``parts``: the places of a list ("X and Y", "X/Y"), each parsed alone.

The grammar is the tables below (constructions, the words each one knows, an example
per row); ``tests/test_geocode_query.py`` pins one sentence per construction. No rule
names a place: the words are English and the other languages datasets come in (German,
French, Spanish, Italian, Portuguese, Dutch, Danish/Norwegian/Swedish, Turkish), in
``exact_key`` form (lowercase, accents folded: "dæmningen" -> "daemningen").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from geo.core.errors import GeocoderQueryError
from geo.geocode.normalize import exact_key

#: Longest query accepted, in characters: a place name with its qualifiers fits in far
#: less; a longer "name" is a pasted paragraph or garbage, refused with a message.
MAX_QUERY_CHARS = 300

# -- feature words ---------------------------------------------------------------------------
# place type -> (words written after the name, words written before it). The place type
# is the gazetteer's ``place_type``; ``COMPATIBLE_TYPES`` says which stored types answer it.
FEATURE_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dam": (
        ("dam", "dams", "barrage", "staudamm", "talsperre", "damm", "daemningen", "daemning",
         "demningen", "demning", "dammen", "stuwdam", "baraji", "baraj", "diga", "presa",
         "barragem", "represa"),
        ("barrage de", "barrage du", "barrage d", "presa de", "presa del", "represa de",
         "diga di", "diga de", "barragem de", "stuwdam van", "staudamm", "talsperre")),
    "airbase": (
        ("air base", "airbase", "air field", "airfield", "airstrip", "military airport",
         "military airbase", "military air base", "military airfield", "air force base",
         "air station", "luftwaffenstutzpunkt", "fliegerhorst", "militarflugplatz",
         "flugplatz", "luftwaffenbasis", "flybase", "flybasen", "luftbase", "luftbasen",
         "flygbas", "flygbasen", "vliegbasis", "hava ussu", "askeri havaalani",
         "base aerienne", "base aerea"),
        ("base aerienne de", "base aerienne d", "base aerea de", "base aerea di",
         "base aerea", "aerodrome de", "aerodromo de", "luftwaffenstutzpunkt",
         "fliegerhorst", "militarflugplatz", "flugplatz", "vliegbasis", "air base",
         "airbase")),
    "airport": (
        ("airport", "international airport", "civil airport", "flughafen", "lufthavn",
         "lufthavnen", "flygplats", "flygplatsen", "luchthaven", "havalimani", "havaalani",
         "aeroporto", "aeropuerto", "aeroport"),
        ("aeroport de", "aeroport d", "aeroport international de", "aeropuerto de",
         "aeropuerto internacional de", "aeroporto di", "aeroporto de", "flughafen",
         "luchthaven")),
    "base": (
        ("base", "military base", "garrison", "basen", "basis", "stutzpunkt", "militarbasis",
         "militaerbasis", "base militaire", "base militar", "ussu"),
        ("base militaire de", "base militar de", "base de", "base", "stutzpunkt")),
    "border crossing": (
        ("border crossing", "border crossing point", "crossing point", "border gate",
         "border post", "crossing", "grenzubergang", "graenseovergang",
         "graenseovergangen", "gransovergang", "gransovergangen", "grensovergang",
         "sinir kapisi", "gumruk kapisi", "kapisi", "poste frontiere", "paso fronterizo",
         "valico"),
        ("poste frontiere de", "poste frontiere d", "passage frontalier de",
         "paso fronterizo de", "valico di", "grenzubergang", "border crossing of",
         "crossing of")),
    "refinery": (
        ("refinery", "oil refinery", "raffinerie", "olraffinerie", "erdolraffinerie",
         "raffinaderi", "raffinaderiet", "rafinerisi", "rafineri", "refineria",
         "raffineria", "refinaria"),
        ("raffinerie de", "raffinerie d", "refineria de", "raffineria di", "refinaria de",
         "raffinerie", "refinery of")),
    "oil field": (
        ("oil field", "oilfield", "oil fields", "oilfields", "gas field", "gasfield",
         "gas fields", "field", "fields", "olfeld", "olfelder", "erdolfeld", "gasfeld",
         "oliefelt", "oliefeltet", "oljefalt", "champ petrolier", "campo petrolifero",
         "campo petrolero"),
        ("champ petrolier de", "champ petrolier d", "champ gazier de", "campo petrolifero de",
         "campo petrolero de", "giacimento di", "olfeld")),
    "bridge": (
        ("bridge", "suspension bridge", "old bridge", "brucke", "hangebrucke", "broen",
         "bron", "pont", "puente", "ponte", "koprusu"),
        ("pont de", "pont d", "puente de", "ponte di", "ponte de", "brucke von",
         "bridge of")),
    "university": (
        ("university", "universitat", "universite", "universidad", "universita",
         "universitet", "universitetet", "universiteit", "universitesi"),
        ("university of", "universite de", "universite d", "universidad de",
         "universita di", "universitat", "universiteit van")),
    "neighbourhood": (
        ("neighbourhood", "neighborhood", "quarter", "old city", "old town", "suburb",
         "stadtteil", "altstadt", "quartier", "barrio", "mahallesi", "bydel", "bydelen"),
        ("old city of", "the old city of", "old town of", "the old town of", "quartier de",
         "quartier d", "altstadt von", "barrio de", "hay", "hayy")),
    "camp": (
        ("camp", "refugee camp", "idp camp", "displacement camp", "lager",
         "fluchtlingslager", "leir", "leiren", "lejr", "lejren", "lagret", "kampi"),
        ("camp de", "camp d", "campo de", "campamento de", "lager")),
    "prison": (
        ("prison", "jail", "gefangnis", "fangsel", "fangslet", "carcel"),
        ("prison de", "prison d", "carcel de", "gefangnis")),
    "facility": (
        ("hospital", "factory", "mosque", "school", "market", "souq", "square", "stadium",
         "palace", "power plant", "power station", "silos", "grain silos", "silo",
         "police station", "station", "headquarters", "hq", "compound", "building",
         "cement plant", "cement factory", "water plant", "water treatment plant",
         "pumping station", "tunnel", "cemetery", "church", "shrine", "courthouse",
         "hotel", "barracks", "military college", "police academy", "depot",
         "warehouse", "krankenhaus", "moschee", "hopital", "mosquee", "ecole"),
        ("hospital of", "the hospital of", "the mosque of", "hopital de", "mosquee de")),
    "crossroad": (
        ("crossroads", "crossroad", "junction", "intersection", "roundabout", "interchange",
         "kreuzung", "carrefour", "cruce", "kavsagi"),
        ("crossroads of", "junction of", "carrefour de", "cruce de", "kreuzung")),
    "checkpoint": (
        ("checkpoint", "check point", "checkpoints", "kontrollpunkt", "barrage routier"),
        ("checkpoint of", "kontrollpunkt")),
    "river": (
        ("river", "fluss", "fleuve", "riviere", "rio", "nehri", "floden"),
        ("river", "the river", "fleuve", "rio")),
    "lake": (
        ("lake", "reservoir", "see", "lac", "lago", "golu", "soen"),
        ("lake", "lac de", "lac d", "lago de", "lago di")),
    "mountain": (
        ("mountain", "mountains", "mount", "range", "gebirge", "berg", "montagne",
         "montagnes", "montes", "dagi", "daglari"),
        ("mount", "mountains of", "mont", "monte", "jabal", "jebel", "djebel")),
}

#: Stored place types that answer a feature word ("air base" also finds an airport).
COMPATIBLE_TYPES: dict[str, frozenset[str]] = {
    "dam": frozenset({"dam"}),
    "airbase": frozenset({"airbase", "airport", "campus"}),
    "airport": frozenset({"airport", "airbase", "campus"}),
    "base": frozenset({"airbase", "camp", "base", "border crossing", "campus"}),
    "border crossing": frozenset({"border crossing", "border"}),
    "refinery": frozenset({"refinery"}),
    "oil field": frozenset({"oil field"}),
    "bridge": frozenset({"bridge"}),
    "university": frozenset({"university", "campus"}),
    "neighbourhood": frozenset({"neighbourhood", "locality"}),
    "camp": frozenset({"camp", "airbase", "base"}),
    "prison": frozenset({"prison"}),
    "crossroad": frozenset({"crossroad"}),
    "facility": frozenset({"site", "campus"}),
    "checkpoint": frozenset({"checkpoint", "crossroad"}),
    "river": frozenset({"river"}),
    "lake": frozenset({"lake"}),
    "mountain": frozenset({"mountain"}),
    "region": frozenset({"region"}),
    "county": frozenset({"county"}),
    "locality": frozenset({"locality"}),
}

#: Administrative words: they choose a level, not a feature ("Sinjar district").
ADMIN_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "region": (
        ("province", "provinces", "governorate", "governorates", "muhafazah", "muhafazat",
         "canton", "kanton",
         "wilayah", "gouvernorat", "gouvernement", "provinz", "provincia", "gobernacion",
         "governatorato", "provinsen", "provins", "guvernement", "ili", "vilayeti"),
        ("province of", "the province of", "governorate of", "the governorate of",
         "gouvernorat de", "gouvernorat d", "province de", "provincia de", "provinz",
         "gobernacion de", "governatorato di", "muhafazat")),
    "county": (
        ("district", "districts", "subdistrict", "sub district", "qada", "qadaa", "kaza",
         "nahiya", "nahiyah", "bezirk", "distrikt", "distriktet", "distrito", "ilcesi",
         "mintaqa"),
        ("district of", "the district of", "qada", "qadaa", "nahiyat", "nahiya", "district de",
         "distrito de", "distretto di", "bezirk")),
    "locality": (
        ("city", "town", "village", "villages", "ville", "stadt", "ciudad", "citta",
         "by", "byen", "stad", "koyu"),
        ("city of", "the city of", "town of", "the town of", "village of", "the village of",
         "ville de", "ville d", "stadt", "ciudad de", "citta di", "qaryat", "qarya",
         "madinat")),
}

#: Country names as datasets write them -> ISO 3166-1 alpha-2 (the theatre and its
#: neighbours), for qualifiers such as "Hit, Iraq" and "Cizre (Turkey)".
COUNTRY_NAMES: dict[str, str] = {}
for _code, _names in {
    "IQ": "iraq|irak|iraque|al iraq|republic of iraq|iraq republic",
    "SY": "syria|syrie|syrien|siria|suriye|syrian arab republic|souria|suriyah",
    "TR": "turkey|turkiye|turquie|turkei|turchia|turquia|tyrkiet|turkiet|republic of turkey",
    "IR": "iran|islamic republic of iran|persia|irao",
    "JO": "jordan|jordanie|jordanien|giordania|jordania|urdun|al urdun",
    "LB": "lebanon|liban|libanon|libano|lubnan",
    "SA": "saudi arabia|arabie saoudite|saudi arabien|ksa",
    "KW": "kuwait|koweit",
    "IL": "israel",
    "PS": "palestine|palestinian territories|west bank",
}.items():
    for _n in _names.split("|"):
        COUNTRY_NAMES[_n] = _code

# -- qualifiers ------------------------------------------------------------------------------
#: Compass points as written (English abbreviations and words, German, French, Spanish)
#: -> the English point.
DIRECTIONS: dict[str, str] = {}
for _point, _words in {
    "north": "n north nord norte nordlich noerdlich",
    "south": "s south sud sur sudlich suedlich",
    "east": "e east est este ostlich oestlich",
    "west": "w west ouest oeste westlich",
    "northeast": "ne northeast north east nordost nordostlich nord est noreste",
    "northwest": "nw northwest north west nordwest nordwestlich nord ouest noroeste",
    "southeast": "se southeast south east sudost sudostlich sud est sureste",
    "southwest": "sw southwest south west sudwest sudwestlich sud ouest suroeste",
}.items():
    for _w in _words.split(" "):
        DIRECTIONS.setdefault(_w, _point)
# Two-word points ("north east", "sud ouest") come from pairs of the words above.
_TWO_WORD_POINTS = {"north east": "northeast", "north west": "northwest",
                    "south east": "southeast", "south west": "southwest",
                    "nord est": "northeast", "nord ouest": "northwest",
                    "sud est": "southeast", "sud ouest": "southwest"}
#: Adjectives for a part of a place ("west Mosul", "eastern Aleppo").
PART_WORDS: dict[str, str] = {
    "west": "west", "western": "west", "east": "east", "eastern": "east",
    "north": "north", "northern": "north", "south": "south", "southern": "south",
    "northwestern": "northwest", "north western": "northwest", "northeastern": "northeast",
    "north eastern": "northeast", "southwestern": "southwest", "south western": "southwest",
    "southeastern": "southeast", "south eastern": "southeast", "central": "centre",
    "downtown": "centre", "inner": "centre", "greater": "around", "rural": "countryside",
}
#: "<direction> of X" connectors, per language.
_OF_WORDS = ("of", "von", "de", "du", "d", "del", "di")
_DIR_PREFIX = ("", "au", "a l", "al", "a", "im", "to the", "just")
#: Nearness before the name.
NEAR_BEFORE: tuple[str, ...] = (
    "near", "nearby", "near to", "close to", "next to", "outside", "outside of", "around",
    "in the vicinity of", "vicinity of", "the vicinity of", "in the area of", "the area of",
    "area of", "on the outskirts of", "the outskirts of", "outskirts of", "the edge of",
    "edge of", "on the edge of", "the suburbs of", "suburbs of", "environs of",
    "the environs of", "surroundings of", "the countryside of", "countryside of",
    "rural", "pres de", "pres d", "pres du", "aux environs de", "autour de", "cerca de",
    "nahe", "bei", "in der nahe von", "umgebung von", "vicino a", "nabij", "naer",
    "i naerheden af", "utanfor", "ved", "yakininda")
#: Nearness after the name.
NEAR_AFTER: tuple[str, ...] = (
    "outskirts", "suburbs", "area", "areas", "vicinity", "environs", "surroundings",
    "periphery", "countryside", "rural area", "region", "front", "frontline", "front line",
    "axis", "sector", "environment", "umgebung", "omrade", "omradet", "cevresi",
    "kirsal")
#: Qualifiers whose point is a region rather than near the place: "X countryside".
_REGIONAL_QUALIFIERS = frozenset({"countryside", "rural", "rural area", "region",
                                  "the countryside of", "countryside of", "kirsal"})
#: Leading words that carry no meaning for the look-up.
_LEADING_NOISE = ("the", "in", "at", "in the", "at the", "from")

#: Articles that may stand before a feature word written before the name.
_FEATURE_ARTICLES = ("the", "le", "la", "les", "l", "el", "il", "lo", "der", "die", "das",
                     "den", "det", "de")
#: German "X von Y": "Staudamm von Mossul", "Flughafen von Tabqa".
_VON_WORDS = ("staudamm von", "talsperre von", "damm von", "flughafen von",
              "luftwaffenstutzpunkt von", "militarflugplatz von", "raffinerie von",
              "grenzubergang von", "olfeld von", "universitat von", "gefangnis von")

#: Distances written before a direction: "20 km", "5km", "2.5 miles", "10 kilometres".
_DISTANCE_RE = re.compile(
    r"(?i)^\s*(?:about|some|around|approximately|approx\.?|ca\.?|roughly|~)?\s*"
    r"(?P<n>\d{1,4}(?:[.,]\d{1,3})?)\s*"
    r"(?P<unit>km|kms|kilomet(?:er|re)s?|kilometern|kilometros|mi|miles?|meilen)\b\.?\s*")
_UNIT_KM = {"mi": 1.609, "mile": 1.609, "miles": 1.609, "meilen": 1.609}

#: List separators: "X and Y", "X & Y", "X/Y", "X, Y and Z" (also "und", "et", "y", "ve").
_LIST_SPLIT_RE = re.compile(r"\s*(?:/|&|\+|;|\band\b|\bund\b)\s*", re.IGNORECASE)
_PAREN_RE = re.compile(r"^(?P<head>.*?)\s*[(\[](?P<inner>[^)\]]*)[)\]]\s*(?P<tail>.*)$")
#: Characters that are never part of a name: controls, format marks (bidi, zero-width).
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


@dataclass(frozen=True)
class Rule:
    """One construction of the grammar, for the table in the docs and the tests."""

    name: str
    construction: str
    example: str
    result: str


#: The grammar as an analyst reads it; ``parse_query`` implements each row.
GRAMMAR: tuple[Rule, ...] = (
    Rule("list", "X and Y | X/Y | X & Y | X, Y and Z", "Hit and Haditha",
         "each part resolved alone; the first is the answer, all are reported"),
    Rule("within-paren", "X (COUNTRY or PROVINCE)", "Tabqa (Syria)",
         "X, preferring places in that country or province"),
    Rule("within-comma", "X, COUNTRY or PROVINCE", "Hit, Iraq / Sinjar, Nineveh",
         "X, preferring places in that country or province"),
    Rule("distance", "N km|mi DIRECTION of X", "20 km west of Ramadi",
         "X, geo_precision near, qualifier kept with bearing and distance"),
    Rule("direction", "DIRECTION of X (n, SE, north-west, nördlich von, au nord de)",
         "SE of Tikrit", "X, geo_precision near, qualifier kept with the bearing"),
    Rule("near-before", "near|outside|around|outskirts of X", "outskirts of Fallujah",
         "X, geo_precision near"),
    Rule("near-after", "X outskirts|area|vicinity|countryside", "Fallujah outskirts",
         "X, geo_precision near (countryside: region)"),
    Rule("part", "west|eastern|central|downtown X | the western half of X | X west side",
         "west Mosul",
         "X, geo_precision near, the part kept"),
    Rule("possessive", "X's outskirts | X's old city | X's western half",
         "Mosul's western half", "read as X outskirts / X old city / X western half"),
    Rule("feature-after", "X dam|air base|airport|border crossing|refinery|... "
         "(also glued: X-Staudamm, X-dæmningen, X-basen)", "Mossul-Staudamm",
         "the feature of that type named after X, else X (near)"),
    Rule("feature-before", "barrage de X | presa de X | Luftwaffenstützpunkt X | "
         "Old City of X", "barrage de Mossoul", "the feature of that type named after X"),
    Rule("admin-after", "X province|governorate|district|city|town", "Hawija district",
         "X at that administrative level"),
    Rule("admin-before", "province of X | district of X | town of X", "the town of Hit",
         "X at that administrative level"),
)


@dataclass(frozen=True)
class Query:
    """A parsed place query. ``name`` is what the gazetteer looks up; the rest says what
    kind of place, where, and how near. ``rules`` names the constructions applied."""

    raw: str
    name: str
    feature: str | None = None          # a key of FEATURE_WORDS or ADMIN_WORDS
    feature_word: str = ""              # as found ("staudamm", "district")
    qualifier: str = ""                 # "SE of", "outskirts", "west part of", ...
    bearing: str | None = None          # "southeast", ... for directions and parts
    distance_km: float | None = None    # "20 km west of" -> 20.0
    regional: bool = False              # "X countryside": the point stands for a region
    within: str = ""                    # "Iraq", "Nineveh", as written
    parts: tuple[Query, ...] = ()     # the places of a list
    rules: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_list(self) -> bool:
        return len(self.parts) > 1

    @property
    def is_admin(self) -> bool:
        return self.feature in ADMIN_WORDS

    @property
    def wants_feature(self) -> bool:
        """True for a physical feature (dam, air base, ...), not an admin level."""
        return self.feature is not None and self.feature in FEATURE_WORDS

    def describe(self) -> str:
        """The parse in one line, for reasons and review lists."""
        bits = [f"name {self.name!r}"]
        if self.feature:
            bits.append(f"{'level' if self.is_admin else 'feature'} {self.feature}")
        if self.qualifier:
            bits.append(f"qualifier {self.qualifier!r}")
        if self.within:
            bits.append(f"within {self.within!r}")
        return ", ".join(bits)


def clean_text(raw: str) -> str:
    """NFC, invisible characters (controls, bidi and zero-width marks) to spaces, quotes
    and trailing punctuation off, whitespace collapsed."""
    text = unicodedata.normalize("NFC", raw)
    if not text.isascii() or any(ord(c) < 32 or ord(c) == 127 for c in text):
        text = "".join(" " if unicodedata.category(c) in _INVISIBLE else c for c in text)
    text = " ".join(text.split())
    return text.strip("\"“”«»„'`").strip(" .,;:!?-–—").strip()


def validate(raw: object) -> str:
    """The cleaned query, or ``GeocoderQueryError`` saying why it is not a place name."""
    if not isinstance(raw, str):
        raise GeocoderQueryError(f"not a place name: expected text, got {type(raw).__name__}",
                                 field="query")
    if len(raw) > MAX_QUERY_CHARS * 4:       # do not even clean a pasted book
        raise GeocoderQueryError(f"not a place name: {len(raw):,} characters (at most "
                                 f"{MAX_QUERY_CHARS})", field="query")
    text = clean_text(raw)
    if not text or not any(ch.isalnum() for ch in text):
        raise GeocoderQueryError("not a place name: empty" if not raw.strip() else
                                 "not a place name: only punctuation or invisible characters"
                                 + (f" ({text[:40]!r})" if text else ""), field="query")
    if len(text) > MAX_QUERY_CHARS:
        raise GeocoderQueryError(f"not a place name: {len(text):,} characters (at most "
                                 f"{MAX_QUERY_CHARS})", field="query")
    if not any(ch.isalpha() for ch in text):
        raise GeocoderQueryError(f"not a place name: no letters ({text[:40]!r})",
                                 field="query")
    if not text.isascii():
        scripts = _scripts(text)
        others = sorted(scripts - {"LATIN"})
        if others and "LATIN" in scripts:
            raise GeocoderQueryError(
                f"not a place name: mixes Latin and {', '.join(others).title()} letters "
                f"({text[:40]!r}); write it in one script", field="query")
        if others:
            raise GeocoderQueryError(
                f"not found: the gazetteer holds Latin-script spellings only ("
                f"{', '.join(others).title()} letters in {text[:40]!r})", field="query")
    return text


def _scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text`` ("LATIN", "ARABIC", "CYRILLIC", ...)."""
    found: set[str] = set()
    for ch in text:
        if not ch.isalpha():
            continue
        if ord(ch) < 0x250:
            found.add("LATIN")
            continue
        try:
            found.add(unicodedata.name(ch).split(" ")[0])
        except ValueError:
            found.add("UNKNOWN")
    return found


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _build_tables() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, str]],
                             dict[str, tuple[str, str]]]:
    """Regexes over ``exact_key`` text for words after / before the name, and what each
    word means (kind, value): ("feature", "dam"), ("admin", "county"), ("near", word)."""
    after: dict[str, tuple[str, str]] = {}
    before: dict[str, tuple[str, str]] = {}
    for table, kind in ((FEATURE_WORDS, "feature"), (ADMIN_WORDS, "admin")):
        for ptype, (suffixes, prefixes) in table.items():
            for w in suffixes:
                after.setdefault(w, (kind, ptype))
            for w in prefixes:
                before.setdefault(w, (kind, ptype))
    for w in _VON_WORDS:
        before.setdefault(w, after.get(w.removesuffix(" von")) or ("feature", "dam"))
    for w in NEAR_AFTER:
        after.setdefault(w, ("near", w))
    for w in NEAR_BEFORE:
        before.setdefault(w, ("near", w))
    after_re = re.compile(rf"^(?P<rest>.+?) (?P<word>{_alternation(list(after))})$")
    # An article may precede a feature word written before the name ("le barrage de X",
    # "el aeropuerto de X", "der Staudamm von X"); alone it is part of the name ("El Bab").
    before_re = re.compile(rf"^(?:(?:{_alternation(list(_FEATURE_ARTICLES))}) )?"
                           rf"(?P<word>{_alternation(list(before))}) (?P<rest>.+)$")
    return after_re, before_re, after, before


_AFTER_RE, _BEFORE_RE, _AFTER_WORDS, _BEFORE_WORDS = _build_tables()
_POINT_WORDS = _alternation([*DIRECTIONS, *_TWO_WORD_POINTS])
_DIRECTION_RE = re.compile(
    rf"^(?:(?:{_alternation([p for p in _DIR_PREFIX if p])}) )?(?P<point>{_POINT_WORDS})"
    rf"(?: of| von| de| du| d| del| di)? (?P<rest>.+)$")
_DIRECTION_OF_RE = re.compile(
    rf"^(?:(?:{_alternation([p for p in _DIR_PREFIX if p])}) )?(?P<point>{_POINT_WORDS})"
    rf" (?:{_alternation(list(_OF_WORDS))}) (?P<rest>.+)$")
_PART_NOUNS = ("half", "part", "side", "sector", "districts", "neighbourhoods",
               "neighborhoods", "quarters", "areas", "bank", "suburbs", "parts", "sections")
_PART_RE = re.compile(rf"^(?P<part>{_alternation(list(PART_WORDS))})"
                      rf"(?: (?:{_alternation(list(_PART_NOUNS))})(?: of)?)? (?P<rest>.+)$")
_PART_AFTER_RE = re.compile(
    rf"^(?P<rest>.+?) (?P<part>{_alternation(list(PART_WORDS))})"
    rf"(?: (?:{_alternation(list(_PART_NOUNS))}))$")
#: "Mosul's old city", "Raqqa's outskirts": the possessive read as "Mosul old city".
_POSSESSIVE_RE = re.compile(r"^(?P<name>[^'’]+?)['’]s\s+(?P<rest>.+)$")
_LEADING_RE = re.compile(rf"^(?:{_alternation(list(_LEADING_NOISE))}) (?P<rest>.+)$")
#: Glued compounds: "mossulstaudamm", "tabqadaemningen" (German/Scandinavian write
#: feature words onto the name); only long, distinctive words are split off.
_GLUED_RE = re.compile(r"^(?P<rest>[a-z]{3,}?)(?P<word>staudamm|talsperre|daemningen|"
                       r"demningen|flughafen|flugplatz|fliegerhorst|raffinerie|"
                       r"grenzubergang|lufthavn|lufthavnen|flybasen|luftbasen|flygbasen|"
                       r"olfeld|raffinaderiet|universitat|fluchtlingslager)$")


def _point_of(word: str) -> str:
    return _TWO_WORD_POINTS.get(word) or DIRECTIONS[word]


def parse_query(raw: str) -> Query:
    """Parse ``raw`` (validated: ``GeocoderQueryError`` for what is not a name)."""
    text = validate(raw)
    return _parse(text)


@lru_cache(maxsize=50_000)
def _parse(text: str) -> Query:
    """The parse of a cleaned query (memoised: a dataset repeats its place names)."""
    parts = _split_list(text)
    if len(parts) > 1:
        parsed = tuple(_parse_one(p, p) for p in parts)
        first = parsed[0]
        return replace(first, raw=text, parts=parsed, rules=("list", *first.rules))
    return _parse_one(text, text)


def _split_list(text: str) -> list[str]:
    """The parts of a list, or ``[text]``. A part must hold a letter; "X, Y and Z"
    splits on the commas too (a comma alone is a qualifier: "Hit, Iraq")."""
    pieces = [p for p in _LIST_SPLIT_RE.split(text)]
    if len(pieces) < 2 or any(not any(c.isalpha() for c in p) for p in pieces):
        return [text]
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if i < len(pieces) - 1 and "," in piece:
            out += [p.strip() for p in piece.split(",") if p.strip()]
        else:
            out.append(piece.strip())
    return out if all(out) else [text]


#: French/Italian elision before a feature word or a name: "l'aéroport", "barrage d'Haditha".
_ELISION_RE = re.compile(r"(?i)\b([ld])['’](?=[^\W\d_])")


def _parse_one(text: str, raw: str) -> Query:
    rules: list[str] = []
    text = _ELISION_RE.sub(r"\1 ", text)
    within = ""
    m = _PAREN_RE.match(text)
    if m and m.group("inner").strip() and not m.group("head").strip():
        text = " ".join(filter(None, (m.group("inner").strip(), m.group("tail"))))
    elif m and m.group("inner").strip():
        within = m.group("inner").strip()
        text = " ".join(filter(None, (m.group("head"), m.group("tail"))))
        rules.append("within-paren")
    if "," in text:
        head, _, tail = text.partition(",")
        if head.strip() and any(c.isalpha() for c in tail):
            # "Haditha, Anbar, Iraq": every qualifier is kept, the most specific first.
            within = ", ".join(filter(None, (within, tail.strip())))
            text = head.strip()
            rules.append("within-comma")
    pos = _POSSESSIVE_RE.match(text)
    if pos:
        rest = exact_key(pos.group("rest"))
        if rest in _AFTER_WORDS or _PART_AFTER_RE.match("x " + rest) or \
                rest.split(" ")[0] in PART_WORDS:
            text = f"{pos.group('name')} {pos.group('rest')}"
            rules.append("possessive")
    qualifier, bearing, distance, regional = "", None, None, False
    dm = _DISTANCE_RE.match(text)
    if dm:
        distance = float(dm.group("n").replace(",", "."))
        distance *= _UNIT_KM.get(dm.group("unit").lower(), 1.0)
        text = text[dm.end():]
        rules.append("distance")
    key = exact_key(text)
    feature: str | None = None
    feature_word = ""
    changed = True
    while changed and key:
        changed = False
        if not qualifier:
            dmatch = _DIRECTION_OF_RE.match(key) or (
                _DIRECTION_RE.match(key) if distance is not None else None)
            if dmatch and dmatch.group("rest"):
                bearing = _point_of(dmatch.group("point"))
                qualifier = (f"{distance:g} km " if distance is not None else "") + \
                    f"{bearing} of"
                key, changed = dmatch.group("rest"), True
                rules.append("direction")
                continue
            pm = _PART_RE.match(key) or _PART_AFTER_RE.match(key)
            if pm and len(pm.group("rest")) >= 3:
                bearing = PART_WORDS[pm.group("part")]
                regional = bearing == "countryside"
                qualifier = "countryside of" if regional else (
                    "around" if bearing == "around" else f"{bearing} part of")
                if bearing in ("countryside", "around", "centre"):
                    bearing = None
                key, changed = pm.group("rest"), True
                rules.append("part")
                continue
        bm = _BEFORE_RE.match(key)
        if bm:
            kind, value = _BEFORE_WORDS[bm.group("word")]
            if kind == "near" and not qualifier:
                qualifier, regional = bm.group("word"), bm.group("word") in _REGIONAL_QUALIFIERS
                key, changed = bm.group("rest"), True
                rules.append("near-before")
                continue
            if kind in ("feature", "admin") and feature is None:
                feature, feature_word = value, bm.group("word")
                key, changed = bm.group("rest"), True
                rules.append(f"{kind}-before")
                continue
        am = _AFTER_RE.match(key)
        if am:
            kind, value = _AFTER_WORDS[am.group("word")]
            if kind == "near" and not qualifier:
                qualifier, regional = am.group("word"), am.group("word") in _REGIONAL_QUALIFIERS
                key, changed = am.group("rest"), True
                rules.append("near-after")
                continue
            if kind in ("feature", "admin") and feature is None:
                feature, feature_word = value, am.group("word")
                key, changed = am.group("rest"), True
                rules.append(f"{kind}-after")
                continue
        if feature is None and " " not in key:
            gm = _GLUED_RE.match(key)
            if gm:
                word = gm.group("word")
                kind, value = _AFTER_WORDS.get(word) or _BEFORE_WORDS[word]
                feature, feature_word = value, word
                key, changed = gm.group("rest"), True
                rules.append("feature-after")
                continue
        lead = _LEADING_RE.match(key)
        if lead:
            key, changed = lead.group("rest"), True
    return Query(raw=raw, name=key, feature=feature, feature_word=feature_word,
                 qualifier=qualifier, bearing=bearing, distance_km=distance,
                 regional=regional, within=within, rules=tuple(rules))
