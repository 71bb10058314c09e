"""Which part of the earth a map shows: bounds around places, a centre and zoom that fit them."""

from __future__ import annotations

import math

import pandas as pd

from reseau_map.geo.earth import FRANCE_BOUNDS

# Half zooms let the whole of metropolitan France, Corsica included, fit a 650 px map.
FRANCE_ZOOM = 5.5
PLACE_ZOOM = 11
MAX_ZOOM = 18
MIN_ZOOM = 2
SINGLE_POINT_PAD = 0.05  # degrees around a lone point, so that its bounds have a size


def bounds_of(df: pd.DataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the located places (those of metropolitan France when
    there are some: a single place in La Réunion must not zoom the map out to the whole world)."""
    located = df.dropna(subset=["lat", "lon"])
    if located.empty:
        return None
    (s, w), (n, e) = FRANCE_BOUNDS
    home = located[located["lat"].between(s, n) & located["lon"].between(w, e)]
    located = home if not home.empty else located
    south, north = float(located["lat"].min()), float(located["lat"].max())
    west, east = float(located["lon"].min()), float(located["lon"].max())
    if north - south < SINGLE_POINT_PAD and east - west < SINGLE_POINT_PAD:
        south, north, west, east = (south - SINGLE_POINT_PAD, north + SINGLE_POINT_PAD,
                                    west - SINGLE_POINT_PAD, east + SINGLE_POINT_PAD)
    return [[south, west], [north, east]]


def view_for_bounds(bounds: list[list[float]], width: int = 900, height: int = 600,
                    max_zoom: int = PLACE_ZOOM) -> tuple[tuple[float, float], int]:
    """Centre and the largest whole zoom at which the bounds fit a map of that size."""
    (south, west), (north, east) = bounds
    center = ((south + north) / 2, (west + east) / 2)

    def merc_y(lat: float) -> float:
        s = math.sin(math.radians(max(min(lat, 85), -85)))
        return math.log((1 + s) / (1 - s)) / (4 * math.pi)

    span_x = max((east - west) / 360, 1e-9)
    span_y = max(abs(merc_y(north) - merc_y(south)), 1e-9)
    zoom = min(math.log2(width / 256 / span_x), math.log2(height / 256 / span_y))
    return center, int(max(2, min(max_zoom, math.floor(zoom))))


def place_view(df: pd.DataFrame, place_id: str) -> tuple[tuple[float, float], int] | None:
    """Centre and zoom on one located place, or None if it is not on the map."""
    rows = df[(df["id"] == place_id) & df["lat"].notna() & df["lon"].notna()]
    if rows.empty:
        return None
    return (float(rows["lat"].iloc[0]), float(rows["lon"].iloc[0])), PLACE_ZOOM
