"""No traceback reaches a user on any command (issue #15): the command-line sweep's cases
that once crashed or hung, each run as a real ``python -m geo`` process.

The whole sweep (294 cases: bad files, paths, databases, dates, options and settings
through every command) runs in ``make fuzz``; these are its regressions.
"""
from __future__ import annotations

import pytest

from tests.fuzz.cli_sweep import CASES, CliResult, sweep

#: Case ids (see tests/fuzz/cli_sweep.py) that crashed or hung before the fix, and words
#: the message must hold.
REGRESSIONS: dict[str, str] = {
    "extract:fifo_txt": "not a regular file",                 # hung forever on read
    "ingest---quiet:fifo_txt": "not a regular file",
    "import-ucdp:dev_zero": "not a regular file",             # filled the memory
    "ingest---quiet:latin_name": "",                           # UnicodeEncodeError
    "env:GEO_THEATRE=mars:settings": "unknown theatre",        # raised while loading
    "import-gis:empty_csv": "GeoPackage or GeoJSON",           # AttributeError
    "export:out-sys": "cannot write the file",
    "control:date-0001": "",                                  # OverflowError (control map)
    "snapshot:date-0001": "",
    "stdout-full:export": "No space left on device",
    "stdout-full:extract": "No space left on device",
}


@pytest.fixture(scope="module")
def results() -> dict[str, CliResult]:
    chosen = [c for c in CASES if c.case_id in REGRESSIONS]
    assert len(chosen) == len(REGRESSIONS), set(REGRESSIONS) - {c.case_id for c in chosen}
    return {r.case_id: r for r in sweep(timeout=60, workers=2, only=chosen)}


@pytest.mark.parametrize("case_id", sorted(REGRESSIONS))
def test_command_answers_with_a_message(results: dict[str, CliResult], case_id: str) -> None:
    result = results[case_id]
    assert result.status in ("ok", "refused"), result.detail
    assert REGRESSIONS[case_id] in result.detail, result.detail
