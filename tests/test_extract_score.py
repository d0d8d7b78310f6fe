"""The seed gold set guards extraction quality: F1 >= 0.85 and actor accuracy >= 0.90.

Runs the real command (``python -m geo extract``) on the bundled seed articles and the
real scorer copied from the evaluation kit, exactly as the held-out set is judged.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(__file__).resolve().parent / "eval"


def test_seed_gold_score(tmp_path: Path) -> None:
    articles = sorted((ROOT / "data" / "articles").glob("*.txt"))
    assert len(articles) == 5
    out = tmp_path / "out.csv"
    with open(out, "w", encoding="utf-8") as fh:
        subprocess.run([sys.executable, "-m", "geo", "extract", *map(str, articles)],
                       cwd=ROOT, stdout=fh, check=True)
    res = subprocess.run([sys.executable, str(EVAL / "score.py"), str(EVAL / "seeds-gold.jsonl"),
                          str(out), "--json"], capture_output=True, text=True, check=True)
    result = json.loads(res.stdout[: res.stdout.rindex("}") + 1])
    assert result["f1"] >= 0.85, result
    assert result["actor_accuracy"] >= 0.90, result


def test_extract_does_not_touch_the_store(tmp_path: Path) -> None:
    db = tmp_path / "untouched.sqlite"
    env = {"GEO_DATABASE_URL": str(db), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "geo", "extract",
                    str(ROOT / "data" / "articles" / "002_75a363b080b93bbf.txt")],
                   cwd=ROOT, env=env, capture_output=True, check=True)
    assert not db.exists()
