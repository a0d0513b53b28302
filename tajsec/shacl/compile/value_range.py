"""SHACL 4.3, value range constraint components: sh:minInclusive, sh:maxInclusive,
sh:minExclusive, sh:maxExclusive."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.shacl.shapes import Node, Unsupported, n3
from tajsec.shacl.terms import value_of

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Check, Compiler

_OPERATORS = (("minInclusive", ">="), ("maxInclusive", "<="), ("minExclusive", ">"), ("maxExclusive", "<"))


def value_checks(c: Compiler, s: Node, v: str) -> list[Check]:
    # a comparison SPARQL cannot make (a string against a number) is a violation, as the spec says
    out = []
    for name, op in _OPERATORS:
        for limit in c.sh(s, name):
            if not isinstance(limit, ox.Literal):
                raise Unsupported(f"sh:{name} that is not a literal")
            out.append((name, f"!COALESCE(isLiteral({v}) && {value_of(v)} {op} {n3(limit)}, false)",
                        f"Value is not {op} {limit.value}"))
    return out
