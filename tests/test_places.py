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


def test_seed_file_is_valid_and_complete():
    df, problems = load_places(read_bytes(DEFAULT_PLACES))
    assert problems == []
    cities = set(df["city"])
    for city in ("Paris", "Rennes", "Nantes", "Toulouse", "Toulon", "Marseille", "Bordeaux",
                 "Strasbourg", "Brest", "Tours", "Orléans", "Angers", "Saint-Étienne", "Lyon",
                 "San Francisco", "Philadelphia"):
        assert city in cities, city
    assert (df["type"] == "cantine").sum() == 9
    assert (df["type"] == "lieu_associe").sum() == 4
    assert set(df.loc[df["status"] == "en_projet", "city"]) == {"Brest", "Tours", "Orléans", "Angers"}
    assert df["id"].is_unique


def test_every_seed_row_quotes_the_source():
    source = ROOT.parent / "shared" / "seed" / "reseau-des-cantines-2012.txt"
    if not source.exists():
        pytest.skip("the shared seed document is not beside this checkout")
    text = source.read_text(encoding="utf-8")
    df, _ = load_places(read_bytes(DEFAULT_PLACES))
    for quote in df["source"]:
        assert quote, "every row carries its sentence"
        # A row may quote several sentences joined by a space; each must be in the source.
        for sentence in quote.replace(". ", ".\n").replace("» ", "»\n").split("\n"):
            assert sentence.strip() in text


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
    assert list(df["id"]) == ["a", "c", "d", "e", "f"]
    found = {(p.row, p.column): p for p in problems}
    assert found[(3, "name")].dropped
    # An unknown type no longer costs the row: it is « autre », its value kept in type_source.
    assert found[(4, "type")].value == "bar" and not found[(4, "type")].dropped
    assert df.loc[df["id"] == "c", ["type", "type_source"]].iloc[0].tolist() == ["autre", "bar"]
    # An unknown status is cleared (shown as « non renseigné »), the place is kept.
    assert found[(5, "status")].value == "fermé" and not found[(5, "status")].dropped
    assert df.loc[df["id"] == "d", "status"].iloc[0] == ""
    assert found[(6, "id")].dropped
    assert not found[(7, "opened")].dropped and found[(7, "opened")].value == "deux mille"
    assert found[(7, "website")].value == "javascript:alert(1)"
    assert (8, "lon") in found
    assert found[(4, "type")].message == ("Ligne 4, colonne « type » : valeur « bar » — valeur inconnue, classée "
                                          "« autre » (1 ligne ; valeur d'origine gardée dans « type_source »).")
    assert [p.row for p in dropped_rows(problems)] == [3, 6]
    row_e = df[df["id"] == "e"].iloc[0]
    assert row_e["website"] == "" and row_e["opened"] is __import__("pandas").NA


def test_bad_coordinates_are_ignored_not_lost(fixture_bytes):
    df, problems = load_places(fixture_bytes("places_mixed.csv"))
    assert len(df) == 3
    bad = df[df["id"] == "badcoord"].iloc[0]
    assert bad["lat"] != bad["lat"]  # NaN: will be located by its city instead
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "lat", "200")]


def test_missing_required_column_is_a_clear_error():
    with pytest.raises(DataFileError, match="Colonnes obligatoires absentes : name"):
        read_table(b"ville,type\nParis,cantine\n")


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
