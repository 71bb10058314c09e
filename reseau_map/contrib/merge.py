"""Write the accepted places into the places file, atomically, keeping a dated backup.

The write uses a small private helper (temporary file in the same folder, fsync, os.replace);
swap it for reseau_map.files.safefile.atomic_write once that module is on main.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from reseau_map.errors import DataFileError
from reseau_map.files import places

BOM = b"\xef\xbb\xbf"
BACKUP_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Merged:
    """What a merge did: rows added, the backup kept (None when nothing changed)."""

    path: Path
    added: int
    backup: Path | None


def _atomic_write(path: Path, data: bytes) -> None:
    # Readers see the old file or the new one, never half of one, even if we are killed mid-way.
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            shutil.copymode(path, temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _encoding(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig" if data.startswith(BOM) else "utf-8"


def _cell(value: object, decimal: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", decimal)
    return str(value)


def merged_bytes(data: bytes, accepted: pd.DataFrame) -> tuple[bytes, int]:
    """The places file with the accepted places it lacks appended, in the file's own dialect."""
    raw = places.read_table(data)
    headers = raw.attrs.get("headers", {})
    new = accepted[~accepted["id"].isin(raw["id"])]
    if new.empty:
        return data, 0
    text = places.decode(data)
    sep = places.sniff_separator(text)
    decimal = "," if sep == ";" and raw["lat"].str.contains(",", regex=False).any() else "."
    columns = [c for c in raw.columns if c != "_row"]
    rows = [{c: _cell(rec.get(c), decimal) for c in columns} for rec in new.to_dict(orient="records")]
    out = pd.concat([raw[columns], pd.DataFrame(rows, columns=columns)], ignore_index=True)
    out = out.rename(columns={ours: headers.get(ours, ours) for ours in columns})
    csv = out.to_csv(index=False, sep=sep, lineterminator="\r\n" if "\r\n" in text else "\n")
    encoding = _encoding(data)
    try:
        return csv.encode(encoding), len(new)
    except UnicodeEncodeError:  # a new name a Windows-1252 file cannot hold: switch the file to UTF-8
        return csv.encode("utf-8-sig"), len(new)


def merge(path: Path, accepted: pd.DataFrame, now: datetime) -> Merged:
    """Append the accepted places to the file (backup copy first); nothing happens if none is new."""
    path = Path(path)
    data = places.read_bytes(path)
    out, added = merged_bytes(data, accepted)
    if not added:
        return Merged(path, 0, None)
    backup = path.with_name(f"{path.name}.{now.strftime(BACKUP_STAMP)}.bak")
    try:
        shutil.copy2(path, backup)
        _atomic_write(path, out)
    except OSError as err:
        raise DataFileError(f"Écriture impossible de {path} : {err.strerror or err}.") from err
    return Merged(path, added, backup)
