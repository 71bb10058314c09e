"""The page on partner files with their own vocabulary (tests/fixtures/vocabulary/), run headless with AppTest.

Expected rows are read from the fixture files with plain pandas and the issue's rules (a closed
status is one of the words the issue lists), not through the functions under test.
"""

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pages import run_page
from streamlit.testing.v1 import AppTest

from reseau_map.core.text import fold
from reseau_map.maps.layers import decode_payload, legend_of, payload_column

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard.py")
FIXTURES = ROOT / "tests" / "fixtures" / "vocabulary"
CLOSED_WORDS = {"ferme", "ferme definitivement", "inactif", "cesse"}


def use(name: str, tmp_path: Path, monkeypatch) -> pd.DataFrame:
    """Point the page at a copy of a fixture file; its rows as written."""
    path = tmp_path / name
    shutil.copy(FIXTURES / name, path)
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def run(params: dict | None = None, tab: str = "") -> AppTest:
    return run_page(APP, params, tab)


def said(elements) -> str:
    """What a reader sees of the page's Markdown (escapes gone, no-break spaces as spaces)."""
    text = " ".join(e.value for e in elements)
    return re.sub(r"\\(.)", r"\1", text).replace("\u00a0", " ").replace("\u202f", " ")


def payload(at: AppTest) -> dict:
    maps = at.get("component_instance")
    [found] = decode_payload(json.loads(maps[0].proto.json_args)["feature_group"])
    return found


def drawn(at: AppTest) -> set[str]:
    return {html.unescape(n) for n in payload_column(payload(at), "name")}


def listed(at: AppTest) -> set[str]:
    return set(at.dataframe[0].value["Nom"])


@pytest.fixture
def six(tmp_path, monkeypatch) -> pd.DataFrame:
    return use("six_categories.csv", tmp_path, monkeypatch)


def open_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[~rows["statut"].map(fold).isin(CLOSED_WORDS)]


def test_the_legend_lists_each_category_with_its_count(six):
    at = run()
    shown = open_rows(six)
    by_label = shown["type"].map(fold).value_counts()
    legend = legend_of(payload(at))
    assert len(legend) == 6
    assert {fold(label): n for label, n in legend} == by_label.to_dict()
    assert [n for _, n in legend] == sorted((n for _, n in legend), reverse=True)  # by frequency
    # The figures say the same, in words: « 4 fablabs, 3 coworkings, … »
    assert ("4 fablabs, 3 coworkings, 2 tiers-lieux, 2 ateliers partagés, 2 espaces publics numériques et "
            "1 France services") in said(at.markdown)


@pytest.mark.parametrize("params, rule", [
    ({"type": "Fablab"}, lambda rows: rows["type"].map(fold) == "fablab"),
    ({"f.public": "Jeunes"}, lambda rows: rows["Public"] == "Jeunes"),
    ({"type": "tiers-lieu", "f.public": "seniors"},
     lambda rows: (rows["type"].map(fold) == "tiers lieu") & (rows["Public"] == "Seniors")),
])
def test_type_and_facet_in_the_url_select_exactly_their_rows(six, params, rule):
    expected = set(open_rows(six)[rule(open_rows(six))]["nom"])
    at = run(params, tab="Liste des lieux")
    assert not [w.value for w in at.warning]
    assert drawn(at) == listed(at) == expected
    # The export is made of the same rows (the page exports what it shows), with the category as written.
    from reseau_map.domain import view as views
    from reseau_map.domain.catalogue import build_catalogue
    from reseau_map.files import export

    cat = build_catalogue((FIXTURES / "six_categories.csv").read_bytes())
    view = views.from_query(params, cat.vocabulary, facets=cat.fields.facets)
    rows = pd.read_csv(pd.io.common.BytesIO(export.to_csv(views.apply(cat.places, view, cat.fields.facets),
                                                          cat.vocabulary, cat.fields.public)), dtype=str)
    assert set(rows["name"]) == expected and "Courriel" not in rows.columns
    for key, value in params.items():  # the link keeps the choice (a facet's value folded)
        if key.startswith("f."):
            assert at.query_params[key] == fold(value)


def test_closed_places_are_absent_by_default_and_shown_on_demand(six):
    closed = set(six.loc[six["statut"].map(fold).isin(CLOSED_WORDS), "nom"])
    assert len(closed) == 4
    at = run()
    assert drawn(at) == set(open_rows(six)["nom"])
    show = next(b for b in at.button if b.label.startswith("Afficher aussi les lieux fermés"))
    assert show.label == "Afficher aussi les lieux fermés (4)"
    show.click().run()
    assert closed <= drawn(at) and drawn(at) == set(six["nom"])
    assert "status" in at.query_params  # the link keeps them shown


def test_near_a_city_on_a_file_without_statuses_finds_places(tmp_path, monkeypatch):
    rows = use("sans_statut.csv", tmp_path, monkeypatch)
    at = run({"near": "Vannes"})
    assert [t.label for t in at.text_input if "près de" in t.label] == ["Lieux près de… (ville)"]
    found = [b.label for b in at.button if " km — " in b.label.replace("\u00a0", " ")]
    assert len(found) == len(rows) and "Le Fablab de Vannes" in found[0]
    assert not [i.value for i in at.info if "Aucun lieu" in i.value]


def test_the_import_summary_says_what_was_derived(six):
    at = run(tab="Import et hors carte")
    assert "Catégories tirées de la colonne « type » : Fablab (5), Coworking (4)" in said(at.markdown)


def test_a_facet_offers_its_values_with_counts(six):
    at = run()
    [facet] = [m for m in at.multiselect if m.label == "Public"]
    assert facet.options == ["Jeunes (6)", "Seniors (6)", "Tous publics (6)"]
    facet.select("jeunes").run()
    assert drawn(at) == set(open_rows(six)[open_rows(six)["Public"] == "Jeunes"]["nom"])
    assert at.query_params["f.public"] == "jeunes"
