"""The moderation page reads well, run headless with AppTest: a neutral way in, French journal, the count of
waiting proposals, receipts in any case; and the coordination's e-mail per proposal (a local SMTP server)."""

import logging
import time
from pathlib import Path

import pages
import pytest
from contrib_helpers import local_smtp
from pages import PAGE_PLACES, click, own_database, run_page
from streamlit.testing.v1 import AppTest

from reseau_map.app.connection import _how_to_enable
from reseau_map.contrib import auth
from reseau_map.contrib.proposal import Proposal
from reseau_map.contrib.queue import PAGE_SIZE
from reseau_map.contrib.store import open_store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mot de passe de test"


@pytest.fixture
def db(tmp_path, monkeypatch):
    return own_database(tmp_path, monkeypatch, PASSWORD, PAGE_PLACES)


def PROPOSE() -> None:  # noqa: N802 — the page, as a script AppTest runs
    from reseau_map.app.proposer import propose_page

    propose_page()


def MODERATE() -> None:  # noqa: N802
    from reseau_map.app.moderation import moderation_page

    moderation_page()


def run(page, params: dict | None = None, secrets: dict | None = None) -> AppTest:
    return run_page(page, params, secrets=secrets)


def login(at: AppTest) -> AppTest:
    return pages.login(at, PASSWORD)


@pytest.fixture
def smtp_server():
    with local_smtp() as found:
        yield found


def propose(secrets: dict | None = None, name: str = "La Forge numérique") -> AppTest:
    at = run(PROPOSE, secrets=secrets)
    at.text_input(key="contrib_name").input(name)
    at.text_input(key="contrib_city").input("Brest").run()
    return click(at, "Envoyer la proposition")


def test_a_proposal_sends_one_e_mail_to_the_coordination(db, smtp_server):
    port, inbox = smtp_server
    smtp = {"host": "127.0.0.1", "port": port, "security": "none", "to": "coordination@example.org",
            "site_url": "https://carte.example.org"}
    at = propose({"smtp": smtp})
    assert "Proposition enregistrée sous le numéro" in at.success[0].value
    [pending] = open_store(db).pending()
    inbox.wait(1)  # the message leaves from a thread of its own
    time.sleep(0.3)  # one message, not one per rerun
    [mail] = inbox.envelopes
    assert mail.rcpt_tos == ["coordination@example.org"]
    body = mail.content.decode("utf-8", "replace")
    assert pending.receipt in body and f"moderation?proposition={pending.receipt}" in body


def test_without_smtp_a_proposal_is_stored_and_nothing_fails(db, caplog):
    with caplog.at_level(logging.WARNING):
        at = propose()
    assert "Proposition enregistrée sous le numéro" in at.success[0].value and not at.error
    assert len(open_store(db).pending()) == 1
    assert "non envoyé" not in caplog.text


def test_the_page_counts_waiting_proposals_opens_a_receipt_in_any_case_and_says_decisions_in_french(db):
    store = open_store(db)
    for name in ("Premier lieu", "Second lieu"):
        store.submit(Proposal(name=name, type="cantine", city="Rennes"))
    second = store.pending()[1]
    at = login(run(MODERATE, {"proposition": second.receipt.lower()}))
    assert at.metric[0].label == "Propositions en attente" and at.metric[0].value == "2"
    queue = next(s for s in at.selectbox if s.label.startswith("Propositions en attente"))
    assert queue.value == 1  # the link's proposal, typed in lower case
    click(at, "Accepter")
    assert at.metric[0].value == "1"
    journal = at.dataframe[-1].value
    assert list(journal["action"]) == ["Acceptée", "Proposée", "Proposée"]


def test_a_link_opens_its_proposal_even_when_it_waits_on_another_page_of_the_queue(db):
    store = open_store(db)
    for n in range(PAGE_SIZE + 1):
        store.submit(Proposal(name=f"Lieu {n}", type="cantine", city="Rennes"))
    last = store.pending()[-1]  # the oldest first: the last one waits on the second page
    at = login(run(MODERATE, {"proposition": last.receipt.lower()}))
    queue = next(s for s in at.selectbox if s.label.startswith("Propositions en attente"))
    assert len(queue.options) == PAGE_SIZE + 1 and queue.options[queue.value].startswith(last.receipt)
    assert store.waiting(last.receipt.lower()) == last and store.waiting("") is None


def test_a_visitor_reads_a_neutral_sentence_and_the_log_says_how_to_enable(db, monkeypatch, caplog):
    monkeypatch.delenv(auth.ENV_HASH)
    with caplog.at_level(logging.WARNING, logger="reseau_map.app.connection"):
        at = run(MODERATE)
    assert [i.value for i in at.info] == [auth.RESERVED]
    assert not at.metric  # nothing of the queue for a visitor
    _how_to_enable.cache_clear()  # said once per process: say it again for this test
    with caplog.at_level(logging.WARNING, logger="reseau_map.app.connection"):
        run(MODERATE)
    assert "hash-password" in caplog.text


def test_a_link_to_an_accepted_proposal_opens_its_card_whatever_the_case_of_its_receipt(db):
    store = open_store(db)
    receipt = store.submit(Proposal(name="La Forge", type="cantine", city="Brest", lat=48.39, lon=-4.486))
    store.accept(store.pending()[0].id, "Camille")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["place"] = f"PROPOSITION-{receipt.upper()}"
    at.run()
    assert not at.exception
    assert any(m.value == "## La Forge" for m in at.markdown)
    assert at.query_params["place"] == f"proposition-{receipt.lower()}"
