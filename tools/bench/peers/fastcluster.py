"""Peer (c): folium.plugins.FastMarkerCluster (points as arrays, markers made in the browser)."""

import folium
from folium.plugins import FastMarkerCluster
from streamlit_folium import st_folium

from tools.bench.peers import FRANCE_CENTER, FRANCE_ZOOM
from tools.bench.peers._page import filtered_places

df = filtered_places("FastMarkerCluster")
m = folium.Map(location=FRANCE_CENTER, zoom_start=FRANCE_ZOOM, tiles=None, max_zoom=18)
FastMarkerCluster(df[["lat", "lon"]].to_numpy().tolist()).add_to(m)
st_folium(m, key="carte", height=600, returned_objects=[])
