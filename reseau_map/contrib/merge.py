"""Write the accepted places into the places file, atomically, keeping a dated backup.

The file keeps its spelling (headers, separator, encoding, decimal mark, line endings): the
accepted rows are appended through `writeback`, written by `safefile.atomic_write`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from reseau_map.core.errors import DataFileError
from reseau_map.core.safefile import atomic_write, backups
from reseau_map.files import places, writeback
from reseau_map.files.schema import COLUMNS

BOM = b"\xef\xbb\xbf"
BACKUP_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Merged:
    """What a merge did: rows added, the backup kept (None when nothing changed)."""

    path: Path
    added: int
    backup: Path | None


def _cell(value: object) -> str | float:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return round(float(value), 6) if isinstance(value, float) else str(value)


def merged_bytes(data: bytes, accepted: pd.DataFrame) -> tuple[bytes, int]:
    """The places file with the accepted places it lacks appended, in the file's own spelling."""
    raw, meta = places.read_table(data, allow_empty=True)  # an empty list may receive its first places
    new = accepted[~accepted["id"].isin(raw["id"])]
    if new.empty:
        return data, 0
    dialect = meta.dialect
    if dialect is None:
        raise DataFileError("Seul un fichier CSV peut recevoir les lieux acceptés (pas un classeur ni du GeoJSON).")
    headers = meta.headers  # our column -> as the file spells it
    wanted = [c for c in COLUMNS if c in new.columns and new[c].map(_cell).astype(str).str.strip().ne("").any()]
    spelled = {c: headers.get(c, c) for c in wanted}
    present = {h.strip().casefold() for h in writeback.read_records(data, dialect)[0]}
    missing = [spelled[c] for c in wanted if spelled[c].strip().casefold() not in present]
    rows = [{spelled[c]: _cell(rec.get(c)) for c in wanted} for rec in new.to_dict(orient="records")]
    return writeback.append_records(data, dialect, rows, missing), len(new)


def merge(path: Path, accepted: pd.DataFrame, now: datetime) -> Merged:
    """Append the accepted places to the file (backup copy first); nothing happens if none is new."""
    path = Path(path)
    data = places.read_bytes(path)
    out, added = merged_bytes(data, accepted)
    if not added:
        return Merged(path, 0, None)
    atomic_write(path, out, backup=True)
    return Merged(path, added, backups(path)[-1] if backups(path) else None)
