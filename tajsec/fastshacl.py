"""Fast SHACL validation: SHACL-core shapes compiled to SPARQL and run on pyoxigraph.

`validate(data, shape_files)` returns the validation results as the same dicts as
`tajsec.shacl.validate` (pySHACL) does, sorted the same way:

    {"focusNode", "resultPath", "value", "sourceShape", "sourceConstraintComponent",
     "severity", "message"}      # IRIs and lexical forms as strings, severity the full IRI

How it works. Every shape with a target becomes a few SPARQL SELECT queries returning the
rows (focus node, value) that violate a constraint: the focus nodes are a sub-select
(`?this rdf:type/rdfs:subClassOf* C`, `sh:targetNode`, ...), the value nodes the shape's path
as a SPARQL property path, and each constraint component a FILTER expression. Constraints
that share focus nodes and value pattern run as one query whose rows carry a bit mask of
the constraints that failed (one pass over the focus nodes per property shape, not one per
constraint). Shapes used inside others (`sh:node`, `sh:or`, `sh:xone`, `sh:and`, `sh:not`)
compile into one boolean expression "this node does not conform", with EXISTS / NOT EXISTS
for cardinalities. sh:class tries the direct rdf:type first (the built graph carries the type
closure), then `rdf:type/rdfs:subClassOf*`. SPARQL-based constraints (`sh:sparql` with
`sh:select`) run with the focus nodes joined in first in their WHERE clause, which is what
pre-binding `$this` means for the queries SHACL allows.

Ill-typed literals. pyoxigraph keeps ill-typed literals as written, and rdflib (so pySHACL)
does not check most XSD lexical spaces: `"2004-13"^^xsd:gYearMonth`, `"1_000"^^xsd:integer`
or `"2004-01-01T10:00:00"^^xsd:date` pass pySHACL's sh:datatype. Here, before the queries
run, one query finds the literals of the checked XSD datatypes that pyoxigraph could not
parse, among the objects of the predicates that sh:datatype constraints see, and
`xsd_well_formed` (XSD 1.1 lexical spaces, day-of-month included) decides which of them are
ill-typed; sh:datatype then fails on exactly those. This is the deliberate difference from
pySHACL (see `pyshacl_accepts`). Two more, outside our shapes: a comparison SPARQL cannot
make (`"abc"@en` against `sh:minInclusive "b"`) is a violation here, as the SHACL spec says,
where rdflib orders the two; and `sh:node` may point at a property shape (pySHACL refuses).

Shapes this compiler cannot do (`unsupported_shapes` lists them with the reason: e.g.
sh:qualifiedValueShape, SPARQL-based constraint components, SHACL-AF rules and targets,
recursive shapes) are validated by pySHACL, for just those shapes, and the results merged.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"

VIOLATION = SH + "Violation"

__all__ = ["validate", "unsupported_shapes", "compile_shapes", "queries", "xsd_well_formed",
           "pyshacl_accepts", "Unsupported"]


class Unsupported(Exception):
    """A shape uses something this compiler does not translate."""


from tajsec.xsd import INTEGER_RANGES, LEXICAL_SPACES, XSD, ill_typed_literals, xsd_well_formed  # noqa: E402,F401

def pyshacl_accepts(lexical: str, datatype: str) -> bool:
    """Whether rdflib (so pySHACL's sh:datatype) accepts this lexical form for `datatype`.
    rdflib checks only some datatypes (not xsd:gYear, xsd:gYearMonth, ...) and leniently
    (Python's int() and Decimal()): the one place where this engine and pySHACL differ."""
    import warnings

    import rdflib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import logging

        logger = logging.getLogger("rdflib.term")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        try:
            lit = rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
            if getattr(lit, "ill_typed", None) is True:
                return False
            value = lit.value
        finally:
            logger.setLevel(level)
    name = datatype[len(XSD):] if datatype.startswith(XSD) else ""
    import datetime as _dt
    from decimal import Decimal

    checks = {"integer": int, "decimal": Decimal, "float": float, "boolean": bool, "date": _dt.date,
              "time": _dt.time, "dateTime": _dt.datetime, "string": str}
    if name in checks:
        return isinstance(value, checks[name])
    return True


# ---------------------------------------------------------------------------------------------
# The shapes graph
# ---------------------------------------------------------------------------------------------


def _n3(term) -> str:
    """A term as SPARQL text."""
    if isinstance(term, ox.BlankNode):
        raise Unsupported("a blank node where a constant is needed")
    return str(term)


class ShapesGraph:
    def __init__(self, triples):
        self.spo: dict = {}
        self.prefix_decls: dict = {}
        for t in triples:
            self.spo.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    @classmethod
    def from_files(cls, files) -> "ShapesGraph":
        from tajsec.rdfio import format_for

        triples = []
        for f in files:
            f = Path(f)
            triples.extend(t for t in ox.parse(f.read_bytes(), format=format_for(f), rename_blank_nodes=True))
        return cls(triples)

    def objs(self, s, p: str) -> list:
        return self.spo.get(s, {}).get(p, [])

    def one(self, s, p: str):
        v = self.objs(s, p)
        return v[0] if v else None

    def has(self, s, p: str) -> bool:
        return bool(self.objs(s, p))

    def rdf_list(self, node) -> list:
        out, seen = [], set()
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF + "nil"):
            if node in seen:
                raise Unsupported("a cyclic RDF list")
            seen.add(node)
            first = self.one(node, RDF + "first")
            if first is None:
                raise Unsupported("a malformed RDF list")
            out.append(first)
            node = self.one(node, RDF + "rest")
        return out

    def subjects_with(self, p: str) -> list:
        return [s for s, po in self.spo.items() if p in po]


# Constraint parameters this compiler knows (value-level: apply to each value node).
_VALUE_PARAMS = ["class", "datatype", "nodeKind", "minInclusive", "maxInclusive", "minExclusive",
                 "maxExclusive", "minLength", "maxLength", "pattern", "languageIn", "in", "node",
                 "or", "xone", "and", "not", "closed"]
# Focus-level (property shapes only).
_FOCUS_PARAMS = ["minCount", "maxCount", "hasValue", "equals", "disjoint", "lessThan",
                 "lessThanOrEquals", "uniqueLang"]
_UNSUPPORTED_PARAMS = {"qualifiedValueShape": "sh:qualifiedValueShape", "js": "sh:js",
                       "rule": "SHACL-AF sh:rule", "target": "SHACL-AF sh:target",
                       "expression": "SHACL-AF sh:expression"}
_COMPONENT = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent", "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent", "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent", "pattern": "PatternConstraintComponent",
    "languageIn": "LanguageInConstraintComponent", "in": "InConstraintComponent",
    "node": "NodeConstraintComponent", "or": "OrConstraintComponent", "xone": "XoneConstraintComponent",
    "and": "AndConstraintComponent", "not": "NotConstraintComponent", "closed": "ClosedConstraintComponent",
    "minCount": "MinCountConstraintComponent", "maxCount": "MaxCountConstraintComponent",
    "hasValue": "HasValueConstraintComponent", "equals": "EqualsConstraintComponent",
    "disjoint": "DisjointConstraintComponent", "lessThan": "LessThanConstraintComponent",
    "lessThanOrEquals": "LessThanOrEqualsConstraintComponent", "uniqueLang": "UniqueLangConstraintComponent",
    "sparql": "SPARQLConstraintComponent",
}
_NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isIRI({v}) || isBlank({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}


def _short(iri: str) -> str:
    for p, ns in (("sh", SH), ("xsd", XSD), ("rdf", RDF), ("rdfs", RDFS),
                  ("ts", "https://w3id.org/tajsec/onto/"), ("tssh", "https://w3id.org/tajsec/shapes/")):
        if iri.startswith(ns):
            return f"{p}:{iri[len(ns):]}"
    return iri


@dataclass
class Query:
    """One SPARQL query and how to turn its rows into results."""
    sparql: str
    shape: object                # the shape term reported as sh:sourceShape
    component: str               # full IRI of the constraint component
    severity: str
    message: str | None          # the shape's sh:message (None: a generic one is made)
    generic: str                 # generic message
    path: str | None             # sh:resultPath (string) or None
    value: str | None = "value"  # "value": ?value column; "this": the focus node; None: no value
    kind: str = "core"           # "core", "closed" or "sparql" (rows may carry ?path, messages)
    # batchable constraints: the focus sub-select, the pattern binding ?value ("" for none) and
    # the failure expression; queries with the same focus and pattern run as one (see _batch)
    focus: str | None = None
    pattern: str | None = None
    expr: str | None = None
    parts: list | None = None    # a batch: row ?mask bit i means parts[i] failed


@dataclass
class Compiled:
    queries: list[Query] = field(default_factory=list)
    unsupported: list[tuple[str, str]] = field(default_factory=list)   # (root shape, reason)
    unsupported_roots: list = field(default_factory=list)
    datatypes: dict = field(default_factory=dict)   # checked datatype -> predicates to scan (None: all)
    sg: ShapesGraph | None = None


class _Compiler:
    def __init__(self, sg: ShapesGraph):
        self.sg = sg
        self.n = 0
        self.datatypes: dict[str, set | None] = {}   # checked datatype -> predicates of its values
        self.stack: list = []
        self.ctx: list = []   # predicates whose objects are the current value nodes (None: any)
        self._custom: set | None = None

    # -- helpers ------------------------------------------------------------------------------

    def var(self, base: str = "v") -> str:
        self.n += 1
        return f"?_{base}{self.n}"

    def sh(self, s, name):
        return self.sg.objs(s, SH + name)

    def sh1(self, s, name):
        return self.sg.one(s, SH + name)

    def deactivated(self, s) -> bool:
        d = self.sh1(s, "deactivated")
        return isinstance(d, ox.Literal) and d.value in ("true", "1")

    def is_property_shape(self, s) -> bool:
        return self.sg.has(s, SH + "path")

    def severity(self, s) -> str:
        sev = self.sh1(s, "severity")
        return sev.value if isinstance(sev, ox.NamedNode) else VIOLATION

    def message(self, s) -> str | None:
        msgs = self.sh(s, "message")
        if not msgs:
            return None
        en = [m for m in msgs if isinstance(m, ox.Literal) and (m.language or "").lower().startswith("en")]
        return sorted(m.value for m in (en or msgs))[0]

    def check_params(self, s) -> None:
        po = self.sg.spo.get(s, {})
        for name, what in _UNSUPPORTED_PARAMS.items():
            if SH + name in po:
                raise Unsupported(f"{what} (on {_label(s)})")
        if SH + "qualifiedMinCount" in po or SH + "qualifiedMaxCount" in po:
            raise Unsupported(f"sh:qualifiedValueShape (on {_label(s)})")
        for p in po:
            if p.startswith(SH) and p[len(SH):] not in _KNOWN_NON_CONSTRAINT and p[len(SH):] not in _VALUE_PARAMS \
                    and p[len(SH):] not in _FOCUS_PARAMS and p[len(SH):] != "sparql":
                # a parameter of a custom (SPARQL-based) constraint component or a typo
                raise Unsupported(f"unknown SHACL parameter sh:{p[len(SH):]} (on {_label(s)})")
        for p in po:
            if not p.startswith(SH) and self._is_custom_parameter(p):
                raise Unsupported(f"a parameter of a custom constraint component <{p}> (on {_label(s)})")

    def _is_custom_parameter(self, p: str) -> bool:
        if self._custom is None:
            self._custom = set()
            for comp in self.sg.subjects_with(SH + "parameter"):
                for param in self.sg.objs(comp, SH + "parameter"):
                    path = self.sg.one(param, SH + "path")
                    if isinstance(path, ox.NamedNode):
                        self._custom.add(path.value)
        return p in self._custom

    def path_predicates(self, node) -> set:
        """Every predicate IRI in a SHACL path (a superset of those whose objects are values)."""
        if isinstance(node, ox.NamedNode):
            return {node.value}
        out = set()
        po = self.sg.spo.get(node, {})
        for p, objs in po.items():
            for o in objs:
                if p == RDF + "first" or p.startswith(SH):
                    out |= self.path_predicates(o)
                elif p == RDF + "rest" and isinstance(o, ox.BlankNode):
                    out |= self.path_predicates(o)
        return out

    def path(self, node) -> str:
        """A SHACL path as a SPARQL property path."""
        if isinstance(node, ox.NamedNode):
            return _n3(node)
        if isinstance(node, ox.Literal):
            raise Unsupported("a literal as sh:path")
        po = self.sg.spo.get(node, {})
        if RDF + "first" in po:
            return "(" + "/".join(self.path(x) for x in self.sg.rdf_list(node)) + ")"
        if SH + "inversePath" in po:
            return "^(" + self.path(po[SH + "inversePath"][0]) + ")"
        if SH + "alternativePath" in po:
            return "(" + "|".join(self.path(x) for x in self.sg.rdf_list(po[SH + "alternativePath"][0])) + ")"
        for key, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            if SH + key in po:
                return "(" + self.path(po[SH + key][0]) + ")" + op
        raise Unsupported("a malformed sh:path")

    # -- value-level constraints: FILTER expressions that are true when value node `v` fails --

    def value_constraints(self, s, v: str) -> list[tuple[str, str, str]]:
        """(component name, failure expression over v, generic message) for each value-level
        constraint of shape s, in pySHACL's granularity (one per sh:class, per sh:node, ...)."""
        out = []
        sg = self.sg
        for c in self.sh(s, "class"):
            cls = _n3(c)
            # the direct rdf:type first (one index lookup; the built graph has the type closure);
            # IF, not &&, because only IF is sure to skip its other branch (measured: && let the
            # optimiser evaluate the path for the whole graph, 20x slower on some runs)
            out.append(("class", f"(isLiteral({v}) || IF(EXISTS {{ {v} <{RDF}type> {cls} }}, false, "
                                 f"NOT EXISTS {{ {v} <{RDF}type>/<{RDFS}subClassOf>* {cls} }}))",
                        f"Value does not have class {_short(c.value)}"))
        for d in self.sh(s, "datatype"):
            out.append(("datatype", f"!({self.datatype_ok(v, d)})",
                        f"Value is not Literal with datatype {_short(d.value)}"))
        for k in self.sh(s, "nodeKind"):
            name = k.value[len(SH):] if isinstance(k, ox.NamedNode) and k.value.startswith(SH) else None
            if name not in _NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {k}")
            out.append(("nodeKind", "!" + _NODE_KINDS[name].format(v=v), f"Value is not of Node Kind {_short(k.value)}"))
        for name, op, word in (("minInclusive", ">=", ">="), ("maxInclusive", "<=", "<="),
                               ("minExclusive", ">", ">"), ("maxExclusive", "<", "<")):
            for lim in self.sh(s, name):
                if not isinstance(lim, ox.Literal):
                    raise Unsupported(f"sh:{name} that is not a literal")
                out.append((name, f"!COALESCE(isLiteral({v}) && {v} {op} {_n3(lim)}, false)",
                            f"Value is not {word} {lim.value}"))
        for name, op in (("minLength", "<"), ("maxLength", ">")):
            for lim in self.sh(s, name):
                out.append((name, f"(isBlank({v}) || COALESCE(STRLEN(STR({v})) {op} {int(lim.value)}, true))",
                            f"String length not {'>=' if op == '<' else '<='} {lim.value}"))
        patterns = self.sh(s, "pattern")
        flags = self.sh1(s, "flags")
        for pat in patterns:
            fl = f", {_n3(ox.Literal(flags.value))}" if flags is not None else ""
            out.append(("pattern", f"(isBlank({v}) || !COALESCE(REGEX(STR({v}), {_n3(ox.Literal(pat.value))}{fl}), false))",
                        f"Value does not match pattern '{pat.value}'"))
        for lst in self.sh(s, "languageIn"):
            tags = [t.value for t in sg.rdf_list(lst)]
            cond = " || ".join(f"langMatches(LANG({v}), {_n3(ox.Literal(t))})" for t in tags) or "false"
            out.append(("languageIn", f"!(isLiteral({v}) && LANG({v}) != \"\" && ({cond}))",
                        f"String language is not in {tags}"))
        for lst in self.sh(s, "in"):
            members = sg.rdf_list(lst)
            cond = " || ".join(f"sameTerm({v}, {_n3(m)})" for m in members) or "false"
            out.append(("in", f"!({cond})", f"Value {{value}} not in list {[str(m) for m in members]}"))
        if not self.is_property_shape(s):
            for hv in self.sh(s, "hasValue"):
                out.append(("hasValue", f"!sameTerm({v}, {_n3(hv)})", f"Value must be {hv}"))
        for ref in self.sh(s, "node"):
            out.append(("node", self.fails(ref, v), f"Value does not conform to Shape {_label(ref)}. See details for more information."))
        for lst in self.sh(s, "or"):
            members = [m for m in sg.rdf_list(lst) if not self.deactivated(m)]
            if members:
                out.append(("or", "(" + " && ".join(self.fails(m, v) for m in members) + ")",
                            f"Node {{value}} must conform to one or more shapes in {_labels(members)}"))
        for lst in self.sh(s, "and"):
            members = [m for m in sg.rdf_list(lst) if not self.deactivated(m)]
            if members:
                out.append(("and", "(" + " || ".join(self.fails(m, v) for m in members) + ")",
                            f"Node {{value}} must conform to all shapes in {_labels(members)}"))
        for lst in self.sh(s, "xone"):
            members = [m for m in sg.rdf_list(lst) if not self.deactivated(m)]
            if members:
                count = " + ".join(f"IF({self.fails(m, v)}, 0, 1)" for m in members)
                out.append(("xone", f"(({count}) != 1)",
                            f"Node {{value}} must conform to exactly one shape in {_labels(members)}"))
        for ref in self.sh(s, "not"):
            if self.deactivated(ref):
                continue
            out.append(("not", f"!({self.fails(ref, v)})", f"Node {{value}} must not conform to shape {_label(ref)}"))
        closed = self.sh1(s, "closed")
        if isinstance(closed, ox.Literal) and closed.value in ("true", "1"):
            allowed = self.closed_allowed(s)
            p, o = self.var("p"), self.var("o")
            cond = " && ".join(f"!sameTerm({p}, {a})" for a in allowed) or "true"
            out.append(("closed", f"EXISTS {{ {v} {p} {o} . FILTER({cond}) }}", "Node {focus} is closed"))
        return out

    def closed_allowed(self, s) -> list[str]:
        allowed = []
        for ps in self.sh(s, "property"):
            path = self.sg.one(ps, SH + "path")
            if isinstance(path, ox.NamedNode):
                allowed.append(_n3(path))
        for lst in self.sh(s, "ignoredProperties"):
            allowed.extend(_n3(x) for x in self.sg.rdf_list(lst))
        return allowed

    def datatype_ok(self, v: str, d) -> str:
        if not isinstance(d, ox.NamedNode):
            raise Unsupported("sh:datatype that is not an IRI")
        if d.value == RDF + "langString":
            return f"(isLiteral({v}) && LANG({v}) != \"\")"
        if d.value == RDFS + "Literal":
            return f"isLiteral({v})"
        base = f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {_n3(d)}))"
        name = d.value[len(XSD):] if d.value.startswith(XSD) else None
        if name in LEXICAL_SPACES or name in INTEGER_RANGES:
            where = self.ctx[-1] if self.ctx else None
            known = self.datatypes.get(d.value, set())
            self.datatypes[d.value] = None if where is None or known is None else known | where
            return f"({base} && !{{ILL|{d.value}|{v}}})"
        return base  # xsd:string, or a datatype whose lexical space we do not know: as pySHACL, accept

    # -- nested conformance: an expression true when node x does not conform to shape s ------

    def fails(self, s, x: str) -> str:
        if self.deactivated(s):
            return "false"
        if s in self.stack:
            raise Unsupported(f"a recursive shape ({_label(s)})")
        self.stack.append(s)
        try:
            self.check_params(s)
            if self.sh(s, "sparql"):
                raise Unsupported(f"sh:sparql in a shape used inside another ({_label(s)})")
            parts = []
            if self.is_property_shape(s):
                parts.extend(self.property_fails(s, x))
            else:
                parts.extend(expr for _, expr, _ in self.value_constraints(s, x))
            for ps in self.sh(s, "property"):
                if not self.deactivated(ps):
                    parts.append(self.fails(ps, x))
            if not parts:
                return "false"
            return "(" + " || ".join(parts) + ")"
        finally:
            self.stack.pop()

    def property_fails(self, s, x: str) -> list[str]:
        self.ctx.append(self.path_predicates(self.sh1(s, "path")))
        try:
            return self._property_fails(s, x)
        finally:
            self.ctx.pop()

    def _property_fails(self, s, x: str) -> list[str]:
        path = self.path(self.sh1(s, "path"))
        parts = []
        for mc in self.sh(s, "minCount"):
            n = int(mc.value)
            if n <= 0:
                continue
            vs = [self.var() for _ in range(n)]
            distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:])
            pats = " . ".join(f"{x} {path} {a}" for a in vs)
            parts.append(f"NOT EXISTS {{ {pats} . FILTER({distinct or 'true'}) }}")
        for mc in self.sh(s, "maxCount"):
            n = int(mc.value)
            vs = [self.var() for _ in range(n + 1)]
            distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:])
            pats = " . ".join(f"{x} {path} {a}" for a in vs)
            parts.append(f"EXISTS {{ {pats} . FILTER({distinct or 'true'}) }}")
        for hv in self.sh(s, "hasValue"):
            parts.append(f"NOT EXISTS {{ {x} {path} {_n3(hv)} }}")
        v = self.var()
        vals = [expr for _, expr, _ in self.value_constraints(s, v)]
        if vals:
            parts.append(f"EXISTS {{ {x} {path} {v} . FILTER({' || '.join(vals)}) }}")
        for name in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            for other in self.sh(s, name):
                a, b = self.var(), self.var()
                parts.append(self._pair_exists(name, x, path, _n3(other), a, b))
        if self.sh(s, "uniqueLang"):
            ul = self.sh1(s, "uniqueLang")
            if ul.value in ("true", "1"):
                a, b = self.var(), self.var()
                parts.append(f"EXISTS {{ {x} {path} {a} . {x} {path} {b} . FILTER(!sameTerm({a}, {b}) && "
                             f"isLiteral({a}) && isLiteral({b}) && LANG({a}) != \"\" && LCASE(LANG({a})) = LCASE(LANG({b}))) }}")
        return parts

    def _pair_exists(self, name, x, path, other, a, b) -> str:
        if name == "equals":
            return (f"(EXISTS {{ {x} {path} {a} . FILTER NOT EXISTS {{ {x} {other} {a} }} }} || "
                    f"EXISTS {{ {x} {other} {a} . FILTER NOT EXISTS {{ {x} {path} {a} }} }})")
        if name == "disjoint":
            return f"EXISTS {{ {x} {path} {a} . {x} {other} {a} }}"
        return f"EXISTS {{ {x} {path} {a} . {x} {other} {b} . FILTER({_not_less(a, b, name == 'lessThanOrEquals')}) }}"

    # -- root shapes: the report queries ------------------------------------------------------

    def focus(self, s) -> str | None:
        """A sub-select binding ?this to the focus nodes of shape s, or None without targets."""
        sg = self.sg
        branches = []
        classes = list(self.sh(s, "targetClass"))
        types = {t.value for t in sg.objs(s, RDF + "type") if isinstance(t, ox.NamedNode)}
        if types & {RDFS + "Class", OWL + "Class"}:
            classes.append(s)  # implicit class target
        for c in classes:
            branches.append(f"{{ ?this <{RDF}type>/<{RDFS}subClassOf>* {_n3(c)} }}")
        nodes = self.sh(s, "targetNode")
        if nodes:
            branches.append("{ VALUES ?this { " + " ".join(_n3(n) for n in nodes) + " } }")
        for p in self.sh(s, "targetSubjectsOf"):
            branches.append(f"{{ ?this {_n3(p)} [] }}")
        for p in self.sh(s, "targetObjectsOf"):
            branches.append(f"{{ [] {_n3(p)} ?this }}")
        if not branches:
            return None
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(branches) + " } }"

    def root_queries(self, s, focus: str) -> list[Query]:
        self.check_params(s)
        # the value nodes of a node shape are its focus nodes: literals only through
        # sh:targetObjectsOf (or a literal sh:targetNode)
        if any(isinstance(n, ox.Literal) for n in self.sh(s, "targetNode")):
            self.ctx = [None]
        else:
            self.ctx = [{p.value for p in self.sh(s, "targetObjectsOf") if isinstance(p, ox.NamedNode)}]
        out = []
        if self.is_property_shape(s):
            out.extend(self.property_queries(s, focus))
        else:
            sev, msg = self.severity(s), self.message(s)
            for name, expr, generic in self.value_constraints(s, "?this"):
                if name == "closed":
                    allowed = self.closed_allowed(s)
                    cond = " && ".join(f"!sameTerm(?path, {a})" for a in allowed) or "true"
                    q = f"SELECT DISTINCT ?this ?path ?value WHERE {{ {focus} ?this ?path ?value . FILTER({cond}) }}"
                    out.append(Query(q, s, SH + _COMPONENT[name], sev, msg, generic, None, "value", kind="closed"))
                    continue
                q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({expr}) }}"
                out.append(Query(q, s, SH + _COMPONENT[name], sev, msg, generic, None, "this",
                                 focus=focus, pattern="", expr=expr))
            for c in self.sh(s, "sparql"):
                out.extend(self.sparql_queries(s, c, focus))
        for ps in self.sh(s, "property"):
            if self.deactivated(ps):
                continue
            self.check_params(ps)
            if ps in self.stack:
                raise Unsupported(f"a recursive shape ({_label(ps)})")
            self.stack.append(s)
            try:
                out.extend(self.property_queries(ps, focus))
            finally:
                self.stack.pop()
        return out

    def property_queries(self, s, focus: str) -> list[Query]:
        self.ctx.append(self.path_predicates(self.sh1(s, "path")))
        try:
            return self._property_queries(s, focus)
        finally:
            self.ctx.pop()

    def _property_queries(self, s, focus: str) -> list[Query]:
        path_node = self.sh1(s, "path")
        path = self.path(path_node)
        rpath = path_node.value if isinstance(path_node, (ox.NamedNode, ox.BlankNode)) else None
        sev, msg = self.severity(s), self.message(s)
        out = []

        def add(name, q, generic, value="value", kind="core", pattern=None, expr=None):
            out.append(Query(q, s, SH + _COMPONENT[name], sev, msg, generic, rpath, value, kind,
                             focus=focus if expr else None, pattern=pattern, expr=expr))

        for mc in self.sh(s, "minCount"):
            n = int(mc.value)
            if n <= 0:
                continue
            expr = None
            if n == 1:
                q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?v }} }}"
                expr = f"NOT EXISTS {{ ?this {path} ?_c }}"
            else:
                q = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})")
            add("minCount", q, f"Less than {n} values on {{focus}}->{_short(rpath or '')}", None,
                pattern="" if expr else None, expr=expr)
        for mc in self.sh(s, "maxCount"):
            n = int(mc.value)
            expr = None
            if n == 0:
                q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER EXISTS {{ ?this {path} ?v }} }}"
                expr = f"EXISTS {{ ?this {path} ?_c }}"
            elif n == 1:
                q = (f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?v1 . ?this {path} ?v2 . "
                     f"FILTER(!sameTerm(?v1, ?v2)) }}")
                expr = f"EXISTS {{ ?this {path} ?_c1 . ?this {path} ?_c2 . FILTER(!sameTerm(?_c1, ?_c2)) }}"
            else:
                q = (f"SELECT ?this WHERE {{ {focus} ?this {path} ?v }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {n})")
            add("maxCount", q, f"More than {n} values on {{focus}}->{_short(rpath or '')}", None,
                pattern="" if expr else None, expr=expr)
        for hv in self.sh(s, "hasValue"):
            q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} {_n3(hv)} }} }}"
            add("hasValue", q, f"Node {{focus}}->{_short(rpath or '')} does not contain a value in the set: ['{hv.value}']", None,
                pattern="", expr=f"NOT EXISTS {{ ?this {path} {_n3(hv)} }}")
        for name, expr, generic in self.value_constraints(s, "?value"):
            if name == "closed":
                raise Unsupported("sh:closed on a property shape")
            q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . FILTER({expr}) }}"
            add(name, q, generic, pattern=f"?this {path} ?value .", expr=expr)
        for other in self.sh(s, "equals"):
            o = _n3(other)
            q = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {{ ?this {path} ?value . FILTER NOT EXISTS {{ ?this {o} ?value }} }} "
                 f"UNION {{ ?this {o} ?value . FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}")
            add("equals", q, f"Value of {{focus}}->{_short(rpath or '')} != {_short(other.value)}")
        for other in self.sh(s, "disjoint"):
            q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . ?this {_n3(other)} ?value }}"
            add("disjoint", q, f"Value of {{focus}}->{_short(rpath or '')} == {_short(other.value)}")
        for name in ("lessThan", "lessThanOrEquals"):
            for other in self.sh(s, name):
                # one result per (value, other value) pair that fails, as pySHACL reports them
                q = (f"SELECT ?this ?value WHERE {{ {{ SELECT DISTINCT ?this ?value ?other WHERE {{ {focus} "
                     f"?this {path} ?value . ?this {_n3(other)} ?other . "
                     f"FILTER({_not_less('?value', '?other', name == 'lessThanOrEquals')}) }} }} }}")
                op = "<=" if name == "lessThanOrEquals" else "<"
                add(name, q, f"Value of {{focus}}->{_short(rpath or '')} {op} {_short(other.value)}")
        ul = self.sh1(s, "uniqueLang")
        if ul is not None and ul.value in ("true", "1"):
            q = (f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?a . ?this {path} ?b . "
                 f"FILTER(!sameTerm(?a, ?b) && isLiteral(?a) && isLiteral(?b) && LANG(?a) != \"\" && "
                 f"LCASE(LANG(?a)) = LCASE(LANG(?b))) }}")
            add("uniqueLang", q, "More than one String shares the same Language", None)
        for c in self.sh(s, "sparql"):
            out.extend(self.sparql_queries(s, c, focus, path))
        return out

    def sparql_queries(self, s, c, focus: str, path: str | None = None) -> list[Query]:
        if self.deactivated(c):
            return []
        select = self.sg.one(c, SH + "select")
        if select is None:
            raise Unsupported(f"an sh:sparql constraint without sh:select ({_label(c)})")
        text = select.value
        if re.search(r"\$shapesGraph\b|\?shapesGraph\b", text):
            raise Unsupported("$shapesGraph in a SPARQL constraint")
        if re.search(r"\bSERVICE\b|\bMINUS\b|\bVALUES\b", text, re.I):
            raise Unsupported("SERVICE, MINUS or VALUES in a SPARQL constraint")
        text = re.sub(r"[$?]currentShape\b", _n3(s) if isinstance(s, ox.NamedNode) else "?currentShape", text)
        if "?currentShape" in text:
            raise Unsupported("$currentShape of a blank-node shape")
        if path is not None:
            text = re.sub(r"\$PATH\b", path, text)
        prologue = self.prefixes(c)
        q = _inject_focus(prologue + text, focus)
        message = self.message(c) or self.message(s)
        return [Query(q, s, SH + _COMPONENT["sparql"], self.severity(s), message,
                      "Parameterised SHACL Query generated constraint validation reports.",
                      self.sg.one(s, SH + "path").value if self.is_property_shape(s) else None,
                      "sparql", kind="sparql")]

    def prefixes(self, c) -> str:
        out = []
        for p in self.sg.objs(c, SH + "prefixes"):
            for decl in self.sg.objs(p, SH + "declare"):
                pre = self.sg.one(decl, SH + "prefix")
                ns = self.sg.one(decl, SH + "namespace")
                if pre is not None and ns is not None:
                    out.append(f"PREFIX {pre.value}: <{ns.value}>\n")
        return "".join(out)


_KNOWN_NON_CONSTRAINT = {
    "path", "property", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "severity",
    "message", "deactivated", "name", "description", "order", "group", "defaultValue", "flags",
    "ignoredProperties", "declare", "prefixes", "select", "ask", "parameter", "labelTemplate",
    "sparql", "shapesGraph", "entailment", "suggestedShapesGraph", "optional", "resultAnnotation",
    "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath", "inversePath", "alternativePath", "first", "rest",
}


def _not_less(a: str, b: str, or_equal: bool) -> str:
    """True when `a` is not less than (or equal to) `b`: as pySHACL, a literal compares with a
    literal of a comparable type, an IRI with an IRI (by its string); anything else fails."""
    op = "<=" if or_equal else "<"
    return (f"!COALESCE(IF(isIRI({a}) && isIRI({b}), STR({a}) {op} STR({b}), "
            f"isLiteral({a}) && isLiteral({b}) && {a} {op} {b}), false)")


def _label(term) -> str:
    return _short(term.value) if isinstance(term, ox.NamedNode) else "a blank-node shape"


def _labels(terms) -> str:
    return "(" + ", ".join(_label(t) for t in terms) + ")"


def _inject_focus(query: str, focus: str) -> str:
    """Put the focus-node sub-select first in the WHERE clause of a SELECT query, and make sure
    ?this is projected."""
    i, n = 0, len(query)
    select_at = None
    brace = None
    while i < n:
        ch = query[i]
        if ch == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if ch in "\"'":
            triple = query[i:i + 3] in ('"""', "'''")
            end = query[i:i + 3] if triple else ch
            j = i + len(end)
            while j < n and query[j:j + len(end)] != end:
                j += 2 if query[j] == "\\" else 1
            i = j + len(end)
            continue
        if ch == "<" and select_at is None:
            j = query.find(">", i)
            i = n if j < 0 else j + 1
            continue
        if select_at is None and query[i:i + 6].upper() == "SELECT" and (i == 0 or not query[i - 1].isalnum()):
            select_at = i
        if ch == "{" and select_at is not None:
            brace = i
            break
        i += 1
    if select_at is None or brace is None:
        raise Unsupported("a SPARQL constraint that is not a SELECT query")
    projection = query[select_at + 6:brace]
    m = re.match(r"\s*((?:DISTINCT|REDUCED)\s+)?", projection, re.I)
    head = query[:select_at + 6]
    if "*" not in projection and not re.search(r"[?$]this\b", projection.split("WHERE")[0].split("where")[0]):
        projection = projection[:m.end()] + "?this " + projection[m.end():]
    return head + projection + "{ " + focus + " " + query[brace + 1:]


def compile_shapes(shape_files) -> Compiled:
    """Compile the shapes in `shape_files` (cached by their content)."""
    blobs = [Path(f).read_bytes() for f in shape_files]
    key = hashlib.sha256(b"\0".join(blobs) + "|".join(str(f) for f in shape_files).encode()).hexdigest()
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    sg = ShapesGraph.from_files(shape_files)
    compiled = _compile(sg)
    _CACHE.clear()
    _CACHE[key] = compiled
    return compiled


_CACHE: dict[str, Compiled] = {}


def _compile(sg: ShapesGraph) -> Compiled:
    out = Compiled(sg=sg)
    comp = _Compiler(sg)
    roots = []
    for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
        roots.extend(sg.subjects_with(SH + t))
    for s, po in sg.spo.items():
        types = {x.value for x in po.get(RDF + "type", []) if isinstance(x, ox.NamedNode)}
        if types & {RDFS + "Class", OWL + "Class"} and types & {SH + "NodeShape", SH + "PropertyShape"}:
            roots.append(s)
    if sg.subjects_with(SH + "rule"):
        for s in sg.subjects_with(SH + "rule"):
            roots.append(s)
    seen = set()
    for s in roots:
        if s in seen:
            continue
        seen.add(s)
        if comp.deactivated(s):
            continue
        try:
            if sg.has(s, SH + "target") or sg.has(s, SH + "rule"):
                comp.check_params(s)
            focus = comp.focus(s)
            if focus is None:
                continue
            comp.stack = []
            out.queries.extend(comp.root_queries(s, focus))
        except Unsupported as e:
            out.unsupported.append((s.value if isinstance(s, ox.NamedNode) else str(s), str(e)))
            out.unsupported_roots.append(s)
    out.datatypes = comp.datatypes
    out.queries = _batch(out.queries)
    return out


def _batch(queries: list[Query], limit: int = 60) -> list[Query]:
    """Run the constraints that share a focus set and a value pattern as one query: each row
    carries a bit mask saying which of them failed. One pass over the focus nodes instead of
    one per constraint."""
    groups: dict[tuple, list[Query]] = {}
    out = []
    for q in queries:
        if q.expr is None:
            out.append(q)
        else:
            groups.setdefault((q.focus, q.pattern), []).append(q)
    for (focus, pattern), qs in groups.items():
        for i in range(0, len(qs), limit):
            chunk = qs[i:i + limit]
            if len(chunk) == 1:
                out.append(chunk[0])
                continue
            bits = " + ".join(f"IF(COALESCE({q.expr}, false), {1 << k}, 0)" for k, q in enumerate(chunk))
            cols = "?this ?value" if pattern else "?this"
            sparql = (f"SELECT DISTINCT {cols} ?mask WHERE {{ {focus} {pattern} "
                      f"BIND(({bits}) AS ?mask) FILTER(?mask != 0) }}")
            out.append(Query(sparql, None, "", "", None, "", None, parts=chunk))
    return out


def unsupported_shapes(shape_files) -> list[tuple[str, str]]:
    """The shapes (with targets) this engine hands to pySHACL, each with the reason."""
    return list(compile_shapes(shape_files).unsupported)


def queries(shape_files) -> list[Query]:
    """The compiled queries (for inspection and profiling)."""
    return list(compile_shapes(shape_files).queries)


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def _as_store(data) -> ox.Store:
    if isinstance(data, ox.Store):
        return data
    if hasattr(data, "store") and isinstance(data.store, ox.Store):
        return data.store
    store = ox.Store()
    if isinstance(data, (bytes, bytearray)):
        store.load(bytes(data), format=ox.RdfFormat.N_TRIPLES)
        return store
    if isinstance(data, str):
        store.load(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return store
    if isinstance(data, Path):
        from tajsec.rdfio import format_for

        store.load(path=str(data), format=format_for(data))
        return store
    raise TypeError(f"cannot validate a {type(data).__name__}: give a pyoxigraph Store, N-Triples or a Path")


_ILL = re.compile(r"\{ILL\|([^|]+)\|(\?[A-Za-z0-9_]+)\}")


def _bind_ill_typed(sparql: str, bad: dict) -> str:
    def sub(m):
        lits = bad.get(m.group(1), [])
        if not lits:
            return "false"
        return "(" + " || ".join(f"sameTerm({m.group(2)}, {lit})" for lit in lits) + ")"

    return _ILL.sub(sub, sparql)


def _term_str(t) -> str | None:
    if t is None:
        return None
    return t.value


def validate(data, shape_files, *, fallback: bool = True) -> list[dict]:
    """SHACL-validate `data` (a pyoxigraph Store, whose graphs are validated as their union;
    an object with a `.store`; N-Triples as bytes or str; or a Path to an RDF file) against the
    shapes in `shape_files`. Returns the results as tajsec.shacl does (dicts, sorted)."""
    shape_files = [Path(f) for f in shape_files]
    compiled = compile_shapes(shape_files)
    store = _as_store(data)
    bad = ill_typed_literals(store, compiled.datatypes)
    results: list[dict] = []
    for q in compiled.queries:
        sparql = _bind_ill_typed(q.sparql, bad) if "{ILL|" in q.sparql else q.sparql
        if q.parts is None:
            for row in store.query(sparql, use_default_graph_as_union=True):
                results.append(_result(q, row))
            continue
        for row in store.query(sparql, use_default_graph_as_union=True):
            mask = int(row["mask"].value)
            for k, part in enumerate(q.parts):
                if mask >> k & 1:
                    results.append(_result(part, row))
    if compiled.unsupported_roots and fallback:
        import logging

        logging.getLogger(__name__).info("pySHACL validates %d shape(s) this engine cannot compile: %s",
                                         len(compiled.unsupported), "; ".join(f"{s} ({why})" for s, why in compiled.unsupported))
        results.extend(_fallback(store, compiled))
    results.sort(key=lambda d: tuple(d[k] or "" for k in ("focusNode", "sourceShape", "resultPath", "value")))
    return results


def _result(q: Query, row) -> dict:
    this = row["this"]
    focus = _term_str(this)
    path = q.path
    if q.value == "value":
        value = _term_str(row["value"])
    elif q.value == "this":
        value = focus
    elif q.value == "sparql":
        v = _get(row, "value")
        value = _term_str(v) if v is not None else (focus if q.path is None else None)
        p = _get(row, "path")
        if p is not None:
            path = p.value
    else:
        value = None
    if q.kind == "closed":
        path = row["path"].value
    message = q.message
    if q.kind == "sparql" and message:
        message = _format_message(message, row)
    if message is None:
        message = q.generic.replace("{focus}", focus or "").replace("{value}", value or "")
    return {
        "focusNode": focus,
        "resultPath": path,
        "value": value,
        "sourceShape": q.shape.value if isinstance(q.shape, ox.NamedNode) else str(q.shape.value),
        "sourceConstraintComponent": q.component,
        "severity": q.severity,
        "message": message,
    }


def _get(row, name):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _format_message(msg: str, row) -> str:
    def sub(m):
        v = _get(row, m.group(1))
        return m.group(0) if v is None else v.value

    return re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", sub, msg)


def _fallback(store: ox.Store, compiled: Compiled) -> list[dict]:
    """pySHACL for the shapes this engine cannot do: the shapes graph with the targets of every
    other shape removed."""
    import rdflib

    from tajsec import shacl
    from tajsec.rdfio import to_rdflib

    keep = set(compiled.unsupported_roots)
    target_preds = {SH + t for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")}
    lines = []
    for s, po in compiled.sg.spo.items():
        for p, objs in po.items():
            if p in target_preds and s not in keep:
                continue
            for o in objs:
                lines.append(f"{ox.Triple(s, ox.NamedNode(p), o)} .\n")
    shapes = rdflib.Graph()
    shapes.parse(data="".join(lines), format="nt")
    return shacl.validate(to_rdflib(store), shapes).results
