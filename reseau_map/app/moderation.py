"""« Modération » — the coordinator's page; wires widgets to reseau_map.contrib."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from reseau_map.app import connection
from reseau_map.contrib import form, preview
from reseau_map.contrib.accepted import place_id
from reseau_map.contrib.proposal import LABELS, MAX_LENGTHS
from reseau_map.contrib.store import places_to_compare
from reseau_map.core.errors import ProposalError
from reseau_map.domain.catalogue import build_catalogue, read_cache
from reseau_map.files.network import french_date, network_for
from reseau_map.files.places import content_hash, places_path, read_bytes
from reseau_map.geo.gazetteer import load_gazetteer
from reseau_map.geo.regions import load_outlines
from reseau_map.maps.mapview import base_map

DONE_KEY = "moderation_done"
AUDIT_ROWS = 100
TEXT_FIELDS = ("name", "address", "postcode", "city", "website", "contact_email")
AREA_FIELDS = ("description", "source_text")

VOCABULARY = network_for(places_path()).vocabulary
TYPE_CHOICES, STATUS_CHOICES = form.type_choices(VOCABULARY), form.status_choices(VOCABULARY)


@st.cache_resource(show_spinner="Lecture des lieux…", max_entries=2)
def catalogue_places(digest: str, _data: bytes):
    """The places file read and located (cached on its content)."""
    return build_catalogue(_data, load_gazetteer(), cache=read_cache()).places


def say(kind, text: str) -> None:
    """A message whose user-typed parts cannot turn into Markdown."""
    kind(form.escape_markdown(text))


def when(moment) -> str:
    """« 29 novembre 2026 à 23:05 (UTC) »."""
    return f"{french_date(moment.date().isoformat())} à {moment:%H:%M} (UTC)"


st.title("Modération des propositions")
store = connection.store()
reviewer = connection.moderator()
if reviewer is None:
    st.stop()
st.caption("Modérateur : " + form.escape_markdown(reviewer))
if done := st.session_state.pop(DONE_KEY, None):
    say(st.success, done)

pending = store.pending()
if not pending:
    st.info("Aucune proposition en attente.")
else:
    chosen = st.selectbox(f"Propositions en attente ({len(pending)})", range(len(pending)),
                          format_func=lambda i: f"{pending[i].receipt} — {pending[i].proposal.name} "
                                                f"({pending[i].proposal.city or pending[i].proposal.postcode})")
    item = pending[chosen]
    p = item.proposal
    st.text(f"Reçue le {when(item.created_at)} — n° {item.receipt}\n"
            f"E-mail de contact (privé) : {p.contact_email or '—'}")

    data = read_bytes(places_path())
    known = places_to_compare(catalogue_places(content_hash(data), data), store)
    known = known[known["id"] != place_id(item.receipt)]
    dups = form.duplicates(p, known)
    for dup in dups:
        say(st.warning, dup.message)
    if not dups:
        st.success("Aucun doublon probable (même nom dans la commune, ou lieu à moins de 200 m).")
    near = known[known["id"].isin([d.id for d in dups])].dropna(subset=["lat", "lon"])
    neighbours = [(float(r.lat), float(r.lon), str(r.name)) for r in near.itertuples()]
    center, zoom = preview.view(p.lat, p.lon)
    st_folium(base_map(load_outlines(), preview.PREVIEW_HEIGHT), key="moderation_map",
              height=preview.PREVIEW_HEIGHT, use_container_width=True,
              feature_group_to_add=preview.point_layer(p.lat, p.lon, p.name, neighbours),
              center=center, zoom=zoom, returned_objects=[])

    key = f"moderation_{item.id}_"
    with st.form(key + "form"):
        fields: dict[str, object] = {}
        for name in TEXT_FIELDS:
            fields[name] = st.text_input(LABELS[name], value=getattr(p, name), key=key + name,
                                         max_chars=MAX_LENGTHS[name])
        left, right = st.columns(2)
        types, statuses = list(TYPE_CHOICES), list(STATUS_CHOICES)
        fields["type"] = left.selectbox(LABELS["type"], types, key=key + "type", format_func=TYPE_CHOICES.get,
                                        index=types.index(p.type) if p.type in types else 0)
        fields["status"] = right.selectbox(LABELS["status"], statuses, key=key + "status",
                                           format_func=STATUS_CHOICES.get,
                                           index=statuses.index(p.status) if p.status in statuses else 0)
        left, right = st.columns(2)
        fields["lat"] = left.text_input(LABELS["lat"], value="" if p.lat is None else str(p.lat), key=key + "lat",
                                        help="Videz latitude et longitude pour replacer le lieu d'après la commune.")
        fields["lon"] = right.text_input(LABELS["lon"], value="" if p.lon is None else str(p.lon), key=key + "lon")
        for name in AREA_FIELDS:
            fields[name] = st.text_area(LABELS[name], value=getattr(p, name), key=key + name,
                                        max_chars=MAX_LENGTHS[name])
        comment = st.text_area("Commentaire de la décision (journal interne)", key=key + "comment", max_chars=1000)
        left, right = st.columns(2)
        accept = left.form_submit_button("Accepter", type="primary")
        refuse = right.form_submit_button("Refuser")

    try:
        if accept:
            checked = form.check(fields, vocab=VOCABULARY)
            if not checked.ok:
                for message in checked.errors.values():
                    say(st.error, message)
            else:
                edits = {k: v for k, v in checked.proposal.as_row().items() if v != getattr(p, k)}
                if (checked.proposal.lat, checked.proposal.lon) == (p.lat, p.lon):
                    edits.pop("precision", None)  # the same point: keep what it was said to locate
                store.accept(item.id, reviewer, form.clean_text(comment, multiline=True), edits)
                st.session_state[DONE_KEY] = f"« {checked.proposal.name} » acceptée : elle est sur la carte."
                st.rerun()
        if refuse:
            if not comment.strip():
                st.error("Pour refuser, écrivez un commentaire (il reste interne).")
            else:
                store.refuse(item.id, reviewer, form.clean_text(comment, multiline=True))
                st.session_state[DONE_KEY] = f"« {p.name} » refusée."
                st.rerun()
    except ProposalError as err:  # another moderator decided first
        say(st.error, str(err))

st.subheader("Journal des décisions")
entries = store.audit()[-AUDIT_ROWS:][::-1]
st.dataframe(pd.DataFrame(
    [{"date": when(e.at), "proposition": e.proposal_id, "action": e.action, "par": e.actor,
      "commentaire": e.detail.get("comment", ""), "modifications": ", ".join(e.detail.get("edits", {}))}
     for e in entries],
    columns=["date", "proposition", "action", "par", "commentaire", "modifications"]),
    hide_index=True, width="stretch")
