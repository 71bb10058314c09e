"""Command line: `reseau-map validate|geocode|export|columns|publish|merge|hash-password|serve`.

The builders of the data files and the benchmark are the repository's own (`python -m tools …`).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from reseau_map.core.errors import DataFileError, ReseauMapError, UsageError, WriteError, sentence
from reseau_map.core.findings import DOUBT, LOST, NOTE, UNPLACED, failing
from reseau_map.core.safefile import atomic_write, cause
from reseau_map.core.settings import APP_SCRIPT
from reseau_map.domain.catalogue import Catalogue, build_catalogue, cache_path
from reseau_map.domain.summary import summarize, summary_lines
from reseau_map.files import export, places, writeback
from reseau_map.files.mapping import load_mapping, mapping_path
from reseau_map.files.network import network_for
from reseau_map.geo.geocode import GeoCache, online_geocoder
from reseau_map.geo.regions import REGION_NAMES, canonical_region

EXPORT_FORMATS = ("csv", "excel", "xlsx", "geojson", "html")
FILLED = ("lat", "lon", "precision", "region")  # what geocode --write fills, only where empty
KEY_GROUPS = (("id",), ("name", "city"))  # how a row is found again after the slow run
COORDINATE_DECIMALS = 6  # about 10 cm
# What .streamlit/config.toml says for a checkout, as flags for an installed package run from anywhere:
# no usage statistics, no e-mail prompt, visitors see the map and not Streamlit's developer menu.
SERVE_OPTIONS = {"browser.gatherUsageStats": "false", "server.headless": "true", "client.toolbarMode": "viewer",
                 "theme.light.borderColor": "#767676", "theme.light.showWidgetBorder": "true"}


def _file(value: str | None) -> Path:
    return Path(value) if value else places.places_path()


def _reading(path: Path, args: argparse.Namespace | None = None) -> dict:
    """How to read a places file: its name (for messages), its mapping (--mapping or RESEAU_MAP_MAPPING), and
    its network's vocabulary."""
    given = getattr(args, "mapping", None)
    mapping = Path(given) if given else mapping_path()
    vocab = network_for(path).vocabulary
    return {"filename": path.name, "mapping": load_mapping(mapping, vocab) if mapping else None, "vocab": vocab}


def _shown_catalogue(args: argparse.Namespace) -> tuple[Catalogue, Path]:
    """The places the map shows: the version published from the moderation page when there is one and no file
    was named, else the places file (RESEAU_MAP_PLACES or data/places.csv); and the places file's path."""
    from reseau_map.contrib.datasets import published_file
    from reseau_map.files.mapping import parse_mapping

    path = _file(args.file)
    found = None if args.file else published_file()
    if found is None:
        return build_catalogue(places.read_bytes(path), **_reading(path, args)), path
    data, name, mapping = found
    vocab = network_for(path).vocabulary
    return build_catalogue(data, filename=name, vocab=vocab,
                           mapping=parse_mapping(mapping, name, vocab) if mapping else None), path


def report(cat: Catalogue, path: Path, strict: bool = False) -> int:
    """Print the import summary (lost and doubtful first, notes grouped), then counts; the problem count.

    Problems are the lost rows and the doubtful ones (and, when strict, the notes too).
    """
    for line in summary_lines(summarize(cat.places, cat.findings, cat.columns)):
        print(line)
    grades = {grade: sum(1 for f in cat.findings if f.grade == grade) for grade in (LOST, DOUBT, NOTE)}
    problems = len(failing(cat.findings, strict))
    print(f"{path} : {len(cat.places)} lieux valides, {len(cat.located)} placés sur la carte ; "
          f"{grades[LOST]} perdu(s), {grades[DOUBT]} douteux, {grades[NOTE]} remarque(s)"
          f"{' (comptées)' if strict else ''} : {problems} problème(s).")
    return problems


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every finding of a places file in French; exit 1 if a row is lost or doubtful (--strict: any note)."""
    path = _file(args.file)
    cat = build_catalogue(places.read_bytes(path), **_reading(path, args))
    return 1 if report(cat, path, getattr(args, "strict", False)) else 0


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
    cat = build_catalogue(data, cache=cache, online=online, progress=_tqdm("Géocodage"), **_reading(path, args))
    report(cat, path)
    if args.write:
        if cat.format != "csv":
            # never overwrite a workbook with CSV bytes
            raise DataFileError(f"--write n'écrit que des fichiers CSV ; « {path.name} » n'en est pas un.")
        fills, columns = _coordinate_fills(data, cat.places, _reading(path, args))
        written, missed = writeback.write_fills(path, fills, columns["keys"], columns["new"])
        for key in missed:
            print(sentence(f"Non écrit — « {' / '.join(key[1:])} » ({key[0]}) : ligne modifiée, supprimée ou "
                           "en double pendant le géocodage ; relancez la commande"), file=sys.stderr)
        cache.save()
        print(f"Écrit : {path} (copie de l'ancien en .bak) et {cache.path}." if written
              else f"Rien à écrire dans {path} ; cache : {cache.path}.")
    return 1 if any(f.kind == UNPLACED for f in cat.findings) else 0


def _coordinate_fills(data: bytes, located, reading: dict) -> tuple[dict, dict]:
    """The empty lat/lon/precision/region cells the run filled, keyed by id (else name + city)."""
    raw, meta = places.read_table(data, **reading)
    headers = meta.headers  # our column -> as the file spells it
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
    """Write the places (optionally filtered by region) as CSV, CSV for Excel, XLSX, GeoJSON or a standalone map."""
    from datetime import date

    from reseau_map.contrib.store import with_accepted
    from reseau_map.files import excel
    from reseau_map.files.credit import data_credit
    from reseau_map.geo.regions import load_outlines
    from reseau_map.maps.mapview import standalone_html

    cat, path = _shown_catalogue(args)
    df = with_accepted(cat.places)
    if args.region:
        wanted = [canonical_region(r) for r in args.region]
        unknown = [r for r, name in zip(args.region, wanted, strict=True) if name is None]
        if unknown:
            raise UsageError(f"Région inconnue : {', '.join(unknown)} "
                             f"(valeurs possibles : {', '.join(REGION_NAMES)}).")
        df = df[df["region"].isin(wanted)]
    credit = data_credit(network_for(path, credit=cat.credit))  # every export says whom to credit
    if args.format == "csv":
        out = export.to_csv(df, cat.vocabulary, cat.fields.public, credit)
    elif args.format == "excel":
        out = excel.excel_csv(df, cat.vocabulary, cat.fields.public, credit)
    elif args.format == "xlsx":
        out = excel.workbook(df, cat.vocabulary, cat.fields.public, credit, date.today())
    elif args.format == "geojson":
        out = export.to_geojson(df, cat.vocabulary, cat.fields.public, credit)
    else:
        out = standalone_html(df, load_outlines(), vocab=cat.vocabulary, fields=cat.fields).encode("utf-8")
    if args.output in (None, "-"):
        sys.stdout.buffer.write(out)
    else:
        write_output(Path(args.output), out)
        count = len(df.dropna(subset=["lat", "lon"])) if args.format in ("geojson", "html") else len(df)
        print(f"{count} lieux exportés vers {args.output}.", file=sys.stderr)
    return 0


def write_output(path: Path, data: bytes) -> None:
    """Write a command's output file whole or not at all (the previous one stays on a full disk), never
    through a symlink; a French WriteError otherwise."""
    if path.is_dir():
        raise WriteError(f"Impossible d'écrire « {path} » : c'est un dossier.")
    atomic_write(path, data, follow_symlinks=False)


def cmd_columns(args: argparse.Namespace) -> int:
    """Print the mapping guessed for a partner's file, in the mapping file's TOML, ready to edit,
    after the evidence of each choice (fill rate, three values, why it won) as comments."""
    from reseau_map.files.columns import explain, guess_columns
    from reseau_map.files.mapping import mapping_toml
    from reseau_map.files.reader import read_rows

    path = _file(args.file)
    table = read_rows(places.read_bytes(path), path.name)
    cmap = guess_columns(table.frame)
    why = ["# Pourquoi ces colonnes (remplissage, trois valeurs, raison du choix) :",
           *(f"#   {line}" for line in explain(cmap, table.frame)), ""]
    text = "\n".join(why) + mapping_toml(cmap, table.frame)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_output(Path(args.output), text.encode("utf-8"))
        print(f"Correspondance écrite : {args.output}", file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Write the read-only map as static files: index.html, places.csv, places.geojson, LISEZMOI.txt."""
    from datetime import date

    from reseau_map.contrib.publish import publish
    from reseau_map.contrib.store import with_accepted
    from reseau_map.files.network import network_for
    from reseau_map.geo.regions import load_outlines

    cat, path = _shown_catalogue(args)
    df = with_accepted(cat.places)
    done = publish(Path(args.out_dir), df, load_outlines(), network_for(path), date.today(), cat.vocabulary,
                   cat.fields)
    print(f"{done.places} lieux publiés dans {done.folder} : {', '.join(p.name for p in done.files)}.")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    """Write the accepted proposals into the places file (atomically, with a dated backup)."""
    from datetime import datetime

    from reseau_map.contrib.merge import merge
    from reseau_map.contrib.store import open_store

    path = _file(args.file)
    reading = _reading(path, args)  # the partner's mapping: each value in its own column
    store = open_store()
    try:
        found = store.accepted_places()
    finally:
        store.engine.dispose()
    done = merge(path, found, datetime.now(), reading["mapping"], reading["vocab"])
    if not done.added:
        print(f"Aucun lieu accepté à ajouter à {done.path}.")
    else:
        print(f"{done.added} lieu(x) accepté(s) ajouté(s) à {done.path} ; copie de sauvegarde : {done.backup}.")
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    """Print the hash of a moderation password, to paste into secrets.toml or the environment."""
    import getpass

    from reseau_map.contrib.auth import ENV_HASH, SECRET_HASH, hash_password

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mot de passe de modération : ")
        if getpass.getpass("Encore une fois : ") != password:
            print("Les deux saisies diffèrent.", file=sys.stderr)
            return 1
    if not password:
        print("Mot de passe vide refusé.", file=sys.stderr)
        return 1
    hashed = hash_password(password)
    if args.quiet:
        print(hashed)
        return 0
    print(f"Dans .streamlit/secrets.toml :\n{SECRET_HASH} = \"{hashed}\"\n"
          f"ou dans l'environnement :\nexport {ENV_HASH}='{hashed}'")
    return 0


def serve_command(extra: Sequence[str] = ()) -> list[str]:
    """`streamlit run` of the installed app with SERVE_OPTIONS, then the caller's own options."""
    flags = [part for name, value in SERVE_OPTIONS.items() for part in (f"--{name}", value)]
    return [sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT), *flags, *extra]


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the map app of the installed package (Streamlit), as `streamlit run dashboard.py` does in a clone."""
    try:
        return subprocess.call(serve_command(args.streamlit_args))
    except KeyboardInterrupt:  # Ctrl+C reaches Streamlit too: it stops by itself
        return 130


def parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task."""
    ap = argparse.ArgumentParser(prog="python -m reseau_map",
                                 description="Carte du Réseau des Cantines : outils en ligne de commande.")
    sub = ap.add_subparsers(dest="command", required=True)
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("--mapping", help="fichier de correspondance TOML (défaut : RESEAU_MAP_MAPPING)")
    v = sub.add_parser("validate", parents=[reading],
                       help="vérifier un fichier de lieux (ligne, colonne, valeur, raison)")
    v.add_argument("file", nargs="?", help="fichier CSV (défaut : RESEAU_MAP_PLACES ou data/places.csv)")
    v.add_argument("--strict", action="store_true",
                   help="échouer aussi sur les simples remarques (sinon : seulement lignes perdues ou douteuses)")
    v.set_defaults(func=cmd_validate)
    g = sub.add_parser("geocode", parents=[reading],
                       help="placer les lieux sans coordonnées (barre de progression)")
    g.add_argument("file", nargs="?")
    g.add_argument("--online", choices=("nominatim", "ban"), help="géocodeur en ligne (facultatif)")
    g.add_argument("--write", action="store_true", help="écrire les coordonnées dans le fichier")
    g.add_argument("--cache", help="fichier cache du géocodage (défaut : à côté du fichier des lieux)")
    g.set_defaults(func=cmd_geocode)
    e = sub.add_parser("export", parents=[reading],
                       help="exporter les lieux (csv, csv pour Excel, xlsx, geojson, html autonome)")
    e.add_argument("file", nargs="?")
    e.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
    e.add_argument("--region", action="append", help="ne garder que cette région (répétable)")
    e.add_argument("-o", "--output", help="fichier de sortie (défaut : sortie standard)")
    e.set_defaults(func=cmd_export)
    c = sub.add_parser("columns", help="écrire la correspondance de colonnes devinée pour un fichier (TOML)")
    c.add_argument("file", nargs="?", help="fichier CSV, XLSX, ODS ou GeoJSON")
    c.add_argument("-o", "--output", help="fichier TOML à écrire (défaut : sortie standard)")
    c.set_defaults(func=cmd_columns)
    p = sub.add_parser("publish", parents=[reading],
                       help="publier la carte en fichiers statiques (index.html, CSV, GeoJSON)")
    p.add_argument("out_dir", help="dossier de sortie (créé au besoin)")
    p.add_argument("--file", help="fichier des lieux (défaut : RESEAU_MAP_PLACES ou data/places.csv)")
    p.set_defaults(func=cmd_publish)
    m = sub.add_parser("merge", parents=[reading],
                       help="écrire les lieux acceptés dans le fichier des lieux (avec sauvegarde)")
    m.add_argument("file", nargs="?")
    m.set_defaults(func=cmd_merge)
    h = sub.add_parser("hash-password", help="empreinte d'un mot de passe de modération (secrets.toml)")
    h.add_argument("--stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    h.add_argument("--quiet", action="store_true", help="n'écrire que l'empreinte sur la sortie standard")
    h.set_defaults(func=cmd_hash_password)
    s = sub.add_parser("serve", help="lancer la carte (Streamlit) ; les autres options vont à Streamlit, "
                                     "par exemple --server.port 8502")
    s.set_defaults(func=cmd_serve, streamlit_args=[])
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; library errors become one French line on stderr and exit status 2."""
    ap = parser()
    args, extra = ap.parse_known_args(argv)
    if args.command == "serve":
        args.streamlit_args = extra[1:] if extra[:1] == ["--"] else extra
    elif extra:
        ap.error(f"arguments non reconnus : {' '.join(extra)}")
    try:
        return args.func(args)
    except UsageError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    except ReseauMapError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a file the command touches, outside our own checks: said in French all the same
        where = f" « {err.filename} »" if err.filename else ""
        print(f"Erreur : fichier{where} : {cause(err)}.", file=sys.stderr)
        return 2
