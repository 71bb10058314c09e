"""Importing a partner's list from the moderation page, run headless with AppTest: upload, correct one column,
publish, see it in a new session, restore the file's data, every step in the log; a hostile file changes nothing.

The expected places are read from the fixture with plain pandas, not through the functions under test.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

import pandas as pd
import pytest
from pages import click, ok, own_database
from streamlit.testing.v1 import AppTest

from reseau_map.contrib.datasets import ADDED, IMPORTED, MAPPED, NONE, PUBLISHED, TO_FILE, Datasets
from reseau_map.contrib.importing import MAX_BYTES
from reseau_map.contrib.store import make_engine
from reseau_map.maps.layers import decode_payload, payload_column

ROOT = Path(__file__).resolve().parents[2]
PLACES = ROOT / "tests" / "fixtures" / "page" / "places.csv"
PARTNER = ROOT / "tests" / "fixtures" / "import" / "partenaires.csv"
PASSWORD = "mot de passe de test"


@pytest.fixture
def db(tmp_path, monkeypatch):
    return own_database(tmp_path, monkeypatch, PASSWORD, PLACES)


def MODERATE() -> None:  # noqa: N802 — the page, as a script AppTest runs
    from reseau_map.app.moderation import moderation_page

    moderation_page()


def moderator() -> AppTest:
    at = ok(AppTest.from_function(MODERATE, default_timeout=90).run())
    inputs = {w.label: w for w in at.text_input}
    inputs["Votre nom (inscrit au journal des décisions)"].input("Camille")
    inputs["Mot de passe de modération"].input(PASSWORD)
    return click(at, "Entrer")


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader(key="import_file").set_value((name, data, mime)).run()
    return ok(at)


def map_names() -> set[str]:
    """The places a new visitor's map draws (a new session of the map page)."""
    page = ok(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run())
    [found] = decode_payload(json.loads(page.get("component_instance")[0].proto.json_args)["feature_group"])
    return {html.unescape(n) for n in payload_column(found, "name")}


def journal(url: str) -> list[str]:
    store = Datasets(make_engine(url))
    found = [e.action for e in store.journal()]
    store.engine.dispose()
    return found


def test_upload_correct_a_column_publish_then_restore_the_file(db):
    partner = pd.read_csv(PARTNER, sep=";", dtype=str)
    before = map_names()
    at = upload(moderator(), PARTNER.name, PARTNER.read_bytes())
    assert any("Résumé de l'import" in m.value and "3 lieux retenus" in m.value for m in at.markdown)
    assert len(at.get("component_instance")) >= 1  # the preview map
    digest = hashlib.sha256(PARTNER.read_bytes()).hexdigest()[:16]
    name = at.selectbox(key=f"import_col_{digest}_name")
    assert name.value == "Raison sociale"  # the guess: the legal name, not the one people know
    name.set_value("Nom usuel")
    click(at, "Appliquer la correspondance")
    assert "[columns]" in at.session_state["importing"].mapping  # the correction, kept as the mapping's TOML
    click(at, "Publier comme données de la carte")
    assert any("Version n° 1 publiée" in s.value for s in at.success)

    assert map_names() == set(partner["Nom usuel"])  # a new session: the published places, as corrected
    store = Datasets(make_engine(db))
    [version] = store.versions()
    assert (version.actor, version.rows, version.filename) == ("Camille", 3, PARTNER.name)
    assert 'name = "Nom usuel"' in version.mapping
    store.engine.dispose()

    click(at, "Restaurer")  # the server's own file: back in one click
    assert map_names() == before
    assert journal(db) == [IMPORTED, MAPPED, PUBLISHED, TO_FILE]  # read, corrected, published, restored


def test_adding_the_places_to_the_data_shown_keeps_both(db):
    before = map_names()
    at = upload(moderator(), PARTNER.name, PARTNER.read_bytes())
    click(at, "Ajouter ces lieux aux données de la carte")
    partner = pd.read_csv(PARTNER, sep=";", dtype=str)
    assert map_names() == before | set(partner["Raison sociale"])
    assert journal(db) == [IMPORTED, ADDED]


@pytest.mark.parametrize("name, data, words", [
    ("lieux.xlsx", b"PK\x03\x04" + b"\x00" * 200, "ni un classeur XLSX ni un classeur ODS"),
    ("outil.exe", b"MZ\x90\x00", "formats acceptés"),
    ("enorme.csv", b"nom\n" + b"x" * MAX_BYTES, "la limite est de 10 Mo"),
])
def test_a_hostile_file_gets_its_french_message_and_changes_nothing(db, name, data, words):
    before = map_names()
    at = upload(moderator(), name, data)
    assert len(at.error) == 1 and words in at.error[0].value
    assert not [b for b in at.button if b.label.startswith("Publier")]
    store = Datasets(make_engine(db))
    assert store.key() == NONE and store.journal() == []
    store.engine.dispose()
    assert map_names() == before
