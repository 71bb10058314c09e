"""« Proposer un lieu » — the public form; wires widgets to reseau_map.contrib."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from reseau_map.app import connection, mailing, state
from reseau_map.app.component import session_id
from reseau_map.app.resources import current_catalogue
from reseau_map.app.state import FORM, Proposing
from reseau_map.contrib import form, limits, preview
from reseau_map.contrib.proposal import LABELS, MAX_LENGTHS
from reseau_map.contrib.store import places_to_compare
from reseau_map.core.errors import DatabaseUnavailable, RateLimited, ReseauMapError
from reseau_map.core.text import md_text
from reseau_map.domain.catalogue import Catalogue
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.regions import load_outlines
from reseau_map.maps.mapview import base_map

SINGLE_LINE = ("name", "address", "postcode", "city", "website", "contact_email")
MULTI_LINE = ("description", "source_text")
HIDE_HONEYPOT = f"<style>.st-key-{state.HONEYPOT} {{display: none;}}</style>"


def say(kind, text: str) -> None:
    """A message whose user-typed parts cannot turn into Markdown."""
    kind(form.escape_markdown(text))


def field(name: str) -> str:
    """The widget key of one of the form's fields."""
    return state.key(FORM, name)


def empty_form(vocab: Vocabulary) -> dict[str, object]:
    """The widget values of an empty form (after a sending)."""
    # Assigned, not deleted: a deleted key lets the browser send its old value back.
    values: dict[str, object] = {field(name): "" for name in (*SINGLE_LINE, *MULTI_LINE)}
    return values | {field("type"): next(iter(form.type_choices(vocab))), field("status"): ""}


def fields(vocab: Vocabulary, memo: Proposing) -> dict[str, object]:
    """The form's widgets, top to bottom as far as the commune; what they hold."""
    values: dict[str, object] = {}
    values["name"] = st.text_input(LABELS["name"] + " *", key=field("name"), max_chars=MAX_LENGTHS["name"])
    left, right = st.columns(2)
    types, statuses = form.type_choices(vocab), form.status_choices(vocab)
    type_ids, status_ids = list(types), list(statuses)
    values["type"] = left.selectbox(LABELS["type"] + " *", type_ids, key=field("type"), format_func=types.__getitem__)
    values["status"] = right.selectbox(LABELS["status"], status_ids, key=field("status"),
                                       format_func=statuses.__getitem__)
    values["address"] = st.text_input(LABELS["address"], key=field("address"), max_chars=MAX_LENGTHS["address"])
    left, right = st.columns([1, 2])
    values["postcode"] = left.text_input(LABELS["postcode"], key=field("postcode"), max_chars=MAX_LENGTHS["postcode"])
    values["city"] = right.text_input(LABELS["city"] + " *", key=field("city"), max_chars=MAX_LENGTHS["city"])
    if memo.point:
        values["lat"], values["lon"] = memo.point
    return values


def point_map(values: dict[str, object], memo: Proposing) -> Proposing | None:
    """The preview map, its point from the commune or a click; the next memo when a click moved it."""
    found = form.locate(str(values["city"]), str(values["postcode"]))
    lat, lon = memo.point if memo.point else (found[:2] if found else (None, None))
    center, zoom = preview.view(lat, lon)
    st.caption("Le point se place d'après la commune ; cliquez sur la carte pour le corriger.")
    result = st_folium(base_map(load_outlines(), preview.PREVIEW_HEIGHT), key=state.FORM_MAP,
                       height=preview.PREVIEW_HEIGHT, width=None,  # the container's width
                       feature_group_to_add=preview.point_layer(lat, lon, str(values["name"] or "Votre lieu")),
                       center=center, zoom=zoom, returned_objects=["last_clicked"])
    click = preview.clicked(result)
    if click and click != memo.click_seen:
        return replace(memo, click_seen=click, point=click)
    if memo.point and st.button("Revenir au centre de la commune"):
        return replace(memo, point=None)
    return None


def check(values: dict[str, object], cat: Catalogue) -> form.Checked:
    """The proposal checked as it is typed: errors, warnings, likely duplicates."""
    checked = form.check(values, vocab=cat.vocabulary)
    if any(str(values[n]).strip() for n in SINGLE_LINE):
        for message in checked.errors.values():
            say(st.error, message)
        for message in checked.warnings.values():
            say(st.warning, message)
        if checked.proposal is not None:
            try:
                known = places_to_compare(cat.places, connection.store(), checked.proposal)
            except DatabaseUnavailable:
                known = cat.places  # said once, at the sending: the form stays usable
            for dup in form.duplicates(checked.proposal, known):
                say(st.warning, dup.message)
    return checked


def send(checked: form.Checked, trap: object, memo: Proposing) -> Proposing | None:
    """« Envoyer la proposition »: the next memo once it is stored, None when it is not."""
    limit = limits.SessionLimit(memo.last_sent)
    if limits.honeypot_tripped(trap):
        st.success("Merci ! Votre proposition a été reçue.")  # a robot learns nothing
    elif limit.wait_s() > 0:
        st.error(limits.wait_message(limit.wait_s()))
    elif not checked.ok or checked.proposal is None:  # no proposal without errors: said for the checker
        st.error("La proposition n'est pas envoyée : corrigez les champs signalés.")
        for message in checked.errors.values():
            say(st.error, message)
    else:
        # A receipt only once the proposal is stored: a database down, full, locked or deleted,
        # or an address (or the whole site) past its limits, is said and the typed form is kept.
        try:
            receipt = connection.store().submit(checked.proposal, limits.session_hash(session_id()),
                                                client=connection.client())
        except (DatabaseUnavailable, RateLimited) as err:
            st.error(str(err))
            return None
        return replace(memo, receipt=receipt, reset=True, last_sent=limit.record())
    return None


def propose_page() -> None:
    """The form: who, what, where (a point on a small map), why; sent to moderation."""
    try:
        cat, _ = current_catalogue()
    except ReseauMapError as err:
        st.error(md_text(err))
        st.stop()
    memo = state.proposing()  # the run's one read
    if memo.reset:  # after a sending: an empty form (its values set before the widgets exist)
        state.set_widgets(empty_form(cat.vocabulary))
        memo = replace(memo, reset=False, point=None)
    st.title("Proposer un lieu")
    st.caption("Votre lieu rejoint le Réseau des Cantines ? Proposez-le : la coordination du réseau vérifie "
               "chaque proposition avant qu'elle apparaisse sur la carte. L'e-mail reste privé.")
    if memo.receipt:
        st.success(f"Merci ! Proposition enregistrée sous le numéro {memo.receipt} ; elle attend la modération.")
        memo = replace(memo, receipt="")

    values = fields(cat.vocabulary, memo)
    moved = point_map(values, memo)
    if moved is not None:
        state.keep_proposing(moved)
        st.rerun()
    values["website"] = st.text_input(LABELS["website"], key=field("website"), max_chars=MAX_LENGTHS["website"],
                                      placeholder="https://…")
    values["description"] = st.text_area(LABELS["description"], key=field("description"),
                                         max_chars=MAX_LENGTHS["description"])
    values["source_text"] = st.text_area(LABELS["source_text"], key=field("source_text"),
                                         max_chars=MAX_LENGTHS["source_text"],
                                         help="Un site, un article, ou « je suis responsable du lieu ».")
    values["contact_email"] = st.text_input(LABELS["contact_email"] + " (privé)", key=field("contact_email"),
                                            max_chars=MAX_LENGTHS["contact_email"],
                                            help="Jamais affiché ni exporté : seulement pour vous recontacter.")
    st.html(HIDE_HONEYPOT)
    trap = st.text_input("Laissez ce champ vide", key=state.HONEYPOT)

    checked = check(values, cat)
    if st.button("Envoyer la proposition", type="primary"):
        sent = send(checked, trap, memo)
        if sent is not None:
            if checked.proposal is not None:  # sent: it was checked
                mailing.tell_coordination(checked.proposal, sent.receipt, cat.vocabulary)  # when SMTP is set
            state.keep_proposing(sent)
            st.rerun()
    state.keep_proposing(memo)  # the run's one write
