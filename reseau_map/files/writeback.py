"""Writing values back into a user's delimited file while every other byte stays as it was.

The file is split into records by a CSV-aware scanner that keeps each field's span in the text;
a fill replaces only the spans of the cells it names. Untouched records, their quoting, the
header's spelling, the separator, the line endings, the BOM and the encoding come out unchanged.
"""

from __future__ import annotations

import codecs
import csv
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
    """One record of the file: its span in the text, the line where it starts, its values."""

    start: int
    end: int  # just past the last field, before the line break
    line: int  # physical line, 1-based (quoted line breaks make records span several lines)
    values: tuple[str, ...]


def scan(text: str, separator: str = ",", quotechar: str = '"') -> list[Record]:
    """Every non-blank record of a CSV text with its span, split by the csv module itself."""
    starts, ends = [0], []
    for brk in LINE_BREAK.finditer(text):
        ends.append(brk.start())
        starts.append(brk.end())
    ends.append(len(text))
    lines = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    # The csv module (C) finds where each record ends; line_num says how many lines it took.
    reader = csv.reader(lines, delimiter=separator, quotechar=quotechar, strict=False)
    records: list[Record] = []
    first = 0
    try:
        for row in reader:
            if row:  # blank lines are not records (pandas and csv skip them too)
                records.append(Record(starts[first], ends[reader.line_num - 1], first + 1, tuple(row)))
            first = reader.line_num
    except csv.Error:  # a field past csv's size limit: the slower scanner has none
        return _scan_tokens(text, separator, quotechar)
    return records


def field_spans(text: str, record: Record, separator: str = ",", quotechar: str = '"') -> list[tuple[int, int]]:
    """Where each field of a record sits in the text (quotes included)."""
    return [m.span(1) for m in _token(separator, quotechar).finditer(text, record.start, record.end)][
        :len(record.values)]


def _token(separator: str, quotechar: str) -> re.Pattern[str]:
    sep, q = re.escape(separator), re.escape(quotechar)
    # One field (quoted, possibly across lines, or plain), then what ends it.
    return re.compile(rf"({q}[^{q}]*(?:{q}{q}[^{q}]*)*(?:{q}[^{sep}\r\n]*|\Z)|[^{sep}\r\n]*)({sep}|\r\n|\n|\r|\Z)")


def _scan_tokens(text: str, separator: str, quotechar: str) -> list[Record]:
    records: list[Record] = []
    values: list[str] = []
    start, line, start_line = 0, 1, 1
    for match in _token(separator, quotechar).finditer(text):
        values.append(field_value(match.group(1), quotechar))
        if match.group(1).startswith(quotechar):  # only a quoted field can hold line breaks
            line += _breaks(match.group(1))
        ending = match.group(2)
        if ending == separator:
            continue
        if match.end(1) > start:
            records.append(Record(start, match.end(1), start_line, tuple(values)))
        if not ending:
            break
        values, start, line = [], match.end(), line + 1
        start_line = line
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
    q = re.escape(quotechar)
    closing = re.match(rf"{q}([^{q}]*(?:{q}{q}[^{q}]*)*){q}?(.*)", raw, re.DOTALL)
    inner, rest = closing.groups()
    return inner.replace(quotechar * 2, quotechar) + rest


def record_lines(text: str, dialect: TextDialect) -> list[int]:
    """The physical line (1-based, header = line 1) where each data record starts."""
    records = scan(text.removeprefix(BOM), dialect.separator, dialect.quotechar)
    return [r.line for r in (records[1:] if dialect.header else records)]


def read_records(data: bytes, dialect: TextDialect) -> tuple[list[str], list[list[str]]]:
    """The header's names (empty without a header) and every data record's values."""
    table = _Table.read(data, dialect)
    return table.header, [list(r.values) for r in table.body]


def fill_cells(data: bytes, dialect: TextDialect, fills: Mapping[int, Mapping[str | int, Cell]],
               new_columns: Sequence[str] = ()) -> bytes:
    """The file with the given cells set (record index -> {column: value}); all else byte for byte."""
    return _Table.read(data, dialect).filled(fills, new_columns)


def record_keys(data: bytes, dialect: TextDialect, key_columns: Sequence[Sequence[str]]) -> list[Key | None]:
    """Each data record's key: the first group of key_columns with a value (e.g. id, else name+city)."""
    table = _Table.read(data, dialect)
    return _keys(table.header, [r.values for r in table.body], key_columns)


def key_of(values: Mapping[str, str], key_columns: Sequence[Sequence[str]]) -> Key | None:
    """The key of one record given as {header: value}: ("id", "x") or ("nom+ville", "a", "b"); None if blank."""
    return _keys(list(values), [list(values.values())], key_columns)[0]


def fills_by_key(data: bytes, dialect: TextDialect, key_columns: Sequence[Sequence[str]],
                 fills: Mapping[Key, Mapping[str, Cell]], new_columns: Sequence[str] = (),
                 *, only_empty: bool = True) -> tuple[bytes, list[Key]]:
    """Fill the records whose key matches (rows added or moved meanwhile are kept); keys not applied."""
    # Matching on keys, not positions: the file may have changed since it was read.
    table = _Table.read(data, dialect)
    rows = [r.values for r in table.body]
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
        by_index[found[0]] = dict(cells)
    return table.filled(by_index, new_columns), missed


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


@dataclass(frozen=True)
class _Table:
    """A decoded file, split once: what fill_cells and fills_by_key both work on."""

    text: str
    codec: str
    has_bom: bool
    dialect: TextDialect
    records: list[Record]
    header: list[str]
    body: list[Record]

    @classmethod
    def read(cls, data: bytes, dialect: TextDialect) -> _Table:
        text, codec, has_bom = decode(data, dialect)
        records = scan(text, dialect.separator, dialect.quotechar)
        header = list(records[0].values) if dialect.header and records else []
        body = records[1:] if dialect.header else records
        return cls(text, codec, has_bom, dialect, records, header, body)

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
            end = self.records[0].end
            edits.append((end, end, "".join(dialect.separator + _quoted(c, dialect, False) for c in added)))
        for index, record in enumerate(body):
            if added and len(record.values) > len(header):  # the new column would land on a stray field
                raise DataFileError(f"Ligne {record.line} : plus de champs ({len(record.values)}) que l'en-tête "
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
                edits.extend(_record_edits(text, record, cells, dialect, len(header) + len(added) if added else 0))
        out = (BOM if self.has_bom else "") + _apply(text, edits)
        return out.encode(self.codec, _errors(self.codec))


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


def _record_edits(text: str, record: Record, cells: Mapping[int, str], dialect: TextDialect,
                  width: int) -> list[tuple[int, int, str]]:
    edits = []
    count = len(record.values)
    spans = field_spans(text, record, dialect.separator, dialect.quotechar) if any(p < count for p in cells) else []
    for position, value in sorted(cells.items()):
        if position < count:
            a, b = spans[position]
            edits.append((a, b, _quoted(value, dialect, text[a:b].startswith(dialect.quotechar))))
    # Cells past the record's last field (a short record, or new columns): pad, then append.
    target = max([width, *(p + 1 for p in cells)])
    if target > count:
        tail = "".join(dialect.separator + _quoted(cells.get(p, ""), dialect, False)
                       for p in range(count, target))
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
