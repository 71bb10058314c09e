"""Presentation mode's HTML: no Streamlit chrome, a band of big figures, caption card contents.

Every string from the data is escaped before it reaches the page.
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from reseau_map.files.network import Network
from reseau_map.files.places import NOT_GIVEN, TYPES
from reseau_map.page.figures import PRESENTATION_KEYS
from reseau_map.page.tour import TOMORROW, Slide
from reseau_map.page.view import STATUS_CHOICES, UNKNOWN_STATUS

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


def unbroken(value: str) -> str:
    # « 1 000 » must not break between its digits on a narrow card.
    return re.sub(r"(\d) (\d)", "\\1\u00a0\\2", escape(value))


def sublabel(value: str, short: str) -> str:
    """The words under a big figure, without the figure again (« 30 » over « salariés permanents »)."""
    squeeze = " ".join(short.split())
    for head in (" ".join(value.split()), " ".join(value.split()).replace(" ", "")):
        if squeeze.startswith(head + " "):
            return squeeze[len(head) + 1:]
    return short


def figures_band(net: Network, keys: tuple[str, ...] = PRESENTATION_KEYS) -> str:
    """A row of big declared figures, each with its short quote."""
    cells = [f'<div class="rc-fig title">{escape(net.name)}</div>']
    for key in keys:
        fig = net.figure(key)
        if fig is not None:
            cells.append(f'<div class="rc-fig"><div class="v">{unbroken(fig.value)}</div>'
                         f'<div class="q">{unbroken(sublabel(fig.value, fig.short))}</div></div>')
    return f'<div class="rc-band">{"".join(cells)}</div>'


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
