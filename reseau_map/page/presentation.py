"""Presentation mode's HTML: no Streamlit chrome, a band of big figures, caption card contents.

Every string from the data is escaped before it reaches the page.
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from reseau_map.files.places import NOT_GIVEN, TYPES
from reseau_map.page.figures import PRESENTATION_KEYS, Network
from reseau_map.page.filters import STATUS_CHOICES, UNKNOWN_STATUS
from reseau_map.page.tour import TOMORROW, Slide

# Sized for a projector at 1920×1080 read from the back of a room.
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], footer {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 0.6rem 1.2rem 0 1.2rem !important;
  max-width: 100% !important;}
.rc-band {display: flex; gap: 10px; margin: 0 0 6px 0;}
.rc-fig {flex: 1; background: #0b3d5c; color: #fff; border-radius: 10px; padding: 6px 14px;}
.rc-fig .v {font-size: 1.9rem; font-weight: 800; line-height: 1.1;}
.rc-fig .q {font-size: 1rem; opacity: .9; line-height: 1.2;}
.rc-fig.title {flex: 1.4; background: #E69F00; color: #1b1b1b; font-size: 1.55rem; font-weight: 800;
  line-height: 1.15; display: flex; align-items: center;}
</style>
"""


CARDS_CSS = """
<style>
.rc-cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px;}
.rc-card {border: 1px solid rgba(49, 51, 63, .2); border-radius: 8px; padding: 8px 12px; cursor: help;}
.rc-card .l {font-size: .85rem; color: #555; text-decoration: underline dotted;}
.rc-card .v {font-size: 1.6rem; font-weight: 600; line-height: 1.2;}
</style>
"""


def _unbroken(value: str) -> str:
    # « 1 000 » must not break between its digits on a narrow card.
    return re.sub(r"(\d) (\d)", "\\1\u00a0\\2", escape(value))


def figures_band(net: Network, keys: tuple[str, ...] = PRESENTATION_KEYS) -> str:
    """A row of big declared figures, each with its short quote."""
    cells = ['<div class="rc-fig title">Réseau des Cantines et des lieux associés</div>']
    for key in keys:
        fig = net.figure(key)
        if fig is not None:
            cells.append(f'<div class="rc-fig"><div class="v">{_unbroken(fig.value)}</div>'
                         f'<div class="q">{escape(fig.short)}</div></div>')
    return f'<div class="rc-band">{"".join(cells)}</div>'


def figure_cards(net: Network) -> str:
    """Every declared figure as a card that wraps long values; the source's quote on hover."""
    cells = []
    for fig in net.figures:
        cells.append(f'<div class="rc-card" title="« {escape(fig.quote)} »">'
                     f'<div class="l">{escape(fig.label)}</div><div class="v">{_unbroken(fig.value)}</div></div>')
    return CARDS_CSS + f'<div class="rc-cards">{"".join(cells)}</div>'


def place_caption(row: pd.Series, position: str) -> str:
    """The caption card's contents for one place: name, city, type and status, the source's sentence."""
    status = STATUS_CHOICES.get(row["status"] or UNKNOWN_STATUS, NOT_GIVEN)
    where = row["city"] or NOT_GIVEN
    if row["region"]:
        where += f" — {row['region']}"
    quote = f"<blockquote>« {escape(row['source'])} »</blockquote>" if row["source"] else ""
    return (f'<div class="n">{escape(row["name"])}</div>'
            f"{escape(where)} · {escape(TYPES.get(row['type'], row['type']))} · {escape(status)}"
            f" <small>({escape(position)})</small>{quote}")


def timeline_caption(slide: Slide, launch: str) -> str:
    """The caption card's contents for a timeline step: « Le réseau en 2010 : 1 lieu »."""
    count = len(slide.visible or ())
    noun = "lieu" if count <= 1 else "lieux"
    if slide.label == TOMORROW:
        text = f"Le réseau demain : {count} {noun}, projets compris"
    else:
        text = f"Le réseau en {slide.label} : {count} {noun} ouvert{'s' if count > 1 else ''}"
    note = f"<blockquote>{escape(launch)}</blockquote>" if launch else ""
    return f'<div class="n">{escape(text)}</div>{note}'
