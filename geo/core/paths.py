"""Where the bundled files live, resolved from this file, never from the working directory."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent   # geo/
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
GAZETTEER_FILE = DATA_DIR / "gazetteer.tsv.gz"
CURATED_PLACES_FILE = DATA_DIR / "places_curated.csv"
PLACE_ALIASES_FILE = DATA_DIR / "place_aliases.csv"
FORCES_FILE = DATA_DIR / "forces.csv"
#: English verbs, adjectives, adverbs and stop words (``python -m geo.core.build_words``).
ENGLISH_WORDS_FILE = DATA_DIR / "english_words.txt.gz"
BOUNDARIES_DIR = DATA_DIR / "boundaries"
STATIC_DIR = PROJECT_DIR / "static"
DEFAULT_DATABASE_FILE = PROJECT_DIR / "var" / "geo.sqlite"
DEFAULT_LOG_FILE = PROJECT_DIR / "var" / "geo.log"
#: Derived data the tool rebuilds when missing (gazetteer index, locality mesh).
CACHE_DIR = PROJECT_DIR / "var" / "cache"
