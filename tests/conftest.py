"""Shared test helpers: paths to the tiny fixture files."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def fixture_bytes():
    """Read a fixture file's bytes by name."""
    return lambda name: (FIXTURES / name).read_bytes()
