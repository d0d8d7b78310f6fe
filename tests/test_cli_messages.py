"""What the command line tells a user when settings are wrong or the tool itself fails.

Run in-process through ``geo.cli.main`` (the same entry point as ``python -m geo``), with
the output captured as the user would read it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from geo import ingest
from geo.cli import main
from geo.commands import settings_cmd
from geo.core import settings
from geo.store import EventFilter, open_store

ARTICLE = ("Iraqi forces retook Fallujah from Islamic State militants on {day}, military "
           "officials said.\n")


@pytest.fixture(autouse=True)
def _log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's log in its own folder (never the checkout's var/)."""
    log = tmp_path / "logs" / "geo.log"
    monkeypatch.setenv(settings.SETTINGS["log_file"].env_var, str(log))
    return log


def test_settings_never_print_the_database_password(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GEO_DATABASE_URL", "postgresql://geo:s3cr3t-pw@db.example:5432/events")
    assert main(["settings"]) == 0
    out = capsys.readouterr()
    assert "s3cr3t-pw" not in out.out + out.err
    assert "database_url = 'postgresql://geo:***@db.example:5432/events'" in out.out


def test_settings_list_every_setting_and_mark_each_invalid_one(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GEO_SQLITE_TIMEOUT", "nan")
    monkeypatch.setenv("GEO_MAX_ARTICLE_BYTES", "lots")
    assert main(["settings"]) == 1
    out = capsys.readouterr()
    listed = [line.split(" = ")[0] for line in out.out.splitlines()
              if not line.startswith(" ")]
    assert listed == list(settings.SETTINGS)          # nothing stops the listing
    invalid = {line.split(" = ")[0]: line for line in out.out.splitlines()
               if " = INVALID" in line}
    assert set(invalid) == {"sqlite_timeout", "max_article_bytes"}
    assert "GEO_SQLITE_TIMEOUT='nan'" in invalid["sqlite_timeout"]
    assert "greater than 0" in invalid["sqlite_timeout"]
    assert "GEO_MAX_ARTICLE_BYTES='lots'" in invalid["max_article_bytes"]
    assert "2 invalid setting(s)" in out.err and "max_article_bytes" in out.err


def test_a_defect_is_one_line_naming_the_command_and_the_traceback_goes_to_the_log(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        _log_file: Path) -> None:
    class Broken(settings.Setting):
        def value(self) -> object:
            raise ZeroDivisionError("division by zero in a helper")

    monkeypatch.setattr(settings_cmd, "SETTINGS", {"theatre": Broken("theatre", "", "")})
    assert main(["settings"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    [line] = out.err.strip().splitlines()
    assert line.startswith("internal error in 'geo settings': ZeroDivisionError: division "
                           "by zero in a helper")
    assert str(_log_file) in line
    logged = _log_file.read_text()
    assert "Traceback" in logged and "in value" in logged


def test_one_article_hitting_a_defect_does_not_stop_the_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], _log_file: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-good.txt").write_text(ARTICLE.format(day="Sunday"))
    (folder / "b-bad.txt").write_text(ARTICLE.format(day="Monday"))
    (folder / "c-good.txt").write_text(ARTICLE.format(day="Tuesday"))
    real = ingest.extract_article

    def extract(article, *args, **kwargs):  # type: ignore[no-untyped-def]
        if article.path.endswith("b-bad.txt"):
            raise KeyError("a defect met by this article only")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(ingest, "extract_article", extract)
    db = tmp_path / "events.sqlite"
    status = main(["ingest", str(folder), "--date", "2016-06-20", "--database", str(db),
                   "--quiet"])
    out = capsys.readouterr()
    assert status == 1                                  # a file failed: the batch says so
    assert "Traceback" not in out.out + out.err
    [bad] = [line for line in out.err.splitlines() if "b-bad.txt" in line]
    assert "internal error (KeyError" in bad and "skipped" in bad
    with open_store(str(db), read_only=True) as store:
        stored = store.query_events(EventFilter(include_undated=True))
        assert store.counts()["articles"] == 2         # the files after it were read too
    assert len(stored) >= 2
    assert "b-bad.txt" in _log_file.read_text() and "Traceback" in _log_file.read_text()
