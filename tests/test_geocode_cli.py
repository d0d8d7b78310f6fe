"""``python -m geo geocode`` end to end: the real CLI, scored by the real scorer."""
from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from geo.core import paths

EVAL_DIR = Path(__file__).resolve().parent / "eval"
GOLD = EVAL_DIR / "geocode-dev.csv"
SCORER = EVAL_DIR / "geocode_score.py"


def geocode_cli(*args: str, stdin: str = "", env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", "geocode", *args], input=stdin,
                          capture_output=True, text=True, cwd=paths.PROJECT_DIR, timeout=120,
                          env={**os.environ, **(env or {})})


def rows(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_dev_set_scores_at_least_26_of_27(tmp_path: Path) -> None:
    with GOLD.open(newline="", encoding="utf-8") as fh:
        names = [r["name"] for r in csv.DictReader(fh)]
    done = geocode_cli(stdin="\n".join(names) + "\n")
    assert done.returncode == 0, done.stderr
    answers = tmp_path / "answers.csv"
    answers.write_text(done.stdout, encoding="utf-8")
    scored = subprocess.run([sys.executable, str(SCORER), str(GOLD), str(answers)],
                            capture_output=True, text=True, check=True)
    right, total = map(int, re.search(r"geocoded right (\d+)/(\d+)", scored.stdout).groups())
    assert total == 27 and right >= 26, scored.stdout


def test_columns_reasons_and_arguments() -> None:
    done = geocode_cli("Ramadi", "!!!", "Xqzwvbnk", "Ramadi (UK)")
    assert done.returncode == 0, done.stderr
    out = rows(done.stdout)
    assert list(out[0]) == ["query", "name", "latitude", "longitude", "country", "admin1",
                            "place_type", "source", "score", "margin", "review", "runner_up",
                            "geo_precision", "qualifier", "part", "reason"]
    by_query = {r["query"]: r for r in out}
    assert by_query["Ramadi"]["country"] == "IQ" and by_query["Ramadi"]["reason"] == ""
    assert by_query["Ramadi (UK)"]["name"] == "Ramadi"
    assert by_query["!!!"]["latitude"] == "" and \
        by_query["!!!"]["reason"].startswith("not a place name: only punctuation")
    assert by_query["Xqzwvbnk"]["reason"] == "not in gazetteer"


def test_candidates_option_lists_runners_up() -> None:
    out = rows(geocode_cli("--candidates", "3", stdin="Tikrit\n\n").stdout)
    assert len(out) == 3 and {r["query"] for r in out} == {"Tikrit"}
    assert out[0]["country"] == "IQ" and float(out[0]["score"]) >= float(out[1]["score"])


def test_unknown_geocoder_is_a_one_line_error() -> None:
    done = geocode_cli("--geocoder", "google", "Ramadi")
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "nominatim" in done.stderr
    assert "Traceback" not in done.stderr
