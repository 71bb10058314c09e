"""French names of foreign cities near France (« Genève », « Bruxelles », « Londres »).

The offline gazetteer knows foreign cities by their GeoNames (mostly English) name only; a
visitor types the name they use. Each French name maps to the gazetteer's name and country.
"""

from __future__ import annotations

from reseau_map.core.text import place_key

# French name -> (the gazetteer's name, ISO country code). The biggest cities around France,
# and those whose French name differs from the local or English one.
EXONYMS: dict[str, tuple[str, str]] = {
    # Belgique, Luxembourg, Pays-Bas
    "Bruxelles": ("Brussels", "BE"), "Anvers": ("Antwerp", "BE"), "Gand": ("Gent", "BE"),
    "Bruges": ("Brugge", "BE"), "Malines": ("Mechelen", "BE"), "Louvain": ("Leuven", "BE"),
    "Courtrai": ("Kortrijk", "BE"), "Ostende": ("Ostend", "BE"), "Liège": ("Liège", "BE"),
    "Luxembourg": ("Luxembourg", "LU"), "Amsterdam": ("Amsterdam", "NL"), "La Haye": ("The Hague", "NL"),
    "Rotterdam": ("Rotterdam", "NL"), "Maastricht": ("Maastricht", "NL"),
    # Royaume-Uni, Irlande
    "Londres": ("London", "GB"), "Douvres": ("Dover", "GB"), "Cantorbéry": ("Canterbury", "GB"),
    "Édimbourg": ("Edinburgh", "GB"), "Dublin": ("Dublin", "IE"),
    # Suisse
    "Genève": ("Geneva", "CH"), "Bâle": ("Basel", "CH"), "Berne": ("Bern", "CH"), "Zurich": ("Zürich", "CH"),
    "Lucerne": ("Luzern", "CH"), "Lausanne": ("Lausanne", "CH"), "Neuchâtel": ("Neuchâtel", "CH"),
    "Fribourg": ("Fribourg", "CH"), "Lugano": ("Lugano", "CH"),
    # Allemagne, Autriche
    "Aix-la-Chapelle": ("Aachen", "DE"), "Cologne": ("Köln", "DE"), "Trèves": ("Trier", "DE"),
    "Sarrebruck": ("Saarbrücken", "DE"), "Fribourg-en-Brisgau": ("Freiburg", "DE"),
    "Mayence": ("Mainz", "DE"), "Francfort": ("Frankfurt am Main", "DE"), "Stuttgart": ("Stuttgart", "DE"),
    "Karlsruhe": ("Karlsruhe", "DE"), "Munich": ("Munich", "DE"), "Berlin": ("Berlin", "DE"),
    "Hambourg": ("Hamburg", "DE"), "Vienne (Autriche)": ("Vienna", "AT"),
    # Italie, Monaco
    "Turin": ("Turin", "IT"), "Milan": ("Milan", "IT"), "Gênes": ("Genoa", "IT"), "Venise": ("Venice", "IT"),
    "Florence": ("Florence", "IT"), "Rome": ("Rome", "IT"), "Naples": ("Naples", "IT"),
    "Aoste": ("Aosta", "IT"), "San Remo": ("Sanremo", "IT"), "Monaco": ("Monaco", "MC"),
    # Espagne, Andorre, Portugal
    "Barcelone": ("Barcelona", "ES"), "Madrid": ("Madrid", "ES"), "Saragosse": ("Zaragoza", "ES"),
    "Séville": ("Sevilla", "ES"), "Bilbao": ("Bilbao", "ES"), "Pampelune": ("Pamplona", "ES"),
    "Saint-Sébastien": ("Donostia / San Sebastián", "ES"), "Valence (Espagne)": ("Valencia", "ES"),
    "Andorre-la-Vieille": ("Andorra la Vella", "AD"), "Lisbonne": ("Lisbon", "PT"), "Porto": ("Porto", "PT"),
}
BY_KEY: dict[str, str] = {place_key(name): name for name in EXONYMS}


def french_exonym(text: str) -> tuple[str, str, str] | None:
    """(French name, gazetteer name, country) for a typed French name of a foreign city, or None."""
    name = BY_KEY.get(place_key(text))
    if name is None:
        return None
    return (name, *EXONYMS[name])
