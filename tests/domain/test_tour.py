"""The presentation tour: order, timeline, looping steps, timer."""

import pandas as pd
import pytest

from reseau_map.domain.tour import TOMORROW, at_year, slides, timeline, tour_order


@pytest.fixture
def df():
    return pd.DataFrame({
        "id": ["paris", "rennes", "labo", "brest", "nowhere", "comptoir"],
        "name": ["La Cantine", "Rennes", "Labo", "Brest", "Sans ville", "Comptoir"],
        "type": ["cantine", "cantine", "lieu_associe", "cantine", "cantine", "autre"],
        "status": ["ouvert", "ouvert", "ouvert", "en_projet", "ouvert", ""],
        "opened": pd.array([None, 2010, None, None, None, None], dtype="Int64"),
        "lat": [48.85, 48.11, 48.86, 48.39, None, 45.43],
        "lon": [2.35, -1.67, 2.34, -4.49, None, 4.39],
    })


def test_tour_order_cantines_by_year_then_associated_then_projects(df):
    assert tour_order(df) == ["rennes", "paris", "labo", "brest", "comptoir"]


def test_timeline_grows_to_tomorrow(df):
    steps = timeline(df, 2012)
    assert [s.label for s in steps] == ["2010", "2012", TOMORROW]
    assert steps[0].visible == ("rennes",)
    # Open places with no known year were open by the launch (the source says « déjà ouverts »).
    assert set(steps[1].visible) == {"paris", "rennes", "labo"}
    assert set(steps[2].visible) == {"paris", "rennes", "labo", "brest", "comptoir"}


def test_slides_put_the_timeline_first(df):
    show = slides(df, 2012)
    assert [s.kind for s in show] == ["timeline"] * 3 + ["place"] * 5
    assert show[3].place_id == "rennes" and show[3].label == "Rennes"
    assert [s.kind for s in slides(df, 2012, with_timeline=False)] == ["place"] * 5


def test_at_year(df):
    assert list(at_year(df, df, 2012, "2010")["id"]) == ["rennes"]
    assert at_year(df, df, 2012, TOMORROW) is df
