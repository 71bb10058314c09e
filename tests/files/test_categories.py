"""A file's own categories (files/categories.py) and statuses by meaning (files/statuses.py), from fixture files."""

from pathlib import Path

import pandas as pd
import pytest

from reseau_map.files.categories import OTHERS, list_separator, read_categories, split_cell
from reseau_map.files.mapping import parse_mapping
from reseau_map.files.places import load_places
from reseau_map.files.statuses import meaning_of
from reseau_map.files.vocabulary import CLOSED, OPEN, PROJECT, UNKNOWN, french_plural, neutral_vocabulary

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vocabulary"


def load(name: str):
    df, meta = load_places((FIXTURES / name).read_bytes(), name)
    return df, list(meta.findings), meta.vocabulary


def test_six_categories_as_written_by_frequency_each_its_own_colour_and_shape():
    df, findings, vocab = load("six_categories.csv")
    # « FABLAB », « fablab » and « Fablab » are one category, labelled as the file writes it most.
    assert vocab.type_labels == {"fablab": "Fablab", "coworking": "Coworking", "tiers_lieu": "Tiers-lieu",
                                 "atelier_partage": "Atelier partagé",
                                 "espace_public_numerique": "Espace public numérique",
                                 "france_services": "France services"}
    assert df["type"].value_counts().to_dict() == {"fablab": 5, "coworking": 4, "tiers_lieu": 3,
                                                   "atelier_partage": 2, "espace_public_numerique": 2,
                                                   "france_services": 2}
    pairs = {(t.colour, t.shape) for t in vocab.types}
    assert len(pairs) == 6 and len({t.shape for t in vocab.types}) == 6  # apart in greyscale too
    assert vocab.default_types == vocab.type_ids and not any(t.group for t in vocab.types)
    assert [f.message for f in findings] == [
        "Catégories tirées de la colonne « type » : Fablab (5), Coworking (4), Tiers-lieu (3), Atelier partagé (2), "
        "Espace public numérique (2), France services (2). Couleurs et formes : par fréquence, lisibles sans "
        "distinguer les couleurs."]


def test_the_same_file_gets_the_same_colours():
    first, second = load("six_categories.csv")[2], load("six_categories.csv")[2]
    assert first == second


def test_fourteen_categories_the_smallest_share_one_legend_line():
    df, findings, vocab = load("fourteen_categories.csv")
    own = [t for t in vocab.types if not t.group]
    grouped = [t for t in vocab.types if t.group == OTHERS]
    assert len(vocab.types) == 14 and len(own) == 9 and len(grouped) == 5
    assert [t.label for t in grouped] == ["Jardin partagé", "Médiathèque", "Maison de quartier", "Cinéma",
                                          "Friche culturelle"]  # the five smallest, still each a type (a filter)
    assert len({(t.colour, t.shape) for t in own}) == 9 and len({(t.colour, t.shape) for t in grouped}) == 1
    assert "5 plus petites regroupées sous « Autres catégories »" in findings[0].message


def test_a_list_in_one_cell_puts_the_place_in_each_category():
    df, findings, vocab = load("multi_categories.csv")
    assert vocab.type_ids == ("coworking", "fablab", "tiers_lieu")
    assert df["categories"].tolist() == ["coworking|fablab", "fablab", "coworking", "tiers_lieu|coworking",
                                         "fablab", "tiers_lieu"]
    assert df["type"].tolist()[0] == "coworking"  # the first one draws the marker
    assert "séparées par « , »" in findings[0].message


@pytest.mark.parametrize("cells, separator", [
    (["Coworking, Fablab", "Fablab", "Coworking"], ","),
    (["Fablab; Tiers-lieu", "Fablab", "Tiers-lieu"], ";"),
    (["Fablab / Tiers-lieu", "Tiers-lieu"], "/"),
    (["Fablab|Coworking|Tiers-lieu", "Coworking", "Fablab"], "|"),
    (["Lieu de médiation, d'inclusion et de culture", "Fablab"], ""),  # a comma in one label: no list
    (["Café/Bar", "Fablab", "Coworking"], ""),
])
def test_which_cells_hold_lists(cells, separator):
    assert list_separator(cells) == separator


def test_split_cell_tidies_and_dedups():
    assert split_cell(" Fablab ,  Coworking,Fablab,", ",") == ["Fablab", "Coworking"]
    assert split_cell("Café/Bar", "") == ["Café/Bar"]


def test_declared_types_win_and_the_mapping_still_groups_values():
    vocab = neutral_vocabulary()
    mapping = parse_mapping('[types]\n"Fab Lab" = "lieu_associe"')
    found = read_categories(pd.Series(["Fab Lab", "Fablab", "Fablab"]), vocab, mapping)
    assert found.vocabulary.type_ids == ("lieu_associe", "fablab")
    assert found.ids == {"Fablab": ("fablab",), "Fab Lab": ("lieu_associe",)}
    # A file whose values are all the network's types keeps the network's vocabulary as it is.
    assert read_categories(pd.Series(["cantine", "Lieu associé"]), vocab).vocabulary == vocab


@pytest.mark.parametrize("label, plural", [
    ("Fablab", "fablabs"), ("Tiers-lieu", "tiers-lieux"), ("Espace public numérique", "espaces publics numériques"),
    ("Lieu de médiation numérique", "lieux de médiation numérique"), ("France services", "France services"),
    ("EPN", "EPN"), ("Local associatif", "locaux associatifs"), ("Atelier partagé", "ateliers partagés"),
])
def test_plurals(label, plural):
    assert french_plural(label) == plural


@pytest.mark.parametrize("text, meaning", [
    ("Ouvert", OPEN), ("ouverte", OPEN), ("actif", OPEN), ("En activité", OPEN), ("oui", OPEN), ("TRUE", OPEN),
    ("En projet", PROJECT), ("à venir", PROJECT), ("en création", PROJECT),
    ("Fermé", CLOSED), ("fermé définitivement", CLOSED), ("inactif", CLOSED), ("cessé", CLOSED),
    ("en attente", None),
])
def test_status_words_by_meaning(text, meaning):
    assert meaning_of(text) == meaning


def test_statuses_in_a_dozen_spellings_read_by_meaning():
    df, findings, vocab = load("statuts.csv")
    assert [vocab.meaning(s) for s in df["status"]] == [OPEN] * 6 + [PROJECT] * 3 + [CLOSED] * 4 + [UNKNOWN] * 2
    assert vocab.status_label(df["status"].iloc[13]) == "En attente"  # no known meaning: kept as written
    assert vocab.default_statuses == ("ouvert", "en_projet", "en_attente", "non_renseigne")  # closed: on demand
    assert not [f for f in findings if f.column == "statut"]
