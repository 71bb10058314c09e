"""Online geocoders (opt-in): geopy's Nominatim and BANFrance behind our Geocoder seam."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from reseau_map.errors import GeocodingError, ReseauMapError
from reseau_map.geo.geocache import GeocodeResult
from reseau_map.geo.regions import ABROAD, REGIONS
from reseau_map.text import place_key as normalise

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

Geocoder = Callable[[str], GeocodeResult | None]


class UnknownGeocoder(ReseauMapError, ValueError):
    """An online geocoder name we do not know."""


def online_geocoder(
    name: str, *, user_agent: str = USER_AGENT, timeout: float = 10
) -> Geocoder:
    """A rate-limited geopy geocoder ("nominatim" or "ban") seen through our Geocoder seam."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import BANFrance, Nominatim

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
        if location is None:
            return None
        street_level, region = reader(location.raw or {})
        precision = "adresse" if street_level and STREET_WORDS.search(normalise(query)) else "ville"
        return GeocodeResult(location.latitude, location.longitude, precision, region, name)

    return geocode


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
