"""``geo control --date D`` answers from the change points kept in its book
(``geo.control.daybook``): exactly what a fresh computation prints, on every kind of
day (a change point, the day before and after it, the first and last day of a
"changed hands" window, a claim's first and last day, before the first change point,
long after the last), and without working control out again once the day's change
point is kept."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

import geo.control.history as history
from geo.cli import main
from geo.commands.control import _collection_json
from geo.control import cache, daybook, memo
from geo.control.series import ControlSeries
from geo.control.sources import control_events
from geo.core.records import Origin
from geo.store import open_store
from tests.factories import make_event, sample_events


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(cache, "CACHE_DIR", folder)
    monkeypatch.setattr(memo, "_LOADED", {})
    return folder


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """Varied evidence over the 20 test towns: captures and other events with day,
    week and month precision (claims that span days and stay pending), a siege and a
    lone machine claim that disputes a confirmed holder."""
    url = str(tmp_path / "events.sqlite")
    events = sample_events(160, seed=3)
    events += [
        make_event(town="Ramadi", event_date=date(2015, 5, 17), actor1_force="IS",
                   actor2_force="ISF", control_to="IS", review_status="confirmed",
                   sub_event_type="Non-state actor overtakes territory",
                   event_id="test-ramadi-is", origin=Origin.IMPORTED.value, evidence=[]),
        make_event(town="Ramadi", event_date=date(2015, 6, 2), actor1_force="ISF",
                   actor2_force="IS", control_to="ISF", event_id="test-ramadi-lone",
                   evidence=[]),
        make_event(town="Deir ez-Zor", event_date=date(2015, 3, 1),
                   date_min=date(2015, 2, 20), date_max=date(2015, 3, 1),
                   actor1_force="IS", actor2_force="SYR", control_to="",
                   sub_event_type="Armed clash", notes="IS besieged the city.",
                   event_id="test-siege", origin=Origin.IMPORTED.value, evidence=[]),
    ]
    with open_store(url) as store:
        store.add_events(events)
    return url


def _fresh(url: str) -> ControlSeries:
    with open_store(url, read_only=True) as store:
        return history.build_series(control_events(None, store, curated=False),
                                    curated=False)


def _days(series: ControlSeries) -> list[date]:
    """The table of days: around change points, at the edges of every "changed hands"
    window and of every claim, before the first change point and after the last."""
    days = {series.change_points[0] - timedelta(days=1),
            series.change_points[-1] + timedelta(days=400)}
    for cp in series.change_points[::3]:
        days.update(cp + timedelta(days=k) for k in (-1, 0, 1, 29, 30, 31))
    for key in series.keys[:6]:
        for claim in series.histories[key].claims:
            days.update((claim.start, claim.end, claim.end + timedelta(days=1)))
    return sorted(days)


def _command(url: str, day: date, capsys: pytest.CaptureFixture[str]) -> str:
    """What a new run of ``geo control --no-curated`` prints for ``day``."""
    memo.forget()
    capsys.readouterr()
    assert main(["control", "--date", day.isoformat(), "--no-curated",
                 "--database", url]) == 0
    return capsys.readouterr().out


def test_every_day_answers_as_a_fresh_computation(
        store_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """After ``--warm`` each day of the table is read from the book, never worked out,
    and is byte for byte what the series worked out afresh prints."""
    fresh = _fresh(store_url)
    days = _days(fresh)
    assert len(fresh.change_points) > 20 and len(days) > 80
    assert main(["control", "--warm", "--no-curated", "--database", store_url]) == 0
    capsys.readouterr()

    def no_series(*args: object, **kwargs: object) -> None:
        raise AssertionError("worked control out although the book holds the day")

    monkeypatch.setattr(cache, "stored_series", no_series)
    for day in days[1:]:                         # the day before the first: see below
        expected, _ = _collection_json(fresh, day, None)
        assert _command(store_url, day, capsys) == expected.decode("utf-8"), day
    monkeypatch.undo()
    expected, _ = _collection_json(fresh, days[0], None)
    assert _command(store_url, days[0], capsys) == expected.decode("utf-8")


def test_a_day_is_kept_with_its_change_point(
        store_url: str, monkeypatch: pytest.MonkeyPatch, cache_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Without ``--warm`` the first day asked keeps its change point: another day of
    the same change point is then read, a day of another one is worked out once."""
    fresh = _fresh(store_url)
    first, after = next((a, b) for a, b in zip(fresh.change_points, fresh.change_points[1:])
                        if (b - a).days > 3)
    _command(store_url, first, capsys)
    loads: list[int] = []
    real = cache.stored_series

    def counting(*args: object, **kwargs: object) -> ControlSeries:
        loads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "stored_series", counting)
    inside = first + timedelta(days=2)
    assert _command(store_url, inside, capsys) == \
        _collection_json(fresh, inside, None)[0].decode("utf-8")
    assert loads == []
    assert _command(store_url, after, capsys) == \
        _collection_json(fresh, after, None)[0].decode("utf-8")
    assert loads == [1]
    [book] = cache_dir.glob("book-*.sqlite")
    with sqlite3.connect(book) as conn:
        kept = conn.execute("SELECT count(*) FROM change_points WHERE body IS NOT NULL")
        assert kept.fetchone()[0] == 2


def test_a_damaged_book_is_made_anew(store_url: str, cache_dir: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A truncated book or pack (a full disk, a killed program) is not read: the answer
    stays right and the book is written again."""
    fresh = _fresh(store_url)
    day = fresh.change_points[len(fresh.change_points) // 2]
    expected = _collection_json(fresh, day, None)[0].decode("utf-8")
    assert _command(store_url, day, capsys) == expected
    for suffix in (".places", ".sqlite"):
        [path] = cache_dir.glob(f"book-*{suffix}")
        path.write_bytes(path.read_bytes()[:100])
        assert _command(store_url, day, capsys) == expected
        assert _command(store_url, day, capsys) == expected
    with open_store(store_url, read_only=True) as store:
        key = cache.series_key(store, curated=False)
    assert daybook.read_answer(key, day) is not None, "written again"


def test_a_pack_changed_in_place_is_not_trusted(
        store_url: str, cache_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A pack of the right size whose bytes another program changed is never printed:
    the day is worked out again and the book made anew. A pack copied back unchanged
    (a new file, the same bytes) is still read."""
    fresh = _fresh(store_url)
    day = fresh.change_points[len(fresh.change_points) // 2]
    expected = _collection_json(fresh, day, None)[0].decode("utf-8")
    assert _command(store_url, day, capsys) == expected
    [pack] = cache_dir.glob("book-*.places")
    good = pack.read_bytes()
    pack.unlink()
    pack.write_bytes(good)                       # another inode and time, same bytes
    with monkeypatch.context() as patch:
        patch.setattr(cache, "stored_series", lambda *a, **k: pytest.fail("worked out"))
        assert _command(store_url, day, capsys) == expected
    damaged = bytearray(good)
    middle = len(damaged) // 2
    damaged[middle:middle + 12] = b"X" * 12
    pack.write_bytes(bytes(damaged))
    assert _command(store_url, day, capsys) == expected
    assert pack.read_bytes() == good, "made anew"
