"""Synthetic places files for the benchmark."""

from reseau_map.build.synthetic import synthetic_places
from reseau_map.files.places import load_places
from reseau_map.geo.regions import REGION_NAMES

N = 200


def test_synthetic_places_are_valid_and_deterministic():
    data = synthetic_places(N, seed=7)
    assert data == synthetic_places(N, seed=7)
    assert data != synthetic_places(N, seed=8)
    df, problems = load_places(data)
    assert problems == []
    assert len(df) == N and df["id"].is_unique
    assert set(df["type"]) <= {"cantine", "lieu_associe", "autre"}
    assert set(df["status"]) <= {"ouvert", "en_projet"}
    assert set(df["region"]) <= set(REGION_NAMES) and "" not in set(df["region"])
    assert df["lat"].between(41, 52).all() and df["lon"].between(-6, 10).all()
    assert df["name"].str.contains(" n°").all()
