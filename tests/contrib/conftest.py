"""The contributions tests' shared fixtures: each database the tests run on, and a clock they move."""

from __future__ import annotations

import pytest
from contrib_helpers import BACKENDS, FakeClock, database_url


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path):
    """A fresh database of each backend (SQLite; PostgreSQL when RESEAU_MAP_TEST_PG_URL is set)."""
    with database_url(request.param, tmp_path) as found:
        yield found


@pytest.fixture
def clock():
    """A clock the test moves by hand."""
    return FakeClock()
