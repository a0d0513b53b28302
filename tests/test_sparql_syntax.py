"""The fast reader of SPARQL patterns the tracer and the build's derivation record rely on."""
from __future__ import annotations

import pytest

from tajsec.core.namespaces import RDF_TYPE, TS
from tajsec.core.sparql_shape import Iri, Lit, PathInv, PathMod, PathNeg, PathSeq, Var
from tajsec.core.sparql_syntax import SyntaxNotTraced, parse

P = f"PREFIX ts: <{TS}>\n"


def test_patterns_with_their_context():
    q = parse(P + """SELECT ?a (COUNT(?b) AS ?n) WHERE {
        ?a a ts:X ; ts:p ?b , "x"@EN .
        OPTIONAL { ?a ts:q [ ts:r 5 ] }
        { ?a ts:s ?c } UNION { ?a ts:t ?c }
        FILTER NOT EXISTS { ?a ts:u true }
        FILTER(?b != "}")  # a brace in a string and a comment {
        ?a ^ts:v/ts:w+ ?d .
      } GROUP BY ?a ORDER BY DESC(?n)""")
    sel = q.select
    assert sel.projection == [("a", "var"), ("n", "aggregate")] and sel.grouped and sel.group_by == ["a"]
    by = {(p.s, p.p, p.o): p.context for p in sel.patterns}
    assert by[(Var("a"), Iri(RDF_TYPE), Iri(TS + "X"))] == "required"
    assert by[(Var("a"), Iri(TS + "p"), Lit("x", language="en"))] == "required"
    anon = [p for p in sel.patterns if p.p == Iri(TS + "q")][0]
    assert anon.context == "optional" and anon.o.name.startswith(" ")
    assert by[(anon.o, Iri(TS + "r"), Lit("5", datatype="http://www.w3.org/2001/XMLSchema#integer"))] == "optional"
    assert by[(Var("a"), Iri(TS + "s"), Var("c"))] == "union" == by[(Var("a"), Iri(TS + "t"), Var("c"))]
    assert by[(Var("a"), Iri(TS + "u"), Lit("true", datatype="http://www.w3.org/2001/XMLSchema#boolean"))] == "not-exists"
    assert by[(Var("a"), PathSeq((PathInv(Iri(TS + "v")), PathMod(Iri(TS + "w"), "+"))), Var("d"))] == "required"
    assert q.where_text().startswith("{") and q.where_text().endswith("}")


def test_sub_select_and_default_prefixes():
    q = parse("SELECT ?x WHERE { { SELECT ?x (MAX(?v) AS ?m) WHERE { ?x ts:v ?v } GROUP BY ?x } }", {"ts": TS})
    sub = q.select.subselects[0]
    assert sub.grouped and sub.group_by == ["x"] and sub.patterns[0].p == Iri(TS + "v")


def test_dataset_graph_collections_negated_sets_and_groups():
    q = parse(P + """SELECT ?a FROM <http://g/1> FROM NAMED <http://g/2> WHERE {
        ?a ts:p ( 1 ?b ) .
        GRAPH ?g { ?a !(ts:q|^ts:r) ?c OPTIONAL { ?c ts:s [ ts:t ?d ] } }
        { ?a ts:u ?e } UNION { ?a ts:v ?e }
        ?a !a ?f ; ts:w () }""")
    assert q.default_graphs == ["http://g/1"] and q.named_graphs == ["http://g/2"] and q.declares_dataset
    assert q.dataset_text == "FROM <http://g/1> FROM NAMED <http://g/2>"
    by = {(p.s, p.p, p.o): p for p in q.select.patterns}
    rdf = RDF_TYPE.removesuffix("type")
    head = next(p for p in q.select.patterns if p.p == Iri(TS + "p")).o
    second = by[(head, Iri(rdf + "rest"), Var(" anon2"))].o
    assert by[(head, Iri(rdf + "first"), Lit("1", datatype="http://www.w3.org/2001/XMLSchema#integer"))]
    assert by[(second, Iri(rdf + "first"), Var("b"))] and by[(second, Iri(rdf + "rest"), Iri(rdf + "nil"))]
    assert by[(Var("a"), Iri(TS + "w"), Iri(rdf + "nil"))].context == "required"
    neg = [p for p in q.select.patterns if isinstance(p.p, PathNeg)]
    assert [(n.p.forward, n.p.inverse) for n in neg] == [((TS + "q",), (TS + "r",)), ((RDF_TYPE,), ())]
    assert neg[0].graph == Var("g") and neg[1].graph is None
    optional = [p for p in q.select.patterns if p.context == "optional"]
    assert len(optional) == 2 and {p.graph for p in optional} == {Var("g")} and len({p.group for p in optional}) == 1
    branches = [p for p in q.select.patterns if p.context == "union"]
    assert len({p.group for p in branches} | {optional[0].group, 0}) == 4  # each its own group
    assert parse("SELECT * FROM NAMED <http://g/2> WHERE { }").default_graphs == []  # the default graph is empty
    assert parse("SELECT * WHERE { }").declares_dataset is False


@pytest.mark.parametrize("text", ["ASK { ?s ?p ?o }", "SELECT ?s FROM ?g WHERE { ?s ?p ?o }",
                                  "SELECT ?s WHERE { ?s nope:p ?o }", "SELECT ?s WHERE { << ?s ?p ?o >> ?q ?r }",
                                  "SELECT ?s WHERE { ?s ?p ?o", "SELECT ?s WHERE { ?s ?p ?o } ` ",
                                  "SELECT ?s WHERE { GRAPH 'g' { ?s ?p ?o } }", "SELECT ?s WHERE { ?s !(?p) ?o }"])
def test_what_it_does_not_follow_is_said(text):
    with pytest.raises(SyntaxNotTraced):
        parse(text)


@pytest.mark.parametrize("prologue", [
    "PREFIX ex: <http://e/> PREFIX : <http://d/>",  # the usual, read whole
    "# a comment\nprefix ex: # and another\n <http://e/>\nBASE <http://b/> Prefix :<http://d/>",
    "PREFIX ex:<http://e/> BASE<http://b/> PREFIX : <http://d/>",
    "PREFIX ex: <http://x/> PREFIX ex: <http://e/> PREFIX : <http://d/>",  # the last declaration wins
    "PREFIX ex.a: <http://a/> PREFIX ex: <http://e/> PREFIX : <http://d/>",  # a dot inside a prefix name
])
def test_the_prologue_read_whole_gives_what_its_tokens_give(prologue):
    q = parse(prologue + "\nSELECT ?s WHERE { ?s ex:p :o }")
    assert q.prefixes["ex"] == "http://e/" and q.prefixes[""] == "http://d/"
    assert q.prologue_end == len(prologue)
    assert {(p.p, p.o) for p in q.select.patterns} == {(Iri("http://e/p"), Iri("http://d/o"))}


@pytest.mark.parametrize("prologue", ["PREFIXex: <http://e/>", "PREFIX ex:x <http://e/>", "PREFIX ex:: <http://e/>",
                                      "PREFIX ex: ex:y", "PREFIX <http://e/>"])
def test_a_declaration_the_prologue_pattern_misses_is_read_by_the_tokens(prologue):
    with pytest.raises(SyntaxNotTraced):  # each is wrong: the tokens say so (it is not read as a declaration)
        parse(prologue + "\nSELECT ?s WHERE { ?s ex:p ?o }")
