"""The RDF description of one node, as served for its IRI: the Concise Bounded Description of the
node, plus (for an entity) that of every statement, event and agreement naming it, plus the type
and label of the sources those cite. One function, so that `tajsec serve` (tajsec.web.resources)
and the static site (tajsec.site) give the same triples for the same IRI."""
from __future__ import annotations

import pyoxigraph as ox

from tajsec.core.namespaces import PROV, RDF_TYPE, RDFS, TS, TSD

# a statement that cites a work is not about it (else the paper's description is 8,000 triples)
CITES = PROV + "wasDerivedFrom"
SOURCE_LINKS = (CITES, TS + "inSection", TS + "footnote")
STATEMENT_KINDS = (TS + "Statement", TS + "Event", TS + "Agreement")


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
                              for s in store.quads_for_pattern(q.object, ox.NamedNode(p), None, None)}
    return sorted_triples(found)


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
