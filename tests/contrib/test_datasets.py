"""The published datasets store: versions, the map's key, restore, the log kept append-only, the source's
schedule claimed by one server; on SQLite and on a real PostgreSQL when configured."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from reseau_map.contrib.datasets import NONE, PUBLISHED, RESTORED, SOURCE, TO_FILE, Datasets
from reseau_map.contrib.store import make_engine, open_store
from reseau_map.core.errors import VersionNotFound


@pytest.fixture
def datasets(url, clock):
    found = Datasets(make_engine(url), clock)
    yield found
    found.engine.dispose()


def test_nothing_published_the_map_shows_the_file(datasets):
    assert datasets.key() == NONE and datasets.active() is None and datasets.versions() == []


def test_a_publication_is_a_version_with_who_when_and_how_many_rows_shown_by_every_server(datasets, url, clock):
    first = datasets.publish(b"name\nA\n", "a.csv", "csv", "", 1, 0, "Camille")
    assert (first.actor, first.rows, first.action, first.created_at) == ("Camille", 1, PUBLISHED, clock.now)
    other = Datasets(make_engine(url))  # another server on the same database
    assert other.key() == datasets.key() != NONE and other.content(first.id) == b"name\nA\n"
    other.engine.dispose()


def test_restore_brings_an_earlier_version_back_in_one_step(datasets, clock):
    first = datasets.publish(b"name\nA\n", "a.csv", "csv", "[credit]\ntext = \"x\"\n", 1, 0, "Camille")
    clock.advance(minutes=5)
    second = datasets.publish(b"name\nB\nC\n", "b.csv", "csv", "", 2, 0, "Camille")
    key = datasets.key()
    clock.advance(minutes=5)
    back = datasets.restore(first.id, "Dominique")
    assert datasets.active() == back and back.action == RESTORED and back.restored_from == first.id
    assert datasets.content(back.id) == b"name\nA\n" and back.mapping == first.mapping
    assert datasets.key() not in (key, NONE)
    assert [v.id for v in datasets.versions()] == [back.id, second.id, first.id]
    datasets.use_file("Dominique")
    assert datasets.key() == NONE
    assert [e.action for e in datasets.journal()] == [PUBLISHED, PUBLISHED, RESTORED, TO_FILE]
    with pytest.raises(VersionNotFound):
        datasets.restore(999, "Camille")


def test_the_log_and_the_versions_cannot_be_rewritten(datasets):
    datasets.publish(b"name\nA\n", "a.csv", "csv", "", 1, 0, "Camille")
    for statement in ("UPDATE dataset_log SET actor = 'x'", "DELETE FROM dataset_log",
                      "UPDATE dataset_versions SET rows = 0"):
        with pytest.raises(DBAPIError), datasets.engine.begin() as conn:
            conn.execute(text(statement))
    assert datasets.journal()[0].actor == "Camille"


def test_one_server_claims_a_due_refresh_and_the_next_one_waits_for_the_schedule(datasets, url, clock):
    datasets.set_source("http://127.0.0.1:1/lieux.csv", 24, "Camille", "[credit]\ntext = \"x\"\n")
    other = Datasets(make_engine(url), clock)
    assert datasets.claim_refresh() is not None
    assert other.claim_refresh() is None  # taken: the other server does not fetch it too
    clock.advance(hours=25)
    assert other.claim_refresh().mapping == "[credit]\ntext = \"x\"\n"
    datasets.set_source("http://127.0.0.1:1/lieux.csv", 0, "Camille")  # by hand only
    clock.advance(hours=48)
    assert datasets.claim_refresh() is None
    assert [e.action for e in datasets.journal()] == [SOURCE, SOURCE]
    other.engine.dispose()


def test_the_proposals_store_and_the_datasets_share_one_migrated_database(url):
    store = open_store(url)
    found = Datasets(store.engine)
    assert found.key() == NONE and store.pending() == []
    store.engine.dispose()
