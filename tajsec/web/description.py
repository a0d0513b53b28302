"""The SPARQL 1.1 Service Description of `tajsec serve`: what a GET on the endpoint with no query
answers (Turtle by default, any graph format by the Accept header)."""
from __future__ import annotations

import pyoxigraph as ox

from tajsec.core import formats
from tajsec.core.namespaces import RDF_TYPE as RDF_TYPE_IRI
from tajsec.core.namespaces import SD
from tajsec.core.namespaces import W3C_FORMATS as FORMATS_NS
from tajsec.core.terms import StoreQuery, solutions

RDF_TYPE = ox.NamedNode(RDF_TYPE_IRI)
# our format names -> the W3C's IRIs for them (https://www.w3.org/ns/formats/)
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "rdfxml": "RDF_XML",
    "jsonld": "JSON-LD", "nquads": "N-Quads", "trig": "TriG",
}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def named_graphs(store_query: StoreQuery) -> list[str]:
    """The IRIs of the named graphs `store_query` sees, sorted."""
    return sorted(s["g"].value for s in solutions(store_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")))


def service_description(endpoint: str, graphs: list[str]) -> list[ox.Triple]:
    """The description of the endpoint at `endpoint` (an absolute URL) serving `graphs`."""
    service, dataset, default = ox.NamedNode(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
    ]
    for name in list(formats.RESULTS) + list(formats.GRAPHS):
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS_NS + FORMAT_IRIS[name])))
    for i, g in enumerate(graphs):
        node = ox.BlankNode(f"graph{i}")
        triples += [ox.Triple(dataset, _sd("namedGraph"), node), ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
                    ox.Triple(node, _sd("name"), ox.NamedNode(g))]
    return triples
