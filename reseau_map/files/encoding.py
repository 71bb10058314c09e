"""A file's bytes as text: which encoding, whether a BOM, and how to give every byte back when writing.

The one decoder of the files layer. Reading a partner's file, the bytes say the encoding (BOM,
UTF-16 by its NUL bytes, UTF-8, else Windows-1252) and what cannot be read becomes U+FFFD. Writing
a file back, the encoding is the one read, and no byte may change: what the codec cannot read is
kept as surrogates that `codec_errors` turns back into the same bytes.
"""

from __future__ import annotations

import codecs

BOM = "\ufeff"
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
SNIFF_BYTES = 4000  # enough of the start of a file to see UTF-16's NUL halves


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str, bool]:
    """(text without its BOM, codec, had a BOM): the codec the bytes say, or the one given (then lossless)."""
    if encoding is None:
        codec, text = _sniffed(data)
    else:
        codec = _exact(encoding, data)
        text = data.decode(codec, codec_errors(codec))
    has_bom = text.startswith(BOM)
    return (text[1:] if has_bom else text), codec, has_bom


def codec_errors(codec: str) -> str:
    """The error handler that lets a codec round-trip any bytes (surrogateescape or surrogatepass)."""
    # Bytes the codec cannot read must still come back unchanged.
    return "surrogatepass" if codec.startswith("utf-16") or codec.startswith("utf-32") else "surrogateescape"


def _sniffed(data: bytes) -> tuple[str, str]:
    # UTF-8 or UTF-16 by BOM, UTF-16 by its NUL bytes, UTF-8, else cp1252: (codec, text).
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec, data.decode(codec, errors="replace")
    head = data[:SNIFF_BYTES]
    if len(head) >= 4 and head.count(0) >= len(head) // 4:
        # UTF-16 without BOM: the NUL halves of ASCII characters sit on odd (LE) or even (BE) bytes.
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if max(odd, even) >= len(head) // 4:
            codec = "utf-16-le" if odd >= even else "utf-16-be"
            return codec, data.decode(codec, errors="replace")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252", data.decode("cp1252", errors="replace")


def _exact(encoding: str, data: bytes) -> str:
    # The codec to write back with: utf-8-sig is utf-8 plus a BOM we keep apart; utf-16 needs its byte order.
    codec = codecs.lookup(encoding).name
    if codec == "utf-8-sig":
        return "utf-8"
    if codec == "utf-16":  # byte order from the BOM, little-endian as Windows writes it otherwise
        return "utf-16-be" if data[:2] == codecs.BOM_UTF16_BE else "utf-16-le"
    return codec
