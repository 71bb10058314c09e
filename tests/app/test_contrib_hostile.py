"""The contribution pages against a broken database, a script and a guesser (issue 22: 7, 8, 9, 14, 22, 23).

Run headless with AppTest. What a visitor sees is a French sentence, never a traceback nor a
statement; a proposal gets a receipt only once it is stored.
"""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime

import pages
import pytest
from contrib_helpers import PG_ENV
from pages import click, own_database
from sqlalchemy import insert
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from reseau_map.contrib import auth, health, limits, throttle
from reseau_map.contrib.proposal import PENDING, Proposal
from reseau_map.contrib.schema import proposals
from reseau_map.contrib.store import open_store

TIMEOUT = 90
PASSWORD = "mot de passe de test"
SECRET = "prive@example.org"


def PROPOSE() -> None:  # noqa: N802 — the page, as a script AppTest runs
    from reseau_map.app.proposer import propose_page

    propose_page()


def MODERATE() -> None:  # noqa: N802
    from reseau_map.app.moderation import moderation_page

    moderation_page()


@pytest.fixture
def db(tmp_path, monkeypatch):
    return own_database(tmp_path, monkeypatch)


def run(page) -> AppTest:
    at = AppTest.from_function(page, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def fill(at: AppTest, name: str = "Le Lieu secret") -> AppTest:
    at.text_input(key="contrib_name").input(name)
    at.text_input(key="contrib_contact_email").input(SECRET)
    at.text_input(key="contrib_city").input("Brest").run()
    return at


def sent(at: AppTest) -> AppTest:
    return click(at, "Envoyer la proposition")


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def login(at: AppTest, password: str = PASSWORD) -> AppTest:
    return pages.login(at, password)


# --- 22. A database that fails: the visitor's sentence, the form kept -----------------------------------------

def test_a_read_only_database_gives_the_french_sentence_and_no_receipt(db, tmp_path, monkeypatch):
    path = tmp_path / "reseau.sqlite"
    open_store(db).engine.dispose()
    monkeypatch.setenv("RESEAU_MAP_DB", f"sqlite:///file:{path}?mode=ro&uri=true")
    at = sent(fill(run(PROPOSE)))
    assert health.VISITOR_MESSAGE in errors(at)
    assert not at.success and at.text_input(key="contrib_name").value == "Le Lieu secret"  # kept
    assert not any("INSERT" in e or SECRET in e for e in errors(at))


def unreachable() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"postgresql+psycopg://reseau@127.0.0.1:{s.getsockname()[1]}/reseau?connect_timeout=2"


def test_an_unreachable_database_leaves_both_pages_french(monkeypatch):
    monkeypatch.setenv("RESEAU_MAP_DB", unreachable())
    monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(PASSWORD))
    at = sent(fill(run(PROPOSE)))
    assert health.VISITOR_MESSAGE in errors(at) and not at.success
    assert health.VISITOR_MESSAGE in errors(run(MODERATE))


class Relay:
    """A TCP relay to a real PostgreSQL that the test opens and closes: the database « down », then « up »."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target, self.up = target, False
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.up:
                client.close()  # down: the connection is refused at once
                continue
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while chunk := a.recv(65536):
                b.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.server.close()


@pytest.mark.skipif(not __import__("os").environ.get(PG_ENV), reason="RESEAU_MAP_TEST_PG_URL is not set")
def test_a_server_started_while_postgresql_is_down_works_once_it_is_up(monkeypatch):
    from contrib_helpers import database_url

    with database_url("postgresql", None) as url:
        real = make_url(url)
        relay = Relay((real.host, real.port))
        try:
            monkeypatch.setenv("RESEAU_MAP_DB", real.set(host="127.0.0.1", port=relay.port).render_as_string(
                hide_password=False))
            at = sent(fill(run(PROPOSE)))
            assert health.VISITOR_MESSAGE in errors(at)
            relay.up = True
            at = sent(fill(run(PROPOSE), "Après le retour de la base"))
            assert "Proposition enregistrée sous le numéro" in at.success[0].value
        finally:
            relay.close()
        store = open_store(url)
        assert [p.proposal.name for p in store.pending()] == ["Après le retour de la base"]
        store.engine.dispose()


# --- 7. An address past its bucket, whatever its sessions -----------------------------------------------------

def test_an_address_past_its_limit_is_told_in_french_and_nothing_is_stored(db):
    store = open_store(db)
    me = limits.client_hash("local")  # AppTest's visitor: no address, as on this machine
    for n in range(int(limits.PER_ADDRESS.capacity)):
        store.submit(Proposal(name=f"Lieu {n}", type="cantine", city="Brest"), client=me)
    at = sent(fill(run(PROPOSE)))  # a new session
    assert any(e.startswith("Beaucoup de propositions sont arrivées de votre connexion") for e in errors(at))
    assert len(store.pending()) == limits.PER_ADDRESS.capacity


# --- 9 and 23. The moderation password: a hash only, throttled, with a logout ----------------------------------

def test_a_password_where_its_hash_belongs_is_explained(db, monkeypatch):
    monkeypatch.setenv(auth.ENV_HASH, PASSWORD)  # the password itself, not its hash
    at = run(MODERATE)
    assert errors(at) == [auth.NOT_A_HASH] and not at.text_input  # nothing to guess against
    assert "hash-password" in auth.NOT_A_HASH


def test_guesses_are_locked_out_and_logout_ends_the_session(db, monkeypatch):
    monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(PASSWORD))
    monkeypatch.setattr(throttle, "FIRST_DELAY_S", 0.0)  # no wait between guesses: the lockout alone
    at = run(MODERATE)
    for _ in range(throttle.LOCKOUT_AFTER):
        login(at, "devine")
    login(at, PASSWORD)  # even the right password now waits
    assert any("verrouillée pour cette connexion pendant 15 min" in e for e in errors(at))
    assert not any(b.label == "Se déconnecter" for b in at.button)
    fresh = login(run(MODERATE), PASSWORD)  # a new session from the same address: locked too
    assert any("verrouillée" in e for e in errors(fresh))


def test_logout(db, monkeypatch):
    monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(PASSWORD))
    at = login(run(MODERATE))
    assert at.caption[0].value.startswith("Modérateur : Camille")
    click(at, "Se déconnecter")
    assert any(b.label == "Entrer" for b in at.button) and not any(c.value.startswith("Modérateur") for c in at.caption)


# --- 8. A flood cleared in one step from the page --------------------------------------------------------------

def test_the_proposals_of_one_address_are_refused_in_bulk_from_the_page(db, monkeypatch):
    monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(PASSWORD))
    store = open_store(db)
    spam = limits.client_hash("203.0.113.66")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with store.engine.begin() as conn:
        conn.execute(insert(proposals), [dict(Proposal(name=f"Spam {i}", type="cantine", city="Spamville").as_row(),
                                              receipt=f"S{i:07d}", state=PENDING, created_at=now, client_hash=spam)
                                         for i in range(2000)])
    store.submit(Proposal(name="Un vrai lieu", type="cantine", city="Brest"), client=limits.client_hash("192.0.2.1"))
    at = login(run(MODERATE))
    sender = at.selectbox(key="moderation_filter_sender")
    assert sender.format_func(spam) == f"Adresse n° {spam[:6]} (2\u202f000 propositions)"
    sender.set_value(spam).run()
    at.checkbox[0].check()
    click(at, "Refuser les 2\u202f000 propositions de cette adresse")
    assert any(s.value.startswith("2\u202f000 propositions refusées de cette adresse") for s in at.success)
    assert [p.proposal.name for p in store.pending()] == ["Un vrai lieu"]
    assert sum(e.action == "refusee" for e in store.audit()) == 2000
