"""The static site's linked data: a Turtle and a JSON-LD file beside every node's page, holding the
same triples `tajsec serve` gives for the IRI, linked from the page's head; a schema.org block on
each entity page."""
from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from tajsec.core.namespaces import ONTOLOGY_IRI, TS, TSD, TSSH
from tajsec.site import render_site
from tajsec.web.resources import LinkedData

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

MIRZOEV = TSD + "gaffur-mirzoev"
TENURE = TSD + "tenure-mirzoev-head-of-presidential-guard"  # instances/drugs.ttl: org:member him


@pytest.fixture(scope="module")
def site_files(project, built) -> dict[str, bytes]:
    files, _ = render_site(project, built)
    return files


@pytest.fixture(scope="module")
def served(project, built) -> LinkedData:
    return LinkedData(project, built, pages=None)  # describe() reads no page


def _triples(data: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt)}


def _canonical(triples) -> list[str]:
    """The triples with blank nodes named canonically (RDFC-1.0), to compare graphs read apart."""
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in ds)


def test_entity_files_hold_the_served_description(site_files, served):
    ttl = _triples(site_files["entities/gaffur-mirzoev.ttl"], ox.RdfFormat.TURTLE)
    jsonld = _triples(site_files["entities/gaffur-mirzoev.jsonld"], ox.RdfFormat.JSON_LD)
    assert _canonical(ttl) == _canonical(jsonld) == _canonical(served.describe(MIRZOEV))
    me, tenure = ox.NamedNode(MIRZOEV), ox.NamedNode(TENURE)
    assert ox.Triple(me, ox.NamedNode(RDF_TYPE), ox.NamedNode(TS + "Person")) in ttl
    # the statements naming him come with their own triples
    assert ox.Triple(tenure, ox.NamedNode("http://www.w3.org/ns/org#member"), me) in ttl
    assert any(t.subject == tenure and t.predicate.value.endswith("#label") for t in ttl)


@pytest.mark.parametrize("stem, iri, kind", [
    ("terms/index", ONTOLOGY_IRI, ONTOLOGY_IRI),  # ontology/core.ttl: the ontology's header
    ("shapes/index", TSSH.rstrip("/"), TSSH + "NamedThingShape")])  # shapes/: a node shape
def test_index_files_hold_the_whole_ontology_and_all_shapes(site_files, served, stem, iri, kind):
    ttl = _triples(site_files[stem + ".ttl"], ox.RdfFormat.TURTLE)
    jsonld = _triples(site_files[stem + ".jsonld"], ox.RdfFormat.JSON_LD)
    assert _canonical(ttl) == _canonical(jsonld) == _canonical(served.describe(iri))
    assert any(t.subject.value == kind for t in ttl)
    assert len(ttl) > 100


def test_every_node_page_links_its_rdf_files(site_files):
    pages = [p for p in site_files if p.endswith(".html") and (p.startswith("entities/") or p.startswith("terms/"))
             and p != "entities/index.html"] + ["shapes/index.html"]
    assert len(pages) > 100
    for path in pages:
        head = site_files[path].decode("utf-8").split("</head>")[0]
        links = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)">', head)
        stem = path.rsplit("/", 1)[-1][: -len(".html")]
        assert links == [("text/turtle", stem + ".ttl"), ("application/ld+json", stem + ".jsonld")], path
        folder = path.rsplit("/", 1)[0]
        for _, href in links:
            assert site_files[f"{folder}/{href}"], path


def _alternates(site_files, page: str) -> list[tuple[str, str]]:
    head = site_files[page].decode("utf-8").split("</head>")[0]
    return re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)">', head)


def test_every_page_has_an_alternate_that_exists(site_files):
    pages = [p for p in site_files if p.endswith(".html")]
    assert len(pages) > 600
    for page in pages:
        links = _alternates(site_files, page)
        assert links, f"{page} has no <link rel=alternate>"
        folder = page.rpartition("/")[0]
        for _, href in links:
            assert (f"{folder}/{href}" if folder else href) in site_files, (page, href)


def test_the_home_page_offers_the_dataset_description(site_files):
    assert _alternates(site_files, "index.html") == [("text/turtle", "void.ttl"),
                                                     ("application/ld+json", "void.jsonld")]
    ttl = _triples(site_files["void.ttl"], ox.RdfFormat.TURTLE)
    assert _canonical(ttl) == _canonical(_triples(site_files["void.jsonld"], ox.RdfFormat.JSON_LD))
    void = "http://rdfs.org/ns/void#"
    datasets = {t.subject for t in ttl if t.predicate.value.endswith("#type") and t.object.value == void + "Dataset"}
    assert len(datasets) == 1
    triples = {t.predicate.value: t.object.value for t in ttl if t.subject in datasets}
    assert int(triples[void + "triples"]) > 10_000


def test_the_entities_index_lists_each_entity_with_type_and_label(site_files):
    ttl = _triples(site_files["entities/index.ttl"], ox.RdfFormat.TURTLE)
    listed = {t.subject.value for t in ttl}
    pages = [p for p in site_files if p.startswith("entities/") and p.endswith(".html") and p != "entities/index.html"]
    assert len(listed) >= len(pages) - 100 > 300  # section pages are entities too; statements have none
    mirzoev = {(t.predicate.value, t.object.value) for t in ttl if t.subject.value == TSD + "gaffur-mirzoev"}
    assert ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", TS + "Person") in mirzoev
    assert any(p.endswith("#label") and o == "Gaffur Mirzoev" for p, o in mirzoev)


def test_question_pages_offer_their_query_and_expected_answer(site_files, project):
    page = "questions/drugs-dca-head-mid-2004.html"
    assert _alternates(site_files, page) == [("application/sparql-query", "drugs-dca-head-mid-2004.rq"),
                                             ("text/csv", "drugs-dca-head-mid-2004.csv")]
    source = project.root / "queries" / "questions"
    assert site_files["questions/drugs-dca-head-mid-2004.rq"] == (source / "drugs-dca-head-mid-2004.rq").read_bytes()
    assert site_files["questions/drugs-dca-head-mid-2004.csv"] == (source / "drugs-dca-head-mid-2004.csv").read_bytes()
    index = site_files["questions/index.csv"].decode("utf-8").split("\r\n")
    assert index[0] == "name,title,query,expected"
    assert len([line for line in index if line]) == 1 + len(project.question_queries)


@pytest.mark.parametrize("page, kind", [("entities/gaffur-mirzoev.html", "Person"),
                                        ("entities/dushanbe.html", "Place")])
def test_entity_pages_carry_schema_org(site_files, page, kind):
    text = site_files[page].decode("utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', text, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == kind
    assert data["@id"] == TSD + page.split("/")[1][: -len(".html")]
    # the name search engines read is the one the page shows
    title = re.search(r"<title>(.*?) · tajsec</title>", text).group(1)
    assert data["name"] == title
