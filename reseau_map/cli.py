"""Command line: `python -m reseau_map validate|geocode|export|build|bench`, thin over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reseau_map.catalogue import Catalogue, build_catalogue, cache_path
from reseau_map.errors import ReseauMapError, UsageError, sentence
from reseau_map.files import export, places, writeback
from reseau_map.findings import DROPPED, PROBLEMS, UNPLACED
from reseau_map.geo.geocode import GeoCache, online_geocoder
from reseau_map.geo.regions import REGION_NAMES, canonical_region

EXPORT_FORMATS = ("csv", "geojson", "html")
BUILD_TARGETS = ("gazetteer", "regions")
FILLED = ("lat", "lon", "precision", "region")  # what geocode --write fills, only where empty
KEY_GROUPS = (("id",), ("name", "city"))  # how a row is found again after the slow run
COORDINATE_DECIMALS = 6  # about 10 cm


def _file(value: str | None) -> Path:
    return Path(value) if value else places.places_path()


def report(cat: Catalogue, path: Path) -> int:
    """Print every finding the one way (row, column, value, reason), then counts; the problem count."""
    for finding in cat.findings:
        suffix = f" ({finding.name})" if finding.name and finding.kind != DROPPED else ""
        print(finding.message + suffix)
    problems = sum(1 for f in cat.findings if f.kind in PROBLEMS)
    print(f"{path} : {len(cat.places)} lieux valides, {len(cat.located)} placés sur la carte, "
          f"{problems} problème(s).")
    return problems


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every finding of a places file in French; exit 1 if a row is bad or unplaced."""
    path = _file(args.file)
    return 1 if report(build_catalogue(places.read_bytes(path)), path) else 0


def _tqdm(total_label: str):
    from tqdm import tqdm

    return lambda rows: tqdm(rows, desc=total_label, unit="lieu")


def cmd_geocode(args: argparse.Namespace) -> int:
    """Locate the rows without coordinates; with --write, fill them into the file."""
    path = _file(args.file)
    data = places.read_bytes(path)
    # Append mode: each answer is on disk as soon as it is known; a killed run keeps them all.
    cache = GeoCache.load(Path(args.cache) if args.cache else cache_path(path), append=True)
    if cache.warning:
        print(cache.warning, file=sys.stderr)
    online = online_geocoder(args.online) if args.online else None
    cat = build_catalogue(data, cache=cache, online=online, progress=_tqdm("Géocodage"))
    report(cat, path)
    if args.write:
        fills, columns = _coordinate_fills(data, cat.places)
        written, missed = writeback.write_fills(path, fills, columns["keys"], columns["new"])
        for key in missed:
            print(sentence(f"Non écrit — « {' / '.join(key[1:])} » ({key[0]}) : ligne modifiée, supprimée ou "
                           "en double pendant le géocodage ; relancez la commande"), file=sys.stderr)
        cache.save()
        print(f"Écrit : {path} (copie de l'ancien en .bak) et {cache.path}." if written
              else f"Rien à écrire dans {path} ; cache : {cache.path}.")
    return 1 if any(f.kind == UNPLACED for f in cat.findings) else 0


def _coordinate_fills(data: bytes, located) -> tuple[dict, dict]:
    """The empty lat/lon/precision/region cells the run filled, keyed by id (else name + city)."""
    raw = places.read_table(data)
    headers = raw.attrs.get("headers", {})  # our column -> as the file spells it
    spelled = {col: headers.get(col, col) for col in FILLED}
    groups = [[headers[c] for c in group] for group in KEY_GROUPS if all(c in headers for c in group)]
    found = located.set_index("_row")
    fills: dict = {}
    for record in raw.to_dict("records"):
        if record["_row"] not in found.index:
            continue
        row = found.loc[record["_row"]]
        cells = {spelled[c]: _cell(row[c]) for c in FILLED if not str(record[c]).strip() and _cell(row[c])}
        key = writeback.key_of({headers.get(c, c): str(record[c]) for c in ("id", "name", "city")}, groups)
        if cells and key is not None:
            fills[key] = cells
    return fills, {"keys": groups, "new": [spelled[c] for c in FILLED]}


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if value != value else repr(float(round(value, COORDINATE_DECIMALS)))  # NaN: nothing found
    return "" if value is None else str(value)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the places (optionally filtered by region) as CSV, GeoJSON or a standalone HTML map."""
    from reseau_map.geo.regions import load_outlines
    from reseau_map.maps.mapview import standalone_html

    cat = build_catalogue(places.read_bytes(_file(args.file)))
    df = cat.places
    if args.region:
        wanted = [canonical_region(r) for r in args.region]
        unknown = [r for r, name in zip(args.region, wanted, strict=True) if name is None]
        if unknown:
            raise UsageError(f"Région inconnue : {', '.join(unknown)} "
                             f"(valeurs possibles : {', '.join(REGION_NAMES)}).")
        df = df[df["region"].isin(wanted)]
    if args.format == "csv":
        out = export.to_csv(df)
    elif args.format == "geojson":
        out = export.to_geojson(df)
    else:
        out = standalone_html(df, load_outlines()).encode("utf-8")
    if args.output in (None, "-"):
        sys.stdout.buffer.write(out)
    else:
        Path(args.output).write_bytes(out)
        count = len(df.dropna(subset=["lat", "lon"])) if args.format != "csv" else len(df)
        print(f"{count} lieux exportés vers {args.output}.", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Regenerate one of the project's data files from its sources (never run by the app)."""
    if args.what == "gazetteer":
        from reseau_map.build.gazetteer import DATA_FILE, build_gazetteer_file

        out = Path(args.output) if args.output else DATA_FILE
        count = build_gazetteer_file(out)
        print(f"Gazetteer écrit : {out} ({count} lieux).")
    else:
        from reseau_map.build.outlines import write_regions_geojson

        written = write_regions_geojson(Path(args.output)) if args.output else write_regions_geojson()
        print(f"Contours des régions écrits : {written}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure the page against folium, st.map and pydeck peers on the same places."""
    from reseau_map.build.bench import main as bench_main

    return bench_main(args)


def parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task."""
    ap = argparse.ArgumentParser(prog="python -m reseau_map",
                                 description="Carte du Réseau des Cantines : outils en ligne de commande.")
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="vérifier un fichier de lieux (ligne, colonne, valeur, raison)")
    v.add_argument("file", nargs="?", help="fichier CSV (défaut : RESEAU_MAP_PLACES ou data/places.csv)")
    v.set_defaults(func=cmd_validate)
    g = sub.add_parser("geocode", help="placer les lieux sans coordonnées (barre de progression)")
    g.add_argument("file", nargs="?")
    g.add_argument("--online", choices=("nominatim", "ban"), help="géocodeur en ligne (facultatif)")
    g.add_argument("--write", action="store_true", help="écrire les coordonnées dans le fichier")
    g.add_argument("--cache", help="fichier cache du géocodage (défaut : à côté du fichier des lieux)")
    g.set_defaults(func=cmd_geocode)
    e = sub.add_parser("export", help="exporter les lieux (csv, geojson, html autonome)")
    e.add_argument("file", nargs="?")
    e.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
    e.add_argument("--region", action="append", help="ne garder que cette région (répétable)")
    e.add_argument("-o", "--output", help="fichier de sortie (défaut : sortie standard)")
    e.set_defaults(func=cmd_export)
    r = sub.add_parser("build", help="regénérer un fichier de données du projet (gazetteer, regions)")
    r.add_argument("what", choices=BUILD_TARGETS)
    r.add_argument("-o", "--output", help="fichier à écrire (défaut : celui du dossier data/)")
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
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; library errors become one French line on stderr and exit status 2."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    except ReseauMapError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
