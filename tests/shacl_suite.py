"""The W3C SHACL Core test suite (the data-shapes tests as pySHACL ships them in its source
distribution): fetching it once into build/, reading its manifests, running one test with our
engine, and comparing the report with the expected one as the suite's conventions say.

The comparison (https://w3c.github.io/data-shapes/data-shapes-test-suite/): `sh:conforms`, and
the set of results with their focus node, path, value, source constraint component, source shape
and severity; messages (and anything else) are ignored. Blank nodes compare by what they say:
a blank node stands for the tree of triples below it (a path such as `[ sh:inversePath ex:p ]`,
a blank-node shape, a blank data node), in the graph where it was written."""
from __future__ import annotations

import subprocess
import sys
import tarfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "shacl-test-suite"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
FIELDS = ("focusNode", "resultPath", "value", "sourceConstraintComponent", "sourceShape", "resultSeverity")


def suite_dir() -> Path:
    """The `core` folder of the suite, downloaded (the sdist of the installed pySHACL) and
    unpacked under build/ on first use. Raises RuntimeError when it can be neither found nor
    fetched."""
    version = metadata.version("pyshacl")
    root = CACHE / f"pyshacl-{version}"
    core = root / "test" / "resources" / "sht_tests" / "core"
    if core.is_dir():
        return core
    CACHE.mkdir(parents=True, exist_ok=True)
    sdist = CACHE / f"pyshacl-{version}.tar.gz"
    if not sdist.is_file():
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
                               f"pyshacl=={version}", "-d", str(CACHE)],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not sdist.is_file():
            raise RuntimeError(f"cannot download the pySHACL {version} sdist: {done.stderr.strip()[-300:]}")
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if "/test/resources/sht_tests/" in m.name and m.isfile()]
        tar.extractall(CACHE, members=members, filter="data")
    return core


def _path(iri: str) -> Path:
    return Path(unquote(urlparse(iri).path))


def parse(path: Path) -> list[ox.Triple]:
    """A file's triples exactly as written (relative IRIs against the file's own IRI)."""
    return [ox.Triple(q.subject, q.predicate, q.object) for q in
            ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())]


class Graph:
    def __init__(self, triples):
        self.spo: dict = {}
        for t in triples:
            self.spo.setdefault(t.subject, []).append((t.predicate, t.object))
        self._keys: dict = {}

    def objs(self, s, p: str) -> list:
        return [o for pp, o in self.spo.get(s, []) if pp.value == p]

    def one(self, s, p: str):
        v = self.objs(s, p)
        return v[0] if v else None

    def path_key(self, term) -> str | None:
        """A path as the key of the well-formed path it is read as (a list is a sequence path,
        whatever else its node says: core/path/path-strange-001, -002)."""
        if isinstance(term, ox.BlankNode) and self.one(term, RDF + "first") is not None:
            items = []
            while isinstance(term, ox.BlankNode):
                items.append(self.path_key(self.one(term, RDF + "first")))
                term = self.one(term, RDF + "rest")
            return "(" + " / ".join(items) + ")"
        if isinstance(term, ox.BlankNode):
            return "[" + " ; ".join(sorted(f"{p} {self.path_key(o)}" for p, o in self.spo.get(term, []))) + "]"
        return self.key(term)

    def key(self, term, seen=()) -> str | None:
        """A term as text, a blank node as the sorted description of the triples below it."""
        if term is None:
            return None
        if not isinstance(term, ox.BlankNode):
            return str(term)
        if term in seen:
            return "_:cycle"
        if term not in self._keys:
            below = sorted(f"{p} {self.key(o, seen + (term,))}" for p, o in self.spo.get(term, []))
            self._keys[term] = "[" + " ; ".join(below) + "]"
        return self._keys[term]


@dataclass
class Case:
    name: str
    file: Path
    data: Path
    shapes: Path
    conforms: bool
    expected: list   # result keys (two results may have the same: a multiset)


def cases(core: Path) -> list[Case]:
    """Every sht:Validate test under `core`, in file order."""
    out = []
    for f in sorted(core.rglob("*.ttl")):
        g = Graph(parse(f))
        for test, po in g.spo.items():
            if not any(p.value == RDF + "type" and o.value == SHT + "Validate" for p, o in po):
                continue
            action, report = g.one(test, MF + "action"), g.one(test, MF + "result")
            data, shapes = g.one(action, SHT + "dataGraph"), g.one(action, SHT + "shapesGraph")
            conforms = g.one(report, SH + "conforms").value == "true"
            expected = [tuple((g.path_key if k == "resultPath" else g.key)(g.one(r, SH + k)) for k in FIELDS)
                        for r in g.objs(report, SH + "result")]
            name = str(f.relative_to(core).with_suffix(""))
            out.append(Case(name, f, _path(data.value), _path(shapes.value), conforms, expected))
    return out


def run(case: Case, fallback: bool):
    """(conforms, result keys, shapes listed as unsupported) from our engine for one test."""
    from tajsec import shacl
    from tajsec.shacl.compile import compile_shapes

    triples = parse(case.data)
    data = Graph(triples)
    # the loader resolves no relative IRIs (the suite's files use them): give it N-Triples
    shapes_file = CACHE / "ntriples" / (case.name.replace("/", "--") + "-shapes.nt")
    if not shapes_file.is_file():
        shapes_file.parent.mkdir(parents=True, exist_ok=True)
        shapes_file.write_text("".join(f"{t} .\n" for t in parse(case.shapes)), encoding="utf-8")
    compiled = compile_shapes([shapes_file])
    shapes = Graph(compiled.sg.triples())
    report = shacl.validate_report(triples, [shapes_file], fallback=fallback)
    both = Graph(triples + compiled.sg.triples())

    def key(field: str, term):
        if field == "resultPath":
            return shapes.path_key(term)
        graph = shapes if field == "sourceShape" else data if field in ("focusNode", "value") else both
        return graph.key(term)

    got = [tuple(key(k, getattr(r, attr)) for k, attr in zip(FIELDS, ("focus", "path", "value", "component", "shape",
                                                                          "severity")))
           for r in report.results]
    return report.conforms, got, [s for s, _ in compiled.unsupported]


def matches(case: Case, conforms: bool, got: list) -> bool:
    """As the suite compares: conforms, and the results one to one (as many of each). An expected blank node that
    says nothing (`[]`) matches any blank node."""
    if conforms != case.conforms or len(got) != len(case.expected):
        return False
    left = list(got)
    for exp in case.expected:
        hit = next((g for g in left if all(e == x or (e == "[]" and x is not None and x.startswith("["))
                                               for e, x in zip(exp, g))), None)
        if hit is None:
            return False
        left.remove(hit)
    return True
