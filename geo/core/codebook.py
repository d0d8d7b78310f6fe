"""The vocabulary events are written in: ACLED's codebook and our additions to it.

Why one module: extraction types events with it, the importers check rows against it, the
exporters write it, the filters list it. ACLED's codebook is the convention of the field,
so an export opens in any ACLED workflow and an ACLED export imports here.

Which codebook: the **ACLED Codebook 2023** (columns as of ACLED's change of 20 March
2023, "Guide to 2023 ACLED Column Changes", acleddata.com/knowledge-base), with its
numeric actor-type ("inter") codes 1-8 and two-digit interaction codes. Since the 2024
codebook, ACLED's API and downloads write the same codes as text by default ("State
forces", "State forces-Rebel group"; numbers on request: acledR's ``inter_numeric``
option). We write the numbers, which every ACLED workflow since 1997 reads, and read
both forms (``inter_code``, ``interaction_code``). Where each rule below comes from is in
README.md, "Events follow ACLED's codebook".
"""
from __future__ import annotations

import math
from collections.abc import Iterable

#: ACLED codebook column order used for CSV export and import.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)

#: ACLED event types and their sub-event types (codebook 2023), used by extraction and filters.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack",
                                   "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"),
}

CAPTURE_SUB_EVENT_TYPES = frozenset({"Government regains territory",
                                     "Non-state actor overtakes territory",
                                     "Non-violent transfer of territory"})

#: Our columns after ACLED's, in order. The two ``*_detail`` columns keep our finer
#: precision codes where ACLED's columns hold the nearest codebook code (``acled_precision``).
EXTRA_COLUMNS: tuple[str, ...] = (
    "event_id", "date_min", "date_max", "control_to", "confidence", "review_status", "origin",
    "article_ids", "evidence_sentence", "source_file", "time_precision_detail",
    "geo_precision_detail",
)
COLUMNS: tuple[str, ...] = (*ACLED_COLUMNS, *EXTRA_COLUMNS)

#: Columns whose cells are numbers (or empty); these are never neutralised.
NUMERIC_COLUMNS: frozenset[str] = frozenset({
    "year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude",
    "longitude", "geo_precision", "fatalities", "timestamp", "confidence",
    "time_precision_detail", "geo_precision_detail"})

#: ACLED's actor types ("inter" codes, codebook 2023, "Actor Names, Types, and 'Inter'
#: Codes"): code -> the label the 2024 codebook's text columns use. 8 covers international
#: organisations, private forces and **state forces active outside their main country**.
ACTOR_TYPES: dict[int, str] = {
    1: "State forces", 2: "Rebel group", 3: "Political militia", 4: "Identity militia",
    5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces",
}
#: Plural labels of older files and guides ("State Forces", "Rebel Groups", ...), read too.
_ACTOR_TYPE_NAMES: dict[str, int] = {
    **{label.casefold(): code for code, label in ACTOR_TYPES.items()},
    "rebel groups": 2, "political militias": 3, "identity militias": 4,
    "communal militia": 4, "communal militias": 4, "protestors": 6,
    "external/other force": 8, "other forces": 8,
}


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's joined interaction code: the two actor types as a two-digit number, the
    smaller first (a state force against a political militia is 13 whichever is actor1);
    an event with no second actor is the first's type then 0 (a rebel group alone: 20).
    None when actor1's type is unknown (no code can be formed honestly)."""
    if inter1 is None:
        return None
    if not inter2:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def interaction_label(code: int) -> str:
    """The 2024 codebook's text for an interaction code ("State forces-Rebel group",
    "Rebel group only"); External/Other forces with civilians is written in that order."""
    low, high = divmod(code, 10)
    if not high:
        return f"{ACTOR_TYPES[low]} only"
    if (low, high) == (7, 8):
        return f"{ACTOR_TYPES[8]}-{ACTOR_TYPES[7]}"
    return f"{ACTOR_TYPES[low]}-{ACTOR_TYPES[high]}"


def inter_code(cell: str) -> int | None:
    """An inter1/inter2 cell as ACLED writes it, a number ("1", "1.0") or the 2024 text
    ("State forces"), as its code; None for an empty cell or 0 (no such actor).
    ``ValueError`` names what the cell should be."""
    code = _coded_cell(cell, _ACTOR_TYPE_NAMES, (0, *ACTOR_TYPES),
                       f"an ACLED actor type: 1-8 or its name "
                       f"({', '.join(ACTOR_TYPES.values())})")
    return code or None


def _coded_cell(cell: str, names: dict[str, int], codes: Iterable[int],
                expected: str) -> int | None:
    """A code cell as ACLED writes it in either codebook: the 2024 text (a key of
    ``names``, any case) or the 2023 number ("12", "12.0") among ``codes``; None when
    empty. ``ValueError(expected)`` otherwise, so the importer can name the field."""
    text = " ".join(cell.split())
    if not text:
        return None
    code = names.get(text.casefold())
    if code is not None:
        return code
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not number.is_integer() or int(number) not in codes:
        raise ValueError(expected)
    return int(number)


#: ACLED's generic actors, named by what they are and the country ("Civilians (Iraq)",
#: "Protesters (Syria)"): their name says their type.
GENERIC_ACTORS: dict[str, int] = {"civilians": 7, "protesters": 6, "rioters": 5}


def generic_actor_type(name: str) -> int | None:
    """The actor type of a generic ACLED actor name ("Civilians (Iraq)" -> 7), else None."""
    head = name.split("(", 1)[0].strip().casefold()
    return GENERIC_ACTORS.get(head)


#: Every interaction code the rule allows, and its 2024 text, for reading either form.
INTERACTIONS: dict[int, str] = {
    code: interaction_label(code)
    for code in sorted({interaction(a, b) or 0 for a in ACTOR_TYPES
                        for b in (0, *ACTOR_TYPES)})}
_INTERACTION_NAMES = {label.casefold(): code for code, label in INTERACTIONS.items()}


def interaction_code(cell: str) -> int | None:
    """An interaction cell, a number ("12") or the 2024 text ("State forces-Rebel
    group"), as its code; None when empty. ``ValueError`` when it is neither."""
    return _coded_cell(cell, _INTERACTION_NAMES, INTERACTIONS,
                       "an ACLED interaction code: two actor types 1-8, the smaller "
                       "first (12, 17, 20, ...) or its text (\"State forces-Rebel group\")")


#: ACLED's time_precision (1 day, 2 week, 3 month) and geo_precision (1 the town, 2 near
#: it or a part of a region, 3 a larger region) go to 3; our coarser codes (time 4 a year;
#: geo 4 a country, a border or a river) have no codebook code: the nearest, 3, is written
#: in ACLED's column and ours in the ``*_detail`` column. An undated event (9) has none.
ACLED_PRECISIONS: tuple[int, ...] = (1, 2, 3)


def acled_precision(code: int | None) -> int | None:
    """The codebook's precision code for one of ours (time or geo): 1-3 as they are,
    a coarser one as 3 (the codebook's coarsest), undated (9) as None."""
    if code is None or code == 9:
        return None
    return min(int(code), 3)

#: Countries events and forces are named by: (ACLED/UCDP country name, ISO alpha-2, ISO numeric).
COUNTRY_TABLE: tuple[tuple[str, str, int], ...] = (
    ("Iraq", "IQ", 368), ("Syria", "SY", 760), ("Turkey", "TR", 792), ("Jordan", "JO", 400),
    ("Lebanon", "LB", 422), ("Iran", "IR", 364), ("Saudi Arabia", "SA", 682),
    ("Israel", "IL", 376), ("Russia", "RU", 643), ("United States", "US", 840),
)
#: Other names datasets use for those countries ("Russia (Soviet Union)" is UCDP's).
COUNTRY_NAME_VARIANTS: dict[str, str] = {
    "united states of america": "US", "usa": "US", "russia (soviet union)": "RU",
    "russian federation": "RU", "syrian arab republic": "SY", "turkiye": "TR",
    "iran (islamic republic of)": "IR",
}
#: country (name or ISO alpha-2 as stored, case-folded) -> (ACLED country name, ISO numeric)
COUNTRIES: dict[str, tuple[str, int]] = {}
for _name, _alpha2, _numeric in COUNTRY_TABLE:
    COUNTRIES[_name.casefold()] = COUNTRIES[_alpha2.casefold()] = (_name, _numeric)


def country_code(name: str) -> str | None:
    """ISO alpha-2 code of a country given by name, variant name or code; None if unknown."""
    key = " ".join(name.split()).casefold()
    for country, alpha2, _ in COUNTRY_TABLE:
        if key in (country.casefold(), alpha2.casefold()):
            return alpha2
    return COUNTRY_NAME_VARIANTS.get(key)


DISORDER_TYPE = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence", "Protests": "Demonstrations",
             "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}

#: Layer name of the GeoPackages we write and read back.
GIS_LAYER = "events"
