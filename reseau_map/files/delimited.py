"""Delimited text (CSV, `;`, tab, `|`): the separator, and records split so that rows never merge.

The one CSV tokeniser of the project: the reader splits a partner's file with it, and the
write-back finds the same records and the fields' places in the text with it (records.py).
A broken quote must cost one line, not the rest of the file: a record may span several physical
lines only when its quoted field closes cleanly and the record then has the header's width.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat

SEPARATORS = ",;\t|"
QUOTE = '"'
SAMPLE_CHARS = 64_000  # what csv.Sniffer sees: enough lines, bounded time
SAMPLE_LINES = 50
MAX_SPAN = 50  # a quoted cell longer than this many lines is a broken quote, not a description
MAX_LINE = 100_000  # characters; beyond this a "line" is not a row of places
SHOWN_CHARS = 80  # how much of a rejected line a message quotes

_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Record:
    """One row as read: its fields and the physical lines (1-based) where it starts and where it ends."""

    line: int
    fields: list[str]
    last: int  # a quoted line break makes a record span several lines


@dataclass(frozen=True)
class Rejected:
    """A physical line that could not be read as a row, with why (French), and which field broke."""

    line: int
    raw: str
    reason: str
    field: int | None = None


def physical_lines(text: str) -> list[str]:
    """The text split on any newline convention, without the line ends."""
    # Most files end lines with "\n" alone: str.split is several times faster than the regex.
    lines = _NEWLINE.split(text) if "\r" in text else text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def newline_of(text: str) -> str:
    """The newline the file uses: the first one found, "\\n" when there is none."""
    found = _NEWLINE.search(text)
    return found.group(0) if found else "\n"


def shorten(raw: str, limit: int = SHOWN_CHARS) -> str:
    """A line as a message quotes it: at most `limit` characters, an ellipsis when cut."""
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"


def sniff_separator(lines: list[str]) -> str:
    """The separator among `,;\\t|`: the only one in the first line, else csv.Sniffer's, else by counting."""
    first = _unquoted(lines[0]) if lines else ""
    present = [c for c in SEPARATORS if c in first]
    if len(present) == 1:  # headers seldom hold a separator: the first line is the surest witness
        return present[0]
    sample = "\n".join(line for line in lines[:SAMPLE_LINES] if len(line) < MAX_LINE)[:SAMPLE_CHARS]
    try:
        guess = csv.Sniffer().sniff(sample, delimiters="".join(present) or SEPARATORS).delimiter
    except csv.Error:
        guess = ""
    if guess and guess in present:
        return guess
    return _count_separator(lines[:SAMPLE_LINES])


def _unquoted(line: str) -> str:
    # Separators inside quotes do not count.
    return re.sub(r'"[^"]*"', "", line)


def _count_separator(lines: list[str]) -> str:
    # The candidate found on the most lines with the same non-zero count wins; `,` when none is.
    best, best_score = ",", (0, 0)
    for sep in SEPARATORS:
        counts = Counter(_unquoted(line).count(sep) for line in lines if len(line) < MAX_LINE)
        counts.pop(0, None)
        if counts:
            width, lines_with = counts.most_common(1)[0]
            score = (lines_with, width)
            if score > best_score:
                best, best_score = sep, score
    return best


def split_fields(text: str, sep: str, quote: str = QUOTE) -> tuple[list[str], bool, bool, int | None]:
    """(fields, still inside quotes at the end, text after a closing quote, field where a quote opened)."""
    if quote not in text:
        return text.split(sep), False, False, None
    fields, quoted, junk, opened, _ = _tokens(text, sep, quote)
    return fields, quoted, junk, opened


def field_spans(text: str, sep: str, quote: str = QUOTE) -> list[tuple[int, int]]:
    """Where each field of a record's text sits: from after a separator to the next (quotes and spaces included)."""
    if quote not in text:
        spans, start = [], 0
        for field in text.split(sep):
            spans.append((start, start + len(field)))
            start += len(field) + len(sep)
        return spans
    return _tokens(text, sep, quote)[4]


def _tokens(text: str, sep: str, quote: str) -> tuple[list[str], bool, bool, int | None, list[tuple[int, int]]]:
    fields: list[str] = []
    spans: list[tuple[int, int]] = []
    cell: list[str] = []
    quoted = closed = junk = False
    blank = True  # only spaces so far in this cell: a quote here opens a quoted cell
    opened: int | None = None
    start, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if quoted:
            if ch != quote:
                cell.append(ch)
            elif i + 1 < n and text[i + 1] == quote:  # "" is a quote inside a quoted cell
                cell.append(quote)
                i += 1
            else:
                quoted, closed = False, True
        elif ch == sep:
            fields.append("".join(cell))
            spans.append((start, i))
            cell, closed, blank, start = [], False, True, i + 1
        elif ch == quote and blank and not closed:
            cell, quoted, opened, blank = [], True, len(fields), False
        else:
            # Lenient like spreadsheets: text after a closing quote, or a quote inside a bare
            # cell, is kept as it is.
            junk = junk or (closed and not ch.isspace())
            blank = blank and ch.isspace()
            cell.append(ch)
        i += 1
    fields.append("".join(cell))
    spans.append((start, n))
    return fields, quoted, junk, opened, spans


def _looks_like_row(line: str, sep: str, width: int | None) -> bool:
    # A line inside a "quoted cell" that has a whole row's separators is a row the quote swallowed.
    return bool(width and width >= 3 and line.count(sep) >= width - 1)


def plain_rows(lines: list[str], sep: str, start: int = 0) -> list[tuple[int, list[str]]] | None:
    """(line, fields) of every line from index `start`, if no line has a quote or is too long; else None.

    Such lines are read exactly as `records` reads them, without its checks line by line (most files).
    """
    body = lines[start:]
    if any(map(str.__contains__, body, repeat(QUOTE))) or max(map(len, body), default=0) > MAX_LINE:
        return None
    return [(i, line.split(sep)) for i, line in enumerate(body, start + 1)]


def records(lines: list[str], sep: str, width: int | None, start: int = 0,
            quote: str = QUOTE) -> Iterator[Record | Rejected]:
    """Rows from physical lines (from index `start`); a broken line is one `Rejected`, the next lines go on.

    Linear in the text: a line that opens a quote is followed over at most MAX_SPAN lines, and what
    each following line does to an open quote is worked out once (`_Continuations`), however many
    broken quotes before it look at it (a quote re-opening on every line of 1.8 MB took 251 s).
    """
    after = _Continuations(lines, sep, width, quote)
    i = start
    while i < len(lines):
        line = lines[i]
        if len(line) > MAX_LINE:
            yield Rejected(i + 1, shorten(line), f"ligne de {len(line)} caractères, trop longue : ligne écartée")
            i += 1
            continue
        fields, quoted, junk, opened = split_fields(line, sep, quote)
        if not quoted:
            yield Record(i + 1, fields, i + 1)
            i += 1
            continue
        end = after.close(i, len(fields), junk)
        if end is None:
            yield Rejected(i + 1, shorten(line), "guillemet non fermé : ligne écartée", opened)
            i += 1
        else:
            yield Record(i + 1, split_fields("\n".join(lines[i:end + 1]), sep, quote)[0], end + 1)
            i = end + 1


class _Continuations:
    """What each line does to a quoted cell left open by the lines above it, worked out once per line."""

    def __init__(self, lines: list[str], sep: str, width: int | None, quote: str) -> None:
        self.lines, self.sep, self.width, self.quote = lines, sep, width, quote
        self._inside: dict[int, tuple[bool, bool, int]] = {}
        self._stop: dict[int, bool] = {}

    def close(self, i: int, fields: int, junk: bool) -> int | None:
        """The last line of a record whose quoted cell opens on line i (`fields` so far), if credible; else None.

        The same answer as splitting lines i..end joined, for each end in turn: the record closes on
        the first line that leaves the quote closed, and is credible when nothing follows a closing
        quote and it has the header's width.
        """
        for end in range(i + 1, min(len(self.lines), i + MAX_SPAN)):
            if self.stops(end):
                return None
            quoted, extra_junk, seps = self.inside(end)
            fields += seps
            junk = junk or extra_junk
            if quoted:
                continue
            if junk or (self.width is not None and fields != self.width):
                return None
            return end
        return None

    def stops(self, j: int) -> bool:
        """Whether line j cannot belong to a quoted cell: too long, or a whole row of its own without quotes."""
        found = self._stop.get(j)
        if found is None:
            line = self.lines[j]
            found = self._stop[j] = len(line) > MAX_LINE or (
                _looks_like_row(line, self.sep, self.width) and self.quote not in line)
        return found

    def inside(self, j: int) -> tuple[bool, bool, int]:
        """(still inside quotes at its end, text after a closing quote, separators outside quotes) of line j,
        read from inside a quoted cell."""
        found = self._inside.get(j)
        if found is None:
            found = self._inside[j] = _resume(self.lines[j], self.sep, self.quote)
        return found


def _resume(text: str, sep: str, quote: str) -> tuple[bool, bool, int]:
    # _tokens' rules, from inside a quoted cell, counting instead of building fields.
    quoted, closed, junk, blank = True, False, False, False
    seps, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if quoted:
            if ch == quote:
                if i + 1 < n and text[i + 1] == quote:
                    i += 1
                else:
                    quoted, closed = False, True
        elif ch == sep:
            seps += 1
            closed, blank = False, True
        elif ch == quote and blank and not closed:
            quoted, blank = True, False
        else:
            junk = junk or (closed and not ch.isspace())
            blank = blank and ch.isspace()
        i += 1
    return quoted, junk, seps
