"""French names of foreign cities: every one is found offline, under its French name."""

import pytest

from reseau_map.core.errors import PlaceNotFound
from reseau_map.geo.exonyms import EXONYMS
from reseau_map.geo.gazetteer import load_gazetteer
from reseau_map.geo.nearest import find_origin


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize("french", list(EXONYMS))
def test_every_french_name_finds_its_city(gazetteer, french):
    origin = find_origin(gazetteer, french)
    assert origin.entry.name == french
    assert origin.entry.country == EXONYMS[french][1]


@pytest.mark.parametrize(("typed", "name", "country"), [
    ("geneve", "Genève", "CH"), ("BRUXELLES", "Bruxelles", "BE"), ("Londres", "Londres", "GB"),
    ("aix la chapelle", "Aix-la-Chapelle", "DE"),
])
def test_any_spelling(gazetteer, typed, name, country):
    entry = find_origin(gazetteer, typed).entry
    assert (entry.name, entry.country) == (name, country)


def test_a_french_homonym_stays_a_choice(gazetteer):
    # « Cologne » is Köln for most visitors, but also a commune of the Gers.
    origin = find_origin(gazetteer, "Cologne")
    assert origin.entry.country == "DE"
    assert any(e.country == "FR" for e in origin.homonyms)


def test_a_misspelt_french_name_is_suggested(gazetteer):
    with pytest.raises(PlaceNotFound) as err:
        find_origin(gazetteer, "Genèv")
    assert err.value.suggestions[0] == "Genève"
