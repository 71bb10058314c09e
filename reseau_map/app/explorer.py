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

from reseau_map.app import browser, cards, embedded, exports, presentation, state, urlnotice
from reseau_map.app.component import register_served
from reseau_map.app.component import show as show_map
from reseau_map.app.resources import (
    base_map,
    current_catalogue,
    gazetteer,
    network,
    outlines,
    prepared,
    search_index,
    settle,
    year_labels,
)
from reseau_map.app.screen import Screen
from reseau_map.app.slideshow import DELAYS, Show, scene
from reseau_map.contrib.accepted import known_place as place_as_spelled
from reseau_map.core.errors import PlaceNotFound, ReseauMapError
from reseau_map.core.text import french_number, md_text, plural, typo
from reseau_map.domain import camera, figures, tables, tour
from reseau_map.domain import view as views
from reseau_map.domain.catalogue import Catalogue
from reseau_map.domain.framing import frame
from reseau_map.domain.summary import summarize, summary_lines
from reseau_map.files.network import Network, french_date, source_label
from reseau_map.files.places import places_path
from reseau_map.files.statuses import has_statuses
from reseau_map.files.vocabulary import CLOSED, OPEN, Vocabulary
from reseau_map.geo import nearest
from reseau_map.geo.regions import REGION_NAMES, region_bounds
from reseau_map.maps import mapview
from reseau_map.maps.controls import FitBounds, OverlayLegend
from reseau_map.maps.regionlayer import OutlineSource

REGION_LIST_MAX = 30
CARD_KEY = "rc_card"  # the selected place's card: `st-key-rc_card` in the page (static/page.js focuses it)
TABS = ("Chiffres", "Liste des lieux", "Import et hors carte", "Sources")
W = state.WIDGETS  # the filters' widget keys


def url_query() -> dict[str, list[str]]:
    """The URL's parameters that the view understands."""
    keys = [*views.QUERY_KEYS, *views.facet_keys(st.query_params.to_dict())]
    return {k: st.query_params.get_all(k) for k in keys if k in st.query_params}


def configure() -> bool:
    """The page's title, icon and layout (the sidebar folded in presentation mode); whether presenting."""
    presenting = (url_query().get("mode") or [""])[0] == views.PRESENTATION
    st.set_page_config(page_title=browser.SITE, page_icon="🗺️", layout="wide",
                       initial_sidebar_state="collapsed" if presenting else "auto")
    return presenting


def write_query(query: dict[str, list[str]]) -> None:
    """The view into the address, only when it changes it: an address Streamlit dropped for its length
    stays in the browser, where urlnotice's script reads it and says so."""
    if {k: st.query_params.get_all(k) for k in st.query_params} != query:
        st.query_params.from_dict(query)


# Callbacks: each applies one event to the Screen (app/screen.py).
def select_place(place_id: str) -> None:
    """Select a place (or none): a click, a row, a result near a city, « Fermer la fiche »."""
    state.change(lambda s: s.select(place_id))


def on_map_change() -> None:
    """The map reported a click on a place (by its id) or the visitor's own pan and zoom."""
    reported = state.widget(state.MAP) or {}
    state.change(lambda s: s.map_reported(reported))


def forget_camera() -> None:
    """A filter changed: the view from the URL (centre, zoom) and its notices no longer apply."""
    state.change(Screen.filtered)


def whole_map() -> None:
    """« Toute la carte »: forget the camera and fit all of France once more."""
    state.change(Screen.whole)


def set_mode(mode: str) -> None:
    """Enter or leave presentation mode."""
    state.change(lambda s: s.with_mode(mode))


def set_near(city: str) -> None:
    """A suggestion was clicked: it becomes the typed city."""
    state.set_widgets({W["near"]: city})
    forget_camera()


def on_table_pick(table: str, ids: tuple[str, ...]) -> None:
    """A row of the list (the page shown) was picked: select its place."""
    rows = (state.widget(table) or {}).get("selection", {}).get("rows", [])
    if rows and rows[0] < len(ids):
        select_place(ids[rows[0]])


def on_keyboard_pick(picker: str) -> None:
    """A place was chosen in the keyboard's list."""
    select_place(str(state.widget(picker) or ""))


def say(markdown: str) -> None:
    """A sentence of ours (data inside already through md_text), in French typography."""
    st.markdown(typo(markdown))


def note(markdown: str) -> None:
    """A small line of ours, in French typography."""
    st.caption(typo(markdown))


def warn(text: object) -> None:
    """A notice about data or the URL, shown as text."""
    st.warning(md_text(text), icon="⚠️")


def show_closed(vocab: Vocabulary) -> None:
    """« Afficher aussi les lieux fermés »: the closed statuses join the status filter."""
    chosen = list(state.widget(W["statuses"]) or [])
    state.set_widgets({W["statuses"]: chosen + [s for s in vocab.with_meaning(CLOSED) if s not in chosen]})
    forget_camera()


def sidebar(years: list[str], cat: Catalogue, view: views.View) -> None:
    """Filter widgets (the partner's columns too), timeline, choropleth switch."""
    vocab = cat.vocabulary
    with st.sidebar:
        st.header("Filtres")
        # Typing then Entrée picks the first choice containing the text: never Streamlit's « Select all
        # matches », which added every region matching « Bret » loosely (Bourgogne-Franche-Comté too).
        st.multiselect("Type de lieu", list(vocab.type_ids), key=W["types"],
                       format_func=vocab.type_label, on_change=forget_camera, filter_mode="contains", select_all=False)
        st.multiselect("Région", list(REGION_NAMES), key=W["regions"], placeholder="Toutes les régions",
                       on_change=forget_camera, filter_mode="contains", select_all=False)
        st.multiselect("Statut", list(vocab.status_choices), key=W["statuses"], format_func=vocab.status_label,
                       on_change=forget_camera, filter_mode="contains", select_all=False)
        closed = [s for s in vocab.with_meaning(CLOSED) if s not in view.statuses]
        hidden = int(cat.places["status"].isin(closed).sum()) if closed else 0
        if hidden:
            st.button(f"Afficher aussi les lieux fermés ({french_number(hidden)})", on_click=show_closed,
                      args=(vocab,), width="stretch", help="Ils sont masqués par défaut ; le filtre Statut les retire.")
        st.text_input("Rechercher (tous les textes)", key=W["q"], on_change=forget_camera)
        if cat.fields.facets:
            with st.expander(typo("Filtrer aussi par…"), expanded=bool(view.facets)):
                for facet in cat.fields.facets:
                    st.multiselect(md_text(facet.column), list(facet.labels), key=state.facet_widget(facet.id),
                                   format_func=facet.choice, placeholder="Toutes les valeurs",
                                   on_change=forget_camera, filter_mode="contains", select_all=False)
        if len(years) > 1:
            st.select_slider("Le réseau en …", years, key=W["year"], on_change=forget_camera)
        st.toggle("Colorer les régions par nombre de lieux", key=W["choro"])
        st.divider()
        st.button("Mode présentation", icon=":material/slideshow:", width="stretch",
                  on_click=set_mode, args=(views.PRESENTATION,))


def nearby(cat: Catalogue, view: views.View) -> nearest.Nearby | None:
    """« Lieux ouverts près de… »: the visitor's city and the nearest places, beside the map; the open ones
    when the file says statuses, else all of them (and the label says which)."""
    open_only = has_statuses(cat.places["status"])
    what = "Lieux ouverts" if open_only else "Lieux"
    st.text_input(f"{what} près de… (ville)", key=W["near"], placeholder="ex. Vannes, Genève, St-Étienne",
                  on_change=forget_camera)
    pool = cat.places[views.in_types(cat.places, view.types)]
    statuses = cat.vocabulary.with_meaning(OPEN) if open_only else None
    if not view.near:
        note("Tapez une ville, en France ou à l'étranger, puis Entrée.")
        return None
    try:
        found = nearest.nearby(gazetteer(), view.near, pool, statuses=statuses)
    except PlaceNotFound as err:
        if err.suggestions:
            st.warning(typo(f"« {md_text(view.near)} » est inconnu. Vouliez-vous dire :"), icon="🔎")
            for i, name in enumerate(err.suggestions):
                st.button(md_text(name), key=state.key(state.NEAR_SUGGEST, i), on_click=set_near, args=(name,),
                          width="stretch")
        else:
            st.warning(md_text(err))
        return None
    if len(found.homonyms) > 1:
        # Keyed on the text: another city gets its own choice, not the last one's index.
        pick = st.selectbox(typo("Plusieurs lieux portent ce nom :"), range(len(found.homonyms)),
                            format_func=lambda i: nearest.entry_label(found.homonyms[i], True),
                            key=state.key(state.NEAR_PICK, view.near))
        found = nearest.nearby(gazetteer(), view.near, pool, None, pick, statuses=statuses)
    if found.origin.country != "FR":
        st.info(md_text(f"{nearest.entry_label(found.origin)} est hors de France ; distances à vol d'oiseau."))
    if found.places.empty:
        st.info(f"Aucun {'lieu ouvert' if open_only else 'lieu'} de ces types sur la carte.")
    else:
        which = "lieux ouverts" if open_only else "tous les lieux : le fichier ne dit pas leur statut"
        note(f"Les plus proches de {md_text(nearest.entry_label(found.origin))} ({which}) :")
    for _, row in found.places.iterrows():
        kind = cat.vocabulary.type_label(row["type"])
        st.button(f"{row['distance_km']:.0f}\u00a0km — {md_text(row['name'])} ({md_text(row['city'])}, "
                  f"{md_text(kind)})",
                  key=state.key(state.NEAR_PLACE, row["id"]), on_click=select_place, args=(row["id"],),
                  width="stretch", help="Voir ce lieu sur la carte et ouvrir sa fiche.")
    return found


def status_counts(vocab: Vocabulary, c: figures.Computed) -> str:
    """« Ouverts : 5 · En projet : 2 · Statut non renseigné : 1 »: each status the vocabulary has."""
    said = [f"{s.plural[:1].upper()}{s.plural[1:]} : {c.by_status.get(s.id, 0)}" for s in vocab.statuses]
    return " · ".join([*said, f"{vocab.unknown.label} : {c.by_status.get('', 0)}"])


def type_counts(vocab: Vocabulary, c: figures.Computed) -> list[str]:
    """« Cantines : 5 », « Lieux associés : 2 » for the types shown by default, then « Autres : 1 » for the rest;
    a file's own categories each with its count."""
    if not vocab.declared:
        return [figures.types_sentence(c.by_type, vocab)] if c.places else []
    shown = [t for t in vocab.types if t.id in vocab.default_types]
    said = [f"{t.plural[:1].upper()}{t.plural[1:]} : {c.by_type.get(t.id, 0)}" for t in shown]
    others = [t.id for t in vocab.types if t.id not in vocab.default_types]
    return said + ([f"Autres : {sum(c.by_type.get(t, 0) for t in others)}"] if others else [])


def show_figures(net: Network, vocab: Vocabulary, shown, c: figures.Computed) -> None:
    """Declared figures (their quotes open on click, tap or keyboard) beside those computed from the map."""
    if net.figures:
        # Headings in order (WCAG 1.3.1): the page's title is an h1, its sections h2.
        st.header(typo(f"Chiffres déclarés par le réseau ({md_text(french_date(net.source.get('date', '')))})"))
        st.markdown(cards.figure_cards(net), unsafe_allow_html=True)
        note(f"Touchez ou cliquez un chiffre pour lire la phrase de la source. {md_text(source_label(net))}.")
    st.header("Calculé d'après la carte (filtres actuels)")
    # One metric per type shown by default (those the network counts as its own), in the vocabulary's order;
    # a file's own categories are too many for metrics: one sentence says them all.
    counted = [t for t in vocab.types if t.id in vocab.default_types] if vocab.declared else []
    cols = st.columns(3 + len(counted))
    cols[0].metric("Lieux affichés", c.places, border=True)
    for col, kind in zip(cols[1:], counted, strict=False):
        col.metric(kind.plural[:1].upper() + kind.plural[1:], c.by_type.get(kind.id, 0), border=True)
    declared = net.figure("regions")
    cols[-2].metric("Régions couvertes", c.regions, border=True,
                    help=typo("Régions françaises (découpage de 2016) où se trouve au moins un lieu affiché."))
    if declared:  # the declared count was made on the map of the time: compare like with like
        note(f"Régions : {md_text(declared.value)} déclarées par le réseau en 2012 ; {figures.regions_2012(shown)} "
             f"sur la carte des 22 régions de 2012 d'après les lieux affichés ; {c.regions} sur la carte de 2016.")
    cols[-1].metric("Villes", c.cities, border=True)
    if c.places:
        say(f"**{md_text(figures.types_sentence(c.by_type, vocab))}**")
    note(f"{status_counts(vocab, c)} · Hors de France : {c.abroad}")


def show_regions(net: Network, vocab: Vocabulary, shown, regions: tuple[str, ...], totals: figures.Computed) -> None:
    """One panel per selected region: its figures, its places, its programmes."""
    for region in regions:
        with st.container(border=True):
            # The filter kept only the chosen regions: with one, its places are all those shown.
            single = len(regions) == 1
            here = shown if single else shown[shown["region"] == region]
            c = totals if single else figures.computed(here, vocab)
            sentence = figures.region_sentence(region, c.places, c.by_status, vocab)
            st.markdown(f"### {md_text(sentence)}")
            note(" · ".join([*type_counts(vocab, c), f"Villes : {c.cities}"]))
            st.markdown(tables.region_list(here, region, REGION_LIST_MAX, vocab))
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
    with st.container(border=True, key=CARD_KEY):
        st.markdown(f"## {md_text(row['name'])}")
        say("  \n".join(f"**{md_text(label)}** : {md_text(value)}"
                        for label, value in tables.place_details(row, cat.vocabulary, cat.fields)))
        if row["source"]:
            note(f"Source : {md_text('« ' + row['source'] + ' »')}")
        st.button("Fermer la fiche", key=state.CLOSE_PLACE, on_click=select_place, args=("",))


def header(net: Network, path: Path) -> None:
    """Title and one line about the network and its source (one line each on a phone)."""
    with st.container(key="rc_header"):
        st.title(md_text(net.name))  # the file's words, never Markdown
        if net.launch.get("date"):
            line = (f"Lancé le {french_date(net.launch['date'])} à {net.launch.get('place', '')} "
                    f"({net.launch.get('city', '')}). Carte des lieux cités par "
                    f"{net.source.get('author', 'la source')} "
                    f"le {french_date(net.source.get('date', ''))}.")
        else:
            line = net.subtitle or f"Carte des lieux du fichier « {path.name} »."
        st.caption(md_text(line))


def places_list(cat: Catalogue, shown, table_round: int) -> None:
    """The list of places shown, a page at a time; a click on a row selects the place."""
    total = len(shown)
    pages = tables.page_count(total)
    page = int(state.widget(state.TABLE_PAGE, 0))
    if page >= pages:
        page = 0
        state.set_widgets({state.TABLE_PAGE: 0})
    if pages > 1:
        st.selectbox("Page de la liste", range(pages), key=state.TABLE_PAGE, format_func=tables.page_label_of(total))
    part = shown.iloc[page * tables.PAGE_ROWS:(page + 1) * tables.PAGE_ROWS]
    note(f"Lieux {tables.page_label(page, total)}." if total else "Aucun lieu avec ces filtres.")
    ids = tuple(part["id"])
    table = state.key(state.TABLE, table_round)
    st.dataframe(tables.places_table(part, cat.vocabulary), key=table, on_select=partial(on_table_pick, table, ids),
                 selection_mode="single-row", hide_index=True)
    note("Cliquez sur une ligne, ou choisissez-la avec les flèches puis Entrée, pour centrer la carte sur "
         "le lieu et ouvrir sa fiche.")
    with st.expander("Choisir un lieu au clavier"):
        # The table is a canvas: this list reaches every place of the page with Tab and Entrée.
        picker = state.key(state.PICK, table_round, page)
        st.selectbox("Lieu", ids, index=None, key=picker,
                     format_func=dict(zip(part["id"], part["name"], strict=False)).__getitem__,
                     placeholder="Tapez le début d'un nom…", on_change=on_keyboard_pick, args=(picker,))


def known_place(cat: Catalogue, screen: Screen) -> Screen:
    """The screen without a selected place that no place has, and a notice saying so (both modes)."""
    place = screen.view.place
    if place and place not in set(cat.places["id"]):
        return screen.with_notice(f"Paramètre « place={place[:60]} » ignoré : aucun lieu ne porte cet "
                                  "identifiant.").select("")
    return screen


def normal_page(cat: Catalogue, key: tuple, net: Network, outlines: OutlineSource, path: Path, years: list[str],
                screen: Screen) -> None:
    """The explorer: sidebar filters, map with « près de… » beside it, details, figures, list, exports."""
    vocab = cat.vocabulary
    header(net, path)
    sidebar(years, cat, screen.view)
    latest = years[-1] if years else ""
    screen = known_place(cat, screen)
    view = screen.view
    # The notices stay until the visitor changes the view: the map's first report reruns the page.
    for notice in [*cat.notes, *net.notes, *screen.notices]:
        warn(notice)
    write_query(views.to_query(view, vocab))

    found = views.apply(cat.places, view, cat.fields.facets, search_index(key, cat))  # search folded once per catalogue
    shown = tour.at_year(found, cat.places, launch_year(net), view.year or latest, vocab)
    map_col, near_col = st.columns([3, 1], gap="small")
    with near_col:
        # The card beside the map, not above the list: choosing a row keeps the list and the map in sight.
        if view.place:
            show_details(cat, view.place)
        with st.container(key="rc_near"):
            near = nearby(cat, view)
    where = frame(screen.camera, cat.places, shown, near, region_bounds, screen.fit_round, screen.fit_whole)
    state.keep(screen.fitted())  # the one write of the run: what it changed is known
    layers = mapview.overlays(outlines, shown, view.regions, view.choro, near, vocab)
    if where.fit:
        layers.append(FitBounds(where.fit, where.fit_key, where.max_zoom))
    group = mapview.places_group(shown, view.place, source_label(net), layers, prepared(key, cat))
    with map_col:
        show_map(base_map(mapview.PAGE_HEIGHT, net.credit, False, vocab), group, key=state.MAP,
                 center=where.center, zoom=where.zoom, on_change=on_map_change,
                 returned_objects=["last_object_clicked_tooltip", "center", "zoom"], preload=(outlines.src,))
        year = view.year if view.year and view.year != tour.TOMORROW else ""
        line, whole = st.columns([2, 1], vertical_alignment="center")
        line.markdown(f"**{md_text(views.describe(view, len(shown), vocab, year, cat.fields.facets))}**")
        whole.button("Toute la carte", icon=":material/zoom_out_map:", on_click=whole_map,
                     help="Revenir à la vue de toute la France (les filtres restent).")
        unlocated = int((shown["lat"].isna() | shown["lon"].isna()).sum())
        if unlocated:
            note(f"{plural(unlocated, 'lieu sélectionné', 'lieux sélectionnés')} sans position : "
                 "voir l'onglet « Import et hors carte ».")
    totals = figures.computed(shown, vocab)
    if view.regions:
        show_regions(net, vocab, shown, view.regions, totals)

    tab_fig, tab_list, tab_off, tab_about = st.tabs(list(TABS), key=state.TAB, on_change="rerun")
    if tab_fig.open is not False:
        with tab_fig:
            show_figures(net, vocab, shown, totals)
    if tab_list.open is not False:
        with tab_list:
            places_list(cat, shown, screen.table_round)
            exports.export_buttons(shown, cat, net, outlines, view)  # what is shown; private columns never
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


def show_controls(show: Show, count: int) -> None:
    """Previous / pause / next, the delay, and the way out."""

    def move(delta: int) -> None:
        state.change(lambda s: s.with_show(s.slideshow.step(count, delta, time.time())))

    def toggle() -> None:
        state.change(lambda s: s.with_show(s.slideshow.toggle(time.time())))

    def delay() -> None:
        chosen = int(state.widget(state.SHOW_DELAY, show.delay))
        state.change(lambda s: s.with_show(replace(s.slideshow, delay=chosen)))

    c = st.columns([1.3, 1, 1.1, 2, 1], vertical_alignment="center")
    c[0].button("◀ Précédent", width="stretch", on_click=move, args=(-1,))
    c[1].button("Pause" if show.playing else "Lecture", width="stretch", on_click=toggle)
    c[2].button("Suivant ▶", width="stretch", on_click=move, args=(+1,))
    c[3].select_slider("Délai (s)", DELAYS, value=show.delay, key=state.SHOW_DELAY, label_visibility="collapsed",
                       format_func=lambda d: f"{d} s par étape", on_change=delay)
    c[4].button("Quitter", width="stretch", on_click=set_mode, args=("",))


def presentation_page(cat: Catalogue, key: tuple, net: Network, outlines: OutlineSource, screen: Screen) -> None:
    """Full-screen map, big figures, and a tour that runs by itself (pause, previous, next)."""
    st.markdown(presentation.CSS + presentation.figures_band(net), unsafe_allow_html=True)
    screen = known_place(cat, screen)
    vocab, view = cat.vocabulary, screen.view
    for notice in [*net.notes, *screen.notices]:
        warn(notice)
    write_query(views.to_query(view, vocab))
    shown = views.apply(cat.places, view, cat.fields.facets, search_index(key, cat))
    show = tour.slides(shown, launch_year(net), vocab=vocab)
    if screen.show is None:
        screen = screen.with_show(Show(moved_at=time.time()))
    state.keep(screen)  # the one write of the run; the stage below is a fragment: it keeps its own
    if not [s for s in show if s.kind == "place"]:
        st.warning("Aucun lieu à présenter avec ces filtres.")
        st.button("Quitter", on_click=set_mode, args=("",))
        return
    with st.container(key=presentation.CONTROLS_KEY):  # floats over the map, fades when the mouse rests
        show_controls(screen.slideshow, len(show))
    current = screen.slideshow

    @st.fragment(run_every=current.delay if current.playing else None)
    def stage() -> None:
        now = state.change(lambda s: s.with_show(s.slideshow.tick(len(show), time.time()))).slideshow
        i = now.index % len(show)
        slide = show[i]
        note = net.launch.get("quote", "") if slide.label == str(launch_year(net)) else ""
        seen = scene(slide, shown, f"{i + 1}/{len(show)}", note, vocab)
        center, zoom = (seen.center, seen.zoom) if seen.center or not seen.bounds else camera.view_for_bounds(
            seen.bounds, 1800, mapview.SHOW_HEIGHT)
        card = OverlayLegend("", [], position="bottomleft", css_class="rc-caption", raw_html=seen.caption)
        # The slide's place is drawn apart from the others (larger, ringed, named): places.js.
        featured = slide.place_id if slide.kind == "place" else ""
        group = mapview.places_group(seen.visible, featured or "", source_label(net), [card], prepared(key, cat),
                                     projector=True)
        show_map(base_map(mapview.SHOW_HEIGHT, net.credit, True, vocab), group, key=state.SHOW_MAP,
                 center=center, zoom=zoom, returned_objects=[])

    stage()


def launch_year(net: Network) -> int:
    """The year of the timeline's launch step: the network's, or this year for a neutral page."""
    return net.launch_year or time.localtime().tm_year


def map_page() -> None:
    """The map page: explorer or presentation."""
    try:
        path = places_path()
        cat, key = current_catalogue()
        regions = outlines()
        net = network(str(path), cat.credit)
    except ReseauMapError as err:
        st.error(md_text(err))
        st.stop()
    register_served()  # the map's frame fetches the libraries, the atlas and the places from it
    years = year_labels(key, cat, launch_year(net))
    screen = state.screen(lambda: place_as_spelled(views.from_query(url_query(), cat.vocabulary, years,
                                                                    cat.fields.facets), cat.places["id"]),
                          years[-1] if years else "", [f.id for f in cat.fields.facets])
    presenting = screen.view.presenting
    alone = not presenting and embedded.requested()
    mode = views.PRESENTATION if presenting else embedded.MODE if alone else ""
    st.set_page_config(page_title=browser.TITLES["presentation" if presenting else "map"])
    st.html(browser.PAGE_CSS + browser.script(mode, "map") + urlnotice.script(), unsafe_allow_javascript=True)
    if alone:
        embedded.embed_page(cat, key, net, regions, screen, launch_year(net), years[-1] if years else "")
    elif presenting:
        presentation_page(cat, key, net, regions, screen)
    else:
        normal_page(cat, key, net, regions, path, years, screen)
    settle()  # after the page is drawn: the visitor does not wait for it
