"""A delimited text file split into records, each with its span in the text and its values.

The csv module finds where each record ends (quoted line breaks belong to their record), so
records agree with what the reader sees; a record's field spans are found only when a cell of it
is rewritten. Decoding keeps every byte: what the codec cannot read comes back unchanged.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass

from reseau_map.files.dialect import TextDialect

BOM = "\ufeff"
LINE_BREAK = re.compile(r"\r\n|\n|\r")


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
    text = data.decode(codec, codec_errors(codec))
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


def _breaks(chunk: str) -> int:
    return chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")


def codec_errors(codec: str) -> str:
    """The error handler that lets a codec round-trip any bytes (surrogateescape or surrogatepass)."""
    # Bytes the codec cannot read must still come back unchanged.
    return "surrogatepass" if codec.startswith("utf-16") or codec.startswith("utf-32") else "surrogateescape"
