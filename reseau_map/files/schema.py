"""Our contract for a places file: the columns, the vocabularies, and the values people type for them.

The type and status vocabularies are the network's (files/vocabulary.py); what reads a file
before its network is known (the first line: headers or data?) uses the neutral one.
"""

from __future__ import annotations

from functools import cache

from reseau_map.core.text import fold
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary

COLUMNS: tuple[str, ...] = (
    "id", "name", "type", "status", "address", "postcode", "insee", "city", "region", "lat", "lon",
    "precision", "opened", "website", "description", "source",
)
REQUIRED: tuple[str, ...] = ("name",)
DEFAULT_TYPE = neutral_vocabulary().fallback_type  # the type of a place whose file says nothing we recognise
PRECISIONS: dict[str, str] = {"adresse": "Adresse", "ville": "Ville"}
NOT_GIVEN = "non renseigné"
ROW = "_row"  # the loader's line-number column (the geocoder and the CLI read it)
TYPE_SOURCE = "type_source"  # where a type value we do not know is kept
CATEGORIES = "categories"  # every category of a place whose cell lists several, ids joined by "|"
# The ids of places proposed on the site and accepted (contrib/accepted.py): their source is their own
# sentence (« Proposé le …, accepté le … »), never the network's.
PROPOSED_ID_PREFIX = "proposition-"
YEAR_RANGE = (1900, 2100)
# The largest places file read (the README says it): a 200 MB CSV reads in about a minute; past
# this, memory (about ten bytes per byte of text once split into cells) gives out before patience.
MAX_PLACES_BYTES = 256 << 20
TERMS = ("type", "status")  # the columns whose values are the network's vocabulary
# Values people type for our precision (compared after folding).
PRECISION_ALIASES: dict[str, str] = {"commune": "ville", "municipalite": "ville", "numero": "adresse",
                                     "rue": "adresse", "adresse postale": "adresse"}


@cache
def vocabulary(column: str, vocab: Vocabulary | None = None) -> dict[str, str]:
    """Folded spelling -> our value, for a column with a vocabulary (type, status, precision); do not mutate."""
    if column in TERMS:
        return (vocab or neutral_vocabulary()).spellings(column)
    allowed = {fold(k): k for k in PRECISIONS} | {fold(v): k for k, v in PRECISIONS.items()}
    return allowed | {fold(k): v for k, v in PRECISION_ALIASES.items()}


def normalised(column: str, text: str, vocab: Vocabulary | None = None) -> str | None:
    """Our value for what a cell says ("" for an empty cell), None when it is not in the vocabulary."""
    key = fold(text)
    return vocabulary(column, vocab).get(key) if key else ""
