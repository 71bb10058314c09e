"""Geography: gazetteer, regions, geocoding chain, distances."""
