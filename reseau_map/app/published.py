"""The published dataset on the Streamlit side: this server's view of contrib/datasets.py, and its schedule.

Every page run asks the database which version the map shows (one tiny query): a publication made
on any server is seen here at the next load. At most once a minute a run also looks whether the
source's scheduled refresh is due; the server that claims it fetches it in a thread of its own, so
no visitor waits for the network (and a server without internet only logs a failure).
"""

from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from reseau_map.app import connection
from reseau_map.contrib import source
from reseau_map.contrib.datasets import Datasets, Version
from reseau_map.core.errors import ReseauMapError
from reseau_map.files.vocabulary import Vocabulary

CHECK_EVERY_S = 60  # how often a server looks whether the scheduled refresh is due
log = logging.getLogger(__name__)
_checked = {"at": 0.0}
_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _datasets(url: str | None) -> Datasets:
    return Datasets(connection.store().engine)


def datasets() -> Datasets:
    """The published datasets of this server's database, shared by every session."""
    return _datasets(connection.connection_url())


def published_key() -> str:
    """Which version the map shows: datasets.NONE for the server's file, "" when no database answers (the file too)."""
    try:
        return datasets().key()
    except Exception:  # noqa: BLE001 — the map must draw even when the database is down
        return ""


def active() -> tuple[Version, bytes] | None:
    """The version the map shows and its file, None when it shows the server's file."""
    found = datasets().active()
    return (found, datasets().content(found.id)) if found is not None else None


def keep_fresh(vocab: Vocabulary) -> threading.Thread | None:
    """Start the scheduled refresh of the source when it is due and this server claims it; the thread, or None."""
    with _lock:
        now = time.monotonic()
        if now - _checked["at"] < CHECK_EVERY_S:
            return None
        _checked["at"] = now
    try:
        if datasets().claim_refresh() is None:
            return None
    except Exception:  # noqa: BLE001 — no database, no schedule: the map still draws
        return None
    thread = threading.Thread(target=_refresh, args=(vocab,), name="reseau-map-source", daemon=True)
    thread.start()
    return thread


def _refresh(vocab: Vocabulary) -> None:
    try:
        done = source.refresh(datasets(), vocab, source.SCHEDULED)
        log.info("Source actualisée : version n° %s, %s lieux.", done.id, done.rows)
    except ReseauMapError as err:
        log.warning("Actualisation de la source échouée : %s", err)


def forget_check() -> None:
    """Look again at the next run (tests, and after the coordinator sets a schedule)."""
    _checked["at"] = 0.0
