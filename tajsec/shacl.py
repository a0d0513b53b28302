"""SHACL validation of the built graph with pySHACL."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import SH


@dataclass
class ShaclResult:
    conforms: bool
    results: list[dict] = field(default_factory=list)
    report_graph: rdflib.Graph | None = None


def load_shapes(files: list[Path]) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> ShaclResult:
    import pyshacl

    # The data graph already carries the materialised type closure (see build.py), so no
    # inference is asked of pySHACL.
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                           allow_warnings=True, advanced=True)
    results = []
    # only the report's own results: the details nested under an sh:node failure are not
    # results of their own
    for r in report.objects(report.value(predicate=rdflib.RDF.type, object=SH.ValidationReport), SH.result):
        def one(p):
            v = report.value(r, p)
            return None if v is None else str(v)
        results.append({
            "focusNode": one(SH.focusNode),
            "resultPath": one(SH.resultPath),
            "value": one(SH.value),
            "sourceShape": one(SH.sourceShape),
            "sourceConstraintComponent": one(SH.sourceConstraintComponent),
            "severity": one(SH.resultSeverity),
            "message": one(SH.resultMessage),
        })
    results.sort(key=lambda d: tuple(d[k] or "" for k in ("focusNode", "sourceShape", "resultPath", "value")))
    violations = [r for r in results if r["severity"] == str(SH.Violation)]
    return ShaclResult(not violations, results, report)
