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
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, cast

import pyoxigraph as ox

from tajsec.core import twoproc
from tajsec.core.environment import whole_number
from tajsec.core.terms import Resource, solutions
from tajsec.core.xsd import ill_typed_literals, xsd_well_formed
from tajsec.shacl import terms
from tajsec.shacl.compile import Compiled, compile_shapes
from tajsec.shacl.compile.query import Query
from tajsec.shacl.result import Report, ValidationResult, sort_results
from tajsec.shacl.shapes import SH

T = TypeVar("T")


def validate_report(data: Any, shape_files: Iterable[Path | str], *, fallback: bool = True,
                    as_parsed: Iterable | None = None) -> Report:
    """As `validate`, with sh:conforms beside the results."""
    return Report(validate(data, shape_files, fallback=fallback, as_parsed=as_parsed))


def validate(data: Any, shape_files: Iterable[Path | str], *, fallback: bool = True,
             as_parsed: Iterable | None = None) -> list[ValidationResult]:
    """SHACL-validate `data` against the shapes in `shape_files`. `data`: triples or quads as
    parsed, N-Triples (bytes or str), a Path to an RDF file, or a pyoxigraph Store (its graphs
    validated as their union) or an object with a `.store`. A store holds typed literals by
    value (see terms.py): give the triples it was loaded from as `as_parsed` to have them
    checked and reported as written. Returns the results sorted as the reference engine sorts them."""
    shape_files = [Path(f) for f in shape_files]
    compiled = compile_shapes(shape_files)
    store, parsed = _as_store(data)
    with terms.as_written(store, as_parsed if parsed is None else parsed) as written:
        return _run(store, compiled, written, fallback)


def _run(store: ox.Store, compiled: Compiled, written: list[ox.Literal], fallback: bool) -> list[ValidationResult]:
    bad = ill_typed_literals(store, compiled.datatypes)
    for lit in written:   # the literals held as written are not among those the scan sees
        original = terms.decode(lit)
        datatype = original.datatype.value
        if datatype in compiled.datatypes and xsd_well_formed(original.value, datatype) is False:
            bad.setdefault(original.datatype.value, []).append(lit)
    queries = list(compiled.queries)
    if len(queries) > 1 and twoproc.can_share() and _at_least(store, PARALLEL_QUADS):
        results = _forked(store, queries, bad)
    else:
        results = _results_of(store, queries, bad)
    if compiled.unsupported_roots and fallback:
        logging.getLogger(__name__).info(
            "pySHACL validates %d shape(s) this engine cannot compile: %s", len(compiled.unsupported),
            "; ".join(f"{s} ({why})" for s, why in compiled.unsupported))
        results.extend(_fallback(store, compiled))
    return sort_results(results)


#: A store of at least this many quads is queried by two processes at once: a child forked from
#: this one (the store shared copy-on-write; the queries only read it) runs every other query.
PARALLEL_QUADS = whole_number("TAJSEC_PARALLEL_QUADS", 2_000_000, "quads")


def _at_least(store: ox.Store, n: int) -> bool:
    """Whether `store` holds at least `n` quads, found by counting no further (len(store) counts all)."""
    if n <= 0:
        return True
    q = f"SELECT ?s WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }} OFFSET {n - 1} LIMIT 1"
    return bool(list(solutions(store.query(q))))


def _results_of(store: ox.Store, queries: list[Query], bad: dict) -> list[ValidationResult]:
    chains: dict[str, dict] = {}
    return [r for q in queries for r in _query_results(store, q, bad, chains)]


def _query_results(store: ox.Store, q: Query, bad: dict, chains: dict[str, dict]) -> list[ValidationResult]:
    """The results of one compiled query (`chains`: the fan-out counts found so far, see fan_out)."""
    sparql = _bind_ill_typed(q.sparql, bad) if "{ILL|" in q.sparql else q.sparql
    found = []
    if q.parts is None:
        for row in solutions(store.query(sparql, use_default_graph_as_union=True)):
            found.append(_result(q, row))
    else:
        for row in solutions(store.query(sparql, use_default_graph_as_union=True)):
            mask = int(row["mask"].value)
            for k, part in enumerate(q.parts):
                if mask >> k & 1:
                    found.append(_result(part, row))
    return fan_out(store, q.fanout, found, chains) if q.fanout and found else found


def _forked(store: ox.Store, queries: list[Query], bad: dict) -> list[ValidationResult]:
    """The results of `queries`, run by this process and a child forked from it at the same
    time (tajsec.core.twoproc: the store shared copy-on-write, each process taking the next
    query not yet taken), in the order of `queries`."""
    chains: dict[str, dict] = {}   # each process's own, once forked
    per_query = twoproc.shared(len(queries), lambda i: _query_results(store, queries[i], bad, chains), "SHACL query")
    return [r for found in per_query for r in found]


def fan_out(store: ox.Store, focus: str, found: list[ValidationResult], chains: dict) -> list[ValidationResult]:
    """Each result of a nested property shape once per chain of outer focus nodes that reaches
    its focus node (`chains` caches the counts of each focus select)."""
    if focus not in chains:
        q = f"SELECT ?this (COUNT(*) AS ?n) WHERE {{ {focus} }} GROUP BY ?this"
        chains[focus] = {terms.decode(row["this"]): int(row["n"].value)
                         for row in solutions(store.query(q, use_default_graph_as_union=True))}
    counts = chains[focus]
    return [r for r in found for _ in range(counts.get(r.focus, 1))]


def _as_store(data: Any) -> tuple[ox.Store, list | None]:
    """The store to query, and the triples it was made from (None: a store given as is)."""
    if isinstance(data, ox.Store):
        return data, None
    if hasattr(data, "store") and isinstance(data.store, ox.Store):
        return data.store, None
    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(data, (bytes, bytearray)):
        data = list(ox.parse(bytes(data), format=ox.RdfFormat.N_TRIPLES))
    elif isinstance(data, Path):
        from tajsec.io.load import parse_file

        data = parse_file(data, strict=False, warnings=[])
    if not isinstance(data, list):
        raise TypeError(f"cannot validate a {type(data).__name__}: give a pyoxigraph Store, N-Triples or a Path")
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
    return store, data


_ILL = re.compile(r"\{ILL\|([^|]+)\|(\?[A-Za-z0-9_]+)\}")


def _bind_ill_typed(sparql: str, bad: dict) -> str:
    def sub(m: re.Match[str]) -> str:
        lits = bad.get(m.group(1), [])
        if not lits:
            return "false"
        return "(" + " || ".join(f"sameTerm({m.group(2)}, {lit})" for lit in lits) + ")"

    return _ILL.sub(sub, sparql)


def _result(q: Query, row: ox.QuerySolution) -> ValidationResult:
    focus = terms.decode(row["this"])
    path = q.path
    if q.value == "value":
        value = terms.decode(row["value"])
    elif q.value == "this":
        value = focus
    elif q.value == "sparql":
        value = terms.decode(_get(row, "value"))
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
    return ValidationResult(focus, path, value, ox.NamedNode(q.component), ox.NamedNode(q.severity),
                            cast(Resource, q.shape), message)


def _get(row, name):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _format_message(msg: str, row: ox.QuerySolution) -> str:
    def sub(m: re.Match[str]) -> str:
        v = _get(row, m.group(1))
        return m.group(0) if v is None else v.value

    return re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", sub, msg)


def validate_with_pyshacl(data: Any, shape_files: Iterable[Path | str], *,
                          as_parsed: Iterable | None = None) -> list[ValidationResult]:
    """pySHACL, the reference engine, on `data` as `validate` sees it: typed literals as written
    (`as_parsed`: see `validate`), results naming the data's own blank nodes."""
    from tajsec.shacl.shapes import triples_of

    shapes = triples_of([Path(f) for f in shape_files])
    store, parsed = _as_store(data)
    with terms.as_written(store, as_parsed if parsed is None else parsed):
        return sort_results(_pyshacl(store, shapes))


def _fallback(store: ox.Store, compiled: Compiled) -> list[ValidationResult]:
    """pySHACL for the shapes this engine cannot do: the shapes graph with the targets of every
    other shape removed."""
    from tajsec.shacl.compile.targets import TARGETS

    keep = set(compiled.unsupported_roots)
    targets = {SH + t for t in TARGETS}
    return _pyshacl(store, [t for t in compiled.sg.triples() if t.subject in keep or t.predicate.value not in targets])


def _pyshacl(store: ox.Store, shapes: list[ox.Triple]) -> list[ValidationResult]:
    """pySHACL on the store's triples (literals held as written decoded), its results given the
    store's blank nodes back. (Imported here: rdflib and pySHACL load only when needed.)"""
    from tajsec.shacl import reference

    data = {ox.Triple(terms.decode(q.subject), q.predicate, terms.decode(q.object))
            for q in store.quads_for_pattern(None, None, None, None)}
    labels: dict = {}
    report = reference.validate(reference.rdflib_graph(data, labels), reference.rdflib_graph(shapes, labels))
    ours = {str(b): ox.BlankNode(label) for label, b in labels.items()}   # rdflib's label -> ours

    def back(term: T) -> T:
        return cast(T, ours.get(term.value, term)) if isinstance(term, ox.BlankNode) else term

    return [replace(r, focus=back(r.focus), path=back(r.path), value=back(r.value), shape=back(r.shape))
            for r in report.results]
