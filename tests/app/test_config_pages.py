"""The map page with ordinary TOML, a wrong default_types, and a place the file does not have (issue 22, 16 and 23).

Run headless with AppTest: no traceback, every problem a French notice naming what is wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pages import DASHBOARD, run_page
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent.parent / "fixtures" / "page"
NETWORK = """[network]
name = "Réseau daté"
[launch]
date = 2011-03-01
city = "Rennes"
place = "La Cantine"
[source]
title = "Un billet"
author = "Une autrice"
date = 2026-01-15
[[figures]]
key = "regions"
label = "Régions"
value = 4
short = "4 régions"
quote = "Quatre régions."
[vocabulary]
default_types = ["cantine", "fablab"]
[[vocabulary.types]]
id = "cantine"
label = "Cantine"
[[vocabulary.types]]
id = "lieu_associe"
label = "Lieu associé"
[[vocabulary.types]]
id = "autre"
label = "Autre"
"""


@pytest.fixture
def places(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "places.csv"
    shutil.copy(FIXTURES / "places.csv", path)
    (tmp_path / "network.toml").write_text(NETWORK, encoding="utf-8")
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(path))
    return path


def run(params: dict | None = None, tab: str = "") -> AppTest:
    return run_page(DASHBOARD, params, tab)


def plain(texts) -> str:
    """What a reader sees: Markdown escapes gone, no-break spaces as spaces."""
    return "\n".join(texts).replace("\\", "").replace("\u00a0", " ").replace("\u202f", " ")


def warnings(at: AppTest) -> str:
    return plain(w.value for w in at.warning)


def test_dates_and_numbers_in_the_network_file_draw_the_page(places):
    at = run(tab="Chiffres")
    assert "Lancé le 1 mars 2011" in plain([at.caption[0].value])
    assert any(m.label == "Régions couvertes" for m in at.metric)
    assert "Régions : 4 déclarées" in plain(c.value for c in at.caption)


def test_a_wrong_default_types_is_a_notice_and_the_map_is_not_empty(places):
    at = run()
    said = warnings(at)
    assert "default_types" in said and "« fablab »" in said
    assert at.sidebar.multiselect(key="f_types").value == ["cantine"]
    assert "0 lieu" not in "\n".join(m.value for m in at.markdown)


def test_an_unknown_place_is_said_in_presentation_mode_too(places):
    at = run({"mode": "presentation", "place": "nulle-part"})
    assert "Paramètre « place=nulle-part » ignoré" in warnings(at)
