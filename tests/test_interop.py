"""The interoperability profile: a consumer who knows only FOAF, ORG, schema.org, OWL-Time,
PROV-O and SKOS can query tajsec data without a reasoner. One test per bullet of the profile
(README, "Interoperability profile"), over tests/data/interop-example.ttl built with our rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import select
from tajsec.graph.build import build

EXAMPLE = Path(__file__).parent / "data" / "interop-example.ttl"
EX = "https://example.org/id/"
P = """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
"""


@pytest.fixture(scope="module")
def example(project):
    return build(project, project.ontology_files + [EXAMPLE])


def test_labels_and_variants(example):
    rows = select(example, P + f"SELECT ?l ?alt WHERE {{ <{EX}town> rdfs:label ?l ; skos:altLabel ?alt }}")
    assert rows == [("Rivertown", "Riverton")]


def test_people_are_foaf_persons(example):
    assert select(example, P + "SELECT ?p WHERE { ?p a foaf:Person }") == [(EX + "jane",)]


def test_organisations_are_org_organizations(example):
    rows = {r[0] for r in select(example, P + "SELECT ?o WHERE { ?o a org:Organization }")}
    assert rows == {EX + "agency", EX + "office"}


def test_states_are_countries_and_agents(example):
    rows = select(example, P + "SELECT ?s WHERE { ?s a schema:Country , foaf:Agent }")
    assert rows == [(EX + "land",)]


def test_places_and_containment(example):
    rows = select(example, P + "SELECT ?in WHERE { ?t a schema:Place ; schema:containedInPlace ?in }")
    assert rows == [(EX + "province",)]


def test_events_with_dates_at_their_precision(example):
    res = example.query(P + "SELECT ?d WHERE { ?e a schema:Event ; schema:startDate ?d }")
    (row,) = list(res)
    assert row["d"].value == "2004-08"
    assert row["d"].datatype.value == "http://www.w3.org/2001/XMLSchema#gYearMonth"


def test_memberships_with_owl_time_intervals(example):
    rows = select(example, P + """SELECT ?who ?org ?start ?end WHERE {
        ?m a org:Membership ; org:member ?who ; org:organization ?org ; org:role ?role ;
           org:memberDuring ?i . ?i a time:Interval ;
           time:hasBeginning/time:inXSDgYearMonth ?start ; time:hasEnd/time:inXSDgYearMonth ?end }""")
    assert rows == [(EX + "jane", EX + "agency", "2004-01", "2004-08")]


def test_sub_organisations(example):
    rows = select(example, P + "SELECT ?parent WHERE { ?o org:subOrganizationOf ?parent }")
    assert rows == [(EX + "office",)]


def test_quantities(example):
    rows = select(example, P + """SELECT ?min ?max ?unit WHERE {
        ?q a schema:QuantitativeValue ; schema:minValue ?min ; schema:maxValue ?max ; schema:unitText ?unit }""")
    assert rows == [("6000", "7000", "persons")]


def test_every_statement_reaches_its_source(example):
    rows = select(example, P + """SELECT ?s WHERE { ?s a prov:Entity .
        FILTER(STRSTARTS(STR(?s), "https://example.org/id/st-") || STRSTARTS(STR(?s), "https://example.org/id/tenure-"))
        FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?src } }""")
    assert rows == []
    assert len(select(example, P + "SELECT ?s WHERE { ?s prov:wasDerivedFrom ?src }")) == 5


def test_wikidata_links(example):
    rows = select(example, P + "SELECT ?s ?wd WHERE { ?s skos:exactMatch ?wd }")
    assert rows == [(EX + "land", "http://www.wikidata.org/entity/Q863")]
