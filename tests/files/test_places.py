"""Reading and validating places files."""

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseau_map.core.errors import DataFileError, ReseauMapError
from reseau_map.core.findings import DROPPED, FILE_NOTE
from reseau_map.files.mapping import load_mapping, parse_mapping
from reseau_map.files.meta import PlacesMeta
from reseau_map.files.places import (
    DEFAULT_PLACES,
    dropped_rows,
    load_places,
    places_path,
    read_bytes,
    read_table,
)

ROOT = Path(__file__).resolve().parents[2]


def test_semicolon_bom_and_french_headers(fixture_bytes):
    df, meta = load_places(fixture_bytes("places_semicolon_bom.csv"))
    assert meta.findings == ()
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
    df, meta = load_places(fixture_bytes("places_bad_rows.csv"))
    assert list(df["id"]) == ["a", "c", "d", "e", "f"]
    found = {(p.row, p.column): p for p in meta.findings}
    assert found[(3, "name")].dropped
    # A type the vocabulary does not have is a category of the file's own (files/categories.py).
    assert (4, "type") not in found and df.loc[df["id"] == "c", "type"].iloc[0] == "bar"
    assert meta.vocabulary.type_label("bar") == "Bar"
    # « fermé » means closed: a status of that meaning (files/statuses.py), hidden by default.
    assert (5, "status") not in found and df.loc[df["id"] == "d", "status"].iloc[0] == "ferme"
    assert found[(6, "id")].dropped
    assert not found[(7, "opened")].dropped and found[(7, "opened")].value == "deux mille"
    assert found[(7, "website")].value == "javascript:alert(1)"
    assert (8, "lon") in found
    assert [p.row for p in dropped_rows(meta.findings)] == [3, 6]
    row_e = df[df["id"] == "e"].iloc[0]
    assert row_e["website"] == "" and row_e["opened"] is __import__("pandas").NA


def test_bad_coordinates_are_ignored_not_lost(fixture_bytes):
    df, meta = load_places(fixture_bytes("places_mixed.csv"))
    assert len(df) == 3
    bad = df[df["id"] == "badcoord"].iloc[0]
    assert bad["lat"] != bad["lat"]  # NaN: will be located by its city instead
    assert [(p.row, p.column, p.value) for p in meta.findings] == [(3, "lat", "200")]


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
    _, meta = load_places(data)
    assert [p.message.split(" : ")[0] for p in meta.findings] == ["Ligne 2, colonne « latitude »"]


# Partner files (tests/fixtures/partner/).

PARTNER = ROOT / "tests" / "fixtures" / "partner"
PLACE_COLUMNS = ["name", "type", "status", "city", "lat", "lon", "opened", "website"]


def partner(name: str) -> bytes:
    return (PARTNER / name).read_bytes()


@pytest.mark.parametrize("name", ["lieux.xlsx", "lieux.ods", "lieux.geojson"])
def test_one_list_in_four_formats_gives_the_same_places(name):
    expected, _ = load_places(partner("lieux.csv"))
    got, meta = load_places(partner(name), name)
    pd.testing.assert_frame_equal(got[PLACE_COLUMNS], expected[PLACE_COLUMNS])
    assert meta.findings == ()
    assert expected["website"].tolist()[:3] == ["https://www.cantine-rennes.fr", "", "http://bordeaux.node.io"]
    assert expected["type"].tolist() == ["cantine", "lieu_associe", "lieu_associe", "cantine", "lieu_associe"]


def test_state_base_without_mapping_keeps_every_row():
    df, meta = load_places(partner("base_tiers_lieux.csv"))
    # Its own categories, as written, by frequency; the empty cell « Sans catégorie ».
    assert len(df) == 6 and df["type"].tolist() == [
        "tiers_lieux_a_dominante_coworking", "fablab", "tiers_lieux_a_dominante_coworking", "sans_categorie",
        "espace_de_mediation_numerique", "fablab"]
    assert meta.vocabulary.type_labels == {
        "fablab": "Fablab", "tiers_lieux_a_dominante_coworking": "Tiers lieux à dominante coworking",
        "espace_de_mediation_numerique": "Espace de médiation numérique", "sans_categorie": "Sans catégorie"}
    assert df["PRECISION"].tolist()[0] == "0,92" and set(df["precision"]) == {""}
    assert df[["postcode", "insee"]].iloc[0].tolist() == ["35000", "35238"]
    assert df["lat"].iloc[0] == pytest.approx(48.1129)
    assert [p.message for p in meta.findings] == [
        "Colonne « PRECISION » (ex. « 0,92 ») : valeurs qui ne sont pas des précisions de position "
        "(adresse, ville) ; colonne gardée telle quelle, non lue comme « precision ».",
        "Catégories tirées de la colonne « TYPO » : Fablab (2), Tiers lieux à dominante coworking (2), "
        "Espace de médiation numérique (1). Couleurs et formes : par fréquence, lisibles sans distinguer les "
        "couleurs."]
    assert meta.headers["name"] == "NOM_TL" and meta.headers["precision"] == "precision"
    assert meta.dialect.separator == ";" and meta.format == "csv"
    assert meta.lines == (2, 3, 4, 5, 6, 7)


def test_what_was_read_about_the_file_travels_beside_the_frame_not_in_it():
    raw, read = read_table(partner("base_tiers_lieux.csv"))
    df, meta = load_places(partner("base_tiers_lieux.csv"))
    assert raw.attrs == {} and df.attrs == {} and isinstance(meta, PlacesMeta)
    assert read.lines == meta.lines and read.headers == meta.headers and meta.label("name") == "NOM_TL"
    # Reading finds the file's notes; validation adds what it finds about the rows, after them.
    assert set(read.findings) < set(meta.findings) and all(f.row == 0 for f in read.findings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.format = "xlsx"


def test_state_base_with_its_mapping():
    mapping = load_mapping(PARTNER / "base_tiers_lieux.toml")
    df, meta = load_places(partner("base_tiers_lieux.csv"), "base.csv", mapping)
    # [types] groups values in the network's types; a value it does not list is a category of its own.
    assert df["type"].tolist() == ["lieu_associe", "lieu_associe", "lieu_associe", "autre",
                                   "espace_de_mediation_numerique", "lieu_associe"]
    assert meta.vocabulary.type_ids == ("lieu_associe", "autre", "espace_de_mediation_numerique")
    assert set(df["status"]) == {"ouvert"}  # [defaults]: the file has no status column
    assert meta.credit == "CGET, base des tiers-lieux 2019 (Licence Ouverte 2.0)"
    assert meta.column_map.matches["name"].how == "correspondance"
    assert [p.row for p in meta.findings] == [0, 0]  # PRECISION note, the derived category's note


def test_defaults_do_not_overwrite_a_column_the_file_has():
    mapping = parse_mapping('[defaults]\nstatus = "ouvert"\ntype = "cantine"')
    df, _ = load_places(b"nom;statut\nA;en projet\nB;\n", mapping=mapping)
    assert df["status"].tolist() == ["en_projet", ""]
    assert df["type"].tolist() == ["cantine", "cantine"]


def test_file_without_type_column_is_autre_with_one_note():
    df, meta = load_places(partner("region_lieux.csv"))
    assert set(df["type"]) == {"autre"}
    assert [p.message for p in meta.findings] == ["Pas de colonne de type : chaque lieu est classé « autre »."]
    assert df["website"].tolist() == ["https://www.cantine-orne.fr", "https://lebocal.fr/contact",
                                      "https://station-numerique.fr", "", "https://www.lephare-lehavre.fr"]
    assert df["postcode"].tolist()[0] == "61000" and df["city"].tolist()[0] == "Alençon"


def test_headerless_file_gives_places_and_says_how():
    df, meta = load_places(partner("sans_entete.csv"))
    assert df["name"].tolist() == ["La Ruche", "Le Hangar", "La Fabrique", "Le Relais", "La Passerelle"]
    assert df["_row"].tolist() == [1, 2, 3, 4, 5]
    assert meta.findings[0].message == "Pas de ligne d'en-tête : la première ligne est lue comme des données."
    assert all(p.kind == FILE_NOTE for p in meta.findings)


def test_stray_quote_is_one_dropped_row_on_its_line():
    df, meta = load_places(partner("guillemet.csv"))
    assert df["name"].tolist() == ["Cantine A", "Cantine C", "Cantine D, la vraie", "Cantine E"]
    assert df["_row"].tolist() == [2, 4, 5, 6]
    assert [(p.row, p.column, p.kind) for p in meta.findings] == [(3, "nom", DROPPED)]
    assert [p.row for p in dropped_rows(meta.findings)] == [3]


def test_tab_and_decimal_comma_files():
    tabs, meta = load_places(partner("tabulations.tsv"))
    assert meta.findings == () and tabs["postcode"].tolist()[0] == "75002"
    commas, commas_meta = load_places(partner("virgules_decimales.csv"))
    assert commas["lon"].tolist() == pytest.approx([-1.5536, 5.928, 0.6848])
    assert commas_meta.dialect.decimal == ","


def test_unquoted_decimal_comma_row_is_one_finding():
    df, meta = load_places(partner("virgule_non_protegee.csv"))
    assert df["_row"].tolist() == [2, 4]
    assert [(p.row, p.kind) for p in meta.findings] == [(3, DROPPED)]


def test_nom_and_name_the_fuller_maps_the_other_is_kept():
    df, meta = load_places(partner("nom_et_name.csv"))
    assert df["name"].tolist() == ["La Cantine", "Le Node", "La Boate"]
    assert df["name (fichier)"].tolist() == ["The Canteen", "", "The Boat"]
    assert [p.message for p in meta.findings] == [
        "Colonne « name » : colonne gardée telle quelle, car « nom » est déjà lue comme « name ».",
        "Colonne « name » : colonne gardée sous le nom « name (fichier) »."]


def test_a_partner_row_column_does_not_clash_with_ours():
    df, meta = load_places(partner("colonne_row.csv"))
    assert df["_row"].tolist() == [2, 3, 4]
    assert df["_row (fichier)"].tolist() == ["a1", "a2", "a3"]
    assert [p.message for p in meta.findings] == ["Colonne « _row » : colonne gardée sous le nom « _row (fichier) »."]


def test_coordinates_column_gives_lat_and_lon():
    df, meta = load_places(partner("coordonnees.csv"))
    assert meta.findings == ()
    assert df[["lat", "lon"]].values.tolist()[0] == pytest.approx([48.1173, -1.6778])
    assert meta.headers["lat"] == "coordonnées"


@pytest.mark.parametrize(("typed", "kept"), [
    ("https://exemple.fr", "https://exemple.fr"), ("http://exemple.fr/a?b=1", "http://exemple.fr/a?b=1"),
    ("www.exemple.fr", "https://www.exemple.fr"), ("exemple.fr/page", "https://exemple.fr/page"),
    ("cantine-rennes.bzh", "https://cantine-rennes.bzh"), ("javascript:alert(1)", ""), ("mailto:a@b.fr", ""),
    ("pas un site", ""), ("exemple", ""),
])
def test_websites_with_or_without_scheme(typed, kept):
    df, meta = load_places(f"nom,type,site\nA,cantine,{typed}\n".encode())
    assert df["website"].tolist() == [kept]
    assert bool(meta.findings) == (kept == "")


@pytest.mark.parametrize(("typed", "year"), [("2012", 2012), ("2014-03-01", 2014), ("01/03/2014", 2014)])
def test_opening_year_from_a_date(typed, year):
    df, meta = load_places(f"nom;type;date d'ouverture\nA;cantine;{typed}\n".encode())
    assert df["opened"].tolist() == [year] and meta.findings == ()


def test_bidi_controls_are_removed_from_every_cell():
    # « Trojan Source »: a right-to-left override would show the name reversed.
    df, _ = load_places("nom;type;ville\n \u202eCantine\u202c ;cantine;\u2066Brest\u2069\nB;cantine;Lyon\n".encode())
    assert df["name"].tolist() == ["Cantine", "B"]
    assert df["city"].tolist() == ["Brest", "Lyon"]


def test_postcode_that_lost_its_leading_zero():
    df, _ = load_places(b"nom;type;cp;ville\nA;cantine;1000;Bourg-en-Bresse\n")
    assert df["postcode"].tolist() == ["01000"]


# Arbitrary bytes: loading may refuse a file, only ever with one of our errors.
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.lists(st.text(alphabet=',;"\n aé0123456789.-wht:/', max_size=20),
                                          min_size=1, max_size=6).map(
    lambda cells: ("nom;type;ville;lat;lon;site;cp\n" + ";".join(cells)).encode()))
def test_loading_arbitrary_bytes_raises_only_our_errors(data):
    try:
        df, meta = load_places(data)
    except ReseauMapError:
        return
    assert df["_row"].is_unique


def test_homonyms_without_id_get_distinct_ids_not_dropped():
    df, meta = load_places(b"nom;type;ville\nLa Ruche;cantine;Paris\nLa Ruche;cantine;Paris\n"
                               b"La Ruche;cantine;Lyon\n")
    assert df["id"].tolist() == ["la-ruche-paris", "la-ruche-paris-2", "la-ruche-lyon"]
    assert meta.findings == ()
