"""Check a proposal: clean and validate each field, locate the commune, warn about likely duplicates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from reseau_map.contrib.proposal import LABELS, MAX_LENGTHS, Proposal
from reseau_map.core.errors import not_found_message, sentence
from reseau_map.core.text import BIDI_CONTROLS, fold, md_escape, place_key
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary
from reseau_map.geo.earth import distances_km

NO_STATUS = "Non renseigné"  # the status choice of a place that does not say
DUPLICATE_KM = 0.2
SIMILAR_NAME = 85  # rapidfuzz token_sort_ratio, 0-100, on folded names
VAGUE_PRECISIONS = frozenset({"ville", "commune", ""})  # a point that only says "somewhere in town"
POSTCODE = re.compile(r"\d{5}")
EMAIL = re.compile(r"[^@\s<>\"'(),;:\\\[\]]+@[^@\s<>\"'(),;:\\\[\]]+\.[A-Za-z]{2,}")
MULTILINE: frozenset[str] = frozenset({"description", "source_text"})
TEXT_FIELDS: tuple[str, ...] = ("name", "type", "status", "address", "postcode", "city", "website",
                                "description", "source_text", "contact_email")

Located = tuple[float, float, str]
Locator = Callable[[str, str], Located | None]
Suggester = Callable[[str], list[str]]


def clean_text(value: object, multiline: bool = False) -> str:
    """The text as typed, minus bidi and control characters; one line unless multiline."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value)).translate(BIDI_CONTROLS)
    text = text.replace("\r\n", "\n").replace("\t", " ")
    kept = "".join(c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf"))
    if not multiline:
        return " ".join(kept.split())
    return "\n".join(" ".join(line.split()) for line in kept.strip().split("\n"))


escape_markdown = md_escape  # one escaping rule for every text shown through Markdown


def commune_locate(city: str, postcode: str) -> Located | None:
    """The commune of a name and/or postcode (homonyms told apart by the postcode), offline."""
    from reseau_map.geo.communes import load_communes

    if not (city.strip() or postcode.strip()):
        return None
    match = load_communes().resolve(city.strip() or postcode.strip(), postcode.strip())
    if match is None:
        return None
    entry = match.entry
    return entry.lat, entry.lon, f"{entry.name} ({entry.department}, {entry.region})"


def commune_suggest(city: str) -> list[str]:
    """Known commune names close to a misspelt one (an index: milliseconds)."""
    from reseau_map.geo.communes import load_communes

    return load_communes().suggest(city) if city.strip() else []


def type_choices(vocab: Vocabulary | None = None) -> dict[str, str]:
    """The form's type choices (id -> label), in the vocabulary's order."""
    return (vocab or neutral_vocabulary()).type_labels


def status_choices(vocab: Vocabulary | None = None) -> dict[str, str]:
    """The form's status choices (id -> label): none, then the vocabulary's."""
    return {"": NO_STATUS, **(vocab or neutral_vocabulary()).status_labels}


# The seams tests replace: the project's own offline chain (communes, postcodes) by default.
locate: Locator = commune_locate
suggest: Suggester = commune_suggest


@dataclass(frozen=True)
class Checked:
    """A checked proposal: the cleaned place (None while there are errors), messages per field."""

    proposal: Proposal | None
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    located: Located | None = None

    @property
    def ok(self) -> bool:
        """Whether the proposal can be sent."""
        return not self.errors


def _say(name: str, text: str) -> str:
    return sentence(f"{LABELS[name]} : {text}")


def _website(value: str) -> tuple[str, str | None]:
    if not value:
        return "", None
    if value.lower().startswith("www."):
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or "." not in parts.netloc \
            or re.search(r"[\s<>\"'`]", value):
        return value, "adresse invalide, elle doit commencer par http://, https:// ou www. (ex. https://exemple.fr)"
    return value, None


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def check(fields: Mapping[str, object], locator: Locator | None = None,
          suggester: Suggester | None = None, vocab: Vocabulary | None = None) -> Checked:
    """Validate a proposal's fields; lat/lon, when given, are a point the user placed on the map."""
    locator, suggester = locator or locate, suggester or suggest
    vocab = vocab or neutral_vocabulary()
    values = {k: clean_text(fields.get(k, ""), k in MULTILINE) for k in TEXT_FIELDS}
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    for name, value in values.items():
        if len(value) > MAX_LENGTHS[name]:
            errors[name] = _say(name, f"{len(value)} caractères, {MAX_LENGTHS[name]} au plus")

    if not values["name"]:
        errors["name"] = _say("name", "obligatoire")
    kind = _choice(values["type"], type_choices(vocab))
    if kind is None:
        errors["type"] = _say("type", f"choisissez parmi : {', '.join(type_choices(vocab).values())}")
    status = _choice(values["status"], status_choices(vocab))
    if status is None:
        errors["status"] = _say("status", f"choisissez parmi : {', '.join(vocab.status_labels.values())} ou rien")

    values["website"], bad_web = _website(values["website"])
    if bad_web:
        errors["website"] = _say("website", bad_web)
    email = values["contact_email"]
    if email and not EMAIL.fullmatch(email):
        errors["contact_email"] = _say("contact_email", f"« {email} » n'est pas une adresse valide "
                                                        "(ex. nom@exemple.fr)")
    elif not email:
        warnings["contact_email"] = _say("contact_email", "sans adresse, la modération ne pourra pas "
                                                          "vous recontacter")
    if not values["source_text"]:
        warnings["source_text"] = _say("source_text", "non renseigné ; une source (site, article, "
                                                      "vous-même) aide la modération")

    postcode, city = values["postcode"], values["city"]
    if postcode and not POSTCODE.fullmatch(postcode):
        errors["postcode"] = _say("postcode", f"« {postcode} » invalide, cinq chiffres attendus (ex. 35000)")
    lat, lon = _number(fields.get("lat")), _number(fields.get("lon"))
    clicked = lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
    found = locator(city, postcode) if (city or postcode) and "postcode" not in errors else None
    if not city and not postcode:
        errors["city"] = _say("city", "indiquez la commune ou le code postal")
    elif found is None and not clicked:
        if city:
            errors["city"] = (not_found_message(city, suggester(city), what="Commune")
                              + " Corrigez-la ou cliquez sur la carte pour placer le lieu.")
        elif "postcode" not in errors:
            errors["city"] = _say("city", "le code postal seul ne suffit pas à placer le lieu ; "
                                          "indiquez la commune ou cliquez sur la carte")
    if clicked:
        precision = "adresse"
    elif found is not None:
        lat, lon, precision = found[0], found[1], "ville"
    else:
        lat, lon, precision = None, None, ""
    if errors:
        return Checked(None, errors, warnings, found)
    proposal = Proposal(
        name=values["name"], type=kind or "", status=status or "", address=values["address"],
        postcode=postcode, city=city, lat=lat, lon=lon, precision=precision, website=values["website"],
        description=values["description"], source_text=values["source_text"], contact_email=email)
    return Checked(proposal, errors, warnings, found)


def _choice(value: str, choices: Mapping[str, str]) -> str | None:
    wanted = fold(value)
    for key, label in choices.items():
        if wanted in (fold(key), fold(label)):
            return key
    return None


@dataclass(frozen=True)
class Duplicate:
    """An existing place the proposal may repeat, and why we think so."""

    id: str
    name: str
    city: str
    reason: str

    @property
    def message(self) -> str:
        """The French warning shown before sending and to the moderator."""
        where = f" ({self.city})" if self.city else ""
        return sentence(f"Doublon possible : « {self.name} »{where} — {self.reason}")


def duplicates(proposal: Proposal, existing: pd.DataFrame) -> list[Duplicate]:
    """Places with the same or a similar name in the same commune, or any place within 200 m."""
    if existing is None or existing.empty:
        return []
    df = existing.reset_index(drop=True)
    found: dict[int, str] = {}
    city = place_key(proposal.city) if proposal.city else ""
    name = fold(proposal.name)
    if city and name:
        same_city = df["city"].fillna("").astype(str).map(place_key) == city
        for i in df.index[same_city]:
            other = fold(df.at[i, "name"])
            # token_set_ratio also catches a short name inside a longer one (« La Cantine »).
            score = max(fuzz.token_sort_ratio(name, other), fuzz.token_set_ratio(name, other))
            if other == name:
                found[i] = "même nom dans la même commune"
            elif score == 100:
                found[i] = "l'un des noms contient l'autre, dans la même commune"
            elif score >= SIMILAR_NAME:
                found[i] = f"nom proche dans la même commune ({score:.0f} %)"
    # Two points placed only at a commune's centre say nothing about being neighbours.
    if proposal.lat is not None and proposal.lon is not None and proposal.precision not in VAGUE_PRECISIONS:
        precise = ~df.get("precision", pd.Series("", index=df.index)).fillna("").isin(VAGUE_PRECISIONS)
        lat = pd.to_numeric(df["lat"], errors="coerce")
        lon = pd.to_numeric(df["lon"], errors="coerce")
        usable = precise & lat.notna() & lon.notna()
        if usable.any():
            km = distances_km(proposal.lat, proposal.lon, lat[usable].to_numpy(), lon[usable].to_numpy())
            for i, dist in zip(df.index[usable], km, strict=True):
                if dist <= DUPLICATE_KM and i not in found:
                    found[i] = f"à {dist * 1000:.0f} m"
    return [Duplicate(str(df.at[i, "id"]), str(df.at[i, "name"]), str(df.at[i, "city"] or ""), reason)
            for i, reason in found.items()]
