"""SHACL 4.8, other constraint components: sh:closed (with sh:ignoredProperties), sh:hasValue,
sh:in."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import shorten
from tajsec.shacl.shapes import SH, Node, is_true, n3
from tajsec.shacl.terms import constant

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Check, Compiler, PropertyScope


def in_checks(c: Compiler, s: Node, v: str) -> list[Check]:
    out = []
    for lst in c.sh(s, "in"):
        members = c.sg.rdf_list(lst)
        cond = " || ".join(f"sameTerm({v}, {constant(m)})" for m in members) or "false"
        out.append(("in", f"!({cond})", f"Value {{value}} not in list {[str(m) for m in members]}"))
    return out


def has_value_checks(c: Compiler, s: Node, v: str) -> list[Check]:
    """sh:hasValue on a node shape: the focus node must be that value."""
    return [("hasValue", f"!sameTerm({v}, {constant(hv)})", f"Value must be {hv}") for hv in c.sh(s, "hasValue")]


def has_value_queries(scope: PropertyScope) -> None:
    c, s, path = scope.c, scope.s, scope.path
    where = shorten(scope.rpath.value) if scope.rpath is not None else ""
    for hv in c.sh(s, "hasValue"):
        c.mark(s, "hasValue")
        q = f"SELECT DISTINCT ?this WHERE {{ {scope.focus} FILTER NOT EXISTS {{ ?this {path} {constant(hv)} }} }}"
        scope.add("hasValue", q, f"Node {{focus}}->{where} does not contain a value in the set: ['{hv.value}']", None,
                  pattern="", expr=f"NOT EXISTS {{ ?this {path} {constant(hv)} }}")


def has_value_fails(c: Compiler, s: Node, x: str, path: str) -> list[str]:
    out = []
    for hv in c.sh(s, "hasValue"):
        c.mark(s, "hasValue")
        out.append(f"NOT EXISTS {{ {x} {path} {constant(hv)} }}")
    return out


def closed_checks(c: Compiler, s: Node, v: str) -> list[Check]:
    closed = c.sh1(s, "closed")
    if not is_true(closed):
        c.mark(s, "closed")  # sh:closed false: nothing to check
        return []
    p, o = c.var("p"), c.var("o")
    cond = " && ".join(f"!sameTerm({p}, {a})" for a in closed_allowed(c, s)) or "true"
    return [("closed", f"EXISTS {{ {v} {p} {o} . FILTER({cond}) }}", "Node {focus} is closed")]


def closed_query(c: Compiler, s: Node, focus: str) -> str:
    """The root query of a closed node shape: one row per (focus, predicate, value) not allowed."""
    cond = " && ".join(f"!sameTerm(?path, {a})" for a in closed_allowed(c, s)) or "true"
    return f"SELECT DISTINCT ?this ?path ?value WHERE {{ {focus} ?this ?path ?value . FILTER({cond}) }}"


def closed_allowed(c: Compiler, s: Node) -> list[str]:
    allowed = []
    for ps in c.sh(s, "property"):
        path = c.sg.one(ps, SH + "path")
        if isinstance(path, ox.NamedNode):
            allowed.append(n3(path))
    for lst in c.sh(s, "ignoredProperties"):
        allowed.extend(n3(x) for x in c.sg.rdf_list(lst))
    return allowed
