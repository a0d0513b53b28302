"""SHACL 4.6, logical constraint components: sh:not, sh:and, sh:or, sh:xone. Each member shape
compiles to one expression "this node does not conform" (Compiler.fails)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from tajsec.shacl.shapes import Node, label, labels

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Check, Compiler


def value_checks(c: Compiler, s: Node, v: str) -> list[Check]:
    out = []
    for lst in c.sh(s, "or"):
        c.mark(s, "or")
        members = _active(c, lst)
        if members:
            out.append(("or", "(" + " && ".join(c.fails(m, v) for m in members) + ")",
                        f"Node {{value}} must conform to one or more shapes in {labels(members)}"))
    for lst in c.sh(s, "and"):
        c.mark(s, "and")
        members = _active(c, lst)
        if members:
            out.append(("and", "(" + " || ".join(c.fails(m, v) for m in members) + ")",
                        f"Node {{value}} must conform to all shapes in {labels(members)}"))
    for lst in c.sh(s, "xone"):
        c.mark(s, "xone")
        members = _active(c, lst)
        if members:
            count = " + ".join(f"IF({c.fails(m, v)}, 0, 1)" for m in members)
            out.append(("xone", f"(({count}) != 1)",
                        f"Node {{value}} must conform to exactly one shape in {labels(members)}"))
    for ref in c.sh(s, "not"):
        c.mark(s, "not")
        if c.deactivated(ref):
            continue
        out.append(("not", f"!({c.fails(ref, v)})", f"Node {{value}} must not conform to shape {label(ref)}"))
    return out


def _active(c: Compiler, lst: Node) -> list[Node]:
    return [m for m in c.sg.rdf_list(lst) if not c.deactivated(m)]
