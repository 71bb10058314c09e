"""The map's accessibility spec: French names, and outlines and clusters that read on every base."""

from contrast import GRAPHIC_MIN, TEXT_MIN, ratio

from reseau_map.maps import access, atlas, mapview

# Every background a marker or a cluster can stand on: the atlas's land, sea and neighbours, the
# choropleth's empty regions and its greens.
BASES = (atlas.LAND, atlas.SEA, atlas.NEIGHBOUR, mapview.CHOROPLETH_ZERO, *mapview.CHOROPLETH_COLORS)


def test_one_of_the_two_outlines_of_a_marker_stands_out_on_every_base():
    for base in BASES:
        best = max(ratio(access.HALO_DARK, base), ratio(access.HALO_LIGHT, base))
        assert best >= GRAPHIC_MIN, (base, best)


def test_a_clusters_count_reads_and_its_disc_or_ring_stands_out_on_every_base():
    assert ratio(access.CLUSTER_TEXT, access.CLUSTER) >= TEXT_MIN
    for base in BASES:
        best = max(ratio(access.CLUSTER, base), ratio(access.HALO_LIGHT, base))
        assert best >= GRAPHIC_MIN, (base, best)


def test_the_keyboards_ring_stands_out_between_its_light_rings():
    assert ratio(access.FOCUS, access.HALO_LIGHT) >= GRAPHIC_MIN


def test_the_spec_names_the_map_in_french_and_gives_its_colours():
    spec = access.Access().spec()
    assert spec["lang"] == "fr" and spec["title"] == "Carte des lieux du réseau" == spec["label"]
    assert spec["colours"] == {"--rc-cluster": access.CLUSTER, "--rc-cluster-text": access.CLUSTER_TEXT,
                               "--rc-ring-light": access.HALO_LIGHT, "--rc-focus": access.FOCUS}
