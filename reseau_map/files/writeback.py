"""Writing values back into a user's delimited file while every other byte stays as it was.

A fill replaces only the text of the cells it names (records.py finds them, in the records the
reader reads); untouched records, their quoting, the header's spelling, the separator, the line
endings, the BOM and the encoding come out unchanged. Fills found by a slow run are matched to
the file as it is now by key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reseau_map.core.errors import DataFileError, row_message
from reseau_map.core.safefile import atomic_write, file_lock, read_regular
from reseau_map.core.text import fold
from reseau_map.files.delimited import Record
from reseau_map.files.dialect import TextDialect
from reseau_map.files.encoding import BOM, codec_errors, decode
from reseau_map.files.records import Layout, layout, record_lines
from reseau_map.files.schema import MAX_PLACES_BYTES

# A value that is a plain decimal number: its "." becomes the file's decimal mark.
PLAIN_NUMBER = re.compile(r"[+-]?\d+\.\d+(?:[eE][+-]?\d+)?")
DECIMAL_COMMA = re.compile(r"(?:^|[;\t])-?\d{1,3},\d+(?=[;\t\r\n]|\Z)", re.MULTILINE)
DECIMAL_DOT = re.compile(r"(?:^|[;\t])-?\d{1,3}\.\d+(?=[;\t\r\n]|\Z)", re.MULTILINE)

# record_lines lives in records.py; it is offered here too, beside the fills it numbers.
__all__ = ["fill_cells", "fills_by_key", "key_of", "read_records", "record_keys", "record_lines", "write_fills"]

Cell = str | float | int
Key = tuple[str, ...]


def read_records(data: bytes, dialect: TextDialect) -> tuple[list[str], list[list[str]]]:
    """The header's names (empty without a header) and every data record's values."""
    table = _Table.read(data, dialect)
    return table.header, [list(r.fields) for r in table.body]


def fill_cells(data: bytes, dialect: TextDialect, fills: Mapping[int, Mapping[str | int, Cell]],
               new_columns: Sequence[str] = ()) -> bytes:
    """The file with the given cells set (record index -> {column: value}); all else byte for byte."""
    return _Table.read(data, dialect).filled(fills, new_columns)


def record_keys(data: bytes, dialect: TextDialect, key_columns: Sequence[Sequence[str]]) -> list[Key | None]:
    """Each data record's key: the first group of key_columns with a value (e.g. id, else name+city)."""
    table = _Table.read(data, dialect)
    return _keys(table.header, [r.fields for r in table.body], key_columns)


def key_of(values: Mapping[str, str], key_columns: Sequence[Sequence[str]]) -> Key | None:
    """The key of one record given as {header: value}: ("id", "x") or ("nom+ville", "a", "b"); None if blank."""
    return _keys(list(values), [list(values.values())], key_columns)[0]


def fills_by_key(data: bytes, dialect: TextDialect, key_columns: Sequence[Sequence[str]],
                 fills: Mapping[Key, Mapping[str, Cell]], new_columns: Sequence[str] = (),
                 *, only_empty: bool = True) -> tuple[bytes, list[Key]]:
    """Fill the records whose key matches (rows added or moved meanwhile are kept); keys not applied."""
    # Matching on keys, not positions: the file may have changed since it was read.
    table = _Table.read(data, dialect)
    rows = [r.fields for r in table.body]
    where: dict[Key, list[int]] = {}
    for index, key in enumerate(_keys(table.header, rows, key_columns)):
        if key is not None:
            where.setdefault(key, []).append(index)
    by_index: dict[int, dict[str | int, Cell]] = {}
    missed: list[Key] = []
    for key, cells in fills.items():
        found = where.get(key, [])
        if len(found) != 1:  # gone, or now ambiguous: writing would be a guess
            missed.append(key)
            continue
        row = rows[found[0]]
        if only_empty:  # a value typed by hand during the run wins over ours
            cells = {c: v for c, v in cells.items() if not _current(table.header, row, c).strip()}
        by_index[found[0]] = dict(cells.items())  # items: their str keys are str | int keys
    return table.filled(by_index, new_columns), missed


def write_fills(path: Path | str, fills: Mapping[Key, Mapping[str, Cell]], key_columns: Sequence[Sequence[str]],
                new_columns: Sequence[str] = (), *, backup: bool = True) -> tuple[bool, list[Key]]:
    """Write a slow run's fills into the file as it is now: lock, re-read, match keys, atomic write."""
    path = Path(path)
    with file_lock(path):
        # Re-read under the lock: rows added, moved or typed in while we geocoded are kept.
        now = read_regular(path, limit=MAX_PLACES_BYTES, what="Fichier des lieux")
        out, missed = fills_by_key(now, _sniff(now), key_columns, fills, new_columns)
        if out != now:
            atomic_write(path, out, backup=backup)
    return out != now, missed


def _sniff(data: bytes) -> TextDialect:
    # The reader's own detection, so that reading and writing agree on how the file is spelt.
    from reseau_map.files.reader import read_rows

    dialect = read_rows(data).dialect
    if dialect is None:
        raise DataFileError("Seuls les fichiers CSV peuvent être réécrits (pas un classeur ni du GeoJSON).")
    return dialect


def append_records(data: bytes, dialect: TextDialect, rows: Sequence[Mapping[str, Cell]],
                   new_columns: Sequence[str] = ()) -> bytes:
    """The file with records added at its end (columns named as in the file); all else byte for byte."""
    data = fill_cells(data, dialect, {}, new_columns) if new_columns else data
    table = _Table.read(data, dialect)
    lines = []
    for number, row in enumerate(rows, start=len(table.body) + 2):
        cells = [""] * len(table.header)
        for name, value in row.items():
            position = _column(table.header, name)
            if position is None:
                raise DataFileError(f"Colonne « {name} » absente de l'en-tête du fichier ({', '.join(table.header)}).")
            cells[position] = _cell_text(value, dialect, number, name, table.codec)
        lines.append(dialect.separator.join(_quoted(c, dialect, False) for c in cells))
    text = table.text
    if text and not text.endswith(("\n", "\r")):
        text += dialect.newline
    out = (BOM if table.has_bom else "") + text + "".join(line + dialect.newline for line in lines)
    return out.encode(table.codec, codec_errors(table.codec))


@dataclass(frozen=True)
class _Table:
    """A decoded file, split once: what fill_cells and fills_by_key both work on."""

    codec: str
    has_bom: bool
    dialect: TextDialect
    layout: Layout
    header: list[str]
    body: list[Record]

    @property
    def text(self) -> str:
        return self.layout.text

    @classmethod
    def read(cls, data: bytes, dialect: TextDialect) -> _Table:
        text, codec, has_bom = decode(data, dialect.encoding)
        found = layout(text, dialect.separator, dialect.quotechar)
        records = found.records
        header = list(records[0].fields) if dialect.header and records else []
        body = records[1:] if dialect.header else records
        return cls(codec, has_bom, dialect, found, header, body)

    def filled(self, fills: Mapping[int, Mapping[str | int, Cell]], new_columns: Sequence[str]) -> bytes:
        text, dialect, header, body = self.text, self.dialect, self.header, self.body
        added = [c for c in new_columns if _column(header, c) is None]
        if added and not dialect.header:
            raise DataFileError("Impossible d'ajouter des colonnes à un fichier sans ligne d'en-tête.")
        for index in fills:
            if not 0 <= index < len(body):
                raise DataFileError(f"Enregistrement n° {index + 1} absent du fichier ({len(body)} enregistrements).")
        edits: list[tuple[int, int, str]] = []
        if added:
            end = self.layout.span(self.layout.records[0])[1]
            edits.append((end, end, "".join(dialect.separator + _quoted(c, dialect, False) for c in added)))
        for index, record in enumerate(body):
            if added and len(record.fields) > len(header):  # the new column would land on a stray field
                raise DataFileError(f"Ligne {record.line} : plus de champs ({len(record.fields)}) que l'en-tête "
                                    f"({len(header)}) ; corrigez-la avant d'ajouter des colonnes.")
            cells = {}
            for name, value in fills.get(index, {}).items():
                position = _column(header, name)
                if position is None and name in added:
                    position = len(header) + added.index(name)
                if position is None:
                    raise DataFileError(f"Colonne « {name} » absente de l'en-tête du fichier ({', '.join(header)}).")
                cells[position] = _cell_text(value, dialect, record.line, str(name), self.codec)
            if cells or added:
                edits.extend(_record_edits(self.layout, record, cells, dialect,
                                           len(header) + len(added) if added else 0))
        out = (BOM if self.has_bom else "") + _apply(text, edits)
        return out.encode(self.codec, codec_errors(self.codec))


def _keys(header: Sequence[str], rows: Sequence[Sequence[str]],
          key_columns: Sequence[Sequence[str]]) -> list[Key | None]:
    groups = [("+".join(names), [_column(header, n) for n in names]) for names in key_columns]
    keys: list[Key | None] = []
    for row in rows:
        key = None
        for label, positions in groups:
            parts = tuple(fold(row[p]) if p is not None and p < len(row) else "" for p in positions)
            if any(parts):
                key = (label, *parts)
                break
        keys.append(key)
    return keys


def _column(header: Sequence[str], name: str | int) -> int | None:
    if isinstance(name, int):
        return name
    if name in header:
        return header.index(name)
    # "Latitude " typed with a stray space or another case still names the column.
    folded = [h.strip().casefold() for h in header]
    key = name.strip().casefold()
    return folded.index(key) if key in folded else None


def _current(header: Sequence[str], row: Sequence[str], name: str) -> str:
    position = _column(header, name)
    return row[position] if position is not None and position < len(row) else ""


def _cell_text(value: Cell, dialect: TextDialect, line: int, column: str, codec: str) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        value = repr(float(value)) if isinstance(value, float) else str(int(value))  # numpy scalars too
    text = str(value)
    if dialect.decimal != "." and PLAIN_NUMBER.fullmatch(text.strip()):
        text = text.replace(".", dialect.decimal)
    try:
        text.encode(codec)
    except UnicodeEncodeError as err:
        raise DataFileError(row_message(line, column, text, f"caractère impossible à écrire en {codec}")) from err
    return text


def _quoted(value: str, dialect: TextDialect, was_quoted: bool) -> str:
    q = dialect.quotechar
    if was_quoted or any(c in value for c in (dialect.separator, q, "\r", "\n")):
        return q + value.replace(q, q + q) + q
    return value


def _record_edits(found: Layout, record: Record, cells: Mapping[int, str], dialect: TextDialect,
                  width: int) -> list[tuple[int, int, str]]:
    text, edits = found.text, []
    count = len(record.fields)
    spans = found.field_spans(record) if any(p < count for p in cells) else []
    for position, value in sorted(cells.items()):
        if position < count:
            a, b = spans[position]
            edits.append((a, b, _quoted(value, dialect, text[a:b].lstrip().startswith(dialect.quotechar))))
    # Cells past the record's last field (a short record, or new columns): pad, then append.
    target = max([width, *(p + 1 for p in cells)])
    if target > count:
        tail = "".join(dialect.separator + _quoted(cells.get(p, ""), dialect, False)
                       for p in range(count, target))
        end = found.span(record)[1]
        edits.append((end, end, tail))
    return edits


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for a, b, new in sorted(edits, key=lambda e: (e[0], e[1])):
        parts += [text[pos:a], new]
        pos = b
    parts.append(text[pos:])
    return "".join(parts)

