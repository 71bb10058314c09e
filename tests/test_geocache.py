"""The geocoding cache file: round trip, atomic writes, French errors for a corrupt file."""

from pathlib import Path

import pytest

from reseau_map.errors import DataFileError
from reseau_map.geo.geocache import GeoCache, GeocodeResult

FIXTURES = Path(__file__).parent / "fixtures"
STREET = "12 rue de la Paix, Rennes"
STREET_RESULT = GeocodeResult(48.1105, -1.6800, "adresse", "Bretagne", "nominatim")


def test_cache_round_trip_is_atomic(tmp_path) -> None:
    path = tmp_path / "data" / "geocache.csv"
    cache = GeoCache.load(path)
    assert cache.get("Rennes") is None
    cache.save()
    assert not path.exists()  # nothing changed, nothing written
    cache.put("Saint-Étienne", GeocodeResult(45.43389, 4.39, "ville", None, "gazetteer"))
    cache.put(STREET, STREET_RESULT)
    cache.save()
    assert [p.name for p in path.parent.iterdir()] == ["geocache.csv"]  # no temp file left
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == "query,lat,lon,precision,region,origin"

    again = GeoCache.load(path)
    assert again.get("st etienne") == GeocodeResult(45.43389, 4.39, "ville", None, "cache")
    hit = again.get("12, rue de la Paix - Rennes")  # same normalised key
    assert (hit.lat, hit.lon, hit.precision, hit.region) == (48.1105, -1.68, "adresse", "Bretagne")
    before = path.stat().st_mtime_ns
    again.put(STREET, STREET_RESULT)  # the same value again is not a change
    again.save()
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    "content",
    [
        (FIXTURES / "geo_cache_corrupt.csv").read_bytes(),  # "quarante-huit" as a latitude
        b"query,lat,lon\nrennes,48.1,-1.6\n",  # columns missing
        b"query,lat,lon,precision,region,origin\nrennes,48.1,-1.6,ville,Bretagne,\xff\n",
        b"query,lat,lon,precision,region,origin\nrennes,148.1,-1.6,ville,,gazetteer\n",
    ],
)
def test_corrupt_cache_raises_a_french_data_file_error(tmp_path, content) -> None:
    path = tmp_path / "geocache.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match="cache de géocodage .* illisible"):
        GeoCache.load(path)
