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
    # (another shape with properties comes first: the siblings are found under the right parent)
    shapes = ("ex:Other sh:property [ sh:path ex:z ; sh:minCount 0 ] . ex:Digits sh:targetClass ex:Hand ."
              + DIGITS.format(disjoint="; sh:qualifiedValueShapesDisjoint true"))
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


def test_nested_qualified_counts_of_zero(tmp_path):
    # in a shape used through sh:node: qualifiedMinCount 0 asks nothing; qualifiedMaxCount 0
    # fails as soon as one value qualifies (ex:a has an integer value, ex:b none)
    q = "sh:qualifiedValueShape [ sh:datatype xsd:integer ]"
    shapes = f"""ex:S sh:targetNode ex:a , ex:b ; sh:node [ sh:property [ sh:path ex:p ; {q} ; sh:qualifiedMinCount 0 ] ] .
                 ex:T sh:targetNode ex:a , ex:b ; sh:node [ sh:property [ sh:path ex:p ; {q} ; sh:qualifiedMaxCount 0 ] ] ."""
    results = run(tmp_path, shapes, 'ex:a ex:p 1 , "x" . ex:b ex:p "y" .')
    assert [(r.focus.value, r.shape.value) for r in results] == [(EX + "a", EX + "T")]


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


# -- what mutation testing showed untested ---------------------------------------------------------

def listed(tmp_path, shapes: str) -> list[tuple[str, str]]:
    shapes_file = tmp_path / "listed.ttl"
    shapes_file.write_text(PREFIXES + shapes, encoding="utf-8")
    return shacl.unsupported_shapes([shapes_file])


def test_generic_cardinality_messages_name_the_focus_node_and_the_path(tmp_path):
    results = run(tmp_path, "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 2 ] , "
                            "[ sh:path ex:q ; sh:maxCount 1 ] .", "ex:a ex:p 1 ; ex:q 1 , 2 .")
    assert sorted(r.message for r in results) == [f"Less than 2 values on {EX}a->{EX}p",
                                                  f"More than 1 values on {EX}a->{EX}q"]


def test_nested_min_count_zero_asks_nothing(tmp_path):
    # sh:minCount 0 in a shape used through sh:node: every node conforms to it
    shapes = "ex:S sh:targetNode ex:a ; sh:node [ sh:property [ sh:path ex:p ; sh:minCount 0 ] ] ."
    assert run(tmp_path, shapes, "ex:a ex:q 1 .") == []


def test_property_shape_parameters_on_a_node_shape_are_listed_with_the_reason(tmp_path):
    [(shape, why)] = listed(tmp_path, "ex:S sh:targetNode ex:a ; sh:minCount 1 .")
    assert shape == EX + "S" and why == f"sh:minCount on a node shape, where SHACL does not define it (on {EX}S)"


def test_a_custom_constraint_component_is_listed(tmp_path):
    shapes = """ex:Custom a sh:ConstraintComponent ; sh:parameter [ sh:path ex:answer ] ;
                    sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER ($value = $answer) }" ] .
                ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; ex:answer 42 ] ."""
    [(shape, why)] = listed(tmp_path, shapes)
    assert shape == EX + "S" and why.startswith(f"a parameter of a custom constraint component <{EX}answer>")


def test_an_active_sh_not_after_a_deactivated_one_is_checked(tmp_path):
    shapes = """ex:S sh:targetNode ex:a ; sh:not ex:Off , ex:On .
                ex:Off sh:deactivated true ; sh:class ex:C .
                ex:On sh:class ex:C ."""
    assert found(run(tmp_path, shapes, "ex:a a ex:C .")) == [("a", "NotConstraintComponent")]


def test_a_literal_path_is_listed_as_such(tmp_path):
    [(_, why)] = listed(tmp_path, 'ex:S sh:targetNode ex:a ; sh:property [ sh:path "p" ; sh:minCount 1 ] .')
    assert why == "a literal as sh:path"


@pytest.mark.parametrize("path, values", [
    ("( ex:q ex:p )", {"1_000"}), ("[ sh:alternativePath ( ex:x ex:p ) ]", {"1_000", "2_000"}),
    ("[ sh:inversePath [ sh:inversePath ex:p ] ]", {"1_000", "2_000"}), ("[ sh:oneOrMorePath ex:p ]", {"1_000", "2_000"}),
])
def test_ill_typed_literals_are_found_through_complex_paths(tmp_path, path, values):
    # "1_000" is not in the lexical space of xsd:integer: sh:datatype xsd:integer fails on it,
    # whichever path leads to it (the scan for ill-typed literals follows the path's predicates)
    data = 'ex:a ex:q ex:b ; ex:p "2_000"^^xsd:integer . ex:b ex:p "1_000"^^xsd:integer .'
    shapes = f"ex:S sh:targetNode ex:a , ex:b ; sh:property [ sh:path {path} ; sh:datatype xsd:integer ] ."
    results = run(tmp_path, shapes, data)
    assert all(r.component.value.endswith("#DatatypeConstraintComponent") for r in results)
    assert {r.value.value for r in results} == values


def test_nested_equals_and_disjoint_are_not_confused(tmp_path):
    # ex:a: p = q = {1}: equal, not disjoint; ex:b: p = {1}, q = {2}: disjoint, not equal
    data = "ex:a ex:p 1 ; ex:q 1 . ex:b ex:p 1 ; ex:q 2 ."
    eq = "ex:S sh:targetNode ex:a , ex:b ; sh:node [ sh:property [ sh:path ex:p ; sh:equals ex:q ] ] ."
    assert found(run(tmp_path, eq, data)) == [("b", "NodeConstraintComponent")]
    dis = "ex:S sh:targetNode ex:a , ex:b ; sh:node [ sh:property [ sh:path ex:p ; sh:disjoint ex:q ] ] ."
    assert found(run(tmp_path, dis, data)) == [("a", "NodeConstraintComponent")]


def test_a_shape_that_is_not_a_class_has_no_implicit_class_target(tmp_path):
    # only a shape that is also an rdfs:Class targets its instances (SHACL 2.1.3.1)
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:class ex:C ."
    assert found(run(tmp_path, shapes, "ex:a a ex:C . ex:b a ex:S .")) == []
    shapes = "ex:S a sh:NodeShape , rdfs:Class ; sh:class ex:C ."
    assert found(run(tmp_path, shapes, "ex:a a ex:C . ex:b a ex:S .")) == [("b", "ClassConstraintComponent")]


# -- SPARQL-based constraints (SHACL 5) -----------------------------------------------------------

def test_sparql_constraint_on_a_node_shape_with_prefixes_and_message(tmp_path):
    shapes = """ex:S sh:targetClass ex:Dog ; sh:sparql [ sh:prefixes ex:decl ;
                    sh:message "{$this} is older than {?value}" ;
                    sh:select "SELECT $this ?value WHERE { $this ex:age ?value . FILTER(?value > 10) }" ] .
                ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] ."""
    results = run(tmp_path, shapes, "ex:rex a ex:Dog ; ex:age 12 . ex:tom a ex:Dog ; ex:age 3 . ex:cat ex:age 20 .")
    assert [(r.focus.value, r.value.value, r.message) for r in results] == [
        (EX + "rex", "12", f"{EX}rex is older than 12")]
    assert results[0].component.value.endswith("#SPARQLConstraintComponent") and results[0].path is None


def test_sparql_constraint_on_a_property_shape_uses_path_and_projects_this(tmp_path):
    # $PATH is the shape's path; a query that does not project $this gets it projected
    shapes = """ex:S sh:targetNode ex:a , ex:b ; sh:property [ sh:path ex:p ; sh:sparql [
                    sh:select "SELECT ?value WHERE { $this $PATH ?value . FILTER(?value < 0) }" ] ] ."""
    results = run(tmp_path, shapes, "ex:a ex:p -1 , 2 . ex:b ex:p 3 ; ex:q -5 .")
    assert [(r.focus.value, r.value.value, r.path) for r in results] == [(EX + "a", "-1", ox.NamedNode(EX + "p"))]


def test_sparql_constraint_with_current_shape(tmp_path):
    # $currentShape is the shape's IRI; the query reads the data graph, which says ex:S's limit
    shapes = """ex:S sh:targetNode ex:a , ex:b ; sh:sparql [ sh:select \"\"\"SELECT $this WHERE {
                    $currentShape <http://example.org/limit> ?l . $this <http://example.org/n> ?n . FILTER(?n > ?l) }\"\"\" ] ."""
    data = "ex:S ex:limit 5 . ex:T ex:limit 1 . ex:a ex:n 7 . ex:b ex:n 3 ."
    assert found(run(tmp_path, shapes, data)) == [("a", "SPARQLConstraintComponent")]


@pytest.mark.parametrize("select", [
    # a comment and a string holding braces and the word SELECT before the query's own brace
    "# SELECT { a comment\\nSELECT $this (\\\"{SELECT}\\\" AS ?x) WHERE { $this <http://example.org/n> 1 }",
    # a PREFIX before the SELECT, whose name ends in 'select'; $this projected already
    "PREFIX preselect: <http://example.org/>\\nSELECT DISTINCT $this WHERE { $this preselect:n 1 }",
    # lower case, with a sub-select
    "select ?this where { { select ?this where { ?this <http://example.org/n> 1 } } }",
    # an escaped quote in a string; a group nested in the WHERE clause
    r'SELECT $this ("a\\"{" AS ?x) WHERE { $this <http://example.org/n> 1 FILTER NOT EXISTS { $this a ?t } }',
    # an IRI right before SELECT; SELECT *; a query ending in a letter
    "PREFIX e: <http://example.org/>SELECT * WHERE { $this e:n 1 } ORDER BY $this",
    "SELECT $this WHERE { $this <http://example.org/n> 1 } ORDER BY $this",
    # no space after SELECT, none before WHERE's brace; an empty comment as the last character
    "SELECT?this WHERE{$this <http://example.org/n> 1}",
    "SELECT $this WHERE { $this <http://example.org/n> 1 } #",
    # a less-than in the projection, an IRI holding the word SELECT before the query's SELECT
    "SELECT $this (1 < 2 AS ?lt) WHERE { $this <http://example.org/n> ?n FILTER(?n > 0) }",
    "PREFIX sel: <http://example.org/SELECT/>\nSELECT $this WHERE { $this <http://example.org/n> 1 }",
    # a long string holding a quote and a brace
    "SELECT $this (\'\'\'a\'{\'\'\' AS ?x) WHERE { $this <http://example.org/n> 1 }",
])
def test_the_focus_nodes_go_into_any_select(tmp_path, select):
    shapes = f'ex:S sh:targetNode ex:a ; sh:sparql [ sh:select """{select}""" ] .'
    assert found(run(tmp_path, shapes, "ex:a ex:n 1 . ex:b ex:n 1 .")) == [("a", "SPARQLConstraintComponent")]


@pytest.mark.parametrize("select, why", [
    ('ASK { $this ?p ?o }', "a SPARQL constraint that is not a SELECT query"),
    ('# SELECT $this WHERE { $this ?p ?o }', "a SPARQL constraint that is not a SELECT query"),   # all comment
    ('SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }', "SERVICE, MINUS or VALUES in a SPARQL constraint"),
    ('SELECT $this WHERE { GRAPH $shapesGraph { ?s ?p ?o } }', "$shapesGraph in a SPARQL constraint"),
])
def test_sparql_constraints_the_compiler_cannot_do_are_listed(tmp_path, select, why):
    [(shape, reason)] = listed(tmp_path, f'ex:S sh:targetNode ex:a ; sh:sparql [ sh:select "{select}" ] .')
    assert shape == EX + "S" and reason == why


def test_a_sparql_constraint_without_select_is_listed(tmp_path):
    [(_, why)] = listed(tmp_path, 'ex:S sh:targetNode ex:a ; sh:sparql ex:c . ex:c sh:message "m" .')
    assert why == f"an sh:sparql constraint without sh:select ({EX}c)"


def test_current_shape_of_a_blank_node_shape_is_listed(tmp_path):
    shapes = 'ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:sparql [ sh:select "SELECT $this WHERE { $currentShape ?p ?o }" ] ] .'
    [(_, why)] = listed(tmp_path, shapes)
    assert why == "$currentShape of a blank-node shape"


def test_a_deactivated_sparql_constraint_is_not_run(tmp_path):
    shapes = 'ex:S sh:targetNode ex:a ; sh:sparql [ sh:deactivated true ; sh:select "SELECT $this WHERE { }" ] .'
    assert run(tmp_path, shapes, "ex:a ex:n 1 .") == []


def test_shapes_after_a_deactivated_or_targetless_root_are_compiled(tmp_path):
    shapes = """ex:A sh:targetNode ex:a ; sh:deactivated true ; sh:class ex:C .
                ex:B sh:targetNode ex:a ; sh:class ex:C .
                ex:D a sh:NodeShape , rdfs:Class ; sh:deactivated true ; sh:class ex:C .
                ex:E sh:targetNode ex:a ; sh:datatype xsd:string ."""
    assert found(run(tmp_path, shapes, "ex:a ex:p 1 .")) == [("a", "ClassConstraintComponent"),
                                                             ("a", "DatatypeConstraintComponent")]


@pytest.mark.parametrize("shape, why", [
    ('ex:S sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ?p ?o }" ] ; sh:class ex:C .',
     "SHACL-AF sh:target (on ex:S)"),
    ('ex:S sh:targetNode ex:a ; sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:p ; sh:object 1 ] .',
     "SHACL-AF sh:rule (on ex:S)"),
    ('ex:S sh:targetNode ex:a ; sh:js [ sh:jsFunctionName "f" ] .', "sh:js (on ex:S)"),
    ('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:node [ sh:expression [ ex:f ex:g ] ] ] .',
     "SHACL-AF sh:expression (on a blank-node shape)"),
])
def test_shacl_af_and_javascript_are_listed_never_skipped(tmp_path, shape, why):
    [(s, reason)] = listed(tmp_path, shape)
    assert s == EX + "S" and reason == why.replace("ex:S", EX + "S")


def test_generic_messages_of_property_pairs_has_value_and_qualified_counts(tmp_path):
    shapes = """ex:S sh:targetNode ex:a ; sh:property
                  [ sh:path ex:p ; sh:equals ex:q ] , [ sh:path ex:p ; sh:disjoint ex:r ] ,
                  [ sh:path ex:p ; sh:lessThan ex:q ] , [ sh:path ex:p ; sh:lessThanOrEquals ex:s ] ,
                  [ sh:path ex:p ; sh:hasValue 9 ] ,
                  [ sh:path ex:p ; sh:qualifiedValueShape ex:Int ; sh:qualifiedMinCount 3 ] ,
                  [ sh:path ex:p ; sh:qualifiedValueShape ex:Int ; sh:qualifiedMaxCount 0 ] .
                ex:Int sh:datatype xsd:integer ."""
    results = run(tmp_path, shapes, "ex:a ex:p 2 ; ex:q 1 ; ex:r 2 ; ex:s 1 .")
    a, p = f"{EX}a", f"{EX}p"
    assert sorted({r.message for r in results}) == sorted([
        f"Value of {a}->{p} != {EX}q", f"Value of {a}->{p} == {EX}r", f"Value of {a}->{p} < {EX}q",
        f"Value of {a}->{p} <= {EX}s", f"Node {a}->{p} does not contain a value in the set: ['9']",
        f"Focus node does not conform to shape MinCount 3: {EX}Int on {a}->{p}",
        f"Focus node does not conform to shape MaxCount 0: {EX}Int on {a}->{p}"])


def test_an_english_message_is_preferred_whatever_the_order(tmp_path):
    shapes = 'ex:S sh:targetNode ex:a ; sh:class ex:C ; sh:message "Zz: not a C"@en , "Aa: kein C"@de .'
    assert [r.message for r in run(tmp_path, shapes, "ex:a ex:p 1 .")] == ["Zz: not a C"]


def test_several_min_counts_of_one_run_as_one_batch(tmp_path):
    # constraints with the same focus nodes share one query (query.batch); each is reported
    shapes = """ex:S sh:targetNode ex:a , ex:b ; sh:property [ sh:path ex:p ; sh:minCount 1 ] ,
                    [ sh:path ex:q ; sh:minCount 1 ] , [ sh:path ex:r ; sh:maxCount 0 ] ."""
    results = run(tmp_path, shapes, "ex:a ex:p 1 ; ex:r 1 . ex:b ex:q 1 .")
    assert sorted((r.focus.value[-1], r.path.value[-1], r.component.value.rsplit("#")[1]) for r in results) == [
        ("a", "q", "MinCountConstraintComponent"), ("a", "r", "MaxCountConstraintComponent"),
        ("b", "p", "MinCountConstraintComponent")]


def test_a_qualified_min_count_of_zero_leaves_the_max_count_checked(tmp_path):
    shapes = """ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ;
                    sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; sh:qualifiedMinCount 0 ; sh:qualifiedMaxCount 1 ] ."""
    assert found(run(tmp_path, shapes, "ex:a ex:p 1 , 2 .")) == [("a", "QualifiedMaxCountConstraintComponent")]


@pytest.mark.parametrize("kind", ['"http://www.w3.org/ns/shacl#IRI"', "ex:IRI", "sh:Literally"])
def test_a_node_kind_that_is_not_one_of_the_six_is_listed(tmp_path, kind):
    [(_, why)] = listed(tmp_path, f"ex:S sh:targetNode ex:a ; sh:nodeKind {kind} .")
    assert why.startswith("sh:nodeKind ")


@pytest.mark.parametrize("where", [
    # the walk meets a deactivated shape, and one it has seen, before the forgotten constraint
    """sh:property ex:P ; sh:node ex:Off , ex:Seen ; sh:not ex:Seen .
       ex:Off sh:deactivated true ; sh:class ex:C .  ex:Seen sh:class ex:C .
       ex:P sh:path ex:p ; sh:maxInclusive 1 .""",
    # the forgotten constraint in a qualified value shape with only one of the two counts
    "sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:maxInclusive 1 ] ; sh:qualifiedMinCount 1 ] .",
    "sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:maxInclusive 1 ] ; sh:qualifiedMaxCount 1 ] .",
    # the forgotten constraint in a member of a logical list
    "sh:and ( [ sh:class ex:C ] [ sh:maxInclusive 1 ] ) .",
    "sh:or ( [ sh:class ex:C ] [ sh:maxInclusive 1 ] ) .",
    "sh:xone ( [ sh:class ex:C ] [ sh:maxInclusive 1 ] ) .",
])
def test_the_ledger_walks_every_shape_a_root_uses(tmp_path, monkeypatch, where):
    """Were a chapter to forget a component, the shape is listed, wherever the constraint is."""
    from tajsec.shacl.compile import compile_graph, value_range
    from tajsec.shacl.shapes import ShapesGraph, triples_of

    monkeypatch.setattr(value_range, "value_checks", lambda c, s, v: [])
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + "ex:Root sh:targetNode ex:f ; " + where)
    compiled = compile_graph(ShapesGraph(triples_of([path])))
    assert [s for s, _ in compiled.unsupported] == [EX + "Root"]
    assert "sh:maxInclusive" in compiled.unsupported[0][1]


def test_a_property_shape_nested_in_itself_is_listed_as_recursive(tmp_path):
    [(_, why)] = listed(tmp_path, "ex:P sh:targetNode ex:a ; sh:path ex:p ; sh:property ex:P .")
    assert why == f"a recursive shape ({EX}P)"


def test_nested_qualified_counts_up_to_the_limit_compile(tmp_path):
    # in a shape used through sh:node, a count needs as many distinct values in one pattern:
    # up to 5 compiled (min 5: 5 values; max 4: 5 values), beyond that handed to pySHACL
    from tajsec.shacl.compile.shape_based import NESTED_QUALIFIED_LIMIT

    assert NESTED_QUALIFIED_LIMIT == 5
    q = "sh:qualifiedValueShape [ sh:datatype xsd:integer ]"
    for count, bad in (("sh:qualifiedMinCount 5", False), ("sh:qualifiedMaxCount 4", True)):
        shapes = f"ex:S sh:targetNode ex:a ; sh:node [ sh:property [ sh:path ex:p ; {q} ; {count} ] ] ."
        assert found(run(tmp_path, shapes, 'ex:a ex:p 1 , 2 , 3 , 4 , 5 , "x" .')) == (
            [("a", "NodeConstraintComponent")] if bad else [])
    [(_, why)] = listed(tmp_path, f"ex:S sh:targetNode ex:a ; sh:node [ sh:property [ sh:path ex:p ; {q} ; "
                                  "sh:qualifiedMaxCount 5 ] ] .")
    assert why == "sh:qualifiedMaxCount 5 in a shape used inside another (on a blank-node shape)"


def test_generic_string_length_messages(tmp_path):
    shapes = "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minLength 3 ] , [ sh:path ex:q ; sh:maxLength 1 ] ."
    assert sorted(r.message for r in run(tmp_path, shapes, 'ex:a ex:p "ab" ; ex:q "ab" .')) == [
        "String length not <= 1", "String length not >= 3"]


def test_a_shape_without_targets_is_not_validated_on_its_own(tmp_path):
    shapes = "ex:Lonely a sh:NodeShape ; sh:class ex:C . ex:P a sh:PropertyShape ; sh:path ex:p ; sh:minCount 2 ."
    assert run(tmp_path, shapes, "ex:a ex:p 1 . ex:Lonely ex:p 1 .") == []
