"""Exports that French spreadsheets open as they are: « CSV pour Excel » and an XLSX workbook.

French Excel reads a CSV file split by `;`, in UTF-8 only after a BOM, and a number only with
a decimal comma: the « CSV pour Excel » is written so, with French headers and the labels of
statuses and precisions. The workbook holds the same table on a sheet whose header row stays
in sight (frozen) and filters, and the credit on a second sheet. In both, a text a spreadsheet
would run as a formula stays text (files/export.neutralise in the CSV; a string cell in the
workbook), and the columns are those of files/export.table: the partner's private ones never.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reseau_map.files import export
from reseau_map.files.credit import Credit
from reseau_map.files.network import french_date
from reseau_map.files.schema import PRECISIONS
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary

HEADERS: dict[str, str] = {
    "id": "Identifiant", "name": "Nom", "type": "Catégorie", export.TYPE_ID: "Identifiant de catégorie",
    "status": "Statut", "address": "Adresse", "postcode": "Code postal", "insee": "Code commune INSEE",
    "city": "Commune", "region": "Région", "lat": "Latitude", "lon": "Longitude", "precision": "Précision",
    "opened": "Année d'ouverture", "website": "Site web", "description": "Description", "source": "Source",
}
CREDIT_HEADER = "Crédit et licence"
SEPARATOR = ";"
DECIMAL = ","
PLACES_SHEET = "Lieux"
CREDIT_SHEET = "Crédit et licence"
PARTNER_SUFFIX = " (fichier)"  # a partner column that would take one of our French headers
WIDTHS: dict[str, int] = {"name": 36, "description": 50, "source": 50, "address": 30, "website": 30}
MAX_WIDTH = 60


def french_table(df: pd.DataFrame, vocab: Vocabulary | None = None, extra: Sequence[str] = (),
                 credit: Credit | None = None) -> pd.DataFrame:
    """The export's table with French headers, statuses and precisions as labels, the credit last if given."""
    vocab = vocab or neutral_vocabulary()
    out = export.table(df, vocab, extra)
    out["status"] = out["status"].map(lambda v: vocab.status_label(str(v)) if isinstance(v, str) and v else "")
    out["precision"] = out["precision"].map(lambda v: PRECISIONS.get(str(v), str(v)) if isinstance(v, str) else "")
    out["opened"] = out["opened"].astype("Int64")
    taken = set(HEADERS.values()) | {CREDIT_HEADER}
    names = {c: HEADERS.get(c) or (c + PARTNER_SUFFIX if c in taken else c) for c in out.columns}
    out = out.rename(columns=names)
    if credit is not None:
        out[CREDIT_HEADER] = credit.text
    return out


def _text_columns(out: pd.DataFrame) -> list[str]:
    return [c for c in out.columns if not pd.api.types.is_numeric_dtype(out[c])]


def excel_csv(df: pd.DataFrame, vocab: Vocabulary | None = None, extra: Sequence[str] = (),
              credit: Credit | None = None) -> bytes:
    """« CSV pour Excel »: `;` between cells, a UTF-8 BOM, French headers, a decimal comma, CRLF lines."""
    out = french_table(df, vocab, extra, credit)
    out["Année d'ouverture"] = out["Année d'ouverture"].astype("string")
    for column in _text_columns(out):
        out[column] = out[column].map(_clean, na_action="ignore")
    return out.to_csv(index=False, sep=SEPARATOR, decimal=DECIMAL, lineterminator="\r\n").encode("utf-8-sig")


def _clean(value: object) -> object:
    # Control characters (a BEL, a NUL) mean nothing in a sheet; a formula stays text.
    return export.neutralise(ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)


def _cell(sheet: Any, value: Any, bold: bool = False) -> Any:  # openpyxl's WriteOnlyCell is a function
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        value = None
    elif isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters: Excel refuses the whole file
    elif hasattr(value, "item"):  # numpy scalars
        value = value.item()
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a text, even one that starts with « = »: never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def workbook(df: pd.DataFrame, vocab: Vocabulary | None = None, extra: Sequence[str] = (),
             credit: Credit | None = None, today: date | None = None, described: str = "") -> bytes:
    """The places as an XLSX workbook: the table (header row frozen, filters) and a sheet of credit and licence."""
    out = french_table(df, vocab, extra)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(PLACES_SHEET)
    sheet.freeze_panes = "A2"
    ours = {v: k for k, v in HEADERS.items()}
    for i, column in enumerate(out.columns, start=1):
        width = WIDTHS.get(ours.get(column, ""), min(MAX_WIDTH, max(12, len(str(column)) + 2)))
        sheet.column_dimensions[get_column_letter(i)].width = width
    if len(out.columns):
        last = get_column_letter(len(out.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(out) + 1}"
    sheet.append([_cell(sheet, str(c), bold=True) for c in out.columns])
    for record in out.itertuples(index=False, name=None):
        sheet.append([_cell(sheet, v) for v in record])
    about = book.create_sheet(CREDIT_SHEET)
    about.column_dimensions["A"].width = 120
    about.append([_cell(about, CREDIT_SHEET, bold=True)])
    for line in (credit.lines if credit is not None else ()):
        about.append([_cell(about, line)])
    if today is not None:
        about.append([_cell(about, f"Exporté le {french_date(today.isoformat())}.")])
    if described:
        about.append([_cell(about, f"Vue exportée : {described}")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
