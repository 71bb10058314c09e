"""Publish the read-only map as static files: index.html (map, figures, list), CSV, GeoJSON, LISEZMOI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from reseau_map.contrib.accepted import ID_PREFIX
from reseau_map.domain.figures import computed
from reseau_map.files import export
from reseau_map.files.network import Network, french_date, source_label
from reseau_map.files.schema import NOT_GIVEN
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary
from reseau_map.maps.mapview import standalone_html

TITLE = "Carte du Réseau des Cantines et des lieux associés"
FILES = ("index.html", "places.csv", "places.geojson", "LISEZMOI.txt")
MAP_HEIGHT_CSS = "70vh"
STYLE = f"""<style>
html, body {{ height: auto !important; }}
body {{ font-family: system-ui, sans-serif; margin: 0; color: #222; }}
.rm-band {{ padding: 12px 20px; background: #f7f4ee; }}
.rm-band h1 {{ font-size: 1.4em; margin: 0 0 6px; }}
.rm-figures {{ display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 0; padding: 0; list-style: none; }}
.rm-figures b {{ font-size: 1.3em; }}
.folium-map {{ height: {MAP_HEIGHT_CSS} !important; position: relative !important; }}
.rm-list {{ padding: 12px 20px; }}
.rm-list table {{ border-collapse: collapse; width: 100%; }}
.rm-list th, .rm-list td {{ text-align: left; padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }}
.rm-filters {{ display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }}
.rm-foot {{ padding: 12px 20px; font-size: 0.85em; color: #555; }}
</style>"""
# Vanilla JS, no library: filter the rows by text (accents ignored), type, status and region.
SCRIPT = """<script>
(function () {
  function norm(s) { return (s || "").normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase(); }
  var q = document.getElementById("rm-q"), t = document.getElementById("rm-type"),
      s = document.getElementById("rm-status"), g = document.getElementById("rm-region"),
      count = document.getElementById("rm-count"),
      rows = Array.prototype.slice.call(document.querySelectorAll("#rm-places tbody tr"));
  function apply() {
    var text = norm(q.value.trim()), n = 0;
    rows.forEach(function (r) {
      var ok = (!t.value || r.dataset.type === t.value) && (!s.value || r.dataset.status === s.value)
        && (!g.value || r.dataset.region === g.value) && norm(r.dataset.text).indexOf(text) >= 0;
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    count.textContent = n + (n > 1 ? " lieux affichés" : " lieu affiché");
  }
  [q, t, s, g].forEach(function (e) { e.addEventListener("input", apply); });
  apply();
})();
</script>"""


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


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _options(element_id: str, label: str, choices: dict[str, str]) -> str:
    items = "".join(f'<option value="{escape(k)}">{escape(v)}</option>' for k, v in choices.items())
    return (f'<label>{escape(label)} <select id="{element_id}"><option value="">Tous</option>{items}'
            "</select></label>")


def _link(url: str) -> str:
    # Only web links become links: a javascript: or data: URL stays inert text.
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url)}" rel="noopener nofollow">{escape(url)}</a>'
    return escape(url)


def _vocabulary(network: Network | None) -> Vocabulary:
    return network.vocabulary if network is not None else neutral_vocabulary()


def _counted(vocab: Vocabulary, n: int, value: str, column: str) -> str:
    # « <b>5</b> cantines »: the count in bold, its words from the vocabulary.
    return f"<b>{n}</b> {escape(vocab.counted(n, value, column).partition(' ')[2])}"


def figures_band(df: pd.DataFrame, network: Network | None) -> str:
    """The figures computed from the map, then those the network declared (quote on hover)."""
    vocab = _vocabulary(network)
    c = computed(df, vocab)
    items = [f"<li><b>{c.places}</b> lieux</li>"]
    items += [f"<li>{_counted(vocab, n, t, 'type')}</li>" for t, n in c.by_type.items() if n]
    items += [f"<li>{_counted(vocab, c.by_status.get(s, 0), s, 'status')}</li>" for s in vocab.status_ids]
    items += [f"<li><b>{c.regions}</b> régions, <b>{c.cities}</b> villes</li>"]
    accepted = int(df["id"].astype(str).str.startswith(ID_PREFIX).sum())
    if accepted:
        items.append(f"<li><b>{accepted}</b> {_plural(accepted, 'proposé et accepté')}</li>")
    declared = ""
    if network is not None and network.figures:
        declared = "<p>Déclarés par le réseau : " + " · ".join(
            f'<span title="{escape(f.quote)}">{escape(f.short)}</span>' for f in network.figures) + "</p>"
    return f'<ul class="rm-figures">{"".join(items)}</ul>{declared}'


def places_list(df: pd.DataFrame, vocab: Vocabulary | None = None) -> str:
    """The filterable list of places: filters, a count, and one row per place, all text escaped."""
    vocab = vocab or neutral_vocabulary()
    regions = {r: r for r in sorted(set(df["region"].map(_text)) - {""})}
    rows = []
    for r in df.itertuples(index=False):
        name, city, region = _text(r.name), _text(r.city), _text(r.region)
        status = _text(r.status)
        text = " ".join([name, city, region, _text(r.description)])
        rows.append(
            f'<tr data-type="{escape(_text(r.type))}" data-status="{escape(status)}" '
            f'data-region="{escape(region)}" data-text="{escape(text)}">'
            f"<td>{escape(name)}</td><td>{escape(vocab.type_label(_text(r.type)))}</td>"
            f"<td>{escape(vocab.status_labels.get(status, NOT_GIVEN))}</td><td>{escape(city)}</td>"
            f"<td>{escape(region)}</td><td>{_link(_text(r.website))}</td><td>{escape(_text(r.source))}</td></tr>")
    return (
        '<section class="rm-list"><h2>Liste des lieux</h2><div class="rm-filters">'
        '<label>Recherche <input id="rm-q" type="search" placeholder="nom, ville…"></label>'
        + _options("rm-type", "Type", vocab.type_labels) + _options("rm-status", "Statut", vocab.status_labels)
        + _options("rm-region", "Région", regions)
        + '</div><p id="rm-count" aria-live="polite"></p><table id="rm-places"><thead><tr><th>Nom</th>'
        "<th>Type</th><th>Statut</th><th>Ville</th><th>Région</th><th>Site web</th><th>Source</th></tr>"
        f'</thead><tbody>{"".join(rows)}</tbody></table></section>')


def index_html(df: pd.DataFrame, outlines: dict | None, network: Network | None, today: date) -> str:
    """One offline page: the figures, the map (packaged Leaflet) and the filterable list."""
    label = source_label(network) if network is not None else ""
    page = standalone_html(df, outlines, label, vocab=_vocabulary(network))
    top = (f'<header class="rm-band"><h1>{escape(TITLE)}</h1>{figures_band(df, network)}</header>')
    foot = (f'<footer class="rm-foot">{escape(label)}. Régions et noms de lieux : GeoNames (CC BY 4.0). '
            f"Publié le {escape(french_date(today.isoformat()))} ; données : places.csv, places.geojson, "
            "LISEZMOI.txt.</footer>")
    page = page.replace("</head>", STYLE + "</head>", 1)
    page = page.replace("<body>", "<body>" + top, 1)
    head, _, tail = page.rpartition("</body>")
    return head + places_list(df, _vocabulary(network)) + foot + SCRIPT + "</body>" + tail


def readme_text(df: pd.DataFrame, network: Network | None, today: date) -> str:
    """LISEZMOI.txt: what the files are, where every fact comes from, the licences, the date."""
    src = network.source if network is not None else {}
    accepted = int(df["id"].astype(str).str.startswith(ID_PREFIX).sum())
    return "\n".join([
        TITLE, "=" * len(TITLE), "",
        f"Publié le {french_date(today.isoformat())} : {len(df)} lieux, dont {accepted} "
        f"{_plural(accepted, 'proposé par le lieu lui-même et accepté')} par la coordination du réseau.", "",
        "Fichiers", "--------",
        "index.html      la carte, les chiffres et la liste filtrable ; s'ouvre sans internet",
        "places.csv      les lieux (UTF-8, colonnes du contrat : id, name, type, status, …)",
        "places.geojson  les lieux placés, en GeoJSON (WGS84)",
        "LISEZMOI.txt    ce fichier", "",
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
            today: date) -> Published:
    """Write index.html, places.csv, places.geojson and LISEZMOI.txt into a folder (created if needed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    contents = {
        "index.html": index_html(df, outlines, network, today).encode("utf-8"),
        "places.csv": export.to_csv(df),
        "places.geojson": export.to_geojson(df),
        "LISEZMOI.txt": readme_text(df, network, today).encode("utf-8"),
    }
    written = []
    for name in FILES:
        path = folder / name
        path.write_bytes(contents[name])
        written.append(path)
    return Published(folder, tuple(written), len(df))


def summary_json(result: Published) -> str:
    """A one-line JSON summary, for scripts."""
    return json.dumps({"folder": str(result.folder), "files": [p.name for p in result.files],
                       "places": result.places}, ensure_ascii=False)
