"""Load test of `tajsec serve` on loopback: a bounded number of requests at a fixed concurrency,
mixing the competency questions with a few deliberately expensive queries that must time out
cleanly. Prints requests, errors, time-outs, median and p99 latency, and the peak memory of the
server's processes. Not a test: run it by hand.

    .venv/bin/python benchmarks/load_serve.py --requests 5000 --concurrency 8
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPENSIVE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(STR(?c) < STR(?f)) }",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_of_tree(pid: int) -> int:
    """Resident memory in bytes of a process and its children (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--expensive-every", type=int, default=500, help="one expensive query per N requests")
    ap.add_argument("--timeout", type=float, default=3.0, help="the server's per-query time-out")
    args = ap.parse_args()

    questions = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries" / "questions").glob("*.rq"))]
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tajsec", "serve", "--port", str(port), "--timeout", str(args.timeout)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env=dict(os.environ, TAJSEC_ROOT=str(ROOT)), cwd=ROOT)
    server.stdout.readline()
    url = f"http://127.0.0.1:{port}/sparql"
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_of_tree(server.pid))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()

    def one(i: int):
        expensive = args.expensive_every and i % args.expensive_every == args.expensive_every - 1
        q = EXPENSIVE[i % len(EXPENSIVE)] if expensive else questions[i % len(questions)]
        req = urllib.request.Request(url, data=q.encode(), headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=args.timeout + 30) as r:
                r.read()
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        except Exception:
            code = -1
        return expensive, code, time.perf_counter() - t0

    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        results = list(pool.map(one, range(args.requests)))
    wall = time.perf_counter() - t0
    stop.set()
    # the server must still answer afterwards
    alive = one(0)[1] == 200
    server.send_signal(signal.SIGINT)
    server.wait(timeout=30)

    normal = [r for r in results if not r[0]]
    expensive = [r for r in results if r[0]]
    lat = sorted(r[2] for r in normal)
    errors = sum(1 for r in normal if r[1] != 200)
    clean_timeouts = sum(1 for r in expensive if r[1] in (503, 413))
    print(f"requests            {len(results)} at concurrency {args.concurrency} in {wall:.1f} s ({len(results) / wall:.0f} req/s)")
    print(f"competency queries  {len(normal)}, errors {errors}")
    print(f"median latency      {statistics.median(lat) * 1000:.1f} ms")
    print(f"p99 latency         {lat[int(len(lat) * 0.99) - 1] * 1000:.1f} ms")
    print(f"expensive queries   {len(expensive)}, stopped cleanly (503/413) {clean_timeouts}, "
          f"other {[r[1] for r in expensive if r[1] not in (503, 413)]}")
    print(f"peak memory         {peak[0] / 2**20:.0f} MiB (server and its query workers, resident; shared pages counted once per process)")
    print(f"still answering     {'yes' if alive else 'NO'}")
    return 0 if errors == 0 and alive else 1


if __name__ == "__main__":
    sys.exit(main())
