"""`python -m reseau_map bench`: our page against the usual ways to map points, same data, one run.

For each size, one synthetic places file (tools/build/synthetic.py) is drawn by our page
(dashboard.py) and by five peers (tools/bench/peers/): one folium.Marker per place,
folium.GeoJson circle markers on canvas, FastMarkerCluster, st.map and pydeck. Each app runs in
AppTest with cold Streamlit caches (first run), then reruns after the same filter change (the
sidebar's « Région » set to the file's busiest region); times are medians of `repeat` fresh
sessions. Bytes are what Streamlit sends for the map (st_folium's `json_args` or the deck.gl
JSON) and for the whole page (every element's proto) after the filter; folium's library
links are not counted: the peers' are CDN URLs, and data: URIs would be subtracted (the
`bibl.` column). Our page sends Leaflet, the atlas and the places as files its frame fetches
once from our server (maps/served.py): the `fichiers 1 fois` column gives their size.
With --browser, Chromium times our page and st.map from navigation to drawn points and from a
click on the filter to redrawn points (tools/bench/browser.py documents the
signals); with --sessions N, the server's
RSS with one then N browser sessions at the largest size. A partner-like file without
coordinates (issue 9) gives the page's first-load time on its own line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from reseau_map.geo.communes import load_communes
from reseau_map.geo.gazetteer import load_gazetteer
from tools.bench import peers
from tools.bench import server as bench_server
from tools.build.synthetic import synthetic_partner, synthetic_places
from tools.paths import APP

MB = 1_000_000
OURS = "ours"
OURS_LABEL = "notre page"
FOLIUM_PEERS = ("marker", "geojson", "fastcluster")
MARKER_MAX_PLACES = 1_000  # one Marker per place: ~15 s a first run at 1,000 places here
PARTNER_ROWS = 1_500
# The partner file with the issue's own headers, and the same rows under names the loader knows.
PARTNER_VARIANTS: dict[str, tuple[str, ...] | None] = {
    "en-têtes du partenaire (NOM_TL;COMINIT;CP;TYPO;WEB)": None,
    "mêmes lignes, en-têtes reconnus (nom;commune;postcode;type;site)":
        ("nom", "commune", "postcode", "type", "site"),
}
LIBRARIES = ("streamlit", "folium", "streamlit-folium", "pydeck", "pandas", "playwright")
SERVER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("size", "lieux", "{}"), ("label", "appli", "{}"), ("shown", "filtrés", "{}"),
    ("first_s", "1re exéc.", "{:.3f}"), ("rerun_s", "relance", "{:.3f}"),
    ("first_map_mb", "carte 1re", "{:.3f}"), ("map_mb", "carte filtre", "{:.3f}"),
    ("lib_mb", "bibl.", "{:.3f}"), ("served_mb", "fichiers 1 fois", "{:.3f}"), ("page_mb", "page filtre", "{:.3f}"),
    ("x_rerun", "×relance", "{:.2f}"), ("x_map", "×octets", "{:.2f}"),
)
BROWSER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("size", "lieux", "{}"), ("label", "appli", "{}"), ("load_s", "ouverture → points", "{:.2f}"),
    ("filter_s", "filtre → points", "{:.2f}"), ("gap_s", "écart filtre", "{:+.2f}"),
)
MEMORY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("size", "lieux", "{}"), ("label", "appli", "{}"), ("idle_mb", "RSS à vide", "{:.0f}"),
    ("one_mb", "1 session", "{:.0f}"), ("many_mb", "N sessions", "{:.0f}"),
    ("sessions", "N", "{}"), ("ratio", "×", "{:.2f}"), ("per_session_mb", "Mo/session", "{:.1f}"),
)


def apps(page: bool) -> dict[str, tuple[Path, str]]:
    """name -> (script, label): our page first (unless --no-page), then the peers."""
    found = {OURS: (APP, OURS_LABEL)} if page else {}
    found.update({name: (peers.PEERS_DIR / script, label) for name, (script, label) in peers.PEERS.items()})
    return found


def server_rows(size: int, path: Path, region: str, shown: int, repeat: int, page: bool,
                progress: Callable[[str], None]) -> list[dict]:
    """One row per app at one size, with ratios ours / that app."""
    rows = []
    for name, (script, label) in apps(page).items():
        if name == "marker" and size > MARKER_MAX_PLACES:
            continue
        progress(f"  {size} lieux : {label}…")
        row = {"size": size, "app": name, "label": label, "shown": shown, "region": region}
        try:
            fig = bench_server.app_runs(script, path, region, repeat)
        except (RuntimeError, AssertionError) as err:
            row["error"] = str(err)
            rows.append(row)
            continue
        row.update(first_s=fig["first_s"], rerun_s=fig["rerun_s"],
                   first_map_mb=(fig["first_map_b"] - fig["lib_b"]) / MB,
                   map_mb=(fig["map_b"] - fig["lib_b"]) / MB, lib_mb=fig["lib_b"] / MB,
                   page_mb=(fig["page_b"] - fig["lib_b"]) / MB,
                   first_page_mb=(fig["first_page_b"] - fig["lib_b"]) / MB,
                   served_mb=fig.get("served_b", 0) / MB)
        rows.append(row)
    ours = next((r for r in rows if r["app"] == OURS and "error" not in r), None)
    for row in rows:
        if ours and "error" not in row:
            row["x_rerun"] = ours["rerun_s"] / row["rerun_s"]
            row["x_map"] = ours["map_mb"] / row["map_mb"]
    return rows


def partner_rows(repeat: int, folder: Path, rows: int = PARTNER_ROWS) -> list[dict]:
    """Our page's first load of a partner-like file without coordinates (issue 9)."""
    communes = load_communes()
    out = []
    for label, headers in PARTNER_VARIANTS.items():
        path = folder / f"partner-{len(out)}.csv"
        kwargs = {"headers": headers} if headers else {}
        path.write_bytes(synthetic_partner(rows, seed=9, communes=communes, **kwargs))
        row = {"label": label, "rows": rows}
        try:
            row["first_s"] = bench_server.app_runs(APP, path, None, repeat)["first_s"]
        except (RuntimeError, AssertionError) as err:
            row["error"] = str(err)
        out.append(row)
    return out


def _ours_and_stmap(size: int, what: str, measure: Callable[[Path, str], dict],
                    progress: Callable[[str], None]) -> list[dict]:
    """One row for our page and one for st.map, each from measure(script, kind); a failure is reported."""
    rows = []
    for name, kind in ((OURS, "leaflet"), ("stmap", "deck")):
        script, label = apps(True)[name]
        progress(f"  {what} : {label}…")
        row = {"size": size, "app": name, "label": label}
        try:
            row.update(measure(script, kind))
        except Exception as err:  # noqa: BLE001 - a browser failure is reported in the table, not fatal
            row["error"] = f"{type(err).__name__}: {str(err)[:300]}"
        rows.append(row)
    return rows


def browser_rows(size: int, path: Path, region: str, total: int, in_region: int,
                 repeat: int, progress: Callable[[str], None]) -> list[dict]:
    """Chromium timings for our page and st.map at one size."""
    from tools.bench import browser as bench_browser

    rows = _ours_and_stmap(size, f"Chromium, {size} lieux", lambda script, kind: bench_browser.browser_times(
        script, path, APP.parent, kind, region, total, in_region, repeat), progress)
    ours, theirs = rows
    if "filter_s" in ours and "filter_s" in theirs:
        ours["gap_s"] = ours["filter_s"] - theirs["filter_s"]
    return rows


def memory_rows(size: int, path: Path, total: int, sessions: int,
                progress: Callable[[str], None]) -> list[dict]:
    """Server RSS with 1 and N Chromium sessions, for our page and st.map."""
    from tools.bench import browser as bench_browser

    return _ours_and_stmap(size, f"Mémoire, {size} lieux, {sessions} sessions", lambda script, kind:
                           bench_browser.session_memory(script, path, APP.parent, kind, total, sessions), progress)


def machine() -> dict:
    """What the numbers were measured on: CPU, cores, memory, Python and library versions."""
    info: dict = {"python": platform.python_version(), "system": platform.platform(),
                  "processor": platform.processor(), "cores": os.cpu_count()}
    cpu, mem = Path("/proc/cpuinfo"), Path("/proc/meminfo")  # Linux; elsewhere left out
    if cpu.exists() and "model name" in (text := cpu.read_text()):
        info["processor"] = text.split("model name")[1].split(":", 1)[1].split("\n")[0].strip()
    if mem.exists():
        info["memory_gib"] = round(int(mem.read_text().split("MemTotal:")[1].split()[0]) / 2**20, 1)
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    info["libraries"] = versions
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    info["chromium"] = chromium if os.path.exists(chromium) else None
    return info


def _load() -> list[float] | None:
    # Other processes on a shared machine skew every time: the run records how busy it was.
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def _target(text: str, size: object, value: float | None, limit: float) -> dict:
    return {"target": text, "size": size, "value": value, "limit": limit,
            "met": None if value is None else value <= limit}


def check_targets(report: dict) -> list[dict]:
    """Each target of issue 12 with the measured value and whether it is met."""
    by = {(r["size"], r["app"]): r for r in report["server"] if "error" not in r}
    targets = []
    for size in report["sizes"]:
        ours, stmap = by.get((size, OURS)), by.get((size, "stmap"))
        ratio = ours["rerun_s"] / stmap["rerun_s"] if ours and stmap else None
        targets.append(_target("relance ≤ 1,5 × st.map", size, ratio, 1.5))
        folium = [by[(size, p)]["rerun_s"] for p in FOLIUM_PEERS if (size, p) in by]
        below = ours["rerun_s"] / min(folium) if ours and folium else None
        targets.append(_target("relance < chaque pair folium (÷ le plus rapide)", size, below, 1.0))
        mb = ours["map_mb"] / stmap["map_mb"] if ours and stmap else None
        targets.append(_target("octets carte après filtre ≤ 2 × st.map", size, mb, 2.0))
    gaps = {r["size"]: r.get("gap_s") for r in report["browser"] if r["app"] == OURS}
    targets.append(_target("Chromium filtre → points ≤ st.map + 0,1 s", 10_000, gaps.get(10_000), 0.1))
    first = by.get((10_000, OURS))
    targets.append(_target("1re exécution, 10 000 lieux ≤ 1,5 s (serveur)", 10_000,
                           first["first_s"] if first else None, 1.5))
    mem = next((r for r in report["memory"] if r["app"] == OURS and "ratio" in r), None)
    targets.append(_target(f"mémoire {report['sessions']} sessions ≤ 1,5 × une session",
                           mem["size"] if mem else 100_000, mem["ratio"] if mem else None, 1.5))
    return targets


def run_bench(sizes: list[int], repeat: int = 3, page: bool = True, browser: bool = False,
              sessions: int = 10, browser_sizes: tuple[int, ...] = (10_000,),
              browser_repeat: int = 1, partner: int = PARTNER_ROWS,
              progress: Callable[[str], None] = lambda _msg: None) -> dict:
    """Measure every app at every size (and in Chromium if asked); return the whole report."""
    started = time.perf_counter()
    gaz = load_gazetteer()  # once per process, as in the page
    report: dict = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                    "machine": machine(), "repeat": repeat, "page": page, "sizes": sizes,
                    "browser": [], "memory": [], "server": [], "partner": [],
                    "sessions": sessions if browser else 0,
                    "marker_max_places": MARKER_MAX_PLACES, "load_average_before": _load()}
    with tempfile.TemporaryDirectory(prefix="reseau-bench-") as tmp:
        folder = Path(tmp)
        for size in sizes:
            path = folder / f"places-{size}.csv"
            path.write_bytes(synthetic_places(size, seed=size, gazetteer=gaz))
            region = bench_server.busiest_region(path)
            counts = pd.read_csv(path, usecols=["region"], dtype=str)["region"]
            in_region = int((counts == region).sum())
            progress(f"Jeu de {size} lieux (filtre : {region}, {in_region} lieux)…")
            report["server"] += server_rows(size, path, region, in_region, repeat, page, progress)
            if browser and size in browser_sizes:
                report["browser"] += browser_rows(size, path, region, size, in_region,
                                                  browser_repeat, progress)
            if browser and sessions > 1 and size == max(sizes):
                report["memory"] += memory_rows(size, path, size, sessions, progress)
        if page and partner:
            progress(f"Fichier partenaire de {partner} lignes sans coordonnées…")
            report["partner"] = partner_rows(repeat, folder, partner)
    report["targets"] = check_targets(report)
    report["total_s"] = time.perf_counter() - started
    report["load_average_after"] = _load()
    return report


def _grid(rows: list[dict], columns: tuple[tuple[str, str, str], ...]) -> list[str]:
    cells = [[heading for _, heading, _ in columns]]
    cells += [[fmt.format(row[k]) if row.get(k) is not None else "—" for k, _, fmt in columns]
              for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]]


def _errors(rows: list[dict]) -> list[str]:
    return [f"  Erreur, {r['label']} ({r.get('size', '')}) : {r['error']}" for r in rows if "error" in r]


def format_table(report: dict) -> str:
    """The report as readable fixed-width tables, the targets and the machine."""
    m = report["machine"]
    lines = [f"Serveur (AppTest) : secondes, médiane de {report['repeat']} session(s) neuve(s) ; "
             "relance = après le filtre « Région » = la région la plus fournie.",
             "Octets en Mo (10^6) après le filtre, bibliothèques folium non comptées (bibl. = data: URI "
             "retirées) ; fichiers 1 fois = ce que notre carte charge une fois du serveur (bibliothèques, "
             "atlas, lieux) ; ×relance et ×octets = notre page / cette appli.",
             f"folium Marker mesuré jusqu'à {report['marker_max_places']} lieux seulement.", "",
             *_grid(report["server"], SERVER_COLUMNS), *_errors(report["server"])]
    if report["browser"]:
        lines += ["", "Chromium sans interface, hors ligne : secondes ; écart = notre page − st.map.",
                  "", *_grid(report["browser"], BROWSER_COLUMNS), *_errors(report["browser"])]
    if report["memory"]:
        lines += ["", "Mémoire du serveur (VmRSS de `streamlit run`, Mo), sessions Chromium ouvertes :",
                  "", *_grid(report["memory"], MEMORY_COLUMNS), *_errors(report["memory"])]
    for row in report["partner"]:
        value = f"{row['first_s']:.2f} s" if "first_s" in row else f"non mesuré ({row['error']})"
        lines.append(f"Fichier partenaire, {row['rows']} lignes sans coordonnées, {row['label']} : "
                     f"1re exécution {value}")
    lines += ["", "Objectifs (issue 12) :"]
    for t in report["targets"]:
        verdict = {True: "atteint", False: "MANQUÉ", None: "non mesuré"}[t["met"]]
        value = "—" if t["value"] is None else f"{t['value']:.3f}"
        lines.append(f"  {t['size']!s:>6}  {t['target']:<48} {value:>8} ≤ {t['limit']:<4} {verdict}")
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v)
    lines.append(f"Machine : {m['processor'] or '?'}, {m['cores']} cœurs, {m.get('memory_gib', '?')} Gio, "
                 f"Python {m['python']} ; {libs} ; durée totale {report['total_s']:.0f} s.")
    lines.append(f"Charge de la machine (1, 5, 15 min) avant : {report['load_average_before']}, "
                 f"après : {report['load_average_after']} (au-delà de {m['cores']}, les temps sont "
                 "gonflés par d'autres processus).")
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int] | None:
    """The --sizes text as integers ("100,1000" -> [100, 1000]); None if it is not that."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not all(part.isdigit() and int(part) > 0 for part in parts):
        return None
    return [int(part) for part in parts]


def _browser_wanted(asked: bool | None) -> bool:
    # --browser / --no-browser decide; by default, measure in Chromium when it can run here.
    if asked is not None:
        return asked
    return bool(machine()["chromium"]) and importlib.util.find_spec("playwright") is not None


def main(args: argparse.Namespace) -> int:
    """Run the benchmark from the CLI arguments; print the tables, write JSON if asked."""
    sizes = parse_sizes(args.sizes)
    browser_sizes = parse_sizes(getattr(args, "browser_sizes", "10000") or "")
    sessions = getattr(args, "sessions", 10)
    if sizes is None or args.repeat < 1 or browser_sizes is None or sessions < 0:
        print(f"Erreur : --sizes et --browser-sizes attendent des entiers positifs séparés par des "
              f"virgules (reçu « {args.sizes} ») ; --repeat au moins 1 (reçu {args.repeat}) ; "
              f"--sessions au moins 0 (reçu {sessions}).", file=sys.stderr)
        return 2
    report = run_bench(sizes, args.repeat, page=not args.no_page,
                       browser=_browser_wanted(getattr(args, "browser", False)), sessions=sessions,
                       browser_sizes=tuple(browser_sizes), browser_repeat=args.repeat,
                       progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(format_table(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
        print(f"Rapport JSON écrit : {args.json}", file=sys.stderr)
    failed = [r for r in report["server"] + report["browser"] + report["memory"] if "error" in r]
    return 1 if failed else 0
