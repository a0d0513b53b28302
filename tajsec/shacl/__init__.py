"""SHACL validation: the shapes compiled to SPARQL and run on pyoxigraph (`validate`,
tajsec.shacl.engine), pySHACL as the reference engine (tajsec.shacl.reference), one result type
for both (tajsec.shacl.result), and the locating of results in the input files
(tajsec.shacl.locate). tests/test_fastshacl.py holds the two engines to the same findings."""
from __future__ import annotations

from tajsec.shacl.compile import Compiled, compile_shapes, queries, unsupported_shapes
from tajsec.shacl.engine import validate, validate_report
from tajsec.shacl.result import SEVERITIES, VIOLATION, Report, ValidationResult
from tajsec.shacl.shapes import Unsupported

__all__ = [
           "SEVERITIES",
           "VIOLATION",
           "Compiled",
           "Report",
           "Unsupported",
           "ValidationResult",
           "compile_shapes",
           "queries",
           "unsupported_shapes",
           "validate",
           "validate_report",
]
