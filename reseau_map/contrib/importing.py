"""An import in the browser: a partner's list read, its columns and categories guessed then corrected, combined.

The moderation page (app/importer.py) calls these; nothing here writes: contrib/datasets.py stores
what the coordinator publishes. A file is refused, with a French sentence, before anything else
reads it when it is too big, of another format, or empty; a file that reads but holds no valid
place cannot be published. The corrections are a Mapping (files/mapping.py), saved as its TOML.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from reseau_map.core.errors import ImportRefused
from reseau_map.domain.catalogue import Catalogue, build_catalogue
from reseau_map.files.columns import ColumnMap, guess_columns
from reseau_map.files.mapping import Mapping, parse_mapping
from reseau_map.files.mapping_text import mapping_text
from reseau_map.files.places import read_table
from reseau_map.files.reader import read_rows
from reseau_map.files.schema import COLUMNS, ROW, normalised
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.gazetteer import Gazetteer

MAX_BYTES = 10 * 1024 * 1024
MAX_SIZE = "10 Mo"  # MAX_BYTES as the page says it
EXTENSIONS = ("csv", "tsv", "txt", "xlsx", "ods", "geojson", "json")
FORMATS = "CSV, XLSX, ODS ou GeoJSON"
MAX_TYPE_VALUES = 40  # the form lists the commonest values of the type column, up to this many
COMBINED_NAME = "lieux-combines.csv"


@dataclass(frozen=True)
class Reading:
    """An uploaded file read for import: its columns as guessed (or as the mapping says), its type column's
    values with their counts, the mapping in force, and the catalogue the map would show."""

    filename: str
    format: str
    headers: tuple[str, ...]
    columns: ColumnMap
    type_values: tuple[tuple[str, int], ...]
    mapping: Mapping
    catalogue: Catalogue

    @property
    def publishable(self) -> bool:
        """Whether the file holds at least one valid place."""
        return not self.catalogue.places.empty


def check_upload(data: bytes, filename: str) -> None:
    """Refuse a file before reading it: too big, not one of our formats, empty (ImportRefused, in French)."""
    name = PurePath(filename or "fichier").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise ImportRefused(f"« {name} » : format non reconnu ; formats acceptés : {FORMATS}. Rien n'a changé.")
    if len(data) > MAX_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise ImportRefused(f"« {name} » pèse {size} Mo : la limite est de {MAX_SIZE}. Rien n'a changé.")
    if not data.strip():
        raise ImportRefused(f"« {name} » est vide. Rien n'a changé.")


def read_upload(data: bytes, filename: str, vocab: Vocabulary, mapping: Mapping | None = None,
                gazetteer: Gazetteer | None = None) -> Reading:
    """Read an uploaded file as the map would (with a mapping, or guessing); a French error if it cannot be read."""
    check_upload(data, filename)
    raw = read_rows(data, filename)
    columns = guess_columns(raw.frame, mapping.columns if mapping else None, vocab)
    cat = build_catalogue(data, gazetteer, filename=filename, mapping=mapping, vocab=vocab)
    header = columns.header("type")
    values: tuple[tuple[str, int], ...] = ()
    if header is not None:
        counts = raw.frame[header].astype(str).str.strip().value_counts()
        values = tuple((str(v), int(n)) for v, n in counts.head(MAX_TYPE_VALUES).items())
    found = mapping or guessed_mapping(columns, values, vocab, cat)
    return Reading(PurePath(filename).name, raw.format, tuple(str(h) for h in raw.headers), columns, values, found,
                   cat)


def guessed_mapping(columns: ColumnMap, type_values: Sequence[tuple[str, int]], vocab: Vocabulary,
                    cat: Catalogue) -> Mapping:
    """What the loader guessed, as a mapping the form starts from: columns, types it reads, private columns."""
    found = {ours: m.header for ours, m in columns.matches.items() if m.part is None and ours in COLUMNS}
    for ours in ("lat", "lon"):
        match = columns.matches.get(ours)
        if match is not None and match.part is not None:  # one « lat, lon » column: the mapping names it twice
            found[ours] = match.header
    types = {value: known for value, _ in type_values if (known := normalised("type", value, vocab))}
    return Mapping(columns=found, types=types, credit=cat.credit, private=cat.fields.private)


def form_mapping(columns: MappingType[str, str], types: MappingType[str, str], status: str, credit: str,
                 private: Sequence[str], vocab: Vocabulary) -> Mapping:
    """The mapping the import form says (empty choices mean « guess » or « as the file writes it »), checked
    as a mapping file is (parse_mapping), so that what is saved reads back the same."""
    mapping = Mapping(columns={k: v for k, v in columns.items() if v}, types={k: v for k, v in types.items() if v},
                      defaults={"status": status} if status and not columns.get("status") else {},
                      credit=credit.strip(), private=tuple(private))
    return parse_mapping(mapping_text(mapping), "du formulaire", vocab)


def combined(parts: Sequence[tuple[bytes, str, Mapping | None]], vocab: Vocabulary) -> tuple[bytes, str, Mapping]:
    """Several files as one (« add these places to the map's data »): each read through its own mapping, our
    columns and the partners' own, types as the mappings say; the private columns and credits of all."""
    frames = []
    for data, filename, mapping in parts:
        df, _ = read_table(data, filename, mapping, vocab=vocab)
        df = df.drop(columns=[ROW])
        if mapping is not None and mapping.types:
            df["type"] = df["type"].map(lambda v, m=mapping: m.type_of(str(v)) or v)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True).fillna("")
    mappings = [m for _, _, m in parts if m is not None]
    private = tuple(dict.fromkeys(c for m in mappings for c in m.private if c in out.columns))
    credit = " ; ".join(dict.fromkeys(m.credit for m in mappings if m.credit))
    return out.to_csv(index=False).encode("utf-8-sig"), COMBINED_NAME, Mapping(credit=credit, private=private)
