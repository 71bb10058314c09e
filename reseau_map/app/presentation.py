"""Presentation mode's HTML: no Streamlit chrome, a band of big figures, caption card contents.

The HTML comes from templates (templates/band.html, place_caption.html, timeline_caption.html),
autoescaped: every string from the data is escaped before it reaches the page. The styles are
static/presentation.css.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from reseau_map.core.templates import render
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

# The page's styles (static/presentation.css), its colours set from the constants above.
CSS = render("style.html", css="presentation.css", properties={
    "--rc-band-bg": BAND_BG, "--rc-band-fg": BAND_FG, "--rc-title-bg": TITLE_BG, "--rc-title-fg": TITLE_FG})
DIGIT_SPACE = re.compile(r"(\d) (\d)")


def digits_together(value: str) -> str:
    """The text with a non-breaking space between digits: « 1 000 » must not break on a narrow card."""
    return DIGIT_SPACE.sub("\\1\u00a0\\2", value)


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
    figures = []
    for key in keys:
        fig = net.figure(key)
        if fig is not None:
            big, small = band_parts(fig.value, fig.short)
            figures.append((digits_together(big), digits_together(typo(small))))
    return render("band.html", name=net.name, figures=figures)


def place_caption(row: pd.Series, position: str, vocab: Vocabulary | None = None) -> str:
    """The caption card's contents for one place: name, city, type and status, the source's sentence."""
    vocab = vocab or neutral_vocabulary()
    status = vocab.status_label(row["status"])
    where = row["city"] or NOT_GIVEN
    if row["region"]:
        where += f" — {row['region']}"
    quote = typo("« " + row["source"] + " »") if row["source"] else ""
    return render("place_caption.html", name=typo(row["name"]), where=typo(where),
                  type=vocab.type_label(row["type"]), status=status, position=position, quote=quote)


def timeline_caption(slide: Slide, launch: str, bounds: list[list[float]] | None = None) -> str:
    """The caption card's contents for a timeline step: « Le réseau en 2010 : 1 lieu »."""
    count = len(slide.visible or ())
    noun = "lieu" if count <= 1 else "lieux"
    if slide.label == TOMORROW:
        text = f"Le réseau demain : {count} {noun}, projets compris"
    else:
        text = f"Le réseau en {slide.label} : {count} {noun} ouvert{'s' if count > 1 else ''}"
    # The page's script fits the map to these bounds in the browser, which knows the screen's size.
    return render("timeline_caption.html", text=typo(text), note=typo(launch) if launch else "",
                  fit=json.dumps(bounds) if bounds else "")
