"""The reference engine: pySHACL, on rdflib graphs made from what the loader (tajsec.io.load)
parsed. Both sides reach rdflib through N-Triples written by pyoxigraph, so neither engine sees
literals the other parser would have read differently (see MEASURED pitfall 1)."""
from __future__ import annotations

import datetime
import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import cast

import pyoxigraph as ox
import rdflib

from tajsec.core.errors import TajsecError
from tajsec.core.namespaces import PREFIXES
from tajsec.core.terms import Resource, Term
from tajsec.shacl.result import ValidationResult, sort_results
from tajsec.shacl.shapes import XSD, triples_of

SH = rdflib.Namespace(PREFIXES["sh"])


@dataclass
class ReferenceReport:
    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    report_graph: rdflib.Graph | None = None


def load_shapes(files: list[Path]) -> rdflib.Graph:
    """The shapes files as one rdflib graph, parsed by the one loader."""
    return rdflib_graph(triples_of(files))


def rdflib_graph(triples: Iterable[ox.Triple], bnode_context: dict | None = None) -> rdflib.Graph:
    """An rdflib graph of pyoxigraph triples, by way of N-Triples, with our prefixes bound (pySHACL
    writes prefixed names in its messages). rdflib gives blank nodes new labels: `bnode_context`
    (a dict) receives the map from each label written to the rdflib blank node."""
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(data="".join(f"{t} .\n" for t in triples), format="nt",
            bnode_context={} if bnode_context is None else bnode_context)
    return g


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> ReferenceReport:
    import pyshacl

    # The data graph already carries the materialised type closure (see build.py), so no
    # inference is asked of pySHACL.
    _, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                       advanced=True)
    if not isinstance(report, rdflib.Graph):   # pySHACL gives its failure instead of a report
        raise TajsecError(f"the shapes cannot be validated (by pySHACL, the engine for the shapes tajsec's "
                          f"compiler cannot do): {str(text).strip()}")
    results = []
    # only the report's own results: the details nested under an sh:node failure are not
    # results of their own
    for r in report.objects(report.value(predicate=rdflib.RDF.type, object=SH.ValidationReport), SH.result):
        message = report.value(r, SH.resultMessage)
        # a pySHACL result always has a focus node, a component, a severity and a source shape
        results.append(ValidationResult(
            focus=cast(Term, to_oxigraph(report.value(r, SH.focusNode))),
            path=cast(Resource | None, to_oxigraph(report.value(r, SH.resultPath))),
            value=to_oxigraph(report.value(r, SH.value)),
            component=cast(ox.NamedNode, to_oxigraph(report.value(r, SH.sourceConstraintComponent))),
            severity=cast(ox.NamedNode, to_oxigraph(report.value(r, SH.resultSeverity))),
            shape=cast(Resource, to_oxigraph(report.value(r, SH.sourceShape))),
            message="" if message is None else str(message),
        ))
    results = sort_results(results)
    return ReferenceReport(not any(r.is_violation for r in results), results, report)


def to_oxigraph(term: rdflib.term.Node | None) -> Term | None:
    """An rdflib term as the pyoxigraph term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def pyshacl_accepts(lexical: str, datatype: str) -> bool:
    """Whether rdflib (so pySHACL's sh:datatype) accepts this lexical form for `datatype`.
    rdflib checks only some datatypes (not xsd:gYear, xsd:gYearMonth, ...) and leniently
    (Python's int() and Decimal()): the one place where the fast engine and pySHACL differ."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
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
    checks = {"integer": int, "decimal": Decimal, "float": float, "boolean": bool, "date": datetime.date,
              "time": datetime.time, "dateTime": datetime.datetime, "string": str}
    if name in checks:
        return isinstance(value, checks[name])
    return True
