"""Geographic constants and distances, in one place."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
# Metropolitan France with Corsica: [[south, west], [north, east]], a small margin included.
FRANCE_BOUNDS: list[list[float]] = [[41.3, -5.2], [51.1, 9.6]]
FRANCE_CENTER: tuple[float, float] = (46.4, 2.4)


def in_france_bounds(lat: float, lon: float) -> bool:
    """Whether a point falls in metropolitan France's bounding box."""
    (south, west), (north, east) = FRANCE_BOUNDS
    return south <= lat <= north and west <= lon <= east


def distances_km(lat: ArrayLike, lon: ArrayLike, lats: ArrayLike, lons: ArrayLike) -> np.ndarray:
    """Great-circle distances (haversine) from one point to many (or, broadcast, pair by pair), in km."""
    p1, p2 = np.radians(lat), np.radians(np.asarray(lats, dtype=float))
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lons, dtype=float)) - np.radians(lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, for k-d trees whose straight distances follow great circles."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))
