"""The fast engine: run the compiled queries on pyoxigraph, turn rows into results, and hand the
shapes the compiler cannot do to pySHACL (tajsec.shacl.reference).

Ill-typed literals. pyoxigraph keeps ill-typed literals as written, and rdflib (so pySHACL)
does not check most XSD lexical spaces: `"2004-13"^^xsd:gYearMonth`, `"1_000"^^xsd:integer`
or `"2004-01-01T10:00:00"^^xsd:date` pass pySHACL's sh:datatype. Here, before the queries
run, one query finds the literals of the checked XSD datatypes that pyoxigraph could not
parse, among the objects of the predicates that sh:datatype constraints see, and
`xsd_well_formed` (XSD 1.1 lexical spaces, day-of-month included) decides which of them are
ill-typed; sh:datatype then fails on exactly those. This is the deliberate difference from
pySHACL (see reference.pyshacl_accepts). Two more, outside our shapes: a comparison SPARQL
cannot make (`"abc"@en` against `sh:minInclusive "b"`) is a violation here, as the SHACL spec
says, where rdflib orders the two; and `sh:node` may point at a property shape (pySHACL refuses).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pyoxigraph as ox

from tajsec.shacl.compile import Compiled, compile_shapes
from tajsec.shacl.compile.query import Query
from tajsec.shacl.result import Report, ValidationResult, sort_results
from tajsec.shacl.shapes import SH
from tajsec.xsd import ill_typed_literals


def validate_report(data, shape_files, *, fallback: bool = True) -> Report:
    """As `validate`, with sh:conforms beside the results."""
    return Report(validate(data, shape_files, fallback=fallback))


def validate(data, shape_files, *, fallback: bool = True) -> list[ValidationResult]:
    """SHACL-validate `data` (a pyoxigraph Store, whose graphs are validated as their union;
    an object with a `.store`; N-Triples as bytes or str; or a Path to an RDF file) against the
    shapes in `shape_files`. Returns the results sorted as the reference engine sorts them."""
    shape_files = [Path(f) for f in shape_files]
    compiled = compile_shapes(shape_files)
    store = _as_store(data)
    bad = ill_typed_literals(store, compiled.datatypes)
    results: list[ValidationResult] = []
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
        logging.getLogger(__name__).info(
            "pySHACL validates %d shape(s) this engine cannot compile: %s", len(compiled.unsupported),
            "; ".join(f"{s} ({why})" for s, why in compiled.unsupported))
        results.extend(_fallback(store, compiled))
    return sort_results(results)


def _as_store(data) -> ox.Store:
    if isinstance(data, ox.Store):
        return data
    if hasattr(data, "store") and isinstance(data.store, ox.Store):
        return data.store
    store = ox.Store()
    if isinstance(data, list):  # triples or quads, as parsed
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
        return store
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


def _result(q: Query, row) -> ValidationResult:
    focus = row["this"]
    path = q.path
    if q.value == "value":
        value = row["value"]
    elif q.value == "this":
        value = focus
    elif q.value == "sparql":
        value = _get(row, "value")
        if value is None and q.path is None:
            value = focus
        row_path = _get(row, "path")
        path = path if row_path is None else row_path
    else:
        value = None
    if q.kind == "closed":
        path = row["path"]
    message = q.message
    if q.kind == "sparql" and message:
        message = _format_message(message, row)
    if message is None:
        message = q.generic.replace("{focus}", focus.value).replace("{value}", "" if value is None else value.value)
    return ValidationResult(focus, path, value, ox.NamedNode(q.component), ox.NamedNode(q.severity), q.shape, message)


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


def _fallback(store: ox.Store, compiled: Compiled) -> list[ValidationResult]:
    """pySHACL for the shapes this engine cannot do: the shapes graph with the targets of every
    other shape removed. (Imported here: rdflib and pySHACL load only when a shape needs them.)"""
    from tajsec.rdfio import to_rdflib
    from tajsec.shacl import reference
    from tajsec.shacl.compile.targets import TARGETS

    keep = set(compiled.unsupported_roots)
    targets = {SH + t for t in TARGETS}
    triples = [t for t in compiled.sg.triples() if t.subject in keep or t.predicate.value not in targets]
    return reference.validate(to_rdflib(store), reference.rdflib_graph(triples)).results
