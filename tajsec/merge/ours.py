"""Our side of a merge: what the built graph offers to match inputs against (entities, labels
and their normalised forms, external links, facts, the predicates our entities use)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import GRAPH_BASE, TSD
from tajsec.graph.build import DERIVED_GRAPH
from tajsec.merge.blank_nodes import BlankQuads, canonical_labels
from tajsec.merge.facts import OUR_MEASUREMENTS, Fact, measurement_facts
from tajsec.merge.names import normalise_name, skeleton
from tajsec.merge.vocabulary import LINK_PREDICATES, NOT_ENTITIES, OUR_LABEL_PREDICATES, RDF, RDFS

if TYPE_CHECKING:
    from tajsec.graph.build import Built


@dataclass
class Ours:
    graphs: dict[str, str]                       # graph IRI -> path relative to the checkout
    entities: set[str]                           # tsd: IRIs that are subjects
    labels: dict[str, str]                       # IRI -> rdfs:label
    strong: dict[str, set[tuple[str, str]]]      # normalised name -> {(IRI, label)}
    weak: dict[str, set[tuple[str, str]]]        # consonant skeleton -> {(IRI, label)}
    external: dict[str, set[str]]                # external IRI -> our IRIs linked to it
    facts: dict[str, list[Fact]]                 # our IRI -> aspect facts (measurements)
    standard_terms: set[str]
    predicates: set[str]                         # predicates used on our entities
    watched: set[str]                            # our entities and the external IRIs they link to


def our_side(built: Built, root: Path) -> Ours:
    graphs = {g: relative(p, root) for g, p in built.graphs.items()}
    graphs[DERIVED_GRAPH.value] = "derived (queries/construct-*.rq)"
    entities: set[str] = set()
    labels: dict[str, str] = {}
    strong: dict[str, set] = defaultdict(set)
    weak: dict[str, set] = defaultdict(set)
    external: dict[str, set] = defaultdict(set)
    not_entities = set()
    for cls in NOT_ENTITIES:
        for q in built.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(cls), None):
            not_entities.add(q.subject.value if isinstance(q.subject, ox.NamedNode) else None)
    standard_terms = set()
    for g, path in graphs.items():
        if path.endswith("standard-terms.ttl"):
            for q in built.store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
                if isinstance(q.subject, ox.NamedNode):
                    standard_terms.add(q.subject.value)
    predicates: set[str] = set()
    for q in built.store.quads_for_pattern(None, None, None, None):
        s = q.subject
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(TSD):
            continue
        entities.add(s.value)
        p = q.predicate.value
        predicates.add(p)
        if p in OUR_LABEL_PREDICATES and isinstance(q.object, ox.Literal):
            if p == RDFS + "label":
                labels.setdefault(s.value, q.object.value)
            if s.value not in not_entities:
                n = normalise_name(q.object.value)
                if n:
                    strong[n].add((s.value, q.object.value))
                    weak[skeleton(n)].add((s.value, q.object.value))
        elif p in LINK_PREDICATES and isinstance(q.object, ox.NamedNode):
            external[q.object.value].add(s.value)
    for q in built.store.quads_for_pattern(None, None, None, None):
        # the other direction: <external> owl:sameAs tsd:x
        if q.predicate.value in LINK_PREDICATES and isinstance(q.subject, ox.NamedNode) \
                and isinstance(q.object, ox.NamedNode) and q.object.value.startswith(TSD) \
                and not q.subject.value.startswith(TSD):
            external[q.subject.value].add(q.object.value)
    facts = measurement_facts(built.store, OUR_MEASUREMENTS,
                               lambda g: graphs.get(g.value, g.value), use_default_graph_as_union=True)
    return Ours(graphs, entities, labels, dict(strong), dict(weak), dict(external), dict(facts), standard_terms,
                 predicates, entities | set(external))


def relative(p: Path, root: Path) -> str:
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(p)


def our_labels(built: Built, ours: Ours) -> dict:
    """Canonical labels for blank nodes in our own graphs (none today: instances/ has no blank
    nodes, but the ontology might one day); ties broken by the sorted masked quads."""
    quads = []
    for q in built.store.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in ours.graphs and (
                isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)):
            quads.append((q.subject, q.predicate, q.object, q.graph_name))
    quads.sort(key=lambda q: " ".join("_:" if isinstance(x, ox.BlankNode) else str(x) for x in q))
    bq = BlankQuads()
    for s, p, o, g in quads:
        bq.add(s, p, o, f" <{g.value}>", True)
    return bq.labels_by_node(canonical_labels(list(bq.quads), len(bq.index), GRAPH_BASE))
