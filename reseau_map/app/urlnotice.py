"""The URL contract, honest: an address Streamlit drops for its length is said, in French, in the browser.

Past 1,000 parameters (or 512 Ki characters) Streamlit ignores the whole query string and says
nothing: `region=Bretagne` is lost with the 1,000 junk repeats before it. The script never sees
that address; the browser still has it (static/url_notice.js reads window.location). An address
longer than the HTTP server accepts (about 64 Ko) is answered « 400 » before any page exists: the
README states both limits.
"""

from __future__ import annotations

from reseau_map.app.component import query_limits
from reseau_map.core.templates import render

TOO_MANY = "L'adresse de cette page a trop de paramètres ({n} ; au plus {max_fields})"
TOO_LONG = "L'adresse de cette page est trop longue ({chars} caractères ; au plus {max_chars})"
CONSEQUENCE = (" : le serveur les ignore tous, la carte montre la vue par défaut. Raccourcissez le lien (un "
               "paramètre par filtre suffit, par exemple ?region=Bretagne).")


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def script() -> str:
    """The notice's browser script, with Streamlit's limits and the French sentences."""
    fields, chars = query_limits()
    many = TOO_MANY.replace("{max_fields}", _grouped(fields)) + CONSEQUENCE
    long = TOO_LONG.replace("{max_chars}", _grouped(chars)) + CONSEQUENCE
    return render("url_notice.html", config={"maxFields": fields, "maxChars": chars, "tooMany": many,
                                              "tooLong": long})
