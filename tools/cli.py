"""`python -m tools build atlas|basemap|communes|gazetteer`, `python -m tools bench` and `load`: the repository's tools.

They regenerate the package's data files from the shared reference data, and measure the page
against its peers. Neither is part of the installed package.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reseau_map.core.errors import ReseauMapError

BUILD_TARGETS = ("atlas", "basemap", "communes", "gazetteer")


def cmd_build(args: argparse.Namespace) -> int:
    """Regenerate one of the project's data files from its sources (never run by the app)."""
    if args.what == "gazetteer":
        from tools.build.gazetteer import DATA_FILE, build_gazetteer_file

        out = Path(args.out) if args.out else DATA_FILE
        print(f"Gazetteer écrit : {out} ({build_gazetteer_file(out)} lieux).")
        return 0
    if args.what == "communes":
        from tools.build.communes import main as communes_main

        return communes_main([*([args.src] if args.src else []), *([args.out] if args.src and args.out else [])])
    if args.what == "basemap":
        from tools.build.basemap import main as basemap_main

        return basemap_main(["--out", args.out] if args.out else [])
    from tools.build.atlas import main as atlas_main

    return atlas_main([*(["--src", args.src] if args.src else []), *(["--out", args.out] if args.out else [])])


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure the page against folium, st.map and pydeck peers on the same places."""
    from tools.bench.runner import main as bench_main

    return bench_main(args)


def cmd_load(args: argparse.Namespace) -> int:
    """N Streamlit processes behind nginx, M visitors searching at once: reruns' p50/p90."""
    from tools.bench.load import main as load_main

    return load_main(args)


def cmd_search(args: argparse.Namespace) -> int:
    """The page's rerun with a search, before and after the folded index."""
    from tools.bench.search import main as search_main

    return search_main(args)


def parser() -> argparse.ArgumentParser:
    """The tools' argument parser: build and bench."""
    ap = argparse.ArgumentParser(prog="python -m tools", description="Outils du dépôt : données et mesures.")
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("build", help="regénérer un fichier de données du projet (atlas, basemap, communes, gazetteer)")
    r.add_argument("what", choices=BUILD_TARGETS, help="ce qu'il faut regénérer")
    r.add_argument("--src", help="dossier des données de référence (défaut : ../shared/data/…)")
    r.add_argument("-o", "--out", help="dossier (atlas) ou fichier (communes, gazetteer) à écrire (défaut : data/)")
    r.set_defaults(func=cmd_build)
    b = sub.add_parser("bench", help="mesurer les performances face à folium, st.map et pydeck")
    b.add_argument("--sizes", default="1000,10000,50000,100000")
    b.add_argument("--repeat", type=int, default=3)
    b.add_argument("--json", help="écrire aussi le rapport en JSON")
    b.add_argument("--no-page", action="store_true", help="sans les mesures AppTest de la page")
    b.add_argument("--browser", action=argparse.BooleanOptionalAction, default=None,
                   help="mesurer aussi dans Chromium (ouverture, filtre) et la mémoire par session "
                        "(défaut : oui si Chromium et Playwright sont installés)")
    b.add_argument("--browser-sizes", default="10000", help="tailles mesurées dans Chromium")
    b.add_argument("--sessions", type=int, default=10,
                   help="sessions Chromium pour la mémoire du serveur (0 = sans)")
    b.set_defaults(func=cmd_bench)
    c = sub.add_parser("load", help="charge : N processus derrière nginx, M visiteurs qui cherchent en même temps")
    c.add_argument("--size", type=int, default=10_000, help="lieux du fichier synthétique")
    c.add_argument("--processes", default="1,2", help="nombres de processus Streamlit essayés")
    c.add_argument("--sessions", type=int, default=50, help="visiteurs en même temps")
    c.add_argument("--searches", type=int, default=10, help="recherches par visiteur")
    c.add_argument("--json", help="écrire aussi le rapport en JSON")
    c.set_defaults(func=cmd_load)
    q = sub.add_parser("search", help="relance de la page avec une recherche, avant et après l'index")
    q.add_argument("--size", type=int, default=10_000)
    q.add_argument("--repeat", type=int, default=3)
    q.set_defaults(func=cmd_search)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run a tool; library errors become one French line on stderr and exit status 2."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ReseauMapError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2




