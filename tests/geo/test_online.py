"""Online geocoders through geopy, with no network: geopy's calls are replaced."""

import logging
from types import SimpleNamespace

import geopy.exc
import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import BANFrance, Nominatim
from geopy.location import Location

from reseau_map.core.errors import GeocodingError
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


GEOPY_ERRORS = [
    geopy.exc.GeocoderTimedOut, geopy.exc.GeocoderUnavailable, geopy.exc.GeocoderRateLimited,
    geopy.exc.GeocoderServiceError, geopy.exc.GeocoderQuotaExceeded, geopy.exc.GeocoderAuthenticationFailure,
    geopy.exc.GeocoderInsufficientPrivileges, geopy.exc.GeocoderParseError, geopy.exc.GeocoderQueryError,
    geopy.exc.GeocoderNotFound, geopy.exc.ConfigurationError,
]


@pytest.mark.parametrize("error", GEOPY_ERRORS)
def test_every_geopy_error_becomes_a_geocoding_error(monkeypatch, no_sleep, error) -> None:
    def fail(self, query, **kwargs):
        raise error("boom")

    monkeypatch.setattr(BANFrance, "geocode", fail)
    with pytest.raises(GeocodingError, match=f"« ban » a échoué pour « Rennes » \\({error.__name__} : boom\\)"):
        online_geocoder("ban")("Rennes")


NOMINATIM_RAW = {"place_rank": 16, "address": {"state": "Bretagne", "country_code": "fr"}}


@pytest.mark.parametrize(("lat", "lon", "raw", "detail"), [
    (float("nan"), -1.68, NOMINATIM_RAW, "latitude « nan » n'est pas un nombre"),
    (148.1, -1.68, NOMINATIM_RAW, r"latitude 148.1 hors de \[-90, 90\]"),
    (48.11, -181.0, NOMINATIM_RAW, r"longitude -181.0 hors de \[-180, 180\]"),
    (48.11, float("inf"), NOMINATIM_RAW, "longitude « inf » n'est pas un nombre"),
    ("48.11", -1.68, NOMINATIM_RAW, "latitude « 48.11 » n'est pas un nombre"),
    (True, -1.68, NOMINATIM_RAW, "latitude « True » n'est pas un nombre"),
    (48.11, -1.68, ["not", "a", "mapping"], "réponse brute de type list"),
    (48.11, -1.68, {"address": "Rennes"}, "« address » de type str"),
    (48.11, -1.68, {"place_rank": "rue"}, "invalid literal"),
])
def test_malformed_answers_are_refused(monkeypatch, no_sleep, lat, lon, raw, detail) -> None:
    # A namespace, not geopy's Location: Location's Point would refuse these values itself.
    answer = SimpleNamespace(latitude=lat, longitude=lon, raw=raw)
    monkeypatch.setattr(Nominatim, "geocode", lambda self, query, **kw: answer)
    with pytest.raises(GeocodingError, match=f"« nominatim » : réponse invalide du service pour « Rennes » .*{detail}"):
        online_geocoder("nominatim")("Rennes")


def test_malformed_ban_properties_are_refused(monkeypatch, no_sleep) -> None:
    monkeypatch.setattr(BANFrance, "geocode",
                        lambda self, q, **kw: SimpleNamespace(latitude=48.1, longitude=-1.6, raw={"properties": [1]}))
    with pytest.raises(GeocodingError, match="réponse invalide du service .*« properties » de type list"):
        online_geocoder("ban")("Rennes")


@pytest.mark.parametrize("error", [KeyError("lat"), TypeError("'NoneType' object is not subscriptable"),
                                   ValueError("Latitude must be in the [-90; 90] range."),
                                   AttributeError("'list' object has no attribute 'get'")])
def test_exceptions_from_a_malformed_answer_are_translated(monkeypatch, no_sleep, error) -> None:
    def parse_fails(self, query, **kwargs):
        raise error

    monkeypatch.setattr(Nominatim, "geocode", parse_fails)
    with pytest.raises(GeocodingError, match=f"réponse invalide du service pour « Rennes » \\({type(error).__name__}"):
        online_geocoder("nominatim")("Rennes")


def test_geopy_logs_stay_out_of_the_terminal(monkeypatch, no_sleep, caplog) -> None:
    monkeypatch.setattr(Nominatim, "geocode",
                        lambda self, q, **kw: (_ for _ in ()).throw(geopy.exc.GeocoderUnavailable("down")))
    geocode = online_geocoder("nominatim")
    with caplog.at_level(logging.DEBUG), pytest.raises(GeocodingError):
        geocode("Rennes")  # RateLimiter logs its retry on the "geopy" logger
    assert [r for r in caplog.records if r.name.startswith("geopy")] == []
    assert logging.getLogger("geopy").propagate is False
