"""What a user's commune text says: a name key, a postcode, a département, an arrondissement.

« 35000 RENNES CEDEX », « Cesson-Sévigné (35) », « Paris VIIIe », « Lyon-5E-Arrondissement »:
partners' lists write communes in many ways; this module reads them into one CommuneQuery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reseau_map.core.text import place_key

ARRONDISSEMENT_CITIES = frozenset({"paris", "lyon", "marseille"})
ARRONDISSEMENT_WORDS = frozenset({"arrondissement", "arrondissements", "arrond", "arrdt", "ardt",
                                  "arr", "de"})
MAX_ARRONDISSEMENT = 20
ROMAN = {"i": 1, "v": 5, "x": 10}
SUFFIXES = ("france",)  # "Rennes France": dropped only when the full name is unknown

_POSTCODE = re.compile(r"(?<!\d)(\d{5}|\d{2} \d{3})(?!\d)")
_DEPARTMENT_IN_PARENTHESES = re.compile(r"\(\s*(\d{2,3}|2[abAB])\s*\)")
_CEDEX = re.compile(r"\bcedex(?: \d{1,3})?\b")
_SUR = re.compile(r"\b[sS]/\s*")  # "Chalon s/ Saône"
_PARENTHESES = re.compile(r"\([^)]*\)")
# "8", "08", "8e", "8eme", "1er", "viiie", "ier": the number of an arrondissement.
_ORDINAL = re.compile(r"^(?:(\d{1,2})|([ivx]{1,5}))(?:er|re|e|eme|ieme|nd)?$")
_DEPARTMENT_TOKEN = re.compile(r"^(?:\d{2,3}|2[ab])$")


@dataclass(frozen=True, slots=True)
class CommuneQuery:
    """A commune as typed, read: name key, postcode, département, arrondissement (city, n)."""

    text: str
    key: str
    postcode: str = ""
    department: str = ""
    arrondissement: tuple[str, int] | None = None
    fallbacks: tuple[str, ...] = ()  # keys to try if `key` is unknown

    @classmethod
    def parse(cls, city: str, postcode: str = "", department: str = "") -> CommuneQuery:
        """Read a city text; the postcode and département columns win over what the text says."""
        text = str(city or "")
        rest, found_postcode = _take(_POSTCODE, text)
        rest, found_department = _take(_DEPARTMENT_IN_PARENTHESES, rest)
        key = _key(rest)
        arrondissement = arrondissement_of(key)
        words = key.split()
        # "Saint-Paul 974": a trailing département code (no commune name holds a digit).
        if (arrondissement is None and len(words) > 1 and not found_department
                and _DEPARTMENT_TOKEN.match(words[-1])):
            found_department, key = words[-1], " ".join(words[:-1])
        return cls(
            text=text, key=key,
            postcode=clean_postcode(postcode) or clean_postcode(found_postcode),
            department=clean_department(department) or clean_department(found_department),
            arrondissement=arrondissement, fallbacks=_fallbacks(rest, key),
        )

    def name_keys(self) -> list[str]:
        """Keys to look up, best first: as typed, then the fallbacks."""
        return [k for k in (self.key, *self.fallbacks) if k]


def _key(text: str) -> str:
    """place_key() of a city text, « CEDEX 08 » dropped, « s/ » read as « sur »."""
    return " ".join(_CEDEX.sub(" ", place_key(_SUR.sub("sur ", text))).split())


def _fallbacks(text: str, key: str) -> tuple[str, ...]:
    """« Sainte-Marie (La Réunion) », « Rennes, Ille-et-Vilaine », « Rennes France »."""
    keys = [_key(_PARENTHESES.sub(" ", text)), _key(text.split(",")[0])]
    keys += [key.removesuffix(" " + s) for s in SUFFIXES if key.endswith(" " + s)]
    return tuple(dict.fromkeys(k for k in keys if k and k != key))


def arrondissement_of(key: str) -> tuple[str, int] | None:
    """(city, number) for « paris 8e arrondissement », « marseille 13 », « 5e arrondissement de lyon »."""
    words = [w for w in key.split() if w not in ARRONDISSEMENT_WORDS]
    if len(words) != 2:
        return None
    city, ordinal = (words[0], words[1]) if words[0] in ARRONDISSEMENT_CITIES else (words[1], words[0])
    if city not in ARRONDISSEMENT_CITIES:
        return None
    number = ordinal_number(ordinal)
    return (city, number) if number and number <= MAX_ARRONDISSEMENT else None


def ordinal_number(word: str) -> int | None:
    """8 for « 8 », « 08 », « 8e », « 8eme », « viiie »; None for anything else."""
    found = _ORDINAL.match(word)
    if not found:
        return None
    if found[1]:
        return int(found[1])
    values = [ROMAN[c] for c in found[2]]
    total = sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0], strict=True))
    return total if total > 0 else None


def clean_postcode(value: object) -> str:
    """Five digits, or "": spaces dropped, a leading zero lost by a spreadsheet put back."""
    digits = "".join(str(value or "").split()).removesuffix(".0")
    if digits.isdigit() and len(digits) in (4, 5):
        return digits.zfill(5)
    return ""


def clean_department(value: object) -> str:
    """A département code as INSEE writes it (« 01 », « 2A », « 974 »), or ""."""
    text = str(value or "").strip().upper()
    if text.isdigit() and 1 <= len(text) <= 3:
        return text.zfill(2)
    return text if text in ("2A", "2B") else ""


def clean_insee(value: object) -> str:
    """An INSEE code (5 characters, « 2A004 » included), or ""."""
    text = "".join(str(value or "").split()).upper().removesuffix(".0")
    if text.isdigit() and len(text) == 4:
        text = text.zfill(5)
    return text if len(text) == 5 and (text.isdigit() or text[:2] in ("2A", "2B")) else ""


def _take(pattern: re.Pattern[str], text: str) -> tuple[str, str]:
    """The text without the first match of pattern, and that match's group (or "")."""
    found = pattern.search(text)
    if not found:
        return text, ""
    return text[:found.start()] + " " + text[found.end():], found[1].replace(" ", "")
