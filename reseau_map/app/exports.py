"""The list tab's exports and the « Intégrer » snippets: what is shown, as files people open, and as a frame.

Each file holds exactly the places the map shows (filters, facets, year), the partner's public
columns and never its private ones, and the data's credit and licence (files/credit.py).
"""

from __future__ import annotations

import html
from datetime import date

import pandas as pd
import streamlit as st

from reseau_map.app import embedded, state
from reseau_map.core.text import typo
from reseau_map.domain import view as views
from reseau_map.domain.catalogue import Catalogue
from reseau_map.files import excel, export
from reseau_map.files.credit import data_credit
from reseau_map.files.network import Network, source_label
from reseau_map.maps import mapview
from reseau_map.maps.regionlayer import OutlineSource

SERVER = "https://adresse-de-la-carte"  # the snippet's stand-in for the server's address
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def note(markdown: str) -> None:
    """A small line of ours, in French typography."""
    st.caption(typo(markdown))


def export_buttons(shown: pd.DataFrame, cat: Catalogue, net: Network, outlines: OutlineSource,
                   view: views.View) -> None:
    """The places shown as « CSV pour Excel », XLSX, CSV, GeoJSON and the standalone map; then the snippets."""
    vocab, public, credit = cat.vocabulary, cat.fields.public, data_credit(net)
    described = views.describe(view, len(shown), vocab, facets=cat.fields.facets)
    first = st.columns(3)
    first[0].download_button("CSV pour Excel", lambda: excel.excel_csv(shown, vocab, public, credit),
                             file_name="lieux-excel.csv", mime="text/csv",
                             help=typo("Séparateur « ; », virgule décimale, en-têtes en français : "
                                       "s'ouvre tel quel dans Excel ou LibreOffice."))
    first[1].download_button("Classeur XLSX",
                             lambda: excel.workbook(shown, vocab, public, credit, date.today(), described),
                             file_name="lieux.xlsx", mime=XLSX_MIME,
                             help="Une feuille des lieux (ligne d'en-tête figée), une du crédit et de la licence.")
    first[2].download_button("Exporter en CSV", lambda: export.to_csv(shown, vocab, public, credit),
                             file_name="lieux.csv", mime="text/csv",
                             help="Le format des données de la carte (UTF-8, « , », colonnes du contrat).")
    second = st.columns(3)
    second[0].download_button("Exporter en GeoJSON", lambda: export.to_geojson(shown, vocab, public, credit),
                              file_name="lieux.geojson", mime="application/geo+json")
    second[1].download_button("Carte autonome (HTML, hors ligne)",
                              lambda: mapview.standalone_html(shown, outlines.geojson, source_label(net), net.credit,
                                                              vocab=vocab, fields=cat.fields),
                              file_name="carte.html", mime="text/html",
                              help="Une page qui s'ouvre sans internet et s'intègre dans un site (iframe).")
    note(f"Les fichiers contiennent les lieux affichés ({described}) et citent leur source et leur licence ; "
         "les colonnes privées du fichier n'en sortent jamais.")
    snippets(view, cat, net)


def snippets(view: views.View, cat: Catalogue, net: Network) -> None:
    """« Intégrer »: the iframe codes, for the live map alone (this view) and for the downloaded standalone map."""
    title = embedded.frame_title(net)
    with st.expander("Intégrer la carte dans un site"):
        left, right = st.columns(2)
        width = left.number_input("Largeur du cadre (px)", min_value=200, max_value=4000, step=10,
                                  value=embedded.DEFAULT_SIZE[0], key=state.EMBED_WIDTH)
        height = right.number_input("Hauteur du cadre (px)", min_value=200, max_value=4000, step=10,
                                    value=embedded.DEFAULT_SIZE[1], key=state.EMBED_HEIGHT)
        note("1\\. La carte en direct, seule, sur cette vue (filtres, année, région) : remplacez l'adresse du "
             "serveur par la vôtre. Le cadre ne montre que la carte, sa légende et un lien vers la carte complète.")
        st.code(embedded.snippet(SERVER, view, cat.vocabulary, title, int(width), int(height)), language="html")
        note("2\\. La carte autonome (bouton ci-dessus) : déposez « carte.html » sur votre site, "
             "puis collez ce code. Elle marche sans internet et sans ce serveur.")
        st.code(f'<iframe src="https://votre-site.fr/carte.html" title="{html.escape(title)}" '
                f'width="{int(width)}" height="{int(height)}" style="border:0" loading="lazy"></iframe>',
                language="html")
