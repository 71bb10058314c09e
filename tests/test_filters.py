"""Filters: selection, French description, URL round-trip."""

from urllib.parse import parse_qs

import pandas as pd
import pytest

from reseau_map.page.filters import (
    DEFAULT_STATUSES,
    DEFAULT_TYPES,
    Filters,
    apply,
    describe,
    from_query,
    link,
    to_query,
)


@pytest.fixture
def df():
    return pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "name": ["Cantine A", "Labo B", "Projet C", "Comptoir D"],
        "type": ["cantine", "lieu_associe", "cantine", "autre"],
        "status": ["ouvert", "ouvert", "en_projet", ""],
        "city": ["Rennes", "Paris", "Brest", "Saint-Étienne"],
        "region": ["Bretagne", "Île-de-France", "Bretagne", "Auvergne-Rhône-Alpes"],
        "description": ["", "édition", "", "numérique"],
    })


@pytest.mark.parametrize("filters, expected", [
    (Filters(), ["a", "b", "c"]),  # `autre` off by default
    (Filters(types=("cantine", "lieu_associe", "autre")), ["a", "b", "c", "d"]),
    (Filters(regions=("Bretagne",)), ["a", "c"]),
    (Filters(statuses=("en_projet",)), ["c"]),
    (Filters(types=("autre",), statuses=("non_renseigne",)), ["d"]),
    (Filters(q="EDITION"), ["b"]),
    (Filters(q="saint etienne", types=("autre",)), ["d"]),
    (Filters(q="brest"), ["c"]),
    (Filters(types=()), []),
])
def test_apply(df, filters, expected):
    assert list(apply(df, filters)["id"]) == expected


@pytest.mark.parametrize("filters, count, sentence", [
    (Filters(), 13, "13 lieux : cantines et lieux associés, tous statuts, toutes régions."),
    (Filters(statuses=("ouvert", "en_projet")), 13,
     "13 lieux : cantines et lieux associés, ouverts ou en projet, toutes régions."),
    (Filters(types=("cantine",), regions=("Bretagne",), statuses=("en_projet",)), 1,
     "1 lieu : cantines, en projet, Bretagne."),
    (Filters(types=("cantine", "lieu_associe", "autre"), regions=("Bretagne", "Corse")), 2,
     "2 lieux : tous types, tous statuts, Bretagne et Corse."),
    (Filters(q="labo"), 1, "1 lieu : cantines et lieux associés, tous statuts, toutes régions, "
                           "contenant « labo »."),
])
def test_describe(filters, count, sentence):
    assert describe(filters, count) == sentence


def test_url_round_trip():
    f = Filters(types=("cantine",), regions=("Bretagne", "Île-de-France"), statuses=("ouvert",),
                q="rennes", place="cantine-rennes")
    assert from_query(to_query(f)) == f


def test_defaults_stay_out_of_the_url():
    assert to_query(Filters()) == {}
    assert from_query({}) == Filters()


def test_url_accepts_labels_commas_and_old_region_names():
    f = from_query({"type": ["Lieu associé,cantine"], "region": ["bretagne", "Aquitaine"],
                    "status": "en projet"})
    assert f.types == ("lieu_associe", "cantine")
    assert f.regions == ("Bretagne", "Nouvelle-Aquitaine")
    assert f.statuses == ("en_projet",)
    assert f.notices == ()


def test_invalid_url_values_are_ignored_with_a_notice():
    f = from_query({"type": ["bar"], "region": ["Atlantide"], "status": ["ouvert", "fermé"]})
    assert f.types == DEFAULT_TYPES  # nothing valid left: back to the default view
    assert f.regions == ()
    assert f.statuses == ("ouvert",)
    assert len(f.notices) == 3
    assert any("region=Atlantide" in n for n in f.notices)
    assert all(n.startswith("Paramètre") for n in f.notices)
    assert DEFAULT_STATUSES  # the defaults exist and are non-empty


def test_link_is_url_encoded():
    url = link(Filters(regions=("Pays de la Loire",), place="cantine-nantes"))
    assert url == "?region=Pays+de+la+Loire&place=cantine-nantes"
    assert from_query(parse_qs(url[1:])) == Filters(regions=("Pays de la Loire",), place="cantine-nantes")


def test_describe_with_a_year():
    assert describe(Filters(), 1, "2010").endswith("toutes régions, en 2010.")


def test_describe_groups_thousands_the_french_way():
    assert describe(Filters(), 45035).startswith("45\u202f035 lieux :")
