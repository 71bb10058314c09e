"""Map controls of our own: French Leaflet controls, one shared canvas, the legend, overlay legends, smooth flights.

Their code is static/controls.js and their styles static/map.css (maps/library.py loads both);
each element here only gives its call a spec, documented on the element.
"""

from __future__ import annotations

from reseau_map.core.templates import render
from reseau_map.files.vocabulary import OTHER_COLOUR, Vocabulary, neutral_vocabulary
from reseau_map.maps.library import Call, calls

# The legend's dot for the first and the second status of the vocabulary, as places.js draws them.
STATUS_DOTS: tuple[str, ...] = ("background:#777;border-color:#777", "background:transparent;border:2px dashed #777")


class Legend(Call):
    """Legend and attribution, as a Leaflet control; with `fallback`, tiles that fail give way to the atlas.

    Spec: ``html`` (the legend's contents), ``attribution``, ``fallback`` (switch back to the
    offline atlas when a tile base fails before any tile loaded), ``fallbackNote``.
    """

    function = "L.rcLegend"

    def __init__(self, attribution: str, fallback: bool = False, vocab: Vocabulary | None = None) -> None:
        super().__init__()
        self._name = "Legend"
        self.attribution = attribution
        self.fallback = fallback
        vocab = vocab or neutral_vocabulary()
        # One line per type, or per group of types sharing one (« Autres catégories »).
        self.items = list(dict.fromkeys((t.colour if not t.group else OTHER_COLOUR, t.group or t.label)
                                        for t in vocab.types))
        # places.js draws the first status as a full disc and the second as a dashed ring.
        self.statuses = [(dot, s.label) for dot, s in zip(STATUS_DOTS, vocab.statuses, strict=False)]

    def spec(self) -> dict:
        return {"html": render("legend.html", items=self.items, statuses=self.statuses),
                "attribution": self.attribution,
                "fallback": self.fallback, "fallbackNote": "Fond en ligne indisponible : atlas hors ligne"}


class OverlayLegend(Call):
    """A small legend (or caption) control that comes and goes with the layer it belongs to.

    Spec: ``html``, ``position`` (a Leaflet corner), ``cssClass``.
    """

    function = "L.rcOverlayLegend"

    def __init__(self, title: str, items: list[tuple[str, str]], position: str = "bottomleft",
                 css_class: str = "rc-legend", raw_html: str = "") -> None:
        super().__init__()
        self._name = "OverlayLegend"
        # raw_html is for callers that escaped their own strings (the presentation caption).
        self.html = raw_html or render("overlay_legend.html", title=title, items=items)
        self.position = position
        self.css_class = css_class

    def spec(self) -> dict:
        return {"html": self.html, "position": self.position, "cssClass": self.css_class}


class OverseasNotice(Call):
    """« + 117 lieux outre-mer » with one button to each territory that has places: the overseas
    places a national view leaves off-screen are said, and one click away.

    Spec: ``label`` (« lieux outre-mer »), ``labelOne`` (« lieu outre-mer »), ``territories``
    ([{name, count, bounds}], bounds as [[south, west], [north, east]]), ``home`` (the same for
    metropolitan France, or null), ``maxZoom``.
    Only the territories outside the current view are listed; with none, the notice hides. It sits
    top left, under the zoom buttons.
    """

    function = "L.rcOverseas"

    def __init__(self, territories: list[tuple[str, int, list[list[float]]]],
                 home: tuple[str, int, list[list[float]]] | None = None, max_zoom: int = 10) -> None:
        super().__init__()
        self._name = "OverseasNotice"
        self.territories = [{"name": n, "count": c, "bounds": b} for n, c, b in territories]
        self.home = {"name": home[0], "count": home[1], "bounds": home[2]} if home else None
        self.max_zoom = max_zoom

    def spec(self) -> dict:
        return {"label": "lieux outre-mer", "labelOne": "lieu outre-mer", "territories": self.territories,
                "home": self.home, "maxZoom": self.max_zoom}


class FlyTo(Call):
    """Turn the view changes the page sends (st_folium's setView) into smooth flights. Spec: ``seconds``."""

    function = "L.rcFlyTo"

    def __init__(self, seconds: float = 2.0) -> None:
        super().__init__()
        self._name = "FlyTo"
        self.seconds = seconds

    def spec(self) -> dict:
        return {"seconds": self.seconds}


def decode_fit(script: str) -> list[list[float]] | None:
    """The bounds a rendered map script asks the browser to fit, or None."""
    found = calls(script, FitBounds.function)
    return found[0]["bounds"] if found else None


class FitBounds(Call):
    """Fit the map to bounds once per key, in the browser, which knows the map's real size.

    Spec: ``bounds`` ([[south, west], [north, east]]), ``key`` (fitted once per key), ``maxZoom``,
    ``onResize`` (fit again on every resize), ``settleMs`` (fit again while the frame settles).
    """

    function = "L.rcFit"

    def __init__(self, bounds: list[list[float]], key: str, max_zoom: int = 11, on_resize: bool = False) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.bounds = [[round(v, 5) for v in corner] for corner in bounds]
        self.key = key
        self.max_zoom = int(max_zoom)
        self.on_resize = on_resize
        self.settle_ms = 3000

    def spec(self) -> dict:
        return {"bounds": self.bounds, "key": self.key, "maxZoom": self.max_zoom, "onResize": self.on_resize,
                "settleMs": self.settle_ms}


class FrenchControls(Call):
    """Leaflet's own controls in French: zoom buttons, a metric scale, the container's language."""

    function = "L.rcFrenchControls"

    def __init__(self) -> None:
        super().__init__()
        self._name = "FrenchControls"

    def spec(self) -> dict:
        return {"lang": "fr", "zoomInTitle": "Zoom avant", "zoomOutTitle": "Zoom arrière", "metric": True,
                "imperial": False}


HIT_PANE = "markerPane"
CLUSTER_PANE = "rcClusterPane"
CLUSTER_PANE_Z = 640  # above the names (atlas.LABEL_PANE_Z), below tooltips (650) and popups (700)


class SharedCanvas(Call):
    """One canvas for every interactive vector layer, so that all of them get their events.

    The places layer draws its markers on a canvas in the marker pane, above every other pane:
    that canvas takes every mouse event and Leaflet forwards none to the layers below, so a
    choropleth or route tooltip under it never shows. Leaflet hit-tests all the paths of one
    canvas renderer together (the topmost path under the mouse wins), so the map creates that
    canvas first and hands it to the places layer (its L.canvas call for the marker pane) and to
    every layer whose ``pane`` is HIT_PANE (the choropleth, the route): drawn first, they stay
    under the places and still get the mouse where no place is.
    """

    function = "L.rcSharedCanvas"

    def __init__(self, pane: str = HIT_PANE) -> None:
        super().__init__()
        self._name = "SharedCanvas"
        self.pane = pane

    def spec(self) -> dict:
        return {"pane": self.pane, "clusterPane": CLUSTER_PANE, "clusterZ": CLUSTER_PANE_Z}
