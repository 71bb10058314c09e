"""The declared figures as HTML cards for the normal page, each with its source's quote."""

from __future__ import annotations

from html import escape

from reseau_map.files.network import Network
from reseau_map.page.presentation import unbroken

CARDS_CSS = """
<style>
.rc-cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px;}
.rc-card {border: 1px solid rgba(49, 51, 63, .2); border-radius: 8px; padding: 8px 12px; cursor: help;}
.rc-card .l {font-size: .85rem; color: #555; text-decoration: underline dotted;}
.rc-card .v {font-size: 1.6rem; font-weight: 600; line-height: 1.2;}
</style>
"""


def figure_cards(net: Network) -> str:
    """Every declared figure as a card that wraps long values; the source's quote on hover."""
    cells = []
    for fig in net.figures:
        cells.append(f'<div class="rc-card" title="« {escape(fig.quote)} »">'
                     f'<div class="l">{escape(fig.label)}</div><div class="v">{unbroken(fig.value)}</div></div>')
    return CARDS_CSS + f'<div class="rc-cards">{"".join(cells)}</div>'
