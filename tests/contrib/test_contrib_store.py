"""The proposals store, the same tests on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import threading

import pandas as pd
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from reseau_map import cli
from reseau_map.contrib import schema
from reseau_map.contrib.proposal import ACCEPTED, PENDING, REFUSED, Proposal
from reseau_map.contrib.store import (
    FROM_DEFAULT,
    FROM_ENV,
    FROM_SECRETS,
    RECEIPT_LENGTH,
    Store,
    configured_database,
    make_engine,
    open_store,
    places_to_compare,
    sqlite_path,
    with_accepted,
)
from reseau_map.contrib.store import database_url as configured_url
from reseau_map.core.errors import ProposalError, UsageError
from reseau_map.files import export
from reseau_map.files.places import COLUMNS

SECRET_EMAIL = "contact.prive@example.org"
BREST = Proposal(name="La Forge de Brest", type="lieu_associe", status="ouvert", city="Brest", postcode="29200",
                 lat=48.39, lon=-4.486, precision="ville", website="https://forge.example.org",
                 description="Un tiers-lieu.", source_text="Je suis la responsable du lieu.",
                 contact_email=SECRET_EMAIL)
EMPTY_PLACES = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})


@pytest.fixture
def store(url, clock):
    opened = open_store(url, clock)
    yield opened
    opened.engine.dispose()


def test_migrations_build_an_empty_database_once(url, clock):
    first = open_store(url, clock)
    again = open_store(url, clock)  # a second server starting: nothing left to apply
    with again.engine.connect() as conn:
        versions = conn.execute(select(schema.schema_version.c.version)).scalars().all()
        assert schema.current_version(conn) == schema.LATEST
        for table in ("proposals", "audit_log"):
            assert conn.dialect.has_table(conn, table)
    assert sorted(versions) == [v for v, _, _ in schema.MIGRATIONS]
    first.engine.dispose()
    again.engine.dispose()


def test_submit_waits_for_moderation(store):
    receipt = store.submit(BREST, session_hash="abc")
    assert len(receipt) == RECEIPT_LENGTH and receipt.isalnum()
    [item] = store.pending()
    assert (item.receipt, item.state, item.proposal) == (receipt, PENDING, BREST)
    assert store.accepted_places().empty
    assert places_to_compare(EMPTY_PLACES, store)["name"].tolist() == [BREST.name]


def test_accept_puts_the_place_on_the_map_and_in_export(store, clock, url, monkeypatch, capsysbinary):
    receipt = store.submit(BREST)
    clock.advance(days=1)
    item = store.accept(store.pending()[0].id, "Camille", "Vérifié par téléphone", {"name": "La Forge"})
    assert item.state == ACCEPTED and item.reviewer == "Camille" and item.proposal.name == "La Forge"
    assert store.pending() == []
    places = store.accepted_places()
    assert places["id"].tolist() == [f"proposition-{receipt.lower()}"]
    row = places.iloc[0]
    assert (row["name"], row["city"], row["region"]) == ("La Forge", "Brest", "Bretagne")
    assert row["source"] == ("Proposé le 29 novembre 2026, accepté le 30 novembre 2026. "
                             "Source indiquée : Je suis la responsable du lieu.")
    assert SECRET_EMAIL not in places.to_csv()
    csv = export.to_csv(with_accepted(EMPTY_PLACES, store)).decode("utf-8-sig")
    assert "La Forge" in csv and SECRET_EMAIL not in csv
    # The command line reads the same database through RESEAU_MAP_DB.
    monkeypatch.setenv("RESEAU_MAP_DB", url)
    assert cli.main(["export"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8-sig")
    assert "La Forge" in out and SECRET_EMAIL not in out


def test_refused_stays_off_the_map(store):
    store.submit(BREST)
    item = store.refuse(store.pending()[0].id, "Camille", "Doublon de la cantine de Brest")
    assert item.state == REFUSED and item.comment == "Doublon de la cantine de Brest"
    assert store.accepted_places().empty and store.pending() == []
    assert [r.proposal.name for r in store.refused()] == [BREST.name]


def test_a_proposal_is_decided_once(store):
    store.submit(BREST)
    pid = store.pending()[0].id
    store.accept(pid, "Camille")
    with pytest.raises(ProposalError):
        store.refuse(pid, "Dominique", "trop tard")
    with pytest.raises(ProposalError):
        store.accept(999, "Camille")
    with pytest.raises(ValueError):
        store.accept(pid, "Camille", edits={"state": "acceptee"})


def test_the_audit_log_records_each_decision_and_cannot_be_rewritten(store):
    store.submit(BREST)
    store.submit(Proposal(name="Autre lieu", type="autre", city="Rennes"))
    first, second = store.pending()
    store.accept(first.id, "Camille", "ok", {"name": "La Forge", "contact_email": "autre@example.org"})
    store.refuse(second.id, "Dominique", "hors sujet")
    log = [(e.proposal_id, e.action, e.actor) for e in store.audit()]
    assert log == [(first.id, "proposee", "public"), (second.id, "proposee", "public"),
                   (first.id, "acceptee", "Camille"), (second.id, "refusee", "Dominique")]
    accepted = store.audit(first.id)[-1].detail
    assert accepted["comment"] == "ok"
    assert accepted["edits"]["name"] == ["La Forge de Brest", "La Forge"]
    assert "autre@example.org" not in str(accepted) and SECRET_EMAIL not in str(store.audit())
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert len(store.audit()) == 4


def test_two_sessions_submitting_at_once_are_both_stored(url, clock):
    stores = [Store(make_engine(url), clock) for _ in range(2)]  # two servers, one database
    barrier = threading.Barrier(4)
    receipts: list[str] = []
    errors: list[BaseException] = []

    def send(s: Store, n: int) -> None:
        try:
            barrier.wait()
            for i in range(5):
                receipts.append(s.submit(Proposal(name=f"Lieu {n}-{i}", type="cantine", city="Nantes")))
        except BaseException as err:  # reported below, not lost in the thread
            errors.append(err)

    threads = [threading.Thread(target=send, args=(stores[n % 2], n)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(receipts)) == 20
    assert {p.receipt for p in stores[0].pending()} == set(receipts)
    assert len(stores[1].audit()) == 20
    for s in stores:
        s.engine.dispose()


def test_database_url_from_env_secrets_or_default(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[connections.reseau]\nurl = "postgresql+psycopg://u@db/reseau"\n', encoding="utf-8")
    assert configured_url({"RESEAU_MAP_DB": str(tmp_path / "x.sqlite")}, (secrets,)) == \
        f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert configured_url({"RESEAU_MAP_DB": "sqlite://"}, (secrets,)) == "sqlite://"
    assert configured_url({}, (secrets,)) == "postgresql+psycopg://u@db/reseau"
    assert configured_url({}, (tmp_path / "none.toml",)).endswith("data/reseau.sqlite")


def test_the_database_url_is_resolved_once_for_the_cli_and_the_app(tmp_path):
    # The app passes what Streamlit read as secrets; the command line reads the files itself.
    given = {"connections": {"reseau": {"url": "postgresql+psycopg://u:s3cret@db/reseau"}}}
    assert configured_database({}, (), given) == ("postgresql+psycopg://u:s3cret@db/reseau", FROM_SECRETS)
    assert configured_database({"RESEAU_MAP_DB": "sqlite://"}, (), given) == ("sqlite://", FROM_ENV)
    assert configured_database({}, (), {})[1] == FROM_DEFAULT
    assert sqlite_path(f"sqlite:///{tmp_path / 'x.sqlite'}?timeout=5") == tmp_path / "x.sqlite"
    assert sqlite_path("sqlite://") is None and sqlite_path("postgresql+psycopg://u@db/reseau") is None


@pytest.mark.parametrize("typed", ["postgresql+psycopg://u:s3cret@db:port/reseau", "://nulle-part"])
def test_an_unreadable_database_url_is_a_french_error_without_the_password(typed):
    with pytest.raises(UsageError, match="RESEAU_MAP_DB : adresse de base de données illisible") as caught:
        configured_database({"RESEAU_MAP_DB": typed}, ())
    assert "s3cret" not in str(caught.value)


def test_with_accepted_creates_no_database(tmp_path, monkeypatch):
    path = tmp_path / "absent.sqlite"
    monkeypatch.setenv("RESEAU_MAP_DB", str(path))
    assert with_accepted(EMPTY_PLACES) is EMPTY_PLACES
    assert not path.exists()


def test_the_accepted_version_changes_with_each_acceptance(store):
    empty = store.accepted_version()
    store.submit(BREST)
    assert store.accepted_version() == empty  # a pending proposal changes nothing on the map
    store.accept(store.pending()[0].id, "Camille")
    assert store.accepted_version() != empty
