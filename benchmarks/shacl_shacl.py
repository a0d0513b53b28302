"""Benchmark: anyone's shapes, side by side. The SHACL-for-SHACL shapes graph from the W3C SHACL
Core test suite (core/complex/shacl-shacl-data-shapes.ttl: third-party shapes, none of ours)
validates a large generated shapes file with planted defects, in three engines:

- `tajsec validate BIG --shapes SHACL-SHACL` (the compiled engine, whole CLI process)
- pySHACL (`pyshacl.validate`, inference none)
- Apache Jena SHACL 4.5 (Debian's libapache-jena-java; `find_jena` in run.py), if it runs

    .venv/bin/python benchmarks/shacl_shacl.py [--shapes 2000,20000] [--repeat 3]

Each figure is a whole child process (start-up, imports or JVM, parsing), the median of
--repeat runs, with the largest peak memory; the findings of the engines are compared as
(focus node, path, constraint component, severity, source shape), blank nodes as "_"."""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from run import BENCH_DIR, PY, ROOT, fmt_s, find_jena, repeat  # noqa: E402

KINDS = ["minCount 1", "maxCount 3", "datatype xsd:string", "nodeKind sh:IRI", "minLength 2", "pattern \"^[a-z]\"",
         "in ( \"a\" \"b\" \"c\" )", "class ex:C", "uniqueLang true", "languageIn ( \"en\" \"ru\" )"]
# each one breaks a SHACL-for-SHACL shape (a result expected from every engine)
DEFECTS = [
    "sh:minCount \"one\"",               # not an xsd:integer
    "sh:maxCount 1 , 2",                 # two values
    "sh:datatype \"xsd:string\"",        # not an IRI
    "sh:nodeKind sh:Nothing",            # not a node kind
    "sh:path ex:p0 , ex:p1",             # two paths
    "sh:uniqueLang \"yes\"",             # not a boolean
]


def generate(n_shapes: int, out: Path, seed: int = 7) -> int:
    """A shapes file of `n_shapes` node shapes with 4 property shapes each; one shape in 50 has
    a defect. Returns the number of defects planted."""
    rnd = random.Random(seed)
    lines = ["@prefix ex: <http://example.org/bench/> .", "@prefix sh: <http://www.w3.org/ns/shacl#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", ""]
    defects = 0
    for i in range(n_shapes):
        props = [f"ex:S{i}-p{j}" for j in range(4)]
        lines.append(f"ex:S{i} a sh:NodeShape ; sh:targetClass ex:C{i % 97} ; sh:property {' , '.join(props)} .")
        for j, ps in enumerate(props):
            body = [f"sh:path ex:p{j}"] + [f"sh:{rnd.choice(KINDS)}" for _ in range(2)]
            if j == 0 and i % 50 == 25:
                defect = DEFECTS[defects % len(DEFECTS)]
                body = [defect] if defect.startswith("sh:path") else [body[0], defect]
                defects += 1
            lines.append(f"{ps} a sh:PropertyShape ; {' ; '.join(body)} .")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return defects


def _norm(key):
    return tuple("_" if isinstance(x, str) and not x.startswith(("http", "urn", "file")) else x for x in key)


def child_pyshacl(data: str, shapes: str) -> dict:
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    _, report, _ = pyshacl.validate(rdflib.Graph().parse(data), shacl_graph=rdflib.Graph().parse(shapes),
                                    inference="none", allow_warnings=True)
    root = report.value(predicate=rdflib.RDF.type, object=SH.ValidationReport)
    keys = []
    for r in report.objects(root, SH.result):
        keys.append([None if report.value(r, p) is None else str(report.value(r, p)) for p in
                     (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.resultSeverity, SH.sourceShape)])
    return {"keys": keys}


def _tajsec_keys(stdout: str):
    try:
        doc = json.loads(stdout)
    except ValueError:
        return None
    return [[r["focus"], r["path"], r["component"], "http://www.w3.org/ns/shacl#" + r["severity"], r["shape"]]
            for r in doc["results"]]


def _jena_keys(stdout: str):
    import rdflib
    from rdflib.namespace import SH

    g = rdflib.Graph()
    try:
        g.parse(data=stdout, format="turtle")
    except Exception:
        return None
    root = g.value(predicate=rdflib.RDF.type, object=SH.ValidationReport)
    return [[None if g.value(r, p) is None else str(g.value(r, p)) for p in
             (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.resultSeverity, SH.sourceShape)]
            for r in g.objects(root, SH.result)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shapes", default="2000,20000", help="sizes of the generated shapes file (node shapes)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pyshacl-max", type=int, default=2000, help="skip pySHACL above this many node shapes")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child_pyshacl(*args.child[1:])))
        return 0
    import shacl_suite

    meta = BENCH_DIR / "shacl-shacl.ttl"
    src = shacl_suite.suite_dir() / "complex" / "shacl-shacl-data-shapes.ttl"
    # the suite's file resolves relative IRIs against itself; written out as N-Triples once
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text("".join(f"{t} .\n" for t in shacl_suite.parse(src)), encoding="utf-8")
    meta_nt = meta.with_suffix(".nt")
    meta.rename(meta_nt)
    jena = find_jena()
    tajsec = str(Path(PY).parent / "tajsec")
    print("| shapes file | triples | engine | wall (median) | min-max | peak memory | results | same findings as tajsec |")
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.shapes.split(",")):
        big = BENCH_DIR / f"shapes-{size}.ttl"
        defects = generate(size, big)
        import pyoxigraph as ox

        triples = sum(1 for _ in ox.parse(path=str(big), format=ox.RdfFormat.TURTLE))
        label = f"{size:,} node shapes ({defects} defects)"
        rows = []
        t = repeat([tajsec, "validate", str(big), "--shapes", str(meta_nt), "--format", "json"], args.repeat,
                   timeout=3600, label=f"tajsec {size}")
        ours = _tajsec_keys(t["last"].get("stdout", ""))
        rows.append(("tajsec validate --shapes", t, ours))
        if size <= args.pyshacl_max:
            p = repeat([PY, str(Path(__file__).resolve()), "--child", "pyshacl", str(big), str(meta_nt)],
                       args.repeat, timeout=3600, label=f"pyshacl {size}")
            rows.append(("pySHACL", p, (p["last"].get("json") or {}).get("keys")))
        if jena:
            j = repeat(jena + ["--shapes", str(meta_nt), "--data", str(big)], args.repeat, timeout=3600,
                       label=f"jena {size}")
            rows.append(("Apache Jena SHACL 4.5", j, _jena_keys(j["last"].get("stdout", ""))))
        for name, r, keys in rows:
            n = "—" if keys is None else str(len(keys))
            if keys is None or ours is None:
                verdict = "no report"
            else:
                a, b = sorted(map(_norm, ours), key=str), sorted(map(_norm, keys), key=str)
                verdict = "identical" if a == b else f"DIFFERENT ({len(set(b) - set(a))} only here, {len(set(a) - set(b))} only tajsec)"
            print(f"| {label} | {triples:,} | {name} | {fmt_s(r['median'])} | {fmt_s(r['min'])}-{fmt_s(r['max'])} | "
                  f"{r['rss']:.0f} MB | {n} | {verdict} |", flush=True)
        if not jena:
            print(f"| {label} | {triples:,} | Apache Jena SHACL | not runnable here | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
