"""One result type for both SHACL engines (tajsec.shacl.result): terms stay RDF terms, the plain
form keeps the SHACL property names, and `tajsec check` / `tajsec validate` print it as before."""
from __future__ import annotations

import json

import pyoxigraph as ox

from tajsec import shacl
from tajsec.quality.check import CheckReport, CheckRow, Note, QuestionOutcome, Stage
from tajsec.shacl.locate import Finding
from tajsec.shacl.result import SH
from tajsec.quality.validate import ValidationOutcome, as_json

EX = "http://example.org/"
SHAPES = """@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:S sh:targetNode ex:f ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ; sh:severity sh:Warning ] .
"""


def _results(tmp_path, data: str) -> list[shacl.ValidationResult]:
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES, encoding="utf-8")
    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    return shacl.validate(store, [path])


def test_values_keep_their_datatype_and_language(tmp_path):
    results = _results(tmp_path, f'<{EX}f> <{EX}p> "12"@en , "12"^^<http://www.w3.org/2001/XMLSchema#decimal> .')
    # as strings the two values are the same "12"; as terms they are not
    assert {r.value for r in results} == {ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
                                          ox.Literal("12", language="en")}
    assert {r.as_dict()["value"] for r in results} == {"12"}
    r = results[0]
    assert r.focus == ox.NamedNode(EX + "f") and r.path == ox.NamedNode(EX + "p")
    assert r.severity_name == "Warning" and not r.is_violation
    assert r.as_dict()["sourceConstraintComponent"] == SH + "DatatypeConstraintComponent"
    assert list(r.as_dict()) == ["focusNode", "resultPath", "value", "sourceShape", "sourceConstraintComponent",
                                 "severity", "message"]


def test_check_details_are_typed_and_print_as_before(tmp_path):
    result = _results(tmp_path, f'<{EX}f> <{EX}p> "x" .')[0]
    stage = Stage("x", False, "s", [Note("parse error"), CheckRow("q1", {"a": "1", "b": "2"}),
                                    QuestionOutcome("cq1", False, ["one", "two", "three", "four"]), result])
    assert [d.describe() for d in stage.details] == [
        "parse error", "q1: a=1, b=2", "cq1: one; two; three",
        f"{EX}f {EX}p: {result.message}"]
    report = CheckReport()
    report.add(stage)
    details = json.loads(json.dumps(report.as_dict()))["stages"][0]["details"]
    assert details[:3] == ["parse error", {"check": "q1", "row": {"a": "1", "b": "2"}},
                           {"question": "cq1", "ok": False, "problems": ["one", "two", "three", "four"]}]
    assert details[3]["focusNode"] == EX + "f" and details[3]["value"] == "x"


def test_validate_json_keeps_its_keys(tmp_path):
    result = _results(tmp_path, f'<{EX}f> <{EX}p> "x" .')[0]
    outcome = ValidationOutcome([Finding(result, "data.ttl", 3)], ["data.ttl"], "Violation")
    row = json.loads(as_json(outcome))["results"][0]
    assert row == {"severity": "Warning", "message": result.message, "focus": EX + "f", "path": EX + "p",
                   "value": "x", "shape": result.shape.value, "component": SH + "DatatypeConstraintComponent",
                   "file": "data.ttl", "line": 3,
                   # added by issue 21: the same as N-Triples terms, datatype and language kept
                   "terms": {"focus": f"<{EX}f>", "path": f"<{EX}p>", "value": '"x"'}}
    assert outcome.passes  # a warning, below the threshold
    assert not outcome.conforms  # sh:conforms: a result of any severity
