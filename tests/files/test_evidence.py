"""What a column's cells show (files/evidence.py) and damaged encoding (files/damage.py)."""

import pandas as pd
import pytest

from reseau_map.core.findings import FILE_WARNING
from reseau_map.files.columns import guess_columns
from reseau_map.files.damage import damage_warning
from reseau_map.files.evidence import evidence, percent


def test_evidence_of_a_half_empty_column():
    e = evidence(pd.Series(["Mairie", "", "BP 27", "", "Château", "", "Mairie", ""], name="Lieu", dtype=str))
    assert (e.filled, e.unique, e.examples) == (0.5, 0.75, ("Mairie", "BP 27", "Château"))
    assert e.name_like == 1.0 and not e.nearly_empty
    assert e.describe() == ("remplie à 50\u202f%, 75\u202f% de valeurs distinctes, "
                            "ex. « Mairie », « BP 27 », « Château »")


@pytest.mark.parametrize(("values", "measure", "share"), [
    (["35000", "29200", "2A004"], "code_like", 1.0),
    (["2021-03-04", "04/03/2021", "2014"], "date_like", 1.0),
    (["48.11", "-1.68", "48.11, -1.68"], "coordinate_like", 1.0),
    (["https://a.fr", "a@b.fr", "12"], "name_like", 0.0),
])
def test_what_values_look_like(values, measure, share):
    assert getattr(evidence(pd.Series(values, dtype=str)), measure) == share


def test_an_empty_column_is_nearly_empty_and_never_chosen_by_content():
    assert evidence(pd.Series(["", "", ""], dtype=str)).nearly_empty
    df = pd.DataFrame({"nom": ["A", "B", "C", "D", "E"], "tarifs": [""] * 5, "mastodon": [""] * 4 + ["x"]}, dtype=str)
    cmap = guess_columns(df)
    assert set(cmap.matches) == {"name"}


def test_an_empty_named_column_does_not_hide_a_filled_one():
    df = pd.DataFrame({"nom": ["A", "B", "C"], "latitude": ["", "", ""], "longitude": ["", "", ""],
                       "geo_point": ["48.11, -1.68", "47.2, -1.55", "43.6, 1.44"]}, dtype=str)
    cmap = guess_columns(df)
    assert cmap.header("lat") == cmap.header("lon") == "geo_point"
    assert {n.column for n in cmap.notes} >= {"latitude"}


@pytest.mark.parametrize(("header", "opened"), [
    ("mise_a_jour", False), ("Date de mise à jour", False), ("annee", False), ("Année d'ouverture", True),
    ("date_creation", True), ("Date de création", True), ("opened", True),
])
def test_an_opening_year_only_under_a_header_that_says_so(header, opened):
    df = pd.DataFrame({"nom": ["A", "B", "C"], header: ["2014", "2015-03-01", "2016"]}, dtype=str)
    assert (guess_columns(df).header("opened") == header) is opened


def test_the_fuller_more_name_like_column_is_the_name_and_the_choice_is_said():
    df = pd.DataFrame({"Lieu": ["Mairie", "", "", "BP 27"],
                       "Nom officiel du musée": ["Musée A", "Musée B", "Musée C", "Musée D"]}, dtype=str)
    cmap = guess_columns(df)
    assert cmap.header("name") == "Nom officiel du musée"
    assert "plus remplie" in cmap.matches["name"].why
    assert any(n.column == "Lieu" and "non lue comme « name »" in n.reason for n in cmap.notes)


def test_a_weak_name_column_is_a_file_warning():
    df = pd.DataFrame({"nom": ["12", "", "", "", "https://x.fr"], "ville": ["Rennes"] * 5}, dtype=str)
    cmap = guess_columns(df)
    [warning] = [n for n in cmap.notes if n.kind == FILE_WARNING]
    assert "peu sûre" in warning.reason and 'name = "…"' in warning.reason


def test_percent_in_french():
    assert (percent(0.42), percent(1.0), percent(0.004), percent(0.0)) == ("42\u202f%", "100\u202f%", "< 1\u202f%",
                                                                          "0\u202f%")


@pytest.mark.parametrize(("cells", "damaged"), [
    (["R\ufffdgion Sud", "Gap"], True), (["CrÃ©teil", "Gap"], True), (["lâ€™atelier", "x"], True),
    (["Ã la carte", "x"], True),  # « à » once its no-break space became a space
    (["Créteil", "Région Sud", "São Paulo"], False), (["Ça va", "À Paris", "l’atelier"], False),
])
def test_damaged_encoding_is_one_file_warning(cells, damaged):
    df = pd.DataFrame({"name": cells, "city": ["x"] * len(cells)}, dtype=str)
    found = damage_warning(df)
    assert (found is not None) is damaged
    if damaged:
        assert found.kind == FILE_WARNING and found.row == 0 and "1 ligne porte « " in found.reason


@pytest.mark.parametrize(("text", "encoding", "damaged"), [
    ("nom;ville\nEspace CrÃ©atif;Gap\n", "utf-8", True),
    ("nom;ville\nEspace CrÃ©atif;Gap\nCafé;Nîmes\n", "cp1252", True),  # not UTF-8: « Ã© » is its own bytes
    ("nom;ville\nCafé;Nîmes\nL’atelier;Ça\n", "utf-8", False), ("nom;ville\nCafé;Nîmes\n", "cp1252", False),
])
def test_most_files_are_cleared_by_their_bytes(text, encoding, damaged):
    from reseau_map.files.places import load_places

    data = text.encode(encoding)
    df, _ = load_places(data)
    assert (damage_warning(df, ["name", "city"], data) is not None) is damaged
