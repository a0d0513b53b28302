"""Exact provenance of derived triples: for each triple a build rule (queries/construct-*.rq)
derived, the premises it was derived from, down to the asserted triples and the statement nodes
that carry them.

The rules run as SELECT * over their WHERE clause; each solution instantiates the CONSTRUCT
template (the derived triples, as CONSTRUCT would make them) and the WHERE patterns (the premises,
the triples that solution matched). Kept beside the store, not in it, so that no query's answer
changes.

The solutions are recorded as each rule runs, so which rule derived what, from which solution, is
exact. The premises of a solution are matched against the store only when asked for (a build
would otherwise spend half its time on them), that is against the finished store: an OPTIONAL or
UNION part of a rule could then also match a triple a later rule added. None of our rules' optional
parts uses a property a later rule derives.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox

from tajsec.core.namespaces import ONTOLOGY_GRAPH_BASE, RDFS
from tajsec.core.sparql_shape import Pattern, Term
from tajsec.core.sparql_syntax import parse
from tajsec.core.terms import solutions
from tajsec.graph.matching import NotTraced, Triple, match, match_all, named_variables, to_term

SCHEMA_AXIOMS = frozenset({RDFS + "subClassOf", RDFS + "subPropertyOf"})
MAX_LEAVES = 200  # asserted premises followed for one derived triple


@dataclass(eq=False)
class Derivation:
    """One solution of one rule. Its premises are worked out when first asked for (a build
    would otherwise spend half its time on them); they are the triples the solution matched."""
    rule: Rule
    binding: dict
    store: ox.Store
    _premises: tuple | None = None

    @property
    def premises(self) -> tuple[Triple, ...]:
        if self._premises is None:
            self._premises = self.rule.premises(self.store, self.binding)
        return self._premises


@dataclass
class Derivations:
    """Every derived triple with the ways it was derived."""
    by_triple: dict[Triple, list[Derivation]] = field(default_factory=dict)

    def __contains__(self, t: Triple) -> bool:
        return t in self.by_triple

    def __len__(self) -> int:
        return len(self.by_triple)

    def of(self, t: Triple) -> list[Derivation]:
        return self.by_triple.get(t, [])

    def leaves(self, t: Triple) -> list[tuple[Triple, str]]:
        """The asserted triples `t` rests on, each with the rule that used it, in a stable order."""
        found: dict[Triple, str] = {}
        seen, todo = {t}, [t]
        while todo and len(found) < MAX_LEAVES:
            for d in self.of(todo.pop(0)):
                for premise in d.premises:
                    if premise in self.by_triple:
                        if premise not in seen:
                            seen.add(premise)
                            todo.append(premise)
                    else:
                        found.setdefault(premise, d.rule.name)
        return list(found.items())

    def statements(self, store: ox.Store, t: Triple) -> set:
        """The nodes whose asserted triples `t` was derived from: those outside the ontology, or,
        for a triple about the vocabulary itself, the ontology's (schema axioms left out)."""
        data, vocabulary = set(), set()
        for (s, p, o), _ in self.leaves(t):
            graphs = {q.graph_name for q in store.quads_for_pattern(s, p, o, None)}
            if any(not (isinstance(g, ox.NamedNode) and g.value.startswith(ONTOLOGY_GRAPH_BASE)) for g in graphs):
                data.add(s)
            elif p.value not in SCHEMA_AXIOMS:
                vocabulary.add(s)
        return data or vocabulary


class Rule:
    """One build rule, read once."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.query = parse(text)
        sel = self.query.select
        self.template = sel.template
        self.required = [p for p in sel.patterns if p.context == "required"]
        self.alternatives = [p for p in sel.patterns if p.context in ("optional", "union")]
        self.select_all = text[:self.query.prologue_end] + "\nSELECT * WHERE " + self.query.where_text()

    def conclusions(self, binding: dict) -> list[Triple]:
        """The template instantiated, as CONSTRUCT does: triples with an unbound or misplaced term are left out."""
        out = []
        for p in self.template:
            # a CONSTRUCT template has no property paths: its predicate is an IRI or a variable
            s, pr, o = to_term(p.s, binding), to_term(cast(Term, p.p), binding), to_term(p.o, binding)
            if s is None or o is None or not isinstance(pr, ox.NamedNode) or isinstance(s, ox.Literal):
                continue
            out.append((s, pr, o))
        return out

    def premises(self, store: ox.Store, binding: dict) -> tuple[Triple, ...]:
        """The triples this solution matched: the required patterns' and those OPTIONAL or UNION
        patterns whose variables it binds and that hold."""
        found: list[Triple] = []
        try:
            matched = match_all(store, self.required, binding)
            if matched:
                found += matched[0][1]
            for p in self.alternatives:
                if named_variables(p) <= binding.keys():
                    ways = match(store, p, binding)
                    if ways:
                        found += ways[0][1]
        except NotTraced:
            pass
        return tuple(dict.fromkeys(found))


def derive(store: ox.Store, rule: Rule, derived_graph: ox.NamedNode, record: Derivations) -> int:
    """Run one rule: add its new conclusions to `derived_graph` and record every derivation of a
    triple that is not asserted. Returns the number of triples added."""
    res = solutions(store.query(rule.select_all, use_default_graph_as_union=True))
    names = [v.value for v in res.variables]
    new: dict[Triple, None] = {}
    for sol in res:
        binding = {n: t for n, t in zip(names, sol) if t is not None}
        derivation = None
        for t in rule.conclusions(binding):
            if t not in record and t not in new:
                if _present(store, t):
                    continue
                new[t] = None
            derivation = derivation or Derivation(rule, binding, store)
            record.by_triple.setdefault(t, []).append(derivation)
    store.extend([ox.Quad(s, p, o, derived_graph) for s, p, o in new])
    return len(new)


def _present(store: ox.Store, t: Triple) -> bool:
    return next(iter(store.quads_for_pattern(t[0], t[1], t[2], None)), None) is not None


__all__ = ["Derivation", "Derivations", "Pattern", "Rule", "derive"]
