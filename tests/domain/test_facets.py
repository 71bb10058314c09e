"""The partner's own columns: facets in the view and the URL, private columns, cards and exports."""

import csv
import io
import json
from pathlib import Path

import pytest

from reseau_map.domain import view as views
from reseau_map.domain.catalogue import build_catalogue
from reseau_map.domain.tables import place_details, places_table
from reseau_map.files import export
from reseau_map.files.mapping import parse_mapping
from reseau_map.files.privacy import private_by_name

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vocabulary"


@pytest.fixture(scope="module")
def six():
    return build_catalogue((FIXTURES / "six_categories.csv").read_bytes(), filename="six_categories.csv")


def test_the_public_column_is_a_facet_and_the_mail_a_private_column(six):
    assert six.fields.private == ("Courriel",)
    assert six.fields.public == ("Public", "Horaires", "Accueil", "Téléphone")
    assert six.fields.hours == ("Horaires",)
    [facet] = six.fields.facets
    assert facet.key == "f.public" and facet.labels == {"jeunes": "Jeunes", "seniors": "Seniors",
                                                        "tous publics": "Tous publics"}
    assert facet.choice("jeunes") == "Jeunes (6)"


def test_a_facet_in_the_url_selects_its_rows_and_round_trips(six):
    vocab, facets = six.vocabulary, six.fields.facets
    view = views.from_query({"f.public": "JEUNES", "status": "ouvert,en_projet,ferme"}, vocab, facets=facets)
    assert view.facets == (("public", ("jeunes",)),) and not view.notices
    shown = views.apply(six.places, view, facets)
    assert set(shown["id"]) == set(six.places.loc[six.places["Public"] == "Jeunes", "id"])
    assert views.to_query(view, vocab)["f.public"] == ["jeunes"]
    assert views.from_query(views.to_query(view, vocab), vocab, facets=facets) == view
    assert "Public : Jeunes" in views.describe(view, len(shown), vocab, facets=facets)


def test_a_bad_facet_is_a_notice_not_a_crash(six):
    view = views.from_query({"f.public": "Martiens", "f.inconnue": "x"}, six.vocabulary, facets=six.fields.facets)
    assert view.facets == ()
    assert len(view.notices) == 2 and any("f.public=Martiens" in n for n in view.notices)


def test_type_in_the_url_by_label_or_id_folded(six):
    vocab = six.vocabulary
    for value in ("Fablab", "fablab", "FABLABS", "tiers lieu"):
        assert views.from_query({"type": value}, vocab).types[0] in ("fablab", "tiers_lieu")
    shown = views.apply(six.places, views.from_query({"type": "Fablab"}, vocab))
    assert set(shown["type"]) == {"fablab"} and len(shown) == 4  # the closed one is hidden by default


def test_closed_places_are_hidden_by_default(six):
    vocab = six.vocabulary
    default = views.apply(six.places, views.default_view(vocab))
    closed = six.places[six.places["status"].isin(vocab.with_meaning("closed"))]
    assert len(closed) == 4 and not set(closed["id"]) & set(default["id"])
    every = views.from_query({"status": ",".join(vocab.status_choices)}, vocab)
    assert set(closed["id"]) <= set(views.apply(six.places, every)["id"])
    assert views.describe(views.default_view(vocab), len(default), vocab) == (
        "14 lieux : tous types, hors lieux fermés, toutes régions.")


def test_the_search_reads_every_public_text_column(six):
    vocab = six.vocabulary
    found = views.apply(six.places, views.from_query({"q": "rendez-vous"}, vocab))  # in « Accueil »
    assert found["id"].tolist() == ["tl-rennes"]
    assert views.apply(six.places, views.from_query({"q": "fablab-nord"}, vocab)).empty  # an e-mail: private


def test_the_card_shows_the_partner_columns_under_their_headers(six):
    row = six.places[six.places["id"] == "fab-brest"].iloc[0]
    pairs = dict(place_details(row, six.vocabulary, six.fields))
    assert pairs["Type"] == "Fablab" and pairs["Public"] == "Tous publics"
    assert pairs["Horaires"].replace("\u00a0", " ") == (
        "Lundi : fermé · Du mardi au samedi : 10 h – 12 h et 14 h – 19 h · Dimanche : fermé")
    assert "Courriel" not in pairs
    free = dict(place_details(six.places[six.places["id"] == "cow-bordeaux"].iloc[0], six.vocabulary, six.fields))
    assert free["Accueil"] == "Du lundi au vendredi, de 9 h à 18 h"  # free text as written


def test_exports_say_the_category_as_written_and_our_id_never_the_mails(six):
    shown = views.apply(six.places, views.default_view(six.vocabulary))
    text = export.to_csv(shown, six.vocabulary, six.fields.public).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["type"], r["type_id"]) for r in rows} >= {("Fablab", "fablab"), ("Tiers-lieu", "tiers_lieu")}
    assert "Public" in rows[0] and "Courriel" not in rows[0] and "@" not in text
    geo = json.loads(export.to_geojson(shown, six.vocabulary, six.fields.public))
    assert {f["properties"]["type"] for f in geo["features"]} >= {"Espace public numérique"}
    assert "Courriel" not in geo["features"][0]["properties"]


def test_multi_valued_cells_count_and_filter_in_each_category():
    cat = build_catalogue((FIXTURES / "multi_categories.csv").read_bytes())
    coworking = views.apply(cat.places, views.from_query({"type": "Coworking"}, cat.vocabulary))
    assert coworking["name"].tolist() == ["La Fabrique", "La Cantine", "La Grange"]
    assert places_table(coworking, cat.vocabulary)["Type"].tolist()[0] == "Coworking, Fablab"
    jeunes = views.apply(cat.places, views.from_query({"f.public": "jeunes"}, cat.vocabulary,
                                                      facets=cat.fields.facets), cat.fields.facets)
    assert jeunes["name"].tolist() == ["La Fabrique", "Le Hangar", "Le Labo"]  # « Jeunes, Seniors » too


@pytest.mark.parametrize("header, private", [
    ("Courriel", True), ("E-mail", True), ("mail_contact", True), ("Nom du référent", True),
    ("Téléphone portable", True), ("Téléphone", False), ("Public", False), ("Horaires", False),
])
def test_private_by_name(header, private):
    assert private_by_name(header) is private


def test_a_mapping_marks_more_columns_private():
    mapping = parse_mapping('[private]\ncolumns = ["Téléphone"]')
    cat = build_catalogue((FIXTURES / "six_categories.csv").read_bytes(), mapping=mapping)
    assert cat.fields.private == ("Courriel", "Téléphone")
    assert "Téléphone" not in dict(place_details(cat.places.iloc[0], cat.vocabulary, cat.fields))
