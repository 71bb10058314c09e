"""The small map of the form and of moderation: the basemap, one point, and what a click says."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TypedDict

import folium

from reseau_map.geo.earth import FRANCE_CENTER

PREVIEW_HEIGHT = 360
POINT_ZOOM = 11  # a commune and its surroundings, readable with or without tiles
FRANCE_ZOOM = 5


class MarkerStyle(TypedDict):
    """The options of a folium CircleMarker that the preview sets."""

    radius: float
    color: str
    weight: float
    fill: bool
    fill_color: str
    fill_opacity: float


POINT_STYLE: MarkerStyle = {"radius": 9, "color": "#d62728", "weight": 3, "fill": True, "fill_color": "#ffffff",
               "fill_opacity": 0.9}
NEIGHBOUR_STYLE: MarkerStyle = {"radius": 6, "color": "#555555", "weight": 2, "fill": True, "fill_color": "#bbbbbb",
                   "fill_opacity": 0.8}


def point_layer(lat: float | None, lon: float | None, label: str,
                neighbours: list[tuple[float, float, str]] | None = None) -> folium.FeatureGroup:
    """The proposed point (red ring) and nearby known places (grey), tooltips escaped."""
    group = folium.FeatureGroup(name="Proposition", control=False)
    for n_lat, n_lon, n_label in neighbours or []:
        folium.CircleMarker([n_lat, n_lon], tooltip=html.escape(n_label), **NEIGHBOUR_STYLE).add_to(group)
    if lat is not None and lon is not None:
        folium.CircleMarker([lat, lon], tooltip=html.escape(label), **POINT_STYLE).add_to(group)
    return group


def view(lat: float | None, lon: float | None) -> tuple[tuple[float, float], int]:
    """Centre and zoom: on the point if there is one, else on France."""
    if lat is None or lon is None:
        return FRANCE_CENTER, FRANCE_ZOOM
    return (lat, lon), POINT_ZOOM


def clicked(result: Mapping | None) -> tuple[float, float] | None:
    """The point a st_folium result says was clicked last, rounded to ~1 m, or None."""
    last = (result or {}).get("last_clicked") or {}
    if last.get("lat") is None or last.get("lng") is None:
        return None
    return round(float(last["lat"]), 5), round(float(last["lng"]), 5)
