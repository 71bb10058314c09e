"""What every peer script does before drawing: read (cached) and filter by region."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tools.bench import peers


@st.cache_data(show_spinner=False)
def _read(path: str) -> pd.DataFrame:
    return peers.read_places(path)


def filtered_places(title: str) -> pd.DataFrame:
    """Title, the region multiselect in the sidebar, and the places it selects."""
    df = _read(peers.places_path())
    st.title(title)
    with st.sidebar:
        regions = st.multiselect("Région", sorted(df["region"].dropna().unique()), key="f_regions",
                                 placeholder="Toutes les régions")
    chosen = peers.shown(df, regions)
    st.write(f"{len(chosen)} lieux")
    return chosen
