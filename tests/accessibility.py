"""axe-core in the browser tests: run it on a page and its map frame, tell the app's violations from Streamlit's.

axe-core comes from the npm registry (tests/browser/package.json, installed by `.ci/run` with
`npm ci --prefix tests/browser`); `require_axe()` skips the calling module, saying why, where
it is missing, and fails it under CI (`CI=true`), where a missing checker is a broken setup.
A violation is the app's unless every node it names sits inside a part of the
page Streamlit draws and the app cannot change (STREAMLIT_PARTS): those are listed by rule,
with the reason, in the tests that allow them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA (RGAA 4.1's reference) and axe's best practices (landmarks, heading order).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Where Streamlit draws parts of its own whose markup the app does not choose. A node inside one
# of these (its selector, or the frame it is in) is Streamlit's; anything else is the app's.
STREAMLIT_PARTS: tuple[str, ...] = (
    '[data-testid="stDataFrameResizable"]',  # the table: a canvas grid (glide-data-grid) with its own ARIA
    '[data-testid="stElementToolbar"]',  # the table's toolbar
    '[data-baseweb="popover"]',  # an open select's list of options
    '[data-testid="stSkipLink"]',
)


def require_axe() -> Path:
    """The path of axe.min.js; a skip of the calling module with the reason, or under CI a failure."""
    if not AXE.exists():
        why = "axe-core is not installed (npm ci --prefix tests/browser)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(why, pytrace=False)
        pytest.skip(why, allow_module_level=True)
    return AXE


RUN = """async ([tags, parts]) => {
  const found = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false,
                                         resultTypes: ['violations']});
  const owner = (sel) => {
    let e = null;
    try { e = document.querySelector(sel); } catch (err) { return 'app'; }
    return e && parts.some(p => e.closest(p)) ? 'streamlit' : 'app';
  };
  return found.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                              owner: owner(n.target[n.target.length - 1]),
                              summary: (n.failureSummary || '').slice(0, 300)}))}));
}"""


def violations(where, axe: Path = AXE) -> list[dict]:
    """axe's violations in a page or a frame (Playwright's), each node marked "app" or "streamlit"."""
    if not where.evaluate("() => typeof window.axe !== 'undefined'"):
        where.add_script_tag(path=str(axe))
    return where.evaluate(RUN, [TAGS, list(STREAMLIT_PARTS)])


def split(found: list[dict]) -> tuple[list[dict], list[dict]]:
    """(the app's violations, Streamlit's): each rule's nodes go to their owner's side."""
    app, streamlit = [], []
    for v in found:
        ours = [n for n in v["nodes"] if n["owner"] == "app"]
        theirs = [n for n in v["nodes"] if n["owner"] != "app"]
        if ours:
            app.append({**v, "nodes": ours})
        if theirs:
            streamlit.append({**v, "nodes": theirs})
    return app, streamlit


def describe(found: list[dict]) -> str:
    """One line per violation and node, for an assertion's message."""
    return "\n".join(f"{v['id']} ({v['impact']}): {n['target']} — {n['html'][:160]}"
                     for v in found for n in v["nodes"])


def counts(found: list[dict]) -> dict[str, int]:
    """Nodes per rule."""
    return {v["id"]: len(v["nodes"]) for v in found}
