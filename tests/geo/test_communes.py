"""The offline communes: one table of real rows -> commune, and the builder on tiny real files."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from reseau_map.core.errors import DataFileError
from reseau_map.geo.commune_file import PointSource
from reseau_map.geo.commune_query import CommuneQuery
from reseau_map.geo.communes import HOW, load_communes, read_communes
from tools.build.communes import build_communes

FIXTURE_REF = Path(__file__).parent.parent / "fixtures" / "communes_ref"

# (city, postcode, insee, department) -> (INSEE code found, how). Codes checked in INSEE COG 2026.
RESOLVE_CASES = [
    # Homonyms told apart by postcode, including a short or renamed name.
    (("Cesson", "35510", "", ""), ("35051", "postcode")),  # Cesson-Sévigné, not Cesson (77)
    (("Cesson", "", "", ""), ("77067", "name_unique")),
    (("Grigny", "69520", "", ""), ("69096", "postcode")),  # renamed Grigny-sur-Rhône
    (("Grigny", "91350", "", ""), ("91286", "postcode")),
    (("Saint-Paul", "97460", "", ""), ("97415", "postcode")),  # La Réunion, 8 Saint-Paul
    (("Saint-Paul", "", "", "974"), ("97415", "department")),
    (("Saint-Denis (93)", "", "", ""), ("93066", "department")),
    (("Saint-Denis", "", "", "974"), ("97411", "department")),
    (("Cesson-Sévigné (35)", "", "", ""), ("35051", "department")),
    (("35510 Cesson-Sévigné", "", "", ""), ("35051", "postcode")),
    (("Rennes", "35043", "", ""), ("35238", "department")),  # a CEDEX code: its département
    # Arrondissements municipaux, however they are written.
    (("Paris 8e Arrondissement", "", "", ""), ("75108", "name_unique")),
    (("Paris 8", "", "", ""), ("75108", "name_unique")),
    (("Paris VIIIe", "", "", ""), ("75108", "name_unique")),
    (("Lyon-5E-Arrondissement", "", "", ""), ("69385", "name_unique")),
    (("Marseille 13", "", "", ""), ("13213", "name_unique")),
    (("Marseille 13e", "", "", ""), ("13213", "name_unique")),
    (("Paris", "", "", ""), ("75056", "name_unique")),
    (("75008", "", "", ""), ("75108", "postcode")),
    (("Paris", "75116", "", ""), ("75116", "postcode")),
    # Spellings of real lists.
    (("35000 RENNES CEDEX", "", "", ""), ("35238", "postcode")),
    (("Rennes Cedex 08", "", "", ""), ("35238", "name_unique")),
    (("ST ETIENNE", "", "", ""), ("42218", "name_unique")),
    (("Ste Foy les Lyon", "", "", ""), ("69202", "name_unique")),
    (("Bourgoin-Jallieu", "", "", ""), ("38053", "name_unique")),
    (("Havre (Le)", "", "", ""), ("76351", "name_unique")),
    (("Havre", "", "", ""), ("76351", "name_unique")),
    (("Rennes, France", "", "", ""), ("35238", "name_unique")),
    (("Latour-de-France", "", "", ""), ("66096", "name_unique")),
    (("Chalon s/ Saône", "", "", ""), ("71076", "name_unique")),
    (("Sainte-Marie (La Réunion)", "97438", "", ""), ("97418", "postcode")),
    (("Rennes, Ille-et-Vilaine", "", "", ""), ("35238", "name_unique")),
    (("Rennes", "35 000", "", ""), ("35238", "postcode")),
    (("Bourg-en-Bresse", "1000", "", ""), ("01053", "postcode")),  # a spreadsheet dropped the 0
    # INSEE code first, even against the name; a merged commune's code.
    (("Rennes", "", "35051", ""), ("35051", "insee")),
    (("", "", "14623", ""), ("14623", "insee")),
    (("", "", "38196", ""), ("38053", "insee")),
    # Postcode first (issue 19): only the postcode's communes and its département are candidates.
    (("Percy", "38930", "", ""), ("38301", "postcode")),  # Le Percy (Isère), not Percy (Manche)
    (("Foucherans", "25620", "", ""), ("25558", "closest")),  # Tarcenay-Foucherans, not Foucherans (Jura)
    (("Rennes", "29200", "", ""), ("29019", "closest")),  # Brest's postcode: Brest, flagged
    (("Rennes", "35510", "", ""), ("35238", "department")),  # a neighbour's postcode, same département
    # The overseas collectivities are communes of France with their postcodes.
    (("Saint-Martin", "97150", "", ""), ("97801", "postcode")),  # not Saint-Martin in Occitanie
    (("Saint-Pierre", "97500", "", ""), ("97502", "postcode")),  # not Saint-Pierre (La Réunion)
    (("Yaté", "98834", "", ""), ("98832", "postcode")),
    (("Païta", "98890", "", ""), ("98821", "department")),  # a postcode La Poste does not list
    (("Papeete", "", "", ""), ("98735", "name_unique")),
    # The file's region tells homonyms apart.
    (("Saint-Pierre", "", "", "", "La Réunion"), ("97416", "name_unique")),
    # An old commune's name: its commune déléguée; a homonym left to population.
    (("Saint-Martin-de-Fontenay", "", "", ""), ("14623", "name_unique")),
    (("Grigny", "", "", ""), ("91286", "population")),
    (("Saint-Paul", "", "", ""), ("97415", "population")),
]


@pytest.fixture(scope="module")
def communes():
    return load_communes()


@pytest.mark.parametrize(("query", "expected"), RESOLVE_CASES, ids=lambda v: "|".join(v))
def test_resolve(communes, query, expected):
    found = communes.resolve(*query)
    assert found is not None
    assert (found.entry.insee, found.how) == expected
    assert found.how in HOW


def test_a_postcode_never_moves_a_row_to_another_department(communes):
    for city, postcode in (("Percy", "38930"), ("Foucherans", "25620"), ("Rennes", "29200"), ("Nice", "35000")):
        found = communes.resolve(city, postcode)
        assert found.entry.department == postcode[:2], (city, postcode)
    disagree = communes.resolve("Rennes", "29200")
    assert disagree.doubtful and "ne concordent pas (Rennes est dans le département 35)" in disagree.note
    assert "sa commune principale, Rennes" in communes.resolve("Nice", "35000").note
    assert not communes.resolve("Percy", "38930").doubtful  # « Le Percy »: its name, read with its article
    assert communes.resolve("Rennes", "35510").note == "le code postal 35510 n'est pas celui de Rennes"


def test_insee_code_and_postcode_of_another_department_are_told(communes):
    found = communes.resolve("Rennes", "29200", "35238")
    assert found.entry.insee == "35238" and found.doubtful
    assert "le code INSEE 35238 (Rennes, 35) et le code postal 29200 ne concordent pas" in found.note


def test_notes_say_what_was_decided(communes):
    merged = communes.resolve("Saint-Martin-de-Fontenay")
    assert merged.entry.kind == "deleguee" and merged.entry.parent == "14408"
    assert merged.note == ("ancienne commune de Saint-Martin-de-Fontenay, "
                           "intégrée à Saint-Martin-de-May (14)")
    assert communes.resolve("Arbignieu").note.startswith("ancienne commune d'Arbignieu")
    ambiguous = communes.resolve("Saint-Paul")
    assert ambiguous.homonyms == 8
    assert ambiguous.note.startswith("commune ambiguë : 8 communes portent ce nom")
    assert communes.resolve("Grigny", "91350").note == ""
    assert "intégrée à Bourgoin-Jallieu (38)" in communes.resolve("", insee="38196").note
    assert "lu comme « Cesson-Sévigné »" in communes.resolve("Cesson", "35510").note
    assert communes.resolve("Rennes", insee="35238").note == ""
    assert communes.resolve("Paris 8", insee="75056").note == ""
    assert communes.resolve("Saint-Martin-de-Fontenay", insee="14408").note == ""
    # A postcode typed in the INSEE column: no such code, the name decides...
    assert communes.resolve("Rennes", insee="35000").entry.insee == "35238"
    # ...unless it is also a code (01400 is Seillonnaz): the code wins, the note warns.
    wrong = communes.resolve("Rennes", insee="01400")
    assert wrong.entry.name == "Seillonnaz" and "désigne Seillonnaz, pas « Rennes »" in wrong.note


def test_entry_carries_region_and_point(communes):
    reunion = communes.resolve("Saint-Paul", "97460").entry
    assert (reunion.region, reunion.department) == ("La Réunion", "974")
    assert -21.2 < reunion.lat < -20.9 and 55.2 < reunion.lon < 55.5
    paris8 = communes.resolve("Paris 8").entry
    assert paris8.kind == "arrondissement" and paris8.parent == "75056"
    assert paris8.region == "Île-de-France" and "75008" in paris8.postcodes


def test_unknown_name_gives_none_and_suggestions(communes):
    assert communes.resolve("Bourgoin-Jalieu") is None
    assert communes.suggest("Bourgoin-Jalieu")[0] == "Bourgoin-Jallieu"
    assert communes.suggest("Marseile")[0] == "Marseille"
    assert communes.suggest("") == []


def test_suggest_takes_a_few_milliseconds(communes):
    communes.suggest("Rennnes")  # first call builds the length index
    start = time.perf_counter()
    for word in ("Rennnes", "Bourgoin Jalieu", "Fontenay le Marmoin", "Sain Etienne"):
        communes.suggest(word)
    assert (time.perf_counter() - start) / 4 < 0.05  # ~5 ms measured; generous for busy CI


def test_query_reads_a_city_text():
    assert CommuneQuery.parse("35000 RENNES CEDEX") == CommuneQuery(
        "35000 RENNES CEDEX", "rennes", postcode="35000")
    assert CommuneQuery.parse("Cesson-Sévigné (35)").department == "35"
    assert CommuneQuery.parse("Sainte-Marie (La Réunion)").name_keys() == [
        "sainte marie la reunion", "sainte marie"]
    assert CommuneQuery.parse("Lyon 1er").arrondissement == ("lyon", 1)
    assert CommuneQuery.parse("5e arrondissement de Lyon").arrondissement == ("lyon", 5)
    assert CommuneQuery.parse("Paris l'Hôpital").arrondissement is None  # a real commune


def test_unreadable_file_is_a_french_error(tmp_path):
    bad = tmp_path / "communes.csv.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(DataFileError, match="illisible"):
        read_communes(bad)
    bad.write_bytes(gzip.compress(b"# autre 9\n"))
    with pytest.raises(DataFileError, match="format"):
        read_communes(bad)


def fake_geonames(name: str, near: tuple[float, float], max_km: float) -> tuple[float, float] | None:
    """GeoNames knows Saint-Bois and Paris 8e, not Arbignieu (as in the real gazetteer)."""
    return {"Saint-Bois": (45.7363, 5.6219), "Paris 8e Arrondissement": (48.8763, 2.3183)}.get(name)


# The towns of tools.build.settlements for two of the fixture's communes (GeoNames points).
TOWNS = {"14408": ((49.10107, -0.37471), "geonames"), "97502": ((46.77914, -56.1773), "geonames")}


def test_builder_on_tiny_reference(tmp_path):
    out = tmp_path / "communes.csv.gz"
    counts = build_communes(FIXTURE_REF, out, find_geonames=fake_geonames, towns=TOWNS)
    first = out.read_bytes()
    build_communes(FIXTURE_REF, out, find_geonames=fake_geonames, towns=TOWNS)
    assert out.read_bytes() == first  # deterministic, byte for byte
    built = read_communes(out)
    rows = {(e.insee, e.kind): e for e in built}
    assert len(rows) == 12  # Saint-Pierre (975, an overseas collectivity) included
    assert {k: rows[k].point for k in rows} == {
        ("01015", "commune"): PointSource.OWN_2018,
        ("01015", "deleguee"): PointSource.PARENT,  # merged before 2018: no village point
        ("01340", "deleguee"): PointSource.GEONAMES,
        ("14408", "commune"): PointSource.TOWN,  # the town, not the centre of the commune's area
        ("14408", "deleguee"): PointSource.TOWN,  # the chef-lieu village: the same town
        ("14623", "deleguee"): PointSource.OWN_2018,
        ("15035", "commune"): PointSource.POSTCODE,  # re-created after 2018
        ("15141", "commune"): PointSource.OWN_2018,
        ("35238", "commune"): PointSource.OWN_2018,
        ("75056", "commune"): PointSource.OWN_2018,
        ("75108", "arrondissement"): PointSource.GEONAMES,
        ("97502", "commune"): PointSource.TOWN,
    }
    assert sum(counts.values()) == 12
    assert rows[("97502", "commune")].region == "Saint-Pierre-et-Miquelon"
    assert (rows[("14408", "commune")].lat, rows[("14408", "commune")].lon) == TOWNS["14408"][0]
    rennes = rows[("35238", "commune")]
    assert (rennes.name, rennes.region, rennes.postcodes, rennes.population) == (
        "Rennes", "Bretagne", ("35000", "35200", "35700"), 230890)
    assert (rennes.lat, rennes.lon) == (48.11156, -1.68188)
    assert rows[("14623", "deleguee")].parent == "14408"
    assert rows[("15035", "commune")].lat == rows[("15141", "commune")].lat
    assert built.resolve("May-sur-Orne").entry.insee == "14408"
    assert built.resolve("", insee="01340").note.startswith("ancienne commune de Saint-Bois")


def test_geonames_points_only_for_the_same_name():
    # Bug: the gazetteer answers « La Vineuse » with La Roche-Vineuse (16 km away).
    from tools.build.communes import geonames_finder

    find = geonames_finder()
    assert find("La Vineuse", (46.46548, 4.58972), 20) is None
    paris8 = find("Paris 8e Arrondissement", (48.85661, 2.3428), 20)
    assert paris8 is not None and abs(paris8[0] - 48.876) < 0.01
    assert find("Sannerville", (49.2, -0.25), 20) is not None
    assert find("Sannerville", (45.0, 2.0), 20) is None  # too far from where it should be
