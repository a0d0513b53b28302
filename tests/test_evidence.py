"""`tajsec query --why`: each answer's evidence, and the build's record of how each derived
triple was derived."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from tajsec.core.namespaces import PREFIXES, TS, TSD
from tajsec.evidence.trace import Tracer
from tajsec.graph.build import DERIVED_GRAPH, build
from tajsec.sparql import queries
from tajsec.sparql.results import Result, to_json


def _evidence(built, project, text):
    res = queries.run(built.query, text)
    return res, Tracer(built, project.root, PREFIXES).trace(text, res.variables, res.rows)


def test_every_derived_triple_has_a_backing_statement(built):
    derived = {(q.subject, q.predicate, q.object) for q in built.store.quads_for_pattern(None, None, None, DERIVED_GRAPH)}
    assert derived and derived <= set(built.derivations.by_triple)
    assert [t for t in derived if not built.derivations.statements(built.store, t)] == []


def _one_per_rule(built) -> dict[str, tuple]:
    """For each build rule, one triple it derived that rests on exactly one statement of the data."""
    chosen = {}
    for t, derivations in sorted(built.derivations.by_triple.items(), key=lambda kv: tuple(x.value for x in kv[0])):
        rule = derivations[0].rule.name
        if rule in chosen or len(derivations) != 1:
            continue
        nodes = built.derivations.statements(built.store, t)
        if len(nodes) == 1 and str(next(iter(nodes)).value).startswith(TSD):
            chosen[rule] = (t, next(iter(nodes)))
    return chosen


def test_removing_the_backing_statement_removes_the_derived_triple(project, built):
    from tajsec.graph.build import construct_queries, materialise

    chosen = _one_per_rule(built)
    assert len(chosen) >= 5, sorted(chosen)  # the rules over statements and the interop rules alike
    for rule, (triple, statement) in chosen.items():
        again = build(project, derive=False)
        for q in list(again.store.quads_for_pattern(statement, None, None, None)):
            again.store.remove(q)
        materialise(again.store, construct_queries(project))
        assert next(iter(again.store.quads_for_pattern(*triple, None)), None) is None, (rule, triple, statement)
    # and the statement that backs a shortcut is the one the paper states it in (a post held at
    # the paper's present: Mirzoev's ended, so his tenures back no org:memberOf)
    st = ox.NamedNode(TSD + "tenure-sharipov-minister-of-interior")
    member_of = (ox.NamedNode(TSD + "khumdin-sharipov"), ox.NamedNode(PREFIXES["org"] + "memberOf"),
                 ox.NamedNode(TSD + "ministry-of-interior"))
    assert st in built.derivations.statements(built.store, member_of)


def test_a_derived_row_is_backed_by_its_statement(built, project):
    text = f"SELECT ?org WHERE {{ <{TSD}khumdin-sharipov> <{PREFIXES['org']}memberOf> ?org }}"
    res, ev = _evidence(built, project, text)
    rows = {r[0].value: e for r, e in zip(res.rows, ev["rows"])}
    entry = rows[TSD + "ministry-of-interior"]
    assert entry["traced"] and entry["triples"][0]["origin"] == "derived"
    assert TSD + "tenure-sharipov-minister-of-interior" in entry["statements"]
    assert "Sharipov" in ev["statements"][TSD + "tenure-sharipov-minister-of-interior"]["quote"]


def test_asserted_triples_are_their_own_evidence_with_file_and_line(built, project):
    text = f"SELECT ?q WHERE {{ <{TSD}tenure-mirzoev-head-of-dca> <{TS}evidenceQuote> ?q }}"
    _, ev = _evidence(built, project, text)
    t = ev["rows"][0]["triples"][0]
    assert t["origin"] == "asserted"
    assert t["asserted_in"][0]["file"] == "instances/drugs.ttl"
    line = t["asserted_in"][0]["line"]
    assert "tenure-mirzoev-head-of-dca" in (project.root / "instances/drugs.ttl").read_text().splitlines()[line - 1]


def test_optional_part_unbound_invents_no_evidence(built, project):
    text = (f"SELECT ?t ?role WHERE {{ ?t a <{TS}Tenure> ; <{PREFIXES['org']}member> <{TSD}gaffur-mirzoev> "
            f"OPTIONAL {{ ?t <{TS}noSuchProperty> ?role }} }}")
    res, ev = _evidence(built, project, text)
    assert res.rows
    for entry in ev["rows"]:
        assert all(t["predicate"]["value"] != TS + "noSuchProperty" for t in entry["triples"])
        assert entry["triples"]


def test_union_and_property_path(built, project):
    text = (f"SELECT ?end WHERE {{ {{ <{TSD}interval-mirzoev-head-of-dca> <{PREFIXES['time']}hasEnd>/<{PREFIXES['time']}inXSDgYearMonth> ?end }}"
            f" UNION {{ <{TSD}interval-mirzoev-head-of-dca> <{TS}noSuch> ?end }} }}")
    res, ev = _evidence(built, project, text)
    assert [r[0].value for r in res.rows] == ["2004-08"]
    preds = [t["predicate"]["value"] for t in ev["rows"][0]["triples"]]
    assert preds == [PREFIXES["time"] + "hasEnd", PREFIXES["time"] + "inXSDgYearMonth"]


def test_a_count_is_backed_by_the_counted_rows_capped(built, project):
    text = f"SELECT (COUNT(?t) AS ?n) WHERE {{ ?t a <{TS}Tenure> }}"
    res, ev = _evidence(built, project, text)
    n = int(res.rows[0][0].value)
    entry = ev["rows"][0]
    assert entry["matches"] == n and entry["shown"] == min(n, 20)
    assert len(entry["triples"]) == entry["shown"]
    if n > 20:
        assert "first 20" in entry["note"]


def test_untraceable_query_keeps_its_rows_and_says_why():
    from click.testing import CliRunner

    from tajsec.cli import main
    r = CliRunner().invoke(main, ["query", "-e", "SELECT ?x WHERE { ?x ?p ?y OPTIONAL { << ?x ?p ?y >> ?q ?z } } LIMIT 1",
                                  "--why"])
    assert r.exit_code == 0, r.output
    assert "not traced" in r.output and "Traceback" not in r.output


def test_json_evidence_leaves_sparql_json_readable(built, project):
    from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
    import io

    text = (project.root / "queries/questions/drugs-dca-head-mid-2004.rq").read_text()
    res, ev = _evidence(built, project, text)
    doc = to_json(Result(res.variables, res.rows, ev))
    parsed = JSONResultParser().parse(io.StringIO(doc))
    from rdflib import Variable
    assert [str(b[Variable("head")]) for b in parsed.bindings] == [TSD + "gaffur-mirzoev"]
    assert len(json.loads(doc)["evidence"]["rows"]) == len(res.rows)


def test_every_question_traced(built, project):
    tracer = Tracer(built, project.root, PREFIXES)
    for path in project.question_queries:
        text = path.read_text()
        res = queries.run(built.query, text)
        ev = tracer.trace(text, res.variables, res.rows)
        for entry in ev["rows"]:
            assert entry["traced"], (path.stem, entry)
            assert entry["statements"], path.stem


def _canonical(evidence):
    """Evidence with the order of each row's triples and statements left out (rows tied under
    ORDER BY may come back in either order, and their matches with them)."""
    rows = [dict(e, triples=sorted(json.dumps(t, sort_keys=True) for t in e.get("triples", [])),
                 statements=sorted(e.get("statements", []))) for e in evidence["rows"]]
    return rows, evidence["statements"]


def _recording(built):
    """The texts the engine is asked, and the store query that records them."""
    calls: list[str] = []

    def store_query(text, **kw):
        calls.append(text)
        return built.query(text, **kw)

    return calls, store_query


def test_run_gives_the_answer_and_evidence_of_query_then_trace(built, project):
    """`Tracer.run` (what `tajsec questions --run --why` uses) answers every question as the query
    alone does and traces it as `trace` does after it."""
    for path in project.question_queries:
        text = path.read_text()
        res, ev = _evidence(built, project, text)
        both = Tracer(built, project.root, PREFIXES).run(built.query, text)
        assert both.variables == res.variables, path.stem
        assert sorted(map(tuple, both.lexical_rows())) == sorted(map(tuple, res.lexical_rows())), path.stem
        pairs = sorted(zip(map(tuple, both.lexical_rows()), _canonical(both.evidence)[0]), key=lambda x: x[0])
        alone = sorted(zip(map(tuple, res.lexical_rows()), _canonical(ev)[0]), key=lambda x: x[0])
        assert pairs == alone, path.stem
        assert both.evidence["statements"] == ev["statements"], path.stem


def test_run_evaluates_the_where_clause_once_where_the_rows_allow(built, project, monkeypatch):
    """Hidden variables, no DISTINCT or aggregate: one engine run, the hidden variables projected
    beside the query's own, and no second run of the WHERE clause. With LIMIT, each row's
    evidence comes from the solutions within the limit."""
    calls, store_query = _recording(built)
    def no_rerun(*a, **k):
        raise AssertionError("the WHERE clause ran again")

    text = ("PREFIX ts: <https://w3id.org/tajsec/onto/>\nSELECT ?quote WHERE { ?s a ts:Statement ; "
            "ts:evidenceQuote ?quote } ORDER BY ?quote LIMIT 3")
    tracer = Tracer(built, project.root, PREFIXES)
    monkeypatch.setattr(tracer, "_solutions", no_rerun)
    res = tracer.run(store_query, text)
    assert len(calls) == 1 and "?s" in calls[0].split("WHERE")[0]
    assert res.variables == ["quote"] and len(res.rows) == 3
    values = [row[0].value for row in res.rows]  # rows with the same quote share their matches
    assert [e["matches"] for e in res.evidence["rows"]] == [values.count(v) for v in values]
    for row, entry in zip(res.rows, res.evidence["rows"]):
        quotes = [t for t in entry["triples"] if t["object"]["value"] == row[0].value]
        assert quotes and entry["statements"], entry


def test_run_evaluates_a_distinct_query_once_without_its_distinct(built, project):
    """DISTINCT, no LIMIT or OFFSET: one engine run, widened and without the DISTINCT; the rows are
    the engine's own DISTINCT rows, in its order, and each is backed by every solution behind it."""
    calls, store_query = _recording(built)
    text = ("PREFIX ts: <https://w3id.org/tajsec/onto/>\nSELECT DISTINCT ?section WHERE { ?s a ts:Statement ; "
            "ts:inSection ?section }")
    res = Tracer(built, project.root, PREFIXES).run(store_query, text)
    assert len(calls) == 1 and "DISTINCT" not in calls[0] and "?s" in calls[0].split("WHERE")[0]
    plain = queries.run(built.query, text)
    assert res.variables == plain.variables and res.rows == plain.rows
    assert len(set(map(tuple, res.lexical_rows()))) == len(res.rows)
    statements = queries.run(built.query, text.replace("DISTINCT ", ""))
    assert all(e["traced"] for e in res.evidence["rows"])
    assert sum(e["matches"] for e in res.evidence["rows"]) == len(statements.rows)


def test_run_keeps_a_distinct_query_with_a_limit_as_written(built, project):
    """DISTINCT with LIMIT: the limit counts distinct rows, so the query runs as written (and the
    WHERE clause again, for the matches)."""
    calls, store_query = _recording(built)
    text = ("PREFIX ts: <https://w3id.org/tajsec/onto/>\nSELECT DISTINCT ?section WHERE { ?s a ts:Statement ; "
            "ts:inSection ?section } ORDER BY ?section LIMIT 3")
    res = Tracer(built, project.root, PREFIXES).run(store_query, text)
    assert calls == [text]
    assert res.rows == queries.run(built.query, text).rows and len(res.rows) == 3
    assert all(e["traced"] and e["matches"] >= 1 for e in res.evidence["rows"])


def test_run_takes_select_star_as_written(built, project):
    """SELECT *: every variable is already projected, so the query runs once, as written (adding
    variables after `*` would not be SPARQL), and each row is its own solution."""
    calls, store_query = _recording(built)
    text = ("PREFIX ts: <https://w3id.org/tajsec/onto/>\nSELECT * WHERE { ?s a ts:Tenure ; "
            "ts:evidenceQuote ?quote } ORDER BY ?s ?quote LIMIT 4")
    res = Tracer(built, project.root, PREFIXES).run(store_query, text)
    assert calls == [text]
    assert sorted(res.variables) == ["quote", "s"] and len(res.rows) == 4
    tenure = res.variables.index("s")
    for row, entry in zip(res.rows, res.evidence["rows"]):
        assert entry["traced"] and entry["statements"] == [row[tenure].value], entry


QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "queries" / "questions"
EVIDENCE_FILES = sorted(QUESTIONS_DIR.glob("*.evidence.csv"))


def _plain(text: str) -> str:
    """The paper's text and the quotes compared as words: line breaks, hyphenation at line ends
    and curly quotes do not count."""
    text = re.sub(r"-\s*\n\s*", "-", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"(?<=[A-Za-z.,])\d{2}\b", "", text).split())


def test_every_question_has_its_expected_evidence():
    questions = {p.stem for p in QUESTIONS_DIR.glob("*.rq")}
    with_evidence = {p.name.removesuffix(".evidence.csv") for p in EVIDENCE_FILES}
    assert questions - with_evidence == set()
    assert with_evidence <= questions  # no evidence file without its question


@pytest.mark.parametrize("path", EVIDENCE_FILES, ids=lambda p: p.name.removesuffix(".evidence.csv"))
def test_each_row_s_evidence_holds_the_statement_the_paper_supports_it_with(built, project, path, source_text):
    """NAME.evidence.csv: for each expected row, a statement its evidence must include and the
    passage of the paper (worked out by reading it) that supports the row, which the statement's
    quote must contain."""
    with path.open(encoding="utf-8", newline="") as f:
        header, *lines = list(csv.reader(f))
    question = path.with_name(path.name.replace(".evidence.csv", ".rq"))
    res, ev = _evidence(built, project, question.read_text(encoding="utf-8"))
    assert header[:-2] == res.variables
    rows = {tuple(r): e for r, e in zip(res.lexical_rows(), ev["rows"])}
    paper = _plain(source_text)
    for line in lines:
        *values, statement, passage = line
        entry = rows[tuple(values)]
        assert statement in entry["statements"], (values, statement)
        assert _plain(passage) in paper, passage
        card = ev["statements"][statement]
        quotes = card.get("quotes", [card["quote"]])
        assert any(_plain(passage) in _plain(q) for q in quotes), (statement, quotes)


@pytest.mark.parametrize("path", sorted(QUESTIONS_DIR.glob("*.rq")), ids=lambda p: p.stem)
def test_no_evidence_is_unrelated_to_its_row(built, project, path):
    """The triples of a row's evidence are one connected match, and it reaches the row's values
    (unless the row is an aggregate's, whose values the data do not hold)."""
    res, ev = _evidence(built, project, path.read_text(encoding="utf-8"))
    for row, entry in zip(res.rows, ev["rows"]):
        assert entry["traced"], entry
        values = {t.value for t in row if t is not None}
        edges = [(t["subject"]["value"], t["object"]["value"]) for t in entry["triples"]]
        nodes = {n for e in edges for n in e}
        component = _components(edges)
        reached = {component[n] for n in nodes & values}
        if entry["matches"] == 1 and reached:
            assert set(component.values()) <= reached, path.stem


def _components(edges):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    return {n: find(n) for n in list(parent)}



def test_foreign_data_evidence_names_its_file_and_line(project, tmp_path):
    data = tmp_path / "theirs.ttl"
    data.write_text(f"@prefix tsd: <{TSD}> .\n@prefix ts: <{TS}> .\n\n# a note\n"
                    f"tsd:gaffur-mirzoev ts:nickname \"the general\" .\n", encoding="utf-8")
    b = build(project, foreign=[data])
    text = f"SELECT ?n WHERE {{ <{TSD}gaffur-mirzoev> <{TS}nickname> ?n }}"
    res = queries.run(b.query, text)
    ev = Tracer(b, tmp_path, PREFIXES).trace(text, res.variables, res.rows)
    assert ev["rows"][0]["triples"][0]["asserted_in"] == [{"file": "theirs.ttl", "line": 5}]


def test_cli_why_table_json_and_questions(project):
    from click.testing import CliRunner

    from tajsec.cli import main
    runner = CliRunner()
    r = runner.invoke(main, ["query", "drugs-dca-officer-pay", "--why"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[2].startswith("100 ") and lines[3].startswith("    - tsd:st-dca-officer-pay")
    assert "“DCA officers are hand-picked" in r.output
    r = runner.invoke(main, ["query", "drugs-dca-officer-pay", "--why", "--format", "json"])
    doc = json.loads(r.output)
    assert TSD + "st-dca-officer-pay" in doc["evidence"]["rows"][0]["statements"]
    assert doc["results"]["bindings"][0]["min"]["value"] == "100"
    r = runner.invoke(main, ["query", "drugs-dca-officer-pay", "--why", "--format", "csv"])
    assert r.output.splitlines()[0].endswith(",_evidence") and TSD + "st-dca-officer-pay" in r.output.splitlines()[1]
    r = runner.invoke(main, ["query", "drugs-dca-officer-pay", "--cite"])
    assert r.exit_code == 2
    r = runner.invoke(main, ["questions", "--run", "--why"])
    assert r.exit_code == 0, r.output[-2000:]
    assert r.output.count("    - tsd:") >= 69 and "evidence not traced" not in r.output


def test_export_citations_bibtex_and_csl_json(tmp_path):
    from click.testing import CliRunner

    from tajsec.cli import main
    runner = CliRunner()
    out = tmp_path / "works.json"
    r = runner.invoke(main, ["export", "--citations", "csl-json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    items = {i["id"]: i for i in json.loads(out.read_text(encoding="utf-8"))}
    # footnote 31 (checked in the paper): Zokirova's IWPR article of 15 June 2004, RCA no. 293
    z = items["work-fn31-zokirova-most-corrupt-countries"]
    assert z["author"] == [{"literal": "Nargis Zokirova"}] and z["issue"] == "293"
    assert z["issued"] == {"date-parts": [[2004, 6, 15]]} and z["type"] == "article-magazine"
    # the Transparency International rating is "Quoted in" that article
    assert "cited in" in items["work-fn31-transparency-international-rating"]["note"]
    r = runner.invoke(main, ["export", "--citations", "bibtex"])
    assert r.exit_code == 0
    assert "@article{work-fn31-zokirova-most-corrupt-countries," in r.output
    assert r.output.count("\n@") + 1 == len(items)
    assert runner.invoke(main, ["export"]).exit_code == 2
