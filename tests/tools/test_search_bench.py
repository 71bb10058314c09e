"""The search benchmark's and the load test's reports at a tiny size, so they cannot rot; no timing is asserted."""

from __future__ import annotations

from tools.bench import load, search


def test_the_three_ways_of_searching_are_measured(monkeypatch):
    monkeypatch.setattr(search, "QUERIES", ("cantine", "paris"))
    rows = search.run_search(200, repeat=1, progress=lambda _text: None)
    assert [r["way"] for r in rows] == ["avant", "sans index", "index"]
    assert all(r["new_s"] > 0 and r["same_s"] > 0 for r in rows)
    lines = search.report_lines(rows)
    assert lines[-1].startswith("Objectif (issue 22) : relance avec recherche ≤ 0.05 s à 200 lieux")


def test_the_load_report_reads_its_rows():
    row = {"processes": 2, "sessions": 50, "reruns": 500, "p50_s": 0.9, "p90_s": 1.6, "max_s": 2.9, "wall_s": 17,
           "sessions_per_process": {"a": 16, "b": 34}, "cpu_s": {"a": 16.2, "b": 6.6}, "errors": []}
    assert load.report_lines([row])[-1].split()[:9] == ["2", "50", "500", "0.90", "1.60", "2.90", "17", "34", "/"]
