"""`python -m tools load`: N Streamlit processes behind nginx on one machine, M visitors searching at once.

The README's deployment on one machine: N `streamlit run` processes on 127.0.0.1, nginx in front
hashing each client's address (sticky sessions: a browser's WebSocket and its requests for the
map's files all reach the process that holds its session). Each visitor is a Streamlit protocol
client (tools/bench/wsclient.py) from its own loopback address (127.0.0.x), so nginx spreads
them as it spreads real visitors. Every visitor opens the map, then reruns the page with one
search after another; the report gives the reruns' p50 and p90, the sessions each process held
and the CPU each used. Bounded: M sessions × S searches, a timeout on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from tools.bench.wsclient import Session
from tools.paths import APP, REPO

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# The README's nginx configuration (section « Plusieurs serveurs »), with this run's ports and a private prefix.
NGINX_CONF = """daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
worker_processes auto;
events {{ worker_connections 4096; }}
http {{
    log_format upstream '$remote_addr $upstream_addr $request_uri';
    access_log {tmp}/access.log upstream;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    large_client_header_buffers 4 128k;
    upstream reseau_map {{
        hash $remote_addr consistent;
        {servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        error_page 414 /adresse-trop-longue.html;
        location = /adresse-trop-longue.html {{
            internal;
            default_type "text/html; charset=utf-8";
            return 200 '{too_long}';
        }}
        location / {{
            proxy_pass http://reseau_map;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 86400;
        }}
    }}
}}
"""
# What nginx answers for an address past its 128 Ko (README: « Plusieurs serveurs »).
TOO_LONG_PAGE = ('<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><title>Adresse trop longue</title>'
                 '<p>L’adresse de la carte est trop longue (plus de 128 Ko) : <a href="/">ouvrir la carte</a>.</p>'
                 '</html>')
QUERIES = ("cantine", "rennes", "paris", "lieu", "atelier", "fab", "nantes", "tiers", "lyon", "numérique",
           "marseille", "bordeaux", "café", "la", "espace", "lille")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until url answers; fail with the process's output if it never does."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{url} ne répond pas (voir le journal du processus {proc.pid}).")


class Cluster:
    """N Streamlit processes of the app and nginx in front of them; a context manager that stops them all."""

    def __init__(self, places: Path, processes: int, env: dict[str, str] | None = None,
                 app: Path = APP) -> None:
        self.places, self.count, self.app = places, processes, app
        self.env = dict(os.environ, RESEAU_MAP_PLACES=str(places), **(env or {}))
        self.tmp = Path(tempfile.mkdtemp(prefix="reseau-load-"))
        self.servers: list[tuple[subprocess.Popen, str]] = []
        self.nginx: subprocess.Popen | None = None
        self.front = ""

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start the processes (the same cookie secret: any may check another's XSRF cookie), then nginx."""
        secret = os.urandom(16).hex()
        for i in range(self.count):
            port = free_port()
            # Into a file, not a pipe: a pipe nobody reads would stall a busy server once full.
            log = open(self.tmp / f"streamlit-{i}.log", "wb")  # noqa: SIM115 — closed when the process is
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(self.app), "--server.headless", "true",
                 "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats",
                 "false"],
                cwd=REPO, env=dict(self.env, STREAMLIT_SERVER_COOKIE_SECRET=secret), stdout=log,
                stderr=subprocess.STDOUT)
            log.close()  # the child has its own copy
            self.servers.append((proc, f"127.0.0.1:{port}"))
        for proc, where in self.servers:
            wait_http(f"http://{where}/_stcore/health", proc)
        port = free_port()
        conf = self.tmp / "nginx.conf"
        upstreams = "\n        ".join(f"server {where};" for _, where in self.servers)
        conf.write_text(NGINX_CONF.format(tmp=self.tmp, servers=upstreams, port=port, too_long=TOO_LONG_PAGE),
                        encoding="utf-8")
        if os.geteuid() == 0:  # nginx's workers run as nobody: let them write their logs
            os.chmod(self.tmp, 0o777)
        self.nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(self.tmp)], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.STDOUT)
        self.front = f"http://127.0.0.1:{port}"
        wait_http(self.front + "/_stcore/health", self.nginx)

    def stop(self) -> None:
        """Stop nginx and every process started (by their own ids)."""
        for proc in ([self.nginx] if self.nginx else []) + [p for p, _ in self.servers]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in ([self.nginx] if self.nginx else []) + [p for p, _ in self.servers]:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cpu_s(self) -> dict[str, float]:
        """CPU seconds (user + system) each process has used so far."""
        tick = os.sysconf("SC_CLK_TCK")
        out = {}
        for proc, where in self.servers:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[where] = (int(fields[11]) + int(fields[12])) / tick
        return out

    def reached(self) -> dict[str, set[str]]:
        """Client address -> the processes nginx sent its requests to (from its access log)."""
        found: dict[str, set[str]] = {}
        log = self.tmp / "access.log"
        for line in log.read_text().splitlines() if log.exists() else []:
            parts = line.split()
            if len(parts) >= 2:
                found.setdefault(parts[0], set()).add(parts[1])
        return found


def visitor(front: str, source: str, searches: int, offset: int, times: list[float], errors: list[str],
            start: threading.Barrier) -> None:
    """One visitor: open the map, then search `searches` times, one query after another (timed)."""
    try:
        session = Session(front, source=source)
        try:
            first = session.run()
            if first.exception:
                raise RuntimeError(first.exception)
            start.wait()
            for i in range(searches):
                run = session.run(f_q=QUERIES[(offset + i) % len(QUERIES)])
                if run.exception:
                    raise RuntimeError(run.exception)
                times.append(run.seconds)
        finally:
            session.close()
    except Exception as err:  # noqa: BLE001 — a visitor's failure is counted in the report, not fatal
        errors.append(f"{source}: {type(err).__name__}: {str(err)[:200]}")
        try:
            start.abort()
        except threading.BrokenBarrierError:
            pass


def load_run(cluster: Cluster, sessions: int, searches: int) -> dict:
    """M visitors at once through nginx; the reruns' times, the spread over the processes, their CPU."""
    for _, where in cluster.servers:  # the first visitor of each process pays for the catalogue: not measured
        warm = Session(f"http://{where}")
        warm.run()
        warm.run(f_q="cantine")
        warm.close()
    before = cluster.cpu_s()
    times: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(sessions)
    sources = [f"127.0.{1 + i // 250}.{2 + i % 250}" for i in range(sessions)]
    threads = [threading.Thread(target=visitor, args=(cluster.front, src, searches, i, times, errors, barrier))
               for i, src in enumerate(sources)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    after = cluster.cpu_s()
    reached = cluster.reached()
    per_process = Counter(next(iter(reached[s])) for s in sources if len(reached.get(s, ())) == 1)
    ordered = sorted(times)
    return {
        "processes": cluster.count, "sessions": sessions, "searches": searches, "reruns": len(times),
        "p50_s": statistics.median(ordered) if ordered else None,
        "p90_s": ordered[int(0.9 * (len(ordered) - 1))] if ordered else None,
        "max_s": ordered[-1] if ordered else None, "wall_s": wall,
        "sessions_per_process": dict(per_process),
        "unsticky": sorted(s for s in sources if len(reached.get(s, ())) > 1),
        "cpu_s": {w: round(after[w] - before[w], 1) for w in after}, "errors": errors,
    }


def report_lines(rows: list[dict]) -> list[str]:
    """The load test's table, in French."""
    lines = ["Charge : N processus Streamlit derrière nginx (hash $remote_addr consistent), M visiteurs qui cherchent "
             "en même temps ; secondes par relance (envoi → fin de l'exécution).", "",
             " N   M  relances    p50    p90    max  durée  sessions par processus   CPU par processus (s)  erreurs",
             "--  --  --------  -----  -----  -----  -----  -----------------------  ---------------------  -------"]
    for r in rows:
        spread = " / ".join(str(n) for n in sorted(r["sessions_per_process"].values(), reverse=True))
        cpu = " / ".join(f"{v:.1f}" for v in r["cpu_s"].values())
        p50, p90, top = (f"{r[k]:5.2f}" if r[k] is not None else "    —" for k in ("p50_s", "p90_s", "max_s"))
        lines.append(f"{r['processes']:>2}  {r['sessions']:>2}  {r['reruns']:>8}  {p50}  {p90}  {top}  "
                     f"{r['wall_s']:5.0f}  {spread:<23}  {cpu:<21}  {len(r['errors']):>7}")
    return lines


def run_load(size: int, processes: list[int], sessions: int, searches: int, progress=print) -> list[dict]:
    """The load test at each process count, on one synthetic file of `size` places."""
    from tools.build.synthetic import synthetic_places

    rows = []
    with tempfile.TemporaryDirectory(prefix="reseau-load-places-") as folder:
        places = Path(folder) / "places.csv"
        places.write_bytes(synthetic_places(size, seed=22))
        for n in processes:
            progress(f"  {n} processus, {sessions} visiteurs, {searches} recherches chacun…")
            with Cluster(places, n, {"RESEAU_MAP_DB": str(Path(folder) / f"db-{n}.sqlite")}) as cluster:
                rows.append({"size": size, **load_run(cluster, sessions, searches)})
    return rows


def main(args: argparse.Namespace) -> int:
    """`python -m tools load`: print the table (and write the JSON report if asked)."""
    rows = run_load(args.size, [int(n) for n in args.processes.split(",")], args.sessions, args.searches,
                    lambda text: print(text, file=sys.stderr))
    for line in report_lines(rows):
        print(line)
    print(f"\n{rows[0]['size']} lieux ; machine : {os.cpu_count()} cœurs ; charge avant/après : "
          f"{[round(x, 2) for x in os.getloadavg()]}.")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(not r["errors"] for r in rows) else 1
