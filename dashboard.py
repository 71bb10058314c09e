"""Carte du Réseau des Cantines et des lieux associés — the Streamlit entry point of a checkout.

`streamlit run dashboard.py` runs the app of the package (reseau_map/app/main.py), as
`reseau-map serve` does once the package is installed.
"""

from reseau_map.app.main import run

run()
