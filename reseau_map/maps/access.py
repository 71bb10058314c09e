"""What every map of ours does for people without a mouse, with a screen reader, or wanting calm.

Its code is static/access.js (maps/library.py loads it with the rest of the library); this
element only gives its call a spec:

- ``lang``, ``title``: the frame's language and title (« Carte des lieux du réseau »);
- ``label``, ``help``: the map's accessible name and how its keys work, said once on focus;
- ``strings``: Leaflet's English words in French (the popup's close button, the layers button);
- ``regions``: the labelled regions of the map (legend, credits, caption);
- ``halo``, ``colours``: the markers' outline, the clusters' and the focus's colours.

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

# Every marker is outlined: a dark line, then a light halo (access.js L.rcHalo), so that one of the
# two stands ≥ 3:1 against any base (the atlas's land, its sea, the choropleth's greens, tiles).
HALO_LIGHT, HALO_DARK = "#ffffff", "#1b1b1b"
HALO = {"light": HALO_LIGHT, "dark": HALO_DARK, "darkPx": 1, "lightPx": 1.5}
# Clusters: a dark disc with its count in white, in a light ring (static/map.css).
CLUSTER, CLUSTER_TEXT = "#1b1b1b", "#ffffff"
FOCUS = "#0b3d5c"  # the keyboard's ring, between two light rings
COLOURS: dict[str, str] = {"--rc-cluster": CLUSTER, "--rc-cluster-text": CLUSTER_TEXT, "--rc-ring-light": HALO_LIGHT,
                           "--rc-focus": FOCUS}


class Access(Call):
    """The map's language, title and names; keys and clicks that land (see the module's docstring)."""

    function = "L.rcAccess"

    def __init__(self, title: str = MAP_TITLE) -> None:
        super().__init__()
        self._name = "Access"
        self.title = title

    def spec(self) -> dict:
        return {"lang": "fr", "title": self.title, "label": self.title, "help": MAP_HELP, "strings": STRINGS,
                "regions": REGIONS, "halo": HALO, "colours": COLOURS}
