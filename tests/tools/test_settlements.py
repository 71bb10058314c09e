"""The towns of the communes (tools.build.settlements), on tiny GeoNames and countries-states-cities rows."""

from tools.build.settlements import Place, geonames_places, settlement_points, town_of

# GeoNames cities500 lines (tab-separated, the columns of GeoNames' readme; only those we read matter).


def line(name, lat, lon, feature, country, admin1="", admin2="", admin3="", admin4="", population=0):
    fields = ["1", name, name, "", str(lat), str(lon), "P", feature, country, "", admin1, admin2, admin3, admin4,
              str(population), "", "", "", "2023-01-01"]
    return "\t".join(fields)


GEONAMES = [
    line("Macouria", 4.91216, -52.37432, "PPL", "GF", "GF", "973", "9731", "97305", 8773),
    line("Tonate", 5.01171, -52.47241, "PPLA4", "GF", "GF", "973", "9731", "97305", 0),  # the seat
    line("Rennes", 48.11198, -1.67429, "PPLA", "FR", "53", "35", "352", "35238", 209375),
    line("Paris 08 Élysée", 48.8763, 2.3183, "PPLX", "FR", "11", "75", "751", "75108", 40000),  # part of a city
    line("Mamoudzou", -12.78234, 45.22878, "PPLC", "YT", "97611", population=54831),  # admin1 is the code
    line("Gustavia", 17.89618, -62.84978, "PPLC", "BL", "00", population=5988),
]
CSC = [{"name": "Saül", "latitude": "3.6219", "longitude": "-53.2096", "country_code": "GF"},
       {"name": "Rennes", "latitude": "48.1", "longitude": "-1.6", "country_code": "FR"}]  # never used in France
RECORDS = [
    {"code": "97305", "nom": "Macouria", "type": "commune-actuelle", "departement": "973"},
    {"code": "97352", "nom": "Saül", "type": "commune-actuelle", "departement": "973"},
    {"code": "35238", "nom": "Rennes", "type": "commune-actuelle", "departement": "35"},
    {"code": "35999", "nom": "Sans-Ville", "type": "commune-actuelle", "departement": "35"},
    {"code": "97611", "nom": "Mamoudzou", "type": "commune-actuelle", "departement": "976"},
    {"code": "97701", "nom": "Saint-Barthélemy", "type": "commune-actuelle", "departement": "977"},
    {"code": "75108", "nom": "Paris 8e Arrondissement", "type": "arrondissement-municipal", "departement": "75"},
]


def test_places_are_found_by_the_insee_code_they_carry():
    by_code = geonames_places(GEONAMES)
    assert {p.name for p in by_code["97305"]} == {"Macouria", "Tonate"}
    assert [p.name for p in by_code["97611"]] == ["Mamoudzou"]
    assert "75108" not in by_code  # a part of a city is not a town


def test_the_seat_before_the_place_of_the_same_name_before_the_most_populous():
    places = [Place("Hameau", 1, 1, "PPL", 900), Place("Bourg", 2, 2, "PPL", 500), Place("Chef", 3, 3, "PPLA4", 0)]
    assert town_of("Bourg", places).name == "Chef"
    assert town_of("Bourg", places[:2]).name == "Bourg"
    assert town_of("Autre", places[:2]).name == "Hameau"
    assert town_of("Autre", []) is None


def test_settlement_points():
    towns = settlement_points(RECORDS, GEONAMES, CSC)
    assert towns["97305"] == ((5.01171, -52.47241), "geonames")  # Tonate, where the town hall is
    assert towns["97352"] == ((3.6219, -53.2096), "csc")  # overseas, GeoNames lacks it
    assert towns["35238"] == ((48.11198, -1.67429), "geonames")
    assert towns["97611"][1] == "geonames"
    assert towns["97701"] == ((17.89618, -62.84978), "geonames")  # a territory of one commune: its capital
    assert "35999" not in towns  # no town known: the 2018 point stays
    assert "75108" not in towns  # arrondissements keep their own points
