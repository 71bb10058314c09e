"""The benchmark's code path at N = 200, so it cannot rot; no timing is asserted."""

import argparse
import json

import pytest

from tools.bench import peers
from tools.bench import runner as bench

N = 200


@pytest.fixture(scope="module")
def report():
    # One run, our page and every peer in AppTest, no browser (about 15 s).
    return bench.run_bench([N], repeat=1, page=True, browser=False, sessions=0, partner=N)


def test_every_app_is_measured_on_the_same_places(report):
    assert report["sizes"] == [N] and report["repeat"] == 1
    rows = report["server"]
    assert [r["app"] for r in rows] == [bench.OURS, *peers.PEERS]
    assert [r for r in rows if "error" in r] == []
    assert len({(r["region"], r["shown"]) for r in rows}) == 1  # one filter for all
    assert all(0 < r["shown"] < N for r in rows)
    for row in rows:
        for key, _, _ in bench.SERVER_COLUMNS:
            assert row.get(key) is not None, (row["app"], key)
    json.dumps(report)  # what --json writes


def test_ratios_are_ours_over_theirs(report):
    ours, *others = report["server"]
    assert ours["x_rerun"] == 1 and ours["x_map"] == 1
    for row in others:
        assert row["x_map"] == pytest.approx(ours["map_mb"] / row["map_mb"])


def test_bytes_are_measured_and_our_libraries_travel_once(report):
    for row in report["server"]:
        assert row["map_mb"] > 0 and row["first_map_mb"] > 0, row["app"]
    ours = report["server"][0]
    assert ours["lib_mb"] == 0  # no data: URI in the arguments any more
    assert ours["served_mb"] > 0.2  # Leaflet, MarkerCluster, the atlas and the places: files fetched once


def test_partner_file_row(report):
    labels = [row["label"] for row in report["partner"]]
    assert labels == list(bench.PARTNER_VARIANTS)
    recognised = report["partner"][1]
    assert recognised.get("first_s", 0) > 0, recognised.get("error")


def test_targets_are_listed_even_when_not_measured(report):
    texts = [t["target"] for t in report["targets"]]
    assert len(texts) == 3 * len(report["sizes"]) + 3
    assert all(t["met"] is None for t in report["targets"] if t["value"] is None)
    assert {"python", "cores", "libraries"} <= set(report["machine"])


def test_table_and_json_from_the_cli_entry(tmp_path, capsys):
    out = tmp_path / "bench.json"
    args = argparse.Namespace(sizes=str(N), repeat=1, json=str(out), no_page=True, browser=False,
                              browser_sizes="10000", sessions=0)
    assert bench.main(args) == 0
    printed = capsys.readouterr().out
    assert "st.map" in printed and "Objectifs" in printed and "Machine" in printed
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert bench.OURS not in {r["app"] for r in saved["server"]}  # --no-page
    assert saved["partner"] == [] and saved["browser"] == [] and saved["memory"] == []


def test_cli_parser_has_the_bench_options():
    from tools.cli import parser

    args = parser().parse_args(["bench", "--sizes", "1000", "--browser", "--sessions", "3"])
    assert args.browser and args.sessions == 3 and args.sizes == "1000"
    assert parser().parse_args(["bench", "--no-browser"]).browser is False
    assert parser().parse_args(["bench"]).browser is None  # decided by what is installed


@pytest.mark.parametrize("sizes, repeat, sessions", [("abc", 1, 0), ("100,-5", 1, 0), ("", 1, 0),
                                                     ("100", 0, 0), ("100", 1, -1)])
def test_bad_arguments_exit_2(sizes, repeat, sessions, capsys):
    args = argparse.Namespace(sizes=sizes, repeat=repeat, json=None, no_page=True, browser=False,
                              browser_sizes="10000", sessions=sessions)
    assert bench.main(args) == 2
    assert "Erreur" in capsys.readouterr().err


def test_profile_summary_keeps_only_the_page_stacks(tmp_path):
    from tools.bench import profile as bench_profile

    raw = tmp_path / "prof.txt"
    raw.write_text("main (a.py:1);run (a.py:2) 50\n"  # the main thread, waiting: left out
                   "boot (t.py:1);<module> (dashboard.py:3);page (c.py:4);dumps (d.py:5) 3\n"
                   "boot (t.py:1);<module> (dashboard.py:3);page (c.py:4) 1\n")
    rows = {frame: (inc, own) for frame, inc, own in bench_profile.top(raw)}
    assert rows["page (c.py:4)"] == (100.0, 25.0)
    assert rows["dumps (d.py:5)"] == (75.0, 75.0)
    assert "run (a.py:2)" not in rows and "boot (t.py:1)" not in rows
