"""Geocoding chain: typed coordinates -> cache -> online geocoder (opt-in) -> gazetteer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from reseau_map.errors import GeocodingError, not_found_message
from reseau_map.geo.gazetteer import Gazetteer
from reseau_map.geo.geocache import GeoCache, GeocodeResult
from reseau_map.geo.online import FRENCH_REGION_NAMES, Geocoder, online_geocoder
from reseau_map.geo.regions import ABROAD

# Re-exported: the chain's callers build caches and online geocoders from here.
__all__ = ["GeoCache", "GeocodeResult", "Geocoder", "Unplaced", "geocode_places", "online_geocoder",
           "query_for"]

KNOWN_REGIONS = FRENCH_REGION_NAMES | {ABROAD}
NO_QUERY = "ni adresse ni ville renseignée"
NO_CITY = "adresse sans ville : introuvable hors ligne"
ONLINE_MAX_FAILURES = 3  # failures in a row before a run stops calling the online geocoder
ONLINE_GIVEN_UP = "géocodeur en ligne abandonné après {n} échecs de suite"


@dataclass(frozen=True)
class Unplaced:
    """A row that got no coordinates, with the French reason why."""

    row: int
    id: str
    name: str
    city: str
    reason: str


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
        # To be replaced by geo.regions.regions_of_points, the one rule for a point's region
        # (official outlines, abroad on a neighbour's land): the nearest place errs near borders.
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
    return not_found_message(city, gazetteer.suggest(city), what="ville")


def _row_number(record: Mapping, label: Any, position: int) -> int:
    # The CSV line: the loader's _row column, else index + 2 (line 1 is the header).
    with contextlib.suppress(TypeError, ValueError):
        return int(record.get("_row"))
    with contextlib.suppress(TypeError, ValueError):
        return int(label) + 2
    return int(position) + 2
