"""Time as data: how long a view of the graph as of a date takes, embedded, and what `tajsec
check` costs before and after the timeline code (issue 14).

    .venv/bin/python benchmarks/asof.py                      # views only
    .venv/bin/python benchmarks/asof.py --before /work/main  # and `tajsec check`, that checkout vs this

A view (`tajsec.timeline.asof.AsOf.view`) is measured inside one process on the full paper graph:
reading the timeline and making the working store once (`AsOf(...)`), then each date's view
(classify every statement, event and agreement, take out of the working store those not in effect
and put back those that are, run the per-view build rules again), the dates in turn so that each
view changes the store from another date's, and one query on each view. `tajsec check` is measured as whole child processes (`python -m tajsec check`
with each checkout's own package on PYTHONPATH), after one warm-up run so that HermiT answers
from its cache in both, as in everyday use. Figures: median, fastest and slowest of --repeat runs.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATES = ["1993", "2003-06", "2004-06", "2004-10", "2004-11-03", "2005-06"]
QUERY = ("PREFIX org: <http://www.w3.org/ns/org#> PREFIX ts: <https://w3id.org/tajsec/onto/> "
         "SELECT ?p ?org ?m WHERE { ?t a ts:Tenure ; org:member ?p ; org:organization ?org ; ts:inEffect ?m }")


def _stats(xs: list[float]) -> str:
    return f"{statistics.median(xs):8.1f} | {min(xs):8.1f} | {max(xs):8.1f}"


def views(repeat: int) -> None:
    from tajsec.core.project import Project
    from tajsec.graph.build import build
    from tajsec.timeline.asof import AsOf, view_counts

    project = Project.find(ROOT)
    built = build(project)
    inits = []
    for _ in range(repeat):
        t = time.perf_counter()
        as_of = AsOf(built, project)
        inits.append((time.perf_counter() - t) * 1000)
    print(f"Graph: {built.asserted_triples} triples asserted, {built.derived_triples} derived; "
          f"{len(as_of.timeline.things)} statements, events and agreements; repeat {repeat}.\n")
    print("| step | median ms | fastest | slowest | kept (certainly / possibly) |")
    print("|---|---:|---:|---:|---|")
    print(f"| read the timeline (once per graph) | {_stats(inits)} | |")
    firsts = []
    for _ in range(repeat):  # the first view of a fresh AsOf: from "everything in effect"
        fresh = AsOf(built, project)
        t = time.perf_counter()
        fresh.view("2004-06")
        firsts.append((time.perf_counter() - t) * 1000)
    print(f"| first view (as of 2004-06) | {_stats(firsts)} | |")
    times_of: dict[str, list[float]] = {d: [] for d in DATES}
    qtimes_of: dict[str, list[float]] = {d: [] for d in DATES}
    counts = {}
    for _ in range(repeat):  # the dates in turn: every view changes the working store from another date
        for d in DATES:
            t = time.perf_counter()
            v = as_of.view(d)
            times_of[d].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            list(v.built.query(QUERY))
            qtimes_of[d].append((time.perf_counter() - t) * 1000)
            counts[d] = view_counts(v)
    for d in DATES:
        times, qtimes, c = times_of[d], qtimes_of[d], counts[d]
        print(f"| view as of {d} | {_stats(times)} | {c.get('certainly', 0)} / {c.get('possibly', 0)} |")
        print(f"| ... a query on it (tenures in effect) | {_stats(qtimes)} | |")


def _check_once(checkout: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(checkout), TAJSEC_ROOT=str(checkout))
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "tajsec", "check"], cwd=checkout, env=env, capture_output=True,
                         text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"tajsec check failed in {checkout}:\n{res.stdout}{res.stderr}")
    return time.perf_counter() - t


def check_times(before: Path, after: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Runs of `tajsec check` in each checkout, interleaved (before, after, before, ...) so that the
    load of a shared machine falls on both alike; one warm-up run each (HermiT's cache)."""
    _check_once(before), _check_once(after)
    b, a = [], []
    for _ in range(repeat):
        b.append(_check_once(before))
        a.append(_check_once(after))
    return b, a


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--check-repeat", type=int, default=11, help="runs of `tajsec check` in each checkout")
    ap.add_argument("--before", type=Path, help="a checkout without the timeline code, for `tajsec check`")
    args = ap.parse_args()
    views(args.repeat)
    if args.before:
        before, after = check_times(args.before, ROOT, args.check_repeat)
        print("\n| `tajsec check` (whole process) | median s | fastest | slowest |")
        print("|---|---:|---:|---:|")
        print(f"| before ({args.before}) | {statistics.median(before):.2f} | {min(before):.2f} | {max(before):.2f} |")
        print(f"| after (this checkout) | {statistics.median(after):.2f} | {min(after):.2f} | {max(after):.2f} |")
        print(f"\nchange: {100 * (statistics.median(after) / statistics.median(before) - 1):+.1f}%")


if __name__ == "__main__":
    main()
