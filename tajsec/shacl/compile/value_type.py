"""SHACL 4.1, value type constraint components: sh:class, sh:datatype, sh:nodeKind."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import shorten
from tajsec.core.xsd import INTEGER_RANGES, LEXICAL_SPACES
from tajsec.shacl.shapes import RDF, RDFS, SH, XSD, Node, Unsupported, n3
from tajsec.shacl.terms import has_datatype

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Check, Compiler

_NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isIRI({v}) || isBlank({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}


def value_checks(c: Compiler, s: Node, v: str) -> list[Check]:
    out = []
    for cls in c.sh(s, "class"):
        term = n3(cls)
        # the direct rdf:type first (one index lookup; the built graph has the type closure);
        # IF, not &&, because only IF is sure to skip its other branch (measured: && let the
        # optimiser evaluate the path for the whole graph, 20x slower on some runs)
        out.append(("class", (f"(isLiteral({v}) || IF(EXISTS {{ {v} <{RDF}type> {term} }}, false, "
                             f"NOT EXISTS {{ {v} <{RDF}type>/<{RDFS}subClassOf>* {term} }}))"),
                    f"Value does not have class {shorten(cls.value)}"))
    for d in c.sh(s, "datatype"):
        out.append(("datatype", f"!({datatype_ok(c, v, d)})", f"Value is not Literal with datatype {shorten(d.value)}"))
    for k in c.sh(s, "nodeKind"):
        name = k.value[len(SH):] if isinstance(k, ox.NamedNode) and k.value.startswith(SH) else None
        if name not in _NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {k}")
        out.append(("nodeKind", "!" + _NODE_KINDS[name].format(v=v), f"Value is not of Node Kind {shorten(k.value)}"))
    return out


def datatype_ok(c: Compiler, v: str, d: Node) -> str:
    """True when `v` is a literal of datatype `d`. For the XSD datatypes whose lexical space we
    know, the ill-typed literals are found before the queries run (the {ILL|...} placeholder)."""
    if not isinstance(d, ox.NamedNode):
        raise Unsupported("sh:datatype that is not an IRI")
    if d.value == RDF + "langString":
        return f"(isLiteral({v}) && LANG({v}) != \"\")"
    if d.value == RDFS + "Literal":
        return f"isLiteral({v})"
    base = has_datatype(v, d.value)
    name = d.value[len(XSD):] if d.value.startswith(XSD) else None
    if name in LEXICAL_SPACES or name in INTEGER_RANGES:
        c.scan_datatype(d.value)
        return f"({base} && !{{ILL|{d.value}|{v}}})"
    return base  # xsd:string, or a datatype whose lexical space we do not know: as pySHACL, accept
