"""Writing values back into a user's delimited file while every other byte stays as it was.

The file is split into records by a CSV-aware scanner that keeps each field's span in the text;
a fill replaces only the spans of the cells it names. Untouched records, their quoting, the
header's spelling, the separator, the line endings, the BOM and the encoding come out unchanged.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reseau_map.errors import DataFileError, row_message
from reseau_map.files.dialect import TextDialect
from reseau_map.files.safefile import atomic_write, file_lock
from reseau_map.text import fold

BOM = "\ufeff"
# A value that is a plain decimal number: its "." becomes the file's decimal mark.
PLAIN_NUMBER = re.compile(r"[+-]?\d+\.\d+(?:[eE][+-]?\d+)?")
LINE_BREAK = re.compile(r"\r\n|\n|\r")
DECIMAL_COMMA = re.compile(r"(?:^|[;\t])-?\d{1,3},\d+(?=[;\t\r\n]|\Z)", re.MULTILINE)
DECIMAL_DOT = re.compile(r"(?:^|[;\t])-?\d{1,3}\.\d+(?=[;\t\r\n]|\Z)", re.MULTILINE)
BOMS = {codecs.BOM_UTF8: "utf-8", codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}

Cell = str | float | int
Key = tuple[str, ...]


@dataclass(frozen=True)
class Record:
    """One record of the file: its span in the text, its fields' spans, the line where it starts."""

    start: int
    end: int  # just past the last field, before the line break
    fields: tuple[tuple[int, int], ...]
    line: int  # physical line, 1-based (quoted line breaks make records span several lines)


def scan(text: str, separator: str = ",", quotechar: str = '"') -> list[Record]:
    """Every non-blank record of a CSV text, with spans, as the csv module would split it."""
    sep, q = re.escape(separator), re.escape(quotechar)
    field = re.compile(rf"{q}(?:[^{q}]|{q}{q})*(?:{q}[^{sep}\r\n]*|\Z)|[^{sep}\r\n]*")
    records: list[Record] = []
    pos, line, size = 0, 1, len(text)
    while pos < size:
        start, start_line = pos, line
        fields: list[tuple[int, int]] = []
        brk = LINE_BREAK.search(text, pos)
        stop = brk.start() if brk else size
        if quotechar not in text[pos:stop]:  # fast path: a plain line splits on the separator
            for part in text[pos:stop].split(separator):
                fields.append((pos, pos + len(part)))
                pos += len(part) + 1
            pos = stop
        else:
            while True:
                match = field.match(text, pos)
                fields.append(match.span())
                line += _breaks(match.group())
                pos = match.end()
                if pos < size and text[pos] == separator:
                    pos += 1
                    continue
                break
        end = pos
        brk = LINE_BREAK.match(text, pos)
        if brk:
            pos, line = brk.end(), line + 1
        if end > start:  # blank lines are not records (pandas and csv skip them too)
            records.append(Record(start, end, tuple(fields), start_line))
    return records


def decode(data: bytes, dialect: TextDialect) -> tuple[str, str, bool]:
    """The text (BOM removed), the exact codec to write it back with, and whether it had a BOM."""
    codec = codecs.lookup(dialect.encoding).name
    if codec == "utf-8-sig":
        codec = "utf-8"
    elif codec == "utf-16":  # byte order from the BOM, little-endian as Windows writes it otherwise
        codec = "utf-16-be" if data[:2] == codecs.BOM_UTF16_BE else "utf-16-le"
    text = data.decode(codec, _errors(codec))
    has_bom = text.startswith(BOM)
    return (text[1:] if has_bom else text), codec, has_bom


def field_value(raw: str, quotechar: str = '"') -> str:
    """A field's value as csv reads it: outer quotes removed, doubled quotes undone."""
    if not raw.startswith(quotechar):
        return raw
    closing = re.match(rf"{re.escape(quotechar)}((?:[^{re.escape(quotechar)}]|{re.escape(quotechar * 2)})*)"
                       rf"{re.escape(quotechar)}?(.*)", raw, re.DOTALL)
    inner, rest = closing.groups()
    return inner.replace(quotechar * 2, quotechar) + rest


def record_lines(text: str, dialect: TextDialect) -> list[int]:
    """The physical line (1-based, header = line 1) where each data record starts."""
    records = scan(text.removeprefix(BOM), dialect.separator, dialect.quotechar)
    return [r.line for r in (records[1:] if dialect.header else records)]


def read_records(data: bytes, dialect: TextDialect) -> tuple[list[str], list[list[str]]]:
    """The header's names (empty without a header) and every data record's values."""
    text, _, _ = decode(data, dialect)
    header, body = _split(text, dialect)
    values = [[field_value(text[a:b], dialect.quotechar) for a, b in r.fields] for r in body]
    return header, values


def fill_cells(data: bytes, dialect: TextDialect, fills: Mapping[int, Mapping[str | int, Cell]],
               new_columns: Sequence[str] = ()) -> bytes:
    """The file with the given cells set (record index -> {column: value}); all else byte for byte."""
    text, codec, has_bom = decode(data, dialect)
    records = scan(text, dialect.separator, dialect.quotechar)
    header, body = _split(text, dialect, records)
    added = [c for c in new_columns if _column(header, c) is None]
    if added and not dialect.header:
        raise DataFileError("Impossible d'ajouter des colonnes à un fichier sans ligne d'en-tête.")
    width = len(header) + len(added)
    edits: list[tuple[int, int, str]] = []
    if added and dialect.header:
        edits.append((records[0].end, records[0].end,
                      "".join(dialect.separator + _quoted(c, dialect, False) for c in added)))
    for index in fills:
        if not 0 <= index < len(body):
            raise DataFileError(f"Enregistrement n° {index + 1} absent du fichier ({len(body)} enregistrements).")
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
            cells[position] = _cell_text(value, dialect, record.line, str(name), codec)
        edits.extend(_record_edits(text, record, cells, dialect, width if added else 0))
    out = _apply(text, edits)
    return ((BOM if has_bom else "") + out).encode(codec, _errors(codec))


def record_keys(data: bytes, dialect: TextDialect, key_columns: Sequence[Sequence[str]]) -> list[Key | None]:
    """Each data record's key: the first group of key_columns with a value (e.g. id, else name+city)."""
    header, values = read_records(data, dialect)
    return [key_of(dict(zip(header, row, strict=False)), key_columns) for row in values]


def key_of(values: Mapping[str, str], key_columns: Sequence[Sequence[str]]) -> Key | None:
    """The key of one record given as {header: value}: ("id", "x") or ("nom+ville", "a", "b"); None if blank."""
    header = list(values)
    for names in key_columns:
        positions = [_column(header, name) for name in names]
        parts = tuple(fold(values[header[p]]) if p is not None and p < len(header) else "" for p in positions)
        if any(parts):
            return ("+".join(names), *parts)
    return None


def fills_by_key(data: bytes, dialect: TextDialect, key_columns: Sequence[Sequence[str]],
                 fills: Mapping[Key, Mapping[str, Cell]], new_columns: Sequence[str] = (),
                 *, only_empty: bool = True) -> tuple[bytes, list[Key]]:
    """Fill the records whose key matches (rows added or moved meanwhile are kept); keys not applied."""
    # Matching on keys, not positions: the file may have changed since it was read.
    header, values = read_records(data, dialect)
    where: dict[Key, list[int]] = {}
    for index, key in enumerate(record_keys(data, dialect, key_columns)):
        if key is not None:
            where.setdefault(key, []).append(index)
    by_index: dict[int, dict[str, Cell]] = {}
    missed: list[Key] = []
    for key, cells in fills.items():
        found = where.get(key, [])
        if len(found) != 1:  # gone, or now ambiguous: writing would be a guess
            missed.append(key)
            continue
        row = values[found[0]]
        if only_empty:  # a value typed by hand during the run wins over ours
            cells = {c: v for c, v in cells.items() if not _current(header, row, c).strip()}
        by_index[found[0]] = dict(cells)
    return fill_cells(data, dialect, by_index, new_columns), missed


def write_fills(path: Path | str, fills: Mapping[Key, Mapping[str, Cell]], key_columns: Sequence[Sequence[str]],
                new_columns: Sequence[str] = (), *, backup: bool = True) -> tuple[bool, list[Key]]:
    """Write a slow run's fills into the file as it is now: lock, re-read, match keys, atomic write."""
    path = Path(path)
    with file_lock(path):
        # Re-read under the lock: rows added, moved or typed in while we geocoded are kept.
        try:
            now = path.read_bytes()
        except OSError as err:
            raise DataFileError(f"Fichier des lieux illisible : {path} ({err.strerror or err}).") from err
        out, missed = fills_by_key(now, _sniff(now), key_columns, fills, new_columns)
        if out != now:
            atomic_write(path, out, backup=backup)
    return out != now, missed


def _sniff(data: bytes) -> TextDialect:
    # Minimal and provisional: the reader's own dialect sniffing (files/dialect.py) replaces it.
    bom, encoding = next(((b, e) for b, e in BOMS.items() if data.startswith(b)), (b"", "utf-8"))
    if not bom:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"  # what Excel saves "CSV (séparateur : point-virgule)" in
    text = data.decode(encoding, _errors(encoding)).removeprefix(BOM)
    first = text.split("\n", 1)[0]
    separator = max((";", ",", "\t"), key=lambda c: (first.count(c), c == ","))
    brk = LINE_BREAK.search(text)
    # A ";" file comes from a French-locale spreadsheet: decimal comma unless its numbers say otherwise.
    comma = separator != "," and (DECIMAL_COMMA.search(text) or (separator == ";" and not DECIMAL_DOT.search(text)))
    decimal = "," if comma else "."
    return TextDialect(encoding=encoding, bom=bool(bom), separator=separator,
                       newline=brk.group() if brk else "\n", decimal=decimal)


def _split(text: str, dialect: TextDialect, records: list[Record] | None = None) -> tuple[list[str], list[Record]]:
    records = scan(text, dialect.separator, dialect.quotechar) if records is None else records
    if not dialect.header:
        return [], records
    if not records:
        return [], []
    names = [field_value(text[a:b], dialect.quotechar) for a, b in records[0].fields]
    return names, records[1:]


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


def _record_edits(text: str, record: Record, cells: Mapping[int, str], dialect: TextDialect,
                  width: int) -> list[tuple[int, int, str]]:
    edits = []
    for position, value in sorted(cells.items()):
        if position < len(record.fields):
            a, b = record.fields[position]
            edits.append((a, b, _quoted(value, dialect, text[a:b].startswith(dialect.quotechar))))
    # Cells past the record's last field (a short record, or new columns): pad, then append.
    target = max([width, *(p + 1 for p in cells)])
    if target > len(record.fields):
        tail = "".join(dialect.separator + _quoted(cells.get(p, ""), dialect, False)
                       for p in range(len(record.fields), target))
        edits.append((record.end, record.end, tail))
    return edits


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for a, b, new in sorted(edits, key=lambda e: (e[0], e[1])):
        parts += [text[pos:a], new]
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def _breaks(chunk: str) -> int:
    return chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")


def _errors(codec: str) -> str:
    # Bytes the codec cannot read must still come back unchanged.
    return "surrogatepass" if codec.startswith("utf-16") or codec.startswith("utf-32") else "surrogateescape"
