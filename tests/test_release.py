"""The released ontology and the hygiene of its source (issue 17, parts 2 and 3).

`tajsec export --ontology` writes ontology/*.ttl as one OWL 2 DL document with a full header. It is
checked by HermiT through owlready2 (consistent, no unsatisfiable class, the concepts listed as
individuals) and, when Java and Debian's `libowlapi-java` are present, by
the OWL API's OWL 2 DL profile checker (tests/engines/OwlDlProfile.java)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from tajsec.cli import main
from tajsec.core.namespaces import ONTOLOGY_IRI, TS
from tajsec.publish.ontology import ReleaseError, release_document, release_of, releases
from tajsec.reason.hermit import run_hermit

ROOT = Path(__file__).resolve().parent.parent
OWL_DL_PROFILE = ROOT / "tests" / "engines" / "OwlDlProfile.java"
OWLAPI_JARS = (
    "owlapi-api", "owlapi-impl", "owlapi-parsers", "owlapi-apibinding", "owlapi-rio", "caffeine", "commons-codec",
    "commons-io", "commons-logging", "commons-rdf-api", "guava", "hppcrt", "httpclient", "httpcore",
    "jackson-annotations", "jackson-core", "jackson-databind", "jsr305", "slf4j-api", "slf4j-nop", "xz",
    "atinject-jsr330-api",
)
DCT, OWL, RDFS, SKOS, VANN = (rdflib.Namespace(n) for n in (
    "http://purl.org/dc/terms/", "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2004/02/skos/core#", "http://purl.org/vocab/vann/"))
ONTO = rdflib.URIRef(ONTOLOGY_IRI)


@pytest.fixture(scope="module")
def release(project) -> rdflib.Graph:
    return rdflib.Graph().parse(data=release_document(project, "nt"), format="nt")


@pytest.fixture(scope="module")
def source(project) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in project.ontology_files:
        g.parse(f, format="turtle")
    return g


# ---- The release ----

def test_release_header_is_complete(release, project):
    one = lambda p: [str(o) for o in release.objects(ONTO, p)]  # noqa: E731
    for p in (RDFS.label, RDFS.comment, DCT.title, DCT.creator, DCT.publisher, DCT.license, DCT.created,
              OWL.versionIRI, OWL.versionInfo, VANN.preferredNamespacePrefix, VANN.preferredNamespaceUri):
        assert len(one(p)) == 1, f"the released header needs one {p}"
    version = one(OWL.versionInfo)[0]
    assert one(OWL.versionIRI) == [f"{TS}release/{version}"]
    assert one(VANN.preferredNamespaceUri) == [TS] and one(VANN.preferredNamespacePrefix) == ["ts"]
    assert one(DCT.creator) == one(DCT.publisher) == ["the tajsec project"]
    assert list(release.subjects(rdflib.RDF.type, OWL.Ontology)) == [ONTO]


def test_release_dates_and_prior_version_come_from_the_changelog(release, project):
    changelog = (project.root / "CHANGELOG.md").read_text(encoding="utf-8")
    version = str(release.value(ONTO, OWL.versionInfo))
    entry = release_of(changelog, version)
    issued = [str(o) for o in release.objects(ONTO, DCT.issued)]
    assert issued == ([entry.date] if entry.date else [])
    assert [str(o) for o in release.objects(ONTO, DCT.modified)] == issued
    prior = [str(o) for o in release.objects(ONTO, OWL.priorVersion)]
    assert prior == ([f"{TS}release/{entry.prior}"] if entry.prior else [])
    text = release_document(project, "ttl").decode()
    if not entry.date:  # what we do not know is said, not invented
        assert text.startswith("# ") and "dcterms:issued and dcterms:modified left out" in text.split("\n\n")[0]


def test_changelog_entries_give_date_and_prior():
    text = "# Changelog\n\n## [Unreleased]\n\n## [0.3.0] - 2027-03-01\n\n## [0.2.0]\n\n## [0.1.0] - 2026-12-01\n"
    assert releases(text) == [("0.3.0", "2027-03-01"), ("0.2.0", None), ("0.1.0", "2026-12-01")]
    assert release_of(text, "0.3.0").prior == "0.2.0" and release_of(text, "0.3.0").date == "2027-03-01"
    assert release_of(text, "0.2.0").date is None and release_of(text, "0.1.0").prior is None
    with pytest.raises(ReleaseError, match="no entry for version 9.9.9"):
        release_of(text, "9.9.9")


def test_created_is_the_first_commit_of_core_ttl(release):
    if not (ROOT / ".git").exists() or not shutil.which("git"):
        pytest.skip("not a git checkout")
    log = subprocess.run(["git", "log", "--follow", "--diff-filter=A", "--format=%as", "--", "ontology/core.ttl"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    if not log:
        pytest.skip("shallow clone: the commit that added ontology/core.ttl is not here")
    assert [str(o) for o in release.objects(ONTO, DCT.created)] == [log[-1]]


def test_release_is_the_union_of_the_sources_plus_release_stamps(release, source):
    stamps = {(ONTO, p) for p in (DCT.issued, DCT.modified, OWL.priorVersion)}
    assert {t for t in release if (t[0], t[1]) not in stamps} == set(source)


def test_release_is_deterministic_and_the_cli_writes_it(project, tmp_path):
    assert release_document(project, "ttl") == release_document(project, "ttl")
    out = tmp_path / "tajsec.ttl"
    r = CliRunner().invoke(main, ["export", "--ontology", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == release_document(project, "ttl")
    r = CliRunner().invoke(main, ["export", "--ontology", "--format", "trig"])
    assert r.exit_code == 2 and "released as ttl, nt, rdfxml" in r.output
    assert CliRunner().invoke(main, ["export"]).exit_code == 2


_INDIVIDUALS = r"""
import sys, owlready2
world = owlready2.World()
onto = world.get_ontology("file://" + sys.argv[1]).load(format="ntriples", only_local=True)
print(len(list(world.individuals())))
"""


def test_hermit_finds_the_release_consistent_and_owlready2_lists_the_concepts(project, tmp_path):
    nt = release_document(project, "nt")
    result = run_hermit(nt, None)
    assert result.error is None and result.consistent is True and result.unsatisfiable == []
    path = tmp_path / "release.nt"
    path.write_bytes(nt)
    run = subprocess.run([sys.executable, "-c", _INDIVIDUALS, str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout.split()[-1]) >= 132 + 14  # every concept and every scheme is an owl:NamedIndividual


def _owlapi() -> list[str] | None:
    java = shutil.which("java")
    jars = [Path(f"/usr/share/java/{n}.jar") for n in OWLAPI_JARS]
    if not java or not all(j.is_file() for j in jars[:4]):
        return None
    return [java, "-cp", ":".join(str(j) for j in jars if j.is_file()), str(OWL_DL_PROFILE)]


def _violations(cmd: list[str], path: Path) -> tuple[int, str]:
    run = subprocess.run(cmd + [str(path)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    m = re.search(r"^violations: (\d+)$", run.stdout, re.M)
    assert m, run.stdout[-2000:]
    return int(m.group(1)), run.stdout


def test_owl_api_finds_the_release_in_the_owl2_dl_profile(project, tmp_path):
    cmd = _owlapi()
    if cmd is None:
        pytest.skip("Java or Debian's libowlapi-java is not installed (make test installs it as root)")
    release = tmp_path / "tajsec.owl"
    release.write_bytes(release_document(project, "rdfxml"))
    n, out = _violations(cmd, release)
    assert n == 0, out[-3000:]
    # the checker can say no: core.ttl alone uses terms only the other modules declare
    import pyoxigraph as ox

    core = tmp_path / "core.owl"
    ox.serialize(ox.parse(path=str(project.root / "ontology" / "core.ttl"), format=ox.RdfFormat.TURTLE), str(core),
                 format=ox.RdfFormat.RDF_XML)
    assert _violations(cmd, core)[0] > 100


# ---- Hygiene of the source files ----

def test_every_concept_is_a_typed_top_concept_with_a_preferred_label(source):
    concepts = set(source.subjects(SKOS.inScheme, None))
    assert len(concepts) == 156  # 121 + issue 13b (12), 13c (10), 13a (11), 14a (2: in effect)
    for c in concepts:
        assert (c, rdflib.RDF.type, SKOS.Concept) in source, c
        assert (c, rdflib.RDF.type, OWL.NamedIndividual) in source, c
        assert set(source.objects(c, SKOS.prefLabel)) == set(source.objects(c, RDFS.label)) != set(), c
        scheme = source.value(c, SKOS.inScheme)
        assert (c, SKOS.topConceptOf, scheme) in source and (scheme, SKOS.hasTopConcept, c) in source, c
    assert not list(source.triples((None, SKOS.broader, None)))  # flat schemes: every concept is a top concept


def test_no_two_terms_have_labels_that_differ_only_by_case(source):
    seen: dict[str, set] = {}
    for term, label in source.subject_objects(RDFS.label):
        if str(term).startswith(TS):
            seen.setdefault(str(label).casefold(), set()).add(term)
    clashes = {k: sorted(v) for k, v in seen.items() if len(v) > 1}
    assert not clashes, clashes


def test_each_property_has_domain_and_range_or_a_comment_saying_why_not(project, source):
    text = (project.root / "ontology" / "core.ttl").read_text(encoding="utf-8")
    missing = []
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for p in source.subjects(rdflib.RDF.type, kind):
            if not str(p).startswith(TS):
                continue
            name = str(p)[len(TS):]
            block = re.search(rf"((?:^#.*\n)*)^ts:{re.escape(name)} a ", text, re.M)
            comment = block.group(1) if block else ""
            for axiom, word in ((RDFS.domain, "rdfs:domain"), (RDFS.range, "rdfs:range")):
                if (p, axiom, None) not in source and f"No {word}" not in comment and f"no {word}" not in comment:
                    missing.append(f"ts:{name} {word}")
    assert not missing, missing
