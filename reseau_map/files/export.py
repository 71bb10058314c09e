"""Exports of the places shown: CSV (the data contract) and GeoJSON.

Each place says its category as the file wrote it (`type`: the label; a list in one cell, the
labels joined by « , ») and our id (`type_id`, ids joined by « | »), then the contract's other
columns and the partner's public columns (`extra`, in the file's order). Private columns
(files/privacy.py) are never written: the caller gives only the public ones. Given a credit
(files/credit.py), the CSV ends with a `credit` column and the GeoJSON says it beside its features.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import pandas as pd

from reseau_map.files.credit import Credit
from reseau_map.files.places import COLUMNS
from reseau_map.files.schema import CATEGORIES
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary

TYPE_ID = "type_id"  # our id of a place's category, beside the category as written
CREDIT = "credit"  # the CSV's last column when the export is given its credit

# A spreadsheet runs a cell starting with these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def table(df: pd.DataFrame, vocab: Vocabulary | None = None, extra: Sequence[str] = ()) -> pd.DataFrame:
    """The export's columns: the contract's, the category as written beside our id, the partner's public ones."""
    vocab = vocab or neutral_vocabulary()
    out = df.reindex(columns=list(COLUMNS)).copy()
    ids = df[CATEGORIES].fillna("").astype(str) if CATEGORIES in df.columns else pd.Series("", index=df.index)
    ids = ids.where(ids != "", df["type"].astype(str))
    out["type"] = ids.map(lambda v: ", ".join(vocab.type_label(k) for k in v.split("|")))
    out.insert(list(out.columns).index("type") + 1, TYPE_ID, ids)
    for column in extra:
        if column in df.columns and column not in out.columns:
            out[column] = df[column]
    return out


def to_csv(df: pd.DataFrame, vocab: Vocabulary | None = None, extra: Sequence[str] = (),
           credit: Credit | None = None) -> bytes:
    """The places as UTF-8 CSV with the contract's columns (a BOM so spreadsheets read accents), then the credit."""
    out = table(df, vocab, extra)
    if credit is not None:
        out[CREDIT] = credit.text
    out["opened"] = out["opened"].astype("string")
    # Text columns only: a longitude of -1.68 is a number and must stay one.
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralise, na_action="ignore")
    # CRLF as RFC 4180 and Excel expect; it also makes the writer quote a cell holding a lone "\r".
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_geojson(df: pd.DataFrame, vocab: Vocabulary | None = None, extra: Sequence[str] = (),
               credit: Credit | None = None) -> bytes:
    """The located places as a GeoJSON FeatureCollection (properties = contract columns), with its credit."""
    located = df.dropna(subset=["lat", "lon"])
    props = table(located, vocab, extra).drop(columns=["lat", "lon"])
    props["opened"] = props["opened"].astype("string").fillna("")
    # object first: a column the frame lacks comes back as NaN floats, which "" may not fill.
    records = props.astype(object).fillna("").to_dict(orient="records")
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
         "properties": rec}
        for lat, lon, rec in zip(located["lat"], located["lon"], records, strict=True)
    ]
    # A foreign member (RFC 7946, 6.1): readers that do not know it keep the features.
    said = {CREDIT: credit.text, "attribution": list(credit.lines)} if credit is not None else {}
    return json.dumps({"type": "FeatureCollection", **said, "features": features},
                      ensure_ascii=False).encode("utf-8")
