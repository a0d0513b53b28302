"""How far the shapes read from a focus node: what incremental validation needs to know to find
the focus nodes an edit can affect (tajsec.quality.incremental).

`reach(shape_files)` gives the number of hops a shape's checks follow from its focus node (along
sh:path, nested shapes, sh:class's rdf:type of a value, property pairs, SPARQL constraints) and
the predicates some path follows backwards (sh:inversePath). It returns None when no bound can
be given: a path of unbounded length (sh:zeroOrMorePath, sh:oneOrMorePath), shapes nesting each
other in a cycle, or a SPARQL constraint that reads anything but forwards from $this. The
caller then validates everything."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from tajsec.shacl.shapes import SH, Node, ShapesGraph, Unsupported

_NESTED = ("node", "qualifiedValueShape")      # a shape applied to each value: one hop further
_SAME_FOCUS = ("and", "or", "xone")            # lists of shapes applied to the same node
_PAIRS = ("equals", "disjoint", "lessThan", "lessThanOrEquals")
_UNBOUNDED = ("zeroOrMorePath", "oneOrMorePath")


class _Unbounded(Exception):
    pass


@dataclass
class Reach:
    """`hops`: the longest chain of triples a check reads, from its focus node; `inverse`: the
    predicates read from object to subject."""
    hops: int
    inverse: set[str] = field(default_factory=set)


def reach(shape_files: Iterable[Path | str]) -> Reach | None:
    """How far the shapes in `shape_files` read from a focus node, or None if unbounded."""
    sg = ShapesGraph.from_files(shape_files)
    walker = _Walker(sg)
    try:
        shapes = set(sg.subjects_with(SH + "property")) | set(sg.subjects_with(SH + "path"))
        for p in _NESTED + _SAME_FOCUS + ("not", "sparql", "class", "closed") + _PAIRS:
            shapes |= set(sg.subjects_with(SH + p))
        hops = max((walker.shape(s, ()) for s in shapes), default=0)
    except (_Unbounded, Unsupported):
        return None
    return Reach(hops, walker.inverse)


class _Walker:
    def __init__(self, sg: ShapesGraph):
        self.sg = sg
        self.inverse: set[str] = set()

    def shape(self, s: Node, stack: tuple) -> int:
        """Hops read from the node that shape `s` checks (for a property shape: its path, then
        whatever is checked on the values)."""
        if s in stack:
            raise _Unbounded
        stack = (*stack, s)
        sg = self.sg
        at_values = 0   # hops read from each value node (or the focus node, for a node shape)
        for p in _NESTED:
            for nested in sg.objs(s, SH + p):
                at_values = max(at_values, 1 + self.shape(nested, stack))
        for p in _SAME_FOCUS:
            for lst in sg.objs(s, SH + p):
                for member in sg.rdf_list(lst):
                    at_values = max(at_values, self.shape(member, stack))
        for member in sg.objs(s, SH + "not"):
            at_values = max(at_values, self.shape(member, stack))
        for prop in sg.objs(s, SH + "property"):
            at_values = max(at_values, self.shape(prop, stack))
        if sg.has(s, SH + "class"):
            at_values = max(at_values, 1)   # the value's rdf:type (the class hierarchy is the ontology's)
        if sg.has(s, SH + "closed") or any(sg.has(s, SH + p) for p in _PAIRS):
            at_values = max(at_values, 1)
        for constraint in sg.objs(s, SH + "sparql"):
            at_values = max(at_values, self._sparql(constraint))
        path = sg.one(s, SH + "path")
        return at_values if path is None else self.path(path, forward=True) + at_values

    def path(self, node: Node | None, forward: bool) -> int:
        sg = self.sg
        if isinstance(node, ox.NamedNode):
            if not forward:
                self.inverse.add(node.value)
            return 1
        if isinstance(node, ox.Literal):
            raise Unsupported("a literal as a path")
        inner = sg.one(node, SH + "inversePath")
        if inner is not None:
            return self.path(inner, not forward)
        alternatives = sg.one(node, SH + "alternativePath")
        if alternatives is not None:
            return max((self.path(m, forward) for m in sg.rdf_list(alternatives)), default=0)
        if any(sg.has(node, SH + p) for p in _UNBOUNDED):
            raise _Unbounded
        optional = sg.one(node, SH + "zeroOrOnePath")
        if optional is not None:
            return self.path(optional, forward)
        return sum(self.path(m, forward) for m in sg.rdf_list(node))   # a sequence path

    def _sparql(self, constraint: Node) -> int:
        """A SPARQL constraint made of basic triple patterns reading forwards from $this: the
        longest chain of patterns from $this. Anything else: unbounded."""
        select = self.sg.one(constraint, SH + "select")
        if select is None:
            raise _Unbounded
        text = select.value
        where = re.sub(r"<[^>]*>", "<i>", text[text.find("{") + 1:text.rfind("}")])
        where = re.sub(r"\b(FILTER|BIND)\s*\(.*", "", where, flags=re.I)   # expressions read no triples
        if re.search(r"[{}\[\]^*+|/]|\b(SELECT|GRAPH|SERVICE|OPTIONAL|MINUS|EXISTS|VALUES)\b", where, re.I):
            raise _Unbounded
        edges: dict[str, set[str]] = {}
        for statement in where.split(" ."):
            tokens = statement.replace(";", " ; ").replace(",", " , ").split()
            if not tokens:
                continue
            subject, rest = tokens[0], tokens[1:]
            for pair in " ".join(rest).split(";"):
                parts = pair.split()
                if not parts:
                    continue
                predicate, objects = parts[0], [o for o in parts[1:] if o != ","]
                for term in [predicate, *objects]:
                    if term.lstrip("$?") == "this":
                        raise _Unbounded   # $this read from another node's side
                if subject.startswith(("$", "?")):
                    edges.setdefault(subject.lstrip("$?"), set()).update(
                        o.lstrip("$?") for o in objects if o[0] in "$?")
        depth, frontier, seen = 0, {"this"}, {"this"}
        while frontier:
            depth += 1
            frontier = {n for f in frontier for n in edges.get(f, ()) if n not in seen}
            seen |= frontier
        subjects = set(edges)
        if subjects - seen:
            raise _Unbounded   # a pattern not reached from $this
        return depth
