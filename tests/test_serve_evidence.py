"""`tajsec serve`'s evidence extension, over HTTP: `/sparql/evidence` answers a SELECT in SPARQL
JSON with the `evidence` member of `tajsec query --why`, while `/sparql` stays standard."""
from __future__ import annotations

import csv
import json
import urllib.parse
from pathlib import Path

from test_evidence import _plain
from test_serve import _get, _post, _status, server  # noqa: F401  (the running server fixture)

QUESTIONS = Path(__file__).resolve().parent.parent / "queries" / "questions"
TS = "https://w3id.org/tajsec/onto/"
JSON = "application/sparql-results+json"


def _ask(base: str, query: str, path: str = "/sparql/evidence", accept: str = JSON) -> tuple[int, str]:
    return _status(_post, base + path, urllib.parse.urlencode({"query": query}).encode(),
                   "application/x-www-form-urlencoded", accept)


def _expected_evidence(name: str) -> list[tuple[list[str], str, str]]:
    """NAME.evidence.csv: (the row's values, a statement its evidence must hold, the paper's passage)."""
    with (QUESTIONS / f"{name}.evidence.csv").open(encoding="utf-8", newline="") as f:
        _, *lines = list(csv.reader(f))
    return [(line[:-2], line[-2], line[-1]) for line in lines]


def test_a_question_s_rows_come_with_the_statements_the_paper_supports_them_with(server):  # noqa: F811
    base, _ = server
    name = "drugs-heroin-intercepted-july-2004"
    code, body = _ask(base, (QUESTIONS / f"{name}.rq").read_text(encoding="utf-8"))
    assert code == 200, body
    doc = json.loads(body)
    variables, bindings, evidence = doc["head"]["vars"], doc["results"]["bindings"], doc["evidence"]
    assert len(evidence["rows"]) == len(bindings) == 2
    rows = {tuple(b[v]["value"] if v in b else "" for v in variables): e for b, e in zip(bindings, evidence["rows"])}
    for values, statement, passage in _expected_evidence(name):
        entry = rows[tuple(values)]
        assert entry["traced"] and statement in entry["statements"], (values, entry)
        card = evidence["statements"][statement]
        assert card["iri"] == statement and _plain(passage) in _plain(card["quote"])
    for entry in evidence["rows"]:  # every statement a row names has its card, and every triple its terms
        assert set(entry["statements"]) <= evidence["statements"].keys()
        assert all({"subject", "predicate", "object", "origin"} <= t.keys() for t in entry["triples"])


def test_the_standard_endpoint_is_unchanged(server):  # noqa: F811
    base, _ = server
    query = (QUESTIONS / "drugs-dca-head-mid-2004.rq").read_text(encoding="utf-8")
    code, plain = _ask(base, query, "/sparql")
    assert code == 200 and "evidence" not in json.loads(plain)
    code, traced = _ask(base, query)
    assert code == 200
    traced_doc = json.loads(traced)
    assert {k: v for k, v in traced_doc.items() if k != "evidence"} == json.loads(plain)
    assert traced_doc["evidence"]["rows"][0]["traced"]
    # the extension is a path of its own: /sparql takes no evidence parameter
    code, body = _status(_get, base + "/sparql?" + urllib.parse.urlencode({"query": query, "evidence": "true"}))
    assert code == 400 and "unknown parameter 'evidence'" in body


def test_a_count_is_backed_by_the_counted_rows(server):  # noqa: F811
    base, _ = server
    query = f"SELECT (COUNT(?t) AS ?n) WHERE {{ ?t a <{TS}Tenure> }}"
    code, body = _ask(base, query)
    assert code == 200, body
    doc = json.loads(body)
    n = int(doc["results"]["bindings"][0]["n"]["value"])
    entry = doc["evidence"]["rows"][0]
    assert n > 1 and entry["matches"] == n and entry["shown"] == min(n, 20)
    typed = {t["subject"]["value"] for t in entry["triples"] if t["object"]["value"] == TS + "Tenure"}
    assert len(typed) == entry["shown"] and typed <= set(entry["statements"])


def test_a_query_the_tracer_cannot_follow_keeps_its_rows(server):  # noqa: F811
    base, _ = server
    # a quoted triple (RDF-star) inside OPTIONAL: the engine answers, the tracer's parser does not follow it
    query = (f"SELECT ?s WHERE {{ ?s a <{TS}Tenure> OPTIONAL {{ << ?s a ?c >> <http://example.org/p> ?z }} }} "
             "ORDER BY ?s LIMIT 3")
    code, body = _ask(base, query)
    assert code == 200, body
    doc = json.loads(body)
    assert len(doc["results"]["bindings"]) == 3
    assert [e["traced"] for e in doc["evidence"]["rows"]] == [False] * 3
    assert all("expected a term" in e["reason"] for e in doc["evidence"]["rows"])
    # a pattern it cannot follow inside a query it can: the row is traced, the pattern said untraced
    code, body = _ask(base, f"SELECT ?x WHERE {{ ?x a <{TS}Tenure> OPTIONAL {{ [] <http://example.org/p>+ [] }} }} LIMIT 1")
    entry = json.loads(body)["evidence"]["rows"][0]
    assert code == 200 and entry["traced"] and entry["untraced"][0]["reason"] == "a + path with neither end bound"


def test_get_and_sparql_query_post_take_the_query_too(server):  # noqa: F811
    base, _ = server
    query = f"SELECT ?t WHERE {{ ?t a <{TS}Tenure> }} ORDER BY ?t LIMIT 1"
    code, _, body = _get(base + "/sparql/evidence?" + urllib.parse.urlencode({"query": query}))
    assert code == 200 and len(json.loads(body)["evidence"]["rows"]) == 1
    code, _, body = _post(base + "/sparql/evidence", query.encode(), "application/sparql-query")
    assert code == 200 and json.loads(body)["evidence"]["rows"][0]["traced"]


def test_what_the_evidence_path_refuses(server):  # noqa: F811
    base, _ = server
    select = f"SELECT ?t WHERE {{ ?t a <{TS}Tenure> }} LIMIT 1"
    cases = [
        (_ask(base, "ASK { ?s ?p ?o }"), 400, "only SELECT"),
        (_ask(base, select, accept="text/csv"), 406, "application/sparql-results+json only"),
        (_ask(base, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"), 400, "SERVICE"),
        (_status(_get, base + "/sparql/evidence?" + urllib.parse.urlencode(
            {"query": select, "default-graph-uri": TS})), 400, "FROM, FROM NAMED"),
        (_status(_get, base + "/sparql/evidence"), 400, "exactly one 'query'"),
        (_status(_get, base + "/sparql/evidence?" + urllib.parse.urlencode({"update": "CLEAR ALL"})), 403, "read-only"),
        (_status(_get, base + "/sparql/evidence?query=x", headers={"Host": "evil.example"}), 403, "Host"),
    ]
    for (code, body), want_code, want_text in cases:
        assert code == want_code and want_text in body, (code, body)


def test_from_is_the_dataset_of_the_answer_and_of_its_evidence(server):  # noqa: F811
    """A query naming its graphs: the rows and their evidence come from those graphs only (the
    graph of instances/drugs.ttl holds Mirzoev's DCA tenure; that of instances/agencies.ttl not)."""
    base, _ = server
    graph = "https://w3id.org/tajsec/graph/instances/"
    query = (f"SELECT ?t FROM <{graph}drugs.ttl> WHERE {{ ?t <http://www.w3.org/ns/org#member> "
             "<https://w3id.org/tajsec/id/gaffur-mirzoev> ; a ?c } ORDER BY ?t")
    code, body = _ask(base, query)
    assert code == 200, body
    doc = json.loads(body)
    tenures = [b["t"]["value"] for b in doc["results"]["bindings"]]
    assert "https://w3id.org/tajsec/id/tenure-mirzoev-head-of-dca" in tenures
    for entry in doc["evidence"]["rows"]:
        files = {a["file"] for t in entry["triples"] for a in t["asserted_in"]}
        assert entry["traced"] and files == {"instances/drugs.ttl"}
    code, body = _ask(base, query.replace("drugs.ttl", "agencies.ttl"))
    assert code == 200 and json.loads(body)["results"]["bindings"] == []


def test_time_out_applies_to_the_evidence_path(server):  # noqa: F811
    base, _ = server
    code, body = _ask(base, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert code == 503 and "3 s" in body
    assert _ask(base, f"SELECT ?t WHERE {{ ?t a <{TS}Tenure> }} LIMIT 1")[0] == 200
