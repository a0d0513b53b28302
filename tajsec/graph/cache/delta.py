"""The derived layer kept up to date by deltas: after some asserted triples were added or
removed, only the conclusions the edit can change are worked out again (tajsec.graph.cache.standing
keeps the layer between runs; tests/test_standing.py proves the result equal to a full build).

Each build rule (queries/construct-*.rq) is star-shaped around a root node: a relation
statement, a tenure (and its interval's end instant), an assistance, a measurement; rules 4-6
are rooted at the subject of their conclusions (a triple with its super-properties, a typed
node, a concept or a quantity with its unit). A root's conclusions depend only on the triples
of the nodes its rule reads (`Star.reads`: paths from the root), on a few fixed nodes (the
paper's present) and on the class and property hierarchies. And all conclusions about a node
`z` come from the roots linked to `z` by one predicate (`Star.roots`: a statement's ts:subject,
a tenure's org:member, ...; None: the root is `z` itself). So, rule by rule in build order:

1. the dirty roots: the nodes from which a `reads` path leads to the subject of a changed
   triple (asserted, or concluded by an earlier rule);
2. the nodes `Z` whose conclusions may change: what a dirty root links to, now or before the
   edit (a removed link is itself a changed triple);
3. the conclusions about `Z`, anew: every root linked to a node of `Z`, evaluated by the rule
   itself (SELECT * over a small store holding each such root's whole neighbourhood, with the
   triples the rule can see: asserted, and concluded by earlier rules), keeping only the
   solutions of those roots;
4. the rule's graph made to hold exactly those conclusions about `Z` (its other triples are
   not about `Z`, so no edit changed them), and the difference passed on to the next rule.

Each rule's conclusions live in a graph of their own (DERIVED_RULE_GRAPH_BASE + the rule's
name), so a rule sees exactly what it sees in a full build. An edit of the class or property
hierarchy or of a fixed node, or rules this module does not describe (their text is pinned by
RULES_DIGEST), return None: the caller derives everything again."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from tajsec.core.namespaces import DERIVED_RULE_GRAPH_BASE, ORG, RDFS, TIME, TS, TSD
from tajsec.core.terms import solutions, triples
from tajsec.graph.derivation import Rule

Triple = tuple   # (subject, predicate, object) terms

SCHEMA = (ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(RDFS + "subPropertyOf"))


@dataclass(frozen=True)
class Star:
    """How one rule reads around its roots: `roots`, each root variable with the predicate from
    the root to the subject of its conclusions (None: the root is that subject); `reads`, the
    predicate paths from a root to the other nodes whose triples the rule reads; `fixed`, the
    nodes every root reads."""
    roots: dict[str, str | None]
    reads: tuple[tuple[str, ...], ...] = ()
    fixed: tuple[str, ...] = ()


RULES = {
    "construct-1-shortcut-relations": Star({"st": TS + "subject"}),
    "construct-2-shortcut-tenures": Star({"t": ORG + "member"},
                                         ((ORG + "memberDuring",), (ORG + "memberDuring", TIME + "hasEnd")),
                                         (TSD + "time-paper-present",)),
    "construct-3-shortcut-assistance-and-measurements": Star({"a": TS + "provider", "m": TS + "measuredEntity"}),
    "construct-4-interop-property-closure": Star({"s": None}),
    "construct-5-interop-types": Star({"x": None}),
    "construct-6-interop-labels-and-units": Star({"c": None, "q": None}, ((TS + "unit",),)),
}
# the rules' text RULES describes: another text (an edited rule) and every edit derives all again
RULES_DIGEST = "c84a639a0dd739c6bda6d1a0116e9e0338dce90257b7ef5e1f028965489d1338"


def rules_digest(rules: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for path in rules:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def rule_graph(rule: Path) -> ox.NamedNode:
    """The graph of one rule's conclusions."""
    return ox.NamedNode(DERIVED_RULE_GRAPH_BASE + rule.stem)


def described(rules: list[Path]) -> bool:
    """Whether RULES describes these rules, as written."""
    return [r.stem for r in rules] == list(RULES) and rules_digest(rules) == RULES_DIGEST


@dataclass
class Update:
    """What an update changed in the rules' graphs: triples added and removed, and the quads."""
    added: set = field(default_factory=set)
    removed: set = field(default_factory=set)
    added_quads: list[ox.Quad] = field(default_factory=list)
    removed_quads: list[ox.Quad] = field(default_factory=list)

    @property
    def subjects(self) -> set:
        return {t[0] for t in self.added | self.removed}


def update(store: ox.Store, rules: list[Path], changed: set[Triple]) -> Update | None:
    """Bring the rules' graphs of `store` up to date after the asserted triples `changed` were
    added or removed (the store holds the new state). None: the edit is beyond what deltas
    follow (the store's rule graphs are then as before, and must be derived again)."""
    if not described(rules):
        return None
    graphs = [rule_graph(r) for r in rules]
    visible = set(changed)
    out = Update()
    for i, rule in enumerate(rules):
        star = RULES[rule.stem]
        if any(t[1] in SCHEMA for t in visible) or any(t[0].value in star.fixed for t in visible
                                                         if isinstance(t[0], ox.NamedNode)):
            return None
        hidden = set(graphs[i:])
        z = _touched(store, star, visible)
        new = _conclusions(store, Rule(rule.stem, rule.read_text(encoding="utf-8")), star, z, hidden)
        old = {(q.subject, q.predicate, q.object) for n in z for q in store.quads_for_pattern(n, None, None, graphs[i])}
        added, removed = new - old, old - new
        quads = [ox.Quad(s, p, o, graphs[i]) for s, p, o in added]
        store.extend(quads)
        out.added_quads += quads
        for s, p, o in removed:
            store.remove(ox.Quad(s, p, o, graphs[i]))
            out.removed_quads.append(ox.Quad(s, p, o, graphs[i]))
        visible |= added | removed
        out.added |= added
        out.removed |= removed
    return out


def _touched(store: ox.Store, star: Star, changed: set[Triple]) -> set:
    """The nodes whose conclusions by this rule an edit of `changed` may have changed."""
    subjects = {t[0] for t in changed}
    dirty = set(subjects)
    for path in star.reads:   # the roots from which the path leads to a changed subject
        for end in range(1, len(path) + 1):
            nodes = subjects
            for p in reversed(path[:end]):
                pred = ox.NamedNode(p)
                nodes = {q.subject for n in nodes for q in store.quads_for_pattern(None, pred, n, None)}
            dirty |= nodes
    z: set = set()
    for link in star.roots.values():
        if link is None:
            z |= dirty
            continue
        pred = ox.NamedNode(link)
        z |= {q.object for n in dirty for q in store.quads_for_pattern(n, pred, None, None)}
        z |= {t[2] for t in changed if t[1] == pred and t[0] in dirty}   # links the edit removed
    return {n for n in z if not isinstance(n, ox.Literal)}


def _conclusions(store: ox.Store, rule: Rule, star: Star, z: set, hidden: set) -> set[Triple]:
    """The rule's conclusions about the nodes `z`, as a full build makes them (`hidden`: the
    graphs of this rule and the later ones, which it does not see)."""
    if not z:
        return set()
    roots: set = set()
    for link in star.roots.values():
        if link is None:
            roots |= z
        else:
            pred = ox.NamedNode(link)
            roots |= {q.subject for n in z for q in store.quads_for_pattern(None, pred, n, None)}
    part = ox.Store()

    def copy(nodes: Iterable) -> None:
        part.extend([ox.Quad(q.subject, q.predicate, q.object) for n in nodes if not isinstance(n, ox.Literal)
                     for q in store.quads_for_pattern(n, None, None, None) if q.graph_name not in hidden])

    copy(roots)
    for path in star.reads:
        nodes = roots
        for p in path:
            pred = ox.NamedNode(p)
            nodes = {q.object for n in nodes for q in store.quads_for_pattern(n, pred, None, None)
                     if q.graph_name not in hidden}
            copy(nodes)
    copy(ox.NamedNode(n) for n in star.fixed)
    part.extend([ox.Quad(q.subject, q.predicate, q.object) for p in SCHEMA
                 for q in store.quads_for_pattern(None, p, None, None) if q.graph_name not in hidden])
    answer = solutions(part.query(rule.select_all))
    names = [v.value for v in answer.variables]
    found: set[Triple] = set()
    for row in answer:
        binding = {n: t for n, t in zip(names, row) if t is not None}
        if any(binding.get(v) in roots for v in star.roots):
            found.update(t for t in rule.conclusions(binding) if t[0] in z)
    return found


def derive_all(store: ox.Store, rules: list[Path]) -> int:
    """Every rule's conclusions into its graph, as a full build makes them (each rule seeing the
    asserted graphs and the earlier rules' graphs); the rules' graphs emptied first. Returns the
    number of triples concluded."""
    graphs = [rule_graph(r) for r in rules]
    for g in graphs:
        if store.contains_named_graph(g):
            store.remove_graph(g)
    asserted: list = [g for g in store.named_graphs() if g not in graphs]
    total = 0
    for i, rule in enumerate(rules):
        found = list(triples(store.query(rule.read_text(encoding="utf-8"), default_graph=asserted + graphs[:i])))
        store.extend([ox.Quad(t.subject, t.predicate, t.object, graphs[i]) for t in found])
        total += len(found)
    return total
