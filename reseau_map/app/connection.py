"""The Streamlit side of contributions, kept tiny: the database connection, secrets, the moderator."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from reseau_map.app import state
from reseau_map.contrib import auth
from reseau_map.contrib.store import CONNECTION_NAME, FROM_SECRETS, Store, configured_database, prepare_engine


def secrets() -> dict:
    """st.secrets as a dict ({} when the app has no secrets.toml)."""
    try:
        return st.secrets.to_dict()
    except Exception:  # Streamlit raises its own error types for a missing or broken file
        return {}


def connection_url() -> str | None:
    """The URL to pass to st.connection: RESEAU_MAP_DB, else None when secrets.toml names one, else SQLite."""
    url, found = configured_database(secrets=secrets())
    # st.connection reads [connections.reseau] itself, create_engine_kwargs included.
    return None if found == FROM_SECRETS else url


@st.cache_resource(show_spinner=False)
def _store(url: str | None) -> Store:
    conn = st.connection(CONNECTION_NAME, type="sql", **({"url": url} if url else {}))
    return Store(prepare_engine(conn.engine))


def store() -> Store:
    """The contributions store of this server, shared by every session (schema migrated once)."""
    return _store(connection_url())


@st.cache_resource(show_spinner=False, max_entries=4)
def _accepted(url: str | None, version: str) -> pd.DataFrame:
    return _store(url).accepted_places()


def accepted_places() -> pd.DataFrame:
    """The accepted places, read again only when one more is accepted (one tiny query per run)."""
    url = connection_url()
    return _accepted(url, _store(url).accepted_version())


def moderator() -> str | None:
    """The reviewer's name if this session may moderate; otherwise draw the way in and return None."""
    found = auth.access(secrets())
    if found.mode == auth.CLOSED:
        st.info(auth.HOW_TO_ENABLE)
        return None
    if found.mode == auth.LOGIN:
        if not st.user.is_logged_in:
            st.button("Se connecter", on_click=st.login, type="primary")
            return None
        st.button("Se déconnecter", on_click=st.logout)
        return str(st.user.get("email") or st.user.get("name") or "modérateur")
    memo = state.moderating()
    if memo.reviewer:
        return memo.reviewer
    with st.form(state.LOGIN_FORM):
        name = st.text_input("Votre nom (inscrit au journal des décisions)", max_chars=100)
        password = st.text_input("Mot de passe de modération", type="password")
        sent = st.form_submit_button("Entrer")
    if sent:
        if name.strip() and auth.verify_password(password, found.password_hash):
            state.keep_moderating(replace(memo, reviewer=name.strip()))
            st.rerun()
        st.error("Nom manquant ou mot de passe incorrect.")
    return None
