"""Reading and validating places files."""

from pathlib import Path

import pytest

from reseau_map.errors import DataFileError
from reseau_map.files.places import (
    DEFAULT_PLACES,
    dropped_rows,
    load_places,
    places_path,
    read_bytes,
    read_table,
)

ROOT = Path(__file__).resolve().parent.parent


def test_semicolon_bom_and_french_headers(fixture_bytes):
    df, problems = load_places(fixture_bytes("places_semicolon_bom.csv"))
    assert problems == []
    assert list(df["name"]) == ["Cantine d’Orléans", "La Boate"]
    assert list(df["type"]) == ["cantine", "lieu_associe"]
    assert list(df["status"]) == ["en_projet", "ouvert"]
    assert df["lat"].iloc[0] == pytest.approx(47.903)
    assert df["opened"].iloc[1] == 2011


def test_windows_1252_text(fixture_bytes):
    df, _ = load_places(fixture_bytes("places_cp1252.csv"))
    assert df["name"].iloc[0] == "Café numérique"
    assert df["city"].iloc[0] == "Orléans"


def test_bad_rows_are_reported_with_row_column_value(fixture_bytes):
    df, problems = load_places(fixture_bytes("places_bad_rows.csv"))
    assert list(df["id"]) == ["a", "d", "e", "f"]
    found = {(p.row, p.column): p for p in problems}
    assert found[(3, "name")].dropped
    assert found[(4, "type")].value == "bar" and found[(4, "type")].dropped
    # An unknown status is cleared (shown as « non renseigné »), the place is kept.
    assert found[(5, "status")].value == "fermé" and not found[(5, "status")].dropped
    assert df.loc[df["id"] == "d", "status"].iloc[0] == ""
    assert found[(6, "id")].dropped
    assert not found[(7, "opened")].dropped and found[(7, "opened")].value == "deux mille"
    assert found[(7, "website")].value == "javascript:alert(1)"
    assert (8, "lon") in found
    message = found[(4, "type")].message
    assert message.startswith("Ligne 4, colonne « type » : valeur « bar »")
    assert "attendu" in message
    assert [p.row for p in dropped_rows(problems)] == [3, 4, 6]
    row_e = df[df["id"] == "e"].iloc[0]
    assert row_e["website"] == "" and row_e["opened"] is __import__("pandas").NA


def test_bad_coordinates_are_ignored_not_lost(fixture_bytes):
    df, problems = load_places(fixture_bytes("places_mixed.csv"))
    assert len(df) == 3
    bad = df[df["id"] == "badcoord"].iloc[0]
    assert bad["lat"] != bad["lat"]  # NaN: will be located by its city instead
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "lat", "200")]


def test_missing_required_column_is_a_clear_error():
    with pytest.raises(DataFileError, match="Colonnes obligatoires absentes : type"):
        read_table(b"nom,ville\nA,Paris\n")


def test_empty_file():
    with pytest.raises(DataFileError, match="vide"):
        read_table(b"")


def test_places_path_from_environment(tmp_path):
    assert places_path({}) == DEFAULT_PLACES
    assert places_path({"RESEAU_MAP_PLACES": str(tmp_path / "x.csv")}) == tmp_path / "x.csv"


def test_unreadable_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="illisible"):
        read_bytes(tmp_path / "absent.csv")


def test_messages_name_the_column_as_the_file_does():
    data = b"nom;type;statut;ville;latitude;longitude\nA;cantine;ouvert;Paris;91;2\n"
    _, problems = load_places(data)
    assert [p.message.split(" : ")[0] for p in problems] == ["Ligne 2, colonne « latitude »"]
