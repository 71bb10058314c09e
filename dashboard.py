"""Carte du Réseau des Cantines et des lieux associés — the Streamlit page.

Wires widgets and the URL to functions of `reseau_map`; no data logic lives here.
"""

from __future__ import annotations

import gc
import time
from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from reseau_map.catalogue import Catalogue, build_catalogue, read_cache
from reseau_map.errors import PlaceNotFound, ReseauMapError
from reseau_map.files import export
from reseau_map.files.places import content_hash, places_path, read_bytes
from reseau_map.geo import nearest
from reseau_map.geo.earth import FRANCE_BOUNDS
from reseau_map.geo.gazetteer import Gazetteer, load_gazetteer
from reseau_map.geo.regions import REGION_NAMES, load_outlines, region_bounds
from reseau_map.maps import mapview
from reseau_map.maps.controls import OverlayLegend
from reseau_map.page import figures, filters, presentation, tables, tour

SHOW_DELAYS = (5, 8, 12, 20)
REGION_LIST_MAX = 30
PRESENTING = st.query_params.get("mode") == "presentation"

st.set_page_config(page_title="Carte du Réseau des Cantines", page_icon="🗺️", layout="wide",
                   initial_sidebar_state="collapsed" if PRESENTING else "auto")


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    """The offline gazetteer, loaded once per process."""
    found = load_gazetteer()
    # Long-lived data leaves the garbage collector's sight: full collections walking the
    # gazetteer and the catalogue made reruns at 10,000 places vary from 0.15 s to 0.32 s.
    # Collect first, so that only what survives is frozen.
    gc.collect()
    gc.freeze()
    return found


# A resource, not cache_data: cache_data would unpickle a copy of every place on every rerun
# (tens of ms at 10,000 places); nothing downstream mutates the catalogue.
@st.cache_resource(show_spinner="Lecture et géocodage des lieux…", max_entries=4)
def catalogue(digest: str, _data: bytes) -> Catalogue:
    """Places read and located, cached on the file's content hash."""
    built = build_catalogue(_data, gazetteer(), cache=read_cache())
    gc.collect()
    gc.freeze()
    return built


@st.cache_resource(show_spinner=False)
def network() -> figures.Network:
    """Declared network figures."""
    return figures.load_network()


def init_state_from_url() -> None:
    """On a session's first run, the URL decides the widgets' values."""
    if "f_types" in st.session_state:
        return
    url = {k: st.query_params.get_all(k) for k in filters.QUERY_KEYS if k in st.query_params}
    wanted = filters.from_query(url)
    mode = st.query_params.get("mode")
    notices = list(wanted.notices)
    if mode is not None and mode != "presentation":
        notices.append(f"Paramètre « mode={mode} » ignoré : seule la valeur « presentation » existe.")
    st.session_state.update(f_types=list(wanted.types), f_regions=list(wanted.regions),
                            f_statuses=list(wanted.statuses), f_q=wanted.q, place=wanted.place,
                            url_notices=notices)


def current_filters() -> filters.Filters:
    """The filters as the widgets (or, in presentation mode, the URL) left them."""
    s = st.session_state
    return filters.Filters(tuple(s["f_types"]), tuple(s["f_regions"]), tuple(s["f_statuses"]),
                           s["f_q"].strip(), s.get("place", ""))


def sidebar(cat: Catalogue, launch_year: int) -> tuple[str, bool]:
    """Filter widgets, timeline, choropleth switch; returns (timeline label, choropleth on)."""
    with st.sidebar:
        st.header("Filtres")
        st.multiselect("Type de lieu", list(filters.TYPE_CHOICES), key="f_types",
                       format_func=filters.TYPE_CHOICES.get)
        st.multiselect("Région", list(REGION_NAMES), key="f_regions", placeholder="Toutes les régions")
        st.multiselect("Statut", list(filters.STATUS_CHOICES), key="f_statuses",
                       format_func=filters.STATUS_CHOICES.get)
        st.text_input("Rechercher (nom, ville, description)", key="f_q")
        labels = [s.label for s in tour.timeline(cat.places, launch_year)]
        year = st.select_slider("Le réseau en …", labels, value=labels[-1], key="f_year")
        choro = st.toggle("Colorer les régions par nombre de lieux", key="f_choro")
        st.divider()
        st.text_input("Lieux ouverts près de… (ville)", key="near_q",
                      placeholder="ex. Vannes, St-Etienne")
        if st.button("Mode présentation", icon=":material/slideshow:", use_container_width=True):
            st.query_params["mode"] = "presentation"
            st.rerun()
    return year, choro


def nearby(cat: Catalogue, types: tuple[str, ...]):
    """The visitor's city and the nearest open places, or None; messages are shown in the sidebar."""
    text = st.session_state.get("near_q", "").strip()
    if not text:
        return None
    with st.sidebar:
        try:
            origin = nearest.find_origin(gazetteer(), text)
        except PlaceNotFound as err:
            st.warning(str(err))
            return None
        entry = origin.entry
        if len(origin.homonyms) > 1:
            # Keyed on the text: another city gets its own choice, not the last one's index.
            picked = st.selectbox("Plusieurs lieux portent ce nom :", range(len(origin.homonyms)),
                                  format_func=lambda i: nearest.entry_label(origin.homonyms[i], True),
                                  key=f"near_pick_{text}")
            entry = origin.homonyms[picked]
        if entry.country != "FR":
            st.info(f"{nearest.entry_label(entry)} est hors de France ; distances à vol d'oiseau.")
        found = nearest.nearest(cat.places, entry.lat, entry.lon, types=types)
        if found.empty:
            st.info("Aucun lieu ouvert de ces types sur la carte.")
        for _, row in found.iterrows():
            st.markdown(f"**{row['distance_km']:.0f} km** — {row['name']} ({row['city']})")
    return entry, found


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
    place = nearest.place_at(cat.located, clicked["lat"], clicked["lng"])
    if place is None:
        return False
    changed = place != st.session_state.get("place")
    st.session_state["place"] = place
    return changed


def show_figures(net: figures.Network, shown) -> None:
    """Declared figures (with their quotes on hover) beside those computed from the map."""
    st.subheader("Chiffres déclarés par le réseau (décembre 2012)")
    st.markdown(presentation.figure_cards(net), unsafe_allow_html=True)
    st.caption(f"Survolez un chiffre pour lire la phrase de la source. {figures.source_label(net)}.")
    st.subheader("Calculé d'après la carte (filtres actuels)")
    c = figures.computed(shown)
    cols = st.columns(5)
    cols[0].metric("Lieux affichés", c.places, border=True)
    cols[1].metric("Cantines", c.by_type["cantine"], border=True)
    cols[2].metric("Lieux associés", c.by_type["lieu_associe"], border=True)
    cols[3].metric("Régions couvertes", c.regions, border=True,
                   help="Régions françaises où se trouve au moins un lieu affiché ; le réseau en "
                        "déclarait 10 en 2012 (découpage d'alors, avant la fusion de 2016).")
    cols[4].metric("Villes", c.cities, border=True)
    st.caption(f"Ouverts : {c.by_status['ouvert']} · En projet : {c.by_status['en_projet']} · "
               f"Statut non renseigné : {c.by_status['']} · Hors de France : {c.abroad}")


def show_regions(net: figures.Network, shown, regions: tuple[str, ...]) -> None:
    """One panel per selected region: its figures, its places, its programmes."""
    for region in regions:
        with st.container(border=True):
            here = shown[shown["region"] == region]
            c = figures.computed(here)
            sentence = figures.region_sentence(region, c.places, c.by_status["ouvert"], c.by_status["en_projet"])
            st.markdown(f"### {sentence}")
            st.caption(f"Cantines : {c.by_type['cantine']} · Lieux associés : {c.by_type['lieu_associe']}"
                       f" · Autres : {c.by_type['autre']} · Villes : {c.cities}")
            st.markdown(tables.region_list(here, region, REGION_LIST_MAX))
            for prog in net.programmes:
                if prog.region == region:
                    st.markdown(f"**Programme régional : {prog.name}**")
                    st.caption(f"« {prog.quote} »")


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


def normal_page(cat: Catalogue, net: figures.Network, outlines: dict, launch_year: int, path) -> None:
    """The explorer: sidebar filters, map, details, figures, list, exports."""
    st.title("Réseau des Cantines et des lieux associés")
    st.caption(f"Lancé le {figures.french_date(net.launch.get('date', ''))} à {net.launch.get('place', '')} "
               f"({net.launch.get('city', '')}). Carte des lieux cités par {net.source.get('author', 'la source')} "
               f"le {figures.french_date(net.source.get('date', ''))}.")
    place = st.session_state.get("place", "")
    if place and place not in set(cat.places["id"]):
        st.session_state["place"] = ""
        st.session_state.setdefault("url_notices", []).append(
            f"Paramètre « place={place} » ignoré : aucun lieu ne porte cet identifiant.")
    for notice in st.session_state.pop("url_notices", []):
        st.warning(notice, icon="⚠️")
    year, choro = sidebar(cat, launch_year)
    chosen = current_filters()
    shown = filters.apply(cat.places, chosen)
    shown = tour.at_year(shown, cat.places, launch_year, year)
    table_selection(shown)
    chosen = chosen.with_place(st.session_state.get("place", ""))
    st.query_params.from_dict(filters.to_query(chosen))
    near = nearby(cat, chosen.types)

    view = mapview.place_view(cat.places, chosen.place) if chosen.place else None
    if view is None and near is not None and not near[1].empty:
        view = mapview.view_for_bounds(nearest.route_bounds(near[0], near[1]), max_zoom=10)
    if view is None and chosen.regions:
        bounds = region_bounds(chosen.regions)
        view = mapview.view_for_bounds(bounds) if bounds else None
    center, zoom = view if view else (None, None)

    overlays = mapview.choropleth(outlines, shown) if choro else []
    highlight = mapview.highlight(outlines, chosen.regions)
    overlays += [highlight] if highlight is not None else []
    if near is not None:
        overlays += mapview.route(near[0].lat, near[0].lon, nearest.entry_label(near[0]), near[1])
    group = mapview.places_group(shown, chosen.place, figures.source_label(net), overlays)
    result = st_folium(mapview.base_map(outlines, mapview.PAGE_HEIGHT), key=mapview.MAP_KEY, height=mapview.PAGE_HEIGHT,
                       use_container_width=True, feature_group_to_add=group, center=center,
                       zoom=zoom, returned_objects=["last_object_clicked"])
    if map_click(result, cat):
        st.rerun()
    st.markdown(f"**{filters.describe(chosen, len(shown), '' if year == tour.TOMORROW else year)}**")
    unlocated = len(shown) - len(shown.dropna(subset=["lat", "lon"]))
    if unlocated:
        st.caption(f"{unlocated} lieu(x) sélectionné(s) sans position : voir l'onglet « Hors carte ».")
    if chosen.place:
        show_details(cat, chosen.place)
    if chosen.regions:
        show_regions(net, shown, chosen.regions)

    tab_fig, tab_list, tab_off, tab_about = st.tabs(["Chiffres", "Liste des lieux", "Hors carte", "Sources"])
    with tab_fig:
        show_figures(net, shown)
    with tab_list:
        st.dataframe(tables.places_table(shown), key="table", on_select="rerun",
                     selection_mode="single-row", hide_index=True)
        st.caption("Cliquez sur une ligne pour centrer la carte sur le lieu et ouvrir sa fiche.")
        c1, c2, c3 = st.columns(3)
        c1.download_button("Exporter en CSV", lambda: export.to_csv(shown),
                           file_name="reseau-des-cantines.csv", mime="text/csv")
        c2.download_button("Exporter en GeoJSON", lambda: export.to_geojson(shown),
                           file_name="reseau-des-cantines.geojson", mime="application/geo+json")
        c3.download_button("Carte autonome (HTML, hors ligne)",
                           lambda: mapview.standalone_html(shown, outlines, figures.source_label(net)),
                           file_name="carte-reseau-des-cantines.html", mime="text/html",
                           help="Une page qui s'ouvre sans internet et s'intègre dans un site (iframe).")
    with tab_off:
        off = tables.off_map_table(cat.problems, cat.unplaced, cat.column_label("city"))
        if off.empty:
            st.success("Toutes les lignes du fichier sont valides et placées sur la carte.")
        else:
            st.dataframe(off, hide_index=True)
    with tab_about:
        st.markdown(f"Source des lieux et des chiffres : {figures.source_label(net)} "
                    f"({net.source.get('url')}).")
        st.markdown("Positions : gazetteer hors ligne GeoNames (CC BY 4.0), au centre de la ville "
                    f"quand l'adresse n'est pas connue. Fichier des lieux : `{path.name}`.")


def show_controls(count: int) -> None:
    """Previous / pause / next, the delay, and the way out."""
    s = st.session_state
    c = st.columns([1, 1, 1, 2, 1])
    if c[0].button("◀ Précédent", use_container_width=True):
        s["show_i"], s["show_t"] = tour.step(s["show_i"], count, -1), time.time()
    playing = s.setdefault("show_play", True)
    if c[1].button("Pause" if playing else "Lecture", use_container_width=True):
        s["show_play"], s["show_t"] = not playing, time.time()
    if c[2].button("Suivant ▶", use_container_width=True):
        s["show_i"], s["show_t"] = tour.step(s["show_i"], count, +1), time.time()
    c[3].select_slider("Délai (s)", SHOW_DELAYS, key="show_delay", label_visibility="collapsed",
                       format_func=lambda d: f"{d} s par étape")
    if c[4].button("Quitter", use_container_width=True):
        del st.query_params["mode"]
        st.rerun()


def presentation_page(cat: Catalogue, net: figures.Network, outlines: dict, launch_year: int) -> None:
    """Full-screen map, big figures, and a tour that runs by itself (pause, previous, next)."""
    st.markdown(presentation.CSS + presentation.figures_band(net), unsafe_allow_html=True)
    shown = filters.apply(cat.places, current_filters())
    show = tour.slides(shown, launch_year)
    if not show:
        st.warning("Aucun lieu à présenter avec ces filtres.")
        return
    s = st.session_state
    s.setdefault("show_i", 0)
    s.setdefault("show_t", time.time())
    s.setdefault("show_delay", tour.DEFAULT_DELAY_S)
    show_controls(len(show))
    delay = s["show_delay"]

    @st.fragment(run_every=delay if s["show_play"] else None)
    def stage() -> None:
        if s["show_play"] and tour.due(s["show_t"], time.time(), delay):
            s["show_i"], s["show_t"] = tour.step(s["show_i"], len(show), +1), time.time()
        i = s["show_i"] % len(show)
        slide = show[i]
        if slide.kind == "timeline":
            visible = shown[shown["id"].isin(slide.visible or ())]
            launch_note = net.launch.get("quote", "") if slide.label == str(launch_year) else ""
            caption = presentation.timeline_caption(slide, launch_note)
            center, zoom = mapview.view_for_bounds(FRANCE_BOUNDS, 1800, mapview.SHOW_HEIGHT)
        else:
            visible = shown
            row = shown[shown["id"] == slide.place_id].iloc[0]
            caption = presentation.place_caption(row, f"{i + 1}/{len(show)}")
            center, zoom = (float(row["lat"]), float(row["lon"])), 9
        card = OverlayLegend("", [], position="bottomleft", css_class="rc-caption", raw_html=caption)
        group = mapview.places_group(visible, "", figures.source_label(net), [card])
        st_folium(mapview.base_map(outlines, mapview.SHOW_HEIGHT, fly=True), key="carte_show",
                  height=mapview.SHOW_HEIGHT, use_container_width=True, feature_group_to_add=group,
                  center=center, zoom=zoom, returned_objects=[])

    stage()


def main() -> None:
    """Build the page."""
    init_state_from_url()
    try:
        path = places_path()
        data = read_bytes(path)
        cat = catalogue(content_hash(data), data)
        outlines = load_outlines()
    except ReseauMapError as err:
        st.error(str(err))
        st.stop()
    net = network()
    launch_year = date.fromisoformat(net.launch.get("date", "2012-12-13")).year
    if PRESENTING:
        presentation_page(cat, net, outlines, launch_year)
    else:
        normal_page(cat, net, outlines, launch_year, path)


main()
