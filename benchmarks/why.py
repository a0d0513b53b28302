"""`--why` on all competency questions: how long tracing takes, embedded, against the same
queries without it. Target (issue 15): under 1 s for all questions together, at most 5x.

    .venv/bin/python benchmarks/why.py [--repeat 5]

Prints a Markdown table on stdout. Three rows (in process by wall clock and by this process's CPU
time, which a busy machine disturbs less; in workers by wall clock, since the workers' CPU is
another process's), each the median of --repeat runs in this process, the two arms in turn (the ratio is the median
of the runs' ratios)
(the graph is built once, before timing; the tracer's per-graph caches start empty in every run):

- in process: `queries.run` for every question, then `Tracer.run` (the query and its evidence:
  what `tajsec questions --run --why` does);
- in workers: `runner.run_select` for every question (a forked, sandboxed worker per query, as
  `tajsec query NAME` runs it), then the same with the tracer in the worker (`tajsec query NAME --why`);
- the command: `tajsec questions --run` then `tajsec questions --run --why`, each a whole process
  (start-up, build of the graph, comparison with the expected answers and printing included): what
  a user waits for.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tajsec.core.namespaces import PREFIXES
from tajsec.core.project import Project
from tajsec.evidence.trace import Tracer
from tajsec.graph.build import build
from tajsec.sparql import queries
from tajsec.sparql.runner import run_select


def _medians(a, b, repeat: int, clock=time.perf_counter) -> tuple[float, float, float]:
    """Medians of `a` and of `b`, run in turn (a, b, a, b, ...) so that the machine's load falls
    on both alike, and the median of the runs' ratios b / a."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((a, ta), (b, tb)):
            t = clock()
            fn()
            times.append(clock() - t)
    return statistics.median(ta), statistics.median(tb), statistics.median(y / x for x, y in zip(ta, tb))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    project = Project.find()
    built = build(project)
    texts = [p.read_text(encoding="utf-8") for p in project.question_queries]

    def plain():
        for t in texts:
            queries.run(built.query, t)

    def traced():
        tracer = Tracer(built, project.root, PREFIXES)
        for t in texts:
            tracer.run(built.query, t)

    def plain_worker():
        for t in texts:
            run_select(built, t, prefixes=PREFIXES, timeout=30)

    def traced_worker():
        tracer = Tracer(built, project.root, PREFIXES)
        for t in texts:
            run_select(built, t, prefixes=PREFIXES, timeout=30,
                       tracer=lambda v, r, t=t: tracer.trace(t, v, r))

    print(f"{len(texts)} competency questions, median of {args.repeat} runs\n")
    print("| how | clock | without --why | with --why | ratio |")
    print("|---|---|---:|---:|---:|")
    tajsec = str(Path(sys.executable).parent / "tajsec")

    def command(*extra: str):
        def run() -> None:
            subprocess.run([tajsec, "questions", "--run", *extra], stdout=subprocess.DEVNULL, check=True)
        return run

    rows = (("in process", "wall", plain, traced, time.perf_counter),
            ("in process", "CPU", plain, traced, time.process_time),  # this process's CPU: others' load left out
            ("in workers", "wall", plain_worker, traced_worker, time.perf_counter),
            ("the command", "wall", command(), command("--why"), time.perf_counter))
    for name, clock_name, a, b, clock in rows:
        ta, tb, ratio = _medians(a, b, args.repeat, clock)
        print(f"| {name} | {clock_name} | {ta:.3f} s | {tb:.3f} s | {ratio:.1f}x |")


if __name__ == "__main__":
    main()
