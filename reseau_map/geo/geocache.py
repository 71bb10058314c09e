"""The geocoding cache: results kept in a CSV file, written atomically."""

from __future__ import annotations

import csv
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from reseau_map.errors import DataFileError
from reseau_map.text import place_key as normalise

CACHE_COLUMNS = ("query", "lat", "lon", "precision", "region", "origin")
PRECISIONS = ("adresse", "ville")


@dataclass(frozen=True)
class GeocodeResult:
    """Coordinates found for a query, what they locate, the region, and where they came from."""

    lat: float
    lon: float
    precision: str  # "adresse" or "ville"
    region: str | None  # a French region name, ABROAD, or None when unknown
    origin: str  # "csv", "cache", "nominatim", "ban" or "gazetteer"


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
