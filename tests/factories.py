"""Sample articles and events built in code, for store, export and dashboard tests.

Everything is deterministic (a seed picks the sample), uses real towns of Iraq and Syria
with approximate coordinates, and produces values the store accepts (valid ACLED types,
dates 2014-2017, known force ids from data/forces.csv).

    make_event(location="Mosul", event_date=date(2016, 11, 1))
    make_article("IS fighters were driven out of Manbij ...")
    sample_events(500, seed=1)
    sample_batches(100, events_per_article=3)   # [(Article, [Event, ...]), ...] for ingest
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from geo.control.claims import PRESUMED
from geo.control.seats import presumption_events
from geo.core.forces import default_forces
from geo.core.records import Article, Event, Evidence, GeoPrecision, Mention, Origin, TimePrecision

#: The forces whose seat of government the force table gives: each holds its seat on
#: every control map (rule 10, ``geo.control.seats``), whatever a test's evidence says.
SEAT_FORCES = frozenset(f.force_id for f in default_forces().seats())
#: The places every control series has before any report: the seats and the cities of
#: the land a government governs (rule 10), each the government's.
PRESUMED_PLACES = len(presumption_events(default_forces())[0])


def presumed(props: dict[str, Any]) -> bool:
    """A control map place known only by a presumption (rule 10), not by any report."""
    return props.get("tier") == PRESUMED


@dataclass(frozen=True)
class Town:
    name: str
    place_id: str
    latitude: float
    longitude: float
    country: str
    admin1: str


TOWNS: tuple[Town, ...] = (
    Town("Mosul", "test:mosul", 36.3400, 43.1300, "Iraq", "Nineveh"),
    Town("Tal Afar", "test:tal-afar", 36.3790, 42.4490, "Iraq", "Nineveh"),
    Town("Sinjar", "test:sinjar", 36.3209, 41.8764, "Iraq", "Nineveh"),
    Town("Qayyarah", "test:qayyarah", 35.8000, 43.2900, "Iraq", "Nineveh"),
    Town("Tikrit", "test:tikrit", 34.6000, 43.6800, "Iraq", "Salah al-Din"),
    Town("Baiji", "test:baiji", 34.9300, 43.4900, "Iraq", "Salah al-Din"),
    Town("Kirkuk", "test:kirkuk", 35.4681, 44.3922, "Iraq", "Kirkuk"),
    Town("Fallujah", "test:fallujah", 33.3500, 43.7800, "Iraq", "Anbar"),
    Town("Ramadi", "test:ramadi", 33.4200, 43.3000, "Iraq", "Anbar"),
    Town("Hit", "test:hit", 33.6400, 42.8300, "Iraq", "Anbar"),
    Town("Haditha", "test:haditha", 34.1400, 42.3800, "Iraq", "Anbar"),
    Town("Raqqa", "test:raqqa", 35.9500, 39.0100, "Syria", "Ar-Raqqa"),
    Town("Tabqa", "test:tabqa", 35.8360, 38.5480, "Syria", "Ar-Raqqa"),
    Town("Kobani", "test:kobani", 36.8910, 38.3530, "Syria", "Aleppo"),
    Town("Manbij", "test:manbij", 36.5280, 37.9550, "Syria", "Aleppo"),
    Town("al-Bab", "test:al-bab", 36.3700, 37.5150, "Syria", "Aleppo"),
    Town("Palmyra", "test:palmyra", 34.5500, 38.2700, "Syria", "Homs"),
    Town("Deir ez-Zor", "test:deir-ez-zor", 35.3300, 40.1400, "Syria", "Deir ez-Zor"),
    Town("Hasakah", "test:hasakah", 36.5000, 40.7500, "Syria", "Al-Hasakah"),
    Town("Abu Kamal", "test:abu-kamal", 34.4500, 40.9200, "Syria", "Deir ez-Zor"),
)
TOWN_BY_NAME = {t.name: t for t in TOWNS}

FORCES_IRAQ = ("ISF", "PMF", "PESH", "US")
FORCES_SYRIA = ("SDF", "SYR", "FSA", "TUR", "RUS", "US")

#: (event_type, sub_event_type, actor1 is the attacker of IS?) combinations sampled.
KINDS: tuple[tuple[str, str], ...] = (
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Violence against civilians", "Attack"),
    ("Strategic developments", "Non-violent transfer of territory"),
    ("Strategic developments", "Headquarters or base established"),
)

_FORCE_ACTORS = {"IS": "Islamic State (IS)", "ISF": "Military Forces of Iraq",
                 "PMF": "Popular Mobilization Forces", "PESH": "Peshmerga",
                 "US": "Military Forces of the United States (Coalition)",
                 "SDF": "Syrian Democratic Forces", "SYR": "Military Forces of Syria",
                 "FSA": "Syrian opposition (rebels)", "TUR": "Military Forces of Turkey",
                 "RUS": "Military Forces of Russia"}

_counter = iter(range(1, 10 ** 9))


def make_article(text: str | None = None, **overrides: Any) -> Article:
    """An article; each call without ``text`` gets a new, unique text (so a new id)."""
    if text is None:
        text = (f"Sample report number {next(_counter)}. Iraqi forces said on Tuesday they "
                f"had retaken the town after days of fighting with Islamic State militants.")
    values: dict[str, Any] = dict(title="Sample report", published=date(2016, 6, 20),
                                  published_source="explicit", source_name="Test Wire",
                                  url="https://example.org/report", path="")
    values.update(overrides)
    return Article(text=text, **values)


def make_evidence(article_id: str = "", sentence: str | None = None,
                  **overrides: Any) -> Evidence:
    """Evidence with one place mention; ``article_id`` empty lets ``ingest`` fill it."""
    sentence = sentence or "Iraqi forces retook Fallujah from Islamic State on Sunday."
    place = "Fallujah" if "Fallujah" in sentence else sentence.split()[0]
    start = sentence.find(place)
    values: dict[str, Any] = dict(sentence_start=0, source_file="report.txt",
                                  mentions=[Mention("place", start, start + len(place), place)])
    values.update(overrides)
    return Evidence(article_id=article_id, sentence=sentence, **values)


def make_event(**overrides: Any) -> Event:
    """A valid event (Fallujah retaken by ISF, 2016-06-19, exact place, one evidence).

    ``town="Raqqa"`` takes location, place id, coordinates, country and admin1 from
    ``TOWNS``; any Event field can be overridden. Pass ``evidence=[]`` for none.
    """
    town = TOWN_BY_NAME[overrides.pop("town", "Fallujah")]
    values: dict[str, Any] = dict(
        event_date=date(2016, 6, 19), event_type="Battles",
        sub_event_type="Government regains territory",
        actor1=_FORCE_ACTORS["ISF"], actor2=_FORCE_ACTORS["IS"],
        location=town.name, latitude=town.latitude, longitude=town.longitude,
        time_precision=TimePrecision.DAY, geo_precision=GeoPrecision.EXACT,
        source="Test Wire", notes=f"Forces retook {town.name}.", fatalities=0,
        country=town.country, admin1=town.admin1, actor1_force="ISF", actor2_force="IS",
        control_to="ISF", place_id=town.place_id, confidence=0.6,
        origin=Origin.EXTRACTED.value)
    if "evidence" not in overrides:
        values["evidence"] = [make_evidence(
            sentence=f"Iraqi forces retook {town.name} from Islamic State on Sunday.")]
    values.update(overrides)
    return Event(**values)


def sample_events(n: int, seed: int = 0, *, origin: str = Origin.IMPORTED.value) -> list[Event]:
    """``n`` varied events over Iraq and Syria, 2014-06-01..2017-12-31, several forces,
    types, precisions (some week/month intervals), a few civilian casualties; no evidence.

    Coordinates are jittered up to ~2 km around the town, so ids differ; they are *not*
    guaranteed to be pairwise non-matching under deduplication (use ``add_events``).
    """
    rng = random.Random(seed)
    start, span = date(2014, 6, 1), (date(2017, 12, 31) - date(2014, 6, 1)).days
    events = []
    for i in range(n):
        town = rng.choice(TOWNS)
        event_type, sub = rng.choice(KINDS)
        force = rng.choice(FORCES_IRAQ if town.country == "Iraq" else FORCES_SYRIA)
        attacker, defender = (("IS", force) if sub == "Non-state actor overtakes territory"
                              else (force, "IS"))
        day = start + timedelta(days=rng.randrange(span))
        precision = rng.choices((TimePrecision.DAY, TimePrecision.WEEK, TimePrecision.MONTH),
                                weights=(8, 1, 1))[0]
        if precision == TimePrecision.WEEK:
            lo = day - timedelta(days=day.weekday())
            hi = lo + timedelta(days=6)
        elif precision == TimePrecision.MONTH:
            lo = day.replace(day=1)
            hi = (lo + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        else:
            lo = hi = day
        capture = sub in ("Government regains territory", "Non-state actor overtakes territory",
                          "Non-violent transfer of territory")
        events.append(Event(
            event_date=day if lo <= day <= hi else lo, event_type=event_type,
            sub_event_type=sub, actor1=_FORCE_ACTORS[attacker],
            actor2=_FORCE_ACTORS[defender], location=town.name,
            latitude=round(town.latitude + rng.uniform(-0.015, 0.015), 5),
            longitude=round(town.longitude + rng.uniform(-0.015, 0.015), 5),
            time_precision=precision, geo_precision=GeoPrecision.EXACT, source="Sample",
            notes=f"Sample event {i} at {town.name}.",
            fatalities=rng.choice((0, 0, 0, 1, 3, 12)), country=town.country,
            admin1=town.admin1, date_min=lo, date_max=hi, actor1_force=attacker,
            actor2_force=defender, control_to=attacker if capture else "",
            place_id=town.place_id, confidence=round(rng.uniform(0.3, 0.9), 2),
            origin=origin, event_id=f"sample-{seed}-{i:07d}"))
    return events


def sample_batches(n_articles: int, events_per_article: int = 3,
                   seed: int = 0) -> list[tuple[Article, list[Event]]]:
    """Articles each with events (origin extracted, one evidence sentence each), for
    exercising ``Store.ingest`` as the pipeline does."""
    rng = random.Random(seed)
    batches = []
    for a in range(n_articles):
        article = make_article(text=f"Article {seed}-{a}. " + "Fighting continued. " *
                               rng.randrange(1, 4), published=date(2016, 1, 1) +
                               timedelta(days=rng.randrange(700)))
        events = []
        for j, ev in enumerate(sample_events(events_per_article, seed=seed * 1_000_003 + a,
                                             origin=Origin.EXTRACTED.value)):
            sentence = f"{ev.actor1} fought near {ev.location}."
            start = sentence.find(ev.location)
            ev.evidence = [Evidence(article.article_id, sentence, sentence_start=40 * j,
                                    mentions=[Mention("place", start,
                                                      start + len(ev.location), ev.location)],
                                    source_file=f"article-{a}.txt")]
            ev.event_id = ev.identity()
            events.append(ev)
        batches.append((article, events))
    return batches
