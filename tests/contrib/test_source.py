"""The data's source URL: refreshed from a local HTTP server (127.0.0.1 only; tests never use the network)."""

from __future__ import annotations

from pathlib import Path

import pytest
from contrib_helpers import FakeClock, local_http

from reseau_map.contrib.datasets import REFRESH_FAILED, REFRESHED, SOURCE, Datasets
from reseau_map.contrib.source import check_url, refresh
from reseau_map.contrib.store import make_engine
from reseau_map.core.errors import SourceError
from reseau_map.files.network import load_network

FIXTURES = Path(__file__).parents[1] / "fixtures"
PARTNER = FIXTURES / "partner" / "base_tiers_lieux.csv"
VOCAB = load_network().vocabulary


@pytest.fixture
def datasets(tmp_path):
    found = Datasets(make_engine(f"sqlite:///{tmp_path / 'reseau.sqlite'}"), FakeClock())
    yield found
    found.engine.dispose()


def test_a_refresh_publishes_the_source_read_with_its_mapping(datasets):
    mapping = PARTNER.with_suffix(".toml").read_text(encoding="utf-8")
    with local_http({"/export/tiers-lieux.csv": PARTNER.read_bytes()}) as base:
        datasets.set_source(base + "/export/tiers-lieux.csv", 24, "Camille", mapping)
        version = refresh(datasets, VOCAB, "Camille")
    assert datasets.active() == version and version.action == REFRESHED
    assert version.filename == "tiers-lieux.csv" and version.mapping == mapping and version.rows > 0
    assert datasets.content(version.id) == PARTNER.read_bytes()
    assert datasets.source().last.startswith(f"Version n° {version.id}")


def test_a_source_that_fails_changes_nothing_and_says_why(datasets):
    with local_http({}) as base:
        datasets.set_source(base + "/absent.csv", 0, "Camille")
        with pytest.raises(SourceError) as err:
            refresh(datasets, VOCAB, "Camille")
        datasets.set_source(base + "/vide.csv", 0, "Camille")
    assert "404" in str(err.value) and "rien n'a changé" in str(err.value)
    assert datasets.active() is None
    assert [e.action for e in datasets.journal()] == [SOURCE, REFRESH_FAILED, SOURCE]
    assert "404" in datasets.journal()[1].detail["raison"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.csv", "javascript:alert(1)", "http://"])
def test_only_http_urls_are_fetched(url):
    with pytest.raises(SourceError):
        check_url(url)
