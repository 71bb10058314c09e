"""Exports of the places shown: CSV (the data contract) and GeoJSON."""

from __future__ import annotations

import json

import pandas as pd

from reseau_map.files.places import COLUMNS


def to_csv(df: pd.DataFrame) -> bytes:
    """The places as UTF-8 CSV with the contract's columns (a BOM so spreadsheets read accents)."""
    out = df.reindex(columns=list(COLUMNS)).copy()
    out["opened"] = out["opened"].astype("string")
    return out.to_csv(index=False).encode("utf-8-sig")


def to_geojson(df: pd.DataFrame) -> bytes:
    """The located places as a GeoJSON FeatureCollection (properties = contract columns)."""
    located = df.dropna(subset=["lat", "lon"])
    props = located.reindex(columns=[c for c in COLUMNS if c not in ("lat", "lon")]).copy()
    props["opened"] = props["opened"].astype("string").fillna("")
    records = props.fillna("").to_dict(orient="records")
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
         "properties": rec}
        for lat, lon, rec in zip(located["lat"], located["lon"], records, strict=True)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False).encode("utf-8")
