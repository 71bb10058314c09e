"""Whom an export credits: the data's publisher and licence, its source, and the reference data of the positions.

Every export (the CSV files, the workbook, the GeoJSON, the published site) carries these lines: a
list that leaves its page still says where it comes from and under which terms it may be reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from reseau_map.core.text import fold
from reseau_map.files.network import Network, french_date

REFERENCE = ("Positions et régions : GeoNames (CC BY 4.0), communes INSEE COG 2026 et régions IGN Admin Express "
             "(Licence Ouverte)")
NO_LICENCE = "Licence des lieux : non précisée par la source ; demandez-la avant de les republier"
LICENCE_WORDS = ("licence", "license", "cc by", "odbl", "domaine public", "etalab")


@dataclass(frozen=True)
class Credit:
    """The lines an export credits, in French; `text` joins them on one line (a CSV cell)."""

    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The credit on one line."""
        return " — ".join(self.lines)


def data_credit(net: Network) -> Credit:
    """The data's publisher (the mapping's [credit] or the network's), its source, its licence, the reference data."""
    lines = [f"Lieux : {net.credit}"] if net.credit else []
    src = net.source
    if src.get("title"):
        said = f"Source : {src.get('author', '')}, « {src['title']} », {french_date(src.get('date', ''))}"
        lines.append(said + (f" ({src['url']})" if src.get("url") else ""))
    if not any(word in fold(" ".join(lines)) for word in LICENCE_WORDS):
        lines.append(NO_LICENCE)
    return Credit((*lines, REFERENCE))
