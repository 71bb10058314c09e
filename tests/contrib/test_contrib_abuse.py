"""Abuse limits that hold against a script (issue 22, items 7, 8, 9 and 12), on SQLite and PostgreSQL.

Token buckets per address and for everyone, kept in the database so that two servers share them;
the moderation queue a page at a time, filtered, refused in bulk; the moderation password's delay
and lockout, also shared; an audit log that TRUNCATE and DROP cannot empty.
"""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

from reseau_map.contrib import limits, throttle
from reseau_map.contrib.limits import Bucket, client_hash
from reseau_map.contrib.proposal import PENDING, REFUSED, Proposal
from reseau_map.contrib.queue import ORDERS, QueueFilter
from reseau_map.contrib.schema import proposals
from reseau_map.contrib.store import Limits, Store, make_engine, open_store
from reseau_map.core.errors import RateLimited

SMALL = Limits(per_address=Bucket(capacity=3, every_s=60), everyone=Bucket(capacity=5, every_s=10))


@pytest.fixture
def servers(url, clock):
    """Two servers' stores on one database."""
    found = [Store(make_engine(url), clock, SMALL) for _ in range(2)]
    yield found
    for s in found:
        s.engine.dispose()


def place(n: int, city: str = "Brest") -> Proposal:
    return Proposal(name=f"Lieu {n}", type="cantine", city=city)


# --- 7. Proposals per address and for everyone ----------------------------------------------------------------

def test_one_address_is_held_whatever_its_sessions_and_servers(servers, clock):
    one, two = servers
    me = client_hash("203.0.113.7")
    for n in range(3):  # the bucket's three tokens, spent on both servers with new sessions each time
        (one, two)[n % 2].submit(place(n), session_hash=f"session-{n}", client=me)
    with pytest.raises(RateLimited) as caught:
        two.submit(place(3), session_hash="session-new", client=me)
    assert caught.value.wait_s == pytest.approx(60)
    assert str(caught.value) == ("Beaucoup de propositions sont arrivées de votre connexion : réessayez dans "
                                 "1 min. Merci de votre patience.")
    assert len(one.pending()) == 3  # the refused one was not stored
    other = client_hash("198.51.100.2")
    two.submit(place(4), client=other)  # another address is not held
    clock.advance(seconds=60)
    one.submit(place(5), client=me)  # one token back after a minute


def test_everyone_together_is_held_too(servers, clock):
    one, two = servers
    for n in range(5):
        one.submit(place(n), client=client_hash(f"192.0.2.{n}"))  # five addresses, one each
    with pytest.raises(RateLimited, match="Le site reçoit beaucoup de propositions en ce moment"):
        two.submit(place(9), client=client_hash("192.0.2.200"))
    clock.advance(seconds=10)
    two.submit(place(10), client=client_hash("192.0.2.201"))


def test_a_script_sending_in_parallel_gets_no_more_than_the_bucket(servers):
    me = client_hash("203.0.113.9")
    stored, refused = [], []
    barrier = threading.Barrier(8)

    def send(s: Store, n: int) -> None:
        barrier.wait()
        try:
            stored.append(s.submit(place(n), client=me))
        except RateLimited:
            refused.append(n)

    threads = [threading.Thread(target=send, args=(servers[n % 2], n)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(stored) == 3 and len(refused) == 5


def test_an_ipv6_client_is_one_address_for_its_whole_64():
    assert client_hash("2001:db8:1:2::1") == client_hash("2001:db8:1:2:ffff::9")
    assert client_hash("2001:db8:1:3::1") != client_hash("2001:db8:1:2::1")
    assert client_hash("::ffff:192.0.2.1") == client_hash("192.0.2.1")


# --- 8. The moderation queue: sorted, filtered, refused in bulk -----------------------------------------------

def flood(store: Store, n: int, client: str) -> None:
    # What a script leaves behind (inserted at once: 10,000 submissions one by one take minutes here).
    now = store._clock()
    rows = [dict(place(i, "Spamville").as_row(), receipt=f"F{i:07d}", state=PENDING, created_at=now,
                 client_hash=client) for i in range(n)]
    with store.engine.begin() as conn:
        conn.execute(insert(proposals), rows)


def test_the_queue_is_read_a_page_at_a_time_filtered_and_sorted(servers, clock):
    one, _ = servers
    spam = client_hash("203.0.113.66")
    flood(one, 120, spam)
    clock.advance(minutes=1)
    one.submit(Proposal(name="La Forge de Brest", type="cantine", city="Brest"), client=client_hash("192.0.2.1"))
    assert one.queue_count() == 121 and one.queue_count(QueueFilter(client=spam)) == 120
    assert [p.proposal.name for p in one.queue(QueueFilter(text="forge"))] == ["La Forge de Brest"]
    assert one.queue_count(QueueFilter(text="SPAMVILLE")) == 120  # the commune, any case
    assert one.queue_count(QueueFilter(text="100%_")) == 0  # LIKE's wildcards are text
    first_page = one.queue(order="anciennes")
    assert len(first_page) == 50 and first_page[0].proposal.name == "Lieu 0"
    assert one.queue(order="recentes")[0].proposal.name == "La Forge de Brest"
    assert [p.proposal.name for p in one.queue(order="anciennes", number=2)][-1] == "La Forge de Brest"
    assert set(ORDERS) == {"anciennes", "recentes", "commune", "nom"}
    assert one.senders()[0] == (spam, 120)


def test_refusing_the_ten_thousand_proposals_of_one_address_is_one_step(servers, clock):
    one, two = servers
    spam = client_hash("203.0.113.66")
    flood(one, 10_000, spam)
    one.submit(Proposal(name="Un vrai lieu", type="cantine", city="Brest"), client=client_hash("192.0.2.1"))
    done = two.refuse_all(QueueFilter(client=spam), "Camille", "Envois en masse")
    assert done == 10_000
    assert [p.proposal.name for p in one.queue()] == ["Un vrai lieu"]
    refusals = [e for e in one.audit() if e.action == "refusee"]
    assert len(refusals) == 10_000 and {e.actor for e in refusals} == {"Camille"}
    assert refusals[0].detail == {"comment": "Envois en masse", "edits": {}, "bulk": True}
    assert {p.state for p in one.refused()} == {REFUSED} and len(one.refused()) == 10_000
    assert one.queue_count(QueueFilter(client=spam)) == 0 and one.queue()[0].state == PENDING


# --- 9. The moderation password: delay, lockout, log, on every server -----------------------------------------

def test_wrong_passwords_wait_longer_and_longer_then_lock_out(servers, clock, caplog):
    one, two = servers
    keys = ["session:abc", "adresse:def"]
    caplog.set_level(logging.WARNING, throttle.LOG.name)
    assert one.login_wait(keys) == (0.0, False)
    waits = []
    for n in range(throttle.LOCKOUT_AFTER - 1):
        (one, two)[n % 2].login_failed(keys, "adresse 203.0.113.7")
        waits.append(round(two.login_wait(keys)[0]))
        # A new session from the same address waits as long: the address is a key too.
        assert two.login_wait(["session:other", "adresse:def"])[0] == pytest.approx(waits[-1], abs=1)
        clock.advance(seconds=waits[-1])
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256]
    one.login_failed(keys, "adresse 203.0.113.7")
    wait, locked = two.login_wait(keys)
    assert locked and wait == pytest.approx(throttle.LOCKOUT_S)
    said = [r.getMessage() for r in caplog.records]
    assert sum("mot de passe incorrect" in m for m in said) == throttle.LOCKOUT_AFTER
    assert any("verrouillé" in m and "15 min" in m for m in said)
    clock.advance(seconds=throttle.LOCKOUT_S + 1)
    assert two.login_wait(keys)[1] is False
    one.login_succeeded(keys)
    assert two.login_wait(keys) == (0.0, False)


def test_the_delay_message_is_french():
    assert throttle.wait_message(4.2, False) == ("Mot de passe incorrect trop souvent : attendez 4 s avant de "
                                                 "réessayer.")
    assert "verrouillée pour cette connexion pendant 15 min" in throttle.wait_message(900, True)


# --- 12. The audit log survives TRUNCATE and DROP TABLE ------------------------------------------------------

@pytest.mark.parametrize("statement", ["TRUNCATE audit_log", "DROP TABLE audit_log",
                                       "DROP TRIGGER audit_log_no_delete", "ALTER TABLE audit_log RENAME TO x"])
def test_the_audit_log_cannot_be_emptied_by_the_apps_own_connections(url, statement):
    store = open_store(url)
    store.submit(place(1))
    backend = store.engine.dialect.name
    if backend == "sqlite" and statement.startswith("TRUNCATE"):
        statement = "DELETE FROM audit_log"  # SQLite's TRUNCATE
    if backend == "postgresql" and "TRIGGER" in statement:
        statement = "DROP TRIGGER audit_log_append_only ON audit_log"
    with pytest.raises(DBAPIError), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert len(store.audit()) == 1
    store.engine.dispose()


def test_limits_are_in_the_database_not_in_a_session():
    assert limits.PER_ADDRESS.capacity >= 1 and limits.PER_EVERYONE.capacity > limits.PER_ADDRESS.capacity
