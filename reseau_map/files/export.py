"""Exports of the places shown: CSV (the data contract) and GeoJSON."""

from __future__ import annotations

import json
import re

import pandas as pd

from reseau_map.files.places import COLUMNS

# A spreadsheet runs a cell starting with these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(df: pd.DataFrame) -> bytes:
    """The places as UTF-8 CSV with the contract's columns (a BOM so spreadsheets read accents)."""
    out = df.reindex(columns=list(COLUMNS)).copy()
    out["opened"] = out["opened"].astype("string")
    # Text columns only: a longitude of -1.68 is a number and must stay one.
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralise, na_action="ignore")
    # CRLF as RFC 4180 and Excel expect; it also makes the writer quote a cell holding a lone "\r".
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_geojson(df: pd.DataFrame) -> bytes:
    """The located places as a GeoJSON FeatureCollection (properties = contract columns)."""
    located = df.dropna(subset=["lat", "lon"])
    props = located.reindex(columns=[c for c in COLUMNS if c not in ("lat", "lon")]).copy()
    props["opened"] = props["opened"].astype("string").fillna("")
    # object first: a column the frame lacks comes back as NaN floats, which "" may not fill.
    records = props.astype(object).fillna("").to_dict(orient="records")
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
         "properties": rec}
        for lat, lon, rec in zip(located["lat"], located["lon"], records, strict=True)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False).encode("utf-8")
