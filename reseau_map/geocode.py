"""Geocoding chain: typed coordinates -> cache -> online geocoder (opt-in) -> gazetteer."""

from __future__ import annotations

import contextlib
import csv
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataFileError, GeocodingError, ReseauMapError
from .gazetteer import Gazetteer, normalise
from .regions import ABROAD, REGIONS

CACHE_COLUMNS = ("query", "lat", "lon", "precision", "region", "origin")
PRECISIONS = ("adresse", "ville")
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
KNOWN_REGIONS = FRENCH_REGION_NAMES | {ABROAD}
NO_QUERY = "ni adresse ni ville renseignée"
NO_CITY = "adresse sans ville : introuvable hors ligne"
ONLINE_MAX_FAILURES = 3  # failures in a row before a run stops calling the online geocoder
ONLINE_GIVEN_UP = "géocodeur en ligne abandonné après {n} échecs de suite"


@dataclass(frozen=True)
class GeocodeResult:
    """Coordinates found for a query, what they locate, the region, and where they came from."""

    lat: float
    lon: float
    precision: str  # "adresse" or "ville"
    region: str | None  # a French region name, ABROAD, or None when unknown
    origin: str  # "csv", "cache", "nominatim", "ban" or "gazetteer"


@dataclass(frozen=True)
class Unplaced:
    """A row that got no coordinates, with the French reason why."""

    row: int
    id: str
    name: str
    city: str
    reason: str


Geocoder = Callable[[str], GeocodeResult | None]


class UnknownGeocoder(ReseauMapError, ValueError):
    """An online geocoder name we do not know."""


class GeoCache:
    """Geocoding results kept in a CSV file, keyed by normalised query."""

    def __init__(self, path: Path, entries: dict[str, GeocodeResult] | None = None) -> None:
        self.path = Path(path)
        self._entries = dict(entries or {})
        self._changed = False

    @classmethod
    def load(cls, path: Path) -> GeoCache:
        """Read the cache file; a missing file is an empty cache, a corrupt one a DataFileError."""
        path = Path(path)
        if not path.exists():
            return cls(path)
        entries: dict[str, GeocodeResult] = {}
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = set(CACHE_COLUMNS) - set(reader.fieldnames or ())
                if missing:
                    raise ValueError("colonnes manquantes : " + ", ".join(sorted(missing)))
                for line, record in enumerate(reader, start=2):
                    entries[normalise(record["query"])] = _cached_result(record, line)
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as err:
            raise DataFileError(
                f"Le cache de géocodage « {path} » est illisible ({err}) : "
                "corrigez-le ou supprimez-le, il sera reconstruit."
            ) from err
        return cls(path, entries)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: str) -> GeocodeResult | None:
        """The cached result for a query (origin "cache"), or None."""
        found = self._entries.get(normalise(query))
        return replace(found, origin="cache") if found else None

    def put(self, query: str, result: GeocodeResult) -> None:
        """Remember a result; the file changes only at save()."""
        key = normalise(query)
        if key and self._entries.get(key) != result:
            self._entries[key] = result
            self._changed = True

    def save(self) -> None:
        """Write the file atomically (temp file then os.replace), only if something changed."""
        if not self._changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with open(fd, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(CACHE_COLUMNS)
                for key in sorted(self._entries):  # sorted: stable diffs when committed
                    r = self._entries[key]
                    writer.writerow((key, repr(r.lat), repr(r.lon), r.precision, r.region or "",
                                     r.origin))
            os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is ordinary project data
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._changed = False


def _cached_result(record: Mapping[str, str], line: int) -> GeocodeResult:
    try:
        lat, lon = float(record["lat"]), float(record["lon"])
    except (TypeError, ValueError):
        lat = lon = math.nan
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or record["precision"] not in PRECISIONS:
        raise ValueError(f"ligne {line} : « {record['lat']} », « {record['lon']} », "
                         f"« {record['precision']} » n'est pas un résultat valide")
    return GeocodeResult(lat, lon, record["precision"], record["region"] or None,
                         record["origin"] or "cache")


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


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def query_for(row: Mapping) -> str | None:
    """The text to geocode: "address, city" when there is an address, else the city, else None."""
    address, city = _text(row.get("address")), _text(row.get("city"))
    if address and city:
        return f"{address}, {city}"
    return address or city or None


def geocode_places(
    df: pd.DataFrame,
    gazetteer: Gazetteer,
    cache: GeoCache | None = None,
    online: Geocoder | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> tuple[pd.DataFrame, list[Unplaced]]:
    """A copy of df with lat, lon, precision and region filled, and the rows left unplaced."""
    # Typed coordinates win; other rows go cache -> online (if given) -> gazetteer.
    out = df.copy()
    for column in ("lat", "lon"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    for column in ("precision", "region"):
        if column not in out:
            out[column] = ""
    typed = out["lat"].notna() & out["lon"].notna()
    _fill_typed(out, typed, gazetteer)

    # Only rows without coordinates are looped over; progress (a tqdm seam) wraps that list
    # of (position, row) pairs.
    positions = np.flatnonzero(~typed.to_numpy())
    rows_to_do = list(zip(positions, out.iloc[positions].to_dict("records"), strict=True))
    chain = _Chain(gazetteer, cache, online)
    found: dict[int, GeocodeResult] = {}
    unplaced: list[Unplaced] = []
    for position, record in progress(rows_to_do) if progress else rows_to_do:
        result, reason = chain.locate(record)
        if result is not None:
            found[int(position)] = result
        else:
            unplaced.append(Unplaced(
                _row_number(record, out.index[position], position), _text(record.get("id")),
                _text(record.get("name")), _text(record.get("city")), reason,
            ))
    _fill_found(out, found)
    return out, unplaced


def _fill_typed(out: pd.DataFrame, typed: pd.Series, gazetteer: Gazetteer) -> None:
    # Vectorised: a big file with coordinates typed in must not pay a Python loop per row.
    precision_empty = out["precision"].fillna("").astype(str).str.strip() == ""
    out.loc[typed & precision_empty, "precision"] = "adresse"
    needs_region = typed & (out["region"].fillna("").astype(str).str.strip() == "")
    if needs_region.any():
        regions = gazetteer.nearest_regions(
            out.loc[needs_region, "lat"].to_numpy(), out.loc[needs_region, "lon"].to_numpy()
        )
        out.loc[needs_region, "region"] = np.array([r or "" for r in regions], dtype=object)


def _fill_found(out: pd.DataFrame, found: dict[int, GeocodeResult]) -> None:
    # Positions, not labels: a frame with a duplicated index must still be filled row by row.
    if not found:
        return
    rows, results = list(found), list(found.values())
    for column in ("lat", "lon", "precision"):
        out.iloc[rows, out.columns.get_loc(column)] = [getattr(r, column) for r in results]
    region_col = out.columns.get_loc("region")
    empty = [(p, r) for p, r in found.items() if not _text(out.iat[p, region_col])]
    if empty:
        out.iloc[[p for p, _ in empty], region_col] = [r.region or "" for _, r in empty]


class _Chain:
    """One run of the chain: cache, then online (until it keeps failing), then gazetteer."""

    def __init__(self, gazetteer: Gazetteer, cache: GeoCache | None, online: Geocoder | None):
        self.gazetteer, self.cache, self.online = gazetteer, cache, online
        self.failures = 0
        # Many rows share a city: look each one up (and explain each miss) once per run.
        self.offline: dict[str, tuple[GeocodeResult | None, str]] = {}

    def locate(self, record: Mapping) -> tuple[GeocodeResult | None, str]:
        query = query_for(record)
        if query is None:
            return None, NO_QUERY
        address, city = _text(record.get("address")), _text(record.get("city"))
        reasons: list[str] = []
        result = self.cache.get(query) if self.cache is not None else None
        if result is None and self.online is not None:
            result = self._ask_online(query, reasons)
        # Gazetteer answers are cached under the city alone: an offline run must never hide
        # the address-level answer a later online run can give for "address, city".
        if result is None and city and self.cache is not None:
            result = self.cache.get(city)
        if result is None and city:
            result, reason = self._offline(city)
            reasons.append(reason)
        elif result is None:
            reasons.append(NO_CITY)
        if result is None:
            return None, " ; ".join(r for r in reasons if r)
        if not address and result.precision != "ville":  # a city-only query locates a city
            result = replace(result, precision="ville")
        if result.region not in KNOWN_REGIONS:
            result = replace(result, region=self.gazetteer.nearest_region(result.lat, result.lon))
        return result, ""

    def _ask_online(self, query: str, reasons: list[str]) -> GeocodeResult | None:
        if self.failures >= ONLINE_MAX_FAILURES:  # the service is down: stop waiting on it
            reasons.append(ONLINE_GIVEN_UP.format(n=self.failures))
            return None
        try:
            result = self.online(query)
        except GeocodingError as err:
            self.failures += 1
            reasons.append(str(err).rstrip("."))
            return None
        self.failures = 0
        if result is not None and self.cache is not None:
            self.cache.put(query, result)
        return result

    def _offline(self, city: str) -> tuple[GeocodeResult | None, str]:
        if city not in self.offline:
            entry = self.gazetteer.lookup(city)
            if entry is None:
                self.offline[city] = None, _unknown_city(self.gazetteer, city)
            else:
                result = GeocodeResult(entry.lat, entry.lon, "ville", entry.region, "gazetteer")
                if self.cache is not None:
                    self.cache.put(city, result)
                self.offline[city] = result, ""
        return self.offline[city]


def _unknown_city(gazetteer: Gazetteer, city: str) -> str:
    suggestions = gazetteer.suggest(city)
    text = f"ville « {city} » introuvable hors ligne"
    if suggestions:
        text += " ; vouliez-vous dire : " + ", ".join(suggestions) + " ?"
    return text


def _row_number(record: Mapping, label: Any, position: int) -> int:
    # The CSV line: the loader's _row column, else index + 2 (line 1 is the header).
    with contextlib.suppress(TypeError, ValueError):
        return int(record.get("_row"))
    with contextlib.suppress(TypeError, ValueError):
        return int(label) + 2
    return int(position) + 2
