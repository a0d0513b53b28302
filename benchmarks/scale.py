"""How cost grows with the data: parse, validate (full and incremental), merge, at 10k to 10M triples.

    .venv/bin/python benchmarks/scale.py                       # 10k,100k,1m; 1 run each
    .venv/bin/python benchmarks/scale.py --sizes 10k,100k,1m,10m --repeat 3 --plot docs/img/scale.png

For each size, generated data in our ontology (benchmarks/generate.py, with planted defects) is
split into FILES N-Triples files by country, the way a dataset sits in a repository, and
committed to a git repository of its own under build/bench/scale-SIZE/. Then one data file is
edited (one date made ill-typed, one triple removed) and, as whole child processes (time and
peak memory from wait4, see benchmarks/README.md):

  parse        the files into a pyoxigraph store
  validate     `tajsec validate FILES` (full run, the edited data)
  incremental  `tajsec validate FILES --changed-since HEAD` (the one edited file)
  merge        `tajsec merge FILES -o merged.trig` (our graph and the data, written out)

The script asserts what must hold at every size: the incremental run's results are all among
the full run's and include the edit's own violation, and every full result about a node the
incremental run reports on is in it. A Markdown table goes to stdout; `--plot` draws time and
peak memory against size (matplotlib).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TAJSEC = str(Path(sys.executable).parent / "tajsec")
FILES = 10
OPERATIONS = ("parse", "validate", "incremental", "merge")


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def child_parse(*files: str) -> dict:
    import pyoxigraph as ox

    store = ox.Store()
    for f in files:
        store.bulk_load(path=f, format=ox.RdfFormat.N_TRIPLES)
    return {"triples": len(store)}


def prepare(size: str) -> tuple[Path, list[Path], str]:
    """The dataset of `size` split over FILES files in a git repository of its own, with one
    edit not yet committed; returns the repository, its files and the edited subject."""
    gen = _module("generate")
    repo = ROOT / "build" / "bench" / f"scale-{size}"
    paths = [repo / f"part-{i:02d}.nt" for i in range(FILES)]
    if not (repo / ".git").exists():
        shutil.rmtree(repo, ignore_errors=True)
        repo.mkdir(parents=True)
        triples = gen.parse_size(size)
        w = gen.generate(triples, seed=42, defects=max(20, triples // 20_000))
        parts: list[list[str]] = [[] for _ in range(FILES)]
        country = re.compile(r"/c(\d+)/")
        for line in gen.serialise(w, "nt").decode("utf-8").splitlines(keepends=True):
            m = country.search(line.split(" ", 1)[0])
            parts[int(m.group(1)) % FILES if m else 0].append(line)
        del w
        for p, lines in zip(paths, parts):
            gen.write_atomic(p, "".join(lines).encode("utf-8"))
        git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "."], check=True)
        subprocess.run(git + ["commit", "-qm", "generated data"], check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "--", "."], check=True)
    # the edit: in the middle file, one event's start date made ill-typed, one evidence quote removed
    def has_event(p: Path) -> bool:
        return "<https://schema.org/startDate> " in p.read_text(encoding="utf-8")

    edited = next(p for p in paths[FILES // 2:] + paths[:FILES // 2] if has_event(p))   # small sizes: few countries
    lines = edited.read_text(encoding="utf-8").splitlines(keepends=True)
    k = next(i for i, line in enumerate(lines) if "<https://schema.org/startDate> " in line)
    subject = lines[k].split(" ", 1)[0].strip("<>")
    lines[k] = lines[k].replace('"^^', '-31"^^', 1)
    q = next(i for i, line in enumerate(lines) if "/evidenceQuote> " in line)
    del lines[q]
    edited.write_text("".join(lines), encoding="utf-8")
    return repo, paths, subject


def measure(size: str, repeat: int) -> dict:
    run = _module("run")
    repo, paths, subject = prepare(size)
    files = [str(p) for p in paths]
    env = dict(os.environ, TAJSEC_ROOT=str(ROOT))
    merged = repo / "merged.trig"
    commands = {
        "parse": [sys.executable, __file__, "--child", "parse", *files],
        "validate": [TAJSEC, "validate", *files, "--format", "json"],
        "incremental": [TAJSEC, "validate", *files, "--format", "json", "--changed-since", "HEAD"],
        "merge": [TAJSEC, "merge", *files, "-o", str(merged), "--format", "json"],
    }
    out: dict = {"size": size}
    for op, cmd in commands.items():
        runs = [run.run_child(cmd, cwd=repo, env=env) for _ in range(repeat)]
        for r in runs:
            if r["rc"] not in (0, 1):
                raise SystemExit(f"{op} at {size} failed ({r['rc']}): {r['stderr']}")
        out[op] = {"wall": sorted(r["wall"] for r in runs)[len(runs) // 2], "rss": max(r["rss"] for r in runs),
                   "stdout": runs[-1]["stdout"]}
        print(f"  {size} {op}: {out[op]['wall']:.2f} s, {out[op]['rss']:.0f} MB", file=sys.stderr, flush=True)
    out["triples"] = json.loads(out["parse"]["stdout"].strip().splitlines()[-1])["triples"]
    full = json.loads(out["validate"]["stdout"])
    inc = json.loads(out["incremental"]["stdout"])
    _check_same_findings(full, inc, subject, size)
    out["results"] = (len(full["results"]), len(inc["results"]), inc.get("incremental", ""))
    merged.unlink(missing_ok=True)
    return out


def _check_same_findings(full: dict, inc: dict, subject: str, size: str) -> None:
    def key(r: dict) -> str:
        return json.dumps(r, sort_keys=True)

    full_keys = {key(r) for r in full["results"]}
    assert inc.get("incremental", "").startswith("incremental:"), (size, inc.get("incremental"))
    assert all(key(r) in full_keys for r in inc["results"]), f"{size}: an incremental result the full run lacks"
    reported = {r.get("focus") for r in inc["results"] if r.get("focus")}
    assert subject in reported, f"{size}: the edit's own violation is missing"
    missing = [r for r in full["results"] if r.get("focus") in reported and key(r) not in {key(x) for x in inc["results"]}]
    assert not missing, f"{size}: full results about reported nodes missing from the incremental run: {missing[:2]}"


def table(rows: list[dict]) -> str:
    head = "| triples | " + " | ".join(OPERATIONS) + " | results (full / incremental) |"
    lines = [head, "|---" * (len(OPERATIONS) + 2) + "|"]
    for r in rows:
        cells = [f"{r[op]['wall']:.2f} s, {r[op]['rss']:.0f} MB" for op in OPERATIONS]
        full, inc, note = r["results"]
        lines.append(f"| {r['triples']:,} | " + " | ".join(cells) + f" | {full} / {inc} ({note}) |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["triples"] for r in rows]
    fig, (time_ax, mem_ax) = plt.subplots(1, 2, figsize=(10, 4))
    for op in OPERATIONS:
        time_ax.plot(sizes, [r[op]["wall"] for r in rows], marker="o", label=op)
        mem_ax.plot(sizes, [r[op]["rss"] for r in rows], marker="o", label=op)
    for ax, label in ((time_ax, "wall time (s)"), (mem_ax, "peak memory (MB)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
    time_ax.legend()
    fig.suptitle("tajsec: cost by data size (whole processes, shared 2-core machine)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=100)
    os.replace(tmp, path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1m")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--plot", type=Path, help="write the plot (PNG) here")
    ap.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child_parse(*args.child[1:])))
        return 0
    rows = [measure(size, args.repeat) for size in args.sizes.split(",")]
    print(table(rows))
    if args.plot:
        plot(rows, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
