"""The command line: exit codes are a contract (0 good, 1 findings, 2 cannot run)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TAJSEC_ROOT", raising=False)
    return CliRunner()


@pytest.fixture
def copy_of_project(tmp_path, monkeypatch):
    for d in ("ontology", "instances", "shapes", "queries"):
        shutil.copytree(ROOT / d, tmp_path / d)
    monkeypatch.setenv("TAJSEC_ROOT", str(tmp_path))
    return tmp_path


@pytest.mark.slow
def test_check_json_reports_everything_ok(runner):
    res = runner.invoke(main, ["check", "--format", "json"])
    report = json.loads(res.output)
    stages = {s["name"]: s for s in report["stages"]}
    assert list(stages) == ["parse", "owl", "shacl", "checks", "questions"]
    assert stages["owl"]["summary"].startswith("consistent, 0 unsatisfiable")
    assert all(s["ok"] for s in stages.values()), [s for s in stages.values() if not s["ok"]]
    assert res.exit_code == 0


@pytest.mark.slow
def test_check_text_summary(runner):
    res = runner.invoke(main, ["check"])
    assert res.exit_code == 0, res.output
    for word in ("parse", "owl", "shacl", "checks", "questions", "result: OK"):
        assert word in res.output


def test_parse_error_names_file_line_column_and_exits_2(runner, copy_of_project):
    bad = copy_of_project / "instances" / "zz-broken.ttl"
    bad.write_text('@prefix ts: <https://w3id.org/tajsec/onto/> .\n\nts:a ts:b "unterminated .\n')
    res = runner.invoke(main, ["check"])
    assert res.exit_code == 2
    assert "zz-broken.ttl:3:" in res.output
    assert "result: ERROR" in res.output


@pytest.mark.slow
def test_findings_exit_1(runner, copy_of_project):
    extra = copy_of_project / "instances" / "zz-findings.ttl"
    extra.write_text('@prefix ts: <https://w3id.org/tajsec/onto/> .\n'
                     '@prefix tsd: <https://w3id.org/tajsec/id/> .\n'
                     'tsd:someone a ts:Person .\n')
    res = runner.invoke(main, ["check", "--format", "json"])
    assert res.exit_code == 1
    report = json.loads(res.output)
    failing = {s["name"] for s in report["stages"] if not s["ok"]}
    assert {"shacl", "checks"} <= failing


@pytest.mark.slow
def test_check_shacl_conforms_is_sh_conforms_and_severity_decides_the_exit(runner, copy_of_project):
    # one SHACL warning and nothing else wrong: "does not conform" (sh:conforms is false for
    # any result), yet the run passes at the default threshold and fails at --severity warning
    (copy_of_project / "shapes" / "zz-warning.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:x:W> sh:targetNode <https://w3id.org/tajsec/onto/Person> ; sh:severity sh:Warning ;\n"
        "  sh:property [ sh:path <urn:x:never-used> ; sh:minCount 1 ; sh:severity sh:Warning ] .\n")
    res = runner.invoke(main, ["check", "--format", "json"])
    stages = {s["name"]: s for s in json.loads(res.output)["stages"]}
    assert stages["shacl"]["ok"], stages["shacl"]
    assert stages["shacl"]["summary"] == ("does not conform: 0 violations, 1 warnings, 0 infos; "
                                          "passes at threshold violation")
    assert res.exit_code == 0, stages
    res = runner.invoke(main, ["check", "--format", "json", "--severity", "warning"])
    stages = {s["name"]: s for s in json.loads(res.output)["stages"]}
    assert not stages["shacl"]["ok"]
    assert stages["shacl"]["summary"].endswith("; fails at threshold warning")
    assert res.exit_code == 1


@pytest.mark.slow
def test_check_with_no_questions_or_checks_is_an_error_not_ok(runner, copy_of_project):
    """An installation without its questions once said "0/0 competency questions match" and OK."""
    for sub in ("questions", "checks"):
        for rq in (copy_of_project / "queries" / sub).glob("*.rq"):
            rq.unlink()
    res = runner.invoke(main, ["check"])
    assert res.exit_code == 2, res.output
    assert f"no quality checks found in {copy_of_project / 'queries' / 'checks'}" in res.output
    assert f"no competency questions found in {copy_of_project / 'queries' / 'questions'}" in res.output
    assert res.output.splitlines()[-1] == "result: ERROR"


@pytest.mark.slow
def test_check_with_checks_but_no_questions_is_an_error(runner, copy_of_project):
    for rq in (copy_of_project / "queries" / "questions").glob("*.rq"):
        rq.unlink()
    res = runner.invoke(main, ["check", "--format", "json"])
    assert res.exit_code == 2
    report = json.loads(res.output)
    stages = {s["name"]: s for s in report["stages"]}
    assert report["status"] == "error"
    assert stages["checks"]["ok"] and not stages["questions"]["ok"]
    assert "no competency questions found" in stages["questions"]["summary"]


def test_questions_run_with_no_questions_is_an_error(runner, copy_of_project):
    for rq in (copy_of_project / "queries" / "questions").glob("*.rq"):
        rq.unlink()
    res = runner.invoke(main, ["questions", "--run"])
    assert res.exit_code == 2
    assert "no competency questions found in" in res.output
    assert "match their expected answers" not in res.output


def test_query_by_name_prints_a_table(runner):
    name = sorted((ROOT / "queries" / "questions").glob("*.rq"))[0].stem
    res = runner.invoke(main, ["query", name])
    assert res.exit_code == 0, res.output
    assert "row" in res.output.splitlines()[-1]


def test_query_csv_of_a_file(runner, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text('PREFIX tsd: <https://w3id.org/tajsec/id/>\n'
                 'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n'
                 'SELECT ?label WHERE { tsd:drug-control-agency rdfs:label ?label } ORDER BY ?label\n')
    res = runner.invoke(main, ["query", str(q), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output == "label\nDrug Control Agency\n"


def test_query_unknown_name_exits_2(runner):
    res = runner.invoke(main, ["query", "no-such-question"])
    assert res.exit_code == 2
    assert "no-such-question" in res.output


def test_query_syntax_error_exits_2(runner, tmp_path):
    q = tmp_path / "bad.rq"
    q.write_text("SELECT ?x WHERE { ?x ?y }")
    res = runner.invoke(main, ["query", str(q)])
    assert res.exit_code == 2


def test_ill_typed_literal_in_our_files_is_an_error(runner, copy_of_project):
    bad = copy_of_project / "instances" / "zz-ill-typed.ttl"
    bad.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n'
                   '<https://w3id.org/tajsec/id/x> <https://w3id.org/tajsec/onto/footnoteNumber> "4O"^^xsd:integer .\n')
    res = runner.invoke(main, ["check"])
    assert res.exit_code == 2
    assert 'zz-ill-typed.ttl:3: ill-typed literal: "4O" is not a valid xsd:integer' in res.output


@pytest.mark.slow
def test_hermit_runs_when_the_ontology_changes_and_rl_rules_check_data_changes(runner, copy_of_project):
    """Issue 8's policy: HermiT's answer is cached per ontology; a data-only change is checked by
    the OWL 2 RL consistency rules, which must still catch a contradiction."""
    core = copy_of_project / "ontology" / "core.ttl"
    core.write_text(core.read_text() + "\nts:Person owl:disjointWith ts:Place .\n")
    first = json.loads(runner.invoke(main, ["check", "--format", "json"]).output)
    owl = next(s for s in first["stages"] if s["name"] == "owl")
    assert "cached" not in owl["summary"] and owl["ok"]
    (copy_of_project / "instances" / "zz-clash.ttl").write_text(
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '@prefix ts: <https://w3id.org/tajsec/onto/> .\n\n'
        '<https://w3id.org/tajsec/id/centaur> a ts:Person , ts:Place ;\n'
        '    rdfs:label "Centaur"@en ;\n'
        '    ts:footnoteNumber "forty" .\n')
    res = runner.invoke(main, ["check", "--format", "json"])
    second = json.loads(res.output)
    owl = next(s for s in second["stages"] if s["name"] == "owl")
    assert "cached for this ontology" in owl["summary"]
    assert "INCONSISTENT" in owl["summary"]
    rules = {d["rule"] for d in owl["details"] if isinstance(d, dict)}
    assert rules == {"cax-dw", "dt-not-type"}
    assert res.exit_code == 1
