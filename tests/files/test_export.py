"""Exports: the CSV reads back through our own loader; the GeoJSON holds the located places."""

import csv
import io
import json

import pandas as pd

from reseau_map.files.export import to_csv, to_geojson
from reseau_map.files.places import load_places


def frame():
    return pd.DataFrame({
        "id": ["a", "b"], "name": ["Cantine « A »", "Sans position"], "type": ["cantine", "autre"],
        "status": ["ouvert", ""], "address": ["", ""], "city": ["Orléans", ""], "region": ["", ""],
        "lat": [47.903, float("nan")], "lon": [1.909, float("nan")], "precision": ["ville", ""],
        "opened": pd.array([2010, None], dtype="Int64"), "website": ["", ""],
        "description": ["", ""], "source": ["Une phrase.", ""],
    })


def test_csv_round_trip():
    df, meta = load_places(to_csv(frame()))
    assert meta.findings == ()
    assert list(df["name"]) == ["Cantine « A »", "Sans position"]
    assert df["opened"].iloc[0] == 2010 and df["lat"].iloc[0] == 47.903


def test_geojson_has_only_located_places():
    data = json.loads(to_geojson(frame()))
    assert [f["properties"]["id"] for f in data["features"]] == ["a"]
    assert data["features"][0]["geometry"]["coordinates"] == [1.909, 47.903]
    assert data["features"][0]["properties"]["opened"] == "2010"


def test_csv_neutralises_formulas_but_not_numbers():
    df = frame()
    df["lon"] = [-1.68, float("nan")]
    df["name"] = ["=HYPERLINK(\"http://evil\")", "@SUM(A1)"]
    df["description"] = ["+33 1 23", "-2.5"]  # a phone number is text; a plain number stays a number
    df["website"] = ["\tcmd", "\rx"]
    df["source"] = ["-", "Une phrase = normale"]
    rows = list(csv.DictReader(io.StringIO(to_csv(df).decode("utf-8-sig"), newline="")))
    assert [r["name"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(A1)"]
    assert [r["description"] for r in rows] == ["'+33 1 23", "-2.5"]
    assert [r["website"] for r in rows] == ["'\tcmd", "'\rx"]
    assert [r["source"] for r in rows] == ["'-", "Une phrase = normale"]
    assert rows[0]["lon"] == "-1.68"
