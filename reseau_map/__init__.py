"""Carte du Réseau des Cantines et des lieux associés: data, geocoding, filters and map."""
