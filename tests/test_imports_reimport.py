"""A newer ACLED export imported after an older one: what is new is added (even an event
like a stored one: ACLED's ids say it is another), what changed is updated (ACLED's
``timestamp`` says which row is newer), the rest is recognised (both backends)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo.core.forces import default_forces
from geo.imports.run import import_file
from geo.store import open_store

SAMPLE = Path(__file__).parent / "data" / "imports" / "acled_sample.csv"


def _rows() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def url(backend_url: str) -> str:
    """A new store's URL on each backend (``backend_url``)."""
    return backend_url


def test_newer_export_adds_new_events_and_updates_changed_ones(url: str, tmp_path: Path,
                                                               monkeypatch) -> None:
    monkeypatch.setenv("GEO_AUTHOR", "maria")
    header, rows = _rows()
    forces = default_forces()
    with open_store(url) as store:
        first = import_file("acled", SAMPLE, store, forces)
        assert first.imported > 2 and first.updated == []    # (the sample has bad rows too)
        stored = store.counts()["events"]

        newer = [dict(r) for r in rows]
        newer[0]["fatalities"] = str(int(newer[0]["fatalities"]) + 3)      # revised by ACLED
        newer[0]["timestamp"] = str(int(newer[0]["timestamp"]) + 86_400)
        twin = dict(rows[1], event_id_cnty="IRQ19999",                      # a second strike
                    notes="A second air strike hit Mosul the same week.")
        second = import_file("acled", _write(tmp_path / "newer.csv", header, [*newer, twin]),
                             store, forces)
        assert second.imported == 1                       # the twin is not a "duplicate"
        assert [line for line, _ in second.updated] == [2]
        assert len(second.duplicates) == first.imported - 1
        assert store.counts()["events"] == stored + 1
        revised = store.get_event(f"acled:{rows[0]['event_id_cnty']}")
        assert revised.fatalities == int(rows[0]["fatalities"]) + 3
        trail = store.audit_trail(revised.event_id)
        assert [(r["field"], r["author"]) for r in trail] == [("fatalities", "maria")]
        assert "1 updated from a newer version of their row" in second.lines()[0]

        older = [dict(r) for r in rows]
        older[0]["fatalities"] = "0"
        older[0]["timestamp"] = str(int(rows[0]["timestamp"]) - 86_400)
        third = import_file("acled", _write(tmp_path / "older.csv", header, older), store,
                            forces)
        assert (third.imported, third.updated) == (0, [])
        assert store.get_event(revised.event_id).fatalities == revised.fatalities


def test_a_bad_timestamp_is_reported_by_line_and_field(tmp_path: Path) -> None:
    header, rows = _rows()
    rows[1]["timestamp"] = "yesterday"
    with open_store(str(tmp_path / "db.sqlite")) as store:
        summary = import_file("acled", _write(tmp_path / "bad.csv", header, rows), store,
                              default_forces())
    problems = [(p.line, p.field) for p in summary.problems]
    assert (3, "timestamp") in problems
