"""Write the accepted places into the places file: under its lock, re-read, atomically, with a dated backup.

The file keeps its spelling (headers, separator, encoding, decimal mark, line endings): the
accepted rows are appended through `writeback`, written by `safefile.atomic_write`. A partner's
file is read through its mapping, so that each value lands in the partner's own column (« NOM_TL »,
« TYPO »), a type in the partner's own words where [types] has some. Every write of the places
file (this one, `geocode --write`) holds the same lock and re-reads the file under it: two
commands run at once wait for each other, and neither loses what the other wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from reseau_map.core.errors import DataFileError
from reseau_map.core.safefile import atomic_write, backups, file_lock
from reseau_map.files import places, writeback
from reseau_map.files.export import neutralise
from reseau_map.files.mapping import Mapping
from reseau_map.files.schema import COLUMNS
from reseau_map.files.vocabulary import Vocabulary


@dataclass(frozen=True)
class Merged:
    """What a merge did: rows added, the backup kept (None when nothing changed)."""

    path: Path
    added: int
    backup: Path | None


def _cell(value: Any) -> str | float:  # a cell: pandas types it Any (pd.isna takes no object)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    # A coordinate stays a number; a text that a spreadsheet would run as a formula is made inert.
    return round(float(value), 6) if isinstance(value, float) else str(neutralise(str(value)))


def _spelled_types(mapping: Mapping | None) -> dict[str, str]:
    # Our type -> the first of the partner's values that [types] reads as it: the row reads back as it was.
    out: dict[str, str] = {}
    for theirs, ours in (mapping.types.items() if mapping else ()):
        if theirs.strip():
            out.setdefault(ours, theirs)
    return out


def merged_bytes(data: bytes, accepted: pd.DataFrame, mapping: Mapping | None = None,
                 vocab: Vocabulary | None = None, filename: str = "") -> tuple[bytes, int]:
    """The places file with the accepted places it lacks appended, in the file's own spelling and columns."""
    # An empty list may receive its first places.
    raw, meta = places.read_table(data, filename, mapping, allow_empty=True, vocab=vocab)
    new = accepted[~accepted["id"].isin(raw["id"])]
    if new.empty:
        return data, 0
    dialect = meta.dialect
    if dialect is None:
        raise DataFileError("Seul un fichier CSV peut recevoir les lieux acceptés (pas un classeur ni du GeoJSON).")
    headers = meta.headers  # our column -> as the file spells it (through the mapping)
    present = {h.strip().casefold() for h in writeback.read_records(data, dialect)[0]}
    defaults = mapping.defaults if mapping else {}

    def in_file(column: str) -> bool:
        return headers.get(column, column).strip().casefold() in present

    # Our columns with a value; one the file lacks is added, unless the mapping gives it a default
    # (a new « status » column would leave every older row without the status the default gave it).
    wanted = [c for c in COLUMNS if c in new.columns and new[c].map(_cell).astype(str).str.strip().ne("").any()
              and (in_file(c) or c not in defaults)]
    spelled = {c: headers.get(c, c) for c in wanted}
    missing = [spelled[c] for c in wanted if not in_file(c)]
    types = _spelled_types(mapping)
    rows = []
    for rec in new.to_dict(orient="records"):
        row = {spelled[c]: _cell(rec.get(c)) for c in wanted}
        if "type" in spelled and rec.get("type") in types:
            row[spelled["type"]] = _cell(types[rec["type"]])
        rows.append(row)
    return writeback.append_records(data, dialect, rows, missing), len(new)


def merge(path: Path, accepted: pd.DataFrame, now: datetime, mapping: Mapping | None = None,
          vocab: Vocabulary | None = None) -> Merged:
    """Append the accepted places to the file (backup copy first), under its lock; nothing happens if none is new."""
    del now  # the backup's date is the write's own (safefile.BACKUP_STAMP)
    path = Path(path)
    with file_lock(path):
        # Read under the lock: what `geocode --write` wrote a moment ago is kept.
        data = places.read_bytes(path)
        out, added = merged_bytes(data, accepted, mapping, vocab, path.name)
        if not added:
            return Merged(path, 0, None)
        atomic_write(path, out, backup=True)
    found = backups(path)
    return Merged(path, added, found[-1] if found else None)
