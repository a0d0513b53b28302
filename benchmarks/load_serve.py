"""Load test of `tajsec serve` on loopback: a bounded number of requests at a fixed concurrency,
mixing the competency questions with a few deliberately expensive queries that must time out
cleanly. Prints requests, errors, time-outs, median and p99 latency, and the peak memory of the
server's processes. Not a test: run it by hand.

    .venv/bin/python benchmarks/load_serve.py --requests 5000 --concurrency 8
    .venv/bin/python benchmarks/load_serve.py --bare        # and bare Oxigraph, side by side

With --bare the same request mix then goes to `oxigraph serve-read-only` (the binary in the
virtual environment) over the same data (our graph as built: asserted and derived triples, each
file in its named graph, queried as their union), with Oxigraph's own --timeout-s, and the two
arms are printed side by side with their ratios. On a shared machine the load changes from one
arm to the next; `--rounds N` runs the two arms alternately N times (fresh servers each round)
and gives each arm's median and the median of the rounds' ratios.

    .venv/bin/python benchmarks/load_serve.py --bare --rounds 5 --requests 2000 --concurrency 32

`--data FILE` serves more data beside the graph in both arms (`tajsec serve --data FILE`; the
bare arm loads the same built store, with FILE in its named graph). The 1M-triple merged graph:

    .venv/bin/python benchmarks/generate.py --triples 1m --out build/bench/serve-1m.nt
    .venv/bin/python benchmarks/load_serve.py --bare --rounds 3 --data build/bench/serve-1m.nt
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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


def serve_tajsec(port: int, timeout: float, workers: int = 2, data: tuple[Path, ...] = ()) -> subprocess.Popen:
    extra = [a for f in data for a in ("--data", str(f.resolve()))]
    server = subprocess.Popen([sys.executable, "-m", "tajsec", "serve", "--port", str(port), "--timeout", str(timeout),
                               "--workers", str(workers), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env=dict(os.environ, TAJSEC_ROOT=str(ROOT)), cwd=ROOT)
    server.stdout.readline()   # the URL line: it listens
    return server


def serve_bare(port: int, timeout: float, folder: Path, data: tuple[Path, ...] = ()) -> subprocess.Popen:
    """`oxigraph serve-read-only` over our built graph (with `data` loaded as `tajsec serve --data`
    loads it), loaded into an on-disk store in `folder` (once: a later call serves the store
    already there)."""
    import pyoxigraph as ox

    from tajsec.cli.serve import load_beside
    from tajsec.core.project import Project
    from tajsec.graph.build import build

    oxigraph = str(Path(sys.executable).parent / "oxigraph")
    if not (folder / "db").exists():
        dump = folder / "graph.nq"
        project = Project.find(ROOT)
        built = build(project)
        load_beside(project, built, tuple(f.resolve() for f in data))   # as tajsec serve --data loads them
        built.store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        subprocess.run([oxigraph, "load", "--location", str(folder / "db"), "--file", str(dump)], check=True,
                       capture_output=True)
        dump.unlink()
    server = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(folder / "db"), "--bind",
                               f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(int(timeout))],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):   # until it listens
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server


def run_arm(server: subprocess.Popen, url: str, args, questions: list[str]) -> dict:
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
    alive = one(0)[1] == 200   # the server must still answer afterwards
    server.send_signal(signal.SIGINT)
    server.wait(timeout=30)
    normal = [r for r in results if not r[0]]
    expensive = [r for r in results if r[0]]
    lat = sorted(r[2] for r in normal)
    return {"requests": len(results), "wall": wall, "rate": len(results) / wall, "normal": len(normal),
            "errors": sum(1 for r in normal if r[1] != 200), "median": statistics.median(lat),
            "p99": lat[int(len(lat) * 0.99) - 1], "expensive": len(expensive),
            "stopped": sum(1 for r in expensive if r[1] in (503, 413)),
            "other": [r[1] for r in expensive if r[1] not in (503, 413)], "peak": peak[0], "alive": alive}


def report(name: str, r: dict, concurrency: int) -> None:
    print(f"[{name}]")
    print(f"requests            {r['requests']} at concurrency {concurrency} in {r['wall']:.1f} s ({r['rate']:.0f} req/s)")
    print(f"competency queries  {r['normal']}, errors {r['errors']}")
    print(f"median latency      {r['median'] * 1000:.1f} ms")
    print(f"p99 latency         {r['p99'] * 1000:.1f} ms")
    print(f"expensive queries   {r['expensive']}, stopped cleanly (503/413) {r['stopped']}, other {r['other']}")
    print(f"peak memory         {r['peak'] / 2**20:.0f} MiB (server and its query workers, resident; shared pages counted once per process)")
    print(f"still answering     {'yes' if r['alive'] else 'NO'}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--expensive-every", type=int, default=500, help="one expensive query per N requests")
    ap.add_argument("--timeout", type=float, default=3.0, help="the server's per-query time-out")
    ap.add_argument("--bare", action="store_true", help="also run the mix against bare oxigraph serve-read-only")
    ap.add_argument("--workers", type=int, default=2, help="tajsec serve --workers (its default: 2)")
    ap.add_argument("--rounds", type=int, default=1, help="with --bare: run the two arms alternately this many times")
    ap.add_argument("--data", type=Path, action="append", default=[], metavar="FILE",
                    help="serve this file too, in both arms (tajsec serve --data; repeatable)")
    args = ap.parse_args()

    questions = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries" / "questions").glob("*.rq"))]
    if not args.bare:
        port = free_port()
        ours = run_arm(serve_tajsec(port, args.timeout, args.workers, tuple(args.data)), f"http://127.0.0.1:{port}/sparql", args, questions)
        report("tajsec serve", ours, args.concurrency)
        return 0 if ours["errors"] == 0 and ours["alive"] else 1
    rounds: list[tuple[dict, dict]] = []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.rounds):
            load = os.getloadavg()[0]
            port = free_port()
            ours = run_arm(serve_tajsec(port, args.timeout, args.workers, tuple(args.data)), f"http://127.0.0.1:{port}/sparql", args, questions)
            port = free_port()
            bare = run_arm(serve_bare(port, args.timeout, Path(folder), tuple(args.data)), f"http://127.0.0.1:{port}/query", args,
                           questions)
            rounds.append((ours, bare))
            print(f"round {n + 1}/{args.rounds} (load average {load:.1f} before): tajsec {ours['rate']:.0f} req/s, "
                  f"p99 {ours['p99'] * 1000:.1f} ms; bare {bare['rate']:.0f} req/s, p99 {bare['p99'] * 1000:.1f} ms; "
                  f"{ours['rate'] / bare['rate']:.0%}, p99 {ours['p99'] / bare['p99']:.2f}x", flush=True)
    ours, bare = rounds[-1]
    report("tajsec serve (last round)", ours, args.concurrency)
    report("oxigraph serve-read-only (last round)", bare, args.concurrency)
    med = statistics.median
    print(f"tajsec / bare       {med(o['rate'] / b['rate'] for o, b in rounds):.0%} of the requests/s, "
          f"p99 {med(o['p99'] / b['p99'] for o, b in rounds):.2f}x (medians of {len(rounds)} round(s)' ratios; "
          f"medians: tajsec {med(o['rate'] for o, _ in rounds):.0f} req/s, p99 "
          f"{med(o['p99'] for o, _ in rounds) * 1000:.1f} ms; bare {med(b['rate'] for _, b in rounds):.0f} req/s, "
          f"p99 {med(b['p99'] for _, b in rounds) * 1000:.1f} ms; load average now "
          f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())})")
    return 0 if all(o["errors"] == 0 and o["alive"] for o, _ in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
