"""SHACL 2.1.3, targets: the shapes that have focus nodes, and the sub-select binding them."""
from __future__ import annotations

import pyoxigraph as ox

from tajsec.shacl.shapes import OWL, RDF, RDFS, SH, Node, ShapesGraph, Unsupported, label, n3
from tajsec.shacl.terms import constant

TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")


def root_shapes(sg: ShapesGraph) -> list:
    """Shapes with a target (SHACL-AF sh:target and sh:rule included: they go to pySHACL), and
    shapes that are classes (implicit class targets), in a stable order without repeats."""
    roots = []
    for t in TARGETS:
        roots.extend(sg.subjects_with(SH + t))
    for s, po in sg.spo.items():
        types = {x.value for x in po.get(RDF + "type", []) if isinstance(x, ox.NamedNode)}
        if types & {RDFS + "Class", OWL + "Class"} and types & {SH + "NodeShape", SH + "PropertyShape"}:
            roots.append(s)
    roots.extend(sg.subjects_with(SH + "rule"))
    return list(dict.fromkeys(roots))


def focus_select(sg: ShapesGraph, s: Node) -> str:
    """A sub-select binding ?this to the focus nodes of shape s (one of root_shapes)."""
    branches = []
    classes = list(sg.objs(s, SH + "targetClass"))
    types = {t.value for t in sg.objs(s, RDF + "type") if isinstance(t, ox.NamedNode)}
    if types & {RDFS + "Class", OWL + "Class"}:
        classes.append(s)  # implicit class target
    for c in classes:
        branches.append(f"{{ ?this <{RDF}type>/<{RDFS}subClassOf>* {n3(c)} }}")
    nodes = sg.objs(s, SH + "targetNode")
    if nodes:
        values = " ".join(constant(n) if isinstance(n, ox.Literal) else n3(n) for n in nodes)
        branches.append("{ VALUES ?this { " + values + " } }")
    for p in sg.objs(s, SH + "targetSubjectsOf"):
        branches.append(f"{{ ?this {n3(p)} [] }}")
    for p in sg.objs(s, SH + "targetObjectsOf"):
        branches.append(f"{{ [] {n3(p)} ?this }}")
    if not branches:
        raise Unsupported(f"no target ({label(s)})")   # not one of root_shapes
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(branches) + " } }"
