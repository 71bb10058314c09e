"""Presentation mode's HTML: no Streamlit chrome, a band of big figures, caption card contents.

Every string from the data is escaped before it reaches the page.
"""

from __future__ import annotations

import json
import re
from html import escape

import pandas as pd

from reseau_map.core.text import typo
from reseau_map.domain.figures import PRESENTATION_KEYS
from reseau_map.domain.tour import TOMORROW, Slide
from reseau_map.files.network import Network
from reseau_map.files.places import NOT_GIVEN
from reseau_map.files.vocabulary import Vocabulary, neutral_vocabulary

# Colours of the band (each pair ≥ 4.5:1, WCAG AA; tests/test_presentation.py computes it).
BAND_BG, BAND_FG = "#0b3d5c", "#ffffff"
TITLE_BG, TITLE_FG = "#E69F00", "#1b1b1b"
CONTROLS_KEY = "rc_controls"  # the controls' container: `st-key-rc_controls` in the page

# Sized from the screen's height, so 720p, 1080p and 4K projectors all show the band, the whole
# map and its caption without scrolling (≥ 24 px text at 1080p); a phone gets a smaller band.
CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], footer {{display: none !important;}}
html, body {{overflow: hidden;}}
.block-container, [data-testid="stMainBlockContainer"] {{padding: .5vh 1vw 0 1vw !important;
  max-width: 100% !important;}}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{gap: .5vh;}}
.stMarkdown:has(.rc-band) div, [data-testid="stMarkdownContainer"]:has(> .rc-band) {{margin-bottom: 0 !important;}}
.rc-band {{display: flex; gap: .6vw; margin: 0; height: 17vh; overflow: hidden;}}
.rc-fig {{flex: 1 1 0; min-width: 0; background: {BAND_BG}; color: {BAND_FG}; border-radius: 1vh;
  padding: .6vh .8vw; overflow: hidden;}}
.rc-fig .v {{font-size: clamp(20px, 5vh, 150px); font-weight: 800; line-height: 1.05;}}
.rc-fig .q {{font-size: clamp(13px, 2.3vh, 64px); line-height: 1.15; overflow-wrap: break-word; hyphens: auto;}}
.rc-fig.title {{flex: 1.5 1 0; background: {TITLE_BG}; color: {TITLE_FG}; font-size: clamp(15px, 3vh, 84px);
  font-weight: 800; line-height: 1.12; display: flex; align-items: center;}}
.st-key-{CONTROLS_KEY} {{position: fixed; z-index: 999990; top: 18.5vh; right: 1.2vw; width: min(760px, 94vw);
  background: rgba(255, 255, 255, .96); border-radius: 10px; padding: 8px 10px;
  box-shadow: 0 2px 12px rgba(0, 0, 0, .25); transition: opacity .6s;}}
body.rc-idle .st-key-{CONTROLS_KEY} {{opacity: 0; pointer-events: none;}}
body.rc-idle, body.rc-idle iframe {{cursor: none;}}
@media (max-width: 700px) {{
  .rc-band {{flex-wrap: wrap; height: auto; gap: 4px;}}
  .rc-fig {{flex: 1 1 28%; padding: 4px 6px; border-radius: 6px;}}
  .rc-fig.title {{flex: 1 1 100%; font-size: 15px;}}
  .rc-fig .v {{font-size: 20px;}}
  .rc-fig .q {{font-size: 12px;}}
  .st-key-{CONTROLS_KEY} {{top: auto; bottom: 8px; right: 3vw;}}
}}
</style>
"""


def unbroken(value: str) -> str:
    # « 1 000 » must not break between its digits on a narrow card.
    return re.sub(r"(\d) (\d)", "\\1\u00a0\\2", escape(value))


_LEADING_NUMBER = re.compile(r"^\d[\d\s\u00a0\u202f]*\d(?=\s)|^\d(?=\s)")


def band_parts(value: str, short: str) -> tuple[str, str]:
    """The big figure and the words under it, never the figure twice (« 30 » over « salariés permanents »)."""
    squeeze = " ".join(short.split())
    for head in (" ".join(value.split()), " ".join(value.split()).replace(" ", "")):
        if squeeze.startswith(head + " "):
            return value, squeeze[len(head) + 1:]
    number = _LEADING_NUMBER.match(" ".join(value.split()))
    if number and squeeze.startswith(number.group() + " "):  # « 9 » over « membres aujourd’hui, 1 000 demain »
        return number.group(), squeeze[len(number.group()) + 1:]
    return value, short


def sublabel(value: str, short: str) -> str:
    """The words under a big figure, without the figure again (« 30 » over « salariés permanents »)."""
    return band_parts(value, short)[1]


def figures_band(net: Network, keys: tuple[str, ...] = PRESENTATION_KEYS) -> str:
    """A row of big declared figures, each with its short quote."""
    cells = [f'<div class="rc-fig title">{escape(net.name)}</div>']
    for key in keys:
        fig = net.figure(key)
        if fig is not None:
            big, small = band_parts(fig.value, fig.short)
            cells.append(f'<div class="rc-fig"><div class="v">{unbroken(big)}</div>'
                         f'<div class="q">{unbroken(typo(small))}</div></div>')
    return f'<div class="rc-band">{"".join(cells)}</div>'


def place_caption(row: pd.Series, position: str, vocab: Vocabulary | None = None) -> str:
    """The caption card's contents for one place: name, city, type and status, the source's sentence."""
    vocab = vocab or neutral_vocabulary()
    status = vocab.status_label(row["status"])
    where = row["city"] or NOT_GIVEN
    if row["region"]:
        where += f" — {row['region']}"
    quote = f"<blockquote>{escape(typo('« ' + row['source'] + ' »'))}</blockquote>" if row["source"] else ""
    return (f'<div class="n">{escape(typo(row["name"]))}</div>'
            f"{escape(typo(where))} · {escape(vocab.type_label(row['type']))} · {escape(status)}"
            f" <small>({escape(position)})</small>{quote}")


def timeline_caption(slide: Slide, launch: str, bounds: list[list[float]] | None = None) -> str:
    """The caption card's contents for a timeline step: « Le réseau en 2010 : 1 lieu »."""
    count = len(slide.visible or ())
    noun = "lieu" if count <= 1 else "lieux"
    if slide.label == TOMORROW:
        text = f"Le réseau demain : {count} {noun}, projets compris"
    else:
        text = f"Le réseau en {slide.label} : {count} {noun} ouvert{'s' if count > 1 else ''}"
    note = f"<blockquote>{escape(typo(launch))}</blockquote>" if launch else ""
    # The page's script fits the map to these bounds in the browser, which knows the screen's size.
    fit = f' data-rc-fit="{escape(json.dumps(bounds))}"' if bounds else ""
    return f'<div class="n"{fit}>{escape(typo(text))}</div>{note}'
