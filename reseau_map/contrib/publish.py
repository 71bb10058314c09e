"""Publish the read-only map as static files: index.html (map, figures, filters, list), CSV, Excel, GeoJSON, LISEZMOI.

index.html is templates/published.html (the map page of templates/standalone.html with the
figures and the filters above the map, the list below), its styles static/publish.css and its
filters static/publish.js: they choose the places of the map and of the list together. Every data
file carries the data's credit and licence (files/credit.py); the partner's private columns none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from reseau_map.contrib.accepted import ID_PREFIX
from reseau_map.core.csp import with_policy
from reseau_map.core.errors import WriteError
from reseau_map.core.safefile import atomic_write, cause
from reseau_map.core.templates import render
from reseau_map.core.text import french_number
from reseau_map.domain.fields import Fields
from reseau_map.domain.figures import computed
from reseau_map.domain.tables import categories_of
from reseau_map.files import excel, export
from reseau_map.files.credit import Credit, data_credit
from reseau_map.files.network import Network, french_date, source_label
from reseau_map.files.schema import NOT_GIVEN
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary
from reseau_map.maps.mapview import PAGE_TITLE, standalone_parts

TITLE = "Carte du Réseau des Cantines et des lieux associés"
FILES = ("index.html", "places.csv", "lieux-excel.csv", "lieux.xlsx", "places.geojson", "LISEZMOI.txt")
# What LISEZMOI.txt says of each file, in FILES' order.
ABOUT = {
    "index.html": "la carte, les chiffres, les filtres et la liste des lieux ; s'ouvre sans internet, "
                  "d'un double-clic",
    "places.csv": "les lieux, format de la carte (UTF-8, « , », colonnes du contrat : id, name, type, …)",
    "lieux-excel.csv": "les mêmes lieux pour Excel ou LibreOffice (« ; », virgule décimale, en-têtes en français)",
    "lieux.xlsx": "les mêmes lieux en classeur (ligne d'en-tête figée) ; crédit et licence sur la 2e feuille",
    "places.geojson": "les lieux placés, en GeoJSON (WGS84), avec leur crédit",
    "LISEZMOI.txt": "ce fichier",
}


@dataclass(frozen=True)
class Published:
    """What publish() wrote: the folder, the files and the number of places."""

    folder: Path
    files: tuple[Path, ...]
    places: int


def _plural(n: int, words: str) -> str:
    # « proposé et accepté » -> « proposés et acceptés » (the participles agree with « lieux »).
    if n <= 1:
        return words
    return words.replace("proposé ", "proposés ").replace("accepté", "acceptés").replace(
        "par le lieu lui-même", "par les lieux eux-mêmes")


def _many(n: int, one: str, many: str) -> str:
    return one if n <= 1 else many


def _text(value: Any) -> str:  # a cell: pandas types it Any (pd.isna takes no object)
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _link(url: str) -> bool:
    # Only web links become links: a javascript: or data: URL stays inert text.
    return url.lower().startswith(("http://", "https://"))


def _vocabulary(network: Network | None, vocab: Vocabulary | None = None) -> Vocabulary:
    # The catalogue's (the file's own categories and statuses), else its network's.
    return vocab or (network.vocabulary if network is not None else neutral_vocabulary())


def _words(vocab: Vocabulary, n: int, value: str, column: str) -> str:
    # « cantines » after « 5 »: the vocabulary's words for a count.
    return vocab.counted(n, value, column).partition(" ")[2]


def figures(df: pd.DataFrame, network: Network | None, vocab: Vocabulary | None = None) -> dict:
    """The figures computed from the map, then those the network declared: templates/published_figures.html's data."""
    vocab = _vocabulary(network, vocab)
    c = computed(df, vocab)
    counts = [(french_number(c.places), _many(c.places, "lieu", "lieux"))]
    counts += [(french_number(n), _words(vocab, n, t, "type")) for t, n in c.by_type.items() if n]
    counts += [(french_number(c.by_status.get(s, 0)), _words(vocab, c.by_status.get(s, 0), s, "status"))
               for s in vocab.status_ids]
    accepted = int(df["id"].astype(str).str.startswith(ID_PREFIX).sum())
    return {"counts": counts, "regions": c.regions, "cities": c.cities,
            "regions_word": _many(c.regions, "région", "régions"), "cities_word": _many(c.cities, "ville", "villes"),
            "accepted": accepted,
            "accepted_words": _plural(accepted, "proposé et accepté"),
            "declared": network.figures if network is not None else ()}


def places_rows(df: pd.DataFrame, vocab: Vocabulary | None = None, fields: Fields | None = None) -> list[dict]:
    """One row per place for the filterable list (templates/published_list.html escapes every text)."""
    vocab = vocab or neutral_vocabulary()
    fields = fields or Fields()
    rows = []
    for _, r in df.iterrows():
        name, city, region, status, website = (_text(r[c]) for c in ("name", "city", "region", "status", "website"))
        kinds = categories_of(r)
        public = " ".join(_text(r.get(c)) for c in fields.public)
        located = not (pd.isna(r["lat"]) or pd.isna(r["lon"]))
        rows.append({"id": _text(r["id"]), "located": located, "type": " ".join(kinds), "status": status,
                     "region": region,
                     "text": " ".join([name, city, region, _text(r["description"]), public]), "name": name,
                     "type_label": ", ".join(vocab.type_label(k) for k in kinds),
                     "status_label": vocab.status_labels.get(status, NOT_GIVEN),
                     "facets": {f.id: "|".join(sorted(f.keys_of(r.get(f.column)))) for f in fields.facets},
                     "city": city, "website": website, "link": _link(website), "source": _text(r["source"])})
    return rows


def credit_of(network: Network | None) -> Credit:
    """The credit every published file carries: the network's (or a neutral one's)."""
    return data_credit(network if network is not None else Network(name=""))


def index_html(df: pd.DataFrame, outlines: dict | None, network: Network | None, today: date,
               vocab: Vocabulary | None = None, fields: Fields | None = None) -> str:
    """One offline page: the figures, the filters, the map (packaged Leaflet), the list (with the partner's facets)."""
    label = source_label(network) if network is not None else ""
    regions = {r: r for r in sorted(set(df["region"].map(_text)) - {""})}
    vocab = _vocabulary(network, vocab)
    fields = fields or Fields()
    facets = [(f.id, f.column, {k: f.choice(k) for k in f.labels}) for f in fields.facets]
    page = render("published.html", title=PAGE_TITLE, heading=TITLE, label=label,
                  published=french_date(today.isoformat()), types=vocab.type_labels, statuses=vocab.status_labels,
                  region_choices=regions, facets=facets, rows=places_rows(df, vocab, fields),
                  credit=credit_of(network).lines, files=", ".join(FILES[1:]),
                  **figures(df, network, vocab), **standalone_parts(df, outlines, label, vocab=vocab, fields=fields))
    return with_policy(page)


def readme_text(df: pd.DataFrame, network: Network | None, today: date, vocab: Vocabulary | None = None) -> str:
    """LISEZMOI.txt: what the files are, what they hold, where every fact comes from, the licences, the date."""
    src = network.source if network is not None else {}
    vocab = _vocabulary(network, vocab)
    accepted = int(df["id"].astype(str).str.startswith(ID_PREFIX).sum())
    located = int(df.dropna(subset=["lat", "lon"]).shape[0])
    kinds = computed(df, vocab).by_type
    width = max(len(name) for name in FILES) + 2
    return "\n".join([
        TITLE, "=" * len(TITLE), "",
        f"Publié le {french_date(today.isoformat())} : {len(df)} lieux ({located} placés sur la carte), dont "
        f"{accepted} {_plural(accepted, 'proposé par le lieu lui-même et accepté')} par la coordination du réseau.",
        "Par type : " + (" ; ".join(vocab.counted(n, t, "type") for t, n in kinds.items() if n) or "aucun") + ".", "",
        "Fichiers", "--------",
        *(f"{name.ljust(width)}{ABOUT[name]}" for name in FILES), "",
        "Crédit et licence des lieux", "---------------------------",
        *(f"- {line}" for line in credit_of(network).lines), "",
        "Sources", "-------",
        f"- {src.get('author', '')}, « {src.get('title', '')} », {french_date(src.get('date', ''))} "
        f"({src.get('url', '')}) : chaque lieu cite sa phrase dans la colonne source.",
        "- Propositions acceptées : la colonne source dit « Proposé le …, accepté le … » et la source "
        "indiquée par la personne qui a proposé le lieu ; les e-mails de contact ne sont jamais publiés.",
        "- Noms de lieux et contours des régions : GeoNames (https://www.geonames.org), CC BY 4.0.", "",
        "Licences", "--------",
        "- Données GeoNames : Creative Commons Attribution 4.0 (CC BY 4.0).",
        "- Leaflet (BSD 2-Clause), Leaflet.markercluster (MIT), jQuery (MIT), Bootstrap (MIT), folium (MIT) :"
        " inclus dans index.html.",
        "- Fonds de carte facultatifs (en ligne) : © OpenStreetMap contributors (ODbL), © CARTO.", "",
    ])


def publish(folder: Path, df: pd.DataFrame, outlines: dict | None, network: Network | None,
            today: date, vocab: Vocabulary | None = None, fields: Fields | None = None) -> Published:
    """Write index.html, places.csv, places.geojson and LISEZMOI.txt into a folder (created if needed).

    `vocab` and `fields`: the catalogue's (its own categories, its public columns: private ones stay
    out). Each file is written whole or not at all (a temporary file, then a rename): a full disk
    leaves the previous site as it was. A name in the folder that is a symlink is replaced by the
    file, never followed: nothing outside the folder is written. Failures are French WriteErrors.
    """
    folder = Path(folder)
    prepare_folder(folder)
    vocab = _vocabulary(network, vocab)
    public = (fields or Fields()).public
    credit = credit_of(network)
    contents = {
        "index.html": index_html(df, outlines, network, today, vocab, fields).encode("utf-8"),
        "places.csv": export.to_csv(df, vocab, public, credit),
        "lieux-excel.csv": excel.excel_csv(df, vocab, public, credit),
        "lieux.xlsx": excel.workbook(df, vocab, public, credit, today, f"{len(df)} lieux publiés"),
        "places.geojson": export.to_geojson(df, vocab, public, credit),
        "LISEZMOI.txt": readme_text(df, network, today, vocab).encode("utf-8"),
    }
    written = []
    for name in FILES:
        path = folder / name
        atomic_write(path, contents[name], follow_symlinks=False)
        written.append(path)
    return Published(folder, tuple(written), len(df))


def prepare_folder(folder: Path) -> None:
    """The output folder, created if needed; a French WriteError if it is a file or cannot be made."""
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"Impossible de publier dans « {folder} » : c'est un fichier, pas un dossier.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WriteError(f"Impossible de créer le dossier « {folder} » : {cause(err)}.") from err


def summary_json(result: Published) -> str:
    """A one-line JSON summary, for scripts."""
    return json.dumps({"folder": str(result.folder), "files": [p.name for p in result.files],
                       "places": result.places}, ensure_ascii=False)
