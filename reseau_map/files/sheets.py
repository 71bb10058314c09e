"""Spreadsheets (XLSX, ODS) and GeoJSON as rows of text cells, each with its line (sheet row) number."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from collections.abc import Iterable

import numpy as np

from reseau_map.core.errors import DataFileError
from reseau_map.core.findings import FILE_NOTE, Finding

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XLSX_PART = "xl/workbook.xml"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and .doc) files
LAT, LON = "lat", "lon"  # the columns a GeoJSON point gives (names our column rules know)
TRUE_FALSE = ("VRAI", "FAUX")  # how a French spreadsheet shows booleans

Rows = list[tuple[int, list[str]]]


def zip_format(data: bytes) -> str:
    """"xlsx" or "ods" for a zip archive that is one of them; a French error otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
            if XLSX_PART in names:
                return "xlsx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError) as err:
        raise DataFileError("Archive ZIP illisible : ce n'est ni un classeur XLSX ni un classeur ODS.") from err
    raise DataFileError("Archive ZIP qui n'est ni un classeur XLSX ni un classeur ODS.")


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

    try:
        frame = pd.read_excel(io.BytesIO(data), engine="odf", sheet_name=0, header=None, dtype=object)
    except Exception as err:  # odfpy raises XML and zip errors of many kinds on a damaged file
        raise DataFileError(f"Classeur ODS illisible ({type(err).__name__}).") from err
    # pandas keeps empty leading rows, so the index is the sheet row number minus one.
    return _numbered((int(i) + 1, row) for i, row in zip(frame.index, frame.itertuples(index=False), strict=True))


def _numbered(rows: Iterable[tuple[int, Iterable[object]]]) -> Rows:
    out = []
    for number, values in rows:
        cells = [cell_text(v) for v in values]
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


def _point(geometry: object) -> tuple[tuple[float, float] | None, str]:
    # (lon, lat) and "" for a Point; another geometry gives its representative point (inside it)
    # and its type; (None, type) when it cannot be read.
    if not isinstance(geometry, dict):
        return None, ""
    kind = str(geometry.get("type", ""))
    coords = geometry.get("coordinates")
    if kind == "Point" and isinstance(coords, list) and len(coords) >= 2:
        try:
            return (float(coords[0]), float(coords[1])), ""
        except (TypeError, ValueError):
            return None, kind
    try:
        from shapely.geometry import shape

        rep = shape(geometry).representative_point()
        return (float(rep.x), float(rep.y)), kind
    except Exception:  # shapely raises several kinds on a malformed geometry
        return None, kind or "?"
