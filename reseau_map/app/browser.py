"""What the page does in the visitor's browser: French document, map sized to the screen, keys, idle controls.

Streamlit cannot size a component from the viewport, nor listen to keys: one small script
(static/page.js), injected once with `st.html(..., unsafe_allow_javascript=True)`, does it. It
finds Streamlit's own elements by stable hooks (the map's iframe title, `st-key-…` classes,
button labels), so a Streamlit update that renames them breaks only these conveniences, never
the page. Python gives it its settings as JSON (templates/page_script.html).
"""

from __future__ import annotations

from reseau_map.core.templates import render, static_text

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
PHONE_MAX_PX = 700  # below this width the page is laid out for a phone (static/page.css says the same)
IDLE_MS = 3000  # presentation controls fade after this long without the mouse
# The presentation's buttons, by label, for the keyboard: key -> labels (the first found is clicked).
KEYS: dict[str, list[str]] = {"ArrowLeft": ["◀ Précédent"], "ArrowRight": ["Suivant ▶"],
                              " ": ["Pause", "Lecture"], "Escape": ["Quitter"]}
# The caption card and the legend, read from the back of a room: injected into the map's frame,
# since the card is drawn by the map.
CAPTION_CSS = static_text("caption.css")


def script(mode: str = "") -> str:
    """The page's browser script (static/page.js) for this mode ("", "presentation" or "embed")."""
    cfg = {"mode": mode, "iframe": MAP_IFRAME, "phone": PHONE_MAX_PX, "idle": IDLE_MS, "keys": KEYS,
           "captionCss": CAPTION_CSS}
    return render("page_script.html", config=cfg)


# Phones: the map first and whole; the header on one line; no sideways scroll.
PAGE_CSS = render("style.html", css="page.css", properties={})
