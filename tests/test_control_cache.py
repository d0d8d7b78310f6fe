"""The control series kept between runs (``geo.control.cache``): ``geo control`` and
the dashboard answer from it while nothing it depends on changed, and never after: an
analyst who rejects a capture, undoes the rejection or imports a newer report sees the
map move on the next run, on SQLite and PostGIS alike. A damaged cache is rebuilt, and
two programs building it at once both answer."""
from __future__ import annotations

import json
import multiprocessing
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import geo.control.history as history
import geo.control.series as series_module
from geo.cli import main
from geo.control import cache, memo
from geo.control.claims import PRESUMED
from geo.core import paths
from geo.core.files import read_cache, write_cache
from geo.core.records import Event, Origin
from geo.store import open_store
from tests.factories import PRESUMED_PLACES, SEAT_FORCES, make_article, make_event, presumed


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Kept series go to a folder of this test, and nothing is kept in memory between
    runs (each run of the command is a new program)."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(cache, "CACHE_DIR", folder)
    monkeypatch.setattr(memo, "_LOADED", {})
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per control series worked out from the evidence (not loaded)."""
    count: list[int] = []
    real = history.build_series

    def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        count.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(history, "build_series", counting)
    return count


def _control(url: str, day: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """What ``geo control --no-curated`` prints for ``day`` (a new program: nothing
    remembered in memory)."""
    memo.forget()
    capsys.readouterr()
    assert main(["control", "--date", day, "--no-curated", "--database", url]) == 0
    return dict(json.loads(capsys.readouterr().out))


def _holder(url: str, day: str, town: str, capsys: pytest.CaptureFixture[str]
            ) -> str | None:
    """Who ``geo control --no-curated`` says holds ``town`` on ``day``."""
    collection = _control(url, day, capsys)
    forces = [f["properties"]["force"] for f in collection["features"]
              if f["properties"]["kind"] == "place" and f["properties"]["name"] == town]
    assert len(forces) <= 1
    return forces[0] if forces else None


def _is_retakes_fallujah(day: date) -> Event:
    """An imported report (no article) that IS took Fallujah on ``day``."""
    return make_event(event_date=day, sub_event_type="Non-state actor overtakes territory",
                      actor1_force="IS", actor2_force="ISF", control_to="IS",
                      origin=Origin.IMPORTED.value, evidence=[],
                      event_id=f"acled:fallujah-{day}")


def test_the_kept_series_is_used_until_the_events_change(
        backend_url: str, builds: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(backend_url) as store:
        store.ingest(make_article(), [make_event()])           # ISF retakes Fallujah
        assert _holder(backend_url, "2016-07-01", "Fallujah", capsys) == "ISF"
        assert len(builds) == 1
        assert _holder(backend_url, "2016-07-01", "Fallujah", capsys) == "ISF"
        assert _holder(backend_url, "2016-08-01", "Fallujah", capsys) == "ISF"
        assert len(builds) == 1, "nothing changed: the kept series answers"

        [event_id] = store.query_events()["event_id"]
        store.update_event(event_id, {"review_status": "rejected"})
        assert _holder(backend_url, "2016-07-01", "Fallujah", capsys) is None
        store.undo_change(store.audit_trail(event_id)[-1]["change_id"])
        assert _holder(backend_url, "2016-07-01", "Fallujah", capsys) == "ISF"
        store.import_events([_is_retakes_fallujah(date(2017, 1, 10))])
        assert _holder(backend_url, "2017-02-01", "Fallujah", capsys) == "IS"
        store.add_events([make_event(event_date=date(2017, 3, 1), evidence=[],
                                     origin=Origin.IMPORTED.value, event_id="own:1")])
        assert _holder(backend_url, "2017-04-01", "Fallujah", capsys) == "ISF"
        assert len(builds) == 5, "each write of events: worked out again, once"
        assert _holder(backend_url, "2017-04-01", "Fallujah", capsys) == "ISF"
        assert len(builds) == 5


def test_catchments_outlive_an_edit_that_keeps_the_same_towns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The land each town's control covers (the costly part of a map) depends on which
    towns are known, not on who holds them: a newer report that IS retook Fallujah
    repaints the same land without cutting it again, even in a new program."""
    cuts: list[int] = []
    real = series_module.partition

    def counting(*args: Any, **kwargs: Any) -> Any:
        cuts.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(series_module, "partition", counting)
    url = str(tmp_path / "events.sqlite")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event()])
        areas = [f["properties"]["force"] for f in _control(url, "2016-07-01", capsys)[
            "features"] if f["properties"]["kind"] == "area"]
        assert set(areas) == {"ISF"} | SEAT_FORCES and len(cuts) == 1
        store.import_events([_is_retakes_fallujah(date(2017, 1, 10))])
    areas = [f["properties"]["force"] for f in _control(url, "2017-02-01", capsys)[
        "features"] if f["properties"]["kind"] == "area"]
    assert set(areas) == {"IS"} | SEAT_FORCES and len(cuts) == 1


def test_the_dashboard_publishes_from_the_kept_series(
        tmp_path: Path, builds: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A restarted dashboard (a new worker process) publishes control for unchanged
    events without working it out again; after an edit it does."""
    import geo.maps.scrub as scrub
    from geo.maps.control_states import publish_control

    monkeypatch.setattr(scrub, "DATA_DIR", tmp_path / "served")
    url = str(tmp_path / "events.sqlite")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event()])
    first = publish_control(url, False)
    memo.forget()
    assert publish_control(url, False) == first and len(builds) == 1
    with open_store(url) as store:
        [event_id] = store.query_events()["event_id"]
        store.update_event(event_id, {"review_status": "rejected"})
    memo.forget()
    again = publish_control(url, False)
    assert again["url"] != first["url"] and len(builds) == 2
    presumed = PRESUMED_PLACES      # rule 10: seats and governed cities no report names
    assert (first["places"], again["places"]) == (1 + presumed, presumed)


def test_a_damaged_cache_is_rebuilt_not_an_error(
        tmp_path: Path, cache_dir: Path, builds: list[int],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Truncated files (a full disk, a killed program) and an output whose bytes no
    longer match their checksum are worked out again; the answer stays right (the
    book of change points: tests/test_control_daybook.py)."""
    url = str(tmp_path / "events.sqlite")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event()])
    assert _holder(url, "2016-07-01", "Fallujah", capsys) == "ISF"
    kept = sorted(cache_dir.iterdir())
    assert [p.name.split("-")[0] for p in kept] == ["book", "book", "partition", "series"]
    for path in kept:
        path.write_bytes(path.read_bytes()[:100])
    assert _holder(url, "2016-07-01", "Fallujah", capsys) == "ISF"
    assert len(builds) == 2
    pickles = [p for p in kept if p.suffix == ".pickle"]
    assert all(read_cache(p, object) is not None for p in pickles), "each one rewritten"

    def gained(capsys: pytest.CaptureFixture[str]) -> list[str]:
        capsys.readouterr()
        assert main(["control", "--date", "2016-07-01", "--changes-since", "2016-01-01",
                     "--no-curated", "--database", url]) == 0
        features = json.loads(capsys.readouterr().out)["features"]
        return [f["properties"]["force"] for f in features
                if f["properties"]["kind"] == "place" and not presumed(f["properties"])]

    assert gained(capsys) == ["ISF"]
    [output] = cache_dir.glob("output-*")
    good = read_cache(output, cache.KeptOutput)
    assert good is not None
    write_cache(output, cache.KeptOutput(good.digest, good.variant,
                                         good.data.replace(b"ISF", b"SDF"), good.crc,
                                         good.warnings))
    assert gained(capsys) == ["ISF"]


def test_the_key_follows_the_curated_timeline_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing the curated timeline (one character) changes the key; the same contents
    again give the same key (a checkout does not throw the cache away)."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    monkeypatch.setattr(paths, "DATA_DIR", data)
    with open_store(str(tmp_path / "events.sqlite")) as store:
        before = cache.series_key(store)
        timeline = data / "control_timeline.csv"
        original = timeline.read_bytes()
        timeline.write_bytes(original.replace(b"2015-05-17", b"2015-05-18", 1))
        assert cache.series_key(store) != before
        timeline.write_bytes(original)
        assert cache.series_key(store) == before
        assert cache.series_key(store, curated=False) != before


def _build_in_child(folder: str, url: str) -> list[str]:
    """In another process: the store's kept series (built, or loaded if the other
    process was first), and who holds what on 2016-07-01."""
    cache.CACHE_DIR = Path(folder)
    with open_store(url, read_only=True) as store:
        control = cache.stored_series(store, curated=False).places_on(date(2016, 7, 1))
    return sorted(c.force for c in control.values() if c.tier != PRESUMED)


def test_two_programs_building_at_once_both_answer(tmp_path: Path, cache_dir: Path,
                                                   capsys: pytest.CaptureFixture[str]
                                                   ) -> None:
    url = str(tmp_path / "events.sqlite")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event()])
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        answers = pool.starmap(_build_in_child, [(str(cache_dir), url)] * 2)
    assert answers == [["ISF"], ["ISF"]]
    assert [p.name.split("-")[0] for p in cache_dir.iterdir()] == ["series"]
    assert _holder(url, "2016-07-01", "Fallujah", capsys) == "ISF"


def test_a_folder_that_cannot_be_written_only_makes_it_slower(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: list[int],
        capsys: pytest.CaptureFixture[str]) -> None:
    """A cache folder that cannot be made (here its parent is a file; a read-only
    install alike): the command answers, working control out each time."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(cache, "CACHE_DIR", blocker / "control")
    url = str(tmp_path / "events.sqlite")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event()])
    assert _holder(url, "2016-07-01", "Fallujah", capsys) == "ISF"
    assert _holder(url, "2016-07-01", "Fallujah", capsys) == "ISF"
    assert len(builds) == 2
