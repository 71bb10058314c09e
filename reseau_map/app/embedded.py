"""The map-only embed: `?embed=1` (with Streamlit's own `embed=true`) shows the map alone, in a partner's frame.

The view comes from the URL as on the map page (types, statuses, regions, search, facets, place,
year, choropleth, centre and zoom); the map keeps its legend and its cards, fills the frame at any
size (static/page.js, « embed » mode), and a small link opens the full map on the same view. Both
values share Streamlit's reserved key `embed`, which st.query_params hides: the adaptor reads it.
"""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from reseau_map.app import state
from reseau_map.app.component import show as show_map
from reseau_map.app.component import url_values
from reseau_map.app.resources import base_map, prepared
from reseau_map.app.screen import Screen
from reseau_map.core.templates import render
from reseau_map.domain import tour
from reseau_map.domain import view as views
from reseau_map.domain.catalogue import Catalogue
from reseau_map.domain.framing import frame
from reseau_map.files.network import Network, source_label
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.regions import region_bounds
from reseau_map.maps import mapview
from reseau_map.maps.controls import FitBounds
from reseau_map.maps.regionlayer import OutlineSource

EMBED = "embed"  # Streamlit's reserved key: « true » is its embed mode, « 1 » ours
MAP_ONLY = "1"
STREAMLIT_EMBED = "true"
MODE = "embed"  # static/page.js's mode: the map fills the window below the link
EMBED_HEIGHT = 600  # the map's height before static/page.js fits it to the frame
LINK_KEY = "rc_embed_link"
FULL_MAP = "Ouvrir la carte complète"
DEFAULT_SIZE = (900, 600)  # the « Intégrer » snippet's frame, in pixels
CSS = render("style.html", css="embed.css", properties={})


def requested() -> bool:
    """Whether the URL asks for the map alone (`embed=1`)."""
    return MAP_ONLY in url_values(EMBED)


def embed_link(view: views.View, vocab: Vocabulary) -> str:
    """The relative link of the map-only embed of a view: « ?type=…&embed=true&embed=1 »."""
    live = views.link(replace(view, center=None, zoom=None), vocab)
    return live + ("&" if live != "?" else "") + f"{EMBED}={STREAMLIT_EMBED}&{EMBED}={MAP_ONLY}"


def snippet(server: str, view: views.View, vocab: Vocabulary, title: str, width: int, height: int) -> str:
    """The « Intégrer » code of the live map alone: an iframe of the frame's size, with a French title."""
    src = server.rstrip("/") + "/" + embed_link(view, vocab)
    return (f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="{int(width)}" '
            f'height="{int(height)}" style="border:0" loading="lazy" allowfullscreen></iframe>')


def frame_title(net: Network) -> str:
    """The frame's French title, for screen readers: « Carte : Réseau des Cantines »."""
    return f"Carte : {net.name}" if net.name else "Carte des lieux"


def embed_page(cat: Catalogue, key: tuple, net: Network, outlines: OutlineSource, screen: Screen,
               launch: int, latest: str) -> None:
    """The map alone, on the view of the URL, with a link to the full map; nothing else of the app
    (`launch`, `latest`: the timeline's first and last steps, as on the map page)."""
    vocab, view = cat.vocabulary, screen.view
    st.html(CSS)
    if view.place and view.place not in set(cat.places["id"]):
        screen = screen.select("")
        view = screen.view
    st.query_params.from_dict(views.to_query(view, vocab))  # Streamlit keeps its `embed` values
    shown = tour.at_year(views.apply(cat.places, view, cat.fields.facets), cat.places,
                         launch, view.year or latest, vocab)
    where = frame(screen.camera, cat.places, shown, None, region_bounds, screen.fit_round, screen.fit_whole)
    state.keep(screen.fitted())
    layers = mapview.overlays(outlines, shown, view.regions, view.choro, None, vocab)
    if where.fit:
        layers.append(FitBounds(where.fit, where.fit_key, where.max_zoom, on_resize=True))
    group = mapview.places_group(shown, view.place, source_label(net), layers, prepared(key, cat))
    with st.container(key=LINK_KEY):
        full = views.link(view, vocab)
        st.markdown(f'<a href="{html.escape(full)}" target="_blank" rel="noopener">{FULL_MAP}</a>',
                    unsafe_allow_html=True)
    show_map(base_map(EMBED_HEIGHT, net.credit, False, vocab), group, key=state.MAP,
             center=where.center, zoom=where.zoom, returned_objects=[], preload=(outlines.src,))
