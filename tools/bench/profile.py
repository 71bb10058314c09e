"""Our page's reruns at one size, for a profiler: `python -m tools.bench.profile 50000`.

Runs dashboard.py in AppTest on a synthetic file, then reruns it `--reruns` times, switching
the « Région » filter between the two busiest regions, inside `profiled_reruns` so that a
sampling profiler's stacks can be kept to the reruns alone:

    python -m tools.bench.profile 50000 --ready /tmp/ready &
    # once /tmp/ready exists (first run done), attach to the printed pid:
    py-spy record --nonblocking --format raw -o /tmp/prof.txt --pid PID
    python -m tools.bench.profile --top /tmp/prof.txt

The page runs in Streamlit's script thread, so `--top` keeps the stacks that pass through
dashboard.py (the script), and reports each function's share of them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from unittest import mock

import pandas as pd

from reseau_map.files import places
from tools.build.synthetic import synthetic_places
from tools.paths import APP

MARK = "dashboard.py"  # the script thread's stacks go through the page
PROFILER_GRACE_S = 3.0  # time for a profiler to attach once --ready is written


def profiled_reruns(at: object, regions: list[str], reruns: int) -> list[float]:
    """Rerun the page after each filter change; the seconds of each rerun."""
    times = []
    for i in range(reruns):
        at.sidebar.multiselect(key="f_regions").set_value([regions[i % len(regions)]])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return times


def run(size: int, reruns: int, ready: Path | None = None) -> list[float]:
    """First run (not profiled), then the profiled reruns."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory(prefix="reseau-profile-") as tmp:
        path = Path(tmp) / f"places-{size}.csv"
        path.write_bytes(synthetic_places(size, seed=size))
        busiest = pd.read_csv(path, usecols=["region"], dtype=str)["region"].value_counts()
        with mock.patch.dict(os.environ, {places.ENV_PLACES: str(path)}):
            at = AppTest.from_file(str(APP), default_timeout=600)
            at.run()
            if ready:  # the first run is done: a profiler may attach now
                ready.write_text(str(os.getpid()))
                time.sleep(PROFILER_GRACE_S)
            return profiled_reruns(at, list(busiest.index[:2]), reruns)


def top(raw: Path, n: int = 15) -> list[tuple[str, float, float]]:
    """From py-spy's raw output: (function (file:line), inclusive %, self %) of the page's samples."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if MARK not in stack or not count.isdigit():
            continue
        frames = stack.split(";")
        frames = frames[next(i for i, f in enumerate(frames) if MARK in f):]
        total += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
        if frames:
            own[frames[-1]] += int(count)
    return [(f, 100 * c / total, 100 * own[f] / total) for f, c in inclusive.most_common(n)]


def main(argv: list[str] | None = None) -> int:
    """Run the reruns, or (--top FILE) summarise a py-spy raw profile of them."""
    ap = argparse.ArgumentParser(prog="python -m tools.bench.profile")
    ap.add_argument("size", nargs="?", type=int, default=50_000)
    ap.add_argument("--reruns", type=int, default=20)
    ap.add_argument("--top", help="fichier brut de py-spy à résumer")
    ap.add_argument("--ready", type=Path, help="fichier écrit (pid) après la 1re exécution")
    args = ap.parse_args(argv)
    if args.top:
        for frame, inc, self_ in top(Path(args.top), 40):
            print(f"{inc:5.1f} %  {self_:5.1f} %  {frame}")
        return 0
    times = run(args.size, args.reruns, args.ready)
    print(f"{args.size} lieux, {len(times)} relances : médiane {sorted(times)[len(times) // 2]:.3f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
