"""`tajsec query`, `questions` and `describe`: parameters are bound as RDF terms, errors are
clean, time-outs stop runaway queries."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.cli import main

ROOT = Path(__file__).resolve().parent.parent
LABEL_OF = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
            'SELECT ?e ?label WHERE { ?e rdfs:label ?label } ORDER BY ?label')


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TAJSEC_ROOT", raising=False)
    return CliRunner()


def test_expression_with_bound_iri(runner):
    res = runner.invoke(main, ["query", "-e", LABEL_OF, "--bind", "e=tsd:drug-control-agency", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["e,label", "https://w3id.org/tajsec/id/drug-control-agency,Drug Control Agency"]


@pytest.mark.parametrize("payload", ['"} UNION { ?e ?p ?label }', "x' } ; DROP ALL ; #", "}}}",
                                     "Drug Control Agency\" } UNION { ?e ?p ?o"])
def test_injection_payloads_are_only_ever_values(runner, payload):
    q = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
         'SELECT ?label ?e WHERE { ?e rdfs:label ?label } ORDER BY ?e')
    res = runner.invoke(main, ["query", "-e", q, "--bind", f"label={payload}", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["results"]["bindings"] == []


def test_a_bound_iri_that_is_not_an_iri_is_a_clean_error(runner):
    res = runner.invoke(main, ["query", "-e", LABEL_OF, "--bind", "e=<bad iri>"])
    assert res.exit_code == 2
    assert "Invalid IRI" in res.output


def test_limit(runner):
    res = runner.invoke(main, ["query", "-e", LABEL_OF, "--limit", "3", "--format", "csv"])
    assert res.exit_code == 0
    assert len(res.output.splitlines()) == 4


def test_json_is_sparql_results_json(runner):
    res = runner.invoke(main, ["query", "-e", LABEL_OF, "--bind", "e=tsd:tajikistan", "--format", "json"])
    doc = json.loads(res.output)
    assert doc["head"]["vars"] == ["e", "label"]
    (b,) = doc["results"]["bindings"]
    assert b["e"] == {"type": "uri", "value": "https://w3id.org/tajsec/id/tajikistan"}
    assert b["label"] == {"type": "literal", "value": "Tajikistan", "xml:lang": "en"}


def test_syntax_error_has_line_and_column(runner):
    res = runner.invoke(main, ["query", "-e", "SELECT ?x WHERE {\n  ?x ?y \n}"])
    assert res.exit_code == 2
    assert "syntax error at line 3, column 2" in res.output


def test_service_is_refused_by_default(runner):
    res = runner.invoke(main, ["query", "-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"])
    assert res.exit_code == 2
    assert "--allow-network" in res.output


def test_timeout_stops_a_runaway_query(runner):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    res = runner.invoke(main, ["query", "-e", q, "--timeout", "1"])
    assert res.exit_code == 2
    assert "time-out of 1 s" in res.output


def test_bind_needs_a_selected_variable(runner):
    res = runner.invoke(main, ["query", "-e", LABEL_OF, "--bind", "nothere=x"])
    assert res.exit_code == 2
    assert "--bind works on variables the query SELECTs" in res.output


def test_questions_list_and_run(runner):
    res = runner.invoke(main, ["questions"])
    assert res.exit_code == 0
    n = len(list((ROOT / "queries" / "questions").glob("*.rq")))
    assert f"({n} questions;" in res.output
    res = runner.invoke(main, ["questions", "--run"])
    assert res.exit_code == 0, res.output[-2000:]
    assert res.output.splitlines()[-1] == f"{n}/{n} questions match their expected answers"


def test_describe_by_label(runner):
    res = runner.invoke(main, ["describe", "Mirzoev", "--format", "json"])
    assert res.exit_code == 0, res.output
    card = json.loads(res.output)
    assert card["iri"] == "https://w3id.org/tajsec/id/gaffur-mirzoev"
    dated = [s["date"] for s in card["statements"] if s["date"]]
    assert dated == sorted(dated) and "2004-08" in dated
    assert all(s["sources"] for s in card["statements"])


def test_describe_variant_spelling(runner):
    res = runner.invoke(main, ["describe", "Yakib Salimov", "--format", "json"])
    assert json.loads(res.output)["iri"] == "https://w3id.org/tajsec/id/yakub-salimov"


def test_describe_ambiguous_lists_candidates(runner):
    res = runner.invoke(main, ["describe", "Ministry of"])
    assert res.exit_code == 2
    assert "https://w3id.org/tajsec/id/ministry-of-interior" in res.output
    assert "https://w3id.org/tajsec/id/ministry-of-security" in res.output


def test_describe_unknown(runner):
    res = runner.invoke(main, ["describe", "Atlantis"])
    assert res.exit_code == 2
    assert "no entity" in res.output


def test_project_prefixes_are_declared_by_default(runner):
    q = "SELECT ?label WHERE { tsd:drug-control-agency rdfs:label ?label }"
    res = runner.invoke(main, ["query", "-e", q, "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["label", "Drug Control Agency"]
    res = runner.invoke(main, ["query", "-e", q, "--no-default-prefixes"])
    assert res.exit_code == 2 and "syntax error at line 1" in res.output


def test_the_query_own_prefix_wins_over_the_default(runner):
    q = "PREFIX tsd: <https://example.org/elsewhere/>\nSELECT ?label WHERE { tsd:drug-control-agency rdfs:label ?label }"
    res = runner.invoke(main, ["query", "-e", q, "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["label"]


def test_table_cuts_long_values_unless_full(runner):
    q = ("SELECT ?quote WHERE { ?s ts:evidenceQuote ?quote FILTER(STRLEN(?quote) > 200) } "
         "ORDER BY ?quote LIMIT 1")
    cut = runner.invoke(main, ["query", "-e", q])
    whole = runner.invoke(main, ["query", "-e", q, "--full"])
    assert cut.exit_code == whole.exit_code == 0, cut.output
    row_cut, row_whole = cut.output.splitlines()[2], whole.output.splitlines()[2]
    assert row_cut.endswith("...") and len(row_cut) == 70
    assert cut.output.splitlines()[-1].startswith("(1 value cut at 70 characters: --full shows them whole; --format tsv")
    assert "cut at" not in whole.output
    assert len(row_whole) > 200 and row_whole.startswith(row_cut[:-3])


def test_xml_results(runner):
    import xml.etree.ElementTree as ET

    res = runner.invoke(main, ["query", "-e", LABEL_OF, "--bind", "e=tsd:drug-control-agency", "--format", "xml"])
    assert res.exit_code == 0, res.output
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(res.output)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["e", "label"]
    assert root.find("r:results/r:result/r:binding[@name='label']/r:literal", ns).text == "Drug Control Agency"


def test_describe_never_picks_silently_between_a_label_and_a_variant(runner):
    """In the paper "Dushanbe" names the city and, by metonymy, the government (an alternative
    label of tsd:government-of-tajikistan): describe lists both instead of choosing."""
    res = runner.invoke(main, ["describe", "Dushanbe"])
    assert res.exit_code == 2
    assert "tsd:dushanbe" not in res.output  # full IRIs, to copy
    assert "https://w3id.org/tajsec/id/dushanbe " in res.output
    assert "https://w3id.org/tajsec/id/government-of-tajikistan " in res.output
    assert runner.invoke(main, ["describe", "tsd:dushanbe"]).exit_code == 0
