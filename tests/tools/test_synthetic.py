"""Synthetic places files for the benchmark."""

from reseau_map.files.places import load_places
from reseau_map.geo.regions import REGION_NAMES
from tools.build.synthetic import synthetic_places

N = 200


def test_synthetic_places_are_valid_and_deterministic():
    data = synthetic_places(N, seed=7)
    assert data == synthetic_places(N, seed=7)
    assert data != synthetic_places(N, seed=8)
    df, meta = load_places(data)
    assert meta.findings == ()
    assert len(df) == N and df["id"].is_unique
    assert set(df["type"]) <= {"cantine", "lieu_associe", "autre"}
    assert set(df["status"]) <= {"ouvert", "en_projet"}
    assert set(df["region"]) <= set(REGION_NAMES) and "" not in set(df["region"])
    assert df["lat"].between(41, 52).all() and df["lon"].between(-6, 10).all()
    assert df["name"].str.contains(" n°").all()


def test_synthetic_partner_has_no_coordinates_and_some_misspelt_communes():
    from reseau_map.geo.communes import load_communes
    from tools.build.synthetic import PARTNER_HEADERS, synthetic_partner

    communes = load_communes()
    data = synthetic_partner(400, seed=3, communes=communes)
    assert data == synthetic_partner(400, seed=3, communes=communes)
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == ";".join(PARTNER_HEADERS) and len(lines) == 401
    rows = [line.split(";") for line in lines[1:]]
    known = {c.name.upper() for c in communes if c.kind == "commune"}
    unknown = [r[1] for r in rows if r[1].upper() not in known]
    assert 0 < len(unknown) < 0.15 * len(rows)  # about 5 % misspelt
    assert all(len(r[2]) == 5 and r[2].isdigit() for r in rows if r[2])


def test_synthetic_partner_with_known_headers_loads():
    from tools.build.synthetic import synthetic_partner

    df, _ = load_places(synthetic_partner(50, seed=1, headers=("nom", "commune", "postcode", "type", "site")))
    assert len(df) == 50 and df["lat"].isna().all() and df["city"].ne("").all()
