"""The benchmark's code path at N = 200, so it cannot rot; no timing is asserted."""

import argparse
import json

import pytest

from reseau_map.build import bench

N = 200


@pytest.fixture(scope="module")
def report():
    # One run, page included (a few seconds): every step of `python -m reseau_map bench`.
    return bench.run_bench([N], repeat=1, page=True, seed_file=False)


def test_report_has_every_figure(report):
    assert report["sizes"] == [N] and report["repeat"] == 1
    (row,) = report["rows"]
    assert "page_error" not in row, row.get("page_error")
    assert row["label"] == str(N) and row["places"] == N and 0 < row["shown"] < N
    for key, _, _ in bench.TIME_COLUMNS + bench.BYTE_COLUMNS:
        assert key in row, key
    assert len(report["targets"]) == len(bench.TARGETS)
    assert {"python", "cores"} <= set(report["machine"])
    json.dumps(report)  # what --json writes


def test_ours_sends_fewer_bytes_than_the_marker_baseline(report):
    (row,) = report["rows"]
    assert row["group_mb"] < row["baseline_places_mb"]
    assert row["ratio_bytes"] > 1


def test_map_step_measures_what_the_page_sends(report):
    # Step 3 rebuilds st_folium's args outside Streamlit; the page's own args, read from
    # AppTest after the same filter change, must be the same size (within page extras).
    (row,) = report["rows"]
    assert row["page_mb"] == pytest.approx(row["map_mb"], rel=0.2)
    assert row["page_group_mb"] == pytest.approx(row["group_mb"], rel=0.2)


def test_table_and_json_from_the_cli_entry(tmp_path, capsys):
    out = tmp_path / "bench.json"
    args = argparse.Namespace(sizes=str(N), repeat=1, json=str(out), no_page=True)
    assert bench.main(args) == 0
    printed = capsys.readouterr().out
    assert "Marker" in printed and "Objectifs" in printed
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert [r["label"] for r in saved["rows"]] == ["seed", str(N)]
    assert "page_rerun_s" not in saved["rows"][0]  # --no-page


@pytest.mark.parametrize("sizes, repeat", [("abc", 1), ("100,-5", 1), ("", 1), ("100", 0)])
def test_bad_arguments_exit_2(sizes, repeat, capsys):
    args = argparse.Namespace(sizes=sizes, repeat=repeat, json=None, no_page=True)
    assert bench.main(args) == 2
    assert "Erreur" in capsys.readouterr().err
