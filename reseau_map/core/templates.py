"""The package's browser files: JS and CSS in `static/`, HTML from the Jinja2 templates in `templates/`.

Python never builds markup or code in strings: it renders a template (autoescaped, so every
value from the data is HTML-escaped) or hands a static script its data as JSON. `script_json`
is the one way data enters a script: JSON that is safe inside an HTML page (`<`, `>`, `&`
and `'` escaped, as `jinja2.utils.htmlsafe_json_dumps` does) and inside a folium template
(`{{`, `{%` and `{#` never reach Jinja: folium parses some elements' output again).
"""

from __future__ import annotations

import functools
import re

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from reseau_map.core.settings import STATIC_DIR, TEMPLATES_DIR

JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def script_json(value: object) -> str:
    """Compact JSON for a script, safe inside HTML and inside a Jinja template."""
    text = str(htmlsafe_json_dumps(value, ensure_ascii=False, separators=(",", ":")))
    # In JSON these pairs can only occur inside strings, where "\u007b" means the same "{".
    return JINJA_OPENERS.sub(r"\\u007b", text)


@functools.cache
def static_text(name: str) -> str:
    """The text of one of the package's static files as the browser gets it (read once).

    Comments and indentation are for the file's readers: the browser gets the code without the
    header comment, the indentation and (in JS) the lines that are only a `//` comment, so that
    documenting a file costs no byte on the wire. Line breaks stay (JS reads them), and our
    files hold no multi-line string whose lines this would change.
    """
    text = (STATIC_DIR / name).read_text(encoding="utf-8")
    if text.startswith("/*"):
        text = text.partition("*/")[2]
    lines = (line.strip() for line in text.splitlines())
    script = name.endswith(".js")
    return "\n".join(line for line in lines if line and not (script and line.startswith("//"))) + "\n"


def static_bytes(name: str) -> bytes:
    """The bytes of one of the package's static files (as served to the browser)."""
    return static_text(name).encode("utf-8")


@functools.cache
def environment() -> Environment:
    """The templates' environment: autoescaped, undefined names are errors, `|json` for data in scripts."""
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["json"] = lambda value: Markup(script_json(value))
    env.globals["static"] = lambda name: Markup(static_text(name))  # our own files: trusted as they are
    return env


def render(template: str, /, **data: object) -> str:
    """A template of the package rendered with this data (every value HTML-escaped unless Markup)."""
    return environment().get_template(template).render(**data)
