"""The coordination's e-mail per proposal: settings read from secrets.toml, the message, a local SMTP server."""

import logging

import pytest
from contrib_helpers import free_port, local_smtp

from reseau_map.contrib.notify import Smtp, proposal_message, send, smtp_settings
from reseau_map.contrib.proposal import LABELS, Proposal


@pytest.fixture
def smtp_server():
    """A local SMTP server on 127.0.0.1 (no network): its port and its inbox."""
    with local_smtp() as found:
        yield found


SECRET = "prive@example.org"
PROPOSAL = Proposal(name="La Forge <numérique>", type="cantine", status="ouvert", city="Brest",
                    website="https://forge.example.org", contact_email=SECRET, source_text="Je suis la responsable.")


@pytest.mark.parametrize("table, expected", [
    ({}, None),
    ({"smtp": {"host": "smtp.example.org"}}, None),  # nobody to tell
    ({"smtp": {"host": "smtp.example.org", "to": "coord@example.org", "security": "pigeon"}}, None),
    ({"smtp": {"host": "smtp.example.org", "to": "coord@example.org", "port": "vingt"}}, None),
    ({"smtp": {"host": "smtp.example.org", "to": "coord@example.org"}},
     Smtp("smtp.example.org", 587, "starttls", "carte@smtp.example.org", ("coord@example.org",))),
    ({"smtp": {"host": "h", "to": ["a@x.org", "b@x.org"], "security": "SSL", "user": "u@x.org", "password": "p",
               "site_url": "https://carte.example.org/"}},
     Smtp("h", 465, "ssl", "u@x.org", ("a@x.org", "b@x.org"), "u@x.org", "p", "https://carte.example.org")),
])
def test_settings_are_read_from_the_smtp_section(table, expected):
    assert smtp_settings(table) == expected


def test_the_message_says_the_proposal_and_where_to_moderate_it_never_the_contact_mail():
    smtp = Smtp("h", 25, "none", "carte@x.org", ("coord@x.org",), site_url="https://carte.example.org")
    message = proposal_message(smtp, PROPOSAL, "K7M2ABCD", {"cantine": "Cantine", "ouvert": "Ouvert"})
    text = message.get_content()
    assert message["Subject"] == "Nouvelle proposition : La Forge <numérique> (Brest) — n° K7M2ABCD"
    assert f"{LABELS['type']} : Cantine" in text and f"{LABELS['city']} : Brest" in text
    assert "https://carte.example.org/moderation?proposition=K7M2ABCD" in text
    assert SECRET not in message.as_string() and "E-mail de contact : donné" in text


def test_one_message_reaches_a_local_server_and_a_refused_one_is_logged(smtp_server, caplog):
    port, inbox = smtp_server
    smtp = Smtp("127.0.0.1", port, "none", "carte@x.org", ("coord@x.org",))
    assert send(smtp, proposal_message(smtp, PROPOSAL, "K7M2ABCD"))
    [got] = inbox.wait(1)
    assert got.rcpt_tos == ["coord@x.org"] and b"K7M2ABCD" in got.content
    closed = Smtp("127.0.0.1", free_port(), "none", "carte@x.org", ("coord@x.org",))
    with caplog.at_level(logging.WARNING):
        assert not send(closed, proposal_message(closed, PROPOSAL, "K7M2ABCD"), timeout=2)
    assert "non envoyé" in caplog.text
