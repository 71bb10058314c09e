"""Places files: read any partner's file into our columns, validate every row, keep the good ones.

The frame `read_table` returns has our COLUMNS (empty where the file has none), then the partner's
own columns, and ROW, the physical line where each record starts. A partner column that would
collide with ours (« _row », « name » when « nom » was preferred, « type_source ») is kept under
its name plus PARTNER_SUFFIX, with a note, so that no file can overwrite our columns. ROW keeps
its name « _row » (the geocoder and the CLI read it): it is the partner's column that moves aside.

Unknown types do not cost rows: a value neither in our vocabulary nor in the mapping's [types] is
classed the vocabulary's fallback type, its original kept in TYPE_SOURCE, and reported once per value.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd

from reseau_map.core.errors import DataFileError
from reseau_map.core.findings import DROPPED, FIELD_IGNORED, FILE_NOTE, Finding, dropped_rows  # noqa: F401
from reseau_map.core.safefile import read_regular
from reseau_map.core.settings import DATA_DIR
from reseau_map.files.categories import file_vocabulary
from reseau_map.files.checks import validate
from reseau_map.files.columns import guess_columns
from reseau_map.files.content import split_pair
from reseau_map.files.mapping import Mapping
from reseau_map.files.meta import PlacesMeta
from reseau_map.files.reader import read_rows
from reseau_map.files.schema import (  # noqa: F401  (re-exported: the page and the CLI import them here)
    CATEGORIES,
    COLUMNS,
    DEFAULT_TYPE,
    MAX_PLACES_BYTES,
    NOT_GIVEN,
    PRECISIONS,
    REQUIRED,
    ROW,
    TYPE_SOURCE,
    YEAR_RANGE,
    normalised,
    vocabulary,
)
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary

ENV_PLACES = "RESEAU_MAP_PLACES"
DEFAULT_PLACES = DATA_DIR / "places.csv"
PARTNER_SUFFIX = " (fichier)"


def places_path(env: dict[str, str] | None = None) -> Path:
    """The places file in use: RESEAU_MAP_PLACES if set, else data/places.csv."""
    value = (env if env is not None else os.environ).get(ENV_PLACES, "").strip()
    return Path(value) if value else DEFAULT_PLACES


def read_bytes(path: Path) -> bytes:
    """The raw content of a places file; a French error when it cannot be read, is not a file, or is too big."""
    return read_regular(path, limit=MAX_PLACES_BYTES, what="Fichier des lieux")


def file_stamp(path: Path) -> tuple[str, int, int]:
    """(path, size, mtime in ns): what tells that a file changed, without reading it."""
    try:
        info = Path(path).stat()
    except OSError as err:
        raise DataFileError(f"Fichier des lieux illisible : {path} ({err.strerror or err}).") from err
    return str(Path(path).resolve()), info.st_size, info.st_mtime_ns


def content_hash(data: bytes) -> str:
    """A short digest of a file's content, used as cache key."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_table(data: bytes, filename: str = "", mapping: Mapping | None = None,
               allow_empty: bool = False, vocab: Vocabulary | None = None) -> tuple[pd.DataFrame, PlacesMeta]:
    """A file's rows with our column names, the partner's other columns kept, and ROW (the line); its meta."""
    raw = read_rows(data, filename, allow_empty)
    cmap = guess_columns(raw.frame, mapping.columns if mapping else None, vocab)
    notes = list(raw.findings) + list(cmap.notes)
    out: dict[str, pd.Series] = {}
    headers: dict[str, str] = {}
    for ours, match in cmap.matches.items():
        column = raw.frame[match.header]
        if match.part is not None:
            column = split_pair(column, cmap.swapped)[match.part]
        out[ours], headers[ours] = column.astype(str).str.strip(), match.header
    missing = [c for c in REQUIRED if c not in out]
    if missing:
        raise DataFileError("Colonnes obligatoires absentes : " + ", ".join(missing)
                            + f". Colonnes lues : {', '.join(raw.headers)}.")
    defaults = dict(mapping.defaults) if mapping else {}
    if "type" not in out and "type" not in defaults:
        defaults["type"] = DEFAULT_TYPE
        notes.append(Finding(0, "", "", f"Pas de colonne de type : chaque lieu est classé « {DEFAULT_TYPE} »",
                             FILE_NOTE))
    df = pd.DataFrame(index=raw.frame.index)
    for col in COLUMNS:
        df[col] = out[col] if col in out else defaults.get(col, "")
        headers.setdefault(col, col)
    extra: dict[str, pd.Series] = {}
    taken = set(df.columns)
    for header in cmap.extra:
        name = _partner_name(header, taken)
        if name != header:
            notes.append(Finding(0, header, "", f"colonne gardée sous le nom « {name} »", FILE_NOTE))
        extra[name] = raw.frame[header]
        taken.add(name)
    if extra:  # at once: one insert per column made 2,000 columns quadratic
        df = pd.concat([df, pd.DataFrame(extra, index=df.index)], axis=1)
    df.insert(0, ROW, raw.lines)
    return df, PlacesMeta(headers=headers, dialect=raw.dialect, format=raw.format, column_map=cmap,
                          lines=tuple(int(n) for n in raw.lines), findings=tuple(notes),
                          mapping=mapping or Mapping(), credit=mapping.credit if mapping else "")


def _partner_name(header: str, taken) -> str:
    # A partner's column never takes the name of one of ours, of ROW or of TYPE_SOURCE.
    reserved = set(COLUMNS) | {ROW, TYPE_SOURCE, CATEGORIES}
    if header not in reserved and header not in taken:
        return header
    name, n = header + PARTNER_SUFFIX, 2
    while name in reserved or name in taken:
        name, n = f"{header}{PARTNER_SUFFIX} {n}", n + 1
    return name


def load_places(data: bytes, filename: str = "", mapping: Mapping | None = None,
                vocab: Vocabulary | None = None) -> tuple[pd.DataFrame, PlacesMeta]:
    """Read and validate the bytes of a places file (CSV, XLSX, ODS or GeoJSON) in the network's vocabulary,
    extended by the file's own categories and statuses (files/categories.py: `meta.vocabulary`).

    The good rows, and the meta of the file with every finding (the file's notes, then the rows').
    """
    raw, meta = read_table(data, filename, mapping, vocab=vocab)
    found, note = file_vocabulary(raw, vocab or neutral_vocabulary(), mapping, meta.label("type"))
    if note:
        meta = replace(meta, findings=(*meta.findings, Finding(0, "", "", note, FILE_NOTE)))
    good, findings = validate(raw, meta, found)
    return good, replace(meta, findings=tuple(findings), vocabulary=found)
