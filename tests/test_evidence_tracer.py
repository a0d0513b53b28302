"""The tracer on the query features beyond basic graph patterns: negated property sets, GRAPH,
RDF collections, FROM and FROM NAMED. Each over two small files of our own, so that the evidence
of every row is worked out by hand below (the file and line of each triple included)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from tajsec.core.namespaces import PREFIXES
from tajsec.evidence import trace
from tajsec.evidence.trace import Tracer
from tajsec.graph.build import build
from tajsec.io.load import graph_name_for
from tajsec.sparql import queries
from tajsec.sparql.runner import run_select

EX = "http://example.org/"
RDF = PREFIXES["rdf"]
THEIRS = f"""@prefix ex: <{EX}> .

ex:a ex:p ex:b ;
    ex:q ex:c .
ex:b ex:s ex:z .
ex:d ex:r ex:a .
ex:a ex:list ( ex:x ex:y ) .
ex:f ex:list ( ex:x ex:w ) .
"""
OTHER = f"""@prefix ex: <{EX}> .
@prefix ts: <https://w3id.org/tajsec/onto/> .

ex:a ex:p ex:e .
ex:e ex:s ex:z .
ex:st ts:quantity ex:q .
ex:q ex:value 5 .
ex:quoted ex:amount 6 ; ts:evidenceQuote "Six." .
ex:st2 ts:quantity ex:quoted .
ex:m a ts:Measurement ; ts:measuredEntity ex:ent ; ts:quantity ex:q3 .
ex:q3 ex:amount 7 .
ex:g ex:near ex:b .
"""
# lines, by hand: theirs.ttl: ex:a on 3, ex:b on 5, ex:d on 6, the lists on 7 and 8; other.ttl: 4, 5, 6, 7
# (and 8 to 11: a quantity with a quote of its own, and a measurement's; 12: a node whose object,
# ex:b, is described in theirs.ttl only)


@pytest.fixture(scope="module")
def two(project, tmp_path_factory):
    d = tmp_path_factory.mktemp("two")
    (d / "theirs.ttl").write_text(THEIRS, encoding="utf-8")
    (d / "other.ttl").write_text(OTHER, encoding="utf-8")
    b = build(project, files=[], foreign=[d / "theirs.ttl", d / "other.ttl"])
    names = {n: graph_name_for(d / f"{n}.ttl", project.root).value for n in ("theirs", "other")}
    return b, d, names


def _trace(two, text):
    b, d, _ = two
    text = f"PREFIX ex: <{EX}>\n" + text
    res = queries.run(b.query, text) if "FROM" not in text else run_select(b, text)
    ev = Tracer(b, d, PREFIXES).trace(text, res.variables, res.rows)
    rows = [[t.value if t is not None else None for t in r] for r in res.rows]
    return rows, ev["rows"]


def _triples(entry):
    return [(t["subject"]["value"].removeprefix(EX), t["predicate"]["value"].removeprefix(EX),
             t["object"]["value"].removeprefix(EX)) for t in entry["triples"]]


def _files(entry):
    return [[(a["file"], a.get("line")) for a in t["asserted_in"]] for t in entry["triples"]]


def test_negated_property_set_forward(two):
    rows, ev = _trace(two, "SELECT ?o WHERE { ex:a !(ex:p|ex:list) ?o }")
    assert rows == [[EX + "c"]]
    assert ev[0]["traced"] and _triples(ev[0]) == [("a", "q", "c")]
    assert _files(ev[0]) == [[("theirs.ttl", 3)]]
    assert ev[0]["statements"] == [EX + "a"]  # an asserted triple is its own evidence


def test_negated_property_set_inverse_and_mixed(two):
    rows, ev = _trace(two, "SELECT ?x WHERE { ex:a !^ex:nothing ?x }")
    assert rows == [[EX + "d"]] and _triples(ev[0]) == [("d", "r", "a")]
    assert _files(ev[0]) == [[("theirs.ttl", 6)]]
    rows, ev = _trace(two, "SELECT ?x WHERE { ex:a !(ex:p|ex:list|^ex:r) ?x } ORDER BY ?x")
    assert rows == [[EX + "c"]] and _triples(ev[0]) == [("a", "q", "c")]  # ^ex:r is banned: not d
    # both ways: ?x q ex:a (d) and ex:a q ?x (b, c, e, and the head of a's list)
    rows, ev = _trace(two, "SELECT ?x WHERE { ?x !(ex:nothing|^ex:nothing) ex:a }")
    by_row = {r[0]: e for r, e in zip(rows, ev)}
    assert len(rows) == 5 and {EX + x for x in "bcde"} < set(by_row)
    assert _triples(by_row[EX + "d"]) == [("d", "r", "a")]
    assert _triples(by_row[EX + "b"]) == [("a", "p", "b")]
    assert _triples(by_row[EX + "e"]) == [("a", "p", "e")] and _files(by_row[EX + "e"]) == [[("other.ttl", 4)]]


def test_graph_pattern_matched_in_its_graph_only(two):
    _, _, names = two
    rows, ev = _trace(two, "SELECT ?g WHERE { GRAPH ?g { ex:a ex:p/ex:s ex:z } } ORDER BY ?g")
    by_graph = {r[0]: e for r, e in zip(rows, ev)}
    assert set(by_graph) == {names["theirs"], names["other"]}
    # the same path through either file: each row's evidence stays inside its own graph
    assert _triples(by_graph[names["theirs"]]) == [("a", "p", "b"), ("b", "s", "z")]
    assert _triples(by_graph[names["other"]]) == [("a", "p", "e"), ("e", "s", "z")]
    assert _files(by_graph[names["other"]]) == [[("other.ttl", 4)], [("other.ttl", 5)]]
    rows, ev = _trace(two, "SELECT ?g WHERE { GRAPH ?g { ex:a ex:p ?mid . ?mid ex:s ex:z } } ORDER BY ?g")
    by_graph = {r[0]: e for r, e in zip(rows, ev)}  # ?mid not projected: the WHERE clause runs again
    assert _triples(by_graph[names["theirs"]]) == [("a", "p", "b"), ("b", "s", "z")]
    assert _triples(by_graph[names["other"]]) == [("a", "p", "e"), ("e", "s", "z")]
    rows, ev = _trace(two, f"SELECT ?o WHERE {{ GRAPH <{names['other']}> {{ ex:a ex:p ?o }} }}")
    assert rows == [[EX + "e"]] and _triples(ev[0]) == [("a", "p", "e")]


def test_rdf_collection_traced_to_its_list_triples(two):
    rows, ev = _trace(two, "SELECT ?s ?second WHERE { ?s ex:list (ex:x ?second) } ORDER BY ?s")
    assert rows == [[EX + "a", EX + "y"], [EX + "f", EX + "w"]]
    for (s, second), entry in zip(rows, ev):
        assert entry["traced"] and "untraced" not in entry
        t = {(x["subject"]["value"], x["predicate"]["value"]): x["object"]["value"] for x in entry["triples"]}
        assert len(entry["triples"]) == 5  # s ex:list n1; n1 first x; n1 rest n2; n2 first ?second; n2 rest nil
        n1 = t[(s, EX + "list")]
        n2 = t[(n1, RDF + "rest")]
        assert t[(n1, RDF + "first")] == EX + "x" and t[(n2, RDF + "first")] == second
        assert t[(n2, RDF + "rest")] == RDF + "nil"
    rows, ev = _trace(two, "SELECT ?s WHERE { ?s ex:list (ex:x ex:w) }")
    assert rows == [[EX + "f"]] and {x["object"]["value"] for x in ev[0]["triples"]} >= {EX + "w"}
    assert EX + "y" not in {x["object"]["value"] for x in ev[0]["triples"]}


def test_from_is_the_default_graph_of_the_answer_and_of_its_evidence(two):
    _, _, names = two
    rows, ev = _trace(two, f"SELECT ?o FROM <{names['other']}> WHERE {{ ex:a ex:p/ex:s ?o }}")
    assert rows == [[EX + "z"]]
    assert _triples(ev[0]) == [("a", "p", "e"), ("e", "s", "z")]  # not a p b / b s z, from theirs.ttl
    rows, ev = _trace(two, f"SELECT ?o FROM <{names['other']}> WHERE {{ ex:a ex:q ?o }}")
    assert rows == []  # ex:q is in theirs.ttl only
    # a variable the query does not project: its WHERE clause runs again, over the same FROM graphs
    rows, ev = _trace(two, f"SELECT ?o FROM <{names['other']}> WHERE {{ ex:a ex:p ?mid . ?mid ex:s ?o }}")
    assert rows == [[EX + "z"]] and ev[0]["matches"] == 1  # without FROM: two, through ex:b and ex:e
    assert _triples(ev[0]) == [("a", "p", "e"), ("e", "s", "z")]


def test_from_named_limits_graph_and_empties_the_default_graph(two):
    _, _, names = two
    rows, ev = _trace(two, f"SELECT ?g ?o FROM NAMED <{names['theirs']}> WHERE {{ GRAPH ?g {{ ex:a ex:p ?o }} }}")
    assert rows == [[names["theirs"], EX + "b"]]
    assert _triples(ev[0]) == [("a", "p", "b")] and _files(ev[0]) == [[("theirs.ttl", 3)]]
    rows, _ = _trace(two, f"SELECT ?o FROM NAMED <{names['theirs']}> WHERE {{ ex:a ex:p ?o }}")
    assert rows == []


def test_optional_with_a_blank_node_joins_its_group(two):
    rows, ev = _trace(two, f"SELECT ?s ?v WHERE {{ ?s ex:list ?l OPTIONAL {{ ?l <{RDF}first> [ ex:nothing ?v ] }} }} "
                      "ORDER BY ?s")
    assert [r[1] for r in rows] == [None, None]
    for entry in ev:  # the optional part did not match: only the required triple
        assert [t[1] for t in _triples(entry)] == ["list"]


def test_a_quantity_is_backed_by_the_statement_that_states_it(two):
    rows, ev = _trace(two, "SELECT ?v WHERE { ?q ex:value ?v }")
    assert rows == [["5"]]
    assert ev[0]["statements"] == [EX + "q", EX + "st"]  # the quantity node, and ex:st, whose ts:quantity it is
    rows, ev = _trace(two, "SELECT ?o WHERE { ex:a ex:q ?o }")
    assert ev[0]["statements"] == [EX + "a"]  # not a quantity: its own evidence only


def test_what_the_tracer_cannot_follow_is_said_per_row(two):
    b, d, _ = two
    text = f"PREFIX ex: <{EX}>\nSELECT ?o WHERE {{ ex:a ex:q ?o OPTIONAL {{ << ex:a ex:q ?o >> ex:says ?z }} }}"
    res = queries.run(b.query, text)
    ev = Tracer(b, d, PREFIXES).trace(text, res.variables, res.rows)
    assert len(res.rows) == 1 and not ev["rows"][0]["traced"]
    assert "expected a term" in ev["rows"][0]["reason"]


def test_an_asserted_triple_is_placed_in_its_own_file_not_its_objects(two):
    rows, ev = _trace(two, "SELECT ?o WHERE { ex:g ex:near ?o }")
    assert rows == [[EX + "b"]]
    assert _files(ev[0]) == [[("other.ttl", 12)]]


def test_run_answers_a_query_the_reader_cannot_follow_with_every_row_untraced(two):
    b, d, _ = two
    text = f"PREFIX ex: <{EX}>\nSELECT ?o WHERE {{ ex:a ex:q ?o OPTIONAL {{ << ex:a ex:q ?o >> ex:says ?z }} }}"
    res = Tracer(b, d, PREFIXES).run(b.query, text)
    assert res.lexical_rows() == queries.run(b.query, text).lexical_rows() and res.rows
    assert res.evidence["statements"] == {}
    assert all(not e["traced"] and "expected a term" in e["reason"] for e in res.evidence["rows"])


def test_cli_honours_from(two):
    b, _, names = two
    text = f"PREFIX ex: <{EX}>\nSELECT ?o WHERE {{ ex:a ex:p ?o }} ORDER BY ?o"
    assert [r[0].value for r in run_select(b, text).rows] == [EX + "b", EX + "e"]
    text = text.replace("WHERE", f"FROM <{names['theirs']}> WHERE")
    assert [r[0].value for r in run_select(b, text).rows] == [EX + "b"]
    assert isinstance(run_select(b, text).rows[0][0], ox.NamedNode)


def test_rows_beyond_the_solutions_read_back_say_so(two):
    # the WHERE clause runs again (DISTINCT): its first 20,000 solutions are read back
    values = " ".join(str(i) for i in range(20001))
    rows, ev = _trace(two, f"SELECT DISTINCT ?v WHERE {{ VALUES ?v {{ {values} }} }}")
    assert len(rows) == len(ev) == 20001
    untraced = [(r[0], e["reason"]) for r, e in zip(rows, ev) if not e["traced"]]
    assert untraced == [("20000", "the WHERE clause has more than 20000 solutions; evidence not traced")]


def test_a_row_no_solution_gives_is_said_so(two):
    b, d, _ = two
    text = f"PREFIX ex: <{EX}>\nSELECT DISTINCT ?o WHERE {{ ex:a ex:p ?o }}"
    rows = [[ox.NamedNode(EX + "nowhere")], [ox.NamedNode(EX + "b")]]
    ev = Tracer(b, d, PREFIXES).trace(text, ["o"], rows)
    assert ev["rows"][0] == {"traced": False, "reason": "no solution of the WHERE clause gives this row"}
    assert len(ev["rows"]) == 2 and ev["rows"][1]["traced"] and _triples(ev["rows"][1]) == [("a", "p", "b")]


def test_a_group_s_row_is_backed_by_its_group_only(two):
    rows, ev = _trace(two, "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ex:p|ex:s ?o } GROUP BY ?s ORDER BY ?s")
    by = {r[0].removeprefix(EX): (r[1], e) for r, e in zip(rows, ev)}
    assert by["a"][0] == "2" and by["a"][1]["matches"] == 2
    assert sorted(_triples(by["a"][1])) == [("a", "p", "b"), ("a", "p", "e")]
    assert _triples(by["b"][1]) == [("b", "s", "z")] and by["b"][1]["matches"] == 1


def test_a_sub_select_s_triples_back_the_row(two):
    rows, ev = _trace(two, "SELECT ?x ?o WHERE { ex:a ex:q ?o . { SELECT ?x WHERE { ?x ex:s ex:z } } } ORDER BY ?x")
    assert rows == [[EX + "b", EX + "c"], [EX + "e", EX + "c"]]
    # each row: the outer triple, and the inner solution with the row's ?x only
    assert [sorted(_triples(e)) for e in ev] == [[("a", "q", "c"), ("b", "s", "z")], [("a", "q", "c"), ("e", "s", "z")]]
    # a group may follow a triple without a `.` (SPARQL 1.1, GroupGraphPatternSub): the same
    again, ev_again = _trace(two, "SELECT ?x ?o WHERE { ex:a ex:q ?o { SELECT ?x WHERE { ?x ex:s ex:z } } } "
                                  "ORDER BY ?x")
    assert again == rows and ev_again == ev


def test_bound_variables_are_traced_as_bound(two):
    b, d, _ = two
    # DISTINCT: the WHERE clause runs again, with the same bindings
    text = f"PREFIX ex: <{EX}>\nSELECT DISTINCT ?x ?o WHERE {{ ?x ex:p ?o }} ORDER BY ?o"
    subs = {"x": ox.NamedNode(EX + "a")}
    res = queries.run(lambda t, **kw: b.query(t, substitutions={ox.Variable("x"): subs["x"]}, **kw), text)
    ev = Tracer(b, d, PREFIXES, subs).trace(text, res.variables, res.rows)
    assert [r[1].value for r in res.rows] == [EX + "b", EX + "e"]
    assert [_triples(e) for e in ev["rows"]] == [[("a", "p", "b")], [("a", "p", "e")]]
    # the same through `run`: the query widened (?x is not projected) and run once, with the bindings
    text = f"PREFIX ex: <{EX}>\nSELECT ?o WHERE {{ ?x ex:p ?o . ?o ex:s ?z }} ORDER BY ?o"
    res = Tracer(b, d, PREFIXES, subs).run(
        lambda t, **kw: b.query(t, substitutions={ox.Variable("x"): subs["x"]}, **kw), text)
    assert [r[0].value for r in res.rows] == [EX + "b", EX + "e"]
    assert [sorted(_triples(e)) for e in res.evidence["rows"]] == [[("a", "p", "b"), ("b", "s", "z")],
                                                                   [("a", "p", "e"), ("e", "s", "z")]]


def test_select_star_rows_are_their_own_solutions(two):
    rows, ev = _trace(two, "SELECT * WHERE { ex:a ex:p ?o . ?o ex:s ?z } ORDER BY ?o")
    assert [r[0] for r in rows] == [EX + "b", EX + "e"]
    assert [_triples(e) for e in ev] == [[("a", "p", "b"), ("b", "s", "z")], [("a", "p", "e"), ("e", "s", "z")]]


@pytest.mark.parametrize("n", [19, 20, 21])
def test_a_row_behind_many_matches_shows_the_first_20_and_says_so(two, n):
    values = " ".join(str(i) for i in range(n))
    rows, ev = _trace(two, f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?v {{ {values} }} ex:a ex:q ?o }}")
    assert rows == [[str(n)]]
    entry = ev[0]
    assert entry["matches"] == n and entry["shown"] == min(n, 20) and _triples(entry) == [("a", "q", "c")]
    if n > 20:
        assert entry["note"] == (f"{n} matches lie behind this row (e.g. the rows an aggregate counted); "
                                 "evidence shown for the first 20")
    else:
        assert "note" not in entry


def test_a_select_star_answer_is_traced_whole_however_long(two):
    # each row of SELECT * is its own solution: no limit on solutions read back applies
    n = trace.MAX_SOLUTIONS + 1
    values = " ".join(str(i) for i in range(n))
    rows, ev = _trace(two, f"SELECT * WHERE {{ VALUES ?v {{ {values} }} ex:a ex:q ?o }}")
    assert len(rows) == n and all(e["traced"] for e in ev)
    assert _triples(ev[-1]) == [("a", "q", "c")]


@pytest.mark.parametrize("where, bindings", [
    ("?x ex:p ?y . BIND(1 AS ?y)", {}),  # the engine: a syntax error (BIND to a variable in scope)
    ("?x ex:p ?y FILTER(<http://example.org/f>(?y))", {}),  # the engine: a function it does not have
    ("?x ex:p ?y", {"z": ox.NamedNode(EX + "a")}),  # a binding of a variable the WHERE clause lacks
    ("?x ex:p ?y", {"not a name": ox.NamedNode(EX + "a")}),  # not a variable's name
])
def test_a_where_clause_the_engine_refuses_leaves_every_row_untraced_with_the_reason(two, where, bindings):
    b, d, _ = two
    text = f"PREFIX ex: <{EX}>\nSELECT DISTINCT ?x WHERE {{ {where} }}"
    rows = [[ox.NamedNode(EX + "a")], [ox.NamedNode(EX + "b")]]
    ev = Tracer(b, d, PREFIXES, bindings).trace(text, ["x"], rows)
    assert [e["traced"] for e in ev["rows"]] == [False, False] and ev["statements"] == {}
    assert all(e["reason"].startswith("the WHERE clause could not be run again: ") for e in ev["rows"])


def test_patterns_after_an_unmatched_optional_still_count(two):
    rows, ev = _trace(two, "SELECT ?o ?w WHERE { ex:a ex:q ?o OPTIONAL { ?o ex:nothing ?v } ex:a ex:p ?w } ORDER BY ?w")
    assert rows == [[EX + "c", EX + "b"], [EX + "c", EX + "e"]]
    assert [_triples(e) for e in ev] == [[("a", "q", "c"), ("a", "p", "b")], [("a", "q", "c"), ("a", "p", "e")]]



def test_rows_that_are_their_own_solutions_are_traced_whole_others_up_to_the_limit(two, monkeypatch):
    monkeypatch.setattr(trace, "MAX_SOLUTIONS", 5)
    rows, ev = _trace(two, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")  # every variable projected: the rows suffice
    assert len(rows) > 5 and all(e["traced"] for e in ev)
    assert [_triples(e) for e in ev] == [[tuple(v.removeprefix(EX) for v in r)] for r in rows]
    rows, ev = _trace(two, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")  # read back: cut at the limit
    assert [e["traced"] for e in ev].count(True) == 5
    assert {e.get("reason") for e in ev} == {None, "the WHERE clause has more than 5 solutions; evidence not traced"}


def test_required_blank_node_patterns_that_match_nothing_are_reported(two):
    # a row the data does not give (ex:a's list is (x y)): its list patterns match no triples,
    # which the entry says rather than showing evidence for it
    b, d, _ = two
    text = f"PREFIX ex: <{EX}>\nSELECT ?s ?second WHERE {{ ?s ex:list (ex:x ?second) }}"
    ev = Tracer(b, d, PREFIXES).trace(text, ["s", "second"], [[ox.NamedNode(EX + "a"), ox.NamedNode(EX + "w")]])
    entry = ev["rows"][0]
    assert entry["triples"] == [] and [u["reason"] for u in entry["untraced"]] == ["no matching triples found"]


def test_the_tracer_s_prefixes_serve_the_query_run_again(two):
    b, d, _ = two
    text = "SELECT DISTINCT ?l ?x WHERE { ?l rdf:first ?x }"  # no PREFIX line: the tracer's prefixes declare rdf:
    res = queries.run(lambda t, **kw: b.query(t, prefixes=PREFIXES, **kw), text)
    ev = Tracer(b, d, PREFIXES).trace(text, res.variables, res.rows)
    assert len(res.rows) == 4 and all(e["traced"] for e in ev["rows"])
    assert {_triples(e)[0][2] for e in ev["rows"]} == {"x", "y", "w"}


def test_a_service_pattern_is_said_untraced_and_the_others_still_count(two):
    # the rows are their own solutions (every variable projected): nothing runs again
    b, d, _ = two
    text = (f"PREFIX ex: <{EX}>\nSELECT ?s ?z ?o WHERE {{ SERVICE <http://example.org/sparql> {{ ?s ex:q ?z }} "
            "?s ex:p ?o }")
    ev = Tracer(b, d, PREFIXES).trace(text, ["s", "z", "o"], [[ox.NamedNode(EX + n) for n in "acb"]])
    entry = ev["rows"][0]
    assert _triples(entry) == [("a", "p", "b")]
    assert entry["untraced"] == [{"pattern": f"?s <{EX}q> ?z", "reason": "SERVICE patterns are not traced"}]


@pytest.mark.parametrize("n", [20, 21])
def test_a_sub_select_behind_many_matches_shows_the_first_20_and_says_so(two, n):
    values = " ".join(str(i) for i in range(n))
    rows, ev = _trace(two, f"SELECT ?o ?n WHERE {{ ex:a ex:q ?o . "
                           f"{{ SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?v {{ {values} }} ?s ex:q ?c }} }} }}")
    assert rows == [[EX + "c", str(n)]]
    entry = ev[0]
    assert entry["traced"] and _triples(entry) == [("a", "q", "c")]  # the inner ?s ex:q ?c: the same triple
    if n > 20:
        assert entry["untraced"] == [{"pattern": "sub-SELECT", "reason": f"{n} matches; evidence for the first 20"}]
    else:
        assert "untraced" not in entry


def test_a_quantity_with_a_quote_of_its_own_or_a_derived_holder_is_not_backed_by_it(two):
    rows, ev = _trace(two, "SELECT ?q WHERE { ?q ex:amount ?v } ORDER BY ?v")
    assert rows == [[EX + "quoted"], [EX + "q3"]]
    # ex:quoted has its own quote: its own evidence (not ex:st2's); ex:q3 is the measurement's
    # (ex:ent's ts:quantity ex:q3 is the build's shortcut, not a statement)
    assert [e["statements"] for e in ev] == [[EX + "quoted"], [EX + "q3", EX + "m"]]


def test_a_literal_is_shown_as_the_data_writes_it_not_as_the_query_does(two):
    # `05` matches the stored 5 (the same xsd:integer): the evidence is the triple in other.ttl
    rows, ev = _trace(two, "SELECT ?q WHERE { ?q ex:value 05 }")
    assert rows == [[EX + "q"]]
    t = ev[0]["triples"][0]
    assert t["object"]["value"] == "5" and t["asserted_in"] == [{"file": "other.ttl", "line": 7}]


def test_a_required_pattern_that_matches_nothing_is_reported(two):
    # a row the data does not give: its path pattern is looked up, found missing, and said so
    b, d, _ = two
    text = f"PREFIX ex: <{EX}>\nSELECT ?s ?o WHERE {{ ?s ex:p/ex:s ?o }}"
    rows = [[ox.NamedNode(EX + "a"), ox.NamedNode(EX + "nowhere")], [ox.NamedNode(EX + "a"), ox.NamedNode(EX + "z")]]
    ev = Tracer(b, d, PREFIXES).trace(text, ["s", "o"], rows)["rows"]
    assert ev[0]["triples"] == [] and [u["reason"] for u in ev[0]["untraced"]] == ["no matching triple found"]
    assert "untraced" not in ev[1] and _triples(ev[1])[1][2] == "z"


def test_a_blank_node_group_the_tracer_cannot_follow_is_said_per_row(two):
    # `[] ex:s* []`: a zero-or-more path between two blank nodes, neither end bound when matched
    rows, ev = _trace(two, "SELECT DISTINCT ?o WHERE { ex:a ex:q ?o . [] ex:s* [] }")
    assert rows == [[EX + "c"]]
    entry = ev[0]
    assert entry["traced"] and _triples(entry) == [("a", "q", "c")]
    assert [u["reason"] for u in entry["untraced"]] == ["a * path with neither end bound"]


def test_a_group_not_followed_leaves_the_other_groups_traced(two):
    rows, ev = _trace(two, f"SELECT DISTINCT ?o ?x WHERE {{ ex:a ex:q ?o . [] ex:s* [] "
                           f"OPTIONAL {{ ex:a ex:list [ <{RDF}first> ?x ] }} }}")
    assert rows == [[EX + "c", EX + "x"]]
    entry = ev[0]
    assert [u["reason"] for u in entry["untraced"]] == ["a * path with neither end bound"]
    assert ("a", "q", "c") in _triples(entry) and len(entry["triples"]) == 3  # and the list's two triples
    assert {t[1] for t in _triples(entry)} == {"q", "list", RDF + "first"}


def test_one_tracer_traces_queries_in_turn_as_fresh_ones_would(two):
    # the state kept for one query (plans, sub-SELECT solutions, keyed by the ids of its parts)
    # must not leak into the next, whose parts may reuse the freed ids
    b, d, _ = two
    texts = [f"PREFIX ex: <{EX}>\n" + t for t in (
        "SELECT ?x ?o WHERE { ex:a ex:q ?o . { SELECT ?x WHERE { ?x ex:s ex:z } } } ORDER BY ?x",
        "SELECT ?x ?o WHERE { ?o ex:p ex:b . { SELECT ?x WHERE { ?x ex:list ?l } } } ORDER BY ?x",
        "SELECT DISTINCT ?x WHERE { { SELECT ?x WHERE { ?x ex:r ?y } } }",
    )]
    fresh = [Tracer(b, d, PREFIXES).run(b.query, t).evidence for t in texts]
    assert all(e["rows"] and all(r["traced"] and r["triples"] for r in e["rows"]) for e in fresh)
    tracer = Tracer(b, d, PREFIXES)
    for _ in range(20):
        assert [tracer.run(b.query, t).evidence for t in texts] == fresh


def test_a_distinct_query_runs_once_its_rows_the_engine_s_and_each_row_backed_by_all_its_matches(two, monkeypatch):
    b, d, _ = two
    text = f"PREFIX ex: <{EX}>\nSELECT DISTINCT ?s WHERE {{ ?s ex:p ?o }} ORDER BY ?s"
    plain = queries.run(b.query, text)

    def again(*_):
        raise AssertionError("the WHERE clause was run again")

    monkeypatch.setattr(Tracer, "_solutions", again)
    res = Tracer(b, d, PREFIXES).run(b.query, text)
    assert res.variables == plain.variables and res.rows == plain.rows
    assert [[t.value for t in r] for r in res.rows] == [[EX + "a"]]  # ex:a ex:p ex:b, ex:a ex:p ex:e: one row
    (entry,) = res.evidence["rows"]
    assert entry["matches"] == 2 and sorted(_triples(entry)) == [("a", "p", "b"), ("a", "p", "e")]


def test_a_distinct_query_with_limit_or_offset_keeps_its_own_rows(two):
    # OFFSET counts distinct rows: without the DISTINCT, the second solution (ex:e ex:s ex:z) would
    # survive the OFFSET and give a row the query does not have
    b, d, _ = two
    for tail in ("OFFSET 1", "LIMIT 1 OFFSET 1", "ORDER BY ?z LIMIT 5"):
        text = f"PREFIX ex: <{EX}>\nSELECT DISTINCT ?z WHERE {{ ?s ex:s ?z }} {tail}"
        plain = queries.run(b.query, text)
        res = Tracer(b, d, PREFIXES).run(b.query, text)
        assert res.rows == plain.rows
        assert len(res.evidence["rows"]) == len(plain.rows)
    assert queries.run(b.query, f"PREFIX ex: <{EX}>\nSELECT DISTINCT ?z WHERE {{ ?s ex:s ?z }} OFFSET 1").rows == []
