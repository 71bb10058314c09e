"""The Streamlit app: page settings and navigation (`streamlit run` runs this file, or dashboard.py)."""

from __future__ import annotations

import streamlit as st

from reseau_map.app.explorer import configure, map_page
from reseau_map.core.settings import PACKAGE_DIR

APP_DIR = PACKAGE_DIR / "app"


def run() -> None:
    """Set up the page and run the one the URL asks for: the map, the proposal form or moderation."""
    presenting = configure()
    pages = [st.Page(map_page, title="Carte", icon=":material/map:", default=True),
             st.Page(str(APP_DIR / "proposer.py"), title="Proposer un lieu", icon=":material/add_location:",
                     url_path="proposer"),
             st.Page(str(APP_DIR / "moderation.py"), title="Modération", icon=":material/fact_check:",
                     url_path="moderation")]
    st.navigation(pages, position="hidden" if presenting else "sidebar").run()


if __name__ == "__main__":
    run()
