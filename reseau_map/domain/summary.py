"""What an import did, in French: rows read, how columns were found, how rows were placed, what was left.

The page's « Import » panel and `python -m reseau_map validate` print the same lines.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from reseau_map.core.errors import sentence
from reseau_map.core.findings import DOUBTFUL, DROPPED, FIELD_IGNORED, FILE_NOTE, SILENT, UNPLACED, Finding
from reseau_map.core.text import french_number
from reseau_map.geo.geocode import TYPED

# How a row got its point (geocode's located_by) -> the French words for it.
PLACED_BY: dict[str, str] = {
    TYPED: "par leurs coordonnées",
    "adresse": "par leur adresse (service en ligne)",
    "communes:insee": "par le code INSEE de leur commune",
    "communes:postcode": "par le code postal et la commune",
    "communes:department": "par la commune et son département",
    "communes:name_unique": "par le nom de la commune seul",
    "communes:population": "par le nom de la commune seul (homonymes : la plus peuplée)",
    "gazetteer": "par le nom du lieu (GeoNames, hors de France surtout)",
    "ville": "par leur commune (service en ligne ou cache)",
}
HOW_FOUND: dict[str, str] = {"nom": "reconnues par leur nom", "contenu": "devinées d'après leur contenu",
                             "correspondance": "données par le fichier de correspondance"}
OUR_WORDS: dict[str, str] = {"id": "identifiant", "name": "nom", "type": "type", "status": "statut",
                             "address": "adresse", "postcode": "code postal", "insee": "code INSEE",
                             "city": "commune", "region": "région", "lat": "latitude", "lon": "longitude",
                             "precision": "précision", "opened": "ouverture", "website": "site web",
                             "description": "description", "source": "source"}
KIND_WORDS: dict[str, str] = {DROPPED: "écartée", UNPLACED: "non placée", SILENT: "sans lieu",
                              FIELD_IGNORED: "valeur ignorée", DOUBTFUL: "à vérifier"}
SHOWN_ROWS = 5  # a grouped finding quotes its first few line numbers


@dataclass(frozen=True)
class Summary:
    """Counts and French lines describing one import."""

    rows: int
    kept: int
    placed: dict[str, int]
    unplaced: int
    columns: tuple[tuple[str, str, str], ...]  # (our column, the file's header, how it was found)
    groups: tuple[tuple[str, str, str, int, tuple[int, ...], str], ...]  # (kind, column, reason, count, rows, one)
    notes: tuple[str, ...]


def _placed_label(located_by: str, precision: str) -> str:
    if located_by.startswith(("communes:", TYPED, "gazetteer")):
        return PLACED_BY.get(located_by, located_by)
    return PLACED_BY["adresse"] if precision == "adresse" else PLACED_BY["ville"]  # online or its cache


def summarize(places, findings: Iterable[Finding], columns: dict[str, tuple[str, str]]) -> Summary:
    """The summary of a catalogue: its places (with located_by) and findings, and its column map."""
    findings = list(findings)
    placed: Counter[str] = Counter()
    if "located_by" in places:
        located = places[places["lat"].notna()]
        for (by, precision), n in located.groupby(["located_by", "precision"]).size().items():
            placed[_placed_label(str(by), str(precision))] += int(n)
    dropped = {f.row for f in findings if f.kind == DROPPED}
    grouped: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.kind != FILE_NOTE:
            grouped[(f.kind, f.column, f.reason)].append(f)
    groups = sorted(((k, c, r, len(fs), tuple(f.row for f in fs[:SHOWN_ROWS]), _one(fs[0]))
                     for (k, c, r), fs in grouped.items()), key=lambda g: (-g[3], g[4]))
    return Summary(
        rows=len(places) + len(dropped), kept=len(places), placed=dict(placed.most_common()),
        unplaced=int(places["lat"].isna().sum()) if "lat" in places else 0,
        columns=tuple((ours, header, how) for ours, (header, how) in columns.items()),
        groups=tuple(groups), notes=tuple(f.message for f in findings if f.kind == FILE_NOTE),
    )


def _one(f: Finding) -> str:
    """One finding in full: its message, the place's name and what became of the row."""
    who = f"« {f.name} », " if f.name else ""
    return f"{f.message} ({who}{KIND_WORDS.get(f.kind, f.kind)})"


def _lines_of(rows: tuple[int, ...], count: int) -> str:
    shown = ", ".join(str(r) for r in rows)
    return f"ligne {shown}" if count == 1 else f"lignes {shown}{', …' if count > len(rows) else ''}"


def summary_lines(summary: Summary) -> list[str]:
    """The summary as French sentences, most important first."""
    n = french_number
    lines = [f"{n(summary.rows)} ligne{'s' if summary.rows > 1 else ''} lue{'s' if summary.rows > 1 else ''}, "
             f"{n(summary.kept)} lieu{'x' if summary.kept > 1 else ''} retenu{'s' if summary.kept > 1 else ''}, "
             f"{n(sum(summary.placed.values()))} placé{'s' if sum(summary.placed.values()) > 1 else ''} sur la carte, "
             f"{n(summary.unplaced)} sans position."]
    for label, count in summary.placed.items():
        lines.append(f"{n(count)} placé{'s' if count > 1 else ''} {label}.")
    for how in HOW_FOUND:
        found = [f"{OUR_WORDS.get(o, o)} ← « {h} »" for o, h, way in summary.columns if way == how and h != o]
        if found:
            lines.append(f"Colonnes {HOW_FOUND[how]} : {', '.join(found)}.")
    lines += list(summary.notes)
    for kind, column, reason, count, rows, one in summary.groups:
        if count == 1:
            lines.append(one)
            continue
        lines.append(sentence(f"{n(count)} lignes ({KIND_WORDS.get(kind, kind)}, {_lines_of(rows, count)}) — "
                              f"colonne « {column} » : {reason}"))
    return lines
