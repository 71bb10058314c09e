"""Online geocoders through geopy, with no network: geopy's calls are replaced."""

import geopy.exc
import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import BANFrance, Nominatim
from geopy.location import Location

from reseau_map.errors import GeocodingError
from reseau_map.geo.geocache import GeocodeResult
from reseau_map.geo.online import ERROR_WAIT_SECONDS, USER_AGENT, UnknownGeocoder, online_geocoder
from reseau_map.geo.regions import ABROAD

STREET = "12 rue de la Paix, Rennes"


@pytest.fixture
def no_sleep(monkeypatch) -> list[float]:
    """geopy's RateLimiter on a virtual clock: sleeping moves the clock, no real wait."""
    now = [0.0]
    monkeypatch.setattr(RateLimiter, "_clock", lambda self: now[0])
    monkeypatch.setattr(RateLimiter, "_sleep", lambda self, s: now.__setitem__(0, now[0] + s))
    return now


def test_online_geocoder_translates_geopy_errors(monkeypatch, no_sleep) -> None:
    calls = []

    def timed_out(self, query, **kwargs):
        calls.append(self.headers["User-Agent"])
        raise geopy.exc.GeocoderTimedOut("Service timed out")

    monkeypatch.setattr(Nominatim, "geocode", timed_out)
    geocode = online_geocoder("nominatim")
    with pytest.raises(GeocodingError, match="« nominatim » a échoué pour « Rennes »") as caught:
        geocode("Rennes")
    assert isinstance(caught.value.__cause__, geopy.exc.GeocoderTimedOut)
    assert calls == [USER_AGENT, USER_AGENT]  # one retry, with our User-Agent
    assert no_sleep == [ERROR_WAIT_SECONDS]


def test_online_geocoder_reads_nominatim_answers(monkeypatch, no_sleep) -> None:
    raw = {"place_rank": 30, "address": {"state": "Bretagne", "country_code": "fr"}}
    monkeypatch.setattr(
        Nominatim, "geocode", lambda self, query, **kw: Location(query, (48.11, -1.68), raw)
    )
    geocode = online_geocoder("nominatim")
    assert geocode(STREET) == GeocodeResult(48.11, -1.68, "adresse", "Bretagne", "nominatim")
    assert geocode("Rennes").precision == "ville"  # no street in the query
    assert no_sleep == [1.0]  # Nominatim's policy: at most one request a second


def test_online_geocoder_reads_ban_answers(monkeypatch, no_sleep) -> None:
    urls = []

    def answer(self, query, **kwargs):
        urls.append(self.geocode_api)
        props = {"type": "municipality", "context": "35, Ille-et-Vilaine, Bretagne"}
        return Location(query, (48.11, -1.68), {"properties": props})

    monkeypatch.setattr(BANFrance, "geocode", answer)
    result = online_geocoder("ban")(STREET)
    assert result == GeocodeResult(48.11, -1.68, "ville", "Bretagne", "ban")
    assert urls == ["https://data.geopf.fr/geocodage/search"]


def test_online_geocoder_abroad_and_unknown_names(monkeypatch, no_sleep) -> None:
    raw = {"place_rank": 16, "address": {"state": "California", "country_code": "us"}}
    monkeypatch.setattr(
        Nominatim, "geocode", lambda self, q, **kw: Location(q, (37.44, -122.14), raw)
    )
    assert online_geocoder("nominatim")("Palo Alto").region == ABROAD
    with pytest.raises(UnknownGeocoder, match="inconnu"):
        online_geocoder("google")
