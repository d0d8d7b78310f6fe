"""The vocabulary events are written in: ACLED's codebook and our additions to it.

Why one module: extraction types events with it, the importers check rows against it, the
exporters write it, the filters list it. ACLED's codebook (2023) is the convention of the
field, so an export opens in any ACLED workflow and an ACLED export imports here.
"""
from __future__ import annotations

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

#: Our columns after ACLED's, in order.
EXTRA_COLUMNS: tuple[str, ...] = (
    "event_id", "date_min", "date_max", "control_to", "confidence", "review_status", "origin",
    "article_ids", "evidence_sentence", "source_file",
)
COLUMNS: tuple[str, ...] = (*ACLED_COLUMNS, *EXTRA_COLUMNS)

#: Columns whose cells are numbers (or empty); these are never neutralised.
NUMERIC_COLUMNS: frozenset[str] = frozenset({
    "year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude",
    "longitude", "geo_precision", "fatalities", "timestamp", "confidence"})

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
