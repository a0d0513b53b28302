"""`tajsec void`: a VoID + DCAT description of the built graph, as Turtle.

Title, description, licence, the source paper, the version (package metadata, no clock), counts
computed from the graph (distinct triples, entities in the ``tsd:`` URI space, classes, properties,
distinct subjects and objects, all over the union of asserted and derived graphs), example
resources, the vocabularies used (namespaces of the predicates and classes), and the SPARQL
endpoint when one is given. Deterministic: the same graph gives the same text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec import __version__
from tajsec.core.namespaces import (
    CC_BY_4,
    DATASET,
    DCAT,
    DCTERMS,
    ONTOLOGY_IRI,
    PREFIXES,
    RDF_TYPE,
    SPARQL_PROTOCOL,
    TSD,
    VOID,
    XSD,
)
from tajsec.core.project import Project
from tajsec.core.terms import Resource, Term, solutions
from tajsec.io.write import serialize_sorted

if TYPE_CHECKING:
    from tajsec.graph.build import Built

LICENSE = CC_BY_4
EXAMPLES = ["drug-control-agency", "gaffur-mirzoev", "st-dca-personnel", "tenure-mirzoev-head-of-dca", "paper"]
TITLE = "tajsec: Tajikistan's security sector, from one paper"
DESCRIPTION = (
    "Every fact of Anna Matveeva, 'Tajikistan: Evolution of the Security Sector and the War on Terror' "
    "(written in late 2004), as linked data: agencies, posts with tenures, events, quantities with their "
    "hedges, attributed claims and designations, each with its section, footnote, a verbatim evidence "
    "quote and the works the footnote cites. OWL 2 DL ontology aligned to W3C ORG, FOAF, PROV-O, "
    "OWL-Time, SKOS and schema.org; the standard-vocabulary view is materialised.")
KEYWORDS = ["Tajikistan", "security sector", "Central Asia", "drug control", "war on terror", "border troops"]

_COUNTS = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "entities": f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o
                    FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{TSD}")) }}""",
    "classes": f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?x <{RDF_TYPE}> ?c }}",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
}


def counts(built: Built) -> dict[str, int]:
    """The VoID statistics of the built graph (union of all its graphs)."""
    return {k: int(next(iter(solutions(built.query(q))))["n"].value) for k, q in _COUNTS.items()}


def namespace_of(iri: str) -> str:
    """The vocabulary an IRI belongs to: the longest known namespace, else up to the last # or /."""
    best = ""
    for ns in PREFIXES.values():
        if iri.startswith(ns) and len(ns) > len(best):
            best = ns
    if best:
        return best
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1] if cut > 0 else iri


def vocabularies(built: Built) -> list[str]:
    """Namespaces of every predicate and every class (object of rdf:type) used in the graph."""
    used = {r["p"].value for r in solutions(built.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }"))}
    types = f"SELECT DISTINCT ?c WHERE {{ ?x <{RDF_TYPE}> ?c FILTER(isIRI(?c)) }}"
    used |= {r["c"].value for r in solutions(built.query(types))}
    return sorted({namespace_of(i) for i in used})


def dataset_description(project: Project, built: Built, endpoint: str | None = None) -> str:
    """VoID + DCAT description of `built` (Turtle). `endpoint`: the SPARQL endpoint URL, if any."""
    d = ox.NamedNode(DATASET)
    triples: list[ox.Triple] = []

    def t(s: Resource, p: str, o: Term) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    def en(text: str) -> ox.Literal:
        return ox.Literal(text, language="en")

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))

    t(d, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    t(d, RDF_TYPE, ox.NamedNode(DCAT + "Dataset"))
    t(d, DCTERMS + "title", en(TITLE))
    t(d, DCTERMS + "description", en(DESCRIPTION))
    t(d, DCTERMS + "license", ox.NamedNode(LICENSE))
    paper = ox.NamedNode(TSD + "paper")
    t(d, DCTERMS + "source", paper)
    t(d, PREFIXES["prov"] + "wasDerivedFrom", paper)
    t(d, DCTERMS + "bibliographicCitation", en(
        "Anna Matveeva, 'Tajikistan: Evolution of the Security Sector and the War on Terror' (late 2004)"))
    t(d, DCTERMS + "conformsTo", ox.NamedNode(ONTOLOGY_IRI))
    t(d, DCAT + "version", ox.Literal(__version__))
    t(d, PREFIXES["owl"] + "versionInfo", ox.Literal(__version__))
    for k in KEYWORDS:
        t(d, DCAT + "keyword", en(k))
    t(d, VOID + "uriSpace", ox.Literal(TSD))
    for k, n in counts(built).items():
        t(d, VOID + k, integer(n))
    for local in EXAMPLES:
        node = ox.NamedNode(TSD + local)
        if next(iter(built.store.quads_for_pattern(node, None, None, None)), None) is not None:
            t(d, VOID + "exampleResource", node)
    for ns in vocabularies(built):
        t(d, VOID + "vocabulary", ox.NamedNode(ns))
    if endpoint:
        e = ox.NamedNode(endpoint)
        t(d, VOID + "sparqlEndpoint", e)
        t(d, DCAT + "accessService", e)
        t(e, RDF_TYPE, ox.NamedNode(DCAT + "DataService"))
        t(e, DCAT + "endpointURL", e)
        t(e, DCAT + "servesDataset", d)
        t(e, DCTERMS + "conformsTo", ox.NamedNode(SPARQL_PROTOCOL))
    prefixes = {**PREFIXES, "dcat": DCAT, "void": VOID}
    return serialize_sorted(triples, ox.RdfFormat.TURTLE, prefixes).decode("utf-8")
