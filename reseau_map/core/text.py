"""Text rules in one place: folding for tolerant matching, French typography, safe display.

Every comparison of user text (headers, vocabularies, search, place names, regions, cache keys)
goes through `fold` or `place_key`, so that « Île-de-France », « ILE DE FRANCE » and
« ile_de_france » agree everywhere.
"""

from __future__ import annotations

import re
import unicodedata

ARTICLES = ("le", "la", "les", "l")
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
ELIDED = frozenset({"l", "d"})  # "L'Isle" / "Lisle" / "L Isle" must agree, so they are glued
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
CAPITAL_LIGATURES = str.maketrans({"Œ": "OE", "Æ": "AE", "Ø": "O"})

_TRAILING_ARTICLE = re.compile(
    r"^(?P<rest>.+?)\s*(?:\((?P<a>les|la|le|l')\)|,\s*(?P<b>les|la|le|l'))$"
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _ranges(points: list[int]) -> str:
    spans, start = [], None
    for a, b in zip(points, [*points[1:], -1], strict=True):
        start = a if start is None else start
        if b != a + 1:
            spans.append(f"{re.escape(chr(start))}-{re.escape(chr(a))}" if a > start else re.escape(chr(a)))
            start = None
    return "".join(spans)


# Every combining mark of the Basic Multilingual Plane as one character class (built once): one
# C-level pass over a text, where testing each character in Python cost a description ~80 µs.
_BMP_COMBINING = re.compile(f"[{_ranges([cp for cp in range(0x10000) if unicodedata.combining(chr(cp))])}]")
_LIGATURE_CHARS = re.compile("[œæøłđıŒÆØ]")


def strip_accents(text: str) -> str:
    """The text without diacritics, ligatures spelt out (« Œuvre » -> « Oeuvre »)."""
    if text.isascii():
        return text
    if _LIGATURE_CHARS.search(text):
        text = text.translate(LIGATURES).translate(CAPITAL_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    if text.isascii():
        return text
    if max(text) <= "\uffff":
        return _BMP_COMBINING.sub("", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def fold(text: object) -> str:
    """Lower case, no accents, words separated by single spaces: « Lieu_Associé » -> « lieu associe »."""
    plain = strip_accents(str(text).casefold().translate(APOSTROPHES))
    return " ".join(w for w in _NON_WORD.split(plain) if w)


def compact_key(text: object) -> str:
    """fold() without spaces: « Côte-d'Azur » and « cote d azur » both give « cotedazur »."""
    return fold(text).replace(" ", "")


def place_key(name: str) -> str:
    """A place-name key: fold() plus "st" -> "saint", articles tidied, elided articles glued."""
    text = strip_accents(str(name).casefold().translate(APOSTROPHES))
    inverted = _TRAILING_ARTICLE.match(text.strip())
    if inverted:  # "Mans (Le)", "Isle-sur-la-Sorgue, L'" -> the article goes back in front
        text = f"{inverted['a'] or inverted['b']} {inverted['rest']}"
    words = [ABBREVIATIONS.get(w, w) for w in _NON_WORD.split(text) if w]
    glued: list[str] = []
    for word in words:
        if glued and glued[-1] in ELIDED:
            glued[-1] += word
        else:
            glued.append(word)
    return " ".join(glued)


def slug(text: object) -> str:
    """An identifier from text: « Cantine de Brest » -> « cantine-de-brest »."""
    return fold(text).replace(" ", "-")


def french_number(n: int) -> str:
    """A whole number grouped the French way, with narrow no-break spaces: « 45 035 »."""
    return f"{n:,}".replace(",", "\u202f")


def list_fr(words: list[str] | tuple[str, ...], conjunction: str = "et") -> str:
    """« a, b et c » (or « a, b ou c »)."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


# Bidirectional controls let a name display reversed (« moc.live » read as « evil.com »).
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))
# The same characters as a regex class (literal characters: Python's re and pyarrow's RE2 both
# read it), to clean a whole column at once.
BIDI_CLASS = "[" + "".join(map(chr, BIDI_CONTROLS)) + "]"
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?:https?:|ftp:|mailto:|www\.|@)")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'^@%])")
_FRENCH_SPACE_BEFORE = re.compile(r"[ \u00a0\u202f]*([;!?])(?=\s|$)")
_FRENCH_COLON = re.compile(r"[ \u00a0]+:(?=\s|$)")
_GUILLEMETS = (re.compile(r"«[ \u00a0]*"), re.compile(r"[ \u00a0]*»"))


def strip_bidi(text: str) -> str:
    """The text without bidirectional control characters."""
    # isascii() is a flag lookup; translate() with a dict costs a lookup per character.
    return text if text.isascii() else text.translate(BIDI_CONTROLS)


def md_escape(text: object) -> str:
    """Text that Streamlit's Markdown shows as typed: no link, image, emphasis, emoji or HTML."""
    # Every ASCII punctuation may be backslash-escaped in CommonMark; escaping them all also
    # breaks autolinks (« www\.x\.fr ») and Streamlit's « :shortcode: » and « :red[…] » forms.
    plain = strip_bidi(str(text)).replace("\r", " ").replace("\n", " ")
    # Streamlit's GFM turns « http://… », « www.… » and « a@b.fr » found in text into links after
    # escapes are read: an invisible word joiner breaks those patterns, not what the reader sees.
    plain = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + WORD_JOINER + m.group(0)[-1], plain)
    return _MD_SPECIAL.sub(r"\\\1", plain)


def typo(text: str) -> str:
    """French typography: no-break spaces before « ; ! ? : » and inside « guillemets »."""
    text = _FRENCH_SPACE_BEFORE.sub("\u202f\\1", text)
    text = _FRENCH_COLON.sub("\u00a0:", text)
    opening, closing = _GUILLEMETS
    return closing.sub("\u00a0»", opening.sub("«\u00a0", text))


def md_text(text: object) -> str:
    """Data or URL text for Streamlit's Markdown: French typography first, then escaped."""
    return md_escape(typo(strip_bidi(str(text))))


def plural(count: int, singular: str, many: str | None = None) -> str:
    """« 1 lieu », « 2 lieux »: the count (grouped the French way) and the agreed noun."""
    return f"{french_number(count)} {singular if count <= 1 else (many or singular + 's')}"
