"""The View: selection, French description, URL round-trip of the whole screen."""

from dataclasses import replace
from urllib.parse import parse_qs

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseau_map.domain import view as views
from reseau_map.domain.view import QUERY_KEYS, apply, default_view
from reseau_map.files.network import load_network

# The packaged network's vocabulary: cantines and associated places shown by default, « autre » on demand.
VOCAB = load_network().vocabulary
DEFAULT_TYPES = VOCAB.default_types


def View(**fields) -> views.View:  # noqa: N802 — reads like the value it builds
    """A view of the packaged network: its defaults, then these fields."""
    return replace(default_view(VOCAB), **fields)


def describe(view, count, year=""):
    return views.describe(view, count, VOCAB, year)


def from_query(params, years=None, vocab=VOCAB):
    return views.from_query(params, vocab, years)


def to_query(view, vocab=VOCAB):
    return views.to_query(view, vocab)


def link(view):
    return views.link(view, VOCAB)


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
    (View(), ["a", "b", "c"]),  # `autre` off by default
    (View(types=("cantine", "lieu_associe", "autre")), ["a", "b", "c", "d"]),
    (View(regions=("Bretagne",)), ["a", "c"]),
    (View(statuses=("en_projet",)), ["c"]),
    (View(types=("autre",), statuses=("non_renseigne",)), ["d"]),
    (View(q="EDITION"), ["b"]),
    (View(q="saint etienne", types=("autre",)), ["d"]),
    (View(q="brest"), ["c"]),
    (View(types=()), []),
])
def test_apply(df, filters, expected):
    assert list(apply(df, filters)["id"]) == expected


@pytest.mark.parametrize("filters, count, sentence", [
    (View(), 13, "13 lieux : cantines et lieux associés, tous statuts, toutes régions."),
    (View(statuses=("ouvert", "en_projet")), 13,
     "13 lieux : cantines et lieux associés, ouverts ou en projet, toutes régions."),
    (View(types=("cantine",), regions=("Bretagne",), statuses=("en_projet",)), 1,
     "1 lieu : cantines, en projet, Bretagne."),
    (View(types=("cantine", "lieu_associe", "autre"), regions=("Bretagne", "Corse")), 2,
     "2 lieux : tous types, tous statuts, Bretagne et Corse."),
    (View(q="labo"), 1, "1 lieu : cantines et lieux associés, tous statuts, toutes régions, "
                           "contenant « labo »."),
])
def test_describe(filters, count, sentence):
    assert describe(filters, count) == sentence


@pytest.mark.parametrize("view", [
    View(),
    View(types=("cantine",), regions=("Bretagne", "Île-de-France"), statuses=("ouvert",), q="rennes",
         place="cantine-rennes"),
    View(year="2010", choro=True, near="Saint-Étienne", center=(48.11, -1.68), zoom=9.5),
    View(mode="presentation", regions=("Corse",)),
])
def test_url_round_trip(view):
    assert from_query(to_query(view)) == view


def test_defaults_stay_out_of_the_url():
    assert to_query(View()) == {}
    assert from_query({}) == View()
    assert DEFAULT_TYPES == ("cantine", "lieu_associe")
    every = replace(VOCAB, default_types=())  # a network that shows every type by default
    assert every.default_types == VOCAB.type_ids
    assert to_query(View(types=VOCAB.type_ids), vocab=every) == {}
    assert from_query({}, vocab=every).types == VOCAB.type_ids


def test_url_accepts_labels_commas_and_old_region_names():
    f = from_query({"type": ["Lieu associé,cantine"], "region": ["bretagne", "Aquitaine"],
                    "status": "en projet"})
    assert f.types == ("lieu_associe", "cantine")
    assert f.regions == ("Bretagne", "Nouvelle-Aquitaine")
    assert f.statuses == ("en_projet",)
    assert f.notices == ()


@pytest.mark.parametrize("params, field, kept, bad", [
    ({"type": ["bar"]}, "types", DEFAULT_TYPES, "type=bar"),  # nothing valid: the default view
    ({"region": ["Atlantide"]}, "regions", (), "region=Atlantide"),
    ({"status": ["ouvert", "fermé"]}, "statuses", ("ouvert",), "status=fermé"),
    ({"year": "1850"}, "year", "", "year=1850"),
    ({"choro": "oui"}, "choro", False, "choro=oui"),
    ({"center": "48.1"}, "center", None, "center=48.1"),
    ({"center": "nan,inf"}, "center", None, "center=nan,inf"),
    ({"zoom": "99"}, "zoom", None, "zoom=99"),
    ({"mode": "diaporama"}, "mode", "", "mode=diaporama"),
])
def test_invalid_url_values_are_ignored_with_a_notice(params, field, kept, bad):
    view = from_query(params, years=["2010", "2012", "demain"])
    assert getattr(view, field) == kept
    assert len(view.notices) == 1 and bad in view.notices[0] and view.notices[0].startswith("Paramètre")


def test_thousands_of_bad_values_make_one_notice():
    view = from_query({"type": ["bar"] * 20_000 + [f"x{i}" for i in range(10)]})
    assert len(view.notices) == 1
    assert "« type=bar »" in view.notices[0] and "et 8 autres" in view.notices[0]


def test_link_is_url_encoded():
    url = link(View(regions=("Pays de la Loire",), place="cantine-nantes"))
    assert url == "?region=Pays+de+la+Loire&place=cantine-nantes"
    assert from_query(parse_qs(url[1:])) == View(regions=("Pays de la Loire",), place="cantine-nantes")


def test_describe_with_a_year():
    assert describe(View(), 1, "2010").endswith("toutes régions, en 2010.")


def test_describe_groups_thousands_the_french_way():
    assert describe(View(), 45035).startswith("45\u202f035 lieux :")


@given(st.dictionaries(st.sampled_from([*QUERY_KEYS, "autre", ""]),
                       st.one_of(st.text(max_size=80), st.lists(st.text(max_size=40), max_size=6)), max_size=8))
@settings(max_examples=300, deadline=None)
def test_any_url_gives_a_view_and_never_raises(params):
    view = from_query(params, years=["2010", "2012", "demain"])
    assert from_query(to_query(view)) == view  # what the page writes back reads the same
    assert all(isinstance(n, str) and n.startswith("Paramètre") for n in view.notices)


# Issue 22, item 20: the search costs what a filter costs — a folded index, queries remembered.
def test_the_search_index_finds_what_the_plain_search_finds():
    from reseau_map.domain.view import SearchIndex, apply, default_view
    from reseau_map.files.vocabulary import neutral_vocabulary

    vocab = neutral_vocabulary()
    df = pd.DataFrame({"id": list("abcd"), "name": ["Cantine de Rennes", "L'Ébénisterie", "Fablab", "Atelier"],
                       "city": ["Rennes", "Brest", "Saint-Étienne", "Lyon"],
                       "description": ["", "bois et métal", "", "ancien ATELIER de tissage"],
                       "type": ["cantine"] * 4, "status": ["ouvert"] * 4, "region": [""] * 4})
    index = SearchIndex(df)
    for q in ("rennes", "ÉBÉNISTERIE", "saint etienne", "metal", "atelier", "zz", "e"):
        view = replace(default_view(vocab), q=q)
        assert apply(df, view, index=index).index.tolist() == apply(df, view).index.tolist(), q
    first = index.matches("atelier")
    assert index.matches("ATELIER") is first  # the same folded query: remembered, not searched again
    assert not first.flags.writeable
    other = df.iloc[:2]
    assert not index.fits(other)  # other rows: the plain search, never a wrong mask
    assert apply(other, replace(default_view(vocab), q="brest"), index=index)["id"].tolist() == ["b"]
