"""Peer (b): folium.GeoJson of points drawn as circle markers on a canvas (prefer_canvas)."""

import folium
from streamlit_folium import st_folium

from tools.bench.peers import FRANCE_CENTER, FRANCE_ZOOM
from tools.bench.peers._page import filtered_places

df = filtered_places("folium GeoJson canvas")
features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
             "properties": {"name": name, "type": kind}}
            for name, kind, lat, lon in zip(df["name"], df["type"], df["lat"], df["lon"], strict=True)]
m = folium.Map(location=FRANCE_CENTER, zoom_start=FRANCE_ZOOM, tiles=None, prefer_canvas=True)
folium.GeoJson({"type": "FeatureCollection", "features": features},
               marker=folium.CircleMarker(radius=4, fill=True, weight=1),
               tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(m)
st_folium(m, key="carte", height=600, returned_objects=[])
