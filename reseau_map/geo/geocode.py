"""Geocoding chain: typed coordinates -> cache -> online geocoder (opt-in) -> gazetteer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from reseau_map.core.errors import GeocodingError, not_found_message
from reseau_map.core.findings import DOUBTFUL, READ_AS, SILENT, UNPLACED, Finding
from reseau_map.geo.commune_query import clean_postcode
from reseau_map.geo.communes import Communes
from reseau_map.geo.exonyms import french_exonym
from reseau_map.geo.gazetteer import Gazetteer
from reseau_map.geo.geocache import GeoCache, GeocodeResult
from reseau_map.geo.online import Geocoder, online_geocoder
from reseau_map.geo.regions import ABROAD

# Re-exported: the chain's callers build caches and online geocoders from here.
__all__ = ["GeoCache", "GeocodeResult", "Geocoder", "geocode_places", "online_geocoder", "query_for"]

NO_QUERY = "ni adresse ni ville renseignée"
TYPED = "coordonnees"  # located_by for rows whose file gave the coordinates
NO_CITY = "adresse sans ville : introuvable hors ligne"
# A French postcode is never answered by a place abroad of the same name (Yaté 98834 is not Yate, England).
FRENCH_POSTCODE_ONLY = "aucune commune de ce nom pour le code postal {postcode}, ni dans son département"
ONLINE_MAX_FAILURES = 3  # failures in a row before a run stops calling the online geocoder
ONLINE_GIVEN_UP = "géocodeur en ligne abandonné après {n} échecs de suite"



def _text(value: Any) -> str:  # a cell: pandas types it Any (pd.isna takes no object)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def query_for(row: Mapping) -> str | None:
    """The text to geocode: "address, postcode city", else the commune, else None."""
    address, city = _text(row.get("address")), _text(row.get("city"))
    commune = " ".join(part for part in (_text(row.get("postcode")), city) if part)
    if address and commune:
        return f"{address}, {commune}"
    return address or commune or None


def geocode_places(
    df: pd.DataFrame,
    gazetteer: Gazetteer,
    cache: GeoCache | None = None,
    online: Geocoder | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    communes: Communes | None = None,
) -> tuple[pd.DataFrame, list[Finding]]:
    """A copy of df with lat, lon, precision and region filled, and findings on the rows it placed
    with a doubt or could not place."""
    # Typed coordinates win; other rows go cache -> online (if given) -> gazetteer.
    out = df.copy()
    for column in ("lat", "lon"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    for column in ("precision", "region"):
        if column not in out:
            out[column] = ""
    typed = out["lat"].notna() & out["lon"].notna()
    out["located_by"] = np.where(typed, TYPED, "")
    precision_empty = out["precision"].fillna("").astype(str).str.strip() == ""
    out.loc[typed & precision_empty, "precision"] = "adresse"

    # Only rows without coordinates are looped over; progress (a tqdm seam) wraps that list
    # of (position, row) pairs.
    positions = np.flatnonzero(~typed.to_numpy()).tolist()
    rows_to_do = list(zip(positions, out.iloc[positions].to_dict("records"), strict=True))
    chain = _Chain(gazetteer, cache, online, communes)
    found: dict[int, GeocodeResult] = {}
    unplaced: list[Finding] = []
    for position, record in progress(rows_to_do) if progress else rows_to_do:
        result, reason, note, doubt = chain.locate(record)
        row, city, name = _row_number(record, out.index[position], position), _text(record.get("city")), \
            _text(record.get("name"))
        if result is not None:
            found[int(position)] = result
            if note:
                unplaced.append(Finding(row, "city", city, note, DOUBTFUL if doubt else READ_AS, name))
        else:
            unplaced.append(Finding(row, "city", city, reason, SILENT if reason == NO_QUERY else UNPLACED, name))
    _fill_found(out, found)
    return out, unplaced


def _fill_found(out: pd.DataFrame, found: dict[int, GeocodeResult]) -> None:
    # Positions, not labels: a frame with a duplicated index must still be filled row by row.
    if not found:
        return
    rows, results = list(found), list(found.values())
    out.iloc[rows, _position(out, "located_by")] = [r.origin for r in results]
    for column in ("lat", "lon", "precision"):
        out.iloc[rows, _position(out, column)] = [getattr(r, column) for r in results]
    region_col = _position(out, "region")
    empty = [(p, r) for p, r in found.items() if not _text(out.iat[p, region_col])]
    if empty:
        out.iloc[[p for p, _ in empty], region_col] = [r.region or "" for _, r in empty]


def _position(out: pd.DataFrame, column: str) -> int:
    position = out.columns.get_loc(column)
    assert isinstance(position, int), f"one column « {column} »"  # a slice or a mask if it were repeated
    return position


class _Chain:
    """One run of the chain: cache, online (until it keeps failing), the communes, then GeoNames."""

    def __init__(self, gazetteer: Gazetteer, cache: GeoCache | None, online: Geocoder | None,
                 communes: Communes | None):
        self.gazetteer, self.cache, self.online, self.communes = gazetteer, cache, online, communes
        self.failures = 0
        # Many rows share a city: look each one up (and explain each miss) once per run.
        self.offline: dict[tuple[str, str, str, str], tuple[GeocodeResult | None, str, str, bool]] = {}

    def locate(self, record: Mapping) -> tuple[GeocodeResult | None, str, str, bool]:
        """(result or None, reason it failed, note about a result, whether the note is a doubt) for one row."""
        query = query_for(record)
        if query is None:
            return None, NO_QUERY, "", False
        address, city = _text(record.get("address")), _text(record.get("city"))
        reasons: list[str] = []
        result = self.cache.get(query) if self.cache is not None else None
        if result is None and self.online is not None:
            result = self._ask_online(self.online, query, reasons)
        postcode, insee = _text(record.get("postcode")), _text(record.get("insee"))
        note, doubt = "", False
        if result is None and (city or postcode or insee):
            result, reason, note, doubt = self._offline(city, postcode, insee, _text(record.get("region")))
            reasons.append(reason)
        elif result is None:
            reasons.append(NO_CITY)
        if result is None:
            return None, " ; ".join(r for r in reasons if r), "", False
        if not address and result.precision != "ville":  # a city-only query locates a city
            result = replace(result, precision="ville")
        return result, "", note, doubt

    def _ask_online(self, online: Geocoder, query: str, reasons: list[str]) -> GeocodeResult | None:
        if self.failures >= ONLINE_MAX_FAILURES:  # the service is down: stop waiting on it
            reasons.append(ONLINE_GIVEN_UP.format(n=self.failures))
            return None
        try:
            result = online(query)
        except GeocodingError as err:
            self.failures += 1
            reasons.append(str(err).rstrip("."))
            return None
        self.failures = 0
        if result is not None and self.cache is not None:
            self.cache.put(query, result)
        return result

    def _offline(self, city: str, postcode: str, insee: str, region: str
                 ) -> tuple[GeocodeResult | None, str, str, bool]:
        # Offline answers are not written to the cache: they are fast, and keyed on the city
        # alone they would mix up homonyms (Cesson 35 / Cesson 77) that the postcode tells apart.
        key = (city, postcode, insee, region)
        if key not in self.offline:
            self.offline[key] = self._look_up(city, postcode, insee, region)
        return self.offline[key]

    def _look_up(self, city: str, postcode: str, insee: str, region: str
                 ) -> tuple[GeocodeResult | None, str, str, bool]:
        from reseau_map.geo.regions import canonical_region

        wanted = canonical_region(region) or "" if region else ""
        match = self.communes.resolve(city or postcode, postcode, insee, region=wanted) if self.communes else None
        # A French postcode is never answered by a place abroad, except one that begins with 0:
        # it may be a neighbour's four digits that a spreadsheet or the loader padded (Namur 5000,
        # Lausanne 1003). When no commune of the postcode or its département has the row's name,
        # a place of that name abroad wins over the postcode's nearest name.
        french = clean_postcode(postcode)
        if french.startswith("0") and city and (match is None or match.how == "closest"):
            exonym = french_exonym(city)  # « Genève », « Bruxelles »: GeoNames knows Geneva, Brussels
            abroad = self.gazetteer.lookup(exonym[1] if exonym else city)
            if abroad is not None and abroad.region == ABROAD:
                note = f"« {city} » n'est pas une commune du code postal {french} : lieu trouvé hors de France"
                return GeocodeResult(abroad.lat, abroad.lon, "ville", abroad.region, "gazetteer"), "", note, False
        if match is not None:
            entry = match.entry
            result = GeocodeResult(entry.lat, entry.lon, "ville", entry.region, f"communes:{match.how}")
            note = match.note or (f"commune ambiguë : {match.homonyms} communes portent ce nom"
                                  if match.how == "population" and match.homonyms > 1 else "")
            return result, "", note, bool(note) and (match.doubtful or match.how == "population")
        if french or (city and _french_postcode_in(city)):
            # A French postcode never leads abroad: Païta 98890 is not Paita, Peru.
            return None, self._unknown(city or postcode or insee, french), "", False
        found = self.gazetteer.lookup(city) if city else None
        if found is not None:
            return GeocodeResult(found.lat, found.lon, "ville", found.region, "gazetteer"), "", "", False
        return None, self._unknown(city or postcode or insee), "", False

    def _unknown(self, text: str, postcode: str = "") -> str:
        # Suggestions from the communes (an index: milliseconds), then (no French postcode) from places abroad.
        names = self.communes.suggest(text) if self.communes else []
        if not names and not postcode:
            names = self.gazetteer.suggest(text)
        message = not_found_message(text, names, what="commune")
        return f"{FRENCH_POSTCODE_ONLY.format(postcode=postcode)} ; {message}" if postcode else message


def _french_postcode_in(city: str) -> bool:
    """Whether a city text carries a French postcode (« 98834 Yaté »)."""
    from reseau_map.geo.commune_query import CommuneQuery

    return bool(CommuneQuery.parse(city).postcode)


def _row_number(record: Mapping, label: Any, position: int) -> int:
    # The CSV line: the loader's _row column, else index + 2 (line 1 is the header).
    with contextlib.suppress(KeyError, TypeError, ValueError):
        return int(record["_row"])
    with contextlib.suppress(TypeError, ValueError):
        return int(label) + 2
    return int(position) + 2
