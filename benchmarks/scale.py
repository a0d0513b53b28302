"""How cost grows with the data: parse, validate (full and incremental), merge, and Apache Jena
SHACL on the same graph, at 10k to 10M triples.

    .venv/bin/python benchmarks/scale.py                       # 10k,100k,1m; 1 run each
    .venv/bin/python benchmarks/scale.py --sizes 10k,100k,1m,10m --repeat 3 --plot docs/img/scale.png
    .venv/bin/python benchmarks/scale.py --sizes 1m --no-jena   # without the Jena arm
    .venv/bin/python benchmarks/scale.py --sizes 10k,100k,1m,10m --plot docs/img/scale.png   # README
    .venv/bin/python benchmarks/scale.py --sizes 10m --skip parse,incremental,incremental-cold,merge,load,questions
                                                                # validate and Jena alone, side by side
    .venv/bin/python benchmarks/scale.py --child stages build/bench/scale-10m/part-*.nt   # where time goes

For each size, generated data in our ontology (benchmarks/generate.py, with planted defects) is
split into FILES N-Triples files by country, the way a dataset sits in a repository, and
committed to a git repository of its own under build/bench/scale-SIZE/. On the committed state,
`tajsec validate FILES --cache-dir CACHE` runs once, as a CI run on the main branch would (its
time is the `validate+cache` column: a full run that also fills the build cache). Then one data
file is edited (one date made ill-typed, one triple removed) and, as whole child processes (time
and peak memory from wait4, see benchmarks/README.md):

  parse            the files into a pyoxigraph store
  validate         `tajsec validate FILES` (full run, the edited data, no cache)
  incremental-cold `tajsec validate FILES --changed-since HEAD --no-cache` (the one edited file)
  incremental      the same with the build cache the run on the committed state left
                   (`--cache-dir CACHE`): what a pull request's CI run costs
  merge            `tajsec merge FILES -o merged.trig` (our graph and the data, written out)
  load             `tajsec load --endpoint URL FILES` into a local `oxigraph serve` (started
                   beforehand on an empty database, untimed; its own memory is not counted)
  questions        `tajsec serve --data FILES`: from its start until every competency question
                   (queries/questions/*.rq) has been answered over HTTP, one after the other
                   (`--timeout 60 --max-rows 100000`); the answers that were not 200 are counted
  jena             Apache Jena SHACL 4.5 (`shacl validate`, JVM start included; Debian's
                   libapache-jena-java, found as benchmarks/run.py finds it) on the graph tajsec
                   validates (ontology + data + derived layer, as one N-Triples file written
                   beforehand, untimed: Jena has no RDFS inference) with the same shapes, with
                   an explicit heap (`--jena-heap`, default 10g); if it fails, its error and
                   its time to failure are what the table shows

The script asserts what must hold at every size: each incremental run's results are all among
the full run's and include the edit's own violation, and every full result about a node an
incremental run reports on is in it; Jena's results are compared with the full run's as
(focus node, path, constraint component, severity) and the verdict printed. A Markdown table
goes to stdout, with the load average of the machine before and after; `--plot` draws time and
peak memory against size (matplotlib).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TAJSEC = str(Path(sys.executable).parent / "tajsec")
FILES = 10
OPERATIONS = ("parse", "validate+cache", "validate", "incremental-cold", "incremental", "merge", "load", "questions",
              "jena")
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))
LOAD_GRAPH = "https://example.org/tajsec-bench/loaded"
JENA_TIMEOUT = 1800   # seconds: a JVM thrashing at its heap limit is stopped, and the table says so


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


def prepare(size: str, committed=None) -> tuple[Path, list[Path], str]:
    """The dataset of `size` split over FILES files in a git repository of its own, with one
    edit not yet committed; returns the repository, its files and the edited subject.
    `committed(repo, paths)` runs on the committed state, before the edit."""
    gen = _module("generate")
    repo = ROOT / "build" / "bench" / f"scale-{size}"
    paths = [repo / f"part-{i:02d}.nt" for i in range(FILES)]
    if not (repo / ".git").exists():
        shutil.rmtree(repo, ignore_errors=True)
        repo.mkdir(parents=True)
        write_parts(gen, gen.parse_size(size), paths)
        git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "."], check=True)
        subprocess.run(git + ["commit", "-qm", "generated data"], check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "--", "."], check=True)
    if committed is not None:
        committed(repo, paths)
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


def write_parts(gen, triples: int, paths: list[Path]) -> None:
    """The generated data of about `triples` triples (planted defects included), country by
    country, each country's lines to one of `paths` (by its number): bounded memory at any size.
    Each file is written to a temporary name, then renamed."""
    tmps = [p.with_name(f".{p.name}.tmp") for p in paths]
    outs = [open(t, "wb") for t in tmps]   # noqa: SIM115 - closed below
    country = re.compile(r"/c(\d+)/")
    try:
        for w in gen.countries(triples, seed=42, defects=max(20, triples // 20_000)):
            for line in gen.serialise(w, "nt").decode("utf-8").splitlines(keepends=True):
                m = country.search(line.split(" ", 1)[0])
                outs[int(m.group(1)) % len(paths) if m else 0].write(line.encode("utf-8"))
    finally:
        for f in outs:
            f.close()
    for t, p in zip(tmps, paths):
        os.replace(t, p)


def _summary(runs: list[dict]) -> dict:
    return {"wall": sorted(r["wall"] for r in runs)[len(runs) // 2], "rss": max(r["rss"] for r in runs),
            "stdout": runs[-1]["stdout"]}


def measure(size: str, repeat: int, jena: list[str] | None, skip: set[str] = frozenset()) -> dict:
    run = _module("run")
    env = dict(os.environ, TAJSEC_ROOT=str(ROOT))
    cache = ROOT / "build" / "bench" / f"scale-cache-{size}"
    out: dict = {"size": size, "loadavg": os.getloadavg()}

    def committed(repo: Path, paths: list[Path]) -> None:   # the CI run on the main branch
        shutil.rmtree(cache, ignore_errors=True)
        r = run.run_child([TAJSEC, "validate", *map(str, paths), "--format", "json", "--cache-dir", str(cache)],
                          cwd=repo, env=env)
        if r["rc"] not in (0, 1):
            raise SystemExit(f"validate+cache at {size} failed ({r['rc']}): {r['stderr']}")
        out["validate+cache"] = _summary([r])
        print(f"  {size} validate+cache: {r['wall']:.2f} s (CPU {r.get('cpu', 0):.2f} s), {r['rss']:.0f} MB",
              file=sys.stderr, flush=True)

    repo, paths, subject = prepare(size, None if "incremental" in skip else committed)
    files = [str(p) for p in paths]
    merged = repo / "merged.trig"
    commands = {
        "parse": [sys.executable, __file__, "--child", "parse", *files],
        "validate": [TAJSEC, "validate", *files, "--format", "json"],
        "incremental-cold": [TAJSEC, "validate", *files, "--format", "json", "--changed-since", "HEAD", "--no-cache"],
        "incremental": [TAJSEC, "validate", *files, "--format", "json", "--changed-since", "HEAD",
                        "--cache-dir", str(cache)],
        "merge": [TAJSEC, "merge", *files, "-o", str(merged), "--format", "json"],
    }
    commands = {op: cmd for op, cmd in commands.items() if op not in skip}
    built, shapes = repo / "built.nt", repo / "shapes.nt"
    if jena:   # Jena's input, written once, untimed: the graph tajsec validates, and our shapes
        shapes.write_bytes(b"\n".join(run._turtle_as_nt(f) for f in sorted((ROOT / "shapes").glob("*.ttl"))))
        r = run.run_child([sys.executable, __file__, "--child", "dump", *files, str(built)], cwd=repo)
        if r["rc"] != 0:
            raise SystemExit(f"dump at {size} failed: {r['stderr']}")
        commands["jena"] = [*jena, "--shapes", str(shapes), "--data", str(built)]
    oxigraph = None
    if "load" not in skip:   # the endpoint `tajsec load` pushes to: a local Oxigraph, empty at the start
        shutil.rmtree(repo.parent / f"scale-oxigraph-{size}", ignore_errors=True)
        oxigraph, store_url = serve_oxigraph(repo.parent / f"scale-oxigraph-{size}")
        commands["load"] = [TAJSEC, "load", "--endpoint", store_url, "--graph", LOAD_GRAPH, *files]
    if "questions" not in skip:
        commands["questions"] = ["questions"]   # run_questions, below
    if jena:   # the last: Jena's input is written first
        commands["jena"] = commands.pop("jena")
    runs: dict[str, list[dict]] = {op: [] for op in commands}
    for n in range(repeat):   # the operations in turn, so that the machine's load falls on each alike
        for op, cmd in commands.items():
            r = (run_questions(files, repo, env) if op == "questions"
                 else run.run_child(cmd, cwd=repo, env=env, timeout=JENA_TIMEOUT if op == "jena" else None))
            r.setdefault("stdout", "")
            if r["rc"] not in (0, 1) and op != "jena":
                raise SystemExit(f"{op} at {size} failed ({r['rc']}): {r['stderr']}")
            runs[op].append(r)
            if op == "load" and n == repeat - 1 and oxigraph is not None:   # not beside the arms after it
                oxigraph.terminate()
                oxigraph.wait(60)
                oxigraph = None
            print(f"  {size} {op} ({n + 1}/{repeat}): {r['wall']:.2f} s (CPU {r.get('cpu', 0):.2f} s), "
                  f"{r['rss']:.0f} MB, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    if oxigraph is not None:
        oxigraph.terminate()
        oxigraph.wait(60)
    shutil.rmtree(repo.parent / f"scale-oxigraph-{size}", ignore_errors=True)
    for op in commands:
        out[op] = _summary(runs[op])
    merged.unlink(missing_ok=True)
    out["triples"] = (json.loads(out["parse"]["stdout"].strip().splitlines()[-1])["triples"] if "parse" in out
                      else sum(1 for f in files for line in open(f, "rb") if line.strip()))
    full = json.loads(out["validate"]["stdout"])
    notes = []
    for op in [op for op in ("incremental-cold", "incremental") if op in out]:
        inc = json.loads(out[op]["stdout"])
        _check_same_findings(full, inc, subject, f"{size} {op}")
        notes.append(f"{op} {len(inc['results'])} ({inc.get('incremental', '').removeprefix('incremental: ')})")
    if "questions" in out:
        asked = json.loads(out["questions"]["stdout"])
        refused = f", not: {asked['failed']}" if asked["failed"] else ""
        notes.append(f"questions {asked['answered']} answered{refused}")
    if "load" in out:
        notes.append(f"load {out['load']['stdout'].strip().splitlines()[-1].split()[2]} triples sent")
    out["results"] = (len(full["results"]), notes)
    built.unlink(missing_ok=True)
    if jena:
        out["jena"] |= _jena_verdict(runs["jena"][-1], full)
    out["loadavg"] = (*out["loadavg"], *os.getloadavg())
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_oxigraph(folder: Path) -> tuple[subprocess.Popen, str]:
    """`oxigraph serve` (the binary pyoxigraph's package puts beside Python) on a new database
    in `folder`, once it answers; the process and its Graph Store URL."""
    exe = Path(sys.executable).parent / "oxigraph"
    port = _free_port()
    proc = subprocess.Popen([str(exe if exe.exists() else shutil.which("oxigraph")), "serve", "--location",
                             str(folder), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).close()
            return proc, f"http://127.0.0.1:{port}/store"
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"oxigraph serve did not start (exit {proc.poll()})") from None
            time.sleep(0.2)


def run_questions(files: list[str], cwd: Path, env: dict) -> dict:
    """`tajsec serve --data FILES`, from its start until every competency question has been
    answered over HTTP (one after the other); then SIGTERM. Wall time, peak memory (wait4) and,
    as stdout, how many questions were answered (HTTP 200) and how the others were refused."""
    port = _free_port()
    cmd = [TAJSEC, "serve", "--port", str(port), "--timeout", "60", "--max-rows", "100000"]
    cmd += [x for f in files for x in ("--data", f)]
    t = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=cwd, env=env, text=True)
        line = proc.stdout.readline() if proc.stdout else ""
        if f"127.0.0.1:{port}/sparql" not in line:
            proc.kill()
            proc.wait()
            err.seek(0)
            raise SystemExit(f"tajsec serve did not start: {line}{err.read().decode(errors='replace')[-2000:]}")
        answered, failed = 0, Counter()
        for q in QUESTIONS:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/sparql", data=q.read_bytes(),
                                         headers={"Content-Type": "application/sparql-query",
                                                  "Accept": "application/sparql-results+json"})
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    r.read()
                answered += 1
            except urllib.error.HTTPError as e:
                failed[f"HTTP {e.code}"] += 1
            except OSError as e:
                failed[type(e).__name__] += 1
        wall = time.perf_counter() - t
        proc.send_signal(signal.SIGTERM)
        _, _status, usage = os.wait4(proc.pid, 0)
    summary = {"answered": answered, "failed": ", ".join(f"{n} {why}" for why, n in sorted(failed.items()))}
    return {"wall": wall, "rss": usage.ru_maxrss / 1024, "rc": 0, "stdout": json.dumps(summary)}


def child_stages(*files: str) -> dict:
    """Where the time and memory of a full `tajsec validate FILES` go, as its stages in one process
    (the same calls as tajsec.quality.validate.validate): seconds and peak memory (MB) after each.

        .venv/bin/python benchmarks/scale.py --child stages build/bench/scale-10m/part-*.nt"""
    import resource
    import time

    from tajsec import shacl
    from tajsec.core.project import Project
    from tajsec.graph.build import build, conclude_into, construct_queries
    from tajsec.shacl.locate import locate

    out: dict = {}
    t = time.perf_counter()

    def mark(stage: str) -> None:
        cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                  for f in ("ru_utime", "ru_stime"))   # the forked query process's, once it has ended
        out[stage] = {"s": round(time.perf_counter() - t, 1), "cpu_s": round(cpu, 1),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "load": round(os.getloadavg()[0], 1)}
        print(stage, out[stage], file=sys.stderr, flush=True)

    project = Project(ROOT)
    paths = [Path(f) for f in files]
    texts: dict = {}
    literals: list = []
    built = build(project, project.ontology_files, derive=False, foreign=paths, texts=texts, literals=literals)
    mark("load")
    conclude_into(built.store, construct_queries(project))
    mark("derived layer")
    results = shacl.validate(built.store, project.shape_files, as_parsed=literals)
    mark("shacl")
    locate(results, built, paths, texts)
    mark("locate")
    return out


def child_dump(*files: str) -> dict:
    """The graph tajsec validates (our ontology + the files + the derived layer) as N-Triples."""
    import pyoxigraph as ox

    from tajsec.core.project import Project
    from tajsec.graph.build import build
    from tajsec.io.write import store_to_ntriples

    *data, target = files
    project = Project(ROOT)
    built = build(project, project.ontology_files, foreign=[Path(f) for f in data], record=False)
    if len(built.store) < 2_000_000:
        Path(target).write_bytes(store_to_ntriples(built.store))
    else:   # streamed, not sorted (a triple in two graphs may come twice: Jena's graph is a set)
        with open(target, "wb") as out:
            built.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True).serialize(
                out, format=ox.RdfFormat.N_TRIPLES)
    return {"triples": len(built.store)}


def _jena_verdict(r: dict, full: dict) -> dict:
    """Whether Jena's report has the full run's findings, as (focus node, path, component,
    severity); or how Jena failed (its exit, time to failure and the last line of its error)."""
    import pyoxigraph as ox

    if r.get("timeout"):
        return {"verdict": f"STOPPED after {r['wall']:.0f} s (the benchmark's limit for Jena)", "count": 0}
    report = ox.Store()
    try:
        report.load(r["stdout"].encode("utf-8"), format=ox.RdfFormat.TURTLE)
        if not r["stdout"].strip():
            raise ValueError("no output")
    except (SyntaxError, ValueError) as e:
        lines = [line for line in r.get("stderr", "").splitlines() if line.strip()]
        why = next((line for line in lines if "Error" in line or "Exception" in line), lines[-1] if lines else "")
        return {"verdict": f"FAILED (exit {r['rc']}, {r['wall']:.0f} s, no report: {type(e).__name__}): "
                           f"{why.strip()[:200]}", "count": 0}
    sh = "http://www.w3.org/ns/shacl#"
    query = (f"SELECT ?f ?p ?c ?s WHERE {{ ?x a <{sh}ValidationResult> ; <{sh}focusNode> ?f ; "
             f"<{sh}sourceConstraintComponent> ?c ; <{sh}resultSeverity> ?s . OPTIONAL {{ ?x <{sh}resultPath> ?p }} }}")
    theirs = set()
    for row in report.query(query):
        path = row["p"]   # a complex path (a blank node) as "_"
        theirs.add((row["f"].value, None if path is None else "_" if isinstance(path, ox.BlankNode) else path.value,
                    row["c"].value, row["s"].value.rsplit("#", 1)[-1]))

    def key(focus, path, component, severity) -> tuple:
        path = None if path is None else "_" if ":" not in str(path) else str(path)
        return (str(focus), path, str(component), str(severity).rsplit("#", 1)[-1])

    ours = {key(x["focus"], x["path"], x["component"], x["severity"]) for x in full["results"] if x.get("focus")}
    return {"verdict": ("same findings" if theirs == ours
                        else f"DIFFERENT: {len(ours - theirs)} only tajsec, {len(theirs - ours)} only Jena"),
            "count": len(theirs)}


def _check_same_findings(full: dict, inc: dict, subject: str, size: str) -> None:
    def key(r: dict) -> str:   # a blank node (a complex sh:path) is labelled afresh in each run
        def term(v: str | None) -> str | None:
            return "_:" if v and v.startswith("_:") else v

        terms = {k: term(v) for k, v in (r.get("terms") or {}).items()}
        return json.dumps({k: "_:" if k == "path" and v and ":" not in v else terms if k == "terms" else v
                           for k, v in r.items()}, sort_keys=True)

    full_keys = {key(r) for r in full["results"]}
    assert inc.get("incremental", "").startswith("incremental:"), (size, inc.get("incremental"))
    assert all(key(r) in full_keys for r in inc["results"]), f"{size}: an incremental result the full run lacks"
    reported = {r.get("focus") for r in inc["results"] if r.get("focus")}
    assert subject in reported, f"{size}: the edit's own violation is missing"
    inc_keys = {key(x) for x in inc["results"]}
    missing = [r for r in full["results"] if r.get("focus") in reported and key(r) not in inc_keys]
    assert not missing, f"{size}: full results about reported nodes missing from the incremental run: {missing[:2]}"


def table(rows: list[dict], heap: str | None = None) -> str:
    ops = [op for op in OPERATIONS if any(r.get(op) for r in rows)]
    head = "| triples | " + " | ".join(ops) + " | validate / incremental | results (loader warnings included) |"
    lines = [head, "|---" * (len(ops) + 3) + "|"]
    for r in rows:
        cells = [f"{r[op]['wall']:.2f} s, {r[op]['rss']:.0f} MB" if r.get(op) else "-" for op in ops]
        full, notes = r["results"]
        jena = f"Jena {r['jena'].get('count', '?')} ({r['jena']['verdict']})" if r.get("jena") else "Jena not run"
        if r.get("jena") and r["jena"].get("count"):
            jena += f"; Jena / validate time {r['jena']['wall'] / r['validate']['wall']:.2f}x"
        ratio = f"{r['validate']['wall'] / r['incremental']['wall']:.1f}x" if r.get("incremental") else "-"
        lines.append(f"| {r['triples']:,} | " + " | ".join(cells) + f" | {ratio} | validate {full}; " + "; ".join(notes)
                     + f"; {jena} |")
    loads = "; ".join(f"{r['size']}: " + " / ".join(f"{x:.1f}" for x in r["loadavg"]) for r in rows)
    lines.append(f"\nLoad average (1, 5, 15 min) before and after each size: {loads}."
                 + (f" Jena ran with -Xmx{heap}." if heap else ""))
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["triples"] for r in rows]
    fig, (time_ax, mem_ax) = plt.subplots(1, 2, figsize=(10, 4))
    for op in OPERATIONS:
        if not all(r.get(op) for r in rows):
            continue
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
    ap.add_argument("--no-jena", action="store_true", help="leave out the Apache Jena SHACL arm")
    ap.add_argument("--skip", default="",
                    help="operations to leave out, comma-separated (parse, merge, incremental-cold, incremental "
                         "with validate+cache, load, questions)")
    ap.add_argument("--jena-heap", default="10g", help="Jena's maximum heap (java -Xmx), default 10g")
    ap.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child = {"parse": child_parse, "dump": child_dump, "stages": child_stages}[args.child[0]]
        print(json.dumps(child(*args.child[1:])))
        return 0
    jena = None if args.no_jena else _module("run").find_jena()
    if jena and Path(jena[0]).name == "java":
        jena = [jena[0], f"-Xmx{args.jena_heap}", *jena[1:]]
    elif jena:   # a `shacl` script: it passes JVM_ARGS on
        os.environ["JVM_ARGS"] = f"-Xmx{args.jena_heap}"
    skip = {op for op in args.skip.split(",") if op}
    if skip - {"parse", "merge", "incremental-cold", "incremental", "load", "questions"}:
        ap.error("--skip: only parse, merge, incremental-cold, incremental (and with it validate+cache), load and "
                 f"questions can be left out, not {sorted(skip)}")
    rows = [measure(size, args.repeat, jena, skip) for size in args.sizes.split(",")]
    print(table(rows, args.jena_heap if jena else None))
    if args.plot:
        plot(rows, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
