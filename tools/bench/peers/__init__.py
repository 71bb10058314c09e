"""Peer apps for `python -m reseau_map bench`: the usual ways to draw the same places.

Each peer is a tiny Streamlit script (run by AppTest and by `streamlit run`) that reads the
file named by RESEAU_MAP_PLACES (the benchmark's synthetic places), offers the same region
filter as the page (a multiselect keyed "f_regions", label « Région ») and draws the shown
places its own way. The shared part lives here so the peers differ only in how they draw.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

PEERS_DIR = Path(__file__).resolve().parent
# name -> (script, label in the tables); the order of the tables' columns.
PEERS: dict[str, tuple[str, str]] = {
    "marker": ("marker.py", "folium Marker"),
    "geojson": ("geojson.py", "folium GeoJson canvas"),
    "fastcluster": ("fastcluster.py", "FastMarkerCluster"),
    "stmap": ("stmap.py", "st.map"),
    "pydeck": ("pydeck_chart.py", "pydeck"),
}
FRANCE_CENTER = (46.6, 2.4)
FRANCE_ZOOM = 6
USECOLS = ["name", "type", "city", "region", "lat", "lon"]


def read_places(path: str) -> pd.DataFrame:
    """The columns every peer needs, from the places CSV (no validation: peers trust the file)."""
    return pd.read_csv(path, usecols=USECOLS, dtype={"name": str, "type": str, "city": str,
                                                     "region": str}).dropna(subset=["lat", "lon"])


def places_path() -> str:
    """The places file the benchmark points every app at."""
    return os.environ["RESEAU_MAP_PLACES"]


def shown(df: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """The places of the chosen regions (all when none is chosen), as the page filters."""
    return df[df["region"].isin(regions)] if regions else df
