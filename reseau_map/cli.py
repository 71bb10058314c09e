"""Command line: `python -m reseau_map validate|geocode|export|regions|bench`, thin over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reseau_map.catalogue import DEFAULT_CACHE, build_catalogue
from reseau_map.errors import DataFileError, ReseauMapError, row_message, sentence
from reseau_map.files import export, places
from reseau_map.files.mapping import load_mapping, mapping_path
from reseau_map.findings import PROBLEMS
from reseau_map.geo.geocode import NO_QUERY, GeoCache, online_geocoder

EXPORT_FORMATS = ("csv", "geojson", "html")


def _file(value: str | None) -> Path:
    return Path(value) if value else places.places_path()


def _reading(path: Path) -> dict:
    # The file's name (its extension helps nobody, but messages may cite it) and its mapping, if any.
    mapping = mapping_path()
    return {"filename": path.name, "mapping": load_mapping(mapping) if mapping else None}


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem of a places file in French; exit 1 if a row is bad or its city unknown."""
    path = _file(args.file)
    cat = build_catalogue(places.read_bytes(path), **_reading(path))
    for p in cat.problems:
        print(p.message)
    # A row whose source names no place at all is not an error: it is listed, not counted.
    silent = [u for u in cat.unplaced if u.reason == NO_QUERY]
    unknown = [u for u in cat.unplaced if u.reason != NO_QUERY]
    for u in unknown:
        print(row_message(u.row, cat.column_label("city"), u.city, u.reason) + f" ({u.name})")
    for u in silent:
        print(f"Ligne {u.row} : « {u.name} » n'a ni adresse ni ville ; il est listé hors carte.")
    bad = sum(p.kind in PROBLEMS for p in cat.problems) + len(unknown)
    print(f"{path} : {len(cat.places)} lieux valides, {len(cat.located)} placés sur la carte, "
          f"{bad} problème(s).")
    return 1 if bad else 0


def _tqdm(total_label: str):
    from tqdm import tqdm

    return lambda rows: tqdm(rows, desc=total_label, unit="lieu")


def cmd_geocode(args: argparse.Namespace) -> int:
    """Locate the rows without coordinates; with --write, fill them into the file."""
    path = _file(args.file)
    data = places.read_bytes(path)
    cache = GeoCache.load(Path(args.cache))
    online = online_geocoder(args.online) if args.online else None
    cat = build_catalogue(data, cache=cache, online=online, progress=_tqdm("Géocodage"), **_reading(path))
    for u in cat.unplaced:
        print(sentence(f"Non placé — ligne {u.row} « {u.name} » : {u.reason}"))
    print(f"{len(cat.located)} lieux placés sur {len(cat.places)} ; {len(cat.unplaced)} non placés.")
    if args.write:
        raw = places.read_table(data, **_reading(path))
        if raw.attrs.get("format", "csv") != "csv":  # never overwrite a workbook with CSV bytes
            raise DataFileError(f"--write n'écrit que des fichiers CSV ; {path.name} est au format "
                                f"{raw.attrs['format'].upper()}.")
        filled = cat.places.set_index("_row")
        for col in ("lat", "lon", "precision", "region"):
            values = raw["_row"].map(filled[col])
            keep = raw[col].astype(str).str.strip() != ""
            raw[col] = raw[col].where(keep, values.astype("string").fillna(""))
        sep = places.sniff_separator(places.decode(data))
        path.write_bytes(raw.drop(columns=["_row"]).to_csv(index=False, sep=sep).encode("utf-8"))
        cache.save()
        print(f"Écrit : {path} et {args.cache}.")
    return 1 if cat.unplaced else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the places (optionally filtered by region) as CSV, GeoJSON or a standalone HTML map."""
    from reseau_map.geo.regions import load_outlines
    from reseau_map.maps.mapview import standalone_html

    cat = build_catalogue(places.read_bytes(_file(args.file)), **_reading(_file(args.file)))
    df = cat.places
    if args.region:
        df = df[df["region"].isin(args.region)]
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
        print(f"{len(df)} lieux exportés vers {args.output}.", file=sys.stderr)
    return 0


def cmd_mapping(args: argparse.Namespace) -> int:
    """Print the mapping guessed for a partner's file, in the mapping file's TOML, ready to edit."""
    from reseau_map.files.columns import guess_columns
    from reseau_map.files.mapping import mapping_toml
    from reseau_map.files.reader import read_rows

    path = _file(args.file)
    table = read_rows(places.read_bytes(path), path.name)
    text = mapping_toml(guess_columns(table.frame), table.frame)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Correspondance écrite : {args.output}", file=sys.stderr)
    return 0


def cmd_regions(args: argparse.Namespace) -> int:
    """Regenerate data/regions.geojson from the offline gazetteer."""
    from reseau_map.build.outlines import write_regions_geojson

    written = write_regions_geojson(Path(args.output)) if args.output else write_regions_geojson()
    print(f"Contours des régions écrits : {written}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure load, filter, map and page times against a plain-folium baseline."""
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
    g.add_argument("--cache", default=str(DEFAULT_CACHE), help="fichier cache du géocodage")
    g.set_defaults(func=cmd_geocode)
    e = sub.add_parser("export", help="exporter les lieux (csv, geojson, html autonome)")
    e.add_argument("file", nargs="?")
    e.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
    e.add_argument("--region", action="append", help="ne garder que cette région (répétable)")
    e.add_argument("-o", "--output", help="fichier de sortie (défaut : sortie standard)")
    e.set_defaults(func=cmd_export)
    m = sub.add_parser("mapping", help="écrire la correspondance devinée pour un fichier de partenaire (TOML)")
    m.add_argument("file", nargs="?", help="fichier CSV, XLSX, ODS ou GeoJSON")
    m.add_argument("-o", "--output", help="fichier TOML à écrire (défaut : sortie standard)")
    m.set_defaults(func=cmd_mapping)
    r = sub.add_parser("regions", help="regénérer data/regions.geojson (hors ligne)")
    r.add_argument("-o", "--output")
    r.set_defaults(func=cmd_regions)
    b = sub.add_parser("bench", help="mesurer les performances face à folium « classique »")
    b.add_argument("--sizes", default="100,1000,10000,50000")
    b.add_argument("--repeat", type=int, default=3)
    b.add_argument("--json", help="écrire aussi le rapport en JSON")
    b.add_argument("--no-page", action="store_true", help="sans les mesures AppTest de la page")
    b.set_defaults(func=cmd_bench)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; library errors become one French line on stderr and exit status 2."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ReseauMapError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
