"""Bad files, paths, dates, options and settings through every command of ``python -m geo``.

Each case runs the real command in its own process (as a user would), in a scratch
folder, against a scratch database. A traceback on stderr, a death by signal or an exit
status other than 0 (done), 1 (refused with a message), 2 (usage) or 130 is a crash; no
answer within the timeout is a hang. ``sweep()`` yields one result per case;
``CASES`` lists them (the suite runs a few, ``make fuzz`` all).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMPORTS = ROOT / "tests" / "data" / "imports"
ARTICLE = ROOT / "tests" / "data" / "articles" / "wire_al_bab.txt"


@dataclass(frozen=True)
class CliCase:
    case_id: str
    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    stdout_to_full: bool = False
    stdin: bytes = b""


@dataclass
class CliResult:
    case_id: str
    subkind: str
    status: str
    seconds: float
    detail: str = ""
    returncode: int | None = None
    argv: tuple[str, ...] = field(default_factory=tuple)


#: Files in the scratch folder, by the name cases use for them ({name} in an argv).
def make_files(folder: Path) -> dict[str, str]:
    """Write the hostile files; return {placeholder: path}."""
    f = folder
    (f / "good.txt").write_bytes(ARTICLE.read_bytes())
    (f / "good.csv").write_bytes((IMPORTS / "acled_sample.csv").read_bytes())
    (f / "ucdp.csv").write_bytes((IMPORTS / "ucdp_sample.csv").read_bytes())
    (f / "empty.txt").write_bytes(b"")
    (f / "empty.csv").write_bytes(b"")
    (f / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (f / "utf16.csv").write_bytes((IMPORTS / "acled_sample.csv").read_text().encode("utf-16"))
    (f / "huge.txt").write_bytes(b"a " * (5 * 1024 * 1024 + 1))          # over 10 MB
    (f / "folder").mkdir()
    (f / "folder.csv").mkdir()
    (f / "notdb.sqlite").write_text("not a database\n")
    (f / "acled.gpkg").write_bytes((IMPORTS / "acled_sample.csv").read_bytes())
    (f / "csv.geojson").write_bytes((IMPORTS / "acled_sample.csv").read_bytes())
    (f / "bad.geojson").write_text('{"type": "FeatureCollection", "features": [{"x": 1}]}')
    (f / "sidecar.txt").write_bytes(ARTICLE.read_bytes())
    (f / "sidecar.txt.meta.json").write_text('{"published": "2016-02-30"}')
    (f / "sidecar2.txt").write_bytes(ARTICLE.read_bytes())
    (f / "sidecar2.txt.meta.json").write_text('[1, 2')
    (f / "places.csv").write_text("name,latitude,longitude,country\nX,0,0,ZZ\nY,inf,nan,IQ\n"
                                  "Z,36.3,43.1,IQ\n" + "W," * 5000 + "\n")
    (f / "new\nline.txt").write_bytes(ARTICLE.read_bytes())
    (f / "=formula.txt").write_bytes(ARTICLE.read_bytes())
    os.mkfifo(f / "fifo.txt")
    (f / "loop.txt").symlink_to(f / "loop.txt")
    (f / "dangling.txt").symlink_to(f / "missing-target.txt")
    (f / "parent-is-file").write_text("x")
    bad_name = os.fsencode(f) + b"/\xff\xfe-latin.txt"
    with open(bad_name, "wb") as handle:
        handle.write(ARTICLE.read_bytes())
    files = {name.replace(".", "_"): str(f / name) for name in (
        "good.txt", "good.csv", "ucdp.csv", "empty.txt", "empty.csv", "binary.bin",
        "utf16.csv", "huge.txt", "folder", "folder.csv", "notdb.sqlite", "acled.gpkg",
        "csv.geojson", "bad.geojson", "sidecar.txt", "sidecar2.txt", "places.csv",
        "new\nline.txt", "=formula.txt", "fifo.txt", "loop.txt", "dangling.txt")}
    files["latin_name"] = os.fsdecode(bad_name)
    files["missing"] = str(f / "missing.txt")
    files["under_file"] = str(f / "parent-is-file" / "x.csv")
    files["long_name"] = str(f / ("n" * 300 + ".txt"))
    files["long_path"] = "/".join([str(f)] + ["d" * 200] * 25) + "/x.txt"
    files["dev_null"] = "/dev/null"
    files["dev_zero"] = "/dev/zero"
    files["sys"] = "/sys/x.csv"
    files["db"] = str(f / "events.sqlite")
    return files


#: Inputs every file-taking command gets.
BAD_FILES = ("missing", "empty_txt", "binary_bin", "huge_txt", "folder", "notdb_sqlite",
             "fifo_txt", "loop_txt", "dangling_txt", "latin_name", "long_name", "long_path",
             "dev_null", "dev_zero", "utf16_csv", "acled_gpkg", "csv_geojson", "bad_geojson",
             "new\nline_txt", "under_file", "folder_csv", "empty_csv")
FILE_COMMANDS = (("extract",), ("ingest", "--quiet"), ("import", "acled"), ("import", "ucdp"),
                 ("import", "gis"), ("places", "import"))
BAD_DATABASES = ("missing_dir", "folder", "notdb_sqlite", "good_txt", "dev_null",
                 "postgres_refused", "bad_scheme", "under_file", "long_path")
DB_COMMANDS = (("db", "info"), ("export",), ("control", "--date", "2016-06-01"),
               ("places", "list"), ("ingest", "--quiet", "{good_txt}"),
               ("import", "acled", "{good_csv}"))


def cases() -> list[CliCase]:
    out: list[CliCase] = []
    for command in FILE_COMMANDS:
        for bad in BAD_FILES:
            out.append(CliCase(f"{'-'.join(command)}:{bad.replace(chr(10), '_')}",
                               (*command, f"{{{bad}}}", "--database", "{db}")
                               if command[0] != "extract" else (*command, f"{{{bad}}}")))
    for command in DB_COMMANDS:
        for bad in BAD_DATABASES:
            db = {"missing_dir": "{folder}/no/such/dir/x.sqlite",
                  "postgres_refused": "postgresql://nobody@127.0.0.1:1/nothing",
                  "bad_scheme": "mysql://x/y"}.get(bad, f"{{{bad}}}")
            out.append(CliCase(f"{'-'.join(c for c in command if '{' not in c)}:db={bad}",
                               (*command, "--database", db)))
    for name, argv in {
        "extract:sidecar-no-such-day": ("extract", "{sidecar_txt}"),
        "extract:sidecar-not-json": ("extract", "{sidecar2_txt}"),
        "extract:formula-name": ("extract", "{=formula_txt}"),
        "extract:date-0001": ("extract", "{good_txt}", "--date", "0001-01-01"),
        "extract:date-9999": ("extract", "{good_txt}", "--date", "9999-12-31"),
        "extract:date-feb-30": ("extract", "{good_txt}", "--date", "2015-02-30"),
        "extract:date-words": ("extract", "{good_txt}", "--date", "next tuesday"),
        "extract:date-huge": ("extract", "{good_txt}", "--date", "9" * 5000),
        "ingest:date-9999-any": ("ingest", "{good_txt}", "--date", "9999-12-31",
                                 "--any-date", "--database", "{db}"),
        "ingest:date-0001-any": ("ingest", "{good_txt}", "--date", "0001-01-01",
                                 "--any-date", "--database", "{db}"),
        "export:out-full": ("export", "--out", "/dev/full", "--database", "{db}"),
        "export:out-sys": ("export", "--out", "{sys}", "--database", "{db}"),
        "export:out-folder": ("export", "--out", "{folder}", "--database", "{db}"),
        "export:out-folder-csv": ("export", "--out", "{folder_csv}", "--database", "{db}"),
        "export:out-under-file": ("export", "--out", "{under_file}", "--database", "{db}"),
        "export:out-fifo": ("export", "--out", "{fifo_txt}", "--database", "{db}"),
        "export:out-kml-sys": ("export", "--out", "/sys/x.kml", "--database", "{db}"),
        "export:out-gpkg-sys": ("export", "--out", "/sys/x.gpkg", "--database", "{db}"),
        "export:from-after-to": ("export", "--from", "2017-01-01", "--to", "2016-01-01",
                                 "--database", "{db}"),
        "export:from-0001": ("export", "--from", "0001-01-01", "--to", "9999-12-31",
                             "--database", "{db}"),
        "export:bad-type": ("export", "--type", "Picnic", "--database", "{db}"),
        "export:bad-force": ("export", "--force", "\x01", "--database", "{db}"),
        "control:date-0001": ("control", "--date", "0001-01-01", "--database", "{db}"),
        "control:date-9999": ("control", "--date", "9999-12-31", "--database", "{db}"),
        "geocode:empty": ("geocode", ""),
        "geocode:candidates-huge": ("geocode", "Mosul", "--candidates", "1000000000"),
        "geocode:candidates-zero": ("geocode", "Mosul", "--candidates", "0"),
        "geocode:backend-unknown": ("geocode", "Mosul", "--geocoder", "nosuch"),
        "geocode:nominatim-offline": ("geocode", "Mosul", "--geocoder", "nominatim"),
        "geocode:use-store-bad": ("geocode", "Mosul", "--use-store"),
        "geocode:long": ("geocode", "Mosul" * 20_000),
        "geocode:control": ("geocode", "\x1b[31mMosul\x07"),
        "places:confirm-missing-id": ("places", "confirm", "Mosul", "--place-id", "no:such",
                                      "--database", "{db}"),
        "places:confirm-nonsense": ("places", "confirm", "Xqzzq", "--database", "{db}"),
        "places:forget-unknown": ("places", "forget", "Xqzzq", "--database", "{db}"),
        "places:import-bad-rows": ("places", "import", "{places_csv}", "--database", "{db}"),
        "snapshot:bad-suffix": ("snapshot", "--date", "2016-06-01", "--out", "{folder}/x.doc",
                                "--database", "{db}"),
        "snapshot:out-sys": ("snapshot", "--date", "2016-06-01", "--out", "/sys/x.png",
                             "--database", "{db}"),
        "snapshot:bbox-garbage": ("snapshot", "--date", "2016-06-01", "--bbox", "a,b,c,d",
                                  "--out", "{folder}/x.png", "--database", "{db}"),
        "snapshot:bbox-inverted": ("snapshot", "--date", "2016-06-01", "--bbox",
                                   "49,42,34,29", "--out", "{folder}/x.png", "--database",
                                   "{db}"),
        "snapshot:bbox-nan": ("snapshot", "--date", "2016-06-01", "--bbox", "nan,nan,inf,inf",
                              "--out", "{folder}/x.png", "--database", "{db}"),
        "snapshot:width-huge": ("snapshot", "--date", "2016-06-01", "--width", "1000000",
                                "--height", "1000000", "--out", "{folder}/x.png",
                                "--database", "{db}"),
        "snapshot:width-zero": ("snapshot", "--date", "2016-06-01", "--width", "0",
                                "--out", "{folder}/x.png", "--database", "{db}"),
        "snapshot:dpi-huge": ("snapshot", "--date", "2016-06-01", "--dpi", "1000000",
                              "--out", "{folder}/x.png", "--database", "{db}"),
        "snapshot:dpi-negative": ("snapshot", "--date", "2016-06-01", "--dpi", "-5",
                                  "--out", "{folder}/x.png", "--database", "{db}"),
        "snapshot:window-bad": ("snapshot", "--date", "2016-06-01", "--window", "days:-3",
                                "--out", "{folder}/x.png", "--database", "{db}"),
        "snapshot:window-huge": ("snapshot", "--date", "2016-06-01", "--window",
                                 "days:99999999999", "--out", "{folder}/x.png",
                                 "--database", "{db}"),
        "snapshot:date-0001": ("snapshot", "--date", "0001-01-01", "--out", "{folder}/x.png",
                               "--database", "{db}"),
        "snapshot:marking-control": ("snapshot", "--date", "2016-06-01", "--marking",
                                     "SECRET\x01\x1b", "--title", "$\\frac{1}{0}$ {x} %s",
                                     "--out", "{folder}/x.pdf", "--database", "{db}"),
        "series:reversed": ("series", "--from", "2017-01-01", "--to", "2016-01-01",
                            "--out", "{folder}/x.gif", "--database", "{db}"),
        "series:century-of-days": ("series", "--from", "1990-01-01", "--to", "2089-12-31",
                                   "--step", "day", "--out", "{folder}/x.zip",
                                   "--database", "{db}"),
        "series:bad-suffix": ("series", "--from", "2016-01-01", "--to", "2016-03-01",
                              "--out", "{folder}/x.mp4", "--database", "{db}"),
        "import:unknown-dataset": ("import", "nosuch", "{good_csv}", "--database", "{db}"),
        "cli:unknown-command": ("nosuch",),
        "cli:no-arguments": (),
    }.items():
        out.append(CliCase(name, argv))
    for var, value in (("GEO_MAX_ARTICLE_BYTES", "abc"), ("GEO_MAX_ARTICLE_BYTES", "-1"),
                       ("GEO_SQLITE_TIMEOUT", "-1"), ("GEO_SQLITE_TIMEOUT", "nan"),
                       ("GEO_THEATRE", "mars"), ("GEO_DATABASE_URL", "mysql://x/y"),
                       ("GEO_GEOCODER", "nosuch"), ("GEO_MAX_ARTICLE_BYTES", "0"),
                       ("GEO_GEOCODE_REVIEW_CONFIDENCE", "2"), ("GEO_ONLINE_TILES", "maybe"),
                       ("GEO_NOMINATIM_MIN_DELAY", "inf")):
        for command in (("settings",), ("db", "info"), ("geocode", "Mosul"),
                        ("extract", "{good_txt}")):
            out.append(CliCase(f"env:{var}={value}:{'-'.join(command)}", command,
                               env=((var, value),)))
    for command in (("export", "--database", "{db}"), ("extract", "{good_txt}"),
                    ("geocode", "Mosul"), ("settings",), ("db", "info", "--database", "{db}"),
                    ("control", "--date", "2016-06-01", "--database", "{db}"),
                    ("places", "list", "--database", "{db}")):
        words = [c for c in command[:2] if not c.startswith(("-", "{"))]
        out.append(CliCase(f"stdout-full:{'-'.join(words)}", command, stdout_to_full=True))
    out.append(CliCase("geocode:stdin-binary", ("geocode",),
                       stdin=bytes(range(256)) * 16))
    out.append(CliCase("geocode:stdin-latin1", ("geocode",), stdin="Mossoul\nAlep\n"
                       .encode("latin-1") + b"\xe9\xff\n"))
    return out


CASES = cases()


def _run(case: CliCase, files: dict[str, str], folder: Path, timeout: float) -> CliResult:
    argv = tuple(a.format(**files) if "{" in a and "}" in a and "\\frac" not in a else a
                 for a in case.argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GEO_DATABASE_URL": files["db"],
           "GEO_NOMINATIM_URL": "http://127.0.0.1:1", **dict(case.env)}
    start = time.perf_counter()
    stdout = open("/dev/full", "wb") if case.stdout_to_full else subprocess.DEVNULL
    try:
        done = subprocess.run([sys.executable, "-m", "geo", *argv], cwd=folder, env=env,
                              stdout=stdout, stderr=subprocess.PIPE, input=case.stdin,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return CliResult(case.case_id, case.argv[0] if case.argv else "", "hang",
                         time.perf_counter() - start, f"no exit after {timeout:g} s",
                         None, argv)
    finally:
        if stdout is not subprocess.DEVNULL:
            stdout.close()
    seconds = time.perf_counter() - start
    err = done.stderr.decode("utf-8", errors="replace")
    crashed = ("Traceback (most recent call last)" in err or done.returncode < 0
               or done.returncode not in (0, 1, 2, 130))
    return CliResult(case.case_id, case.argv[0] if case.argv else "",
                     "crash" if crashed else ("ok" if done.returncode == 0 else "refused"),
                     seconds, f"exit {done.returncode}\n{err[-3000:]}", done.returncode, argv)


def sweep(timeout: float = 60.0, workers: int = 2,
          only: list[CliCase] | None = None) -> Iterator[CliResult]:
    """Run ``only`` (default: every case) in a fresh scratch folder."""
    with tempfile.TemporaryDirectory(prefix="geo_cli_sweep_") as tmp:
        folder = Path(tmp)
        files = make_files(folder)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(lambda c: _run(c, files, folder, timeout), only or CASES)
