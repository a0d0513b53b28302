"""SHACL 4.7, shape-based constraint components: sh:node, sh:property (nested in another
shape: Compiler.fails and Compiler.property_queries), sh:qualifiedValueShape (not compiled:
Compiler.check_params sends it to pySHACL)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tajsec.shacl.shapes import Node, label

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Check, Compiler


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
