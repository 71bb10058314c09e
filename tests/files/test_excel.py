"""« CSV pour Excel » and the XLSX workbook: what French spreadsheets open, read back with csv and openpyxl."""

import csv
import io
import json
from datetime import date

import openpyxl
import pandas as pd

from reseau_map.domain.fields import read_fields
from reseau_map.files.credit import NO_LICENCE, REFERENCE, data_credit
from reseau_map.files.excel import CREDIT_HEADER, excel_csv, french_table, workbook
from reseau_map.files.export import to_csv, to_geojson
from reseau_map.files.network import Network
from reseau_map.files.places import load_places


def frame():
    return pd.DataFrame({
        "id": ["a", "b", "c"], "name": ["Cantine « Été »", "=HYPERLINK(\"http://evil\")", "Bell\x07e"],
        "type": ["cantine", "autre", "cantine"], "status": ["ouvert", "", "en_projet"], "address": ["", "", ""],
        "city": ["Orléans", "", "Brest"], "region": ["Centre-Val de Loire", "", "Bretagne"],
        "lat": [47.903, float("nan"), 48.39], "lon": [-1.909, float("nan"), -4.49],
        "precision": ["ville", "", "adresse"], "opened": pd.array([2010, None, 2012], dtype="Int64"),
        "website": ["", "", ""], "description": ["", "@SUM(A1)", ""], "source": ["Une phrase.", "", ""],
        "Nom": ["colonne du partenaire", "", ""], "Courriel": ["prive@example.org", "", ""],
    })


CREDIT = data_credit(Network(name="Essai", credit="Région d'essai (Licence Ouverte 2.0)"))


def rows_of(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 only after it
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))


def test_the_excel_csv_round_trips_with_semicolons_french_headers_and_decimal_commas():
    rows = rows_of(excel_csv(frame(), extra=["Nom"], credit=CREDIT))
    assert list(rows[0])[:4] == ["Identifiant", "Nom", "Catégorie", "Identifiant de catégorie"]
    assert [r["Nom"] for r in rows] == ["Cantine « Été »", "'=HYPERLINK(\"http://evil\")", "Belle"]
    assert rows[0]["Latitude"] == "47,903" and rows[0]["Longitude"] == "-1,909" and rows[1]["Latitude"] == ""
    assert rows[0]["Année d'ouverture"] == "2010" and rows[1]["Année d'ouverture"] == ""
    assert [r["Statut"] for r in rows] == ["Ouvert", "", "En projet"]
    assert rows[2]["Précision"] == "Adresse"
    assert rows[1]["Description"] == "'@SUM(A1)"
    assert rows[0]["Nom (fichier)"] == "colonne du partenaire"  # the partner's « Nom » never takes ours
    assert {r[CREDIT_HEADER] for r in rows} == {CREDIT.text}
    assert "Courriel" not in rows[0]  # only the public columns the caller gives


def test_the_excel_csv_reads_back_through_our_own_loader():
    df, _ = load_places(excel_csv(frame(), credit=CREDIT), "lieux-excel.csv")
    assert df["name"].tolist()[0] == "Cantine « Été »"
    assert df["lat"].tolist()[0] == 47.903 and df["city"].tolist()[2] == "Brest"


def test_the_workbook_has_a_frozen_header_the_places_as_values_and_the_credit_on_its_own_sheet():
    data = workbook(frame(), extra=["Nom"], credit=CREDIT, today=date(2026, 12, 6), described="3 lieux")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Lieux", "Crédit et licence"]
    sheet = book["Lieux"]
    last = sheet.cell(1, sheet.max_column).column_letter
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{last}4"
    header = [c.value for c in sheet[1]]
    assert header == list(french_table(frame(), extra=["Nom"]).columns)
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["Latitude"] == 47.903 and first["Année d'ouverture"] == 2010  # numbers, not texts
    hostile = sheet.cell(3, header.index("Nom") + 1)
    assert hostile.value == "=HYPERLINK(\"http://evil\")" and hostile.data_type == "s"  # a text, never a formula
    assert sheet.cell(4, header.index("Nom") + 1).value == "Belle"  # a control character Excel refuses, gone
    lines = [r[0] for r in book["Crédit et licence"].iter_rows(values_only=True)]
    assert lines[1:] == [*CREDIT.lines, "Exporté le 6 décembre 2026.", "Vue exportée : 3 lieux"]


def test_the_plain_csv_and_the_geojson_carry_the_credit_when_given():
    plain = list(csv.DictReader(io.StringIO(to_csv(frame(), credit=CREDIT).decode("utf-8-sig"), newline="")))
    assert {r["credit"] for r in plain} == {CREDIT.text}
    assert "credit" not in to_csv(frame()).decode("utf-8-sig").splitlines()[0]  # unchanged without one
    geo = to_geojson(frame(), credit=CREDIT)
    data = json.loads(geo)
    assert data["credit"] == CREDIT.text and data["attribution"] == list(CREDIT.lines)
    df, _ = load_places(to_csv(frame(), credit=CREDIT))
    assert "credit" not in read_fields(df).public  # an export read again: its credit is not a partner column


def test_the_credit_says_when_the_source_gives_no_licence():
    given = data_credit(Network(name="x", credit="CGET, base des tiers-lieux 2019 (Licence Ouverte 2.0)"))
    assert NO_LICENCE not in given.lines and given.lines[-1] == REFERENCE
    unsaid = data_credit(Network(name="x", credit="B. Martin (2012)",
                                 source={"title": "Un billet", "author": "B. Martin", "date": "2012-12-25",
                                         "url": "http://example.org/b"}))
    assert unsaid.lines == ("Lieux : B. Martin (2012)",
                            "Source : B. Martin, « Un billet », 25 décembre 2012 (http://example.org/b)",
                            NO_LICENCE, REFERENCE)
