"""The « Proposer un lieu » and « Modération » pages, run headless with AppTest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pages import click, login, own_database, run_page
from streamlit.testing.v1 import AppTest

from reseau_map.contrib import auth, throttle
from reseau_map.contrib.proposal import Proposal
from reseau_map.contrib.store import open_store, with_accepted
from reseau_map.domain.catalogue import build_catalogue
from reseau_map.files.places import places_path, read_bytes
from reseau_map.maps.layers import decode_payload, payload_column

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 90
PASSWORD = "mot de passe de test"
SECRET_EMAIL = "prive@example.org"


@pytest.fixture
def db(tmp_path, monkeypatch):
    return own_database(tmp_path, monkeypatch)


def PROPOSE() -> None:  # noqa: N802 — the page, as a script AppTest runs
    from reseau_map.app.proposer import propose_page

    propose_page()


def MODERATE() -> None:  # noqa: N802
    from reseau_map.app.moderation import moderation_page

    moderation_page()


def run(page) -> AppTest:
    return run_page(page, timeout=TIMEOUT)


def shown(at: AppTest) -> str:
    """Every text the page shows (messages, text, markdown, widget values)."""
    parts = [e.value for kind in (at.markdown, at.text, at.info, at.error, at.warning, at.success, at.caption)
             for e in kind]
    parts += [str(w.value) for w in at.text_input] + [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts)


def test_moderation_is_closed_without_any_configuration(db):
    open_store(db).submit(Proposal(name="Lieu secret", type="cantine", city="Brest", contact_email=SECRET_EMAIL))
    at = run(MODERATE)
    # A visitor reads a neutral sentence; how to enable moderation is for the README and the server's log.
    assert at.info[0].value == auth.RESERVED
    assert "hash-password" not in shown(at)
    assert len(at.text_input) == 0 and "Lieu secret" not in shown(at)


def test_moderation_refuses_without_the_password_and_works_with_it(db, monkeypatch):
    monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(PASSWORD))
    open_store(db).submit(Proposal(name="Lieu secret", type="cantine", city="Brest", contact_email=SECRET_EMAIL))
    at = run(MODERATE)
    assert "Lieu secret" not in shown(at) and SECRET_EMAIL not in shown(at)
    login(at, "mauvais")
    assert "mot de passe incorrect" in at.error[0].value
    assert "Lieu secret" not in shown(at)
    login(at, PASSWORD)  # at once: the next try waits, however right it is
    assert "attendez 1 s avant de réessayer" in at.error[0].value and "Lieu secret" not in shown(at)
    monkeypatch.setattr(throttle, "FIRST_DELAY_S", 0.0)  # the wait is over
    login(at, PASSWORD)
    assert "Lieu secret" in shown(at) and SECRET_EMAIL in shown(at)  # the moderator may see the e-mail


def test_propose_then_accept_then_the_place_is_on_the_map(db, monkeypatch):
    at = run(PROPOSE)
    at.text_input(key="contrib_name").input("La Forge <b>numérique</b>").run()
    at.text_input(key="contrib_city").input("Brest").run()
    at.text_input(key="contrib_website").input("www.forge.example.org")
    at.text_input(key="contrib_contact_email").input(SECRET_EMAIL)
    at.text_area(key="contrib_source_text").input("Je suis la responsable du lieu.").run()
    assert not at.error, [e.value for e in at.error]
    click(at, "Envoyer la proposition")
    assert "Proposition enregistrée sous le numéro" in at.success[0].value
    [pending] = open_store(db).pending()
    assert pending.receipt in at.success[0].value and pending.proposal.city == "Brest"
    assert pending.proposal.website == "https://www.forge.example.org"

    monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(PASSWORD))
    mod = login(run(MODERATE), PASSWORD)
    mod.text_input(key=f"moderation_{pending.id}_name").input("La Forge numérique")
    mod.text_area(key=f"moderation_{pending.id}_comment").input("Appelé le lieu : confirmé.")
    click(mod, "Accepter")
    assert "acceptée" in mod.success[0].value
    assert "Aucune proposition en attente." in mod.info[0].value

    store = open_store(db)
    assert store.pending() == [] and store.audit()[-1].actor == "Camille"
    places = store.accepted_places()
    assert places["name"].tolist() == ["La Forge numérique"]
    # A fresh visitor: the places file plus the accepted places (what the map page shows).
    fresh = with_accepted(build_catalogue(read_bytes(places_path())).places)
    assert "La Forge numérique" in fresh["name"].tolist()
    assert SECRET_EMAIL not in fresh.to_csv()
    # ... and on the map page itself, in a new session, with the place's source.
    page = run(str(ROOT / "dashboard.py"))
    args = json.loads(page.get("component_instance")[0].proto.json_args)
    assert "La Forge numérique" in payload_column(decode_payload(args["feature_group"])[0], "name")
    assert SECRET_EMAIL not in args["feature_group"]


def test_the_honeypot_and_the_one_per_minute_limit(db):
    at = run(PROPOSE)
    at.text_input(key="contrib_name").input("Robot")
    at.text_input(key="contrib_city").input("Brest")
    at.text_input(key="site_internet_bis").input("http://spam.example").run()
    click(at, "Envoyer la proposition")
    assert open_store(db).pending() == []

    at = run(PROPOSE)
    for name in ("Premier lieu", "Second lieu"):
        at.text_input(key="contrib_name").input(name)
        at.text_input(key="contrib_city").input("Rennes").run()
        click(at, "Envoyer la proposition")
    assert "Une proposition par minute" in at.error[0].value
    assert [p.proposal.name for p in open_store(db).pending()] == ["Premier lieu"]


def test_refusing_needs_a_comment(db, monkeypatch):
    monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(PASSWORD))
    open_store(db).submit(Proposal(name="Hors sujet", type="autre", city="Rennes"))
    mod = login(run(MODERATE), PASSWORD)
    click(mod, "Refuser")
    assert "écrivez un commentaire" in mod.error[0].value
    mod.text_area(key="moderation_1_comment").input("Pas un tiers-lieu.")
    click(mod, "Refuser")
    assert open_store(db).refused()[0].comment == "Pas un tiers-lieu."


def test_the_form_knows_the_places_of_a_partner_file_read_through_its_mapping(db, monkeypatch, tmp_path):
    # The catalogue of the map page, cached once for every page: the mapping file names its columns.
    partner = Path(__file__).parent.parent / "fixtures" / "partner"
    places = tmp_path / "base_tiers_lieux.csv"
    places.write_bytes((partner / "base_tiers_lieux.csv").read_bytes())
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(places))
    monkeypatch.setenv("RESEAU_MAP_MAPPING", str(partner / "base_tiers_lieux.toml"))
    at = run(PROPOSE)
    at.text_input(key="contrib_name").input("La Ruche des Lices")
    at.text_input(key="contrib_city").input("Rennes").run()
    assert any("Doublon possible" in w.value and "La Ruche des Lices" in w.value for w in at.warning)
    monkeypatch.setenv(auth.ENV_HASH, auth.hash_password(PASSWORD))
    open_store(db).submit(Proposal(name="La ruche des lices", type="lieu_associe", city="Rennes"))
    mod = login(run(MODERATE), PASSWORD)
    assert any("La Ruche des Lices" in w.value for w in mod.warning)
