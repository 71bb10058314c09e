"""How a text file of places is written: encoding, BOM, separator, line ending, decimal mark.

The reader records it; the write-back uses it to leave the user's file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextDialect:
    """The spelling of a delimited text file, as read, so that it can be written back the same."""

    encoding: str = "utf-8"  # a Python codec name: "utf-8", "cp1252", "utf-16-le", "utf-16-be"
    bom: bool = False
    separator: str = ","
    newline: str = "\n"  # "\r\n" for files saved by Excel on Windows
    decimal: str = "."  # "," when the file's numbers use a decimal comma
    header: bool = True  # False when the first line already holds data
    quotechar: str = '"'
