"""What an import did, in French: rows read, what was lost or is doubtful, how rows were placed, notes.

The page's « Import » panel and `python -m reseau_map validate` print the same lines: lost and
doubtful rows first, then how the rows were placed and the columns found, then the notes (an
interpretation of the data), repeated ones grouped on one line. `loss_notice` is the one line the
map page shows above the map when rows are not on it.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from reseau_map.core.errors import sentence
from reseau_map.core.findings import (
    DOUBT,
    DOUBTFUL,
    DROPPED,
    FIELD_IGNORED,
    FILE_NOTE,
    FILE_WARNING,
    GRADE_ORDER,
    LOST,
    NOTE,
    READ_AS,
    SILENT,
    UNPLACED,
    Finding,
)
from reseau_map.core.text import french_number
from reseau_map.geo.geocode import TYPED

# How a row got its point (geocode's located_by) -> the French words for it.
PLACED_BY: dict[str, str] = {
    TYPED: "par leurs coordonnées",
    "adresse": "par leur adresse (service en ligne)",
    "communes:insee": "par le code INSEE de leur commune",
    "communes:postcode": "par le code postal et la commune",
    "communes:department": "par la commune et son département",
    "communes:closest": "par le code postal (ou le département) et le nom le plus proche",
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
                              FIELD_IGNORED: "valeur ignorée", DOUBTFUL: "à vérifier", READ_AS: "lue ainsi"}
GRADE_WORDS: dict[str, str] = {LOST: "hors de la carte", DOUBT: "à vérifier", NOTE: "remarque"}
SHOWN_ROWS = 5  # a grouped finding quotes its first few line numbers
SHOWN_VALUES = 3  # a grouped note quotes its first few values
SILENT_SHARE = 0.1  # rows without any place said above the map from this share of the file
# What a note's reason says beyond its pattern (« (12 lignes ; …) »): left out when notes are grouped.
_DETAIL = re.compile(r"\s*\([^)]*\)")


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
    warnings: tuple[str, ...] = ()  # file-level doubts (damaged encoding, a weak column choice)


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
        if f.kind not in (FILE_NOTE, FILE_WARNING):
            # Notes that differ only by their details (a count, a value) are one line.
            reason = _DETAIL.sub("", f.reason) if f.grade == NOTE else f.reason
            grouped[(f.kind, f.column, reason)].append(f)
    rank = {grade: i for i, grade in enumerate(GRADE_ORDER)}
    groups = sorted(((k, c, r, len(fs), tuple(f.row for f in fs[:SHOWN_ROWS]), _one(fs))
                     for (k, c, r), fs in grouped.items()),
                    key=lambda g: (rank[Finding(0, "", "", "", g[0]).grade], -g[3], g[4]))
    return Summary(
        rows=len(places) + len(dropped), kept=len(places), placed=dict(placed.most_common()),
        unplaced=int(places["lat"].isna().sum()) if "lat" in places else 0,
        columns=tuple((ours, header, how) for ours, (header, how) in columns.items()),
        groups=tuple(groups), notes=tuple(f.message for f in findings if f.kind == FILE_NOTE),
        warnings=tuple(f.message for f in findings if f.kind == FILE_WARNING),
    )


def _one(fs: list[Finding]) -> str:
    """The first finding of a group in full: its message, the place's name and what became of the row;
    for grouped notes, the first few values."""
    f = fs[0]
    who = f"« {f.name} », " if f.name else ""
    line = f"{f.message} ({who}{KIND_WORDS.get(f.kind, f.kind)})"
    values = list(dict.fromkeys(x.value for x in fs if x.value))
    if f.grade == NOTE and len(values) > 1:
        shown = ", ".join(f"« {v} »" for v in values[:SHOWN_VALUES])
        line += f" ; valeurs : {shown}{', …' if len(values) > SHOWN_VALUES else ''}"
    return line


def _lines_of(rows: tuple[int, ...], count: int) -> str:
    shown = ", ".join(str(r) for r in rows)
    return f"ligne {shown}" if count == 1 else f"lignes {shown}{', …' if count > len(rows) else ''}"


def summary_lines(summary: Summary) -> list[str]:
    """The summary as French sentences: counts, then lost and doubtful rows, then placing, columns, notes."""
    n = french_number
    lines = [f"{n(summary.rows)} ligne{'s' if summary.rows > 1 else ''} lue{'s' if summary.rows > 1 else ''}, "
             f"{n(summary.kept)} lieu{'x' if summary.kept > 1 else ''} retenu{'s' if summary.kept > 1 else ''}, "
             f"{n(sum(summary.placed.values()))} placé{'s' if sum(summary.placed.values()) > 1 else ''} sur la carte, "
             f"{n(summary.unplaced)} sans position."]

    def group_lines(grades: tuple[str, ...]) -> list[str]:
        out = []
        for kind, column, reason, count, rows, one in summary.groups:
            if Finding(0, "", "", "", kind).grade not in grades:
                continue
            out.append(one if count == 1 else sentence(
                f"{n(count)} lignes ({KIND_WORDS.get(kind, kind)}, {_lines_of(rows, count)}) — "
                f"colonne « {column} » : {reason}"))
        return out

    lines += group_lines((LOST,)) + list(summary.warnings) + group_lines((DOUBT,))
    for label, count in summary.placed.items():
        lines.append(f"{n(count)} placé{'s' if count > 1 else ''} {label}.")
    for how in HOW_FOUND:
        found = [f"{OUR_WORDS.get(o, o)} ← « {h} »" for o, h, way in summary.columns if way == how and h != o]
        if found:
            lines.append(f"Colonnes {HOW_FOUND[how]} : {', '.join(found)}.")
    return lines + list(summary.notes) + group_lines((NOTE,))


def loss_notice(findings: Iterable[Finding], rows: int, fixes: dict[str, str] | None = None) -> str | None:
    """One line for above the map when rows are not on it: how many, the main reason, where to look,
    and the way to fix it when known.

    « 704 lignes sur 1 221 écartées : nom vide — voir « Import et hors carte ». » `fixes`
    (our column -> a partner column that could serve) gives the mapping line to add.
    """
    lost: dict[int, Finding] = {}
    for f in findings:
        if f.grade == LOST and f.row > 0:
            lost.setdefault(f.row, f)
    # A few rows the file itself places nowhere (the network's La Fonderie) are said under the map,
    # with the places shown; many of them mean a column was missed, and are said here.
    silent = [r for r, f in lost.items() if f.kind == SILENT]
    if len(silent) < SILENT_SHARE * rows:
        for r in silent:
            del lost[r]
    if not lost:
        return None
    n = french_number
    by = Counter((f.column, f.reason) for f in lost.values()).most_common()
    (column, reason), _ = by[0]
    more = " (et d'autres raisons)" if len(by) > 1 else ""
    count = len(lost)
    verb = "écartée" if count == 1 else "écartées"
    line = (f"{n(count)} ligne{'s' if count > 1 else ''} sur {n(rows)} {verb} : {_short_reason(column, reason)}"
            f"{more} — voir « Import et hors carte ».")
    fix = _fix(reason, fixes or {})
    return f"{line} {fix}" if fix else line


def _fix(reason: str, fixes: dict[str, str]) -> str:
    """How to bring lost rows back: the mapping line to add, or what the file lacks."""
    if "nom est obligatoire" in reason:
        column = fixes.get("name")
        if column:
            return (f"Si le nom est dans « {column} », ajoutez au fichier de correspondance, section "
                    f"[columns] : name = {json.dumps(column, ensure_ascii=False)}")
        return ("Pour lire le nom dans une autre colonne, section [columns] du fichier de correspondance : "
                "name = \"…\"")
    if "ni adresse ni ville" in reason:
        return "Pour lire la commune dans une autre colonne, section [columns] : city = \"…\""
    return ""  # an unknown commune: the Import tab names each, with suggestions


def _short_reason(column: str, reason: str) -> str:
    if "nom est obligatoire" in reason:
        return "nom vide"
    if "ni adresse ni ville" in reason:
        return "ni adresse ni commune"
    if "introuvable" in reason or "aucune commune" in reason:
        return "commune introuvable"
    return reason.split(" ; ")[0]
