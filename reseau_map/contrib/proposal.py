"""A proposed place: its fields, their limits, and the moderation states."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

PENDING, ACCEPTED, REFUSED = "en_attente", "acceptee", "refusee"
STATES: dict[str, str] = {PENDING: "En attente", ACCEPTED: "Acceptée", REFUSED: "Refusée"}
# Longest text accepted per field (characters): enough for real places, too short for spam essays.
MAX_LENGTHS: dict[str, int] = {
    "name": 120, "type": 20, "status": 20, "address": 200, "postcode": 5, "city": 100, "insee": 5,
    "precision": 10, "website": 300, "description": 2000, "source_text": 1000, "contact_email": 254,
}
# French labels of the form's fields, used in every message about them.
LABELS: dict[str, str] = {
    "name": "Nom", "type": "Type", "status": "Statut", "address": "Adresse", "postcode": "Code postal",
    "city": "Commune", "website": "Site web", "description": "Description",
    "source_text": "D'où vient cette information ?", "contact_email": "E-mail de contact",
    "lat": "Latitude", "lon": "Longitude", "honeypot": "Champ piège",
}
# Fields the moderator may edit (everything but the moderation record itself).
EDITABLE: tuple[str, ...] = ("name", "type", "status", "address", "postcode", "city", "insee", "lat", "lon",
                             "precision", "website", "description", "source_text", "contact_email")


@dataclass(frozen=True)
class Proposal:
    """The cleaned fields of a proposed place (contact_email is private: never shown nor exported)."""

    name: str
    type: str
    status: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    insee: str = ""
    lat: float | None = None
    lon: float | None = None
    precision: str = ""
    website: str = ""
    description: str = ""
    source_text: str = ""
    contact_email: str = ""

    def as_row(self) -> dict[str, object]:
        """The fields as a plain dict, ready for the database."""
        return asdict(self)


PLACE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Proposal))
