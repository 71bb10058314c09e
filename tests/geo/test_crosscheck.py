"""Given coordinates checked against the commune the row names (geo/crosscheck.py)."""

import pandas as pd
import pytest

from reseau_map.core.findings import DOUBTFUL
from reseau_map.geo.communes import load_communes
from reseau_map.geo.crosscheck import departments_of, far_from_commune


def frame(*rows):
    df = pd.DataFrame(rows, columns=["name", "city", "postcode", "insee", "lat", "lon"])
    df.insert(0, "_row", range(2, len(df) + 2))
    return df


@pytest.mark.parametrize(("row", "reason"), [
    (("Près de Rennes", "Rennes", "", "", 48.12, -1.66), None),
    (("Rennes en capitales", "RENNES", "", "", 48.12, -1.66), None),
    (("Un point de Rennes à Vannes", "Vannes", "", "", 48.11, -1.68), "coordonnées à 95 km de la commune indiquée "
                                                                       "(Vannes, 56)"),
    # A homonym near the point is enough when the row says only a name (8 Saint-Paul)...
    (("Saint-Paul de l'Oise", "Saint-Paul", "", "", 49.44, 2.01), None),
    # ...but a postcode says which one.
    (("Saint-Paul 97460 dans l'Oise", "Saint-Paul", "97460", "", 49.44, 2.01), "km de la commune indiquée "
                                                                              "(Saint-Paul, 974)"),
    (("Code INSEE de Brest", "", "", "29019", 48.11, -1.68), "(Brest, 29)"),
    (("Nulle part", "Nullepartville", "", "", 48.11, -1.68), None),  # no commune to compare with
])
def test_far_points_are_doubtful_and_kept(row, reason):
    df = frame(row)
    found = far_from_commune(df, pd.Series(True, index=df.index), load_communes(), "lat / lon")
    if reason is None:
        assert found == []
    else:
        [f] = found
        assert reason in f.reason and f.kind == DOUBTFUL and f.reason.endswith("; gardées")
        assert (f.row, f.column, f.name) == (2, "lat / lon", row[0])


def test_near_but_in_another_department():
    # 9 km from Paris's town hall, in Saint-Denis: the département says what the distance does not.
    df = frame(("À la limite", "Paris", "", "", 48.936, 2.357))
    [f] = far_from_commune(df, pd.Series(True, index=df.index), load_communes(), "lat / lon")
    assert f.reason.startswith("coordonnées dans le département 93, la commune indiquée (Paris) est dans le 75")


def test_rows_placed_by_their_commune_are_not_checked():
    df = frame(("Placé par sa commune", "Vannes", "", "", 48.11, -1.68))
    assert far_from_commune(df, pd.Series(False, index=df.index), load_communes(), "lat / lon") == []


def test_departments_of_points():
    assert departments_of([48.11, 0.0], [-1.68, 0.0]) == ["35", None]
