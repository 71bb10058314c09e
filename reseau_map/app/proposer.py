"""« Proposer un lieu » — the public form; wires widgets to reseau_map.contrib."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from reseau_map.app import connection
from reseau_map.app.component import session_id
from reseau_map.contrib import form, limits, preview
from reseau_map.contrib.proposal import LABELS, MAX_LENGTHS
from reseau_map.contrib.store import places_to_compare
from reseau_map.domain.catalogue import build_catalogue, read_cache
from reseau_map.files.places import content_hash, places_path, read_bytes
from reseau_map.geo.gazetteer import load_gazetteer
from reseau_map.geo.regions import load_outlines
from reseau_map.maps.mapview import base_map

KEY = "contrib_"  # prefix of this page's widget keys
SINGLE_LINE = ("name", "address", "postcode", "city", "website", "contact_email")
POINT_KEY, CLICK_SEEN_KEY, RECEIPT_KEY, RESET_KEY = "contrib_point", "contrib_click_seen", "contrib_receipt", \
    "contrib_reset"
HIDE_HONEYPOT = f"<style>.st-key-{limits.HONEYPOT_FIELD} {{display: none;}}</style>"


@st.cache_resource(show_spinner="Lecture des lieux…", max_entries=2)
def catalogue_places(digest: str, _data: bytes):
    """The places file read and located (cached on its content)."""
    return build_catalogue(_data, load_gazetteer(), cache=read_cache()).places


def say(kind, text: str) -> None:
    """A message whose user-typed parts cannot turn into Markdown."""
    kind(form.escape_markdown(text))


store = connection.store()
state = st.session_state
if state.pop(RESET_KEY, False):  # after a sending: an empty form (set before the widgets exist)
    # Assigned, not deleted: a deleted key lets the browser send its old value back.
    for name in (*SINGLE_LINE, "description", "source_text"):
        state[KEY + name] = ""
    state[KEY + "type"], state[KEY + "status"] = next(iter(form.TYPE_CHOICES)), ""
    state.pop(POINT_KEY, None)

st.title("Proposer un lieu")
st.caption("Votre lieu rejoint le Réseau des Cantines ? Proposez-le : la coordination du réseau vérifie "
           "chaque proposition avant qu'elle apparaisse sur la carte. L'e-mail reste privé.")
if receipt := state.pop(RECEIPT_KEY, None):
    st.success(f"Merci ! Proposition enregistrée sous le numéro {receipt} ; "
               "elle attend la modération.")

values: dict[str, object] = {}
values["name"] = st.text_input(LABELS["name"] + " *", key=KEY + "name", max_chars=MAX_LENGTHS["name"])
left, right = st.columns(2)
values["type"] = left.selectbox(LABELS["type"] + " *", list(form.TYPE_CHOICES), key=KEY + "type",
                                format_func=form.TYPE_CHOICES.get)
values["status"] = right.selectbox(LABELS["status"], list(form.STATUS_CHOICES), key=KEY + "status",
                                   format_func=form.STATUS_CHOICES.get)
values["address"] = st.text_input(LABELS["address"], key=KEY + "address", max_chars=MAX_LENGTHS["address"])
left, right = st.columns([1, 2])
values["postcode"] = left.text_input(LABELS["postcode"], key=KEY + "postcode", max_chars=MAX_LENGTHS["postcode"])
values["city"] = right.text_input(LABELS["city"] + " *", key=KEY + "city", max_chars=MAX_LENGTHS["city"])

point = state.get(POINT_KEY)
if point:
    values["lat"], values["lon"] = point
found = form.locate(str(values["city"]), str(values["postcode"]))
lat, lon = point if point else (found[:2] if found else (None, None))
label = str(values["name"] or "Votre lieu")
center, zoom = preview.view(lat, lon)
st.caption("Le point se place d'après la commune ; cliquez sur la carte pour le corriger.")
result = st_folium(base_map(load_outlines(), preview.PREVIEW_HEIGHT), key="contrib_map",
                   height=preview.PREVIEW_HEIGHT, use_container_width=True,
                   feature_group_to_add=preview.point_layer(lat, lon, label), center=center, zoom=zoom,
                   returned_objects=["last_clicked"])
click = preview.clicked(result)
if click and click != state.get(CLICK_SEEN_KEY):
    state[CLICK_SEEN_KEY] = click
    state[POINT_KEY] = click
    st.rerun()
if point and st.button("Revenir au centre de la commune"):
    state.pop(POINT_KEY, None)
    st.rerun()

values["website"] = st.text_input(LABELS["website"], key=KEY + "website", max_chars=MAX_LENGTHS["website"],
                                  placeholder="https://…")
values["description"] = st.text_area(LABELS["description"], key=KEY + "description",
                                     max_chars=MAX_LENGTHS["description"])
values["source_text"] = st.text_area(LABELS["source_text"], key=KEY + "source_text",
                                     max_chars=MAX_LENGTHS["source_text"],
                                     help="Un site, un article, ou « je suis responsable du lieu ».")
values["contact_email"] = st.text_input(LABELS["contact_email"] + " (privé)", key=KEY + "contact_email",
                                        max_chars=MAX_LENGTHS["contact_email"],
                                        help="Jamais affiché ni exporté : seulement pour vous recontacter.")
st.html(HIDE_HONEYPOT)
trap = st.text_input("Laissez ce champ vide", key=limits.HONEYPOT_FIELD)

checked = form.check(values)
typed = any(str(state.get(KEY + n, "")).strip() for n in SINGLE_LINE)
if typed:
    for message in checked.errors.values():
        say(st.error, message)
    for message in checked.warnings.values():
        say(st.warning, message)
    if checked.proposal is not None:
        known = places_to_compare(catalogue_places(content_hash(data := read_bytes(places_path())), data), store)
        for dup in form.duplicates(checked.proposal, known):
            say(st.warning, dup.message)

if st.button("Envoyer la proposition", type="primary"):
    limit = limits.SessionLimit(state)
    if limits.honeypot_tripped(trap):
        st.success("Merci ! Votre proposition a été reçue.")  # a robot learns nothing
    elif limit.wait_s() > 0:
        st.error(limits.wait_message(limit.wait_s()))
    elif not checked.ok:
        st.error("La proposition n'est pas envoyée : corrigez les champs signalés.")
        for message in checked.errors.values():
            say(st.error, message)
    else:
        state[RECEIPT_KEY] = store.submit(checked.proposal, limits.session_hash(session_id()))
        limit.record()
        state[RESET_KEY] = True
        st.rerun()
