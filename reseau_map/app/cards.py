"""The declared figures as HTML cards for the normal page, each with its source's quote.

The quote opens with a click, a tap or the keyboard (a <details> element), not only on hover.
The HTML is templates/cards.html (autoescaped), the styles static/cards.css.
"""

from __future__ import annotations

from reseau_map.app.presentation import digits_together
from reseau_map.core.templates import render
from reseau_map.core.text import typo
from reseau_map.files.network import Network


def figure_cards(net: Network) -> str:
    """Every declared figure as a card that wraps long values; its quote opens on click, tap or Entrée."""
    cards = [{"label": typo(fig.label), "value": digits_together(typo(fig.value)), "title": typo(f"« {fig.quote} »"),
              "quote": digits_together(typo(f"« {fig.quote} »"))} for fig in net.figures]
    return render("cards.html", cards=cards)
