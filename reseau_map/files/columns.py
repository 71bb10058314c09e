"""Which of a partner's columns are ours: by header name first, then by content, and only on evidence.

A header matches one of our columns when, folded (« Code_Postal » -> « code postal »), it equals an
alias (best), equals one once a known prefix or suffix is removed (« NOM_TL » -> « nom »), or holds
an alias as whole words (« Site internet du lieu »). Each of our columns takes at most one file
column, each file column serves at most one of ours; the rest stay as the partner's own columns.

The header is not enough (files/evidence.py): an empty column is never taken, a nearly empty one
never for its content; a clearly fuller rival (for the name: fuller and more name-like) wins over a
better-named one (« Nom officiel du musée » over an address complement called « Lieu »); a date is
an opening year only under a header that says opening or creation (not « mise_a_jour »). Each
choice keeps why it won; close calls and weak choices are said.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from reseau_map.core.errors import DataFileError
from reseau_map.core.findings import FILE_NOTE, FILE_WARNING, Finding
from reseau_map.core.text import fold
from reseau_map.files import content
from reseau_map.files.evidence import CLEARLY_FULLER, MIN_FILL, MIN_VALUES, Evidence, evidence, percent
from reseau_map.files.schema import COLUMNS
from reseau_map.files.vocabulary import Vocabulary

BY_NAME, BY_CONTENT, BY_MAPPING = "nom", "contenu", "correspondance"
COORDINATES = "coordinates"  # a pseudo-column: one « lat, lon » column that gives both

# Our column <- headers that mean it (folded). Our own name is always an alias.
NAME_RULES: dict[str, tuple[str, ...]] = {
    "id": ("identifiant", "ref", "reference", "code lieu"),
    "name": ("nom", "nom du lieu", "nom lieu", "raison sociale", "lieu", "titre", "denomination", "enseigne",
             "nom de la structure", "structure", "intitule"),
    "type": ("typo", "typologie", "categorie", "famille", "type de lieu", "type lieu", "nature"),
    "status": ("statut", "etat"),
    "address": ("adresse", "adr", "voie", "adresse postale", "rue", "adresse du lieu"),
    "postcode": ("cp", "code postal", "codepostal", "postal code", "zip", "zipcode", "zip code"),
    "insee": ("insee", "code insee", "inseecom", "codgeo", "code commune", "depcom", "code insee commune"),
    "city": ("commune", "ville", "cominit", "nomcom", "libcom", "nom commune", "localite", "nom de la commune"),
    "region": ("region", "nom region", "libreg", "reg", "nom de la region"),
    "lat": ("latitude", "y", "lat wgs84", "coord y"),
    "lon": ("lng", "long", "longitude", "x", "lon wgs84", "coord x"),
    "precision": ("precision",),
    "opened": ("ouverture", "annee", "annee d ouverture", "date d ouverture", "date ouverture",
               "annee ouverture", "annee de creation", "date de creation", "creation", "date creation",
               "annee creation", "date de fondation", "annee de fondation"),
    "website": ("web", "site", "site web", "site internet", "url", "lien", "internet", "siteweb"),
    "description": ("presentation", "activites", "descriptif", "resume", "activite"),
    "source": ("citation", "sources"),
    COORDINATES: ("coordonnees", "geo point", "geo point 2d", "geopoint", "coordinates", "coords",
                  "coordonnees gps", "lat lon", "latlon", "position", "geolocalisation", "point geo"),
}
# Our column -> (folded alias, length of the alias as written), folded once per process.
_FOLDED_RULES: dict[str, tuple[tuple[str, int], ...]] = {
    ours: tuple((fold(a), len(a)) for a in ((ours, *aliases) if ours != COORDINATES else aliases))
    for ours, aliases in NAME_RULES.items()}
# Aliases too short or too common to be looked for inside a longer header (« nom du site »).
EXACT_ONLY = frozenset({"x", "y", "lieu", "site", "id", "ref", "reg", "long", "lien", "nature", "structure",
                        "creation", "position", "resume", "source", "sources", "etat", "zip"})
# Words put before or after a header's meaning: « LIB_COM », « NOM_TL », « adresse_lieu ».
PREFIXES = ("lib", "libelle", "nom", "code", "txt")
SUFFIXES = ("tl", "lieu", "du lieu", "structure", "de la structure", "etablissement", "fr")
# A header with one of these words is about something else (a département's name is not the name).
OTHER_THINGS = frozenset({"departement", "dept", "dep", "epci", "pays", "contact", "responsable", "referent",
                          "gestionnaire", "porteur", "telephone", "tel", "mail", "email", "courriel", "siret",
                          "siren", "naf", "facebook", "twitter", "linkedin", "instagram"})
EXACT, AFFIXED, CONTAINS = 3, 2, 1
MISFIT = "valeurs qui ne sont pas"  # how a note about values that do not fit a header begins
# An opening year only under a header that says opening or creation; never an update date.
OPENING_WORDS = frozenset({"ouverture", "creation", "ouvert", "ouvre", "fondation", "fonde", "inauguration",
                           "lancement", "opening", "opened", "founded", "depuis", "naissance"})
NOT_OPENING = frozenset({"maj", "mise", "jour", "modification", "modifie", "update", "updated", "actualisation",
                         "actualise", "extraction", "export", "import", "saisie", "fermeture", "fin"})
WEAK_NAME = 0.5  # a name column below this quality (filled × name-like × variety) is said to be weak
CLOSE_CALL = 0.1  # rivals for the name this close in quality are said to be a close call


@dataclass(frozen=True)
class Match:
    """Where one of our columns comes from: the file's header, how it was found, which half of a pair."""

    header: str
    how: str
    part: int | None = None  # 0 = latitude, 1 = longitude of a « lat, lon » column
    why: str = field(default="", compare=False)  # why it won, in French (for `columns FILE`)


@dataclass(frozen=True)
class ColumnMap:
    """Our columns -> the file's, the partner's own columns, and what was decided (FILE_NOTE findings)."""

    matches: dict[str, Match]
    extra: tuple[str, ...]
    notes: tuple[Finding, ...] = field(default=())
    swapped: bool = False  # a « lon, lat » pair column
    evidence: dict[str, Evidence] = field(default_factory=dict, compare=False)  # header -> what its cells show
    # Our column -> a partner column that could serve instead (the fuller name-like one, when the
    # name column has empty cells): what the page suggests when rows are lost.
    alternatives: dict[str, str] = field(default_factory=dict, compare=False)

    def header(self, ours: str) -> str | None:
        """The file's header for one of our columns, None when the file has none."""
        match = self.matches.get(ours)
        return match.header if match else None


def explain(cmap: ColumnMap, frame: pd.DataFrame) -> list[str]:
    """For `columns FILE`: each choice with its evidence (fill rate, three values) and why it won,
    then what was said about the other columns."""
    lines = []
    for ours in COLUMNS:
        match = cmap.matches.get(ours)
        if match is None or (ours == "lon" and cmap.matches.get("lat") == Match(match.header, match.how, 0)):
            continue
        label = "lat, lon" if match.part is not None else ours
        e = cmap.evidence.get(match.header) or evidence(frame[match.header])
        lines.append(f"{label} ← « {match.header} » : {e.describe()} ; retenue : {match.why or match.how}")
    lines += [f.message for f in cmap.notes]
    return lines


def name_level(header: str, alias: str) -> int:
    """How well a header names an alias: EXACT, AFFIXED, CONTAINS or 0."""
    return _level(fold(header), alias)


def _level(words: str, alias: str) -> int:
    # words: a header already folded (each header is folded once, then compared to every alias).
    if words == alias:
        return EXACT
    if not words or set(words.split()) & OTHER_THINGS:
        return 0
    for stripped in _without_affixes(words):
        if stripped == alias:
            return AFFIXED
    # Folded text has single spaces between words: the alias as whole words, without a regex.
    if alias not in EXACT_ONLY and f" {alias} " in f" {words} ":
        return CONTAINS
    return 0


@functools.lru_cache(maxsize=1024)  # one header is compared to every alias: cut it once
def _without_affixes(words: str) -> tuple[str, ...]:
    out = []
    for p in PREFIXES:
        if words.startswith(p + " "):
            out.append(words[len(p) + 1:])
    for s in SUFFIXES:
        if words.endswith(" " + s):
            out.append(words[: -len(s) - 1])
    # Glued prefixes, as in LIBCOM or NOMREG, are in the rules themselves.
    return tuple(out)


def _name_candidates(headers: list[str]) -> list[tuple[int, str, str, int]]:
    # (level, ours, header, alias length) for every header that names one of ours.
    found = []
    folded = {header: fold(header) for header in headers}
    for ours, aliases in _FOLDED_RULES.items():
        for header in headers:
            best = max(((_level(folded[header], a), n) for a, n in aliases), default=(0, 0))
            if best[0]:
                found.append((best[0], ours, header, best[1]))
    return found


def guess_columns(frame: pd.DataFrame, mapping: dict[str, str] | None = None,
                  vocab: Vocabulary | None = None) -> ColumnMap:
    """Our columns in a file's frame: the mapping's, then by header name, then by content (statuses: vocab's)."""
    headers = [str(h) for h in frame.columns]
    matches: dict[str, Match] = {}
    notes: list[Finding] = []
    used: set[str] = set()
    ev = _Evidence(frame)
    for ours, header in (mapping or {}).items():
        found = _header_named(header, headers, ours)
        matches[ours] = Match(found, BY_MAPPING, why="la correspondance le dit")
        used.add(found)
    if matches.get("lat") and matches.get("lon") and matches["lat"].header == matches["lon"].header:
        matches["lat"], matches["lon"] = (Match(matches["lat"].header, BY_MAPPING, 0),
                                          Match(matches["lon"].header, BY_MAPPING, 1))
    _by_name(frame, headers, matches, used, notes, ev, vocab)
    _by_content(frame, headers, matches, used, notes, ev, vocab)
    _weak_name(matches, notes, ev)
    swapped = False
    if "lat" in matches and matches["lat"].part is not None:
        swapped = content.pair_is_lon_lat(frame[matches["lat"].header])
    extra = tuple(h for h in headers if h not in used)
    return ColumnMap(matches, extra, tuple(notes), swapped, ev.known, _alternatives(matches, extra, ev))


def _alternatives(matches: dict[str, Match], extra: tuple[str, ...], ev: _Evidence) -> dict[str, str]:
    # Only when the name column has empty cells (rows that will be lost): the fullest name-like
    # column left to the partner, if it is fuller.
    match = matches.get("name")
    if match is None or ev.filled[match.header] >= len(ev.frame):
        return {}
    fuller = [h for h in extra if ev.filled[h] > ev.filled[match.header] and ev[h].name_like >= WEAK_NAME]
    best = max(fuller, key=lambda h: ev[h].name_quality, default=None)
    return {"name": best} if best else {}


class _Evidence:
    """Each column's evidence, measured when first asked for (most columns never are), and its
    count of filled cells (cheap: asked for every column)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.known: dict[str, Evidence] = {}
        self.filled = {str(h): int((frame[h].str.strip() != "").sum()) for h in frame.columns}

    def __getitem__(self, header: str) -> Evidence:
        if header not in self.known:
            self.known[header] = evidence(self.frame[header])
        return self.known[header]

    def nearly_empty(self, header: str) -> bool:
        """Too few filled cells for the column's content to mean anything (see Evidence.nearly_empty)."""
        rows = len(self.frame)
        count = self.filled[header]
        return count < MIN_FILL * rows or count < min(MIN_VALUES, rows)


def _says_opening(header: str) -> bool:
    words = set(fold(header).split())
    return bool(words & OPENING_WORDS) and not words & NOT_OPENING


def _rival(ours: str, header: str, candidates: list[tuple[int, str, str, int]], used: set[str],
           frame: pd.DataFrame, ev: _Evidence, filled: dict[str, int], vocab: Vocabulary | None = None
           ) -> str | None:
    """A clearly better column for `ours` than `header` among its other name candidates, if any.

    Better: fuller by CLEARLY_FULLER of the rows (for the name: fuller, more name-like, more varied).
    """
    others = [h for _, o, h, _ in candidates if o == ours and h != header and h not in used and filled[h]]
    if ours == "opened":
        others = [h for h in others if _says_opening(h)]
    if not others:
        return None
    rows = max(len(frame), 1)

    def quality(h: str) -> float:  # the name needs its evidence; other columns their fill rate
        return ev[h].name_quality if ours == "name" else filled[h] / rows

    best, best_quality = None, quality(header) + CLEARLY_FULLER
    for other in others:
        if quality(other) >= best_quality and not content.misfit(ours, frame[other], vocab):
            best, best_quality = other, quality(other)
    return best


def _weak_name(matches: dict[str, Match], notes: list[Finding], ev: _Evidence) -> None:
    """Say it when the name column is a weak choice: few filled cells, or values unlike names."""
    match = matches.get("name")
    if match is None or match.how == BY_MAPPING:
        return
    e = ev[match.header]
    if e.name_quality < WEAK_NAME:
        notes.append(Finding(0, match.header, e.examples[0] if e.examples else "",
                             f"colonne lue comme nom, mais peu sûre ({e.describe()}) ; si le nom est "
                             f"ailleurs, ajoutez dans [columns] du fichier de correspondance : "
                             f"name = \"…\"", FILE_WARNING))


def _header_named(header: str, headers: list[str], ours: str) -> str:
    if header in headers:
        return header
    folded = [h for h in headers if fold(h) == fold(header)]
    if folded:
        return folded[0]
    raise DataFileError(f"Correspondance, clé « {ours} » de [columns] : la colonne « {header} » n'est pas "
                        f"dans le fichier. Colonnes lues : {', '.join(headers)}.")


def _by_name(frame: pd.DataFrame, headers: list[str], matches: dict[str, Match], used: set[str],
             notes: list[Finding], ev: _Evidence, vocab: Vocabulary | None = None) -> None:
    position = {h: i for i, h in enumerate(headers)}
    filled = ev.filled
    # Best level first; among contains, the longest alias; then the fuller column, our own
    # spelling, the leftmost.
    candidates = sorted(_name_candidates(headers), key=lambda c: (
        -c[0], -c[3] if c[0] == CONTAINS else 0, -filled[c[2]], fold(c[2]) != c[1], position[c[2]]))
    rivals: dict[str, list[str]] = {}
    for level, ours, header, _ in candidates:
        if header in used:
            continue
        if ours in matches or (ours == COORDINATES and ("lat" in matches or "lon" in matches)):
            if level >= AFFIXED and ours in matches and matches[ours].how == BY_NAME:
                rivals.setdefault(ours, []).append(header)
            continue
        if ours == "opened" and fold(header) != "opened" and not _says_opening(header):
            continue  # « mise_a_jour », « annee » alone: a date, not an opening year
        family = {"lat", "lon", COORDINATES} if ours in ("lat", "lon", COORDINATES) else {ours}
        if not filled[header] and any(o in family and h != header and h not in used and filled[h]
                                      for _, o, h, _ in candidates):
            # An empty column would hide a filled one (an empty « latitude » beside « geo_point »).
            notes.append(Finding(0, header, "", f"colonne vide : non lue comme « {_label(ours)} »", FILE_NOTE))
            used.add(header)  # nor for anything else
            continue
        why = content.misfit(ours, frame[header], vocab)
        if why:
            notes.append(Finding(0, header, why[1], f"{MISFIT} {why[0]} ; colonne gardée telle "
                                 f"quelle, non lue comme « {ours} »", FILE_NOTE))
            continue
        reason = f"en-tête « {header} »"
        better = _rival(ours, header, candidates, used, frame, ev, filled, vocab) if ours != COORDINATES else None
        if better is not None:
            loser, header = header, better
            measure = "remplie et ressemblant à des noms" if ours == "name" else "remplie"
            reason = (f"en-tête « {header} », plus {measure} que « {loser} » "
                      f"({percent(ev[header].filled)} contre {percent(ev[loser].filled)})")
            notes.append(Finding(0, loser, "", f"colonne non lue comme « {_label(ours)} » : « {header} » l'est, "
                                 f"plus remplie ({ev[header].describe()} ; ici {ev[loser].describe()})", FILE_NOTE))
        elif ours == "name":
            close = [h for _, o, h, _ in candidates if o == "name" and h != header and h not in used
                     and filled[h] and abs(ev[h].name_quality - ev[header].name_quality) < CLOSE_CALL]
            if close:
                notes.append(Finding(0, header, "", f"lue comme nom ; « {close[0]} » l'aurait été presque autant "
                                     f"({ev[close[0]].describe()}) : à préciser dans [columns] si besoin",
                                     FILE_NOTE))
        if ours == COORDINATES:
            matches["lat"], matches["lon"] = Match(header, BY_NAME, 0, reason), Match(header, BY_NAME, 1, reason)
        else:
            matches[ours] = Match(header, BY_NAME, why=reason)
        used.add(header)
    for ours, losers in rivals.items():
        for loser in losers:
            if loser not in used:
                notes.append(Finding(0, loser, "", f"colonne gardée telle quelle, car « {matches[ours].header} » "
                                     f"est déjà lue comme « {ours} »", FILE_NOTE))


def _label(ours: str) -> str:
    return "lat, lon" if ours == COORDINATES else ours


def _by_content(frame: pd.DataFrame, headers: list[str], matches: dict[str, Match], used: set[str],
                notes: list[Finding], ev: _Evidence, vocab: Vocabulary | None = None) -> None:
    # An empty or nearly empty column passes every content test: it is never chosen for its content.
    free = [h for h in headers if h not in used and not ev.nearly_empty(h)]
    for ours, header in content.guess(frame, free, {o: m.header for o, m in matches.items()}, vocab,
                                      lambda h: ev[h].name_quality):
        why = f"d'après son contenu ({ev[header].describe()})"
        if ours == COORDINATES:
            matches["lat"], matches["lon"] = Match(header, BY_CONTENT, 0, why), Match(header, BY_CONTENT, 1, why)
        else:
            matches[ours] = Match(header, BY_CONTENT, why=why)
        used.add(header)
        sample = next((v for v in frame[header] if str(v).strip()), "")
        label = "lat, lon" if ours == COORDINATES else ours
        reason = f"colonne lue comme « {label} » d'après son contenu"
        # A header refused for its name's meaning and then read for its content: one note says both.
        refused = [n for n in notes if n.column == header and n.reason.startswith(MISFIT)]
        if refused:
            notes.remove(refused[0])
            reason = refused[0].reason.split(" ; ")[0] + " ; " + reason
        notes.append(Finding(0, header, sample, reason, FILE_NOTE))


assert set(NAME_RULES) == set(COLUMNS) | {COORDINATES}, "every contract column has its rule"
