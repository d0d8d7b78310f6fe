"""A throwaway PostgreSQL + PostGIS server for the tests (session-scoped fixture).

Why a real server: the PostGIS store must behave exactly like SQLite, and only the real
thing shows transaction, locking and SQL dialect differences. PostgreSQL refuses to run
as root, so when the tests run as root the server runs as the ``postgres`` user, in a
temporary folder handed over to it, listening only on 127.0.0.1 on a free port, and is
stopped at the end. Without the server binaries or PostGIS the fixture skips with the
reason; any other failure to start is an error (it would hide a real problem).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_user(user: str | None, argv: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *argv] if user else argv


class ServerUnavailable(Exception):
    """The machine cannot run a throwaway server (the message says why)."""


#: Database with the PostGIS extension and the current schema, copied by ``new_database``.
TEMPLATE = "geo_template"


@pytest.fixture(scope="session")
def postgis_server() -> Iterator[Callable[..., str]]:
    """A function giving the URL of a new database on the throwaway server: a copy of a
    template that already has the PostGIS extension and the current schema (``empty=True``
    for a database without them)."""
    try:
        server = throwaway_server()
        new_database = server.__enter__()
    except ServerUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield new_database
    finally:
        server.__exit__(None, None, None)


@contextmanager
def throwaway_server() -> Iterator[Callable[..., str]]:
    """Start the server (see the module docstring); yields ``new_database()``."""
    bindir = _bin_dir()
    if bindir is None:
        raise ServerUnavailable("PostgreSQL server binaries (initdb) not found; run "
                                ".ci/system-deps")
    if not glob.glob("/usr/share/postgresql/*/extension/postgis.control"):
        raise ServerUnavailable("PostGIS extension not installed; run .ci/system-deps")
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ServerUnavailable("running as root and there is no 'postgres' user to "
                                    "run the server") from None
        user = "postgres"
    root = Path(tempfile.mkdtemp(prefix="geo-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if user:
        os.chmod(root, 0o755)
        shutil.chown(root, user)
        shutil.chown(sockets, user)
    port = _free_port()
    log = root / "server.log"
    run = dict(check=True, capture_output=True, text=True, timeout=120)
    started = False
    try:
        try:
            subprocess.run(_as_user(user, [str(bindir / "initdb"), "-D", str(data), "-U",
                                           "postgres", "-A", "trust", "-E", "UTF8",
                                           "--locale=C"]), **run)
            options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} "
                       f"-c fsync=off -c full_page_writes=off -c synchronous_commit=off")
            subprocess.run(_as_user(user, [str(bindir / "pg_ctl"), "-D", str(data), "-l",
                                           str(log), "-o", options, "-w", "-t", "60",
                                           "start"]), **run)
            started = True
        except subprocess.CalledProcessError as exc:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"could not start the test PostgreSQL server: "
                               f"{exc.stderr}\n{text}") from exc
        admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        import psycopg

        def create(name: str, template: str | None = None) -> str:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"'
                             + (f' TEMPLATE "{template}"' if template else ""))
            return f"postgresql://postgres@127.0.0.1:{port}/{name}"

        # Why a template: creating the PostGIS extension and running the migrations took
        # ~0.5 s per test; a copy of a database that has them takes ~0.05 s.
        from geo.store import open_store
        open_store(create(TEMPLATE)).close()

        def new_database(*, empty: bool = False) -> str:
            """A new database: a copy of the migrated template, or ``empty``."""
            return create("geo_" + uuid.uuid4().hex[:12], None if empty else TEMPLATE)

        yield new_database
    finally:
        if started:
            subprocess.run(_as_user(user, [str(bindir / "pg_ctl"), "-D", str(data), "-m",
                                           "immediate", "-w", "stop"]),
                           capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)
