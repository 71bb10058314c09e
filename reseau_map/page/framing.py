"""Which part of the map the screen shows: a place, a route, the view in the URL, or regions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from reseau_map.geo.nearest import Nearby, route_bounds
from reseau_map.maps.mapview import PLACE_ZOOM, place_view, view_for_bounds
from reseau_map.page.view import View

ROUTE_MAX_ZOOM = 10
Frame = tuple[tuple[float, float], float]


def frame(view: View, places: pd.DataFrame, near: Nearby | None,
          region_bounds: Callable[[Iterable[str]], list[list[float]] | None]) -> Frame | None:
    """Centre and zoom for this view, or None for the default view of France."""
    if view.place:
        found = place_view(places, view.place)
        if found is not None:
            return found
    if near is not None and not near.places.empty:
        return view_for_bounds(route_bounds(near.origin, near.places), max_zoom=ROUTE_MAX_ZOOM)
    if view.center is not None:
        return view.center, view.zoom if view.zoom is not None else PLACE_ZOOM
    if view.regions:
        bounds = region_bounds(view.regions)
        if bounds:
            return view_for_bounds(bounds)
    return None
