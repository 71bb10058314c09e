"""The catalogue: read, locate (communes first), and decide each point's region by the outlines."""

import pandas as pd

from reseau_map.core.findings import DOUBTFUL, UNPLACED
from reseau_map.core.settings import DATA_DIR
from reseau_map.domain.catalogue import build_catalogue, cache_path, settle_regions
from reseau_map.files.places import DEFAULT_PLACES

HEADER = "id,name,type,status,city,postcode,region,lat,lon\n"


def catalogue(rows: str):
    return build_catalogue((HEADER + rows).encode("utf-8"))


def test_homonyms_are_told_apart_by_postcode_and_the_doubt_is_said():
    cat = catalogue("a,Cantine A,cantine,ouvert,Cesson,35510,,,\n"
                    "b,Cantine B,cantine,ouvert,Cesson,77240,,,\n"
                    "c,Cantine C,cantine,ouvert,Saint-Denis,,,,\n")
    regions = dict(zip(cat.places["id"], cat.places["region"], strict=True))
    assert regions["a"] == "Bretagne" and regions["b"] == "Île-de-France"
    doubts = [f for f in cat.findings if f.kind == DOUBTFUL]
    assert any(f.row == 4 and "ambiguë" in f.reason for f in doubts)  # Saint-Denis: no postcode


def test_the_point_decides_the_region_and_a_disagreeing_file_is_told():
    cat = catalogue("a,Cantine A,cantine,ouvert,Rennes,,Normandie,,\n"
                    "b,Cantine B,cantine,ouvert,,,nouvelle aquitaine,44.84,-0.58\n")
    assert list(cat.places["region"]) == ["Bretagne", "Nouvelle-Aquitaine"]
    [told] = [f for f in cat.findings if f.kind == DOUBTFUL]
    assert (told.row, told.column, told.value) == (2, "region", "Normandie")
    assert "Bretagne" in told.reason


def test_settle_regions_keeps_the_file_region_where_no_outline_holds_the_point():
    df = pd.DataFrame({"name": ["x"], "lat": [float("nan")], "lon": [float("nan")], "region": [""]})
    out, findings = settle_regions(df, pd.Series(["Aquitaine"]), "région")
    assert out["region"].tolist() == ["Nouvelle-Aquitaine"] and findings == []


def test_unknown_commune_is_listed_with_suggestions():
    cat = catalogue("a,Cantine A,cantine,ouvert,Rennnes,,,,\n")
    [unplaced] = [f for f in cat.findings if f.kind == UNPLACED]
    assert "Rennes" in unplaced.reason


def test_cache_path_is_beside_the_places_file(tmp_path):
    assert cache_path(DEFAULT_PLACES) == DATA_DIR / "geocache.csv"
    other = tmp_path / "lieux.csv"
    assert cache_path(other) == tmp_path / "lieux.csv.geocache.csv"


def test_swapped_coordinates_are_put_back_when_the_commune_agrees():
    cat = catalogue("a,Cantine A,cantine,ouvert,Paris,,,2.3522,48.8566\n"
                    "b,Cantine B,cantine,ouvert,Brest,,,2.3522,48.8566\n")  # Brest is not in Paris
    a, b = cat.places.itertuples()
    assert (a.lat, a.lon) == (48.8566, 2.3522) and a.region == "Île-de-France"
    assert (b.lat, b.lon) == (2.3522, 48.8566)  # left as typed: the commune disagrees
    [told] = [f for f in cat.findings if "inversées" in f.reason]
    assert told.row == 2 and told.kind == DOUBTFUL
