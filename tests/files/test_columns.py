"""Recognising our columns in a partner's file (names, content, values), and the mapping file."""

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from reseau_map.core.errors import DataFileError
from reseau_map.files.columns import BY_CONTENT, BY_MAPPING, BY_NAME, Match, guess_columns
from reseau_map.files.content import split_pair
from reseau_map.files.mapping import Mapping, load_mapping, mapping_path, mapping_toml, parse_mapping
from reseau_map.files.reader import read_rows

PARTNER = Path(__file__).parent.parent / "fixtures" / "partner"


def frame(**columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=str)


def one(header: str, value: str = "x") -> dict[str, str]:
    """Our column -> file header for a one-column file."""
    cmap = guess_columns(pd.DataFrame({header: [value] * 3}, dtype=str))
    return {ours: m.header for ours, m in cmap.matches.items()}


@pytest.mark.parametrize(("header", "ours"), [
    ("NOM_TL", "name"), ("Nom du lieu", "name"), ("Raison sociale", "name"), ("name", "name"),
    ("Titre", "name"), ("nom de la structure", "name"),
    ("COMINIT", "city"), ("Commune", "city"), ("Ville", "city"), ("NOMCOM", "city"), ("LIBCOM", "city"),
    ("nom_commune", "city"), ("Localité", "city"),
    ("TYPO", "type"), ("Typologie", "type"), ("Catégorie", "type"), ("type de lieu", "type"),
    ("Adresse", "address"), ("ADR", "address"), ("adresse_postale", "address"),
    ("Région", "region"), ("LIBREG", "region"), ("nom_region", "region"),
    ("Description", "description"), ("Présentation", "description"), ("Activités", "description"),
    ("Citation", "source"), ("Source", "source"), ("Identifiant", "id"),
])
def test_header_names(header, ours):
    assert one(header) == {ours: header}


@pytest.mark.parametrize(("header", "value", "ours"), [
    ("LAT", "48.11", "lat"), ("Latitude", "48,11", "lat"), ("Y", "48.11", "lat"),
    ("LONG", "-1.68", "lon"), ("lng", "-1.68", "lon"), ("X", "2.35", "lon"),
    ("INSEECOM", "35238", "insee"), ("Code INSEE", "2A004", "insee"), ("CODGEO", "97415", "insee"),
    ("code_commune", "35238", "insee"),
    ("CP", "35000", "postcode"), ("Code postal", "75011", "postcode"), ("CodePostal", "1000", "postcode"),
    ("zip", "29200", "postcode"),
    ("WEB", "www.x.fr", "website"), ("Site internet", "https://x.fr", "website"), ("site_web", "x.fr/a", "website"),
    ("URL", "http://x.fr", "website"), ("Site internet du lieu", "www.x.fr", "website"),
    ("Statut", "ouvert", "status"), ("État", "en projet", "status"),
    ("Année d'ouverture", "2012", "opened"), ("Date d'ouverture", "12/03/2014", "opened"),
    ("precision", "ville", "precision"),
])
def test_header_names_with_fitting_values(header, value, ours):
    assert one(header, value) == {ours: header}


@pytest.mark.parametrize("header", ["Nom du département", "Code département", "Téléphone",
                                    "Contact", "SIRET", "Nombre de postes"])
def test_headers_that_mean_something_else(header):
    assert one(header, "12") == {} or "name" not in one(header, "12")


def test_state_base_by_name_and_precision_scores_kept_aside():
    table = read_rows((PARTNER / "base_tiers_lieux.csv").read_bytes())
    cmap = guess_columns(table.frame)
    assert {o: (m.header, m.how) for o, m in cmap.matches.items()} == {
        "name": ("NOM_TL", BY_NAME), "city": ("COMINIT", BY_NAME), "postcode": ("CP", BY_NAME),
        "insee": ("INSEECOM", BY_NAME), "lat": ("LAT", BY_NAME), "lon": ("LONG", BY_NAME),
        "type": ("TYPO", BY_NAME), "website": ("WEB", BY_NAME)}
    assert cmap.extra == ("PRECISION",)
    assert [n.message for n in cmap.notes] == [
        "Colonne « PRECISION » (ex. « 0,92 ») : valeurs qui ne sont pas des précisions de position "
        "(adresse, ville) ; colonne gardée telle quelle, non lue comme « precision »."]


def test_statut_of_juridical_forms_is_not_our_status():
    df = frame(nom=["A", "B", "C", "D"], STATUT=["Association", "SCIC", "SAS", "ouvert"])
    cmap = guess_columns(df)
    assert "status" not in cmap.matches and cmap.extra == ("STATUT",)
    [note] = cmap.notes
    assert note.message == ("Colonne « STATUT » (ex. « Association ») : valeurs qui ne sont pas des statuts "
                            "(ouvert, en projet) ; colonne gardée telle quelle, non lue comme « status ».")


def test_a_second_candidate_takes_over_when_the_first_does_not_fit():
    df = frame(nom=["A", "B", "C"], statut=["SCIC", "SAS", "SA"], etat=["ouvert", "en projet", "ouvert"])
    assert guess_columns(df).header("status") == "etat"


def test_fuller_of_two_exact_headers_wins_the_other_is_kept():
    table = read_rows((PARTNER / "nom_et_name.csv").read_bytes())
    cmap = guess_columns(table.frame)
    assert cmap.header("name") == "nom"
    assert "name" in cmap.extra
    assert [n.message for n in cmap.notes] == [
        "Colonne « name » : colonne gardée telle quelle, car « nom » est déjà lue comme « name »."]


def test_exact_beats_affixed_beats_contains():
    df = frame(**{"nom commune": ["Rennes"] * 3, "NOM_TL": ["A", "B", "C"], "nom": ["x", "y", "z"]})
    cmap = guess_columns(df)
    assert (cmap.header("name"), cmap.header("city")) == ("nom", "nom commune")


def test_headerless_file_by_content():
    table = read_rows((PARTNER / "sans_entete.csv").read_bytes())
    cmap = guess_columns(table.frame)
    assert {o: m.header for o, m in cmap.matches.items()} == {
        "name": "colonne 1", "postcode": "colonne 2", "city": "colonne 3", "website": "colonne 4",
        "lat": "colonne 5", "lon": "colonne 6"}
    assert {m.how for m in cmap.matches.values()} == {BY_CONTENT}
    assert cmap.notes[0].message == "Colonne « colonne 1 » (ex. « La Ruche ») : colonne lue comme « name » " \
                                    "d'après son contenu."


def test_postcodes_and_insee_codes_told_apart_by_content():
    df = frame(a=["Lieu 1", "Lieu 2", "Lieu 3", "Lieu 4"], b=["35238", "29019", "2A004", "56121"],
               c=["35000", "29200", "20000", "56100"])
    cmap = guess_columns(df)
    assert (cmap.header("insee"), cmap.header("postcode")) == ("b", "c")


def test_regions_and_overseas_coordinates_by_content():
    df = frame(lieu_x=["A", "B", "C"], r=["Bretagne", "Normandie", "Occitanie"],
               p=["48.11", "-20.88", "43.60"], q=["-1.68", "55.45", "1.44"])
    cmap = guess_columns(df)
    assert (cmap.header("region"), cmap.header("lat"), cmap.header("lon")) == ("r", "p", "q")


def test_one_coordinates_column_is_split():
    table = read_rows((PARTNER / "coordonnees.csv").read_bytes())
    cmap = guess_columns(table.frame)
    assert cmap.matches["lat"] == Match("coordonnées", BY_NAME, 0)
    assert cmap.matches["lon"] == Match("coordonnées", BY_NAME, 1)
    lat, lon = split_pair(table.frame["coordonnées"])
    assert (lat.tolist()[0], lon.tolist()[0]) == ("48.1173", "-1.6778")


@pytest.mark.parametrize(("cell", "lat", "lon"), [
    ("48.11, -1.68", "48.11", "-1.68"), ("48,11;-1,68", "48,11", "-1,68"), ("[48.11 -1.68]", "48.11", "-1.68"),
    ("nulle part", "nulle part", ""),
])
def test_split_pair(cell, lat, lon):
    got = split_pair(pd.Series([cell]))
    assert (got[0][0], got[1][0]) == (lat, lon)


def test_lon_lat_pairs_are_swapped_back():
    df = frame(nom=["A", "B", "C"], geo_point=["-1.68, 48.11", "2.35, 48.85", "5.37, 43.30"])
    cmap = guess_columns(df)
    assert cmap.swapped
    lat, lon = split_pair(df["geo_point"], cmap.swapped)
    assert (lat[0], lon[0]) == ("48.11", "-1.68")


# The mapping file.

def test_load_mapping_of_the_state_base():
    mapping = load_mapping(PARTNER / "base_tiers_lieux.toml")
    assert mapping.columns == {"name": "NOM_TL", "city": "COMINIT", "postcode": "CP", "type": "TYPO"}
    assert mapping.types == {"Tiers lieux à dominante coworking": "lieu_associe", "Fablab": "lieu_associe",
                             "": "autre"}
    assert mapping.defaults == {"status": "ouvert"}
    assert mapping.credit == "CGET, base des tiers-lieux 2019 (Licence Ouverte 2.0)"
    assert mapping.type_of("FABLAB") == "lieu_associe" and mapping.type_of("Bar") is None


@pytest.mark.parametrize(("text", "message"), [
    ('[columns]\nnme = "NOM_TL"', "Correspondance test, [columns] : clé « nme » inconnue ; clés possibles : id, "),
    ('[types]\n"Fablab" = "fablab"', "Correspondance test, [types] : « Fablab » = « fablab » ; type inconnu, "
                                     "attendu : cantine, lieu_associe, autre."),
    ('[defaults]\nstatus = "fermé"', "Correspondance test, [defaults] : clé « status » = « fermé » ; valeur "
                                     "inconnue, attendu : ouvert, en_projet."),
    ('[defaults]\ncolor = "x"', "Correspondance test, [defaults] : clé « color » inconnue"),
    ('[colonnes]\nname = "x"', "Correspondance test : section [colonnes] inconnue"),
    ('[columns]\nname = ["a"]', "Correspondance test, [columns] : clé « name » ; un texte entre guillemets"),
    ('[credit]\nauteur = "x"', "Correspondance test, [credit] : clé « auteur » inconnue"),
    ('columns = "x"', "Correspondance test : « columns » doit être une section [columns]."),
    ("[columns\n", "Fichier de correspondance test mal formé (TOML)"),
])
def test_mapping_errors_name_the_bad_key(text, message):
    with pytest.raises(DataFileError) as err:
        parse_mapping(text, "test")
    assert str(err.value).startswith(message)


def test_missing_mapping_file(tmp_path):
    with pytest.raises(DataFileError, match="Fichier de correspondance illisible"):
        load_mapping(tmp_path / "absent.toml")


def test_mapping_naming_an_absent_column():
    df = frame(NOM_TL=["A"])
    with pytest.raises(DataFileError, match="clé « city » de \\[columns\\] : la colonne « VILLE » n'est pas"):
        guess_columns(df, {"city": "VILLE"})


def test_mapping_columns_win_over_names():
    df = frame(nom=["A", "B"], enseigne=["C", "D"])
    cmap = guess_columns(df, {"name": "enseigne"})
    assert cmap.matches["name"] == Match("enseigne", BY_MAPPING)
    assert cmap.extra == ("nom",)


def test_mapping_path_from_environment(tmp_path):
    assert mapping_path({}) is None
    assert mapping_path({"RESEAU_MAP_MAPPING": str(tmp_path / "m.toml")}) == tmp_path / "m.toml"


def test_generated_mapping_lists_columns_and_types_and_reads_back():
    table = read_rows((PARTNER / "base_tiers_lieux.csv").read_bytes())
    text = mapping_toml(guess_columns(table.frame), table.frame)
    doc = tomllib.loads(text)
    assert doc["columns"] == {"name": "NOM_TL", "postcode": "CP", "insee": "INSEECOM", "city": "COMINIT",
                              "lat": "LAT", "lon": "LONG", "type": "TYPO", "website": "WEB"}
    assert doc["types"] == {"Tiers lieux à dominante coworking": "autre", "Fablab": "autre", "": "autre",
                            "Espace de médiation numérique": "autre"}
    assert 'name = "NOM_TL"  # reconnu par son nom' in text
    assert "# Colonnes du fichier gardées telles quelles : PRECISION" in text
    assert '# status = "ouvert"' in text
    assert isinstance(parse_mapping(text), Mapping)


def test_generated_mapping_for_a_file_without_types():
    table = read_rows((PARTNER / "sans_entete.csv").read_bytes())
    text = mapping_toml(guess_columns(table.frame), table.frame)
    assert 'name = "colonne 1"  # deviné d\'après le contenu' in text
    assert "# Pas de colonne de type : chaque lieu sera « autre » (voir [defaults])." in text
    assert parse_mapping(text).columns["postcode"] == "colonne 2"


def test_mapping_command_prints_the_guess(capsys, tmp_path):
    from reseau_map.cli import main

    assert main(["columns", str(PARTNER / "coordonnees.csv")]) == 0
    doc = tomllib.loads(capsys.readouterr().out)
    assert doc["columns"] == {"name": "nom", "type": "type", "city": "ville", "lat": "coordonnées",
                              "lon": "coordonnées"}
    # Both halves of one « lat, lon » column read back as one split column.
    cmap = guess_columns(read_rows((PARTNER / "coordonnees.csv").read_bytes()).frame, doc["columns"])
    assert (cmap.matches["lat"].part, cmap.matches["lon"].part) == (0, 1)
    out = tmp_path / "m.toml"
    assert main(["columns", str(PARTNER / "sans_entete.csv"), "-o", str(out)]) == 0
    assert load_mapping(out).columns["city"] == "colonne 3"


def test_a_population_column_is_not_an_insee_code():
    df = frame(nom=["A", "B", "C"], cp=["35000", "29200", "56100"], population=["21570", "13990", "57149"],
               c=["35238", "29019", "56121"])
    cmap = guess_columns(df)
    assert (cmap.header("postcode"), cmap.header("insee")) == ("cp", "c")
    assert "population" in cmap.extra


def test_a_commune_column_of_codes_is_read_as_insee():
    df = frame(nom=["A", "B", "C"], COMMUNE=["35238", "29019", "56121"])
    cmap = guess_columns(df)
    assert cmap.header("insee") == "COMMUNE" and cmap.header("city") is None
    assert [n.message for n in cmap.notes] == [
        "Colonne « COMMUNE » (ex. « 35238 ») : valeurs qui ne sont pas des noms de commune ; colonne lue comme "
        "« insee » d'après son contenu."]


def test_validate_reads_the_mapping_named_by_the_environment(capsys, monkeypatch):
    from reseau_map.cli import main

    monkeypatch.setenv("RESEAU_MAP_MAPPING", str(PARTNER / "base_tiers_lieux.toml"))
    assert main(["validate", str(PARTNER / "base_tiers_lieux.csv")]) == 0
    out = capsys.readouterr().out
    # File notes are printed but not counted; the type the mapping does not list is a category of its own.
    assert "Colonne « PRECISION » (ex. « 0,92 »)" in out
    assert "Catégories tirées de la colonne « TYPO » : Espace de médiation numérique (1)" in out
    assert out.rstrip().endswith("6 lieux valides, 6 placés sur la carte ; 0 perdu(s), 0 douteux, "
                                 "2 remarque(s) : 0 problème(s).")


def test_geocode_write_never_overwrites_a_workbook(tmp_path, capsys):
    from reseau_map.cli import main

    book = tmp_path / "lieux.xlsx"
    book.write_bytes((PARTNER / "lieux.xlsx").read_bytes())
    assert main(["geocode", str(book), "--write", "--cache", str(tmp_path / "cache.csv")]) == 2
    assert "--write n'écrit que des fichiers CSV ; « lieux.xlsx » n'en est pas un." in capsys.readouterr().err
    assert book.read_bytes() == (PARTNER / "lieux.xlsx").read_bytes()
