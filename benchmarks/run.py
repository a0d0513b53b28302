"""Benchmarks: `tajsec check` against the naive pipeline, and SHACL validation at scale.

    .venv/bin/python benchmarks/run.py [--sizes 10k,100k,1m] [--repeat 5]

Every measurement is a whole child process (Python start-up and imports included), run
--repeat times; the table shows the median wall time and the largest peak memory (the child's
maximum resident set, from wait4). See benchmarks/README.md for what each row means.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "build" / "bench"
PY = sys.executable
PYSHACL_MAX = 100_000   # pySHACL is skipped above this many triples (hours, tens of GB)


# ---------------------------------------------------------------------------------------------
# child-process entry points (each prints one JSON line on stdout)
# ---------------------------------------------------------------------------------------------


def _findings_of_report(report) -> dict:
    shacl_stage = next((s for s in report.stages if s.name == "shacl"), None)
    owl = next((s for s in report.stages if s.name == "owl"), None)
    return {
        "owl": owl.summary.split(" (")[0] if owl else None,
        "unsatisfiable": sorted(d.describe() for d in owl.details) if owl else None,
        "shacl": _keys([r.as_dict() for r in (shacl_stage.details if shacl_stage else [])]),
        "stages": {s.name: round(s.seconds, 3) for s in report.stages},
    }


def _keys(results) -> list:
    return sorted((_key(r) for r in results), key=lambda k: [x or "" for x in k])


def _key(r: dict) -> list:
    return [r.get(k) for k in ("focusNode", "resultPath", "sourceConstraintComponent", "severity", "sourceShape")]


def child_fast_check(cache: str = "cache") -> dict:
    """`tajsec check` with the SHACL stage on the fast engine (tajsec.shacl), which is what
    check.check() runs since the report's proposal was adopted."""
    from tajsec.quality import check
    from tajsec.core.project import Project

    project = Project(ROOT)
    report = check.check(project, use_cache=cache != "nocache")
    return _findings_of_report(report)


def child_tajsec_check() -> dict:
    """`tajsec check` as the package has it now (whatever SHACL engine check.py uses)."""
    from tajsec.quality import check
    from tajsec.core.project import Project

    project = Project(ROOT)
    report = check.check(project)
    return _findings_of_report(report)


def child_answers() -> dict:
    """Rows of every question and check over the built graph, as `tajsec check` computes them
    (a separate, untimed run: check.check does not return the rows)."""
    from tajsec.sparql import queries
    from tajsec.graph.build import build
    from tajsec.core.project import Project

    project = Project(ROOT)
    t = time.perf_counter()
    built = build(project)
    out = {}
    for path in project.question_queries + project.check_queries:
        res = queries.run(built.query, path.read_text(encoding="utf-8"))
        out[path.stem] = sorted(res.lexical_rows())
    return {"answers": out, "seconds": round(time.perf_counter() - t, 3)}


def child_naive_check() -> dict:
    """The naive pipeline: rdflib parses every file; the build rules run as rdflib SPARQL
    CONSTRUCTs; HermiT (owlready2) without a cache; pySHACL with inference="rdfs"; the quality
    checks and the competency questions with rdflib SPARQL."""
    import rdflib

    from tajsec.sparql import queries
    from tajsec.reason import hermit as reasoning
    from tajsec.graph.build import construct_queries
    from tajsec.core.project import Project

    from tajsec.graph.build import DERIVED_GRAPH
    from tajsec.io.load import graph_name_for

    project = Project(ROOT)
    stages = {}
    t = time.perf_counter()
    # as the build does: each file in its own named graph, derived triples in another, queries
    # over the union
    ds = rdflib.Dataset(default_union=True)
    for f in project.ontology_files + project.instance_files:
        ds.graph(rdflib.URIRef(graph_name_for(f, project.root).value)).parse(f, format="turtle")
    asserted = rdflib.Graph()
    for tr in ds.triples((None, None, None)):
        asserted.add(tr)
    derived = ds.graph(rdflib.URIRef(DERIVED_GRAPH.value))
    for rule in construct_queries(project):
        for tr in list(ds.query(rule.read_text(encoding="utf-8"))):
            if tr not in ds:
                derived.add(tr)
    graph = rdflib.Graph()
    for tr in ds.triples((None, None, None)):
        graph.add(tr)
    stages["parse"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    lines = sorted({f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in asserted
                    if str(p) not in (str(reasoning.OWL_IMPORTS.value), reasoning.PYTHON_MODULE)})
    r = reasoning.run_hermit("".join(lines).encode("utf-8"), None)
    stages["owl"] = round(time.perf_counter() - t, 3)
    owl = f"{'consistent' if r.consistent else 'INCONSISTENT'}, {len(r.unsatisfiable)} unsatisfiable classes"

    t = time.perf_counter()
    import pyshacl

    shapes = rdflib.Graph()
    for f in project.shape_files:
        shapes.parse(f, format="turtle")
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="rdfs", allow_warnings=True, advanced=True)
    results = _pyshacl_results(report)
    stages["shacl"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    answers = {}
    for path in project.check_queries:
        answers[path.stem] = _rdflib_rows(ds, path)
    stages["checks"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    for path in project.question_queries:
        answers[path.stem] = _rdflib_rows(ds, path)
    stages["questions"] = round(time.perf_counter() - t, 3)
    return {"owl": owl, "unsatisfiable": sorted(r.unsatisfiable), "shacl": _keys(results),
            "stages": stages, "answers": answers}


def _rdflib_rows(graph, path: Path) -> list:
    try:
        res = graph.query(path.read_text(encoding="utf-8"))
        list(res)
    except Exception as e:  # rdflib's SPARQL engine fails on some of our queries
        return [[f"rdflib error: {type(e).__name__}: {e}"[:200]]]
    names = [str(v) for v in res.vars]
    return sorted([["" if row[n] is None else str(row[n]) for n in names] for row in res])


def _pyshacl_results(report) -> list[dict]:
    import rdflib
    from rdflib.namespace import SH

    out = []
    root = report.value(predicate=rdflib.RDF.type, object=SH.ValidationReport)
    for r in report.objects(root, SH.result):
        def one(p):
            v = report.value(r, p)
            return None if v is None else str(v)
        out.append({k: one(SH[k]) for k in ("focusNode", "resultPath", "sourceConstraintComponent", "sourceShape")}
                   | {"severity": one(SH.resultSeverity)})
    return out


def child_validate_fast(data: str) -> dict:
    """`tajsec validate FILE` as proposed: build (ontology + the file, derived layer) and
    tajsec.shacl (the fast engine)."""
    from tajsec import shacl
    from tajsec.graph.build import build
    from tajsec.core.project import Project

    project = Project(ROOT)
    t = time.perf_counter()
    built = build(project, project.ontology_files + [Path(data)], foreign=[Path(data)])
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    results = [r.as_dict() for r in shacl.validate(built.store, project.shape_files)]
    t_val = time.perf_counter() - t
    return {"build": round(t_build, 3), "validate": round(t_val, 3), "triples": built.asserted_triples,
            "derived": built.derived_triples, "shacl": _keys(results)}


def child_parse(data: str) -> dict:
    import pyoxigraph as ox

    t = time.perf_counter()
    store = ox.Store()
    store.load(path=data, format=ox.RdfFormat.TURTLE)
    return {"seconds": round(time.perf_counter() - t, 3), "triples": len(store)}



# ---------------------------------------------------------------------------------------------
# the parent: run children, measure, print the table
# ---------------------------------------------------------------------------------------------


def run_child(cmd: list[str], timeout: float | None = None, cwd: Path = ROOT, env: dict | None = None) -> dict:
    """Run a command; its wall time, peak RSS (MB), exit code and last JSON line of stdout."""
    t = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, env=env)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                return {"wall": time.perf_counter() - t, "rss": usage.ru_maxrss / 1024, "rc": None,
                        "timeout": True, "json": None, "stderr": ""}
            time.sleep(0.005)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    data = None
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                data = json.loads(line)
                break
            except ValueError:
                pass
    return {"wall": wall, "rss": usage.ru_maxrss / 1024, "rc": proc.returncode, "json": data,
            "stderr": stderr[-2000:], "stdout": stdout, "cpu": usage.ru_utime + usage.ru_stime}


def repeat(cmd, n: int, timeout=None, label="") -> dict:
    runs = []
    for i in range(n):
        r = run_child(cmd, timeout)
        runs.append(r)
        print(f"  {label} run {i + 1}/{n}: {r['wall']:.2f} s, {r['rss']:.0f} MB" + (" TIMEOUT" if r.get("timeout") else ""),
              file=sys.stderr, flush=True)
        if r.get("timeout") or (r["json"] is None and r["rc"] not in (0, 1)):
            break
    walls = [r["wall"] for r in runs]
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls), "n": len(runs),
            "rss": max(r["rss"] for r in runs), "last": runs[-1], "runs": runs}


def me(*args) -> list[str]:
    return [PY, str(Path(__file__).resolve()), "--child", *args]


def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def same(a, b) -> str:
    return "identical" if a == b else "DIFFERENT"


DEBIAN_JENA_JARS = [  # Debian's libapache-jena-java 4.5.0: a hand-picked classpath (MEASURED.md pitfall 5)
    "jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage",
    "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri", "jena-rdfconnection", "jena-shacl",
    "jena-shex", "jena-tdb", "jena-tdb2", "slf4j-api", "slf4j-nop", "commons-lang3", "commons-io", "commons-codec",
    "commons-compress", "commons-csv", "commons-cli", "dexx.collection", "gson", "jackson-core", "jackson-databind",
    "jackson-annotations", "httpclient", "httpcore", "jsonld-java", "thrift", "protobuf", "protobuf-util",
    "titanium-json-ld", "jakarta.json-api", "guava", "commons-collections4",
]


def find_jena() -> list[str] | None:
    """A command line prefix that runs Jena's SHACL validator (`... --shapes S --data D`), or
    None. Tries a `shacl` command, then $JENA_CLASSPATH, then Debian's jars with a small jar that
    puts Jena's relocated Xerces message files where its classes look for them."""
    if shutil.which("shacl"):
        candidates = [[shutil.which("shacl"), "validate"]]
    else:
        candidates = []
    cp = os.environ.get("JENA_CLASSPATH")
    java = shutil.which("java")
    if not cp and java and Path("/usr/share/java/jena-shacl.jar").is_file():
        jars = [f"/usr/share/java/{n}.jar" for n in DEBIAN_JENA_JARS if Path(f"/usr/share/java/{n}.jar").is_file()]
        fix = BENCH_DIR / "jena-xerces-messages.jar"
        if not fix.is_file():
            import zipfile

            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile("/usr/share/java/jena-core.jar") as src, zipfile.ZipFile(fix, "w") as dst:
                for name in src.namelist():
                    if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                        dst.writestr(name[len("org/apache/jena/ext/"):], src.read(name))
        cp = ":".join(jars + [str(fix)])
    if cp and java:
        candidates.append([java, "-cp", cp, "shacl.shacl", "validate"])
    for cmd in candidates:
        with tempfile.TemporaryDirectory() as tmp:
            shapes, data = Path(tmp) / "s.ttl", Path(tmp) / "d.nt"
            shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://x/S> a sh:NodeShape ; "
                              "sh:targetNode <http://x/a> ; sh:property [ sh:path <http://x/p> ; sh:minCount 1 ] .\n")
            data.write_text("<http://x/a> <http://x/q> \"1\" .\n")
            try:
                r = subprocess.run(cmd + ["--shapes", str(shapes), "--data", str(data)], capture_output=True,
                                   text=True, timeout=120)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if "MinCountConstraintComponent" in r.stdout:
                return cmd
    return None


def child_dump_built(data: str, out: str) -> dict:
    """The graph tajsec validates (ontology + data + derived layer) as N-Triples, for Jena."""
    from tajsec.graph.build import build
    from tajsec.core.project import Project
    from tajsec.io.write import store_to_ntriples

    project = Project(ROOT)
    built = build(project, project.ontology_files + [Path(data)], foreign=[Path(data)])
    Path(out).write_bytes(store_to_ntriples(built.store))
    return {"triples": len(built.store)}


def _jena_keys(stdout: str):
    import rdflib

    g = rdflib.Graph()
    try:
        g.parse(data=stdout, format="turtle")
    except Exception:
        return None
    return _keys(_pyshacl_results(g))


CHILDREN = {"naive-check": child_naive_check, "fast-check": child_fast_check,
            "tajsec-check": child_tajsec_check, "validate-fast": child_validate_fast, "parse": child_parse,
            "answers": child_answers, "dump-built": child_dump_built}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="tajsec benchmarks")
    ap.add_argument("--sizes", default="10k,100k,1m")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--slow-repeat", type=int, default=1,
                    help="runs of pySHACL on generated data above 10k triples (default 1: minutes each)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--defects", type=int, default=40,
                    help="also validate a copy of the 10k data with this many planted defects (0: no)")
    ap.add_argument("--skip-check", action="store_true", help="skip the paper-graph comparison")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        name, *rest = args.child
        print(json.dumps(CHILDREN[name](*rest)))
        return 0

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    lines = []
    out = lines.append
    out(f"# tajsec benchmarks ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"medians of {args.repeat} whole-process runs unless noted)")
    out("")

    if not args.skip_check:
        print("paper graph: naive pipeline, tajsec check, tajsec check with fastshacl", file=sys.stderr)
        naive = repeat(me("naive-check"), args.repeat, label="naive")
        cur = repeat(me("tajsec-check"), args.repeat, label="tajsec check")
        fast = repeat(me("fast-check"), args.repeat, label="fast check")
        cold = run_child(me("fast-check", "nocache"))
        nj, cj, fj = naive["last"]["json"] or {}, cur["last"]["json"] or {}, fast["last"]["json"] or {}
        fj = {**fj, "answers": (run_child(me("answers"))["json"] or {}).get("answers", {})}
        out("## `tajsec check` on the paper graph (ontology + instances)")
        out("")
        out("| pipeline | wall (median) | min-max | peak RSS | parse | owl | shacl | checks | questions |")
        out("|---|---|---|---|---|---|---|---|---|")
        for name, r, j in (("naive: rdflib + HermiT (no cache) + pySHACL -i rdfs + rdflib SPARQL", naive, nj),
                           ("`tajsec check` as it is now", cur, cj),
                           ("`tajsec check` with tajsec.fastshacl (HermiT cached)", fast, fj)):
            st = j.get("stages", {})
            out(f"| {name} | {fmt_s(r['median'])} | {r['min']:.2f}-{r['max']:.2f} | {r['rss']:.0f} MB | "
                + " | ".join(f"{st[k]:.2f}" if k in st else "-" for k in ("parse", "owl", "shacl", "checks", "questions")) + " |")
        cst = (cold["json"] or {}).get("stages", {})
        out(f"| `tajsec check` with tajsec.fastshacl, no HermiT cache (`--no-cache`, 1 run) | {fmt_s(cold['wall'])} | - | {cold['rss']:.0f} MB | "
            + " | ".join(f"{cst[k]:.2f}" if k in cst else "-" for k in ("parse", "owl", "shacl", "checks", "questions")) + " |")
        out("")
        speed = naive["median"] / fast["median"] if fast["median"] else float("nan")
        out(f"Speed-up of `tajsec check` with fastshacl over the naive pipeline: **{speed:.1f}x** "
            f"(cold HermiT cache: {naive['median'] / cold['wall']:.1f}x).")
        out("")
        q_names = sorted(fj.get("answers", {}))
        diff_q = [k for k in q_names if nj.get("answers", {}).get(k) != fj["answers"][k]]
        out("| findings, naive vs fastshacl check | |")
        out("|---|---|")
        out(f"| OWL consistency | {same(nj.get('owl'), fj.get('owl', '').replace(' (HermiT, cached)', '').replace(' (HermiT)', ''))}: "
            f"{nj.get('owl')} |")
        out(f"| unsatisfiable classes | {same(nj.get('unsatisfiable'), fj.get('unsatisfiable'))} ({len(fj.get('unsatisfiable') or [])}) |")
        out(f"| SHACL results (focus, path, component, severity, shape) | {same(nj.get('shacl'), fj.get('shacl'))} "
            f"({len(nj.get('shacl') or [])} vs {len(fj.get('shacl') or [])}) |")
        out(f"| SHACL results, `tajsec check` now vs fastshacl | {same(cj.get('shacl'), fj.get('shacl'))} |")
        errors = [k for k in diff_q if any("rdflib error" in c for row in nj.get("answers", {}).get(k, []) for c in row)]
        out(f"| answers of {len(q_names)} questions and checks (rows, as lexical values) | "
            + ("identical" if not diff_q else f"DIFFERENT in {len(diff_q)}: {', '.join(diff_q[:6])}")
            + (f" (in {len(errors)} of them rdflib's SPARQL engine raised an error: "
               f"{sorted({c for k in errors for row in nj['answers'][k] for c in row})[0][:90]})" if errors else "") + " |")
        out("")

    sizes = [s for s in args.sizes.split(",") if s]
    if sizes:
        jena = find_jena()
        out("## SHACL validation of generated data (ontology + data, our shapes)")
        out("")
        out("| triples | engine | wall (median) | runs | peak RSS | of which validation | results | same results as fast |")
        out("|---|---|---|---|---|---|---|---|")
        tmp = Path(tempfile.mkdtemp(prefix="tajsec-bench-"))
        try:
            onto = tmp / "ontology.ttl"
            onto.write_bytes(b"\n".join(_turtle_as_nt(f) for f in sorted((ROOT / "ontology").glob("*.ttl"))))
            shapes_all = tmp / "shapes.ttl"
            shapes_all.write_bytes(b"\n".join(_turtle_as_nt(f) for f in sorted((ROOT / "shapes").glob("*.ttl"))))
            parse_rows = []
            notes = []
            for size in sizes:
                n = generate.parse_size(size)
                data = BENCH_DIR / f"data-{size}-seed{args.seed}.ttl"
                if not data.is_file():
                    print(f"generating {data}", file=sys.stderr)
                    w = generate.generate(n, args.seed)
                    generate.write_atomic(data, generate.serialise(w, "ttl"))
                variants = [(data, "")]
                if n <= 20_000 and args.defects:
                    bad = BENCH_DIR / f"data-{size}-seed{args.seed}-defects{args.defects}.ttl"
                    if not bad.is_file():
                        generate.write_atomic(bad, generate.serialise(generate.generate(n, args.seed, args.defects), "ttl"))
                    variants.append((bad, f" ({args.defects} planted defects)"))
                for path, note in variants:
                    fast = repeat(me("validate-fast", str(path)), args.repeat, label=f"fast {size}{note}")
                    fj = fast["last"]["json"] or {}
                    tri = fj.get("triples", n)
                    out(f"| {tri:,}{note} | tajsec.fastshacl (build + validate) | {fmt_s(fast['median'])} | {fast['n']} | "
                        f"{fast['rss']:.0f} MB | {fj.get('validate', float('nan')):.2f} s (build {fj.get('build', float('nan')):.2f} s) | "
                        f"{len(fj.get('shacl', []))} | - |")
                    if n <= PYSHACL_MAX:
                        reps = args.repeat if n <= 20_000 else args.slow_repeat
                        # the ontology as a second data graph (with -e, pySHACL takes only class
                        # and property definitions from it, not our SKOS concepts)
                        cmd = [str(Path(PY).with_name("pyshacl")), "-i", "rdfs", "-a", "-s", str(shapes_all),
                               "-f", "nt", str(onto), str(path)]
                        ps = repeat(cmd, reps, label=f"pyshacl {size}{note}")
                        keys = _pyshacl_keys(ps["last"].get("stdout", ""))
                        verdict = "?"
                        if keys is not None:
                            a = {tuple(k) for k in keys}
                            b = {tuple(k) for k in fj.get("shacl", [])}
                            verdict = same(a, b) if a == b else f"DIFFERENT: {len(b - a)} only fast, {len(a - b)} only pySHACL"
                            if a != b:
                                notes.append(f"{tri:,}{note}, fast vs pyshacl -i rdfs: only fast: "
                                             f"{[_brief(k) for k in sorted(b - a, key=str)]}; only pySHACL: {[_brief(k) for k in sorted(a - b, key=str)]}")
                        out(f"| {tri:,}{note} | `pyshacl -i rdfs -a` | {fmt_s(ps['median'])} | {ps['n']} | {ps['rss']:.0f} MB | "
                            f"(all) | {len(keys) if keys is not None else '?'} | {verdict} |")
                    else:
                        out(f"| {tri:,} | `pyshacl -i rdfs -a` | skipped above {PYSHACL_MAX:,} triples | | | | | |")
                    if jena:
                        # Jena gets the graph tajsec validates (ontology + data + derived layer) as
                        # one N-Triples file: it has no RDFS inference of its own
                        built_nt = tmp / f"built-{size}.nt"
                        run_child(me("dump-built", str(path), str(built_nt)))
                        jr = repeat(jena + ["--shapes", str(shapes_all), "--data", str(built_nt)],
                                    args.slow_repeat if n > 20_000 else args.repeat, timeout=1800, label=f"jena {size}{note}")
                        ok = jr["last"]["rc"] in (0, 1) and not jr["last"].get("timeout")
                        keys = _jena_keys(jr["last"].get("stdout", "")) if ok else None
                        verdict = "?"
                        if keys is not None:
                            a = {tuple(k) for k in keys}
                            b = {tuple(k) for k in fj.get("shacl", [])}
                            verdict = same(a, b) if a == b else f"DIFFERENT: {len(b - a)} only fast, {len(a - b)} only Jena"
                            if a != b:
                                notes.append(f"{tri:,}{note}, fast vs Jena: only fast: {[_brief(k) for k in sorted(b - a, key=str)]}; "
                                             f"only Jena: {[_brief(k) for k in sorted(a - b, key=str)]}")
                        err = (jr["last"]["stderr"].strip().splitlines() or ["failed"])[-1][:60]
                        out(f"| {tri:,}{note} | Apache Jena SHACL 4.5 (`shacl validate`, JVM start included) | "
                            f"{fmt_s(jr['median']) if ok else 'failed: ' + err} | "
                            f"{jr['n']} | {jr['rss']:.0f} MB | (all) | {len(keys) if keys is not None else '?'} | {verdict} |")
                        built_nt.unlink(missing_ok=True)
                if not jena:
                    out(f"| {tri:,} | Apache Jena SHACL | not installed/not runnable | | | | | |")
                if n >= 1_000_000 or size == sizes[-1]:
                    pr = repeat(me("parse", str(data)), args.repeat, label=f"parse {size}")
                    parse_rows.append((pr, data))
            out("")
            for n_ in notes:
                out(f"- {n_}")
            if notes:
                out("")
            for pr, path in parse_rows:
                j = pr["last"]["json"] or {}
                out(f"Parse {j.get('triples', 0):,} triples of Turtle ({path.relative_to(ROOT)}, "
                    f"{path.stat().st_size / 1e6:.0f} MB) into a pyoxigraph Store: {j.get('seconds', float('nan')):.2f} s "
                    f"inside the process; {fmt_s(pr['median'])} whole process, {pr['rss']:.0f} MB peak.")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(lines))
    return 0


def _turtle_as_nt(path: Path) -> bytes:
    import pyoxigraph as ox

    return b"".join(f"{q.subject} {q.predicate} {q.object} .\n".encode()
                    for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))


def _brief(k) -> str:
    focus, path, comp, _sev, shape = k
    return f"{(focus or '').rsplit('/', 1)[-1]} {(shape or '').rsplit('/', 1)[-1]} {(comp or '').rsplit('#', 1)[-1]}"


def _pyshacl_keys(stdout: str):
    """The result keys of a pySHACL report printed as N-Triples."""
    try:
        import rdflib
    except ImportError:
        return None
    if not stdout.strip():
        return None
    g = rdflib.Graph()
    try:
        g.parse(data=stdout, format="nt")
    except Exception:
        return None
    return _keys(_pyshacl_results(g))


if __name__ == "__main__":
    sys.exit(main())
