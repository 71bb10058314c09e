"""Helpers for the contributions tests: a database per test (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

PG_ENV = "RESEAU_MAP_TEST_PG_URL"
PG_SKIP = (f"{PG_ENV} is not set: no PostgreSQL to test against "
           "(.ci/run starts a throw-away cluster and sets it)")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not os.environ.get(PG_ENV),
                                                                           reason=PG_SKIP))]


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@contextmanager
def database_url(backend: str, tmp_path) -> Iterator[str]:
    """A fresh, empty database's URL: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'reseau.sqlite'}"
        return
    base = make_url(os.environ[PG_ENV])
    name = f"reseau_test_{uuid.uuid4().hex[:12]}"
    # No pool: each admin connection is closed when its block ends (a pooled one was left to the
    # garbage collector once DROP DATABASE had run, and warned as an unclosed connection).
    admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Inbox:
    """What a local SMTP server received (aiosmtpd's handler)."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    def wait(self, count: int, seconds: float = 15) -> list:
        """The messages once `count` arrived (or the deadline passed: the caller's assertion says so)."""
        deadline = datetime.now(UTC) + timedelta(seconds=seconds)
        while len(self.envelopes) < count and datetime.now(UTC) < deadline:
            time.sleep(0.05)
        return self.envelopes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def local_smtp() -> Iterator[tuple[int, Inbox]]:
    """An SMTP server on 127.0.0.1 for one test (aiosmtpd, from the [test] extra): its port and its inbox."""
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    inbox, port = Inbox(), free_port()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@contextmanager
def local_http(files: dict[str, bytes]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 for one test, serving these paths (others: 404); its base URL."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — http.server's hook name
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"introuvable")

        def log_message(self, *args):  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
