"""SHACL 4.7, shape-based constraint components: sh:node, sh:property (nested in another
shape: Compiler.fails and Compiler.property_queries), sh:qualifiedValueShape with
sh:qualifiedMinCount, sh:qualifiedMaxCount and sh:qualifiedValueShapesDisjoint (4.7.3)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import shorten
from tajsec.shacl.shapes import SH, Node, Unsupported, is_true, label

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Check, Compiler, PropertyScope

#: a nested qualified cardinality is a pattern of that many distinct value nodes, whose cost grows
#: as (values per node) ** count (8 of 8 values: 9 s; 5 of 6: instant): above this, pySHACL (listed)
NESTED_QUALIFIED_LIMIT = 5


def node_checks(c: Compiler, s: Node, v: str) -> list[Check]:
    return [("node", c.fails(ref, v),
             f"Value does not conform to Shape {label(ref)}. See details for more information.")
            for ref in c.sh(s, "node")]


def value_nodes_focus(outer_focus: str, path: str, n: int) -> str:
    """A focus sub-select binding ?this to the values of `path` of the outer focus nodes: the
    focus nodes of a property shape nested in a property shape. It keeps the chain of outer
    focus nodes (?_outer1, ...): a node reached from two outer focus nodes is validated, and
    reported, once for each (as the SHACL test suite's core/property/property-001 expects; see
    engine.fan_out)."""
    outer = f"?_outer{n}"
    chain = " ".join(sorted(set(re.findall(r"\?_outer[0-9]+", outer_focus))))
    return (f"{{ SELECT DISTINCT ?this {outer} {chain} WHERE {{ {{ SELECT (?this AS {outer}) {chain} WHERE "
            f"{{ {outer_focus} }} }} {outer} {path} ?this }} }}")


# -- sh:qualifiedValueShape -----------------------------------------------------------------------

def _bound(c: Compiler, s: Node, name: str) -> int | None:
    """The value of sh:qualifiedMinCount or sh:qualifiedMaxCount on `s` (None: not given)."""
    found = c.sh(s, name)
    if not found:
        return None
    if len(found) > 1 or not isinstance(found[0], ox.Literal) or not re.fullmatch(r"[+-]?[0-9]+", found[0].value):
        raise Unsupported(f"a malformed sh:{name} (on {label(s)})")
    return int(found[0].value)


def _siblings(c: Compiler, s: Node, q: Node) -> list[Node]:
    """The sibling shapes of qualified value shape `q` of property shape `s` (SHACL 4.7.3): with
    sh:qualifiedValueShapesDisjoint true, the sh:qualifiedValueShape of every property shape of
    every shape that has `s` as a sh:property, `q` itself left out."""
    if not is_true(c.sh1(s, "qualifiedValueShapesDisjoint")):
        return []
    out: list[Node] = []
    for parent in c.sg.subjects_with(SH + "property"):
        if s not in c.sh(parent, "property"):
            continue
        for ps in c.sh(parent, "property"):
            out += [x for x in c.sh(ps, "qualifiedValueShape") if x != q and x not in out]
    return out


def qualified(c: Compiler, s: Node) -> list[tuple[str, int, Node, list[Node]]]:
    """(component parameter, count, qualified value shape, its sibling shapes) for each qualified
    cardinality of property shape `s`: a value node counts when it conforms to the shape and to
    none of its siblings."""
    shapes = c.sh(s, "qualifiedValueShape")
    if not shapes:
        return []
    c.mark(s, "qualifiedValueShape")
    out = []
    for q in shapes:
        siblings = _siblings(c, s, q)
        for name in ("qualifiedMinCount", "qualifiedMaxCount"):
            n = _bound(c, s, name)
            if n is not None:
                out.append((name, n, q, siblings))
    return out


def _counted(c: Compiler, q: Node, siblings: list[Node], v: str) -> str:
    """SPARQL: value node `v` counts for `q` (conforms to it, and to none of `siblings`)."""
    return " && ".join([f"!({c.fails(q, v)})"] + [c.fails(x, v) for x in siblings])


def _message(name: str, n: int, q: Node) -> str:
    kind = "MinCount" if name == "qualifiedMinCount" else "MaxCount"
    return f"Focus node does not conform to shape {kind} {n}: {label(q)}"


def qualified_queries(scope: PropertyScope) -> None:
    """The report queries of the qualified cardinalities of a property shape: one result per
    focus node with too few (or too many) counted value nodes, no sh:value (SHACL 4.7.3)."""
    c, s, focus, path = scope.c, scope.s, scope.focus, scope.path
    where = f" on {{focus}}->{shorten(scope.rpath.value)}" if scope.rpath is not None else ""
    for name, n, q, siblings in qualified(c, s):
        v = c.var("q")
        counted = _counted(c, q, siblings, v)
        if name == "qualifiedMinCount":
            if n <= 0:
                continue
            sparql = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} {v} . FILTER({counted}) }} }} "
                      f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) < {n})")
        else:
            sparql = (f"SELECT ?this WHERE {{ {focus} ?this {path} {v} . FILTER({counted}) }} "
                      f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) > {n})")
        scope.add(name, sparql, _message(name, n, q) + where, None)


def qualified_fails(c: Compiler, s: Node, x: str, path: str) -> list[str]:
    """Expressions true when node `x` breaks a qualified cardinality of property shape `s`."""
    parts = []
    for name, n, q, siblings in qualified(c, s):
        if name == "qualifiedMinCount" and n <= 0:
            _counted(c, q, siblings, c.var("q"))   # nothing to ask, but the shapes are compiled (the ledger)
            continue
        at_least = n if name == "qualifiedMinCount" else n + 1
        if at_least > NESTED_QUALIFIED_LIMIT:
            raise Unsupported(f"sh:{name} {n} in a shape used inside another (on {label(s)})")
        vs = [c.var("q") for _ in range(at_least)]
        conds = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:]]
        conds += [f"({_counted(c, q, siblings, a)})" for a in vs]
        found = f"EXISTS {{ {' . '.join(f'{x} {path} {a}' for a in vs)} . FILTER({' && '.join(conds)}) }}"
        parts.append("NOT " + found if name == "qualifiedMinCount" else found)
    return parts
