"""SHACL 5, SPARQL-based constraints (sh:sparql with sh:select): run with the focus nodes joined
in first in their WHERE clause, which is what pre-binding $this means for the queries SHACL
allows."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.shacl.compile.query import Query
from tajsec.shacl.shapes import SH, Node, Unsupported, label, n3

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Compiler

COMPONENT = SH + "SPARQLConstraintComponent"


def queries(c: Compiler, s: Node, focus: str, path: str | None = None) -> list[Query]:
    out = []
    for constraint in c.sh(s, "sparql"):
        c.mark(s, "sparql")
        out.extend(_query(c, s, constraint, focus, path))
    return out


def _query(c: Compiler, s: Node, constraint: Node, focus: str, path: str | None) -> list[Query]:
    if c.deactivated(constraint):
        return []
    select = c.sg.one(constraint, SH + "select")
    if select is None:
        raise Unsupported(f"an sh:sparql constraint without sh:select ({label(constraint)})")
    text = select.value
    if re.search(r"\$shapesGraph\b|\?shapesGraph\b", text):
        raise Unsupported("$shapesGraph in a SPARQL constraint")
    if re.search(r"\bSERVICE\b|\bMINUS\b|\bVALUES\b", text, re.I):
        raise Unsupported("SERVICE, MINUS or VALUES in a SPARQL constraint")
    text = re.sub(r"[$?]currentShape\b", n3(s) if isinstance(s, ox.NamedNode) else "?currentShape", text)
    if "?currentShape" in text:
        raise Unsupported("$currentShape of a blank-node shape")
    if path is not None:
        text = re.sub(r"\$PATH\b", path, text)
    q = inject_focus(_prefixes(c, constraint) + text, focus)
    message = c.message(constraint) or c.message(s)
    path_node = c.sh1(s, "path") if c.is_property_shape(s) else None
    result_path = path_node if isinstance(path_node, (ox.NamedNode, ox.BlankNode)) else None
    return [Query(q, s, COMPONENT, c.severity(s), message,
                  "Parameterised SHACL Query generated constraint validation reports.",
                  result_path, "sparql", kind="sparql")]


def _prefixes(c: Compiler, constraint: Node) -> str:
    out = []
    for p in c.sg.objs(constraint, SH + "prefixes"):
        for decl in c.sg.objs(p, SH + "declare"):
            pre = c.sg.one(decl, SH + "prefix")
            ns = c.sg.one(decl, SH + "namespace")
            if pre is not None and ns is not None:
                out.append(f"PREFIX {pre.value}: <{ns.value}>\n")
    return "".join(out)


def inject_focus(query: str, focus: str) -> str:
    """Put the focus-node sub-select first in the WHERE clause of a SELECT query, and make sure
    ?this is projected."""
    i, n = 0, len(query)
    select_at = None
    brace = None
    while i < n:
        ch = query[i]
        if ch == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if ch in "\"'":
            triple = query[i:i + 3] in ('"""', "'''")
            end = query[i:i + 3] if triple else ch
            j = i + len(end)
            while j < n and query[j:j + len(end)] != end:
                j += 2 if query[j] == "\\" else 1
            i = j + len(end)
            continue
        if ch == "<" and select_at is None:
            j = query.find(">", i)
            i = n if j < 0 else j + 1
            continue
        if select_at is None and query[i:i + 6].upper() == "SELECT" and (i == 0 or not query[i - 1].isalnum()):
            select_at = i
        if ch == "{" and select_at is not None:
            brace = i
            break
        i += 1
    if select_at is None or brace is None:
        raise Unsupported("a SPARQL constraint that is not a SELECT query")
    projection = query[select_at + 6:brace]
    m = re.match(r"\s*((?:DISTINCT|REDUCED)\s+)?", projection, re.I)
    assert m is not None  # every string matches: both parts may be empty
    head = query[:select_at + 6]
    if "*" not in projection and not re.search(r"[?$]this\b", projection.split("WHERE")[0].split("where")[0]):
        projection = projection[:m.end()] + "?this " + projection[m.end():]
    return head + projection + "{ " + focus + " " + query[brace + 1:]
