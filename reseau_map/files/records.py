"""A delimited text's records as the reader splits them, with where each one and its fields sit in the text.

The write-back edits a user's file record by record: it must see the records the reader saw
(delimited.records: a broken quote costs one line, a blank line is no record) and find the text of
a field it rewrites (delimited.field_spans, only for the records it edits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reseau_map.files import delimited
from reseau_map.files.delimited import QUOTE, Record
from reseau_map.files.dialect import TextDialect
from reseau_map.files.encoding import BOM

LINE_BREAK = re.compile(r"\r\n|\n|\r")  # the reader's physical lines (delimited.physical_lines)


@dataclass(frozen=True)
class Layout:
    """The records of a text and where each physical line starts and ends (before its line break)."""

    text: str
    records: list[Record]
    starts: list[int]
    ends: list[int]
    separator: str = ","
    quotechar: str = QUOTE

    def span(self, record: Record) -> tuple[int, int]:
        """Where a record sits: its first line's start to its last line's end."""
        return self.starts[record.line - 1], self.ends[record.last - 1]

    def field_spans(self, record: Record) -> list[tuple[int, int]]:
        """Where each field of a record sits in the text (quotes included)."""
        start, end = self.span(record)
        spans = delimited.field_spans(self.text[start:end], self.separator, self.quotechar)
        return [(start + a, start + b) for a, b in spans[:len(record.fields)]]


def layout(text: str, separator: str = ",", quotechar: str = QUOTE) -> Layout:
    """Every record of a delimited text as the reader reads it (none for blank or broken lines), with its place."""
    starts, ends = [0], []
    for brk in LINE_BREAK.finditer(text):
        ends.append(brk.start())
        starts.append(brk.end())
    ends.append(len(text))
    lines = [text[a:b] for a, b in zip(starts, ends, strict=True)]
    # The header's width tells a quoted line break from a broken quote, as when reading.
    first = next((line for line in lines if line.strip()), None)
    width = len(delimited.split_fields(first, separator, quotechar)[0]) if first is not None else None
    found = [r for r in delimited.records(lines, separator, width, quote=quotechar)
             if isinstance(r, Record) and "".join(r.fields).strip()]  # rows of bare separators are blank too
    return Layout(text, found, starts, ends, separator, quotechar)


def record_lines(text: str, dialect: TextDialect) -> list[int]:
    """The physical line (1-based, header = line 1) where each data record starts."""
    records = layout(text.removeprefix(BOM), dialect.separator, dialect.quotechar).records
    return [r.line for r in (records[1:] if dialect.header else records)]
