"""Any partner's file as a table of text: format, encoding, separator, header line — guessed, and said.

`read_rows` never guesses silently: what it decided about the file as a whole is a FILE_NOTE,
every line it could not read is one DROPPED finding naming that physical line.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from reseau_map.core.errors import DataFileError
from reseau_map.core.findings import DROPPED, FILE_NOTE, Finding
from reseau_map.core.text import fold
from reseau_map.files import delimited, sheets
from reseau_map.files.dialect import TextDialect
from reseau_map.files.encoding import BOMS, decode
from reseau_map.files.schema import DEFAULT_TYPE, vocabulary

FORMATS = ("csv", "xlsx", "ods", "geojson")
NO_HEADER_NOTE = "Pas de ligne d'en-tête : la première ligne est lue comme des données."
HEADER_ONLY = "Le fichier des lieux n'a qu'une ligne d'en-tête : aucun lieu à lire."
WHOLE_LINE = "ligne entière"  # the column named by a finding about a line that could not be split
UNNAMED = "colonne {}"  # a column without a header (1-based)
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode's Cc, but tab and newlines
CONTROL_SHARE = 0.01  # more control characters than this and the file is not text
# A cell that says "data", where a header would have a word: numbers, postcodes, coordinates, links.
DATA_CELL = re.compile(
    r"^\s*(?:[-+]?\d+(?:[.,]\d+)?(?:\s*[,;]\s*[-+]?\d+(?:[.,]\d+)?)?|2[ABab]\d{3}|https?://\S+|www\.\S+"
    r"|\S+@\S+\.\w+|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}.*)\s*$")
# Cells that are values of our vocabularies: a first line holding them is data, not headers.
DATA_WORDS = frozenset(k for c in ("type", "status") for k in vocabulary(c) if k != DEFAULT_TYPE)
TAB_EXTENSIONS = (".tsv", ".tab")  # a file name that says « tabs »: believed when the first line has one
TITLE_SCAN = 30  # rows looked at to find a table below title lines
DECIMAL = re.compile(r"^\s*[-+]?\d{1,3}([,.])\d+\s*$")  # a decimal number, and its mark


@dataclass
class RawTable:
    """A file's cells as text, one column per file column, with where each record starts."""

    frame: pd.DataFrame
    headers: list[str]
    lines: list[int]  # physical line (text), sheet row (XLSX, ODS) or feature number (GeoJSON), from 1
    dialect: TextDialect | None
    format: str
    findings: list[Finding] = field(default_factory=list)


def read_rows(data: bytes, filename: str = "", allow_empty: bool = False) -> RawTable:
    """The rows of a CSV (any separator/encoding), XLSX, ODS or GeoJSON file; a French error if none.

    The format is read from the bytes; the file name only settles a tab-separated file's separator.
    """
    if not data.strip(b" \t\r\n\x00") or data in (b for b, _ in BOMS):
        raise DataFileError("Le fichier des lieux est vide.")
    if data.startswith(sheets.OLE_MAGIC):
        raise DataFileError("Ancien format Excel (.xls) : enregistrez le fichier en .xlsx, .ods ou CSV.")
    if data.startswith(sheets.ZIP_MAGIC):
        kind = sheets.zip_format(data)
        rows = sheets.xlsx_rows(data) if kind == "xlsx" else sheets.ods_rows(data)
        return _from_rows(rows, kind)
    text, encoding, bom = decode(data)
    doc = _json(text)
    if doc is not None:
        headers, rows, notes = sheets.geojson_rows(doc)
        if not rows:
            raise DataFileError("Le GeoJSON ne contient aucun lieu (« features » est vide).")
        return _table(headers, rows, "geojson", ",", notes)
    return _from_text(text, encoding, bom, tabs=filename.lower().endswith(TAB_EXTENSIONS), allow_empty=allow_empty)


def _json(text: str) -> dict | None:
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return None
    try:
        doc = json.loads(stripped)
    except RecursionError as err:  # JSON all the same: saying « line too long » would mislead
        raise DataFileError(f"GeoJSON imbriqué trop profondément (plus de {sys.getrecursionlimit()} niveaux) : "
                            "ce n'est pas un fichier de lieux.") from err
    except ValueError:
        return None  # not JSON after all: read as text
    if not isinstance(doc, dict) or "features" not in doc:
        raise DataFileError("Fichier JSON sans « features » : seul le GeoJSON est accepté.")
    return doc


def _clean(text: str) -> tuple[str, list[Finding]]:
    # Control characters (NUL…) mean binary data, unless there are only a few strays.
    kept, controls = CONTROLS.subn("", text)
    if not controls:
        return text, []
    if controls > max(2, CONTROL_SHARE * len(text)):
        raise DataFileError("Le fichier n'est pas un tableau lisible : il contient des octets binaires "
                            "(ni CSV, ni XLSX, ni ODS, ni GeoJSON).")
    return kept, [Finding(0, "", str(controls), "caractère(s) de contrôle retiré(s) du fichier", FILE_NOTE)]


def _from_text(text: str, encoding: str, bom: bool, tabs: bool = False, allow_empty: bool = False) -> RawTable:
    text, findings = _clean(text)
    lines = delimited.physical_lines(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise DataFileError("Le fichier des lieux est vide.")
    if len(lines[first]) > delimited.MAX_LINE:
        raise DataFileError(f"La ligne {first + 1} fait {len(lines[first])} caractères : "
                            "ce n'est pas un tableau de lieux.")
    sep = "\t" if tabs and "\t" in lines[first] else delimited.sniff_separator(lines[first:])
    nonblank = [i for i in range(first, min(len(lines), first + TITLE_SCAN * 3)) if lines[i].strip()][:TITLE_SCAN]
    skip = table_start([len(_trimmed(delimited.split_fields(lines[i], sep)[0])) for i in nonblank])
    if skip:
        findings.append(_title_note(first + 1, nonblank[skip], lines[first]))
        first = nonblank[skip]
    header_fields = delimited.split_fields(lines[first], sep)[0]
    has_header = not looks_like_data(header_fields)
    rows = delimited.plain_rows(lines, sep, start=first + has_header)
    rejected: list[delimited.Rejected] = []
    if rows is None:  # quotes or a huge line: record by record, each broken one rejected alone
        read: list[delimited.Record] = []
        for item in delimited.records(lines, sep, len(header_fields), start=first + has_header):
            if isinstance(item, delimited.Record):
                read.append(item)
            else:
                rejected.append(item)
        rows = [(r.line, r.fields) for r in read]
    table = _table(header_fields if has_header else [], rows, "csv", sep, findings, has_header=has_header)
    for r in rejected:
        column = table.headers[r.field] if r.field is not None and r.field < len(table.headers) else WHOLE_LINE
        table.findings.append(Finding(r.line, column, r.raw, r.reason, DROPPED))
    if has_header and not rows and not rejected and not allow_empty:
        raise DataFileError(HEADER_ONLY)
    table.findings.sort(key=lambda f: f.row)
    table.dialect = TextDialect(encoding=encoding, bom=bom, separator=sep, newline=delimited.newline_of(text),
                                decimal=decimal_mark(table.frame, sep), header=has_header)
    return table


def looks_like_data(cells: list[str]) -> bool:
    """Whether a first line holds data (a number, postcode, link, a type or a status) rather than headers."""
    return any(DATA_CELL.match(c) or fold(c) in DATA_WORDS for c in cells if c.strip())


def table_start(widths: list[int]) -> int:
    """How many leading rows to skip: title rows narrower than the table (widths of the first rows)."""
    counted = [w for w in widths if w]
    if not counted:
        return 0
    modal = Counter(counted).most_common(1)[0][0]
    if modal < 2:
        return 0
    return next((i for i, w in enumerate(widths) if w >= modal), 0)


def _trimmed(fields: list[str]) -> list[str]:
    while fields and not fields[-1].strip():
        fields = fields[:-1]
    return fields


def _title_note(start: int, header_index: int, title: str) -> Finding:
    shown = delimited.shorten(title.strip().rstrip(",;\t| "))
    return Finding(0, "", "", f"Ligne(s) {start} à {header_index} au-dessus du tableau ignorée(s) : « {shown} »",
                   FILE_NOTE)


def decimal_mark(frame: pd.DataFrame, separator: str = ",") -> str:
    """"," when the file's decimal numbers mostly use a comma, else "." (a ";" file: "," unless told)."""
    commas = points = 0
    for col in frame.columns:
        # One regex for both marks, on plain lists: str.match with a compiled pattern runs in
        # Python anyway, and a number has one mark at one place, so the group tells which.
        for value in frame[col].head(500).tolist():
            found = DECIMAL.match(value) if isinstance(value, str) else None
            if found:
                commas += found[1] == ","
                points += found[1] == "."
    if commas == points == 0:
        # No decimal number yet: a ";" file comes from a French-locale spreadsheet, which writes commas.
        return "," if separator == ";" else "."
    return "," if commas > points else "."


def _from_rows(rows: sheets.Rows, fmt: str) -> RawTable:
    if not rows:
        raise DataFileError(f"La première feuille du classeur {fmt.upper()} est vide.")
    skip = table_start([len(_trimmed(cells)) for _, cells in rows[:TITLE_SCAN]])
    findings = [_title_note(rows[0][0], rows[skip][0] - 1, " ".join(rows[0][1]))] if skip else []
    rows = rows[skip:]
    header = rows[0][1]
    has_header = not looks_like_data(header)
    if has_header and len(rows) == 1:
        raise DataFileError(HEADER_ONLY)
    return _table(header if has_header else [], rows[1:] if has_header else rows, fmt, ";", findings,
                  has_header=has_header)


def _table(headers: list[str], rows: sheets.Rows, fmt: str, sep: str, findings: list[Finding],
           has_header: bool = True) -> RawTable:
    findings = list(findings)
    width = len(headers)
    kept: list[list[str]] = []
    lines: list[int] = []
    for line, fields in rows:
        if not "".join(fields).strip():  # one C call, not a generator, for each of thousands of rows
            continue  # blank lines and rows of bare separators, as spreadsheets leave them
        if has_header and len(fields) > width:
            extra = fields[width:]
            if any(f.strip() for f in extra):
                findings.append(Finding(line, WHOLE_LINE, delimited.shorten(sep.join(fields)),
                                        f"{len(fields)} champs pour {width} colonnes (séparateur dans une valeur "
                                        "sans guillemets ?) : ligne écartée", DROPPED))
                continue
            fields = fields[:width]
        kept.append(fields)
        lines.append(line)
    if not has_header:
        width = max((len(f) for f in kept), default=0)
        findings.insert(0, Finding(0, "", "", NO_HEADER_NOTE, FILE_NOTE))
    names = unique_headers(headers, width)
    kept = [f if len(f) == width else f + [""] * (width - len(f)) for f in kept]
    if not has_header and not kept:
        raise DataFileError("Le fichier des lieux est vide.")
    frame = pd.DataFrame(kept, columns=names, dtype=str) if kept else \
        pd.DataFrame({n: pd.Series(dtype=str) for n in names})
    findings.sort(key=lambda f: f.row)  # stable: file notes first, then by line
    return RawTable(frame, names, lines, None, fmt, findings)


def unique_headers(headers: list[str], width: int) -> list[str]:
    """Headers as the file spells them, `colonne N` where empty or missing, `nom (2)` for a repeat."""
    names: list[str] = []
    seen: set[str] = set()
    after: dict[str, int] = {}  # base -> the next number to try: 8,000 equal names were cubic in a list
    for i in range(width):
        name = headers[i].strip() if i < len(headers) and headers[i].strip() else UNNAMED.format(i + 1)
        if name in seen:
            base, n = name, after.get(name, 2)
            while (name := f"{base} ({n})") in seen:
                n += 1
            after[base] = n + 1
        seen.add(name)
        names.append(name)
    return names
