"""`python -m reseau_map bench`: our map pipeline against plain folium Markers, on synthetic files.

What is measured, per data set (the seed file, then one synthetic file per size):
load = load_places (read + validate); catalogue = build_catalogue (+ geocode + regions);
filter = filters.apply for one region and two types; map = load_outlines + base_map +
places_group + the JSON args st_folium hands to Streamlit (what the browser receives);
page = dashboard.py in AppTest, first run then rerun after the same filter change;
baseline = folium.Map + one folium.Marker with a Popup per filtered place, build + render
to HTML. Each time is the median of `repeat` runs; bytes do not vary between runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import folium
import pandas as pd
import streamlit_folium

from reseau_map.build.synthetic import synthetic_places
from reseau_map.catalogue import build_catalogue, read_cache
from reseau_map.files import network, places
from reseau_map.files.places import STATUSES, TYPES
from reseau_map.geo.gazetteer import load_gazetteer
from reseau_map.geo.regions import ABROAD, load_outlines, region_bounds
from reseau_map.maps import mapview
from reseau_map.page import view as views
from reseau_map.paths import APP

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

FILTER_TYPES: tuple[str, ...] = ("cantine", "lieu_associe")
PAGE_TIMEOUT = 300  # seconds; a 50,000-place first run reads and validates the whole file
MB = 1_000_000
# Targets from the issue: (figure, data set, limit, is a minimum).
TARGETS: tuple[tuple[str, str, float, bool], ...] = (
    ("page_first_s", "seed", 1.0, False), ("page_rerun_s", "seed", 0.15, False),
    ("page_rerun_s", "10000", 0.3, False), ("map_mb", "10000", 1.5, False),
    ("page_mb", "10000", 1.5, False), ("page_first_mb", "10000", 1.5, False),
    ("ratio_time", "10000", 20.0, True), ("ratio_time_page", "10000", 20.0, True),
    ("page_rerun_s", "50000", 2.0, False),
)
# The two tables printed: (key, heading, format) per column.
TIME_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("label", "jeu", "{}"), ("places", "lieux", "{}"), ("shown", "filtrés", "{}"),
    ("load_s", "lecture", "{:.3f}"), ("catalogue_s", "catalogue", "{:.3f}"),
    ("filter_s", "filtre", "{:.4f}"), ("map_s", "carte", "{:.3f}"),
    ("map_html_s", "carte HTML", "{:.3f}"), ("page_first_s", "page 1re", "{:.3f}"),
    ("page_rerun_s", "page relance", "{:.3f}"), ("baseline_s", "Marker HTML", "{:.3f}"),
    ("ratio_time", "×HTML", "{:.1f}"), ("ratio_time_page", "×carte", "{:.1f}"),
)
BYTE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("label", "jeu", "{}"), ("map_mb", "carte", "{:.3f}"), ("group_mb", "calque", "{:.3f}"),
    ("page_first_mb", "page 1re", "{:.3f}"), ("page_mb", "page relance", "{:.3f}"),
    ("page_group_mb", "calque relance", "{:.3f}"),
    ("baseline_mb", "Marker", "{:.3f}"), ("baseline_places_mb", "Marker lieux", "{:.3f}"),
    ("ratio_bytes", "×octets lieux", "{:.1f}"), ("ratio_bytes_total", "×octets total", "{:.2f}"),
    ("rss_mb", "RSS", "{:.0f}"), ("peak_rss_mb", "pic RSS", "{:.0f}"),
)


def st_folium_args(m: folium.Map, group: folium.FeatureGroup,
                   view: tuple | None = None) -> dict:
    """The args st_folium would send for this map, as the page calls it (no Streamlit needed)."""
    captured: dict = {}

    def capture(**kwargs: object) -> None:
        captured.update(kwargs)

    center, zoom = view if view else (None, None)
    # st_folium builds its args then hands them to the component; we keep them instead.
    with mock.patch.object(streamlit_folium, "_component_func", capture):
        streamlit_folium.st_folium(m, key=mapview.MAP_KEY, height=mapview.PAGE_HEIGHT, use_container_width=True,
                                   feature_group_to_add=group, center=center, zoom=zoom,
                                   returned_objects=["last_object_clicked"])
    captured.pop("on_change", None)  # a callback: Streamlit keeps it, it is not sent
    return captured


def baseline_html(df: pd.DataFrame) -> str:
    """The common way: one folium.Marker with a Popup per place, rendered to an HTML page."""
    # folium's CDN links stay as they are: the baseline's library bytes are not counted.
    m = folium.Map(location=mapview.FRANCE_CENTER, zoom_start=mapview.FRANCE_ZOOM)
    for row in df.dropna(subset=["lat", "lon"]).itertuples(index=False):
        name = html.escape(str(row.name))
        popup = "<br>".join(html.escape(str(v)) for v in (
            TYPES.get(row.type, ""), STATUSES.get(row.status, ""), row.city, row.region,
            row.description, row.source))
        popup = f"<b>{name}</b><br>{popup}"
        folium.Marker([row.lat, row.lon], popup=folium.Popup(popup, max_width=360),
                      tooltip=name).add_to(m)
    return m.get_root().render()


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _rss_mb() -> tuple[float, float]:
    """(current VmRSS, peak ru_maxrss) of this process in MB; the peak never goes down."""
    status = Path("/proc/self/status").read_text()
    current = int(status.split("VmRSS:")[1].split()[0]) * 1024 / MB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB
    return current, max(current, peak)  # the kernel updates the peak lazily


def busiest_region(df: pd.DataFrame) -> str:
    """The French region holding the most places of the two filtered types (the heavy case)."""
    counts = df.loc[df["type"].isin(FILTER_TYPES) & ~df["region"].isin(["", ABROAD]), "region"]
    return str(counts.value_counts().idxmax())


def _map_args(at: AppTest) -> str:
    # The page's map as Streamlit serialised it (json_args of the st_folium component).
    if at.exception:
        raise RuntimeError(f"la page a levé une exception : {at.exception[0].value}")
    maps = at.get("component_instance")
    if not maps:
        raise RuntimeError("la page n'affiche aucune carte")
    return maps[0].proto.json_args


def page_runs(path: Path, region: str) -> dict:
    """dashboard.py in AppTest on that file: first run, then rerun after the filter change."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    # Caches outlive an AppTest: without this, "first" would be warm. (The gazetteer stays
    # loaded: it is loaded once per process, as on a running server.)
    st.cache_data.clear()
    st.cache_resource.clear()
    with mock.patch.dict(os.environ, {places.ENV_PLACES: str(path)}):
        at = AppTest.from_file(str(APP), default_timeout=PAGE_TIMEOUT)
        first, _ = _timed(at.run)
        first_raw = _map_args(at)
        at.sidebar.multiselect(key="f_types").set_value(list(FILTER_TYPES))
        at.sidebar.multiselect(key="f_regions").set_value([region])
        rerun, _ = _timed(at.run)
    raw = _map_args(at)
    return {"page_first_s": first, "page_rerun_s": rerun, "page_mb": len(raw.encode()) / MB,
            "page_first_mb": len(first_raw.encode()) / MB,
            "page_group_mb": len(json.dumps(json.loads(raw)["feature_group"])) / MB}


def our_map(shown: pd.DataFrame, regions: tuple[str, ...], label: str, as_html: bool = False):
    """Our map as dashboard.py builds it: st_folium's args, or (as_html) one rendered page."""
    outlines = load_outlines()
    overlays = [o for o in (mapview.highlight(outlines, regions),) if o is not None]
    group = mapview.places_group(shown, "", label, overlays)
    m = mapview.base_map(outlines, mapview.PAGE_HEIGHT)
    if as_html:  # like the baseline: build, then render one HTML page
        group.add_to(m)
        return m.get_root().render()
    bounds = region_bounds(regions)
    return st_folium_args(m, group, mapview.view_for_bounds(bounds) if bounds else None)


def one_run(path: Path, source_label: str, page: bool) -> tuple[dict, pd.DataFrame, str, int]:
    """Steps 1 to 5 once: (figures, filtered places, region, valid places)."""
    data, gaz = path.read_bytes(), load_gazetteer()
    fig: dict[str, float] = {}
    fig["load_s"], _ = _timed(lambda: places.load_places(data))
    fig["catalogue_s"], cat = _timed(lambda: build_catalogue(data, gaz, read_cache()))
    region = busiest_region(cat.places)
    chosen = views.View(types=FILTER_TYPES, regions=(region,))
    fig["filter_s"], shown = _timed(lambda: views.apply(cat.places, chosen))
    fig["map_s"], args = _timed(lambda: our_map(shown, chosen.regions, source_label))
    fig["map_html_s"], _ = _timed(lambda: our_map(shown, chosen.regions, source_label, True))
    fig["map_mb"] = len(json.dumps(args)) / MB  # json.dumps as Streamlit does it
    fig["group_mb"] = len(json.dumps(args["feature_group"])) / MB
    fig["baseline_s"], page_html = _timed(lambda: baseline_html(shown))
    fig["baseline_mb"] = len(page_html.encode()) / MB
    if page:
        try:
            fig.update(page_runs(path, region))
        except RuntimeError as err:  # keep the other figures; the report names the failure
            fig["page_error"] = str(err)
    return fig, shown, region, len(cat.places)


def measure(label: str, path: Path, repeat: int, page: bool) -> dict:
    """Every figure for one places file: medians of `repeat` runs, bytes, memory after."""
    source_label = network.source_label(network.load_network())  # the page's popup label
    runs: dict[str, list[float]] = {}
    row: dict = {"label": label}
    for _ in range(repeat):
        fig, shown, region, valid = one_run(path, source_label, page)
        if "page_error" in fig:
            row["page_error"] = fig.pop("page_error")
        for key, value in fig.items():
            runs.setdefault(key, []).append(value)
    row.update(places=valid, shown=len(shown), region=region)
    row.update({key: statistics.median(values) for key, values in runs.items()})
    # The baseline's places part: its page minus the same page with no marker.
    row["baseline_places_mb"] = row["baseline_mb"] - len(baseline_html(shown.head(0))) / MB
    row["ratio_time"] = row["baseline_s"] / row["map_html_s"]  # like with like
    row["ratio_time_page"] = row["baseline_s"] / row["map_s"]  # ours also pays st_folium
    # Like with like: places layer against markers; and whole payload against whole page.
    row["ratio_bytes"] = row["baseline_places_mb"] / row["group_mb"]
    row["ratio_bytes_total"] = row["baseline_mb"] / row["map_mb"]
    row["rss_mb"], row["peak_rss_mb"] = _rss_mb()
    return row


def machine() -> dict:
    """What the numbers were measured on."""
    info = {"python": platform.python_version(), "system": platform.platform(),
            "processor": platform.processor(), "cores": os.cpu_count()}
    cpu, mem = Path("/proc/cpuinfo"), Path("/proc/meminfo")  # Linux; elsewhere left out
    if not info["processor"] and cpu.exists() and "model name" in (text := cpu.read_text()):
        info["processor"] = text.split("model name")[1].split(":", 1)[1].split("\n")[0].strip()
    if mem.exists():
        info["memory_gib"] = round(int(mem.read_text().split("MemTotal:")[1].split()[0]) / 2**20, 1)
    return info


def check_targets(rows: list[dict]) -> list[dict]:
    """Each target of the issue with the measured value and whether it is met."""
    by_label = {row["label"]: row for row in rows}
    values = [by_label.get(label, {}).get(key) for key, label, _, _ in TARGETS]
    return [{"figure": key, "data": label, "limit": limit, "minimum": minimum, "value": v,
             "met": None if v is None else (v >= limit if minimum else v <= limit)}
            for (key, label, limit, minimum), v in zip(TARGETS, values, strict=True)]


def run_bench(sizes: list[int], repeat: int = 3, page: bool = True, seed_file: bool = True,
              progress: Callable[[str], None] = lambda _msg: None) -> dict:
    """Measure the seed file and one synthetic file per size; return the whole report."""
    started = time.perf_counter()
    gazetteer_s, gaz = _timed(load_gazetteer)  # once per process, as in the page
    rows = []
    with tempfile.TemporaryDirectory(prefix="reseau-bench-") as folder:
        files = [("seed", places.DEFAULT_PLACES)] if seed_file else []
        for n in sizes:
            path = Path(folder) / f"places-{n}.csv"
            path.write_bytes(synthetic_places(n, seed=n, gazetteer=gaz))
            files.append((str(n), path))
        for label, path in files:
            progress(f"Mesure du jeu « {label} »…")
            rows.append(measure(label, path, repeat, page))
    return {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "machine": machine(), "repeat": repeat, "page": page, "sizes": sizes,
            "gazetteer_load_s": gazetteer_s, "rows": rows, "targets": check_targets(rows),
            "total_s": time.perf_counter() - started}


def _grid(rows: list[dict], columns: tuple[tuple[str, str, str], ...]) -> list[str]:
    cells = [[heading for _, heading, _ in columns]]
    cells += [[fmt.format(row[k]) if k in row else "—" for k, _, fmt in columns] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]]


def format_table(report: dict) -> str:
    """The report as two fixed-width tables, the targets and the run's context."""
    n = report["repeat"]
    lines = [f"Temps en secondes (médiane de {n} passage(s)) ; ×HTML = Marker HTML / carte HTML,"
             " ×carte = Marker HTML / carte (arguments st_folium)", "",
             *_grid(report["rows"], TIME_COLUMNS), "",
             "Octets envoyés en MB (10^6) et mémoire du processus en MB ; "
             "×octets = Marker / nous", "", *_grid(report["rows"], BYTE_COLUMNS), "",
             f"Gazetteer chargé en {report['gazetteer_load_s']:.2f} s (une fois par processus). "
             "Le pic RSS ne redescend jamais : il vaut pour ce jeu et ceux d'avant.", "Objectifs :"]
    for t in report["targets"]:
        verdict = {True: "atteint", False: "MANQUÉ", None: "non mesuré"}[t["met"]]
        value = "—" if t["value"] is None else f"{t['value']:.3f}"
        lines.append(f"  {t['data']:>6}  {t['figure']:<13} {value:>8} "
                     f"{'≥' if t['minimum'] else '≤'} {t['limit']:<5} {verdict}")
    m = report["machine"]
    lines.append(f"Machine : {m['processor'] or '?'}, {m['cores']} cœurs, "
                 f"{m.get('memory_gib', '?')} Gio, Python {m['python']} ; "
                 f"durée totale {report['total_s']:.0f} s.")
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int] | None:
    """The --sizes text as integers ("100,1000" -> [100, 1000]); None if it is not that."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not all(part.isdigit() and int(part) > 0 for part in parts):
        return None
    return [int(part) for part in parts]


def main(args: argparse.Namespace) -> int:
    """Run the benchmark from the CLI arguments; print the table, write JSON if asked."""
    sizes = parse_sizes(args.sizes)
    if sizes is None or args.repeat < 1:
        print(f"Erreur : --sizes attend des entiers positifs séparés par des virgules (reçu "
              f"« {args.sizes} ») et --repeat au moins 1 (reçu {args.repeat}).", file=sys.stderr)
        return 2
    report = run_bench(sizes, args.repeat, page=not args.no_page,
                       progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(format_table(report))
    failed = [row for row in report["rows"] if "page_error" in row]
    for row in failed:
        print(f"Erreur, jeu « {row['label']} » : {row['page_error']}.", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
        print(f"Rapport JSON écrit : {args.json}", file=sys.stderr)
    return 1 if failed else 0
