"""The map page (« Carte »): wires widgets and the URL to functions of `reseau_map`.

What to show is decided in those functions; this module only calls them and places widgets.
It is imported by dashboard.py rather than being the page script itself: Streamlit compiles
a page script anew on each AppTest run, and keeping the script to a few lines keeps that out
of every measured rerun (the real server caches it either way).
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import streamlit as st

from reseau_map.app import browser, cards, presentation
from reseau_map.app.component import register_served
from reseau_map.app.component import show as show_map
from reseau_map.app.resources import (
    accepted_version,
    base_map,
    catalogue,
    gazetteer,
    network,
    outlines,
    prepared,
    settle,
    year_labels,
)
from reseau_map.app.slideshow import DELAYS, Show, scene
from reseau_map.app.state import PLACE_KEY, SEEDED_KEY, view_from_widgets, widget_values
from reseau_map.core.errors import PlaceNotFound, ReseauMapError
from reseau_map.core.text import md_text, plural, typo
from reseau_map.domain import camera, figures, tables, tour
from reseau_map.domain import view as views
from reseau_map.domain.catalogue import Catalogue
from reseau_map.domain.framing import frame
from reseau_map.domain.summary import summarize, summary_lines
from reseau_map.files import export
from reseau_map.files.mapping import mapping_path
from reseau_map.files.network import Network, french_date, source_label
from reseau_map.files.places import file_stamp, places_path
from reseau_map.geo import nearest
from reseau_map.geo.regions import REGION_NAMES, region_bounds
from reseau_map.maps import mapview
from reseau_map.maps.controls import FitBounds, OverlayLegend
from reseau_map.maps.layers import clicked_id
from reseau_map.maps.regionlayer import OutlineSource

REGION_LIST_MAX = 30
BASE_KEY = "view_base"  # what no widget holds: centre, zoom, mode
PREVIOUS_CAMERA = "camera_before_place"
CLICK_KEY = "last_click_token"
NONCE_KEY = "fit_nonce"
WHOLE_KEY = "fit_whole"
NOTICES_KEY = "url_notices"
REPORTED_KEY = "camera_reported"  # the view's centre and zoom came from the map itself
PREPARED_KEY = "catalogue_keys"  # the cache keys of this run's catalogue (for its prepared layer)
SHOW_KEY = "show"
TAB_KEY = "tab"
TABS = ("Chiffres", "Liste des lieux", "Import et hors carte", "Sources")
TABLE_KEY = "table"
TABLE_ROUND = "table_round"  # « Fermer la fiche » starts a new table: no row stays ticked
TABLE_PAGE = "table_page"


def url_query() -> dict[str, list[str]]:
    """The URL's parameters that the view understands."""
    return {k: st.query_params.get_all(k) for k in views.QUERY_KEYS if k in st.query_params}


def configure() -> bool:
    """The page's title, icon and layout (the sidebar folded in presentation mode); whether presenting."""
    presenting = (url_query().get("mode") or [""])[0] == views.PRESENTATION
    st.set_page_config(page_title="Carte du Réseau des Cantines", page_icon="🗺️", layout="wide",
                       initial_sidebar_state="collapsed" if presenting else "auto")
    return presenting


def select_place(place_id: str) -> None:
    """Select a place (or none): one key, set by a click, a row, the URL or « Fermer »."""
    base = st.session_state[BASE_KEY]
    if place_id and not st.session_state.get(PLACE_KEY):
        st.session_state[PREVIOUS_CAMERA] = (base.center, base.zoom)  # « Fermer » comes back here
    elif not place_id:
        st.session_state[TABLE_ROUND] = st.session_state.get(TABLE_ROUND, 0) + 1
        center, zoom = st.session_state.pop(PREVIOUS_CAMERA, (None, None))
        st.session_state[BASE_KEY] = replace(base, center=center, zoom=zoom)
        st.session_state[REPORTED_KEY] = False  # the map must go back there
    st.session_state[PLACE_KEY] = place_id


def on_map_change() -> None:
    """The map reported a click on a place (by its id) or the visitor's own pan and zoom."""
    value = st.session_state.get(mapview.MAP_KEY) or {}
    token = value.get("last_object_clicked_tooltip")
    if token and token != st.session_state.get(CLICK_KEY):
        st.session_state[CLICK_KEY] = token  # a pan later reports the same token: not a new click
        place_id = clicked_id(token)
        if place_id:
            select_place(place_id)
            return
    center, zoom = value.get("center"), value.get("zoom")
    if center and zoom is not None and not st.session_state.get(PLACE_KEY):
        st.session_state[BASE_KEY] = replace(st.session_state[BASE_KEY], center=(center["lat"], center["lng"]),
                                             zoom=float(zoom))
        # Where the map already is: for the URL only, never sent back (that would fight the map).
        st.session_state[REPORTED_KEY] = True


def whole_map() -> None:
    """« Toute la carte »: forget the camera and fit all of France once more."""
    forget_camera()
    st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1
    st.session_state[WHOLE_KEY] = True


def table_key() -> str:
    """The list's widget key: a new one after « Fermer la fiche », so no row stays ticked."""
    return f"{TABLE_KEY}_{st.session_state.get(TABLE_ROUND, 0)}"


def on_table_pick(ids: tuple[str, ...]) -> None:
    """A row of the list (the page shown) was picked: select its place."""
    rows = st.session_state.get(table_key(), {}).get("selection", {}).get("rows", [])
    if rows and rows[0] < len(ids):
        select_place(ids[rows[0]])


def say(markdown: str) -> None:
    """A sentence of ours (data inside already through md_text), in French typography."""
    st.markdown(typo(markdown))


def note(markdown: str) -> None:
    """A small line of ours, in French typography."""
    st.caption(typo(markdown))


def warn(text: object) -> None:
    """A notice about data or the URL, shown as text."""
    st.warning(md_text(text), icon="⚠️")


def forget_camera() -> None:
    """A filter changed: the view from the URL (centre, zoom) and its notices no longer apply."""
    st.session_state[NOTICES_KEY] = []
    st.session_state[BASE_KEY] = replace(st.session_state[BASE_KEY], center=None, zoom=None)
    st.session_state[REPORTED_KEY] = False


def set_mode(mode: str) -> None:
    """Enter or leave presentation mode."""
    st.session_state[BASE_KEY] = replace(st.session_state[BASE_KEY], mode=mode)


def seed_session(default_types: tuple[str, ...], years: list[str]) -> None:
    """On a session's first run, the URL decides the widgets' values."""
    if st.session_state.get(SEEDED_KEY):
        return
    wanted = views.from_query(url_query(), default_types, years)
    st.session_state.update(widget_values(wanted, years[-1] if years else ""))
    st.session_state[BASE_KEY] = wanted
    st.session_state[NOTICES_KEY] = list(wanted.notices)
    st.session_state[SEEDED_KEY] = True


def sidebar(years: list[str]) -> None:
    """Filter widgets, timeline, choropleth switch, the city for « près de… »."""
    with st.sidebar:
        st.header("Filtres")
        st.multiselect("Type de lieu", list(views.TYPE_CHOICES), key="f_types",
                       format_func=views.TYPE_CHOICES.get, on_change=forget_camera)
        st.multiselect("Région", list(REGION_NAMES), key="f_regions", placeholder="Toutes les régions",
                       on_change=forget_camera)
        st.multiselect("Statut", list(views.STATUS_CHOICES), key="f_statuses",
                       format_func=views.STATUS_CHOICES.get, on_change=forget_camera)
        st.text_input("Rechercher (nom, ville, description)", key="f_q", on_change=forget_camera)
        if len(years) > 1:
            st.select_slider("Le réseau en …", years, key="f_year", on_change=forget_camera)
        st.toggle("Colorer les régions par nombre de lieux", key="f_choro")
        st.divider()
        st.button("Mode présentation", icon=":material/slideshow:", use_container_width=True,
                  on_click=set_mode, args=(views.PRESENTATION,))


def set_near(city: str) -> None:
    """A suggestion was clicked: it becomes the typed city."""
    st.session_state["f_near"] = city
    forget_camera()


def nearby(cat: Catalogue, view: views.View) -> nearest.Nearby | None:
    """« Lieux ouverts près de… »: the visitor's city and the nearest open places, beside the map."""
    st.text_input("Lieux ouverts près de… (ville)", key="f_near", placeholder="ex. Vannes, Genève, St-Étienne",
                  on_change=forget_camera)
    if not view.near:
        note("Tapez une ville, en France ou à l'étranger, puis Entrée.")
        return None
    try:
        found = nearest.nearby(gazetteer(), view.near, cat.places, view.types)
    except PlaceNotFound as err:
        if err.suggestions:
            st.warning(typo(f"« {md_text(view.near)} » est inconnu. Vouliez-vous dire :"), icon="🔎")
            for i, name in enumerate(err.suggestions):
                st.button(md_text(name), key=f"near_suggest_{i}", on_click=set_near, args=(name,),
                          use_container_width=True)
        else:
            st.warning(md_text(err))
        return None
    if len(found.homonyms) > 1:
        # Keyed on the text: another city gets its own choice, not the last one's index.
        pick = st.selectbox(typo("Plusieurs lieux portent ce nom :"), range(len(found.homonyms)),
                            format_func=lambda i: nearest.entry_label(found.homonyms[i], True),
                            key=f"near_pick_{view.near}")
        found = nearest.nearby(gazetteer(), view.near, cat.places, view.types, pick)
    if found.origin.country != "FR":
        st.info(md_text(f"{nearest.entry_label(found.origin)} est hors de France ; distances à vol d'oiseau."))
    if found.places.empty:
        st.info("Aucun lieu ouvert de ces types sur la carte.")
    else:
        note(f"Les plus proches de {md_text(nearest.entry_label(found.origin))} :")
    for _, row in found.places.iterrows():
        st.button(f"{row['distance_km']:.0f}\u00a0km — {md_text(row['name'])} ({md_text(row['city'])})",
                  key=f"near_place_{row['id']}", on_click=select_place, args=(row["id"],),
                  use_container_width=True, help="Voir ce lieu sur la carte et ouvrir sa fiche.")
    return found


def show_figures(net: Network, shown, c: figures.Computed) -> None:
    """Declared figures (their quotes open on click, tap or keyboard) beside those computed from the map."""
    if net.figures:
        st.subheader(typo(f"Chiffres déclarés par le réseau ({md_text(french_date(net.source.get('date', '')))})"))
        st.markdown(cards.figure_cards(net), unsafe_allow_html=True)
        note(f"Touchez ou cliquez un chiffre pour lire la phrase de la source. {md_text(source_label(net))}.")
    st.subheader("Calculé d'après la carte (filtres actuels)")
    cols = st.columns(5)
    cols[0].metric("Lieux affichés", c.places, border=True)
    cols[1].metric("Cantines", c.by_type["cantine"], border=True)
    cols[2].metric("Lieux associés", c.by_type["lieu_associe"], border=True)
    declared = net.figure("regions")
    cols[3].metric("Régions couvertes", c.regions, border=True,
                   help=typo("Régions françaises (découpage de 2016) où se trouve au moins un lieu affiché."))
    if declared:  # the declared count was made on the map of the time: compare like with like
        note(f"Régions : {declared.value} déclarées par le réseau en 2012 ; {figures.regions_2012(shown)} sur la "
             f"carte des 22 régions de 2012 d'après les lieux affichés ; {c.regions} sur la carte de 2016.")
    cols[4].metric("Villes", c.cities, border=True)
    note(f"Ouverts : {c.by_status['ouvert']} · En projet : {c.by_status['en_projet']} · "
         f"Statut non renseigné : {c.by_status['']} · Hors de France : {c.abroad}")


def show_regions(net: Network, shown, regions: tuple[str, ...], default_types: tuple[str, ...],
                 totals: figures.Computed) -> None:
    """One panel per selected region: its figures, its places, its programmes."""
    for region in regions:
        with st.container(border=True):
            # The filter kept only the chosen regions: with one, its places are all those shown.
            single = len(regions) == 1
            here = shown if single else shown[shown["region"] == region]
            c = totals if single else figures.computed(here)
            sentence = figures.region_sentence(region, c.places, c.by_status["ouvert"], c.by_status["en_projet"])
            st.markdown(f"### {md_text(sentence)}")
            note(f"Cantines : {c.by_type['cantine']} · Lieux associés : {c.by_type['lieu_associe']}"
                 f" · Autres : {c.by_type['autre']} · Villes : {c.cities}")
            st.markdown(tables.region_list(here, region, REGION_LIST_MAX, default_types))
            for prog in net.programmes:
                if prog.region == region:
                    say(f"**Programme régional : {md_text(prog.name)}**")
                    note(md_text(f"« {prog.quote} »"))


def show_details(cat: Catalogue, place_id: str) -> None:
    """The selected place's details, with its source quote."""
    rows = cat.places[cat.places["id"] == place_id]
    if rows.empty:
        return
    row = rows.iloc[0]
    with st.container(border=True):
        st.markdown(f"#### {md_text(row['name'])}")
        say("  \n".join(f"**{label}** : {md_text(value)}" for label, value in tables.place_details(row)))
        if row["source"]:
            note(f"Source : {md_text('« ' + row['source'] + ' »')}")
        st.button("Fermer la fiche", key="close_place", on_click=select_place, args=("",))


def header(net: Network, path: Path) -> None:
    """Title and one line about the network and its source (one line each on a phone)."""
    with st.container(key="rc_header"):
        st.title(net.name)
        if net.launch.get("date"):
            line = (f"Lancé le {french_date(net.launch['date'])} à {net.launch.get('place', '')} "
                    f"({net.launch.get('city', '')}). Carte des lieux cités par "
                    f"{net.source.get('author', 'la source')} "
                    f"le {french_date(net.source.get('date', ''))}.")
        else:
            line = net.subtitle or f"Carte des lieux du fichier « {path.name} »."
        st.caption(md_text(line))


def places_list(cat: Catalogue, shown) -> None:
    """The list of places shown, a page at a time; a click on a row selects the place."""
    total = len(shown)
    pages = tables.page_count(total)
    if st.session_state.get(TABLE_PAGE, 0) >= pages:
        st.session_state[TABLE_PAGE] = 0
    page = st.session_state.get(TABLE_PAGE, 0)
    if pages > 1:
        st.selectbox("Page de la liste", range(pages), key=TABLE_PAGE, format_func=tables.page_label_of(total))
    part = shown.iloc[page * tables.PAGE_ROWS:(page + 1) * tables.PAGE_ROWS]
    note(f"Lieux {tables.page_label(page, total)}." if total else "Aucun lieu avec ces filtres.")
    ids = tuple(part["id"])
    st.dataframe(tables.places_table(part), key=table_key(), on_select=partial(on_table_pick, ids),
                 selection_mode="single-row", hide_index=True)
    note("Cliquez sur une ligne pour centrer la carte sur le lieu et ouvrir sa fiche ; au clavier, "
         "« Lieux ouverts près de… » et les liens du panneau de région mènent aussi aux lieux.")
    with st.expander("Choisir un lieu au clavier"):
        # The table is a canvas: this list reaches every place of the page with Tab and Entrée.
        st.selectbox("Lieu", ids, index=None, key=f"pick_{st.session_state.get(TABLE_ROUND, 0)}_{page}",
                     format_func=dict(zip(part["id"], part["name"], strict=False)).get,
                     placeholder="Tapez le début d'un nom…",
                     on_change=lambda: select_place(
                         st.session_state.get(f"pick_{st.session_state.get(TABLE_ROUND, 0)}_{page}") or ""))


def normal_page(cat: Catalogue, net: Network, outlines: OutlineSource, path: Path, years: list[str],
                default_types: tuple[str, ...]) -> None:
    """The explorer: sidebar filters, map with « près de… » beside it, details, figures, list, exports."""
    header(net, path)
    sidebar(years)
    latest = years[-1] if years else ""
    view = view_from_widgets(st.session_state, st.session_state[BASE_KEY], latest)
    if view.place and view.place not in set(cat.places["id"]):
        st.session_state[NOTICES_KEY].append(
            f"Paramètre « place={view.place[:60]} » ignoré : aucun lieu ne porte cet identifiant.")
        select_place("")
        view = view.with_place("")
    # The notices stay until the visitor changes the view: the map's first report reruns the page.
    for notice in [*cat.notes, *st.session_state.get(NOTICES_KEY, [])]:
        warn(notice)
    st.query_params.from_dict(views.to_query(view, default_types))

    shown = tour.at_year(views.apply(cat.places, view), cat.places, launch_year(net), view.year or latest)
    map_col, near_col = st.columns([3, 1], gap="small")
    with near_col, st.container(key="rc_near"):
        near = nearby(cat, view)
    camera = replace(view, center=None, zoom=None) if st.session_state.get(REPORTED_KEY) else view
    where = frame(camera, cat.places, shown, near, region_bounds, st.session_state.get(NONCE_KEY, 0),
                  st.session_state.pop(WHOLE_KEY, False))
    layers = mapview.overlays(outlines, shown, view.regions, view.choro, near)
    if where.fit:
        layers.append(FitBounds(where.fit, where.fit_key, where.max_zoom))
    group = mapview.places_group(shown, view.place, source_label(net), layers,
                                 prepared(*st.session_state[PREPARED_KEY], cat))
    with map_col:
        show_map(base_map(mapview.PAGE_HEIGHT, net.credit, False), group, key=mapview.MAP_KEY,
                 center=where.center, zoom=where.zoom, on_change=on_map_change,
                 returned_objects=["last_object_clicked_tooltip", "center", "zoom"], preload=(outlines.src,))
        year = view.year if view.year and view.year != tour.TOMORROW else ""
        line, whole = st.columns([2, 1], vertical_alignment="center")
        line.markdown(f"**{md_text(views.describe(view, len(shown), year))}**")
        whole.button("Toute la carte", icon=":material/zoom_out_map:", on_click=whole_map,
                     help="Revenir à la vue de toute la France (les filtres restent).")
        unlocated = int((shown["lat"].isna() | shown["lon"].isna()).sum())
        if unlocated:
            note(f"{plural(unlocated, 'lieu sélectionné', 'lieux sélectionnés')} sans position : "
                 "voir l'onglet « Import et hors carte ».")
    details = st.container()  # always here, so the tabs below keep their place (and their choice)
    if view.place:
        with details:
            show_details(cat, view.place)
    totals = figures.computed(shown)
    if view.regions:
        show_regions(net, shown, view.regions, default_types, totals)

    tab_fig, tab_list, tab_off, tab_about = st.tabs(list(TABS), key=TAB_KEY, on_change="rerun")
    if tab_fig.open is not False:
        with tab_fig:
            show_figures(net, shown, totals)
    if tab_list.open is not False:
        with tab_list:
            places_list(cat, shown)
            c1, c2, c3 = st.columns(3)
            c1.download_button("Exporter en CSV", lambda: export.to_csv(shown),
                               file_name="lieux.csv", mime="text/csv")
            c2.download_button("Exporter en GeoJSON", lambda: export.to_geojson(shown),
                               file_name="lieux.geojson", mime="application/geo+json")
            c3.download_button("Carte autonome (HTML, hors ligne)",
                               lambda: mapview.standalone_html(shown, outlines.geojson, source_label(net), net.credit),
                               file_name="carte.html", mime="text/html",
                               help="Une page qui s'ouvre sans internet et s'intègre dans un site (iframe).")
            embed(view, default_types)
    if tab_off.open is not False:
        with tab_off:
            lines = summary_lines(summarize(cat.places, cat.findings, cat.columns))
            with st.expander(typo(f"Résumé de l'import : {md_text(lines[0])}"), expanded=False):
                st.markdown("\n".join(f"- {md_text(line)}" for line in lines[1:]) or "Rien à signaler.")
            off = tables.off_map_table([f for f in cat.findings if f.row > 0], cat.column_label)
            if off.empty:
                st.success("Toutes les lignes du fichier sont valides et placées sur la carte.")
            else:
                st.dataframe(off, hide_index=True)
    if tab_about.open is not False:
        with tab_about:
            if net.source.get("url"):
                say(f"Source des lieux et des chiffres : {md_text(source_label(net))} "
                    f"({md_text(net.source['url'])}).")
            elif net.credit:
                say(f"Source des lieux : {md_text(net.credit)}.")
            say("Positions, quand le fichier ne les donne pas : le bourg de la commune (lieu habité de "
                "GeoNames, CC BY 4.0 ; outre-mer, countries-states-cities, ODbL 1.0), à défaut le centre de "
                "la commune (IGN Admin Express 2018, Licence Ouverte) ; hors de France, GeoNames. "
                f"Fichier des lieux : {md_text(path.name)}.")


def embed(view: views.View, default_types: tuple[str, ...]) -> None:
    """« Intégrer »: the iframe snippets, for the downloaded standalone map and for this live view."""
    live = views.link(replace(view, place=""), default_types)
    with st.expander("Intégrer la carte dans un site"):
        note("1\\. La carte autonome (bouton ci-dessus) : déposez « carte.html » sur votre site, "
             "puis collez ce code. Elle marche sans internet et sans ce serveur.")
        st.code('<iframe src="https://votre-site.fr/carte.html" title="Carte du Réseau des Cantines" '
                'width="100%" height="500" style="border:0" loading="lazy"></iframe>', language="html")
        note("2\\. Cette vue en direct (filtres, année, région) : remplacez l'adresse du serveur par la vôtre.")
        sep = "&" if live != "?" else ""
        st.code(f'<iframe src="https://adresse-de-la-carte/{live}{sep}embed=true" '
                'title="Carte du Réseau des Cantines" width="100%" height="600" style="border:0"></iframe>',
                language="html")


def show_controls(count: int) -> None:
    """Previous / pause / next, the delay, and the way out."""
    show: Show = st.session_state[SHOW_KEY]

    def move(delta: int) -> None:
        st.session_state[SHOW_KEY] = st.session_state[SHOW_KEY].step(count, delta, time.time())

    def toggle() -> None:
        st.session_state[SHOW_KEY] = st.session_state[SHOW_KEY].toggle(time.time())

    def delay() -> None:
        st.session_state[SHOW_KEY] = replace(st.session_state[SHOW_KEY], delay=st.session_state["show_delay"])

    c = st.columns([1.3, 1, 1.1, 2, 1], vertical_alignment="center")
    c[0].button("◀ Précédent", use_container_width=True, on_click=move, args=(-1,))
    c[1].button("Pause" if show.playing else "Lecture", use_container_width=True, on_click=toggle)
    c[2].button("Suivant ▶", use_container_width=True, on_click=move, args=(+1,))
    c[3].select_slider("Délai (s)", DELAYS, value=show.delay, key="show_delay", label_visibility="collapsed",
                       format_func=lambda d: f"{d} s par étape", on_change=delay)
    c[4].button("Quitter", use_container_width=True, on_click=set_mode, args=("",))


def presentation_page(cat: Catalogue, net: Network, outlines: OutlineSource) -> None:
    """Full-screen map, big figures, and a tour that runs by itself (pause, previous, next)."""
    st.markdown(presentation.CSS + presentation.figures_band(net), unsafe_allow_html=True)
    view = view_from_widgets(st.session_state, st.session_state[BASE_KEY])
    for notice in st.session_state.get(NOTICES_KEY, []):
        warn(notice)
    st.query_params.from_dict(views.to_query(view))
    shown = views.apply(cat.places, view)
    show = tour.slides(shown, launch_year(net))
    if not [s for s in show if s.kind == "place"]:
        st.warning("Aucun lieu à présenter avec ces filtres.")
        st.button("Quitter", on_click=set_mode, args=("",))
        return
    st.session_state.setdefault(SHOW_KEY, Show(moved_at=time.time()))
    with st.container(key=presentation.CONTROLS_KEY):  # floats over the map, fades when the mouse rests
        show_controls(len(show))
    current: Show = st.session_state[SHOW_KEY]

    @st.fragment(run_every=current.delay if current.playing else None)
    def stage() -> None:
        st.session_state[SHOW_KEY] = st.session_state[SHOW_KEY].tick(len(show), time.time())
        i = st.session_state[SHOW_KEY].index % len(show)
        slide = show[i]
        note = net.launch.get("quote", "") if slide.label == str(launch_year(net)) else ""
        seen = scene(slide, shown, f"{i + 1}/{len(show)}", note)
        center, zoom = (seen.center, seen.zoom) if seen.center else camera.view_for_bounds(
            seen.bounds, 1800, mapview.SHOW_HEIGHT)
        card = OverlayLegend("", [], position="bottomleft", css_class="rc-caption", raw_html=seen.caption)
        group = mapview.places_group(seen.visible, "", source_label(net), [card],
                                     prepared(*st.session_state[PREPARED_KEY], cat), projector=True)
        show_map(base_map(mapview.SHOW_HEIGHT, net.credit, True), group, key="carte_show",
                 center=center, zoom=zoom, returned_objects=[])

    stage()


def launch_year(net: Network) -> int:
    """The year of the timeline's launch step: the network's, or this year for a neutral page."""
    return net.launch_year or time.localtime().tm_year


def map_page() -> None:
    """The map page: explorer or presentation."""
    try:
        path = places_path()
        stamp = file_stamp(path)
        mapping = mapping_path()
        keys = (stamp, file_stamp(mapping) if mapping else None, accepted_version())
        cat = catalogue(*keys)
        st.session_state[PREPARED_KEY] = keys
        regions = outlines()
        net = network(str(path), cat.credit)
    except ReseauMapError as err:
        st.error(md_text(err))
        st.stop()
    register_served()  # the map's frame fetches the libraries, the atlas and the places from it
    default_types = net.default_types or tuple(views.TYPE_CHOICES)
    years = year_labels(stamp, cat, launch_year(net))
    seed_session(default_types, years)
    presenting = st.session_state[BASE_KEY].presenting
    st.html(browser.PAGE_CSS + browser.script(views.PRESENTATION if presenting else ""),
            unsafe_allow_javascript=True)
    if presenting:
        presentation_page(cat, net, regions)
    else:
        normal_page(cat, net, regions, path, years, default_types)
    settle()  # after the page is drawn: the visitor does not wait for it
