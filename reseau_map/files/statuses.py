"""A file's statuses read by what they mean: open, project, closed, or unknown (kept as written).

A value the network's vocabulary reads keeps its status. Else its meaning is looked up in
MEANING_WORDS (« actif », « en activité », « oui » mean open; « à venir » a project; « fermé
définitivement », « cessé » closed): the network's first status of that meaning takes it, or a
status of that meaning is added (« Fermé »). A value of no known meaning becomes a status of its
own, as written, of unknown meaning — up to MAX_AS_WRITTEN of them: a column of free text is not
a status column, and the rest is reported as before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pandas as pd

from reseau_map.core.text import fold
from reseau_map.files.vocabulary import CLOSED, OPEN, PROJECT, UNKNOWN, Status, Vocabulary, category_id, tidy_label

# What people write for a status, folded -> its meaning.
MEANING_WORDS: dict[str, tuple[str, ...]] = {
    OPEN: ("ouvert", "ouverte", "ouverts", "actif", "active", "en activite", "oui", "o", "true", "vrai", "1",
           "open", "en service", "en fonctionnement", "fonctionnel", "existant", "ouvert au public"),
    PROJECT: ("en projet", "projet", "a venir", "en creation", "en cours de creation", "en preparation",
              "bientot", "prochainement", "en construction", "en cours", "futur", "a l etude", "planned"),
    CLOSED: ("ferme", "fermee", "fermes", "ferme definitivement", "fermee definitivement", "inactif", "inactive",
             "cesse", "cessee", "cesse d activite", "a cesse", "non", "n", "false", "faux", "0", "closed",
             "disparu", "ferme temporairement", "en sommeil"),
}
_MEANING_OF = {word: meaning for meaning, words in MEANING_WORDS.items() for word in words}
# The status a meaning adds when the network has none of it: id, label, plural.
ADDED: dict[str, tuple[str, str, str]] = {OPEN: ("ouvert", "Ouvert", "ouverts"),
                                          PROJECT: ("en_projet", "En projet", "en projet"),
                                          CLOSED: ("ferme", "Fermé", "fermés")}
MAX_AS_WRITTEN = 8


def meaning_of(text: str) -> str | None:
    """What a status cell means (OPEN, PROJECT, CLOSED), None when its words are not known."""
    return _MEANING_OF.get(fold(text))


def read_statuses(cells: pd.Series, vocab: Vocabulary) -> Vocabulary:
    """The vocabulary that reads a file's status column: the network's, with what the file's values mean."""
    counts = cells.astype(str).str.strip().value_counts()
    statuses = list(vocab.statuses)
    taken = {s.id for s in statuses} | {vocab.unknown.id}
    aliases: dict[str, list[str]] = {}
    as_written: dict[str, Counter] = {}
    for cell, n in counts.items():
        value = str(cell)
        if not value or vocab.read("status", value):
            continue
        meaning = meaning_of(value)
        if meaning is None:
            as_written.setdefault(fold(value), Counter())[value] += n
            continue
        found = next((s for s in statuses if s.meaning == meaning), None)
        if found is None:
            ident, label, plural = ADDED[meaning]
            found = Status(category_id(ident, taken), label, plural, meaning, _next(statuses))
            taken.add(found.id)
            statuses.append(found)
        aliases.setdefault(found.id, []).append(value)
    for key in sorted(as_written, key=lambda k: -sum(as_written[k].values()))[:MAX_AS_WRITTEN]:
        label = tidy_label(as_written[key])
        # Its words are the file's: said as written in a sentence too (« 3 en attente »).
        found = Status(category_id(label, taken), label, label[:1].lower() + label[1:], UNKNOWN, _next(statuses),
                       tuple(as_written[key]))
        taken.add(found.id)
        statuses.append(found)
    if len(statuses) == len(vocab.statuses) and not aliases:
        return vocab
    statuses = [replace(s, aliases=(*s.aliases, *aliases.get(s.id, ()))) for s in statuses]
    return replace(vocab, statuses=tuple(statuses))


def _next(statuses: list[Status]) -> int:
    return max((s.order for s in statuses), default=0) + 1


def has_statuses(status: pd.Series) -> bool:
    """Whether a catalogue's places say their status (some cell is not empty)."""
    return bool((status.astype(str) != "").any())
