"""The offline atlas basemap: label tiers, the payload's size and stability, the palette's contrast."""

import gzip
import json

import pytest
from contrast import GRAPHIC_MIN, TEXT_MIN, luminance, ratio

from reseau_map.app.component import BaseMap
from reseau_map.files.network import load_network
from reseau_map.maps import atlas, mapview
from reseau_map.maps.library import calls
from tools.build import basemap
from tools.build.basemap import Label, decode, encode, label_box, min_zooms, read_labels

COMMUNES_HEADER = "insee,name,kind,parent,department,region,postcodes,population,lat,lon,point,former,key\n"
# A tiny France: a regional capital, a prefecture, two towns next to each other, a hamlet
# below the population cap and a commune déléguée (never labelled).
COMMUNES_ROWS = [
    "35238,Rennes,commune,,35,53,35000,225081,48.111,-1.680,2018,,rennes",
    "22278,Saint-Brieuc,commune,,22,53,22000,44170,48.514,-2.765,2018,,saint brieuc",
    "35047,Bruz,commune,,35,53,35170,18950,48.025,-1.746,2018,,bruz",
    "35051,Chartres-de-Bretagne,commune,,35,53,35131,8200,48.040,-1.704,2018,,chartres de bretagne",
    "35999,Hameau,commune,,35,53,35999,120,48.300,-1.500,2018,,hameau",
    "35998,Ancienne,deleguee,35047,35,53,35170,5000,48.030,-1.750,2018,,ancienne",
]


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "communes.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("# reseau-map-communes 1\n" + COMMUNES_HEADER + "\n".join(COMMUNES_ROWS) + "\n")
    (tmp_path / "regions-2026.json").write_text(json.dumps([{"code": "53", "chefLieu": "35238"}]))
    (tmp_path / "departements-2026.json").write_text(json.dumps([{"code": "35", "chefLieu": "35238"},
                                                                  {"code": "22", "chefLieu": "22278"}]))
    return read_labels(path, tmp_path, cap=1_000)


def test_labels_in_priority_order_above_the_cap(tiny):
    assert [lab.name for lab in tiny] == ["Rennes", "Saint-Brieuc", "Bruz", "Chartres-de-Bretagne"]
    assert [lab.rank for lab in tiny] == [0, 1, 2, 2]


def test_min_zoom_by_priority_and_room(tiny):
    zooms = dict(zip([lab.name for lab in tiny], min_zooms(tiny), strict=True))
    assert zooms["Rennes"] == basemap.MIN_ZOOM  # the regional capital at France zoom
    assert zooms["Saint-Brieuc"] <= zooms["Bruz"]  # a prefecture before a bigger town
    # Bruz and Chartres-de-Bretagne are 3 km apart: the bigger one first, the other once there is room.
    assert basemap.MIN_ZOOM < zooms["Bruz"] < zooms["Chartres-de-Bretagne"] <= basemap.MAX_ZOOM


def overlaps(labels, zooms, zoom):
    boxes = [label_box(lab, zoom) for lab, z in zip(labels, zooms, strict=True) if z is not None and z <= zoom]
    cell, grid, found = 128.0, {}, 0
    for box in boxes:
        keys = [(gx, gy) for gx in range(int(box[0] // cell), int(box[2] // cell) + 1)
                for gy in range(int(box[1] // cell), int(box[3] // cell) + 1)]
        seen = {id(o): o for k in keys for o in grid.get(k, ())}
        found += sum(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in seen.values())
        for k in keys:
            grid.setdefault(k, []).append(box)
    return found


def shipped_labels():
    payload = json.loads(atlas.BASEMAP_FILE.read_text(encoding="utf-8"))["labels"]
    names, ranks, points = payload["names"].split("|"), payload["ranks"], decode(payload["points"])
    zooms = [payload["z0"] + t * payload["step"] for t, count in enumerate(payload["counts"]) for _ in range(count)]
    labels = [Label(n, lat, lon, int(r), 0) for n, r, (lat, lon) in zip(names, ranks, points, strict=True)]
    return labels, zooms, payload


@pytest.mark.parametrize("zoom", basemap.tier_zooms())
def test_shipped_labels_never_overlap_at_any_zoom(zoom):
    labels, zooms, _ = shipped_labels()
    assert overlaps(labels, zooms, zoom) == 0


def test_shipped_labels_tiers():
    labels, zooms, payload = shipped_labels()
    first = {lab.name for lab, z in zip(labels, zooms, strict=True) if z == basemap.MIN_ZOOM}
    assert {"Paris", "Rennes", "Lyon", "Marseille", "Toulouse", "Lille", "Bordeaux", "Strasbourg"} <= first
    assert 5_000 <= len(labels) <= 15_000 and sum(payload["counts"]) == len(labels)
    assert payload["counts"][0] <= 40  # France zoom stays readable
    assert basemap.tier_zooms()[1] == 5.5 and len(payload["counts"]) == len(basemap.tier_zooms())


def test_polyline_round_trip():
    points = [(48.111, -1.68), (48.112, -1.679), (-21.115, 55.536), (0.0, 0.0)]
    assert decode(encode(points)) == points


def test_borders_carry_regions_and_the_2012_map():
    data = json.loads(atlas.BASEMAP_FILE.read_text(encoding="utf-8"))
    kinds = data["kinds"]
    assert len(kinds) == len(data["arcs"]) and set(kinds) <= set("0123")
    assert kinds.count("1") + kinds.count("3") > 20  # borders between regions of 2016
    assert kinds.count("2") > 0 and kinds.count("3") > 0  # the 2012 map differs, and shares most


def base_script_args():
    # What the page sends for its base map (maps.component.BaseMap: st_folium's own arguments).
    return BaseMap(mapview.base_map(None, mapview.PAGE_HEIGHT, credit="B. Martin (2012)"), mapview.PAGE_HEIGHT).args


def kb(args):
    return sum(len(args[k].encode()) for k in ("script", "header", "html")) / 1024 + sum(
        len(link.encode()) for k in ("js_links", "css_links") for link in args[k]) / 1024


def test_base_map_payload_is_small_and_the_same_on_every_build():
    first, second = base_script_args(), base_script_args()
    assert first["script"] == second["script"] and first["header"] == second["header"]
    assert kb(first) <= 600  # Leaflet included (about 215 KB of it)
    assert atlas.BASEMAP_FILE.stat().st_size <= 300 * 1024


def test_the_atlas_is_the_default_base_with_its_credits():
    script = base_script_args()["script"]
    assert json.dumps(atlas.ATLAS_NAME, ensure_ascii=False) in script or atlas.ATLAS_NAME in script
    for credit in ("IGN Admin Express COG 2018 (Licence Ouverte)", "Communes : INSEE COG 2026",
                   "Natural Earth (domaine public)", "Lieux : B. Martin (2012)"):
        assert credit in script
    assert calls(script, "L.rcFrenchControls")[0]["zoomOutTitle"] == "Zoom arrière"
    assert calls(script, "L.rcFrenchControls")[0]["imperial"] is False


@pytest.mark.skipif(not basemap.CHEFS_DIR.is_dir(), reason="shared/data/communes is not next to the repository")
def test_the_data_file_is_what_the_builder_makes():
    assert basemap.dumps(basemap.build_basemap()) == atlas.BASEMAP_FILE.read_text(encoding="utf-8")


# Contrast (WCAG 2.2 AA), computed from the palette constants.

def test_luminance_matches_the_standard():
    assert luminance("#ffffff") == pytest.approx(1.0) and luminance("#000000") == 0.0
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert ratio("#ffffff", "#E69F00") == pytest.approx(2.25, abs=0.01)  # the badge of issue 11


def test_names_and_borders_read_on_the_land():
    assert ratio(atlas.LABEL, atlas.LAND) >= TEXT_MIN
    assert ratio(atlas.LABEL, atlas.LABEL_HALO) >= TEXT_MIN  # over a choropleth, the halo is the ground
    assert ratio(atlas.LABEL, atlas.NEIGHBOUR) >= TEXT_MIN
    assert ratio(atlas.REGION_EDGE, atlas.LAND) >= GRAPHIC_MIN
    assert ratio(atlas.COAST, atlas.LAND) >= GRAPHIC_MIN


def test_marker_colours_stand_out_from_the_land():
    for color in (t.colour for t in load_network().vocabulary.types):  # the packaged network's
        assert ratio(color, atlas.LAND) >= GRAPHIC_MIN, color
        assert ratio(color, "#ffffff") >= TEXT_MIN, color  # the popup's badge: white text on the colour


def blend(color, ground, alpha):
    mixed = [round(alpha * int(color[i:i + 2], 16) + (1 - alpha) * int(ground[i:i + 2], 16)) for i in (1, 3, 5)]
    return "#" + "".join(f"{v:02x}" for v in mixed)


def test_choropleth_classes_are_ordered_and_told_apart():
    shown = [blend(c, atlas.LAND, mapview.CHOROPLETH_OPACITY)
             for c in (mapview.CHOROPLETH_ZERO, *mapview.CHOROPLETH_COLORS)]
    lums = [luminance(c) for c in shown]
    assert lums == sorted(lums, reverse=True)  # light = few places
    # 3:1 between five neighbours is impossible (81:1 overall): ≥ 1.6:1, plus border and tooltip text.
    assert min(ratio(a, b) for a, b in zip(shown, shown[1:], strict=False)) >= 1.6
    assert ratio(mapview.CHOROPLETH_EDGE, shown[0]) >= GRAPHIC_MIN  # the « 0 » regions keep their edge
