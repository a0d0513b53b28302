"""SHACL 4.2, cardinality constraint components: sh:minCount, sh:maxCount (property shapes)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from tajsec.core.namespaces import shorten
from tajsec.shacl.shapes import Node

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Compiler, PropertyScope


def queries(scope: PropertyScope) -> None:
    c, s, focus, path = scope.c, scope.s, scope.focus, scope.path
    where = shorten(scope.rpath.value) if scope.rpath is not None else ""
    for mc in c.sh(s, "minCount"):
        c.mark(s, "minCount")
        n = int(mc.value)
        if n <= 0:
            continue
        expr = None
        if n == 1:
            q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?v }} }}"
            expr = f"NOT EXISTS {{ ?this {path} ?_c }}"
        else:
            q = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} "
                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})")
        scope.add("minCount", q, f"Less than {n} values on {{focus}}->{where}", None,
                  pattern="" if expr else None, expr=expr)
    for mc in c.sh(s, "maxCount"):
        c.mark(s, "maxCount")
        n = int(mc.value)
        expr = None
        if n == 0:
            q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER EXISTS {{ ?this {path} ?v }} }}"
            expr = f"EXISTS {{ ?this {path} ?_c }}"
        elif n == 1:
            q = (f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?v1 . ?this {path} ?v2 . "
                 f"FILTER(!sameTerm(?v1, ?v2)) }}")
            expr = f"EXISTS {{ ?this {path} ?_c1 . ?this {path} ?_c2 . FILTER(!sameTerm(?_c1, ?_c2)) }}"
        else:
            q = (f"SELECT ?this WHERE {{ {focus} ?this {path} ?v }} "
                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {n})")
        scope.add("maxCount", q, f"More than {n} values on {{focus}}->{where}", None,
                  pattern="" if expr else None, expr=expr)


def fails(c: Compiler, s: Node, x: str, path: str) -> list[str]:
    """Expressions true when node `x` has too few or too many values on `path`."""
    parts = []
    for mc in c.sh(s, "minCount"):
        c.mark(s, "minCount")
        n = int(mc.value)
        if n > 0:
            parts.append("NOT " + _distinct_values(c, x, path, n))
    for mc in c.sh(s, "maxCount"):
        c.mark(s, "maxCount")
        parts.append(_distinct_values(c, x, path, int(mc.value) + 1))
    return parts


def _distinct_values(c: Compiler, x: str, path: str, n: int) -> str:
    """EXISTS: `x` has at least `n` distinct values on `path`."""
    vs = [c.var() for _ in range(n)]
    distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:])
    pats = " . ".join(f"{x} {path} {a}" for a in vs)
    return f"EXISTS {{ {pats} . FILTER({distinct or 'true'}) }}"
