"""What the map page loads once and shares between sessions: Streamlit caches, keyed on content.

They live in a module rather than in the page script because Streamlit re-creates a decorated
function each time its module runs: in the page script, every rerun re-read and tokenised
the script to key its caches (5 % of a rerun).
"""

from __future__ import annotations

import gc
import threading
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import streamlit as st

from reseau_map.app import connection as contrib
from reseau_map.app import published
from reseau_map.app.component import BaseMap
from reseau_map.contrib.accepted import join_accepted
from reseau_map.contrib.datasets import NONE as FILE_ONLY
from reseau_map.domain import tour
from reseau_map.domain.catalogue import Catalogue, build_catalogue, cache_path, read_cache
from reseau_map.domain.view import SearchIndex
from reseau_map.files.mapping import load_mapping, mapping_path, parse_mapping
from reseau_map.files.network import Network, network_for
from reseau_map.files.places import file_stamp, places_path, read_bytes
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.gazetteer import Gazetteer, load_gazetteer
from reseau_map.geo.regions import load_outlines
from reseau_map.maps import mapview
from reseau_map.maps.layers import Prepared
from reseau_map.maps.regionlayer import OutlineSource
from reseau_map.maps.served import served

T = TypeVar("T")
DATABASE_DOWN = "La base des lieux proposés ne répond pas : la carte montre le fichier seul."


_settle = threading.Event()  # something long-lived was loaded since the last settle()


def settled(found: T) -> T:
    """Mark long-lived data just loaded: settle() will take it out of the collector's sight."""
    _settle.set()
    return found


def settle() -> None:
    """Once a run has loaded long-lived data, keep it out of the garbage collector's sight.

    Streamlit runs a full collection after every script run (runner.postScriptGC): walking the
    gazetteer, the catalogue and the map's prepared places took 0.1-0.2 s of each rerun at
    10,000 places. gc.freeze() moves every live object out of the collector's sight (O(1)); a
    catalogue the cache later drops is still freed, by reference counting (measured: ten
    5,000-place catalogues through a 4-entry cache, the frozen count and the RSS level off).
    A full unfreeze-and-collect instead cost 0.4 s of a first load.
    """
    if _settle.is_set():
        _settle.clear()
        gc.freeze()


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    """The offline gazetteer, loaded once per process."""
    return settled(load_gazetteer())


# A resource, not cache_data: cache_data would unpickle a copy of every place on every rerun
# (tens of ms at 10,000 places); nothing downstream mutates the catalogue.
@st.cache_resource(show_spinner="Lecture et géocodage des lieux…", max_entries=4)
def catalogue(stamp: tuple[str, int, int], mapping: tuple[str, int, int] | None, accepted: str,
              dataset: str = "") -> Catalogue:
    """The file's places, in its network's vocabulary (read when its size or mtime change), and the accepted ones;
    the version published from the moderation page instead of the file when there is one (`dataset`: its key)."""
    path = Path(stamp[0])
    vocab = network_for(path).vocabulary
    found = published.active() if dataset not in ("", FILE_ONLY) else None
    if found is not None:
        version, data = found
        cat = build_catalogue(data, gazetteer(), filename=version.filename, vocab=vocab,
                              mapping=parse_mapping(version.mapping, version.filename, vocab) if version.mapping
                              else None)
    else:
        cat = build_catalogue(read_bytes(path), gazetteer(), cache=read_cache(cache_path(path)), filename=path.name,
                              mapping=load_mapping(Path(mapping[0]), vocab) if mapping else None, vocab=vocab)
    if not accepted:
        return settled(replace(cat, notes=(*cat.notes, DATABASE_DOWN)))
    return settled(with_accepted(cat))


def with_accepted(cat: Catalogue) -> Catalogue:
    """The file's places plus those proposed on the site and accepted (none when no database answers)."""
    try:
        return replace(cat, places=join_accepted(cat.places, contrib.accepted_places()))
    except Exception as err:  # noqa: BLE001 — the map must draw even when the database is down
        note = (f"Les lieux proposés et acceptés ne peuvent être lus ({type(err).__name__}) : "
                "la carte montre le fichier seul.")
        return replace(cat, notes=(*cat.notes, note))


Key = tuple[tuple[str, int, int], tuple[str, int, int] | None, str, str]  # file, mapping, accepted, published


def catalogue_key() -> Key:
    """What names the catalogue of this run: the places file's and the mapping's stamps, the accepted ones, and
    the published version (a publication on any server changes it: every server reads it at its next load)."""
    path, mapping = places_path(), mapping_path()
    return file_stamp(path), file_stamp(mapping) if mapping else None, accepted_version(), published.published_key()


def current_catalogue() -> tuple[Catalogue, Key]:
    """The catalogue every page shows (the map, the proposal form, moderation), and its key."""
    key = catalogue_key()
    found = catalogue(*key)
    published.keep_fresh(found.vocabulary)  # at most once a minute: is the source's scheduled refresh due?
    return found, key


def accepted_version() -> str:
    """Which accepted proposals exist (one tiny query); "" when no database answers."""
    try:
        return str(contrib.store().accepted_version()) or "0"
    except Exception:  # noqa: BLE001 — the map must draw even when the database is down
        return ""


@st.cache_resource(show_spinner=False, max_entries=4)
def prepared(key: tuple, _cat: Catalogue) -> Prepared:
    """What the map's places layer needs of every place, once per catalogue (`key`: the catalogue's)."""
    found = Prepared(_cat.places, _cat.vocabulary, _cat.fields)
    found.publish(served())  # the places travel once, as a file; if it cannot be written, inline
    return settled(found)


@st.cache_resource(show_spinner=False, max_entries=4)
def search_index(key: tuple, _cat: Catalogue) -> SearchIndex:
    """The search's folded texts, once per catalogue (`key`: the catalogue's); queries cached inside."""
    return settled(SearchIndex(_cat.places))


@st.cache_resource(show_spinner=False)
def outlines() -> OutlineSource:
    """The region outlines, read once per process and served to the map's frame as a file."""
    return settled(OutlineSource.publish(load_outlines(), served()))


@st.cache_resource(show_spinner=False, max_entries=8)
def base_map(height: int, credit: str, fly: bool, vocab: Vocabulary) -> BaseMap:
    """The map that never changes with filters, rendered once per process (only its places change)."""
    return settled(BaseMap(mapview.base_map(None, height, fly=fly, credit=credit, vocab=vocab), height,
                           files=served()))


@st.cache_resource(show_spinner=False)
def network(path: str, credit: str) -> Network:
    """The network the places file belongs to (or a neutral one crediting the data)."""
    return network_for(Path(path), credit=credit)


@st.cache_data(show_spinner=False, max_entries=8)
def year_labels(key: tuple, _cat: Catalogue, launch_year: int) -> list[str]:
    """The timeline's steps for this data."""
    return [s.label for s in tour.timeline(_cat.places, launch_year, _cat.vocabulary)]
