"""Peer (d): Streamlit's own st.map (deck.gl ScatterplotLayer over a basemap)."""

import streamlit as st

from tools.bench.peers._page import filtered_places

df = filtered_places("st.map")
st.map(df, latitude="lat", longitude="lon", size=300, height=600)
