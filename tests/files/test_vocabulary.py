"""The network's vocabulary: read from the network file, checked, and used to read a places file."""

import tomllib

import pytest

from reseau_map.core.errors import DataFileError
from reseau_map.domain import view as views
from reseau_map.domain.figures import computed
from reseau_map.domain.tour import tour_order
from reseau_map.files.mapping import parse_mapping
from reseau_map.files.network import load_network
from reseau_map.files.places import load_places
from reseau_map.files.vocabulary import (
    CLOSED,
    OPEN,
    PROJECT,
    UNKNOWN,
    UNKNOWN_STATUS,
    neutral_vocabulary,
    parse_vocabulary,
)

# A partner's network: its own types, in its own order, and statuses of every meaning.
PARTNER = """
default_types = ["fablab", "coworking"]
fallback_type = "autre_lieu"

[[types]]
id = "coworking"
label = "Coworking"
colour = "#009E73"
shape = "square"
order = 2
aliases = ["espace de coworking"]

[[types]]
id = "fablab"
label = "Fablab"
plural = "fablabs"
colour = "#e69f00"
order = 1

[[types]]
id = "autre_lieu"
label = "Autre lieu"
order = 3

[[statuses]]
id = "actif"
label = "Actif"
meaning = "open"
aliases = ["en activité", "oui"]

[[statuses]]
id = "a_venir"
label = "À venir"
plural = "à venir"
meaning = "project"

[[statuses]]
id = "ferme"
label = "Fermé"
meaning = "closed"
"""


@pytest.fixture
def partner():
    return parse_vocabulary(tomllib.loads(PARTNER), "partenaire.toml")


def test_types_and_statuses_in_their_order(partner):
    assert partner.type_ids == ("fablab", "coworking", "autre_lieu")
    assert partner.type_labels == {"fablab": "Fablab", "coworking": "Coworking", "autre_lieu": "Autre lieu"}
    assert partner.type_plural("coworking") == "coworkings"  # a plural the file does not give
    assert partner.colour("fablab") == "#E69F00" and partner.colour("absent") == "#777777"
    assert partner.colour("autre_lieu").startswith("#")  # a palette colour when the file gives none
    assert partner.place_type("coworking").shape == "square" and partner.place_type("fablab").shape == "circle"
    assert partner.default_types == ("fablab", "coworking") and partner.fallback_type == "autre_lieu"
    assert partner.status_choices == {"actif": "Actif", "a_venir": "À venir", "ferme": "Fermé",
                                      UNKNOWN_STATUS: "Statut non renseigné"}


def test_statuses_by_meaning(partner):
    assert partner.with_meaning(OPEN) == ("actif",) and partner.with_meaning(CLOSED) == ("ferme",)
    assert partner.with_meaning(UNKNOWN) == ("",)  # the places whose file says nothing
    assert [partner.meaning(v) for v in ("actif", "a_venir", "ferme", "", "bof")] == [
        OPEN, PROJECT, CLOSED, UNKNOWN, UNKNOWN]
    assert partner.status_label("") == "Statut non renseigné" and partner.status_label("a_venir") == "À venir"


@pytest.mark.parametrize("column, text, expected", [
    ("type", "FABLAB", "fablab"),
    ("type", "Espace de Coworking", "coworking"),  # an alias, any case
    ("type", "fablabs", "fablab"),  # a plural
    ("type", "autre lieu", "autre_lieu"),
    ("type", "", ""),
    ("type", "cantine", None),  # not this network's
    ("status", "En activité", "actif"),
    ("status", "a venir", "a_venir"),  # accents folded
    ("status", "ouvert", None),
])
def test_what_people_type(partner, column, text, expected):
    assert partner.read(column, text) == expected


def test_counted_words(partner):
    assert partner.counted(1, "fablab") == "1 fablab" and partner.counted(5, "fablab") == "5 fablabs"
    assert partner.counted(2, "a_venir", "status") == "2 à venir"
    assert partner.counted(1, "", "status") == "1 au statut non renseigné"


@pytest.mark.parametrize("text, message", [
    ('[[types]]\nlabel = "Sans id"', "« id » est obligatoire"),
    ('[[types]]\nid = "a"\n[[types]]\nid = "a"', "identifiant déjà utilisé"),
    ('[[types]]\nid = "a"\ncolour = "rouge"', "couleur « rouge » invalide"),
    ('[[types]]\nid = "a"\nshape = "cœur"', "forme « cœur » inconnue"),
    ('[[types]]\nid = "a"\ncolor = "#000000"', "clé « color » inconnue"),
    ('[[types]]\nid = "a"\n[[statuses]]\nid = "s"\nmeaning = "ouvert"', "sens « ouvert » inconnu"),
    ('default_types = ["b"]\n[[types]]\nid = "a"', "type « b » inconnu"),
    ('fallback_type = "b"\n[[types]]\nid = "a"', "type « b » inconnu"),
    ('[[statuses]]\nid = "s"', "aucun type de lieu"),
    ('[[types]]\nid = "a"\norder = "1"', "« order » doit être un nombre entier"),
])
def test_a_bad_vocabulary_is_a_french_error_naming_the_key(text, message):
    with pytest.raises(DataFileError, match=message) as err:
        parse_vocabulary(tomllib.loads(text), "n.toml")
    assert "n.toml" in str(err.value)


def test_a_network_file_declares_its_vocabulary(tmp_path, partner):
    path = tmp_path / "network.toml"
    path.write_text('[network]\nname = "Réseau partenaire"\n\n'
                    + "\n".join(line.replace("[[", "[[vocabulary.") if line.startswith("[[") else line
                                for line in ("[vocabulary]\n" + PARTNER).splitlines()), encoding="utf-8")
    assert load_network(path).vocabulary == partner


def test_a_places_file_is_read_in_its_network_vocabulary(partner):
    data = ("nom,ville,type,statut\nA,Rennes,Fablab,actif\nB,Brest,espace de coworking,à venir\n"
            "C,Paris,Cantine,Ouvert\n").encode()
    df, meta = load_places(data, vocab=partner)  # « statut » holds statuses of this vocabulary
    findings = meta.findings
    # « Cantine » is not theirs: declared types win, the rest is a category derived from the file.
    assert list(df["type"]) == ["fablab", "coworking", "cantine"]
    read = meta.vocabulary
    assert read.type_ids == ("fablab", "coworking", "autre_lieu", "cantine")
    assert read.default_types == ("fablab", "coworking", "cantine")
    # « Ouvert » means open: this network's open status takes it.
    assert list(df["status"]) == ["actif", "a_venir", "actif"]
    assert [f.message for f in findings] == [
        "Catégories tirées de la colonne « type » : Cantine (1) ; déclarées par le réseau : Fablab, Coworking, "
        "Autre lieu. Couleurs et formes : par fréquence, lisibles sans distinguer les couleurs."]
    c = computed(df, read)
    assert c.by_type == {"fablab": 1, "coworking": 1, "autre_lieu": 0, "cantine": 1}
    assert c.by_status == {"actif": 2, "a_venir": 1, "ferme": 0, "": 0}


def test_the_view_and_the_tour_speak_the_vocabulary(partner):
    view = views.from_query({"type": "coworking,FABLAB", "status": "Fermé"}, partner)
    assert view.types == ("coworking", "fablab") and view.statuses == ("ferme",)
    assert views.describe(view, 3, partner) == "3 lieux : fablabs et coworkings, fermés, toutes régions."
    assert views.from_query({}, partner).types == ("fablab", "coworking")
    assert views.to_query(views.default_view(partner), partner) == {}
    import pandas as pd

    df = pd.DataFrame({"id": list("abcd"), "type": ["autre_lieu", "coworking", "fablab", "fablab"],
                       "status": ["actif", "actif", "a_venir", "actif"], "opened": pd.array([None] * 4, "Int64"),
                       "lat": [48.0] * 4, "lon": [-1.0] * 4})
    assert tour_order(df, partner) == ["d", "b", "a", "c"]  # open by type order, then the project


def test_a_mapping_is_checked_against_the_vocabulary(partner):
    mapping = parse_mapping('[types]\n"Tiers-lieu" = "coworking"\n[defaults]\nstatus = "en activité"',
                            vocab=partner)
    assert mapping.types == {"Tiers-lieu": "coworking"} and mapping.defaults == {"status": "actif"}
    with pytest.raises(DataFileError, match="type inconnu, attendu : fablab, coworking, autre_lieu"):
        parse_mapping('[types]\n"x" = "cantine"', vocab=partner)


def test_the_neutral_vocabulary_shows_every_type():
    neutral = neutral_vocabulary()
    assert neutral.default_types == neutral.type_ids
    assert set(neutral.default_types) > set(load_network().vocabulary.default_types)
