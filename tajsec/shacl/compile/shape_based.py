"""SHACL 4.7, shape-based constraint components: sh:node, sh:property (nested in another
shape: Compiler.fails and Compiler.property_queries), sh:qualifiedValueShape (not compiled:
Compiler.check_params sends it to pySHACL)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from tajsec.shacl.shapes import label

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Check, Compiler


def node_checks(c: Compiler, s, v: str) -> list[Check]:
    return [("node", c.fails(ref, v), f"Value does not conform to Shape {label(ref)}. See details for more information.")
            for ref in c.sh(s, "node")]


def value_nodes_focus(outer_focus: str, path: str, n: int) -> str:
    """A focus sub-select binding ?this to the values of `path` of the outer focus nodes: the
    focus nodes of a property shape nested in a property shape."""
    outer = f"?_outer{n}"
    return (f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT (?this AS {outer}) WHERE {{ {outer_focus} }} }} "
            f"{outer} {path} ?this }} }}")
