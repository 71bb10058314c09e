"""What the pages do in the visitor's browser: French document and words, titles, map sized to the screen, keys.

Streamlit cannot size a component from the viewport, listen to keys, or say its own words in
French: one small script (static/page.js), injected once per page with
`st.html(..., unsafe_allow_javascript=True)`, does it. It finds Streamlit's own elements by
stable hooks (the map component's address, `st-key-…` classes, `data-testid`s, button labels),
so a Streamlit update that renames them breaks only these conveniences, never the page. Python
gives it its settings as JSON (templates/page_script.html).
"""

from __future__ import annotations

from reseau_map.core.templates import render, static_text
from reseau_map.maps.access import MAP_TITLE

MAP_IFRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
PHONE_MAX_PX = 700  # below this width the page is laid out for a phone (static/page.css says the same)
MIN_MAP_PX = 300  # a phone's map, even at 400 % zoom (the page scrolls around it)
IDLE_MS = 3000  # presentation controls fade after this long without the mouse
KEYED_MS = 8000  # a card that opens this soon after a key press takes the keyboard's focus
CARD = "st-key-rc_card"  # the selected place's card (app/explorer.py CARD_KEY)
LIST = '[class*="st-key-table_"]'  # the list of places: "table_<round>" (app/state.py TABLE)
CONTROLS = "st-key-rc_controls"  # the presentation's controls (app/presentation.py CONTROLS_KEY)
PAUSE = "Pause"
# The presentation's buttons, by label, for the keyboard: key -> labels (the first found is clicked).
KEYS: dict[str, list[str]] = {"ArrowLeft": ["◀ Précédent"], "ArrowRight": ["Suivant ▶"],
                              " ": [PAUSE, "Lecture"], "Escape": ["Quitter"]}
# The caption card and the legend, read from the back of a room: injected into the map's frame,
# since the card is drawn by the map.
CAPTION_CSS = static_text("caption.css")
SITE = "Carte du Réseau des Cantines"
# Each page's <title> and its map frame's.
TITLES: dict[str, str] = {"map": SITE, "presentation": f"Présentation — {SITE}",
                          "proposer": f"Proposer un lieu — {SITE}", "moderation": f"Modération — {SITE}"}
FRAME_TITLES: dict[str, str] = {"map": MAP_TITLE, "proposer": "Carte : où se trouve le lieu proposé",
                                "moderation": "Carte : où se trouve le lieu proposé"}
# Streamlit's own English words (its widgets, its table, its menus), in French.
WORDS: dict[str, str] = {
    "Skip to main content": "Aller au contenu principal",
    "Sidebar": "Barre latérale",
    "Collapse sidebar": "Replier la barre latérale",
    "Expand sidebar": "Déplier la barre latérale",
    "App pages": "Pages de l'application",
    "Main menu": "Menu principal",
    "Selected values": "Choix faits",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Dismiss": "Fermer",
    "Select all": "Tout choisir",
    "No results": "Aucun résultat",
    "Choose an option": "Choisissez",
    "Choose options": "Choisissez",
    "Link to heading": "Lien vers ce titre",
    "Press Enter to apply": "Entrée pour valider",
    "Press Enter to submit form": "Entrée pour envoyer le formulaire",
    "Press ⌘+Enter to apply": "⌘+Entrée pour valider",
    "Press Ctrl+Enter to apply": "Ctrl+Entrée pour valider",
    "Show password text": "Afficher le mot de passe",
    "Hide password text": "Masquer le mot de passe",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Copy to clipboard": "Copier",
    "Running...": "En cours…",
    "Stop": "Arrêter",
    "Connecting": "Connexion",
}
# Phrases with a part that changes: (regular expression, French replacement).
PATTERNS: list[tuple[str, str]] = [
    (r"^Remove (.+)$", r"Retirer $1"),
    (r"^Help for (.+)$", "Aide\u00a0: $1"),  # a widget's help button
    (r"^0 options available\.$", "Aucun choix."),
    (r"^1 option available\.$", "1 choix."),
    (r"^(\d+) options available\.$", r"$1 choix."),
]


def script(mode: str = "", page: str = "map") -> str:
    """The page's browser script (static/page.js) for this page ("map", "proposer", "moderation") and mode
    ("", "presentation" or "embed": the map alone in a partner's frame)."""
    title = TITLES["presentation" if mode == "presentation" else page]
    cfg = {"mode": mode, "page": page, "title": title, "frameTitle": FRAME_TITLES.get(page, MAP_TITLE),
           "iframe": MAP_IFRAME, "phone": PHONE_MAX_PX, "minMap": MIN_MAP_PX, "idle": IDLE_MS, "keys": KEYS,
           "captionCss": CAPTION_CSS, "words": WORDS, "patterns": PATTERNS, "card": CARD, "list": LIST,
           "controls": CONTROLS, "pause": PAUSE, "keyedMs": KEYED_MS}
    return render("page_script.html", config=cfg)


# Phones: the map first and whole; the header wraps; no sideways scroll; contrast; Streamlit's menu hidden.
PAGE_CSS = render("style.html", css="page.css", properties={})
