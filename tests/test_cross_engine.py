"""Our shapes mean the same in every SHACL engine (issue 17, part 4).

A third party validates their data with plain pySHACL or Apache Jena SHACL on the source files:
the ontology in the data graph, no inference, no build of ours (no derived super-property
triples). For our instances and for every fixture under tests/shapes/{valid,invalid}/, both must
report exactly what `tajsec validate` reports (which validates the built graph with the fast
engine): the same set of (focus node, result path, constraint component, severity, shape).

pySHACL always runs; Jena runs when Java and Debian's `libapache-jena-java` are present (the
Makefile installs the package as root, as CI runs it), through tests/engines/JenaShacl.java, which
validates every case in one JVM. Each engine parses the files with its own parser, as its users'
would.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from tajsec.core.namespaces import PREFIXES
from tajsec.quality.validate import validate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "shapes"
JENA_RUNNER = ROOT / "tests" / "engines" / "JenaShacl.java"
SH = rdflib.Namespace(PREFIXES["sh"])
REPORT_KEYS = (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.resultSeverity, SH.sourceShape)

FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*/*.ttl") if not p.name.endswith(".expected.ttl"))
CASES = {"instances": None, **{str(p.relative_to(FIXTURES)): p for p in FIXTURE_FILES}}

# Debian's libapache-jena-java 4.5.0 does not start with all of /usr/share/java on the classpath
# (MEASURED.md pitfall 5): these jars, plus Jena's relocated Xerces message files put where its
# classes look for them.
DEBIAN_JENA_JARS = (
    "jena-arq", "jena-base", "jena-core", "jena-iri", "jena-shacl", "jena-shex", "slf4j-api", "slf4j-nop",
    "commons-lang3", "commons-io", "commons-codec", "commons-compress", "commons-csv", "commons-cli",
    "dexx.collection", "gson", "jackson-core", "jackson-databind", "jackson-annotations", "httpclient",
    "httpcore", "jsonld-java", "thrift", "protobuf", "protobuf-util", "titanium-json-ld", "jakarta.json-api",
    "guava",
)


def _collapse(term) -> str | None:
    """Blank-node labels differ between engines (an alternative path is one): compare them as one."""
    if term is None:
        return None
    if isinstance(term, (rdflib.BNode, ox.BlankNode)):
        return "_:b"
    return str(term) if isinstance(term, rdflib.term.Node) else term.value


def report_keys(report: rdflib.Graph) -> set[tuple]:
    """The top-level results of a SHACL validation report (details nested under an sh:node or
    sh:or failure are not results of their own)."""
    return {tuple(_collapse(report.value(r, k)) for k in REPORT_KEYS) for r in report.objects(None, SH.result)}


def data_files(case: str, project) -> list[Path]:
    return project.instance_files if CASES[case] is None else [CASES[case]]


@pytest.fixture(scope="module")
def ours(project) -> dict[str, set[tuple]]:
    """`tajsec validate`'s results for each case: instances, and each fixture as someone's file."""
    out = {}
    for case, path in CASES.items():
        outcome = validate(project, None if path is None else [path])
        out[case] = {(_collapse(f.result.focus), _collapse(f.result.path), _collapse(f.result.component),
                      _collapse(f.result.severity), _collapse(f.result.shape)) for f in outcome.findings}
    return out


@pytest.fixture(scope="module")
def ontology_graph(project) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in project.ontology_files:
        g.parse(f, format="turtle")
    return g


@pytest.fixture(scope="module")
def shapes_graph(project) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in project.shape_files:
        g.parse(f, format="turtle")
    return g


def test_cases_cover_every_fixture():
    assert len(CASES) == 1 + 34 + 93  # instances, the valid and the invalid fixtures (test_shapes.py)


def test_the_invalid_cases_are_not_all_conforming(ours):
    """The comparison is worth something only if `tajsec validate` finds results to compare."""
    assert all(ours[c] for c in CASES if c.startswith("invalid/"))
    assert not any(ours[c] for c in CASES if c.startswith("valid/")) and not ours["instances"]


@pytest.mark.parametrize("case", list(CASES))
def test_plain_pyshacl_on_the_source_files_agrees(case, project, ours, ontology_graph, shapes_graph):
    import pyshacl

    data = rdflib.Graph()
    data += ontology_graph
    for f in data_files(case, project):
        data.parse(f, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    theirs = report_keys(report)
    assert theirs == ours[case], (f"only pySHACL: {sorted(theirs - ours[case], key=str)}; "
                                  f"only tajsec validate: {sorted(ours[case] - theirs, key=str)}")


def test_alternative_paths_list_every_sub_property(project, ontology_graph, shapes_graph):
    """A shape on a property must see its sub-properties without inference: every property a
    shape's path names either has no sub-property in the ontology, or the path is an
    sh:alternativePath that lists them all."""
    sub = {}
    for s, o in ontology_graph.subject_objects(rdflib.RDFS.subPropertyOf):
        sub.setdefault(o, set()).add(s)
    for shape, path in shapes_graph.subject_objects(SH.path):
        if isinstance(path, rdflib.URIRef):
            named = {path}
        else:
            alternatives = shapes_graph.value(path, SH.alternativePath)
            named = set(rdflib.collection.Collection(shapes_graph, alternatives)) if alternatives else set()
        for p in list(named):
            missing = sub.get(p, set()) - named
            assert not missing, f"{shape}: its path names {p} but not its sub-properties {sorted(missing)}"


# ---- Jena ----

def jena_command(tmp: Path) -> list[str] | None:
    java = shutil.which("java")
    if not java or not Path("/usr/share/java/jena-shacl.jar").is_file():
        return None
    jars = [f"/usr/share/java/{n}.jar" for n in DEBIAN_JENA_JARS if Path(f"/usr/share/java/{n}.jar").is_file()]
    messages = tmp / "jena-xerces-messages.jar"
    with zipfile.ZipFile("/usr/share/java/jena-core.jar") as src, zipfile.ZipFile(messages, "w") as dst:
        for name in src.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                dst.writestr(name[len("org/apache/jena/ext/"):], src.read(name))
    return [java, "-cp", ":".join(jars + [str(messages)]), str(JENA_RUNNER)]


def turtle_to_ntriples(files: list[Path], out: Path) -> None:
    """Jena reads one data file: the case's Turtle files as one N-Triples file, written from
    pyoxigraph's parser (not its store, which would rewrite typed literals; MEASURED pitfall 8)."""
    with out.open("w", encoding="utf-8") as f:
        for path in files:
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                f.write(f"{t} .\n")


def test_jena_shacl_on_the_source_files_agrees(project, ours, tmp_path):
    cmd = jena_command(tmp_path)
    if cmd is None:
        pytest.skip("Java or Debian's libapache-jena-java is not installed (make test installs it as root)")
    shapes = tmp_path / "shapes.nt"
    turtle_to_ntriples(project.shape_files, shapes)
    args, outputs = [], {}
    for i, case in enumerate(CASES):
        data, out = tmp_path / f"data-{i}.nt", tmp_path / f"report-{i}.nt"
        turtle_to_ntriples(project.ontology_files + data_files(case, project), data)
        args += [str(data), str(out)]
        outputs[case] = out
    run = subprocess.run(cmd + [str(shapes), *args], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    disagreements = {}
    for case, out in outputs.items():
        theirs = report_keys(rdflib.Graph().parse(out, format="nt"))
        if theirs != ours[case]:
            disagreements[case] = (sorted(theirs - ours[case], key=str), sorted(ours[case] - theirs, key=str))
    assert not disagreements, "\n".join(f"{c}: only Jena {a}; only tajsec validate {b}" for c, (a, b) in disagreements.items())


# ---- The command the README gives third parties ----

@pytest.mark.parametrize("case", ["instances", "valid/DesignationShape-minimal.ttl",
                                  "invalid/EventShape-participant-not-actor.ttl", "invalid/ClaimShape-holder-missing.ttl"])
def test_the_documented_pyshacl_command_gets_our_answers(case, project, ours, tmp_path):
    """README: the released ontology and the data in one file, the shapes in one file, plain
    `pyshacl -s SHAPES -i none DATA`."""
    from tajsec.publish.ontology import release_document

    pyshacl_cli = Path(sys.executable).parent / "pyshacl"
    if not pyshacl_cli.is_file():
        pytest.skip("no pyshacl command beside this Python")
    shapes, data = tmp_path / "tajsec-shapes.ttl", tmp_path / "data+ontology.ttl"
    shapes.write_bytes(b"".join(f.read_bytes() for f in project.shape_files))
    data.write_bytes(release_document(project, "ttl") + b"".join(f.read_bytes() for f in data_files(case, project)))
    run = subprocess.run([str(pyshacl_cli), "-s", str(shapes), "-i", "none", "-f", "turtle", str(data)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    theirs = report_keys(rdflib.Graph().parse(data=run.stdout, format="turtle"))
    assert theirs == ours[case]
