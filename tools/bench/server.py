"""Server side of the benchmark: an app (our page or a peer) in AppTest, first run then rerun.

Bytes are read from what Streamlit would send: the map element's payload (the st_folium
component's `json_args`, or the deck.gl chart's `json`) and the serialised size of every
element of the page (the protos that make up the deltas of one run). Our map also has files
its frame fetches once from the server and the browser then keeps (maps/served.py): their
size is reported apart (`served_b`), never per rerun.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

import pandas as pd

from reseau_map.files import places
from reseau_map.maps import layers, regionlayer
from reseau_map.maps.library import calls
from reseau_map.maps.served import served

PAGE_TIMEOUT = 600  # seconds; a 100,000-place first run reads, validates and places every row
MB = 1_000_000
REGION_KEY = "f_regions"


def busiest_region(path: Path) -> str:
    """The region holding the most places of the file (the heavy filter case)."""
    regions = pd.read_csv(path, usecols=["region"], dtype=str)["region"]
    return str(regions.value_counts().idxmax())


def _walk_bytes(node: object) -> int:
    children = getattr(node, "children", None)
    if children:
        return sum(_walk_bytes(child) for child in children.values())
    proto = getattr(node, "proto", None)
    return proto.ByteSize() if proto is not None else 0


def map_bytes(at: object) -> tuple[int, int]:
    """(bytes of the map's payload, of the map's library links) in an AppTest after a run."""
    components = at.get("component_instance")
    if components:
        args = json.loads(components[0].proto.json_args)
        links = [link for link in args.get("js_links", []) + args.get("css_links", []) if link.startswith("data:")]
        return len(components[0].proto.json_args.encode()), sum(len(json.dumps(link)) for link in links)
    decks = at.get("deck_gl_json_chart")
    if decks:
        return len(decks[0].proto.json.encode()), 0
    errors = [str(e.value) for e in at.error] if hasattr(at, "error") else []
    raise RuntimeError("la page n'affiche aucune carte" + (f" ; elle dit : {errors[0][:200]}" if errors else ""))


def served_bytes(at: object) -> int:
    """Bytes of the files our map's frame fetches once from the server (libraries, atlas, places)."""
    components = at.get("component_instance")
    if not components:
        return 0
    args = json.loads(components[0].proto.json_args)
    files = served()
    group = args.get("feature_group") or ""
    specs = calls(group, layers.PLACES_CALL) + calls(group, regionlayer.REGIONS_CALL)
    links = args.get("js_links", []) + args.get("css_links", []) + [
        src for spec in specs for src in (spec.get("src"), spec.get("longSrc")) if src]
    paths = {files.path_of(link) for link in links} - {None}
    return sum(path.stat().st_size for path in paths if path.exists())


def _check(at: object) -> None:
    if at.exception:
        raise RuntimeError(f"exception dans l'application : {at.exception[0].value}")


def one_session(script: Path, path: Path, region: str | None) -> dict:
    """A fresh session with cold Streamlit caches: first run, then (if region) the filter rerun."""
    import streamlit as st

    # Caches outlive an AppTest: without this, « first » would be warm for every repeat but one.
    st.cache_data.clear()
    st.cache_resource.clear()
    fig: dict = {}
    # A fresh copy each session: a geocoding cache written beside the file must not warm the next.
    with tempfile.TemporaryDirectory(prefix="reseau-session-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        return _session(script, copy, region, fig)


def _session(script: Path, path: Path, region: str | None, fig: dict) -> dict:
    from streamlit.testing.v1 import AppTest

    with mock.patch.dict(os.environ, {places.ENV_PLACES: str(path)}):
        at = AppTest.from_file(str(script), default_timeout=PAGE_TIMEOUT)
        start = time.perf_counter()
        at.run()
        fig["first_s"] = time.perf_counter() - start
        _check(at)
        fig["first_map_b"], _ = map_bytes(at)
        fig["served_b"] = served_bytes(at)
        fig["first_page_b"] = _walk_bytes(at._tree)
        if region is None:
            return fig
        at.sidebar.multiselect(key=REGION_KEY).set_value([region])
        start = time.perf_counter()
        at.run()
        fig["rerun_s"] = time.perf_counter() - start
        _check(at)
    fig["map_b"], fig["lib_b"] = map_bytes(at)
    fig["page_b"] = _walk_bytes(at._tree)
    return fig


def app_runs(script: Path, path: Path, region: str | None, repeat: int) -> dict:
    """Medians over `repeat` fresh sessions; bytes from the last one (they do not vary)."""
    runs = [one_session(script, path, region) for _ in range(repeat)]
    row = dict(runs[-1])
    for key in ("first_s", "rerun_s"):
        if key in row:
            row[key] = statistics.median(run[key] for run in runs)
    return row
