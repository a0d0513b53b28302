"""The fast reader of SPARQL patterns the tracer and the build's derivation record rely on."""
from __future__ import annotations

import pytest

from tajsec.core.namespaces import RDF_TYPE, TS
from tajsec.core.sparql_syntax import Iri, Lit, PathInv, PathMod, PathSeq, SyntaxNotTraced, Var, parse

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


@pytest.mark.parametrize("text", ["ASK { ?s ?p ?o }", "SELECT ?s FROM <http://e/> WHERE { ?s ?p ?o }",
                                  "SELECT ?s WHERE { ?s nope:p ?o }", "SELECT ?s WHERE { ?s ?p ( 1 2 ) }",
                                  "SELECT ?s WHERE { ?s ?p ?o", "SELECT ?s WHERE { ?s ?p ?o } ` "])
def test_what_it_does_not_follow_is_said(text):
    with pytest.raises(SyntaxNotTraced):
        parse(text)
