"""Every French commune, offline: homonyms told apart by INSEE code, postcode or département.

Data: `data/communes.csv.gz`, built by `python -m tools.build.communes` from INSEE COG 2026
(Licence Ouverte), the six overseas collectivities included; each commune's point is its town
(GeoNames, CC BY 4.0; overseas gaps from countries-states-cities, ODbL), else the centre of its
2018 area (IGN Admin Express, Licence Ouverte). With a postcode, only the postcode's communes and
its département are candidates (`resolve`): a name found elsewhere never moves a row away.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from reseau_map.core.text import ARTICLES, place_key, strip_accents
from reseau_map.geo.commune_file import (
    DATA_FILE,
    DEPARTMENT,
    FORMER,
    INSEE,
    KEY,
    KIND,
    KINDS,
    LAT,
    LON,
    NAME,
    PARENT,
    POINT,
    POPULATION,
    POSTCODES,
    REGION,
    PointSource,
    paused_gc,
    read_rows,
)
from reseau_map.geo.commune_query import CommuneQuery, arrondissement_of, clean_insee
from reseau_map.geo.regions import COLLECTIVITIES, REGIONS

KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS.values())}
MERGED_KINDS = frozenset({"deleguee", "associee"})
# Overseas regions, kept here rather than in regions.py whose REGIONS lists the 13
# metropolitan regions that have outlines on the map.
OVERSEAS_REGIONS = {"01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion",
                    "06": "Mayotte"}
REGION_NAMES = {**REGIONS, **OVERSEAS_REGIONS, **COLLECTIVITIES}
# How a commune was decided, surest first; « closest » is the nearest name among the communes
# of the row's postcode (or département) when none has the row's name.
HOW = ("insee", "postcode", "department", "closest", "name_unique", "population")
# Notes that say a doubt (the place may be wrong), not a mere reading of the text.
DOUBT_MARKS = ("commune ambiguë", "ne concordent pas", "introuvable", "inconnu", "désigne")
CLOSEST_CUTOFF = 80  # rapidfuzz token-set score for a name among a département's communes
NAME_IN_COMMON = 60  # below this score among a postcode's communes, its main commune is taken instead
SUGGEST_CUTOFF = 75  # rapidfuzz ratio, 0-100
VOWELS = frozenset("aeiouyh")  # « d'Hérouville »: mute h elides too (a few aspirated h do not)
KEY_CHECK_EVERY = 997  # rows whose stored key is recomputed at load, to catch a stale file
__all__ = ["DATA_FILE", "Commune", "CommuneMatch", "Communes", "PointSource", "load_communes",
           "read_communes"]


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune, commune déléguée / associée or arrondissement municipal, with its point."""

    insee: str
    name: str
    kind: str
    parent: str
    department: str
    region: str
    postcodes: tuple[str, ...]
    population: int
    lat: float
    lon: float
    point: str


@dataclass(frozen=True, slots=True)
class CommuneMatch:
    """A resolved commune, how it was decided (one of HOW), its homonym count and a French note."""

    entry: Commune
    how: str
    homonyms: int
    note: str = ""

    @property
    def doubtful(self) -> bool:
        """Whether the note says the commune may be the wrong one (not merely how its name was read)."""
        return any(mark in self.note for mark in DOUBT_MARKS)


class Communes:
    """Lookups by INSEE code, postcode, département and name over the French communes."""

    def __init__(self, rows: Sequence[Sequence[str]]) -> None:
        # Rows stay lists of strings; a Commune is built only for an answer (fast loading).
        self._rows = rows
        self._codes = [row[INSEE] for row in rows]
        self._parents = [row[PARENT] for row in rows]
        self._keys = [row[KEY] for row in rows]
        count = len(rows)
        # The file is sorted by code then kind: the first row of a code is its commune in force.
        self._by_code = dict(zip(reversed(self._codes), range(count - 1, -1, -1), strict=True))
        self._check_keys()
        self._index()

    # Columns and indexes that only some queries need: built on first use (fast loading).

    @functools.cached_property
    def _names(self) -> list[str]:
        return [row[NAME] for row in self._rows]

    @functools.cached_property
    def _kinds(self) -> list[str]:
        return [row[KIND] for row in self._rows]

    @functools.cached_property
    def _deps(self) -> list[str]:
        return [row[DEPARTMENT] for row in self._rows]

    @functools.cached_property
    def _postcodes(self) -> list[str]:
        return [row[POSTCODES] for row in self._rows]

    @functools.cached_property
    def _population(self) -> list[int]:
        return [int(row[POPULATION] or 0) for row in self._rows]

    @functools.cached_property
    def _former(self) -> dict[str, int]:
        """Code of a merged commune -> the commune it was merged into."""
        return {old: i for i, row in enumerate(self._rows) if row[FORMER]
                for old in row[FORMER].split("|")}

    @functools.cached_property
    def _by_exact_name(self) -> dict[str, list[int]]:
        """Entries by their name exactly as INSEE writes it (« Saint-Étienne »): the fast path."""
        index: defaultdict[str, list[int]] = defaultdict(list)
        for i, name in enumerate(self._names):
            index[name].append(i)
        return dict(index)

    @functools.cached_property
    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """Every entry's latitude and longitude, as arrays in entry order."""
        return (np.fromiter((float(r[LAT]) for r in self._rows), float, len(self._rows)),
                np.fromiter((float(r[LON]) for r in self._rows), float, len(self._rows)))

    @functools.cached_property
    def areas(self) -> tuple[np.ndarray, np.ndarray]:
        """Every entry's postcode area (its département as postcodes begin: « 20 » for Corsica) and
        INSEE code, as arrays in entry order."""
        areas = ["20" if d in ("2A", "2B") else d for d in self._deps]
        return np.asarray(areas, dtype=object), np.asarray(self._codes, dtype=object)

    @functools.cached_property
    def departments(self) -> np.ndarray:
        """Every entry's département code, as an array in entry order."""
        return np.asarray(self._deps, dtype=object)

    def named_like(self, text: str) -> list[int]:
        """Entry numbers of the communes a city text may name: its exact name, else its key's homonyms."""
        found = self._by_exact_name.get(text)
        return found if found is not None else self._by_name.get(place_key(text), [])

    def entry(self, i: int) -> Commune:
        """The entry of that number (see named_like)."""
        return self._entry(i)

    def _check_keys(self) -> None:
        for i in range(0, len(self._keys), KEY_CHECK_EVERY):
            if place_key(self._rows[i][NAME]) != self._keys[i]:  # place_key() changed since the build
                self._keys = [place_key(row[NAME]) for row in self._rows]
                return

    def _index(self) -> None:
        by_name: defaultdict[str, list[int]] = defaultdict(list)
        for i, (key, parent_code) in enumerate(zip(self._keys, self._parents, strict=True)):
            # A chef-lieu commune déléguée named like its commune nouvelle is the same place.
            if not parent_code or self._keys[self._by_code.get(parent_code, i)] != key:
                by_name[key].append(i)
        self._by_name = dict(by_name)

    @functools.cached_property
    def _by_postcode(self) -> dict[str, list[int]]:
        index: defaultdict[str, list[int]] = defaultdict(list)
        for i, postcodes in enumerate(self._postcodes):
            if "|" in postcodes:
                for postcode in postcodes.split("|"):
                    index[postcode].append(i)
            elif postcodes:
                index[postcodes].append(i)
        merged = (i for i, kind in enumerate(self._kinds) if kind in MERGED_KINDS)
        for i in merged:
            parent = self._by_code.get(self._parents[i])
            if parent is not None and self._postcodes[parent]:
                # An old commune is reached through its commune nouvelle's postcodes.
                for postcode in self._postcodes[parent].split("|"):
                    index[postcode].append(i)
        return dict(index)

    @functools.cached_property
    def _by_department(self) -> dict[str, list[int]]:
        index: defaultdict[str, list[int]] = defaultdict(list)
        for i, department in enumerate(self._deps):
            index[department].append(i)
        return dict(index)

    @functools.cached_property
    def _arrondissements(self) -> dict[tuple[str, int], int]:
        found = ((arrondissement_of(self._keys[i]), i) for i in self._children_of_all())
        return {number: i for number, i in found if number}

    @functools.cached_property
    def _children(self) -> dict[str, list[int]]:
        children: dict[str, list[int]] = {}
        for i in self._children_of_all():
            children.setdefault(self._parents[i], []).append(i)
        return children

    def _children_of_all(self) -> list[int]:
        return [i for i, kind in enumerate(self._kinds) if kind == "arrondissement"]

    @functools.cached_property
    def _sorted_keys(self) -> list[str]:
        return sorted(self._by_name)

    @functools.cached_property
    def _keys_by_length(self) -> tuple[list[str], list[int]]:
        """Unique keys sorted by length, and their lengths: suggest() scans plausible ones."""
        keys = sorted(self._by_name, key=len)
        return keys, [len(k) for k in keys]

    def _entry(self, i: int) -> Commune:
        row = self._rows[i]
        return Commune(
            row[INSEE], row[NAME], row[KIND], row[PARENT], row[DEPARTMENT],
            REGION_NAMES.get(row[REGION], ""),
            tuple(row[POSTCODES].split("|")) if row[POSTCODES] else (), self._population[i],
            float(row[LAT]), float(row[LON]), row[POINT],
        )

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Commune]:
        """Every entry, sorted by INSEE code then kind."""
        return (self._entry(i) for i in range(len(self._rows)))

    def _rank(self, i: int) -> tuple[int, int, str]:
        return KIND_RANK[self._kinds[i]], -self._population[i], self._codes[i]

    def by_insee(self, code: str) -> Commune | None:
        """The commune (or arrondissement) of that INSEE code, a commune in force first."""
        found = self._by_code.get(clean_insee(code))
        return None if found is None else self._entry(found)

    def parent(self, entry: Commune) -> Commune | None:
        """The commune an arrondissement or a commune déléguée / associée belongs to."""
        return self.by_insee(entry.parent) if entry.parent else None

    def resolve(self, city: str, postcode: str = "", insee: str = "", department: str = "",
                region: str = "") -> CommuneMatch | None:
        """The commune meant by a row: INSEE code, then postcode (and its département), then
        the département, the region, population.

        With a postcode, only the communes of that postcode and of its département are
        candidates: a name found elsewhere never moves the row to another département.
        """
        code = clean_insee(insee)
        query = CommuneQuery.parse(city, postcode, department)
        if code:
            found = self._resolve_insee(code)
            if found:
                return self._checked_against_name(found, query)
        if query.arrondissement and query.arrondissement in self._arrondissements:
            return self._match([self._arrondissements[query.arrondissement]], "name_unique", query)
        if query.postcode:
            return self._by_postcode_first(query)
        named = self._named(query)
        departments = self._departments(query)
        if departments:
            chosen = [i for i in named if self._deps[i] in departments]
            if chosen:
                return self._match(chosen, "department", query)
            prefixed = [i for i in self._prefixed(query.key)
                        if self._deps[i] in departments]
            if len(prefixed) == 1:
                return self._match(prefixed, "department", query, self._read_as(query, prefixed[0]))
            closest = self._closest(query, self._in_departments(departments), CLOSEST_CUTOFF)
            if closest is not None:
                return self._match([closest], "closest", query, self._found_as(query, closest, departments))
        in_region = [i for i in named if region and REGION_NAMES.get(self._rows[i][REGION]) == region]
        if in_region and len(in_region) < len(named):
            return self._match(in_region, "name_unique" if len(in_region) == 1 else "population", query)
        if named:
            how = "name_unique" if len(named) == 1 else "population"
            return self._match(named, how, query, self._mismatch(query, departments))
        return None

    def _by_postcode_first(self, query: CommuneQuery) -> CommuneMatch | None:
        """The commune of a row with a postcode, among that postcode's communes and its département's."""
        in_postcode = self._by_postcode.get(query.postcode, [])
        if not query.key:
            return self._match(in_postcode, "postcode", query) if in_postcode else None
        allowed = set(in_postcode)
        named = self._named(query, allowed)
        if named:
            return self._match(named, "postcode", query)
        prefixed = [i for i in self._prefixed(query.key) if i in allowed]
        if len(prefixed) == 1:  # « Cesson » 35510 is Cesson-Sévigné; « Grigny » 69520 renamed
            return self._match(prefixed, "postcode", query, self._read_as(query, prefixed[0]))
        departments = self._departments(query)
        in_departments = self._in_departments(departments)
        named = self._named(query, set(in_departments))
        if named:  # a CEDEX code, or the postcode of a neighbour in the same département
            note = "" if not in_postcode else f"le code postal {query.postcode} n'est pas celui de " \
                f"{self._names[min(named, key=self._rank)]}"
            return self._match(named, "department", query, note)
        elsewhere = [i for i in self._named(query) if self._deps[i] not in departments]
        if in_postcode:
            closest = self._closest(query, in_postcode, NAME_IN_COMMON)
            if closest is None:  # no name alike: the postcode's main commune
                closest = min(in_postcode, key=self._rank)
            return self._match([closest], "closest", query, self._found_as(query, closest, departments, elsewhere))
        closest = self._closest(query, in_departments, CLOSEST_CUTOFF)
        if closest is not None:
            return self._match([closest], "closest", query, self._found_as(query, closest, departments, elsewhere))
        if elsewhere:  # an unknown postcode (a typo?) and a name known in another département only
            where = ", ".join(sorted(departments))
            return self._match(elsewhere, "population", query,
                               f"le code postal {query.postcode} et la commune « {query.text.strip()} » ne "
                               f"concordent pas : aucune commune de ce nom dans le département {where}")
        return None

    def _in_departments(self, departments: set[str]) -> list[int]:
        return [i for d in sorted(departments) for i in self._by_department.get(d, [])]

    def _closest(self, query: CommuneQuery, among: list[int], cutoff: float) -> int | None:
        """The entry among `among` whose name is nearest the query's (words in common first)."""
        from rapidfuzz import fuzz

        best, best_score = None, (cutoff, 0.0)
        for i in among:
            key = self._keys[i]
            score = (fuzz.token_set_ratio(query.key, key), fuzz.ratio(query.key, key))
            if score > best_score or (best is None and score[0] >= cutoff):
                best, best_score = i, score
        return best

    def _found_as(self, query: CommuneQuery, i: int, departments: set[str], elsewhere: Sequence[int] = ()) -> str:
        where = f"code postal {query.postcode}" if query.postcode else "département " + ", ".join(sorted(departments))
        alike = fuzz_score(query.key, self._keys[i]) >= NAME_IN_COMMON
        note = f"commune « {query.text.strip()} » introuvable au {where} : " + (
            f"la plus proche par le nom, {self._names[i]}, est retenue" if alike else
            f"sa commune principale, {self._names[i]}, est retenue")
        if elsewhere:
            other = min(elsewhere, key=self._rank)
            note += (f" ; le code postal et la commune ne concordent pas ({self._names[other]} est dans le "
                     f"département {self._deps[other]})")
        return note

    def _resolve_insee(self, code: str) -> CommuneMatch | None:
        found = self._by_code.get(code)
        if found is not None:
            return self._match([found], "insee")
        if code in self._former:  # a merged commune: its commune déléguée if it has one
            merged = self._former[code]
            note = (f"code INSEE {code} d'une ancienne commune, intégrée à {self._names[merged]} "
                    f"({self._deps[merged]})")
            return self._match([merged], "insee", note=note)
        return None

    def _checked_against_name(self, found: CommuneMatch, query: CommuneQuery) -> CommuneMatch:
        """The INSEE code wins, but a city column naming another place, or a postcode of another
        département, is worth a note."""
        entry = found.entry
        if (query.postcode and query.postcode not in entry.postcodes
                and entry.department not in self._departments(query)):
            note = (f"le code INSEE {entry.insee} ({entry.name}, {entry.department}) et le code postal "
                    f"{query.postcode} ne concordent pas")
            found = replace(found, note=" ; ".join(filter(None, (found.note, note))))
        if not query.key or query.arrondissement:
            return found
        related = {found.entry.insee, found.entry.parent} - {""}
        if any(self._codes[i] in related or self._parents[i] in related
               for i in self._named(query) + self._prefixed(query.key)):
            return found
        note = f"le code INSEE {found.entry.insee} désigne {found.entry.name}, pas « {query.text.strip()} »"
        return replace(found, note=" ; ".join(filter(None, (found.note, note))))

    def _named(self, query: CommuneQuery, allowed: set[int] | None = None) -> list[int]:
        """Entries of that name (among `allowed`, if given): as typed, then with a leading article
        dropped or added (« Percy » 38930 is Le Percy, not Percy in the Manche)."""
        for key in query.name_keys():
            first, _, rest = key.partition(" ")
            variants = [key, rest if first in ARTICLES else "",
                        *(f"{article} {key}" for article in ARTICLES[:3]), f"l{key}"]
            for variant in filter(None, variants):
                found = self._by_name.get(variant, [])
                if allowed is not None:
                    found = [i for i in found if i in allowed]
                if found:
                    return found
        return []

    def _prefixed(self, key: str) -> list[int]:
        """Entries whose name starts with these words: « grigny » -> « grigny sur rhone »."""
        if len(key) < 3:
            return []
        start = bisect.bisect_left(self._sorted_keys, key + " ")
        end = bisect.bisect_left(self._sorted_keys, key + "!")  # "!" sorts right after " "
        return [i for k in self._sorted_keys[start:end] for i in self._by_name[k]]

    def _departments(self, query: CommuneQuery) -> set[str]:
        if query.department:
            return {query.department}
        if not query.postcode:
            return set()
        known = {self._deps[i] for i in self._by_postcode.get(query.postcode, [])}
        if known:
            return known
        prefix = query.postcode[:3] if query.postcode.startswith(("97", "98")) else query.postcode[:2]
        return {"2A", "2B"} if prefix == "20" else {prefix}  # a CEDEX code: its first digits

    def _match(self, found: list[int], how: str, query: CommuneQuery | None = None,
               note: str = "") -> CommuneMatch:
        communes = {self._codes[i] for i in found if self._kinds[i] == "commune"}
        # Paris and Paris 8e, or a commune nouvelle and its old communes, are one choice.
        found = [i for i in found if self._kinds[i] == "commune" or self._parents[i] not in communes]
        best = min(found, key=self._rank)
        notes = [note] if note else []
        if len(found) > 1:
            what = "communes portent ce nom" if how == "population" else "communes possibles"
            notes.append(f"commune ambiguë : {len(found)} {what} ; la plus peuplée est retenue")
        if query is not None and query.postcode:
            best = self._arrondissement_by_postcode(best, query.postcode)
        entry = self._entry(best)
        if entry.kind in MERGED_KINDS and (parent := self.parent(entry)):
            verb = "associée à" if entry.kind == "associee" else "intégrée à"
            notes.append(f"ancienne commune {of(entry.name)}, {verb} {parent.name} ({parent.department})")
        homonyms = len(self._by_name.get(self._keys[best], [best]))
        return CommuneMatch(entry, how, homonyms, " ; ".join(notes))

    def _arrondissement_by_postcode(self, i: int, postcode: str) -> int:
        """Paris, Lyon, Marseille: the arrondissement of that postcode rather than the city."""
        inside = [c for c in self._children.get(self._codes[i], [])
                  if postcode in self._postcodes[c].split("|")]
        return inside[0] if len(inside) == 1 else i

    def _read_as(self, query: CommuneQuery, i: int) -> str:
        return f"« {query.text.strip()} » lu comme « {self._names[i]} »"

    def _mismatch(self, query: CommuneQuery, departments: set[str]) -> str:
        if query.postcode:
            return f"le code postal {query.postcode} ne correspond à aucune commune de ce nom"
        if departments:
            return f"aucune commune de ce nom dans le département {query.department}"
        return ""

    def suggest(self, text: str, n: int = 5) -> list[str]:
        """Up to n commune names close to an unknown one, the closest first."""
        from rapidfuzz import fuzz, process

        key = place_key(text)
        if not key:
            return []
        # ratio = 2·common / (len a + len b) >= c bounds the other key's length: scan only those.
        c = SUGGEST_CUTOFF / 100
        keys, lengths = self._keys_by_length
        low = bisect.bisect_left(lengths, math.ceil(len(key) * c / (2 - c)))
        high = bisect.bisect_right(lengths, math.floor(len(key) * (2 - c) / c))
        found = process.extract(key, keys[low:high], scorer=fuzz.ratio,
                                limit=n * 2, score_cutoff=SUGGEST_CUTOFF)
        names: list[str] = []
        for matched, _, _ in found:
            name = self._names[min(self._by_name[matched], key=self._rank)]
            if name not in names:
                names.append(name)
        return names[:n]


def fuzz_score(a: str, b: str) -> float:
    """How much two name keys have in common, 0-100 (rapidfuzz token-set ratio)."""
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(a, b)


def of(name: str) -> str:
    """French « de » before a name: « d'Arbignieu », « du Havre », « de Rennes »."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    return ("d'" if strip_accents(name[:1]).lower() in VOWELS else "de ") + name


def read_communes(path: Path) -> Communes:
    """Communes from the gzipped CSV that tools.build.communes writes."""
    with paused_gc():
        return Communes(read_rows(path))


@functools.cache
def load_communes() -> Communes:
    """The packaged communes file, read once per process."""
    return read_communes(DATA_FILE)
