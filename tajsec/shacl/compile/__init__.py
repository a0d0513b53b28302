"""SHACL Core shapes compiled to SPARQL SELECT queries (one module per chapter of the spec).

Every shape with a target becomes a few queries returning the rows (focus node, value) that
violate a constraint: the focus nodes are a sub-select (`?this rdf:type/rdfs:subClassOf* C`,
`sh:targetNode`, ...; targets.py), the value nodes the shape's path as a SPARQL property path
(paths.py), and each constraint component a FILTER expression. Constraints that share focus
nodes and value pattern run as one query whose rows carry a bit mask of the constraints that
failed (query.batch). Shapes used inside others (`sh:node`, `sh:or`, `sh:xone`, `sh:and`,
`sh:not`, a nested `sh:property`) compile into one boolean expression "this node does not
conform" (core.Compiler.fails), with EXISTS / NOT EXISTS for cardinalities.

Never silently: a shape this compiler cannot do (SPARQL-based constraint components, SHACL-AF
rules and targets, recursive shapes, a parameter SHACL does not define where it stands, a
qualified count above shape_based.NESTED_QUALIFIED_LIMIT in a nested shape), and a shape with
any constraint parameter the compiler met but did not translate (core.Compiler.uncompiled), is
listed in `unsupported` with the reason and validated by pySHACL instead (tajsec.shacl.engine)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from tajsec.shacl.compile.core import Compiler
from tajsec.shacl.compile.query import Query, batch
from tajsec.shacl.compile.targets import focus_select, root_shapes
from tajsec.shacl.shapes import SH, ShapesGraph, Unsupported, label

__all__ = ["Compiled", "Query", "compile_graph", "compile_shapes", "queries", "unsupported_shapes"]


@dataclass
class Compiled:
    queries: list[Query] = field(default_factory=list)
    unsupported: list[tuple[str, str]] = field(default_factory=list)   # (root shape, reason)
    unsupported_roots: list = field(default_factory=list)
    datatypes: dict = field(default_factory=dict)   # checked datatype -> predicates to scan (None: all)
    sg: ShapesGraph = field(default_factory=lambda: ShapesGraph([]))


_CACHE: dict[str, Compiled] = {}


def compile_shapes(shape_files: Iterable[Path | str]) -> Compiled:
    """Compile the shapes in `shape_files` (cached by their content)."""
    blobs = [Path(f).read_bytes() for f in shape_files]
    key = hashlib.sha256(b"\0".join(blobs) + "|".join(str(f) for f in shape_files).encode()).hexdigest()
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    compiled = compile_graph(ShapesGraph.from_files(shape_files))
    _CACHE.clear()
    _CACHE[key] = compiled
    return compiled


def compile_graph(sg: ShapesGraph) -> Compiled:
    out = Compiled(sg=sg)
    comp = Compiler(sg)
    for s in root_shapes(sg):
        if comp.deactivated(s):
            continue
        comp.done = set()
        try:
            if sg.has(s, SH + "target") or sg.has(s, SH + "rule"):
                comp.check_params(s)
            focus = focus_select(sg, s)
            found = comp.root_queries(s, focus)
            missing = comp.uncompiled(s)
            if missing:
                raise Unsupported("not compiled: "
                                  + ", ".join(f"sh:{name} on {label(shape)}" for shape, name in missing))
            out.queries.extend(found)
        except Unsupported as e:
            out.unsupported.append((s.value if isinstance(s, ox.NamedNode) else str(s), str(e)))
            out.unsupported_roots.append(s)
    out.datatypes = comp.datatypes
    out.queries = batch(out.queries)
    return out


def unsupported_shapes(shape_files: Iterable[Path | str]) -> list[tuple[str, str]]:
    """The shapes (with targets) this engine hands to pySHACL, each with the reason."""
    return list(compile_shapes(shape_files).unsupported)


def queries(shape_files: Iterable[Path | str]) -> list[Query]:
    """The compiled queries (for inspection and profiling)."""
    return list(compile_shapes(shape_files).queries)
