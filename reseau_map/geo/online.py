"""Online geocoders (opt-in): geopy's Nominatim and BANFrance behind our Geocoder seam."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from reseau_map.core.errors import GeocodingError, ReseauMapError
from reseau_map.core.text import place_key as normalise
from reseau_map.geo.geocache import GeocodeResult
from reseau_map.geo.regions import ABROAD, REGIONS

USER_AGENT = "reseau-des-cantines-map/0.1 (+carte du Réseau des Cantines)"
BAN_DOMAIN = "data.geopf.fr/geocodage"  # IGN Géoplateforme; geopy's default domain is retired
# Seconds between requests: Nominatim asks for 1 request/s, the Géoplateforme allows 50/s.
MIN_DELAY = {"nominatim": 1.0, "ban": 0.02}
MAX_RETRIES = 1  # RateLimiter retries timeouts and refusals once, then we fall back offline
ERROR_WAIT_SECONDS = 2.0
NOMINATIM_STREET_RANK = 26  # place_rank 26 = street, 30 = house
BAN_STREET_TYPES = ("housenumber", "street")
# A query "contains a street address" when it holds a number or a street word.
STREET_WORDS = re.compile(
    r"\b(\d+|rue|avenue|av|boulevard|bd|place|pl|chemin|allee|impasse|quai|route|cours|"
    r"passage|square|esplanade|parvis|rond point|faubourg|voie|sentier|street|road)\b"
)
FRENCH_REGION_NAMES = frozenset(REGIONS.values())
# What a malformed answer raises inside geopy or our readers (not GeopyError).
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)
# The part of `location.raw` each service must send as a mapping, when it sends it.
RAW_MAPPINGS = {"nominatim": ("address",), "ban": ("properties",)}

Geocoder = Callable[[str], GeocodeResult | None]


class UnknownGeocoder(ReseauMapError, ValueError):
    """An online geocoder name we do not know."""


def online_geocoder(
    name: str, *, user_agent: str = USER_AGENT, timeout: float = 10
) -> Geocoder:
    """A rate-limited geopy geocoder ("nominatim" or "ban") seen through our Geocoder seam."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import BANFrance, Nominatim

    # geopy logs each retry and error to the terminal, over the progress bar; we report them ourselves.
    geopy_log = logging.getLogger("geopy")
    geopy_log.propagate = False
    geopy_log.setLevel(logging.CRITICAL)

    if name == "nominatim":
        service: Any = Nominatim(user_agent=user_agent, timeout=timeout)
        options: dict[str, Any] = {"addressdetails": True}
        reader = _from_nominatim
    elif name == "ban":
        service = BANFrance(domain=BAN_DOMAIN, user_agent=user_agent, timeout=timeout)
        options, reader = {}, _from_ban
    else:
        raise UnknownGeocoder(
            f"Géocodeur en ligne « {name} » inconnu : choisissez parmi {', '.join(MIN_DELAY)}."
        )
    call = RateLimiter(
        service.geocode, min_delay_seconds=MIN_DELAY[name], max_retries=MAX_RETRIES,
        error_wait_seconds=ERROR_WAIT_SECONDS, swallow_exceptions=False,
    )

    def geocode(query: str) -> GeocodeResult | None:
        from geopy.exc import GeopyError

        try:
            location = call(query, **options)
        except GeopyError as err:
            raise GeocodingError(
                f"Le géocodeur en ligne « {name} » a échoué pour « {query} » "
                f"({type(err).__name__} : {err})."
            ) from err
        except MALFORMED as err:
            raise _invalid(name, query, f"{type(err).__name__} : {err}") from err
        if location is None:
            return None
        try:
            lat, lon, raw = _checked(name, location)
            street_level, region = reader(raw)
        except MALFORMED as err:
            raise _invalid(name, query, str(err)) from err
        precision = "adresse" if street_level and STREET_WORDS.search(normalise(query)) else "ville"
        return GeocodeResult(lat, lon, precision, region, name)

    return geocode


def _checked(name: str, location: Any) -> tuple[float, float, Mapping[str, Any]]:
    """Latitude, longitude and raw answer, once they are known to be what a service should send."""
    lat, lon, raw = location.latitude, location.longitude, location.raw
    for label, value, bound in (("latitude", lat, 90), ("longitude", lon, 180)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"{label} « {value} » n'est pas un nombre")
        if not -bound <= value <= bound:
            raise ValueError(f"{label} {value} hors de [-{bound}, {bound}]")
    raw = {} if raw is None else raw
    if not isinstance(raw, Mapping):
        raise TypeError(f"réponse brute de type {type(raw).__name__} au lieu d'un objet JSON")
    for key in RAW_MAPPINGS[name]:
        if raw.get(key) is not None and not isinstance(raw[key], Mapping):
            raise TypeError(f"« {key} » de type {type(raw[key]).__name__} au lieu d'un objet JSON")
    return float(lat), float(lon), raw


def _invalid(name: str, query: str, detail: str) -> GeocodingError:
    return GeocodingError(f"Le géocodeur en ligne « {name} » : réponse invalide du service pour « {query} » "
                          f"({detail}).")


def _from_nominatim(raw: Mapping[str, Any]) -> tuple[bool, str | None]:
    address = raw.get("address") or {}
    region = address.get("state")
    if region not in FRENCH_REGION_NAMES:
        region = ABROAD if address.get("country_code", "fr") != "fr" else None
    return int(raw.get("place_rank") or 0) >= NOMINATIM_STREET_RANK, region


def _from_ban(raw: Mapping[str, Any]) -> tuple[bool, str | None]:
    props = raw.get("properties") or {}
    # context reads "35, Ille-et-Vilaine, Bretagne": the last part is the region.
    region = str(props.get("context", "")).split(", ")[-1]
    return props.get("type") in BAN_STREET_TYPES, region if region in FRENCH_REGION_NAMES else None
