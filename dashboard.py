"""Carte du Réseau des Cantines et des lieux associés — the Streamlit page.

Wires widgets and the URL to functions of `reseau_map`; no data logic lives here.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from reseau_map import export, figures, filters, mapview, tables
from reseau_map.catalogue import Catalogue, build_catalogue, read_cache
from reseau_map.errors import ReseauMapError
from reseau_map.gazetteer import Gazetteer, load_gazetteer
from reseau_map.places import content_hash, places_path, read_bytes
from reseau_map.regions import REGION_NAMES, load_outlines, region_bounds

MAP_KEY = "carte"
MAP_HEIGHT = 650

st.set_page_config(page_title="Carte du Réseau des Cantines", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    """The offline gazetteer, loaded once per process."""
    return load_gazetteer()


@st.cache_data(show_spinner="Lecture et géocodage des lieux…", max_entries=4)
def catalogue(digest: str, _data: bytes) -> Catalogue:
    """Places read and located, cached on the file's content hash."""
    return build_catalogue(_data, gazetteer(), cache=read_cache())


@st.cache_resource(show_spinner=False)
def network() -> figures.Network:
    """Declared network figures."""
    return figures.load_network()


def init_state_from_url() -> filters.Filters:
    """On a session's first run, the URL decides the widgets' values."""
    url = {k: st.query_params.get_all(k) for k in filters.QUERY_KEYS if k in st.query_params}
    wanted = filters.from_query(url)
    if "f_types" not in st.session_state:
        st.session_state.update(f_types=list(wanted.types), f_regions=list(wanted.regions),
                                f_statuses=list(wanted.statuses), f_q=wanted.q, place=wanted.place,
                                url_notices=list(wanted.notices))
    return wanted


def sidebar_filters() -> filters.Filters:
    """The filter widgets; their values are the filters."""
    with st.sidebar:
        st.header("Filtres")
        types = st.multiselect("Type de lieu", list(filters.TYPE_CHOICES), key="f_types",
                               format_func=filters.TYPE_CHOICES.get)
        regions = st.multiselect("Région", list(REGION_NAMES), key="f_regions",
                                 placeholder="Toutes les régions")
        statuses = st.multiselect("Statut", list(filters.STATUS_CHOICES), key="f_statuses",
                                  format_func=filters.STATUS_CHOICES.get)
        q = st.text_input("Rechercher (nom, ville, description)", key="f_q")
    return filters.Filters(tuple(types), tuple(regions), tuple(statuses), q.strip(),
                           st.session_state.get("place", ""))


def table_selection(shown) -> None:
    """A new row picked in the table selects that place."""
    picked = st.session_state.get("table", {}).get("selection", {}).get("rows", [])
    previous = st.session_state.get("table_prev")
    st.session_state["table_prev"] = picked
    if picked and picked != previous and picked[0] < len(shown):
        st.session_state["place"] = shown["id"].iloc[picked[0]]


def map_click(result: dict | None, cat: Catalogue) -> bool:
    """A new marker clicked on the map selects that place; True when the selection changed."""
    clicked = (result or {}).get("last_object_clicked")
    if not clicked or clicked == st.session_state.get("last_click"):
        return False
    st.session_state["last_click"] = clicked
    located = cat.located
    near = ((located["lat"] - clicked["lat"]).abs() + (located["lon"] - clicked["lng"]).abs())
    if near.empty or near.min() > 1e-4:
        return False
    place = located.loc[near.idxmin(), "id"]
    changed = place != st.session_state.get("place")
    st.session_state["place"] = place
    return changed


def show_figures(net: figures.Network, shown, chosen: filters.Filters) -> None:
    """Declared figures (with their quotes on hover) beside those computed from the map."""
    st.subheader("Chiffres déclarés par le réseau (décembre 2012)")
    cols = st.columns(4)
    for i, fig in enumerate(net.figures):
        cols[i % 4].metric(fig.label, fig.value, help=f"« {fig.quote} » — source : "
                           f"{net.source.get('author', '')}, {net.source.get('date', '')}",
                           border=True)
    st.subheader("Calculé d'après la carte (filtres actuels)")
    c = figures.computed(shown)
    cols = st.columns(5)
    cols[0].metric("Lieux affichés", c.places, border=True)
    cols[1].metric("Cantines", c.by_type["cantine"], border=True)
    cols[2].metric("Lieux associés", c.by_type["lieu_associe"], border=True)
    cols[3].metric("Régions couvertes", c.regions, border=True,
                   help="Régions françaises où se trouve au moins un lieu affiché ; "
                        "le réseau en déclarait 10 en 2012.")
    cols[4].metric("Villes", c.cities, border=True)
    st.caption(f"Ouverts : {c.by_status['ouvert']} · En projet : {c.by_status['en_projet']} · "
               f"Statut non renseigné : {c.by_status['']} · Hors de France : {c.abroad}")


def show_details(cat: Catalogue, place_id: str) -> None:
    """The selected place's details, with its source quote."""
    rows = cat.places[cat.places["id"] == place_id]
    if rows.empty:
        return
    row = rows.iloc[0]
    with st.container(border=True):
        st.markdown(f"#### {row['name']}")
        st.markdown("  \n".join(f"**{label}** : {value}" for label, value in tables.place_details(row)))
        st.caption(f"Source : « {row['source']} »")
        if st.button("Fermer la fiche", key="close_place"):
            st.session_state["place"] = ""
            st.rerun()


def main() -> None:
    """Build the page."""
    wanted = init_state_from_url()
    try:
        path = places_path()
        data = read_bytes(path)
        cat = catalogue(content_hash(data), data)
        outlines = load_outlines()
    except ReseauMapError as err:
        st.error(str(err))
        st.stop()
    net = network()

    st.title("Réseau des Cantines et des lieux associés")
    st.caption(f"Lancé le 13 décembre 2012 à La Cantine (Paris). Carte des lieux cités par "
               f"{net.source.get('author', 'la source')} le 25 décembre 2012.")
    for notice in st.session_state.pop("url_notices", []):
        st.warning(notice, icon="⚠️")
    del wanted

    chosen = sidebar_filters()
    shown = filters.apply(cat.places, chosen)
    table_selection(shown)
    chosen = chosen.with_place(st.session_state.get("place", ""))
    st.query_params.from_dict(filters.to_query(chosen))

    view = mapview.place_view(cat.places, chosen.place) if chosen.place else None
    if view is None and chosen.regions:
        bounds = region_bounds(chosen.regions)
        view = mapview.view_for_bounds(bounds) if bounds else None
    center, zoom = view if view else (None, None)

    st.markdown(f"**{filters.describe(chosen, len(shown))}**")
    overlays = [o for o in (mapview.highlight(outlines, chosen.regions),) if o is not None]
    group = mapview.places_group(shown, chosen.place, figures.source_label(net), overlays)
    result = st_folium(mapview.base_map(outlines, MAP_HEIGHT), key=MAP_KEY, height=MAP_HEIGHT,
                       use_container_width=True, feature_group_to_add=group, center=center,
                       zoom=zoom, returned_objects=["last_object_clicked"])
    if map_click(result, cat):
        st.rerun()
    unlocated = len(shown) - len(shown.dropna(subset=["lat", "lon"]))
    if unlocated:
        st.caption(f"{unlocated} lieu(x) sélectionné(s) sans position : voir l'onglet "
                   "« Hors carte ».")
    if chosen.place:
        show_details(cat, chosen.place)

    tab_fig, tab_list, tab_off, tab_about = st.tabs(
        ["Chiffres", "Liste des lieux", "Hors carte", "Sources"])
    with tab_fig:
        show_figures(net, shown, chosen)
    with tab_list:
        st.dataframe(tables.places_table(shown), key="table", on_select="rerun",
                     selection_mode="single-row", hide_index=True,
                     column_config={"Site web": st.column_config.LinkColumn("Site web")})
        st.caption("Cliquez sur une ligne pour centrer la carte sur le lieu et ouvrir sa fiche.")
        c1, c2 = st.columns(2)
        c1.download_button("Exporter en CSV", lambda: export.to_csv(shown),
                           file_name="reseau-des-cantines.csv", mime="text/csv")
        c2.download_button("Exporter en GeoJSON", lambda: export.to_geojson(shown),
                           file_name="reseau-des-cantines.geojson", mime="application/geo+json")
    with tab_off:
        off = tables.off_map_table(cat.problems, cat.unplaced)
        if off.empty:
            st.success("Toutes les lignes du fichier sont valides et placées sur la carte.")
        else:
            st.dataframe(off, hide_index=True)
    with tab_about:
        st.markdown(f"Source des lieux et des chiffres : {net.source.get('author')}, "
                    f"« {net.source.get('title')} », {net.source.get('date')} "
                    f"({net.source.get('url')}).")
        st.markdown("Positions : gazetteer hors ligne GeoNames (CC BY 4.0), au centre de la ville "
                    "quand l'adresse n'est pas connue. Fichier des lieux : "
                    f"`{path.name}`.")


main()
