"""The command line's quick path (``geo.cli.QUICK``): ``geo control --date D`` answers a
day whose change point is kept before click, logging or any heavy library is imported,
prints exactly what the command prints, and leaves everything else (other options, bad
input, evidence that changed, a defect of its own) to the command itself."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import geo.cli as cli
import geo.store
from geo.cli import main
from geo.commands.control_quick import parse
from geo.control import cache, memo
from geo.core import paths, settings
from geo.store import open_store
from tests.factories import make_event

DAY = "2016-07-01"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(cache, "CACHE_DIR", folder)
    monkeypatch.setattr(memo, "_LOADED", {})
    monkeypatch.setenv(settings.SETTINGS["log_file"].env_var, str(tmp_path / "geo.log"))
    return folder


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """Two towns that change hands in 2016, so the day has a change point."""
    url = str(tmp_path / "events.sqlite")
    with open_store(url) as store:
        store.add_events([
            make_event(town="Fallujah", event_date=date(2016, 6, 19), event_id="f"),
            make_event(town="Raqqa", event_date=date(2016, 3, 2), actor1_force="IS",
                       actor2_force="SDF", control_to="IS", event_id="r")])
    return url


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """A new run of ``python -m geo ARGS`` (nothing remembered in memory)."""
    memo.forget()
    capsys.readouterr()
    status = main(args)
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize("args, expected", [
    (["--date", DAY], {"day": DAY}),
    (["--date=" + DAY], {"day": DAY}),
    (["--db", "x.sqlite", "--date", DAY, "--no-curated"],
     {"day": DAY, "database": "x.sqlite", "no_curated": True}),
    (["--database=x.sqlite", "--date", DAY], {"day": DAY, "database": "x.sqlite"}),
    ([], None),                                     # --date is required: the command says so
    (["--database", "x.sqlite"], None),
    (["--date"], None),                             # no value
    (["--date", "--no-curated"], None),
    (["--date", DAY, "--date", DAY], None),         # twice: the command decides
    (["--date", DAY, "--db", "a", "--database", "b"], None),
    (["--date", DAY, "--place", "Mosul"], None),    # other options: the command
    (["--date", DAY, "--changes-since", "2016-01-01"], None),
    (["--date", DAY, "--warm"], None),
    (["--date", DAY, "--help"], None),
    (["--date", DAY, "extra"], None),
])
def test_only_the_plain_form_is_parsed(args: list[str],
                                       expected: dict[str, object] | None) -> None:
    assert parse(args) == expected


def test_a_kept_day_is_answered_without_click_exactly_as_the_command_answers(
        store_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["control", "--date", DAY, "--database", store_url]
    status, first, warnings = _run(args, capsys)          # worked out and kept
    assert status == 0 and json.loads(first)["date"] == DAY
    with monkeypatch.context() as patch:
        patch.setattr(cli, "build_cli", lambda: pytest.fail("ran through click"))
        assert _run(args, capsys) == (0, first, warnings)
        assert _run(["control", f"--db={store_url}", f"--date={DAY}"], capsys) == \
            (0, first, warnings)
        patch.setenv("GEO_DATABASE_URL", store_url)        # the default database
        assert _run(["control", "--date", DAY], capsys) == (0, first, warnings)


def test_what_the_quick_path_does_not_answer_the_command_answers(
        store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(["control", "--date", DAY, "--database", store_url], capsys)[0] == 0
    with monkeypatch.context() as patch:            # a kept day, a setting not valid
        patch.setenv("GEO_SQLITE_TIMEOUT", "nan")
        status, out, err = _run(["control", "--date", DAY, "--database", store_url],
                                capsys)
        assert status == 1 and "GEO_SQLITE_TIMEOUT='nan' is not valid" in err and not out
    status, out, err = _run(["control", "--date", "2016-13-01", "--database", store_url],
                            capsys)
    assert status == 2 and "'2016-13-01' is not a date" in err and not out
    missing = tmp_path / "nowhere.sqlite"
    status, out, err = _run(["control", "--date", DAY, "--database", str(missing)], capsys)
    assert status == 1 and "no such database file" in err and not missing.exists()
    status, out, _ = _run(["control", "--date", DAY, "--database", store_url,
                           "--place", "Fallujah"], capsys)
    assert status == 0 and "Fallujah" in out and not out.startswith("{")


def test_a_change_of_the_evidence_is_never_answered_from_the_old_book(
        store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["control", "--date", DAY, "--database", store_url]
    before = json.loads(_run(args, capsys)[1])
    with open_store(store_url) as store:
        store.add_events([make_event(town="Fallujah", event_date=date(2016, 6, 25),
                                     actor1_force="IS", actor2_force="ISF",
                                     control_to="IS", review_status="confirmed",
                                     event_id="f2")])

    def holder(answer: dict[str, object]) -> str:
        features = answer["features"]
        assert isinstance(features, list)
        return next(f["properties"]["force"] for f in features
                    if f["properties"].get("name") == "Fallujah")

    after = json.loads(_run(args, capsys)[1])
    assert (holder(before), holder(after)) == ("ISF", "IS")


def test_a_defect_of_the_quick_path_is_logged_and_the_command_answers(
        store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["control", "--date", DAY, "--database", store_url]
    expected = _run(args, capsys)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a defect in the quick path")

    monkeypatch.setattr(geo.store, "peek_events_version", broken)
    assert _run(args, capsys) == expected
    logged = (tmp_path / "geo.log").read_text()
    assert "quick path of command 'control' failed" in logged
    assert "RuntimeError: a defect in the quick path" in logged


#: Run in a new program: the modules imported to answer ``geo control`` from the book
#: in ``sys.argv[1]`` (and that it answered: status 0, output printed).
_IMPORTS = """
import sys
from pathlib import Path
from geo.control import cache
cache.CACHE_DIR = Path(sys.argv[1])
from geo.cli import main
status = main(sys.argv[2:])
print(status, *sorted(sys.modules), file=sys.stderr)
"""
HEAVY = ("click", "logging", "pandas", "geopandas", "shapely", "numpy", "pickle",
         "dataclasses", "geo.core.records", "geo.store.base", "geo.commands.control",
         "geo.control.series")


def test_the_quick_path_imports_nothing_heavy(store_url: str, cache_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    args = ["control", "--date", DAY, "--database", store_url]
    _, expected, _ = _run(args, capsys)
    done = subprocess.run([sys.executable, "-c", _IMPORTS, str(cache_dir), *args],
                          capture_output=True, text=True, cwd=paths.PROJECT_DIR, check=True)
    status, *modules = done.stderr.split("\n")[-2].split()
    assert (status, done.stdout) == ("0", expected)
    assert [m for m in HEAVY if m in modules] == []


@pytest.mark.parametrize("command", ["--help", *sorted(cli.COMMANDS)])
def test_help_imports_no_data_library(command: str) -> None:
    """Every command's help (and the list of commands) shows without pandas, geopandas,
    shapely or the extraction pipeline: a second, not a moment, was the old price."""
    args = [command, "--help"] if command != "--help" else [command]
    done = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom geo.cli import main\n"
         "status = main(sys.argv[1:])\nprint(status, *sorted(sys.modules), file=sys.stderr)",
         *args], capture_output=True, text=True, cwd=paths.PROJECT_DIR, check=True)
    status, *modules = done.stderr.split("\n")[-2].split()
    assert status == "0" and "Usage: python -m geo" in done.stdout
    heavy = ("pandas", "geopandas", "shapely", "numpy", "spacy", "geo.extract.pipeline")
    assert [m for m in heavy if m in modules] == []
