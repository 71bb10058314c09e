"""The Streamlit side of contributions, kept tiny: the database connection, secrets, the client, the moderator."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from reseau_map.app import state
from reseau_map.app.component import connection_token, session_id
from reseau_map.contrib import auth, health, limits, throttle
from reseau_map.contrib.store import CONNECTION_NAME, FROM_SECRETS, Store, configured_database, prepare_engine
from reseau_map.core.errors import DatabaseUnavailable

LOGIN_HOURS = 12  # a moderator's password holds this long on one connection
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s : %(message)s"


def _operator_log() -> None:
    # The operator reads the server's output: our warnings go there, dated, once per process.
    logger = logging.getLogger("reseau_map")
    if not any(getattr(h, "_reseau_map", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler._reseau_map = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


_operator_log()

log = logging.getLogger(__name__)


@functools.cache
def _how_to_enable() -> None:
    # Once per process: the server's operator reads it; visitors see only auth.RESERVED.
    log.warning("%s", auth.HOW_TO_ENABLE.replace("\n\n", " ").replace("`", ""))


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
    # A failure here (the database down when the server starts) is not cached: the next run tries again.
    try:
        # Without a URL, st.connection reads [connections.reseau] from the secrets (url=None would hide it).
        conn = (st.connection(CONNECTION_NAME, type="sql", url=url) if url
                else st.connection(CONNECTION_NAME, type="sql"))
    except Exception as err:  # noqa: BLE001 — Streamlit wraps the driver's errors in its own
        raise health.unavailable(err, "ouverture de la connexion") from err
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


def client_address() -> str:
    """The visitor's address as the server sees it: behind a local reverse proxy, the last X-Forwarded-For hop.

    Streamlit says None for a connection from this machine: that is the reverse proxy of the
    README (nginx on the same host), whose X-Forwarded-For ends with the address it saw. Its
    earlier entries are the client's own words and are not believed.
    """
    direct = st.context.ip_address
    if isinstance(direct, str) and direct:
        return direct
    forwarded = st.context.headers.get("X-Forwarded-For")
    # Outside a real server (AppTest), the context holds no text at all.
    return (forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else "") or "local"


def client() -> str:
    """The digest of the visitor's address (never the address itself), for the limits and the queue."""
    return limits.client_hash(client_address())


def login_keys() -> list[str]:
    """What the moderation password's throttle counts: this session and this address."""
    return [f"session:{limits.session_hash(session_id())}", f"adresse:{client()}"]


def moderator() -> str | None:
    """The reviewer's name if this session may moderate; otherwise draw the way in and return None."""
    found = auth.access(secrets())
    if found.mode == auth.CLOSED:
        _how_to_enable()
        st.info(auth.RESERVED, icon=":material/lock:")
        return None
    if found.mode == auth.MISCONFIGURED:
        health.LOG.error("Modération : %s ou %s contient un mot de passe en clair, pas une empreinte scrypt.",
                         auth.SECRET_HASH, auth.ENV_HASH)
        st.error(auth.NOT_A_HASH)
        return None
    if found.mode == auth.LOGIN:
        if not st.user.is_logged_in:
            st.info(auth.RESERVED, icon=":material/lock:")
            st.button("Se connecter", on_click=st.login, type="primary")
            return None
        st.button("Se déconnecter", on_click=st.logout)
        return str(st.user.get("email") or st.user.get("name") or "modérateur")
    memo = state.moderating()
    if memo.reviewer:
        if memo.connection == connection_token() and time.time() - memo.since < LOGIN_HOURS * 3600:
            st.button("Se déconnecter", key=state.LOGOUT, on_click=logout)
            return memo.reviewer
        health.LOG.warning("Modération : session de « %s » reprise sur une autre connexion ou expirée : "
                           "mot de passe redemandé (adresse %s).", memo.reviewer, client())
        state.keep_moderating(replace(memo, reviewer="", connection=""))
    st.info(auth.RESERVED, icon=":material/lock:")
    password_form(found.password_hash)
    return None


def logout() -> None:
    """« Se déconnecter »: this session is no longer let in."""
    state.keep_moderating(replace(state.moderating(), reviewer="", connection="", since=0.0))


def password_form(password_hash: str) -> None:
    """The name and password form, throttled (a delay that doubles, then a lockout, per session and address)."""
    with st.form(state.LOGIN_FORM):
        name = st.text_input("Votre nom (inscrit au journal des décisions)", max_chars=100)
        password = st.text_input("Mot de passe de modération", type="password")
        sent = st.form_submit_button("Entrer")
    if not sent:
        return
    keys = login_keys()
    try:
        wait, locked = store().login_wait(keys)
        if wait > 0:  # not even checked: a script's guesses cost it time, and us no scrypt
            st.error(throttle.wait_message(wait, locked))
            return
        if name.strip() and auth.verify_password(password, password_hash):
            store().login_succeeded(keys)
            state.keep_moderating(replace(state.moderating(), reviewer=name.strip(), connection=connection_token(),
                                          since=time.time()))
            st.rerun()
        store().login_failed(keys, f"adresse {client_address()}, nom « {name.strip()[:40]} »")
    except DatabaseUnavailable as err:
        st.error(str(err))
        return
    st.error("Nom manquant ou mot de passe incorrect.")
