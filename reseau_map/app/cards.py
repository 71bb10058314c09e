"""The declared figures as HTML cards for the normal page, each with its source's quote.

The quote opens with a click, a tap or the keyboard (a <details> element), not only on hover.
"""

from __future__ import annotations

from html import escape

from reseau_map.app.presentation import unbroken
from reseau_map.core.text import typo
from reseau_map.files.network import Network

CARDS_CSS = """
<style>
.rc-cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px;}
.rc-card {border: 1px solid rgba(49, 51, 63, .35); border-radius: 8px; padding: 8px 12px;}
.rc-card summary {cursor: pointer; list-style: none;}
.rc-card summary::-webkit-details-marker {display: none;}
.rc-card summary:focus-visible {outline: 3px solid #0b3d5c; outline-offset: 3px;}
.rc-card .l {font-size: .85rem; color: #4a4a4a;}
.rc-card .v {font-size: 1.6rem; font-weight: 600; line-height: 1.2;}
.rc-card .s {font-size: .8rem; color: #0b5c8a; text-decoration: underline;}
.rc-card[open] .s {display: none;}
.rc-card blockquote {margin: 6px 0 0 0; font-size: .9rem; font-style: italic; color: #2b2b2b !important;}
</style>
"""


def figure_cards(net: Network) -> str:
    """Every declared figure as a card that wraps long values; its quote opens on click, tap or Entrée."""
    cells = []
    for fig in net.figures:
        cells.append(f'<details class="rc-card"><summary title="{escape(typo(f"« {fig.quote} »"))}">'
                     f'<div class="l">{escape(typo(fig.label))}</div><div class="v">{unbroken(typo(fig.value))}</div>'
                     f'<span class="s">Voir la citation</span></summary>'
                     f"<blockquote>{unbroken(typo(f'« {fig.quote} »'))}</blockquote></details>")
    return CARDS_CSS + f'<div class="rc-cards">{"".join(cells)}</div>'
