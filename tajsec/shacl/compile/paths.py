"""SHACL 2.3.1, property paths, as SPARQL property paths."""
from __future__ import annotations

import pyoxigraph as ox

from tajsec.shacl.shapes import RDF, SH, Node, ShapesGraph, Unsupported, n3


def sparql_path(sg: ShapesGraph, node: Node | None) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(node, ox.NamedNode):
        return n3(node)
    if isinstance(node, ox.Literal) or node is None:
        raise Unsupported("a literal as sh:path" if node is not None else "a malformed sh:path")
    po = sg.spo.get(node, {})
    if RDF + "first" in po:
        return "(" + "/".join(sparql_path(sg, x) for x in sg.rdf_list(node)) + ")"
    if SH + "inversePath" in po:
        return "^(" + sparql_path(sg, po[SH + "inversePath"][0]) + ")"
    if SH + "alternativePath" in po:
        return "(" + "|".join(sparql_path(sg, x) for x in sg.rdf_list(po[SH + "alternativePath"][0])) + ")"
    for key, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        if SH + key in po:
            return "(" + sparql_path(sg, po[SH + key][0]) + ")" + op
    raise Unsupported("a malformed sh:path")


def path_predicates(sg: ShapesGraph, node: Node | None) -> set[str]:
    """Every predicate IRI in a SHACL path (a superset of those whose objects are values)."""
    if isinstance(node, ox.NamedNode):
        return {node.value}
    out: set[str] = set()
    if node is None:
        return out
    for p, objs in sg.spo.get(node, {}).items():
        for o in objs:
            if p == RDF + "first" or p.startswith(SH) or (p == RDF + "rest" and isinstance(o, ox.BlankNode)):
                out |= path_predicates(sg, o)
    return out
