"""The geocoding cache: results kept in a CSV file that only grows by whole appended lines.

Every answer an online service gave is paid for (time, quota): with `append=True` each one is on
disk as soon as it is known, so a run killed mid-way loses nothing. Runs sharing the file append
one after the other (a short exclusive lock each); `compact()` rewrites it atomically under the exclusive lock, merging
what is on disk. A damaged file never stops a run: it is set aside and the cache starts empty.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from reseau_map.core.errors import DataFileError, WriteError
from reseau_map.core.safefile import append_line, atomic_write, cause, file_lock, last_byte
from reseau_map.core.text import place_key as normalise

CACHE_COLUMNS = ("query", "lat", "lon", "precision", "region", "origin")
PRECISIONS = ("adresse", "ville")
HEADER = ",".join(CACHE_COLUMNS) + "\n"
DAMAGED_STAMP = "%Y%m%d-%H%M%S"
FREE_ORIGINS = frozenset({"gazetteer", "csv"})
TAIL_BYTES = 1 << 16  # longer than any cache line
SKIPPED_SHOWN = 5  # line numbers quoted in the warning about skipped rows


@dataclass(frozen=True)
class GeocodeResult:
    """Coordinates found for a query, what they locate, the region, and where they came from."""

    lat: float
    lon: float
    precision: str  # "adresse" or "ville"
    region: str | None  # a French region name, ABROAD, or None when unknown
    origin: str  # "csv", "cache", "nominatim", "ban" or "gazetteer"


@dataclass
class _Parsed:
    entries: dict[str, GeocodeResult] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)  # line numbers of invalid rows
    damage: str | None = None  # why the whole file cannot be read


class GeoCache:
    """Geocoding results kept in a CSV file, keyed by normalised query."""

    def __init__(self, path: Path, entries: dict[str, GeocodeResult] | None = None, *,
                 append: bool = False, warning: str | None = None) -> None:
        self.path = Path(path)
        self._entries = dict(entries or {})
        self._changed = False
        self._mine: set[str] = set()  # keys this run put: they win over the file at compact()
        self._append = append
        self.warning = warning  # French, for the user: the file was damaged or rows were skipped

    @classmethod
    def load(cls, path: Path, *, append: bool = False) -> GeoCache:
        """Read the cache; append=True writes each put() at once. A damaged file is set aside, never raised."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return cls(path, append=append)
        except OSError as err:
            return cls(path, append=False, warning=(
                f"Le cache de géocodage « {path} » est illisible ({err.strerror or err}) : "
                "il n'est pas utilisé pour ce passage."))
        parsed = _parse(data)
        if parsed.damage:
            warning, moved = _set_aside(path, parsed.damage)
            return cls(path, append=append and moved, warning=warning)
        cache = cls(path, parsed.entries, append=append)
        if parsed.skipped:
            lines = ", ".join(map(str, parsed.skipped[:SKIPPED_SHOWN])) + (" …" if len(parsed.skipped) > SKIPPED_SHOWN
                                                                        else "")
            cache.warning = (f"Cache de géocodage « {path} » : {len(parsed.skipped)} ligne(s) invalide(s) "
                             f"ignorée(s) (ligne {lines}).")
            if append:  # a writer tidies them away; the dated backup keeps the old file
                with contextlib.suppress(DataFileError):
                    cache.compact(backup=True)
                    cache.warning += " Elles sont retirées du fichier (copie de l'ancien en .bak)."
        return cache

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: str) -> GeocodeResult | None:
        """The cached result for a query (origin "cache"), or None."""
        found = self._entries.get(normalise(query))
        return replace(found, origin="cache") if found else None

    def put(self, query: str, result: GeocodeResult) -> None:
        """Remember a result; in append mode it is on disk (flushed, synced) when put() returns."""
        key = normalise(query)
        if not key or self._entries.get(key) == result:
            return
        self._entries[key] = result
        self._mine.add(key)
        if not self._append:
            self._changed = True
            return
        # Exclusive, for a few milliseconds: a line cut by a killed run is removed before ours
        # follows it, and compact() never rewrites the file under an append.
        with file_lock(self.path):
            _trim_for_append(self.path)
            # Offline answers cost nothing to find again: only paid ones wait for the disk.
            append_line(self.path, _row(key, result), durable=result.origin not in FREE_ORIGINS)

    def save(self) -> None:
        """Write what only memory holds (merged with the file); nothing to do in append mode."""
        if self._changed:
            self.compact()

    def compact(self, *, backup: bool = False) -> None:
        """Rewrite the file atomically, one sorted line per query, keeping entries other runs appended."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path):
            try:
                on_disk = _parse(self.path.read_bytes())
            except FileNotFoundError:
                on_disk = _Parsed()
            except OSError:
                on_disk = _Parsed(damage="illisible")
            if on_disk.damage:  # never overwrite a damaged file: keep it aside for a look
                _set_aside(self.path, on_disk.damage)
            # Nothing lost: what we loaded, then the file as it is now, then this run's own answers.
            merged = dict(self._entries)
            merged.update({} if on_disk.damage else on_disk.entries)
            merged.update({key: self._entries[key] for key in self._mine})
            rows = "".join(_row(key, merged[key]) for key in sorted(merged))  # sorted: stable diffs
            atomic_write(self.path, (HEADER + rows).encode("utf-8"), backup=backup)
        self._entries, self._changed = merged, False


def _trim_for_append(path: Path) -> None:
    """Make the file end on a whole line: a header if it has none, a line cut by a crash removed."""
    # Called under the exclusive lock: no other run is appending while the tail is cut.
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("r+b") as handle:
            size = handle.seek(0, io.SEEK_END)
            if size and last_byte(handle.fileno(), size) == b"\n":
                return
            start = max(0, size - TAIL_BYTES)
            handle.seek(start)
            tail = handle.read()
            cut = tail.rfind(b"\n")
            if cut >= 0 or start > 0:
                handle.truncate(start + cut + 1 if cut >= 0 else start)
                return
    except FileNotFoundError:
        pass
    except OSError as err:
        raise WriteError(f"Impossible d'écrire « {path} » : {cause(err)}.") from err
    atomic_write(path, HEADER.encode("utf-8"))  # missing, empty, or only a cut header


def _row(key: str, r: GeocodeResult) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        (key, repr(r.lat), repr(r.lon), r.precision, r.region or "", r.origin))
    return buffer.getvalue()


def _parse(data: bytes) -> _Parsed:
    if b"\x00" in data:
        return _Parsed(damage="octets nuls : fichier binaire ou abîmé")
    try:
        text = data.decode("utf-8-sig")  # a BOM left by a spreadsheet is harmless
    except UnicodeDecodeError:
        return _Parsed(damage="pas du texte UTF-8")
    if not text.strip():
        return _Parsed()
    # Lines are appended whole: text after the last line break is a line cut by a crash.
    text = text[: text.rfind("\n") + 1]
    if not text:
        return _Parsed()
    lines = iter(csv.reader(io.StringIO(text, newline="")))
    header = next(lines, [])
    missing = [c for c in CACHE_COLUMNS if c not in header]
    if missing:
        return _Parsed(damage=f"en-tête « {','.join(header)[:60]} » au lieu de « {HEADER.strip()} »")
    positions = [header.index(c) for c in CACHE_COLUMNS]
    parsed = _Parsed()
    for line, values in enumerate(lines, start=2):
        if not values:
            continue
        record = dict(zip(CACHE_COLUMNS, (values[p] if p < len(values) else "" for p in positions), strict=True))
        result = _cached_result(record) if len(values) == len(header) else None
        if result is None or not normalise(record["query"]):
            parsed.skipped.append(line)
        else:
            parsed.entries[normalise(record["query"])] = result
    return parsed


def _set_aside(path: Path, reason: str) -> tuple[str, bool]:
    target = path.with_name(f"{path.name}.damaged-{datetime.now().strftime(DAMAGED_STAMP)}")
    try:
        path.rename(target)
    except OSError as err:
        return (f"Le cache de géocodage « {path} » est illisible ({reason}) et n'a pas pu être mis de côté "
                f"({err.strerror or err}) : il n'est pas utilisé ; supprimez-le, il sera reconstruit."), False
    return (f"Le cache de géocodage « {path} » était illisible ({reason}) : il est mis de côté sous "
            f"« {target.name} » et sera reconstruit."), True


def _cached_result(record: Mapping[str, str]) -> GeocodeResult | None:
    try:
        lat, lon = float(record["lat"]), float(record["lon"])
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or record["precision"] not in PRECISIONS:
        return None  # NaN fails the range test too
    return GeocodeResult(lat, lon, record["precision"], record["region"] or None, record["origin"] or "cache")
