"""« Importer une liste de lieux » on the moderation page: upload, read, correct, publish or add; versions; source.

The coordinator uploads a partner's list, reads the import summary and sees it on a preview map,
corrects the guessed columns and categories in a form (saved as the mapping file's TOML), then
publishes it as the map's data or adds its places to the data shown. Every server shows a
publication at its next load (app/resources.py keys its catalogue on it); each one is a version
that can be restored in one click; every step goes to the datasets' log (contrib/datasets.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pandas as pd
import streamlit as st

from reseau_map.app import published, state
from reseau_map.app.component import register_served
from reseau_map.app.component import show as show_map
from reseau_map.app.resources import base_map, gazetteer
from reseau_map.app.state import Importing
from reseau_map.contrib import importing, source
from reseau_map.contrib.datasets import ADDED, IMPORTED, LABELS, MAPPED, PUBLISHED, Datasets, Version
from reseau_map.contrib.form import escape_markdown
from reseau_map.core.errors import ReseauMapError
from reseau_map.core.text import md_text, typo
from reseau_map.domain.camera import bounds_of, view_for_bounds
from reseau_map.domain.summary import summarize, summary_lines
from reseau_map.files.excel import HEADERS
from reseau_map.files.mapping import Mapping, load_mapping, mapping_path, parse_mapping
from reseau_map.files.mapping_text import mapping_text
from reseau_map.files.network import french_date, network_for
from reseau_map.files.places import COLUMNS, places_path, read_bytes
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.earth import FRANCE_BOUNDS
from reseau_map.maps import mapview

PREVIEW_HEIGHT = 420
PREVIEW_WIDTH = 760  # about the page's column: the zoom at which the places fit it
VERSIONS_SHOWN = 12
JOURNAL_ROWS = 100
REFRESH_CHOICES: dict[int, str] = {0: "Jamais : à la main seulement", 6: "Toutes les 6 heures", 24: "Chaque jour",
                   168: "Chaque semaine"}
AS_WRITTEN = "telle qu'écrite dans le fichier"  # a category the file keeps as its own


def when(moment) -> str:
    """« 6 décembre 2026 à 14:05 (UTC) »."""
    return f"{french_date(moment.date().isoformat())} à {moment:%H:%M} (UTC)"


def shown_now(found: Version | None) -> str:
    """What the map shows now, in one sentence."""
    if found is None:
        return f"La carte montre le fichier du serveur « {places_path().name} » : rien n'a été publié d'ici."
    return (f"La carte montre la version n° {found.id} ({LABELS.get(found.action, found.action).lower()} le "
            f"{when(found.created_at)} par {found.actor}) : {found.rows} lieux, fichier « {found.filename} ».")


def preview(reading: importing.Reading) -> None:
    """The import summary, then the places on a small map, fitted to them."""
    cat = reading.catalogue
    lines = summary_lines(summarize(cat.places, cat.findings, cat.columns))
    st.markdown(typo(f"**Résumé de l'import : {md_text(lines[0])}**"))
    st.markdown("\n".join(f"- {md_text(line)}" for line in lines[1:]) or "Rien à signaler.")
    center, zoom = view_for_bounds(bounds_of(cat.places) or FRANCE_BOUNDS, PREVIEW_WIDTH, PREVIEW_HEIGHT,
                                   max_zoom=11)
    group = mapview.places_group(cat.places, vocab=cat.vocabulary, fields=cat.fields)
    base = base_map(PREVIEW_HEIGHT, cat.credit, False, cat.vocabulary)  # writes the served files first
    register_served()  # the map's frame fetches its libraries from this server, as on the map page
    show_map(base, group, key=state.IMPORT_MAP, center=center, zoom=zoom, returned_objects=[])


def correction_form(reading: importing.Reading, digest: str, vocab: Vocabulary) -> Mapping | None:
    """The guessed columns and categories, to correct; the mapping they say once submitted, else None."""
    mapping, headers = reading.mapping, list(reading.headers)
    with st.form(state.key(state.IMPORT_FORM, digest)):
        st.markdown(typo("**Colonnes** : quelle colonne du fichier donne chaque information de la carte."))
        columns: dict[str, str] = {}
        grid = st.columns(4)
        for i, ours in enumerate(COLUMNS):
            found = mapping.columns.get(ours, "")
            columns[ours] = grid[i % 4].selectbox(
                HEADERS[ours], ["", *headers], index=(headers.index(found) + 1) if found in headers else 0,
                format_func=lambda h: h or "— aucune —", key=state.key(state.IMPORT_COLUMN, digest, ours))
        types: dict[str, str] = {}
        if reading.type_values:
            st.markdown(typo("**Catégories** : chaque valeur de la colonne de type, telle quelle ou "
                             "classée dans un type du réseau."))
            choices = ["", *vocab.type_ids]
            pair = st.columns(2)
            for i, (value, count) in enumerate(reading.type_values):
                chosen = mapping.types.get(value, "")
                types[value] = pair[i % 2].selectbox(
                    typo(f"« {value or '(vide)'} » ({count} ligne{'s' if count > 1 else ''})"), choices,
                    index=choices.index(chosen) if chosen in choices else 0,
                    format_func=lambda t: vocab.type_label(t) if t else AS_WRITTEN,
                    key=state.key(state.IMPORT_TYPE, digest, i))
        left, right = st.columns(2)
        statuses = ["", *vocab.status_ids]
        status = left.selectbox("Statut des lieux quand le fichier n'en dit rien", statuses,
                                index=statuses.index(mapping.defaults.get("status", "")) if
                                mapping.defaults.get("status", "") in statuses else 0,
                                format_func=lambda s: vocab.status_label(s) if s else "— non renseigné —",
                                key=state.key(state.IMPORT_STATUS, digest))
        credit = right.text_input("Crédit et licence des données (qui les publie, sous quelle licence)",
                                  value=mapping.credit, max_chars=300, key=state.key(state.IMPORT_CREDIT, digest))
        extra = list(reading.columns.extra)
        private = st.multiselect("Colonnes privées : jamais affichées, exportées ni publiées", extra,
                                 default=[c for c in reading.catalogue.fields.private if c in extra],
                                 key=state.key(state.IMPORT_PRIVATE, digest))
        if not st.form_submit_button("Appliquer la correspondance"):
            return None
    return importing.form_mapping(columns, types, status, credit, private, vocab)


def server_file(vocab: Vocabulary) -> tuple[bytes, str, Mapping | None]:
    """The data the map shows now, as a file: the published version, else the server's own file."""
    found = published.active()
    if found is not None:
        version, data = found
        return data, version.filename, parse_mapping(version.mapping, version.filename, vocab) if version.mapping \
            else None
    path, given = places_path(), mapping_path()
    return read_bytes(path), path.name, load_mapping(given, vocab) if given else None


def publish(store: Datasets, reading: importing.Reading, data: bytes, memo: Importing, reviewer: str,
            vocab: Vocabulary, add: bool) -> str:
    """Publish the file as the map's data, or add its places to the data shown; the sentence that says it."""
    if not add:
        cat = reading.catalogue
        done = store.publish(data, reading.filename, reading.format, memo.mapping, len(cat.places),
                             len(cat.located), reviewer, PUBLISHED)
        return f"Version n° {done.id} publiée : {done.rows} lieux ; chaque serveur la montre à son prochain chargement."
    base = server_file(vocab)
    own = parse_mapping(memo.mapping, reading.filename, vocab) if memo.mapping else None
    merged, name, mapping = importing.combined([base, (data, reading.filename, own)], vocab)
    text = mapping_text(mapping, "Données de la carte et lieux ajoutés depuis la page de modération")
    both = importing.read_upload(merged, name, vocab, parse_mapping(text, name, vocab), gazetteer())
    done = store.publish(merged, name, "csv", text, len(both.catalogue.places), len(both.catalogue.located), reviewer,
                         ADDED, {"ajoute": reading.filename, "lignes_ajoutees": len(reading.catalogue.places)})
    return (f"Version n° {done.id} publiée : les {len(reading.catalogue.places)} lieux de « {reading.filename} » "
            f"ajoutés, {done.rows} lieux en tout.")


def upload_step(store: Datasets, reviewer: str, vocab: Vocabulary, memo: Importing) -> Importing:
    """The uploader, then the reading of the file, its correction and its publication; the next memo."""
    # No `type=`: Streamlit would refuse another format in English; contrib/importing says it in French.
    upload = st.file_uploader(f"Fichier de lieux ({importing.FORMATS} ; {importing.MAX_SIZE} au plus)",
                              key=state.IMPORT_FILE)
    if upload is None:
        return memo
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    if digest != memo.digest:  # another file: its own guess, its own form
        memo = Importing(digest=digest, done=memo.done)
    try:
        mapping = parse_mapping(memo.mapping, "du formulaire", vocab) if memo.mapping else None
        reading = importing.read_upload(data, upload.name, vocab, mapping, gazetteer())
    except ReseauMapError as err:  # a hostile or broken file: said, and nothing changes
        st.error(md_text(err))
        return memo
    if not memo.logged:
        store.log(IMPORTED, reviewer, {"fichier": reading.filename, "format": reading.format,
                                       "lignes": len(reading.catalogue.places)})
        memo = replace(memo, logged=True)
    preview(reading)
    try:
        corrected = correction_form(reading, digest, vocab)
    except ReseauMapError as err:
        st.error(md_text(err))
        corrected = None
    if corrected is not None:
        text = mapping_text(corrected, f"Correspondance de « {reading.filename} »")
        if text != memo.mapping:
            changed = {k: v for k, v in corrected.columns.items() if reading.mapping.columns.get(k) != v}
            store.log(MAPPED, reviewer, {"fichier": reading.filename, "colonnes": changed,
                                         "types": dict(corrected.types)})
            state.keep_importing(replace(memo, mapping=text))
            st.rerun()
    st.download_button("Télécharger la correspondance (TOML)", memo.mapping or mapping_text(reading.mapping),
                       file_name=reading.filename.rsplit(".", 1)[0] + ".toml", mime="application/toml")
    if not reading.publishable:
        st.error("Aucun lieu valide dans ce fichier : il ne peut être publié. Corrigez les colonnes ci-dessus.")
        return memo
    left, right = st.columns(2)
    replace_it = left.button("Publier comme données de la carte", type="primary", width="stretch",
                             help="La carte ne montrera plus que les lieux de ce fichier (la version d'avant se "
                                  "restaure en un clic).")
    add_it = right.button("Ajouter ces lieux aux données de la carte", width="stretch",
                          help="Les lieux de ce fichier s'ajoutent à ceux que la carte montre déjà.")
    if replace_it or add_it:
        try:
            said = publish(store, reading, data, memo, reviewer, vocab, add=add_it)
        except ReseauMapError as err:
            st.error(md_text(err))
            return memo
        state.keep_importing(replace(memo, done=said))
        st.rerun()
    return memo


def versions_step(store: Datasets, reviewer: str, active: Version | None) -> None:
    """The versions, the latest first, each restorable in one click; the way back to the server's file."""
    found = store.versions()
    if not found:
        return
    st.markdown("**Versions publiées**")
    for version in found[:VERSIONS_SHOWN]:
        left, right = st.columns([5, 1], vertical_alignment="center")
        label = LABELS.get(version.action, version.action)
        current = active is not None and version.id == active.id
        left.markdown(typo(f"n° {version.id} — {when(version.created_at)} — {escape_markdown(version.actor)} — "
                           f"{label} — {version.rows} lieux — « {escape_markdown(version.filename)} »"
                           + (" — **affichée**" if current else "")))
        if not current and right.button("Restaurer", key=state.key(state.RESTORE, version.id), width="stretch"):
            done = store.restore(version.id, reviewer)
            state.keep_importing(replace(state.importing(), done=f"Version n° {version.id} restaurée "
                                                                  f"(nouvelle version n° {done.id})."))
            st.rerun()
    # The server's own file is the first data of all: restorable like a version.
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(typo(f"Fichier du serveur « {escape_markdown(places_path().name)} » (données par défaut)"
                       + (" — **affiché**" if active is None else "")))
    if active is not None and right.button("Restaurer", key=state.key(state.RESTORE, "fichier"), width="stretch",
                                           help="La carte montrera de nouveau ce fichier ; les versions restent."):
        store.use_file(reviewer)
        state.keep_importing(replace(state.importing(), done="La carte montre de nouveau le fichier du serveur."))
        st.rerun()


def source_step(store: Datasets, reviewer: str, active: Version | None, vocab: Vocabulary) -> None:
    """The source URL and its schedule (off by default), and « Actualiser maintenant »."""
    with st.expander("Source en ligne (facultatif)"):
        now = store.source()
        st.caption(typo("Si le serveur a accès à internet, la liste peut être relue à une adresse, à la main ou "
                        "à intervalles réguliers, avec la correspondance de la version affichée. La carte n'en "
                        "a jamais besoin pour s'afficher."))
        with st.form(state.SOURCE_FORM):
            url = st.text_input("Adresse (http:// ou https://) du fichier de lieux", value=now.url, max_chars=2000)
            every = list(REFRESH_CHOICES)
            hours: int = st.selectbox("Actualisation automatique", every,
                                      index=every.index(now.refresh_hours) if now.refresh_hours in every else 0,
                                      format_func=lambda h: REFRESH_CHOICES[h])
            saved = st.form_submit_button("Enregistrer la source")
        if saved:
            try:
                checked = source.check_url(url) if url.strip() else ""
            except ReseauMapError as err:
                st.error(md_text(err))
            else:
                store.set_source(checked, hours if checked else 0, reviewer, active.mapping if active else "")
                published.forget_check()
                st.rerun()
        if now.last:
            st.caption(typo(f"Dernière actualisation ({when(now.last_at)}) : {md_text(now.last)}")
                       if now.last_at else md_text(now.last))
        if now.url and st.button("Actualiser maintenant"):
            try:
                done = source.refresh(store, vocab, reviewer, gazetteer())
            except ReseauMapError as err:
                st.error(md_text(err))
            else:
                state.keep_importing(replace(state.importing(), done=f"Source relue : version n° {done.id}, "
                                                                      f"{done.rows} lieux."))
                st.rerun()


def journal(store: Datasets) -> None:
    """The datasets' log, the latest first, its codes in French."""
    entries = store.journal()[-JOURNAL_ROWS:][::-1]
    if not entries:
        return
    st.markdown("**Journal des imports**")
    st.dataframe(pd.DataFrame(
        [{"date": when(e.at), "action": LABELS.get(e.action, e.action), "par": e.actor,
          "version": str(e.version_id or ""), "détail": ", ".join(f"{k} : {v}" for k, v in e.detail.items())}
         for e in entries], columns=["date", "action", "par", "version", "détail"]), hide_index=True, width="stretch")


def import_section(reviewer: str) -> None:
    """« Importer une liste de lieux »: what the map shows, the upload and its steps, versions, source, journal."""
    st.subheader("Importer une liste de lieux")
    vocab = network_for(places_path()).vocabulary
    store = published.datasets()
    memo = state.importing()  # the section's one read
    if memo.done:
        st.success(md_text(memo.done))
        memo = replace(memo, done="")
    active = store.active()
    st.caption(md_text(shown_now(active)))
    memo = upload_step(store, reviewer, vocab, memo)
    state.keep_importing(memo)  # the section's one write (a step that reruns writes its own first)
    versions_step(store, reviewer, active)
    source_step(store, reviewer, active, vocab)
    journal(store)
