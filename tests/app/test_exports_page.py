"""The list tab's exports on a partner file: each holds exactly the places the map shows, with their credit,
never a private column; the « Intégrer » snippet frames the map alone at the chosen size.

The page is run headless with AppTest; the download buttons' files are read from the callables the page
gives them (AppTest has no media server), and compared with the places the map draws.
"""

import csv
import html
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pages import run_page
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from reseau_map.core.text import fold
from reseau_map.maps.layers import decode_payload, payload_column

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard.py")
FIXTURE = ROOT / "tests" / "fixtures" / "vocabulary" / "six_categories.csv"
CLOSED_WORDS = {"ferme", "ferme definitivement", "inactif", "cesse"}


@pytest.fixture
def rows(tmp_path, monkeypatch) -> pd.DataFrame:
    path = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, path)
    monkeypatch.setenv("RESEAU_MAP_PLACES", str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture
def files(monkeypatch) -> dict:
    """What each download button of the page would send, by label (called as the browser would)."""
    found: dict = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, *args, **kwargs):
        found[label] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    return found


def run(params: dict) -> AppTest:
    return run_page(APP, params, "Liste des lieux")


def drawn(at: AppTest) -> list[str]:
    [found] = decode_payload(json.loads(at.get("component_instance")[0].proto.json_args)["feature_group"])
    return sorted(html.unescape(n) for n in payload_column(found, "name"))


def body(data) -> bytes:
    return data() if callable(data) else data


def test_filtered_exports_hold_exactly_the_shown_rows_with_their_credit(rows, files):
    at = run({"type": "Fablab", "f.public": "Jeunes"})
    expected = rows[(rows["type"].map(fold) == "fablab") & (rows["Public"] == "Jeunes")
                    & ~rows["statut"].map(fold).isin(CLOSED_WORDS)]
    assert len(expected) >= 1 and len(expected) < len(rows)  # the filter keeps some rows, not all
    assert drawn(at) == sorted(expected["nom"])
    secrets = [v for v in rows["Courriel"] if v]

    raw = body(files["CSV pour Excel"])
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))
    assert sorted(r["Nom"] for r in table) == sorted(expected["nom"])
    assert {r["Latitude"] for r in table} == {v.replace(".", ",") for v in expected["latitude"]}
    assert all(r["Crédit et licence"] for r in table)

    plain = list(csv.DictReader(io.StringIO(body(files["Exporter en CSV"]).decode("utf-8-sig"), newline="")))
    assert sorted(r["name"] for r in plain) == sorted(expected["nom"])

    book = openpyxl.load_workbook(io.BytesIO(body(files["Classeur XLSX"])))
    sheet = book["Lieux"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    names = sorted(row[header.index("Nom")] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == sorted(expected["nom"])
    assert "Courriel" not in header and "Public" in header
    credit = " ".join(str(r[0]) for r in book["Crédit et licence"].iter_rows(values_only=True))
    assert "six_categories.csv" in credit and "Licence" in credit

    geo = json.loads(body(files["Exporter en GeoJSON"]))
    assert sorted(f["properties"]["name"] for f in geo["features"]) == sorted(expected["nom"])
    assert "six_categories.csv" in geo["credit"]

    for label in ("CSV pour Excel", "Exporter en CSV", "Classeur XLSX", "Exporter en GeoJSON"):
        data = body(files[label])
        text = data.decode("utf-8-sig") if label != "Classeur XLSX" else \
            " ".join(str(c) for s in openpyxl.load_workbook(io.BytesIO(data)) for r in s.iter_rows(values_only=True)
                     for c in r)
        assert not any(secret in text for secret in secrets), label


def test_the_embed_snippet_frames_the_map_alone_at_the_chosen_size(rows, files):
    at = run({"type": "Fablab"})
    at.number_input(key="embed_width").set_value(640)
    at.number_input(key="embed_height").set_value(480).run()
    code = next(c.value for c in at.code if "embed=1" in c.value)
    assert 'width="640"' in code and 'height="480"' in code
    assert "type=Fablab" in code or "type=fablab" in code
    assert "embed=true&amp;embed=1" in code
    assert 'title="Carte : ' in code
