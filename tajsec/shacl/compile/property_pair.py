"""SHACL 4.5, property pair constraint components: sh:equals, sh:disjoint, sh:lessThan,
sh:lessThanOrEquals. On a node shape the value node is the focus node itself (SHACL 2.1 and
4.5.1/4.5.2); sh:lessThan and sh:lessThanOrEquals are for property shapes only."""
from __future__ import annotations

from typing import TYPE_CHECKING

from tajsec.core.namespaces import shorten
from tajsec.shacl.shapes import Node, n3
from tajsec.shacl.terms import value_of

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Compiler, PropertyScope

PAIRS = ("equals", "disjoint", "lessThan", "lessThanOrEquals")


def queries(scope: PropertyScope) -> None:
    c, s, focus, path = scope.c, scope.s, scope.focus, scope.path
    where = shorten(scope.rpath.value) if scope.rpath is not None else ""
    for other in c.sh(s, "equals"):
        c.mark(s, "equals")
        o = n3(other)
        q = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} "
             f"{{ ?this {path} ?value . FILTER NOT EXISTS {{ ?this {o} ?value }} }} "
             f"UNION {{ ?this {o} ?value . FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}")
        scope.add("equals", q, f"Value of {{focus}}->{where} != {shorten(other.value)}")
    for other in c.sh(s, "disjoint"):
        c.mark(s, "disjoint")
        q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . ?this {n3(other)} ?value }}"
        scope.add("disjoint", q, f"Value of {{focus}}->{where} == {shorten(other.value)}")
    for name in ("lessThan", "lessThanOrEquals"):
        for other in c.sh(s, name):
            c.mark(s, name)
            # one result per (value, other value) pair that fails, as pySHACL reports them
            q = (f"SELECT ?this ?value WHERE {{ {{ SELECT DISTINCT ?this ?value ?other WHERE {{ {focus} "
                 f"?this {path} ?value . ?this {n3(other)} ?other . "
                 f"FILTER({not_less('?value', '?other', name == 'lessThanOrEquals')}) }} }} }}")
            op = "<=" if name == "lessThanOrEquals" else "<"
            scope.add(name, q, f"Value of {{focus}}->{where} {op} {shorten(other.value)}")


def fails(c: Compiler, s: Node, x: str, path: str) -> list[str]:
    """Expressions true when node `x` fails a property pair constraint of property shape `s`."""
    parts = []
    for name in PAIRS:
        for other in c.sh(s, name):
            c.mark(s, name)
            a, b = c.var(), c.var()
            o = n3(other)
            if name == "equals":
                parts.append(f"(EXISTS {{ {x} {path} {a} . FILTER NOT EXISTS {{ {x} {o} {a} }} }} || "
                             f"EXISTS {{ {x} {o} {a} . FILTER NOT EXISTS {{ {x} {path} {a} }} }})")
            elif name == "disjoint":
                parts.append(f"EXISTS {{ {x} {path} {a} . {x} {o} {a} }}")
            else:
                parts.append(f"EXISTS {{ {x} {path} {a} . {x} {o} {b} . "
                             f"FILTER({not_less(a, b, name == 'lessThanOrEquals')}) }}")
    return parts


def node_queries(c: Compiler, s: Node, focus: str) -> list[tuple[str, str, str]]:
    """sh:equals and sh:disjoint on a node shape: (component, query over ?this ?value, generic)."""
    out = []
    for other in c.sh(s, "equals"):
        c.mark(s, "equals")
        o = n3(other)
        # the focus node must be the one value of `other`: it is missing, or another value is there
        q = (f"SELECT DISTINCT ?this ?value WHERE "
             f"{{ {{ {focus} FILTER NOT EXISTS {{ ?this {o} ?this }} BIND(?this AS ?value) }} "
             f"UNION {{ {focus} ?this {o} ?value . FILTER(!sameTerm(?value, ?this)) }} }}")
        out.append(("equals", q, f"Value of {{focus}} != {shorten(other.value)}"))
    for other in c.sh(s, "disjoint"):
        c.mark(s, "disjoint")
        q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {n3(other)} ?this . BIND(?this AS ?value) }}"
        out.append(("disjoint", q, f"Value of {{focus}} == {shorten(other.value)}"))
    return out


def node_fails(c: Compiler, s: Node, x: str) -> list[str]:
    """sh:equals and sh:disjoint on a node shape, for a node `x` checked against it."""
    parts = []
    for other in c.sh(s, "equals"):
        c.mark(s, "equals")
        a, o = c.var(), n3(other)
        parts.append(f"(NOT EXISTS {{ {x} {o} {x} }} || EXISTS {{ {x} {o} {a} . FILTER(!sameTerm({a}, {x})) }})")
    for other in c.sh(s, "disjoint"):
        c.mark(s, "disjoint")
        parts.append(f"EXISTS {{ {x} {n3(other)} {x} }}")
    return parts


def not_less(a: str, b: str, or_equal: bool) -> str:
    """True when `a` is not less than (or equal to) `b`: as pySHACL, a literal compares with a
    literal of a comparable type, an IRI with an IRI (by its string); anything else fails."""
    op = "<=" if or_equal else "<"
    return (f"!COALESCE(IF(isIRI({a}) && isIRI({b}), STR({a}) {op} STR({b}), "
            f"isLiteral({a}) && isLiteral({b}) && {value_of(a)} {op} {value_of(b)}), false)")
