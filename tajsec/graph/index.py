"""Two read-only views of a built graph with the same small interface (`objects`, `first`,
`iris`, `label`): `GraphIndex`, every triple indexed in memory (for readers that visit the whole
graph, such as the docs site), and `StoreView`, which asks the store node by node (for readers
of a few nodes, such as `tajsec describe`); `NodeView` reads each node it is asked about once (for
readers of some hundreds of nodes, such as the evidence of an answer)."""
from __future__ import annotations

from collections import defaultdict
from typing import Protocol, cast

import pyoxigraph as ox

from tajsec.core.namespaces import PREFIXES, shorten
from tajsec.core.terms import AnyTerm, Term
from tajsec.graph.build import DERIVED_GRAPH

TYPE = PREFIXES["rdf"] + "type"
LABEL = PREFIXES["rdfs"] + "label"
SUBCLASS_OF = PREFIXES["rdfs"] + "subClassOf"



def term_key(t: Term) -> tuple:
    """A total order on terms: IRIs, then blank nodes, then literals."""
    if isinstance(t, ox.NamedNode):
        return (0, t.value, "")
    if isinstance(t, ox.BlankNode):
        return (1, t.value, "")
    return (2, t.value, t.language or t.datatype.value)


def best_label(labels: list[ox.Literal], iri: str) -> str:
    """The English label, else one without a language, else any; the least of equals; else the
    shortened IRI."""
    best = None
    for o in labels:
        key = (0 if o.language == "en" else 1 if not o.language else 2, o.value)
        if best is None or key < best[0]:
            best = (key, o.value)
    return best[1] if best else shorten(iri)


class GraphView(Protocol):
    def objects(self, s: str, p: str) -> list[Term]: ...

    def first(self, s: str, p: str) -> Term | None: ...

    def iris(self, s: str, p: str) -> list[str]: ...

    def label(self, s: str) -> str: ...


class _Reads:
    """`first`, `iris` and `label`, given `objects`."""

    def objects(self, s: str, p: str) -> list[Term]:
        raise NotImplementedError

    def first(self, s: str, p: str) -> Term | None:
        objs = self.objects(s, p)
        return objs[0] if objs else None

    def iris(self, s: str, p: str) -> list[str]:
        return [o.value for o in self.objects(s, p) if isinstance(o, ox.NamedNode)]

    def label(self, s: str) -> str:
        return best_label([o for o in self.objects(s, LABEL) if isinstance(o, ox.Literal)], s)


class StoreView(_Reads):
    """The union of a store's graphs, read node by node; objects sorted, without duplicates."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def objects(self, s: str, p: str) -> list[Term]:
        quads = self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None)
        found = {cast(Term, q.object) for q in quads}  # no triple terms: the loader refuses them
        return sorted(found, key=term_key)


class NodeView(_Reads):
    """The union of a store's graphs, as StoreView reads it (objects sorted, without duplicates),
    each answer kept: the nodes a reader describes in full (`node`) are read at once, all their
    triples (a card asks a dozen questions of one node); of the others (sections, footnotes and
    holders, which recur from card to card and may have hundreds of triples) only what is asked."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.nodes: dict[str, tuple[dict[str, set | list[Term]], set]] = {}
        self.asked: dict[tuple[str, str], list[Term]] = {}

    def node(self, s: str) -> tuple[dict[str, set | list[Term]], set]:
        """The node's objects by predicate (a set until first asked for, then a sorted list), and
        the graphs its triples are in."""
        if s not in self.nodes:
            by: dict[str, set] = {}
            graphs = set()
            for q in self.store.quads_for_pattern(ox.NamedNode(s), None, None, None):
                p = q.predicate.value
                if p in by:
                    by[p].add(q.object)
                else:
                    by[p] = {q.object}
                graphs.add(q.graph_name)
            self.nodes[s] = (cast(dict, by), graphs)
        return self.nodes[s]

    def objects(self, s: str, p: str) -> list[Term]:
        if s in self.nodes:
            by = self.nodes[s][0]
            found = by.get(p)
            if found is None:
                return []
            if isinstance(found, set):  # sorted when first asked for: most are never asked for
                found = by[p] = sorted(found, key=term_key) if len(found) > 1 else list(found)
            return found
        if (s, p) not in self.asked:
            quads = self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None)
            self.asked[(s, p)] = sorted({cast(Term, q.object) for q in quads}, key=term_key)
        return self.asked[(s, p)]


class GraphIndex(_Reads):
    """Every triple of the built graph (the union of its named graphs), indexed by subject and by
    object, each list sorted; triples found only in the derived graph are marked as derived."""

    def __init__(self, store: ox.Store) -> None:
        asserted: set[tuple[AnyTerm, ox.NamedNode, AnyTerm]] = set()
        derived: set[tuple[AnyTerm, ox.NamedNode, AnyTerm]] = set()
        for q in store.quads_for_pattern(None, None, None, None):
            t = (q.subject, q.predicate, q.object)
            (derived if q.graph_name == DERIVED_GRAPH else asserted).add(t)
        self.derived = {(s.value, p.value, term_key(cast(Term, o))) for s, p, o in derived - asserted
                        if isinstance(s, ox.NamedNode)}
        self.out: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        self.inc: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.triples = 0
        for s, p, o in asserted | derived:
            self.triples += 1
            if not isinstance(s, ox.NamedNode):
                continue
            self.out[s.value].append((p.value, cast(Term, o)))  # no triple terms: the loader refuses them
            if isinstance(o, ox.NamedNode):
                self.inc[o.value].append((s.value, p.value))
        for v in self.out.values():
            v.sort(key=lambda po: (po[0], term_key(po[1])))
        for incoming in self.inc.values():
            incoming.sort()
        self.types: dict[str, set[str]] = defaultdict(set)
        self.supers: dict[str, set[str]] = defaultdict(set)
        for subject, pos in self.out.items():
            for predicate, value in pos:
                if predicate == TYPE and isinstance(value, ox.NamedNode):
                    self.types[subject].add(value.value)
                elif predicate == SUBCLASS_OF and isinstance(value, ox.NamedNode) and value.value != subject:
                    self.supers[subject].add(value.value)
        self._closure: dict[str, set[str]] = {}

    def is_derived(self, s: str, p: str, o: Term) -> bool:
        return (s, p, term_key(o)) in self.derived

    def objects(self, s: str, p: str) -> list[Term]:
        return [o for q, o in self.out.get(s, []) if q == p]

    def ancestors(self, c: str) -> set[str]:
        """The class and all its superclasses."""
        if c not in self._closure:
            seen, todo = set(), [c]
            while todo:
                x = todo.pop()
                if x not in seen:
                    seen.add(x)
                    todo.extend(self.supers.get(x, ()))
            self._closure[c] = seen
        return self._closure[c]

    def all_types(self, s: str) -> set[str]:
        out = set()
        for t in self.types.get(s, ()):
            out |= self.ancestors(t)
        return out

    def is_a(self, s: str, cls: str) -> bool:
        return cls in self.all_types(s)
