"""The RDF description of one node, as served for its IRI: the Concise Bounded Description of the
node, plus (for an entity) that of every statement, event and agreement naming it, plus the type
and label of the sources those cite. One function, so that `tajsec serve` (tajsec.web.resources)
and the static site (tajsec.site) give the same triples for the same IRI."""
from __future__ import annotations

from pathlib import Path
from typing import cast

import pyoxigraph as ox

from tajsec.core.namespaces import PROV, RDF_TYPE, RDFS, TS, TSD, TSSH
from tajsec.core.project import Project
from tajsec.core.terms import Resource
from tajsec.graph.build import Built
from tajsec.io.load import parse_file

# a statement that cites a work is not about it (else the paper's description is 8,000 triples)
CITES = PROV + "wasDerivedFrom"
SOURCE_LINKS = (CITES, TS + "inSection", TS + "footnote")
STATEMENT_KINDS = (TS + "Statement", TS + "Event", TS + "Agreement")
ALL_SHAPES = TSSH.rstrip("/")  # what /shapes stands for (every shape), as /onto stands for the ontology


def describe_node(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The triples describing `iri` in `store`, sorted."""
    node = ox.NamedNode(iri)
    found = cbd(store, node)
    statements = set()
    if iri.startswith(TSD):  # a term's "statements" would be every use of it: its CBD is enough
        statements = {q.subject for q in store.quads_for_pattern(None, None, node, None)
                      if isinstance(q.subject, ox.NamedNode) and q.predicate.value != CITES
                      and _is_statement(store, q.subject)}
    for st in statements:
        found |= cbd(store, st)
    for subject in {node, *statements}:
        for link in SOURCE_LINKS:
            for q in store.quads_for_pattern(subject, ox.NamedNode(link), None, None):
                for p in (RDF_TYPE, RDFS + "label"):
                    found |= {ox.Triple(s.subject, s.predicate, s.object)
                              for s in store.quads_for_pattern(cast(Resource, q.object), ox.NamedNode(p), None, None)}
    return sorted_triples(found)


def shapes_store(project: Project) -> ox.Store:
    """The SHACL shapes, as written (they are not part of the built graph)."""
    store = ox.Store()
    for f in project.shape_files:
        store.extend(parse_file(f, ox.DefaultGraph()))
    return store


def ontology_graphs(project: Project, built: Built) -> list[ox.NamedNode]:
    """The named graphs of the built store that hold the ontology's files."""
    ontology_files = {p.resolve() for p in project.ontology_files}
    return [ox.NamedNode(g) for g, p in sorted(built.graphs.items()) if Path(p).resolve() in ontology_files]


def graph_triples(store: ox.Store, graphs: list[ox.NamedNode] | None = None) -> list[ox.Triple]:
    """Every triple of `graphs` of `store` (of all its graphs when None), once each, sorted: the
    description of the whole ontology, or of all the shapes."""
    quads = iter(store) if graphs is None else (q for g in graphs for q in store.quads_for_pattern(None, None, None, g))
    return sorted_triples({ox.Triple(q.subject, q.predicate, q.object) for q in quads})


def cbd(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> set[ox.Triple]:
    """The Concise Bounded Description of `node` (without reifications): its triples, and those of
    every blank node they reach."""
    found: set[ox.Triple] = set()
    todo, seen = [node], {node}
    while todo:
        subject = todo.pop()
        for q in store.quads_for_pattern(subject, None, None, None):
            found.add(ox.Triple(q.subject, q.predicate, q.object))
            if isinstance(q.object, ox.BlankNode) and q.object not in seen:
                seen.add(q.object)
                todo.append(q.object)
    return found


def sorted_triples(triples: set[ox.Triple]) -> list[ox.Triple]:
    return sorted(triples, key=str)


def _is_statement(store: ox.Store, node: ox.NamedNode) -> bool:
    return any(next(iter(store.quads_for_pattern(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(k), None)), None)
               for k in STATEMENT_KINDS)
