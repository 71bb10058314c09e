"""The Streamlit app: page settings and navigation (`streamlit run` runs this file, or dashboard.py)."""

from __future__ import annotations

import streamlit as st

from reseau_map.app import browser, embedded
from reseau_map.app.explorer import configure, map_page
from reseau_map.app.moderation import moderation_page
from reseau_map.app.proposer import propose_page


def pages() -> list[st.Page]:
    """The app's pages: the map (the default), the proposal form, moderation; each a function."""
    return [st.Page(map_page, title="Carte", icon=":material/map:", default=True),
            st.Page(propose_page, title="Proposer un lieu", icon=":material/add_location:", url_path="proposer"),
            st.Page(moderation_page, title="Modération", icon=":material/fact_check:", url_path="moderation")]


def run() -> None:
    """Set up the page and run the one the URL asks for: the map, the proposal form or moderation."""
    presenting = configure()
    alone = presenting or embedded.requested()  # a projector or a partner's frame: the map, no navigation
    page = st.navigation(pages(), position="hidden" if alone else "sidebar")
    if page.url_path in browser.TITLES:  # the contribution pages: « Modération — Carte du Réseau des Cantines »;
        # the map page sets up its own (its mode)
        st.set_page_config(page_title=browser.TITLES[page.url_path])
        st.html(browser.PAGE_CSS + browser.script("", page.url_path), unsafe_allow_javascript=True)
    page.run()


if __name__ == "__main__":
    run()
