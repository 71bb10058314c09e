"""Which part of the map the screen shows: a place, a route, the visitor's own view, or what is shown.

The page asks `frame()` once per run. A filter change clears the visitor's camera, so the map fits
the places shown; the fit happens in the browser (it knows the map's real size, phone or
projector) and only once per `fit_key`, so a rerun for another reason never moves the map.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from reseau_map.domain.camera import PLACE_ZOOM, bounds_of, place_view
from reseau_map.domain.view import View
from reseau_map.geo.earth import FRANCE_BOUNDS
from reseau_map.geo.nearest import Nearby, route_bounds

FIT_MAX_ZOOM = 11  # one place alone is shown with its town around it
ROUTE_MAX_ZOOM = 10
Bounds = list[list[float]]


@dataclass(frozen=True)
class Frame:
    """Either a centre and zoom for st_folium, or bounds the browser fits once per key."""

    center: tuple[float, float] | None = None
    zoom: float | None = None
    fit: Bounds | None = None
    fit_key: str = ""
    max_zoom: int = FIT_MAX_ZOOM


def selection_key(view: View, nonce: int = 0) -> str:
    """What the fit depends on: the filters, the search, the year (and a « Toute la carte » click)."""
    return "|".join([",".join(sorted(view.types)), ",".join(view.regions), ",".join(sorted(view.statuses)),
                     view.q, view.year, view.near, str(nonce)])


def frame(view: View, places: pd.DataFrame, shown: pd.DataFrame, near: Nearby | None,
          region_bounds: Callable[[Iterable[str]], Bounds | None], nonce: int = 0,
          whole: bool = False) -> Frame:
    """Where the map looks for this view."""
    key = selection_key(view, nonce)
    if whole:
        return Frame(fit=FRANCE_BOUNDS, fit_key=key)
    if view.place:
        found = place_view(places, view.place)
        if found is not None:
            return Frame(found[0], found[1])
    if near is not None and not near.places.empty:
        return Frame(fit=route_bounds(near.origin, near.places), fit_key=key, max_zoom=ROUTE_MAX_ZOOM)
    if view.center is not None:
        return Frame(view.center, view.zoom if view.zoom is not None else PLACE_ZOOM)
    fit = region_bounds(view.regions) if view.regions else None
    # A year of the timeline frames the whole network, not the few places open then: the map stays
    # still as the years pass (framing 2010's one place zoomed to its streets and lost France).
    fit = fit or (bounds_of(places) if view.year else None) or bounds_of(shown) or FRANCE_BOUNDS
    return Frame(fit=fit, fit_key=key)
