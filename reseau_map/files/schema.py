"""Our contract for a places file: the columns, the vocabularies, and the values people type for them."""

from __future__ import annotations

from functools import cache

from reseau_map.core.text import fold

COLUMNS: tuple[str, ...] = (
    "id", "name", "type", "status", "address", "postcode", "insee", "city", "region", "lat", "lon",
    "precision", "opened", "website", "description", "source",
)
REQUIRED: tuple[str, ...] = ("name",)
TYPES: dict[str, str] = {"cantine": "Cantine", "lieu_associe": "Lieu associé", "autre": "Autre lieu cité"}
DEFAULT_TYPE = "autre"  # the type of a place whose file says nothing we recognise
STATUSES: dict[str, str] = {"ouvert": "Ouvert", "en_projet": "En projet"}
PRECISIONS: dict[str, str] = {"adresse": "Adresse", "ville": "Ville"}
NOT_GIVEN = "non renseigné"
ROW = "_row"  # the loader's line-number column (the geocoder and the CLI read it)
TYPE_SOURCE = "type_source"  # where a type value we do not know is kept
YEAR_RANGE = (1900, 2100)
# Values people type for our vocabularies (compared after folding).
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "type": {"lieu associe": "lieu_associe", "lieux associes": "lieu_associe", "associe": "lieu_associe",
             "cantine numerique": "cantine", "cantines": "cantine", "autre lieu cite": "autre"},
    "status": {"ouverte": "ouvert", "ouverts": "ouvert", "en projet": "en_projet", "projet": "en_projet"},
    "precision": {"commune": "ville", "municipalite": "ville", "numero": "adresse", "rue": "adresse",
                  "adresse postale": "adresse"},
}
VOCABULARIES: dict[str, dict[str, str]] = {"type": TYPES, "status": STATUSES, "precision": PRECISIONS}


@cache
def vocabulary(column: str) -> dict[str, str]:
    """Folded spelling -> our value, for a column with a vocabulary (type, status, precision); do not mutate."""
    vocab = VOCABULARIES[column]
    allowed = {fold(k): k for k in vocab} | {fold(v): k for k, v in vocab.items()}
    return allowed | {fold(k): v for k, v in VALUE_ALIASES.get(column, {}).items()}


def normalised(column: str, text: str) -> str | None:
    """Our value for what a cell says ("" for an empty cell), None when it is not in the vocabulary."""
    key = fold(text)
    return vocabulary(column).get(key) if key else ""
