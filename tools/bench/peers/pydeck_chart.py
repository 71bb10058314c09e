"""Peer (e): a pydeck ScatterplotLayer through st.pydeck_chart, with no basemap style."""

import pydeck as pdk
import streamlit as st

from tools.bench.peers import FRANCE_CENTER, FRANCE_ZOOM
from tools.bench.peers._page import filtered_places

df = filtered_places("pydeck")
layer = pdk.Layer("ScatterplotLayer", df[["lon", "lat"]], get_position=["lon", "lat"],
                  get_radius=300, radius_min_pixels=2, get_fill_color=[200, 30, 0, 160])
view = pdk.ViewState(latitude=FRANCE_CENTER[0], longitude=FRANCE_CENTER[1], zoom=FRANCE_ZOOM - 1)
st.pydeck_chart(pdk.Deck(layers=[layer], initial_view_state=view, map_style=None), height=600)
