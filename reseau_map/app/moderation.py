"""« Modération » — the coordinator's page; wires widgets to reseau_map.contrib."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from reseau_map.app import connection, importer, state
from reseau_map.app.resources import current_catalogue
from reseau_map.app.state import REVIEW, Moderating
from reseau_map.contrib import form, preview
from reseau_map.contrib.accepted import place_id
from reseau_map.contrib.notify import RECEIPT_PARAM
from reseau_map.contrib.proposal import LABELS, MAX_LENGTHS
from reseau_map.contrib.queue import ORDERS, PAGE_SIZE, QueueFilter
from reseau_map.contrib.store import ACCEPT, REFUSE, SUBMITTED, Store, Stored, places_to_compare
from reseau_map.core.errors import DatabaseUnavailable, ProposalError, ReseauMapError
from reseau_map.core.text import french_number, md_text, plural
from reseau_map.files.network import french_date
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.regions import load_outlines
from reseau_map.maps.mapview import base_map

AUDIT_ROWS = 100
TEXT_FIELDS = ("name", "address", "postcode", "city", "website", "contact_email")
AREA_FIELDS = ("description", "source_text")
# The journal's codes, as the coordinator reads them.
ACTIONS = {SUBMITTED: "Proposée", ACCEPT: "Acceptée", REFUSE: "Refusée"}


def say(kind, text: str) -> None:
    """A message whose user-typed parts cannot turn into Markdown."""
    kind(form.escape_markdown(text))


def when(moment) -> str:
    """« 29 novembre 2026 à 23:05 (UTC) »."""
    return f"{french_date(moment.date().isoformat())} à {moment:%H:%M} (UTC)"


def review_form(item: Stored, vocab: Vocabulary) -> tuple[dict[str, object], str, bool, bool]:
    """The proposal's fields, editable, and the decision: (fields, comment, accepted, refused)."""
    p = item.proposal
    key = state.key(REVIEW, item.id, "")  # « moderation_<id>_<field> »: a form per proposal
    with st.form(key + "form"):
        fields: dict[str, object] = {}
        for name in TEXT_FIELDS:
            fields[name] = st.text_input(LABELS[name], value=getattr(p, name), key=key + name,
                                         max_chars=MAX_LENGTHS[name])
        left, right = st.columns(2)
        types, statuses = form.type_choices(vocab), form.status_choices(vocab)
        type_ids, status_ids = list(types), list(statuses)
        fields["type"] = left.selectbox(LABELS["type"], type_ids, key=key + "type", format_func=types.__getitem__,
                                        index=type_ids.index(p.type) if p.type in types else 0)
        fields["status"] = right.selectbox(LABELS["status"], status_ids, key=key + "status",
                                           format_func=statuses.__getitem__,
                                           index=status_ids.index(p.status) if p.status in statuses else 0)
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
    return fields, comment, accept, refuse


def decide(store: Store, item: Stored, reviewer: str, vocab: Vocabulary, fields: dict[str, object],
           comment: str, accept: bool, refuse: bool) -> str:
    """Accept (with the moderator's edits) or refuse; the sentence that says it, "" when nothing was decided."""
    p = item.proposal
    if accept:
        checked = form.check(fields, vocab=vocab)
        if not checked.ok or checked.proposal is None:  # no proposal without errors: said for the checker
            for message in checked.errors.values():
                say(st.error, message)
            return ""
        edits = {k: v for k, v in checked.proposal.as_row().items() if v != getattr(p, k)}
        if (checked.proposal.lat, checked.proposal.lon) == (p.lat, p.lon):
            edits.pop("precision", None)  # the same point: keep what it was said to locate
        store.accept(item.id, reviewer, form.clean_text(comment, multiline=True), edits)
        return f"« {checked.proposal.name} » acceptée : elle est sur la carte."
    if refuse:
        if not comment.strip():
            st.error("Pour refuser, écrivez un commentaire (il reste interne).")
            return ""
        store.refuse(item.id, reviewer, form.clean_text(comment, multiline=True))
        return f"« {p.name} » refusée."
    return ""


def asked(pending: list[Stored], receipt: str) -> int:
    """The position of the proposal a link names (`?proposition=<receipt>`, any case), 0 when none waits."""
    wanted = receipt.strip().upper()
    return next((i for i, item in enumerate(pending) if item.receipt.upper() == wanted), 0)


def with_asked(store: Store, pending: list[Stored], receipt: str) -> list[Stored]:
    """This page of the queue, and first the proposal a link names when it waits on another page."""
    if not receipt.strip() or any(item.receipt.upper() == receipt.strip().upper() for item in pending):
        return pending
    found = store.waiting(receipt)
    return [found, *pending] if found else pending


def review(store: Store, pending: list[Stored], reviewer: str, total: int) -> str:
    """One pending proposal of this page: its details, likely duplicates on a small map, the form; what was decided."""
    receipt = st.query_params.get(RECEIPT_PARAM, "")
    pending = with_asked(store, pending, receipt)
    chosen = st.selectbox(f"Propositions en attente ({plural(total, 'avec ce filtre', 'avec ce filtre')})",
                          range(len(pending)), index=asked(pending, receipt),
                          format_func=lambda i: f"{pending[i].receipt} — {pending[i].proposal.name} "
                                                f"({pending[i].proposal.city or pending[i].proposal.postcode})")
    item = pending[chosen]
    p = item.proposal
    st.text(f"Reçue le {when(item.created_at)} — n° {item.receipt}\n"
            f"E-mail de contact (privé) : {p.contact_email or '—'}")
    cat, _ = current_catalogue()
    known = places_to_compare(cat.places, store, p)  # the pending ones near it: not the whole flood
    known = known[known["id"] != place_id(item.receipt)]
    dups = form.duplicates(p, known)
    for dup in dups:
        say(st.warning, dup.message)
    if not dups:
        st.success("Aucun doublon probable (même nom dans la commune, ou lieu à moins de 200 m).")
    near = known[known["id"].isin([d.id for d in dups])].dropna(subset=["lat", "lon"])
    neighbours = [(float(lat), float(lon), str(name))
                  for lat, lon, name in zip(near["lat"], near["lon"], near["name"], strict=True)]
    center, zoom = preview.view(p.lat, p.lon)
    st_folium(base_map(load_outlines(), preview.PREVIEW_HEIGHT), key=state.REVIEW_MAP,
              height=preview.PREVIEW_HEIGHT, width=None,  # the container's width
              feature_group_to_add=preview.point_layer(p.lat, p.lon, p.name, neighbours),
              center=center, zoom=zoom, returned_objects=[])
    fields, comment, accept, refuse = review_form(item, cat.vocabulary)
    try:
        return decide(store, item, reviewer, cat.vocabulary, fields, comment, accept, refuse)
    except ProposalError as err:  # another moderator decided first
        say(st.error, str(err))
        return ""


def audit(store: Store) -> None:
    """The decisions, the latest first."""
    st.subheader("Journal des décisions")
    entries = store.audit(latest=AUDIT_ROWS)[::-1]
    st.dataframe(pd.DataFrame(
        [{"date": when(e.at), "proposition": e.proposal_id, "action": ACTIONS.get(e.action, e.action), "par": e.actor,
          "commentaire": e.detail.get("comment", ""), "modifications": ", ".join(e.detail.get("edits", {}))}
         for e in entries],
        columns=["date", "proposition", "action", "par", "commentaire", "modifications"]),
        hide_index=True, width="stretch")


def sender_label(senders: dict[str, int]) -> Callable[[str], str]:
    """How the sender filter names an address: never the address, a short digest and its count."""
    def label(h: str) -> str:
        return "Toutes les adresses" if not h else f"Adresse n° {h[:6]} ({plural(senders.get(h, 0), 'proposition')})"

    return label


def queue_filter(store: Store) -> tuple[QueueFilter, str, int, int]:
    """The queue's filter, order and page as the moderator chose them; how many proposals they keep."""
    senders = dict(store.senders())
    left, middle, right = st.columns([2, 2, 1])
    text = left.text_input("Filtrer par nom ou commune", key=state.QUEUE_TEXT, max_chars=100)
    choices = ["", *senders]
    if state.widget(state.QUEUE_SENDER, "") not in choices:  # refused meanwhile: back to every address
        state.set_widgets({state.QUEUE_SENDER: ""})
    sender = middle.selectbox("Adresse d'envoi (les plus actives)", choices, key=state.QUEUE_SENDER,
                              format_func=sender_label(senders))
    order = right.selectbox("Ordre", list(ORDERS), key=state.QUEUE_ORDER, format_func=lambda o: ORDERS[o][0])
    chosen = QueueFilter(text=text, client=sender)
    total = store.queue_count(chosen)
    pages = max(1, -(-total // PAGE_SIZE))
    number = 0
    if pages > 1:
        if int(state.widget(state.QUEUE_PAGE, 0)) >= pages:
            state.set_widgets({state.QUEUE_PAGE: 0})
        number = st.selectbox("Page", range(pages), key=state.QUEUE_PAGE,
                              format_func=lambda n: f"{n * PAGE_SIZE + 1} à {min(total, (n + 1) * PAGE_SIZE)} "
                                                    f"sur {french_number(total)}")
    return chosen, order, int(number), total


def bulk_refusal(store: Store, chosen: QueueFilter, total: int, reviewer: str) -> str:
    """« Refuser les 10 000 propositions de cette adresse »: every proposal the filter keeps, with one comment."""
    if not total or not (chosen.client or chosen.text.strip()):
        return ""
    whose = "de cette adresse" if chosen.client else "de ce filtre"
    with st.expander(f"Refuser en bloc les {french_number(total)} propositions {whose}"), st.form(state.BULK_FORM):
        comment = st.text_area("Commentaire (journal interne)", value="Refus groupé : envois en masse.",
                               max_chars=1000)
        sure = st.checkbox(f"Je refuse les {french_number(total)} propositions {whose}")
        sent = st.form_submit_button(f"Refuser les {french_number(total)} propositions {whose}")
    if not sent:
        return ""
    if not sure or not comment.strip():
        st.error("Cochez la case et écrivez un commentaire pour refuser en bloc.")
        return ""
    done = store.refuse_all(chosen, reviewer, form.clean_text(comment, multiline=True))
    return f"{plural(done, 'proposition refusée', 'propositions refusées')} {whose}."


def moderation_page() -> None:
    """The coordinator's page: the way in, the queue (filtered, sorted, a page at a time), bulk refusal,
    the journal, the map's data."""
    st.title("Modération")
    try:
        store = connection.store()
        reviewer = connection.moderator()
    except DatabaseUnavailable as err:
        st.error(str(err))
        st.stop()
    if reviewer is None:
        st.stop()
    st.caption("Modérateur : " + form.escape_markdown(reviewer))
    memo: Moderating = state.moderating()  # the run's one read
    if memo.done:
        say(st.success, memo.done)
        memo = replace(memo, done="")
    try:
        st.metric("Propositions en attente", french_number(store.queue_count()), border=True)
        chosen, order, number, total = queue_filter(store)
        done = bulk_refusal(store, chosen, total, reviewer)
        pending = store.queue(chosen, order, number) if not done else []
        if not done and not pending:
            st.info("Aucune proposition en attente." if not (chosen.text or chosen.client)
                    else "Aucune proposition en attente avec ce filtre.")
        elif not done:
            done = review(store, pending, reviewer, total)
    except DatabaseUnavailable as err:
        st.error(str(err))
        st.stop()
    except ReseauMapError as err:
        st.error(md_text(err))
        done = ""
    if done:
        state.keep_moderating(replace(memo, done=done))
        st.rerun()
    state.keep_moderating(memo)  # the run's one write
    importer.import_section(reviewer)  # the map's data: a partner's list, its versions, its source
    audit(store)
