"""What every map of ours does for people without a mouse, with a screen reader, or wanting calm.

Its code is static/access.js (maps/library.py loads it with the rest of the library); this
element only gives its call a spec:

- ``lang``, ``title``: the frame's language and title (« Carte des lieux du réseau »);
- ``label``, ``help``: the map's accessible name and how its keys work, said once on focus;
- ``strings``: Leaflet's English words in French (the popup's close button, the layers button);
- ``regions``: the labelled regions of the map (legend, credits, caption);
- ``keys``: the names the keyboard layer gives places and clusters (static/keys.js).

The page's own clicks are kept where the pointer is: Leaflet focuses the map on mousedown and,
in a frame, the browser then scrolls the page under the pointer (40 px at 1366×768); access.js
focuses it without scrolling, and sends a click that the page moved anyway back to where the
button went down.
"""

from __future__ import annotations

from reseau_map.maps.library import Call

MAP_TITLE = "Carte des lieux du réseau"
MAP_HELP = ("Flèches : déplacer la carte ; + et − : zoomer ; Tab : parcourir les lieux et les groupes "
            "visibles ; Entrée : ouvrir la fiche d'un lieu ou déplier un groupe ; Échap : fermer la fiche.")
STRINGS: dict[str, str] = {
    "closePopup": "Fermer la fiche",
    "layers": "Fonds de carte et couches",
}
REGIONS: dict[str, str] = {
    "legend": "Légende",
    "attribution": "Sources et crédits",
    "overlay": "Légende de la couche",
    "caption": "Lieu présenté",
    "controls": "Zoom et échelle",
    "layers": "Fonds de carte et couches",
}


class Access(Call):
    """The map's language, title and names; keys and clicks that land (see the module's docstring)."""

    function = "L.rcAccess"

    def __init__(self, title: str = MAP_TITLE) -> None:
        super().__init__()
        self._name = "Access"
        self.title = title

    def spec(self) -> dict:
        return {"lang": "fr", "title": self.title, "label": self.title, "help": MAP_HELP, "strings": STRINGS,
                "regions": REGIONS}
