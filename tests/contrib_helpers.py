"""Helpers for the contributions tests: a database per test (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

import os
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
