"""Maintainer script: build the bundled gazetteer ``data/gazetteer.tsv.gz``.

usage: python -m geo.geocode.build [--source DIR] [--output FILE]

The source tables (Who's On First per country, Natural Earth populated places and
airports; see data/ATTRIBUTION.md) are large and not part of a clone, so the tool ships
this compact extract instead and never reads the sources at run time. Kept per place:
what matching English news needs (id, English display name, type, country, point,
province name, an importance prior, population when known, Latin-script spellings).

Who's On First has no population, so the importance prior (0..1) is derived from what
signals fame: a Natural Earth population (matched by GeoNames id, else by name within
20 km), the number of spellings in other languages, having a Wikidata id or an English
name, and the place type.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import logging
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from geo.core import paths
from geo.core.theatre import haversine_km
from geo.geocode.normalize import exact_key, fold, is_latin, variant_key

log = logging.getLogger(__name__)

DEFAULT_SOURCE = paths.PROJECT_DIR.parent / "shared" / "data" / "gazetteer"

#: Columns of the bundled file, in order.
COLUMNS = ("id", "name", "placetype", "country", "lat", "lon", "admin1", "importance",
           "population", "names")

csv.field_size_limit(10_000_000)

#: English province names where WOF's own read badly ("Hasaka (Al Haksa)", "Ar Raqqah").
REGION_NAMES: dict[str, str] = {
    "85678355": "Raqqa", "85678377": "Hasakah", "85678391": "Rif Dimashq",
    "85678385": "Suwayda", "85672491": "Babil", "85672453": "Basra",
}

#: Spellings WOF attaches to the wrong place (checked by hand), dropped by exact key:
#: Afrin is not Kobani; Abu Ghraib district is not Fallujah; Kasan is not Baghuz.
ERRATA: dict[str, frozenset[str]] = {
    "421190429": frozenset({"kobani"}), "890436241": frozenset({"kobani"}),
    "421184257": frozenset({"al fallujah"}), "1226056933": frozenset({"baghuz"}),
    "1344271133": frozenset({"baghuz"}),
}


@dataclass
class Row:
    """One place on its way into the bundled file."""

    place_id: str
    name: str
    placetype: str
    country: str
    lat: float
    lon: float
    admin1: str
    importance: float
    population: int = 0
    names: list[str] = field(default_factory=list)
    geonames_id: str = ""          # only used to match Natural Earth; not written

    def tsv(self) -> str:
        cells = [self.place_id, self.name, self.placetype, self.country, f"{self.lat:.5f}",
                 f"{self.lon:.5f}", self.admin1, f"{self.importance:.3f}",
                 str(self.population), "|".join(self.names)]
        return "\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells)


def _split(cell: str) -> list[str]:
    return [s.strip() for s in cell.split("|") if s.strip()]


def _is_code(name: str) -> bool:
    """ICAO/IATA/ISO codes ("ORAA", "IQA", "SYR") are not names people write in news."""
    return name.isupper() and len(name) <= 4 and name.isalpha()


def latin_spellings(*cells: str) -> list[str]:
    """Distinct Latin-script spellings, first occurrence first, codes dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for cell in cells:
        for name in _split(cell):
            if not is_latin(name) or _is_code(name):
                continue
            if name not in seen:
                seen.add(name)
                out.append(name)
    return out


def display_name(name: str, names_eng: list[str], placetype: str) -> str:
    """The English display name: for a province its English name without "Governorate",
    else the English name closest to WOF's primary name (which is sometimes Arabic or
    carries transliteration marks: "الفلوجة" -> "Fallujah", "Tikrīt" -> "Tikrit")."""
    if placetype == "region":
        for eng in names_eng:
            for word in (" Governorate", " Province"):
                if eng.endswith(word) and not eng.startswith(("Al-", "Ar-", "As-", "An-")):
                    return eng[: -len(word)]
    if not names_eng:
        return name
    if not is_latin(name):
        return names_eng[0]
    folded = fold(name)
    return max(names_eng, key=lambda e: (fuzz.ratio(fold(e), folded), -len(e)))


def base_importance(placetype: str, n_names: int, has_wikidata: bool, has_eng: bool,
                    is_current: bool) -> float:
    """The prior for a place without a known population (see module docstring)."""
    if placetype == "country":
        return 1.0
    if placetype == "region":
        return 0.75
    score = 0.05 + 0.025 * min(n_names, 16) + (0.1 if has_wikidata else 0.0)
    score += (0.05 if has_eng else 0.0) + (0.03 if is_current else 0.0)
    if placetype == "county":
        score += 0.1
    return min(score, 0.7)


def population_importance(pop: int) -> float:
    """Importance from a Natural Earth population (10k -> 0.77, 1M -> 0.93)."""
    return min(1.0, 0.45 + 0.08 * math.log10(max(pop, 1)))


def read_wof(source: Path) -> list[Row]:
    """Every current, non-deprecated WOF row with at least one Latin spelling."""
    raw: list[dict[str, str]] = []
    for path in sorted(source.glob("wof_gazetteer_*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            raw.extend(csv.DictReader(fh))
    regions: dict[str, str] = {}
    for r in raw:
        if r["placetype"] == "region":
            regions[r["wof_id"]] = REGION_NAMES.get(r["wof_id"]) or display_name(
                r["name"], _split(r["names_eng"]), "region")
    rows: list[Row] = []
    for r in raw:
        if r["is_current"] == "0" or r["deprecated"].strip():
            continue
        names = latin_spellings(r["names_eng"], r["name"], r["names_all"])
        wrong = ERRATA.get(r["wof_id"])
        if wrong:
            names = [n for n in names if exact_key(n) not in wrong]
        if not names:
            continue
        eng = [n for n in _split(r["names_eng"]) if is_latin(n) and not _is_code(n)]
        n_langs = len(_split(r["names_all"]))
        imp = base_importance(r["placetype"], n_langs, bool(r["wikidata_id"]), bool(eng),
                              r["is_current"] == "1")
        rows.append(Row(
            place_id=f"wof:{r['wof_id']}",
            name=regions.get(r["wof_id"]) or display_name(r["name"], eng, r["placetype"]),
            placetype=r["placetype"], country=r["country"], lat=float(r["lat"]),
            lon=float(r["lon"]), admin1=regions.get(r["region_id"], ""), importance=imp,
            names=names, geonames_id=r["geonames_id"]))
    return rows


def merge_natural_earth(source: Path, rows: list[Row]) -> list[Row]:
    """Give WOF places the population of the Natural Earth place they are, and add the
    Natural Earth places and airports WOF lacks."""
    by_geonames = {r.geonames_id: r for r in rows if r.geonames_id}
    by_variant: dict[str, list[Row]] = {}
    for r in rows:
        if r.placetype == "locality":
            for n in r.names:
                by_variant.setdefault(variant_key(n), []).append(r)
    extra: list[Row] = []
    with (source / "ne_10m_populated_places_iraq_syria_region.csv").open(
            newline="", encoding="utf-8") as fh:
        for ne in csv.DictReader(fh):
            lat, lon, pop = float(ne["lat"]), float(ne["lon"]), int(float(ne["pop_max"] or 0))
            gid = ne["geonameid"].split(".")[0]
            match = by_geonames.get(gid)
            if match is None:
                near = [r for n in (ne["name"], ne["nameascii"])
                        for r in by_variant.get(variant_key(n), [])
                        if haversine_km(lat, lon, r.lat, r.lon) < 20]
                match = min(near, key=lambda r: haversine_km(lat, lon, r.lat, r.lon),
                            default=None)
            names = latin_spellings(ne["name"], ne["nameascii"], ne["namealt"])
            if match is not None:
                match.population = max(match.population, pop)
                match.importance = max(match.importance, population_importance(pop))
                for n in names:
                    if n not in match.names:
                        match.names.append(n)
                continue
            extra.append(Row(f"ne:{gid if gid != '-1' else exact_key(ne['name'])}",
                             ne["nameascii"] or ne["name"], "locality", ne["iso_a2"], lat, lon,
                             ne["adm1name"], population_importance(pop), pop, names))
    with (source / "ne_10m_airports_iraq_syria_region.csv").open(
            newline="", encoding="utf-8") as fh:
        for ap in csv.DictReader(fh):
            name = ap["name"].replace(" Int'l", " International")
            title = ap["wikipedia"].rsplit("/", 1)[-1].replace("_", " ")
            names = latin_spellings(f"{name} Airport", title if "%" not in title else "")
            extra.append(Row(f"ne:airport:{ap['gps_code'] or ap['abbrev']}", names[0],
                             "airport", "", float(ap["lat"]), float(ap["lon"]), "", 0.5, 0,
                             names))
    return rows + extra


def build(source: Path, output: Path) -> int:
    """Write the bundled gazetteer; returns the number of places written."""
    if not (source / "ne_10m_populated_places_iraq_syria_region.csv").exists():
        raise FileNotFoundError(f"{source}: no gazetteer source tables here "
                                "(expected wof_gazetteer_*.csv and ne_10m_*.csv)")
    rows = merge_natural_earth(source, read_wof(source))
    rows.sort(key=lambda r: (r.country, r.place_id))
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".tmp")
    # mtime=0: the same sources give a byte-identical file (reviewable diffs).
    with open(tmp, "wb") as raw_fh, gzip.GzipFile(fileobj=raw_fh, mode="wb", mtime=0,
                                                  filename="") as gz:
        gz.write(("\t".join(COLUMNS) + "\n").encode("utf-8"))
        for r in rows:
            gz.write((r.tsv() + "\n").encode("utf-8"))
    tmp.replace(output)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.geocode.build",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help=f"directory of the source tables (default {DEFAULT_SOURCE})")
    parser.add_argument("--output", type=Path, default=paths.GAZETTEER_FILE,
                        help=f"file to write (default {paths.GAZETTEER_FILE})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        n = build(args.source, args.output)
    except (OSError, KeyError, ValueError) as exc:
        sys.stderr.write(f"error: building the gazetteer from {args.source}: {exc}\n")
        return 1
    log.info("wrote %d places to %s (%.1f MB)", n, args.output,
             args.output.stat().st_size / 1e6)
    return 0


if __name__ == "__main__":
    sys.exit(main())
