"""French regions (2016 map): INSEE codes, names, and their outlines for the basemap."""

# INSEE region codes as GeoNames' admin1code carries them for France.
REGIONS: dict[str, str] = {
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}
ABROAD = "Hors de France"
REGION_NAMES: tuple[str, ...] = tuple(sorted(REGIONS.values())) + (ABROAD,)
