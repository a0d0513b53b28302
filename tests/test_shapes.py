"""The SHACL shapes (shapes/): each node shape has fixtures that must conform and fixtures that
must break the rule they are named after; the shapes are valid SHACL; every class our instances
use is covered by a shape; and the shapes stay open-world.

Fixtures live in tests/shapes/{valid,invalid}/<NodeShape>-<case>.ttl. Each invalid fixture has a
sibling <NodeShape>-<case>.expected.ttl: a partial sh:ValidationReport whose results the actual
report must contain, compared on the keys the expected results use."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tajsec.shacl import reference
from tajsec.shacl.result import ValidationResult
from tajsec.graph.build import build
from tajsec.core.namespaces import PREFIXES, TS, TSSH
from tajsec.io.write import to_rdflib

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "shapes"
FIXTURE_NS = "https://example.org/fixture/"
EX = rdflib.Namespace(FIXTURE_NS)

VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted(p for p in (FIXTURES / "invalid").glob("*.ttl") if not p.name.endswith(".expected.ttl"))
EXPECTED = sorted((FIXTURES / "invalid").glob("*.expected.ttl"))

# Written down so that the suite cannot shrink without someone noticing: change these numbers
# in the same commit that adds or removes a fixture.
N_VALID = 34
N_INVALID = 93

# The keys an expected result may use; focusNode, sourceShape and sourceConstraintComponent are
# required, resultPath is given whenever the constraint has a path.
KEYS = ("focusNode", "resultPath", "sourceShape", "sourceConstraintComponent")
REQUIRED = {"focusNode", "sourceShape", "sourceConstraintComponent"}

# Invalid fixtures that the current shapes do not catch. Strict: when a shape is fixed, the test
# passes unexpectedly and fails the run, and the entry must be removed.
KNOWN_GAPS: dict[str, str] = {}


def stem(path: Path) -> str:
    return path.name[: -len(".expected.ttl")] if path.name.endswith(".expected.ttl") else path.stem


def validate_fixture(project, fixture: Path):
    """Build the ontology plus one fixture and validate it, as `tajsec validate FILE` does: the
    fixture stands for someone else's data, so it is loaded leniently (foreign) and an ill-typed
    literal reaches the shapes instead of stopping the load."""
    built = build(project, project.ontology_files + [fixture], foreign=[fixture])
    return built, reference.validate(to_rdflib(built.store), reference.load_shapes(project.shape_files))


def short(value: str | None) -> str:
    if value is None:
        return "-"
    for p, ns in {**PREFIXES, "ex": FIXTURE_NS}.items():
        if value.startswith(ns):
            return f"{p}:{value[len(ns):]}"
    return value


def describe(results: list[ValidationResult]) -> str:
    return "\n".join("  " + " ".join(short(r.as_dict()[k]) for k in (*KEYS, "value")) for r in results) or "  (none)"


def node_shapes(project) -> dict[str, rdflib.URIRef]:
    """Node shapes with an sh:targetClass, by local name, read from shapes/*.ttl with rdflib."""
    g = rdflib.Graph()
    for f in project.shape_files:
        g.parse(f, format="turtle")
    shapes = {}
    for s in set(g.subjects(SH.targetClass, None)):
        assert isinstance(s, rdflib.URIRef) and str(s).startswith(TSSH), f"node shape {s} is not in tssh:"
        shapes[str(s)[len(TSSH):]] = s
    return shapes


def expected_results(path: Path) -> set[tuple[tuple[str, str], ...]]:
    """The results of a partial expected report, each as ((key, value), ...) in KEYS order."""
    g = rdflib.Graph().parse(path, format="turtle")
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1, f"{path.name}: needs exactly one sh:ValidationReport"
    report = reports[0]
    assert g.value(report, SH.conforms) == rdflib.Literal(False), f"{path.name}: sh:conforms must be false"
    results = set()
    for r in g.objects(report, SH.result):
        unknown = {p for p in g.predicates(r, None) if p not in {SH[k] for k in KEYS}}
        assert not unknown, f"{path.name}: a result uses {sorted(unknown)}; only {KEYS} are compared"
        pairs = []
        for k in KEYS:
            values = list(g.objects(r, SH[k]))
            assert len(values) <= 1, f"{path.name}: a result has more than one sh:{k}"
            if values:
                assert isinstance(values[0], rdflib.URIRef), f"{path.name}: sh:{k} {values[0]!r} is not an IRI"
                pairs.append((k, str(values[0])))
        assert REQUIRED <= {k for k, _ in pairs}, f"{path.name}: a result lacks one of {sorted(REQUIRED)}"
        results.add(tuple(pairs))
    assert results, f"{path.name}: lists no sh:result"
    return results


def project_result(result: ValidationResult, keys: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    d = result.as_dict()
    return tuple((k, d[k]) for k in keys)


# ---- Collection ----

def test_fixture_counts():
    assert len(VALID) == N_VALID, f"found {len(VALID)} valid fixtures; update N_VALID if that is intended"
    assert len(INVALID) == N_INVALID, f"found {len(INVALID)} invalid fixtures; update N_INVALID if that is intended"
    assert len(EXPECTED) == N_INVALID


def test_every_targeting_shape_has_valid_and_invalid_fixtures(project):
    shapes = set(node_shapes(project))
    assert len(shapes) >= 19
    assert {stem(p).split("-", 1)[0] for p in VALID} == shapes
    assert {stem(p).split("-", 1)[0] for p in INVALID} == shapes


def test_fixture_names_match_a_node_shape(project):
    """Every file under tests/shapes/ is a fixture named <NodeShape>-<case>, or an expected report
    beside an invalid fixture; nothing else (no stray extension, no file the tests would skip)."""
    shapes = set(node_shapes(project))
    collected = set(VALID) | set(INVALID) | set(EXPECTED)
    stray = [p for p in FIXTURES.rglob("*") if p.is_file() and p not in collected]
    assert not stray, f"files under tests/shapes/ that no test reads: {stray}"
    for p in collected:
        shape, sep, case = stem(p).partition("-")
        assert sep and case, f"{p.name}: name it <NodeShape>-<case>"
        assert shape in shapes, f"{p.name}: {shape} is not a node shape with sh:targetClass in shapes/"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", case), f"{p.name}: the case part is kebab-case"


def test_invalid_fixtures_and_expected_reports_pair_up():
    fixtures = {p.stem for p in INVALID}
    reports = {stem(p) for p in EXPECTED}
    assert fixtures - reports == set(), f"invalid fixtures without .expected.ttl: {sorted(fixtures - reports)}"
    assert reports - fixtures == set(), f".expected.ttl without a fixture: {sorted(reports - fixtures)}"
    assert not set(KNOWN_GAPS) - fixtures, "KNOWN_GAPS names a fixture that does not exist"


@pytest.mark.parametrize("path", [*VALID, *INVALID, *EXPECTED], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_layout(path):
    """Prefixes sorted, allow-listed and used; a one-line comment after them; fixture data under
    ex: (https://example.org/fixture/), with no blank nodes."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    prefix_lines = [l for l in lines if l.startswith("@prefix")]
    assert lines[: len(prefix_lines)] == prefix_lines, "the @prefix lines come first"
    allowed = {**PREFIXES, "ex": FIXTURE_NS}
    names = []
    for line in prefix_lines:
        m = re.fullmatch(r"@prefix (\w+): <([^>]*)> \.", line)
        assert m and allowed.get(m.group(1)) == m.group(2), f"{line!r} is not allow-listed"
        names.append(m.group(1))
    assert names == sorted(names), "prefixes are sorted"
    body = "\n".join(lines[len(prefix_lines):])
    for n in names:
        assert re.search(rf"(?<![\w:/#.-]){n}:", body), f"@prefix {n}: is not used"
    assert lines[len(prefix_lines)] == "" and lines[len(prefix_lines) + 1].startswith("# "), \
        "a blank line and a one-line '# ' comment follow the prefixes"
    g = rdflib.Graph().parse(path, format="turtle")
    if path.name.endswith(".expected.ttl"):
        return
    for s, _, o in g:
        assert not isinstance(s, rdflib.BNode) and not isinstance(o, rdflib.BNode), "no blank nodes in fixtures"
        assert str(s).startswith(FIXTURE_NS), f"subject {s} is not under {FIXTURE_NS}"


def test_fixtures_are_formatted():
    exe = shutil.which("turtlefmt", path=str(Path(sys.executable).parent)) or shutil.which("turtlefmt")
    assert exe, "turtlefmt is installed with the project"
    files = [*VALID, *INVALID, *EXPECTED]
    proc = subprocess.run([exe, "--check", *map(str, files)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


# ---- Fixtures against the shapes ----

@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_conforms(project, path):
    built, result = validate_fixture(project, path)
    assert not built.warnings, [str(w) for w in built.warnings]
    assert result.results == [], f"{path.name} should have no results of any severity:\n{describe(result.results)}"
    assert result.conforms


def _invalid_params():
    return [pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[p.stem]))
            if p.stem in KNOWN_GAPS else p for p in INVALID]


@pytest.mark.parametrize("path", _invalid_params(), ids=lambda p: p.stem)
def test_invalid_fixture_breaks_its_rule(project, path):
    expected = expected_results(path.with_name(f"{path.stem}.expected.ttl"))
    built, result = validate_fixture(project, path)
    missing = []
    for exp in expected:
        keys = tuple(k for k, _ in exp)
        if exp not in {project_result(r, keys) for r in result.results}:
            missing.append(exp)
    assert not missing, (f"{path.name}: expected results not in the report:\n"
                         + "\n".join("  " + " ".join(short(v) for _, v in m) for m in missing)
                         + f"\nactual results:\n{describe(result.results)}")
    assert not result.conforms


@pytest.mark.parametrize("path", EXPECTED, ids=stem)
def test_expected_report_cites_its_own_shape(project, path):
    """An invalid fixture breaks a rule of the shape it is named after: every expected result's
    sh:sourceShape is that node shape or one of its property shapes."""
    g = rdflib.Graph()
    for f in project.shape_files:
        g.parse(f, format="turtle")
    node = rdflib.URIRef(TSSH + stem(path).split("-", 1)[0])
    own = {str(node), *map(str, g.objects(node, SH.property))}
    for res in expected_results(path):
        shape = dict(res)["sourceShape"]
        assert shape in own, f"{path.name}: {short(shape)} is not {short(str(node))} or one of its property shapes"


# ---- The shapes themselves ----

def shacl_shacl() -> rdflib.Graph:
    """The SHACL-SHACL shapes graph bundled with pySHACL (what `pyshacl --metashacl` uses)."""
    path = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    assert path.is_file(), f"pySHACL no longer ships {path}"
    return rdflib.Graph().parse(path, format="turtle")


def test_shapes_conform_to_shacl_shacl(project):
    shapes = reference.load_shapes(project.shape_files)
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl(), inference="none")
    assert conforms, text


def test_shacl_shacl_can_say_no():
    """A meta-check that cannot fail is no check: a property shape with a string sh:minCount
    must not pass."""
    broken = rdflib.Graph().parse(format="turtle", data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <{TSSH}BrokenShape> a sh:NodeShape ;
            sh:targetClass <{TS}Statement> ;
            sh:property <{TSSH}BrokenShape-label> .
        <{TSSH}BrokenShape-label> a sh:PropertyShape ;
            sh:path <http://www.w3.org/2000/01/rdf-schema#label> ;
            sh:minCount "one" .""")
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shacl_shacl(), inference="none")
    assert not conforms


def test_classes_used_in_instances_are_targeted(project, built):
    """Every ts: class that instances/ asserts as an rdf:type is the target of some node shape,
    directly or through a superclass (rdfs:subClassOf* in the ontology)."""
    targets = {str(c) for c in reference.load_shapes(project.shape_files).objects(None, SH.targetClass)}
    instance_graphs = [g for g, f in built.graphs.items() if f in project.instance_files]
    assert instance_graphs, "no instance graphs in the build"
    rows = built.query(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?c ?covered WHERE {{
          VALUES ?g {{ {" ".join(f"<{g}>" for g in instance_graphs)} }}
          GRAPH ?g {{ ?x a ?c }}
          FILTER STRSTARTS(STR(?c), "{TS}")
          BIND(EXISTS {{ ?c rdfs:subClassOf* ?t . VALUES ?t {{ {" ".join(f"<{t}>" for t in targets)} }} }} AS ?covered)
        }} ORDER BY ?c""")
    used = {r["c"].value: r["covered"].value == "true" for r in rows}
    assert len(used) >= 20, f"only {len(used)} ts: classes found in instances/"
    untargeted = sorted(c for c, covered in used.items() if not covered)
    assert not untargeted, "classes used in instances/ that no node shape targets: " + ", ".join(map(short, untargeted))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_open_world_extra_properties_and_types(project, path, tmp_path):
    """The shapes are open: a valid fixture with unknown properties and a foreign rdf:type on
    each of its nodes still conforms."""
    g = rdflib.Graph().parse(path, format="turtle")
    foreign = rdflib.Namespace("https://example.org/other-vocabulary/")
    subjects = {s for s in g.subjects() if str(s).startswith(FIXTURE_NS)}
    assert subjects
    for s in subjects:
        g.add((s, RDF.type, foreign.Thing))
        g.add((s, foreign.note, rdflib.Literal("an extra property from another dataset")))
        g.add((s, foreign.seeAlso, EX["elsewhere"]))
    extended = tmp_path / path.name
    g.serialize(extended, format="turtle")
    built, result = validate_fixture(project, extended)
    assert result.results == [], describe(result.results)
