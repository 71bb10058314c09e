"""The folium map: offline assets, the places layer, controls, the base map."""
