"""Peer (a): one folium.Marker with a Popup per place, through st_folium (the common way)."""

import html

import folium
from streamlit_folium import st_folium

from tools.bench.peers import FRANCE_CENTER, FRANCE_ZOOM
from tools.bench.peers._page import filtered_places

df = filtered_places("folium Marker")
m = folium.Map(location=FRANCE_CENTER, zoom_start=FRANCE_ZOOM, tiles=None)
for row in df.itertuples(index=False):
    name = html.escape(str(row.name))
    folium.Marker([row.lat, row.lon], tooltip=name,
                  popup=folium.Popup(f"<b>{name}</b><br>{html.escape(str(row.city))}", max_width=300)).add_to(m)
st_folium(m, key="carte", height=600, returned_objects=[])
