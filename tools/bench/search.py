"""`python -m tools search`: the map page's rerun with a search, before and after the folded index (issue 22).

Our page in AppTest on a synthetic file: after a first run, the search box gets one query after
another; each rerun is timed. Three ways of searching, in the same run:

- « avant » — what the page did before issue 22: every rerun folded every row's name, city and
  description again, joined row by row (views.haystack as it was);
- « sans index » — the same folding done column by column, still on every rerun;
- « index » — the catalogue's SearchIndex (domain/view.py): folded once, each query's matches kept
  (« même recherche » reruns the page with the same query and another filter: a remembered query).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

import pandas as pd

from reseau_map.core.text import fold
from reseau_map.domain import view as views
from tools.paths import APP

QUERIES = ("cantine", "rennes", "paris", "atelier", "fab", "nantes", "tiers", "lyon", "numérique", "la")
TARGET_S = 0.05  # issue 22: the search as fast as a filter, at 10,000 places


def old_haystack(df: pd.DataFrame) -> pd.Series:
    """The haystack as the page built it before issue 22, on every rerun."""
    return df[list(views.SEARCH_COLUMNS)].astype(str).agg(" ".join, axis=1).map(fold)


def session_times(path: Path, way: str, queries: tuple[str, ...]) -> dict[str, list[float]]:
    """One fresh session: rerun times for each query, and for the same query again under another filter."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    with ExitStack() as stack:
        # A database of its own: the checkout's data/reseau.sqlite is never touched.
        stack.enter_context(mock.patch.dict(os.environ, {"RESEAU_MAP_PLACES": str(path),
                                                         "RESEAU_MAP_DB": str(path.with_suffix(".sqlite"))}))
        if way != "index":
            stack.enter_context(mock.patch("reseau_map.app.explorer.search_index", lambda key, cat: None))
        if way == "avant":
            stack.enter_context(mock.patch.object(views, "haystack", old_haystack))
        at = AppTest.from_file(str(APP), default_timeout=600)
        at.run()
        found: dict[str, list[float]] = {"new": [], "same": []}
        for q in queries:
            at.sidebar.text_input(key="f_q").set_value(q)
            start = time.perf_counter()
            at.run()
            found["new"].append(time.perf_counter() - start)
            at.sidebar.toggle(key="f_choro").set_value(not at.sidebar.toggle(key="f_choro").value)
            start = time.perf_counter()
            at.run()
            found["same"].append(time.perf_counter() - start)
            if at.exception:
                raise RuntimeError(at.exception[0].value)
    return found


def run_search(size: int, repeat: int, progress=print) -> list[dict]:
    """Median rerun times of each way of searching, on one synthetic file of `size` places."""
    from tools.build.synthetic import synthetic_places

    rows = []
    with tempfile.TemporaryDirectory(prefix="reseau-search-") as folder:
        path = Path(folder) / "places.csv"
        path.write_bytes(synthetic_places(size, seed=22))
        for way in ("avant", "sans index", "index"):
            progress(f"  {size} lieux, recherche « {way} »…")
            runs = [session_times(path, way, QUERIES) for _ in range(repeat)]
            new = sorted(t for r in runs for t in r["new"])
            rows.append({"size": size, "way": way, "new_s": statistics.median(new),
                         "same_s": statistics.median(t for r in runs for t in r["same"]),
                         "p90_new_s": new[int(0.9 * (len(new) - 1))]})
    return rows


def report_lines(rows: list[dict]) -> list[str]:
    """The table, in French."""
    lines = ["Recherche : relance de la page (AppTest) après une nouvelle recherche, et après un autre filtre avec la "
             "même recherche ; médianes, secondes.", "",
             " lieux  recherche     nouvelle  p90 nouvelle  même recherche",
             "------  ----------  ---------  ------------  --------------"]
    for r in rows:
        lines.append(f"{r['size']:>6}  {r['way']:<10}  {r['new_s']:9.3f}  {r['p90_new_s']:12.3f}  {r['same_s']:14.3f}")
    index = next(r for r in rows if r["way"] == "index")
    met = "atteint" if index["new_s"] <= TARGET_S else "MANQUÉ"
    lines += ["", f"Objectif (issue 22) : relance avec recherche ≤ {TARGET_S} s à {index['size']} lieux : "
                  f"{index['new_s']:.3f} s, {met}."]
    return lines


def main(args: argparse.Namespace) -> int:
    """`python -m tools search`: print the table."""
    rows = run_search(args.size, args.repeat, lambda text: print(text, file=sys.stderr))
    for line in report_lines(rows):
        print(line)
    print(f"\nCharge de la machine : {[round(x, 2) for x in os.getloadavg()]}.")
    return 0
