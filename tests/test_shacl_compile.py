"""The SHACL compiler (tajsec/shacl/compile/), construct by construct, with results worked out by
hand from the SHACL spec; and the behaviours mutation testing showed were untested
(tests/mutation/). The W3C core suite (test_shacl_suite.py) and the component walk
(test_shacl_coverage.py) run against the same mutants."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from tajsec import shacl

EX = "http://example.org/"
PREFIXES = """@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def run(tmp_path, shapes: str, data: str, fallback: bool = False) -> list[shacl.ValidationResult]:
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(PREFIXES + shapes, encoding="utf-8")
    assert shacl.unsupported_shapes([shapes_file]) == [], "compiled, not handed to pySHACL"
    store = ox.Store()
    store.load((PREFIXES + data).encode(), format=ox.RdfFormat.TURTLE)
    return shacl.validate(store, [shapes_file], fallback=fallback)


def found(results) -> list[tuple[str, str]]:
    """(focus local name, component local name) of each result, sorted."""
    return sorted((r.focus.value.rsplit("/", 1)[-1], r.component.value.rsplit("#", 1)[-1]) for r in results)


# -- sh:qualifiedValueShape (SHACL 4.7.3) --------------------------------------------------------

HAND = """
ex:Thumb1 a ex:Thumb . ex:F1 a ex:Finger . ex:F2 a ex:Finger . ex:F3 a ex:Finger . ex:F4 a ex:Finger .
ex:FT a ex:Finger , ex:Thumb .
ex:good a ex:Hand ; ex:digit ex:Thumb1 , ex:F1 , ex:F2 , ex:F3 , ex:F4 .
ex:both a ex:Hand ; ex:digit ex:FT , ex:F1 , ex:F2 , ex:F3 .
ex:two a ex:Hand ; ex:digit ex:Thumb1 , ex:FT , ex:F1 , ex:F2 , ex:F3 , ex:F4 .
"""
DIGITS = """
ex:Digits sh:property ex:Thumbs , ex:Fingers .
ex:Thumbs sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Thumb ] ;
    sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 {disjoint} .
ex:Fingers sh:path ex:digit ; sh:qualifiedValueShape [ sh:class ex:Finger ] ;
    sh:qualifiedMinCount 4 ; sh:qualifiedMaxCount 4 {disjoint} .
"""


def test_qualified_counts_without_disjointness(tmp_path):
    # ex:both: thumbs {FT} = 1, fingers {FT, F1, F2, F3} = 4: conforms.
    # ex:two: thumbs {Thumb1, FT} = 2 > 1; fingers {FT, F1..F4} = 5 > 4
    results = run(tmp_path, "ex:Digits sh:targetClass ex:Hand ." + DIGITS.format(disjoint=""), HAND)
    assert found(results) == [("two", "QualifiedMaxCountConstraintComponent")] * 2
    assert all(r.value is None and r.path == ox.NamedNode(EX + "digit") for r in results)


def test_qualified_counts_with_disjoint_siblings(tmp_path):
    # disjoint: a value that is both a thumb and a finger counts for neither.
    # ex:both: thumbs {} = 0 < 1; fingers {F1, F2, F3} = 3 < 4.
    # ex:two: thumbs {Thumb1} = 1; fingers {F1..F4} = 4: conforms
    shapes = "ex:Digits sh:targetClass ex:Hand ." + DIGITS.format(disjoint="; sh:qualifiedValueShapesDisjoint true")
    assert found(run(tmp_path, shapes, HAND)) == [("both", "QualifiedMinCountConstraintComponent")] * 2


def test_qualified_counts_nested_in_sh_node(tmp_path):
    # the same constraints on a shape used through sh:node: one result per hand that fails them
    shapes = ("ex:Root sh:targetClass ex:Hand ; sh:node ex:Digits ."
              + DIGITS.format(disjoint="; sh:qualifiedValueShapesDisjoint true"))
    assert found(run(tmp_path, shapes, HAND)) == [("both", "NodeConstraintComponent")]
    shapes = "ex:Root sh:targetClass ex:Hand ; sh:node ex:Digits ." + DIGITS.format(disjoint="")
    assert found(run(tmp_path, shapes, HAND)) == [("two", "NodeConstraintComponent")]


def test_qualified_min_count_zero_and_no_values(tmp_path):
    # qualifiedMinCount 0 asks nothing; a focus node without any value has 0 qualified values
    shapes = """ex:S sh:targetNode ex:a , ex:b ; sh:property [ sh:path ex:p ;
                    sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; sh:qualifiedMinCount 0 ] .
                ex:T sh:targetNode ex:a , ex:b ; sh:property [ sh:path ex:p ;
                    sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; sh:qualifiedMinCount 2 ] ."""
    results = run(tmp_path, shapes, 'ex:a ex:p 1 , 2 , "x" .')
    assert found(results) == [("b", "QualifiedMinCountConstraintComponent")]
    assert results[0].shape != ox.NamedNode(EX + "S")


def test_qualified_value_shape_without_counts_is_no_constraint(tmp_path):
    # SHACL 4.7.3 declares the constraint with at least one of the two counts: without either,
    # the qualified value shape is never checked, and nothing is handed to pySHACL
    shapes = "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:minLength 9 ] ] ."
    assert run(tmp_path, shapes, 'ex:a ex:p "x" .') == []


@pytest.mark.parametrize("count", ["sh:qualifiedMinCount 1 , 2", 'sh:qualifiedMinCount "one"'])
def test_malformed_qualified_counts_go_to_pyshacl_and_are_listed(tmp_path, count):
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(PREFIXES + "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; "
                           f"sh:qualifiedValueShape [ sh:minLength 9 ] ; {count} ] .", encoding="utf-8")
    [(shape, why)] = shacl.unsupported_shapes([shapes_file])
    assert shape == EX + "S" and "malformed sh:qualifiedMinCount" in why
