"""Spreadsheets (XLSX, ODS) and GeoJSON as rows of text cells, each with its line (sheet row) number."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from collections.abc import Iterable
from xml.etree import ElementTree

import numpy as np

from reseau_map.core.errors import DataFileError
from reseau_map.core.findings import FILE_NOTE, Finding
from reseau_map.core.safefile import size_text

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XLSX_PART = "xl/workbook.xml"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and .doc) files
LAT, LON = "lat", "lon"  # the columns a GeoJSON point gives (names our column rules know)
TRUE_FALSE = ("VRAI", "FAUX")  # how a French spreadsheet shows booleans
# Bounds on what a workbook may cost, whatever its few bytes claim (the README says them).
MAX_INFLATED = 256 << 20  # bytes, all its parts unzipped: a 4 MB XLSX inflating to 4 GB took 8.6 GB
MAX_ENTRIES = 10_000  # parts of the archive
MAX_ROWS = 1_048_576  # a spreadsheet's own limit
MAX_CELLS = 20_000_000  # a million rows of 20 columns
MAX_ROW_REPEAT = 1_000  # one ODS row written out this many times at most (places are not copies)
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE, _ROW = f"{{{_TABLE_NS}}}table", f"{{{_TABLE_NS}}}table-row"
_CELLS = (f"{{{_TABLE_NS}}}table-cell", f"{{{_TABLE_NS}}}covered-table-cell")
_ROWS_REPEATED, _COLUMNS_REPEATED = f"{{{_TABLE_NS}}}number-rows-repeated", f"{{{_TABLE_NS}}}number-columns-repeated"
_VALUE_TYPE = f"{{{_OFFICE_NS}}}value-type"

Rows = list[tuple[int, list[str]]]


def zip_format(data: bytes) -> str:
    """"xlsx" or "ods" for a zip archive that is one of them, checked for size; a French error otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            check_inflated(infos)
            names = {info.filename for info in infos}
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
            if XLSX_PART in names:
                return "xlsx"
    except DataFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError) as err:
        raise DataFileError("Archive ZIP illisible : ce n'est ni un classeur XLSX ni un classeur ODS.") from err
    raise DataFileError("Archive ZIP qui n'est ni un classeur XLSX ni un classeur ODS.")


def check_inflated(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive that would unzip to more than MAX_INFLATED (a zip bomb) or hold too many parts.

    The sizes are those the archive declares: zipfile never inflates an entry past its declared
    size (it stops, and the CRC check fails), so a lying header cannot get more out.
    """
    if len(infos) > MAX_ENTRIES:
        raise DataFileError(f"Classeur refusé : l'archive contient {len(infos)} fichiers (au plus {MAX_ENTRIES}).")
    total = sum(info.file_size for info in infos)
    if total > MAX_INFLATED:
        packed = sum(info.compress_size for info in infos)
        raise DataFileError(f"Classeur refusé : {size_text(packed)} compressés, mais {size_text(total)} une fois "
                            f"décompressé, au-delà des {size_text(MAX_INFLATED)} lus (bombe de décompression ?).")


def cell_text(value: object) -> str:
    """A cell as text: integers without « .0 », dates in ISO form, nothing for an empty cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return TRUE_FALSE[0] if value else TRUE_FALSE[1]
    if isinstance(value, float | np.floating):
        if math.isinf(value):
            return str(value)
        if float(value).is_integer() and abs(float(value)) < 1e15:
            return str(int(value))
        return np.format_float_positional(float(value), trim="-")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def xlsx_rows(data: bytes) -> Rows:
    """The first sheet's rows of an XLSX workbook, numbered as the sheet numbers them."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # The size the sheet declares (« A1:XFD1048576 ») would pad every row to 16,384 cells and
            # add empty rows up to a million: rows come as wide as their own cells instead.
            sheet.reset_dimensions()
            return _numbered(enumerate(sheet.iter_rows(values_only=True), start=1))
        finally:
            book.close()
    except DataFileError:
        raise
    except Exception as err:  # openpyxl raises many kinds (KeyError, XML errors…) on a damaged file
        raise DataFileError(f"Classeur XLSX illisible ({type(err).__name__}).") from err


def ods_rows(data: bytes) -> Rows:
    """The first sheet's rows of an ODS workbook (pandas' odf engine), numbered as the sheet does."""
    import pandas as pd

    ods_extent(data)  # a row repeated a million times in 864 bytes: refused before pandas expands it
    try:
        frame = pd.read_excel(io.BytesIO(data), engine="odf", sheet_name=0, header=None, dtype=object)
    except Exception as err:  # odfpy raises XML and zip errors of many kinds on a damaged file
        raise DataFileError(f"Classeur ODS illisible ({type(err).__name__}).") from err
    # pandas keeps empty leading rows, so the index is the sheet row number minus one.
    return _numbered((int(i) + 1, row) for i, row in zip(frame.index, frame.itertuples(index=False), strict=True))


def ods_extent(data: bytes) -> tuple[int, int]:
    """(rows, columns) the first sheet of an ODS workbook expands to, counted without expanding it.

    ODS says « this row again, 1,048,576 times » in one attribute: the expansion pandas would
    make is counted here first, streaming, and refused past MAX_ROW_REPEAT repeats of a row that
    holds something, or MAX_CELLS cells in all. Empty rows and cells at the end cost nothing, as
    in pandas, which only writes out the empty ones that come before content.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as part:
            head = part.peek(4096)[:4096] if isinstance(part, zipfile.ZipExtFile) else b""
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise DataFileError("Classeur ODS refusé : son contenu déclare des entités XML.")
            return _extent(ElementTree.iterparse(part, events=("start", "end")))
    except DataFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError) as err:
        raise DataFileError(f"Classeur ODS illisible ({type(err).__name__}).") from err


def _repeat(element: ElementTree.Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute, "1")))
    except ValueError:
        return 1


def _extent(events: Iterable[tuple[str, ElementTree.Element]]) -> tuple[int, int]:
    rows = empty_rows = width = 0
    row_width = row_empty = 0  # this row: cells that count, then empty cells waiting for content
    depth = 0  # tables open, inside the first one
    for event, element in events:
        tag = element.tag
        if tag == _TABLE:
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if not depth:
                break  # the first sheet is all that is read
            continue
        if not depth:
            if event == "end":
                element.clear()
            continue
        if event == "start":
            if tag == _ROW:
                row_width = row_empty = 0
            continue
        if tag in _CELLS:
            repeat = _repeat(element, _COLUMNS_REPEATED)
            if element.get(_VALUE_TYPE) is None:  # what pandas reads as empty
                row_empty += repeat
            else:
                row_width += row_empty + repeat
                row_empty = 0
        elif tag == _ROW:
            repeat = _repeat(element, _ROWS_REPEATED)
            if not row_width:
                empty_rows += repeat
            elif repeat > MAX_ROW_REPEAT:
                raise DataFileError(f"Classeur ODS refusé : sa ligne {rows + empty_rows + 1} est répétée {repeat} "
                                    f"fois (au plus {MAX_ROW_REPEAT}) ; ce n'est pas une liste de lieux.")
            else:
                rows += empty_rows + repeat
                empty_rows = 0
                width = max(width, row_width)
                if rows * width > MAX_CELLS:
                    raise DataFileError(f"Classeur ODS refusé : plus de {MAX_CELLS} cellules une fois ses lignes "
                                        f"et ses colonnes répétées écrites ({rows} lignes, {width} colonnes).")
        element.clear()
    return rows, width


def _numbered(rows: Iterable[tuple[int, Iterable[object]]]) -> Rows:
    out = []
    seen = 0
    for number, values in rows:
        cells = [cell_text(v) for v in values]
        seen += len(cells)
        if seen > MAX_CELLS or number > MAX_ROWS:
            raise DataFileError(f"Classeur refusé : plus de {MAX_CELLS} cellules ou de {MAX_ROWS} lignes "
                                f"(ligne {number}).")
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out.append((number, cells))
    return out


def geojson_rows(doc: dict) -> tuple[list[str], Rows, list[Finding]]:
    """Headers, rows and notes of a GeoJSON FeatureCollection: properties plus lat/lon of each point."""
    features = doc.get("features")
    if not isinstance(features, list):
        raise DataFileError("GeoJSON sans liste « features » : aucun lieu à lire.")
    props = [f.get("properties") or {} if isinstance(f, dict) else {} for f in features]
    headers: list[str] = []
    for p in props:
        if isinstance(p, dict):
            headers += [str(k) for k in p if str(k) not in headers]
    # The geometry's position; its columns never take a property's name.
    coords = [c if c not in headers else f"{c} (géométrie)" for c in (LAT, LON)]
    findings: list[Finding] = []
    rows: Rows = []
    shapes: list[str] = []
    for number, (feature, p) in enumerate(zip(features, props, strict=True), start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        point, kind = _point(geometry)
        cells = [_json_cell(p.get(h)) for h in headers] if isinstance(p, dict) else [""] * len(headers)
        cells += [_coordinate(point, 1), _coordinate(point, 0)]
        if kind and point is None:
            findings.append(Finding(number, "geometry", kind, "géométrie illisible ; lieu placé d'après sa ville"))
        elif kind:
            shapes.append(kind)
        rows.append((number, cells))
    if shapes:
        kinds = ", ".join(sorted(set(shapes)))
        findings.append(Finding(0, "geometry", kinds, f"{len(shapes)} géométrie(s) autre(s) qu'un point, "
                                "chacune lue en un point à l'intérieur", FILE_NOTE))
    return headers + coords, rows, findings


def _json_cell(value: object) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)


def _coordinate(point: tuple[float, float] | None, index: int) -> str:
    return "" if point is None else cell_text(point[index])


def _number(value: object) -> float | None:
    # A coordinate is a finite number; true/false (which float() reads as 1 and 0) are not.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _point(geometry: object) -> tuple[tuple[float, float] | None, str]:
    # (lon, lat) and "" for a Point; another geometry gives its representative point (inside it)
    # and its type; (None, type) when it cannot be read: bad numbers, or a shape with no inside
    # (a polygon of no area, a line of no length), which shapely would still put somewhere.
    if not isinstance(geometry, dict):
        return None, ""
    kind = str(geometry.get("type", ""))
    coords = geometry.get("coordinates")
    if kind == "Point":
        if isinstance(coords, list) and len(coords) >= 2:
            lon, lat = _number(coords[0]), _number(coords[1])
            if lon is not None and lat is not None:
                return (lon, lat), ""
        return None, kind
    try:
        from shapely.geometry import shape

        found = shape(geometry)
        if found.is_empty or (found.geom_type.endswith("Polygon") and not found.area > 0) or (
                found.geom_type.endswith("LineString") and not found.length > 0):
            return None, kind
        rep = found.representative_point()
        lon, lat = _number(rep.x), _number(rep.y)
        return ((lon, lat), kind) if lon is not None and lat is not None else (None, kind)
    except Exception:  # shapely raises several kinds on a malformed geometry (and RecursionError on a deep one)
        return None, kind or "?"
