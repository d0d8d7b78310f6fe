"""Realistic synthetic events for scale benchmarks (never for tests of behaviour).

Events cluster around real towns of Iraq and Syria from data/gazetteer.tsv.gz (weighted
by population, so Mosul and Raqqa get far more than villages), spread over 2013-2019,
with the force and type mixes of the war against the Islamic State: Iraqi forces, PMF,
Peshmerga and the coalition in Iraq; SDF, the Syrian army, rebels, Turkey, Russia and the
coalition in Syria; mostly clashes and strikes, some captures, civilian attacks and
strategic developments; 80 % day precision, the rest week or month.

    .venv/bin/python bench/generate_events.py 100000 --out /tmp/acled_100k.csv
"""
from __future__ import annotations

import argparse
import csv
import gzip
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from geo.core.records import Event, Origin  # noqa: E402
from geo.exports.acled import COLUMNS, acled_row  # noqa: E402
from geo.imports.acled import interval  # noqa: E402

FIRST, LAST = date(2013, 1, 1), date(2019, 12, 31)
ACTORS = {"IS": "Islamic State (IS)", "ISF": "Military Forces of Iraq",
          "PMF": "Popular Mobilization Forces", "PESH": "Peshmerga",
          "US": "Military Forces of the United States (Coalition)",
          "SDF": "Syrian Democratic Forces", "SYR": "Military Forces of Syria",
          "FSA": "Syrian opposition (rebels)", "TUR": "Military Forces of Turkey",
          "RUS": "Military Forces of Russia"}
FORCES = {"IQ": (("ISF", 5), ("PMF", 2), ("PESH", 2), ("US", 2)),
          "SY": (("SDF", 3), ("SYR", 3), ("FSA", 2), ("TUR", 1), ("RUS", 2), ("US", 2))}
KINDS = ((("Battles", "Armed clash"), 40), (("Explosions/Remote violence", "Air/drone strike"), 20),
         (("Explosions/Remote violence", "Shelling/artillery/missile attack"), 12),
         (("Explosions/Remote violence", "Remote explosive/landmine/IED"), 8),
         (("Explosions/Remote violence", "Suicide bomb"), 3),
         (("Battles", "Government regains territory"), 4),
         (("Battles", "Non-state actor overtakes territory"), 2),
         (("Violence against civilians", "Attack"), 7),
         (("Strategic developments", "Headquarters or base established"), 2),
         (("Strategic developments", "Looting/property destruction"), 2))
COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria"}


def towns(min_population: int = 2_000) -> list[tuple[str, float, float, str, str, int]]:
    """(name, lat, lon, country code, admin1, population) of Iraqi and Syrian places."""
    out = []
    with gzip.open(PROJECT / "data" / "gazetteer.tsv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            pop = int(float(row["population"] or 0))
            if row["country"] in FORCES and row["placetype"] == "locality" and \
                    pop >= min_population:
                out.append((row["name"], float(row["lat"]), float(row["lon"]), row["country"],
                            row["admin1"], pop))
    return out


def generate(n: int, seed: int = 0) -> Iterator[Event]:
    """``n`` events (ids ``bench-<seed>-<i>``), deterministic for a seed."""
    rng = random.Random(seed)
    places = towns()
    weights = [p[5] ** 0.5 for p in places]
    kinds, kind_w = zip(*KINDS)
    days = (LAST - FIRST).days
    picked = rng.choices(places, weights=weights, k=n)
    for i, (name, lat, lon, cc, admin1, _) in enumerate(picked):
        event_type, sub = rng.choices(kinds, weights=kind_w)[0]
        forces, force_w = zip(*FORCES[cc])
        force = rng.choices(forces, weights=force_w)[0]
        attacker, defender = ("IS", force) if sub == "Non-state actor overtakes territory" \
            or rng.random() < 0.25 and sub == "Armed clash" else (force, "IS")
        day = FIRST + timedelta(days=rng.randrange(days))
        precision = rng.choices((1, 2, 3), weights=(8, 1, 1))[0]
        lo, hi = interval(day, precision)
        capture = sub in ("Government regains territory", "Non-state actor overtakes territory")
        yield Event(
            event_date=day, event_type=event_type, sub_event_type=sub,
            actor1=ACTORS[attacker], actor2=ACTORS[defender], location=name,
            latitude=round(lat + rng.uniform(-0.02, 0.02), 5),
            longitude=round(lon + rng.uniform(-0.02, 0.02), 5), time_precision=precision,
            geo_precision=rng.choices((1, 2, 3), weights=(8, 2, 1))[0], source="Synthetic",
            notes=f"Synthetic {sub.lower()} near {name}.",
            fatalities=rng.choice((0, 0, 0, 1, 2, 5, 12)), country=COUNTRY_NAMES[cc],
            admin1=admin1, event_id=f"bench-{seed}-{i:07d}", date_min=lo, date_max=hi,
            actor1_force=attacker, actor2_force=defender,
            control_to=attacker if capture else "", confidence=0.8,
            origin=Origin.IMPORTED.value)


def write_acled_csv(events: Iterator[Event], out: Path) -> int:
    """The events as our ACLED CSV export (the importer's input)."""
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        for event in events:
            record = event.to_dict()
            record.update(n_sources=0, article_ids="", evidence_sentence="", source_file="")
            writer.writerow(acled_row(record))
            n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="ACLED-layout CSV to write")
    args = parser.parse_args()
    print(f"wrote {write_acled_csv(generate(args.n, args.seed), args.out):,} events to "
          f"{args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
