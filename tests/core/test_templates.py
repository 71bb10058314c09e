"""The package's browser files: JSON safe in a page, autoescaped templates, static files as served."""

import json

import pytest

from reseau_map.core.settings import STATIC_DIR, TEMPLATES_DIR
from reseau_map.core.templates import render, script_json, static_text


@pytest.mark.parametrize("value", ["</script><script>alert(1)</script>", "<!-- x", "a & b", "l'a", "{{ 7*7 }}",
                                   "{% raw %}", "{# x #}", "é\u2028ü"])
def test_script_json_is_safe_in_a_page_and_in_a_template_and_reads_back(value):
    text = script_json({"name": value})
    assert json.loads(text) == {"name": value}
    for unsafe in ("<", ">", "&", "'", "{{", "{%", "{#"):
        assert unsafe not in text, unsafe


def test_templates_escape_what_they_are_given():
    html = render("overlay_legend.html", title="<b>x</b>", items=[('"#fff" onload="x"', "<i>y</i>")])
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<i>" not in html and 'onload="x"' not in html


def test_an_undefined_name_in_a_template_is_an_error():
    with pytest.raises(Exception, match="items"):
        render("overlay_legend.html", title="t")


def test_static_files_reach_the_browser_without_their_comments_and_indentation():
    source = (STATIC_DIR / "places.js").read_text(encoding="utf-8")
    served = static_text("places.js")
    assert source.startswith("/*") and served.startswith("(function ()")
    code = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("//")]
    assert served.splitlines() == code[code.index("(function () {"):]  # the same lines, the same order
    assert "//" not in "".join(line[:2] for line in served.splitlines())
    assert "  " not in "".join(line[:2] for line in static_text("map.css").splitlines())


def test_every_template_and_static_file_is_used_somewhere():
    code = "\n".join(path.read_text(encoding="utf-8") for path in
                     [*STATIC_DIR.parent.rglob("*.py"), *TEMPLATES_DIR.glob("*.html")])
    for path in [*STATIC_DIR.iterdir(), *TEMPLATES_DIR.iterdir()]:
        assert f'"{path.name}"' in code, path.name
