"""Build the folium map: a fixed base (tiles, region outlines, legend) and a places layer."""

from __future__ import annotations

import copy
import html

import folium
import pandas as pd
from markupsafe import Markup

from reseau_map.core.csp import with_policy
from reseau_map.core.templates import render
from reseau_map.domain.camera import FRANCE_ZOOM, MAX_ZOOM, MIN_ZOOM, bounds_of
from reseau_map.domain.fields import Fields
from reseau_map.domain.figures import region_sentence, region_summary
from reseau_map.files.vocabulary import Vocabulary
from reseau_map.geo.earth import FRANCE_BOUNDS, FRANCE_CENTER
from reseau_map.geo.nearest import Nearby, entry_label
from reseau_map.geo.regions import COLLECTIVITIES, OVERSEAS_REGIONS, region_bounds
from reseau_map.maps.access import Access
from reseau_map.maps.assets import leaflet_css, leaflet_js
from reseau_map.maps.atlas import ATLAS_CREDIT, ATLAS_NAME, AtlasBase, Regions2012
from reseau_map.maps.controls import (
    HIT_PANE,
    FitBounds,
    FlyTo,
    FrenchControls,
    Legend,
    OverlayLegend,
    OverseasNotice,
    SharedCanvas,
)
from reseau_map.maps.layers import PlacesLayer, Prepared
from reseau_map.maps.library import MapLibrary, figure_of
from reseau_map.maps.regionlayer import OutlineSource, RegionsLayer

PAGE_TITLE = "Carte des lieux"  # a standalone map's title
MAP_KEY = "carte"  # the page's st_folium key (the benchmark builds the same arguments)
PAGE_HEIGHT = 650
SHOW_HEIGHT = 815  # presentation mode: ≥ 75 % of a 1080 px projector
ATLAS_BASE = ATLAS_NAME
BLANK_BASE = ATLAS_BASE  # the offline base's old name, for callers not yet updated
REFERENCE_CREDIT = ATLAS_CREDIT
POSITRON_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
POSITRON_ATTR = render("positron_credit.html")
HIGHLIGHT_STYLE = {"color": "#d62728", "weight": 3, "fillOpacity": 0.0}
# Sequential, colour-blind-safe greens for the choropleth (light = few places); not blue, which
# reads as sea, nor the markers' colours. Five classes (white « 0 » and these four) cannot all
# be 3:1 apart (that needs 81:1, black on white is 21:1): neighbouring classes are ≥ 1.6:1 apart,
# and every region also says its count in its tooltip and the legend (never colour alone).
CHOROPLETH_COLORS: tuple[str, ...] = ("#99d594", "#3c9c4f", "#176a31", "#003514")
CHOROPLETH_ZERO = "#ffffff"
CHOROPLETH_OPACITY = 0.9
CHOROPLETH_EDGE = "#555555"


def strip_cdn(element: folium.Map) -> None:
    """Point a map at the packaged Leaflet files instead of folium's CDN defaults."""
    element.default_js = leaflet_js()
    element.default_css = leaflet_css()


def base_map(outlines: dict | None = None, height: int | None = None, fly: bool = False,
             credit: str = "", vocab: Vocabulary | None = None) -> folium.Map:
    """The map that never changes with filters: view, the offline atlas, online tiles, legend.

    The atlas (sea, neighbours, regions, départements, place names) is the default base, the
    same everywhere and with no network; OpenStreetMap and CartoDB are options. ``outlines``
    is kept for callers: the atlas draws the regions from its own embedded borders.
    """
    del outlines
    # folium annotates zoom_start as int, but Leaflet takes the half zooms this map snaps to;
    # without a height, folium's default "100%".
    m = folium.Map(location=FRANCE_CENTER, zoom_start=FRANCE_ZOOM,  # type: ignore[arg-type]
                   tiles=None, control_scale=False, zoom_snap=0.5, zoom_delta=0.5, height=height or "100%")
    # folium drops max_zoom without tiles, and MarkerCluster needs it ("Map has no maxZoom
    # specified") whatever base layer is shown: the map carries its own.
    m.options.update(max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM)
    strip_cdn(m)
    SharedCanvas().add_to(m)
    MapLibrary().add_to(m)
    Access().add_to(m)
    FrenchControls().add_to(m)
    atlas = AtlasBase(ATLAS_BASE, show=True)
    atlas.add_to(m)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap", show=False).add_to(m)
    folium.TileLayer(POSITRON_URL, name="CartoDB Positron", attr=POSITRON_ATTR, show=False,
                     subdomains="abcd").add_to(m)
    Regions2012().add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    Legend(attribution(credit), fallback=True, vocab=vocab).add_to(m)
    if fly:
        FlyTo().add_to(m)
    return m


def attribution(credit: str = "") -> str:
    """The map's credit line, as the HTML Leaflet shows: Leaflet, the places' publisher, the reference data.

    The credit comes from a file (network.toml's or the mapping's [credit], or the places file's
    name): it is escaped here, where it becomes HTML, so that it can only ever be text.
    """
    parts = ("Leaflet", credit and f"Lieux : {credit}", REFERENCE_CREDIT)
    return " | ".join(html.escape(part) for part in parts if part)


def overlays(outlines: dict | OutlineSource | None, shown: pd.DataFrame, regions: tuple[str, ...], choro: bool,
             near: Nearby | None, vocab: Vocabulary | None = None) -> list[folium.Element]:
    """What the filters add on top of the places: choropleth, highlighted regions, the route, the
    notice of the overseas places off-screen."""
    layers = choropleth(outlines, shown, vocab) if choro else []
    notice = overseas_notice(shown)
    layers += [notice] if notice is not None else []
    chosen = highlight(outlines, regions)
    layers += [chosen] if chosen is not None else []
    if near is not None:
        layers += route(near.origin.lat, near.origin.lon, entry_label(near.origin), near.places)
    return layers


OVERSEAS: tuple[str, ...] = (*OVERSEAS_REGIONS.values(), *COLLECTIVITIES.values())
HOME = "France métropolitaine"


def overseas_notice(shown: pd.DataFrame) -> OverseasNotice | None:
    """« + 117 lieux outre-mer » with a button to each overseas territory that has places shown, or None."""
    located = shown[shown["lat"].notna()] if "lat" in shown else shown
    counts = located["region"].value_counts() if "region" in located and len(located) else pd.Series(dtype=int)
    territories = [(name, int(counts[name]), bounds) for name in OVERSEAS
                   if name in counts.index and (bounds := region_bounds([name])) is not None]
    if not territories:
        return None
    home = int(len(located) - sum(n for _, n, _ in territories) - int(counts.get("Hors de France", 0)))
    return OverseasNotice(territories, (HOME, home, FRANCE_BOUNDS) if home > 0 else None)


def places_group(df: pd.DataFrame, selected: str = "", source_label: str = "",
                 overlays: list[folium.Element] | None = None, prepared: Prepared | None = None,
                 projector: bool = False, vocab: Vocabulary | None = None,
                 fields: Fields | None = None) -> folium.FeatureGroup:
    """The layer that changes with the filters: every shown place, plus region overlays."""
    group = folium.FeatureGroup(name="Lieux", control=False)
    for overlay in overlays or []:
        overlay.add_to(group)
    # Places without a position stay in: the layer's code skips them (no copy of the rows here).
    PlacesLayer(df, selected, source_label, prepared, projector, vocab, fields).add_to(group)
    return group


def _geojson(outlines: dict | OutlineSource | None) -> dict:
    return (outlines.geojson if isinstance(outlines, OutlineSource) else outlines) or {}


def _served(outlines: dict | OutlineSource | None) -> OutlineSource | None:
    return outlines if isinstance(outlines, OutlineSource) and outlines.src else None


def _features(outlines: dict | OutlineSource | None, names: set[str]) -> list[dict]:
    # Copies: folium may add ids to the features it is given, and the page shares its outlines.
    return [copy.deepcopy(f) for f in _geojson(outlines).get("features", []) if f["properties"]["name"] in names]


def highlight(outlines: dict | OutlineSource | None, regions: tuple[str, ...]) -> folium.Element | None:
    """A red outline around the selected regions, or None."""
    names = {f["properties"]["name"] for f in _geojson(outlines).get("features", [])} & set(regions)
    if not names:
        return None
    if served := _served(outlines):  # the browser has the outlines: send names only
        return RegionsLayer(served, {name: {} for name in sorted(names)}, HIGHLIGHT_STYLE, HIT_PANE)
    features = _features(outlines, names)
    return folium.GeoJson({"type": "FeatureCollection", "features": features}, name="Sélection",
                          interactive=False, pane=HIT_PANE, style_function=lambda _f: HIGHLIGHT_STYLE)


def choropleth_levels(top: int) -> list[tuple[int, int]]:
    """Count ranges (low, high) for the colour classes, from 1 to the biggest count."""
    classes = len(CHOROPLETH_COLORS)
    step = max(1, -(-top // classes))
    return [(1 + i * step, min(top, (i + 1) * step)) for i in range(classes) if 1 + i * step <= top]


def choropleth(outlines: dict | OutlineSource | None, df: pd.DataFrame,
               vocab: Vocabulary | None = None) -> list[folium.Element]:
    """Regions coloured by the number of places shown, with a legend and a French tooltip."""
    summary = region_summary(df, vocab).set_index("region")
    top = int(summary["lieux"].max()) if len(summary) else 0
    levels = choropleth_levels(top)
    features = []
    for feature in _geojson(outlines).get("features", []):
        name = feature["properties"]["name"]
        row = summary.loc[name] if name in summary.index else None
        count = int(row["lieux"]) if row is not None else 0
        level = next((i for i, (low, high) in enumerate(levels) if low <= count <= high), None)
        props = dict(feature["properties"], lieux=count,
                     label=row["label"] if row is not None else region_sentence(name, 0, {}, vocab),
                     fill=CHOROPLETH_COLORS[level] if level is not None else CHOROPLETH_ZERO)
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": props})
    if not features:
        return []
    layer: RegionsLayer | folium.GeoJson
    if served := _served(outlines):  # names, fills and tooltips only: the browser has the shapes
        layer = RegionsLayer(served, {f["properties"]["name"]: {"fill": f["properties"]["fill"],
                                                                "label": f["properties"]["label"]}
                                      for f in features},
                             {"fillOpacity": CHOROPLETH_OPACITY, "color": CHOROPLETH_EDGE, "weight": 1},
                             HIT_PANE, interactive=True)
    else:
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": features}, name="Lieux par région",
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": CHOROPLETH_OPACITY,
                                      "color": CHOROPLETH_EDGE, "weight": 1},
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
            pane=HIT_PANE,  # on the places' canvas, under them: see controls.SharedCanvas
        )
    items = [(CHOROPLETH_ZERO, "0 lieu")] + [
        (CHOROPLETH_COLORS[i], f"{low} lieu" if low == high == 1 else
         (f"{low} lieux" if low == high else f"{low} à {high} lieux"))
        for i, (low, high) in enumerate(levels)]
    return [layer, OverlayLegend("Lieux affichés par région", items)]


def route(origin_lat: float, origin_lon: float, label: str, target: pd.DataFrame) -> list[folium.Element]:
    """The visitor's city and a dashed line to the nearest place."""
    origin = folium.CircleMarker(
        [origin_lat, origin_lon], radius=6, color="#000", weight=2, fill=True, fill_color="#fff",
        fill_opacity=1, tooltip=html.escape(f"Départ : {label}"))
    elements: list[folium.CircleMarker | folium.PolyLine] = [origin]
    if not target.empty:
        elements.insert(0, folium.PolyLine(
            [[origin_lat, origin_lon], [float(target["lat"].iloc[0]), float(target["lon"].iloc[0])]],
            color="#000", weight=2, dash_array="6 6", opacity=0.7))
        elements[0].options["interactive"] = False
    for element in elements:
        # On the places' canvas so that the tooltip gets the mouse (see controls.SharedCanvas).
        element.options["pane"] = HIT_PANE
    return list(elements)


def standalone_parts(df: pd.DataFrame, outlines: dict | None, source_label: str = "",
                     credit: str = "", vocab: Vocabulary | None = None,
                     fields: Fields | None = None) -> dict[str, Markup]:
    """The map of these places, fitted to its frame, as the parts of a page: header, body, script."""
    m = base_map(outlines, credit=credit, vocab=vocab)
    fit = bounds_of(df) or FRANCE_BOUNDS
    places_group(df, source_label=source_label, overlays=[FitBounds(fit, "standalone", 11, on_resize=True)],
                 vocab=vocab, fields=fields).add_to(m)
    root = figure_of(m)
    root.render()  # fills the figure's header, body and script
    return {"header": Markup(root.header.render()), "body": Markup(root.html.render()),
            "script": Markup(root.script.render())}


def standalone_html(df: pd.DataFrame, outlines: dict | None, source_label: str = "", credit: str = "",
                    title: str = PAGE_TITLE, vocab: Vocabulary | None = None, fields: Fields | None = None) -> str:
    """A self-contained HTML page of the map (for embedding or offline use), fitted to its frame."""
    page = render("standalone.html", title=title,
                  **standalone_parts(df, outlines, source_label, credit, vocab, fields))
    return with_policy(page)  # a second lock: only the page's own scripts run
