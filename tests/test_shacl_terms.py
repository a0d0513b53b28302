"""Issue 21, exact terms: literals are compared by RDF term equality and reported as written,
although pyoxigraph's store keeps them by value ("01"^^xsd:integer and "1"^^xsd:integer are one
stored term; "1"^^xsd:byte comes back as xsd:integer; "4.0"^^xsd:decimal as "4"). The expected
results are worked out from the SHACL spec, not read off the program."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from tajsec import shacl
from tajsec.cli import main

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = """@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def lit(lexical: str, datatype: str) -> ox.Literal:
    return ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))


def run(tmp_path, shapes: str, data: str, fallback: bool = True) -> list[shacl.ValidationResult]:
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(PREFIXES + shapes, encoding="utf-8")
    data_file = tmp_path / "data.ttl"
    data_file.write_text(PREFIXES + data, encoding="utf-8")
    return shacl.validate(data_file, [shapes_file], fallback=fallback)


def values(results) -> set:
    return {(r.focus.value, r.value, r.component.value.rsplit("#")[1]) for r in results}


def test_sh_in_tells_01_from_1(tmp_path):
    # "01"^^xsd:integer is not the term "1"^^xsd:integer (RDF 1.1 term equality), so not in the list
    results = run(tmp_path, "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:in ( 1 ) ] .",
                  'ex:a ex:p "01"^^xsd:integer , "1"^^xsd:integer .')
    assert values(results) == {(EX + "a", lit("01", "integer"), "InConstraintComponent")}


def test_sh_has_value_is_a_term_not_a_value(tmp_path):
    # ex:b has 4.0 written as "4.0": that is the value asked for; ex:a has "4", another term
    results = run(tmp_path, "ex:S sh:targetNode ex:a , ex:b ; sh:property [ sh:path ex:p ; sh:hasValue 4.0 ] .",
                  'ex:a ex:p "4"^^xsd:decimal . ex:b ex:p 4.0 .')
    assert values(results) == {(EX + "a", None, "HasValueConstraintComponent")}


def test_derived_integer_datatypes_are_kept(tmp_path):
    # "1"^^xsd:byte is an xsd:byte and not an xsd:integer literal (sh:datatype compares the
    # datatype IRI); "300"^^xsd:byte is ill-typed (out of range)
    shapes = """ex:B sh:targetNode ex:a ; sh:path ex:p ; sh:datatype xsd:byte .
                ex:I sh:targetNode ex:a ; sh:path ex:p ; sh:datatype xsd:integer ."""
    results = run(tmp_path, shapes, 'ex:a ex:p "1"^^xsd:byte , "300"^^xsd:byte , 7 .')
    assert sorted((r.shape.value.rsplit("/")[-1], str(r.value)) for r in results) == sorted([
        ("B", str(lit("300", "byte"))), ("B", str(lit("7", "integer"))),
        ("I", str(lit("1", "byte"))), ("I", str(lit("300", "byte")))])


def test_reported_values_keep_their_lexical_form_and_comparisons_their_value(tmp_path):
    # maxExclusive 4: 4.0 (value 4) and 4.1 fail, 3.9 passes; they are reported as written
    results = run(tmp_path, "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxExclusive 4 ] .",
                  "ex:a ex:p 4.0 , 4.10 , 3.9 .")
    assert {r.value for r in results} == {lit("4.0", "decimal"), lit("4.10", "decimal")}
    # and the pattern sees the lexical form as written: "4.10" ends in 0
    results = run(tmp_path, 'ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:pattern "0$" ] .',
                  "ex:a ex:p 4.10 , 3.9 .")
    assert {r.value for r in results} == {lit("3.9", "decimal")}


def test_unique_lang_reports_each_repeated_tag(tmp_path):
    # "en" three times and "de" twice: two tags used more than once, two results; "fr" once
    results = run(tmp_path, "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .",
                  'ex:a ex:p "a"@en , "b"@en , "c"@EN , "d"@de , "e"@de , "f"@fr , "g" .')
    assert len(results) == 2
    assert {r.component.value.rsplit("#")[1] for r in results} == {"UniqueLangConstraintComponent"}


def test_has_value_on_a_node_shape_reports_no_value(tmp_path):
    results = run(tmp_path, "ex:S sh:targetNode ex:a , ex:b ; sh:hasValue ex:b .", "ex:a ex:p ex:b .")
    assert values(results) == {(EX + "a", None, "HasValueConstraintComponent")}


def test_the_store_is_given_back_as_it_was(tmp_path):
    parsed = list(ox.parse(f'<{EX}a> <{EX}p> "01"^^<{XSD}integer> , "1"^^<{XSD}byte> .'.encode(),
                           format=ox.RdfFormat.TURTLE))
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in parsed)
    before = sorted(map(str, store))
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(PREFIXES + "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:in ( 1 ) ] .")
    results = shacl.validate(store, [shapes_file], as_parsed=parsed)
    assert {r.value for r in results} == {lit("01", "integer"), lit("1", "byte")}
    assert sorted(map(str, store)) == before
    # without the parsed triples the store's canonical terms are all there is: "1" is in the list
    assert shacl.validate(store, [shapes_file]) == []


def test_fallback_reports_our_blank_nodes(tmp_path):
    # a SPARQL constraint in a shape used by sh:node goes to pySHACL, which relabels blank
    # nodes: the focus node must be the data's own blank node, so that it can be located
    data = "[] a ex:Hand ; ex:digit ex:d1 ."
    shapes = ('ex:S sh:targetClass ex:Hand ; sh:node ex:Inner . ex:Inner sh:sparql [ sh:select "SELECT $this '
              'WHERE { FILTER NOT EXISTS { $this <http://example.org/thumb> ?t } }" ] .')
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(PREFIXES + shapes, encoding="utf-8")
    parsed = list(ox.parse((PREFIXES + data).encode(), format=ox.RdfFormat.TURTLE))
    hand = parsed[0].subject
    assert isinstance(hand, ox.BlankNode)
    assert shacl.unsupported_shapes([shapes_file])   # handed to pySHACL
    results = shacl.validate(parsed, [shapes_file])
    assert [(r.focus, r.component.value.rsplit("#")[1]) for r in results] == [(hand, "NodeConstraintComponent")]


def test_conforms_is_sh_conforms_and_severity_decides_the_exit(tmp_path):
    shapes = tmp_path / "s.ttl"
    shapes.write_text(PREFIXES + "ex:S sh:targetNode ex:a ; sh:severity sh:Warning ; "
                                 "sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ] .")
    data = tmp_path / "d.ttl"
    data.write_text(PREFIXES + "ex:a ex:q 1 .\n")
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(data), "--shapes", str(shapes), "--format", "json"])
    assert res.exit_code == 0, res.output   # a warning, below the default threshold
    doc = json.loads(res.output)
    assert doc["conforms"] is False and doc["passes"] is True
    assert [(r["focus"], r["severity"], r["line"]) for r in doc["results"]] == [(EX + "a", "Warning", 4)]  # line 4: after three @prefix lines
    res = runner.invoke(main, ["validate", str(data), "--shapes", str(shapes), "--severity", "warning"])
    assert res.exit_code == 1
    assert f"{data}:4: warning:" in res.output


@pytest.mark.parametrize("ext, text", [
    ("nt", f'<{EX}S> <http://www.w3.org/ns/shacl#targetNode> <{EX}a> .\n'
           f'<{EX}S> <http://www.w3.org/ns/shacl#class> <{EX}C> .\n'),
    ("jsonld", json.dumps({"@id": EX + "S", "http://www.w3.org/ns/shacl#targetNode": {"@id": EX + "a"},
                           "http://www.w3.org/ns/shacl#class": {"@id": EX + "C"}})),
])
def test_users_shapes_in_any_format(tmp_path, ext, text):
    shapes = tmp_path / f"shapes.{ext}"
    shapes.write_text(text, encoding="utf-8")
    data = tmp_path / "d.ttl"
    data.write_text(PREFIXES + "\nex:a ex:p 1 .\n")
    res = CliRunner().invoke(main, ["validate", str(data), "--shapes", str(shapes)])
    assert res.exit_code == 1, res.output
    assert f"{data}:5: violation:" in res.output and "ClassConstraintComponent" not in res.output
    assert "1 violations" in res.output.splitlines()[-1]


_BLANK_NODE_DATA = {
    "ttl": ('\nex:a ex:q [ ex:p "01"^^xsd:integer , "4.0"^^xsd:decimal ] .\n'
            '_:b ex:r ex:a ; ex:p "01"^^xsd:integer .\n'),
    "nt": (f'<{EX}a> <{EX}q> _:n .\n_:n <{EX}p> "01"^^<{XSD}integer> .\n_:n <{EX}p> "4.0"^^<{XSD}decimal> .\n'
           f'_:b <{EX}r> <{EX}a> .\n_:b <{EX}p> "01"^^<{XSD}integer> .\n'),
    "trig": ('\n{ ex:a ex:q [ ex:p "01"^^xsd:integer , "4.0"^^xsd:decimal ] .\n'
             '_:b ex:r ex:a ; ex:p "01"^^xsd:integer . }\n'),
}


@pytest.mark.parametrize("ext", sorted(_BLANK_NODE_DATA))
def test_validate_keeps_the_literals_of_blank_nodes_as_written(tmp_path, ext):
    # `tajsec validate` builds a store, which relabels blank nodes and keeps literals by value:
    # the literals under blank nodes too must be compared and reported as the file wrote them.
    # The value nodes are "01"^^xsd:integer (not the term 1, so not in the list: SHACL 4.8.2)
    # and "4.0"^^xsd:decimal (reported as written, not as "4"), for each of the two blank nodes
    # that have them.
    from tajsec.core.project import Project
    from tajsec.quality.validate import validate

    shapes = tmp_path / "s.ttl"
    shapes.write_text(PREFIXES + "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:in ( 1 ) ] .\n")
    file = tmp_path / f"d.{ext}"
    file.write_text(("" if ext == "nt" else PREFIXES) + _BLANK_NODE_DATA[ext], encoding="utf-8")
    project = Project.find(Path(__file__).resolve().parent.parent)
    outcome = validate(project, [file], shapes=[shapes])
    got = sorted((type(f.result.focus).__name__, str(f.result.value)) for f in outcome.findings)
    assert got == sorted([("BlankNode", str(lit("01", "integer"))), ("BlankNode", str(lit("4.0", "decimal"))),
                          ("BlankNode", str(lit("01", "integer")))])
    assert all(f.file == str(file) for f in outcome.findings)


def test_shapes_pyshacl_refuses_are_a_clear_error_not_a_crash(tmp_path):
    # VALUES is not allowed in a SPARQL constraint (SHACL 5.3.1): the compiler lists the shape,
    # and pySHACL, which gets it, refuses the shapes graph: exit 2 with a one-line error
    shapes = tmp_path / "s.ttl"
    shapes.write_text(PREFIXES + 'ex:S sh:targetNode ex:a ; sh:sparql [ sh:select '
                                 '"SELECT $this WHERE { VALUES ?x { 1 } $this ?p ?x }" ] .\n')
    data = tmp_path / "d.ttl"
    data.write_text(PREFIXES + "ex:a ex:p 1 .\n")
    assert "VALUES" in shacl.unsupported_shapes([shapes])[0][1]
    res = CliRunner().invoke(main, ["validate", str(data), "--shapes", str(shapes)])
    assert res.exit_code == 2, res.output
    assert "error: the shapes cannot be validated" in res.output
    assert "Traceback" not in res.output


def test_json_results_carry_the_terms_with_datatype_and_language(tmp_path):
    # "value" is the lexical form (as before); "terms" gives each as an N-Triples term, so that
    # "4.0"^^xsd:decimal, "4.0"@en and "4.0" stay three different values
    shapes = tmp_path / "s.ttl"
    shapes.write_text(PREFIXES + "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxLength 2 ] .\n")
    data = tmp_path / "d.ttl"
    data.write_text(PREFIXES + 'ex:a ex:p 4.0 , "4.0"@en , "4.0" .\n')
    res = CliRunner().invoke(main, ["validate", str(data), "--shapes", str(shapes), "--format", "json"])
    doc = json.loads(res.output)
    assert {r["value"] for r in doc["results"]} == {"4.0"}
    assert sorted(r["terms"]["value"] for r in doc["results"]) == sorted(
        [f'"4.0"^^<{XSD}decimal>', '"4.0"@en', '"4.0"'])
    assert {(r["terms"]["focus"], r["terms"]["path"]) for r in doc["results"]} == {(f"<{EX}a>", f"<{EX}p>")}


def test_the_pyshacl_engine_sees_the_literals_as_written_too(tmp_path):
    # --engine pyshacl (the reference) on the same data: the store keeps "1"^^xsd:byte as
    # "1"^^xsd:integer, but the file wrote an xsd:byte, under a blank node too: sh:datatype
    # xsd:byte holds for both, in both engines; "x"^^xsd:byte (ill-typed) fails in both
    shapes = tmp_path / "s.ttl"
    shapes.write_text(PREFIXES + "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:byte ] .\n")
    data = tmp_path / "d.ttl"
    data.write_text(PREFIXES + 'ex:a ex:p "1"^^xsd:byte ; ex:q [ ex:p "2"^^xsd:byte ] . ex:b ex:p "x"^^xsd:byte .\n')
    out = {}
    for engine in ("fast", "pyshacl"):
        res = CliRunner().invoke(main, ["validate", str(data), "--shapes", str(shapes), "--format", "json",
                                        "--engine", engine])
        out[engine] = [(r["focus"], r["terms"]["value"]) for r in json.loads(res.output)["results"]
                       if r.get("source") != "loader"]
    assert out["pyshacl"] == out["fast"] == [(EX + "b", f'"x"^^<{XSD}byte>')]


def test_altered_literals_are_found_however_many_are_asked_about_at_once(monkeypatch):
    from tajsec.shacl import terms

    monkeypatch.setattr(terms, "CACHE_MAX", 3)
    monkeypatch.setattr(terms, "_canonical_cache", {})
    lits = [ox.Literal(f"0{i}", datatype=ox.NamedNode(XSD + "integer")) for i in range(5)]
    plain = [ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer")) for i in range(1, 5)]
    assert terms.altered(lits + plain) == set(lits)   # more than the cache holds, asked at once
    assert terms.altered(lits[:2]) == set(lits[:2])   # and again, after it was emptied
