"""The network's vocabulary: its types of places and its statuses, as one frozen value.

Every word the map says about a kind of place or a status comes from here, and nowhere else:
the schema reads a file's values with it, the form offers its choices, the view its filters and
`?type=`, the legend and the markers their colours, the tour its order, the figures, the list,
the cards and the published site their labels and plurals. It is read from the network file's
[vocabulary] table (see data/network.toml):

    [vocabulary]         default_types = ["…"]   fallback_type = "…"   (the type of what we cannot read)
    [[vocabulary.types]]     id, label, plural, colour (#RRGGBB), shape, order, aliases, group
    [[vocabulary.statuses]]  id, label, plural, meaning (open, project, closed, unknown), order, aliases
    [vocabulary.unknown_status]  label, plural: how a place whose file gives no status is said
    [vocabulary]         private_columns = ["…"]   (a places file's columns never shown: files/privacy.py)

A network file without one gets the neutral vocabulary: for now the packaged network's types
and statuses, every type shown. What a places file holds beyond its network's vocabulary (its own
categories, its statuses) is read by files/categories.py and files/statuses.py, which extend it.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from reseau_map.core.errors import DataFileError
from reseau_map.core.settings import DATA_DIR
from reseau_map.core.text import fold, french_number

PACKAGED_NETWORK = DATA_DIR / "network.toml"
OPEN, PROJECT, CLOSED, UNKNOWN = "open", "project", "closed", "unknown"
MEANINGS: tuple[str, ...] = (OPEN, PROJECT, CLOSED, UNKNOWN)  # also the order of the tour
# Marker shapes (static/places.js draws them): with a colour each, categories stay apart in greyscale
# and to a colour-blind eye.
# The last one, an X, is never given by frequency: a closed place is crossed out (static/places.js).
SHAPES: tuple[str, ...] = ("circle", "square", "diamond", "triangle", "star", "hexagon", "triangle_down",
                           "pentagon", "plus", "triangle_left", "cross")
# The filter's (and the URL's) value for the places whose file gives no status ("" in the data).
UNKNOWN_STATUS = "non_renseigne"
UNKNOWN_LABEL, UNKNOWN_PLURAL = "Statut non renseigné", "au statut non renseigné"
# Okabe–Ito, for a type whose network file gives no colour: told apart by the common colour deficiencies.
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#CC79A7", "#009E73", "#E69F00", "#56B4E9", "#000000")
OTHER_COLOUR = "#777777"  # a value no type of the vocabulary names
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
ID_CHARS = re.compile(r"[^a-z0-9]+")
TYPE_KEYS = frozenset({"id", "label", "plural", "colour", "shape", "order", "aliases", "group"})
STATUS_KEYS = frozenset({"id", "label", "plural", "meaning", "order", "aliases"})
TABLE_KEYS = frozenset({"types", "statuses", "default_types", "fallback_type", "unknown_status", "private_columns"})


@dataclass(frozen=True)
class PlaceType:
    """A type of place: its id in the data, how people read it, how the map draws it."""

    id: str
    label: str  # « Lieu associé »: a badge, a legend line, a filter's choice
    plural: str  # « lieux associés »: in a sentence, after a count
    colour: str
    shape: str = "circle"
    order: int = 0
    aliases: tuple[str, ...] = ()  # other spellings people type (compared folded)
    group: str = ""  # the legend's line it shares with others (« Autres catégories »), "" for its own


@dataclass(frozen=True)
class Status:
    """A status a place can have, and what it means (open, project, closed, unknown)."""

    id: str
    label: str
    plural: str
    meaning: str
    order: int = 0
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """A network's types and statuses, ordered, with what a file may call them."""

    types: tuple[PlaceType, ...]
    statuses: tuple[Status, ...]
    default_types: tuple[str, ...] = ()  # shown before any filter; () = every type
    fallback_type: str = ""  # the type of a place whose value we cannot read; "" = the last type
    unknown: Status = field(default=Status(UNKNOWN_STATUS, UNKNOWN_LABEL, UNKNOWN_PLURAL, UNKNOWN))
    declared: bool = True  # a network file's; False for the neutral one (a file's values may replace its types)
    private_columns: tuple[str, ...] = ()  # places files' columns the network marks private

    def __post_init__(self) -> None:
        if not self.types:
            raise DataFileError("Vocabulaire du réseau : aucun type de lieu.")
        object.__setattr__(self, "types", tuple(sorted(self.types, key=lambda t: t.order)))
        object.__setattr__(self, "statuses", tuple(sorted(self.statuses, key=lambda s: s.order)))
        if not self.default_types:
            object.__setattr__(self, "default_types", self.type_ids)
        if not self.fallback_type:
            object.__setattr__(self, "fallback_type", self.types[-1].id)

    # Types.
    @property
    def type_ids(self) -> tuple[str, ...]:
        """The types' ids, in order."""
        return tuple(t.id for t in self.types)

    @property
    def type_labels(self) -> dict[str, str]:
        """Type id -> label, in order."""
        return {t.id: t.label for t in self.types}

    def place_type(self, value: str) -> PlaceType | None:
        """The type with this id, None for a value the vocabulary does not have."""
        return next((t for t in self.types if t.id == value), None)

    def type_label(self, value: str) -> str:
        """A type's label; a value the vocabulary does not have, as written."""
        found = self.place_type(value)
        return found.label if found else value

    def type_plural(self, value: str) -> str:
        """A type's plural (« lieux associés »); a value the vocabulary does not have, as written."""
        found = self.place_type(value)
        return found.plural if found else value

    def colour(self, value: str) -> str:
        """A type's colour (grey for a value the vocabulary does not have)."""
        found = self.place_type(value)
        return found.colour if found else OTHER_COLOUR

    @property
    def type_rank(self) -> dict[str, int]:
        """Type id -> its rank in the vocabulary's order (0 first)."""
        return {t.id: i for i, t in enumerate(self.types)}

    # Statuses. The data holds a status id or "" (not given); filters and the URL say UNKNOWN_STATUS for "".
    @property
    def status_ids(self) -> tuple[str, ...]:
        """The declared statuses' ids, in order (the values the data holds, besides "")."""
        return tuple(s.id for s in self.statuses)

    @property
    def status_labels(self) -> dict[str, str]:
        """Declared status id -> label, in order."""
        return {s.id: s.label for s in self.statuses}

    @property
    def status_choices(self) -> dict[str, str]:
        """The status filter's choices: the declared statuses, then the unknown one."""
        return self.status_labels | {self.unknown.id: self.unknown.label}

    @property
    def default_statuses(self) -> tuple[str, ...]:
        """The status choices shown before any filter: all but the closed ones (shown on demand)."""
        return tuple(s for s in self.status_choices if self.meaning(s) != CLOSED)

    def status(self, value: str) -> Status | None:
        """The status a data value stands for ("" or UNKNOWN_STATUS: the unknown one), None if not ours."""
        if value in ("", self.unknown.id):
            return self.unknown
        return next((s for s in self.statuses if s.id == value), None)

    def status_label(self, value: str) -> str:
        """A status value's label (« Statut non renseigné » for ""); a value not ours, as written."""
        found = self.status(value)
        return found.label if found else value

    def status_plural(self, value: str) -> str:
        """A status value's plural (« ouverts », « au statut non renseigné »)."""
        found = self.status(value)
        return found.plural if found else value

    def with_meaning(self, meaning: str) -> tuple[str, ...]:
        """The data values of the statuses that mean this (UNKNOWN includes "")."""
        ids = tuple(s.id for s in self.statuses if s.meaning == meaning)
        return ids + ("",) if meaning == UNKNOWN else ids

    def meaning(self, value: str) -> str:
        """What a status value means; a value not ours means UNKNOWN."""
        found = self.status(value)
        return found.meaning if found else UNKNOWN

    @staticmethod
    def data_value(choice: str) -> str:
        """The data value of a status filter's choice (UNKNOWN_STATUS -> "")."""
        return "" if choice == UNKNOWN_STATUS else choice

    # Reading what files and people type.
    def spellings(self, column: str) -> dict[str, str]:
        """Folded spelling -> id, for "type" or "status": ids, labels, plurals and aliases; do not mutate."""
        return _spellings(self, column)

    def read(self, column: str, text: str) -> str | None:
        """Our id for what a cell says ("" for an empty cell), None when the vocabulary does not know it."""
        key = fold(text)
        return self.spellings(column).get(key) if key else ""

    def counted(self, count: int, value: str, column: str = "type") -> str:
        """« 1 cantine », « 5 lieux associés », « 2 ouverts »: a count and its words."""
        found = self.place_type(value) if column == "type" else self.status(value)
        if found is None:
            return f"{french_number(count)} {value}"
        # The unknown status reads the same for one place or many (« 1 au statut non renseigné »).
        many = count > 1 or found is self.unknown
        return f"{french_number(count)} {found.plural if many else _lower_first(found.label)}"


@cache
def _spellings(vocab: Vocabulary, column: str) -> dict[str, str]:
    terms = vocab.types if column == "type" else vocab.statuses
    out: dict[str, str] = {}
    # Ids first, then labels, plurals, aliases: an id always reads as itself.
    for pick in (lambda t: (t.id,), lambda t: (t.label,), lambda t: (t.plural,), lambda t: t.aliases):
        for term in terms:
            for text in pick(term):
                out.setdefault(fold(text), term.id)
    return out


def _lower_first(label: str) -> str:
    # « Ouvert » -> « ouvert » in a sentence; an acronym (« EPN ») and a name (« France services ») keep theirs.
    if fold(label.split(" ", 1)[0]) in NAMES:
        return label
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


# After one of these, a label's words are a complement: « lieux de médiation numérique ».
PREPOSITIONS = frozenset({"de", "du", "des", "d", "a", "au", "aux", "en", "pour", "sur", "avec", "chez", "par"})
PLURAL_AS_IS = frozenset({"bleu", "pneu", "bal", "festival", "carnaval", "chacal", "regal"})  # +s
NAMES = frozenset({"france", "europe", "paris"})  # a label may start with a name: « France services »


def _plural_word(word: str) -> str:
    # « lieu » -> « lieux », « local » -> « locaux », « Fablab » -> « Fablabs »; acronyms (« EPN ») stay.
    head, dash, last = word.rpartition("-")
    if dash:  # « tiers-lieu » -> « tiers-lieux »: the last part carries the plural
        return f"{head}-{_plural_word(last)}"
    folded = fold(word)
    if not folded or word.isupper() and len(word) > 1 or word.endswith(("s", "x", "z")):
        return word
    if folded not in PLURAL_AS_IS and folded.endswith(("au", "eu")):
        return word + "x"
    if folded not in PLURAL_AS_IS and folded.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def french_plural(label: str) -> str:
    """A label's plural in a sentence when the file gives none: « Espace public numérique » ->
    « espaces publics numériques », « Lieu de médiation » -> « lieux de médiation »."""
    words = " ".join(label.split()).split(" ")
    if fold(words[0]) not in NAMES:
        words[0] = _lower_first(words[0])
    out: list[str] = []
    for i, word in enumerate(words):
        folded = fold(word)
        if folded in PREPOSITIONS or word[:2].lower() in ("d'", "d’", "l'", "l’"):
            return " ".join(out + words[i:])
        # A capital inside a label is a name (« France services »): it does not agree.
        out.append(word if word[:1].isupper() and (i or fold(word) in NAMES) else _plural_word(word))
    return " ".join(out)


def tidy_label(spellings: Counter) -> str:
    """A category's label: its most frequent spelling, spaces tidied, shouting lowered (« FABLAB » -> « Fablab »)."""
    # The most frequent; on a tie, one with a capital first, then one that does not shout.
    label = " ".join(max(spellings, key=lambda s: (spellings[s], s[:1].isupper(), not s.isupper(), s)).split())
    if label.isupper() and len(label) > 4:  # an acronym (« EPN », « MJC ») stays as written
        label = label.capitalize()
    return label[:1].upper() + label[1:]


def category_id(label: str, taken: set[str]) -> str:
    """An id for a label (« Tiers-lieu » -> « tiers_lieu »), not one of `taken`."""
    base = ID_CHARS.sub("_", fold(label)).strip("_") or "categorie"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}_{n}", n + 1
    return found


def _text(entry: Mapping, key: str, where: str, default: str = "") -> str:
    value = entry.get(key, default)
    if not isinstance(value, str):
        raise DataFileError(f"{where} : « {key} » doit être un texte entre guillemets (lu : {value!r}).")
    return value.strip()


def _order(entry: Mapping, where: str, position: int) -> int:
    value = entry.get("order", position)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataFileError(f"{where} : « order » doit être un nombre entier (lu : {value!r}).")
    return value


def _aliases(entry: Mapping, where: str) -> tuple[str, ...]:
    value = entry.get("aliases", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where} : « aliases » doit être une liste de textes (lu : {value!r}).")
    return tuple(v.strip() for v in value if v.strip())


def _entries(table: Mapping, key: str, where: str, allowed: frozenset[str]) -> list[tuple[str, Mapping]]:
    entries = table.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataFileError(f"{where} : « {key} » doit être une liste de tables [[vocabulary.{key}]].")
    out, seen = [], set()
    for i, entry in enumerate(entries, start=1):
        ident = _text(entry, "id", f"{where}, [[vocabulary.{key}]] n° {i}")
        here = f"{where}, [[vocabulary.{key}]] « {ident} »"
        if not ident:
            raise DataFileError(f"{where}, [[vocabulary.{key}]] n° {i} : « id » est obligatoire.")
        if ident in seen or ident == UNKNOWN_STATUS:
            raise DataFileError(f"{here} : identifiant déjà utilisé.")
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise DataFileError(f"{here} : clé « {unknown[0]} » inconnue ; clés possibles : "
                                + ", ".join(sorted(allowed)) + ".")
        seen.add(ident)
        out.append((here, entry))
    return out


def parse_vocabulary(table: Mapping, where: str = "réseau") -> Vocabulary:
    """A Vocabulary from a network file's [vocabulary] table; a French DataFileError naming the bad key."""
    if not isinstance(table, dict):
        raise DataFileError(f"Fichier du réseau {where} : « vocabulary » doit être une section [vocabulary].")
    where = f"Fichier du réseau {where}, [vocabulary]"
    unknown = sorted(set(table) - TABLE_KEYS)
    if unknown:
        raise DataFileError(f"{where} : clé « {unknown[0]} » inconnue ; clés possibles : "
                            + ", ".join(sorted(TABLE_KEYS)) + ".")
    types = []
    for i, (here, entry) in enumerate(_entries(table, "types", where, TYPE_KEYS)):
        label = _text(entry, "label", here) or _text(entry, "id", here)
        colour = _text(entry, "colour", here, PALETTE[i % len(PALETTE)])
        if not COLOUR.fullmatch(colour):
            raise DataFileError(f"{here} : couleur « {colour} » invalide ; attendu #RRVVBB (ex. #0072B2).")
        shape = _text(entry, "shape", here, SHAPES[0])
        if shape not in SHAPES:
            raise DataFileError(f"{here} : forme « {shape} » inconnue ; formes possibles : {', '.join(SHAPES)}.")
        types.append(PlaceType(_text(entry, "id", here), label, _text(entry, "plural", here) or french_plural(label),
                               colour.upper(), shape, _order(entry, here, i), _aliases(entry, here),
                               _text(entry, "group", here)))
    if not types:
        raise DataFileError(f"{where} : aucun type de lieu ([[vocabulary.types]]).")
    statuses = []
    for i, (here, entry) in enumerate(_entries(table, "statuses", where, STATUS_KEYS)):
        label = _text(entry, "label", here) or _text(entry, "id", here)
        meaning = _text(entry, "meaning", here, UNKNOWN)
        if meaning not in MEANINGS:
            raise DataFileError(f"{here} : sens « {meaning} » inconnu ; sens possibles : {', '.join(MEANINGS)}.")
        statuses.append(Status(_text(entry, "id", here), label, _text(entry, "plural", here) or french_plural(label),
                               meaning, _order(entry, here, i), _aliases(entry, here)))
    ids = [t.id for t in types]
    shown = table.get("default_types", [])
    if not isinstance(shown, list) or not all(isinstance(t, str) for t in shown):
        raise DataFileError(f"{where} : « default_types » doit être une liste d'identifiants de types.")
    for value in [*shown, table.get("fallback_type", ids[-1])]:
        if value not in ids:
            raise DataFileError(f"{where} : type « {value} » inconnu ; types possibles : {', '.join(ids)}.")
    said = table.get("unknown_status", {})
    if not isinstance(said, dict) or set(said) - {"label", "plural"}:
        raise DataFileError(f"{where} : [vocabulary.unknown_status] ne lit que « label » et « plural ».")
    unknown_status = Status(UNKNOWN_STATUS, _text(said, "label", where, UNKNOWN_LABEL),
                            _text(said, "plural", where, UNKNOWN_PLURAL), UNKNOWN)
    private = table.get("private_columns", [])
    if not isinstance(private, list) or not all(isinstance(c, str) for c in private):
        raise DataFileError(f"{where} : « private_columns » doit être une liste d'en-têtes entre guillemets.")
    return Vocabulary(tuple(types), tuple(statuses), tuple(dict.fromkeys(shown)),
                      str(table.get("fallback_type", "")), unknown_status, private_columns=tuple(private))


@cache
def neutral_vocabulary() -> Vocabulary:
    """The vocabulary of a network that declares none: the packaged network's, every type shown."""
    try:
        table = tomllib.loads(Path(PACKAGED_NETWORK).read_text(encoding="utf-8")).get("vocabulary", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise DataFileError(f"Fichier du réseau illisible : {PACKAGED_NETWORK} ({err}).") from err
    return replace(parse_vocabulary(table, str(PACKAGED_NETWORK)), default_types=(), declared=False)
