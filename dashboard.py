"""Carte du Réseau des Cantines et des lieux associés — the Streamlit entry point.

Page settings and navigation only: the map page is reseau_map/page/explorer.py, the two
contribution pages are in pages/.
"""

import streamlit as st

from reseau_map.page.explorer import configure, map_page
from reseau_map.paths import ROOT

presenting = configure()
PAGES = [st.Page(map_page, title="Carte", icon=":material/map:", default=True),
         st.Page(str(ROOT / "pages" / "proposer.py"), title="Proposer un lieu", icon=":material/add_location:",
                 url_path="proposer"),
         st.Page(str(ROOT / "pages" / "moderation.py"), title="Modération", icon=":material/fact_check:",
                 url_path="moderation")]
st.navigation(PAGES, position="hidden" if presenting else "sidebar").run()
