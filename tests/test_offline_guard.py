"""The guard that refuses queries reaching the network (tajsec.sparql.offline), found by parsing:
SERVICE at any depth, LOAD in updates, and what happens to a query the parser cannot read."""
from __future__ import annotations

import pytest

from tajsec.sparql import offline

SERVICE = "SERVICE <https://query.example.org/sparql> { ?s ?p ?o }"


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ {SERVICE} }}",
    f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {SERVICE} }} }}",
    f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {SERVICE} }} }} }}",
    f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ {SERVICE} }} }}",
    f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ GRAPH ?g {{ {SERVICE} }} }} }}",
    f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ {SERVICE} }} }}",
    "SELECT * WHERE { \\u0053ERVICE <https://query.example.org/sparql> { ?s ?p ?o } }",
    f"SELECT * WHERE {{ SERVICE SILENT <https://query.example.org/sparql> {{ ?s ?p ?o }} }}",
])
def test_service_is_found_at_any_depth(query):
    assert offline.network_use(query) == ("SERVICE", True)
    for sandboxed in (True, False):
        assert "uses SERVICE" in offline.refusal(query, sandboxed)


def test_load_in_an_update_is_refused():
    assert offline.network_use("LOAD <https://example.org/data.ttl>") == ("LOAD", True)
    assert "uses LOAD" in offline.refusal("LOAD <https://example.org/data.ttl>", True)


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p 'SERVICE' }", "# SERVICE <x>\nASK { }",
                                   "INSERT DATA { <https://e.org/s> <https://e.org/p> 1 }",
                                   "SELECT * WHERE { ?s <https://e.org/SERVICE> ?o } VALUES ?s { <https://e.org/a> }"])
def test_queries_that_only_mention_service_run(query):
    assert offline.network_use(query) == (None, True)
    assert offline.refusal(query, sandboxed=False) is None


def test_unparsable_query_runs_only_in_a_sandbox():
    assert offline.network_use("SELECT WHERE {") == (None, False)
    assert offline.refusal("SELECT WHERE {", sandboxed=True) is None
    assert "could not be checked" in offline.refusal("SELECT WHERE {", sandboxed=False)


def test_a_query_that_cannot_name_service_is_not_parsed_in_a_sandbox(monkeypatch):
    plain = "PREFIX ts: <https://w3id.org/tajsec/onto/> SELECT ?s WHERE { ?s a ts:Person }"
    parsed: list[str] = []
    real = offline._parsed

    def spy(text):
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(offline, "_parsed", spy)
    assert offline.refusal(plain, sandboxed=True) is None and offline.declares_dataset(plain) is False
    assert parsed == []
    assert offline.refusal(plain, sandboxed=False) is None and parsed == [plain]   # outside: parsed, to be sure
    # a word in any case, an escape, or non-ASCII letters that case mapping (ſ, ı) or NFKC
    # (fullwidth) turn into the word send the query to the parser
    for text, word in [("SELECT * WHERE { SeRvIcE <https://e.org/s> { ?s ?p ?o } }", "uses SERVICE"),
                       ("SELECT * WHERE { \\u0053ERVICE <https://e.org/s> { ?s ?p ?o } }", "uses SERVICE"),
                       ("SELECT * WHERE { ſERVICE <https://e.org/s> { ?s ?p ?o } }", "uses SERVICE"),
                       ("SELECT * WHERE { SERVıCE <https://e.org/s> { ?s ?p ?o } }", "uses SERVICE"),
                       ("LoAd <https://e.org/d.ttl>", "uses LOAD")]:
        assert word in offline.refusal(text, sandboxed=True)
        assert parsed[-1] == text
    for text in ["SELECT * WHERE { ?s ?p 'ſervice' }", "SELECT * WHERE { ?s ?p 'servıce' }",
                 "SELECT * WHERE { ?s ?p 'ｓｅｒｖｉｃｅ' }", "SELECT * WHERE { ?s ?p 'a\\\\b' }",
                 "SELECT * WHERE { ?s <https://e.org/load> ?o }",
                 "SELECT * WHERE { ?s ?p ?o } # SERVICE after code is still read",
                 "SELECT * WHERE { # a comment ends at CR too\rSERVICE <https://e.org/s> { ?s ?p ?o } }"]:
        assert offline.refusal(text, sandboxed=True) is None
        assert parsed[-1] == text
    # a word at the very start or end, or next to a bracket, may be a keyword
    for text in ["LOAD", "SELECT * WHERE { ?s ?p ?o } LOAD", "SELECT * WHERE {SERVICE", "SELECT * {?s ?p ?o}FROM"]:
        offline.refusal(text, sandboxed=True), offline.declares_dataset(text)
        assert parsed[-1] == text
    # not parsed: other non-ASCII text (the competency questions' Cyrillic, dashes and quotes), the
    # words inside longer names, and lines that start with # (comments, or inside a long string)
    before = len(parsed)
    for text in ["# Душанбе — «Dushanbe»\nSELECT ?s WHERE { ?s ?p 'Сервис' }", "SELECT ?s WHERE { ?s ?p 'é' }",
                 "SELECT ?service ?from ?load WHERE { ?service ts:distanceFrom $from ; ts:load ?load }",
                 "SELECT ?s WHERE { ?s ts:x-service ts:servicemen , ts:service_2 , ts:loaded , ts:2load }",
                 "# Which service? Loaded from where?\n  \t# SERVICE <https://e.org/s> FROM <https://e.org/g>\n"
                 "SELECT ?s WHERE { ?s ?p ?o }",
                 "SELECT ?s WHERE { ?s ?p '''\n# SERVICE <https://e.org/s> { ?s ?p ?o }\n''' }"]:
        assert offline.refusal(text, sandboxed=True) is None and offline.declares_dataset(text) is False
    assert len(parsed) == before
    assert offline.declares_dataset("SELECT * FROM <https://e.org/g> WHERE { ?s ?p ?o }") is True
    assert offline.declares_dataset("SELECT * WHERE { ?s <https://e.org/from> ?o }") is False
