"""The accessibility tests' checker: skipped where axe-core is missing, a failure under CI."""

import accessibility
import pytest


def test_a_missing_axe_skips_locally_and_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(accessibility, "AXE", tmp_path / "axe.min.js")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        accessibility.require_axe()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="npm ci --prefix tests/browser"):
        accessibility.require_axe()


def node(target: str, owner: str) -> dict:
    return {"target": target, "html": "", "owner": owner}


def test_each_node_of_a_violation_counts_for_its_owner():
    found = [{"id": "x", "impact": "serious", "help": "", "nodes": [node("a", "app"), node("b", "streamlit")]},
             {"id": "y", "impact": "minor", "help": "", "nodes": [node("c", "streamlit")]}]
    app, streamlit = accessibility.split(found)
    assert accessibility.counts(app) == {"x": 1}
    assert accessibility.counts(streamlit) == {"x": 1, "y": 1}
