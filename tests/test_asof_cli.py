"""`--as-of DATE` on `tajsec query` and `tajsec describe`, and the endpoint's `as-of` parameter:
the graph as of a date, with each thing in effect marked certainly or possibly (expected answers
from the paper's Drugs section: Mirzoev headed the DCA from January to August 2004)."""
from __future__ import annotations

import json
import signal
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import start_serve
from click.testing import CliRunner

from tajsec.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEADS = ("SELECT ?p ?m WHERE { ?t org:organization tsd:drug-control-agency ; org:role ts:role-head ; "
         "org:member ?p ; ts:inEffect ?m } ORDER BY ?p")
MEMBERS = "SELECT ?p WHERE { ?p org:memberOf tsd:drug-control-agency } ORDER BY ?p"
TSD = "https://w3id.org/tajsec/id/"
TS = "https://w3id.org/tajsec/onto/"


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TAJSEC_ROOT", raising=False)
    return CliRunner()


def _csv(res) -> list[str]:
    assert res.exit_code == 0, res.output
    return res.output.splitlines()


def test_query_as_of_marks_each_statement(runner):
    june = _csv(runner.invoke(main, ["query", "-e", HEADS, "--as-of", "2004-06", "--format", "csv"]))
    assert f"{TSD}gaffur-mirzoev,{TS}in-effect-possibly" in june  # appointed some time in Jan-Aug 2004
    october = _csv(runner.invoke(main, ["query", "-e", HEADS, "--as-of", "2004-10", "--format", "csv"]))
    assert not any("gaffur-mirzoev" in line for line in october)
    assert f"{TSD}dca-previous-head,{TS}in-effect-possibly" in october


def test_the_shortcut_layer_of_the_view_follows_the_date(runner):
    full = _csv(runner.invoke(main, ["query", "-e", MEMBERS, "--format", "csv"]))
    assert f"{TSD}gaffur-mirzoev" not in full  # the full graph speaks of the paper's present: a former post
    june = _csv(runner.invoke(main, ["query", "-e", MEMBERS, "--as-of", "2004-06", "--format", "csv"]))
    assert f"{TSD}gaffur-mirzoev" in june  # possibly head then
    before = _csv(runner.invoke(main, ["query", "-e", MEMBERS, "--as-of", "2003-06", "--format", "csv"]))
    assert f"{TSD}gaffur-mirzoev" not in before


def test_without_as_of_nothing_is_marked(runner):
    out = _csv(runner.invoke(main, ["query", "-e", HEADS, "--format", "csv"]))
    assert out == ["p,m"]


def test_describe_as_of(runner):
    res = runner.invoke(main, ["describe", "tsd:gaffur-mirzoev", "--as-of", "2004-06", "--format", "json"])
    assert res.exit_code == 0, res.output
    card = json.loads(res.output)
    assert card["asOf"] == "2004-06"
    by_node = {s["node"]: s for s in card["statements"]}
    assert by_node["tsd:tenure-mirzoev-head-of-dca"]["inEffect"] == "possibly"  # appointment undated
    assert all(s["inEffect"] in ("certainly", "possibly") for s in card["statements"])
    assert all(s["sources"] for s in card["statements"])
    # the August 2004 arrest is not in the view of June (it had not happened yet)
    assert not any(s["date"] == "2004-08" and s["kind"] == "ts:Arrest" for s in card["statements"])
    text = runner.invoke(main, ["describe", "tsd:gaffur-mirzoev", "--as-of", "2004-06"]).output
    assert "in effect as of 2004-06" in text and "- possibly: [? – 2004-08] Gaffur Mirzoev as head of the DCA" in text


@pytest.mark.parametrize("bad", ["2004-13", "June 2004", "2004/06", "2004-02-30", ""])
@pytest.mark.parametrize("command", [["query", "-e", HEADS], ["describe", "tsd:gaffur-mirzoev"]])
def test_a_bad_date_is_a_usage_error(runner, command, bad):
    res = runner.invoke(main, [*command, "--as-of", bad])
    assert res.exit_code == 2
    assert "--as-of" in res.output and "YYYY, YYYY-MM or YYYY-MM-DD" in res.output
    assert "Traceback" not in res.output


def test_as_of_is_for_embedded_queries(runner):
    res = runner.invoke(main, ["query", "-e", HEADS, "--as-of", "2004", "--endpoint", "http://127.0.0.1:9/sparql"])
    assert res.exit_code == 2 and "--as-of works on embedded queries" in res.output


# -- the endpoint ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    base, _, proc = start_serve("--timeout", "10")
    yield base
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0


PREFIXES = ("PREFIX org: <http://www.w3.org/ns/org#> PREFIX ts: <https://w3id.org/tajsec/onto/> "
            "PREFIX tsd: <https://w3id.org/tajsec/id/> ")


def _get(base: str, params: list[tuple[str, str]]) -> tuple[int, str]:
    req = urllib.request.Request(f"{base}/sparql?" + urllib.parse.urlencode(params),
                                 headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def _rows(body: str) -> set[tuple[str, str]]:
    return {(b["p"]["value"], b["m"]["value"]) for b in json.loads(body)["results"]["bindings"]}


def test_endpoint_as_of(server):
    code, body = _get(server, [("query", PREFIXES + HEADS), ("as-of", "2004-06")])
    assert code == 200, body
    assert (TSD + "gaffur-mirzoev", TS + "in-effect-possibly") in _rows(body)
    code, body = _get(server, [("query", PREFIXES + HEADS), ("as-of", "2004-10")])
    assert code == 200 and TSD + "gaffur-mirzoev" not in {p for p, _ in _rows(body)}
    # without the parameter: the standard endpoint, the whole graph, no marks
    code, body = _get(server, [("query", PREFIXES + HEADS)])
    assert code == 200 and _rows(body) == set()


@pytest.mark.parametrize("params, message", [
    ([("as-of", "2004-13")], "YYYY, YYYY-MM or YYYY-MM-DD"),
    ([("as-of", "2004"), ("as-of", "2005")], "at most one 'as-of'"),
])
def test_endpoint_bad_as_of_is_400(server, params, message):
    code, body = _get(server, [("query", PREFIXES + HEADS), *params])
    assert code == 400 and message in body


def test_endpoint_as_of_keeps_service_refused(server):
    q = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    code, body = _get(server, [("query", q), ("as-of", "2004")])
    assert code == 400 and "SERVICE" in body


def test_why_as_of_traces_rows_to_the_statements_in_effect(runner):
    res = runner.invoke(main, ["query", "-e", MEMBERS, "--as-of", "2004-06", "--why", "--format", "json"])
    assert res.exit_code == 0, res.output
    answer = json.loads(res.output)
    statements = set(answer["evidence"]["statements"])
    assert f"{TSD}tenure-mirzoev-head-of-dca" in statements
    later = runner.invoke(main, ["query", "-e", MEMBERS, "--as-of", "2004-10", "--why", "--format", "json"])
    assert later.exit_code == 0, later.output
    assert f"{TSD}tenure-mirzoev-head-of-dca" not in set(json.loads(later.output)["evidence"]["statements"])
