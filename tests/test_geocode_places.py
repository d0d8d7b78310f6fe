"""The analyst's own places and confirmed names through ``python -m geo places``: bad rows
reported by line and field, good rows stored and used by the next ``geo geocode``, a
confirmation given, listed and forgotten. A real SQLite file per test."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from geo.core import paths

OWN = """name,latitude,longitude,country,admin1,place_type,aliases
Tell Qarbuzi,36.12,42.21,IQ,Nineveh,locality,Qarbuzi|Tal Qarbouzi
Out of range,95,42,IQ,,,
,36.1,42.2,IQ,,,
Bad country,36.1,42.2,Iraq,,,
short row,36.1
"""


def geo(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args], input=stdin, text=True,
                          capture_output=True, cwd=paths.PROJECT_DIR, timeout=120,
                          env={**os.environ, "GEO_DATABASE_URL": str(db)})


def rows(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_own_places_from_a_csv_win_and_their_aliases_are_confirmed(tmp_path: Path) -> None:
    db, own = tmp_path / "events.sqlite", tmp_path / "own.csv"
    own.write_text(OWN, encoding="utf-8")
    done = geo(db, "places", "import", str(own))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "1 place(s) added or updated, 4 row(s) skipped" in done.stdout
    problems = done.stderr.splitlines()
    assert any("line 3, field 'latitude'" in p for p in problems)
    assert any("line 4, field 'name'" in p for p in problems)
    assert any("line 5, field 'country'" in p for p in problems)
    assert any("line 6: 2 cells" in p for p in problems)
    answers = {r["query"]: r for r in rows(geo(db, "geocode", "--use-store", "Tell Qarbuzi",
                                               "Tal Qarbouzi", "north of Qarbuzi").stdout)}
    for query in ("Tell Qarbuzi", "Tal Qarbouzi", "north of Qarbuzi"):
        assert answers[query]["name"] == "Tell Qarbuzi", answers[query]
    assert answers["north of Qarbuzi"]["geo_precision"] == "2"


def test_confirm_list_and_forget(tmp_path: Path) -> None:
    db = tmp_path / "events.sqlite"
    flagged = rows(geo(db, "geocode", "--use-store", "Sukhnah").stdout)[0]
    assert flagged["review"] == "yes" and flagged["runner_up"]
    done = geo(db, "places", "confirm", "Sukhnah")
    assert done.returncode == 0 and "'Sukhnah' = " in done.stdout, done.stderr
    sure = rows(geo(db, "geocode", "--use-store", "Sukhnah").stdout)[0]
    assert sure["review"] == "" and sure["reason"] == "confirmed by an analyst"
    assert sure["name"] == flagged["name"]
    listed = rows(geo(db, "places", "list").stdout)
    assert [(r["kind"], r["name"]) for r in listed] == [("confirmed name", "Sukhnah")]
    assert geo(db, "places", "forget", "sukhnah").returncode == 0
    assert geo(db, "places", "forget", "sukhnah").returncode == 1
    missing = geo(db, "places", "confirm", "Hit", "--place-id", "wof:0")
    assert missing.returncode == 1 and "no place has the id 'wof:0'" in missing.stderr
    assert "Traceback" not in missing.stderr
    unreadable = geo(db, "places", "import", str(tmp_path / "nope.csv"))
    assert unreadable.returncode == 1 and "cannot read the file" in unreadable.stderr
