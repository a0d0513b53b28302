"""The compiler core: walks the shapes, asks each spec chapter's module for its constraints,
and keeps a ledger of the (shape, parameter) pairs it translated, so that nothing it meets is
skipped silently (`uncompiled`)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from tajsec.shacl.compile import (
    cardinality,
    logical,
    other,
    paths,
    property_pair,
    shape_based,
    sparql,
    string_based,
    value_range,
    value_type,
)
from tajsec.shacl.compile.query import Query
from tajsec.shacl.result import VIOLATION
from tajsec.shacl.shapes import SH, Node, ShapesGraph, Unsupported, is_true, label

Check = tuple[str, str, str]   # (constraint name, SPARQL expression true when the node fails, generic message)

# The parameters of the SHACL Core constraint components, and of SPARQL-based constraints.
CONSTRAINT_PARAMETERS = (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
    "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint",
    "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "property", "qualifiedValueShape",
    "closed", "hasValue", "in", "sparql",
)
PROPERTY_SHAPES_ONLY = ("minCount", "maxCount", "lessThan", "lessThanOrEquals", "uniqueLang", "qualifiedValueShape")
# parameters that are not constraints of their own (or belong to one listed above)
_NON_CONSTRAINT = {
    "path", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "severity",
    "message", "deactivated", "name", "description", "order", "group", "defaultValue", "flags",
    "ignoredProperties", "declare", "prefixes", "select", "ask", "parameter", "labelTemplate",
    "shapesGraph", "entailment", "suggestedShapesGraph", "optional", "resultAnnotation",
    "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath", "inversePath", "alternativePath", "first", "rest",
    "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",   # of sh:qualifiedValueShape
}
_UNSUPPORTED = {"js": "sh:js", "rule": "SHACL-AF sh:rule", "target": "SHACL-AF sh:target",
                "expression": "SHACL-AF sh:expression"}


def component(name: str) -> str:
    """The IRI of the constraint component of parameter `name` (sh:class: sh:ClassConstraintComponent)."""
    return f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent"


@dataclass
class PropertyScope:
    """What the report queries of one property shape share."""
    c: Compiler
    s: Node
    focus: str
    path: str
    rpath: ox.NamedNode | ox.BlankNode | None
    out: list[Query] = field(default_factory=list)

    def add(self, name: str, q: str, generic: str, value: str | None = "value", kind: str = "core",
            pattern: str | None = None, expr: str | None = None) -> None:
        c = self.c
        self.out.append(Query(q, self.s, component(name), c.severity(self.s), c.message(self.s), generic, self.rpath,
                              value, kind, focus=self.focus if expr else None, pattern=pattern, expr=expr))


class Compiler:
    def __init__(self, sg: ShapesGraph) -> None:
        self.sg = sg
        self.n = 0
        self.datatypes: dict[str, set | None] = {}   # checked datatype -> predicates of its values
        self.stack: list = []
        self.ctx: list = []   # predicates whose objects are the current value nodes (None: any)
        self.done: set[tuple[object, str]] = set()   # (shape, parameter) pairs translated
        self._custom: set | None = None

    # -- helpers ------------------------------------------------------------------------------

    def var(self, base: str = "v") -> str:
        self.n += 1
        return f"?_{base}{self.n}"

    def sh(self, s: Node, name: str) -> list[Node]:
        return self.sg.objs(s, SH + name)

    def sh1(self, s: Node, name: str) -> Node | None:
        return self.sg.one(s, SH + name)

    def mark(self, s: Node, name: str) -> None:
        self.done.add((s, name))

    def deactivated(self, s: Node) -> bool:
        return is_true(self.sh1(s, "deactivated"))

    def is_property_shape(self, s: Node) -> bool:
        return self.sg.has(s, SH + "path")

    def severity(self, s: Node) -> str:
        sev = self.sh1(s, "severity")
        return sev.value if isinstance(sev, ox.NamedNode) else VIOLATION.value

    def message(self, s: Node) -> str | None:
        msgs = self.sh(s, "message")
        if not msgs:
            return None
        en = [m for m in msgs if isinstance(m, ox.Literal) and (m.language or "").lower().startswith("en")]
        return sorted(m.value for m in (en or msgs))[0]

    def scan_datatype(self, datatype: str) -> None:
        """Ask for the ill-typed literals of `datatype` among the objects of the current path."""
        where = self.ctx[-1] if self.ctx else None
        known = self.datatypes.get(datatype, set())
        self.datatypes[datatype] = None if where is None or known is None else known | where

    def check_params(self, s: Node) -> None:
        po = self.sg.spo.get(s, {})
        for name, what in _UNSUPPORTED.items():
            if SH + name in po:
                raise Unsupported(f"{what} (on {label(s)})")
        if not self.is_property_shape(s):
            for name in PROPERTY_SHAPES_ONLY:
                if SH + name in po:
                    raise Unsupported(f"sh:{name} on a node shape, where SHACL does not define it (on {label(s)})")
        for p in po:
            if p.startswith(SH) and p[len(SH):] not in _NON_CONSTRAINT and p[len(SH):] not in CONSTRAINT_PARAMETERS:
                # a parameter of a custom (SPARQL-based) constraint component or a typo
                raise Unsupported(f"unknown SHACL parameter sh:{p[len(SH):]} (on {label(s)})")
        for p in po:
            if not p.startswith(SH) and self._is_custom_parameter(p):
                raise Unsupported(f"a parameter of a custom constraint component <{p}> (on {label(s)})")

    def _is_custom_parameter(self, p: str) -> bool:
        if self._custom is None:
            self._custom = set()
            for comp in self.sg.subjects_with(SH + "parameter"):
                for param in self.sg.objs(comp, SH + "parameter"):
                    path = self.sg.one(param, SH + "path")
                    if isinstance(path, ox.NamedNode):
                        self._custom.add(path.value)
        return p in self._custom

    # -- value-level constraints: FILTER expressions that are true when value node `v` fails --

    def value_constraints(self, s: Node, v: str) -> list[Check]:
        """(constraint name, failure expression over v, generic message) for each value-level
        constraint of shape s, in pySHACL's granularity (one per sh:class, per sh:node, ...)."""
        out = value_type.value_checks(self, s, v)
        out += value_range.value_checks(self, s, v)
        out += string_based.value_checks(self, s, v)
        out += other.in_checks(self, s, v)
        if not self.is_property_shape(s):
            out += other.has_value_checks(self, s, v)
        out += shape_based.node_checks(self, s, v)
        out += logical.value_checks(self, s, v)
        out += other.closed_checks(self, s, v)
        for name, _, _ in out:
            self.mark(s, name)
        return out

    # -- nested conformance: an expression true when node x does not conform to shape s ------

    def fails(self, s: Node, x: str) -> str:
        if self.deactivated(s):
            return "false"
        if s in self.stack:
            raise Unsupported(f"a recursive shape ({label(s)})")
        self.stack.append(s)
        try:
            self.check_params(s)
            if self.sh(s, "sparql"):
                raise Unsupported(f"sh:sparql in a shape used inside another ({label(s)})")
            if self.is_property_shape(s):
                parts = self.property_fails(s, x)
            else:
                parts = [expr for _, expr, _ in self.value_constraints(s, x)]
                parts += property_pair.node_fails(self, s, x)
                parts += [self.fails(ps, x) for ps in self.nested_property_shapes(s)]
            return "(" + " || ".join(parts) + ")" if parts else "false"
        finally:
            self.stack.pop()

    def nested_property_shapes(self, s: Node) -> list[Node]:
        self.mark(s, "property")
        return [ps for ps in self.sh(s, "property") if not self.deactivated(ps)]

    def property_fails(self, s: Node, x: str) -> list[str]:
        self.ctx.append(paths.path_predicates(self.sg, self.sh1(s, "path")))
        try:
            path = paths.sparql_path(self.sg, self.sh1(s, "path"))
            parts = cardinality.fails(self, s, x, path)
            parts += shape_based.qualified_fails(self, s, x, path)
            parts += other.has_value_fails(self, s, x, path)
            v = self.var()
            vals = [expr for _, expr, _ in self.value_constraints(s, v)]
            # a property shape nested in this one: its focus nodes are this one's value nodes
            vals += [self.fails(ps, v) for ps in self.nested_property_shapes(s)]
            if vals:
                parts.append(f"EXISTS {{ {x} {path} {v} . FILTER({' || '.join(vals)}) }}")
            parts += property_pair.fails(self, s, x, path)
            parts += string_based.unique_lang_fails(self, s, x, path)
            return parts
        finally:
            self.ctx.pop()

    # -- root shapes: the report queries ------------------------------------------------------

    def root_queries(self, s: Node, focus: str) -> list[Query]:
        self.check_params(s)
        # the value nodes of a node shape are its focus nodes: literals only through
        # sh:targetObjectsOf (or a literal sh:targetNode)
        if any(isinstance(n, ox.Literal) for n in self.sh(s, "targetNode")):
            self.ctx = [None]
        else:
            self.ctx = [{p.value for p in self.sh(s, "targetObjectsOf") if isinstance(p, ox.NamedNode)}]
        self.stack = [s]
        if self.is_property_shape(s):
            return self.property_queries(s, focus, root=True)
        out = self.node_queries(s, focus)
        for ps in self.nested_property_shapes(s):
            out.extend(self.property_queries(ps, focus))
        return out

    def node_queries(self, s: Node, focus: str) -> list[Query]:
        sev, msg = self.severity(s), self.message(s)
        out = []
        for name, expr, generic in self.value_constraints(s, "?this"):
            if name == "closed":
                out.append(Query(other.closed_query(self, s, focus), s, component(name), sev, msg, generic, None,
                                 "value", kind="closed"))
                continue
            q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({expr}) }}"
            # sh:hasValue reports no sh:value (SHACL 4.8.3); the others the focus node
            value = None if name == "hasValue" else "this"
            out.append(Query(q, s, component(name), sev, msg, generic, None, value,
                             focus=focus, pattern="", expr=expr))
        for name, q, generic in property_pair.node_queries(self, s, focus):
            out.append(Query(q, s, component(name), sev, msg, generic, None, "value"))
        out.extend(sparql.queries(self, s, focus))
        return out

    def property_queries(self, s: Node, focus: str, root: bool = False) -> list[Query]:
        """The report queries of property shape s for the focus nodes bound by `focus` (`root`:
        s is the root shape, already on the stack and checked)."""
        if not root:
            if s in self.stack:
                raise Unsupported(f"a recursive shape ({label(s)})")
            self.check_params(s)
        self.stack.append(s)
        self.ctx.append(paths.path_predicates(self.sg, self.sh1(s, "path")))
        try:
            path_node = self.sh1(s, "path")
            path = paths.sparql_path(self.sg, path_node)
            rpath = path_node if isinstance(path_node, (ox.NamedNode, ox.BlankNode)) else None
            scope = PropertyScope(self, s, focus, path, rpath)
            cardinality.queries(scope)
            shape_based.qualified_queries(scope)
            other.has_value_queries(scope)
            for name, expr, generic in self.value_constraints(s, "?value"):
                if name == "closed":
                    raise Unsupported("sh:closed on a property shape")
                q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . FILTER({expr}) }}"
                scope.add(name, q, generic, pattern=f"?this {path} ?value .", expr=expr)
            property_pair.queries(scope)
            string_based.unique_lang_queries(scope)
            scope.out.extend(sparql.queries(self, s, focus, path))
            for ps in self.nested_property_shapes(s):
                inner = shape_based.value_nodes_focus(focus, path, self.n)
                self.n += 1
                for nested in self.property_queries(ps, inner):
                    nested.fanout = nested.fanout or inner
                    scope.out.append(nested)
            return scope.out
        finally:
            self.ctx.pop()
            self.stack.pop()

    # -- the ledger -----------------------------------------------------------------------------

    def uncompiled(self, root: Node) -> list[tuple[Node, str]]:
        """The (shape, parameter) pairs reachable from `root` that no query or expression checks."""
        missing, seen, todo = [], set(), [root]
        while todo:
            s = todo.pop()
            if s in seen or self.deactivated(s):
                continue
            seen.add(s)
            po = self.sg.spo.get(s, {})
            missing += [(s, name) for name in CONSTRAINT_PARAMETERS if SH + name in po and (s, name) not in self.done]
            for name in ("property", "node", "not"):
                todo.extend(self.sh(s, name))
            if self.sh(s, "qualifiedMinCount") or self.sh(s, "qualifiedMaxCount"):
                # a qualified value shape without either count declares no constraint (SHACL 4.7.3)
                todo.extend(self.sh(s, "qualifiedValueShape"))
            for name in ("and", "or", "xone"):
                for lst in self.sh(s, name):
                    todo.extend(self.sg.rdf_list(lst))
        return missing
