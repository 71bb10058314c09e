"""Geocoding chain: typed coordinates, cache, fake online geocoder, offline gazetteer."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reseau_map.core.errors import GeocodingError
from reseau_map.core.findings import SILENT, UNPLACED, Finding
from reseau_map.geo.gazetteer import load_gazetteer
from reseau_map.geo.geocache import GeoCache, GeocodeResult
from reseau_map.geo.geocode import ONLINE_MAX_FAILURES, geocode_places, query_for

FIXTURES = Path(__file__).parent.parent / "fixtures"
STREET = "12 rue de la Paix, Rennes"
STREET_RESULT = GeocodeResult(48.1105, -1.6800, "adresse", "Bretagne", "nominatim")


class FakeGeocoder:
    """A dict-backed online geocoder that counts its calls and may fail."""

    def __init__(self, answers=None, fail: bool = False) -> None:
        self.answers, self.fail, self.calls = dict(answers or {}), fail, []

    def __call__(self, query: str) -> GeocodeResult | None:
        self.calls.append(query)
        if self.fail:
            raise GeocodingError("Le géocodeur en ligne « faux » a échoué (délai dépassé).")
        return self.answers.get(query)


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture
def places() -> pd.DataFrame:
    """The tiny fixture file, read as the data contract says: strings, NaN coordinates."""
    df = pd.read_csv(FIXTURES / "geo_places.csv", dtype=str, keep_default_na=False)
    for column in ("lat", "lon"):
        df[column] = pd.to_numeric(df[column].replace("", np.nan))
    return df


def by_id(df: pd.DataFrame, place_id: str) -> pd.Series:
    return df.set_index("id").loc[place_id]


@pytest.mark.parametrize(
    ("row", "query"),
    [
        ({"address": "12 rue de la Paix", "city": "Rennes"}, "12 rue de la Paix, Rennes"),
        ({"address": "", "city": " Rennes "}, "Rennes"),
        ({"address": "12 rue de la Paix", "city": ""}, "12 rue de la Paix"),
        ({"address": float("nan"), "city": "Paris"}, "Paris"),
        ({"address": pd.NA, "city": pd.NA}, None),
        ({}, None),
    ],
)
def test_query_for(row, query) -> None:
    assert query_for(row) == query


def test_typed_coordinates_win_and_never_call_the_geocoder(places, gazetteer) -> None:
    fake = FakeGeocoder({"Cesson-Sévigné": STREET_RESULT})
    out, _ = geocode_places(places, gazetteer, online=fake)
    typed = by_id(out, "typed")
    assert (typed.lat, typed.lon) == (48.1147, -1.6794)
    assert typed.precision == "adresse"  # empty precision means the coordinates were typed
    assert typed.region == ""  # the region of a point is the catalogue's to decide (by outlines)
    assert "Cesson-Sévigné" not in fake.calls and len(fake.calls) == 3
    assert places.loc[0, "region"] == ""  # the input frame is left untouched


def test_typed_precision_and_region_are_kept(places, gazetteer) -> None:
    places.loc[0, ["precision", "region"]] = ["ville", "Normandie"]
    out, _ = geocode_places(places, gazetteer)
    assert (out.loc[0, "precision"], out.loc[0, "region"]) == ("ville", "Normandie")


def test_offline_chain_and_unplaced_rows(places, gazetteer) -> None:
    out, unplaced = geocode_places(places, gazetteer)
    paris = by_id(out, "paris")
    assert math.isclose(paris.lat, 48.85, abs_tol=0.05)
    assert (paris.precision, paris.region) == ("ville", "Île-de-France")
    street = by_id(out, "rennes-adresse")  # offline, an address only locates its city
    assert (street.precision, street.region) == ("ville", "Bretagne")
    assert [u.kind for u in unplaced] == [UNPLACED, SILENT]
    typo, nowhere = unplaced
    assert typo == Finding(5, "city", "Rennnes", typo.reason, UNPLACED, "Cantine mal orthographiée")
    assert typo.reason.startswith("commune « Rennnes » introuvable hors ligne ; vouliez-vous dire")
    assert "Rennes" in typo.reason
    assert (nowhere.row, nowhere.reason) == (6, "ni adresse ni ville renseignée")
    assert math.isnan(by_id(out, "faute").lat)


def test_row_number_comes_from_a_row_column(places, gazetteer) -> None:
    places["_row"] = [10, 11, 12, 13, 14]
    _, unplaced = geocode_places(places, gazetteer)
    assert [u.row for u in unplaced] == [13, 14]


def test_online_result_is_used_then_cached(places, gazetteer, tmp_path) -> None:
    path = tmp_path / "geocache.csv"
    fake = FakeGeocoder({STREET: STREET_RESULT})
    out, _ = geocode_places(places, gazetteer, GeoCache.load(path), online=fake)
    assert STREET in fake.calls
    street = by_id(out, "rennes-adresse")
    assert (street.lat, street.lon, street.precision) == (48.1105, -1.68, "adresse")

    cache = GeoCache.load(path)  # nothing saved yet: geocode_places never writes files
    assert len(cache) == 0
    cache = GeoCache.load(path)
    geocode_places(places, gazetteer, cache, online=fake)
    cache.save()
    again = FakeGeocoder({STREET: STREET_RESULT})
    out, _ = geocode_places(places, gazetteer, GeoCache.load(path), online=again)
    assert STREET not in again.calls  # the second run is served by the cache
    assert by_id(out, "rennes-adresse").precision == "adresse"


def test_city_only_answer_is_city_precision(places, gazetteer) -> None:
    # A service may answer a bare city name with a street-level point: it still locates a city.
    fake = FakeGeocoder({"Paris": GeocodeResult(48.86, 2.35, "adresse", None, "ban")})
    out, _ = geocode_places(places, gazetteer, online=fake)
    paris = by_id(out, "paris")
    assert (paris.lat, paris.precision) == (48.86, "ville")


def test_online_failure_falls_back_to_gazetteer(places, gazetteer) -> None:
    fake = FakeGeocoder(fail=True)
    out, unplaced = geocode_places(places, gazetteer, online=fake)
    assert STREET in fake.calls
    street = by_id(out, "rennes-adresse")
    assert (street.precision, street.region) == ("ville", "Bretagne")
    assert math.isclose(street.lat, 48.11, abs_tol=0.05)
    typo = next(u for u in unplaced if u.value == "Rennnes")
    assert "a échoué" in typo.reason and "introuvable hors ligne" in typo.reason


def test_a_failing_service_is_abandoned_after_a_few_tries(gazetteer) -> None:
    # Without internet each call waits for a timeout: 1,000 rows must not wait 1,000 times.
    df = pd.DataFrame({"id": [f"p{i}" for i in range(8)], "name": "x", "address": "",
                       "city": ["Paris", "Rennes", "Nantes", "Lyon"] * 2, "region": "",
                       "precision": "", "lat": np.nan, "lon": np.nan})
    fake = FakeGeocoder(fail=True)
    out, unplaced = geocode_places(df, gazetteer, online=fake)
    assert len(fake.calls) == ONLINE_MAX_FAILURES
    assert unplaced == [] and out["lat"].notna().all()


def test_each_unknown_city_is_explained_once(places, gazetteer, monkeypatch) -> None:
    calls = []
    real = gazetteer.suggest
    monkeypatch.setattr(gazetteer, "suggest", lambda name, n=5: calls.append(name) or real(name))
    doubled = pd.concat([places, places], ignore_index=True)
    _, unplaced = geocode_places(doubled, gazetteer)
    assert [u.row for u in unplaced] == [5, 6, 10, 11]
    assert calls == ["Rennnes"]


def test_duplicated_index_is_filled_row_by_row(places, gazetteer) -> None:
    places.index = [7] * len(places)
    out, unplaced = geocode_places(places, gazetteer)
    assert out["region"].tolist()[1:3] == ["Île-de-France", "Bretagne"]
    assert [u.row for u in unplaced] == [9, 9]


def test_progress_seam_sees_only_rows_needing_work(places, gazetteer) -> None:
    seen = []

    def progress(rows):
        seen.extend(rows)
        return seen

    geocode_places(places, gazetteer, progress=progress)
    assert len(seen) == 4  # every row but the one with typed coordinates


def test_typed_coordinates_on_ten_thousand_rows(gazetteer) -> None:
    # Speed is measured by `python -m reseau_map bench`, never asserted in tests.
    n = 10_000
    rng = np.random.default_rng(0)
    df = pd.DataFrame({c: [""] * n for c in ("id", "name", "city", "address", "region",
                                              "precision")})
    df["lat"] = rng.uniform(43.0, 50.0, n)
    df["lon"] = rng.uniform(-1.0, 7.0, n)
    fake = FakeGeocoder()
    out, unplaced = geocode_places(df, gazetteer, online=fake)
    assert unplaced == [] and fake.calls == []
    assert (out["precision"] == "adresse").all()
    assert out["lat"].notna().all()
