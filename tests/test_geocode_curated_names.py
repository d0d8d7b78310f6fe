"""Every town of the curated record is found by the lookups extraction uses (issue 12).

A town the gazetteer cannot read ("Jindires" where the open data writes "Jindayris") gives
no event when an article names it, and its extracted control stays unknown. This walks
every curated place and every place of the control timeline through the same two paths
extraction and geocoding take: the text scan (``find_mentions`` on a sentence naming it)
and the name look-up (``lookup``); each must reach a point within a few km of the curated
coordinates. Missing spellings are fixed in data (``data/place_aliases.csv``, each row
with its source), never by a rule for one name."""
from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import pytest

from geo.core import paths
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.core.records import Article, Place
from geo.extract.pipeline import extract_article
from geo.geocode.gazetteer import Gazetteer, default_gazetteer, read_aliases
from geo.geocode.normalize import variant_key

GAZ = Gazetteer.load()
#: Curated coordinates are an infobox point or a representative point; a gazetteer
#: centroid of the same town lies within this.
NEAR_KM = 5.0


def _km(lat: float, lon: float, place: Place) -> float:
    p = math.pi / 180
    a = (math.sin((place.latitude - lat) * p / 2) ** 2 + math.cos(lat * p)
         * math.cos(place.latitude * p) * math.sin((place.longitude - lon) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


def _curated_names() -> dict[str, tuple[float, float]]:
    names: dict[str, tuple[float, float]] = {}
    with paths.CURATED_PLACES_FILE.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names.setdefault(row["name"], (float(row["latitude"]), float(row["longitude"])))
    with (paths.DATA_DIR / "control_timeline.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names.setdefault(row["place"], (float(row["latitude"]), float(row["longitude"])))
    return names


def _failures() -> list[str]:
    out = []
    for name, (lat, lon) in sorted(_curated_names().items()):
        looked = [p for p in GAZ.lookup(name, limit=10) if _km(lat, lon, p) <= NEAR_KM]
        text = f"Fighters captured {name} on Tuesday."
        at = text.index(name)
        spans = [m for m in GAZ.find_mentions(text) if m.start <= at and m.end >= at + len(name)]
        found = [p for m in spans for p in (*m.candidates, *m.alternatives)
                 if _km(lat, lon, p) <= NEAR_KM]
        if not looked or not found:
            out.append(f"{name} (look-up: {'ok' if looked else 'missing'}, "
                       f"in text: {'ok' if found else 'missing'})")
    return out


def test_every_curated_and_timeline_place_resolves_near_its_curated_point() -> None:
    assert _failures() == []


def test_every_timeline_row_is_keyed_as_an_extracted_event_of_its_town_is() -> None:
    """One place, one status: an extracted event carries the gazetteer id and name of the
    place it found, so a timeline row merges with it only by that id, or by the same name
    within a few km (``geo.control.places``). A row whose town the gazetteer lists under
    another name ("Nimrud", WOF's "Qaryat Nimrud") must carry its id."""
    unkeyed = []
    with (paths.DATA_DIR / "control_timeline.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lat, lon = float(row["latitude"]), float(row["longitude"])
            if row["place_id"]:
                place = GAZ.place_by_id(row["place_id"])
                if place is None or _km(lat, lon, place) > NEAR_KM:
                    unkeyed.append(f"{row['row_id']} {row['place']}: {row['place_id']}")
            elif not any(variant_key(p.name) == variant_key(row["place"])
                         and _km(lat, lon, p) <= NEAR_KM for p in GAZ.lookup(row["place"])):
                unkeyed.append(f"{row['row_id']} {row['place']}: no place_id")
    assert unkeyed == []


@pytest.mark.parametrize("sentence, name", [
    ("Turkish-backed forces captured Jindires on Thursday.", "Jindires"),
    ("The army advanced on Uqayrbat from the west.", "Uqayrbat"),
    ("Iraqi forces retook Bartalla, a town east of Mosul.", "Bartalla"),
])
def test_press_spellings_of_listed_towns_are_read_in_articles(sentence: str,
                                                               name: str) -> None:
    spans = [m for m in GAZ.find_mentions(sentence) if m.surface == name]
    assert spans and spans[0].place is not None
    assert spans[0].place.place_id.startswith("wof:")    # the listed town, not a new one


@pytest.mark.parametrize("sentence, place_id", [
    ("Turkish-backed rebels captured Jindires, a town in the Afrin region, on Thursday.",
     "wof:1209604917"),
    ("Syrian government forces recaptured Uqayrbat from Islamic State on Saturday.",
     "wof:1209298245"),
    # a homonym (another As Sa'diyah lies 800 km away) is read in the story's area
    ("Iraqi forces retook Saadiya and Jalawla in Diyala province from Islamic State on "
     "Sunday.", "wof:1210005683"),
])
def test_an_article_naming_such_a_town_gives_its_event_there(sentence: str,
                                                             place_id: str) -> None:
    events = extract_article(Article(text=sentence, published=date(2018, 3, 9)),
                             default_gazetteer(), default_forces()).events
    assert place_id in {e.place_id for e in events}, [(e.location, e.place_id) for e in events]


def test_every_alias_row_names_a_listed_place_and_its_source() -> None:
    aliases = read_aliases(paths.PLACE_ALIASES_FILE)
    assert aliases
    missing = [pid for pid in aliases if GAZ.place_by_id(pid) is None]
    assert missing == []


def test_an_alias_row_without_its_source_is_refused_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "aliases.csv"
    bad.write_text("place_id,alias,source\nwof:1,Somewhere,a report\nwof:2,Elsewhere,\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_aliases(bad)
    assert err.value.line == 3
